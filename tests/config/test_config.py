"""handpress.toml: the schema, every problem at once with its line, "did you mean", plain words."""

from __future__ import annotations

from pathlib import Path

import pytest

from handpress.config import languages_only, load_config, parse_config
from handpress.errors import ConfigError


def problems(text: str) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text)
    return [d.format() for d in caught.value.diagnostics]


def test_a_minimal_config() -> None:
    config = parse_config('title = "Guide"\nlanguages = ["es", "en"]\nbase_url = "https://example.org/g"\n')
    assert (config.title, config.language, config.languages, config.base_url, config.trusted_html) == (
        "Guide", "en", ("en", "es"), "https://example.org/g/", False)


@pytest.mark.parametrize("text, expected", [
    ('title = "x"\ntitle = "y"\n', ["handpress.toml:2: error: invalid TOML: Cannot overwrite a value"]),
    ('title = "x\n', ["handpress.toml:1: error: invalid TOML: Illegal character '\\n'"]),
    ("title = 'x'\n[audit\n", ["handpress.toml:2: error: invalid TOML: Expected ']' at the end of a table "
                              "declaration"]),
    ("", ["handpress.toml: error: missing required key 'title'"]),
    ('title = ""\n', ["handpress.toml:1: error: 'title': string should have at least 1 character (found '')"]),
    ('title = 3\n', ["handpress.toml:1: error: 'title': should be text in quotes (found 3)"]),
    ('title = "x"\nlanguages = "en"\n', ["handpress.toml:2: error: 'languages': should be a list, e.g. "
                                         "[\"a\", \"b\"] (found 'en')"]),
    ('title = "x"\ntrusted_html = "maybe"\n', ["handpress.toml:2: error: 'trusted_html': should be true or false "
                                               "(found 'maybe')"]),
    ('title = "x"\nlanguage = "english"\n', ["handpress.toml:2: error: 'language': malformed language code "
                                             "'english' (expected e.g. 'en', 'es', 'pt-BR')"]),
    ('title = "x"\nlanguages = ["en", "qq"]\n', ["handpress.toml:2: error: 'languages': unknown language code "
                                                 "'qq'"]),
    ('title = "x"\nbase_url = "javascript:alert(1)"\n', ["handpress.toml:2: error: 'base_url': base_url must be an "
                                                         "absolute http(s) URL such as 'https://example.org/guide/'"]),
    ('title = "x"\n\n[audit]\nconcurency = 2\nrunners = ["wave"]\n', [
        "handpress.toml:4: error: unknown key 'audit.concurency' (did you mean 'concurrency'?)",
        "handpress.toml:5: error: 'audit.runners.0': input should be 'htmlcs' or 'axe' (found 'wave')",
    ]),
    ('title = "x"\n\n[[handbooks]]\nid = "a"\ntitle = "A"\n\n[[handbooks]]\nid = "Bad Id"\ntitle = "B"\n'
     'papr = "A4"\n', [
         "handpress.toml:8: error: 'handbooks.1.id': string should match pattern '^[a-z0-9][a-z0-9_-]*$' "
         "(found 'Bad Id')",
         "handpress.toml:10: error: unknown key 'handbooks.1.papr' (did you mean 'paper'?)",
     ]),
    ('title = "x"\n\n[[handbooks]]\nid = "a"\ntitle = "A"\n\n[[handbooks]]\nid = "a"\ntitle = "B"\n',
     ["handpress.toml:8: error: handbook id 'a' is declared twice"]),
    ('title = "x"\nlanguages = ["en", "es"]\n\n[[handbooks]]\nid = "a"\ntitle = "A"\nlanguages = ["en", "fr"]\n',
     ["handpress.toml:7: error: handbook 'a' names language 'fr', which is not in languages"]),
    ('title = "x"\nlanguages = ["en", "es"]\n\n[[handbooks]]\nid = "a"\ntitle = "A"\nlanguages = ["en"]\n\n'
     '[handbooks.translations.es]\ntitle = "B"\n',
     ["handpress.toml:9: error: handbook 'a' has a translation for 'es', which it is not published in"]),
    ('title = "x"\nlanguages = ["en", "es"]\n\n[[handbooks]]\nid = "a"\ntitle = "A"\n\n[handbooks.translations.es]\n'
     'titel = "B"\n',
     ["handpress.toml:9: error: unknown key 'handbooks.0.translations.es.titel' (did you mean 'title'?)"]),
    ('title = "x"\n\nfeedbak = "mailto:a@example.org"\n', [
        "handpress.toml:3: error: unknown key 'feedbak' (did you mean 'feedback'?)"]),
    ('title = "x"\nfeedback = "editor@example.org"\n', [
        "handpress.toml:2: error: 'feedback': an e-mail address needs 'mailto:' (did you mean "
        "'mailto:editor@example.org'?)"]),
    ('title = "x"\nfeedback = "mailto:nobody"\n', [
        "handpress.toml:2: error: 'feedback': 'mailto:nobody' is not a mailto: address such as "
        "'mailto:editor@example.org'"]),
    ('title = "x"\nfeedback = "javascript:alert(1)"\n', [
        "handpress.toml:2: error: 'feedback': should be a mailto: address or an http(s) URL, such as "
        "'mailto:editor@example.org' or 'https://example.org/contact/'"]),
    ('title = "x"\nfeedback = "https://"\n', [
        "handpress.toml:2: error: 'feedback': 'https://' is not an absolute URL such as 'https://example.org/contact/'"]),
    ('title = "x"\nzzz = 1\nsite_title = "y"\n', [
        "handpress.toml:2: error: unknown key 'zzz'",
        "handpress.toml:3: error: unknown key 'site_title' (did you mean 'title'?)",
    ]),
])
def test_every_problem_with_its_line(text: str, expected: list[str]) -> None:
    assert problems(text) == expected


