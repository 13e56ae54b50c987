"""Two sweeps that run at the same time, and a sweep during a pack build: each file once, nothing fails.

Each child reports when its work started and ended; the tests assert the intervals overlapped, so a
pass cannot come from one job finishing before the other began.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import duckdb
import pytest

from council.catalog import Catalog
from council.settings import Settings
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tests.crash.harness import REPO, child_env, data_state, drop_samples, settings_for, uninterrupted_state

CHILD = Path(__file__).with_name("start_together.py")
FOUR = (("AGRO", "2026S1"), ("ENERGY", "2026S1"), ("HEALTH", "2026S1"), ("OILGAS", "2026S1"))
TIMEOUT_S = 300
DECIDED = {"accepted", "accepted_with_warnings", "rejected", "held"}


@pytest.fixture(scope="module")
def one_sweep(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, read: Reader) -> dict[str, object]:
    return uninterrupted_state(tmp_path_factory.mktemp("single") / "data", catalog, read, FOUR)


def start_together(settings: Settings, gate: Path, jobs: dict[str, str]) -> dict[str, dict[str, Any]]:
    """Start one child per job, open the gate once all are warm, return each child's JSON answer."""
    gate.mkdir()
    children = {
        name: subprocess.Popen(
            [sys.executable, str(CHILD), str(gate), name, job],
            cwd=REPO,
            env=child_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name, job in jobs.items()
    }
    deadline = time.monotonic() + TIMEOUT_S
    while not all((gate / f"{name}.ready").exists() for name in jobs):
        assert time.monotonic() < deadline and all(c.poll() is None for c in children.values()), "a child died"
        time.sleep(0.05)
    (gate / "go").touch()
    answers = {}
    for name, child in children.items():
        out, err = child.communicate(timeout=TIMEOUT_S)
        assert child.returncode == 0, err.decode(errors="replace")[-3000:]
        answers[name] = json.loads(out.decode().strip().splitlines()[-1])
    return answers


def overlapped(answers: dict[str, dict[str, Any]]) -> bool:
    """Every child started its work before any child finished: the jobs really ran at the same time."""
    return max(a["started"] for a in answers.values()) < min(a["ended"] for a in answers.values())


def ledger_events(settings: Settings) -> list[tuple[str, str]]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute("SELECT event, sha256 FROM ledger WHERE sha256 IS NOT NULL ORDER BY event_id").fetchall()


def test_two_overlapping_sweeps_take_each_file_exactly_once(
    tmp_path: Path, catalog: Catalog, one_sweep: dict[str, object]
) -> None:
    settings = settings_for(tmp_path / "data")
    drop_samples(settings, catalog, FOUR)
    answers = start_together(settings, tmp_path / "gate", {"first": "sweep", "second": "sweep"})
    assert overlapped(answers), answers
    decided = Counter(n for a in answers.values() for _, n, status in a["outcomes"] if status in DECIDED)
    assert decided == Counter(f"{centre}_{period}.xlsx" for centre, period in FOUR)
    assert data_state(settings, catalog) == one_sweep
    events = ledger_events(settings)
    assert Counter(sha for event, sha in events if event == "received") == Counter({sha: 1 for _, sha in events})
    assert {event for event, _ in events} <= DECIDED | {"received", "skipped", "duplicate"}


def test_a_sweep_overlapping_a_pack_build_both_succeed(tmp_path: Path, catalog: Catalog, read: Reader) -> None:
    settings = settings_for(tmp_path / "data")
    drop_samples(settings, catalog, FOUR[:2])
    sweep(settings, catalog, read)  # something for the pack to show
    drop_samples(settings, catalog, FOUR[2:])
    answers = start_together(settings, tmp_path / "gate", {"sweep": "sweep", "pack": "pack"})
    assert overlapped(answers), answers
    assert Path(str(answers["pack"]["pack"])).joinpath("manifest.json").is_file()
    assert sorted(status for _, _, status in answers["sweep"]["outcomes"]) == ["accepted", "rejected"]
    state = data_state(settings, catalog)
    assert state["inbox"] == [] and len(state["submissions"]) == 4
