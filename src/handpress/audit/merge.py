"""``handpress audit merge``: the shards' report.json files read back into one report, judged against the
baseline once, as one unsharded run would have judged them.

Every shard must be there exactly once (1 … N of the same N), audited with the same standard and runners,
and no page may be in two of them; anything else is an error naming the report at fault.
"""

from __future__ import annotations

import json
from pathlib import Path, PurePosixPath
from typing import Sequence

from handpress.audit import baseline as baselines
from handpress.audit.models import AuditReport, Issue, Result, Target
from handpress.audit.reporters import json as json_reporter
from handpress.audit.settings import AuditSettings
from handpress.errors import HandpressError
from handpress.shards import Shard

FILENAME = json_reporter.FILENAME


def report_file(path: Path) -> Path:
    """``path`` itself if it is a file, else the report.json in that folder."""
    return path if path.is_file() else path / FILENAME


def read(path: Path) -> AuditReport:
    """A report.json (``handpress audit`` of this version) as an :class:`AuditReport`."""
    file = report_file(path)
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
        if data.get("format") != json_reporter.FORMAT:
            raise HandpressError.at(str(file), None, f"report format {data.get('format')!r} is not "
                                    f"{json_reporter.FORMAT}: made by another version of handpress")
        results = tuple(_result(r) for r in data["results"])
        shard = data.get("shard")
        return AuditReport(
            results=results,
            standard=str(data["standard"]),
            runners=tuple(data["runners"]),
            seconds=float(data.get("seconds") or 0.0),
            cached=int(data["summary"].get("cached") or 0),
            shard=Shard(int(shard["index"]), int(shard["total"])) if shard else None,
            targets=int(shard["targets"]) if shard else len(results),
        )
    except FileNotFoundError:
        raise HandpressError.at(str(file), None, "no such report; pass the folders that "
                                "`handpress audit --shard K/N --out DIR` wrote") from None
    except (json.JSONDecodeError, UnicodeDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise HandpressError.at(str(file), None, f"not a handpress audit report ({exc})") from None


def _result(data: dict[str, object]) -> Result:
    target = Target(str(data["page"]), str(data["variant"]), str(data["language"]))
    issues = tuple(Issue.from_dict(i) for i in data.get("issues") or ())  # type: ignore[union-attr]
    error = data.get("error")
    return Result(target, issues, ignored=int(data.get("ignored") or 0),  # type: ignore[call-overload]
                  error=None if error is None else str(error), title=str(data.get("title") or ""))


def merge(paths: Sequence[Path], baseline: Path | None, settings: AuditSettings) -> AuditReport:
    """One report of every shard's results, in the order one run lists them, judged against ``baseline``."""
    if not paths:
        raise HandpressError.at("merge", None, "no reports to merge")
    reports = [(report_file(p), read(p)) for p in paths]
    _check_complete(reports)
    first = reports[0][1]
    seen: dict[Target, Path] = {}
    for file, report in reports:
        if (report.standard, report.runners) != (first.standard, first.runners):
            raise HandpressError.at(str(file), None, f"audited with {report.standard} and "
                                    f"{', '.join(report.runners)}, not {first.standard} and {', '.join(first.runners)} "
                                    f"as {reports[0][0]}")
        for result in report.results:
            if result.target in seen:
                raise HandpressError.at(str(file), None, f"{result.target.page} is also in {seen[result.target]}; "
                                        "the shards were cut from different sites")
            seen[result.target] = file
    results = sorted((r for _, report in reports for r in report.results), key=lambda r: _order(r.target))
    merged = AuditReport(
        results=tuple(results),
        standard=first.standard,
        runners=first.runners,
        seconds=sum(report.seconds for _, report in reports),
        cached=sum(report.cached for _, report in reports),
        targets=len(results),
        merged=len(reports),
    )
    return baselines.apply(merged, baseline, settings)


def _order(target: Target) -> tuple[str, ...]:
    """The order :func:`handpress.audit.pages.find_targets` lists targets in (path by path, as sorted paths)."""
    return PurePosixPath(target.page).parts


def _check_complete(reports: list[tuple[Path, AuditReport]]) -> None:
    unsharded = [file for file, report in reports if report.shard is None]
    if unsharded and len(reports) > 1:
        raise HandpressError.at(str(unsharded[0]), None, "not a shard's report (made without --shard)")
    if unsharded:
        return
    totals = {report.shard.total for _, report in reports if report.shard}
    if len(totals) > 1:
        raise HandpressError.at(str(reports[0][0]), None, f"the reports are shards of different totals: "
                                f"{', '.join(str(s) for s in sorted(r.shard for _, r in reports if r.shard))}")
    total = totals.pop()
    index: dict[int, Path] = {}
    for file, report in reports:
        assert report.shard is not None
        if report.shard.index in index:
            raise HandpressError.at(str(file), None, f"shard {report.shard} is also {index[report.shard.index]}")
        index[report.shard.index] = file
    missing = [f"{k}/{total}" for k in range(1, total + 1) if k not in index]
    if missing:
        raise HandpressError.at("merge", None, f"shard{'s' if len(missing) > 1 else ''} {', '.join(missing)} "
                                f"missing: pass the report folders of all {total} shards")
    expected = {report.targets for _, report in reports}
    found = sum(len(report.results) for _, report in reports)
    if len(expected) > 1 or found != expected.pop():
        raise HandpressError.at("merge", None, f"the shards hold {found} pages and PDFs, but were cut from "
                                f"{' or '.join(str(n) for n in sorted({r.targets for _, r in reports}))}: "
                                "the shards were cut from different sites")
