"""Clean, plausible sample rows for one centre and period, deterministic by seed (keys = field codes)."""

from __future__ import annotations

import random
from datetime import timedelta

from council.catalog import Catalog
from tasks.samples import content
from tasks.samples.content import tr
from tasks.samples.portfolio import (
    Project,
    centre_language,
    period_bounds,
    period_index,
    projects,
    rng,
    technologies,
)

Row = dict[str, object]
ALL_AREAS = "ALL"  # priority_area_or_all code for centre-wide KPI rows
ACTIVE = "ACTIVE"  # project_status code of a running project
ADOPTER_STAGES = ("PILOT", "IMPLEMENTED")  # pilot_stage codes that need an adopter
MAX_PROJECTS = 25


def generate_rows(catalog: Catalog, centre: str, period: str, seed: int = 7) -> dict[str, list[Row]]:
    """Rows per data sheet for a clean submission: every code from the catalog, every rule satisfied."""
    lang = centre_language(catalog, centre)
    index = period_index(period)
    portfolio = projects(catalog, centre, seed, lang, through=index)
    alive = [p for p in portfolio if p.first <= index <= p.completes][-MAX_PROJECTS:]
    project_rows = [_project_row(catalog, p, index, lang) for p in alive]
    areas = list(dict.fromkeys([catalog.centres[centre].default_area] + [p.area for p in alive]))
    pilots = _pilot_rows(catalog, centre, seed, index, lang)
    return {
        "projects": project_rows,
        "kpi": _kpi_rows(catalog, centre, seed, index, areas, project_rows, lang),
        "budget": _budget_rows(catalog, rng(seed, centre, "budget", index), areas, lang),
        "pilots": pilots,
        "narrative": _narrative_rows(rng(seed, centre, "narrative", index), index, project_rows, pilots, areas, lang),
    }


def _project_row(catalog: Catalog, project: Project, index: int, lang: str) -> Row:
    status = _status(catalog, project, index)
    active_until = min(index, project.suspended_from or index)
    trl = (
        project.trl_start
        if status == "PLANNED"
        else project.trl_start + int(project.trl_rate * (active_until - project.first))
    )
    public, private, foreign = project.shares
    pattern = content.TITLE_PATTERNS[project.pattern]
    return {
        "project_id": project.project_id,
        "title": tr(pattern, lang).format(topic=tr(project.topic, lang), n=1 + project.first % 3),
        "priority_area": project.area,
        "sector": tr(project.sector, lang),
        "project_type": project.project_type,
        "status": status,
        "trl_start": project.trl_start,
        "trl_current": min(9, trl),
        "start_date": project.start,
        "end_date_plan": project.end_plan,
        "region_code": project.region,
        "partner_name": project.partner[0] if project.partner else None,
        "partner_bin": project.partner[1] if project.partner else None,
        "budget_total_kzt": project.total_cents / 100,
        "funding_public_kzt": public / 100,
        "funding_private_kzt": private / 100,
        "funding_foreign_kzt": foreign / 100,
        "comment": tr(project.comment, lang) if project.comment else None,
    }


def _status(catalog: Catalog, project: Project, index: int) -> str:
    _, period_end = period_bounds(catalog, f"{index // 2}S{index % 2 + 1}")
    suspended = project.suspended_from is not None and index >= project.suspended_from
    if index == project.completes:
        return "CANCELLED" if suspended else "COMPLETED"  # a suspended project is closed, not finished
    if suspended:
        return "SUSPENDED"
    return "PLANNED" if index == project.first and project.start > period_end - timedelta(days=45) else ACTIVE


def _kpi_rows(
    catalog: Catalog, centre: str, seed: int, index: int, areas: list[str], project_rows: list[Row], lang: str
) -> list[Row]:
    rows = [
        _kpi_row(catalog, seed, centre, code, area, index) for area, code in _kpi_plan(catalog, centre, seed, areas)
    ]
    generator = rng(seed, centre, "kpi-period", index)
    rows = _split_by_project(catalog, generator, rows, project_rows)
    for row in generator.sample(rows, k=min(len(rows), generator.randint(1, 2))):
        row["obs_status"] = generator.choice(("E", "P"))
        row["comment"] = tr(generator.choice(content.ESTIMATE_COMMENTS), lang)
    return rows


