"""Shared test helpers: fixture projects, built sites, HTML parsing, the golden-file flag."""

from __future__ import annotations

import shutil
from pathlib import Path

import lxml.html
import pytest

from handpress.build.pipeline import build

TESTS = Path(__file__).parent
FIXTURES = TESTS / "fixtures"
REPO = TESTS.parent


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "install: installs handpress from its wheel into a fresh venv (a minute); "
                            "runs with --handpress-audit, as `make test` and CI run the suite")
    config.addinivalue_line("markers", "corpus_audit: pa11y over every page of a real corpus (minutes); runs with "
                            "--handpress-audit, as `make test` and CI run the suite")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("handpress_audit"):
        return
    later = pytest.mark.skip(reason="a fresh-venv install: runs with --handpress-audit (make test, CI)")
    corpus = pytest.mark.skip(reason="a whole corpus through pa11y: runs with --handpress-audit (make test, CI)")
    for item in items:
        if "install" in item.keywords:
            item.add_marker(later)
        elif item.get_closest_marker("corpus_audit") is not None:
            item.add_marker(corpus)


def copy_fixture(name: str, tmp_path: Path) -> Path:
    target = tmp_path / name
    shutil.copytree(FIXTURES / name, target, symlinks=True)
    return target


def parse_html(path: Path) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(path.read_bytes())


@pytest.fixture(scope="session")
def basic_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The 'basic' fixture project, built once (HTML only) for read-only tests."""
    project = copy_fixture("basic", tmp_path_factory.mktemp("basic"))
    build(project, html_only=True)
    return project / "out"


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The repository's sample publication, built once (HTML only) into a temporary folder."""
    out = tmp_path_factory.mktemp("sample") / "out"
    build(REPO, out, html_only=True)
    return out


def html_pages(out: Path) -> list[Path]:
    return sorted(p for p in out.rglob("index.html") if "audit" not in p.relative_to(out).parts)


def assert_fonts_embedded_and_subset(pdf_file: Path) -> None:
    """Every font in the PDF has its program embedded, as a subset (a ``ABCDEF+`` name prefix)."""
    import re

    import pikepdf

    with pikepdf.open(pdf_file) as doc:
        fonts = [o for o in doc.objects if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/FontDescriptor"]
        assert fonts
        for font in fonts:
            assert any(k in font for k in ("/FontFile", "/FontFile2", "/FontFile3")), font.FontName
            assert re.match(r"^/[A-Z]{6}\+", str(font.FontName)), font.FontName
