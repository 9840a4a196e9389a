"""Machine-translation drafts through a hook: the hook contract, and what ``handpress translate`` does.

The hook
--------
``[translate] hook = "package.module:function"`` in handpress.toml names a callable (importable from
the Python path or from the project folder) that follows :class:`Hook`::

    def translate(batch: handpress.i18n.translate.Batch) -> Sequence[str]:
        return [my_engine(s.text, batch.source_language, batch.target_language) for s in batch.segments]

It receives one :class:`Batch` at a time (one per page, one for the interface strings) and returns
one translation per segment, in order. Language codes are BCP 47 (``en``, ``es``, ``pt-BR``).
Segment texts contain placeholders ``<x id="N"/>`` (a link target, a code span, a ``%(name)s``
variable, an HTML tag…): every placeholder must come back exactly once, anywhere in the sentence.
``Segment.markdown`` says whether the text is Markdown inline text (``*emphasis*`` and ``\\``
escapes may appear; soft line breaks ``\\n`` may be kept or dropped) or plain text. The hook is the
only code that may reach the network; handpress never does. If it raises, the error names it and
nothing is written. ``handpress.i18n.pseudo:translate`` is the offline example.

The drafts
----------
Every page without a file in the target language gets ``page.<lang>.md``: title, summary and body
translated block by block (see :mod:`handpress.i18n.segments`), ``machine_translated: true`` in its front
matter, and each heading keeping its source anchor as ``{#id}``. Interface strings with no
translation in the theme's or the project's catalog become *fuzzy* entries in the project's
``locales/<lang>/LC_MESSAGES/messages.po`` (gettext leaves fuzzy entries out of the build until a
person reviews them and removes the flag). An existing file or a non-empty catalog entry is never
overwritten.
"""

from __future__ import annotations

import dataclasses
import importlib
import re
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Protocol, Sequence

import yaml
from babel.messages.catalog import PYTHON_FORMAT, Catalog, Message

from handpress.config import CONFIG_NAME, SiteConfig, load_config
from handpress.errors import Diagnostic, HandpressError
from handpress.i18n import catalogs as i18n
from handpress.i18n import segments
from handpress.site import markdown
from handpress.site.content import Document, load_content, split_front_matter

HOOK_PATTERN = re.compile(r"^[A-Za-z_][\w.]*:[A-Za-z_]\w*$")
_MARKUP = re.compile(r"<[^>]*>|&(?:#\d+|#x[0-9a-fA-F]+|[A-Za-z]\w*);")


# --- the contract ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Segment:
    """One piece of text to translate."""

    id: str  # where it comes from: "content/about.md:12", "content/about.md:title", "ui:Next"
    text: str  # with placeholders <x id="N"/>
    markdown: bool = False  # True: Markdown inline text; False: plain text


@dataclass(frozen=True)
class Batch:
    """What a hook receives: segments in one source language, to translate into one target language."""

    source_language: str
    target_language: str
    segments: tuple[Segment, ...]


class Hook(Protocol):
    def __call__(self, batch: Batch, /) -> Sequence[str]: ...


@dataclass(frozen=True)
class NamedHook:
    """A loaded hook and where it was named (for messages)."""

    spec: str
    function: Hook
    named_in: str = CONFIG_NAME

    def error(self, message: str) -> HandpressError:
        return HandpressError.at(self.named_in, None, f"translation hook '{self.spec}' {message}")

    def __call__(self, batch: Batch) -> list[str]:
        """Run the hook on one batch; whatever goes wrong is reported with the hook's name."""
        if not batch.segments:
            return []
        try:
            result = self.function(batch)
        except Exception as exc:  # the boundary with user code: every failure is reported, named
            raise self.error(f"failed: {type(exc).__name__}: {exc}") from None
        if isinstance(result, (str, bytes)) or not isinstance(result, Sequence):
            raise self.error(f"returned {type(result).__name__}; expected a list of {len(batch.segments)} strings")
        if len(result) != len(batch.segments):
            raise self.error(f"returned {len(result)} translations for {len(batch.segments)} segments")
        wrong = next((i for i, text in enumerate(result) if not isinstance(text, str)), None)
        if wrong is not None:
            raise self.error(f"returned {type(result[wrong]).__name__} for segment '{batch.segments[wrong].id}'; "
                             "expected a string")
        return list(result)


