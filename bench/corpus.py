"""Synthetic corpora for the benchmark, in several shapes: N pages in sections, fixed by a seed.

    .venv/bin/python bench/corpus.py DIR [--pages 300] [--shape standard]

The same files serve handpress (``handpress.toml``, ``content/``) and mkdocs (``mkdocs.yml`` with
``docs_dir: content``), so both build exactly the same Markdown. Text is pseudo-random but fixed by
the seed, so two runs build identical corpora. The shapes (:data:`SHAPES`):

- ``standard``: ≈1,000-word pages: four sections of prose, a bulleted and a numbered list, a captioned
  table, an image, two footnotes and links to other pages;
- ``short``: ≈150-word pages: two paragraphs, a short list, a link;
- ``code``: short prose around fenced code blocks in five languages (highlighted: Pygments on both sides);
- ``long``: ≈5,000-word pages: twenty sections of prose, lists and tables;
- ``deep``: a deep and wide navigation: 30 sections, each three levels deep, short pages;
- ``languages``: ten languages, every page translated (``page.fr.md`` beside ``page.md``: mkdocs reads
  them with the mkdocs-static-i18n plugin);
- ``rawhtml``: pages mostly raw HTML blocks (figures, definition lists, details, tables, asides).
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from typing import Callable

PAGES_PER_SECTION = 20
WORDS = (
    "office attaché partner border visa programme training report agency mission country embassy staff "
    "liaison investigation network customs trade travel security cooperation agreement budget region "
    "official visit request review policy procedure record data evidence court case unit team officer "
    "support analysis risk route cargo port airport document identity fraud finance contact schedule"
).split()
LANGUAGES = ("en", "fr", "de", "es", "it", "pt", "nl", "sv", "pl", "ar")

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120">'
    '<rect width="320" height="120" fill="#e8eef5"/>'
    '<rect x="20" y="{y}" width="60" height="{h}" fill="#1d4f91"/>'
    '<rect x="120" y="40" width="60" height="60" fill="#5a7fb5"/>'
    '<rect x="220" y="70" width="60" height="30" fill="#9fb6d6"/></svg>\n'
)


def generate(root: Path, pages: int, *, seed: int = 1, handbook: bool = True, shape: str = "standard") -> Path:
    """Write a corpus of ``pages`` Markdown files (section index pages and translations included) in
    ``shape`` into ``root``; return root."""
    if shape not in SHAPES:
        raise ValueError(f"unknown shape {shape!r}: one of {', '.join(SHAPES)}")
    rng = random.Random(seed)
    content = root / "content"
    (content / "images").mkdir(parents=True, exist_ok=True)
    for n in range(4):
        (content / "images" / f"figure-{n}.svg").write_text(SVG.format(y=20 + 10 * n, h=80 - 10 * n))
    body = SHAPES[shape]
    languages = LANGUAGES if shape == "languages" else LANGUAGES[:1]
    layout = _deep_layout(pages - 1) if shape == "deep" else _layout(-(-pages // len(languages)) - 1)
    for lang in languages:
        suffix = "" if lang == languages[0] else f".{lang}"
        (content / f"index{suffix}.md").write_text(_home(layout))
        for s, section in enumerate(layout):
            folder = content / section["slug"]
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"index{suffix}.md").write_text(body(rng, section["title"], s, 0, layout, True))
            for p, name in enumerate(section["pages"], start=1):
                (folder / f"{name}{suffix}.md").write_text(body(rng, _title(rng), s, p, layout, False))
    (root / "handpress.toml").write_text(_config(handbook, languages))
    (root / "mkdocs.yml").write_text(_mkdocs(shape, languages))
    return root


def pages_of(root: Path) -> list[Path]:
    """The corpus' pages in the default language other than the home page, in a fixed order (for edits)."""
    return sorted(p for p in (root / "content").rglob("*.md") if p.name.count(".") == 1 and p.parent.name != "content")


def _layout(count: int) -> list[dict]:
    sections = []
    s = 0
    while count > 0:
        size = min(PAGES_PER_SECTION, count)  # the section index plus size - 1 pages
        sections.append({"slug": f"section-{s:02d}", "title": f"Section {s + 1}",
                         "pages": [f"page-{p:02d}" for p in range(1, size)]})
        count -= size
        s += 1
    return sections


