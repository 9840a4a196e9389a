"""Parallel builds: worker processes give the same bytes as one process, and the same errors."""

from __future__ import annotations

import gc
import os
from pathlib import Path

import pytest

from handpress.build import parallel, writer
from handpress.build.pipeline import build
from handpress.errors import TemplateError

from conftest import copy_fixture


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and p.name != writer.MARKER}


@pytest.fixture
def workers_for_small_sites(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers even for a five-page fixture (normally they start from dozens of pages)."""
    monkeypatch.setattr(parallel, "MIN_PER_WORKER", 1)


def spy_on_forks(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    started: list[int] = []
    real = parallel.Workers._start

    def start(self: parallel.Workers, amount: int) -> int:
        count = real(self, amount)
        started.append(count)
        return count

    monkeypatch.setattr(parallel.Workers, "_start", start)
    return started


@pytest.mark.parametrize("fixture", ["basic", "unusual"])
def test_two_jobs_build_the_same_bytes_as_one(fixture: str, tmp_path: Path, workers_for_small_sites: None,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_fixture(fixture, tmp_path)
    build(project, tmp_path / "one", html_only=True, jobs=1, cache=False)
    started = spy_on_forks(monkeypatch)
    build(project, tmp_path / "two", html_only=True, jobs=2, cache=False)
    assert max(started) == 2  # it did fork
    assert files(tmp_path / "two") == files(tmp_path / "one")


def test_workers_render_pages_whose_fragments_came_from_the_cache(tmp_path: Path, workers_for_small_sites: None
                                                                   ) -> None:
    project = copy_fixture("basic", tmp_path)
    build(project, tmp_path / "first", html_only=True, jobs=2)  # fills the cache
    build(project, tmp_path / "second", html_only=True, jobs=2)  # parses nothing: tokens come back on demand
    build(project, tmp_path / "plain", html_only=True, jobs=1, cache=False)
    assert files(tmp_path / "second") == files(tmp_path / "plain")


def broken_template(tmp_path: Path) -> Path:
    project = copy_fixture("basic", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "page.html").write_text(
        '{% extends "base/page.html" %}\n{% block footer %}\n{{ page.no_such_thing }}\n{% endblock %}\n')
    return project


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_template_error_in_a_worker_is_the_same_located_error(jobs: int, tmp_path: Path,
                                                                 workers_for_small_sites: None) -> None:
    project = broken_template(tmp_path)
    with pytest.raises(TemplateError) as caught:
        build(project, html_only=True, jobs=jobs)
    assert [d.format() for d in caught.value.diagnostics] == [
        "templates/page.html:3: error: undefined name in template: 'handpress.site.model.Page object' has no "
        "attribute 'no_such_thing' (while rendering content/index.md) [template]",
    ]
    assert not (project / "out").exists()
    assert not staging_left(project)  # the workers had written pages into it: stopped, then it was removed


def test_a_build_failing_after_workers_wrote_pages_leaves_no_staging_folder(tmp_path: Path,
                                                                              workers_for_small_sites: None) -> None:
    project = copy_fixture("basic", tmp_path)
    (project / "templates").mkdir()
    (project / "templates" / "page.html").write_text(  # only the last page fails: the others are written first
        '{% extends "base/page.html" %}\n{% block footer %}\n'
        '{% if page.key == "news" %}{{ page.no_such_thing }}{% endif %}\n{% endblock %}\n')
    written: list[str] = []
    real = writer.write_files

    def spy(root: Path, files: list[tuple[str, bytes]]) -> int:
        written.extend(rel for rel, _ in files)
        return real(root, files)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(writer, "write_files", spy)
        with pytest.raises(TemplateError):
            build(project, html_only=True, jobs=1)
    assert "index.html" in written  # pages were in the staging folder when the build failed
    assert not (project / "out").exists() and not staging_left(project)
    with pytest.raises(TemplateError):
        build(project, html_only=True, jobs=2)
    assert not (project / "out").exists() and not staging_left(project)


def test_a_bug_in_a_worker_is_raised_with_its_traceback(tmp_path: Path, workers_for_small_sites: None,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_fixture("basic", tmp_path)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(parallel, "render_pages", broken)  # the forked workers inherit it
    with pytest.raises(RuntimeError) as caught:
        build(project, html_only=True, jobs=2, cache=False)
    message = str(caught.value)
    assert message.startswith("handpress worker ") and " failed:\nTraceback (most recent call last):" in message
    assert message.rstrip().endswith("ZeroDivisionError: a bug")
    assert not staging_left(project)


def staging_left(project: Path) -> list[str]:
    return [p.name for p in project.iterdir() if p.name.startswith((".out.new-", ".out.old-"))]


def test_workers_are_gone_after_the_build(tmp_path: Path, workers_for_small_sites: None) -> None:
    project = copy_fixture("basic", tmp_path)
    build(project, html_only=True, jobs=2, cache=False)
    assert [p for p in Path("/proc").iterdir() if p.name.isdigit() and _parent(p) == os.getpid()] == []


def _parent(proc: Path) -> int | None:
    """The parent pid of a /proc entry, or None for a process that ended while we looked."""
    try:
        return int((proc / "stat").read_text().split(") ")[-1].split()[1])
    except (FileNotFoundError, ProcessLookupError):
        return None


def test_small_work_stays_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = copy_fixture("basic", tmp_path)
    started = spy_on_forks(monkeypatch)
    build(project, html_only=True, jobs=8, cache=False)
    assert started and max(started) == 0


def test_the_collector_is_paused_and_restored() -> None:
    assert gc.isenabled()
    with parallel.paused_gc():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), parallel.paused_gc():
        raise ValueError
    assert gc.isenabled()
