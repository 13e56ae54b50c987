"""Each hostile or broken file next to a valid report: the sweep finishes, refuses it clearly, loads the other."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import duckdb
import pytest

from council.catalog import Catalog, load_catalog
from council.settings import Settings
from tasks.pipeline.submission import Outcome
from tasks.pipeline.sweep import read_limits, sweep
from tasks.read import IsolatedReader
from tasks.samples import sample_workbook
from tests.hostile.corpus import MAKERS, Case, make_case

SWEPT_AT = "2026-07-20T09:00:00+00:00"
HOSTILE_CENTRE, VALID_CENTRE = "AGRO", "ELEC"
EXTRA_SECONDS, EXTRA_MB = 5.0, 500
MEASURED: dict[str, tuple[float, float, float]] = {}  # case → (extra s, child peak MB, parent extra MB)


@dataclass(frozen=True)
class Run:
    outcomes: list[Outcome]
    seconds: float
    child_peak_mb: float
    parent_extra_mb: float


def _status_kb(pid: int | str, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    line = next((line for line in text.splitlines() if line.startswith(key + ":")), f"{key}: 0 kB")
    return int(line.split()[1])


def timed_sweep(settings: Settings, catalog: Catalog) -> Run:
    """One sweep with a fresh reader child; wall time and the peaks of the child and of this process."""
    Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM so the peak below is this sweep's own
    rss_before = _status_kb("self", "VmRSS")
    limits = read_limits(settings)
    started = time.perf_counter()
    with IsolatedReader(limits.memory_mb) as reader:
        outcomes = sweep(settings, catalog, partial(reader.read, limits=limits))
        seconds = time.perf_counter() - started
        live_peak = _status_kb(reader.pid, "VmHWM") if reader.pid else 0
    # Only the live child's VmHWM: RUSAGE_CHILDREN counts a forked child's pre-exec copy of this process.
    child_kb = live_peak
    parent_kb = _status_kb("self", "VmHWM") - rss_before
    return Run(outcomes, seconds, child_kb / 1024, parent_kb / 1024)


def fresh_root(tmp_path: Path, catalog: Catalog) -> Settings:
    """A data root holding one valid ELEC report in its inbox."""
    settings = Settings(data_dir=tmp_path / "data", settle_seconds=0, now_override=SWEPT_AT)
    folder = settings.inbox / VALID_CENTRE
    folder.mkdir(parents=True)
    (folder / "ELEC 2026S1.xlsx").write_bytes(sample_workbook(catalog, VALID_CENTRE, "2026S1"))
    return settings


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


@pytest.fixture(scope="module")
def baseline_seconds(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog) -> Iterator[float]:
    """The same sweep with only the valid file (best of two: the machine is noisy)."""
    runs = [timed_sweep(fresh_root(tmp_path_factory.mktemp("base"), catalog), catalog) for _ in range(2)]
    assert all(run.outcomes[0].status.startswith("accepted") for run in runs)
    yield min(run.seconds for run in runs)
    worst = sorted(MEASURED.items(), key=lambda item: -item[1][0])[:3]
    print(f"\nbaseline {min(r.seconds for r in runs):.2f} s; worst extra: {worst}")


def query(settings: Settings, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def fingerprint(path: Path) -> str | None:
    """sha256 of a regular file's bytes; None for what the sweep must not open (dirs, links, pipes)."""
    from tasks.intake.files import sha256_of

    return sha256_of(path)[0] if path.is_file() and not path.is_symlink() else None


@pytest.mark.parametrize("kind", [maker.__name__ for maker in MAKERS])
def test_a_hostile_file_never_stops_the_sweep(
    kind: str, tmp_path: Path, catalog: Catalog, baseline_seconds: float
) -> None:
    settings = fresh_root(tmp_path, catalog)
    case = make_case(kind, settings.inbox / HOSTILE_CENTRE)
    sha = fingerprint(settings.inbox / HOSTILE_CENTRE / case.file_name)
    run = timed_sweep(settings, catalog)
    MEASURED[kind] = (run.seconds - baseline_seconds, run.child_peak_mb, run.parent_extra_mb)

    valid = [o for o in run.outcomes if o.centre == VALID_CENTRE]
    assert [o.status.startswith("accepted") for o in valid] == [True]
    assert query(settings, "SELECT count(*) FROM submissions WHERE centre = ? AND is_current", [VALID_CENTRE]) == [(1,)]
    assert_handled(settings, case, sha, [o for o in run.outcomes if o.centre == HOSTILE_CENTRE])
    assert_inside(tmp_path, settings)
    assert run.seconds - baseline_seconds < EXTRA_SECONDS, f"{run.seconds:.1f} s vs {baseline_seconds:.1f} s"
    assert run.child_peak_mb < EXTRA_MB and run.parent_extra_mb < EXTRA_MB


def assert_handled(settings: Settings, case: Case, sha: str | None, outcomes: list[Outcome]) -> None:
    """Ignored files stay and leave no trace; the rest are archived, recorded and out of the inbox."""
    left = sorted(p.name for p in (settings.inbox / HOSTILE_CENTRE).iterdir())
    if case.handling == "ignore":
        assert (outcomes, left) == ([], [case.file_name])
        assert query(settings, "SELECT count(*) FROM submissions WHERE centre = ?", [HOSTILE_CENTRE]) == [(0,)]
        return
    assert left == [] and sha is not None and len(outcomes) == 1
    archived = list((settings.archive / sha[:2]).glob(f"{sha}.*"))
    assert len(archived) == 1 and fingerprint(archived[0]) == sha
    rows = query(settings, "SELECT status, is_current FROM submissions WHERE sha256 = ?", [sha])
    rules = {
        r for (r,) in query(settings, "SELECT rule FROM problems WHERE submission_id = ?", [outcomes[0].submission_id])
    }
    assert (
        query(settings, "SELECT count(*) FROM ledger WHERE submission_id = ?", [outcomes[0].submission_id])[0][0] >= 2
    )
    if case.expected_rule:
        assert rows == [("rejected", None)] or rows[0][0] == "rejected"
        assert case.expected_rule in rules, rules
    elif case.handling == "accept":
        assert rows == [(outcomes[0].status, True)] and outcomes[0].status.startswith("accepted"), rules
    else:
        assert rows[0][0] in ("accepted", "accepted_with_warnings", "rejected")
        assert not {r for r in rules if r.startswith("file.")}, rules


def assert_inside(tmp_path: Path, settings: Settings) -> None:
    """Nothing was written outside the data root, and processed/ and outbox/ hold plain files one level down."""
    root = settings.data_dir.resolve()
    for folder, dirs, files in os.walk(tmp_path):
        for name in dirs + files:
            path = Path(folder, name)
            assert path == root or root in path.resolve(strict=False).parents or path.is_symlink(), path
    for area in (settings.processed, settings.outbox):
        for centre in area.iterdir() if area.exists() else []:
            for entry in centre.iterdir():
                assert entry.parent.resolve() == (area / centre.name).resolve() and entry.is_file(), entry
                assert "\n" not in entry.name and not entry.name.startswith(("-", ".")), entry.name
