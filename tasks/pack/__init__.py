"""The Council pack renderer: pack.xlsx, pack.html, pack.pdf and manifest.json from `PackInputs` (no Prefect)."""

from tasks.pack.workbook import MANIFEST_JSON, PACK_HTML, PACK_PDF, PACK_XLSX, OutputFile, PackResult, write_pack

__all__ = ["MANIFEST_JSON", "PACK_HTML", "PACK_PDF", "PACK_XLSX", "OutputFile", "PackResult", "write_pack"]
