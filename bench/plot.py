"""A dependency-free PNG line chart (matplotlib is not installed): seconds per workbook against sweep size."""

from __future__ import annotations

import itertools
import struct
import zlib
from pathlib import Path

# 3×5 bitmap digits for axis labels; each string is five rows of three bits.
DIGITS = {
    "0": "111101101101111", "1": "010110010010111", "2": "111001111100111", "3": "111001111001111",
    "4": "101101111001001", "5": "111100111001111", "6": "111100111101111", "7": "111001001001001",
    "8": "111101111101111", "9": "111101111001111", ".": "000000000000010",
}  # fmt: skip
WIDTH, HEIGHT, MARGIN, SCALE = 480, 300, 40, 2
Pixel = tuple[int, int, int]


class Canvas:
    """An RGB raster with just enough drawing for one chart."""

    def __init__(self) -> None:
        self.rows = [bytearray(b"\xff" * WIDTH * 3) for _ in range(HEIGHT)]

    def dot(self, x: int, y: int, colour: Pixel) -> None:
        if 0 <= x < WIDTH and 0 <= y < HEIGHT:
            self.rows[y][3 * x : 3 * x + 3] = bytes(colour)

    def line(self, a: tuple[int, int], b: tuple[int, int], colour: Pixel) -> None:
        steps = max(abs(b[0] - a[0]), abs(b[1] - a[1]), 1)
        for i in range(steps + 1):
            self.dot(round(a[0] + (b[0] - a[0]) * i / steps), round(a[1] + (b[1] - a[1]) * i / steps), colour)

    def text(self, x: int, y: int, label: str, colour: Pixel = (0, 0, 0)) -> None:
        for n, char in enumerate(label):
            bits = DIGITS.get(char, "0" * 15)
            for i, bit in enumerate(bits):
                if bit == "1":
                    for dx in range(SCALE):
                        for dy in range(SCALE):
                            self.dot(x + n * 4 * SCALE + (i % 3) * SCALE + dx, y + (i // 3) * SCALE + dy, colour)

    def png(self) -> bytes:
        raw = b"".join(b"\x00" + bytes(row) for row in self.rows)

        def chunk(kind: bytes, data: bytes) -> bytes:
            return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

        header = struct.pack(">IIBBBBB", WIDTH, HEIGHT, 8, 2, 0, 0, 0)
        return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b"")


def scaling_chart(points: list[tuple[int, float]], target: Path) -> Path:
    """Workbooks per sweep (x, evenly spaced) against seconds per workbook (y, from 0); labels are the numbers."""
    canvas, top = Canvas(), max(y for _, y in points) * 1.2 or 1.0
    left, bottom, right = MARGIN, HEIGHT - MARGIN, WIDTH - MARGIN
    canvas.line((left, MARGIN // 2), (left, bottom), (0, 0, 0))
    canvas.line((left, bottom), (right, bottom), (0, 0, 0))
    step = (right - left - 40) / max(len(points) - 1, 1)
    xy = [
        (round(left + 20 + i * step), round(bottom - (bottom - MARGIN // 2) * y / top))
        for i, (_, y) in enumerate(points)
    ]
    for a, b in itertools.pairwise(xy):
        canvas.line(a, b, (31, 119, 180))
    for (x, y), (count, seconds) in zip(xy, points, strict=True):
        for dx in range(-3, 4):
            canvas.line((x + dx, y - 3), (x + dx, y + 3), (31, 119, 180))
        canvas.text(x - 10, bottom + 8, str(count))
        canvas.text(x - 10, y - 16, f"{seconds:.2f}")
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(canvas.png())
    return target
