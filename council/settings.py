"""Runtime settings: every `COUNCIL_*` variable is read and checked here, once (no heavy imports: the CLI starts fast).

A bad value stops with a `SettingsError` naming the variable and what it accepts, before any work
starts; a `COUNCIL_*` name that is not a setting (a typo) is refused too, so it never silently does
nothing. An empty value is refused, except for the settings whose absence means something
(`COUNCIL_NOW`, `COUNCIL_CHROMIUM`, `COUNCIL_SWEEP_INTERVAL_S`): there empty means unset.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

PREFIX = "COUNCIL_"


class SettingsError(ValueError):
    """`COUNCIL_*` variables the pipeline cannot use; the message names each and what it accepts."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__(problems)  # the only argument: the error pickles across processes
        self.problems = problems  # variable name → what is wrong with it

    def __str__(self) -> str:
        known = f"known settings: {', '.join(sorted(VARIABLES))}"
        unknown = any(name not in VARIABLES for name in self.problems)
        return "; ".join([*self.problems.values(), *([known] if unknown else [])])


@dataclass(frozen=True)
class Settings:
    """Where the data root is and the limits the pipeline works within."""

    data_dir: Path
    settle_seconds: float = 5.0
    max_file_mb: float = 50.0
    read_timeout_s: float = 60.0
    read_memory_mb: int = 2048
    max_rows: int = 200_000
    max_columns: int = 200
    max_unpacked_mb: float = 500.0
    now_override: str | None = None
    workers: int = 0  # worker processes per sweep; 0 = one per CPU core
    claim_timeout_s: float = 600.0  # a sweep that has not finished a file in this long is presumed dead
    retry_backoff_s: float = 60.0  # a failed file is tried again after this, doubling with each failure
    max_attempts: int = 3  # failures before a file is quarantined (kept, listed, answered)
    hold_taken_s: float = 3600.0  # a taken file waits this long in its centre's hold folder, in case it grows
    gx_screen: bool = True  # vectorised screen before Great Expectations (off: the whole suite goes to GX)
    chromium: str | None = None  # the browser that prints pack.pdf (default: found on PATH)
    sweep_interval_s: float | None = None  # overrides the inbox-sweep deployment's interval under `council serve`
    schemas_dir: Path | None = None  # an agency's own schema folder (default: the schemas shipped with the package)

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        """Settings from `COUNCIL_*` variables (`os.environ` unless given); a bad one raises SettingsError."""
        # Any, not object: each field's parser in VARIABLES returns that field's type, which no static type pairs.
        values: dict[str, Any] = read_env(os.environ if env is None else env)
        return cls(**{"data_dir": Path("data").resolve(), **values})

    def now(self) -> datetime:
        """Current UTC time; `COUNCIL_NOW` (ISO 8601) pins it for demos and tests."""
        if self.now_override:
            pinned = datetime.fromisoformat(self.now_override)
            return pinned if pinned.tzinfo else pinned.replace(tzinfo=UTC)
        return datetime.now(UTC)

    @property
    def inbox(self) -> Path:
        return self.data_dir / "inbox"

    @property
    def archive(self) -> Path:
        return self.data_dir / "archive"

    @property
    def outbox(self) -> Path:
        return self.data_dir / "outbox"

    @property
    def packs(self) -> Path:
        return self.data_dir / "packs"

    @property
    def processed(self) -> Path:
        return self.data_dir / "processed"

    @property
    def journal(self) -> Path:
        """Append-only journal of the ledger's events, beside the archive: with it, the archive rebuilds all."""
        return self.data_dir / "journal"

    @property
    def taken(self) -> Path:
        """The hold: files taken from the drop folders wait here a while, in case they were still being written."""
        return self.data_dir / "taken"

    @property
    def warehouse(self) -> Path:
        return self.data_dir / "warehouse" / "council.duckdb"


def _folder(text: str) -> Path:
    if not text.strip():
        raise ValueError("empty")  # Path("") would quietly mean the current folder
    return Path(text).resolve()


def _schema_folder(text: str) -> Path:
    folder = _folder(text)
    if not (folder / "workbook.yaml").is_file():  # not a schema folder: stop here, not deep inside a command
        raise ValueError(text)
    return folder


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # float() takes "nan" and "inf"; neither is a limit or a duration
        raise ValueError(text)
    return value


