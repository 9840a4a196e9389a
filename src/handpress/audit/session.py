"""One ``handpress audit`` from the command line's choices: what to audit (the project's out/, a folder, or
a shard of either), with which settings, cache and baseline; then the reports. The command stays a thin
click layer over :func:`audit` and :func:`merge_reports`."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from handpress.audit import baseline as baselines
from handpress.audit.models import AuditReport, Result
from handpress.audit.pages import find_targets, select, shard_targets
from handpress.audit.settings import CONFIG_NAME, AuditSettings, read_project
from handpress.errors import EXIT_ERROR, EXIT_ISSUES, EXIT_OK, ConfigError, HandpressError
from handpress.shards import Shard

CACHE_DIR = Path(".handpress-cache") / "audit"
Progress = Callable[[int], Callable[[Result], None]]      # given the number of targets, a per-result callback


@dataclass(frozen=True)
class Request:
    """What the user asked for (paths as given; resolved here)."""

    project: Path = Path(".")
    folder: Path | None = None                 # --dir: any folder of HTML instead of out/
    report_dir: Path | None = None             # --out
    variants: tuple[str, ...] = ()
    langs: tuple[str, ...] = ()
    globs: tuple[str, ...] = ()
    shard: Shard | None = None
    update_baseline: bool = False
    baseline: Path | None = None               # --baseline (default: [audit] baseline in the project)
    no_cache: bool = False
    jobs: int | None = None
    url: str | None = None                     # --url: a deployed site instead of files
    sitemap: str | None = None                 # --sitemap: its pages' list (default: URL's sitemap.xml)
    max_pages: int = 500


@dataclass(frozen=True)
class Outcome:
    report: AuditReport
    written: list[Path]
    recorded: tuple[int, Path] | None = None   # (entries, file) when --update-baseline wrote the baseline
    notes: tuple[str, ...] = ()                # what the user should know (pages left out …)


def audit(request: Request, progress: Progress) -> Outcome:
    from handpress.audit.reporters import write_reports
    from handpress.audit.run import Options, run_audit

    project = request.project.resolve()
    has_config = (project / CONFIG_NAME).is_file() or _mkdocs_project(project)
    found = read_project(project)
    settings = _settings(found.settings, request.jobs)
    if request.url is not None:
        return _audit_site(request, project, found.languages, settings, progress)
    root = _root(project, has_config, request.folder)
    report_dir = (request.report_dir or root / "audit").resolve()
    targets = find_targets(root, found.languages, variants=request.variants, langs=request.langs,
                           pages=request.globs, exclude=_reports(root, report_dir, request.folder is None))
    if not targets:
        filtered = request.variants or request.langs or request.globs
        raise HandpressError.at(str(request.folder or "out"), None, "no HTML pages or PDFs to audit"
                                + (" match the --variant/--lang/--pages filters" if filtered else ""))
    chosen = shard_targets(root, targets, request.shard) if request.shard else targets
    baseline_path = request.baseline.resolve() if request.baseline else project / settings.baseline
    options = Options(
        cache_dir=None if request.no_cache or not (has_config or request.folder is None) else project / CACHE_DIR,
        baseline=None if request.update_baseline else baseline_path,
        tools_near=(project,),
    )
    report = run_audit(root, chosen, settings, options, progress=progress(len(chosen)))
    report = replace(report, shard=request.shard, targets=len(targets), root=_shown(root), project=_shown(project))
    if has_config:
        from handpress.audit.sources import place

        report = place(report, project, root)
    return _finish(report, report_dir, request.update_baseline, baseline_path, settings, write_reports)


def _audit_site(request: Request, project: Path, languages: tuple[str, ...], settings: AuditSettings,
                progress: Progress) -> Outcome:
    """``--url``: a deployed site's pages, audited where they are (no cache: nothing local to key it by)."""
    from handpress.audit import remote
    from handpress.audit.reporters import write_reports
    from handpress.audit.run import Options, run_audit

    assert request.url is not None
    site = remote.discover(request.url, languages, sitemap=request.sitemap, max_pages=request.max_pages)
    targets = select(site.targets, variants=request.variants, langs=request.langs, pages=request.globs)
    if not targets:
        raise HandpressError.at(request.url, None, "no pages match the --variant/--lang/--pages filters")
    chosen = shard_targets(None, targets, request.shard) if request.shard else targets
    baseline_path = request.baseline.resolve() if request.baseline else project / settings.baseline
    options = Options(baseline=None if request.update_baseline else baseline_path, tools_near=(project,),
                      urls=site.urls)
    report = run_audit(project, chosen, settings, options, progress=progress(len(chosen)))
    report = replace(report, shard=request.shard, targets=len(targets), root=site.base, project=_shown(project))
    report_dir = (request.report_dir or Path("audit-report")).resolve()
    outcome = _finish(report, report_dir, request.update_baseline, baseline_path, settings, write_reports)
    return replace(outcome, notes=(f"Found {len(site.targets)} pages by {site.found_by}.", *site.notes))


