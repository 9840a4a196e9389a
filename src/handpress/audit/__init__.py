"""The accessibility audit: pa11y (htmlcs and axe) over every page in one browser, PDF/UA checks over
every handbook PDF, a baseline, a content cache, and reporters (terminal, JSON, JUnit, HTML).

The public API (imported lazily, so the CLI starts fast)::

    from handpress.audit import AuditSettings, Options, find_targets, run_audit, write_reports

    targets = find_targets(out, languages)                   # pages and PDFs, with variant and language
    report = run_audit(out, targets, AuditSettings(), Options(cache_dir=..., baseline=...))
    write_reports(report, out / "audit")                     # report.json, junit.xml, report.html
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "AuditReport": "models", "Issue": "models", "Result": "models", "Target": "models",
    "AuditSettings": "settings", "IgnoreRule": "settings", "read_project": "settings",
    "find_targets": "pages", "Options": "run", "run_audit": "run", "write_reports": "reporters",
    "check_html": "vnu", "VnuMessage": "vnu",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'handpress.audit' has no attribute {name!r}")
    return getattr(import_module(f"handpress.audit.{_EXPORTS[name]}"), name)
