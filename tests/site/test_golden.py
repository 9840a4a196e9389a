"""Golden HTML for the 'basic' fixture. Regenerate only on purpose: pytest --update-golden."""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from conftest import TESTS

GOLDEN = TESTS / "golden" / "basic"
KINDS = (".html", ".xml")


def outputs(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
            for p in sorted(root.rglob("*")) if p.suffix in KINDS and "pdf" not in p.parts}


def test_basic_fixture_matches_golden_html(basic_site: Path, request: pytest.FixtureRequest) -> None:
    built = outputs(basic_site)
    if request.config.getoption("--update-golden"):
        shutil.rmtree(GOLDEN, ignore_errors=True)
        for rel, text in built.items():
            (GOLDEN / rel).parent.mkdir(parents=True, exist_ok=True)
            (GOLDEN / rel).write_text(text, encoding="utf-8")
    expected = outputs(GOLDEN)
    assert sorted(built) == sorted(expected), "files differ from golden; rerun with --update-golden if intended"
    for rel in expected:
        if built[rel] != expected[rel]:
            diff = "".join(difflib.unified_diff(expected[rel].splitlines(True), built[rel].splitlines(True),
                                                f"golden/{rel}", f"built/{rel}", n=2))
            pytest.fail(f"{rel} differs from golden (pytest --update-golden if intended):\n{diff[:4000]}")
