"""The shape every file of `schemas/` must have: a typo stops the load, naming the file, the place and what is allowed.

Read with `dict.get`, a misspelt key (`requird: true`) would silently drop a constraint. Each shape
below lists the keys a mapping may have (`Keys`), the values a field may take (`OneOf`), or says a
mapping's keys are names of the data's own (`Each`: codes, languages). Checked once per load, in
microseconds, with no import beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LANGUAGES = ("kk", "ru", "en")


class SchemaFileError(ValueError):
    """A file of schemas/ that does not have the shape the pipeline reads."""


@dataclass(frozen=True)
class Keys:
    """A mapping with these keys at most (`required` ones at least); nested shapes per key."""

    shapes: dict[str, Any]
    required: tuple[str, ...] = ()


@dataclass(frozen=True)
class Each:
    """A mapping whose keys are free (codes), every value of one shape."""

    shape: Any


@dataclass(frozen=True)
class ListOf:
    shape: Any


@dataclass(frozen=True)
class OneOf:
    values: tuple[object, ...]


@dataclass(frozen=True)
class Free:
    """Anything: parameters a check kind interprets itself."""

    note: str = field(default="")


TEXT = Keys({lang: None for lang in LANGUAGES})
CONSTRAINTS = Keys({k: None for k in ("required", "unique", "minimum", "maximum", "pattern", "maxLength")})
FIELD = Keys(
    {
        "name": None,
        "type": OneOf(("string", "number", "integer", "date")),
        "format": OneOf(("money", "percent", None)),
        "labels": TEXT,
        "hint": TEXT,
        "codelist": None,
        "constraints": CONSTRAINTS,
        "computed": None,
        "pattern_example": None,
    },
    required=("name", "labels"),
)
CHECK_PARAMS: tuple[str, ...] = (
    "attribute",
    "codelist",
    "comment",
    "denominator",
    "field",
    "fields",
    "high",
    "key",
    "low",
)
CHECK_PARAMS += ("numerator", "other", "text", "tolerance", "total", "when_field", "when_values")
SHEET = Keys(
    {
        "name": None,
        "required": None,
        "labels": TEXT,
        "primaryKey": None,
        "foreignKeys": ListOf(
            Keys({"fields": None, "reference": Keys({"resource": None, "fields": None}), "rule": None})
        ),
        "fields": ListOf(FIELD),
        "checks": ListOf(Keys({"rule": None, "kind": None, **{p: None for p in CHECK_PARAMS}}, ("rule", "kind"))),
    },
    required=("name", "labels", "fields"),
)
RULES = Keys(
    {
        "rules": Each(
            Keys(
                {"severity": OneOf(("error", "warning")), "active": OneOf((True, False)), "message": TEXT, "fix": TEXT},
                required=("severity", "active", "message", "fix"),
            )
        )
    }
)
WORKBOOK = Keys(
    {
        "template_id": None,
        "template_version": None,
        "sheets": None,
        "layout": Keys({"code_row": None, "label_row": None, "first_data_row": None}),
        "meta_sheet": None,
        "meta_keys": ListOf(
            Keys({"name": None, "required": None, "input": None, "pattern": None, "labels": TEXT, "codelist": None})
        ),
    }
)
PACK = Keys(
    {
        "rag": Keys({"green": None, "amber": None, "lower_is_better": None}),
        "colours": Keys({"RED": None, "AMBER": None, "GREEN": None, "series": None}),
        "trend_kpi": None,
        "annex": Keys({"key_kpis": None}),
    }
)
PLAUSIBILITY = Keys({"jump_factor": None, "min_value": None})
CENTRES = Keys({"centres": ListOf(Keys({"code": None, "default_area": None, "names": TEXT}))})

# schemas/-relative path (or folder/*) → its shape.
SHAPES: dict[str, Any] = {
    "workbook.yaml": WORKBOOK,
    "rules.yaml": RULES,
    "pack.yaml": PACK,
    "plausibility.yaml": PLAUSIBILITY,
    "reference/centres.yaml": CENTRES,
    "sheets/*": SHEET,
    "text/*": Each(TEXT),  # key → the sentence in each language
}


def shape_for(path: Path) -> Any:
    """The shape of a schemas/ file, from its folder and name (None: not checked here)."""
    if path.parent.name in ("sheets", "reference", "text"):
        return SHAPES.get(f"{path.parent.name}/{path.name}") or SHAPES.get(f"{path.parent.name}/*")
    return SHAPES.get(path.name)


def checked(data: Any, path: Path) -> Any:
    """`data` read from `path`, once it is known to have the file's shape."""
    shape = shape_for(path)
    if shape is not None:
        try:
            check_shape(data, shape)
        except SchemaFileError as error:
            raise SchemaFileError(f"{path}: {error}") from None
    return data


def check_shape(data: Any, shape: Any, where: str = "") -> None:
    """Raise SchemaFileError at the first place `data` does not fit `shape`."""
    if shape is None or isinstance(shape, Free):
        return
    if isinstance(shape, OneOf):
        if data not in shape.values:
            raise SchemaFileError(f"{where or 'value'}: {data!r} is not one of {', '.join(map(repr, shape.values))}")
        return
    if isinstance(shape, ListOf):
        _expect(data, list, where)
        for index, item in enumerate(data):
            check_shape(item, shape.shape, f"{where}[{_name_of(item, index)}]")
        return
    _expect(data, dict, where)
    if isinstance(shape, Each):
        for key, value in data.items():
            check_shape(value, shape.shape, f"{where}.{key}" if where else str(key))
        return
    _check_keys(data, shape, where)


def _check_keys(data: dict[str, Any], shape: Keys, where: str) -> None:
    allowed = ", ".join(sorted(shape.shapes))
    for key, value in data.items():
        if key not in shape.shapes:
            raise SchemaFileError(f"{where or 'top level'}: unknown key {key!r}; allowed: {allowed}")
        check_shape(value, shape.shapes[key], f"{where}.{key}" if where else str(key))
    missing = [key for key in shape.required if key not in data]
    if missing:
        raise SchemaFileError(f"{where or 'top level'}: missing {', '.join(missing)}")


def _expect(data: Any, kind: type, where: str) -> None:
    if not isinstance(data, kind):
        raise SchemaFileError(f"{where or 'top level'}: expected a {'list' if kind is list else 'mapping'}")


def _name_of(item: Any, index: int) -> str:
    return str(item.get("name") or item.get("code") or index) if isinstance(item, dict) else str(index)