# handpress's own modules that hooks were documented under before the package was grouped by stage
MOVED_MODULES = {"handpress.pseudo": "handpress.i18n.pseudo", "handpress.translate": "handpress.i18n.translate"}


def load_hook(spec: str, project: Path, named_in: str = CONFIG_NAME) -> NamedHook:
    """Import ``package.module:function``, looking in the project folder as well as the Python path."""
    if not HOOK_PATTERN.match(spec):
        raise HandpressError.at(named_in, None,
                                f"translation hook '{spec}' is not in the form 'package.module:function'")
    module_name, _, name = spec.partition(":")
    module_name = MOVED_MODULES.get(module_name, module_name)
    with _importable(project):
        try:
            module = importlib.import_module(module_name)
        except Exception as exc:  # user code runs on import; any failure is reported, named
            raise HandpressError.at(named_in, None, f"translation hook '{spec}' cannot be imported: "
                                    f"{type(exc).__name__}: {exc}") from None
    function = getattr(module, name, None)
    if function is None:
        raise HandpressError.at(named_in, None, f"translation hook '{spec}': module '{module_name}' has no "
                                f"attribute '{name}'")
    if not callable(function):
        raise HandpressError.at(named_in, None, f"translation hook '{spec}' is not callable")
    return NamedHook(spec, function, named_in)


@contextmanager
def _importable(project: Path) -> Iterator[None]:
    entry = str(project.resolve())
    added = entry not in sys.path
    if added:
        sys.path.insert(0, entry)
    try:
        yield
    finally:
        if added and entry in sys.path:
            sys.path.remove(entry)


# --- one document ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentWork:
    """A document cut into segments, and how to put their translations back."""

    doc: Document
    blocks: tuple[segments.Block, ...]
    segments: tuple[Segment, ...]
    anchors: dict[int, str]  # block line -> the heading's id in the source, to keep
    diagnostics: tuple[Diagnostic, ...]

    def batch(self, target: str) -> Batch:
        return Batch(self.doc.lang, target, self.segments)

    def finish(self, answers: Sequence[str]) -> tuple[str | None, str | None, str, tuple[Diagnostic, ...]]:
        """(title, summary, body, warnings) from the hook's answers to :meth:`batch`."""
        answers = list(answers)
        meta = self.doc.meta
        title = answers.pop(0).strip() if meta.title else None
        summary = answers.pop(0).strip() if meta.summary else None
        placed = []
        found = list(self.diagnostics)
        for block, answer in zip(self.blocks, answers):
            text = segments.restore(answer, block.originals)
            if text is None:
                found.append(Diagnostic(self.doc.source, self.doc.body_line + block.line, "warning",
                                        "the translation lost or repeated a placeholder (a link target, code or "
                                        "markup); this block was left in the source language", "translate-placeholder"))
                continue
            anchor = self.anchors.get(block.line)
            placed.append((block, text.rstrip() + (f" {{#{anchor}}}" if anchor else "")))
        return title, summary, segments.apply(self.doc.body, placed), tuple(found)


def document_work(doc: Document) -> DocumentWork:
    found_blocks, unplaced = segments.blocks(doc.body)
    heading_ids = {h.line - doc.body_line: h.id for h in markdown.parse(doc).headings}
    anchors = {b.line: heading_ids[b.line] for b in found_blocks
               if b.line in heading_ids and not (b.originals and b.originals[-1].rstrip().endswith("}")
                                                 and b.text.endswith(segments.placeholder(len(b.originals) - 1)))}
    items: list[Segment] = []
    if doc.meta.title:
        items.append(Segment(f"{doc.source}:title", doc.meta.title))
    if doc.meta.summary:
        items.append(Segment(f"{doc.source}:summary", doc.meta.summary))
    items += [Segment(f"{doc.source}:{doc.body_line + b.line}", b.text, markdown=True) for b in found_blocks]
    problems = tuple(Diagnostic(doc.source, doc.body_line + u.line, "warning",
                                "could not find this block's text on its source lines; it was left as it is",
                                "translate-unplaced") for u in unplaced)
    return DocumentWork(doc, found_blocks, tuple(items), anchors, problems)


