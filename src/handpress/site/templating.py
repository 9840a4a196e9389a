"""A page's template rendered in one variant, with what goes wrong in a template located at its line
(``templates/page.html:12``), never a traceback, unless the fault is handpress's own."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

import jinja2

from handpress.errors import Diagnostic, TemplateError
from handpress.site.model import Page

if TYPE_CHECKING:
    from handpress.site.render import Output, PageContext, Variant


def render_variants(env: jinja2.Environment, page: Page, contexts: Iterable[tuple[Variant, "PageContext"]],
                    outputs: list[Output], problems: dict[tuple[str, int | None], Diagnostic]) -> None:
    """``page`` in each variant with its context, into ``outputs``; a template's problems into ``problems``,
    one per template line (the caller raises them once it has rendered all it can)."""
    for variant, ctx in contexts:
        try:
            html = render_template(env, variant, page, ctx)
        except TemplateError as exc:
            for d in exc.diagnostics:
                problems.setdefault((d.path, d.line), d)
            continue
        outputs.append((ctx.here + "index.html", html.encode("utf-8")))


def render_template(env: jinja2.Environment, variant: Variant, page: Page, ctx: PageContext) -> str:
    name = page.meta.template or "page.html"
    try:
        template = env.select_template([variant.prefix + name, variant.prefix + "page.html"])
        return template.render(ctx=ctx, page=ctx.page, site=ctx.site)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError([Diagnostic(template_path(env, exc.filename, exc.name), exc.lineno, "error",
                                        f"template syntax error: {exc.message}", "template")]) from None
    except jinja2.TemplateNotFound as exc:
        raise TemplateError([Diagnostic(page.source, None, "error",
                                        f"template '{exc.name}' not found (in templates/ or the default theme)",
                                        "template")]) from None
    except jinja2.UndefinedError as exc:
        where = _template_frame(env, exc)
        raise TemplateError([Diagnostic(where[0] or page.source, where[1], "error",
                                        f"undefined name in template: {exc.message} (while rendering {page.source})",
                                        "template")]) from None
    except (TypeError, ValueError, ArithmeticError, LookupError) as exc:
        if not _raised_in_template(exc):
            raise  # a fault in handpress itself: keep the traceback
        path, line = _template_frame(env, exc)
        raise TemplateError([Diagnostic(path or page.source, line, "error", f"template error: {exc} (while "
                                        f"rendering {page.source})", "template")]) from None


def _raised_in_template(exc: BaseException) -> bool:
    """Whether the innermost frame is template code ({{ 1 / 0 }}), not Python the template called."""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    return tb is not None and (tb.tb_frame.f_code.co_filename.endswith((".html", ".xml"))
                               or "<template>" in tb.tb_frame.f_code.co_filename)


def template_path(env: jinja2.Environment, filename: str | None, name: str | None) -> str:
    """A template file as its author knows it: ``templates/page.html`` (the project's or the theme's)."""
    if not filename:
        return name or "template"
    for folder in _search_paths(env.loader):
        if filename.startswith(folder.rstrip("/") + "/"):
            return "templates/" + filename[len(folder.rstrip("/")) + 1 :]
    return filename


def _search_paths(loader: jinja2.BaseLoader | None) -> list[str]:
    if isinstance(loader, jinja2.FileSystemLoader):
        return [str(p) for p in loader.searchpath]
    if isinstance(loader, jinja2.ChoiceLoader):
        return [p for inner in loader.loaders for p in _search_paths(inner)]
    if isinstance(loader, jinja2.PrefixLoader):
        return [p for inner in loader.mapping.values() for p in _search_paths(inner)]
    return []


def _template_frame(env: jinja2.Environment, exc: BaseException) -> tuple[str | None, int | None]:
    tb = exc.__traceback__
    found: tuple[str | None, int | None] = (None, None)
    while tb is not None:
        code = tb.tb_frame.f_code
        if code.co_filename.endswith(".html") or "<template>" in code.co_filename:
            found = (template_path(env, code.co_filename, None), tb.tb_lineno)
        tb = tb.tb_next
    return found
