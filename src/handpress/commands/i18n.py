"""``handpress i18n extract|update`` (interface catalogs) and ``handpress translate`` (machine drafts)."""

from __future__ import annotations

from pathlib import Path

import click

from handpress.commands.cli import print_diagnostics, project_option, user_errors
from handpress.config import load_config
from handpress.errors import HandpressError
from handpress.i18n import catalogs
from handpress.i18n import translate as drafts


@click.group()
def i18n() -> None:
    """Interface translations: extract the templates' strings, update each language's catalog.

    Catalogs live in locales/<lang>/LC_MESSAGES/messages.po and are compiled by every build.
    """


@i18n.command()
@project_option
@user_errors
def extract(project: Path) -> None:
    """Write locales/messages.pot from the theme's and the project's templates."""
    load_config(project)
    report = catalogs.write_template(project.resolve())
    click.echo(f"{report.path}: {report.messages} messages ({report.status}).")


@i18n.command()
@project_option
@click.option("--language", "-l", "languages", multiple=True, metavar="CODE",
              help="Update only this language's catalog (repeatable; default: every configured language).")
@user_errors
def update(project: Path, languages: tuple[str, ...]) -> None:
    """Merge locales/messages.pot into each language's catalog (creating missing ones)."""
    config = load_config(project)
    unknown = [code for code in languages if code not in config.languages]
    if unknown:
        raise HandpressError.at("handpress.toml", None, f"'{unknown[0]}' is not one of the configured languages "
                                f"({', '.join(config.languages)})")
    chosen = languages or config.languages
    for report in catalogs.update_catalogs(project.resolve(), chosen):
        click.echo(f"{report.path}: {report.status}; {report.messages} messages, "
                   f"{report.untranslated} untranslated, {report.fuzzy} fuzzy.")
    for code in chosen:
        if not catalogs.needs_catalog(code):
            click.echo(f"{code}: no catalog needed (the templates are written in English).")


@click.command()
@project_option
@click.option("--to", "target", required=True, metavar="CODE", help="The language to write drafts in.")
@click.option("--hook", "hook", default=None, metavar="MODULE:FUNCTION",
              help="Use this hook instead of [translate] hook (e.g. handpress.i18n.pseudo:translate).")
@click.option("--dry-run", is_flag=True, help="Run the hook and list what would be written; write nothing.")
@user_errors
def translate(project: Path, target: str, hook: str | None, dry_run: bool) -> None:
    """Machine-translate every untranslated page and interface string into drafts for review.

    Pages get page.<lang>.md files marked machine_translated: true; interface strings get fuzzy entries in
    the project's locales/<lang>/LC_MESSAGES/messages.po. Existing translations are never overwritten.
    """
    plan = drafts.plan(project, target, hook)
    print_diagnostics(plan.diagnostics)
    if not plan.drafts and not plan.entries:
        click.echo(f"Nothing to translate into {target}: every page and interface string has a translation.")
        return
    verb = "would write" if dry_run else "wrote"
    written = [] if dry_run else drafts.write(plan)
    for draft in plan.drafts:
        click.echo(f"{verb} {draft.target} ({draft.segments} segments from {draft.source}; machine translated)")
    if plan.entries:
        shown = catalogs.display_path(plan.project, plan.catalog_path)
        entries = "1 fuzzy entry" if plan.entries == 1 else f"{plan.entries} fuzzy entries"
        click.echo(f"{verb} {shown} ({entries}; used once a person reviews them and removes the fuzzy flag)")
    if not dry_run:
        click.echo(f"Translated into {target} with '{plan.hook}': {len(written)} files. Review the drafts before "
                   "publishing; pages built from them show a machine-translation notice.")
