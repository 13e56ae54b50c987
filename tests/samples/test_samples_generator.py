"""Sample rows: catalog codes only, rules satisfied when clean, stable across periods, mistakes where declared."""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from council.catalog import load_catalog
from tasks.samples import (
    SAMPLE_MISTAKES,
    SAMPLE_QUIRKS,
    centre_language,
    content,
    generate_rows,
    mistakes_for,
    sample_meta,
    submission_rows,
)

CATALOG = load_catalog()
PERIODS = ["2025S1", "2025S2", "2026S1", "2026S2"]
CASES = [(c, p) for c in CATALOG.centres for p in PERIODS]


def _parse_russian(text: str, separator: str) -> float:
    return float(text.replace(separator, "").replace(",", "."))


@pytest.mark.parametrize(("centre", "period"), CASES)
def test_clean_rows_use_catalog_codes_and_schema_constraints(centre: str, period: str) -> None:
    rows = generate_rows(CATALOG, centre, period, seed=7)
    assert list(rows) == list(CATALOG.sheets)
    for name, sheet_rows in rows.items():
        schema = CATALOG.sheets[name]
        for row in sheet_rows:
            assert set(row) <= set(schema.codes)
            for field in schema.fields:
                value = row.get(field.name)
                if field.required and not field.computed:
                    assert value not in (None, ""), (name, field.name)
                if value is None:
                    continue
                if field.codelist:
                    assert value in CATALOG.codes(field.codelist), (name, field.name, value)
                if field.pattern:
                    assert isinstance(value, str) and re.match(field.anchored_pattern, value), (field.name, value)
                if field.minimum is not None:
                    assert value >= field.minimum
                if field.maximum is not None:
                    assert value <= field.maximum
                if field.max_length:
                    assert len(value) <= field.max_length


@pytest.mark.parametrize(("centre", "period"), CASES)
def test_clean_rows_satisfy_cross_field_rules(centre: str, period: str) -> None:
    rows = generate_rows(CATALOG, centre, period, seed=7)
    projects, kpi, budget = rows["projects"], rows["kpi"], rows["budget"]
    assert 8 <= len(projects) <= 25 and 3 <= len(budget) <= 8
    assert 2 <= len(rows["pilots"]) <= 8 and 2 <= len(rows["narrative"]) <= 5
    for p in projects:
        assert p["project_id"].startswith(f"{centre}-") and p["start_date"] < p["end_date_plan"]
        assert p["trl_current"] >= p["trl_start"]
        parts = round(p["funding_public_kzt"] + p["funding_private_kzt"] + p["funding_foreign_kzt"], 2)
        assert parts == p["budget_total_kzt"]
    ids = {p["project_id"] for p in projects}
    assert len(ids) == len(projects)
    for row in kpi:
        indicator = CATALOG.indicators[row["indicator_code"]]
        assert row["unit"] == indicator.unit
        assert not indicator.whole or float(row["value"]).is_integer()
        assert row["obs_status"] == "A" or row["comment"]
        assert row["project_id"] is None or row["project_id"] in ids
    keys = [(r["indicator_code"], r["priority_area"], r["project_id"]) for r in kpi]
    assert len(keys) == len(set(keys))
    centre_wide = {r["indicator_code"] for r in kpi if r["priority_area"] == "ALL"}
    assert not centre_wide & {r["indicator_code"] for r in kpi if r["priority_area"] != "ALL"}
    for b in budget:
        assert b["spent_kzt"] <= b["allocated_kzt"]
        ratio = b["spent_kzt"] / b["plan_corrected_kzt"]
        assert 0.85 <= ratio <= 1.0 or b["variance_explanation"]
    for pilot in rows["pilots"]:
        assert pilot["stage"] not in ("PILOT", "IMPLEMENTED") or (pilot["adopter_name"] and pilot["adopter_bin"])
    sections = [n["section"] for n in rows["narrative"]]
    assert sections.count("DECISION_REQUEST") == 1
    assert all(n["rag"] for n in rows["narrative"] if n["section"] == "RISK")


@pytest.mark.parametrize("centre", list(CATALOG.centres))
def test_projects_and_cumulative_kpis_are_stable_across_periods(centre: str) -> None:
    history = [generate_rows(CATALOG, centre, p, seed=7) for p in PERIODS]
    for before, after in pairwise(history):
        later = {p["project_id"]: p for p in after["projects"]}
        carried = [p for p in before["projects"] if p["status"] not in ("COMPLETED", "CANCELLED")]
        assert carried and all(p["project_id"] in later for p in carried)
        for p in carried:
            q = later[p["project_id"]]
            assert (q["title"], q["start_date"], q["budget_total_kzt"]) == (
                p["title"],
                p["start_date"],
                p["budget_total_kzt"],
            )
            assert q["trl_current"] >= p["trl_current"]
        assert any(pid not in {p["project_id"] for p in before["projects"]} for pid in later)  # new projects come
        for row in before["kpi"]:
            if CATALOG.indicators[row["indicator_code"]].aggregation == "last" and row["project_id"] is None:
                same = [
                    r
                    for r in after["kpi"]
                    if r["indicator_code"] == row["indicator_code"]
                    and r["priority_area"] == row["priority_area"]
                    and r["project_id"] is None
                ]
                assert all(r["value"] >= row["value"] for r in same)


