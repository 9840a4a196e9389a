"""The audit cache: a page's key changes with its HTML, its stylesheets and the settings, nothing else."""

from __future__ import annotations

from pathlib import Path

from handpress.audit.cache import AuditCache, stylesheets


def _site(root: Path) -> None:
    (root / "assets").mkdir(parents=True)
    (root / "assets" / "site.css").write_text("body { color: #111 }", encoding="utf-8")
    (root / "assets" / "print.css").write_text("body { color: #000 }", encoding="utf-8")
    (root / "about").mkdir()
    (root / "about" / "index.html").write_text(
        '<!doctype html><link rel="stylesheet" href="../assets/site.css"><link rel=preload href="x.css">'
        '<link rel="stylesheet" href="https://cdn.example/x.css"><title>A</title>', encoding="utf-8")


def test_stylesheets_are_resolved_relative_to_the_page(tmp_path: Path) -> None:
    _site(tmp_path)
    html = (tmp_path / "about" / "index.html").read_bytes()
    assert stylesheets(html, "about/index.html", tmp_path) == [tmp_path / "assets" / "site.css"]


def test_key_depends_on_html_linked_css_and_salt(tmp_path: Path) -> None:
    _site(tmp_path)
    cache = AuditCache(tmp_path / "cache", "salt")
    first = cache.key(tmp_path, "about/index.html")
    (tmp_path / "assets" / "print.css").write_text("body { color: red }", encoding="utf-8")
    assert AuditCache(tmp_path / "cache", "salt").key(tmp_path, "about/index.html") == first
    (tmp_path / "assets" / "site.css").write_text("body { color: #999 }", encoding="utf-8")
    assert AuditCache(tmp_path / "cache", "salt").key(tmp_path, "about/index.html") != first
    assert AuditCache(tmp_path / "cache", "other").key(tmp_path, "about/index.html") != first


def test_entries_round_trip_and_torn_files_are_dropped(tmp_path: Path) -> None:
    cache = AuditCache(tmp_path, "salt")
    cache.put("ab" * 32, {"issues": [{"code": "x"}]})
    assert cache.get("ab" * 32) == {"issues": [{"code": "x"}]}
    assert cache.get("cd" * 32) is None
    torn = tmp_path / "ef" / f"{'ef' * 32}.json"
    torn.parent.mkdir()
    torn.write_text('{"issues": [', encoding="utf-8")
    assert cache.get("ef" * 32) is None and not torn.exists()
