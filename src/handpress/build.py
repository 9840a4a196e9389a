"""The build, top to bottom: read everything, check it, render it, then write it in one step."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from handpress import checks, i18n, markdown, theme, urls
from handpress import pseudo as pseudo_localise
from handpress.config import SiteConfig, languages_only, load_config
from handpress.content import CONTENT_DIR, Content, read_content
from handpress.errors import Diagnostic, HandpressError
from handpress.model import Site, build_site
from handpress.render import Output, render_pages
from handpress.writer import build_lock, copy_files, staging, write_files

ASSET_SUFFIXES = frozenset({".md", ".yaml", ".yml"})


@dataclass(frozen=True)
class BuildResult:
    out: Path
    pages: int
    files: int
    diagnostics: tuple[Diagnostic, ...]
    seconds: float
    pdfs: tuple[str, ...] = ()
    coverage: dict[str, tuple[int, int]] = field(default_factory=dict)  # lang -> (translated, total)


@dataclass(frozen=True)
class Prepared:
    """Everything read and checked, nothing written yet."""

    project: Path
    config: SiteConfig
    content: Content
    site: Site
    diagnostics: tuple[Diagnostic, ...]
    pseudo: bool = False  # pseudo-localised (see handpress.pseudo)


def prepare(project: Path, *, strict: bool = False, pseudo: bool = False) -> Prepared:
    """Read config and content, parse and check everything. Raises on errors (and warnings if strict).

    Problems are collected across stages where a later stage can still run (a broken handpress.toml
    does not hide a broken template), and reported together with the warnings.
    """
    project = project.resolve()
    found: list[Diagnostic] = []
    site = content = config = None
    try:
        config = load_config(project)
    except HandpressError as exc:
        found += exc.diagnostics
    env = theme.environment(project)
    found += checks.check_templates(project, env)
    readable = config or languages_only(project)  # content problems are worth reporting with config ones
    if readable is not None:
        try:
            content, unreadable = read_content(project, readable)
            if pseudo:
                content = pseudo_localise.localise_content(content)
            found += unreadable
            fragments = {doc.source: markdown.parse(doc) for doc in content.documents}
            found += [d for frag in fragments.values() for d in frag.diagnostics]
            if config is not None and not unreadable:
                site = build_site(config, content, fragments)
                found += checks.check_site(site, project, content.drafts, env)
        except HandpressError as exc:
            found += exc.diagnostics
    found.sort(key=lambda d: (d.path, d.line or 0, d.message))
    fatal = [d for d in found if d.severity == "error" or (strict and d.severity == "warning")]
    if fatal or config is None or content is None or site is None:
        raise HandpressError([d.as_error() if d in fatal else d for d in found if d.severity != "info"])
    return Prepared(project, config, content, site, tuple(found), pseudo)


def build(project: Path, out: Path | None = None, *, strict: bool = False, html_only: bool = False,
          jobs: int | None = None, pseudo: bool = False) -> BuildResult:
    started = time.monotonic()
    prepared = prepare(project, strict=strict, pseudo=pseudo)
    project = prepared.project
    out = (out or project / "out").resolve()
    outputs = render_site(prepared)
    assets = list(asset_files(project, prepared.site))
    with build_lock(out), staging(out) as tmp:
        files = write_files(tmp, outputs) + copy_files(tmp, assets)
    return BuildResult(
        out=out,
        pages=len(prepared.site.keys),
        files=files,
        diagnostics=prepared.diagnostics,
        seconds=time.monotonic() - started,
        coverage=coverage(prepared.site),
    )


def render_site(prepared: Prepared) -> list[Output]:
    site = prepared.site
    if prepared.pseudo:
        translations = dict.fromkeys(site.languages, pseudo_localise.translations(prepared.project))
    else:
        translations = {lang: i18n.load_translations(prepared.project, lang) for lang in site.languages}
    envs = {lang: i18n.install_formatters(theme.environment(prepared.project, translations[lang]), lang)
            for lang in site.languages}
    outputs = render_pages(site, envs, translations)
    outputs.append(("sitemap.xml", sitemap(site, envs[site.default_language])))
    return outputs


def asset_files(project: Path, site: Site) -> Iterable[tuple[str, Path]]:
    for name, path in theme.style_files(project).items():
        yield urls.ASSETS + name, path
    content = project / CONTENT_DIR
    for path in sorted(content.rglob("*")):
        rel = path.relative_to(content)
        if path.is_file() and path.suffix not in ASSET_SUFFIXES and not any(p.startswith(".") for p in rel.parts):
            yield rel.as_posix(), path


def sitemap(site: Site, env) -> bytes:
    base = site.config.base_url
    default = site.default_language
    entries = []
    for key in site.keys:
        for lang in site.languages:
            page = site.page(key, lang)
            path = urls.page_dir(key, lang, "graphical", default)
            entries.append({
                "loc": urls.absolute(base, path) if base else "/" + path,
                "lastmod": page.updated.isoformat() if page.updated else "",
                "alternates": [
                    (code, urls.absolute(base, urls.page_dir(key, code, "graphical", default)) if base
                     else "/" + urls.page_dir(key, code, "graphical", default))
                    for code in site.languages
                ] if len(site.languages) > 1 else [],
            })
    return env.get_template("sitemap.xml").render(entries=entries).encode("utf-8")


def coverage(site: Site) -> dict[str, tuple[int, int]]:
    total = len(site.keys)
    return {
        lang: (sum(1 for k in site.keys if not site.page(k, lang).is_fallback), total)
        for lang in site.languages
    }
