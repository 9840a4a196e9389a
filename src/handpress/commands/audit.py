"""``handpress audit``: serve the built site (or any folder), audit every page and PDF, write the reports.

Exit codes follow pa11y: 0 no new issues (or ``--report-only``), 2 new issues, 1 the tool failed.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from handpress.audit.models import AuditReport
from handpress.audit.pages import VARIANTS, find_targets
from handpress.audit.settings import CONFIG_NAME, read_project
from handpress.errors import EXIT_ERROR, EXIT_ISSUES, EXIT_OK, ConfigError, HandpressError

CACHE_DIR = Path(".handpress-cache") / "audit"


@click.command()
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The project folder (holding handpress.toml): settings, baseline and cache live here.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Audit this folder of HTML files instead of the project's out/.")
@click.option("--out", "report_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write report.json, junit.xml and report.html (default: the audited folder's audit/).")
@click.option("--variant", "variants", multiple=True, type=click.Choice(VARIANTS),
              help="Audit only this variant (repeatable).")
@click.option("--lang", "langs", multiple=True, help="Audit only this language code (repeatable).")
@click.option("--pages", "globs", multiple=True, metavar="GLOB",
              help="Audit only pages whose path matches, e.g. 'about/*' or 'es/**' (repeatable).")
@click.option("--update-baseline", is_flag=True, help="Record today's issues as the baseline; later runs fail only on new ones.")
@click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The baseline file (default: [audit] baseline, relative to the project).")
@click.option("--report-only", is_flag=True, help="Report issues but exit 0.")
@click.option("--no-cache", is_flag=True, help="Audit every page again, even if unchanged.")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=None, help="Pages audited at once (default: [audit] concurrency).")
@click.option("--verbose", "-v", is_flag=True, help="List every new issue in the terminal.")
def audit(project: Path, folder: Path | None, report_dir: Path | None, variants: tuple[str, ...],
          langs: tuple[str, ...], globs: tuple[str, ...], update_baseline: bool, baseline_file: Path | None,
          report_only: bool, no_cache: bool, jobs: int | None, verbose: bool) -> None:
    """Audit every page (all variants and languages) with pa11y, and every PDF handbook."""
    try:
        code = _audit(project, folder, report_dir, variants, langs, globs, update_baseline, baseline_file,
                      report_only, no_cache, jobs, verbose)
    except HandpressError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("handpress: audit interrupted.", err=True)
        code = 130
    sys.exit(code)


def _audit(project: Path, folder: Path | None, report_dir: Path | None, variants: tuple[str, ...],
           langs: tuple[str, ...], globs: tuple[str, ...], update_baseline: bool, baseline_file: Path | None,
           report_only: bool, no_cache: bool, jobs: int | None, verbose: bool) -> int:
    from tqdm import tqdm

    from handpress.audit import baseline as baselines
    from handpress.audit.reporters import terminal, write_reports
    from handpress.audit.run import Options, run_audit, with_baseline

    project = project.resolve()
    has_config = (project / CONFIG_NAME).is_file()
    found = read_project(project)
    settings = found.settings if jobs is None else found.settings.model_copy(update={"concurrency": jobs})
    if folder is None:
        if not has_config:
            raise ConfigError.at(CONFIG_NAME, None, f"no {CONFIG_NAME} in {project}; pass --project, "
                                 "or --dir to audit a folder of HTML files")
        root = project / "out"
        if not root.is_dir():
            raise HandpressError.at("out", None, "nothing to audit: out/ does not exist; run `handpress build` first")
    else:
        root = folder.resolve()
        if not root.is_dir():
            raise HandpressError.at(str(folder), None, "no such folder")
    report_dir = (report_dir or root / "audit").resolve()
    targets = find_targets(root, found.languages, variants=variants, langs=langs, pages=globs, exclude=[report_dir])
    if not targets:
        raise HandpressError.at(str(folder or "out"), None, "no HTML pages or PDFs to audit"
                                + (" match the --variant/--lang/--pages filters" if variants or langs or globs else ""))
    baseline_path = baseline_file.resolve() if baseline_file else project / settings.baseline
    options = Options(
        cache_dir=None if no_cache or not (has_config or folder is None) else project / CACHE_DIR,
        baseline=None if update_baseline else baseline_path,
        tools_near=(project,),
    )
    with tqdm(total=len(targets), unit="page", desc="audit", disable=None, leave=False, file=sys.stderr) as bar:
        report = run_audit(root, targets, settings, options, progress=lambda result: bar.update())
    if update_baseline:
        count = baselines.save(baseline_path, report.issues)
        report = with_baseline(report, baseline_path)
        click.echo(f"Recorded {count} issues in the baseline {_shown(baseline_path)}.", err=True)
    written = write_reports(report, report_dir)
    click.echo(terminal.render(report, verbose=verbose))
    click.echo(f"Reports: {', '.join(_shown(p) for p in written)}")
    return exit_code(report, report_only=report_only)


def exit_code(report: AuditReport, *, report_only: bool = False) -> int:
    """pa11y's convention: 1 if a page could not be audited, else 2 for new issues, else 0."""
    if report.errors:
        return EXIT_ERROR
    if report.new_issues and not report_only:
        return EXIT_ISSUES
    return EXIT_OK


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
