"""Real folder states a sweep meets: broken drop folders, links, files still being written, names that collide,
files it must not take. None stops the sweep; each is reported for its own centre; nothing is silent."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from council.catalog import Catalog
from council.settings import Settings
from tasks.intake.files import sha256_of
from tasks.pipeline.submission import Reader
from tasks.pipeline.sweep import SweepReport, sweep_report
from tasks.samples import sample_workbook

SWEPT_AT = "2026-07-20T09:00:00+00:00"
REPO = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(data_dir=tmp_path / "data", settle_seconds=0, now_override=SWEPT_AT)


def put(settings: Settings, centre: str, name: str, data: bytes) -> Path:
    folder = settings.inbox / centre
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    return folder / name


def query(settings: Settings, sql: str, params: list[object] | None = None) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse), read_only=True) as con:
        return con.execute(sql, params or []).fetchall()


def council(settings: Settings, *args: str) -> subprocess.CompletedProcess[str]:
    """`council ARGS` as a process on this data root, with nothing else of this environment's COUNCIL_*."""
    env = {"PATH": os.environ["PATH"], "COUNCIL_DATA_DIR": str(settings.data_dir)}
    env["COUNCIL_SETTLE_SECONDS"] = f"{settings.settle_seconds:g}"
    command = [sys.executable, "-m", "council_cli", *args]
    return subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, timeout=300)


def reasons(report: SweepReport) -> dict[tuple[str | None, str], str]:
    return {(w.centre, w.name): w.reason for w in report.waiting}


def test_a_broken_drop_folder_stops_only_its_own_centre(
    tmp_path: Path, settings: Settings, catalog: Catalog, read: Reader
) -> None:
    settings.inbox.mkdir(parents=True)
    (settings.inbox / "AGRO").write_text("a file where the folder should be")
    (settings.inbox / "OILGAS").symlink_to(tmp_path / "unmounted-share")  # dangling: the share is not mounted
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "ELEC.xlsx").write_bytes(sample_workbook(catalog, "ELEC", "2026S1"))
    (settings.inbox / "ELEC").symlink_to(outside)  # a link out of the data root: never followed
    put(settings, "HEALTH", "HEALTH.xlsx", sample_workbook(catalog, "HEALTH", "2026S1"))

    report = sweep_report(settings, catalog, read)
    assert [(o.centre, o.status) for o in report.outcomes] == [("HEALTH", "rejected")]
    found = reasons(report)
    assert "is a file" in found[("AGRO", "")]
    assert "not there" in found[("OILGAS", "")]
    assert "link" in found[("ELEC", "")]
    assert (outside / "ELEC.xlsx").exists()
    assert len([p for p in settings.archive.rglob("*") if p.is_file()]) == 1  # HEALTH's only
    assert query(settings, "SELECT centre FROM submissions") == [("HEALTH",)]


def test_a_link_inside_a_drop_folder_is_refused_never_archived_or_moved(
    tmp_path: Path, settings: Settings, catalog: Catalog, read: Reader
) -> None:
    target = tmp_path / "secret.xlsx"
    target.write_bytes(sample_workbook(catalog, "AGRO", "2026S1"))
    (settings.inbox / "AGRO").mkdir(parents=True)
    (settings.inbox / "AGRO" / "report.xlsx").symlink_to(target)
    (settings.inbox / "AGRO" / "folder-link").symlink_to(tmp_path)

    report = sweep_report(settings, catalog, read)
    assert report.outcomes == []
    found = reasons(report)
    assert "link" in found[("AGRO", "report.xlsx")] and "link" in found[("AGRO", "folder-link")]
    assert (settings.inbox / "AGRO" / "report.xlsx").is_symlink() and target.exists()
    assert not settings.archive.exists() or not any(p.is_file() for p in settings.archive.rglob("*"))


