"""Incremental builds: parsed fragments from the cache, and the key of everything each page's output
depends on, so that only what changed is rendered again.

A page's three variant files depend on its own document, on every page's front matter and title (the
navigation, the neighbours, the breadcrumbs, the links between pages), on the data files, the config,
the templates, the translations, the names of the styles, and handpress itself. Not on other pages'
bodies: the default theme never reads them. A project with its own templates/ might, so there every
page depends on every document (when unsure, invalidate more).
"""

from __future__ import annotations

import dataclasses
import importlib
import io
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Hashable, Iterable, Iterator, Mapping, Sequence, overload

import jinja2
import jinja2.bccache
from markdown_it.token import Token
from markupsafe import Markup

from handpress import digest
from handpress.build.cache import Entry, Record, Stat, Store, scan
from handpress.config import SiteConfig
from handpress.errors import BuildLocked
from handpress.site import markdown
from handpress.site.content import Content, Document
from handpress.site.markdown import Fragment
from handpress.site.model import Site
from handpress.site.render import VARIANTS
from handpress.urls import page_dir

# (all documents, those to parse) -> (outline, cache JSON) by source
Parse = Callable[[Sequence[Document], Sequence[Document]], dict[str, tuple[Fragment, str]]]
PageKey = tuple[str, str]  # (page key, language)


class DeferredTokens(Sequence[Token]):
    """The tokens of a fragment that came from the cache (or from a worker process): parsed from the
    document on first use. Parsing is deterministic, so they are the tokens the fragment was made from."""

    __slots__ = ("doc", "_tokens")

    def __init__(self, doc: Document):
        self.doc = doc
        self._tokens: tuple[Token, ...] | None = None

    def provide(self, tokens: Sequence[Token]) -> None:
        """The tokens, parsed elsewhere from the same document (by the worker holding this copy)."""
        if self._tokens is None:
            self._tokens = tuple(tokens)

    def _parsed(self) -> tuple[Token, ...]:
        if self._tokens is None:
            self._tokens = markdown.parse(self.doc).tokens
        return self._tokens

    @overload
    def __getitem__(self, index: int) -> Token: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Token]: ...
    def __getitem__(self, index: int | slice) -> Token | Sequence[Token]:
        return self._parsed()[index]

    def __len__(self) -> int:
        return len(self._parsed())

    def __iter__(self) -> Iterator[Token]:
        return iter(self._parsed())

    def __reduce__(self) -> tuple[Any, ...]:
        return (DeferredTokens, (self.doc,))  # never the parsed tokens: pickling them is slower than parsing

    def __repr__(self) -> str:
        return f"DeferredTokens({self.doc.source!r})"


def outline(fragment: Fragment, doc: Document) -> Fragment:
    """``fragment`` with its tokens deferred: cheap to store and to send to another process."""
    return dataclasses.replace(fragment, tokens=DeferredTokens(doc))  # type: ignore[arg-type]


# -- fragments in the cache ---------------------------------------------------------------------------

def document_key(doc: Document) -> str:
    """The digest of everything a document is (its path, front matter, body), with handpress's code."""
    cached = doc.__dict__.get("_handpress_key")
    if cached is None:  # kept on the (frozen) document: a build asks for it several times
        cached = digest.text(digest.code(), repr(doc))
        object.__setattr__(doc, "_handpress_key", cached)
    return cached


def encode(value: Any) -> str:
    """``value`` (handpress dataclasses, tuples, sets, dicts, Markup, plain values) as JSON."""
    return json.dumps(_encode(value), separators=(",", ":"))


def decode(text: str, kind: type) -> Any:
    """What :func:`encode` made, if it is a ``kind``; None if it is not (an older handpress's)."""
    try:
        value = _decode(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError, ImportError):
        return None
    return value if isinstance(value, kind) else None


def encode_fragment(fragment: Fragment) -> str:
    return encode(dataclasses.replace(fragment, tokens=()))


def decode_fragment(text: str, doc: Document) -> Fragment | None:
    """The fragment stored as ``text``, or None if it does not decode to one (an older handpress)."""
    value = decode(text, Fragment)
    if value is None or value.source != doc.source:
        return None
    return outline(value, doc)


