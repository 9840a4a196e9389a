"""Paths written in content (relative, from the site's root, folders) and raw HTML rewritten tag by tag."""

from __future__ import annotations

import pytest

from handpress.site.references import Ref, is_remote, resolve, rewrite, start_tag


@pytest.mark.parametrize(("href", "ref"), [
    ("other.md#a", Ref("guide/other.md", "a")),
    ("../index.md", Ref("index.md")),
    ("#here", Ref("guide/page.md", "here")),
    ("/guide/other.md#b", Ref("guide/other.md", "b")),  # from content/
    ("/img/x.png", Ref(None, asset="img/x.png")),
    ("tutorial/#install", Ref("guide/tutorial/index.md", "install")),  # a folder: its index page
    ("../tutorial/", Ref("tutorial/index.md")),
    ("./", Ref("guide/index.md")),
    ("..", Ref("index.md")),
    ("/", Ref("index.md")),
    ("files/r%C3%A9sum%C3%A9.pdf?x=1#page=2", Ref(None, asset="guide/files/résumé.pdf", suffix="?x=1#page=2")),
    ("../../x.md", Ref("../x.md")),  # outside content/: the checks say so
])
def test_paths_resolve_against_the_page_folder_or_content(href: str, ref: Ref) -> None:
    assert resolve(href, "guide", "guide/page.md") == ref


@pytest.mark.parametrize("href", ["https://example.org/x.png", "//cdn.example.org/x.png", "mailto:a@example.org",
                                  "", "http://[bad"])
def test_addresses_elsewhere_are_not_resolved(href: str) -> None:
    assert resolve(href, "guide", "guide/page.md") is None


def test_remote_means_another_server() -> None:
    assert is_remote("https://example.org/a.png") and is_remote("//cdn.example.org/a.png")
    assert not is_remote("/img/a.png") and not is_remote("a.png") and not is_remote("data:image/png;base64,xx")


def test_rewrite_changes_only_the_tags_asked_for_and_keeps_everything_else() -> None:
    html = '<div class="x">\n  <img  src="a.png"\n alt="A &amp; B"> text <IMG src=b.png alt=\'\'>\n<br/></div>'

    def change(name: str, attrs: list[tuple[str, str | None]]) -> str | None:
        if name != "img":
            return None
        return start_tag(name, [(k, "new/" + v if k == "src" and v else v) for k, v in attrs])

    assert rewrite(html, change) == ('<div class="x">\n  <img src="new/a.png" alt="A &amp; B"> text '
                                     '<img src="new/b.png" alt="">\n<br/></div>')
    assert rewrite("no tags at all", change) == "no tags at all"


def test_start_tag_escapes_values_and_keeps_bare_attributes() -> None:
    assert start_tag("details", [("open", None), ("title", '"<&>"')]) == '<details open title="&#34;&lt;&amp;&gt;&#34;">'
