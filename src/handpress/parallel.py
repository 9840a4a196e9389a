"""Parsing and rendering on every core: forked worker processes, or this process for small work.

Both ways run the same :class:`_Task` code, so the output is the same whatever ``jobs`` is. Work goes
to the workers in two phases:

1. parse: each worker parses its share of the documents, keeps the tokens and sends back outlines
   (fragments whose tokens are deferred: tokens are slower to send than to parse again);
2. render: the parent sends what it prepared (the site made of those outlines) and the pages each
   worker is to render; a worker gives the outlines it parsed their tokens back, renders its pages
   and sends the files as it goes. Pages go to the worker that parsed their document.

Workers are forked, so they start with everything the parent had read. A worker's HandpressError
comes back as the same error with the same diagnostics; anything else is a bug, raised again in the
parent as a RuntimeError holding the worker's traceback.
"""

from __future__ import annotations

import contextlib
import copyreg
import gc
import io
import multiprocessing
import os
import pickle
import traceback
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping, Sequence

from markdown_it.token import Token

from handpress import errors, markdown
from handpress.content import Document
from handpress.errors import Diagnostic, HandpressError, TemplateError
from handpress.incremental import DeferredTokens, PageKey, outline
from handpress.markdown import Fragment
from handpress.render import Output, render_pages

MIN_PER_WORKER = 24  # documents or pages: below this a worker costs more than it saves
BATCH = 4  # pages rendered per message back to the parent
Advance = Callable[[int], None]
Environments = Callable[[Any], tuple[Mapping[str, Any], Mapping[str, Any]]]  # prepared -> (translations, envs)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    """The cyclic garbage collector off while many small objects are made (tokens, contexts): a third
    faster. Reference counting still frees them; nothing the build makes is only freed by the collector."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


@dataclass
class _Task:
    """What one worker (or the parent, for small work) knows and does."""

    documents: tuple[Document, ...]
    tokens: dict[str, Sequence[Token]] = field(default_factory=dict)  # source -> tokens parsed here

    def parse(self, indexes: Sequence[int]) -> dict[str, Fragment]:
        found = {}
        for i in indexes:
            doc = self.documents[i]
            fragment = markdown.parse(doc)
            self.tokens[doc.source] = fragment.tokens
            found[doc.source] = outline(fragment, doc)
        return found

    def render(self, prepared: Any, pages: Sequence[PageKey], environments: Environments,
               send: Callable[[list[Output]], None]) -> list[Diagnostic]:
        for page in prepared.site.pages.values():
            deferred = page.fragment.tokens
            if isinstance(deferred, DeferredTokens) and page.source in self.tokens:
                deferred.provide(self.tokens[page.source])
        translations, envs = environments(prepared)
        problems: dict[tuple[str, int | None], Diagnostic] = {}
        for start in range(0, len(pages), BATCH):
            try:
                send(render_pages(prepared.site, envs, translations, pages[start : start + BATCH]))
            except TemplateError as exc:  # one report per template line, across all pages
                for d in exc.diagnostics:
                    problems.setdefault((d.path, d.line), d)
        return list(problems.values())


