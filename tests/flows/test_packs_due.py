"""The daily pack check builds exactly the official packs whose lock date has come and that are not built."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from council.catalog import Catalog
from tasks.pipeline.packs_due import due_meetings
from tasks.storage.ledger import is_locked

# 06:00 in Astana, when the daily check runs, is 01:00 UTC.
ON_LOCK_DAY_2026S1 = "2026-09-17T01:00:00+00:00"
ON_LOCK_DAY_2026S2 = "2027-03-11T01:00:00+00:00"


def test_a_meeting_is_due_from_its_periods_lock_date_on(catalog: Catalog) -> None:
    assert [m.id for m in due_meetings(catalog, date(2026, 9, 16))] == ["TPC-2025-09", "TPC-2026-03"]
    assert [m.id for m in due_meetings(catalog, date(2026, 9, 17))] == ["TPC-2025-09", "TPC-2026-03", "TPC-2026-09"]


def test_years_later_the_default_meetings_of_the_rule_fall_due_too(catalog: Catalog) -> None:
    due = [m.id for m in due_meetings(catalog, date(2031, 7, 20))]
    assert due[:4] == ["TPC-2025-09", "TPC-2026-03", "TPC-2026-09", "TPC-2027-03"]
    # 2030S2's default meeting is on 20 March 2031, its pack a week before; 2031S1's is not due until September.
    later = [f"TPC-{year}-{month}" for year in range(2027, 2032) for month in ("03", "09")]
    assert due[4:] == later[1:-1]  # from TPC-2027-09 through TPC-2031-03


def _manifest(packs: Path, meeting: str) -> bytes:
    return (packs / meeting / "manifest.json").read_bytes()


@pytest.mark.usefixtures("prefect_harness")
def test_the_daily_check_builds_exactly_the_due_unbuilt_packs(data_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.pack import council_pack, packs_due

    monkeypatch.setenv("COUNCIL_NOW", ON_LOCK_DAY_2026S1)
    packs, warehouse = data_root / "packs", data_root / "warehouse" / "council.duckdb"
    council_pack(meeting="TPC-2026-03")  # an analyst built this one already
    council_pack(period="2026S1", draft=True)  # a draft is not the official pack
    before = _manifest(packs, "TPC-2026-03")

    built = packs_due()

    assert sorted(Path(folder).name for folder in built) == ["TPC-2025-09", "TPC-2026-09"]
    assert _manifest(packs, "TPC-2026-03") == before  # not rebuilt
    assert not (packs / "TPC-2027-03").exists()  # 2026S2 locks in March 2027
    assert is_locked(warehouse, "AGRO", "2025S1") and is_locked(warehouse, "AGRO", "2026S1")
    assert not is_locked(warehouse, "AGRO", "2026S2")
    assert packs_due() == []  # the next day's check finds nothing left to build

    monkeypatch.setenv("COUNCIL_NOW", ON_LOCK_DAY_2026S2)
    assert [Path(folder).name for folder in packs_due()] == ["TPC-2027-03"]
    assert is_locked(warehouse, "AGRO", "2026S2")


@pytest.mark.usefixtures("prefect_harness")
def test_a_pack_that_cannot_be_built_does_not_hold_up_the_later_ones(
    data_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.pack import packs_due

    monkeypatch.setenv("COUNCIL_NOW", ON_LOCK_DAY_2026S1)
    packs = data_root / "packs"
    (packs / ".TPC-2025-09.lock").mkdir(parents=True)  # the build's lock file cannot be opened: that build fails

    with pytest.raises(RuntimeError, match="packs not built: TPC-2025-09;"):
        packs_due()

    assert not (packs / "TPC-2025-09").exists()
    assert (packs / "TPC-2026-03" / "manifest.json").is_file() and (packs / "TPC-2026-09" / "manifest.json").is_file()
