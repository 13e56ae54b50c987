"""Packs are atomic and agree with the lock: kills at any instant, two builds at once, sweeps during a build.

Real DuckDB files and real processes: builds run in children (tests/crash/pack_at.py) killed or paused at
named functions, with no hook in production code.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from council.catalog import Catalog
from council.settings import Settings
from tasks.pack.folder import PackFolders, clear_leftovers
from tasks.pack.manifest import file_entry
from tasks.pipeline.build_pack import build_pack
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import sweep
from tasks.samples import corrected_resubmission
from tasks.storage.ledger import is_locked, record_unlock
from tests.crash.harness import KILL_AT, REPO, child_env, finish, run_pack_at, start_pack_at

PACK, PERIOD = "TPC-2026-09", "2026S1"
FIRST_BUILT_AT = "2026-07-20T09:00:00+00:00"
UNLOCKED_AT = "2026-07-21T09:00:00+00:00"
REBUILT_AT = "2026-07-22T09:00:00+00:00"
NO_PDF = {"COUNCIL_CHROMIUM": "no-such-browser"}  # the numbers and files matter here, not the browser
ACCEPTED = {"accepted", "accepted_with_warnings"}
REFUSED_EXIT = 3
GATE_TIMEOUT_S = 120.0


@pytest.fixture(scope="module", autouse=True)
def no_pdf() -> Iterator[None]:
    saved = os.environ.get("COUNCIL_CHROMIUM")
    os.environ["COUNCIL_CHROMIUM"] = NO_PDF["COUNCIL_CHROMIUM"]
    yield
    if saved is None:
        os.environ.pop("COUNCIL_CHROMIUM", None)
    else:
        os.environ["COUNCIL_CHROMIUM"] = saved


def at(root: Path, when: str) -> Settings:
    return Settings(data_dir=root, settle_seconds=0, now_override=when)


def drop(settings: Settings, catalog: Catalog, centre: str) -> None:
    """A report without mistakes, so the sweep accepts it unless the period is locked."""
    target = settings.inbox / centre / f"{centre}_{PERIOD}.xlsx"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(corrected_resubmission(catalog, centre, PERIOD))


def swept(settings: Settings, catalog: Catalog, read: Reader, centre: str) -> str:
    drop(settings, catalog, centre)
    [outcome] = sweep(settings, catalog, read)
    return outcome.status


def copy_of(root: Path, tmp_path: Path) -> Path:
    shutil.copytree(root, tmp_path / "data", symlinks=True)
    return tmp_path / "data"


@pytest.fixture(scope="module")
def previous_root(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, read: Reader) -> Path:
    """An official pack of AGRO's report; then ENERGY's report, held, unlocked and accepted.

    So the next official build has one more input than the pack in place, and locks ENERGY again.
    """
    root = tmp_path_factory.mktemp("previous") / "data"
    first = at(root, FIRST_BUILT_AT)
    assert swept(first, catalog, read, "AGRO") in ACCEPTED
    build_pack(first, catalog, PACK, PERIOD)
    assert swept(first, catalog, read, "ENERGY") == "held"
    record_unlock(first.warehouse, "ENERGY", PERIOD, "late report approved", at(root, UNLOCKED_AT).now())
    [released] = sweep(at(root, UNLOCKED_AT), catalog, read)
    assert released.status in ACCEPTED
    return root


@pytest.fixture(scope="module")
def open_root(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, read: Reader) -> Path:
    """AGRO's report accepted and no official pack yet: the period is open."""
    root = tmp_path_factory.mktemp("open") / "data"
    assert swept(at(root, FIRST_BUILT_AT), catalog, read, "AGRO") in ACCEPTED
    return root


def pack_files(settings: Settings) -> dict[str, bytes]:
    folder = settings.packs / PACK
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


def manifest(settings: Settings) -> dict[str, Any]:
    return json.loads((settings.packs / PACK / "manifest.json").read_text(encoding="utf-8"))


