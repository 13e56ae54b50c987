"""Inline SVG charts for pack.html: no script, no fonts to fetch, scale with the page (viewBox).

Every label is measured (`text_width`) and the chart is laid out around it, so no label is cut off
by the chart's edge whatever the language; a long name wraps onto more lines instead.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from html import escape
from typing import TypeGuard

from tasks.pack.text_width import text_width, wrap

Number = float | None
WIDTH, ROW, LINE, PAD, FONT = 560, 26, 16, 6, 13
FONT_STYLE = f'font-size:{FONT}px;font-family:"DejaVu Sans",Verdana,sans-serif'  # the font text_width measures
MAX_LABEL_SHARE = 0.45  # a bar label column wider than this share of the chart wraps onto more lines
MIN_BAR_SPAN = 140  # the longest bar is never shorter than this, however long the labels


def _ok(value: Number) -> TypeGuard[float]:
    return value is not None and not math.isnan(value)


def _width(text: str) -> float:
    return text_width(text, FONT)


def _svg(width: float, height: float, body: list[str], title: str) -> str:
    head = (
        f'<svg viewBox="0 0 {width:.0f} {height:.0f}" role="img" aria-label="{escape(title)}" class="chart"'
        f" style='{FONT_STYLE}'>"
    )
    svg = "\n".join([head, f"<title>{escape(title)}</title>", *body, "</svg>"])
    return f"<figure>{svg}<figcaption>{escape(title)}</figcaption></figure>"


def _text(x: float, y: float, text: str, anchor: str = "start", cls: str = "") -> str:
    attributes = f' text-anchor="{anchor}"' if anchor != "start" else ""
    attributes += f' class="{cls}"' if cls else ""
    return f'<text x="{x:.1f}" y="{y:.1f}"{attributes}>{escape(text)}</text>'


def _bar_labels(labels: Sequence[str]) -> tuple[list[list[str]], float]:
    """Each label as lines, and the width of the label column that holds the widest line."""
    limit = WIDTH * MAX_LABEL_SHARE
    lines = [wrap(label, FONT, limit) for label in labels]
    return lines, max([_width(line) for block in lines for line in block] + [0.0])


def hbar_chart(
    title: str,
    labels: Sequence[str],
    values: Sequence[Number],
    fmt: Callable[[float], str],
    colours: Sequence[str],
    missing: str = "–",
) -> str:
    """Horizontal bars, one per label; a missing value reads as `missing`, never as a bar of 0."""
    lines, label_w = _bar_labels(labels)
    texts = [fmt(float(v)) if _ok(v) else missing for v in values]
    value_w = max([_width(t) for t in texts] + [0.0])
    width = max(WIDTH, PAD + label_w + PAD + MIN_BAR_SPAN + PAD + value_w + PAD)
    bars_x, span = PAD + label_w + PAD, width - (PAD + label_w + PAD) - PAD - value_w - PAD
    top = max([float(v) for v in values if _ok(v)] + [0.0]) or 1.0
    body, y = [], float(PAD)
    for i, (block, value, text) in enumerate(zip(lines, values, texts, strict=True)):
        row_h = max(ROW, LINE * len(block) + 10)
        middle = y + row_h / 2
        first = middle - LINE * (len(block) - 1) / 2 + 4.5
        body += [_text(bars_x - PAD, first + LINE * n, line, "end") for n, line in enumerate(block)]
        if _ok(value):
            bar = max(span * max(float(value or 0.0), 0.0) / top, 1.0)
            colour = colours[i % len(colours)]
            body.append(f'<rect x="{bars_x}" y="{middle - 9:.1f}" width="{bar:.1f}" height="18" fill="{colour}"/>')
            body.append(_text(bars_x + bar + PAD, middle + 4.5, text))
        else:
            body.append(_text(bars_x + PAD, middle + 4.5, text, cls="muted"))
        y += row_h
    return _svg(width, y + PAD, body, title)


def nice_ticks(top: float) -> list[float]:
    """0 and at least three more evenly spaced round values (1, 2, 2.5 or 5 × 10ⁿ) reaching `top`."""
    if top <= 0:
        return [0.0, 1.0, 2.0, 3.0]
    raw = top / 5
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    return [step * i for i in range(math.ceil(top / step - 1e-9) + 1)]


@dataclass(frozen=True)
class Plot:
    """Where the line chart's plot area sits and how values map into it."""

    left: float
    top: float
    width: float
    height: float
    ceiling: float
    columns: int

    def x(self, i: int) -> float:
        return self.left + i * self.width / max(self.columns - 1, 1)

    def y(self, value: float) -> float:
        return self.top + self.height * (1 - value / self.ceiling)

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _segments(values: Sequence[Number]) -> list[list[int]]:
    """Runs of consecutive known values: a missing value breaks the line (a gap, never bridged)."""
    runs: list[list[int]] = [[]]
    for i, value in enumerate(values):
        if _ok(value):
            runs[-1].append(i)
        elif runs[-1]:
            runs.append([])
    return [run for run in runs if run]