def test_same_seed_same_rows_other_seed_other_rows() -> None:
    assert generate_rows(CATALOG, "AGRO", "2026S1", 7) == generate_rows(CATALOG, "AGRO", "2026S1", 7)
    assert generate_rows(CATALOG, "AGRO", "2026S1", 7) != generate_rows(CATALOG, "AGRO", "2026S1", 8)


def test_languages_are_mixed_and_bins_keep_leading_zeros() -> None:
    assert {centre_language(CATALOG, c) for c in CATALOG.centres} == {"kk", "ru", "en"}
    bins = [p["partner_bin"] for c, period in CASES for p in generate_rows(CATALOG, c, period)["projects"]]
    assert any(b and b.startswith("0") for b in bins)
    meta = sample_meta(CATALOG, "HEALTH", "2026S1", "ru")
    period = CATALOG.periods["2026S1"]
    assert period.end < meta["submission_date"] <= period.due_date and meta["is_correction"] == "NO"


def test_content_codes_exist_in_catalog() -> None:
    areas = set(CATALOG.codes("priority_area"))
    assert set(content.TOPICS) <= set(CATALOG.centres) and set(content.CENTRE_LANGUAGES) <= set(CATALOG.centres)
    assert {a for topics in content.TOPICS.values() for a, _ in topics} <= areas
    indicators = content.AREA_INDICATORS + content.CENTRE_WIDE_INDICATORS
    indicators += [c for codes in content.AREA_SPECIFIC_INDICATORS.values() for c in codes]
    assert set(indicators) <= set(CATALOG.indicators) and set(content.INDICATOR_SCALES) <= set(CATALOG.indicators)
    assert set(content.FOREIGN_ORIGINS) <= set(CATALOG.codes("country"))
    assert {rag for rag, _ in content.RISKS} <= set(CATALOG.codes("rag"))
    assert {m["rule"] for m in SAMPLE_MISTAKES} <= set(CATALOG.rules)


@pytest.mark.parametrize("mistake", SAMPLE_MISTAKES, ids=lambda m: f"{m['centre']}-{m['period']}-{m['kind']}")
def test_declared_mistakes_are_in_the_submission(mistake: dict) -> None:
    clean = generate_rows(CATALOG, mistake["centre"], mistake["period"])[mistake["sheet"]][mistake["row"]]
    sent = submission_rows(CATALOG, mistake["centre"], mistake["period"])[mistake["sheet"]][mistake["row"]]
    assert sent[mistake["column"]] != clean[mistake["column"]] or sent["obs_status"] != clean["obs_status"]
    kind = mistake["kind"]
    if kind == "funding_mismatch":
        assert (
            round(sum(float(sent[f]) for f in ("funding_public_kzt", "funding_private_kzt", "funding_foreign_kzt")), 2)
            != sent["budget_total_kzt"]
        )
    elif kind == "wrong_unit":
        assert sent["unit"] != CATALOG.indicators[sent["indicator_code"]].unit
    elif kind == "trl_fall":
        assert sent["trl_current"] < sent["trl_start"] and not sent["comment"]
    elif kind == "unknown_region":
        assert sent["region_code"] not in CATALOG.codes("region")
    elif kind == "estimate_without_comment":
        assert sent["obs_status"] != "A" and not sent["comment"]
    elif kind == "spent_over_allocated":
        assert sent["spent_kzt"] > sent["allocated_kzt"]


def test_2026s1_outcomes_health_rejected_one_with_warnings_rest_clean() -> None:
    severities = {
        c: {CATALOG.rules[str(m["rule"])].severity for m in mistakes_for(c, "2026S1")} for c in CATALOG.centres
    }
    assert "error" in severities.pop("HEALTH")
    warned = [c for c, s in severities.items() if s == {"warning"}]
    assert len(warned) == 1 and all(s in (set(), {"warning"}) for s in severities.values())


def test_quirks_write_amounts_and_dates_as_russian_text_that_still_add_up() -> None:
    for quirk in SAMPLE_QUIRKS:
        projects = submission_rows(CATALOG, quirk["centre"], quirk["period"])["projects"]
        first = projects[0]
        if quirk["kind"] == "amounts_as_text":
            assert isinstance(first["budget_total_kzt"], str) and "," in first["budget_total_kzt"]
            assert quirk["separator"] in first["budget_total_kzt"]
            fields = ("funding_public_kzt", "funding_private_kzt", "funding_foreign_kzt")
            parts = [_parse_russian(first[f], quirk["separator"]) for f in fields]
            assert round(sum(parts), 2) == _parse_russian(first["budget_total_kzt"], quirk["separator"])
        else:
            assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4}", first["start_date"])
