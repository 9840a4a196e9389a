"""mkdocs.yml as a project file: what maps to SiteConfig, the located warnings, YAML tags, INHERIT."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import FIXTURES, copy_fixture
from handpress.config import load_config
from handpress.errors import ConfigError
from handpress.site.content import content_files


def project(tmp_path: Path, text: str, **files: str) -> Path:
    (tmp_path / "mkdocs.yml").write_text(text, encoding="utf-8")
    (tmp_path / "docs").mkdir(exist_ok=True)
    (tmp_path / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    for name, body in files.items():
        (tmp_path / name).write_text(body, encoding="utf-8")
    return tmp_path


def notes(config) -> list[str]:
    return [d.format() for d in config.notes]


def test_the_fixture_maps_to_site_config() -> None:
    config = load_config(FIXTURES / "mkdocs-nav")
    assert (config.title, config.base_url, config.description, config.organisation, config.language) == (
        "Field Guide", "https://example.org/field/", "How the field office works", "Example Office", "en")
    assert config.content_dir == "pages"
    assert config.exclude == ("/templates/", "drafts/") and config.not_in_nav == ("orphan.md",)
    assert config.file_name == "mkdocs.yml"
    assert [(e.title, e.page, e.url) for e in config.nav] == [
        ("Home", "index.md", None), ("Getting started", "start.md", None), ("User guide", None, None),
        ("Reference", None, None), ("Source code", None, "https://example.org/source")]
    guide = config.nav[2].children
    assert [(e.title, e.page) for e in guide] == [
        (None, "guide/index.md"), ("Installing", "guide/install.md"), (None, "guide/configure.md")]
    assert config.markdown.permalink is True
    (book,) = config.handbooks
    assert (book.id, book.title, book.subtitle, book.organisation, book.marking) == (
        "handbook", "Field Guide", "How the field office works", "Example Office",
        "Copyright \u00a9 2026 Example Office")
    assert config.line_of("nav", 2, "children", 1) == 17


def test_every_key_handpress_does_not_use_is_one_located_warning() -> None:
    assert notes(load_config(FIXTURES / "mkdocs-nav")) == [
        "mkdocs.yml:33: info: the value tagged !!python/name:material.extensions.emoji.twemoji is left out: "
        "handpress runs no Python named in its configuration and reads paths from the project folder [mkdocs]",
        "mkdocs.yml:8: warning: theme 'material' is not used: handpress's own theme is the audited one (templates/ "
        "and styles/ still override it file by file); its settings (palette) are not read [mkdocs]",
        "mkdocs.yml:26: warning: extra_css is not used: handpress's theme is the audited one; put stylesheets in "
        "styles/ to override it by name [mkdocs]",
        "mkdocs.yml:28: warning: repo_url is not shown: handpress's theme has no repository link (override "
        "templates/ to add one) [mkdocs]",
        "mkdocs.yml:34: warning: markdown extension 'pymdownx.magiclink' is not supported: its syntax is shown as "
        "it is written [mkdocs]",
        "mkdocs.yml:36: warning: plugin 'search' is not used: handpress's site map, contents and whole-guide page "
        "take its place [mkdocs]",
    ]


def test_env_tags_are_read_as_mkdocs_reads_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HP_SITE_NAME", "From the environment")
    monkeypatch.delenv("HP_UNSET", raising=False)
    config = load_config(project(tmp_path, "site_name: !ENV HP_SITE_NAME\n"
                                           "site_description: !ENV [HP_UNSET, 'the default']\n"
                                           "site_url: !ENV HP_UNSET\n"))
    assert (config.title, config.description, config.base_url) == ("From the environment", "the default", "")


def test_other_tags_are_left_out_with_a_note(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, "site_name: Tags\nmarkdown_extensions:\n  - pymdownx.snippets:\n"
                                           "      base_path: !relative $config_dir\n"))
    assert notes(config) == ["mkdocs.yml:4: info: the value tagged !relative is left out: handpress runs no Python "
                             "named in its configuration and reads paths from the project folder [mkdocs]"]
    assert config.markdown.snippets == (".",)


def test_inherit_merges_mappings_and_locates_each_key_in_its_own_file(tmp_path: Path) -> None:
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "base.yml").write_text("site_name: Base\ntheme:\n  name: mkdocs\n  locale: fr\n"
                                                  "edit_uri: edit/main/\n", encoding="utf-8")
    config = load_config(project(tmp_path, "INHERIT: shared/base.yml\nsite_name: Child\ntheme:\n  palette: x\n"))
    assert (config.title, config.language) == ("Child", "fr")
    assert notes(config) == [
        "shared/base.yml:3: warning: theme 'mkdocs' is not used: handpress's own theme is the audited one "
        "(templates/ and styles/ still override it file by file); its settings (palette) are not read [mkdocs]",
        "shared/base.yml:5: warning: edit_uri is not used: handpress's pages have no edit link [mkdocs]",
    ]


@pytest.mark.parametrize("text, expected", [
    ("site_description: no name\n", ["mkdocs.yml: error: site_name is required: the title of the site"]),
    ("site_name: x\nsite_url: ftp://example.org\n", [
        "mkdocs.yml:2: error: 'site_url': base_url must be an absolute http(s) URL such as "
        "'https://example.org/guide/'"]),
    ("site_name: x\ntheme:\n  language: klingon\n", [
        "mkdocs.yml:3: error: 'theme.language': malformed language code 'klingon' (expected e.g. 'en', 'es', "
        "'pt-BR')"]),
    ("site_name: x\nnav:\n  - Home: index.md\n  - Bad: [1, 2]\n", [
        "mkdocs.yml:4: error: 'nav.1.Bad.0': should be a table of keys (found 1)",
        "mkdocs.yml:4: error: 'nav.1.Bad.1': should be a table of keys (found 2)"]),
    ("site_name: [x\n", ["mkdocs.yml:2: error: invalid YAML: while parsing a flow sequence expected ',' or ']', "
                         "but got '<stream end>'"]),
    ("- a list\n", ["mkdocs.yml:1: error: mkdocs.yml must be a mapping of keys to values (site_name: …)"]),
    ("INHERIT: missing.yml\nsite_name: x\n", ["mkdocs.yml:1: error: INHERIT: no file missing.yml (paths are "
                                              "relative to mkdocs.yml)"]),
])
def test_mistakes_are_located_errors(tmp_path: Path, text: str, expected: list[str]) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(project(tmp_path, text))
    assert [d.format() for d in caught.value.diagnostics] == expected


def test_theme_partials_and_templates_in_docs_are_not_published_as_mkdocs_leaves_them(tmp_path: Path) -> None:
    root = project(tmp_path, "site_name: x\ntheme:\n  name: material\n  custom_dir: docs/overrides\n")
    for name in ("overrides/partials/footer.html", "templates/page.html", "guide/templates/kept.html",
                 "guide/page.md"):
        (root / "docs" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / name).write_text("<p>{{ x }}</p>\n" if name.endswith(".html") else "# Page\n")
    config = load_config(root)
    published = [p.relative_to(root / "docs").as_posix() for p in content_files(root / "docs", config)]
    assert published == ["guide/page.md", "guide/templates/kept.html", "index.md"]


def test_static_i18n_languages_are_the_sites(tmp_path: Path) -> None:
    config = load_config(project(tmp_path, "site_name: x\nplugins:\n  - search\n  - i18n:\n"
                                           "      docs_structure: suffix\n      languages:\n"
                                           "        - locale: fr\n          name: Français\n"
                                           "        - locale: en\n          default: true\n          name: English\n"))
    assert (config.language, config.languages) == ("en", ("en", "fr"))


def test_a_project_with_both_files_uses_handpress_toml_and_says_so(tmp_path: Path) -> None:
    root = copy_fixture("basic", tmp_path)
    (root / "mkdocs.yml").write_text("site_name: Not this one\n", encoding="utf-8")
    config = load_config(root)
    assert config.title != "Not this one"
    assert notes(config) == ["mkdocs.yml: info: not read: this project's settings are in handpress.toml [mkdocs]"]
