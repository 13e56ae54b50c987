"""Shared by the crash and concurrency tests: sample files, a child sweep, and the state promises are about."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tasks.samples import sample_workbook

REPO = Path(__file__).resolve().parents[2]
KILL_AT = Path(__file__).with_name("kill_at.py")
PACK_AT = Path(__file__).with_name("pack_at.py")
SWEPT_AT = "2026-07-20T09:00:00+00:00"  # before 2026S1's due date
# A clean file, one accepted with warnings, one rejected with cell problems (an annotated copy too).
SAMPLES = (("AGRO", "2026S1"), ("ENERGY", "2026S1"), ("HEALTH", "2026S1"))
CHILD_TIMEOUT_S = 180


def settings_for(root: Path) -> Settings:
    return Settings(data_dir=root, settle_seconds=0, now_override=SWEPT_AT)


def drop_samples(settings: Settings, catalog: Catalog, samples: tuple[tuple[str, str], ...] = SAMPLES) -> None:
    for centre, period in samples:
        target = settings.inbox / centre / f"{centre}_{period}.xlsx"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(sample_workbook(catalog, centre, period))


def child_env(settings: Settings, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("COUNCIL_", "PREFECT_"))}
    return env | {
        "COUNCIL_DATA_DIR": str(settings.data_dir),
        "COUNCIL_SETTLE_SECONDS": "0",
        "COUNCIL_NOW": SWEPT_AT,
        "PYTHONPATH": str(REPO),
        **extra,
    }


def run_kill_at(settings: Settings, target: str, event: str, nth: int) -> int:
    """A sweep in a child process that SIGKILLs itself at the named point; its return code (-9 when killed)."""
    done = subprocess.run(
        [sys.executable, str(KILL_AT), target, event, str(nth)],
        cwd=REPO,
        env=child_env(settings),
        capture_output=True,
        timeout=CHILD_TIMEOUT_S,
    )
    assert done.returncode in (0, -9), done.stderr.decode(errors="replace")[-3000:]
    return done.returncode


def start_pack_at(settings: Settings, *args: str, **env: str) -> subprocess.Popen[str]:
    """A pack build in a child process (pack_at.py: PACK_ID PERIOD and its options), not waited for."""
    return subprocess.Popen(
        [sys.executable, str(PACK_AT), *args],
        cwd=REPO,
        env=child_env(settings, **env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(child: subprocess.Popen[str]) -> subprocess.CompletedProcess[str]:
    """Wait for a child started by `start_pack_at`; its return code (-9 when killed) and output."""
    stdout, stderr = child.communicate(timeout=CHILD_TIMEOUT_S)
    return subprocess.CompletedProcess(child.args, child.returncode, stdout, stderr)


def run_pack_at(settings: Settings, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """A pack build in a child process, waited for."""
    return finish(start_pack_at(settings, *args, **env))


def files_under(folder: Path) -> list[str]:
    """Every file (hidden ones too: half-written leftovers must show) relative to `folder`."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def warehouse_state(settings: Settings, catalog: Catalog) -> dict[str, object]:
    """What 'nothing lost, never twice' is about, in values that do not depend on run ids or timing."""
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:

        def rows(sql: str) -> list[tuple]:
            return sorted(con.execute(sql).fetchall())

        return {
            "rows": {name: rows(f"SELECT count(*) FROM {name}")[0][0] for name in catalog.sheets},
            "duplicate_rows": {
                name: rows(f"SELECT count(*) - count(DISTINCT (submission_id, excel_row)) FROM {name}")[0][0]
                for name in catalog.sheets
            },
            "orphan_rows": {
                name: rows(
                    f"SELECT count(*) FROM {name}"
                    " WHERE submission_id NOT IN (SELECT submission_id FROM submissions WHERE is_current)"
                )[0][0]
                for name in catalog.sheets
            },
            "submissions": rows(
                "SELECT sha256, status, is_current, answered_at IS NOT NULL, errors, warnings FROM submissions"
            ),
            "received_events": rows("SELECT sha256, count(*) FROM ledger WHERE event = 'received' GROUP BY sha256"),
            "verdict_events": rows(
                "SELECT submission_id, event, count(*) FROM ledger"
                " WHERE event IN ('accepted', 'accepted_with_warnings', 'rejected', 'held') GROUP BY ALL"
            ),
            "current": rows("SELECT centre, period, count(*) FROM submissions WHERE is_current GROUP BY ALL"),
            "problems": rows("SELECT submission_id, count(*) FROM problems GROUP BY ALL"),
        }


def data_state(settings: Settings, catalog: Catalog) -> dict[str, object]:
    """The warehouse's state plus the folders: archive, inbox, processed, outbox."""
    folders = {name: files_under(getattr(settings, name)) for name in ("archive", "inbox", "processed", "outbox")}
    return warehouse_state(settings, catalog) | folders


def uninterrupted_state(
    root: Path, catalog: Catalog, read: Reader, samples: tuple[tuple[str, str], ...]
) -> dict[str, object]:
    """The state one ordinary sweep of `samples` leaves: what crashed or concurrent runs must converge to."""
    settings = settings_for(root)
    drop_samples(settings, catalog, samples)
    sweep(settings, catalog, read)
    return data_state(settings, catalog)
