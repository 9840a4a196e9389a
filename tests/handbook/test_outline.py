"""The outline of a handbook: nav sections and folders as parts, the contents as a tree, the numbers a
run of chapters laid out on its own starts from, and the levels of its top bookmarks."""

from __future__ import annotations

from dataclasses import dataclass

from handpress.handbook import outline


@dataclass(frozen=True)
class Ch:
    name: str
    depth: int


def names(entries) -> list:
    return [(e.chapter.name, names(e.children)) if e.children else e.chapter.name for e in entries]


BOOK = [Ch("home", 0), Ch("guide", 0), Ch("install", 1), Ch("advanced", 1), Ch("plugins", 2), Ch("faq", 0)]


def test_contents_nest_each_chapter_under_the_part_before_it() -> None:
    assert names(outline.contents(BOOK)) == ["home", ("guide", ["install", ("advanced", ["plugins"])]), "faq"]
    assert names(outline.contents([])) == []


def test_a_chapter_with_chapters_under_it_opens_a_part() -> None:
    depths = [c.depth for c in BOOK]
    assert [outline.opens_part(depths, i) for i in range(len(BOOK))] == [False, True, False, True, False, False]


def test_numbers_before_a_run_count_chapters_and_top_parts_apart() -> None:
    # home=chapter 1, guide=Part 1, install=chapter 2, advanced=a part in a part (no number), plugins=chapter 3
    assert [outline.counted_before(BOOK, n) for n in range(len(BOOK) + 1)] == [
        (0, 0), (1, 0), (1, 1), (2, 1), (2, 1), (3, 1), (4, 1)]


def test_top_bookmarks_of_a_run_are_the_titles_no_shallower_chapter_holds() -> None:
    assert outline.root_levels([0, 1, 0]) == [1, 1]
    assert outline.root_levels([1, 2, 1, 0, 1]) == [2, 2, 1]
    assert outline.root_levels([2, 2, 1]) == [3, 3, 2]
    assert outline.root_levels([]) == []


def test_merged_bookmarks_go_under_the_part_a_layout_run_began_in() -> None:
    from pikepdf import OutlineItem

    from handpress.handbook.merge import _Outline

    def item(title: str, *children: OutlineItem) -> OutlineItem:
        made = OutlineItem(title)
        made.children.extend(children)
        return made

    merged = _Outline()
    merged.add(item("Contents"), 1)  # the front matter
    merged.add(item("Guide", item("Why"), item("Install", item("Steps"))), 1)  # a run: Guide (a part) …
    merged.add(item("Advanced", item("Plugins")), 2)  # … the next run starts in it
    merged.add(item("Hooks"), 3)  # … and the next in its part Advanced
    merged.add(item("FAQ"), 1)

    def tree(items) -> list:
        return [(i.title, tree(i.children)) if i.children else i.title for i in items]

    assert tree(merged.root) == ["Contents", ("Guide", ["Why", ("Install", ["Steps"]),
                                                        ("Advanced", ["Plugins", "Hooks"])]), "FAQ"]
