"""report.json: every audited target with its issues (each marked new, for review or known) and the fixed baseline keys;
a shard's report says which shard it is, so that ``handpress audit merge`` can check it has them all."""

from __future__ import annotations

import json

from handpress.audit.models import AuditReport

NAME = "json"
FILENAME = "report.json"
FORMAT = 1


def render(report: AuditReport) -> str:
    data = {
        "format": FORMAT,
        "standard": report.standard,
        "runners": list(report.runners),
        "summary": {
            "pages": report.pages,
            "pdfs": report.pdfs,
            "issues": len(report.issues),
            "new": len(report.new_issues),
            "review": len(report.review_issues),
            "fixed": len(report.fixed),
            "errors": len(report.errors),
            "cached": report.cached,
        },
        "baseline": report.baseline,
        "seconds": round(report.seconds, 3),
        "shard": None if report.shard is None else {
            "index": report.shard.index, "total": report.shard.total, "targets": report.targets},
        "results": [
            {
                "page": r.target.page,
                "variant": r.target.variant,
                "language": r.target.language,
                "title": r.title,
                "error": r.error,
                "ignored": r.ignored,
                "issues": [{**i.to_dict(), "new": i in r.new, "review": i in r.review} for i in r.issues],
            }
            for r in report.results
        ],
        "fixed": [{"page": p, "code": c, "selector": s} for p, c, s in report.fixed],
    }
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"