class Workers:
    """Worker processes, started when there is enough work for them. Use as a context manager."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or default_jobs())
        self._task: _Task | None = None
        self._pipes: list[Connection] = []
        self._procs: list[multiprocessing.process.BaseProcess] = []
        self._owner: dict[str, int] = {}  # document source -> worker that parsed it

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, *exc: object) -> None:
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                _send(pipe, ("stop",))
            pipe.close()
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        self._pipes, self._procs = [], []

    def parse(self, documents: Sequence[Document], docs: Sequence[Document]) -> dict[str, Fragment]:
        """Parse ``docs`` (some of ``documents``); returns their outlines by source."""
        self._task = _Task(tuple(documents), self._task.tokens if self._task else {})
        index = {doc.source: i for i, doc in enumerate(documents)}
        wanted = [index[doc.source] for doc in docs]
        workers = self._start(len(wanted))
        if not workers:
            with paused_gc():
                return self._task.parse(wanted)
        for w in range(workers):
            _send(self._pipes[w], ("parse", wanted[w::workers]))
        found: dict[str, Fragment] = {}
        for w in range(workers):
            part = self._message(w)[1]
            found.update(part)
            self._owner.update((source, w) for source in part)
        return found

    def render(self, prepared: Any, pages: Sequence[PageKey], environments: Environments,
               advance: Advance | None = None) -> list[Output]:
        """The files of ``pages`` of ``prepared.site`` (sorted by path). ``environments`` makes the
        template environments once per process; ``advance`` is told of each file."""
        if self._task is None:
            self._task = _Task(tuple(prepared.content.documents))
        outputs: list[Output] = []

        def collect(files: list[Output]) -> None:
            outputs.extend(files)
            if advance is not None:
                advance(len(files))

        workers = self._start(len(pages))
        if not workers:
            with paused_gc():
                problems = self._task.render(prepared, pages, environments, collect)
        else:
            problems = self._render_in_workers(prepared, pages, environments, workers, collect)
        if problems:
            raise TemplateError(problems)
        return sorted(outputs)

    def _render_in_workers(self, prepared: Any, pages: Sequence[PageKey], environments: Environments,
                           workers: int, collect: Callable[[list[Output]], None]) -> list[Diagnostic]:
        shares: list[list[PageKey]] = [[] for _ in range(workers)]
        for page in pages:
            w = self._owner.get(prepared.site.page(*page).source)
            if w is None:
                w = min(range(workers), key=lambda i: len(shares[i]))
            shares[w].append(page)
        for w in range(workers):
            _send(self._pipes[w], ("render", prepared, shares[w], environments))
        found: dict[tuple[str, int | None], Diagnostic] = {}
        busy = set(range(workers))
        while busy:
            for pipe in wait([self._pipes[w] for w in busy]):
                w = self._pipes.index(pipe)  # type: ignore[arg-type]
                kind, value = self._message(w)
                if kind == "files":
                    collect(value)
                else:  # "rendered": this worker is done; value holds its template problems
                    for d in value:
                        found.setdefault((d.path, d.line), d)
                    busy.discard(w)
        return list(found.values())

    def _start(self, amount: int) -> int:
        """How many workers this much work deserves (0: do it here), started if need be."""
        wanted = min(self.jobs, amount // MIN_PER_WORKER)
        if self._procs or wanted < 2:
            return len(self._procs)
        context = multiprocessing.get_context("fork")
        for _ in range(wanted):
            parent, child = context.Pipe()
            proc = context.Process(target=_serve, args=(self._task, child, list(self._pipes)), daemon=True)
            proc.start()
            child.close()
            self._pipes.append(parent)
            self._procs.append(proc)
        return wanted

    def _message(self, w: int) -> tuple[str, Any]:
        try:
            message = _receive(self._pipes[w])
        except EOFError:
            raise RuntimeError(f"handpress worker {w} stopped unexpectedly "
                               f"(exit code {self._procs[w].exitcode})") from None
        if message[0] == "error":
            raise getattr(errors, message[1], HandpressError)(message[2])
        if message[0] == "crash":
            raise RuntimeError(f"handpress worker {w} failed:\n{message[1]}")
        return message[0], message[1]


def _serve(task: _Task, pipe: Connection, inherited: list[Connection]) -> None:
    """A worker's loop: answer the parent's requests until told to stop."""
    for other in inherited:  # the parent's ends of earlier workers' pipes
        other.close()
    gc.disable()  # a worker lives for one build; its memory goes when it exits
    try:
        while True:
            request = _receive(pipe)
            try:
                if request[0] == "parse":
                    _send(pipe, ("parsed", task.parse(request[1])))
                elif request[0] == "render":
                    problems = task.render(request[1], request[2], request[3], lambda files: _send(pipe, ("files", files)))
                    _send(pipe, ("rendered", problems))
                else:
                    break
            except HandpressError as exc:
                _send(pipe, ("error", type(exc).__name__, exc.diagnostics))
            except Exception:  # not swallowed: a bug, raised again by the parent with this traceback
                _send(pipe, ("crash", traceback.format_exc()))
    except (EOFError, KeyboardInterrupt):  # the parent went away or the user interrupted
        pass
    finally:
        pipe.close()


def _proxy(mapping: dict[Any, Any]) -> MappingProxyType[Any, Any]:
    return MappingProxyType(mapping)


def _send(pipe: Connection, message: tuple[Any, ...]) -> None:
    """Send ``message`` pickled; read-only mappings (the site's, a document's) travel as mappings."""
    buffer = io.BytesIO()
    pickler = pickle.Pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.dispatch_table = copyreg.dispatch_table.copy()
    pickler.dispatch_table[MappingProxyType] = lambda m: (_proxy, (dict(m),))
    pickler.dump(message)
    pipe.send_bytes(buffer.getbuffer())


def _receive(pipe: Connection) -> Any:
    return pickle.loads(pipe.recv_bytes())
