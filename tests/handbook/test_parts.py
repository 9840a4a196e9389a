"""The parallel PDF path (handbook parts laid out at once, merged): the same book as one WeasyPrint call.

A small corpus of the benchmark's kind (12 chapters with tables, figures, footnotes, cross-references;
about 37 pages) is made both ways, and the merged PDF is checked against the single-call one and on
its own: pages, printed numbers, contents, "(see page N)", bookmarks, links, the structure tree,
metadata, fonts, PDF/UA-1, and rebuilds. The fixture handbook (en, ar) is made both ways too.
"""

from __future__ import annotations

import importlib.util
import multiprocessing
import re
import subprocess
from pathlib import Path

import page as pdfcheck
import pikepdf
import pytest

from handpress import theme
from handpress.build.pipeline import prepare
from handpress.handbook import document as handbook
from handpress.handbook import parts as pdfparts
from handpress.handbook import pdf as handbookpdf
from handpress.i18n import catalogs as i18n

from conftest import REPO, assert_fonts_embedded_and_subset, copy_fixture


def _corpus_module():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def make(project: Path, lang: str, parallel: bool, calls: list[int] | None = None) -> bytes:
    site = prepare(project).site
    words = i18n.load_translations(project, lang)
    env = theme.environment(project, words)
    if calls is None:
        (_, data), diagnostics = handbookpdf.handbook_pdf(site, site.handbooks[0], lang, project, env, words,
                                                       parallel=parallel)
    else:
        with pytest.MonkeyPatch.context() as patch:
            real = pdfparts.render_parts
            patch.setattr(pdfparts, "render_parts", lambda htmls, *a, **k: calls.append(len(htmls)) or real(htmls, *a, **k))
            (_, data), diagnostics = handbookpdf.handbook_pdf(site, site.handbooks[0], lang, project, env, words,
                                                           parallel=parallel)
    assert diagnostics == ()
    return data


@pytest.fixture(scope="module")
def books(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("parallel")
    project = _corpus_module().generate(root / "corpus", 12)
    calls: list[int] = []
    found = {"project": project, "calls": calls}
    for name, parallel in (("single", False), ("merged", True)):
        path = root / f"{name}.pdf"
        path.write_bytes(make(project, "en", parallel, calls if parallel else None))
        found[name] = path
    return found


def page_texts(path: Path, layout: bool = False) -> list[str]:
    args = ["pdftotext", "-enc", "UTF-8"] + (["-layout"] if layout else []) + [str(path), "-"]
    return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\f")[:-1]


def squash(text: str) -> str:
    """Words only: soft hyphens, leader dots and the figure spaces that pad a filled-in number go."""
    return " ".join(re.sub(r"\.{3,}", " … ", text.replace("\u00ad", "")).split())


def outline(path: Path) -> list[tuple[int, str, int]]:
    found = []
    with pikepdf.open(path) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        with doc.open_outline() as tree:
            def walk(items, depth):
                for item in items:
                    found.append((depth, str(item.title), pages[item.destination[0].objgen]))
                    walk(item.children, depth + 1)
            walk(tree.root, 1)
    return found


def links(path: Path) -> list[tuple[int, str, int]]:
    """(page index, destination name, page index it lands on) of every in-document link."""
    found = []
    with pikepdf.open(path) as doc:
        pages = {p.objgen: i for i, p in enumerate(doc.pages)}
        dests = pikepdf.NameTree(doc.Root.Names.Dests)
        for index, page in enumerate(doc.pages):
            for annot in page.obj.get("/Annots", ()):
                if "/Dest" in annot:
                    name = str(annot.Dest)
                    found.append((index, name, pages[dests[name][0].objgen]))
    return found


def test_the_parallel_path_made_the_book_in_parts(books) -> None:
    assert books["calls"] and books["calls"][0] >= 3  # the front matter and at least two runs of chapters
    assert multiprocessing.active_children() == []  # every part's process has ended


def test_same_pages_and_same_text_as_one_call(books) -> None:
    single, merged = page_texts(books["single"]), page_texts(books["merged"])
    assert len(single) == len(merged) > 30
    for n, (one, other) in enumerate(zip(single, merged), start=1):
        assert squash(one) == squash(other), n


def test_every_page_prints_its_own_number_and_the_total(books) -> None:
    texts = page_texts(books["merged"])
    total = len(texts)
    assert not re.search(r"Page \d+ of", texts[0])  # the cover
    for n, text in enumerate(texts[1:], start=2):
        assert re.findall(r"Page (\d+) of (\d+)", text) == [(str(n), str(total))], n


def test_contents_name_the_page_of_each_heading(books) -> None:
    texts = page_texts(books["merged"], layout=True)
    entries = [(squash(title), int(number)) for page in texts[1:4]
               for title, number in re.findall(r"^\s*(\S.*?) ?\.{3,}[\s\u2007]*(\d+)$", page, flags=re.M)]
    single = [(squash(title), int(number)) for page in page_texts(books["single"], layout=True)[1:4]
              for title, number in re.findall(r"^\s*(\S.*?) ?\.{3,}[\s\u2007]*(\d+)$", page, flags=re.M)]
    assert len(entries) > 40 and entries == single
    plain = page_texts(books["merged"])
    for title, number in entries:
        assert title in squash(plain[number - 1]), (title, number)


def test_see_page_numbers_are_those_of_one_call(books) -> None:
    def numbers(path: Path) -> list[str]:
        return re.findall(r"\(see page (\d+)\)", squash(" ".join(page_texts(path))))

    found = numbers(books["merged"])
    assert len(found) >= 20 and found == numbers(books["single"])
    # Both ways some references point into another part (the home page is in the first).
    assert len(set(found)) > 2


def words_placed(path: Path) -> list[list[tuple[str, float, float]]]:
    """Per page, each word (leader dots left out) with where it starts, from ``pdftotext -bbox``."""
    import lxml.etree

    done = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True)
    tree = lxml.etree.fromstring(done.stdout, lxml.etree.XMLParser(recover=True))
    return [[((w.text or "").strip("."), round(float(w.get("xMin")), 1), round(float(w.get("yMin")), 1))
             for w in page.iter("{*}word") if (w.text or "").strip(".")]
            for page in tree.iter("{*}page")]


