"""pymdownx.snippets: ``--8<-- "file.md"`` on a line of its own puts that file's text there, before the page
is read as Markdown (so a snippet works inside a code fence too, as in MkDocs). Also the block form (a
``--8<--`` line, file names one a line, a ``--8<--`` line), line ranges (``"file.py:3:8"``), named sections
(``"file.md:intro"`` between ``--8<-- [start:intro]`` and ``--8<-- [end:intro]``), snippets inside snippets,
and ``;--8<--`` to write the marker itself.

This is a preprocessor over the Markdown source's lines, as pymdownx's own is. Files are read once, when the
document is read (:func:`gather`, from the snippet folders of ``[markdown] snippets`` / the extension's
``base_path``), with the guards every project path has: a name is relative to one of those folders, never
absolute, never leading out of it or out of the project (links followed), never a URL. The texts travel
in the :class:`Document`, so parsing (:func:`expand`) stays pure and the cache sees a changed snippet.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

_MARK = "8<"
_DEPTH = 8  # snippets inside snippets, at most


@dataclass(frozen=True)
class Snippets:
    """What a document's snippet lines include: the snippet folders, and the text of every file found."""

    folders: tuple[str, ...]
    texts: Mapping[str, str]
    append: tuple[str, ...] = ()  # snippets put at the end of the page (``auto_append``)

    def expand(self, text: str) -> "Expansion":
        """``text`` with its snippets in it and the appended ones after it, their lines the page's last."""
        done = expand(text, self.texts.get, lambda name: refusal(name, self.folders))
        if self.append:
            last = max(len(text.splitlines()) - 1, 0)
            tail = expand(appended(self.append), self.texts.get, lambda name: refusal(name, self.folders))
            kept = done.text.rstrip("\n")
            done.lines = done.lines[: len(kept.splitlines())] + [last] * (1 + len(tail.text.splitlines()))
            done.text = kept + "\n\n" + tail.text
            done.problems.extend((last, message) for _, message in tail.problems)
        return done


def appended(names: tuple[str, ...]) -> str:
    """The snippet lines that put ``names`` at the end of a page."""
    return "".join(f'--8<-- "{name}"\n' for name in names)


@dataclass
class Expansion:
    text: str
    lines: list[int] = field(default_factory=list)  # expanded line -> line of the original text (0-based)
    problems: list[tuple[int, str]] = field(default_factory=list)  # (original line, message)


def _marker(text: str) -> bool:
    """``--8<--`` (any number of dashes on each side)."""
    head, mark, tail = text.partition(_MARK)
    return bool(mark) and bool(head) and set(head) == {"-"} and bool(tail) and set(tail) == {"-"}


def _inline(stripped: str) -> str | None:
    """The quoted name of ``--8<-- "name"``, or None."""
    head, _, rest = stripped.partition(" ")
    rest = rest.strip()
    if not _marker(head) or len(rest) < 3 or rest[0] not in "\"'" or rest[-1] != rest[0]:
        return None
    return rest[1:-1]


def _section(text: str) -> tuple[str, str] | None:
    """('start'|'end', name) for a line holding ``--8<-- [start:name]`` (anywhere: often in a comment)."""
    words = text.split()
    for word, after in zip(words, words[1:]):
        if _marker(word) and after.startswith("[") and after.endswith("]"):
            kind, colon, name = after[1:-1].partition(":")
            if colon and kind in ("start", "end"):
                return kind, name.strip()
    return None


def split_name(spec: str) -> tuple[str, str]:
    """``file.py:3:8`` -> (``file.py``, ``3:8``); ``file.md:intro`` -> (``file.md``, ``intro``)."""
    name, colon, select = spec.partition(":")
    if colon and (select[:1].isdigit() or select[:1] in (":", "") or select.replace("_", "").replace("-", "").isalnum()):
        return name, select
    return spec, ""


