"""Making data text safe where it turns into Markdown or a spreadsheet cell."""

from __future__ import annotations

import re

__all__ = ["escape_markdown", "neutralise_formula", "safe_file_name"]

# Links, images, raw HTML and entities, emphasis, code, tables, Streamlit's
# LaTeX ($) and its colour and icon directives (:).
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>!|~$:&])")
# GitHub Markdown links bare "http://", "www." and e-mail addresses by
# searching the text after escapes are resolved, so an escape cannot stop it;
# an invisible word joiner inside the pattern does.
_BARE_LINK = re.compile(
    r"(?i)(?<=https\\:)(?=//)|(?<=http\\:)(?=//)|(?<=www)(?=\.)|(?<=@)"
)
_WORD_JOINER = "\u2060"
# Block syntax only counts at the start of a line.
_BLOCK_START = re.compile(r"^([#>+\-=])")
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def escape_markdown(text: object) -> str:
    """Escape ``text`` so Markdown shows it literally: no links, no HTML, no maths.

    Line breaks become spaces, so a cell cannot start a new block.

    Examples
    --------
    >>> print(escape_markdown("<b>hi</b> [x](javascript:y) costs $5"))
    \\<b\\>hi\\</b\\> \\[x\\]\\(javascript\\:y\\) costs \\$5
    >>> print(escape_markdown("# 1. Ops-Lead"), escape_markdown("2. Lead"))
    \\# 1. Ops-Lead 2\\. Lead
    >>> escape_markdown("see www.x.invalid, https://x.invalid or a@x.invalid")
    'see www\\u2060.x.invalid, https\\\\:\\u2060//x.invalid or a@\\u2060x.invalid'
    """
    flat = " ".join(str(text).split())
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", flat)
    escaped = _BARE_LINK.sub(_WORD_JOINER, escaped)
    escaped = _ORDERED_LIST_START.sub(r"\1\\\2", escaped)
    return _BLOCK_START.sub(r"\\\1", escaped)


def neutralise_formula(value: object) -> object:
    """Prefix ``'`` to a text cell a spreadsheet would run as a formula.

    Examples
    --------
    >>> neutralise_formula("=HYPERLINK(1)"), neutralise_formula("Manager")
    ("'=HYPERLINK(1)", 'Manager')
    """
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_file_name(name: str, limit: int = 120) -> str:
    """Letters, digits, ``-`` and ``_`` only, for names of downloaded files.

    Examples
    --------
    >>> safe_file_name('plan-../x"<y>')
    'plan-x-y'
    """
    cleaned = re.sub(r"[^A-Za-z0-9_]+", "-", name.replace("-", " ")).strip("-")
    return re.sub(r"-+", "-", cleaned)[:limit] or "download"
