"""Characters a centre can hide in text: bidi controls that reorder what a reader sees, and zero-width ones.

One definition and one function for every output (loaded data, feedback, the annotated copy), so what
is neutralised in one place is neutralised everywhere.
"""

from __future__ import annotations

# Embeddings and overrides (U+202A–U+202E), isolates (U+2066–U+2069), LRM/RLM and the Arabic letter
# mark: "Trojan Source" text that reads differently on screen than it is stored.
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
# Zero-width space, non-joiner, joiner, word joiner and the BOM used as a zero-width no-break space.
ZERO_WIDTH = "\u200b\u200c\u200d\u2060\ufeff"
INVISIBLE = BIDI_CONTROLS + ZERO_WIDTH
# The same members as an RE2 character class, for pyarrow's vectorised kernels.
INVISIBLE_RE2 = "[" + "".join(f"\\x{{{ord(c):04x}}}" for c in INVISIBLE) + "]"

_REMOVE = str.maketrans("", "", INVISIBLE)


def neutralised(text: str) -> str:
    """`text` without bidi controls and zero-width characters (nothing else changes)."""
    return text.translate(_REMOVE)


def invisible_found(text: str) -> str:
    """The hidden characters of `text` as code points, once each in order of appearance: `U+202E, U+200B`."""
    seen = dict.fromkeys(c for c in text if c in INVISIBLE)
    return ", ".join(f"U+{ord(c):04X}" for c in seen)
