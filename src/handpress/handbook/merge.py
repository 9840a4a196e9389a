"""One tagged PDF from the PDFs of a book's parts (:mod:`handpress.handbook.parts`), with pikepdf.

Concatenating pages is not enough: each part has its own structure tree, outline, named
destinations, and links to the other parts written as ``handpress-xref:<id>`` URIs. The merge makes
what one WeasyPrint call would have made:

- one structure tree: the first part's Document element takes the other parts' top-level elements
  as children; each part's ``StructParents``/``StructParent`` keys and its ParentTree entries move
  past the previous parts', and ``ParentTreeNextKey`` is set; RoleMap and ClassMap are merged;
- one outline, the parts' outlines in order, each item landing where it did;
- one name tree of destinations (and of embedded files), links to other parts made in-document
  links to those names (``/Dest``, as WeasyPrint writes its own);
- the catalogue's language, viewer preferences, MarkInfo and metadata (XMP and /Info) of the first
  part (every part carries the book's).

The result is saved with a content-derived /ID, so the same parts give the same bytes.
"""

from __future__ import annotations

import contextlib
import io
import warnings
from typing import Any, Sequence
from urllib.parse import unquote

import pikepdf
from pikepdf import Array, Dictionary, Name, NameTree, OutlineItem, String

from handpress.handbook.numbers import SCHEME

_CATALOG_OWN = {"/Type", "/Pages", "/Outlines", "/StructTreeRoot", "/Names", "/Dests"}


def merge(parts: Sequence[bytes], levels: Sequence[Sequence[int]] = ()) -> bytes:
    """The PDF of the parts' pages in order, tagged and navigable as one document (see the module).
    ``levels``: for each part, the bookmark levels of its top bookmarks (level 1 where not given): a
    chapter of a part of the book that starts a layout part goes under the part's bookmark."""
    with contextlib.ExitStack() as stack:
        sources = [stack.enter_context(pikepdf.open(io.BytesIO(data))) for data in parts]
        return _merge(sources, levels)


def _merge(sources: list[pikepdf.Pdf], levels: Sequence[Sequence[int]]) -> bytes:
    out = pikepdf.new()
    first = sources[0]
    document: Any = None  # the merged Document structure element
    kids: list[Any] = []  # built as Python lists: growing a pikepdf Array one item at a time is quadratic
    nums: list[Any] = []
    role_map, class_map = Dictionary(), Dictionary()
    names: dict[str, list[tuple[str, Any]]] = {}
    outline = _Outline()
    next_key = 0
    for n, source in enumerate(sources):
        start = len(out.pages)
        with warnings.catch_warnings():  # "does not preserve named destinations": rebuilt below
            warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
            out.pages.extend(source.pages)
        pages = {page.objgen: out.pages[start + i].obj for i, page in enumerate(source.pages)}
        tree = source.Root.StructTreeRoot
        keys = _renumber(out, start, len(source.pages), next_key)
        parent_tree = out.copy_foreign(tree.ParentTree) if tree.ParentTree.is_indirect else tree.ParentTree
        top = out.copy_foreign(tree.K[0] if isinstance(tree.K, Array) else tree.K)
        if document is None:
            document = top
        else:
            for kid in _items(top.K):
                if isinstance(kid, Dictionary):
                    kid.P = document
                kids.append(kid)
        climbed: set[tuple[int, int]] = set()
        for key, value in _number_tree(parent_tree):
            nums.extend([key + next_key, _substitute(value, top, document)])
            if top is not document:
                _adopt(value, top, document, climbed)
        next_key += keys
        for mapping, merged in (("/RoleMap", role_map), ("/ClassMap", class_map)):
            if mapping in tree:
                for key, value in out.copy_foreign(tree[mapping]).items() if tree[mapping].is_indirect \
                        else tree[mapping].items():
                    merged.setdefault(key, value)
        if "/Names" in source.Root:
            for kind, node in source.Root.Names.items():
                for name, value in NameTree(node).items():
                    names.setdefault(kind, []).append((name, _localise(out, value, pages)))
        with source.open_outline() as found:
            given = levels[n] if n < len(levels) else ()
            for i, item in enumerate(found.root):
                outline.add(_copy_outline(item, pages), given[i] if i < len(given) else 1)
    document.K = Array([*_items(document.K), *kids])
    root = out.make_indirect(Dictionary(Type=Name.StructTreeRoot, K=Array([document]),
                                        ParentTree=out.make_indirect(Dictionary(Nums=Array(nums))),
                                        ParentTreeNextKey=next_key))
    document.P = root
    if role_map:
        root.RoleMap = role_map
    if class_map:
        root.ClassMap = class_map
    out.Root.StructTreeRoot = root
    for key, value in first.Root.items():
        if key not in _CATALOG_OWN:
            out.Root[key] = out.copy_foreign(value) if value.is_indirect else _localise(out, value, {})
    if names:
        out.Root.Names = Dictionary()
        for kind, entries in names.items():
            tree = NameTree.new(out)
            for name, value in entries:
                if name not in tree:
                    tree[name] = value
            out.Root.Names[kind] = tree.obj
    _link_parts(out)
    with out.open_outline() as merged:
        merged.root.extend(outline.root)
    out.docinfo = out.copy_foreign(first.docinfo)
    buffer = io.BytesIO()
    # The /ID from the content, the XMP as WeasyPrint wrote it: the same parts give the same bytes.
    out.save(buffer, deterministic_id=True, fix_metadata_version=False,
             min_version=max(source.pdf_version for source in sources),
             object_stream_mode=pikepdf.ObjectStreamMode.generate)
    return buffer.getvalue()