def _deep_layout(count: int) -> list[dict]:
    """30 top sections, each with two subsections holding a third level: the pages spread over them."""
    folders = []
    for s in range(30):
        top = f"area-{s:02d}"
        folders.append((top, f"Area {s + 1}"))
        for a in range(2):
            folders.append((f"{top}/group-{a}", f"Group {s + 1}.{a + 1}"))
            folders.append((f"{top}/group-{a}/topic", f"Topic {s + 1}.{a + 1}"))
    spare = max(0, count - len(folders))
    sections = []
    for i, (slug, title) in enumerate(folders):
        extra = spare // len(folders) + (i < spare % len(folders))
        sections.append({"slug": slug, "title": title, "pages": [f"page-{p:02d}" for p in range(1, extra + 1)]})
    return sections[:count] if count < len(folders) else sections


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def _home(layout: list[dict]) -> str:
    links = "\n".join(f"- [{s['title']}]({s['slug']}/index.md)" for s in layout)
    return f"---\ntitle: Benchmark corpus\n---\nA synthetic publication for the benchmark.\n\n## Sections\n\n{links}\n"


def _front(rng: random.Random, title: str, p: int) -> str:
    return f"---\ntitle: {title}\nsummary: {_sentence(rng, 10)}\norder: {p}\n---\n"


def _up(section: dict) -> str:
    """The home page's path from a page of ``section``."""
    return "../" * (section["slug"].count("/") + 1) + "index.md"


def _next(section: dict, index: bool) -> str:
    names = section["pages"]
    return names[0] + ".md" if index and names else "index.md"


def _table(rng: random.Random) -> list[str]:
    out = [f"Table: {_title(rng)}", "", "| Office | Staff | Budget | Cases |", "|--------|------:|-------:|------:|"]
    return out + [f"| {rng.choice(WORDS).capitalize()} | {rng.randint(1, 90)} | {rng.randint(10, 999)}k | "
                  f"{rng.randint(0, 400)} |" for _ in range(6)]


def _standard(rng: random.Random, title: str, s: int, p: int, layout: list[dict], index: bool) -> str:
    section = layout[s]
    out = [_front(rng, title, p), _paragraph(rng, 4), ""]
    for h in range(4):
        out += [f"## {_title(rng)} {h + 1}", "", _paragraph(rng)]
        if h == 0:
            out += ["", f"See [the next page]({_next(section, index)}) and the [home page]({_up(section)}).[^1]", ""]
            out += [f"- {_sentence(rng, 6)}" for _ in range(5)]
        elif h == 1:
            out += [""] + _table(rng) + ["", _paragraph(rng, 3)]
        elif h == 2:
            out += ["", f"![Chart of {rng.choice(WORDS)} figures](../images/figure-{rng.randint(0, 3)}.svg)", ""]
            out += [f"{i}. {_sentence(rng, 7)}" for i in range(1, 5)]
            out += ["", "### Details", "", _paragraph(rng, 3) + "[^2]"]
        else:
            out += ["", _paragraph(rng, 4)]
        out.append("")
    out += [f"[^1]: {_sentence(rng, 9)}", "", f"[^2]: {_sentence(rng, 7)}", ""]
    return "\n".join(out)


def _short(rng: random.Random, title: str, s: int, p: int, layout: list[dict], index: bool) -> str:
    section = layout[s]
    out = [_front(rng, title, p), _paragraph(rng, 5), "", f"## {_title(rng)}", "", _paragraph(rng, 4), ""]
    out += [f"- {_sentence(rng, 5)}" for _ in range(3)]
    out += ["", f"See [the next page]({_next(section, index)}) and the [home page]({_up(section)}).", ""]
    return "\n".join(out)


CODE = {
    "python": lambda rng, w: [f"def {w}_report(records, limit=3):", f'    """{_sentence(rng, 6)}"""',
                              f"    found = [r for r in records if r.{w} > limit]  # {rng.choice(WORDS)}",
                              '    return {"count": len(found), "name": "' + w + '", "ratio": 1.5 / (limit or 1)}'],
    "yaml": lambda rng, w: [f"{w}:", f"  enabled: true", f"  limit: {rng.randint(1, 99)}",
                            f"  owner: \"{rng.choice(WORDS)} {rng.choice(WORDS)}\"", "  tags: [a, b, c]"],
    "bash": lambda rng, w: [f"# {_sentence(rng, 5)}", f"export {w.upper()}_HOME=/srv/{w}",
                            f'for f in "${w.upper()}_HOME"/*.csv; do', '  wc -l "$f" | sort -n >> report.txt',
                            "done"],
    "json": lambda rng, w: ["{", f'  "{w}": {{"id": {rng.randint(1, 999)}, "active": true}},',
                            f'  "{rng.choice(WORDS)}": [1, 2, 3, null],', '  "note": "' + _sentence(rng, 4) + '"', "}"],
    "javascript": lambda rng, w: [f"export function {w}Total(items) {{",
                                  f"  // {_sentence(rng, 5)}",
                                  f"  return items.filter((x) => x.{w} !== undefined)",
                                  "    .reduce((sum, x) => sum + x.value * 1.5, 0);", "}"],
}


