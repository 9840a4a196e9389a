"""The default theme: overrides file by file, the base/ prefix, and shipping inside the wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from handpress.build.pipeline import build

from conftest import FIXTURES, REPO, copy_fixture, parse_html


def test_project_template_extends_the_file_it_replaces(tmp_path: Path) -> None:
    project = copy_fixture("override", tmp_path)
    build(project, html_only=True)
    doc = parse_html(project / "out/index.html")
    assert doc.xpath("string(//p[@class='custom-footer'])") == "Published by the override fixture"
    assert doc.xpath("//footer//a[text()='Text only']")  # super() kept the theme's footer
    assert doc.xpath("//main/h1/text()") == ["Home"]
    text = parse_html(project / "out/text/index.html")  # other variants keep the default theme
    assert not text.xpath("//p[@class='custom-footer']")


def test_project_styles_override_by_name(tmp_path: Path) -> None:
    project = copy_fixture("override", tmp_path)
    build(project, html_only=True)
    assert (project / "out/assets/site.css").read_text() == (FIXTURES / "override/styles/site.css").read_text()
    assert (project / "out/assets/text.css").read_bytes() == (REPO / "styles/text.css").read_bytes()


def test_default_theme_ships_in_the_wheel_and_works_installed(tmp_path: Path) -> None:
    wheels = tmp_path / "wheels"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(wheels), str(REPO)], check=True)
    wheel = next(wheels.glob("handpress-*.whl"))
    names = zipfile.ZipFile(wheel).namelist()
    for needed in ("handpress/theme/templates/page.html", "handpress/theme/templates/text/page.html",
                   "handpress/theme/templates/print/page.html", "handpress/theme/styles/site.css"):
        assert needed in names
    site = tmp_path / "site-packages"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), str(wheel)],
                   check=True)
    project = copy_fixture("basic", tmp_path)
    script = ("import handpress.theme as t, handpress.build.pipeline as b, pathlib, sys;"
              "print(t.theme_root());"
              "b.build(pathlib.Path(sys.argv[1]), html_only=True)")
    env = {**os.environ, "PYTHONPATH": str(site)}
    result = subprocess.run([sys.executable, "-c", script, str(project)], env=env, cwd=tmp_path,
                            capture_output=True, text=True, check=True)
    assert result.stdout.strip() == str(site / "handpress" / "theme")
    assert parse_html(project / "out/guide/index.html").xpath("//main/h1/text()") == ["The guide"]
