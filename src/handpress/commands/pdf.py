"""``handpress pdf``: only the PDF handbooks, written into out/pdf/ (the rest of out/ is left alone)."""

from __future__ import annotations

from pathlib import Path

import click

from handpress.commands.cli import (out_option, print_diagnostics, project_option, shard_option, strict_option,
                                    user_errors)
from handpress.shards import Shard


@click.command()
@click.argument("ids", nargs=-1, metavar="[ID]...")
@click.option("--lang", "langs", multiple=True, metavar="CODE",
              help="Only this language (repeatable; default: each handbook's languages).")
@project_option
@out_option
@strict_option
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: cores).")
@shard_option("the handbooks × languages")
@user_errors
def pdf(ids: tuple[str, ...], langs: tuple[str, ...], project: Path, out: Path | None, strict: bool,
        jobs: int | None, shard: Shard | None) -> None:
    """Make the PDF handbooks ID... (default: all of them) into out/pdf/<id>.<lang>.pdf."""
    from handpress import progress
    from handpress.build.pipeline import build_pdfs

    run = build_pdfs(project, out, ids=ids, langs=langs, strict=strict, jobs=jobs, shard=shard,
                     progress=progress.terminal(min_total=1))
    print_diagnostics(run.diagnostics)
    for rel in run.pdfs:
        click.echo(f"  {run.out / rel}")
    part = f" (shard {shard})" if shard else ""
    click.echo(f"Made {len(run.pdfs)} PDF{'s' if len(run.pdfs) != 1 else ''} ({run.pages} pages){part} "
               f"in {run.seconds:.1f}s.")
