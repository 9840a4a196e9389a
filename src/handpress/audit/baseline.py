"""The baseline: today's known issues, so that later audits fail only on new ones.

``handpress audit --update-baseline`` records every issue found, keyed by page + code + selector. Later
runs compare against it: issues whose key is recorded are "known", keys recorded but no longer found
are "fixed" (listed so the baseline can be tightened).
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Iterable

from handpress.audit.models import AuditReport, Issue
from handpress.audit.settings import AuditSettings
from handpress.errors import ConfigError

Key = tuple[str, str, str]
FORMAT = 1


def load(path: Path) -> frozenset[Key]:
    """The recorded keys; an absent file is an empty baseline."""
    if not path.is_file():
        return frozenset()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["issues"]
        return frozenset((str(e["page"]), str(e["code"]), str(e.get("selector") or "")) for e in entries)
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError) as exc:
        raise ConfigError.at(str(path), None, f"not a handpress audit baseline ({exc}); "
                             "recreate it with `handpress audit --update-baseline`") from None


def save(path: Path, issues: Iterable[Issue]) -> int:
    """Record ``issues`` as the baseline (sorted, one entry per key, readable in a diff); returns the count."""
    entries: dict[Key, Issue] = {}
    for issue in sorted(issues):
        entries.setdefault(issue.key, issue)
    data = {
        "format": FORMAT,
        "issues": [
            {"page": i.page, "code": i.code, "selector": i.selector, "runner": i.runner, "message": i.message}
            for i in entries.values()
        ],
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return len(entries)


def split(issues: Iterable[Issue], known: frozenset[Key]) -> tuple[tuple[Issue, ...], tuple[Issue, ...]]:
    """(new, known) issues."""
    new, old = [], []
    for issue in issues:
        (old if issue.key in known else new).append(issue)
    return tuple(new), tuple(old)


def judge(issues: Iterable[Issue], known: frozenset[Key],
          settings: AuditSettings) -> tuple[tuple[Issue, ...], tuple[Issue, ...]]:
    """(new, to review): the issues not in the baseline, those that fail apart from those a person is to check
    (HTML_CodeSniffer's warnings, unless [audit] htmlcs_warnings = "fail")."""
    new = split(issues, known)[0]
    return (tuple(i for i in new if not settings.for_review(i.runner, i.type)),
            tuple(i for i in new if settings.for_review(i.runner, i.type)))


def fixed(known: frozenset[Key], found: Iterable[Issue], audited: set[str]) -> tuple[Key, ...]:
    """Baseline keys on pages audited this time that were not found again."""
    seen = {issue.key for issue in found}
    return tuple(sorted(k for k in known if k[0] in audited and k not in seen))


def apply(report: AuditReport, path: Path | None, settings: AuditSettings) -> AuditReport:
    """The report's issues marked new or known against the baseline in ``path`` (None: all new), with the
    entries now fixed; used after ``--update-baseline`` and by ``handpress audit merge``."""
    known = load(path) if path else frozenset()
    results = tuple(replace(r, **dict(zip(("new", "review"), judge(r.issues, known, settings))))
                    for r in report.results)
    audited = {r.target.page for r in results if r.error is None}
    return replace(report, results=results, baseline=str(path) if path and path.is_file() else None,
                   fixed=fixed(known, [i for r in results for i in r.issues], audited))
