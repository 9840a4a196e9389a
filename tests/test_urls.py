"""Relative URLs between a site's pages: the same as posixpath.relpath gives, for any two paths."""

from __future__ import annotations

import itertools
import posixpath

from handpress import urls


def test_relative_paths_are_posixpaths_for_every_shape_of_path() -> None:
    parts = ["a", "b", "x.css", "", ".", "..", "a b"]
    paths = {"/".join(combo) for n in range(3) for combo in itertools.product(parts, repeat=n)}
    for to_path, from_dir in itertools.product(sorted(paths), repeat=2):
        if to_path or from_dir:
            assert urls._relpath(to_path, from_dir) == posixpath.relpath("/" + to_path, "/" + from_dir)


def test_relative_urls_between_pages() -> None:
    assert urls.relative("es/text/about/", "es/text/") == "../"
    assert urls.relative("about/team/", "assets/site.css") == "../../assets/site.css"
    assert urls.relative("about/", "about/") == "./"
    assert urls.relative("", "") == "./"
    assert urls.relative("a/", "a/b c/") == "b%20c/"
