"""A centre's invented project and technology portfolio over time, so successive periods agree.

Each centre gets one portfolio per seed, independent of the period asked for: a project keeps its
id, partner and budget from period to period, its TRL only rises, and it drops out after the
period it completes in. A period then shows the slice of the portfolio alive in it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from council.catalog import Catalog
from tasks.samples import content

HALF_YEAR = timedelta(days=182)


def rng(*parts: object) -> random.Random:
    """A generator seeded from the parts: string seeds are hashed with SHA-512, so stable across runs."""
    return random.Random("/".join(str(p) for p in parts))


def period_index(period: str) -> int:
    """Half-years counted from year 0 (2026S1 → 4052): differences are numbers of periods."""
    return int(period[:4]) * 2 + int(period[-1]) - 1


def period_bounds(catalog: Catalog, period: str) -> tuple[date, date]:
    """First and last day of the period (from the calendar, else January–June / July–December)."""
    known = catalog.periods.get(period)
    if known:
        return known.start, known.end
    year, half = int(period[:4]), int(period[-1])
    return (date(year, 1, 1), date(year, 6, 30)) if half == 1 else (date(year, 7, 1), date(year, 12, 31))


def index_date(index: int, day_offset: int = 0) -> date:
    """A day `day_offset` days into the half-year with that period index."""
    year, half = divmod(index, 2)
    return date(year, 1 + 6 * half, 1) + timedelta(days=day_offset)


def centre_language(catalog: Catalog, centre: str) -> str:
    """The language the centre writes its sample report in."""
    codes = list(catalog.centres)
    fallback = ("kk", "ru", "en")[(codes.index(centre) if centre in codes else len(centre)) % 3]
    return content.CENTRE_LANGUAGES.get(centre, fallback)


def organisation(generator: random.Random, lang: str) -> tuple[str, str]:
    """An invented organisation: name in the language's style, and a 12-digit BIN (kept as text)."""
    cyrillic, latin = generator.choice(content.BRANDS)
    form = content.tr(generator.choice(content.LEGAL_FORMS), lang)
    # BINs start with the registration year and month; companies from 2000–2009 give a leading zero.
    year, month = generator.randint(0, 23), generator.randint(1, 12)
    bin_code = (
        f"{year:02d}{month:02d}{generator.randint(4, 6)}{generator.randint(0, 2)}{generator.randint(0, 999999):06d}"
    )
    return form.format(brand=latin if lang == "en" else cyrillic), bin_code


@dataclass(frozen=True)
class Project:
    """One project over its whole life (periods given as period indexes)."""

    project_id: str
    topic: content.Text
    area: str
    pattern: int
    sector: content.Text
    project_type: str
    start: date
    end_plan: date
    first: int
    completes: int
    suspended_from: int | None
    trl_start: int
    trl_rate: float
    region: str
    partner: tuple[str, str] | None
    total_cents: int
    shares: tuple[int, int, int]
    comment: content.Text | None


@dataclass(frozen=True)
class Technology:
    """One technology the centre follows, from first scan on."""

    name: content.Text
    area: str
    introduced: int
    base_stage: int
    origin_country: str
    base_trl: int
    adopter: tuple[str, str]
    effect: float


def projects(catalog: Catalog, centre: str, seed: int, lang: str, through: int | None = None) -> tuple[Project, ...]:
    """Every project of the centre from two years before the calendar's first period to its last,
    then those started in each later period up to `through` (a period index), for any period asked."""
    result = list(_calendar_projects(catalog, centre, seed, lang))
    for index in range(_calendar_span(catalog)[1] + 1, (through or 0) + 1):
        result += _started_in(catalog, centre, seed, lang, index, result)
    return tuple(result)


def _started_in(
    catalog: Catalog, centre: str, seed: int, lang: str, index: int, earlier: list[Project]
) -> list[Project]:
    """Projects started in a period after the calendar's last, drawn from that period's own seed: the
    portfolio up to a period is the same however far ahead samples are asked for."""
    generator = rng(seed, centre, "projects", index)
    topics = _topics(catalog, centre)
    started: list[Project] = []
    for offset in sorted(generator.randint(0, 170) for _ in range(generator.randint(2, 3))):
        start = index_date(index, offset)
        same_year = [int(p.project_id.rsplit("-", 1)[1]) for p in [*earlier, *started] if p.start.year == start.year]
        project_id = f"{centre}-{start.year}-{max(same_year, default=0) + 1:03d}"
        title = (generator.choice(topics), generator.randrange(len(content.TITLE_PATTERNS)))
        started.append(_project(catalog, centre, generator, project_id, title, index, start, lang))
    return started


