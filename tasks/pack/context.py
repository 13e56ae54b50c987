"""What every sheet writer needs: the open workbook, its formats, the inputs, catalog and language."""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.format import Format
from xlsxwriter.workbook import Workbook

from council.catalog import Catalog
from tasks.aggregate.inputs import PackInputs
from tasks.pack.excel import Formats


@dataclass(frozen=True)
class SheetContext:
    """Shared, read-only state of one pack build."""

    book: Workbook
    formats: Formats
    inputs: PackInputs
    catalog: Catalog
    lang: str

    def text(self, key: str, **values: object) -> str:
        """A pack text from schemas/text/pack.yaml in the pack's language."""
        return self.catalog.text(f"pack.{key}", self.lang, **values)

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
