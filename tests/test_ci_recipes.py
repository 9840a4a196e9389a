"""The CI recipes in docs/ci.md, read from the page (PyYAML) and run here, job by job and step by step, as
their CI engine would: GitHub Actions' matrix and GitLab's `parallel:` expanded (CI_NODE_INDEX and
CI_NODE_TOTAL set), each job in a fresh copy of the repository with the artifacts of the jobs before it,
caches kept between jobs. The project has one image without alt text (lowered to a warning for the build),
so the merged audit must fail with exit 2 and annotate that Markdown line.

Actions are stood in for by what they do (checkout copies the repository, the artifact actions copy
folders, setup-node checks the Node.js here); `pip install handpress` and `apt-get install` are shims that
check that handpress, and each Debian package (or the command it brings), are installed here. Every `run`/`script` line runs for real."""

from __future__ import annotations

import fnmatch
import json
import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from itertools import product
from pathlib import Path

import pytest
import yaml
from markdown_it import MarkdownIt

from conftest import REPO

pytestmark = pytest.mark.install          # a few minutes: it builds, installs the tools and audits 4 × 2 times

ISSUE_PAGE = "![](images/diagram.svg)\n"     # line 5 of content/issue.md: an image without alt text
SHIMS = {
    "pip": """#!/bin/sh
[ "$1" = install ] && [ "$2" = handpress ] && [ $# = 2 ] || { echo "pip shim: unexpected: pip $*" >&2; exit 1; }
exec {python} -c 'import handpress'
""",
    "apt-get": """#!/bin/sh
[ "$1" = update ] && exit 0
[ "$1" = install ] || {{ echo "apt-get shim: unexpected: $*" >&2; exit 1; }}
shift
for p in "$@"; do
  case "$p" in -*) continue;; nodejs) c=node;; default-jre-headless) c=java;; *) c="$p";; esac
  dpkg -s "$p" >/dev/null 2>&1 || command -v "$c" >/dev/null || {{ echo "not installed: $p" >&2; exit 1; }}
done
""",
}


def recipes() -> dict[str, dict[str, object]]:
    """Each ```yaml block of docs/ci.md, by the file its first line names."""
    found = {}
    for token in MarkdownIt("commonmark").parse((REPO / "docs" / "ci.md").read_text(encoding="utf-8")):
        if token.type == "fence" and token.info.strip() == "yaml":
            first = token.content.splitlines()[0]
            assert first.startswith("# "), first
            found[first[2:].strip()] = yaml.safe_load(token.content)
    return found


@dataclass
class World:
    """What outlives a job: the repository, the artifacts, the caches, the shims, the environment."""

    tmp: Path
    repo: Path
    env: dict[str, str]
    artifacts: dict[str, Path] = field(default_factory=dict)
    caches: Path = Path()
    log: list[tuple[str, int, str]] = field(default_factory=list)     # (job, exit code, output)

    def run(self, job: str, script: str, cwd: Path, env: dict[str, str]) -> int:
        done = subprocess.run(["bash", "-e", "-o", "pipefail", "-c", script], cwd=cwd, env={**self.env, **env},
                              capture_output=True, text=True, timeout=900)
        self.log.append((job, done.returncode, done.stdout + done.stderr))
        if done.returncode:
            print(f"--- {job}: exit {done.returncode}\n{script}\n{done.stdout[-3000:]}{done.stderr[-3000:]}")
        return done.returncode


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> World:
    tmp = tmp_path_factory.mktemp("ci")
    repo = tmp / "repo"
    new = subprocess.run([sys.executable, "-m", "handpress", "new", str(repo)], capture_output=True, text=True)
    assert new.returncode == 0, new.stderr
    (repo / "content" / "issue.md").write_text("# An issue\n\nA paragraph.\n\n" + ISSUE_PAGE, encoding="utf-8")
    with (repo / "handpress.toml").open("a", encoding="utf-8") as toml:  # a warning for the build, found by the audit
        toml.write('\n[checks.severity]\nimage-alt = "warning"\n')
    shims = tmp / "shims"
    shims.mkdir()
    for name, text in SHIMS.items():
        (shims / name).write_text(text.replace("{python}", sys.executable).replace("{{", "{").replace("}}", "}"),
                                  encoding="utf-8")
        (shims / name).chmod(0o755)
    (shims / "sudo").write_text('#!/bin/sh\nexec "$@"\n', encoding="utf-8")
    (shims / "sudo").chmod(0o755)
    home = tmp / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HANDPRESS_", "CI_", "GITHUB_", "XDG_"))}
    env.update(PATH=os.pathsep.join([str(shims), str(Path(sys.executable).parent), env["PATH"]]), HOME=str(home),
               CI="true", npm_config_cache=str(Path.home() / ".npm"))
    return World(tmp, repo, env, caches=tmp / "caches")