def test_a_shorter_number_leaves_no_gap(books) -> None:
    """Placeholders of two digits, numbers of one (pages 1–9): the lines close up around each number, so
    every word stands where one WeasyPrint call, which knew the numbers, put it ("see page 4", not
    "see page  4"); the contents' numbers stay flush with their leaders' end."""
    text = " ".join(page_texts(books["merged"]))
    assert "\u2007" not in text
    references = re.findall(r"\(see page[^)]*\)", " ".join(text.split()))
    assert references and all(re.fullmatch(r"\(see page \d+\)", r) for r in references)
    assert any(re.fullmatch(r"\(see page \d\)", r) for r in references)  # one digit in a two-digit book
    merged, single = words_placed(books["merged"]), words_placed(books["single"])
    assert len(merged) == len(single)
    for n, (one, other) in enumerate(zip(merged, single), start=1):
        assert one == other, n


def test_bookmarks_are_the_same_and_land_on_their_headings(books) -> None:
    marks = outline(books["merged"])
    assert marks == outline(books["single"])
    assert {depth for depth, _, _ in marks} == {1, 2, 3, 4}  # parts (the corpus's folders), chapters, their ## and ###
    texts = page_texts(books["merged"])
    for _, title, index in marks:
        assert title in squash(texts[index]), (title, index)


def test_links_land_where_one_call_lands_them(books) -> None:
    merged = links(books["merged"])
    assert len(merged) > 100 and merged == links(books["single"])
    with pikepdf.open(books["merged"]) as doc:
        uris = [str(a.A.URI) for p in doc.pages for a in p.obj.get("/Annots", ()) if "/A" in a and "/URI" in a.A]
    assert not [u for u in uris if u.startswith("handpress-xref:")]


def test_one_structure_tree_that_resolves(books) -> None:
    with pikepdf.open(books["merged"]) as doc:
        root = doc.Root.StructTreeRoot
        assert len(root.K) == 1 and root.K[0].S == "/Document"
        nums = root.ParentTree.Nums
        keys = [int(nums[i]) for i in range(0, len(nums), 2)]
        assert len(keys) == len(set(keys)) and int(root.ParentTreeNextKey) == max(keys) + 1
        table = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
        page_ids = {p.objgen for p in doc.pages}
        for page in doc.pages:
            assert int(page.obj.StructParents) in table
            for annot in page.obj.get("/Annots", ()):
                element = table[int(annot.StructParent)]
                assert element.S == "/Link" and any(
                    isinstance(k, pikepdf.Dictionary) and k.get("/Obj") is not None and k.Obj.objgen == annot.objgen
                    for k in element.K)
        seen, figures, stack = set(), [], [root.K[0]]
        while stack:  # every element reachable once, its parent the one holding it, its page a page
            element = stack.pop()
            assert element.objgen not in seen
            seen.add(element.objgen)
            if "/Pg" in element:
                assert element.Pg.objgen in page_ids
            if element.get("/S") == "/Figure":
                figures.append(element)
            kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
            for kid in kids:
                if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") != "/OBJR" and "/S" in kid:
                    assert kid.P.objgen == element.objgen
                    stack.append(kid)
        # Every element with content leads up to the one Document and the one root (WeasyPrint 70 itself
        # leaves some running-head elements out of their parent's /K, so reachability is checked upwards).
        document = root.K[0].objgen
        for elements in table.values():
            for element in elements if isinstance(elements, pikepdf.Array) else [elements]:
                while element.get("/S") != "/Document":
                    element = element.P
                assert element.objgen == document and element.P.objgen == root.objgen
        with pikepdf.open(books["single"]) as single:
            expected = len([o for o in single.objects if isinstance(o, pikepdf.Dictionary) and o.get("/S") == "/Figure"])
        assert len(figures) == expected > 10 and all(str(f.get("/Alt", "")).startswith("Chart of") for f in figures)