def _items(value: Any) -> list[Any]:
    """A /K value as a list (one kid may stand alone, without an array)."""
    return list(value) if isinstance(value, Array) else [value]


def _renumber(out: pikepdf.Pdf, start: int, count: int, offset: int) -> int:
    """Move the StructParents of a part's pages and StructParent of their annotations by ``offset``;
    returns how many keys the part uses."""
    used = 0
    for page in out.pages[start:start + count]:
        if "/StructParents" in page.obj:
            used = max(used, int(page.obj.StructParents) + 1)
            page.obj.StructParents = int(page.obj.StructParents) + offset
        for annot in page.obj.get("/Annots", ()):
            if "/StructParent" in annot:
                used = max(used, int(annot.StructParent) + 1)
                annot.StructParent = int(annot.StructParent) + offset
    return used


def _number_tree(node: Any) -> list[tuple[int, Any]]:
    found = [(int(node.Nums[i]), node.Nums[i + 1]) for i in range(0, len(node.Nums), 2)] if "/Nums" in node else []
    for kid in node.get("/Kids", ()):
        found.extend(_number_tree(kid))
    return found


def _substitute(value: Any, old: Any, new: Any) -> Any:
    """A ParentTree value with a part's own Document element replaced by the merged one."""
    if isinstance(value, Array):
        return Array([new if item.is_indirect and item.objgen == old.objgen else item for item in value])
    return new if value.is_indirect and value.objgen == old.objgen else value


def _adopt(value: Any, old: Any, new: Any, climbed: set[tuple[int, int]]) -> None:
    """Elements of a part whose parent is the part's own Document element get the merged one, including
    those the Document's /K does not list (WeasyPrint 70 leaves some running-head elements out)."""
    for element in value if isinstance(value, Array) else [value]:
        while isinstance(element, Dictionary) and element.objgen not in climbed and "/P" in element:
            climbed.add(element.objgen)
            if element.P.objgen == old.objgen:
                element.P = new
                break
            element = element.P


def _localise(out: pikepdf.Pdf, value: Any, pages: dict[tuple[int, int], Any]) -> Any:
    """A (direct) value of a part made part of ``out``: page references to the copied pages."""
    if isinstance(value, pikepdf.Object) and value.is_indirect:
        return pages.get(value.objgen) or out.copy_foreign(value)
    if isinstance(value, Array):
        return Array([_localise(out, item, pages) for item in value])
    if isinstance(value, Dictionary):
        return Dictionary({key: _localise(out, item, pages) for key, item in value.items()})
    return value


class _Outline:
    """The merged outline, built a part's top bookmarks at a time: each goes under the last bookmark
    of a lower level. Below a top bookmark, levels are counted down its last children (in a part,
    chapter titles nest a level under their part's title, so that count is right where it matters)."""

    def __init__(self) -> None:
        self.root: list[OutlineItem] = []
        self._open: list[tuple[int, OutlineItem]] = []  # the last bookmark of each level, top first

    def add(self, item: OutlineItem, level: int) -> None:
        while self._open and self._open[-1][0] >= level:
            self._open.pop()
        (self._open[-1][1].children if self._open else self.root).append(item)
        while True:
            self._open.append((level, item))
            if not item.children:
                return
            item, level = item.children[-1], level + 1


def _copy_outline(item: OutlineItem, pages: dict[tuple[int, int], Any]) -> OutlineItem:
    dest = item.destination
    copy = OutlineItem(str(item.title))
    if isinstance(dest, Array):
        copy.destination = Array([pages[dest[0].objgen], *list(dest)[1:]])
    else:
        copy.destination = dest
    copy.is_closed = item.is_closed
    copy.children.extend(_copy_outline(child, pages) for child in item.children)
    return copy


def _link_parts(out: pikepdf.Pdf) -> None:
    """Links to another part (``handpress-xref:<id>`` URIs) become links to the destination ``<id>``."""
    for page in out.pages:
        for annot in page.obj.get("/Annots", ()):
            action = annot.get("/A")
            if action is not None and action.get("/S") == Name.URI and str(action.URI).startswith(SCHEME):
                name = unquote(str(action.URI)[len(SCHEME):])
                del annot["/A"]
                annot.Dest = String(name)
                annot.Contents = String(name)
