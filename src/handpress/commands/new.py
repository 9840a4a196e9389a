"""``handpress new DIR``: a small project that builds, and passes its audit, as it is.

The files are in ``skeleton/`` next to this module: settings, a home page, a section of two pages,
an image and one handbook. ``$title``-style fields in them are filled in with :class:`string.Template`
(values are quoted for TOML and YAML first, so any title is safe).
"""

from __future__ import annotations

import json
import string
from pathlib import Path

import click

from handpress.commands.cli import user_errors
from handpress.errors import HandpressError

SKELETON = Path(__file__).parent / "skeleton"
RENAMED = {"gitignore": ".gitignore"}  # kept without the dot in the package, so packaging keeps them
TEXT_SUFFIXES = frozenset({".md", ".toml", ".svg", ""})


def create(target: Path, *, title: str, organisation: str = "") -> list[Path]:
    """Write a new project into ``target`` (which must be new or empty). Returns the files written.
    Its pages are in English (``language = "en"``); change both to write in another language."""
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise HandpressError.at(str(target), None, "already exists and is not empty; choose a new folder")
    values = {"title_toml": _quoted(title), "title_yaml": _quoted(title),
              "organisation_toml": _quoted(organisation or title)}
    written = []
    for source in sorted(SKELETON.rglob("*")):
        if not source.is_file() or "__pycache__" in source.parts:
            continue
        rel = source.relative_to(SKELETON)
        path = target / rel.parent / RENAMED.get(rel.name, rel.name)
        path.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix in TEXT_SUFFIXES:
            path.write_text(string.Template(source.read_text(encoding="utf-8")).substitute(values), encoding="utf-8")
        else:
            path.write_bytes(source.read_bytes())
        written.append(path)
    return written


def _quoted(text: str) -> str:
    """A double-quoted string that TOML and YAML both read back as ``text`` (their escapes agree with JSON's)."""
    return json.dumps(text, ensure_ascii=False)


@click.command()
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="My guide", show_default=True, help="The title of the site and its handbook.")
@click.option("--organisation", default="", help="Who publishes it (default: the title).")
@click.option("--from-mkdocs", "from_mkdocs", is_flag=True,
              help="DIRECTORY is an MkDocs project: write its handpress.toml from its mkdocs.yml.")
@user_errors
def new(directory: Path, title: str, organisation: str, from_mkdocs: bool) -> None:
    """Start a new project in DIRECTORY: settings, four pages in English, an image and a handbook.
    With --from-mkdocs, write the handpress.toml of the MkDocs project in DIRECTORY instead."""
    if from_mkdocs:
        from handpress.commands import from_mkdocs as convert

        target = convert.write(directory)
        click.echo(f"Wrote {target} from its mkdocs.yml (which handpress no longer reads; MkDocs still can).")
        click.echo("  What handpress does not use is listed at the top of the file.")
        return
    written = create(directory, title=title, organisation=organisation)
    click.echo(f"Created {len(written)} files in {directory}. Next:")
    click.echo(f"  handpress serve --project {directory}    see the site as you edit it")
    click.echo(f"  handpress build --project {directory}    build it into {directory / 'out'}")
