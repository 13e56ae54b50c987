"""Validation findings as values: one `Problem` per finding, rendered in the submitter's language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum
from numbers import Integral, Real
from typing import Any

from council.catalog import Catalog, pick
from council.invisible import neutralised
from council.numbers import format_number


class Severity(StrEnum):
    ERROR = "error"  # rejects the submission
    WARNING = "warning"  # reported, and the data is loaded


class Status(StrEnum):
    """What became of a submission (a str: stored, printed and compared as its value)."""

    RECEIVED = "received"  # taken and recorded, not decided yet
    ACCEPTED = "accepted"
    ACCEPTED_WITH_WARNINGS = "accepted_with_warnings"
    REJECTED = "rejected"
    HELD = "held"  # for a locked period, until an analyst unlocks it
    DUPLICATE = "duplicate"  # the same bytes as an earlier file
    SKIPPED = "skipped"  # taken by another sweep, or changed while copied
    FAILED = "failed"  # the pipeline failed on it; tried again later
    QUARANTINED = "quarantined"  # failed too often; kept, listed, answered
    MISSING = "missing"  # no submission at all (status and pack tables)


ERROR, WARNING = Severity.ERROR, Severity.WARNING
ACCEPTED, ACCEPTED_WITH_WARNINGS, REJECTED = Status.ACCEPTED, Status.ACCEPTED_WITH_WARNINGS, Status.REJECTED
VERDICTS = frozenset({Status.ACCEPTED, Status.ACCEPTED_WITH_WARNINGS, Status.REJECTED, Status.HELD})
NOT_PROCESSED = frozenset({Status.FAILED, Status.QUARANTINED})


EXCEL_MAX_ROW, EXCEL_MAX_COLUMN = 1_048_576, 16_384
_A1 = re.compile(r"^(?:(?P<sheet>.+)!)?\$?(?P<col>[A-Za-z]{1,3})\$?(?P<row>[0-9]{1,7})$")


@dataclass(frozen=True, order=True)
class CellRef:
    """A cell as a location, not a string: sheet, 1-based row, 0-based column. `str()` gives `projects!F12`."""

    sheet: str | None
    row: int
    column: int

    @classmethod
    def parse(cls, text: str | None) -> CellRef | None:
        """`projects!F12` (or `F12`) → CellRef; None for whole-file problems and references outside Excel's grid.

        The one place an A1 reference is read back: the feedback's grouping and the annotated copy use it.
        """
        match = _A1.match((text or "").strip())
        if match is None:
            return None
        row, column = int(match["row"]), column_index(match["col"])
        if not (1 <= row <= EXCEL_MAX_ROW and 0 <= column < EXCEL_MAX_COLUMN):
            return None
        return cls(match["sheet"], row, column)

    @property
    def coordinate(self) -> str:
        """`F12`, without the sheet."""
        return f"{column_letter(self.column)}{self.row}"

    def __str__(self) -> str:
        return f"{self.sheet}!{self.coordinate}" if self.sheet else self.coordinate


@dataclass(frozen=True)
class Problem:
    """One finding: which rule, where (sheet, A1 cell), what was found and how to fix it."""

    rule: str
    severity: str
    sheet: str | None
    cell: str | None
    value: str | None
    message: str
    fix: str = ""
    column: str | None = None
    row: int | None = None
    more: int = 0  # further cells with the same finding that were counted but not listed

    @property
    def location(self) -> CellRef | None:
        """Where the problem is, typed (None for whole-file and whole-sheet problems)."""
        return CellRef.parse(self.cell)

    def as_json(self) -> dict[str, Any]:
        """The shape `council validate --json` promises (SPEC §7)."""
        return {
            "rule": self.rule,
            "severity": self.severity,
            "sheet": self.sheet,
            "cell": self.cell,
            "value": self.value,
            "message": self.message,
        }


def column_index(letters: str) -> int:
    """Excel letters → 0-based column index (A → 0, AA → 26)."""
    number = 0
    for letter in letters.upper():
        number = number * 26 + ord(letter) - 64
    return number - 1


def column_letter(index: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_ref(sheet: str, column_index: int, excel_row: int) -> str:
    """A1 reference with the sheet: `projects!F12`."""
    return f"{sheet}!{column_letter(column_index)}{excel_row}"


def _plain_number(value: Real) -> str:
    """`5` for a whole 5.0 (any float-like, numpy's too), every other number as Python writes it."""
    whole = not isinstance(value, Integral) and float(value).is_integer()
    return str(int(float(value)) if whole else value)


def shown_value(value: object, lang: str | None = None) -> str | None:
    """The value as the submitter would recognise it, trimmed for messages, hidden bidi/zero-width removed.

    A number from a number cell is written in the reader's convention when `lang` is given (ru `1 234,5`,
    en `1,234.5`); text is shown as typed, since that is what the centre sees in its cell.
    """
    if value is None or (isinstance(value, float) and value != value):
        return None
    if isinstance(value, Real) and not isinstance(value, bool):  # numpy numbers too
        text = format_number(value, lang) if lang else _plain_number(value)
    else:
        text = neutralised(str(value))
    return text if len(text) <= 200 else text[:197] + "…"


FORMAT_NAMES_TEXT = "formats"  # schemas/text/formats.yaml: detected file formats, named in each language


def found_in_language(catalog: Catalog, found: object, lang: str) -> object:
    """A detected-format name (`found` of file.format, in English from the reader) in the reader's language.

    The reader names formats in English (tasks/read/formats.py FORMAT_NAMES); schemas/text/formats.yaml
    holds the same names in kk/ru/en, matched on the English one. Anything else is returned unchanged.
    """
    if not isinstance(found, str):
        return found
    for labels in catalog.texts.get(FORMAT_NAMES_TEXT, {}).values():
        if labels.get("en") == found:
            return pick(labels, lang)
    return found


def make_problem(
    catalog: Catalog,
    rule: str,
    lang: str,
    *,
    sheet: str | None = None,
    cell: str | None = None,
    value: object = None,
    field: str | None = None,
    row: int | None = None,
    **placeholders: object,
) -> Problem | None:
    """Render `rule` in `lang`; None when the rule is switched off in rules.yaml.

    `field` is the column's code (kept on the Problem); a `column` placeholder is its label.
    """
    spec = catalog.rules[rule]
    if not spec.active:
        return None
    shown = shown_value(value)  # a number in a number column comes here already written the reader's way
    if "found" in placeholders:
        placeholders["found"] = found_in_language(catalog, placeholders["found"], lang)
    values = {
        "value": shown or "",
        "sheet": sheet or "",
        # Placeholders may carry centre text too (a _meta value): no hidden characters in messages.
        **{k: "" if v is None else neutralised(v) if isinstance(v, str) else v for k, v in placeholders.items()},
    }
    return Problem(
        rule=rule,
        severity=spec.severity,
        sheet=sheet,
        cell=cell,
        value=shown,
        message=_fill(pick(spec.message, lang), values),
        fix=_fill(pick(spec.fix, lang), values),
        column=field,
        row=row,
    )


def verdict(problems: list[Problem]) -> str:
    """rejected on any error, accepted_with_warnings on any warning, else accepted."""
    severities = {p.severity for p in problems}
    if ERROR in severities:
        return REJECTED
    return ACCEPTED_WITH_WARNINGS if WARNING in severities else ACCEPTED


class _Blank(dict):  # a placeholder a rule does not use renders as empty, never raises
    def __missing__(self, key: str) -> str:
        return ""


def _fill(template: str, values: dict[str, object]) -> str:
    return template.format_map(_Blank(values))