def _kpi_plan(catalog: Catalog, centre: str, seed: int, areas: list[str]) -> list[tuple[str, str]]:
    """(area, indicator) pairs: a stable choice per area, plus centre-wide indicators under ALL only."""
    plan = []
    for area in areas:
        generator = rng(seed, centre, "kpi-set", area)
        common = generator.sample(content.AREA_INDICATORS, k=generator.randint(4, 7))
        codes = [c for c in content.AREA_INDICATORS if c in common] + content.AREA_SPECIFIC_INDICATORS.get(area, [])
        plan += [(area, c) for c in codes if c in catalog.indicators and c not in content.CENTRE_WIDE_INDICATORS]
    generator = rng(seed, centre, "kpi-wide")
    wide = generator.sample(content.CENTRE_WIDE_INDICATORS, k=generator.randint(1, 3))
    return plan + [(ALL_AREAS, c) for c in content.CENTRE_WIDE_INDICATORS if c in wide and c in catalog.indicators]


def _kpi_row(catalog: Catalog, seed: int, centre: str, code: str, area: str, index: int) -> Row:
    indicator = catalog.indicators[code]
    low, high = content.INDICATOR_SCALES.get(code, content.UNIT_SCALES.get(indicator.unit, (1, 100)))
    generator = rng(seed, centre, "kpi", code, area)
    base, growth = generator.uniform(low, high), generator.uniform(1.02, 1.12)
    steps = index - period_index(min(catalog.periods, default="2025S1"))
    # Cumulative stocks ("last") never fall; flows wobble around their trend.
    noise = 1.0 if indicator.aggregation == "last" else rng(seed, centre, "kpi", code, area, index).uniform(0.85, 1.15)
    value = _rounded(base * growth**steps * noise, indicator.whole, indicator.unit)
    target_draw = rng(seed, centre, "target", code, area, index)
    target = _rounded(value * target_draw.uniform(0.9, 1.25), indicator.whole, indicator.unit)
    return {
        "indicator_code": code,
        "priority_area": area,
        "value": value,
        "unit": indicator.unit,
        "target_value": target if target_draw.random() > 0.1 else None,
        "obs_status": "A",
        "project_id": None,
        "comment": None,
    }


def _rounded(value: float, whole: bool, unit: str) -> float | int:
    if whole:
        return max(0, round(value))
    return round(value, 2 if unit == "KZT" else 1)


def _split_by_project(
    catalog: Catalog, generator: random.Random, rows: list[Row], project_rows: list[Row]
) -> list[Row]:
    """Split one whole-number flow row across two projects of its area (the parts add up: no double count)."""

    def splittable(row: Row) -> bool:
        indicator = catalog.indicators[str(row["indicator_code"])]
        enough = _int(row["value"]) >= 2 and len(_area_projects(project_rows, row["priority_area"])) >= 2
        return indicator.whole and indicator.aggregation == "sum" and enough

    candidates = [r for r in rows if splittable(r)]
    if not candidates:
        return rows
    chosen = generator.choice(candidates)
    first, second = generator.sample(_area_projects(project_rows, chosen["priority_area"]), k=2)
    part = generator.randint(1, _int(chosen["value"]) - 1)
    parts = [
        {**chosen, "value": part, "project_id": first, "target_value": None},
        {**chosen, "value": _int(chosen["value"]) - part, "project_id": second, "target_value": None},
    ]
    at = rows.index(chosen)
    return rows[:at] + parts + rows[at + 1 :]


def _int(value: object) -> int:
    return int(value) if isinstance(value, int | float) else 0


def _area_projects(project_rows: list[Row], area: object) -> list[str]:
    return [str(r["project_id"]) for r in project_rows if r["priority_area"] == area and r["status"] == ACTIVE]


