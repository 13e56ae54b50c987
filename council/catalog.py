"""Typed view of `schemas/`: the one loader every stage reads the schema files through."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from council.calendar import Meetings, Period, Periods, load_calendar, period_containing
from council.resources import packaged_schemas
from council.schema_shapes import checked
from council.settings import Settings

LANGUAGES = ("kk", "ru", "en")
FALLBACK_LANGUAGE = "ru"
SCHEMAS_DIR = packaged_schemas()  # the schemas shipped with the package (COUNCIL_SCHEMAS_DIR may stand in)

Labels = dict[str, str]


def pick(labels: Labels, lang: str) -> str:
    """The text in `lang`, falling back to Russian, then English."""
    return labels.get(lang) or labels.get(FALLBACK_LANGUAGE) or labels.get("en", "")


@dataclass(frozen=True)
class Field:
    """One column of a data sheet (a Frictionless field plus our own properties)."""

    name: str
    type: str
    labels: Labels
    hint: Labels = field(default_factory=dict)
    codelist: str | None = None
    required: bool = False
    unique: bool = False
    minimum: float | None = None
    maximum: float | None = None
    pattern: str | None = None
    max_length: int | None = None
    format: str | None = None
    computed: str | None = None
    pattern_example: str | None = None

    def label(self, lang: str) -> str:
        return pick(self.labels, lang)

    @property
    def anchored_pattern(self) -> str | None:
        """The pattern anchored at both ends: regex checks otherwise match anywhere."""
        return f"^(?:{self.pattern})$" if self.pattern else None


@dataclass(frozen=True)
class Check:
    """A cross-field or cross-sheet rule: `kind` names the check, `params` configure it."""

    rule: str
    kind: str
    params: dict[str, Any]


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    ref_fields: tuple[str, ...]
    rule: str


@dataclass(frozen=True)
class SheetSchema:
    name: str
    labels: Labels
    required: bool
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: tuple[Check, ...] = ()

    def label(self, lang: str) -> str:
        return pick(self.labels, lang)

    def field(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)

    @property
    def input_fields(self) -> tuple[Field, ...]:
        """Columns a centre fills in (computed columns are the template's own)."""
        return tuple(f for f in self.fields if f.computed is None)

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


@dataclass(frozen=True)
class MetaKey:
    name: str
    required: bool
    input: bool = False
    labels: Labels = field(default_factory=dict)
    pattern: str | None = None
    codelist: str | None = None

    def label(self, lang: str) -> str:
        return pick(self.labels, lang) or self.name


@dataclass(frozen=True)
class Rule:
    code: str
    severity: str
    active: bool
    message: Labels
    fix: Labels


@dataclass(frozen=True)
class Centre:
    code: str
    default_area: str
    names: Labels

    def name(self, lang: str) -> str:
        return pick(self.names, lang)


@dataclass(frozen=True)
class Indicator:
    code: str
    unit: str
    aggregation: str
    kind: str
    whole: bool
    names: Labels

    def name(self, lang: str) -> str:
        return pick(self.names, lang)


@dataclass(frozen=True)
class Catalog:
    """Everything in `schemas/`, typed: reference data, sheet schemas, rules and texts."""

    root: Path
    template_id: str
    template_version: int
    layout: dict[str, int]
    meta_sheet: str
    meta_keys: tuple[MetaKey, ...]
    sheets: dict[str, SheetSchema]
    rules: dict[str, Rule]
    centres: dict[str, Centre]
    periods: Periods
    meetings: Meetings
    indicators: dict[str, Indicator]
    codelists: dict[str, dict[str, Labels]]
    region_aliases: dict[str, str]
    texts: dict[str, dict[str, Labels]]
    plausibility: dict[str, float] = field(default_factory=dict)
    yes_words: frozenset[str] = frozenset()  # casefolded: the YES code, its labels and its aliases

    def codes(self, codelist: str) -> tuple[str, ...]:
        """The allowed codes of a codelist, in file order."""
        return tuple(self.codelists[codelist])

    def is_yes(self, value: object) -> bool:
        """Whether a cell says yes: the YES code, its label in any language or an alias (schemas: yes_no)."""
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # a number cell holding 1 reads as 1.0
        return str(value or "").strip().casefold() in self.yes_words

    def code_label(self, codelist: str, code: str, lang: str) -> str:
        labels = self.codelists.get(codelist, {}).get(code)
        return pick(labels, lang) if labels else code

    def text(self, key: str, lang: str, **values: object) -> str:
        """A user-facing string `namespace.key` from `schemas/text/`, filled with `values`."""
        namespace, _, name = key.partition(".")
        template = pick(self.texts[namespace][name], lang)
        return template.format(**values) if values else template

    def period_for(self, day: date) -> Period | None:
        return self.periods.get(period_containing(day))

    def previous_period(self, code: str, back: int = 1) -> str | None:
        """The half-year `back` steps before `code` (2026S1 → 2025S2 → 2025S1)."""
        year, half = int(code[:4]), int(code[-1])
        index = year * 2 + (half - 1) - back
        return f"{index // 2}S{index % 2 + 1}"

    @property
    def nothing_to_report_keys(self) -> dict[str, str]:
        """`_meta` key per data sheet that says the sheet is empty on purpose."""
        return {name: f"nothing_to_report_{name}" for name in self.sheets}


# What the warehouse can hold, by column kind (tasks/load/ddl.py): money is DECIMAL(18,2), and below 10^15
# a double still keeps every cent exact; integers are 32-bit. A schema's own bounds may only be tighter, so a
# value `council validate` accepts is always one the warehouse can load.
STORAGE_BOUNDS: dict[str, tuple[float, float]] = {
    "money": (-(10.0**15), 10.0**15),
    "integer": (-(2.0**31) + 1, 2.0**31 - 1),
    "number": (-1e300, 1e300),
}


def _storage_bounds(kind: str, minimum: float | None, maximum: float | None) -> tuple[float | None, float | None]:
    """The schema's bounds, tightened to what the warehouse column holds."""
    if kind not in STORAGE_BOUNDS:
        return minimum, maximum
    low, high = STORAGE_BOUNDS[kind]
    return max(low, minimum) if minimum is not None else low, min(high, maximum) if maximum is not None else high


def _field(raw: dict[str, Any]) -> Field:
    constraints = raw.get("constraints", {})
    kind = "money" if raw.get("format") == "money" else raw.get("type", "string")
    minimum, maximum = _storage_bounds(kind, constraints.get("minimum"), constraints.get("maximum"))
    return Field(
        name=raw["name"],
        type=raw.get("type", "string"),
        labels=raw.get("labels", {}),
        hint=raw.get("hint", {}),
        codelist=raw.get("codelist"),
        required=bool(constraints.get("required", False)),
        unique=bool(constraints.get("unique", False)),
        minimum=minimum,
        maximum=maximum,
        pattern=constraints.get("pattern"),
        max_length=constraints.get("maxLength"),
        format=raw.get("format"),
        computed=raw.get("computed"),
        pattern_example=raw.get("pattern_example"),
    )


def _sheet(raw: dict[str, Any]) -> SheetSchema:
    return SheetSchema(
        name=raw["name"],
        labels=raw["labels"],
        required=bool(raw.get("required", True)),
        fields=tuple(_field(f) for f in raw["fields"]),
        primary_key=tuple(raw.get("primaryKey", ())),
        foreign_keys=tuple(
            ForeignKey(
                fields=tuple(fk["fields"]),
                resource=fk["reference"]["resource"],
                ref_fields=tuple(fk["reference"]["fields"]),
                rule=fk["rule"],
            )
            for fk in raw.get("foreignKeys", ())
        ),
        checks=tuple(
            Check(rule=c["rule"], kind=c["kind"], params={k: v for k, v in c.items() if k not in ("rule", "kind")})
            for c in raw.get("checks", ())
        ),
    )


# libyaml's parser is ~10x faster than the pure-Python one; the catalogue is read at every CLI start.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _read(path: Path) -> Any:
    """A schemas/ file, checked against its shape: a misspelt key stops here, named, not silently ignored."""
    with path.open(encoding="utf-8") as handle:
        return checked(yaml.load(handle, Loader=_LOADER), path)


def _codelists(
    root: Path, indicators: dict[str, Indicator]
) -> tuple[dict[str, dict[str, Labels]], dict[str, str], frozenset[str]]:
    """Codelists with their labels, the region aliases, and every way of saying yes (casefolded)."""
    raw = _read(root / "reference" / "codelists.yaml")
    aliases = {alias: code for code, entry in raw["region"].items() for alias in entry.get("aliases", ())}
    yes = raw["yes_no"]["YES"]
    yes_words = frozenset(w.casefold() for w in ("YES", *map(str, yes.get("aliases", ())), *_labels(yes).values()))
    codelists = {
        name: {str(code): {k: v for k, v in labels.items() if k in LANGUAGES} for code, labels in entries.items()}
        for name, entries in raw.items()
    }
    codelists["indicator"] = {code: ind.names for code, ind in indicators.items()}
    countries = _read(root / "reference" / "countries.yaml")["country"]["codes"]
    codelists["country"] = {code: {} for code in countries}
    return codelists, aliases, yes_words


def _labels(entry: dict[str, Any]) -> Labels:
    return {k: v for k, v in entry.items() if k in LANGUAGES}


def _texts(root: Path) -> dict[str, dict[str, Labels]]:
    return {path.stem: _read(path) for path in sorted((root / "text").glob("*.yaml"))}


def schemas_dir() -> Path:
    """The schema folder in use: an agency's own (`COUNCIL_SCHEMAS_DIR`) when set, else the shipped one."""
    return Settings.from_env().schemas_dir or SCHEMAS_DIR


def load_catalog(root: Path | None = None) -> Catalog:
    """Every file of the schema folder (`schemas_dir()` unless given), typed; each folder is read once per process."""
    return _load_catalog(root or schemas_dir())


@cache
def _load_catalog(root: Path) -> Catalog:
    workbook = _read(root / "workbook.yaml")
    calendar = load_calendar(_read(root / "reference" / "calendar.yaml"))
    indicators = {
        code: Indicator(code, e["unit"], e["aggregation"], e["kind"], bool(e["whole"]), {k: e[k] for k in LANGUAGES})
        for code, e in _read(root / "reference" / "indicators.yaml")["indicators"].items()
    }
    codelists, aliases, yes_words = _codelists(root, indicators)
    return Catalog(
        root=root,
        template_id=workbook["template_id"],
        template_version=int(workbook["template_version"]),
        layout=workbook["layout"],
        meta_sheet=workbook["meta_sheet"],
        meta_keys=tuple(MetaKey(**k) for k in workbook["meta_keys"]),
        sheets={name: _sheet(_read(root / "sheets" / f"{name}.yaml")) for name in workbook["sheets"]},
        rules={
            code: Rule(code, r["severity"], bool(r["active"]), r["message"], r["fix"])
            for code, r in _read(root / "rules.yaml")["rules"].items()
        },
        centres={
            c["code"]: Centre(c["code"], c["default_area"], c["names"])
            for c in _read(root / "reference" / "centres.yaml")["centres"]
        },
        periods=calendar.periods,
        meetings=calendar.meetings,
        indicators=indicators,
        codelists=codelists,
        region_aliases=aliases,
        yes_words=yes_words,
        texts=_texts(root),
        plausibility=_read(root / "plausibility.yaml"),
    )