def test_catalogue_and_metadata_as_one_call(books) -> None:
    with pikepdf.open(books["merged"]) as merged, pikepdf.open(books["single"]) as single:
        assert str(merged.Root.Lang) == "en"
        assert merged.Root.MarkInfo.Marked is True
        assert merged.Root.ViewerPreferences.DisplayDocTitle is True
        assert dict(merged.docinfo.items()).keys() == dict(single.docinfo.items()).keys()
        for key in single.docinfo.keys():
            assert str(merged.docinfo[key]) == str(single.docinfo[key]), key
        assert str(merged.docinfo.Title) == "Benchmark handbook"
        assert merged.Root.Metadata.read_bytes() == single.Root.Metadata.read_bytes()
        with merged.open_metadata() as xmp:
            assert xmp["dc:title"] == "Benchmark handbook" and xmp["pdfuaid:part"] == "1"


def test_fonts_embedded_and_subset(books) -> None:
    assert_fonts_embedded_and_subset(books["merged"])


def test_pdf_ua_1_compliant(books) -> None:
    report = pdfcheck.validate_pdf(str(books["merged"]), profile="ua1")
    assert report.is_compliant, [(f.rule_id, f.message) for f in report.failures]


def test_rebuild_is_byte_identical(books) -> None:
    assert make(books["project"], "en", True) == books["merged"].read_bytes()


def test_placeholders_too_narrow_are_widened(books) -> None:
    """An estimate of 1 page gives one-digit placeholders; the book has two-digit numbers: laid out again."""
    site = prepare(books["project"]).site
    words = i18n.load_translations(books["project"], "en")
    env = theme.environment(books["project"], words)
    doc = handbook.build_document(site, site.handbooks[0], "en", handbook.pdf_target(site, books["project"], "en"),
                                  words, books["project"])
    htmls = [handbook.render_document(env, part) for part in handbookpdf.part_documents(doc, 2)]
    options = dict(base_url=(books["project"] / "content").as_uri() + "/",
                   allowed_roots=(books["project"], theme.theme_dir("styles")), title=doc.title, lang="en",
                   author=doc.author, subject=doc.description, keywords=doc.keywords, created=doc.created,
                   modified=doc.modified, label="pdf/book.en.pdf")
    result = pdfparts.render_parts(htmls, options, 1)
    assert result is not None and result.pages == len(page_texts(books["single"]))
    out = books["single"].parent / "widened.pdf"
    out.write_bytes(result.data)
    assert [squash(t) for t in page_texts(out)] == [squash(t) for t in page_texts(books["single"])]


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_placeholders_too_wide_close_up_both_ways(tmp_path: Path, lang: str) -> None:
    """An estimate of 500 pages gives three-digit placeholders; the fixture book has one-digit numbers:
    every line closes up around them, left to right and right to left, as one call lays them out."""
    project = copy_fixture("handbook", tmp_path)
    single = tmp_path / "single.pdf"
    single.write_bytes(make(project, lang, False))
    site = prepare(project).site
    words = i18n.load_translations(project, lang)
    env = theme.environment(project, words)
    doc = handbook.build_document(site, site.handbooks[0], lang, handbook.pdf_target(site, project, lang),
                                  words, project)
    htmls = [handbook.render_document(env, part) for part in handbookpdf.part_documents(doc, 2)]
    options = dict(base_url=(project / "content").as_uri() + "/",
                   allowed_roots=(project, theme.theme_dir("styles")), title=doc.title, lang=lang,
                   author=doc.author, subject=doc.description, keywords=doc.keywords, created=doc.created,
                   modified=doc.modified, label=f"pdf/book.{lang}.pdf")
    result = pdfparts.render_parts(htmls, options, 500)
    assert result is not None
    merged = tmp_path / "merged.pdf"
    merged.write_bytes(result.data)
    assert re.search(r"\d", " ".join(page_texts(merged)[1]))  # the contents show their numbers
    assert words_placed(merged) == words_placed(single)