def _calendar_projects(catalog: Catalog, centre: str, seed: int, lang: str) -> tuple[Project, ...]:
    first, last = _calendar_span(catalog)
    generator = rng(seed, centre, "projects")
    starts = [(first - generator.randint(1, 4), generator.randint(0, 170)) for _ in range(generator.randint(10, 14))]
    for index in range(first, last + 1):
        starts += [(index, generator.randint(0, 170)) for _ in range(generator.randint(2, 3))]
    topics = _topics(catalog, centre)
    deck = generator.sample(topics, k=len(topics))  # cycle through topics so titles rarely repeat
    numbers: dict[int, int] = {}
    result = []
    for number, (index, offset) in enumerate(sorted(set(starts))):
        start = index_date(index, offset)
        numbers[start.year] = numbers.get(start.year, 0) + 1
        project_id = f"{centre}-{start.year}-{numbers[start.year]:03d}"
        title = (deck[number % len(deck)], number // len(deck) % len(content.TITLE_PATTERNS))
        result.append(_project(catalog, centre, generator, project_id, title, index, start, lang))
    return tuple(p for p in result if p.completes >= first)


def _calendar_span(catalog: Catalog) -> tuple[int, int]:
    indexes = [period_index(code) for code in catalog.periods] or [period_index("2025S1")]
    return min(indexes), max(indexes)


def _topics(catalog: Catalog, centre: str) -> list[tuple[str, content.Text]]:
    areas = catalog.codelists["priority_area"]
    return [t for t in content.TOPICS.get(centre, content.GENERIC_TOPICS) if t[0] in areas] or content.GENERIC_TOPICS


def _project(
    catalog: Catalog,
    centre: str,
    generator: random.Random,
    project_id: str,
    title: tuple[tuple[str, content.Text], int],
    index: int,
    start: date,
    lang: str,
) -> Project:
    (area, topic), pattern = title
    duration = generator.randint(2, 7)
    total = generator.randint(20_000_000, 2_500_000_000) * 100 + generator.randint(0, 99)
    public = generator.uniform(0.4, 0.9)
    foreign = generator.uniform(0.05, 0.2) if generator.random() < 0.3 else 0.0
    types = catalog.codes("project_type")
    return Project(
        project_id=project_id,
        topic=topic,
        area=area,
        pattern=pattern,
        sector=generator.choice(content.SECTORS.get(centre, content.GENERIC_SECTORS)),
        project_type=generator.choice(types),
        start=start,
        end_plan=start + duration * HALF_YEAR,
        first=index,
        completes=index + duration + generator.choice((-1, 0, 0, 1)),
        suspended_from=index + generator.randint(1, 3) if generator.random() < 0.04 else None,
        trl_start=generator.randint(2, 6),
        trl_rate=generator.uniform(0.3, 0.8),
        region=generator.choice(catalog.codes("region")),
        partner=organisation(generator, lang) if generator.random() < 0.8 else None,
        total_cents=total,
        shares=_split(total, public, foreign),
        comment=generator.choice(content.PROJECT_COMMENTS) if generator.random() < 0.25 else None,
    )


def _split(total_cents: int, public: float, foreign: float) -> tuple[int, int, int]:
    """Public, private and foreign parts in tiyn that add up to the total exactly."""
    # Up to 90 % public and 20 % foreign can overrun the total: the private part is what is left, never below 0.
    public_cents, foreign_cents = round(total_cents * public), round(total_cents * min(foreign, 1 - public))
    return public_cents, total_cents - public_cents - foreign_cents, foreign_cents


def technologies(
    catalog: Catalog, centre: str, seed: int, lang: str, through: int | None = None
) -> tuple[Technology, ...]:
    """The technologies the centre scans, recommends, pilots and implements over the calendar, then one
    more per later period up to `through` (a period index), each drawn from that period's own seed."""
    first, last = _calendar_span(catalog)
    areas = sorted({p.area for p in projects(catalog, centre, seed, lang)})
    introduced = [first - 2, first - 1, *range(first, last + 1), first, first + 1]
    result = _introduce(catalog, rng(seed, centre, "technologies"), areas, introduced, lang, [])
    for index in range(last + 1, (through or 0) + 1):
        result = _introduce(catalog, rng(seed, centre, "technologies", index), areas, [index], lang, result)
    return tuple(result)


def _introduce(
    catalog: Catalog, generator: random.Random, areas: list[str], periods: list[int], lang: str, known: list[Technology]
) -> list[Technology]:
    """`known` plus one technology first scanned in each of `periods`."""
    countries = [c for c in content.FOREIGN_ORIGINS if c in catalog.codelists["country"]]
    result = list(known)
    for introduced in periods:
        area = generator.choice(areas)
        domestic = generator.random() < 0.4 or not countries
        names = content.TECHNOLOGIES.get(area, content.TECHNOLOGIES["OTHER"])
        unused = [n for n in names if n not in {t.name for t in result}] or names
        result.append(
            Technology(
                name=generator.choice(unused),
                area=area,
                introduced=introduced,
                base_stage=generator.randint(0, 1),
                origin_country="KZ" if domestic else generator.choice(countries),
                base_trl=generator.randint(4, 6),
                adopter=organisation(generator, lang),
                effect=generator.uniform(0, 1),
            )
        )
    return result