def translated_document(doc: Document, hook: Callable[[Batch], Sequence[str]], target: str) -> Document:
    """The document with its title, summary and body translated (in memory; for the pseudo build)."""
    work = document_work(doc)
    title, summary, body, _ = work.finish(hook(work.batch(target)))
    update = {k: v for k, v in (("title", title), ("summary", summary)) if v is not None}
    return dataclasses.replace(doc, meta=doc.meta.model_copy(update=update), body=body)


# --- interface strings ----------------------------------------------------------------------------


def ui_segment(msgid: str) -> tuple[str, tuple[str, ...]]:
    """A msgid as segment text: ``%(name)s`` variables, HTML tags and entities become placeholders."""
    spans = sorted([m.span() for m in PYTHON_FORMAT.finditer(msgid)] + [m.span() for m in _MARKUP.finditer(msgid)])
    pieces, originals, pos = [], [], 0
    for start, end in spans:
        if start < pos:
            continue
        pieces += [msgid[pos:start], segments.placeholder(len(originals))]
        originals.append(msgid[start:end])
        pos = end
    pieces.append(msgid[pos:])
    return "".join(pieces), tuple(originals)


def ui_forms(message: Message) -> tuple[str, ...]:
    """The source texts of a message: (singular,) or (singular, plural)."""
    return tuple(message.id) if isinstance(message.id, tuple) else (str(message.id),)


# --- handpress translate ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    source: str  # project-relative
    target: str  # project-relative path of the new file
    text: str
    segments: int


@dataclass(frozen=True)
class Plan:
    """Everything ``handpress translate`` would write; the hook has already run for all of it."""

    project: Path
    language: str
    hook: str
    drafts: tuple[Draft, ...]
    catalog: Catalog | None  # the project's catalog with the new fuzzy entries
    catalog_path: Path
    entries: int
    diagnostics: tuple[Diagnostic, ...]


def plan(project: Path, target: str, hook_spec: str | None = None) -> Plan:
    """Run the hook over every untranslated page and interface string; write nothing."""
    project = project.resolve()
    config = load_config(project)
    _check_target(config, target)
    spec, named_in = (hook_spec, "--hook") if hook_spec else (config.translate.hook, CONFIG_NAME)
    if not spec:
        raise HandpressError.at(CONFIG_NAME, None, "no translation hook: set [translate] hook = "
                                "\"package.module:function\" (or try --hook handpress.i18n.pseudo:translate)")
    hook = load_hook(spec, project, named_in)
    content = load_content(project, config, drafts=True)
    have = {(d.key, d.lang) for d in content.documents}
    drafts: list[Draft] = []
    found: list[Diagnostic] = []
    for doc in content.documents:
        if doc.lang != config.default_language or (doc.key, target) in have:
            continue
        path = _draft_path(doc, target)
        if (project / path).exists():
            continue
        work = document_work(doc)
        title, summary, body, problems = work.finish(hook(work.batch(target)))
        found += problems
        text = _draft_text(project, doc, title, summary, body)
        if segments.structure(body) != segments.structure(doc.body):
            found.append(Diagnostic(path, None, "warning", "the draft's Markdown structure differs from its "
                                    f"source's ({doc.source}); check its lists, tables and headings",
                                    "translate-structure"))
        drafts.append(Draft(doc.source, path, text, len(work.segments)))
    catalog, entries, problems = _ui_entries(project, config, target, hook)
    found += problems
    return Plan(project, target, spec, tuple(drafts), catalog,
                i18n.catalog_path(project / i18n.LOCALES, target), entries, tuple(found))


