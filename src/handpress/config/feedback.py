"""The ``feedback`` key of handpress.toml: where readers send comments and corrections, a ``mailto:``
address or an http(s) page. Linked from every page and printed on each handbook's inside cover."""

from __future__ import annotations

from email.errors import HeaderParseError
from email.headerregistry import Address
from urllib.parse import unquote, urlsplit

EXAMPLE = "'mailto:editor@example.org' or 'https://example.org/contact/'"


def check_feedback(value: str) -> str:
    """``value`` if it is a mailto: address or an absolute http(s) URL, else ValueError in plain words."""
    value = value.strip()
    if not value:
        return value
    parts = urlsplit(value)
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        address = unquote(parts.path)
        if not all(_is_address(one) for one in address.split(",")):
            raise ValueError(f"{value!r} is not a mailto: address such as 'mailto:editor@example.org'")
        return value
    if scheme in ("http", "https"):
        if not parts.netloc or " " in value:
            raise ValueError(f"{value!r} is not an absolute URL such as 'https://example.org/contact/'")
        return value
    if not scheme and _is_address(value):
        raise ValueError(f"an e-mail address needs 'mailto:' (did you mean 'mailto:{value}'?)")
    raise ValueError(f"should be a mailto: address or an http(s) URL, such as {EXAMPLE}")


def _is_address(text: str) -> bool:
    try:
        address = Address(addr_spec=text.strip())
    except (HeaderParseError, ValueError, IndexError):
        return False
    return bool(address.username) and "." in address.domain
