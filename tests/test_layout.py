"""The package's folders are its stages, and imports run one way: a stage never imports a later one."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from conftest import REPO

PACKAGE = REPO / "src" / "handpress"
# Earlier layers first. The modules at the top of the package are the shared core every stage may use.
LAYERS = ("core", "config", "site", "i18n", "handbook", "build", "audit", "commands")


def _layer(parts: tuple[str, ...]) -> str:
    """The layer of a module given as its parts under handpress (``("site", "markdown")``)."""
    return parts[0] if parts and (PACKAGE / parts[0]).is_dir() else "core"


def _imports(path: Path) -> list[tuple[int, tuple[str, ...]]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "handpress":
            base = tuple(node.module.split(".")[1:])
            for alias in node.names:  # ``from handpress import x`` names a module
                found.append((node.lineno, base + (alias.name,) if not base else base))
        elif isinstance(node, ast.Import):
            found += [(node.lineno, tuple(a.name.split(".")[1:])) for a in node.names if a.name.startswith("handpress.")]
    return found


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "skeleton" not in p.parts)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_imports_a_later_stage(path: Path) -> None:
    here = _layer(path.relative_to(PACKAGE).parts[:-1])
    if path.parent == PACKAGE and path.name == "__main__.py":
        return  # ``python -m handpress`` runs the command line
    later = [f"{path.relative_to(REPO)}:{line}: imports handpress.{'.'.join(parts)} ({_layer(parts)})"
             for line, parts in _imports(path) if LAYERS.index(_layer(parts)) > LAYERS.index(here)]
    assert later == [], f"{here} may only import earlier layers: {LAYERS}"


def test_every_folder_is_a_known_stage_and_the_top_holds_only_the_core() -> None:
    folders = sorted(p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").is_file())
    assert folders == sorted(set(LAYERS) - {"core"})
    top = sorted(p.stem for p in PACKAGE.glob("*.py") if not p.name.startswith("__"))
    assert top == ["annotations", "digest", "errors", "progress", "result", "shards", "theme", "urls"]


def test_no_module_is_over_400_lines() -> None:
    long = {str(p.relative_to(PACKAGE)): n for p in _modules()
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 400}
    assert long == {}
