"""Text from submissions stays text in every output; user file names never become paths outside the data root."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import openpyxl
import pytest

from council.catalog import load_catalog
from council.settings import Settings
from tasks.pipeline.build_pack import build_pack
from tasks.pipeline.submission import Outcome
from tasks.pipeline.sweep import read_limits, sweep
from tasks.read import IsolatedReader
from tests.validate.workbooks import ROWS, rows_with, write_report

SWEPT_AT = "2026-07-20T09:00:00+00:00"
SCRIPT = "<script>alert(1)</script>"
LINK = '=HYPERLINK("http://evil.example/x","click me")'
HOSTILE = ("=1+1", "+77010000000", "-2+3", "@SUM(A1:A9)", LINK, f"{SCRIPT} =cmd|' /C calc'!A0")


def run(settings: Settings) -> list[Outcome]:
    limits = read_limits(settings)
    with IsolatedReader(limits.memory_mb) as reader:
        return sweep(settings, load_catalog(), partial(reader.read, limits=limits))


def hostile_rows() -> dict:
    rows = rows_with(projects={"title": HOSTILE[0], "partner_name": HOSTILE[3]})
    rows["projects"][1].update({"title": HOSTILE[1], "partner_name": HOSTILE[2]})
    rows["narrative"] = [
        {"section": "ACHIEVEMENT", "text": LINK, "priority_area": "AGRITECH"},
        {"section": "DECISION_REQUEST", "text": HOSTILE[5], "priority_area": "AGRITECH"},
        *ROWS["narrative"][1:],
    ]
    return rows


def cells_with(path: Path, texts: tuple[str, ...]) -> list[openpyxl.cell.Cell]:
    """Every cell of every sheet whose value contains one of `texts` (written as text or as a formula)."""
    book = openpyxl.load_workbook(path)
    found = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            found += [c for c in row if isinstance(c.value, str) and any(t in c.value for t in texts)]
    return found


@pytest.fixture(scope="module")
def swept(tmp_path_factory: pytest.TempPathFactory) -> tuple[Settings, list[Outcome], Path]:
    """A rejected file whose bad values look like formulas, then an accepted one full of them, then the pack."""
    settings = Settings(tmp_path_factory.mktemp("out") / "data", settle_seconds=0, now_override=SWEPT_AT)
    inbox = settings.inbox / "AGRO"
    inbox.mkdir(parents=True)
    bad = rows_with(projects={"region_code": LINK, "priority_area": "=1+1", "trl_start": "@SUM(A1:A9)"})
    write_report(inbox, bad, name="-rejected\n..evil.xlsx")
    outcomes = run(settings)
    write_report(inbox, hostile_rows(), name="..accepted.xlsx")
    outcomes += run(settings)
    return settings, outcomes, build_pack(settings, load_catalog(), "TPC-2026-09", "2026S1", draft=True)


def test_formula_looking_text_is_refused_and_echoed_as_text(swept: tuple[Settings, list[Outcome], Path]) -> None:
    _, outcomes, _ = swept
    rejected, accepted = outcomes
    assert (rejected.status, accepted.status[:8]) == ("rejected", "accepted")
    assert rejected.feedback and rejected.annotated
    for path in (rejected.feedback, rejected.annotated):
        cells = cells_with(path, (LINK, "=1+1", "@SUM"))
        assert cells, path.name
        assert {c.data_type for c in cells} == {"s"}, [(c.coordinate, c.value) for c in cells if c.data_type != "s"]


def test_pack_workbook_keeps_submitted_text_as_text(swept: tuple[Settings, list[Outcome], Path]) -> None:
    cells = cells_with(swept[2] / "pack.xlsx", HOSTILE)
    assert any(c.value == LINK for c in cells) and any(SCRIPT in c.value for c in cells)
    assert {c.data_type for c in cells} == {"s"}
    assert all(c.hyperlink is None for c in cells)


def test_pack_html_escapes_submitted_text(swept: tuple[Settings, list[Outcome], Path]) -> None:
    html = (swept[2] / "pack.html").read_text(encoding="utf-8")
    assert SCRIPT not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="http://evil.example' not in html


def test_user_file_names_stay_inside_the_data_root(swept: tuple[Settings, list[Outcome], Path]) -> None:
    settings = swept[0]
    root = settings.data_dir.resolve()
    written = [p for area in (settings.processed, settings.outbox) for p in area.rglob("*") if p.is_file()]
    assert len(written) >= 4
    for path in written:
        assert root in path.resolve().parents
        assert path.parent.parent in (settings.processed, settings.outbox)
        assert "\n" not in path.name and not path.name.startswith(("-", ".")), path.name
    assert list((settings.inbox / "AGRO").iterdir()) == []