def outputs_match(settings: Settings) -> bool:
    """Every file the manifest lists is there with its hash: a whole pack, not a mix of two builds."""
    outputs = manifest(settings)["outputs"]
    return all(file_entry(settings.packs / PACK / name) == entry for name, entry in outputs.items())


def pack_state(settings: Settings) -> dict[str, object]:
    """What a finished rebuild promises, in values that do not depend on how it got there."""
    m = manifest(settings)
    return {
        "inputs": m["inputs"],
        "comparison_inputs": m["comparison_inputs"],
        "headline": m["headline"],
        "built_at": m["built_at"],
        "whole": outputs_match(settings),
        "packs_folder": sorted(os.listdir(settings.packs)),  # no staging or parked leftovers
        "energy_locked": is_locked(settings.warehouse, "ENERGY", PERIOD),
    }


@pytest.fixture(scope="module")
def uninterrupted(tmp_path_factory: pytest.TempPathFactory, catalog: Catalog, previous_root: Path) -> dict[str, object]:
    settings = at(copy_of(previous_root, tmp_path_factory.mktemp("uninterrupted")), REBUILT_AT)
    build_pack(settings, catalog, PACK, PERIOD)
    state = pack_state(settings)
    assert [i["centre"] for i in state["inputs"]] == ["AGRO", "ENERGY"] and state["energy_locked"]
    return state


def rebuild(settings: Settings, *options: str) -> subprocess.CompletedProcess[str]:
    return run_pack_at(settings, PACK, PERIOD, *options, COUNCIL_NOW=REBUILT_AT, **NO_PDF)


# point: (function, call|return, n-th time, the pack left in place, ENERGY locked after the kill)
KILL_POINTS = {
    "reading the inputs": ("tasks.storage.warehouse:pack_inputs_in", "call", 1, "previous", False),
    "writing pack.xlsx, half a zip": ("zipfile:ZipFile.write", "call", 3, "previous", False),
    "pack.xlsx written, pack.html not yet": ("tasks.pack.html:render_html", "call", 1, "previous", False),
    "writing the manifest": ("tasks.pack.manifest:write_manifest", "call", 1, "previous", False),
    "pack written, flushing it": ("tasks.pack.folder:fsync_tree", "call", 1, "previous", False),
    "re-reading them to lock": ("tasks.storage.warehouse:pack_inputs_in", "call", 2, "previous", False),
    "lock row written, not committed": ("tasks.storage.ledger:_event", "return", 1, "previous", False),
    "lock committed, pack not yet swapped in": ("tasks.pack.folder:exchange", "call", 1, "previous", True),
    "swapped in, old pack not yet removed": ("tasks.pack.folder:exchange", "return", 1, "new", True),
}


@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_build_killed_anywhere_leaves_a_whole_pack_and_a_rerun_converges(
    point: str,
    tmp_path: Path,
    catalog: Catalog,
    previous_root: Path,
    uninterrupted: dict[str, object],
) -> None:
    settings = at(copy_of(previous_root, tmp_path), REBUILT_AT)
    before = pack_files(settings)
    target, event, nth, left, locked = KILL_POINTS[point]
    done = rebuild(settings, "--kill", target, event, str(nth))
    assert done.returncode == -9, f"the build never reached {point}: {done.stderr[-2000:]}"
    if left == "previous":
        assert pack_files(settings) == before
    else:
        assert manifest(settings)["built_at"] == uninterrupted["built_at"]
        assert outputs_match(settings)
    # A period is never locked by a build whose pack was not written: only the commit right before the swap.
    assert is_locked(settings.warehouse, "ENERGY", PERIOD) is locked
    build_pack(settings, catalog, PACK, PERIOD)
    assert pack_state(settings) == uninterrupted


FILE_OPERATIONS = ("shutil:rmtree", "os:replace", "os:rename")