def _at_least(low: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        if (value := _number(text)) < low:
            raise ValueError(text)
        return value

    return parse


def _above(low: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        if (value := _number(text)) <= low:
            raise ValueError(text)
        return value

    return parse


def _whole_at_least(low: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        if (value := int(text)) < low:
            raise ValueError(text)
        return value

    return parse


_SWITCH = {"on": True, "1": True, "true": True, "yes": True, "off": False, "0": False, "false": False, "no": False}


def _switch(text: str) -> bool:
    return _SWITCH[text.strip().lower()]  # a KeyError for anything else, reported like a ValueError


def _instant(text: str) -> str:
    datetime.fromisoformat(text)  # checked now; kept as text, `Settings.now` reads it
    return text


def _name(text: str) -> str:
    return text


# name → (field, parser, what it accepts). The one list of settings: the README's table follows it.
VARIABLES: dict[str, tuple[str, Callable[[str], object], str]] = {
    "COUNCIL_DATA_DIR": ("data_dir", _folder, "a folder path (default ./data)"),
    "COUNCIL_SETTLE_SECONDS": ("settle_seconds", _at_least(0), "a number of seconds ≥ 0"),
    "COUNCIL_MAX_FILE_MB": ("max_file_mb", _above(0), "a number of megabytes > 0"),
    "COUNCIL_READ_TIMEOUT_S": ("read_timeout_s", _above(0), "a number of seconds > 0"),
    "COUNCIL_READ_MEMORY_MB": ("read_memory_mb", _whole_at_least(1), "a whole number of megabytes ≥ 1"),
    "COUNCIL_MAX_ROWS": ("max_rows", _whole_at_least(1), "a whole number ≥ 1"),
    "COUNCIL_MAX_COLUMNS": ("max_columns", _whole_at_least(1), "a whole number ≥ 1"),
    "COUNCIL_MAX_UNPACKED_MB": ("max_unpacked_mb", _above(0), "a number of megabytes > 0"),
    "COUNCIL_NOW": ("now_override", _instant, "an ISO 8601 date and time such as 2026-07-28T09:00:00+00:00"),
    "COUNCIL_WORKERS": ("workers", _whole_at_least(0), "a whole number ≥ 0 (0 = one per core)"),
    "COUNCIL_CLAIM_TIMEOUT_S": ("claim_timeout_s", _above(0), "a number of seconds > 0"),
    "COUNCIL_RETRY_BACKOFF_S": ("retry_backoff_s", _at_least(0), "a number of seconds ≥ 0"),
    "COUNCIL_MAX_ATTEMPTS": ("max_attempts", _whole_at_least(1), "a whole number ≥ 1"),
    "COUNCIL_HOLD_TAKEN_S": ("hold_taken_s", _at_least(0), "a number of seconds ≥ 0"),
    "COUNCIL_GX_SCREEN": ("gx_screen", _switch, "on or off (also 1/0, true/false, yes/no)"),
    "COUNCIL_CHROMIUM": ("chromium", _name, "a browser's name on PATH or its path"),
    "COUNCIL_SWEEP_INTERVAL_S": ("sweep_interval_s", _above(0), "a number of seconds > 0"),
    "COUNCIL_SCHEMAS_DIR": ("schemas_dir", _schema_folder, "a folder of schema files holding workbook.yaml"),
}
EMPTY_MEANS_UNSET = frozenset({"COUNCIL_NOW", "COUNCIL_CHROMIUM", "COUNCIL_SWEEP_INTERVAL_S"})


def _parsed(name: str, raw: str) -> object:
    """One variable's value, or a SettingsError naming it and what it accepts."""
    parse, accepts = VARIABLES[name][1:]
    try:
        return parse(raw)
    except (ValueError, KeyError):
        raise SettingsError({name: f"{name}={raw!r}: expected {accepts}"}) from None


def _unknown(name: str) -> str:
    """A typo'd name would otherwise do nothing at all: it is refused, with the closest setting."""
    from difflib import get_close_matches  # only on this error path

    guess = get_close_matches(name, VARIABLES, n=1, cutoff=0.85)
    return f"{name} is not a setting" + (f" (did you mean {guess[0]}?)" if guess else "")


def read_env(env: Mapping[str, str]) -> dict[str, object]:
    """Field values for every `COUNCIL_*` variable set in `env`; all problems at once in one SettingsError."""
    values: dict[str, object] = {}
    problems: dict[str, str] = {}
    for name, (field_name, _, _) in VARIABLES.items():
        raw = env.get(name)
        if raw is None or (raw == "" and name in EMPTY_MEANS_UNSET):
            continue
        try:
            values[field_name] = _parsed(name, raw)
        except SettingsError as error:
            problems |= error.problems
    problems |= {name: _unknown(name) for name in sorted(env) if name.startswith(PREFIX) and name not in VARIABLES}
    if problems:
        raise SettingsError(problems)
    return values
