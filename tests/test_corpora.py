"""The corpus fetcher: pinned source archives, hash-checked, cached, failures are failures."""

from __future__ import annotations

import dataclasses

import pytest

from corpora import CACHE, CORPORA, docs, fetch


@pytest.mark.parametrize("name", sorted(CORPORA))
def test_every_corpus_has_markdown_docs_and_a_licence(name: str) -> None:
    root = fetch(name)
    assert root.parent.parent == CACHE
    assert (root.parent / ".handpress-sha256").read_text().strip() == CORPORA[name].sha256
    assert len(list(docs(name).rglob("*.md"))) >= 10
    assert any(p.name.upper().startswith("LICENSE") for p in root.iterdir())
    assert fetch(name) == root  # cached: the same folder again


def test_a_wrong_hash_fails_the_test_and_leaves_nothing_behind() -> None:
    good = CORPORA["starlette"]
    bad = dataclasses.replace(good, sha256="0" * 64)
    with pytest.raises(pytest.fail.Exception, match="pip download failed"):
        fetch(bad)
    assert not list(CACHE.glob(f"{good.name}-{good.version}-000000000000*"))
    assert not list(CACHE.glob(".download-*"))


def test_a_missing_release_fails_the_test() -> None:
    missing = dataclasses.replace(CORPORA["starlette"], version="0.0.0.999")
    with pytest.raises(pytest.fail.Exception, match="pip download failed"):
        fetch(missing)
