"""Audits as tests: ``pytest --handpress-audit`` builds the project into a temporary folder, runs ONE audit
over every page (one browser) and every PDF, and reports one test per page × variant × language and per PDF.

Without ``--handpress-audit`` the plugin only declares its options. ``--handpress-project DIR`` picks the
project (default: pytest's rootdir). The project's ``[audit]`` settings, baseline and cache are used, so a
page fails only on issues that are neither ignored nor in the baseline.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Iterator

import pytest

from handpress.errors import HandpressError

CACHE_DIR = Path(".handpress-cache") / "audit"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("handpress")
    group.addoption("--handpress-audit", action="store_true", default=False,
                    help="build the handpress project and audit every page and PDF as one test each")
    group.addoption("--handpress-project", metavar="DIR", default=None,
                    help="the handpress project to audit (default: the rootdir)")


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(session: pytest.Session, config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("handpress_audit"):
        return
    project = Path(config.getoption("handpress_project") or config.rootpath).resolve()
    collector = AuditCollector.from_parent(session, name="handpress-audit", nodeid="handpress-audit",
                                          project=project)
    items.extend(collector.collect())


class AuditFailed(Exception):
    """A page or PDF has issues that are neither ignored nor in the baseline."""


class AuditCollector(pytest.Collector):
    """Builds the project once, collects one item per target, and runs the one audit on first use."""

    def __init__(self, *, project: Path, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.project = project
        self.out: Path | None = None
        self._report = None
        self._failure: HandpressError | None = None

    def collect(self) -> Iterator[pytest.Item]:
        from handpress.audit.pages import find_targets
        from handpress.audit.settings import read_project
        from handpress.build.pipeline import build

        try:
            found = read_project(self.project)
            out = Path(tempfile.mkdtemp(prefix="handpress-audit-")) / "out"
            self.config.add_cleanup(lambda: shutil.rmtree(out.parent, ignore_errors=True))
            build(self.project, out)
        except HandpressError as exc:
            yield BuildItem.from_parent(self, name="build", problem=str(exc))
            return
        self.out = out
        self.settings = found.settings
        for target in find_targets(out, found.languages):
            lang = f"-{target.language}" if target.language else ""
            yield AuditItem.from_parent(self, name=f"{target.page}[{target.variant}{lang}]", target=target)

    def report(self):  # -> AuditReport, audited once for all selected items
        if self._failure is not None:
            raise self._failure                  # the tool failed once: say so on every item, do not retry
        if self._report is None:
            from handpress.audit.run import Options, run_audit

            assert self.out is not None
            targets = [item.target for item in self.session.items
                       if isinstance(item, AuditItem) and item.parent is self]
            options = Options(cache_dir=self.project / CACHE_DIR, baseline=self.project / self.settings.baseline,
                              tools_near=(self.project,))
            try:
                self._report = run_audit(self.out, targets, self.settings, options)
            except HandpressError as exc:
                self._failure = exc
                raise
        return self._report


class AuditItem(pytest.Item):
    def __init__(self, *, target, **kwargs: object) -> None:  # target: handpress.audit.models.Target
        super().__init__(**kwargs)
        self.target = target

    def runtest(self) -> None:
        report = self.parent.report()
        result = next(r for r in report.results if r.target == self.target)
        if result.error is not None:
            raise AuditFailed(f"{self.target.page}: error: could not audit: {result.error}")
        if result.new:
            lines = [f"{len(result.new)} new accessibility issue(s) on {self.target.label}:"]
            for issue in result.new:
                lines.append(f"  {issue.type}: {issue.message} [{issue.runner}: {issue.code}]")
                if issue.selector:
                    lines.append(f"    at {issue.selector}")
                if issue.context:
                    lines.append(f"    {issue.context}")
            raise AuditFailed("\n".join(lines))

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, (AuditFailed, HandpressError)):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.parent.project / "handpress.toml", None, f"audit {self.target.label}"


class BuildItem(pytest.Item):
    """Stands for the whole audit when the project does not build: fails with the build's diagnostics."""

    def __init__(self, *, problem: str, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self.problem = problem

    def runtest(self) -> None:
        raise AuditFailed(f"the project does not build, so it cannot be audited:\n{self.problem}")

    def repr_failure(self, excinfo: pytest.ExceptionInfo[BaseException], style=None) -> str:
        if isinstance(excinfo.value, AuditFailed):
            return str(excinfo.value)
        return super().repr_failure(excinfo, style=style)

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.parent.project / "handpress.toml", None, "build for the audit"
