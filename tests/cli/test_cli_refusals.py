"""The installed command stops in one line (exit 2), no traceback, on a bad setting or a damaged warehouse."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from council.catalog import Catalog
from tasks.samples import sample_filename, sample_workbook
from tasks.storage.warehouse import ensure_schema

COUNCIL = Path(sys.executable).with_name("council")
NOW = "2026-07-28T09:00:00+00:00"


def council(*args: str, data: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("COUNCIL_")}
    env |= {"COUNCIL_DATA_DIR": str(data), "COUNCIL_SETTLE_SECONDS": "0", "COUNCIL_NOW": NOW, **extra}
    return subprocess.run([str(COUNCIL), *args], capture_output=True, text=True, env=env, timeout=300)


def one_line_refusal(done: subprocess.CompletedProcess[str], command: str) -> str:
    assert done.returncode == 2, done.stderr
    assert done.stderr.startswith(f"council {command}: ") and done.stderr.count("\n") == 1, done.stderr
    return done.stderr


def test_a_bad_setting_stops_the_installed_command(tmp_path: Path) -> None:
    done = council("ingest", data=tmp_path / "data", COUNCIL_WORKERS="two")
    message = one_line_refusal(done, "ingest")
    assert "COUNCIL_WORKERS='two': expected a whole number ≥ 0 (0 = one per core)" in message
    assert not (tmp_path / "data").exists()


def junk_warehouse(path: Path, _: Catalog) -> None:
    path.write_bytes(b"\x00garbage\xff" * 4096)


def truncated_warehouse(path: Path, catalog: Catalog) -> None:
    ensure_schema(path, catalog)  # a real warehouse, as the pipeline makes it, then cut in half
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


@pytest.mark.parametrize("damage", [junk_warehouse, truncated_warehouse])
def test_status_and_a_sweep_name_the_damaged_warehouse_and_touch_no_file(
    damage: Callable[[Path, Catalog], None], tmp_path: Path, catalog: Catalog
) -> None:
    data = tmp_path / "data"
    warehouse = data / "warehouse" / "council.duckdb"
    warehouse.parent.mkdir(parents=True)
    damage(warehouse, catalog)
    waiting = data / "inbox" / "HEALTH" / sample_filename(catalog, "HEALTH", "2026S1")
    waiting.parent.mkdir(parents=True)
    waiting.write_bytes(sample_workbook(catalog, "HEALTH", "2026S1"))

    for command in (["status", "--period", "2026S1"], ["ingest"]):
        message = one_line_refusal(council(*command, data=data), command[0])
        assert f"the warehouse {warehouse} is damaged" in message and "council rebuild" in message
    assert waiting.exists() and not (data / "archive").exists()  # the sweep stopped before taking anything