def _encode(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        cls = type(value)
        return {"@": f"{cls.__module__}:{cls.__qualname__}",
                "f": {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, Markup):
        return {"m": str(value)}
    if isinstance(value, tuple):
        return {"t": [_encode(v) for v in value]}
    if isinstance(value, (set, frozenset)):
        return {"s": sorted(_encode(v) for v in value)}
    if isinstance(value, dict):
        return {"d": [[_encode(k), _encode(v)] for k, v in value.items()]}
    if isinstance(value, list):
        return [_encode(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"cannot store a {type(value).__name__} in the cache")


def _decode(value: Any) -> Any:
    if isinstance(value, list):
        return [_decode(v) for v in value]
    if not isinstance(value, dict):
        return value
    if "@" in value:
        return _class(value["@"])(**{k: _decode(v) for k, v in value["f"].items()})
    if "m" in value:
        return Markup(value["m"])
    if "t" in value:
        return tuple(_decode(v) for v in value["t"])
    if "s" in value:
        return frozenset(_decode(v) for v in value["s"])
    return {_decode(k): _decode(v) for k, v in value["d"]}


def _class(name: str) -> type:
    """Only handpress's own dataclasses are ever built from the cache."""
    module, _, qualname = name.partition(":")
    if module != "handpress" and not module.startswith("handpress."):
        raise ValueError(f"not a handpress class: {name}")
    cls: Any = importlib.import_module(module)
    for part in qualname.split("."):
        cls = getattr(cls, part)
    if not (isinstance(cls, type) and dataclasses.is_dataclass(cls)):
        raise ValueError(f"not a handpress dataclass: {name}")
    return cls


class Memo:
    """Objects the cache holds as JSON, by key. What a build adds, and which stored ones it uses, are
    written by :meth:`Store.save` only after the build succeeded."""

    def __init__(self, store: Store):
        self.store = store
        self.fresh: dict[str, str] = {}  # key -> JSON made by this build
        self.used: list[str] = []  # keys found in the cache

    def get(self, keys: Iterable[str]) -> dict[str, str]:
        found = self.store.objects(keys)
        self.used.extend(found)
        return found

    def put(self, key: str, value: Any, encoded: str | None = None) -> None:
        """Keep ``value`` under ``key``; ``encoded``: its :func:`encode`, if made already (by a worker)."""
        self.fresh[key] = encode(value) if encoded is None else encoded


class TemplateBytecode(jinja2.BytecodeCache):
    """Compiled templates, so that a new process does not compile them again. Kept in the user's cache
    folder (``$XDG_CACHE_HOME/handpress/templates``), not the project's: compiled code is only ever read
    from a folder the user's own builds wrote. Jinja checks each against its template's source. What a
    build compiles is written by :meth:`flush` after the build succeeded."""

    def __init__(self, folder: Path | None = None):
        self.folder = folder if folder is not None else _user_cache() / "templates"
        self.pending: dict[str, bytes] = {}

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            with open(self.folder / f"{bucket.key}.cache", "rb") as handle:
                bucket.load_bytecode(handle)
        except OSError:
            return

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        buffer = io.BytesIO()
        bucket.write_bytecode(buffer)
        self.pending[bucket.key] = buffer.getvalue()

    def flush(self) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            for key, data in self.pending.items():
                tmp = self.folder / f".{key}.{os.getpid()}.tmp"
                tmp.write_bytes(data)
                os.replace(tmp, self.folder / f"{key}.cache")
        except OSError:  # no cache folder: the next build compiles the templates again
            pass
        self.pending.clear()


def _user_cache() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "handpress"


class CachedParser:
    """A parse stage that takes unchanged documents' fragments from the cache and parses the rest with
    ``parse``."""

    def __init__(self, memo: Memo, parse: Parse):
        self.memo = memo
        self.parse = parse

    def __call__(self, config: SiteConfig, content: Content) -> dict[str, Fragment]:
        """Fragments by source, in document order."""
        keys = {doc.source: document_key(doc) for doc in content.documents}
        stored = self.memo.get(keys.values())
        found: dict[str, Fragment] = {}
        missing = []
        for doc in content.documents:
            text = stored.get(keys[doc.source])
            fragment = decode_fragment(text, doc) if text is not None else None
            if fragment is None:
                missing.append(doc)
            else:
                found[doc.source] = fragment
        fresh = self.parse(content.documents, missing) if missing else {}
        for source, (fragment, encoded) in fresh.items():
            self.memo.put(keys[source], fragment, encoded)
            found[source] = fragment
        return {doc.source: found[doc.source] for doc in content.documents}


# -- what each output depends on ----------------------------------------------------------------------

def theme_key(project: Path, config: SiteConfig, style_names: Sequence[str], options: str) -> str:
    """Templates, translations, style names, config and build options: what every page is rendered with."""
    return digest.text(
        digest.code(),
        options,
        digest.tree(project, ("templates", "locales")),
        digest.tree(digest.theme_root(), ("templates", "locales")),
        "\n".join(sorted(style_names)),
        config.model_dump_json(),
    )


def page_keys(site: Site, theme: str, shape: str, memo: dict[tuple[str, str, str, str], str] | None = None
              ) -> dict[PageKey, str]:
    """The key of each (page, language): equal keys, equal output files. ``shape``: :func:`site_shape`;
    ``memo``: keys made before, by what they are made of but the theme (kept from one theme)."""
    memo = {} if memo is None else memo
    found = {}
    for (key, lang), page in site.pages.items():
        parts = (shape, document_key(page.doc), key, lang)
        found[(key, lang)] = memo[parts] if parts in memo else memo.setdefault(parts, digest.text(theme, *parts))
    return found


def site_shape(site: Site, every_document: bool) -> str:
    """Everything about the site but its pages' bodies (unless ``every_document``)."""
    parts = [repr(site.keys), repr(sorted(site.by_base.items())), repr(site.handbooks),
             repr(sorted(site.data.items(), key=lambda item: repr(item[0])))]
    for (key, lang), page in site.pages.items():
        parts.append(repr((key, lang, page.content_lang, page.doc.source, _MetaRepr(page.doc), page.title,
                           page.summary, page.updated, page.depth, page.parent)))
        if every_document:
            parts.append(document_key(page.doc))
    return digest.text(*parts)


class _MetaRepr:
    """A document's front matter in a repr, made once per document (pydantic's repr is slow)."""

    __slots__ = ("doc",)

    def __init__(self, doc: Document):
        self.doc = doc

    def __repr__(self) -> str:
        cached = self.doc.__dict__.get("_handpress_meta")
        if cached is None:  # kept on the (frozen) document, as its key is
            cached = repr(self.doc.meta)
            object.__setattr__(self.doc, "_handpress_meta", cached)
        return cached


def page_files(site: Site, key: str, lang: str) -> list[str]:
    return [page_dir(key, lang, v.name, site.default_language) + "index.html" for v in VARIANTS]


def page_units(site: Site, theme: str, shape: str, memo: dict[tuple[str, str, str, str], str] | None = None
               ) -> dict[Hashable, Unit]:
    """Each (page, language) as a unit of work: its key and its three variant files (``memo``: :func:`page_keys`)."""
    keys = page_keys(site, theme, shape, memo)
    return {page: Unit(key, tuple(page_files(site, *page))) for page, key in keys.items()}


@dataclass(frozen=True)
class Unit:
    """Files made together (a page's three variants; a handbook's page and PDF) from one key."""

    key: str
    files: tuple[str, ...]


@dataclass(frozen=True)
class Plan:
    """What a build renders, and what it keeps from the previous out/."""

    keys: Mapping[str, str]  # every output file -> the key of what it holds
    render: tuple[Hashable, ...]  # the units to make again, in the order given
    kept: Mapping[str, Path]  # output file -> the previous out/'s file, unchanged
    stats: Mapping[str, Stat]  # the kept files' stat when planned
    copies: tuple[tuple[str, Path], ...]  # assets to copy (new or changed)


def plan(units: Mapping[Hashable, Unit], assets: Sequence[tuple[str, Path]], record: Record | None,
         out: Path) -> Plan:
    """Compare what each output file would hold now with what the last build's record says it holds.

    A unit is made again unless all its files in out/ are unchanged and were made from the same key.
    ``assets`` are (output path, source file) pairs, copied unless unchanged.
    """
    keys = {rel: unit.key for unit in units.values() for rel in unit.files}
    keys.update((rel, digest.file(path)) for rel, path in assets)
    unchanged = reusable(record, out, keys)
    render = tuple(name for name, unit in units.items() if not all(rel in unchanged for rel in unit.files))
    for name in render:
        for rel in units[name].files:
            unchanged.pop(rel, None)
    copies = tuple((rel, path) for rel, path in assets if rel not in unchanged)
    stats = {rel: record.manifest[rel].stat for rel in unchanged} if record is not None else {}
    return Plan(keys, render, unchanged, stats, copies)


def reusable(record: Record | None, out: Path, wanted: Mapping[str, str]) -> dict[str, Path]:
    """Files of the last build into ``out`` that hold what ``wanted`` (path -> key) asks for and were
    not touched since: they can be linked into the new tree instead of being rendered again."""
    if record is None or not out.is_dir():
        return {}
    current = scan(out)
    found = {}
    for rel, key in wanted.items():
        entry = record.manifest.get(rel)
        if entry is not None and entry.key == key and current.get(rel) == entry.stat:
            found[rel] = out / rel
    return found


def check_kept(plan: Plan, out: Path) -> None:
    """Under the build lock: the files to keep are still the ones planned (no other build swapped out/
    in the meantime)."""
    for rel, path in plan.kept.items():
        try:
            st = path.stat()
            same = (st.st_size, st.st_mtime_ns, st.st_ino) == plan.stats[rel]
        except OSError:
            same = False
        if not same:
            raise BuildLocked.at(str(out), None, "another handpress build changed this folder while this one "
                                 "was running; build again")


def manifest(out: Path, plan: Plan, written: Iterable[str]) -> dict[str, Entry]:
    """What the build just wrote into ``out``: each file's key and stat. Kept files are hard links to
    the files planned (checked under the lock), so their stat is the one planned; the others are read."""
    found = {rel: Entry(plan.keys[rel], stat) for rel, stat in plan.stats.items()}
    for rel in written:
        st = (out / rel).stat()
        found[rel] = Entry(plan.keys.get(rel, ""), (st.st_size, st.st_mtime_ns, st.st_ino))
    return found
