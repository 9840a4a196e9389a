"""The search index in the build (handpress.build.search): one per language, made again only for a language
whose pages changed, written through the staging folder, and a failure leaves out/ as it was."""

from __future__ import annotations

import gzip
import os
import stat
from pathlib import Path

import pytest

from handpress.build.pipeline import build
from handpress.errors import HandpressError, ToolMissing

from conftest import copy_fixture


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_fixture("basic", tmp_path)


def index(out: Path, prefix: str) -> dict[str, tuple[int, int]]:
    """Each file of one language's index with its inode and mtime."""
    root = out / prefix / "pagefind"
    return {p.relative_to(out).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in sorted(root.rglob("*"))
            if p.is_file()}


def test_each_language_is_indexed_again_only_when_one_of_its_pages_changed(project: Path) -> None:
    build(project, html_only=True)
    out = project / "out"
    english, spanish = index(out, ""), index(out, "es")
    assert english and spanish and "pagefind/pagefind.js" in english and "es/pagefind/pagefind.js" in spanish
    home = project / "content" / "index.es.md"  # a Spanish page: the English index is kept
    home.write_text(home.read_text(encoding="utf-8") + "\nUn párrafo nuevo sobre tortugas.\n", encoding="utf-8")
    build(project, html_only=True)
    assert index(out, "") == english
    assert set(index(out, "es").values()).isdisjoint(spanish.values())
    fragments = b"".join(gzip.decompress(p.read_bytes()) for p in (out / "es/pagefind/fragment").iterdir())
    assert "tortugas".encode() in fragments


def test_a_damaged_index_is_made_again(project: Path) -> None:
    build(project, html_only=True)
    entry = project / "out" / "pagefind" / "pagefind-entry.json"
    good = entry.read_bytes()
    entry.write_bytes(b"{}")
    build(project, html_only=True)
    assert entry.read_bytes() == good


def test_a_full_build_indexes_too(project: Path) -> None:
    result = build(project)
    assert result.pdfs and (project / "out" / "pagefind" / "pagefind-entry.json").is_file()
    assert (project / "out" / "es" / "pagefind" / "pagefind-entry.json").is_file()


def test_a_failed_index_leaves_out_as_it_was(project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    build(project, html_only=True)
    out = project / "out"
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    broken = tmp_path / "pagefind"
    broken.write_text("#!/bin/sh\necho 'Error: the disk is full' >&2\nexit 3\n")
    broken.chmod(broken.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(broken))
    page = project / "content" / "news.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nMore news.\n", encoding="utf-8")
    with pytest.raises(HandpressError) as caught:
        build(project, html_only=True)
    assert [d.format() for d in caught.value.diagnostics] == [
        "pagefind: error: the search index in 'en' could not be made (pagefind exit code 3): Error: the disk is full"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before
    assert not [p for p in out.parent.iterdir() if p.name.startswith(".out.new-")]


def test_a_missing_pagefind_says_how_to_install_it(project: Path, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", os.fspath(tmp_path / "nowhere" / "pagefind"))
    with pytest.raises(ToolMissing) as caught:
        build(project, html_only=True)
    assert [d.format() for d in caught.value.diagnostics] == [
        "pagefind: error: the Pagefind binary is not installed; install handpress's dependency with "
        "`pip install 'pagefind[bin]'` (or `make setup`), or point PAGEFIND_BINARY_PATH at a pagefind binary"]
    assert not (project / "out").exists()
