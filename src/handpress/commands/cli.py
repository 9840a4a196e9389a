"""The command line: a thin click layer. Library errors become ``path:line: error: message`` + exit 1."""

from __future__ import annotations

import functools
import os
import signal
import sys
from pathlib import Path
from typing import Any, Callable

import click

from handpress import __version__
from handpress.errors import EXIT_ERROR, Diagnostic, HandpressError


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def user_errors(func: Callable[..., Any]) -> Callable[..., Any]:
    """Run a command; print HandpressError's diagnostics and exit 1 instead of a traceback."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        signal.signal(signal.SIGTERM, _interrupted)
        try:
            return func(*args, **kwargs)
        except HandpressError as exc:
            for diagnostic in exc.diagnostics:
                click.echo(diagnostic.format(), err=True)
            errors = sum(1 for d in exc.diagnostics if d.severity == "error")
            if errors > 1:
                click.echo(f"{errors} errors; nothing was written.", err=True)
            sys.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.echo("handpress: interrupted; out/ was left as it was.", err=True)
            sys.exit(130)

    return wrapper


def print_diagnostics(diagnostics: tuple[Diagnostic, ...] | list[Diagnostic]) -> None:
    for diagnostic in diagnostics:
        if diagnostic.severity != "info":
            click.echo(diagnostic.format(), err=True)


project_option = click.option(
    "--project", "project", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The project folder (holding handpress.toml).",
)
out_option = click.option(
    "--out", "out", type=click.Path(file_okay=False, path_type=Path), default=None,
    help="Output folder (default: PROJECT/out).",
)
strict_option = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _shard(ctx: click.Context, param: click.Parameter, value: str | None) -> Any:
    from handpress import shards

    try:
        return shards.parse(value) if value is not None else shards.from_env()
    except shards.ShardError as exc:
        raise click.BadParameter(str(exc), ctx, param) from None


def shard_option(what: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """``--shard K/N``: one CI job's part of ``what`` (1-based; default CI_NODE_INDEX/CI_NODE_TOTAL when set)."""
    return click.option("--shard", callback=_shard, metavar="K/N", default=None,
                        help=f"Only the K-th of N size-balanced parts of {what} (1-based, as GitLab's "
                             "CI_NODE_INDEX; default: CI_NODE_INDEX/CI_NODE_TOTAL when set).")
PSEUDO_OUT = "out-pseudo"


OPTIONAL_COMMANDS = {  # command -> the module holding it
    "audit": "handpress.commands.audit", "pdf": "handpress.commands.pdf", "i18n": "handpress.commands.i18n",
    "translate": "handpress.commands.i18n", "serve": "handpress.commands.serve", "new": "handpress.commands.new",
    "tools": "handpress.commands.tools",
}