@pytest.mark.parametrize("address", ["mailto:editor@example.org", "mailto:a@example.org,b@example.org?subject=Guide",
                                     "https://example.org/contact/", "http://example.org"])
def test_feedback_is_a_mailto_address_or_a_web_page(address: str) -> None:
    assert parse_config(f'title = "x"\nfeedback = "{address}"\n').feedback == address
    assert parse_config('title = "x"\n').feedback == ""


def test_line_of_finds_keys_in_arrays_of_tables() -> None:
    config = parse_config('title = "x"\n\n[[handbooks]]\nid = "a"\ntitle = "A"\n\n[[handbooks]]\nid = "b"\n'
                          'title = "B"\npages = ["x/"]\n\n[audit]\nstandard = "WCAG2A"\n')
    assert config.line_of("handbooks", 1, "pages") == 10
    assert config.line_of("handbooks", 0, "title") == 5
    assert config.line_of("audit", "standard") == 13
    assert config.line_of("title") == 1


def test_load_config_reads_utf8_with_or_without_a_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "handpress.toml").write_bytes('title = "Café"\n'.encode())
    assert load_config(tmp_path).title == "Café"
    (tmp_path / "handpress.toml").write_bytes('title = "Café"\n'.encode("utf-8-sig"))
    assert load_config(tmp_path).title == "Café"


def test_languages_survive_a_broken_config_so_content_can_still_be_checked(tmp_path: Path) -> None:
    (tmp_path / "handpress.toml").write_text('titel = "x"\nlanguages = ["en", "es"]\n')
    assert languages_only(tmp_path).languages == ("en", "es")  # type: ignore[union-attr]
    (tmp_path / "handpress.toml").write_text('title = "x"\nlanguages = ["en", "qq"]\n')
    assert languages_only(tmp_path) is None
    (tmp_path / "handpress.toml").write_text('title = "x\n')
    assert languages_only(tmp_path) is None
