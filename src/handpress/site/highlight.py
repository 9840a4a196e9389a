"""Syntax highlighting with Pygments: code in a named language as HTML spans with the theme's classes.

:func:`highlight` (a block) and :func:`highlight_inline` (inline code) give the inside of a ``<code>``
element, or None when Pygments knows no such language (or it is plain text): the caller writes plain,
escaped code then, never an error. Any renderer may call them (the Markdown variants, MkDocs-style
extensions). The spans carry Pygments' short class names (``k`` keyword, ``s`` string, ``c`` comment …),
but only for the token kinds in :data:`PALETTE`, each the nearest of a token's kinds that the palette
colours: a keyword constant is a keyword (``k``), a docstring a string (``s``), punctuation and plain
names stay unmarked. So every class a page can hold has its colour in the theme's stylesheets (site.css,
print.css, handbook.css: ``.highlight .k`` …), chosen for contrast there, and the markup stays small.
Pygments stylesheets written for its full class set style the common kinds too.
"""

from __future__ import annotations

from functools import lru_cache
from itertools import groupby

from markupsafe import Markup, escape
from pygments import lex
from pygments.lexer import Lexer
from pygments.lexers import get_lexer_by_name
from pygments.lexers.special import TextLexer
from pygments.token import STANDARD_TYPES, Comment, Error, Generic, Keyword, Name, Number, Operator, String, \
    _TokenType

SCOPE = "highlight"  # the class of the element that holds highlighted code (the stylesheets' scope)

# The token kinds the theme colours, most specific first where one holds another (Python keeps this order).
PALETTE: tuple[_TokenType, ...] = (
    Keyword, Name.Builtin, Name.Function, Name.Class, Name.Decorator, Name.Exception, Name.Tag,
    Name.Attribute, Name.Variable, Name.Constant, Name.Label, Name.Entity,
    String.Escape, String.Interpol, String.Regex, String, Number, Operator.Word, Operator,
    Comment.Preproc, Comment,
    Generic.Deleted, Generic.Inserted, Generic.Heading, Generic.Subheading, Generic.Emph, Generic.Strong,
    Generic.Prompt, Generic.Output, Generic.Error, Generic.Traceback, Error,
)
CLASSES: dict[_TokenType, str] = {kind: STANDARD_TYPES[kind] for kind in PALETTE}


@lru_cache(maxsize=512)
def _lexer(lang: str, inline: bool) -> Lexer | None:
    """A lexer for ``lang`` (a fence's info word: ``python``, ``yaml``, ``js`` …), or None."""
    name = lang.strip().lower()
    if not name:
        return None
    try:  # Pygments' own error for a name it does not know is a subclass of ValueError
        lexer = get_lexer_by_name(name, stripnl=False, ensurenl=not inline)
    except ValueError:
        return None
    return None if isinstance(lexer, TextLexer) else lexer


def language_name(lang: str) -> str | None:
    """The language's name for people ("Python", "YAML", "JavaScript"), or None for plain code."""
    lexer = _lexer(lang, False)
    return lexer.name if lexer is not None else None


@lru_cache(maxsize=None)
def _class_of(kind: _TokenType) -> str:
    """The palette's class for a token kind ("" when the palette does not colour it)."""
    while kind not in CLASSES and kind.parent is not None:
        kind = kind.parent
    return CLASSES.get(kind, "")


def _spans(code: str, lexer: Lexer) -> Markup:
    tokens = list(lex(code, lexer))
    if tokens and not code.endswith("\n") and tokens[-1][1].endswith("\n"):  # the newline a block lexer adds
        tokens[-1] = (tokens[-1][0], tokens[-1][1][:-1])
    classes = [_class_of(kind) for kind, _value in tokens]
    for i in range(1, len(tokens) - 1):  # a space between two tokens of one class joins their span
        if classes[i - 1] == classes[i + 1] and tokens[i][1].isspace() and "\n" not in tokens[i][1]:
            classes[i] = classes[i - 1]
    pieces: list[str] = []
    for css, run in groupby(zip(classes, tokens), key=lambda pair: pair[0]):
        text = "".join(value for _css, (_kind, value) in run)
        # the palette's own class names need no escaping; Markup.format would take twice the time
        pieces.append(f'<span class="{css}">{escape(text)}</span>' if css and text.strip() else str(escape(text)))
    return Markup("".join(pieces))


@lru_cache(maxsize=4096)  # a page's blocks are written on its graphical and print pages and in handbooks
def highlight(code: str, lang: str) -> Markup | None:
    """A block of ``code`` in ``lang`` as highlighted HTML (the inside of its ``<code>``), or None when
    Pygments does not know the language. The text is kept as written, newlines included."""
    lexer = _lexer(lang, False)
    return _spans(code, lexer) if lexer is not None else None


def highlight_inline(code: str, lang: str) -> Markup | None:
    """Inline ``code`` in ``lang`` (``#!python x = 1``, as pymdownx.inlinehilite writes it) as highlighted
    HTML, or None when Pygments does not know the language."""
    lexer = _lexer(lang, True)
    return _spans(code, lexer) if lexer is not None else None
