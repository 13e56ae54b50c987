"""pack.pdf from pack.html by headless Chromium, A4 with page numbers; skipped when no browser exists."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from html import escape
from pathlib import Path

from council.catalog import Catalog
from tasks.pack.browser import browser_page, find_chromium

# Chromium fills the spans of these classes in the footer template with the page numbers.
FOOTER = (
    '<div style="width:100%;font-size:8px;color:#5f6b76;padding:0 10mm;display:flex;justify-content:space-between">'
    "<span>{title}</span><span>{pages}</span></div>"
)


# A draft's mark at the top of every printed page, in the page's top margin.
DRAFT_HEADER = '<div style="width:100%;text-align:center;font-size:10px;font-weight:bold;color:#c00000">{mark}</div>'


def header_template(draft_mark: str | None) -> str:
    """Chromium's header: the draft mark when there is one (an empty header must still be given)."""
    return DRAFT_HEADER.format(mark=escape(draft_mark)) if draft_mark else "<span></span>"


def footer_template(catalog: Catalog, lang: str, title: str) -> str:
    """The footer with the pack's name and "page X of Y" in the pack language."""
    pages = escape(catalog.text("pack.html_footer", lang, page="{page}", pages="{pages}"))
    pages = pages.replace("{page}", '<span class="pageNumber"></span>').replace(
        "{pages}", '<span class="totalPages"></span>'
    )
    return FOOTER.format(title=escape(title), pages=pages)


# Chromium (Skia) stamps the print time into the document information; nothing else in its PDF varies.
PDF_DATE = re.compile(rb"/(CreationDate|ModDate) \(D:\d{14}[+-]\d\d'\d\d'\)")


def with_dates(data: bytes, when: datetime) -> bytes:
    """The PDF with its creation and modification dates set to `when`, byte for byte the same length.

    Same length keeps every cross-reference offset valid, so the file needs no rewriting.
    """
    stamp = when.astimezone(UTC).strftime("D:%Y%m%d%H%M%S+00'00'").encode()
    return PDF_DATE.sub(lambda m: b"/" + m.group(1) + b" (" + stamp + b")", data)


def render_pdf(
    html: Path, pdf: Path, footer: str, as_of: datetime | None = None, header: str = "<span></span>"
) -> str | None:
    """Print `html` to `pdf` (dated `as_of` when given, so the same page gives the same bytes); why not, or None."""
    if find_chromium() is None:
        return "chromium not found"
    with browser_page() as page:
        page.open(html)
        data = page.pdf(footer, header)
    pdf.write_bytes(with_dates(data, as_of) if as_of else data)
    return None
