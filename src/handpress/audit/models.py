"""The audit's records: one issue, one audited target (page or PDF), and the whole report."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Literal

from handpress.shards import Shard

Variant = Literal["graphical", "text", "print", "pdf"]
IssueType = Literal["error", "warning", "notice"]
RUNNERS = ("htmlcs", "axe")
PDF_RUNNERS = ("pdf-ua", "pikepdf")


@dataclass(frozen=True, order=True)
class Issue:
    """One accessibility problem found on one page (or PDF) by one runner."""

    page: str          # path relative to the audited folder, e.g. "es/text/about/index.html"
    variant: str       # graphical, text, print or pdf
    language: str      # "" when the folder has no language layout
    runner: str        # htmlcs, axe, pdf-ua or pikepdf
    code: str          # WCAG2AA.Principle1.Guideline1_1.1_1_1.H37, image-alt, ua1:7.1-3, pdf-untagged …
    type: str          # error, warning or notice
    message: str
    selector: str = ""
    context: str = ""
    source: str = ""   # the file the offending element came from: content/about.md, templates/page.html
    line: int = 0      # its line in that file (0: not known)

    @property
    def key(self) -> tuple[str, str, str]:
        """What the baseline remembers an issue by."""
        return (self.page, self.code, self.selector)

    def to_dict(self) -> dict[str, str]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> "Issue":
        line = data.get("line")
        return cls(**{name: str(data.get(name) or "") for name in cls.__dataclass_fields__ if name != "line"},
                   line=line if isinstance(line, int) else 0)


@dataclass(frozen=True)
class Target:
    """One thing to audit: an HTML page or a PDF file, with where it sits in the site."""

    page: str          # relative POSIX path inside the audited folder
    variant: str
    language: str

    @property
    def is_pdf(self) -> bool:
        return self.variant == "pdf"

    @property
    def label(self) -> str:
        """A short name for progress bars, test ids and report headings."""
        lang = f" [{self.language}]" if self.language else ""
        return f"{self.page} ({self.variant}){lang}"


@dataclass(frozen=True)
class Result:
    """What the audit found on one target. ``error`` is set when it could not be audited at all."""

    target: Target
    issues: tuple[Issue, ...] = ()
    new: tuple[Issue, ...] = ()        # issues not in the baseline (what fails the run)
    review: tuple[Issue, ...] = ()     # HTML_CodeSniffer's warnings for a person to check: fail nothing
    ignored: int = 0                   # issues dropped by [audit].ignore rules
    error: str | None = None
    cached: bool = False
    title: str = ""

    @property
    def failed(self) -> bool:
        return bool(self.new) or self.error is not None


@dataclass(frozen=True)
class AuditReport:
    """The whole audit: every target's result, and the baseline entries that are now fixed."""

    results: tuple[Result, ...]
    standard: str
    runners: tuple[str, ...]
    fixed: tuple[tuple[str, str, str], ...] = ()   # baseline keys (page, code, selector) no longer found
    baseline: str | None = None                     # the baseline file compared against, if any
    seconds: float = 0.0
    cached: int = 0
    stats: dict[str, int] = field(default_factory=dict)
    shard: Shard | None = None                      # this run audited one shard of the targets
    targets: int = 0                                # how many targets there were before sharding
    merged: int = 0                                 # how many shards' reports this one was merged from
    root: str = ""                                  # the audited folder as a user names it (out, site/out)
    project: str = ""                               # the project folder as a user names it ("" for the cwd)

    @property
    def issues(self) -> tuple[Issue, ...]:
        return tuple(i for r in self.results for i in r.issues)

    @property
    def new_issues(self) -> tuple[Issue, ...]:
        return tuple(i for r in self.results for i in r.new)

    @property
    def review_issues(self) -> tuple[Issue, ...]:
        return tuple(i for r in self.results for i in r.review)

    @property
    def known(self) -> int:
        """Issues the baseline holds (neither new nor for review)."""
        return len(self.issues) - len(self.new_issues) - len(self.review_issues)

    @property
    def errors(self) -> tuple[Result, ...]:
        return tuple(r for r in self.results if r.error is not None)

    @property
    def pages(self) -> int:
        return sum(1 for r in self.results if not r.target.is_pdf)

    @property
    def pdfs(self) -> int:
        return sum(1 for r in self.results if r.target.is_pdf)
