"""Shards on a CI job matrix: `--shard K/N` (or CI_NODE_INDEX/CI_NODE_TOTAL) audits a deterministic,
size-balanced part; `handpress audit merge` of all N parts gives exactly the issues, fixed baseline
entries and exit code of one unsharded audit."""

from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import given
from hypothesis import strategies as st

from handpress import shards
from handpress.commands.cli import cli

from conftest import FIXTURES

FAULTS = FIXTURES / "audit-faults"


def hp(*args: str | Path, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)


@pytest.mark.parametrize("text", ["3/2", "0/2", "1/0", "2", "a/b", "1/-2", ""])
def test_a_shard_that_cannot_be_is_a_usage_error(text: str, tmp_path: Path) -> None:
    result = hp("audit", "--project", tmp_path, "--dir", FAULTS, "--shard", text)
    assert result.exit_code == 1
    assert "Invalid value for '--shard'" in result.stderr


def test_the_messages_say_shards_count_from_1() -> None:
    with pytest.raises(shards.ShardError) as info:
        shards.parse("0/4")
    assert str(info.value) == "shard 0/4: K must be between 1 and 4 (shards count from 1)"
    with pytest.raises(shards.ShardError) as info:
        shards.parse("one/4")
    assert str(info.value) == "'one/4' is not K/N (e.g. 1/4: the first of four shards)"


def test_gitlab_variables_name_the_shard(tmp_path: Path) -> None:
    assert shards.from_env({"CI_NODE_INDEX": "2", "CI_NODE_TOTAL": "4"}) == shards.Shard(2, 4)
    assert shards.from_env({}) is None
    with pytest.raises(shards.ShardError):
        shards.from_env({"CI_NODE_INDEX": "5", "CI_NODE_TOTAL": "4"})
    result = hp("audit", "--project", tmp_path, "--dir", FAULTS, env={"CI_NODE_INDEX": "0", "CI_NODE_TOTAL": "4"})
    assert result.exit_code == 1 and "shards count from 1" in result.stderr


@given(st.lists(st.integers(min_value=0, max_value=10_000), max_size=60), st.integers(min_value=1, max_value=7))
def test_shards_partition_the_pages_and_balance_their_bytes(sizes: list[int], total: int) -> None:
    items = [(f"p{i:03}.html", size) for i, size in enumerate(sizes)]
    parts = [shards.deal(items, shards.Shard(k, total), size=lambda x: x[1], key=lambda x: x[0])
             for k in range(1, total + 1)]
    assert sorted(x for part in parts for x in part) == sorted(items)          # each page once
    assert all(part == sorted(part, key=items.index) for part in parts)        # in the original order
    loads = [sum(max(x[1], 1) for x in part) for part in parts]
    assert max(loads) - min(loads) <= max([max(s, 1) for s in sizes], default=0)
    again = shards.deal(list(reversed(items)), shards.Shard(1, total), size=lambda x: x[1], key=lambda x: x[0])
    assert sorted(again) == sorted(parts[0])                                   # the order given does not matter


