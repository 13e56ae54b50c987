"""pack.html opened in headless Chromium (no console errors, no external requests) and pack.pdf with page numbers."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from council.catalog import load_catalog
from tasks.aggregate import build_tables
from tasks.pack import MANIFEST_JSON, PACK_HTML, PACK_PDF, write_pack
from tasks.pack.browser import browser_page, find_chromium
from tasks.pack.html import render_html
from tests.aggregate.pack_inputs_builder import FORMULA_DECISION, make_inputs
from tests.requires import needs

CATALOG = load_catalog()
needs_chromium = needs(
    find_chromium() is not None, "headless Chromium not installed (scripts/install-chromium.sh installs it)"
)


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("pack")
    write_pack(make_inputs(), CATALOG, folder, "en", code_version="test")
    return folder


def test_html_is_self_contained_and_escapes_user_text() -> None:
    inputs = make_inputs(narrative=make_inputs().narrative.assign(text="<script>alert(1)</script>"))
    page = render_html(inputs, CATALOG, build_tables(inputs, CATALOG), "ru")
    assert "<script>" not in page and "&lt;script&gt;" in page
    assert "http://" not in page and "https://" not in page and "default-src 'none'" in page


def test_html_is_the_same_bytes_for_the_same_inputs() -> None:
    inputs = make_inputs()
    shuffled = make_inputs(kpi=inputs.kpi.sample(frac=1, random_state=5))
    assert render_html(inputs, CATALOG, build_tables(inputs, CATALOG), "kk") == render_html(
        shuffled, CATALOG, build_tables(shuffled, CATALOG), "kk"
    )


def test_html_has_every_area_and_the_decisions(out: Path) -> None:
    page = (out / PACK_HTML).read_text(encoding="utf-8")
    for area in CATALOG.codes("priority_area"):
        assert f'id="area-{area}"' in page
    assert FORMULA_DECISION in page and page.count("<svg") >= 3


@needs_chromium
def test_chromium_opens_the_page_without_errors_or_requests(out: Path) -> None:
    with browser_page() as page:
        report = page.open(out / PACK_HTML)
        png = page.screenshot(390, 844)  # a phone
    assert report.errors == [] and report.external_requests == []
    assert png.startswith(b"\x89PNG")
    (out / "phone.png").write_bytes(png)


@needs_chromium
def test_pdf_is_a4_with_page_numbers(out: Path) -> None:
    data = (out / PACK_PDF).read_bytes()
    assert data.startswith(b"%PDF")
    # A4 landscape is 842 × 595 points (Chromium rounds to whole CSS pixels: 841.92 × 594.96).
    boxes = re.findall(rb"/MediaBox \[0 0 ([\d.]+) ([\d.]+)\]", data)
    assert boxes and all(abs(float(w) - 842) < 1 and abs(float(h) - 595) < 1 for w, h in boxes)
    assert len(boxes) >= 2  # several pages, so numbering matters
    manifest = (out / MANIFEST_JSON).read_text(encoding="utf-8")
    assert PACK_PDF in manifest


def test_without_a_browser_the_pdf_is_skipped_and_noted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_CHROMIUM", "no-such-browser")
    result = write_pack(make_inputs(), CATALOG, tmp_path, "en", code_version="test")
    assert not (tmp_path / PACK_PDF).exists()
    assert result.manifest["renderers"] == {"pdf": None, "pdf_skipped": "chromium not found"}
    assert set(result.manifest["outputs"]) == {"pack.xlsx", PACK_HTML}
