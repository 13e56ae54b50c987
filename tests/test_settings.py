"""Every `COUNCIL_*` variable is read in one place; a bad value stops with its name and what it accepts."""

from __future__ import annotations

import dataclasses
import os
import re
from pathlib import Path

import pytest

from council.catalog import SCHEMAS_DIR
from council.settings import VARIABLES, Settings, SettingsError
from council_cli.main import main

# (variable, value): one of each kind of bad value, named after what it breaks.
BAD = {
    "word_for_a_number": ("COUNCIL_WORKERS", "two"),
    "garbage_clock": ("COUNCIL_NOW", "garbage"),
    "nan_duration": ("COUNCIL_SETTLE_SECONDS", "nan"),
    "negative_limit": ("COUNCIL_MAX_FILE_MB", "-5"),
    "negative_whole_limit": ("COUNCIL_MAX_ROWS", "-1"),
    "infinite_timeout": ("COUNCIL_READ_TIMEOUT_S", "inf"),
    "minus_infinite_backoff": ("COUNCIL_RETRY_BACKOFF_S", "-inf"),
    "fraction_for_a_whole_number": ("COUNCIL_READ_MEMORY_MB", "512.5"),
    "empty_data_dir": ("COUNCIL_DATA_DIR", ""),
    "blank_data_dir": ("COUNCIL_DATA_DIR", "   "),
    "empty_number": ("COUNCIL_SETTLE_SECONDS", ""),
    "switch_neither_on_nor_off": ("COUNCIL_GX_SCREEN", "maybe"),
    "zero_attempts": ("COUNCIL_MAX_ATTEMPTS", "0"),
    "zero_interval": ("COUNCIL_SWEEP_INTERVAL_S", "0"),
    "zero_claim_timeout": ("COUNCIL_CLAIM_TIMEOUT_S", "0"),
    "negative_workers": ("COUNCIL_WORKERS", "-1"),
    "typo_in_a_name": ("COUNCIL_SETTLE_SECOND", "5"),
    "folder_without_schemas": ("COUNCIL_SCHEMAS_DIR", "/nonexistent/schemas"),
}

GOOD = {
    "COUNCIL_DATA_DIR": "/srv/council",
    "COUNCIL_SETTLE_SECONDS": "0",
    "COUNCIL_MAX_FILE_MB": "2.5",
    "COUNCIL_READ_TIMEOUT_S": "7",
    "COUNCIL_READ_MEMORY_MB": "512",
    "COUNCIL_MAX_ROWS": "5000",
    "COUNCIL_MAX_COLUMNS": "40",
    "COUNCIL_MAX_UNPACKED_MB": "20",
    "COUNCIL_NOW": "2026-07-28T09:00:00+00:00",
    "COUNCIL_WORKERS": " 2 ",
    "COUNCIL_CLAIM_TIMEOUT_S": "30",
    "COUNCIL_RETRY_BACKOFF_S": "0",
    "COUNCIL_MAX_ATTEMPTS": "1",
    "COUNCIL_HOLD_TAKEN_S": "1e3",
    "COUNCIL_GX_SCREEN": "OFF",
    "COUNCIL_CHROMIUM": "/opt/chromium/chrome",
    "COUNCIL_SWEEP_INTERVAL_S": "30",
    "COUNCIL_SCHEMAS_DIR": str(SCHEMAS_DIR),
}


@pytest.mark.parametrize(("name", "value"), BAD.values(), ids=BAD.keys())
def test_a_bad_value_names_the_variable_and_what_it_accepts(name: str, value: str) -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({name: value})
    assert list(refused.value.problems) == [name]
    message = str(refused.value)
    assert message.startswith(name)
    assert "expected" in message or "is not a setting" in message


def test_a_typo_is_refused_with_the_setting_it_resembles_and_the_known_ones() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"COUNCIL_SETTLE_SECOND": "5"})
    assert "did you mean COUNCIL_SETTLE_SECONDS?" in str(refused.value)
    assert all(known in str(refused.value) for known in VARIABLES)


def test_every_bad_variable_is_reported_at_once() -> None:
    with pytest.raises(SettingsError) as refused:
        Settings.from_env({"COUNCIL_WORKERS": "two", "COUNCIL_NOW": "garbage", "COUNCIL_SETTLE_SECONDS": "5"})
    assert set(refused.value.problems) == {"COUNCIL_WORKERS", "COUNCIL_NOW"}


def test_good_values_parse_into_every_field() -> None:
    settings = Settings.from_env(GOOD)
    assert settings == Settings(
        data_dir=Path("/srv/council"),
        settle_seconds=0.0,
        max_file_mb=2.5,
        read_timeout_s=7.0,
        read_memory_mb=512,
        max_rows=5000,
        max_columns=40,
        max_unpacked_mb=20.0,
        now_override="2026-07-28T09:00:00+00:00",
        workers=2,
        claim_timeout_s=30.0,
        retry_backoff_s=0.0,
        max_attempts=1,
        hold_taken_s=1000.0,
        gx_screen=False,
        chromium="/opt/chromium/chrome",
        sweep_interval_s=30.0,
        schemas_dir=SCHEMAS_DIR,
    )
    assert set(GOOD) == set(VARIABLES)  # the test above sets every variable there is


def test_nothing_set_gives_the_defaults_with_the_data_root_under_the_current_folder() -> None:
    assert Settings.from_env({}) == Settings(data_dir=Path("data").resolve())


@pytest.mark.parametrize("name", ["COUNCIL_NOW", "COUNCIL_CHROMIUM", "COUNCIL_SWEEP_INTERVAL_S"])
def test_empty_means_unset_where_unset_means_something(name: str) -> None:
    assert Settings.from_env({name: ""}) == Settings.from_env({})


@pytest.mark.parametrize(("value", "screen"), [("on", True), ("1", True), ("yes", True), ("off", False), ("No", False)])
def test_the_gx_screen_switch_reads_the_usual_words(value: str, screen: bool) -> None:
    assert Settings.from_env({"COUNCIL_GX_SCREEN": value}).gx_screen is screen


def test_every_field_has_exactly_one_variable() -> None:
    fields = {f.name for f in dataclasses.fields(Settings)}
    assert sorted(field for field, _, _ in VARIABLES.values()) == sorted(fields)


def test_the_readme_table_lists_every_variable() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    table_rows = [line for line in readme.splitlines() if line.startswith("| `COUNCIL_")]
    listed = set(re.findall(r"`(COUNCIL_[A-Z_]+)`", "\n".join(table_rows)))
    assert listed == set(VARIABLES)


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> pytest.MonkeyPatch:
    """No `COUNCIL_*` variable but a data root of the test's own."""
    for name in [n for n in os.environ if n.startswith("COUNCIL_")]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("COUNCIL_DATA_DIR", str(tmp_path / "data"))
    return monkeypatch


@pytest.mark.parametrize(("name", "value"), BAD.values(), ids=BAD.keys())
def test_the_command_stops_with_one_line_and_exit_2(
    name: str, value: str, clean_env: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    clean_env.setenv(name, value)
    assert main(["status", "--period", "2026S1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"council status: {name}")
    assert err.count("\n") == 1
    assert not (tmp_path / "data").exists()  # stopped before touching anything
