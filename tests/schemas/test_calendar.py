"""The calendar never runs out: periods come from the rule in calendar.yaml, meetings from the Council."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
import yaml

from council.calendar import load_calendar
from council.catalog import load_catalog

CALENDAR = Path(__file__).resolve().parents[2] / "schemas" / "reference" / "calendar.yaml"


def _raw() -> dict:
    return yaml.safe_load(CALENDAR.read_text(encoding="utf-8"))


def test_the_periods_and_meetings_set_before_the_rule_keep_their_dates() -> None:
    catalog = load_catalog()
    dates = {c: (p.start, p.end, p.due_date, p.grace_days, p.lock_at) for c, p in catalog.periods.items()}
    assert dates == {
        "2025S1": (date(2025, 1, 1), date(2025, 6, 30), date(2025, 7, 31), 10, date(2025, 9, 18)),
        "2025S2": (date(2025, 7, 1), date(2025, 12, 31), date(2026, 1, 31), 10, date(2026, 3, 12)),
        "2026S1": (date(2026, 1, 1), date(2026, 6, 30), date(2026, 7, 31), 10, date(2026, 9, 17)),
        "2026S2": (date(2026, 7, 1), date(2026, 12, 31), date(2027, 1, 31), 10, date(2027, 3, 11)),
    }
    assert {m.id: (m.date, m.period) for m in catalog.meetings.values()} == {
        "TPC-2025-09": (date(2025, 9, 25), "2025S1"),
        "TPC-2026-03": (date(2026, 3, 19), "2025S2"),
        "TPC-2026-09": (date(2026, 9, 24), "2026S1"),
        "TPC-2027-03": (date(2027, 3, 18), "2026S2"),
    }
    assert catalog.periods["2026S1"].deadline == date(2026, 8, 10)


def test_any_later_period_exists_with_dates_from_the_rule() -> None:
    catalog = load_catalog()
    for code in ("2027S1", "2029S1", "2030S2", "2031S1", "2250S2"):
        assert code in catalog.periods
    period = catalog.periods["2031S1"]
    assert (period.start, period.end, period.due_date, period.grace_days) == (
        date(2031, 1, 1),
        date(2031, 6, 30),
        date(2031, 7, 31),
        10,
    )
    assert catalog.periods["2030S2"].due_date == date(2031, 1, 31)
    assert catalog.period_for(date(2031, 3, 2)) == period
    assert catalog.previous_period("2031S1") == "2030S2" and catalog.previous_period("2031S1", 2) == "2030S1"


def test_a_period_with_no_meeting_set_gets_the_rules_default_meeting_and_lock_date() -> None:
    catalog = load_catalog()
    meeting = catalog.meetings.for_period("2029S1")
    # The third Thursday of September 2029; the pack is built a week before it.
    assert (meeting.id, meeting.date, meeting.period) == ("TPC-2029-09", date(2029, 9, 20), "2029S1")
    assert catalog.periods["2029S1"].lock_at == date(2029, 9, 13)
    assert catalog.meetings.for_period("2030S2") == catalog.meetings["TPC-2031-03"]
    assert catalog.meetings["TPC-2031-03"].date == date(2031, 3, 20)
    assert "TPC-2029-09" in catalog.meetings and "TPC-2029-10" not in catalog.meetings
    assert "TPC-2025-03" not in catalog.meetings  # 2024S2 is before the first period


def test_a_meeting_the_council_sets_overrides_the_default_and_moves_the_lock_date() -> None:
    raw = _raw()
    raw["meetings"].append({"id": "TPC-2029-10", "date": date(2029, 10, 4), "period": "2029S1"})
    calendar = load_calendar(raw)
    assert calendar.periods["2029S1"].lock_at == date(2029, 9, 27)
    assert calendar.meetings["TPC-2029-10"].period == "2029S1"
    assert "TPC-2029-09" not in calendar.meetings  # the default no longer applies to that period
    assert list(calendar.periods)[-1] == "2029S1"  # iteration reaches the last period with a meeting set


def test_codes_that_are_not_periods_of_the_rule_are_not_periods() -> None:
    periods = load_catalog().periods
    for code in ("2024S2", "2026S3", "2026H1", "2026s1", "26S1", "", "99999S1"):
        assert code not in periods
        with pytest.raises(KeyError):
            periods[code]
    assert periods.get("2024S1") is None


def test_iteration_is_finite_and_the_periods_begun_by_a_day_reach_that_day() -> None:
    periods = load_catalog().periods
    assert list(periods) == ["2025S1", "2025S2", "2026S1", "2026S2"] and len(periods) == 4
    begun = [p.code for p in periods.begun_by(date(2031, 2, 1))]
    assert begun[0] == "2025S1" and begun[-1] == "2031S1" and len(begun) == 13


def test_a_calendar_yaml_mistake_fails_at_load() -> None:
    raw = _raw()
    raw["meetings"].append({"id": "TPC-2024-09", "date": date(2024, 9, 26), "period": "2024S1"})
    with pytest.raises(ValueError, match="2024S1"):
        load_calendar(raw)
    raw = _raw()
    raw["meetings"].append({"id": "TPC-2026-10", "date": date(2026, 10, 1), "period": "2026S1"})
    with pytest.raises(ValueError, match="listed once"):
        load_calendar(raw)
    raw = _raw()
    raw["rule"]["default_meeting"]["weekday"] = "thursdy"
    with pytest.raises(ValueError, match=r"calendar\.yaml: weekday 'thursdy'"):
        load_calendar(raw)
    raw = _raw()
    raw["rule"]["default_meeting"]["week"] = 5
    with pytest.raises(ValueError, match="week 5"):
        load_calendar(raw)
    raw = _raw()
    del raw["rule"]["grace_days"]
    with pytest.raises(ValueError, match=r"calendar\.yaml: missing 'grace_days'"):
        load_calendar(raw)