def write(plan: Plan) -> list[str]:
    """Write the drafts (never over an existing file) and the catalog; returns what was written."""
    written = []
    for draft in plan.drafts:
        path = plan.project / draft.target
        try:
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(draft.text)
        except FileExistsError:
            raise HandpressError.at(draft.target, None, "appeared while translating; it was left as it is") from None
        written.append(draft.target)
    if plan.catalog is not None and plan.entries:
        i18n.write_catalog(plan.catalog_path, plan.catalog)
        written.append(i18n.display_path(plan.project, plan.catalog_path))
    return written


def _check_target(config: SiteConfig, target: str) -> None:
    if target not in config.languages:
        raise HandpressError.at(CONFIG_NAME, None, f"'{target}' is not one of the configured languages "
                                f"({', '.join(config.languages)}); add it to languages first")
    if target == config.default_language:
        raise HandpressError.at(CONFIG_NAME, None, f"'{target}' is the default language, which pages are "
                                "written in; choose another one")


def _draft_path(doc: Document, target: str) -> str:
    return doc.source.removesuffix(".md") + f".{target}.md"


def _draft_text(project: Path, doc: Document, title: str | None, summary: str | None, body: str) -> str:
    original = (project / doc.source).read_text(encoding="utf-8-sig")
    meta, _, _ = split_front_matter(original, doc.source)
    meta = {str(k): v for k, v in meta.items() if k != "lang"}  # the file name says the language
    if title is not None:
        meta["title"] = title
    if summary is not None:
        meta["summary"] = summary
    meta["machine_translated"] = True
    head = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, default_flow_style=False, width=100)
    return f"---\n{head}---\n{body}"


def _ui_entries(project: Path, config: SiteConfig, target: str,
                hook: NamedHook) -> tuple[Catalog | None, int, list[Diagnostic]]:
    if not i18n.needs_catalog(target):
        return None, 0, []
    template = i18n.extract(project)
    done = i18n.translated_ids(project, target)
    path = i18n.catalog_path(project / i18n.LOCALES, target)
    shown = i18n.display_path(project, path)
    catalog = (i18n.read_catalog(path, target, shown) if path.is_file()
               else Catalog(locale=target.replace("-", "_"), domain=i18n.DOMAIN, project=config.title, fuzzy=False))
    wanted = []
    for message in template:
        if not message.id or ui_forms(message)[0] in done:
            continue
        own = catalog.get(message.id, message.context)
        if own is not None and any(own.string if isinstance(own.string, tuple) else (own.string,)):
            continue  # a person's work, fuzzy or not, is never replaced
        wanted.append(message)
    texts = [ui_segment(form) for message in wanted for form in ui_forms(message)]
    items = tuple(Segment(f"ui:{t}", text) for (text, _), t in
                  zip(texts, (f for m in wanted for f in ui_forms(m))))
    answers = iter(hook(Batch(i18n.SOURCE_LANGUAGE, target, items)))
    found: list[Diagnostic] = []
    added = 0
    plurals = catalog.num_plurals
    for message, forms in ((m, ui_forms(m)) for m in wanted):
        restored = [segments.restore(next(answers), ui_segment(form)[1]) for form in forms]
        if any(r is None for r in restored):
            found.append(Diagnostic(shown, None, "warning", f"the translation of {forms[0]!r} lost or repeated a "
                                    "placeholder; it was left out", "translate-placeholder"))
            continue
        texts_done = [str(r) for r in restored]
        string: str | tuple[str, ...] = (texts_done[0] if len(texts_done) == 1
                                         else tuple([texts_done[0]] + [texts_done[1]] * (plurals - 1)))
        catalog[message.id] = Message(
            message.id, string, locations=message.locations, flags={"fuzzy"} | (message.flags - {"fuzzy"}),
            auto_comments=message.auto_comments, context=message.context,
            user_comments=[f"machine translation ({hook.spec}): review it, then remove the fuzzy flag"],
        )
        added += 1
    return catalog, added, found
