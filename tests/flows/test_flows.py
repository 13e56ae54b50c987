"""Flows on real workbooks under Prefect's test harness: sweep, pack, template, validate, artifacts."""

from __future__ import annotations

import dataclasses
import json
from collections import Counter
from pathlib import Path

import pytest
from prefect.client.orchestration import get_client
from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey
from prefect.client.schemas.objects import Artifact

from council.catalog import load_catalog
from council.settings import Settings
from tasks.pipeline.sweep import inbox_files, parallel_sweep
from tasks.pipeline.workers import plan_batches, worker_count
from tasks.samples import write_samples
from tasks.storage.ledger import is_locked

pytestmark = pytest.mark.usefixtures("prefect_harness")


def _artifact(key: str) -> Artifact:
    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
    assert found, f"no artifact {key}"
    return found[-1]


def test_inbox_sweep_takes_every_file_and_publishes_what_it_found(data_root: Path) -> None:
    from flows.ingest import inbox_sweep

    write_samples(load_catalog(), data_root / "inbox", ["2026S1"])
    summary = inbox_sweep()
    assert summary == {"accepted": 6, "accepted_with_warnings": 1, "rejected": 1}
    assert sorted(p.name for p in (data_root / "outbox").iterdir()) == sorted(load_catalog().centres)
    assert "HEALTH" in str(_artifact("inbox-sweep").data)
    health = _artifact("problems-health").data
    assert {row["rule"] for row in json.loads(health)} == {"projects.funding_sum", "kpi.unit_mismatch"}
    assert inbox_sweep() == {}  # everything taken: a second sweep has nothing to do


def test_inbox_sweep_hands_centres_to_worker_processes_with_the_same_verdicts(
    data_root: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from flows.ingest import inbox_sweep

    catalog, periods = load_catalog(), ["2025S2", "2026S1"]  # 16 files: enough for workers
    reference = dataclasses.replace(Settings.from_env(), data_dir=tmp_path / "reference", workers=1)
    write_samples(catalog, reference.inbox, periods)
    expected = Counter(o.status for o in parallel_sweep(reference, catalog))
    write_samples(catalog, data_root / "inbox", periods)
    monkeypatch.setenv("COUNCIL_WORKERS", "2")
    assert worker_count(Settings.from_env(), plan_batches([], inbox_files(Settings.from_env(), catalog))) == 2
    assert inbox_sweep() == dict(sorted(expected.items()))
    answered = {p.parent.name for p in (data_root / "outbox").rglob("*feedback*.xlsx")}
    assert answered == set(catalog.centres)


def test_pack_flow_builds_locks_and_links(data_root: Path) -> None:
    from flows.ingest import inbox_sweep
    from flows.pack import council_pack

    write_samples(load_catalog(), data_root / "inbox", ["2026S1"], centres=["AGRO", "ENERGY"])
    inbox_sweep()
    folder = Path(council_pack(meeting="TPC-2026-09", lang="en"))
    assert folder == data_root / "packs" / "TPC-2026-09"
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(i["centre"] for i in manifest["inputs"]) == ["AGRO", "ENERGY"]
    assert _artifact("council-pack").data.endswith("pack.xlsx)")
    summary = _artifact("council-pack-summary").data
    assert "missing" in summary and "\\(HEALTH\\)" in summary and "\\(AGRO\\)" not in summary
    assert is_locked(data_root / "warehouse" / "council.duckdb", "AGRO", "2026S1")


def test_template_and_validate_flows(data_root: Path) -> None:
    from flows.template import generate_templates
    from flows.validate import validate_one

    [path] = generate_templates(period="2026S2", centre="ELEC", lang="en")
    assert Path(path).is_file()
    assert validate_one(path) == "rejected"  # a blank template: required sheets are empty
    problems = json.loads(str(_artifact("validate-file-problems").data))
    assert "sheet.empty" in {p["rule"] for p in problems} and {p["severity"] for p in problems} == {"error"}
