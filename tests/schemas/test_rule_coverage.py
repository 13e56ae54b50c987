"""The recorder behind the whole-run check "every rule of rules.yaml is fired by some test" sees every caller."""

from __future__ import annotations

from council.catalog import load_catalog
from tests.rule_coverage import FIRED, unfired_rules


def test_a_problem_made_anywhere_is_recorded_as_fired() -> None:
    import council.problems
    import tasks.validate.structure as structure  # bound make_problem by name when it was imported

    FIRED.discard("sheet.missing")
    structure.make_problem(load_catalog(), "sheet.missing", "en", sheet="kpi")
    assert "sheet.missing" in FIRED
    assert getattr(council.problems.make_problem, "records_rules", False)


def test_the_check_names_the_rules_no_test_fired() -> None:
    every = set(load_catalog().rules)
    assert set(unfired_rules()) <= every and set(unfired_rules()) == every - FIRED
