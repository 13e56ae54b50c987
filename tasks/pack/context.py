"""What every sheet writer needs: the open workbook, its formats, the inputs, catalog and language."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from council.catalog import Catalog
from tasks.aggregate.inputs import PackInputs
from tasks.pack.excel import Formats, is_missing


@dataclass(frozen=True)
class SheetContext:
    """Shared, read-only state of one pack build."""

    book: Workbook
    formats: Formats
    inputs: PackInputs
    catalog: Catalog
    lang: str
    as_of: datetime  # the one time written into the workbook (tasks/pack/stamp.py)
    draft: bool = False

    def text(self, key: str, **values: object) -> str:
        """A pack text from schemas/text/pack.yaml in the pack's language."""
        return self.catalog.text(f"pack.{key}", self.lang, **values)

    def no_data(self) -> str:
        """What a missing value reads as in the pack's language (never a blank cell)."""
        return self.text("no_data")

    def shown(self, values: Sequence[object], formats: Sequence[Format]) -> tuple[list[object], list[Format]]:
        """Cells as a reader sees them: a missing value reads "no data" (a blank could be a lost number)."""
        cells = [
            (self.no_data(), self.formats.no_data) if is_missing(v) else (v, f)
            for v, f in zip(values, formats, strict=True)
        ]
        return [v for v, _ in cells], [f for _, f in cells]

    def area(self, code: str) -> str:
        return self.catalog.code_label("priority_area_or_all", code, self.lang)

    def centre(self, code: str) -> str:
        centre = self.catalog.centres.get(code)
        return centre.name(self.lang) if centre else code

    def indicator_format(self, code: str) -> Format:
        """KZT amounts with 2 decimals, counts as whole numbers, other measures with 2 decimals."""
        indicator = self.catalog.indicators[code]
        if indicator.unit == "KZT":
            return self.formats.money
        return self.formats.whole if indicator.whole else self.formats.decimal