def _code(rng: random.Random, title: str, s: int, p: int, layout: list[dict], index: bool) -> str:
    section = layout[s]
    out = [_front(rng, title, p), _paragraph(rng, 2), ""]
    for n, lang in enumerate(rng.sample(sorted(CODE), 4)):
        out += [f"## {_title(rng)} {n + 1}", "", _sentence(rng, 12), "", f"```{lang}"]
        out += CODE[lang](rng, rng.choice(WORDS).replace("é", "e")) + ["```", ""]
    out += [f"Run `handpress build` and see [the next page]({_next(section, index)}).", ""]
    return "\n".join(out)


def _long(rng: random.Random, title: str, s: int, p: int, layout: list[dict], index: bool) -> str:
    section = layout[s]
    out = [_front(rng, title, p), _paragraph(rng, 4), ""]
    for h in range(20):
        out += [f"## {_title(rng)} {h + 1}", "", _paragraph(rng, 9), "", _paragraph(rng, 9), ""]
        if h % 4 == 0:
            out += [f"- {_sentence(rng, 8)}" for _ in range(5)] + [""]
        elif h % 4 == 1:
            out += _table(rng) + [""]
        elif h % 4 == 2:
            out += [f"See [the next page]({_next(section, index)}) and the [home page]({_up(section)}).", ""]
    return "\n".join(out)


def _rawhtml(rng: random.Random, title: str, s: int, p: int, layout: list[dict], index: bool) -> str:
    section = layout[s]
    out = [_front(rng, title, p), _paragraph(rng, 2), ""]
    for h in range(4):
        out += [f"## {_title(rng)} {h + 1}", "", _paragraph(rng, 2), ""]
        out += ['<div class="callout" role="note">', f"<p><strong>{_title(rng)}.</strong> {_sentence(rng, 14)}</p>",
                f'<p>{_sentence(rng, 10)} <a href="{_up(section)}">Home</a>.</p>', "</div>", ""]
        out += ['<table class="figures">', f"<caption>{_title(rng)}</caption>",
                '<thead><tr><th scope="col">Office</th><th scope="col">Staff</th><th scope="col">Cases</th></tr></thead>',
                "<tbody>"]
        out += [f"<tr><td>{rng.choice(WORDS).capitalize()}</td><td>{rng.randint(1, 90)}</td>"
                f"<td>{rng.randint(0, 400)}</td></tr>" for _ in range(5)]
        out += ["</tbody>", "</table>", "", "<details>", f"<summary>{_title(rng)}</summary>",
                f"<p>{_paragraph(rng, 2)}</p>", "</details>", "", "<dl>"]
        out += [f"<dt>{rng.choice(WORDS).capitalize()}</dt><dd>{_sentence(rng, 8)}</dd>" for _ in range(3)]
        out += ["</dl>", ""]
    out += [f"See [the next page]({_next(section, index)}).", ""]
    return "\n".join(out)


Body = Callable[[random.Random, str, int, int, list, bool], str]
SHAPES: dict[str, Body] = {"standard": _standard, "short": _short, "code": _code, "long": _long, "deep": _short,
                           "languages": _short, "rawhtml": _rawhtml}


def _config(handbook: bool, languages: tuple[str, ...]) -> str:
    text = ('title = "Benchmark corpus"\norganisation = "Benchmark Office"\n'
            f'base_url = "https://bench.example.org/"\nlanguage = "{languages[0]}"\n')
    if len(languages) > 1:
        text += "languages = [" + ", ".join(f'"{lang}"' for lang in languages) + "]\n"
    if handbook:
        text += ('\n[[handbooks]]\nid = "book"\ntitle = "Benchmark handbook"\npages = ["**"]\n'
                 'organisation = "Benchmark Office"\ndate = "2026-01-01"\nversion = "1.0"\n')
    return text


def _mkdocs(shape: str, languages: tuple[str, ...]) -> str:
    text = ("site_name: Benchmark corpus\ndocs_dir: content\nsite_dir: site-mkdocs\n"
            "markdown_extensions:\n  - tables\n  - footnotes\n  - attr_list\n  - def_list\n  - admonition\n"
            "  - fenced_code\n  - codehilite\n")
    if len(languages) > 1:
        text += "plugins:\n  - search\n  - i18n:\n      docs_structure: suffix\n      languages:\n"
        for n, lang in enumerate(languages):
            text += f"        - locale: {lang}\n          name: {lang}\n          build: true\n"
            text += "          default: true\n" if n == 0 else ""
    return text


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("root", type=Path)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--shape", choices=sorted(SHAPES), default="standard")
    args = parser.parse_args()
    generate(args.root, args.pages, shape=args.shape)
