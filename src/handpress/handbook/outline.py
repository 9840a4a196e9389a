"""A handbook's outline: the sections of the site's navigation (nav sections, folders with an index page)
as parts of the book, the chapters under them, and the nested contents. Pure, no I/O.

A page is a chapter at the depth of its ancestors that are in the book too (the home page, the whole
site's parent, is no part). A chapter with chapters under it opens a part: its title is the part's, its
own words come first. Headings step down with the depth (a part's title is an ``h2``, its chapters' ``h3``),
to :data:`DEEPEST` levels of parts; deeper pages stay at that depth.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, Sequence, TypeVar

from handpress.site.model import HOME, Site

DEEPEST = 3  # parts within parts within parts; a chapter's title is an h5 at most, its sections h6


def depths(site: Site, keys: Sequence[str]) -> dict[str, int]:
    """How many of its ancestors each page of ``keys`` has in the book (``keys`` in reading order)."""
    chosen = set(keys)
    return {key: min(sum(1 for a in site.ancestors(key) if a != HOME and a in chosen), DEEPEST) if key != HOME
            else 0 for key in keys}


def places(site: Site, keys: tuple[str, ...]) -> dict[str, tuple[int, bool]]:
    """Each page of the book ``keys``: (its depth, whether it opens a part); made once per book, kept
    with the site (a book's chapters are rendered a page at a time)."""
    made: dict[tuple[str, ...], dict[str, tuple[int, bool]]] = site.__dict__.setdefault("_book_places", {})
    if keys not in made:
        depth = depths(site, keys)
        order = [depth[key] for key in keys]
        made[keys] = {key: (depth[key], opens_part(order, i)) for i, key in enumerate(keys)}
    return made[keys]


class _Placed(Protocol):
    @property
    def depth(self) -> int: ...


T = TypeVar("T", bound=_Placed)


@dataclass(frozen=True)
class Entry(Generic[T]):
    """A chapter in the contents, with the chapters of its part under it."""

    chapter: T
    children: tuple["Entry[T]", ...] = ()


def contents(chapters: Sequence[T]) -> tuple[Entry[T], ...]:
    """The chapters as a tree: each under the nearest chapter before it that is less deep."""
    def grow(start: int, depth: int) -> tuple[list[Entry[T]], int]:
        found: list[Entry[T]] = []
        i = start
        while i < len(chapters) and chapters[i].depth >= depth:
            children, after = grow(i + 1, chapters[i].depth + 1)
            found.append(Entry(chapters[i], tuple(children)))
            i = after
        return found, i

    top, _ = grow(0, 0)
    return tuple(top)


def opens_part(depth_of: Sequence[int], i: int) -> bool:
    """Whether the ``i``-th chapter has chapters under it (the next one is deeper)."""
    return i + 1 < len(depth_of) and depth_of[i + 1] > depth_of[i]


def counted_before(chapters: Sequence[T], stop: int) -> tuple[int, int]:
    """(chapters, top-level parts) numbered before the ``stop``-th: a chapter that opens a part has no
    chapter number; a part at the top has a part number."""
    numbered = parts = 0
    depth_of = [c.depth for c in chapters]
    for i in range(stop):
        if opens_part(depth_of, i):
            parts += depth_of[i] == 0
        else:
            numbered += 1
    return numbered, parts


def root_levels(depth_of: Sequence[int]) -> list[int]:
    """The bookmark levels of the top bookmarks of a run of chapters laid out on its own (their depths
    ``depth_of``): each chapter's title is a bookmark at level 1 + depth, and the top ones are the titles
    no shallower chapter before them in the run holds."""
    found: list[int] = []
    for depth in depth_of:
        if not found or 1 + depth <= min(found):
            found.append(1 + depth)
    return found
