"""Template generation: blank workbooks for every centre (or one) for a period, into data/templates/."""

from __future__ import annotations

from prefect import flow, task
from prefect.cache_policies import NO_CACHE

from council.catalog import load_catalog
from council.settings import Settings
from flows.parameters import Lang, Period
from tasks.template import write_template


@task(cache_policy=NO_CACHE)
def write_one(centre: str, period: str, lang: str) -> str:
    settings, catalog = Settings.from_env(), load_catalog()
    out = settings.data_dir / "templates" / period / f"{centre}_{period}_{lang}.xlsx"
    out.parent.mkdir(parents=True, exist_ok=True)
    return str(write_template(catalog, centre, period, lang, out))


@flow(name="template-generation")
def generate_templates(period: Period, centre: str | None = None, lang: Lang = "ru") -> list[str]:
    """One blank template per centre, in the language asked for.

    Args:
        period: the half-year the templates are for, e.g. 2026S2.
        centre: one centre's code (e.g. ELEC); leave it empty for every centre in the catalogue.
        lang: language of the templates: kk (Kazakh), ru (Russian) or en (English).
    """
    period = period.upper()
    centres = [centre] if centre else list(load_catalog().centres)
    return [write_one(code, period, lang) for code in centres]
