"""Outbox names: sortable, safe on any file system, still readable in Cyrillic."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from tasks.feedback import feedback_file_name

RECEIVED = datetime(2026, 11, 28, 10, 15, 0, tzinfo=UTC)


def test_shape_and_cyrillic_kept() -> None:
    name = feedback_file_name("Отчёт ЦТК АПК 2026.xlsx", RECEIVED, "rejected")
    assert name == "2026-11-28T101500Z_Отчёт_ЦТК_АПК_2026_rejected_feedback.xlsx"


def test_time_is_utc() -> None:
    almaty = datetime(2026, 11, 28, 15, 15, tzinfo=timezone(timedelta(hours=5)))
    assert feedback_file_name("a.xlsx", almaty, "accepted").startswith("2026-11-28T101500Z_a_")


@pytest.mark.parametrize(
    "raw",
    [
        "../../etc/passwd",
        "..\\..\\win.ini",
        "-rf.xlsx",
        "--help",
        "a\x00b\x07c.xlsx",
        "отчёт\u202eslx.exe",
        "....",
        "/",
    ],
)
def test_path_tricks_are_neutralised(raw: str) -> None:
    name = feedback_file_name(raw, RECEIVED, "rejected")
    stem = name.removeprefix("2026-11-28T101500Z_").removesuffix("_rejected_feedback.xlsx")
    assert stem and "/" not in name and "\\" not in name and ".." not in name
    assert not stem.startswith(("-", ".", "_"))
    assert all(ch.isprintable() and ch != "\u202e" for ch in name)


def test_overlong_names_fit_the_file_system() -> None:
    name = feedback_file_name("ж" * 500 + ".xlsx", RECEIVED, "accepted_with_warnings")
    assert len(name.encode("utf-8")) <= 255
    assert name.endswith("_accepted_with_warnings_feedback.xlsx")
