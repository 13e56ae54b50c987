"""Which rules of schemas/rules.yaml the test suite fires: recorded as tests run, checked when a whole run ends.

A hand-typed list of "rules with a test" drifts from what the tests do; this records every Problem
`make_problem` renders in the test process (the wrapper is installed before any pipeline module binds
the name, as tests/crash/kill_at.py rebinds a function everywhere it is reachable). A complete run that
left a rule unfired fails with the rule's name.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

FIRED: set[str] = set()


def install_recorder() -> None:
    """Wrap council.problems.make_problem (and every module that already imported it) to record each rule."""
    import council.problems as problems

    original: Callable[..., Any] = problems.make_problem
    if getattr(original, "records_rules", False):
        return

    @functools.wraps(original)
    def recording(*args: Any, **kwargs: Any) -> Any:
        problem = original(*args, **kwargs)
        if problem is not None:
            FIRED.add(problem.rule)
        return problem

    recording.records_rules = True  # type: ignore[attr-defined]
    for module in list(sys.modules.values()):
        for name, value in list(getattr(module, "__dict__", {}).items()):
            if value is original:
                setattr(module, name, recording)


def unfired_rules() -> list[str]:
    from council.catalog import load_catalog

    return sorted(set(load_catalog().rules) - FIRED)


def whole_run(config: Any) -> bool:
    """Every test file was collected and none deselected: only then is an unfired rule a finding."""
    option = config.option
    chosen = [a for a in config.args if a not in ("tests", "tests/")]
    # getattr throughout: options of plugins that are switched off (-p no:cacheprovider) are not there at all
    narrowed = ("keyword", "markexpr", "lf", "failedfirst", "deselect", "maxfail")
    return not chosen and not any(getattr(option, name, None) for name in narrowed)