def _select(text: str, select: str, spec: str) -> tuple[str, str | None]:
    """The part of a snippet's text ``select`` names (lines ``3:8``, ``3``, ``3:8,12:14``, or a section)."""
    lines = text.splitlines()
    if not select:
        return text, None
    if select[0].isdigit() or select[0] == ":":
        chosen: list[str] = []
        for part in select.split(","):
            first, colon, last = part.partition(":")
            try:
                start = max(int(first) - 1, 0) if first else 0
                stop = int(last) if last else (len(lines) if colon else start + 1)
            except ValueError:
                return "", f"snippet '{spec}': '{part}' is not a line range (write 3:8)"
            chosen.extend(lines[start:stop])
        return "\n".join(chosen), None
    inside, chosen, seen = False, [], False
    for line in lines:
        mark = _section(line)
        if mark == ("start", select):
            inside = seen = True
        elif mark == ("end", select):
            inside = False
        elif inside:
            chosen.append(line)
    if not seen:
        return "", f"snippet '{spec}' has no section '{select}' (mark it with --8<-- [start:{select}])"
    return "\n".join(chosen), None


def expand(text: str, read: Callable[[str], str | None], why: Callable[[str], str], depth: int = 0) -> Expansion:
    """``text`` with every snippet line replaced by the snippet (``read(name)``; None: ``why(name)`` says why)."""
    result = Expansion("")
    out: list[str] = []
    block: list[int] | None = None  # the line the open block form started on
    for number, line in enumerate(text.splitlines()):
        stripped = line.strip()
        indent = line[: len(line) - len(line.lstrip())]
        names: list[str] = []
        if block is not None:
            if _marker(stripped):
                block = None
            elif stripped and not stripped.startswith(";"):
                names = [stripped]
            if not names:
                continue
        elif _marker(stripped):
            block = [number]
            continue
        elif stripped.startswith(";") and _marker(stripped.lstrip(";").partition(" ")[0]):
            out.append(line.replace(";", "", 1))
            result.lines.append(number)
            continue
        elif _section(stripped) is not None:
            continue  # a section mark in an included file
        else:
            name = _inline(stripped)
            if name is None:
                out.append(line)
                result.lines.append(number)
                continue
            names = [name]
        for spec in names:
            name, select = split_name(spec)
            found = read(name)
            if found is None:
                result.problems.append((number, why(name)))
                continue
            found, problem = _select(found, select, spec)
            if problem:
                result.problems.append((number, problem))
            if depth < _DEPTH:
                inner = expand(found, read, why, depth + 1)
                found = inner.text
                result.problems.extend((number, message) for _, message in inner.problems)
            for piece in found.splitlines():
                out.append(indent + piece if piece else piece)
                result.lines.append(number)
    result.text = "\n".join(out) + ("\n" if text.endswith("\n") else "")
    return result


def refusal(name: str, folders: tuple[str, ...]) -> str:
    """Why the snippet ``name`` is not included (the same reasons at reading and at parsing)."""
    if "://" in name:
        return f"snippet '{name}' is not fetched: a build reads nothing over the network (copy it into the project)"
    if name.startswith("/") or ".." in posixpath.normpath(name).split("/"):
        return f"snippet '{name}' leads out of the snippet folders ({', '.join(folders)}); it is not included"
    return f"snippet '{name}' not found in {', '.join(f + '/' for f in folders)}"


def gather(text: str, project: Path, folders: tuple[str, ...], append: tuple[str, ...] = ()) -> Snippets:
    """Every snippet ``text`` includes (and those they include), and the ``append`` ones, read from
    ``folders`` under ``project``."""
    root = project.resolve()
    found: dict[str, str] = {}

    def read(name: str) -> str | None:
        if name in found:
            return found[name]
        if "://" in name or name.startswith("/") or ".." in posixpath.normpath(name).split("/"):
            return None
        for folder in folders:
            base = (root / folder).resolve()
            path = (base / name).resolve()
            if not path.is_relative_to(base) or not path.is_relative_to(root) or not path.is_file():
                continue
            try:
                found[name] = path.read_bytes().decode("utf-8-sig")
            except (OSError, UnicodeDecodeError):
                return None
            return found[name]
        return None

    expand(text + "\n" + appended(append), read, lambda name: "")
    return Snippets(folders, MappingProxyType(found), append)
