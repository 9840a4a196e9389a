"""Parsing and rendering on every core: forked worker processes, or this process for small work.

Both ways run the same :class:`_Worker` code, so the output is the same whatever ``jobs`` is. Work goes
to the workers in two phases:

1. parse: each worker parses its share of the documents, keeps the tokens and sends back outlines
   (fragments whose tokens are deferred: tokens are slower to send than to parse again) with the
   JSON the cache keeps of each;
2. run: the parent sends what it prepared (the site made of those outlines) and :class:`Task` s (render
   these pages, these handbook chapters); a worker gives the outlines it parsed their tokens back, runs
   its tasks and sends the results as it goes. A task goes to the worker that parsed its document.

Workers are forked, so they start with everything the parent had read; documents travel between
them and the parent as their numbers, never their text. A worker's HandpressError
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
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable, Iterator, Mapping, Sequence

from markdown_it.token import Token

from handpress import errors
from handpress.build import writer
from handpress.build.incremental import DeferredTokens, PageKey, encode_fragment, outline
from handpress.errors import Diagnostic, HandpressError, TemplateError
from handpress.site import markdown
from handpress.site.content import Document
from handpress.site.markdown import Fragment
from handpress.site.render import Output, render_pages

MIN_PER_WORKER = 24  # documents or pages: below this a worker costs more than it saves
BATCH = 4  # task results per message back to the parent
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


@dataclass(frozen=True)
class Task:
    """One piece of work: ``run(prepared, translations, envs, *args)``, a module-level function (it is
    sent to the worker by name). ``owner`` is the document whose tokens it needs: it runs in the worker
    that parsed it. ``files`` is what it counts for on a progress bar."""

    run: Callable[..., Any]
    args: tuple[Any, ...]
    owner: str = ""
    files: int = 0


def render_pages_task(prepared: Any, translations: Mapping[str, Any], envs: Mapping[str, Any],
                      pages: Sequence[PageKey], into: Path | None = None) -> tuple[list[Output], list[str]]:
    """(files, ()) or, with ``into``, ((), their names) when written there (by the worker: writing is
    shared like rendering, and the pages are not sent to the parent)."""
    outputs = render_pages(prepared.site, envs, translations, pages)
    if into is None:
        return outputs, []
    writer.write_files(into, outputs)
    return [], [rel for rel, _ in outputs]


def page_task(prepared: Any, page: PageKey, into: Path | None = None) -> Task:
    """Render one page (and language) in its three variants, written into ``into`` if given."""
    return Task(render_pages_task, ([page], into), prepared.site.page(*page).source, 3)


@dataclass
class _Worker:
    """What one worker (or the parent, for small work) knows and does."""

    documents: tuple[Document, ...]
    tokens: dict[str, Sequence[Token]] = field(default_factory=dict)  # source -> tokens parsed here

    def parse(self, indexes: Sequence[int]) -> dict[str, tuple[Fragment, str]]:
        found = {}
        for i in indexes:
            doc = self.documents[i]
            fragment = markdown.parse(doc)
            self.tokens[doc.source] = fragment.tokens
            found[doc.source] = (outline(fragment, doc), encode_fragment(fragment))
        return found

    def run(self, prepared: Any, tasks: Sequence[tuple[int, Task]], environments: Environments,
            send: Callable[[list[tuple[int, Any]]], None]) -> list[tuple[int, Diagnostic]]:
        """Run ``tasks`` (numbered), sending results in small batches; returns the template problems,
        each with the number of the first task that met it."""
        for page in prepared.site.pages.values():
            deferred = page.fragment.tokens
            if isinstance(deferred, DeferredTokens) and page.source in self.tokens:
                deferred.provide(self.tokens[page.source])
        translations, envs = environments(prepared)
        problems: dict[tuple[str, int | None], tuple[int, Diagnostic]] = {}
        batch: list[tuple[int, Any]] = []
        for n, task in tasks:
            try:
                batch.append((n, task.run(prepared, translations, envs, *task.args)))
            except TemplateError as exc:  # one report per template line, across all pages
                for d in exc.diagnostics:
                    problems.setdefault((d.path, d.line), (n, d))
            if len(batch) >= BATCH:
                send(batch)
                batch = []
        if batch:
            send(batch)
        return list(problems.values())


class Workers:
    """Worker processes, started when there is enough work for them. Use as a context manager."""

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or default_jobs())
        self._local: _Worker | None = None  # the parent's own (parse and run here when work is small)
        self._pipes: list[Connection] = []
        self._procs: list[multiprocessing.process.BaseProcess] = []
        self._owner: dict[str, int] = {}  # document source -> worker that parsed it
        self._state: tuple[Any, bytes] | None = None  # what was prepared, and its pickle

    def __enter__(self) -> "Workers":
        return self

    def __exit__(self, kind: type[BaseException] | None, *exc: object) -> None:
        self._stop(kill=kind is not None)

    def _stop(self, kill: bool) -> None:
        """Tell the workers to stop and wait for them; ``kill``: stop them at once."""
        for pipe in self._pipes:
            with contextlib.suppress(OSError):
                _send(pipe, ("stop",))
            pipe.close()
        for proc in self._procs:
            if kill:
                proc.kill()
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join()
        self._pipes, self._procs, self._owner = [], [], {}

    @contextlib.contextmanager
    def stopped_on_failure(self) -> Iterator[None]:
        """If the block fails, the workers are stopped at once (none goes on with its tasks)."""
        try:
            yield
        except BaseException:
            self._stop(kill=True)
            raise

    def parse(self, documents: Sequence[Document], docs: Sequence[Document]) -> dict[str, tuple[Fragment, str]]:
        """Parse ``docs`` (some of ``documents``); returns their outlines and cache JSON by source."""
        self._local = _Worker(tuple(documents), self._local.tokens if self._local else {})
        index = {doc.source: i for i, doc in enumerate(documents)}
        wanted = [index[doc.source] for doc in docs]
        workers = self._start(len(wanted))
        if not workers:
            with paused_gc():
                return self._local.parse(wanted)
        for w in range(workers):
            _send(self._pipes[w], ("parse", wanted[w::workers]))
        found: dict[str, tuple[Fragment, str]] = {}
        for w in range(workers):
            part = self._message(w)[1]
            found.update(part)
            self._owner.update((source, w) for source in part)
        return found

    def run(self, prepared: Any, tasks: Sequence[Task], environments: Environments,
            advance: Advance | None = None) -> list[Any]:
        """Each task's result, in order. ``environments(prepared)`` makes the translations and template
        environments, once per process; ``advance`` is told of each task's files as it is done."""
        if self._local is None:
            self._local = _Worker(tuple(prepared.content.documents))
        results: list[Any] = [None] * len(tasks)

        def collect(batch: list[tuple[int, Any]]) -> None:
            for n, result in batch:
                results[n] = result
                if advance is not None and tasks[n].files:
                    advance(tasks[n].files)

        numbered = list(enumerate(tasks))
        workers = self._start(len(tasks))
        if not workers:
            with paused_gc():
                problems = self._local.run(prepared, numbered, environments, collect)
        else:
            problems = self._run_in_workers(prepared, numbered, environments, workers, collect)
        if problems:  # as one process would report them: first met first, one per template line
            first: dict[tuple[str, int | None], tuple[int, Diagnostic]] = {}
            for n, d in sorted(problems, key=lambda item: item[0]):
                first.setdefault((d.path, d.line), (n, d))
            raise TemplateError(d for _, d in first.values())
        return results

    def _run_in_workers(self, prepared: Any, tasks: list[tuple[int, Task]], environments: Environments,
                        workers: int, collect: Callable[[list[tuple[int, Any]]], None]
                        ) -> list[tuple[int, Diagnostic]]:
        shares: list[list[tuple[int, Task]]] = [[] for _ in range(workers)]
        loads = [0] * workers
        for n, task in tasks:
            w = self._owner.get(task.owner)
            if w is None:
                w = loads.index(min(loads))
            shares[w].append((n, task))
            loads[w] += max(1, task.files)
        if self._state is None or self._state[0] is not prepared:
            # once for every worker and every run; the documents travel as their numbers (each worker has them)
            self._state = (prepared, _dumps(prepared, self._local.documents))
        for w in range(workers):
            _send(self._pipes[w], ("run", self._state[1], shares[w], environments))
        found: list[tuple[int, Diagnostic]] = []
        busy = set(range(workers))
        while busy:
            for pipe in wait([self._pipes[w] for w in busy]):
                w = self._pipes.index(pipe)  # type: ignore[arg-type]
                kind, value = self._message(w)
                if kind == "results":
                    collect(value)
                else:  # "done": this worker has finished; value holds its template problems
                    found.extend(value)
                    busy.discard(w)
        return found

    def _start(self, amount: int) -> int:
        """How many workers this much work deserves (0: do it here), started if need be."""
        wanted = min(self.jobs, amount // MIN_PER_WORKER)
        if self._procs or wanted < 2:
            return len(self._procs)
        context = multiprocessing.get_context("fork")
        for _ in range(wanted):
            parent, child = context.Pipe()
            proc = context.Process(target=_serve, args=(self._local, child, list(self._pipes)), daemon=True)
            proc.start()
            child.close()
            self._pipes.append(parent)
            self._procs.append(proc)
        return wanted

    def _message(self, w: int) -> tuple[str, Any]:
        try:
            message = _receive(self._pipes[w], self._local.documents if self._local else ())
        except EOFError:
            raise RuntimeError(f"handpress worker {w} stopped unexpectedly "
                               f"(exit code {self._procs[w].exitcode})") from None
        if message[0] == "error":
            raise getattr(errors, message[1], HandpressError)(message[2])
        if message[0] == "crash":
            raise RuntimeError(f"handpress worker {w} failed:\n{message[1]}")
        return message[0], message[1]


def _serve(worker: _Worker, pipe: Connection, inherited: list[Connection]) -> None:
    """A worker's loop: answer the parent's requests until told to stop."""
    for other in inherited:  # the parent's ends of earlier workers' pipes
        other.close()
    gc.disable()  # a worker lives for one build; its memory goes when it exits
    try:
        while True:
            request = _receive(pipe)
            try:
                if request[0] == "parse":
                    _send(pipe, ("parsed", worker.parse(request[1])), worker.documents)  # outlines hold them
                elif request[0] == "run":
                    problems = worker.run(_loads(request[1], worker.documents), request[2], request[3],
                                          lambda batch: _send(pipe, ("results", batch)))
                    _send(pipe, ("done", problems))
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


class _Pickler(pickle.Pickler):
    """Pickles read-only mappings (the site's, a document's) as mappings, and the objects of ``shared``
    (which the receiving process holds too) as their numbers in it."""

    def __init__(self, buffer: io.BytesIO, shared: Sequence[Any]):
        super().__init__(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        self.dispatch_table = copyreg.dispatch_table.copy()
        self.dispatch_table[MappingProxyType] = lambda m: (_proxy, (dict(m),))
        self.shared = shared
        self.numbers = {id(obj): n for n, obj in enumerate(shared)}

    def persistent_id(self, obj: Any) -> int | None:
        n = self.numbers.get(id(obj))
        return n if n is not None and self.shared[n] is obj else None


class _Unpickler(pickle.Unpickler):
    def __init__(self, data: bytes, shared: Sequence[Any]):
        super().__init__(io.BytesIO(data))
        self.shared = shared

    def persistent_load(self, pid: Any) -> Any:
        return self.shared[pid]


def _dumps(value: Any, shared: Sequence[Any] = ()) -> bytes:
    buffer = io.BytesIO()
    _Pickler(buffer, shared).dump(value)
    return buffer.getvalue()


def _loads(data: bytes, shared: Sequence[Any] = ()) -> Any:
    return _Unpickler(data, shared).load()


def _send(pipe: Connection, message: tuple[Any, ...], shared: Sequence[Any] = ()) -> None:
    pipe.send_bytes(_dumps(message, shared))


def _receive(pipe: Connection, shared: Sequence[Any] = ()) -> Any:
    return _loads(pipe.recv_bytes(), shared)