def _budget_rows(catalog: Catalog, generator: random.Random, areas: list[str], lang: str) -> list[Row]:
    rows, explained = [], False
    for line in generator.sample(content.BUDGET_LINES, k=generator.randint(3, min(8, len(content.BUDGET_LINES)))):
        approved = generator.randint(15_000_000, 600_000_000) * 100 + generator.randint(0, 99)
        corrected = round(approved * generator.uniform(0.92, 1.08))
        # Execution 86–99 % keeps clear of the 85 % / 100 % bounds after rounding; at most one low line, explained.
        low = not explained and generator.random() < 0.35
        spent = int(corrected * (generator.uniform(0.55, 0.8) if low else generator.uniform(0.86, 0.99)))
        allocated = spent + int((corrected - spent) * generator.uniform(0.3, 1.0))
        explained = explained or low
        rows.append(
            {
                "budget_line": tr(line, lang),
                "funding_source": generator.choice(catalog.codes("funding_source")),
                "priority_area": generator.choice(areas),
                "plan_approved_kzt": approved / 100,
                "plan_corrected_kzt": corrected / 100,
                "allocated_kzt": allocated / 100,
                "spent_kzt": spent / 100,
                "variance_explanation": tr(generator.choice(content.VARIANCE_REASONS), lang) if low else None,
            }
        )
    return rows


def _pilot_rows(catalog: Catalog, centre: str, seed: int, index: int, lang: str) -> list[Row]:
    stages = catalog.codes("pilot_stage")  # in codelist order: SCANNED → RECOMMENDED → PILOT → IMPLEMENTED
    rows: list[Row] = []
    for tech in [t for t in technologies(catalog, centre, seed, lang, through=index) if t.introduced <= index][-8:]:
        stage_at = min(len(stages) - 1, tech.base_stage + (index - tech.introduced) // 2)
        adopted = stages[stage_at] in ADOPTER_STAGES
        metric, low, high = content.EFFECTS.get(tech.area, content.EFFECTS["OTHER"])
        domestic = tech.origin_country == "KZ"
        rows.append(
            {
                "technology_name": tr(tech.name, lang),
                "priority_area": tech.area,
                "stage": stages[stage_at],
                "origin": "DOMESTIC" if domestic else "FOREIGN",
                "origin_country": tech.origin_country,
                "adopter_name": tech.adopter[0] if adopted else None,
                "adopter_bin": tech.adopter[1] if adopted else None,
                "trl": min(9, tech.base_trl + stage_at),
                "effect_metric": tr(metric, lang) if adopted else None,
                "effect_value": round(low + tech.effect * (high - low), 1) if adopted else None,
                "import_substitution": "YES" if domestic else "NO",
            }
        )
    return rows


def _narrative_rows(
    generator: random.Random, index: int, project_rows: list[Row], pilots: list[Row], areas: list[str], lang: str
) -> list[Row]:
    best = max(project_rows, key=lambda r: (_int(r["trl_current"]), str(r["project_id"])))
    rows = [
        _narrative(
            "ACHIEVEMENT",
            tr(content.ACHIEVEMENTS[0], lang).format(
                project_id=best["project_id"], title=best["title"], trl=best["trl_current"]
            ),
            None,
            best["priority_area"],
        )
    ]
    implemented = [p for p in pilots if p["stage"] == ADOPTER_STAGES[-1]]
    if implemented and generator.random() < 0.7:
        tech = generator.choice(implemented)
        text = tr(content.ACHIEVEMENTS[1], lang).format(
            technology=tech["technology_name"], adopter=tech["adopter_name"]
        )
        rows.append(_narrative("ACHIEVEMENT", text, None, tech["priority_area"]))
    for rag, risk in generator.sample(content.RISKS, k=generator.randint(1, 2)):
        rows.append(_narrative("RISK", tr(risk, lang), rag, generator.choice([ALL_AREAS, *areas])))
    request = tr(generator.choice(content.DECISION_REQUESTS), lang).format(year=index // 2 + 1)
    rows.append(_narrative("DECISION_REQUEST", request, None, ALL_AREAS))
    return rows


def _narrative(section: str, text: str, rag: str | None, area: object) -> Row:
    return {"section": section, "text": text, "rag": rag, "priority_area": area}


def sample_meta(catalog: Catalog, centre: str, period: str, lang: str) -> dict[str, object]:
    """Cover values a centre would type: who prepared it, contact, a submission day after the period ends."""
    generator = rng("meta", centre, period)
    name, login = generator.choice(content.PEOPLE.get(lang, content.PEOPLE["ru"]))
    _, end = period_bounds(catalog, period)
    known = catalog.periods.get(period)
    room = max(4, ((known.due_date if known else end + timedelta(days=31)) - end).days - 2)
    return {
        "prepared_by": name,
        "contact_email": f"{login}@{centre.lower()}-centre.kz",
        "submission_date": end + timedelta(days=generator.randint(3, room)),
        "is_correction": "NO",
    }
