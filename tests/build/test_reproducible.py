"""Two builds of the same input give the same bytes; no output holds the build time or a machine's paths."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, copy_fixture

TEXT_SUFFIXES = {".html", ".xml", ".css", ".txt", ".svg", ".json", ".js"}


def build_in_subprocess(project: Path, out: Path, hash_seed: str) -> None:
    """A fresh interpreter per build, with its own hash seed, so set and dict order cannot leak into output."""
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    subprocess.run([sys.executable, "-m", "handpress", "build", "--html-only", "--project", str(project),
                    "--out", str(out)], check=True, env=env, capture_output=True, text=True)


def files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*"))
            if p.is_file() and "pdf" not in p.relative_to(out).parts}


@pytest.fixture(scope="module", params=["sample", "unusual"])
def two_builds(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    root = tmp_path_factory.mktemp("repro")
    project = REPO if request.param == "sample" else copy_fixture("unusual", root)
    first, second = root / "first", root / "second"
    build_in_subprocess(project, first, "1")
    build_in_subprocess(project, second, "2")
    return project, first, second


def test_two_builds_are_byte_identical(two_builds: tuple[Path, Path, Path]) -> None:
    _, first, second = two_builds
    a, b = files(first), files(second)
    assert sorted(a) == sorted(b)
    assert [name for name in a if a[name] != b[name]] == []
    assert any(name.endswith("sitemap.xml") for name in a) and len(a) > 20


def test_no_output_holds_a_path_of_this_machine(two_builds: tuple[Path, Path, Path]) -> None:
    project, first, _ = two_builds
    needles = {str(project), str(project.resolve()), str(REPO), str(first), str(first.parent), str(Path.home()),
               "/tmp/", "file://"}
    for name, data in files(first).items():
        if Path(name).suffix in TEXT_SUFFIXES:
            text = data.decode("utf-8")
            assert [n for n in needles if n in text] == [], name


def test_no_output_holds_the_build_date(two_builds: tuple[Path, Path, Path]) -> None:
    project, first, _ = two_builds
    today = dt.date.today()
    stamps = {today.isoformat(), today.strftime("%d %B %Y"), today.strftime("%B %d, %Y"),
              today.strftime("%B %-d, %Y"), today.strftime("%-d %B %Y")}
    sources = "\n".join(p.read_text(encoding="utf-8", errors="replace")
                        for p in (project / "content").rglob("*") if p.suffix in {".md", ".yaml", ".yml"})
    stamps = {s for s in stamps if s not in sources}  # a date the content itself holds may appear
    for name, data in files(first).items():
        if Path(name).suffix in TEXT_SUFFIXES:
            text = data.decode("utf-8")
            assert [s for s in stamps if s in text] == [], name
