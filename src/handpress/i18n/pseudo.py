"""Pseudo-localisation: an offline translation hook, and what ``handpress build --pseudo`` builds.

``pseudo("Next page")`` is ``⟦Ñééẋţ þáágéé·⟧``: every Latin letter accented, about a third longer,
between ``⟦ ⟧``. Placeholders ``<x id="N"/>`` are kept as they are, so link targets, code and
``%(name)s`` variables survive. Text that reaches a page without the brackets escaped translation;
a layout that breaks with the longer text will break with a real language too.

``handpress build --pseudo`` builds the usual site (every configured language, every variant, the
same URLs, ``lang`` and ``dir``) with two things replaced: each language's interface catalog by the
pseudo-translation of every message the templates use (theme and project), and each page's title,
summary and body by their pseudo-translation (headings keep their anchors). Dates and numbers stay
locale-formatted; names of languages stay in their own language; the site's title and the data
files are not translatable, and show so. There is no pseudo language code (Babel knows none): the
pseudo text is the content of the configured languages.

As a hook for ``handpress translate --hook handpress.i18n.pseudo:translate`` it writes pseudo drafts.
"""

from __future__ import annotations

import dataclasses
import math
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.support import Translations

from handpress.i18n import catalogs as i18n
from handpress.i18n.segments import PLACEHOLDER, restore
from handpress.i18n.translate import Batch, translated_document, ui_forms, ui_segment
from handpress.site.content import Content

OPEN, CLOSE, PAD = "\u27e6", "\u27e7", "\u00b7"
TARGET = "qps-ploc"  # the conventional tag for pseudo-localisation, given to hooks as the target
_PLAIN = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
_ACCENTED = "áƀçðéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÅƁÇÐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ"
_ACCENTS = str.maketrans(_PLAIN, _ACCENTED)
_VOWELS = frozenset("aeiouAEIOU")


def pseudo(text: str) -> str:
    """Accented, about a third longer, bracketed; placeholders and surrounding blanks untouched."""
    pieces = PLACEHOLDER.split(text)  # text, id, text, id, … (ids are the capture group)
    marks = [m.group(0) for m in PLACEHOLDER.finditer(text)]
    words = pieces[0::2]
    visible = len("".join(words).strip())
    if not any(ch.isalpha() for w in words for ch in w):
        return text
    extra = math.ceil(visible / 3)
    stretched = []
    for word in words:
        out = []
        for ch in word:
            out.append(ch)
            if extra and ch in _VOWELS:
                out.append(ch)
                extra -= 1
        stretched.append("".join(out).translate(_ACCENTS))
    # The brackets go round the text, inside any placeholders at either end (a heading's {#id},
    # a caption's "Table: " must stay where Markdown looks for them).
    first = next(i for i, w in enumerate(stretched) if w.strip())
    last = max(i for i, w in enumerate(stretched) if w.strip())
    head = stretched[first]
    lead = len(head) - len(head.lstrip())
    stretched[first] = head[:lead] + OPEN + head[lead:]
    tail = stretched[last]
    trail = len(tail) - len(tail.rstrip())
    stretched[last] = tail[: len(tail) - trail] + PAD * extra + CLOSE + tail[len(tail) - trail :]
    joined = [stretched[0]]
    for mark, word in zip(marks, stretched[1:]):
        joined += [mark, word]
    return "".join(joined)


def translate(batch: Batch) -> list[str]:
    """The translation hook: every segment pseudo-translated. Offline, deterministic."""
    return [pseudo(segment.text) for segment in batch.segments]


def catalog(project: Path) -> Catalog:
    """Every message of the theme's and the project's templates, pseudo-translated."""
    template = i18n.extract(project)
    result = Catalog(locale=None, domain=i18n.DOMAIN, fuzzy=False)
    for message in template:
        if not message.id:
            continue
        forms = []
        for form in ui_forms(message):
            text, originals = ui_segment(form)
            forms.append(restore(pseudo(text), originals) or form)
        string: str | tuple[str, ...] = forms[0] if len(forms) == 1 else tuple(forms)
        result.add(message.id, string, context=message.context)
    return result


def translations(project: Path) -> Translations:
    return i18n.compile_catalog(catalog(project))


def localise_content(content: Content) -> Content:
    """Every document's title, summary and body pseudo-translated (data files left as they are)."""
    documents = tuple(translated_document(doc, translate, TARGET) for doc in content.documents)
    return dataclasses.replace(content, documents=documents)
