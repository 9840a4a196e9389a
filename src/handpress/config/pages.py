"""The settings that shape the pages: the navigation (``nav``) and the Markdown options (``[markdown]``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=False)


class NavEntry(_Model):
    """One entry of the navigation (``nav``): a page (a path under the content folder), an external
    link, or a titled section of entries. Without a title a page's own title is used."""

    title: str | None = Field(default=None, min_length=1)
    page: str | None = Field(default=None, min_length=1)
    url: str | None = Field(default=None, pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*:")
    children: tuple["NavEntry", ...] | None = None

    @model_validator(mode="after")
    def _one_kind(self) -> "NavEntry":
        kinds = [name for name in ("page", "url", "children") if getattr(self, name) is not None]
        if len(kinds) != 1:
            raise ValueError("a nav entry has exactly one of 'page', 'url' or 'children'")
        if self.page is not None and not self.page.endswith(".md"):
            raise ValueError(f"nav page {self.page!r} should be a Markdown file under the content folder")
        if self.title is None and self.page is None:
            raise ValueError("a nav link or section needs a title")
        return self


class MarkdownOptions(_Model):
    """How Markdown is read beyond CommonMark: the table of contents and included snippets."""

    toc_depth: int = Field(default=6, ge=1, le=6)  # deepest heading level [TOC] lists
    permalink: bool = False  # a link to each heading's own anchor in it (MkDocs toc permalink)
    snippets: tuple[str, ...] = ()  # folders (project-relative) that --8<-- may include from
    auto_append: tuple[str, ...] = ()  # snippets put at the end of every page (pymdownx.snippets' auto_append)
    heading_ids: Literal["handpress", "python-markdown"] = "handpress"  # how headings' ids are made: MkDocs
    # projects keep Python-Markdown's ("Install" twice: install, install_1), so links into them still work