def test_parts_are_contiguous_balanced_and_number_on(books) -> None:
    site = prepare(books["project"]).site
    words = i18n.load_translations(books["project"], "en")
    doc = handbook.build_document(site, site.handbooks[0], "en", handbook.pdf_target(site, books["project"], "en"),
                                  words, books["project"])
    parts = handbookpdf.part_documents(doc, 3)
    assert parts[0].part == handbook.Part(front=True)
    runs = [(p.part.start, p.part.stop) for p in parts[1:]]
    assert runs[0][0] == 0 and runs[-1][1] == len(doc.chapters)
    assert all(a[1] == b[0] and a[0] < a[1] for a, b in zip(runs, runs[1:]))
    assert [p.part.footnotes for p in parts[1:]] == [2 * max(0, start - 1) for start, _ in runs]  # two a page, none at home


def test_small_books_stay_on_one_call(tmp_path: Path) -> None:
    project = copy_fixture("handbook", tmp_path)
    calls: list[int] = []
    make(project, "en", None, calls)  # type: ignore[arg-type]
    assert calls == []


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_fixture_handbook_both_ways(tmp_path: Path, lang: str) -> None:
    project = copy_fixture("handbook", tmp_path)
    single, merged = tmp_path / "single.pdf", tmp_path / "merged.pdf"
    single.write_bytes(make(project, lang, False))
    merged.write_bytes(make(project, lang, True))
    assert [squash(t) for t in page_texts(merged)] == [squash(t) for t in page_texts(single)]
    assert words_placed(merged) == words_placed(single)  # right to left too, lines closed up the right way
    assert outline(merged) == outline(single)
    assert links(merged) == links(single)
    with pikepdf.open(merged) as doc:
        assert str(doc.Root.Lang) == lang
    assert pdfcheck.validate_pdf(str(merged), profile="ua1").is_compliant


def test_a_number_that_cannot_fit_falls_back_to_one_call(books, monkeypatch: pytest.MonkeyPatch) -> None:
    """A placeholder narrower than the numbers (here of full stops) would push a line's end out: no part
    may print a number laid out for a narrower one, so the book is made by one WeasyPrint call instead."""
    from handpress.handbook import numbers as pdfnumbers

    monkeypatch.setattr(pdfnumbers, "PLACEHOLDER_DIGIT", ".")
    calls: list[int] = []
    assert make(books["project"], "en", True, calls) == books["single"].read_bytes()
    assert calls and calls[0] >= 3


def test_no_more_parts_lay_out_at_once_than_slots_and_the_book_is_the_same(
        books, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Five parts on two slots: each part's start and report are logged (by the forked processes); never
    more than two between their start and their report, and the PDF is byte for byte the one of all at once."""
    project = books["project"]
    site = prepare(project).site
    words = i18n.load_translations(project, "en")
    env = theme.environment(project, words)
    doc = handbook.build_document(site, site.handbooks[0], "en", handbook.pdf_target(site, project, "en"),
                                  words, project)
    htmls = [handbook.render_document(env, part) for part in handbookpdf.part_documents(doc, 4)]
    options = dict(base_url=(project / "content").as_uri() + "/",
                   allowed_roots=(project, theme.theme_dir("styles")), title=doc.title, lang="en",
                   author=doc.author, subject=doc.description, keywords=doc.keywords, created=doc.created,
                   modified=doc.modified, label="pdf/book.en.pdf")
    log = tmp_path / "log"
    real_part, real_measured = pdfparts._part, pdfparts._PipeNumbering.measured

    def part(*args):
        with log.open("a") as file:
            file.write("start\n")
        real_part(*args)

    def measured(self, *args):
        with log.open("a") as file:
            file.write("measured\n")
        return real_measured(self, *args)

    monkeypatch.setattr(pdfparts, "_part", part)
    monkeypatch.setattr(pdfparts._PipeNumbering, "measured", measured)
    two = pdfparts.render_parts(htmls, options, 40, slots=2)
    events = log.read_text().split()
    everyone = pdfparts.render_parts(htmls, options, 40, slots=len(htmls))
    assert events.count("start") == events.count("measured") == len(htmls) == 5
    busy = [sum(1 if e == "start" else -1 for e in events[: n + 1]) for n in range(len(events))]
    assert max(busy) == 2
    assert two is not None and everyone is not None and two.data == everyone.data
    assert multiprocessing.active_children() == []
