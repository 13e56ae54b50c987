"""The centre's own workbook with each offending cell filled red or amber and commented: the fix, in place.

This process plans the marks (cells, colours, comment texts); `_annotate_child.py` loads the untrusted file
with openpyxl and writes the copy, under the reader's memory cap and timeout, so no file can exhaust the sweep.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from council.catalog import LANGUAGES, load_catalog
from council.invisible import INVISIBLE, neutralised
from council.problems import ERROR, WARNING, CellRef, Problem
from tasks.read.model import ReadLimits

AUTHOR = "Council pipeline"
MAX_ANNOTATED_CELLS = 5_000  # openpyxl writes ~10k comments a second; enough to show every kind of mistake
# Excel's Bad / Neutral fills, as on the feedback workbook's severity column.
_FILLS: dict[str, str] = {ERROR: "FFC7CE", WARNING: "FFEB9C"}
_RANK: dict[str, int] = {ERROR: 0, WARNING: 1}
_MAX_PROBLEMS_PER_COMMENT = 20
CHILD_SCRIPT = Path(__file__).with_name("_annotate_child.py")
log = logging.getLogger(__name__)

CellKey = tuple[str, str]  # (sheet, A1 coordinate)


def _address(cell: str | None) -> CellKey | None:
    """`projects!F12` → ("projects", "F12"); None for whole-file problems or references outside Excel's grid."""
    where = CellRef.parse(cell)
    return (where.sheet, where.coordinate) if where is not None and where.sheet else None


def problems_by_cell(problems: Sequence[Problem]) -> dict[CellKey, list[Problem]]:
    """Problems that point at a cell, grouped per cell in the order they were reported."""
    cells: dict[CellKey, list[Problem]] = {}
    for problem in problems:
        key = _address(problem.cell)
        if key is not None:
            cells.setdefault(key, []).append(problem)
    return cells


def has_cell_problems(problems: Sequence[Problem]) -> bool:
    """Whether an annotated copy would mark anything at all."""
    return any(_address(p.cell) is not None for p in problems)


def _chosen(cells: dict[CellKey, list[Problem]], limit: int) -> dict[CellKey, list[Problem]]:
    """The first `limit` cells, errors before warnings, so a capped copy still shows what rejects the file."""
    ordered = sorted(cells.items(), key=lambda item: min(_RANK.get(p.severity, 2) for p in item[1]))
    return dict(ordered[: max(0, limit)])


def _label(key: str, lang: str, fallback: str, **values: object) -> str:
    catalog = load_catalog()
    return catalog.text(f"feedback.{key}", lang, **values) if key in catalog.texts.get("feedback", {}) else fallback


def _entry(problem: Problem, lang: str) -> str:
    """`Error · kpi.unit_mismatch`, the message, then the fix (messages are already in the submitter's language)."""
    severity = _label(f"severity_{problem.severity}", lang, problem.severity)
    fix = f"{_label('col_fix', lang, 'Fix')}: {problem.fix}" if problem.fix else ""
    return "\n".join(line for line in (f"{severity} · {problem.rule}", problem.message, fix) if line)


def _comment_text(problems: Sequence[Problem], lang: str) -> str:
    """Every problem of the cell (a comment the user wrote there is appended by the child, below ours)."""
    parts = [_entry(p, lang) for p in problems[:_MAX_PROBLEMS_PER_COMMENT]]
    if len(problems) > _MAX_PROBLEMS_PER_COMMENT:
        rest = len(problems) - _MAX_PROBLEMS_PER_COMMENT
        parts.append(_label("and_more", lang, f"+{rest}", count=rest))
    return neutralised("\n\n".join(parts))


def _planned(cells: dict[CellKey, list[Problem]], lang: str) -> list[dict[str, object]]:
    """What the child marks: per cell, the worst severity's rank and colour and the finished comment text."""
    plan = []
    for (sheet, coordinate), found in cells.items():
        worst = min((p.severity for p in found), key=lambda s: _RANK.get(s, 2))
        colour = _FILLS.get(worst, _FILLS[WARNING])
        text = _comment_text(found, lang)
        plan.append({"sheet": sheet, "cell": coordinate, "colour": colour, "rank": _RANK.get(worst, 2), "text": text})
    return plan


def _request(source: Path, partial: Path, plan: list[dict[str, object]]) -> bytes:
    return json.dumps(
        {
            "source": str(source.resolve()),
            "partial": str(partial.resolve()),
            "author": AUTHOR,
            "ours": [f"00{colour}" for colour in _FILLS.values()],
            "strip": INVISIBLE,
            "cells": plan,
        }
    ).encode()


def _run_child(request: bytes, limits: ReadLimits) -> str | None:
    """Run the child under the reader's memory cap and timeout; None when it wrote the copy, else why not."""
    try:
        done = subprocess.run(
            [sys.executable, "-I", str(CHILD_SCRIPT), str(limits.memory_mb)],
            input=request,
            capture_output=True,
            timeout=limits.timeout_s,
            cwd="/",
            env={"LC_ALL": "C.UTF-8"},
            check=False,
        )
    except subprocess.TimeoutExpired:  # run() has killed the child
        return f"timed out after {limits.timeout_s:g} s"
    except OSError as error:
        return f"could not start ({error.strerror or type(error).__name__})"
    try:
        answer = json.loads(done.stdout or b"{}")
    except ValueError:  # something else wrote to the child's stdout: its answer is not trusted
        answer = {}
    answer = answer if isinstance(answer, dict) else {}
    if answer.get("written") is True and done.returncode == 0:
        return None
    return str(answer.get("error") or f"exited with code {done.returncode}")


def annotate_workbook(
    source: Path,
    out: Path,
    problems: Sequence[Problem],
    lang: str,
    max_cells: int = MAX_ANNOTATED_CELLS,
    *,
    limits: ReadLimits | None = None,
) -> Path | None:
    """Write `source` to `out` with its problem cells marked; None when nothing to mark or no copy could be made.

    The centre's file is loaded in a child process under the reader's memory and time limits (`limits`,
    the defaults of ReadLimits when not given): a file openpyxl cannot load within them costs no copy,
    never the sweep. At most `max_cells` cells are marked (errors first); `annotated_count` tells how many.
    """
    cells = _chosen(problems_by_cell(problems), max_cells)
    if not cells:
        return None
    lang = lang if lang in LANGUAGES else "ru"
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(f".{out.name}.partial")  # centres watch the outbox: never show half a file
    failure = _run_child(_request(source, partial, _planned(cells, lang)), limits or ReadLimits())
    if failure is None and partial.is_file():
        return partial.replace(out)
    log.warning("no annotated copy of %s: %s", source.name, failure or "the child wrote nothing")
    partial.unlink(missing_ok=True)
    return None


def annotated_count(problems: Sequence[Problem], max_cells: int = MAX_ANNOTATED_CELLS) -> tuple[int, int]:
    """(cells marked, cells with problems): the summary says when the copy marks only the first ones."""
    total = len(problems_by_cell(problems))
    return min(total, max(0, max_cells)), total