def _workspace(world: World, name: str) -> Path:
    folder = world.tmp / "jobs" / name
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(world.repo, folder)
    return folder


# ---- GitHub Actions -------------------------------------------------------------------------------------

def _expand(text: str, matrix: dict[str, object]) -> str:
    for key, value in matrix.items():
        text = text.replace("${{ matrix.%s }}" % key, str(value))
    assert "${{" not in text, f"an expression the local run does not know: {text}"
    return text


def _github_job(world: World, name: str, job: dict, matrix: dict[str, object]) -> bool:
    label = name + "".join(f"-{v}" for v in matrix.values())
    ws = _workspace(world, label)
    home = Path(world.env["HOME"])
    ok = True
    saves: list[tuple[Path, Path]] = []
    for step in job["steps"]:
        always = step.get("if") in ("${{ always() }}", "always()")
        if not ok and not always:
            continue
        uses, given = step.get("uses", ""), step.get("with", {})
        if "run" in step:
            ok = world.run(label, _expand(step["run"], matrix), ws, {"GITHUB_ACTIONS": "true"}) == 0 and ok
        elif uses.startswith(("actions/checkout@", "actions/setup-python@")):
            pass                                            # the workspace is the repository; Python is here
        elif uses.startswith("actions/setup-node@"):
            version = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout
            assert int(version.lstrip("v").split(".")[0]) >= int(given["node-version"])
        elif uses.startswith("actions/cache@"):
            for line in given["path"].split():
                path = Path(line.replace("~", str(home), 1)) if line.startswith("~") else ws / line
                stored = world.caches / "github" / line.replace("/", "_")
                if stored.is_dir():
                    shutil.copytree(stored, path, dirs_exist_ok=True)
                saves.append((path, stored))
        elif uses.startswith("actions/upload-artifact@"):                # no files: a warning, as there
            if (ws / given["path"]).is_dir():
                world.artifacts[_expand(given["name"], matrix)] = _kept(ws / given["path"], world.tmp / "artifacts")
        elif uses.startswith("actions/download-artifact@"):
            names = [given["name"]] if "name" in given else fnmatch.filter(world.artifacts, given["pattern"])
            for artifact in names:
                target = ws / given["path"] / ("" if "name" in given else artifact)
                shutil.copytree(world.artifacts[artifact], target, dirs_exist_ok=True)
        elif uses.startswith("github/codeql-action/upload-sarif@"):
            assert json.loads((ws / given["sarif_file"]).read_text())["version"] == "2.1.0"
        else:
            raise AssertionError(f"{label}: no local stand-in for {uses}")
    for path, stored in saves:                              # the post-job cache save
        if path.is_dir():
            shutil.copytree(path, stored, dirs_exist_ok=True)
    return ok


def _kept(folder: Path, store: Path) -> Path:
    kept = store / f"{len(list(store.glob('*'))) if store.is_dir() else 0}"
    shutil.copytree(folder, kept)
    return kept


