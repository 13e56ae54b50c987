"""Same inputs, same bytes (the build time only in the manifest); a draft says so everywhere, per language."""

from __future__ import annotations

import json
import shutil
import subprocess
import zipfile
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import openpyxl
import pytest

from council.catalog import load_catalog
from council.settings import Settings
from tasks.pack import MANIFEST_JSON, PACK_HTML, PACK_PDF, PACK_XLSX, write_pack
from tasks.pack.browser import find_chromium
from tasks.pipeline.build_pack import build_pack
from tests.aggregate.pack_inputs_builder import BUILT_AT, make_inputs
from tests.requires import needs

CATALOG = load_catalog()
needs_chromium = needs(find_chromium() is not None, "headless Chromium not installed")
needs_pdftotext = needs(shutil.which("pdftotext") is not None, "poppler's pdftotext not installed")


def test_two_builds_at_different_times_give_identical_files(tmp_path: Path) -> None:
    """Only the manifest may differ, and only in its build time; the PDF too (its dates come from the data)."""
    first, second = tmp_path / "first", tmp_path / "second"
    write_pack(make_inputs(), CATALOG, first, "ru", code_version="v1")
    later = replace(make_inputs(), built_at=BUILT_AT + timedelta(days=3, hours=5, seconds=7))
    write_pack(later, CATALOG, second, "ru", code_version="v1")
    names = [PACK_XLSX, PACK_HTML, *([PACK_PDF] if find_chromium() else [])]
    for name in names:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    a, b = (json.loads((d / MANIFEST_JSON).read_text(encoding="utf-8")) for d in (first, second))
    assert a["built_at"] != b["built_at"] and a | {"built_at": None} == b | {"built_at": None}


def test_no_build_time_inside_the_workbook_or_the_page(tmp_path: Path) -> None:
    odd = replace(make_inputs(), built_at=BUILT_AT.replace(year=2031, minute=17))
    write_pack(odd, CATALOG, tmp_path, "en", code_version="v1", pdf=False)
    with zipfile.ZipFile(tmp_path / PACK_XLSX) as archive:
        text = b"".join(archive.read(n) for n in archive.namelist())
    assert b"2031" not in text and "2031" not in (tmp_path / PACK_HTML).read_text(encoding="utf-8")


def draft_mark(lang: str) -> str:
    return CATALOG.text("pack.draft_mark", lang)


@pytest.fixture(scope="module")
def draft(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("draft")
    write_pack(make_inputs(), CATALOG, out, "kk", code_version="v1", draft=True)
    return out


def test_every_draft_sheet_has_the_mark_in_its_header_footer_and_on_the_sheet(draft: Path) -> None:
    mark = draft_mark("kk")
    book = openpyxl.load_workbook(draft / PACK_XLSX)
    for sheet in book.worksheets:
        assert mark in sheet.oddHeader.center.text and mark in sheet.oddFooter.left.text, sheet.title
        assert str(sheet.sheet_properties.tabColor.rgb).endswith("C00000"), sheet.title  # the red tab of a draft
    with zipfile.ZipFile(draft / PACK_XLSX) as archive:
        drawings = [n for n in archive.namelist() if n.startswith("xl/drawings/drawing")]
        marked = [n for n in drawings if mark in archive.read(n).decode("utf-8")]
    assert len(marked) == len(book.worksheets)  # one red box per sheet


def test_draft_page_manifest_and_every_pdf_page_are_marked(draft: Path) -> None:
    mark = draft_mark("kk")
    assert json.loads((draft / MANIFEST_JSON).read_text(encoding="utf-8"))["draft"] is True
    page = (draft / PACK_HTML).read_text(encoding="utf-8")
    assert f'<p class="draft" role="note">{mark}</p>' in page and f"<title>{mark}" in page


@needs_chromium
@needs_pdftotext
def test_every_pdf_page_of_a_draft_is_marked(draft: Path) -> None:
    text = subprocess.run(["pdftotext", str(draft / PACK_PDF), "-"], capture_output=True, text=True, check=True)
    pages = text.stdout.split("\f")[:-1]
    assert len(pages) >= 2 and all(draft_mark("kk").split(" — ")[0] in page for page in pages)


def test_an_official_pack_is_not_marked(tmp_path: Path) -> None:
    write_pack(make_inputs(), CATALOG, tmp_path, "kk", code_version="v1", pdf=False)
    assert json.loads((tmp_path / MANIFEST_JSON).read_text(encoding="utf-8"))["draft"] is False
    assert draft_mark("kk") not in (tmp_path / PACK_HTML).read_text(encoding="utf-8")
    assert not openpyxl.load_workbook(tmp_path / PACK_XLSX)["summary"].oddHeader.center.text


def test_drafts_in_two_languages_both_stay(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("COUNCIL_CHROMIUM", "no-such-browser")  # the folders are the point here, not the PDF
    settings = Settings.from_env()
    kk = build_pack(settings, CATALOG, "TPC-2026-09", "2026S1", lang="kk", draft=True)
    en = build_pack(settings, CATALOG, "TPC-2026-09", "2026S1", lang="en", draft=True)
    assert (kk.name, en.name) == ("TPC-2026-09-draft-kk", "TPC-2026-09-draft-en")
    for folder, lang in ((kk, "kk"), (en, "en")):
        manifest = json.loads((folder / MANIFEST_JSON).read_text(encoding="utf-8"))
        assert (manifest["language"], manifest["draft"]) == (lang, True)