def merge_reports(paths: Sequence[Path], project: Path, report_dir: Path, baseline: Path | None,
                  update_baseline: bool) -> Outcome:
    """``handpress audit merge``: the shards' reports as one, judged against the project's baseline once."""
    from handpress.audit.merge import merge
    from handpress.audit.reporters import write_reports

    project = project.resolve()
    settings = read_project(project).settings
    baseline_path = baseline.resolve() if baseline else project / settings.baseline
    report = replace(merge(paths, None if update_baseline else baseline_path, settings), project=_shown(project))
    return _finish(report, report_dir.resolve(), update_baseline, baseline_path, settings, write_reports)


def _finish(report: AuditReport, report_dir: Path, update_baseline: bool, baseline_path: Path,
            settings: AuditSettings, write_reports: Callable[[AuditReport, Path], list[Path]]) -> Outcome:
    recorded = None
    if update_baseline:
        count = baselines.save(baseline_path, report.issues)
        report = baselines.apply(report, baseline_path, settings)
        recorded = (count, baseline_path)
    return Outcome(report, write_reports(report, report_dir), recorded)


def _reports(root: Path, report_dir: Path, is_out: bool) -> list[Path]:
    """Report folders never audited: this run's, and the default one (out/audit/ is handpress's, never a page's;
    in another folder, audit/ when it holds a report), so every shard of a CI matrix sees the same pages."""
    default = root / "audit"
    if is_out or (default / "report.json").is_file():
        return [report_dir, default]
    return [report_dir]


def _shown(path: Path) -> str:
    """A folder as a user names it: relative to the working directory when inside it."""
    try:
        return path.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)


def _settings(settings: AuditSettings, jobs: int | None) -> AuditSettings:
    return settings if jobs is None else settings.model_copy(update={"concurrency": jobs})


def _mkdocs_project(project: Path) -> bool:
    from handpress.config import mkdocs

    return mkdocs.find(project) is not None


def _root(project: Path, has_config: bool, folder: Path | None) -> Path:
    if folder is None:
        if not has_config:
            raise ConfigError.at(CONFIG_NAME, None, f"no {CONFIG_NAME} in {project}; pass --project, "
                                 "or --dir to audit a folder of HTML files")
        root = project / "out"
        if not root.is_dir():
            raise HandpressError.at("out", None, "nothing to audit: out/ does not exist; run `handpress build` first")
        return root
    root = folder.resolve()
    if not root.is_dir():
        raise HandpressError.at(str(folder), None, "no such folder")
    return root


def exit_code(report: AuditReport, *, report_only: bool = False) -> int:
    """pa11y's convention: 1 if a page could not be audited, else 2 for new issues, else 0."""
    if report.errors:
        return EXIT_ERROR
    if report.new_issues and not report_only:
        return EXIT_ISSUES
    return EXIT_OK



