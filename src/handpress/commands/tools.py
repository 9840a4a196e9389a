"""``handpress tools``: the Node and Java tools audits need (``install`` them per user, ``check`` what is there)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from handpress.commands.cli import project_option, user_errors
from handpress.errors import EXIT_ERROR, EXIT_OK


@click.group()
def tools() -> None:
    """The tools audits need: pa11y and vnu.jar (installed here), Node.js, Chromium and Java (the system's)."""


@tools.command()
@click.option("--force", is_flag=True, help="Install again even if the same versions are installed.")
@user_errors
def install(force: bool) -> None:
    """Install handpress's pinned pa11y, puppeteer and vnu-jar with `npm ci` into the per-user folder
    ($HANDPRESS_TOOLS_DIR, else the platform's user data folder). No browser is downloaded."""
    from handpress.audit.tools.install import install as run_install
    done = run_install(force=force)
    click.echo(f"Installed the audit's Node tools in {done.folder}." if done.changed
               else f"The audit's Node tools in {done.folder} are up to date.")


@tools.command()
@project_option
@user_errors
def check(project: Path) -> None:
    """List Node.js, pa11y, vnu.jar, Chromium and Java: where each was found and its version, or how to
    get it. Exits 0 only when all are there."""
    from handpress.audit.settings import read_project
    from handpress.audit.tools.status import check_tools

    setting = read_project(project.resolve()).settings.chromium
    found = check_tools(project, chromium_setting=setting)
    width = max(len(t.name) for t in found)
    version_width = max(len(t.version) for t in found if t.ok) if any(t.ok for t in found) else 0
    for tool in found:
        if tool.ok:
            click.echo(f"{tool.name:<{width}}  ok       {tool.version:<{version_width}}  {tool.path} ({tool.source})")
        else:
            at = f" at {tool.path}" if tool.path else ""
            click.echo(f"{tool.name:<{width}}  MISSING  {tool.problem}{at}; get it with {tool.hint}")
    missing = [t.name for t in found if not t.ok]
    click.echo(f"Missing: {', '.join(missing)}." if missing else "All the audit's tools are there.")
    sys.exit(EXIT_ERROR if missing else EXIT_OK)