def whole_pack(settings: Settings, before: dict[str, bytes], rebuilt_at: object) -> bool:
    """The previous pack byte for byte, or the new one complete: never neither, never a mix."""
    if pack_files(settings) == before:
        return True
    return manifest(settings)["built_at"] == rebuilt_at and outputs_match(settings)


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "without renameat2"])
def test_a_build_killed_at_each_file_operation_leaves_a_whole_pack(
    exchange: bool, tmp_path: Path, catalog: Catalog, previous_root: Path, uninterrupted: dict[str, object]
) -> None:
    """Every rename, replace and tree removal the build makes, counted on a clean run, then killed one by one."""
    options = () if exchange else ("--no-exchange",)
    counting = [arg for target in FILE_OPERATIONS for arg in ("--count", target)]
    clean = rebuild(at(copy_of(previous_root, tmp_path / "clean"), REBUILT_AT), *options, *counting)
    calls = json.loads(clean.stdout)["calls"]
    kills = [(target, n) for target in FILE_OPERATIONS for n in range(1, calls.get(target, 0) + 1)]
    assert len(kills) >= 6, calls  # the test kills something at all
    for target, n in kills:
        settings = at(copy_of(previous_root, tmp_path / f"{target}-{n}"), REBUILT_AT)
        before = pack_files(settings)
        assert rebuild(settings, *options, "--kill", target, "call", str(n)).returncode == -9
        if not exchange:
            clear_leftovers(PackFolders(settings.packs / PACK))  # where the fallback needs the next build's help
        assert whole_pack(settings, before, uninterrupted["built_at"]), (target, n)
        build_pack(settings, catalog, PACK, PERIOD)
        assert pack_state(settings) == uninterrupted, (target, n)


KILL_DELAYS_S = (0.02, 0.3, 0.6, 0.8, 0.95, 1.1, 1.3)  # after the build starts; a build without PDF takes about 1 s


def test_a_build_killed_at_arbitrary_instants_leaves_a_pack_that_agrees_with_the_lock(
    tmp_path: Path, catalog: Catalog, previous_root: Path, uninterrupted: dict[str, object]
) -> None:
    """Not at named points: SIGKILL by the clock. The pack in place is whole, and a new pack implies the lock."""
    killed = 0
    for delay in KILL_DELAYS_S:
        settings = at(copy_of(previous_root, tmp_path / f"{delay}"), REBUILT_AT)
        before, gate = pack_files(settings), tmp_path / f"gate-{delay}"
        build = paused_build(settings, gate, "start", "tasks.pack.folder:clear_leftovers", "call", "1")
        (gate / "start-1.go").touch()
        time.sleep(delay)
        build.kill()
        killed += finish(build).returncode == -9
        new = pack_files(settings) != before
        assert whole_pack(settings, before, uninterrupted["built_at"]), delay
        assert not new or is_locked(settings.warehouse, "ENERGY", PERIOD), delay
        build_pack(settings, catalog, PACK, PERIOD)
        assert pack_state(settings) == uninterrupted, delay
    assert killed >= 2  # the clock caught builds in flight, not only finished ones


def test_without_renameat2_a_kill_between_the_two_renames_is_undone_by_the_next_build(
    tmp_path: Path, catalog: Catalog, previous_root: Path, uninterrupted: dict[str, object]
) -> None:
    settings = at(copy_of(previous_root, tmp_path), REBUILT_AT)
    before = pack_files(settings)
    done = rebuild(settings, "--no-exchange", "--kill", "os:rename", "return", "1")
    assert done.returncode == -9, done.stderr[-2000:]
    folders = PackFolders(settings.packs / PACK)
    assert not folders.final.exists() and folders.parked.exists() and folders.staging.exists()
    clear_leftovers(folders)  # what the next build does first
    assert pack_files(settings) == before
    assert not folders.parked.exists() and not folders.staging.exists()
    done = rebuild(settings, "--no-exchange")
    assert done.returncode == 0, done.stderr[-2000:]
    assert pack_state(settings) == uninterrupted


