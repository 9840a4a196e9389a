"""A pip user's handpress: the wheel built from this checkout, installed into a fresh virtual environment
outside it, gets its audit tools with `handpress tools install` and audits a new project (exit 0).

The per-user folder is platformdirs' default (XDG_DATA_HOME points into the test's folder); nothing of the
checkout (its node_modules, its .venv) is on the way."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from handpress.audit.server import serve

from conftest import REPO

pytestmark = pytest.mark.install


def sh(*args: str | Path, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(a) for a in args], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, str]]:
    """(the venv's bin folder, a work folder outside the checkout, the environment to run it in)."""
    tmp = tmp_path_factory.mktemp("wheel")
    assert not tmp.resolve().is_relative_to(REPO)
    env = {k: v for k, v in os.environ.items()
           if k not in ("HANDPRESS_TOOLS_DIR", "VIRTUAL_ENV", "PYTHONPATH", "HANDPRESS_CHROMIUM")}
    env["PATH"] = os.pathsep.join(p for p in env["PATH"].split(os.pathsep)
                                  if not Path(p).resolve().is_relative_to(REPO))
    env["XDG_DATA_HOME"] = str(tmp / "data")
    built = sh(sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation", "-w", tmp / "dist",
               REPO, cwd=tmp, env=env)
    assert built.returncode == 0, built.stderr
    (wheel,) = (tmp / "dist").glob("handpress-*.whl")
    made = sh(sys.executable, "-m", "venv", tmp / "venv", cwd=tmp, env=env)
    assert made.returncode == 0, made.stderr
    bin_dir = tmp / "venv" / "bin"
    done = sh(bin_dir / "pip", "install", "-q", wheel, cwd=tmp, env=env)
    assert done.returncode == 0, done.stderr
    return bin_dir, tmp, env


def test_new_build_tools_install_check_audit(installed: tuple[Path, Path, dict[str, str]]) -> None:
    bin_dir, tmp, env = installed
    handpress = bin_dir / "handpress"
    where = sh(bin_dir / "python", "-c", "import handpress; print(handpress.__file__)", cwd=tmp, env=env)
    assert Path(where.stdout.strip()).is_relative_to(tmp / "venv"), where
    assert sh(handpress, "new", "site", cwd=tmp, env=env).returncode == 0
    built = sh(handpress, "build", "--project", "site", cwd=tmp, env=env)
    assert built.returncode == 0, built.stderr

    before = sh(handpress, "audit", "--project", "site", cwd=tmp, env=env)
    assert before.returncode == 1
    assert "pa11y is not installed; run `handpress tools install`" in before.stderr

    first = sh(handpress, "tools", "install", cwd=tmp, env=env)
    assert first.returncode == 0, first.stdout + first.stderr
    user = tmp / "data" / "handpress" / "node-tools"
    assert f"Installed the audit's Node tools in {user}." in first.stdout
    assert (user / "node_modules" / "pa11y" / "package.json").is_file()
    assert not (user / "node_modules" / "pa11y-ci").exists()                  # devDependencies left out
    again = sh(handpress, "tools", "install", cwd=tmp, env=env)
    assert again.returncode == 0 and "are up to date" in again.stdout

    check = sh(handpress, "tools", "check", "--project", "site", cwd=tmp, env=env)
    assert check.returncode == 0, check.stdout
    assert f"{user / 'node_modules' / 'pa11y'} (the per-user folder)" in check.stdout
    assert str(REPO) not in check.stdout

    audited = sh(handpress, "audit", "--project", "site", cwd=tmp, env=env)
    assert audited.returncode == 0, audited.stdout + audited.stderr
    assert "No new issues." in audited.stdout
    assert (tmp / "site" / "out" / "audit" / "report.html").is_file()
    folder = sh(handpress, "audit", "--dir", tmp / "site" / "out" / "text", "--out", tmp / "text-report",
                cwd=tmp, env=env)
    assert folder.returncode == 0, folder.stdout + folder.stderr
    with serve(tmp / "site" / "out") as base:                       # the site deployed on 127.0.0.1
        deployed = sh(handpress, "audit", "--url", base, "--out", tmp / "url-report", cwd=tmp, env=env)
    assert deployed.returncode == 0, deployed.stdout + deployed.stderr
    assert f"by sitemap {base}sitemap.xml" in deployed.stderr and "No new issues." in deployed.stdout
