"""Each hostile or broken file next to a valid report: the sweep finishes, refuses it clearly, loads the other."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from council.catalog import Catalog, load_catalog
from council.settings import Settings
from tasks.pipeline.submission import Outcome
from tests.hostile.corpus import MAKERS, Case, make_case
from tests.hostile.measured import HOSTILE_CENTRE, VALID_CENTRE, fresh_root, measured_sweep

# A hostile file must not blow up memory: a safety bound, not a timing (`bench/hostile.py` reports the seconds).
EXTRA_MB = 500


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog()


def query(settings: Settings, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def fingerprint(path: Path) -> str | None:
    """sha256 of a regular file's bytes; None for what the sweep must not open (dirs, links, pipes)."""
    from tasks.intake.files import sha256_of

    return sha256_of(path)[0] if path.is_file() and not path.is_symlink() else None


@pytest.mark.parametrize("kind", [maker.__name__ for maker in MAKERS])
def test_a_hostile_file_never_stops_the_sweep_nor_blows_its_memory(kind: str, tmp_path: Path, catalog: Catalog) -> None:
    settings = fresh_root(tmp_path, catalog)
    case = make_case(kind, settings.inbox / HOSTILE_CENTRE)
    sha = fingerprint(settings.inbox / HOSTILE_CENTRE / case.file_name)
    run = measured_sweep(settings, catalog)

    valid = [o for o in run.outcomes if o.centre == VALID_CENTRE]
    assert [o.status.startswith("accepted") for o in valid] == [True]
    assert query(settings, "SELECT count(*) FROM submissions WHERE centre = ? AND is_current", [VALID_CENTRE]) == [(1,)]
    assert_handled(settings, case, sha, [o for o in run.outcomes if o.centre == HOSTILE_CENTRE])
    assert_inside(tmp_path, settings)
    assert run.child_peak_mb < EXTRA_MB and run.parent_extra_mb < EXTRA_MB, run


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
