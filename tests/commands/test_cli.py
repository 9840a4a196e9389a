"""Every malformed input: exit 1, a message naming the file and line, no traceback, out/ untouched."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from handpress.build.writer import MARKER, MARKER_TEXT
from handpress.commands.cli import cli

from conftest import copy_fixture

SYNTAX_ERROR = ("templates/page.html:5: error: template syntax error: Encountered unknown tag 'endblock'. You "
                "probably made a nesting mistake. Jinja is expecting this tag, but currently looking for 'elif' or "
                "'else' or 'endif'. The innermost block that needs to be closed is 'if'. [template]")

CASES = {
    "bad-yaml": [
        "content/about.md:4: error: invalid YAML: while parsing a flow sequence (from line 3) did not find "
        "expected ',' or ']'",
    ],
    "bad-toml": [
        "handpress.toml:4: error: invalid TOML: Unclosed array",
    ],
    "bad-type": [
        "handpress.toml:5: error: 'audit.concurrency': should be a whole number (found 'two')",
    ],
    "bad-type-front-matter": [
        "content/news.md:3: error: front matter 'order': should be a whole number (found 'first')",
        "content/news.md:4: error: front matter 'draft': should be true or false (found 'perhaps')",
        "2 errors; nothing was written.",
    ],
    "bad-unknown-key": [
        "handpress.toml: error: missing required key 'title'",
        "handpress.toml:1: error: unknown key 'titel' (did you mean 'title'?)",
        "handpress.toml:5: error: unknown key 'audit.standart' (did you mean 'standard'?)",
        "handpress.toml:10: error: unknown key 'handbooks.0.paper_size' (did you mean 'paper'?)",
        "4 errors; nothing was written.",
    ],
    "bad-encoding": [
        "content/cafe.md:2: error: file is not valid UTF-8 text (save it as UTF-8)",
    ],
    "bad-empty": [
        "content/empty.md:1: error: file is empty (write a '# Heading' and some text, or delete it)",
    ],
    "bad-language": [
        "handpress.toml:3: error: 'languages': unknown language code 'xx'",
    ],
    "bad-language-front-matter": [
        "content/about.md:3: error: language 'fr' is not one of the configured languages (en, es)",
        "content/news.fr.md: error: file name names language 'fr', which is not in handpress.toml languages "
        "(en, es); add it there or rename the file",
        "2 errors; nothing was written.",
    ],
    "bad-handbook": [
        "handpress.toml:10: error: handbook 'offices' names 'offices/', which matches no page in content/ "
        "[handbook-page]",
        "handpress.toml:10: error: handbook 'offices' names 'offices/lima.md', which matches no page in content/ "
        "[handbook-page]",
        "2 errors; nothing was written.",
    ],
    "bad-template-syntax": [SYNTAX_ERROR],
    "bad-template-undefined": [
        "templates/page.html:5: error: undefined name in template: 'handpress.site.model.Page object' has no attribute "
        "'owner_name' (while rendering content/index.md) [template]",
    ],
    "bad-many": [
        "content/broken.md:3: error: invalid YAML: while scanning a quoted scalar (from line 2) found unexpected "
        "end of stream",
        "content/fine.md:3: error: image 'missing.png' has no alt text: describe it in ![…](…), or mark a purely "
        "decorative image with ![](…){.decorative} [image-alt]",
        "handpress.toml:3: error: 'base_url': base_url must be an absolute http(s) URL such as "
        "'https://example.org/guide/'",
        "templates/page.html:2: error: template syntax error: Encountered unknown tag 'endfor'. Jinja was looking "
        "for the following tags: 'endblock'. The innermost block that needs to be closed is 'block'. [template]",
        "4 errors; nothing was written.",
    ],
}


def tree_hash(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a hash of its bytes (folders: '<dir>')."""
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
            for p in sorted(root.rglob("*"))}


def previous_out(project: Path) -> Path:
    """An out/ from an earlier build, which a failed build must leave byte for byte."""
    out = project / "out"
    (out / "about").mkdir(parents=True)
    (out / MARKER).write_text(MARKER_TEXT)  # handpress wrote it: a build may replace it, a failed one must not
    (project / ".out.lock").touch()  # the lock file every build leaves beside its output
    (out / "index.html").write_bytes(b"<!DOCTYPE html><title>Earlier build</title>\n")
    (out / "about" / "index.html").write_bytes("<p>caf\u00e9</p>\n".encode())
    return out


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_fails_with_located_messages_and_leaves_out_alone(name: str, tmp_path: Path) -> None:
    project = copy_fixture(name, tmp_path)
    out = previous_out(project)
    before = tree_hash(project)
    result = run("build", "--project", str(project))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == CASES[name]
    assert "Traceback" not in result.output
    assert tree_hash(project) == before  # out/ byte for byte, and no staging folder left behind
    assert out.is_dir()


