"""One audit, top to bottom: cached findings first, then pa11y over the rest in one browser, then the PDFs;
ignore rules and the baseline are applied last, so the cache holds only what the tools saw."""

from __future__ import annotations

import contextlib
import fnmatch
import hashlib
import time
from dataclasses import dataclass, replace
from importlib.metadata import version
from pathlib import Path
from typing import Callable, Iterator, Mapping, Sequence

from handpress.audit import baseline as baselines
from handpress.audit import pa11y
from handpress.audit.cache import AuditCache
from handpress.audit.models import AuditReport, Issue, Result, Target
from handpress.audit.pages import matches
from handpress.audit.server import page_url, serve
from handpress.audit.settings import AuditSettings, IgnoreRule

Progress = Callable[[Result], None]


@dataclass(frozen=True)
class Options:
    """Where the audit keeps its state; all optional."""

    cache_dir: Path | None = None               # None: no cache
    baseline: Path | None = None                # None: every issue is new
    tools_near: tuple[Path, ...] = ()           # where to look for node_modules first
    urls: Mapping[str, str] | None = None       # a deployed site: each page's URL (nothing is served)


def run_audit(root: Path, targets: Sequence[Target], settings: AuditSettings, options: Options = Options(),
              progress: Progress | None = None) -> AuditReport:
    """Audit every target under ``root`` (pages with pa11y in one browser, PDFs with the PDF checks)."""
    started = time.monotonic()
    root = root.resolve()
    report_progress = progress or (lambda result: None)
    html = [t for t in targets if not t.is_pdf]
    pdfs = [t for t in targets if t.is_pdf]
    raw: dict[Target, Result] = {}
    if html:
        raw.update(_audit_pages(root, html, settings, options, report_progress))
    if pdfs:
        raw.update(_audit_pdfs(root, pdfs, options, report_progress))
    known = baselines.load(options.baseline) if options.baseline else frozenset()
    results = tuple(_judge(raw[t], (*ANSWERED, *settings.ignore), known, settings) for t in targets)
    found = [i for r in results for i in r.issues]
    audited = {r.target.page for r in results if r.error is None}
    return AuditReport(
        results=results,
        standard=settings.standard,
        runners=tuple(settings.runners),
        fixed=baselines.fixed(known, found, audited),
        baseline=str(options.baseline) if options.baseline and options.baseline.is_file() else None,
        seconds=time.monotonic() - started,
        cached=sum(1 for r in results if r.cached),
    )


def _audit_pages(root: Path, targets: list[Target], settings: AuditSettings, options: Options,
                 progress: Progress) -> dict[Target, Result]:
    modules = pa11y.find_node_modules(*options.tools_near, root)
    versions = pa11y.package_versions(modules)
    cache = None
    if options.cache_dir is not None:
        cache = AuditCache(options.cache_dir, f"{settings.fingerprint()}:{sorted(versions.items())}")
    done: dict[Target, Result] = {}
    keys: dict[Target, str] = {}
    todo: list[Target] = []
    for target in targets:
        entry = None
        if cache is not None:
            keys[target] = cache.key(root, target.page)
            entry = cache.get(keys[target])
        if entry is None:
            todo.append(target)
            continue
        issues = tuple(Issue.from_dict({**i, **_where(target)}) for i in entry["issues"])  # type: ignore[union-attr]
        done[target] = Result(target, issues, cached=True, title=str(entry.get("title", "")))
        progress(done[target])
    if not todo:
        return done
    tools = pa11y.find_tools(settings, *options.tools_near, root)
    with _located(root, options.urls) as url_of:
        urls = [url_of(t.page) for t in todo]
        for outcome in pa11y.run_pa11y(urls, settings, tools):
            target = todo[outcome.index]
            if outcome.error is not None:
                result = Result(target, error=outcome.error)
            else:
                result = Result(target, pa11y.to_issues(target, outcome.issues), title=outcome.title)
                if cache is not None:
                    cache.put(keys[target], {"title": result.title, "issues": [
                        {k: v for k, v in i.to_dict().items() if k in _CACHED}
                        for i in result.issues]})
            done[target] = result
            progress(result)
    return done


@contextlib.contextmanager
def _located(root: Path, urls: Mapping[str, str] | None) -> Iterator[Callable[[str], str]]:
    """Each page's URL: the deployed site's, or ``root`` served on 127.0.0.1 for the block."""
    if urls is not None:
        yield urls.__getitem__
        return
    with serve(root) as base:
        yield lambda page: page_url(base, page)


def _audit_pdfs(root: Path, targets: list[Target], options: Options, progress: Progress) -> dict[Target, Result]:
    from handpress.audit import pdfcheck  # pikepdf and the validator load only when there are PDFs

    salt = f"pdf:{version('page-validation')}:{version('pikepdf')}"
    cache = AuditCache(options.cache_dir, salt) if options.cache_dir is not None else None
    done: dict[Target, Result] = {}
    for target in targets:
        key = ""
        entry = None
        if cache is not None:
            key = hashlib.sha256(salt.encode() + (root / target.page).read_bytes()).hexdigest()
            entry = cache.get(key)
        if entry is not None:
            issues = tuple(Issue.from_dict({**i, **_where(target)}) for i in entry["issues"])  # type: ignore[union-attr]
            result = Result(target, issues, cached=True)
        else:
            result = Result(target, pdfcheck.check_pdf(root, target))
            if cache is not None:
                cache.put(key, {"issues": [i.to_dict() for i in result.issues]})
        done[target] = result
        progress(result)
    return done


_CACHED = ("runner", "code", "type", "message", "selector", "context")  # what pa11y said, not where it is


def _where(target: Target) -> dict[str, str]:
    return {"page": target.page, "variant": target.variant, "language": target.language}


# What the default theme answers by construction, dropped like an [audit].ignore rule (and counted as ignored):
# HTML_CodeSniffer's reminder, on every page holding a <pre>, that preformatted text "may require scrolling in
# two dimensions" (WCAG 1.4.10, page-level: no selector). handpress's code wraps on paper and in raw HTML, and
# on screen scrolls one way only, inside a named keyboard stop (axe's scrollable-region-focusable checks it).
ANSWERED = (IgnoreRule(code="WCAG2A*.Principle1.Guideline1_4.1_4_10.C32,C31,C33,C38,SCR34,G206", selector=""),)


def is_ignored(issue: Issue, rules: Sequence[IgnoreRule]) -> bool:
    """Whether an ``[audit].ignore`` rule covers the issue: code (a glob), then pages and selector if given."""
    for rule in rules:
        if not fnmatch.fnmatchcase(issue.code, rule.code):
            continue
        if rule.pages and not matches(issue.page, rule.pages):
            continue
        if rule.selector is not None and rule.selector != issue.selector:
            continue
        return True
    return False


def with_baseline(report: AuditReport, path: Path, settings: AuditSettings) -> AuditReport:
    """The same findings judged against the baseline in ``path`` (after ``--update-baseline`` wrote it)."""
    return baselines.apply(report, path, settings)


def _judge(result: Result, rules: Sequence[IgnoreRule], known: frozenset[baselines.Key],
           settings: AuditSettings) -> Result:
    kept = tuple(i for i in result.issues if not is_ignored(i, rules))
    new, review = baselines.judge(kept, known, settings)
    return replace(result, issues=kept, new=new, review=review, ignored=len(result.issues) - len(kept))
