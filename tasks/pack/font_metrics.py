"""Advance widths of DejaVu Sans, read from the TrueType file, so chart labels are measured, not guessed.

The widths are kept as data (`dejavu_sans_widths.json`) so a pack builds the same on a machine
without the font; `python -m tasks.pack.font_metrics` rewrites that table from the installed font.
DejaVu Sans is the first font of pack.html's stack and one of the widest sans fonts, so a label that
fits in it also fits in the fall-backs (Segoe UI, Roboto, Arial are narrower).
"""

from __future__ import annotations

import json
import struct
from pathlib import Path

DEJAVU_SANS = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
TABLE = Path(__file__).with_name("dejavu_sans_widths.json")
# Latin, Latin-1, Cyrillic (Kazakh letters included), general punctuation, №, the tenge sign, minus.
CODEPOINTS = [*range(0x20, 0x7F), *range(0xA0, 0x250), *range(0x400, 0x530), *range(0x2000, 0x2070)]
CODEPOINTS += [0x20B8, 0x2116, 0x2212]


def _tables(font: bytes) -> dict[str, int]:
    """Offsets of the font's tables by tag."""
    count = struct.unpack(">H", font[4:6])[0]
    entries = (font[12 + 16 * i : 28 + 16 * i] for i in range(count))
    return {e[:4].decode("latin-1"): struct.unpack(">I", e[8:12])[0] for e in entries}


def _cmap_format4(font: bytes, cmap: int) -> dict[int, int]:
    """Codepoint → glyph id from the Unicode BMP (format 4) subtable."""
    count = struct.unpack(">H", font[cmap + 2 : cmap + 4])[0]
    records = [struct.unpack(">HHI", font[cmap + 4 + 8 * i : cmap + 12 + 8 * i]) for i in range(count)]
    sub = next(cmap + off for platform, enc, off in records if (platform, enc) in ((3, 1), (0, 3)))
    segs = struct.unpack(">H", font[sub + 6 : sub + 8])[0] // 2
    arrays = [sub + 14 + i * 2 * segs + (2 if i else 0) for i in range(4)]  # ends, starts, deltas, range offsets
    ends, starts, deltas, offsets = (struct.unpack(f">{segs}H", font[a : a + 2 * segs]) for a in arrays)
    glyphs: dict[int, int] = {}
    for i in range(segs):
        for code in range(starts[i], ends[i] + 1):
            if offsets[i] == 0:
                glyphs[code] = (code + deltas[i]) & 0xFFFF
                continue
            at = arrays[3] + 2 * i + offsets[i] + 2 * (code - starts[i])
            glyph = struct.unpack(">H", font[at : at + 2])[0]
            glyphs[code] = (glyph + deltas[i]) & 0xFFFF if glyph else 0
    return glyphs


def read_advance_widths(path: Path, codepoints: list[int]) -> dict[str, object]:
    """Units per em and the advance width of every codepoint the font maps (font units)."""
    font = path.read_bytes()
    at = _tables(font)
    units = struct.unpack(">H", font[at["head"] + 18 : at["head"] + 20])[0]
    metrics = struct.unpack(">H", font[at["hhea"] + 34 : at["hhea"] + 36])[0]
    glyphs = _cmap_format4(font, at["cmap"])

    def advance(glyph: int) -> int:
        index = min(glyph, metrics - 1)  # glyphs past the last metric share its advance
        return int(struct.unpack(">H", font[at["hmtx"] + 4 * index : at["hmtx"] + 4 * index + 2])[0])

    widths = {str(c): advance(glyphs[c]) for c in codepoints if glyphs.get(c)}
    return {"font": path.name, "units_per_em": units, "widths": widths}


if __name__ == "__main__":
    table = read_advance_widths(DEJAVU_SANS, CODEPOINTS)
    TABLE.write_text(json.dumps(table, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