@pytest.mark.parametrize("name", ["bad-yaml", "bad-template-syntax", "bad-template-undefined", "bad-many"])
def test_check_reports_the_same_problems_without_writing(name: str, tmp_path: Path) -> None:
    project = copy_fixture(name, tmp_path)
    before = tree_hash(project)
    result = run("check", "--project", str(project))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == CASES[name]
    assert tree_hash(project) == before


def test_project_folder_that_does_not_exist(tmp_path: Path) -> None:
    missing = (tmp_path / "no-such-project").resolve()
    result = run("build", "--project", str(missing))
    assert result.exit_code == 1
    assert result.stderr == f"{missing}: error: project folder does not exist\n"
    assert not missing.exists()


def test_project_without_config(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    result = run("check", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == (f"handpress.toml: error: no handpress.toml in {tmp_path.resolve()} "
                             "(create one with: title = \"My guide\")\n")


def test_empty_config_file(tmp_path: Path) -> None:
    (tmp_path / "handpress.toml").write_text("")
    (tmp_path / "content").mkdir()
    result = run("check", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == "handpress.toml: error: missing required key 'title'\n"


def test_config_that_is_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "handpress.toml").write_bytes(b'title = "Guide"\norganisation = "Soci\xe9t\xe9"\n')
    result = run("check", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == "handpress.toml:2: error: file is not valid UTF-8 text\n"


def test_project_without_content_folder(tmp_path: Path) -> None:
    (tmp_path / "handpress.toml").write_text('title = "Guide"\n')
    result = run("check", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == "content: error: no content/ folder in the project\n"


def test_page_naming_a_template_that_does_not_exist(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "handpress.toml").write_text('title = "Guide"\n')
    (tmp_path / "content" / "index.md").write_text("---\ntitle: Home\ntemplate: colection.html\n---\nText.\n")
    result = run("build", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == ("content/index.md:3: error: template 'colection.html' not found in templates/ or the "
                             "default theme [missing-template]\n")
    assert not (tmp_path / "out").exists()


def test_warnings_pass_but_strict_makes_them_errors(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "handpress.toml").write_text('title = "Guide"\n')
    (tmp_path / "content" / "index.md").write_text("# Home\n\n#### Too deep\n")
    warning = "content/index.md:3: warning: heading level skips from h1 to h4; use h2 [heading-skip]"
    result = run("check", "--project", str(tmp_path))
    assert (result.exit_code, result.stderr.splitlines()) == (0, [warning])
    assert result.stdout == "Checked 1 pages: no errors, 1 warnings, 0 notes.\n"
    strict = run("check", "--strict", "--project", str(tmp_path))
    assert (strict.exit_code, strict.stderr.splitlines()) == (1, [warning.replace("warning:", "error:")])
    built = run("build", "--strict", "--project", str(tmp_path))
    assert (built.exit_code, built.stderr.splitlines()) == (1, [warning.replace("warning:", "error:")])
    assert not (tmp_path / "out").exists()


def test_errors_are_shown_with_the_warnings_of_the_same_build(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "handpress.toml").write_text('title = "Guide"\n')
    (tmp_path / "content" / "index.md").write_text("# Home\n\n#### Too deep\n\n[Gone](gone.md)\n")
    result = run("build", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "content/index.md:3: warning: heading level skips from h1 to h4; use h2 [heading-skip]",
        "content/index.md:5: error: link to 'gone.md': no page content/gone.md [missing-page]",
    ]


def test_a_template_that_fails_while_rendering_is_named_by_file_and_line(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "templates").mkdir()
    (tmp_path / "handpress.toml").write_text('title = "Guide"\n')
    (tmp_path / "content" / "index.md").write_text("# Home\n")
    (tmp_path / "templates" / "page.html").write_text(
        '{% extends "base/page.html" %}\n{% block content %}\n\n<p>{{ page.title + 1 }}</p>\n{% endblock %}\n')
    result = run("build", "--project", str(tmp_path))
    assert result.exit_code == 1
    assert result.stderr == ("templates/page.html:4: error: template error: can only concatenate str (not \"int\") "
                             "to str (while rendering content/index.md) [template]\n")