def test_a_build_that_fails_leaves_the_previous_pack_and_no_lock(
    tmp_path: Path, catalog: Catalog, previous_root: Path
) -> None:
    settings = at(copy_of(previous_root, tmp_path), REBUILT_AT)
    before = pack_files(settings)
    with pytest.raises(ValueError, match="unknown pack language"):
        build_pack(settings, catalog, PACK, PERIOD, lang="xx")
    assert pack_files(settings) == before
    assert not is_locked(settings.warehouse, "ENERGY", PERIOD)
    assert sorted(os.listdir(settings.packs)) == [f".{PACK}.lock", PACK]


def wait_for(path: Path, child: subprocess.Popen[str]) -> None:
    """Until a paused child has written `path`; fails at once, with its stderr, if the child died first."""
    deadline = time.monotonic() + GATE_TIMEOUT_S
    while not path.exists():
        if child.poll() is not None:
            pytest.fail(f"child ended ({child.returncode}) before {path.name}: {finish(child).stderr[-3000:]}")
        assert time.monotonic() < deadline, f"{path.name} never appeared"
        time.sleep(0.02)


def paused_build(settings: Settings, gate: Path, name: str, target: str, event: str, nths: str) -> subprocess.Popen:
    gate.mkdir(exist_ok=True)
    child = start_pack_at(
        settings, PACK, PERIOD, "--gate", str(gate), "--pause", name, target, event, nths,
        "--count", "tasks.pack:write_pack", COUNCIL_NOW=REBUILT_AT, **NO_PDF,
    )  # fmt: skip
    wait_for(gate / f"{name}-{nths.split(',')[0]}.paused", child)
    return child


def succeeded(child: subprocess.Popen[str]) -> dict[str, Any]:
    done = finish(child)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_a_second_build_of_the_same_pack_refuses_with_a_message_after_its_wait(
    tmp_path: Path, previous_root: Path
) -> None:
    settings = at(copy_of(previous_root, tmp_path), REBUILT_AT)
    gate = tmp_path / "gate"
    first = paused_build(settings, gate, "write", "tasks.pack:write_pack", "call", "1")
    second = rebuild(settings, "--wait", "1")
    assert second.returncode == REFUSED_EXIT, second.stderr[-2000:]
    refused = json.loads(second.stdout)["refused"]
    assert (refused["pack"], refused["waited_s"]) == (PACK, 1.0)
    assert refused["holder"].startswith(f"pid {first.pid} ")
    (gate / "write-1.go").touch()
    succeeded(first)
    assert outputs_match(settings)
    assert sorted(os.listdir(settings.packs)) == [f".{PACK}.lock", PACK]


def test_a_second_build_of_the_same_pack_waits_for_the_first_then_builds(tmp_path: Path, previous_root: Path) -> None:
    settings = at(copy_of(previous_root, tmp_path), REBUILT_AT)
    gate = tmp_path / "gate"
    first = paused_build(settings, gate, "write", "tasks.pack:write_pack", "call", "1")
    try_lock = "tasks.pack.folder:_try_lock"
    second = start_pack_at(
        settings, PACK, PERIOD, "--gate", str(gate), "--count", try_lock, "--pause", "tried", try_lock, "return", "1",
        COUNCIL_NOW=REBUILT_AT, **NO_PDF,
    )  # fmt: skip
    wait_for(gate / "tried-1.paused", second)  # the second build has found the pack busy
    (gate / "tried-1.go").touch()
    (gate / "write-1.go").touch()
    waited = succeeded(second)
    assert succeeded(first)["pack"] == waited["pack"] == str(settings.packs / PACK)
    assert waited["calls"][try_lock] >= 2  # refused at first, polled, then took the lock once the first was done
    assert outputs_match(settings)
    assert sorted(os.listdir(settings.packs)) == [f".{PACK}.lock", PACK]


