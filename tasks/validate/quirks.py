"""Office-file quirks in a sheet's data area: formulas without values, merged cells, hidden rows, hidden text.

The reader's XML scan says where they are (tasks/read/quirkscan.py); here they become problems, relative
to where the sheet's columns and data rows really are. The header rows are ours (the template hides the
code row and may merge title cells), so only the data area counts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from council.catalog import Catalog, Field, SheetSchema
from council.invisible import BIDI_CONTROLS, INVISIBLE, invisible_found, neutralised
from council.problems import Problem, cell_ref, make_problem
from tasks.read import RawSheet, RawWorkbook
from tasks.validate.structure import SheetLayout

_A1 = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")
_BLANK = re.compile(r"[\s\u200b\u00a0\u202f]*")
MAX_LISTED = 1000  # cells listed per column, as in the content layer; the rest are counted on the last one


def quirk_problems(
    sheet: RawSheet, schema: SheetSchema, layout: SheetLayout, catalog: Catalog, lang: str
) -> list[Problem]:
    """Every quirk problem of one data sheet, in the submitter's language (switched-off rules left out)."""
    found = [
        *formula_problems(sheet, schema, layout, catalog, lang),
        _merge_problem(sheet, schema, layout, catalog, lang),
        _hidden_problem(sheet, schema, layout, catalog, lang),
        *invisible_problems(sheet, schema, layout, catalog, lang),
    ]
    return [p for p in found if p is not None]


def file_problems(raw: RawWorkbook, catalog: Catalog, lang: str) -> list[Problem]:
    """Whole-file warnings the preflight found in a file it let through (e.g. `workbook.external_link`)."""
    found = [make_problem(catalog, issue.rule, lang, found=issue.found) for issue in raw.findings]
    return [p for p in found if p is not None]


def formula_problems(
    sheet: RawSheet, schema: SheetSchema, layout: SheetLayout, catalog: Catalog, lang: str
) -> list[Problem | None]:
    """One `cell.formula_no_value` per data cell of an input column; computed columns hold our formulas."""
    fields = {index: code for code, index in layout.columns.items()}
    problems = []
    for ref in sheet.formula_cells_without_value:
        cell = parse_a1(ref)
        if cell is None or cell[1] <= layout.first_data_row or cell[0] not in fields:
            continue
        code = fields[cell[0]]
        problems.append(
            make_problem(
                catalog,
                "cell.formula_no_value",
                lang,
                sheet=schema.name,
                cell=cell_ref(schema.name, cell[0], cell[1]),
                value="",
                field=code,
                row=cell[1],
                column=schema.field(code).label(lang),
            )
        )
    return problems


def _merge_problem(
    sheet: RawSheet, schema: SheetSchema, layout: SheetLayout, catalog: Catalog, lang: str
) -> Problem | None:
    """Merged ranges reaching the data rows: only their top-left cell keeps a value, the rest is lost."""
    ranges = [merged for merged in sheet.merged_ranges if _last_row(merged) > layout.first_data_row]
    if not ranges:
        return None
    return make_problem(catalog, "sheet.merged_cells", lang, sheet=schema.name, found=", ".join(ranges))


def _hidden_problem(
    sheet: RawSheet, schema: SheetSchema, layout: SheetLayout, catalog: Catalog, lang: str
) -> Problem | None:
    """Hidden data rows that hold anything: read as data (what was sent), but the sender should know."""
    rows = [row for row in sheet.hidden_rows if row > layout.first_data_row and _filled(sheet, row)]
    if not rows:
        return None
    return make_problem(catalog, "sheet.hidden_rows", lang, sheet=schema.name, found=row_ranges(rows))


def invisible_problems(
    sheet: RawSheet, schema: SheetSchema, layout: SheetLayout, catalog: Catalog, lang: str
) -> list[Problem]:
    """One `cell.invisible_characters` warning per data cell whose text hides characters (parse removes them).

    Bidi controls count in every column: 21 after U+202E shows as 12 in Excel and would load as 21. Zero-width
    characters count in free text only: in a code, an identifier or a number they are folded away silently,
    as before, because they cannot change what the value reads as.
    """
    problems: list[Problem] = []
    for code, column in layout.columns.items():
        field = schema.field(code)
        hidden = INVISIBLE if _free_text(field) else BIDI_CONTROLS
        cells = _hiding_cells(sheet, column, layout.first_data_row, hidden)
        listed = [_invisible_problem(schema, field, column, *cell, catalog, lang) for cell in cells[:MAX_LISTED]]
        found = [p for p in listed if p is not None]
        if found and len(cells) > len(found):
            found[-1] = replace(found[-1], more=len(cells) - len(found))
        problems += found
    return problems


def _free_text(field: Field) -> bool:
    """Titles, names, comments: not a code, not an identifier with a pattern (those are folded, then checked)."""
    return field.type == "string" and not field.codelist and not field.pattern


def _hiding_cells(sheet: RawSheet, column: int, first_data_row: int, hidden: str) -> list[tuple[int, str]]:
    """(Excel row, text) of each data cell of `column` holding one of `hidden` and something visible besides."""
    rows = sheet.rows[first_data_row:]
    texts = [cell if column < len(row) and isinstance(cell := row[column], str) else "" for row in rows]
    joined = "".join(texts)  # one C-speed test per character first: a clean 100k-row column costs milliseconds
    if not any(char in joined for char in hidden):
        return []
    return [
        (first_data_row + 1 + offset, text)
        for offset, text in enumerate(texts)
        if any(char in text for char in hidden) and neutralised(text).strip()
    ]


def _invisible_problem(
    schema: SheetSchema, field: Field, column: int, row: int, text: str, catalog: Catalog, lang: str
) -> Problem | None:
    return make_problem(
        catalog,
        "cell.invisible_characters",
        lang,
        sheet=schema.name,
        cell=cell_ref(schema.name, column, row),
        value=text,
        field=field.name,
        row=row,
        column=field.label(lang),
        found=invisible_found(text),
    )


def not_shadowed(problems: list[Problem], quirks: list[Problem]) -> list[Problem]:
    """Content problems minus those at a formula-without-value cell: the empty value is the formula's fault."""
    cells = {p.cell for p in quirks if p.rule == "cell.formula_no_value"}
    return [p for p in problems if p.cell is None or p.cell not in cells]


def parse_a1(ref: str) -> tuple[int, int] | None:
    """`C3` → (0-based column index, 1-based Excel row); None for what is not a cell reference."""
    match = _A1.fullmatch(ref.strip())
    if match is None:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return column - 1, int(match.group(2))


def row_ranges(rows: Iterable[int]) -> str:
    """1-based rows as the user would write them: `7–9, 12`."""
    spans: list[list[int]] = []
    for row in sorted(set(rows)):
        if spans and row == spans[-1][1] + 1:
            spans[-1][1] = row
        else:
            spans.append([row, row])
    return ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans)


def _last_row(merged: str) -> int:
    """The bottom row of a range like `A5:B7` (or of a single cell); 0 when it cannot be read."""
    cells = [parse_a1(part) for part in merged.split(":")]
    return max((cell[1] for cell in cells if cell is not None), default=0)


def _filled(sheet: RawSheet, row: int) -> bool:
    values = sheet.rows[row - 1] if row - 1 < len(sheet.rows) else []
    return any(not _BLANK.fullmatch(str(value)) for value in values if value is not None)