def _legend(names: Sequence[str], colours: Sequence[str], width: float, y: float) -> tuple[list[str], float]:
    """Legend entries flowing left to right, onto a new row when the next one would not fit."""
    body, x = [], float(PAD)
    for n, name in enumerate(names):
        entry = 16 + _width(name) + 18
        if x > PAD and x + entry > width - PAD:
            x, y = PAD, y + LINE + 4
        body.append(f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" fill="{colours[n % len(colours)]}"/>')
        body.append(_text(x + 16, y, name))
        x += entry
    return body, y


def _axes(plot: Plot, ticks: list[float], categories: Sequence[str], fmt: Callable[[float], str]) -> list[str]:
    """Horizontal gridlines with their values, the baseline, and the category under each column."""
    body = []
    for tick in ticks:
        y = plot.y(tick)
        body.append(f'<line x1="{plot.left}" y1="{y:.1f}" x2="{plot.left + plot.width}" y2="{y:.1f}" class="grid"/>')
        body.append(_text(plot.left - PAD, y + 4.5, fmt(tick) if tick else "0", "end"))
    body.append(
        f'<line x1="{plot.left}" y1="{plot.bottom}" x2="{plot.left + plot.width}" y2="{plot.bottom}" class="axis"/>'
    )
    body += [_text(plot.x(i), plot.bottom + 18, c, "middle") for i, c in enumerate(categories)]
    return body


def _series(plot: Plot, values: Sequence[Number], colour: str) -> list[str]:
    body = []
    for run in _segments(values):
        points = [(plot.x(i), plot.y(float(values[i] or 0.0))) for i in run]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in points]
    return body


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    fmt: Callable[[float], str],
    colours: Sequence[str],
    missing: str = "–",
) -> str:
    """One line per series over the categories (periods), on gridlines; a missing value is a gap."""
    known = [float(v) for _, values in series for v in values if _ok(v)]
    ticks = nice_ticks(max([*known, 0.0]))
    left = PAD + max(_width(fmt(t) if t else "0") for t in ticks) + PAD
    edges = [_width(categories[0]) / 2, _width(categories[-1]) / 2] if categories else [0.0, 0.0]
    left = max(left, PAD + edges[0])
    plot = Plot(left, 12, WIDTH - left - max(24, edges[1] + PAD), 200, ticks[-1], len(categories))
    body = _axes(plot, ticks, categories, fmt)
    for n, (_, values) in enumerate(series):
        body += _series(plot, values, colours[n % len(colours)])
    if not known:
        body.append(_text(plot.left + plot.width / 2, plot.top + plot.height / 2, missing, "middle", "muted"))
    legend, last = _legend([name for name, _ in series], colours, WIDTH, plot.bottom + 46)
    return _svg(WIDTH, last + PAD + 4, body + legend, title)