def test_the_github_actions_recipe_runs(world: World) -> None:
    workflow = recipes()[".github/workflows/accessibility.yml"]
    results: dict[str, bool] = {}
    for name, job in workflow["jobs"].items():              # written in the order of their needs
        needs = job.get("needs", [])
        needs = [needs] if isinstance(needs, str) else needs
        if not all(results[n] for n in needs) and job.get("if") != "${{ always() }}":
            results[name] = False
            continue
        axes = job.get("strategy", {}).get("matrix", {})
        combos = [dict(zip(axes, values)) for values in product(*axes.values())] or [{}]
        results[name] = all([_github_job(world, name, job, combo) for combo in combos])
    failed = {job: (code, out[-2000:]) for job, code, out in world.log if code != 0}
    assert results == {"build": True, "audit": True, "report": False}, failed
    (job, code, out), = [entry for entry in world.log if entry[1] != 0]
    assert (job, code) == ("report", 2)                      # the merge: new issues, as one audit says
    assert "::error file=content/issue.md,line=5,title=axe%3A image-alt::" in out
    assert "(4 shards merged)" in out
    assert _shards(world) == [1, 2, 3, 4]
    report = world.artifacts["audit-report"]
    assert (report / "report.html").is_file() and (report / "junit.xml").is_file()


def _shards(world: World) -> list[int]:
    """The shards whose jobs said they audited their part (job audit-K said "shard K/4")."""
    return sorted(int(job.rsplit("-", 1)[1]) for job, code, out in world.log
                  if job.startswith("audit-") and code == 0 and f"(shard {job.rsplit('-', 1)[1]}/4 of" in out)


# ---- GitLab CI ------------------------------------------------------------------------------------------

def _gitlab_job(world: World, name: str, job: dict, variables: dict[str, str], index: int | None,
                total: int | None) -> bool:
    label = name if index is None else f"{name}-{index}"
    ws = _workspace(world, label)
    for artifact in world.artifacts.values():              # every earlier stage's artifacts
        shutil.copytree(artifact, ws, dirs_exist_ok=True)
    env = {"CI_PROJECT_DIR": str(ws), "GITLAB_CI": "true"}
    if index is not None:
        env.update(CI_NODE_INDEX=str(index), CI_NODE_TOTAL=str(total))
    env.update({k: os.path.expandvars(v.replace("$CI_PROJECT_DIR", str(ws))) for k, v in variables.items()})
    cache = job.get("cache", {})
    for path in cache.get("paths", []):
        stored = world.caches / "gitlab" / path.replace("/", "_")
        if stored.is_dir():
            shutil.copytree(stored, ws / path, dirs_exist_ok=True)
    script = "\n".join(job.get("before_script", []) + job["script"])
    ok = world.run(label, script, ws, env) == 0
    for path in cache.get("paths", []):
        if (ws / path).is_dir():
            shutil.copytree(ws / path, world.caches / "gitlab" / path.replace("/", "_"), dirs_exist_ok=True)
    artifacts = job.get("artifacts", {})
    if ok or artifacts.get("when") == "always":
        kept = world.tmp / "gitlab-artifacts" / label
        for pattern in artifacts.get("paths", []):
            for found in ws.glob(pattern.rstrip("/")):
                shutil.copytree(found, kept / found.relative_to(ws), dirs_exist_ok=True)
        if kept.is_dir():
            world.artifacts[label] = kept
    return ok


def test_the_gitlab_ci_recipe_runs(world: World) -> None:
    world.artifacts.clear()
    world.log.clear()
    pipeline = recipes()[".gitlab-ci.yml"]
    variables = pipeline.get("variables", {})
    jobs = {k: v for k, v in pipeline.items() if isinstance(v, dict) and "script" in v}
    results: dict[str, bool] = {}
    for stage in pipeline["stages"]:
        for name, job in jobs.items():
            if job["stage"] != stage:
                continue
            if not all(results.values()) and job.get("when") != "always":
                results[name] = False
                continue
            total = job.get("parallel")
            runs = [(k, total) for k in range(1, total + 1)] if total else [(None, None)]
            results[name] = all([_gitlab_job(world, name, job, variables, k, n) for k, n in runs])
    failed = {job: (code, out[-2000:]) for job, code, out in world.log if code != 0}
    assert results == {"build": True, "audit": True, "audit-report": False}, failed
    (job, code, out), = [entry for entry in world.log if entry[1] != 0]
    assert (job, code) == ("audit-report", 2)
    assert "(4 shards merged)" in out
    assert _shards(world) == [1, 2, 3, 4]
    junit = ET.parse(world.artifacts["audit-report"] / "audit-report" / "junit.xml").getroot()
    assert int(junit.get("failures", "0")) > 0 and int(junit.get("errors", "0")) == 0