def test_a_file_accepted_while_the_pack_is_written_is_in_the_pack(
    tmp_path: Path, catalog: Catalog, read: Reader, open_root: Path
) -> None:
    settings = at(copy_of(open_root, tmp_path), REBUILT_AT)
    gate = tmp_path / "gate"
    build = paused_build(settings, gate, "write", "tasks.pack:write_pack", "call", "1")
    assert swept(settings, catalog, read, "ENERGY") in ACCEPTED  # the build has read its inputs already
    (gate / "write-1.go").touch()
    assert succeeded(build)["calls"]["tasks.pack:write_pack"] == 2  # it noticed, and wrote the pack again
    assert [i["centre"] for i in manifest(settings)["inputs"]] == ["AGRO", "ENERGY"]
    assert swept(settings, catalog, read, "MACH") == "held"  # and the period is locked


def test_a_file_swept_after_the_lock_is_held_and_not_in_the_pack(
    tmp_path: Path, catalog: Catalog, read: Reader, open_root: Path
) -> None:
    settings = at(copy_of(open_root, tmp_path), REBUILT_AT)
    gate = tmp_path / "gate"
    build = paused_build(settings, gate, "publish", "tasks.pack.folder:publish", "call", "1")
    assert swept(settings, catalog, read, "ENERGY") == "held"  # locked, the new pack not yet in place
    (gate / "publish-1.go").touch()
    assert succeeded(build)["calls"]["tasks.pack:write_pack"] == 1
    assert [i["centre"] for i in manifest(settings)["inputs"]] == ["AGRO"]


def test_a_stream_of_new_files_cannot_starve_an_official_build(
    tmp_path: Path, catalog: Catalog, read: Reader, open_root: Path
) -> None:
    settings = at(copy_of(open_root, tmp_path), REBUILT_AT)
    gate = tmp_path / "gate"
    build = paused_build(settings, gate, "write", "tasks.pack:write_pack", "call", "1,2")
    assert swept(settings, catalog, read, "ENERGY") in ACCEPTED
    (gate / "write-1.go").touch()
    wait_for(gate / "write-2.paused", build)
    assert swept(settings, catalog, read, "MACH") in ACCEPTED
    (gate / "write-2.go").touch()  # the third attempt holds the warehouse from its read to the lock
    assert succeeded(build)["calls"]["tasks.pack:write_pack"] == 3
    assert [i["centre"] for i in manifest(settings)["inputs"]] == ["AGRO", "ENERGY", "MACH"]
    assert swept(settings, catalog, read, "CHEM") == "held"


def test_a_sweep_racing_an_official_build_never_leaves_a_file_accepted_and_missing(
    tmp_path: Path, catalog: Catalog, open_root: Path
) -> None:
    settings = at(copy_of(open_root, tmp_path), REBUILT_AT)
    for centre in ("ENERGY", "MACH", "CHEM"):
        drop(settings, catalog, centre)
    never = ("tasks.pipeline.sweep:sweep", "call", "99")  # kill_at.py as a plain sweep in a child
    sweeping = subprocess.Popen(
        [sys.executable, str(KILL_AT), *never],
        cwd=REPO,
        env=child_env(settings, COUNCIL_NOW=REBUILT_AT),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    build = start_pack_at(settings, PACK, PERIOD, COUNCIL_NOW=REBUILT_AT, **NO_PDF)
    succeeded(build)
    assert finish(sweeping).returncode == 0
    packed = {i["submission_id"] for i in manifest(settings)["inputs"]}
    statuses = submissions_of(settings)
    assert {s for s, status in statuses.items() if status in ACCEPTED} == packed
    assert set(statuses.values()) <= ACCEPTED | {"held"}


def submissions_of(settings: Settings) -> dict[str, str]:
    import duckdb

    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        rows = con.execute("SELECT submission_id, status FROM submissions WHERE period = ?", [PERIOD]).fetchall()
    return dict(rows)
