"""The Council pack renderer: pack.xlsx and manifest.json from `PackInputs` (pure, no Prefect)."""

from tasks.pack.workbook import MANIFEST_JSON, PACK_XLSX, OutputFile, PackResult, write_pack

__all__ = ["MANIFEST_JSON", "PACK_XLSX", "OutputFile", "PackResult", "write_pack"]
