"""``handpress audit``: serve the built site (or any folder), audit every page and PDF, write the reports;
``handpress audit merge``: the reports of a CI matrix's shards as one.

Exit codes follow pa11y: 0 no new issues (or ``--report-only``), 2 new issues, 1 the tool failed.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, Callable

import click

from handpress.audit.pages import VARIANTS
from handpress.commands.cli import shard_option
from handpress.errors import HandpressError
from handpress.shards import Shard


def _reporting(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options every audit run shares: baseline, exit-code policy, verbosity."""
    for option in reversed([
        click.option("--update-baseline", is_flag=True,
                     help="Record today's issues as the baseline; later runs fail only on new ones."),
        click.option("--baseline", "baseline_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
                     help="The baseline file (default: [audit] baseline, relative to the project)."),
        click.option("--report-only", is_flag=True, help="Report issues but exit 0."),
        click.option("--verbose", "-v", is_flag=True, help="List every new issue in the terminal."),
        click.option("--format", "fmt", type=click.Choice(["terminal", "github", "sarif"]), default="terminal",
                     show_default=True, help="What to print: the summary; GitHub Actions annotations (then the "
                     "summary); or the SARIF log (the summary goes to stderr). report.sarif is always written."),
    ]):
        func = option(func)
    return func


@click.group(invoke_without_command=True)
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The project folder (holding handpress.toml): settings, baseline and cache live here.")
@click.option("--dir", "folder", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Audit this folder of HTML files instead of the project's out/.")
@click.option("--url", default=None, metavar="URL",
              help="Audit a deployed site: the pages of its sitemap.xml, else those its links reach from URL.")
@click.option("--sitemap", default=None, metavar="URL", help="With --url: the sitemap listing the pages.")
@click.option("--max-pages", type=click.IntRange(min=1), default=500, show_default=True,
              help="With --url: audit at most this many pages.")
@click.option("--out", "report_dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write report.json, junit.xml, report.html and report.sarif (default: the audited "
                   "folder's audit/; with --url, ./audit-report).")
@click.option("--variant", "variants", multiple=True, type=click.Choice(VARIANTS),
              help="Audit only this variant (repeatable).")
@click.option("--lang", "langs", multiple=True, help="Audit only this language code (repeatable).")
@click.option("--pages", "globs", multiple=True, metavar="GLOB",
              help="Audit only pages whose path matches, e.g. 'about/*' or 'es/**' (repeatable).")
@shard_option("the pages and PDFs (merge their reports with `handpress audit merge`)")
@_reporting
@click.option("--no-cache", is_flag=True, help="Audit every page again, even if unchanged.")
@click.option("--jobs", "-j", type=click.IntRange(1, 16), default=None, help="Pages audited at once (default: [audit] concurrency).")
@click.pass_context
def audit(ctx: click.Context, project: Path, folder: Path | None, url: str | None, sitemap: str | None,
          max_pages: int, report_dir: Path | None, variants: tuple[str, ...],
          langs: tuple[str, ...], globs: tuple[str, ...], shard: Shard | None, update_baseline: bool,
          baseline_file: Path | None, report_only: bool, verbose: bool, fmt: str, no_cache: bool,
          jobs: int | None) -> None:
    """Audit every page (all variants and languages) with pa11y, and every PDF handbook."""
    if ctx.invoked_subcommand is not None:
        return
    from handpress.audit.session import Request

    if url is not None and folder is not None:
        raise click.UsageError("--url and --dir name two things to audit; give one")
    if sitemap is not None and url is None:
        raise click.UsageError("--sitemap goes with --url")
    request = Request(project, folder, report_dir, variants, langs, globs, shard, update_baseline, baseline_file,
                      no_cache, jobs, url, sitemap, max_pages)
    _run(lambda session: session.audit(request, _progress), report_only, verbose, fmt)


@audit.command()
@click.argument("reports", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path), metavar="DIR...")
@click.option("--out", "report_dir", type=click.Path(file_okay=False, path_type=Path), required=True,
              help="Where to write the merged report.json, junit.xml and report.html.")
@click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=Path("."), show_default=True,
              help="The project whose baseline ([audit] baseline) judges the merged issues.")
@_reporting
def merge(reports: tuple[Path, ...], report_dir: Path, project: Path, update_baseline: bool,
          baseline_file: Path | None, report_only: bool, verbose: bool, fmt: str) -> None:
    """Merge the reports of `handpress audit --shard K/N` (each shard's --out folder) into one, apply the
    baseline once and exit as one unsharded audit would."""
    _run(lambda session: session.merge_reports(reports, project, report_dir, baseline_file, update_baseline),
         report_only, verbose, fmt)


def _progress(total: int) -> Callable[[Any], None]:
    from tqdm import tqdm

    bar = tqdm(total=total, unit="page", desc="audit", disable=None, leave=False, file=sys.stderr)
    def step(result: Any) -> None:
        bar.update()
        if bar.n >= total:
            bar.close()
    return step


def _run(work: Callable[[Any], Any], report_only: bool, verbose: bool, fmt: str) -> None:
    from handpress.audit import session
    from handpress.audit.reporters import github, sarif, terminal

    try:
        outcome = work(session)
        for note in outcome.notes:
            click.echo(note, err=True)
        if outcome.recorded:
            count, path = outcome.recorded
            click.echo(f"Recorded {count} issues in the baseline {_shown(path)}.", err=True)
        if fmt == "github":
            click.echo(github.render(outcome.report), nl=False)
        elif fmt == "sarif":
            click.echo(sarif.render(outcome.report), nl=False)
        summary = fmt == "sarif"  # stdout holds only the SARIF log
        click.echo(terminal.render(outcome.report, verbose=verbose), err=summary)
        click.echo(f"Reports: {', '.join(_shown(p) for p in outcome.written)}", err=summary)
        code = session.exit_code(outcome.report, report_only=report_only)
    except HandpressError as exc:
        for diagnostic in exc.diagnostics:
            click.echo(diagnostic.format(), err=True)
        code = exc.exit_code
    except KeyboardInterrupt:
        click.echo("handpress: audit interrupted.", err=True)
        code = 130
    sys.exit(code)


def _shown(path: Path) -> str:
    try:
        return path.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return str(path)