@pytest.fixture
def mounted_drop_folder(settings: Settings) -> Iterator[Path]:
    """MACH's drop folder on a file system of its own (a mounted share): renames out of it fail with EXDEV."""
    folder = settings.inbox / "MACH"
    folder.mkdir(parents=True)
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], check=True)
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_drop_folder_on_another_file_system_is_swept_in_place(
    mounted_drop_folder: Path, settings: Settings, catalog: Catalog, read: Reader
) -> None:
    data = sample_workbook(catalog, "MACH", "2026S1")
    (mounted_drop_folder / "MACH 2026S1.xlsx").write_bytes(data)
    put(settings, "AGRO", "AGRO.xlsx", sample_workbook(catalog, "AGRO", "2026S1"))
    report = sweep_report(settings, catalog, read)
    statuses = {o.centre: o.status for o in report.outcomes}
    assert statuses["AGRO"] == "accepted" and statuses["MACH"].startswith("accepted"), report.outcomes
    assert list(mounted_drop_folder.iterdir()) == []  # taken, and removed once it was known unchanged
    [processed] = (settings.processed / "MACH").iterdir()
    assert processed.read_bytes() == data


def test_a_copy_that_pauses_past_the_settle_time_is_archived_and_answered_in_full(
    settings: Settings, catalog: Catalog, read: Reader
) -> None:
    data = sample_workbook(catalog, "AGRO", "2026S1")
    half, rest = data[: len(data) // 2], data[len(data) // 2 :]
    path = settings.inbox / "AGRO" / "slow copy.xlsx"
    path.parent.mkdir(parents=True)
    with path.open("wb") as writer:  # a copy in progress: its handle stays open across the pause
        writer.write(half)
        writer.flush()
        old = time.time() - 60
        os.utime(path, (old, old))  # quiet for longer than the settle time
        first = sweep_report(settings, catalog, read)
        assert [o.status for o in first.outcomes] == ["rejected"]  # half a zip: damaged, and answered so
        processed_before = {p: p.read_bytes() for p in (settings.processed / "AGRO").iterdir()}
        writer.write(rest)  # the copy resumes, into the file it had open
    older = time.time() - 30
    [held] = settings.taken.rglob("slow copy.xlsx")  # it grew in the hold, and has been quiet since
    os.utime(held, (older, older))

    second = sweep_report(settings, catalog, read)
    assert [o.status for o in second.outcomes] == ["accepted"], second.outcomes
    full = sha256_of_bytes(data)
    assert (settings.archive / full[:2] / f"{full}.xlsx").read_bytes() == data
    assert query(settings, "SELECT count(*) FROM submissions WHERE sha256 = ? AND is_current", [full]) == [(1,)]
    for path_before, content in processed_before.items():  # nothing was ever written into processed/
        assert path_before.read_bytes() == content
    assert all(sha256_of(p)[0] in _archived(settings) for p in (settings.processed / "AGRO").iterdir())


def sha256_of_bytes(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _archived(settings: Settings) -> set[str]:
    return {p.name.split(".")[0] for p in settings.archive.rglob("*") if p.is_file()}


@pytest.mark.parametrize("names", [("notes 1.xlsx", "notes_1.xlsx"), ("a:b.xlsx", "a_b.xlsx"), ("a?.xlsx", "a*.xlsx")])
def test_names_equal_once_made_safe_get_distinct_answers_and_copies(
    names: tuple[str, str], tmp_path: Path, settings: Settings, catalog: Catalog, read: Reader
) -> None:
    from tests.validate.workbooks import rows_with, write_report

    first = write_report(tmp_path, name="one.xlsx").read_bytes()
    second = write_report(tmp_path, rows_with(projects={"title": "Another title"}), name="two.xlsx").read_bytes()
    put(settings, "AGRO", names[0], first)
    put(settings, "AGRO", names[1], second)
    outcomes = sweep_report(settings, catalog, read).outcomes  # the clock is pinned: the same second
    assert len(outcomes) == 2 and len({o.feedback for o in outcomes}) == 2
    feedback = sorted((settings.outbox / "AGRO").glob("*_feedback.xlsx"))
    processed = sorted((settings.processed / "AGRO").iterdir())
    assert len(feedback) == 2 and len(processed) == 2
    assert {p.read_bytes() for p in processed} == {first, second}


def test_a_legal_file_name_of_245_bytes_is_taken_answered_and_copied(
    settings: Settings, catalog: Catalog, read: Reader
) -> None:
    name = "отчёт " * 20 + "x" * (245 - len(("отчёт " * 20).encode()) - 5) + ".xlsx"
    assert len(name.encode()) == 245
    put(settings, "AGRO", name, sample_workbook(catalog, "AGRO", "2026S1"))
    [outcome] = sweep_report(settings, catalog, read).outcomes
    [answer] = (settings.outbox / "AGRO").glob("*_feedback.xlsx")
    assert outcome.status == "accepted" and outcome.feedback == answer and len(answer.name.encode()) <= 255
    [processed] = (settings.processed / "AGRO").iterdir()
    assert len(processed.name.encode()) <= 255


def test_nothing_the_sweep_leaves_behind_is_silent(
    tmp_path: Path, settings: Settings, catalog: Catalog, read: Reader
) -> None:
    data = sample_workbook(catalog, "AGRO", "2026S1")
    put(settings, "AGRO", "fresh.xlsx", data)  # changed just now: still settling
    future = put(settings, "ELEC", "from the future.xlsx", data)
    ahead = time.time() + 3600
    os.utime(future, (ahead, ahead))
    (settings.inbox / "stray.xlsx").write_bytes(data)  # directly in inbox/
    put(settings, "agro", "lower case folder.xlsx", data)  # not a registered centre's folder
    (settings.inbox / "HEALTH").mkdir()
    os.mkfifo(settings.inbox / "HEALTH" / "pipe.xlsx")
    (settings.inbox / "HEALTH" / "link.xlsx").symlink_to(tmp_path)

    slow = Settings(settings.data_dir, settle_seconds=30, now_override=SWEPT_AT)
    report = sweep_report(slow, catalog, read)
    assert report.outcomes == []
    found = reasons(report)
    assert "still being written" in found[("AGRO", "fresh.xlsx")]
    assert "future" in found[("ELEC", "from the future.xlsx")]
    assert "directly in inbox" in found[(None, "stray.xlsx")]
    assert "AGRO" in found[(None, "agro/")]
    assert "pipe" in found[("HEALTH", "pipe.xlsx")] and "link" in found[("HEALTH", "link.xlsx")]

    for command in (["ingest"], ["status", "--period", "2026S1"]):
        done = council(slow, *command)
        assert done.returncode == 0, done.stderr
        for name in ("fresh.xlsx", "from the future.xlsx", "stray.xlsx", "pipe.xlsx", "link.xlsx"):
            assert name in done.stdout, (command, done.stdout)


def test_outputs_carry_no_injection_from_file_names(settings: Settings, catalog: Catalog, read: Reader) -> None:
    from markdown_it import MarkdownIt

    from flows.artifacts import centre_markdown, sweep_markdown
    from tests.validate.workbooks import rows_with, write_report

    markup = "![x](http://evil.example/p.png) [click](http://evil.example) <img src=x> www.evil.example"
    name = f"# Heading\n{markup} |a|.xlsx".replace("/", "∕")  # a file name cannot hold "/"; the rest is legal
    bad_cell = write_report(settings.data_dir.parent, rows_with(projects={"region_code": markup}), name="src.xlsx")
    put(settings, "AGRO", name, bad_cell.read_bytes())
    put(settings, "ELEC", "\x1b[31mred\x1b[0m\x07.xlsx", sample_workbook(catalog, "ELEC", "2026S1"))
    report = sweep_report(settings, catalog, read)
    agro = [o for o in report.outcomes if o.centre == "AGRO"]
    assert agro[0].status == "rejected" and any(markup in (p.value or "") for p in agro[0].problems)
    for text in (sweep_markdown(report.outcomes, report.waiting), centre_markdown("AGRO", agro)):
        html = MarkdownIt("commonmark").enable("table").render(text)  # what the Prefect UI would show
        assert html.count("<h1>") == 1 and "<h2>" not in html.replace("<h2>Not taken</h2>", "")
        assert "<a " not in html and "<img" not in html and "<script" not in html
        assert "www." not in text and "http://" not in text and "\x1b" not in text  # no GFM autolink either

    put(settings, "HEALTH", "\x1b]0;pwned\x07\x1b[2J.xlsx", b"not a workbook")
    done = council(settings, "ingest")
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stdout and "\x07" not in done.stdout and "pwned" in done.stdout
