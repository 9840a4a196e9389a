"""Exit codes CI can trust: a usage error exits 1 with click's message, never 2 (2 means "new accessibility
issues", which a pipeline may tolerate). Every command is walked, so a command added later is covered too."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from handpress.commands.cli import cli


def _commands(group: click.Group, ctx: click.Context, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found = [path]
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, name
        if isinstance(command, click.Group):
            found += _commands(command, click.Context(command, parent=ctx), path + (name,))
        else:
            found.append(path + (name,))
    return found


COMMANDS = _commands(cli, click.Context(cli))


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        found = command.get_command(click.Context(command), name)
        assert found is not None
        command = found
    return command


def invoke(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), prog_name="handpress", catch_exceptions=False)
    return result.exit_code, result.stderr


def test_the_walk_finds_every_command() -> None:
    names = {" ".join(p) for p in COMMANDS}
    assert {"", "build", "check", "audit", "pdf", "serve", "new", "translate", "i18n", "i18n extract",
            "i18n update"} <= names


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p) or "handpress")
def test_an_unknown_option_exits_1_with_clicks_message(path: tuple[str, ...]) -> None:
    code, stderr = invoke(*path, "--bogus")
    assert code == 1
    assert "Error: No such option '--bogus'" in stderr
    assert f"Usage: handpress {' '.join(path)}".rstrip() in stderr


def _bad_value(command: click.Command, tmp_path: Path) -> tuple[list[str], str]:
    """Arguments giving one of the command's parameters a value it refuses, and click's words for it."""
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    for param in command.params:
        if isinstance(param, click.Option) and isinstance(param.type, click.IntRange):
            return [param.opts[0], "-5"], "is not in the range"
    for param in command.params:
        if isinstance(param, click.Option) and isinstance(param.type, click.Choice):
            return [param.opts[0], "no-such-choice"], "is not one of"
    for param in command.params:
        if isinstance(param.type, click.Path) and not param.type.file_okay:
            prefix = [param.opts[0]] if isinstance(param, click.Option) else []
            return [*prefix, str(a_file)], "is a file"
    for param in command.params:  # a command whose options are all flags: a value given to a flag
        if isinstance(param, click.Option) and param.is_flag and param.opts[0] != "--help":
            return [f"{param.opts[0]}=yes"], "does not take a value"
    raise AssertionError(f"{command.name} has no parameter to give a bad value: add a case here")


@pytest.mark.parametrize("path", [p for p in COMMANDS if p and not isinstance(_command(p), click.Group)],
                         ids=" ".join)
def test_a_bad_value_exits_1_with_clicks_message(path: tuple[str, ...], tmp_path: Path) -> None:
    args, words = _bad_value(_command(path), tmp_path)
    code, stderr = invoke(*path, *args)
    assert code == 1
    assert ("Error: Invalid value for" in stderr or "does not take a value" == words) and words in stderr


@pytest.mark.parametrize("args, message", [
    (["no-such-command"], "Error: No such command 'no-such-command'."),
    (["new"], "Error: Missing argument 'DIRECTORY'."),
    (["translate"], "Error: Missing option '--to'."),
    (["i18n", "nope"], "Error: No such command 'nope'."),
])
def test_missing_arguments_and_unknown_commands_exit_1(args: list[str], message: str) -> None:
    code, stderr = invoke(*args)
    assert (code, stderr.splitlines()[-1]) == (1, message)


def test_help_and_version_exit_0() -> None:
    assert invoke("--help")[0] == 0
    assert invoke("audit", "--help")[0] == 0
    assert invoke("--version")[0] == 0


def test_the_installed_command_exits_1_on_a_usage_error() -> None:
    """The real entry point (``python -m handpress``, the same ``main`` as the ``handpress`` script)."""
    done = subprocess.run([sys.executable, "-m", "handpress", "audit", "--bogus"], capture_output=True, text=True)
    assert done.returncode == 1
    assert "Error: No such option '--bogus'" in done.stderr
    assert "Traceback" not in done.stderr
