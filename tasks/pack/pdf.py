"""pack.pdf from pack.html by headless Chromium, A4 with page numbers; skipped when no browser exists."""

from __future__ import annotations

from html import escape
from pathlib import Path

from council.catalog import Catalog
from tasks.pack.browser import browser_page, find_chromium

# Chromium fills the spans of these classes in the footer template with the page numbers.
FOOTER = (
    '<div style="width:100%;font-size:8px;color:#5f6b76;padding:0 10mm;display:flex;justify-content:space-between">'
    "<span>{title}</span><span>{pages}</span></div>"
)


def footer_template(catalog: Catalog, lang: str, title: str) -> str:
    """The footer with the pack's name and "page X of Y" in the pack language."""
    pages = escape(catalog.text("pack.html_footer", lang, page="{page}", pages="{pages}"))
    pages = pages.replace("{page}", '<span class="pageNumber"></span>').replace(
        "{pages}", '<span class="totalPages"></span>'
    )
    return FOOTER.format(title=escape(title), pages=pages)


def render_pdf(html: Path, pdf: Path, footer: str) -> str | None:
    """Print `html` to `pdf`; returns why not (None when written)."""
    if find_chromium() is None:
        return "chromium not found"
    with browser_page() as page:
        page.open(html)
        data = page.pdf(footer)
    pdf.write_bytes(data)
    return None
