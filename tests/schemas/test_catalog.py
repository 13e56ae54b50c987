"""The schema files are consistent with each other and with the code that reads them."""

from __future__ import annotations

import pytest

from council.catalog import LANGUAGES, load_catalog
from tasks.validate.checks import CHECK_KINDS


def test_every_check_and_foreign_key_names_a_known_rule_and_kind() -> None:
    catalog = load_catalog()
    for schema in catalog.sheets.values():
        for check in schema.checks:
            assert check.rule in catalog.rules, check.rule
            assert check.kind in CHECK_KINDS, check.kind
        for fk in schema.foreign_keys:
            assert fk.rule in catalog.rules and fk.resource in catalog.sheets


def test_every_codelist_a_field_uses_exists_and_is_labelled() -> None:
    catalog = load_catalog()
    for schema in catalog.sheets.values():
        for field in schema.fields:
            assert set(field.labels) == set(LANGUAGES), (schema.name, field.name)
            if field.codelist:
                assert catalog.codes(field.codelist), field.codelist


def test_reference_data_matches_the_spec() -> None:
    catalog = load_catalog()
    assert list(catalog.centres) == ["AGRO", "OILGAS", "ELEC", "HEALTH", "MINMET", "ENERGY", "MACH", "CHEM"]
    assert {c.code: c.default_area for c in catalog.centres.values() if c.default_area != "OTHER"} == {
        "AGRO": "AGRITECH",
        "HEALTH": "MEDTECH",
        "ENERGY": "GREENTECH",
    }
    assert len(catalog.codes("region")) == 20
    assert len(catalog.indicators) == 21
    assert set(catalog.codes("unit")) == {"COUNT", "KZT", "MWH", "T_CO2E", "HA"}
    assert all(ind.unit in catalog.codes("unit") for ind in catalog.indicators.values())


def test_rule_texts_exist_in_every_language_with_known_severity() -> None:
    for rule in load_catalog().rules.values():
        assert rule.severity in ("error", "warning")
        assert set(rule.message) == set(rule.fix) == set(LANGUAGES), rule.code


def test_meetings_review_known_periods_and_periods_chain() -> None:
    catalog = load_catalog()
    for meeting in catalog.meetings.values():
        assert meeting.period in catalog.periods
        period = catalog.periods[meeting.period]
        assert period.end < period.due_date <= period.lock_at < meeting.date
    assert catalog.previous_period("2026S1") == "2025S2"
    assert catalog.previous_period("2026S1", 2) == "2025S1"
    assert catalog.previous_period("2025S2") == "2025S1"


def test_region_aliases_point_at_current_region_codes() -> None:
    catalog = load_catalog()
    assert catalog.region_aliases["KZ-AST"] == "KZ-71"
    assert set(catalog.region_aliases.values()) <= set(catalog.codes("region"))
    assert all("alias" not in label for labels in catalog.codelists["region"].values() for label in labels.values())


@pytest.mark.parametrize("said", ["YES", "yes", " Да ", "ИӘ", "иә", "Yes", "TRUE", "true", "1", 1, 1.0, True, "Y"])
def test_every_way_of_saying_yes_comes_from_the_one_codelist(said: object) -> None:
    assert load_catalog().is_yes(said)


@pytest.mark.parametrize("said", ["NO", "Нет", "Жоқ", "0", 0, None, "", "maybe", "YESS", False])
def test_anything_else_is_not_yes(said: object) -> None:
    assert not load_catalog().is_yes(said)
