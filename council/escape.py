"""Centre-controlled text made inert for where it goes: a Markdown artifact, a terminal line.

A file name or a cell value is the centre's to choose; in an analyst's artifact it must not add a
heading, a link, an image that loads from elsewhere, or a table column, and on a terminal it must not
move the cursor or recolour the screen.
"""

from __future__ import annotations

import re
import unicodedata

from council.invisible import neutralised

# What can start markup mid-line (emphasis, code, links and images, raw HTML, entities, a table column), and
# ":" and "." so that neither `http://…` nor `www.…` is turned into a link by a GFM renderer's autolinker.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#|<>~:.&])")


def printable(text: object) -> str:
    """One line of visible text: controls (escape sequences, newlines, bidi) shown as `\\x1b`-style codes."""
    return "".join(_shown(ch) for ch in neutralised(str(text)))


def _shown(ch: str) -> str:
    if unicodedata.category(ch)[0] != "C":
        return ch
    return f"\\x{ord(ch):02x}" if ord(ch) < 0x100 else f"\\u{ord(ch):04x}"


def markdown_text(text: object) -> str:
    """Text that renders as itself in Markdown, in a paragraph or a table cell, on one line."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", printable(text))
