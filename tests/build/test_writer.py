"""The writer: nothing escapes out/, nothing is lost (failed, interrupted, concurrent builds)."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from handpress.build import writer
from handpress.build.pipeline import build
from handpress.commands.cli import cli
from handpress.errors import HandpressError

HOSTILE_PATHS = [
    "../escape.html", "../../etc/passwd", "/etc/passwd", "a/../../escape", "a/b/../../../escape", "..", "",
    ".", "./", "a\\..\\..\\escape", "a\x00b", "\\\\server\\share", "/", "a/..", "../",
]


def tree_hash(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "<dir>"
            for p in sorted(root.rglob("*"))}


@pytest.mark.parametrize("rel", HOSTILE_PATHS)
def test_safe_join_refuses_paths_that_leave_the_root(rel: str, tmp_path: Path) -> None:
    with pytest.raises(HandpressError) as caught:
        writer.safe_join(tmp_path / "out", rel)
    assert caught.value.diagnostics[0].message == f"output path {rel!r} would leave the output folder"


@pytest.mark.parametrize("rel", ["index.html", "es/text/a/index.html", "café/über-uns/index.html",
                                 "a b/c%2e%2e/index.html", "...x/index.html", "a//b", "a./b/index.html"])
def test_safe_join_keeps_ordinary_paths_inside(rel: str, tmp_path: Path) -> None:
    path = writer.safe_join(tmp_path, rel)
    assert path.resolve().is_relative_to(tmp_path.resolve())


def test_write_files_reports_what_it_cannot_write_as_a_located_error(tmp_path: Path) -> None:
    """Workers write pages with no staging() around them: a failed write must still be a user error."""
    long_name = "x" * 300 + "/index.html"
    with pytest.raises(HandpressError) as caught:
        writer.write_files(tmp_path, [(long_name, b"page")])
    assert [d.format() for d in caught.value.diagnostics] == [
        f"{long_name}: error: could not write the output: File name too long"]


def test_write_files_refuses_hostile_names_before_writing_anything_outside(tmp_path: Path) -> None:
    root = tmp_path / "stage"
    root.mkdir()
    with pytest.raises(HandpressError):
        writer.write_files(root, [("ok.html", b"ok"), ("../escaped.html", b"bad")])
    assert not (tmp_path / "escaped.html").exists()


def test_two_outputs_for_one_file_are_an_error(tmp_path: Path) -> None:
    with pytest.raises(HandpressError) as caught:
        writer.write_files(tmp_path, [("a/index.html", b"1"), ("a/index.html", b"2")])
    assert str(caught.value) == "a/index.html: error: two outputs would be written to the same file"
    source = tmp_path / "logo.png"
    source.write_bytes(b"png")
    with pytest.raises(HandpressError):
        writer.copy_files(tmp_path, [("a/index.html", source)])
    assert (tmp_path / "a" / "index.html").read_bytes() == b"1"


def write_project(root: Path, pages: int = 3) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "handpress.toml").write_text('title = "Writer"\nlanguages = ["en", "es"]\n')
    (root / "content" / "index.md").write_text("# Home\n")
    for i in range(pages):
        (root / "content" / f"page-{i:04}.md").write_text(f"# Page {i}\n\n" + "Some text. " * 40 + "\n")
    return root


def test_a_failure_while_writing_leaves_the_previous_out(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    build(project, html_only=True)
    out = project / "out"
    before = tree_hash(out)
    (project / "content" / "page-0000.md").write_text("# Changed\n")
    with pytest.raises(RuntimeError):
        with writer.build_lock(out), writer.staging(out) as tmp:
            writer.write_files(tmp, [("index.html", b"half a build")])
            raise RuntimeError("disk on fire")
    assert tree_hash(out) == before
    assert sorted(p.name for p in project.iterdir()) == [".handpress-cache", ".out.lock", "content",
                                                        "handpress.toml", "out"]


def test_a_signal_during_the_swap_waits_until_out_is_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / writer.MARKER).write_text(writer.MARKER_TEXT)
    (out / "index.html").write_bytes(b"old")
    real_rename = os.rename
    calls = []

    def rename_then_interrupt(src: Path, dst: Path) -> None:
        real_rename(src, dst)
        calls.append(dst)
        if len(calls) == 1:  # out/ has been moved aside, the new one is not in place yet
            os.kill(os.getpid(), signal.SIGINT)

    monkeypatch.setattr(writer.os, "rename", rename_then_interrupt)
    with pytest.raises(KeyboardInterrupt):
        with writer.staging(out) as tmp:
            (tmp / "index.html").write_bytes(b"new")
    assert len(calls) == 2
    assert (out / "index.html").read_bytes() == b"new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_killed_build_are_removed_by_the_next(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    for name in (".out.new-abc123", ".out.old-def456/out"):
        (project / name).mkdir(parents=True)
        (project / name / "index.html").write_bytes(b"stale")
    (project / ".outside.new-keep").mkdir()
    build(project, html_only=True)
    assert sorted(p.name for p in project.iterdir()) == [".handpress-cache", ".out.lock", ".outside.new-keep",
                                                        "content", "handpress.toml", "out"]


def test_out_is_replaced_only_if_handpress_wrote_it(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    precious = tmp_path / "documents"
    precious.mkdir()
    (precious / "thesis.docx").write_bytes(b"years of work")
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--out", str(precious)])
    assert result.exit_code == 1
    assert result.stderr == (f"{precious}: error: is not empty and was not written by handpress, so a build will "
                             "not replace it; choose a new or empty output folder with --out\n")
    assert tree_hash(precious) == {"thesis.docx": hashlib.sha256(b"years of work").hexdigest()}
    result = CliRunner().invoke(cli, ["build", "--project", str(project), "--out", str(project)])
    assert result.exit_code == 1 and (project / "content" / "index.md").is_file()
    empty = tmp_path / "empty"
    empty.mkdir()
    assert CliRunner().invoke(cli, ["build", "--project", str(project), "--out", str(empty)]).exit_code == 0
    assert (empty / writer.MARKER).read_text() == writer.MARKER_TEXT
    assert CliRunner().invoke(cli, ["build", "--project", str(project), "--out", str(empty)]).exit_code == 0


def test_a_second_build_of_the_same_output_is_refused(tmp_path: Path) -> None:
    project = write_project(tmp_path / "p")
    build(project, html_only=True)
    out = (project / "out").resolve()
    before = tree_hash(out)
    (project / "content" / "index.md").write_text("# Home, changed\n")
    with writer.build_lock(out):  # another build is writing
        result = CliRunner().invoke(cli, ["build", "--project", str(project)])
    assert result.exit_code == 1
    assert result.stderr == (f"{out}: error: another handpress build is writing this folder; wait for it to "
                             "finish and try again\n")
    assert tree_hash(out) == before


# A real `handpress build` in a subprocess, slowed down where the test needs it to be caught: it prints
# a line when it reaches the phase, so the signal lands there and nowhere else.
HARNESS = textwrap.dedent("""
    import sys, time
    import handpress.build.pipeline as b
    import handpress.build.writer as w
    phase = sys.argv[2]
    real_render, real_write = b.render_site, w.write_files
    written = [0]

    def slow_render(*args, **kwargs):
        if phase == "render":
            print("PHASE", flush=True)
            time.sleep(30)
        return real_render(*args, **kwargs)

    def slow_write(root, files):  # pages are written as they are rendered, the rest after
        n = 0
        for rel, data in files:
            n += real_write(root, [(rel, data)])
            written[0] += 1
            if phase == "write" and written[0] == 20:
                print("PHASE", flush=True)
                time.sleep(30)
        return n

    b.render_site, b.write_files, w.write_files = slow_render, slow_write, slow_write
    from handpress.commands.cli import main
    sys.argv = ["handpress", "build", "--project", sys.argv[1]]
    main()