def _project(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    (project / "handpress.toml").write_text('title = "Shards"\nlanguage = "en"\n', encoding="utf-8")
    return project


def _comparable(folder: Path) -> dict[str, object]:
    data = json.loads((folder / "report.json").read_text(encoding="utf-8"))
    for key in ("seconds", "shard"):
        data.pop(key)
    data["summary"].pop("cached")
    return data


def _junit(folder: Path) -> str:
    """junit.xml without its timing."""
    tree = ET.parse(folder / "junit.xml")
    for element in tree.iter():
        element.attrib.pop("time", None)
    return ET.tostring(tree.getroot(), encoding="unicode")


@pytest.fixture(scope="module")
def audited(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path, Result]:
    """One unsharded audit of the fault pages against a baseline that knows one issue and one that is fixed."""
    tmp = tmp_path_factory.mktemp("shards")
    project = _project(tmp)
    site = tmp / "site"
    shutil.copytree(FAULTS, site)
    baseline = project / "baseline.json"
    baseline.write_text(json.dumps({"format": 1, "issues": [
        {"page": "missing-alt.html", "code": "image-alt", "selector": "html > body > main > img"},
        {"page": "empty-link.html", "code": "no-longer-found", "selector": ""}]}), encoding="utf-8")
    one = hp("audit", "--project", project, "--dir", site, "--out", tmp / "one", "--baseline", baseline)
    return project, site, baseline, one


@pytest.mark.parametrize("total", [1, 2, 4])
def test_merged_shards_equal_one_run(audited: tuple[Path, Path, Path, Result], tmp_path: Path, total: int) -> None:
    project, site, baseline, one = audited
    assert one.exit_code == 2, one.output
    unsharded = _comparable(baseline.parent.parent / "one")
    assert unsharded["fixed"] == [{"page": "empty-link.html", "code": "no-longer-found", "selector": ""}]
    assert 0 < unsharded["summary"]["new"] < unsharded["summary"]["issues"]
    parts = []
    for k in range(1, total + 1):                       # the shards as a CI matrix runs them: each on its own
        out = tmp_path / f"shard-{k}"
        done = hp("audit", "--project", project, "--dir", site, "--out", out, "--report-only",
                  env={"CI_NODE_INDEX": str(k), "CI_NODE_TOTAL": str(total)})
        assert done.exit_code == 0, done.output
        assert f"(shard {k}/{total} of 6 pages and PDFs)" in done.output
        parts.append(out)
    pages = [[r["page"] for r in json.loads((p / "report.json").read_text())["results"]] for p in parts]
    assert sorted(sum(pages, [])) == sorted(r["page"] for r in unsharded["results"])   # type: ignore[union-attr]
    assert all(pages) and len(pages) == total
    merged = hp("audit", "merge", *reversed(parts), "--out", tmp_path / "merged", "--project", project,
                "--baseline", baseline)
    assert merged.exit_code == one.exit_code, merged.output
    assert _comparable(tmp_path / "merged") == unsharded
    assert _junit(tmp_path / "merged") == _junit(baseline.parent.parent / "one")
    assert f"({total} shards merged)" in merged.output if total > 1 else True


def test_merge_can_record_the_baseline_and_then_passes(audited: tuple[Path, Path, Path, Result],
                                                       tmp_path: Path) -> None:
    project, site, _, _ = audited
    parts = []
    for k in (1, 2):
        hp("audit", "--project", project, "--dir", site, "--out", tmp_path / f"s{k}", "--shard", f"{k}/2")
        parts.append(tmp_path / f"s{k}")
    recorded = tmp_path / "recorded.json"
    first = hp("audit", "merge", *parts, "--out", tmp_path / "m", "--project", project, "--baseline", recorded,
               "--update-baseline")
    assert first.exit_code == 0 and recorded.is_file()
    again = hp("audit", "merge", *parts, "--out", tmp_path / "m", "--project", project, "--baseline", recorded)
    assert again.exit_code == 0 and "No new issues." in again.output
    one = hp("audit", "--project", project, "--dir", site, "--out", tmp_path / "one", "--baseline", recorded)
    assert one.exit_code == 0
    assert _comparable(tmp_path / "m") == _comparable(tmp_path / "one")


def test_merge_refuses_an_incomplete_or_mixed_set(audited: tuple[Path, Path, Path, Result], tmp_path: Path) -> None:
    project, site, _, _ = audited
    for shard in ("1/3", "2/3", "3/3", "1/2"):
        hp("audit", "--project", project, "--dir", site, "--out", tmp_path / shard.replace("/", "-"), "--shard", shard)
    a, b, c, other = (tmp_path / n for n in ("1-3", "2-3", "3-3", "1-2"))

    def merge(*parts: Path) -> str:
        result = hp("audit", "merge", *parts, "--out", tmp_path / "m", "--project", project)
        assert result.exit_code == 1
        return result.stderr.strip()

    assert merge(a, c) == "merge: error: shard 2/3 missing: pass the report folders of all 3 shards"
    assert merge(a, b, b, c) == f"{b / 'report.json'}: error: shard 2/3 is also {b / 'report.json'}"
    assert merge(a, b, c, other).startswith(f"{a / 'report.json'}: error: the reports are shards of different totals")
    assert merge(a, b, c, site) == (f"{site / 'report.json'}: error: no such report; pass the folders that "
                                    "`handpress audit --shard K/N --out DIR` wrote")
    assert not (tmp_path / "m").exists()
