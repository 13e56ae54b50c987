"""Inline SVG charts for pack.html: no script, no fonts to fetch, scale with the page (viewBox)."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from html import escape

Number = float | None
WIDTH, ROW, LABEL_W = 560, 26, 190


def _ok(value: Number) -> bool:
    return value is not None and not math.isnan(value)


def _svg(height: int, body: list[str], title: str) -> str:
    head = f'<svg viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" class="chart">'
    svg = "\n".join([head, f"<title>{escape(title)}</title>", *body, "</svg>"])
    return f"<figure>{svg}<figcaption>{escape(title)}</figcaption></figure>"


def hbar_chart(
    title: str, labels: Sequence[str], values: Sequence[Number], fmt: Callable[[float], str], colours: Sequence[str]
) -> str:
    """Horizontal bars, one per label; a missing value shows as an empty row, never as 0."""
    known = [v for v in values if _ok(v)]
    top = max([*known, 0.0]) or 1.0
    span = WIDTH - LABEL_W - 130
    body = []
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 8 + i * ROW
        body.append(f'<text x="{LABEL_W - 6}" y="{y + 15}" text-anchor="end">{escape(label)}</text>')
        if not _ok(value):
            body.append(f'<text x="{LABEL_W + 4}" y="{y + 15}" class="muted">–</text>')
            continue
        amount = float(value or 0.0)
        width = max(span * max(amount, 0.0) / top, 1.0)
        colour = colours[i % len(colours)]
        body.append(f'<rect x="{LABEL_W}" y="{y + 3}" width="{width:.1f}" height="{ROW - 8}" fill="{colour}"/>')
        body.append(f'<text x="{LABEL_W + width + 4:.1f}" y="{y + 15}">{escape(fmt(amount))}</text>')
    return _svg(16 + len(labels) * ROW, body, title)


def line_chart(
    title: str,
    categories: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    fmt: Callable[[float], str],
    colours: Sequence[str],
) -> str:
    """One line per series over the categories (periods); gaps where a value is missing."""
    height, left, right, top_pad, bottom = 300, 130, 30, 16, 70
    known = [v for _, values in series for v in values if _ok(v)]
    top = max([*known, 0.0]) or 1.0
    plot_w, plot_h = WIDTH - left - right, height - top_pad - bottom
    step = plot_w / max(len(categories) - 1, 1)

    def xy(i: int, v: float) -> tuple[float, float]:
        return left + i * step, top_pad + plot_h * (1 - v / top)

    body = [f'<line x1="{left}" y1="{top_pad + plot_h}" x2="{WIDTH - right}" y2="{top_pad + plot_h}" class="axis"/>']
    body.append(f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{escape(fmt(top))}</text>')
    body.append(f'<text x="{left - 6}" y="{top_pad + plot_h}" text-anchor="end">0</text>')
    for i, category in enumerate(categories):
        body.append(
            f'<text x="{left + i * step:.1f}" y="{top_pad + plot_h + 18}" text-anchor="middle">'
            f"{escape(category)}</text>"
        )
    for n, (name, values) in enumerate(series):
        colour = colours[n % len(colours)]
        points = [xy(i, float(v or 0.0)) for i, v in enumerate(values) if _ok(v)]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>' for x, y in points]
        lx = left + (n % 2) * 200
        ly = height - 30 + (n // 2) * 16
        body.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        body.append(f'<text x="{lx + 16}" y="{ly}">{escape(name)}</text>')
    return _svg(height + 16 * (len(series) // 2), body, title)