""")


@pytest.mark.parametrize("phase", ["render", "write"])
@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_an_interrupted_build_leaves_the_previous_out(phase: str, sig: signal.Signals, tmp_path: Path) -> None:
    project = write_project(tmp_path / "p", pages=10)
    build(project, html_only=True)
    out = project / "out"
    before = tree_hash(out)
    (project / "content" / "index.md").write_text("# Home, changed\n")
    proc = subprocess.Popen([sys.executable, "-c", HARNESS, str(project), phase], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline() == "PHASE\n"
    if phase == "write":
        assert [p.name for p in project.iterdir() if p.name.startswith(".out.new-")]  # caught mid-write
    proc.send_signal(sig)
    stdout, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert stderr == "handpress: interrupted; out/ was left as it was.\n"
    assert tree_hash(out) == before
    assert sorted(p.name for p in project.iterdir()) == [".handpress-cache", ".out.lock", "content",
                                                        "handpress.toml", "out"]


def test_a_build_interrupted_for_real_is_all_or_nothing(tmp_path: Path) -> None:
    """The unpatched command on a slow project, stopped as soon as its staging folder appears."""
    project = write_project(tmp_path / "p", pages=60)
    build(project, html_only=True)
    out = project / "out"
    before = tree_hash(out)
    (project / "content" / "index.md").write_text("# Home, changed\n")
    proc = subprocess.Popen([sys.executable, "-m", "handpress", "build", "--html-only", "--project", str(project)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    while proc.poll() is None and not any(p.name.startswith(".out.new-") for p in project.iterdir()):
        time.sleep(0.001)
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=60)
    after = tree_hash(out)
    if proc.returncode == 130:
        assert after == before
    else:  # the build won the race: the whole new output, never a mix
        assert proc.returncode == 0 and after != before
        assert set(after) == set(before)
    assert not [p for p in project.iterdir() if p.name.startswith(".out.") and p.name != ".out.lock"]


def test_remove_files_takes_files_and_the_folders_they_leave_empty_never_outside(tmp_path: Path) -> None:
    out = tmp_path / "out"
    writer.replace_files(out, [("pagefind/index/a.pf_index", b"a"), ("pagefind/index/b.pf_index", b"b"),
                               ("pagefind/fragment/c.pf_fragment", b"c"), ("index.html", b"<p>")])
    assert writer.remove_files(out, ["pagefind/index/a.pf_index", "pagefind/fragment/c.pf_fragment",
                                     "pagefind/gone.pf_meta"]) == 2
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        writer.MARKER, "index.html", "pagefind", "pagefind/index", "pagefind/index/b.pf_index"]
    (tmp_path / "precious").write_text("keep")
    with pytest.raises(HandpressError, match="would leave the output folder"):
        writer.remove_files(out, ["../precious"])
    assert (tmp_path / "precious").read_text() == "keep"
    stranger = tmp_path / "stranger"
    stranger.mkdir()
    (stranger / "notes.txt").write_text("mine")
    with pytest.raises(HandpressError, match="was not written by handpress"):
        writer.remove_files(stranger, ["notes.txt"])
    assert (stranger / "notes.txt").is_file()
