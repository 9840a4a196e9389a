"""A synthetic corpus for the benchmark: N pages in sections, with tables, lists, footnotes, images.

The same files serve handpress (``handpress.toml``, ``content/``) and mkdocs (``mkdocs.yml`` with
``docs_dir: content``), so both build exactly the same Markdown. Text is pseudo-random but fixed by
the seed, so two runs build identical corpora.
"""

from __future__ import annotations

import random
from pathlib import Path

PAGES_PER_SECTION = 20
WORDS = (
    "office attaché partner border visa programme training report agency mission country embassy staff "
    "liaison investigation network customs trade travel security cooperation agreement budget region "
    "official visit request review policy procedure record data evidence court case unit team officer "
    "support analysis risk route cargo port airport document identity fraud finance contact schedule"
).split()

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="320" height="120" viewBox="0 0 320 120">'
    '<rect width="320" height="120" fill="#e8eef5"/>'
    '<rect x="20" y="{y}" width="60" height="{h}" fill="#1d4f91"/>'
    '<rect x="120" y="40" width="60" height="60" fill="#5a7fb5"/>'
    '<rect x="220" y="70" width="60" height="30" fill="#9fb6d6"/></svg>\n'
)


def generate(root: Path, pages: int, *, seed: int = 1, handbook: bool = True) -> Path:
    """Write a corpus of ``pages`` pages (section index pages included) into ``root``; return root."""
    rng = random.Random(seed)
    content = root / "content"
    (content / "images").mkdir(parents=True, exist_ok=True)
    for n in range(4):
        (content / "images" / f"figure-{n}.svg").write_text(SVG.format(y=20 + 10 * n, h=80 - 10 * n))
    layout = _layout(pages - 1)  # the home page is one of the pages
    (content / "index.md").write_text(_home(layout))
    for s, section in enumerate(layout):
        folder = content / section["slug"]
        folder.mkdir(exist_ok=True)
        (folder / "index.md").write_text(_page(rng, section["title"], s, 0, layout, index=True))
        for p, name in enumerate(section["pages"], start=1):
            (folder / f"{name}.md").write_text(_page(rng, _title(rng), s, p, layout))
    (root / "handpress.toml").write_text(_config(handbook))
    (root / "mkdocs.yml").write_text(_mkdocs())
    return root


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


def _title(rng: random.Random) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(3)).capitalize()


def _sentence(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."


def _paragraph(rng: random.Random, sentences: int = 5) -> str:
    return " ".join(_sentence(rng, rng.randint(8, 16)) for _ in range(sentences))


def _home(layout: list[dict]) -> str:
    links = "\n".join(f"- [{s['title']}]({s['slug']}/index.md)" for s in layout)
    return f"---\ntitle: Benchmark corpus\n---\nA synthetic publication for the benchmark.\n\n## Sections\n\n{links}\n"


def _page(rng: random.Random, title: str, s: int, p: int, layout: list[dict], index: bool = False) -> str:
    section = layout[s]
    names = section["pages"]
    out = [f"---\ntitle: {title}\nsummary: {_sentence(rng, 10)}\norder: {p}\n---\n", _paragraph(rng, 4), ""]
    for h in range(4):
        out += [f"## {_title(rng)} {h + 1}", "", _paragraph(rng)]
        if h == 0:
            target = names[0] + ".md" if index and names else "index.md"
            out += ["", f"See [the next page]({target}) and the [home page](../index.md).[^1]", ""]
            out += [f"- {_sentence(rng, 6)}" for _ in range(5)]
        elif h == 1:
            out += ["", f"Table: {_title(rng)}", "", "| Office | Staff | Budget | Cases |",
                    "|--------|------:|-------:|------:|"]
            out += [f"| {rng.choice(WORDS).capitalize()} | {rng.randint(1, 90)} | {rng.randint(10, 999)}k | "
                    f"{rng.randint(0, 400)} |" for _ in range(6)]
            out += ["", _paragraph(rng, 3)]
        elif h == 2:
            out += ["", f"![Chart of {rng.choice(WORDS)} figures](../images/figure-{rng.randint(0, 3)}.svg)", ""]
            out += [f"{i}. {_sentence(rng, 7)}" for i in range(1, 5)]
            out += ["", "### Details", "", _paragraph(rng, 3) + "[^2]"]
        else:
            out += ["", _paragraph(rng, 4)]
        out.append("")
    out += [f"[^1]: {_sentence(rng, 9)}", "", f"[^2]: {_sentence(rng, 7)}", ""]
    return "\n".join(out)


def _config(handbook: bool) -> str:
    text = ('title = "Benchmark corpus"\norganisation = "Benchmark Office"\n'
            'base_url = "https://bench.example.org/"\nlanguage = "en"\n')
    if handbook:
        text += ('\n[[handbooks]]\nid = "book"\ntitle = "Benchmark handbook"\npages = ["**"]\n'
                 'organisation = "Benchmark Office"\ndate = "2026-01-01"\nversion = "1.0"\n')
    return text


def _mkdocs() -> str:
    return ("site_name: Benchmark corpus\ndocs_dir: content\nsite_dir: site-mkdocs\n"
            "markdown_extensions:\n  - tables\n  - footnotes\n  - attr_list\n  - def_list\n  - admonition\n")