class _Commands(click.Group):
    """The commands here, and those in their own modules, imported only when they run (or for --help):
    `handpress build` does not load the audit, the translation tools or WeasyPrint.

    A usage error (unknown option or command, bad value, missing argument) exits 1 with click's message:
    click's own 2 is handpress's "the audit found new issues", which a pipeline may tolerate."""

    def main(self, args: Any = None, prog_name: str | None = None, complete_var: str | None = None,
             standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            code = super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            exc.show()
            code = EXIT_ERROR
        except click.Abort:
            click.echo("Aborted!", err=True)
            code = EXIT_ERROR
        sys.exit(code if isinstance(code, int) else 0)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | {n for n in OPTIONAL_COMMANDS if self.get_command(ctx, n)})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        command = super().get_command(ctx, name)
        if command is not None or name not in OPTIONAL_COMMANDS:
            return command
        from importlib import import_module

        module = OPTIONAL_COMMANDS[name]
        try:
            command = getattr(import_module(module), name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not module.startswith(exc.name):
                raise
            return None
        self.add_command(command)
        return command


@click.group(cls=_Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="handpress")
def cli() -> None:
    """handpress: accessible sites, text-only and printer-friendly pages, and PDF handbooks."""


@cli.command()
@project_option
@out_option
@strict_option
@click.option("--html-only", is_flag=True, help="Build the site but no PDF handbooks.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: cores).")
@click.option("--pseudo", is_flag=True,
              help="Pseudo-localise the interface and pages (accented, longer, bracketed) to find text that escaped "
                   "translation and layouts that break with longer text; written to PROJECT/out-pseudo unless --out.")
@user_errors
def build(project: Path, out: Path | None, strict: bool, html_only: bool, jobs: int | None, pseudo: bool) -> None:
    """Build the site (all variants and languages) and the PDF handbooks into out/."""
    from handpress import digest, progress
    from handpress.build import cache

    if pseudo and out is None:
        out = project / PSEUDO_OUT  # never mistaken for the site to publish
    options = cache.options(strict=strict, html_only=html_only, pseudo=pseudo)
    inputs = digest.inputs(project.resolve(), options)  # before reading: an edit made meanwhile is seen next time
    result = cache.unchanged(project, out, options, inputs)  # a no-op build, answered without loading the stages
    if result is None:
        from handpress.build.pipeline import build as run_build

        result = run_build(project, out, strict=strict, html_only=html_only, jobs=jobs, pseudo=pseudo,
                           progress=progress.terminal(), inputs=inputs)
    print_diagnostics(result.diagnostics)
    if len(result.coverage) > 1:
        click.echo("Translation coverage:")
        for lang, (done, drafts, total) in result.coverage.items():
            unchecked = f"  + {drafts} machine draft{'s' if drafts != 1 else ''} not yet checked" if drafts else ""
            click.echo(f"  {lang:<6} {done:>4}/{total:<4} {100 * done // max(total, 1):>3}%{unchecked}")
    pdfs = f", {len(result.pdfs)} PDFs" if result.pdfs else ""
    changed = f", {result.rendered} changed" if result.rendered < result.files else ""
    click.echo(f"Built {result.pages} pages ({result.files} files{changed}{pdfs}) into {result.out} "
               f"in {result.seconds:.1f}s{_tally(result.diagnostics)}.")


def _tally(diagnostics: tuple[Diagnostic, ...]) -> str:
    """': 3 warnings, 2 at a severity set in handpress.toml' for a build's summary line (nothing if none)."""
    warnings = sum(1 for d in diagnostics if d.severity == "warning")
    configured = sum(1 for d in diagnostics if d.configured)
    parts = ([f"{warnings} warning{'s' if warnings != 1 else ''}"] if warnings else []) + (
        [f"{configured} at a severity set in handpress.toml"] if configured else [])
    return ": " + ", ".join(parts) if parts else ""


@cli.command()
@project_option
@strict_option
@click.option("--info", "show_info", is_flag=True, help="Also list notes, such as pages not yet translated.")
@click.option("--format", "fmt", type=click.Choice(["text", "github", "sarif"]), default="text", show_default=True,
              help="How to list the findings: `path:line: severity: message` on stderr; GitHub Actions "
                   "annotations; or a SARIF 2.1.0 log on stdout (the summary then goes to stderr).")
@user_errors
def check(project: Path, strict: bool, show_info: bool, fmt: str) -> None:
    """Check the content without writing anything (the checks: docs/checks.md)."""
    from handpress.build.pipeline import prepare, render_site

    try:
        prepared = prepare(project, strict=strict)
        render_site(prepared)  # some template errors show only while rendering; the pages are not written
    except HandpressError as exc:
        if fmt == "text":
            raise
        _annotate(exc.diagnostics, fmt, show_info, project)
        sys.exit(exc.exit_code)
    _annotate(prepared.diagnostics, fmt, show_info, project)
    warnings = sum(1 for d in prepared.diagnostics if d.severity == "warning")
    notes = sum(1 for d in prepared.diagnostics if d.severity == "info")
    hint = " (list them with --info)" if notes and not show_info else ""
    configured = sum(1 for d in prepared.diagnostics if d.configured)
    set_here = f"; {configured} at a severity set in handpress.toml" if configured else ""
    click.echo(f"Checked {len(prepared.site.keys)} pages: no errors, {warnings} warnings, "
               f"{notes} notes{hint}{set_here}.", err=fmt == "sarif")


def _annotate(diagnostics: tuple[Diagnostic, ...], fmt: str, show_info: bool, project: Path) -> None:
    """The check's findings as ``fmt`` says: text lines on stderr, GitHub annotations or SARIF on stdout
    (there at paths from the working directory, where CI runs, not from the project)."""
    from handpress import annotations

    shown = [d for d in diagnostics if show_info or d.severity != "info"]
    if fmt == "text":
        for diagnostic in shown:
            click.echo(diagnostic.format(), err=True)
        return
    findings = [annotations.from_diagnostic(d, within=project) for d in shown]
    if fmt == "github":
        click.echo(annotations.github(findings), nl=False)
    else:
        click.echo(annotations.sarif(findings, tool="handpress check", version=__version__), nl=False)


def main() -> None:
    """The ``handpress`` command. Once the command has finished (all written and closed, the workers
    joined), the process ends without tearing the interpreter down: freeing a build's objects one by
    one took ~60 ms, longer than a one-page rebuild's writing."""
    try:
        cli(prog_name="handpress")
        code: int = 0
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = exc.code if isinstance(exc.code, int) else 0 if exc.code is None else 1
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
