"""`handpress pdf`: only the handbooks asked for, into out/pdf/, the rest of out/ untouched; user mistakes
and PDF problems reported as `path: error: message` with exit 1 and nothing written."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner, Result

from handpress.commands.cli import cli

from conftest import REPO, copy_fixture


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def snapshot(out: Path) -> dict[str, tuple[str, int]]:
    """Every file under out/: its hash and inode (a file rewritten in place or replaced shows)."""
    return {p.relative_to(out).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(), p.stat().st_ino)
            for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple[str, int]]]:
    """The handbook fixture built in full (site and PDFs), with a snapshot of its out/."""
    project = copy_fixture("handbook", tmp_path_factory.mktemp("pdfcmd"))
    result = run("build", "--project", str(project))
    assert result.exit_code == 0, result.output
    return project, snapshot(project / "out")


def test_makes_only_the_pdfs_asked_for_and_leaves_the_site_alone(built, tmp_path: Path) -> None:
    project, before = built
    result = run("pdf", "brief", "--lang", "es", "--project", str(project))
    assert result.exit_code == 0, result.output
    out = project / "out"
    after = snapshot(out)
    assert sorted(after) == sorted(before)
    changed = [rel for rel in after if after[rel] != before[rel]]
    assert changed == ["pdf/brief.es.pdf"]  # replaced (new inode)...
    assert after["pdf/brief.es.pdf"][0] == before["pdf/brief.es.pdf"][0]  # ...by the same bytes the build made
    assert "Made 1 PDF (" in result.stdout and str(out / "pdf/brief.es.pdf") in result.stdout
    with pikepdf.open(out / "pdf/brief.es.pdf") as doc:
        assert str(doc.Root.Lang) == "es" and len(doc.pages) > 3


def test_every_handbook_in_every_language_into_a_new_folder(built, tmp_path: Path) -> None:
    project, _ = built
    out = tmp_path / "pdfs"
    result = run("pdf", "--project", str(project), "--out", str(out))
    assert result.exit_code == 0, result.output
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf")) == [
        "pdf/brief.ar.pdf", "pdf/brief.en.pdf", "pdf/brief.es.pdf"]
    pages = sum(len(pikepdf.open(p).pages) for p in out.rglob("*.pdf"))
    assert f"Made 3 PDFs ({pages} pages)" in result.stdout
    # A folder it made is marked as handpress's, so a later build may replace it.
    assert (out / ".handpress-output").is_file()
    assert run("build", "--project", str(project), "--out", str(out)).exit_code == 0


@pytest.mark.parametrize("args, message", [
    (["brif"], "handpress.toml: error: no handbook 'brif' in this project; did you mean 'brief'? [pdf-handbook]"),
    (["nothing-like-it"], "handpress.toml: error: no handbook 'nothing-like-it' in this project (it has: brief) "
                          "[pdf-handbook]"),
    (["brief", "--lang", "fr"], "handpress.toml: error: handbook 'brief' is not published in 'fr' "
                                "(languages: ar, en, es) [pdf-language]"),
])
def test_unknown_handbook_or_language_is_a_located_user_error(built, args: list[str], message: str) -> None:
    project, _ = built
    before = snapshot(project / "out")
    result = run("pdf", *args, "--project", str(project))
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [message]
    assert "Traceback" not in result.output
    assert snapshot(project / "out") == before


def test_a_folder_handpress_did_not_write_is_refused(built, tmp_path: Path) -> None:
    project, _ = built
    (tmp_path / "mine.txt").write_text("keep me")
    result = run("pdf", "--project", str(project), "--out", str(tmp_path))
    assert result.exit_code == 1 and "was not written by handpress" in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.txt"]


def test_a_pdf_problem_fails_and_writes_nothing(tmp_path: Path) -> None:
    project = copy_fixture("handbook", tmp_path)
    assert run("build", "--project", str(project)).exit_code == 0
    before = snapshot(project / "out")
    page = project / "content/briefing/offices.md"
    page.write_text(page.read_text() + "\n![A map](../images/remote.svg)\n")  # a local image that reaches out
    (project / "content/images/remote.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        '<image href="https://example.com/map.png" width="10" height="10"/></svg>\n', encoding="utf-8")
    for command in ("build", "pdf"):
        result = run(command, "--project", str(project))
        assert result.exit_code == 1, command
        assert ("pdf/brief.en.pdf: error: refused to embed the resource 'https://example.com/map.png': not a file "
                "in the project (handbooks embed only local files) [pdf-resource]") in result.stderr.splitlines(), command
        assert "Traceback" not in result.output
        assert snapshot(project / "out") == before, command


def test_strict_fails_on_what_weasyprint_warns_about(tmp_path: Path) -> None:
    project = copy_fixture("handbook", tmp_path)
    (project / "styles").mkdir()
    theme_css = (REPO / "styles" / "handbook.css").read_text(encoding="utf-8")
    (project / "styles" / "handbook.css").write_text(theme_css + "\n.chapter { colr: red; }\n", encoding="utf-8")
    lenient = run("pdf", "--project", str(project), "--lang", "en")
    assert lenient.exit_code == 0 and "warning: PDF: Ignored `colr: red`" in lenient.stderr
    strict = run("pdf", "--project", str(project), "--lang", "en", "--strict")
    assert strict.exit_code == 1 and "error: PDF: Ignored `colr: red`" in strict.stderr


def test_shards_make_every_pdf_once_between_them(built, tmp_path: Path) -> None:
    project, before = built
    made: list[str] = []
    for k in (1, 2):
        out = tmp_path / f"shard-{k}"
        result = CliRunner().invoke(cli, ["pdf", "--project", str(project), "--out", str(out)],
                                    env={"CI_NODE_INDEX": str(k), "CI_NODE_TOTAL": "2"}, catch_exceptions=False)
        assert result.exit_code == 0, result.output
        assert f"(shard {k}/2)" in result.stdout
        mine = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.pdf"))
        assert mine, f"shard {k}/2 made nothing"
        for rel in mine:  # the same bytes the full build made
            assert hashlib.sha256((out / rel).read_bytes()).hexdigest() == before[rel][0]
        made += mine
    assert sorted(made) == ["pdf/brief.ar.pdf", "pdf/brief.en.pdf", "pdf/brief.es.pdf"]
    again = run("pdf", "--project", str(project), "--out", str(tmp_path / "again"), "--shard", "1/2")
    assert sorted(p.name for p in (tmp_path / "again").rglob("*.pdf")) == sorted(
        p.name for p in (tmp_path / "shard-1").rglob("*.pdf"))                  # the same part every time


def test_a_shard_past_the_last_is_a_usage_error(built) -> None:
    project, _ = built
    result = run("pdf", "--project", str(project), "--shard", "3/2")
    assert result.exit_code == 1
    assert "Error: Invalid value for '--shard': shard 3/2: K must be between 1 and 2" in result.stderr
