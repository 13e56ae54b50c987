"""A typo in a schema file stops the load, naming the file, the place and what is allowed."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from council.catalog import SCHEMAS_DIR, load_catalog
from council.schema_shapes import SchemaFileError
from tasks.aggregate.rag import pack_config


def copy_of_schemas(tmp_path: Path) -> Path:
    root = tmp_path / "schemas"
    shutil.copytree(SCHEMAS_DIR, root)
    return root


def edit(path: Path, change: str, to: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert change in text, change
    path.write_text(text.replace(change, to, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("file", "change", "to", "said"),
    [
        ("sheets/projects.yaml", "{required: true, minimum: 0}", "{requird: true, minimum: 0}", "'requird'"),
        (
            "sheets/projects.yaml",
            "    type: number\n    format: money",
            "    type: nmber\n    format: money",
            "'nmber'",
        ),
        ("sheets/kpi.yaml", "labels:", "lables:", "'lables'"),
        ("rules.yaml", "    severity: error\n    active: true", "    severity: fatal\n    active: true", "'fatal'"),
        ("rules.yaml", "    active: true\n    message:", "    active: yes please\n    message:", "'yes please'"),
        ("workbook.yaml", "layout: {code_row: 1", "layout: {code_rows: 1", "'code_rows'"),
        ("plausibility.yaml", "jump_factor: 5", "jump_factr: 5", "'jump_factr'"),
        ("reference/centres.yaml", "default_area: AGRITECH", "default_aera: AGRITECH", "'default_aera'"),
        ("text/feedback.yaml", 'title: {kk: "', 'title: {kz: "', "'kz'"),
    ],
)
def test_a_typo_in_a_schema_file_stops_the_load_naming_it(
    tmp_path: Path, file: str, change: str, to: str, said: str
) -> None:
    root = copy_of_schemas(tmp_path)
    edit(root / file, change, to)
    with pytest.raises(SchemaFileError) as refused:
        load_catalog(root)
    message = str(refused.value)
    assert file in message and said in message
    if "unknown key" in message:
        assert "allowed:" in message


def test_a_typo_in_pack_yaml_stops_the_pack_config(tmp_path: Path) -> None:
    root = copy_of_schemas(tmp_path)
    edit(root / "pack.yaml", "trend_kpi:", "trend_kip:")
    with pytest.raises(SchemaFileError, match="unknown key 'trend_kip'"):
        pack_config(root)


def test_the_shipped_schemas_have_their_shapes() -> None:
    assert load_catalog(SCHEMAS_DIR).rules and pack_config(SCHEMAS_DIR)["rag"]
    assert yaml.safe_load((SCHEMAS_DIR / "workbook.yaml").read_text(encoding="utf-8"))["sheets"]
