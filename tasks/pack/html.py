"""pack.html: one self-contained page (inline CSS and SVG, no script, no network) for screens and print."""

from __future__ import annotations

import math
from html import escape
from typing import Any

import pandas as pd

from council.catalog import Catalog
from tasks.aggregate.completeness import MISSING, completeness_summary
from tasks.aggregate.headline import EXECUTION, headline_indicators, money_fields
from tasks.aggregate.inputs import ALL_AREAS, PackInputs
from tasks.aggregate.rag import pack_config
from tasks.aggregate.tables import PackTables
from tasks.pack.charts_svg import hbar_chart, line_chart
from tasks.pack.html_style import CSS
from tasks.pack.stamp import data_as_of
from tasks.pack.summary import decision_requests

# A Content-Security-Policy that forbids every fetch: the page cannot reach the network even if edited.
CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


class Page:
    """Texts, labels and number formats of one pack page in one language."""

    def __init__(self, catalog: Catalog, lang: str) -> None:
        self.catalog, self.lang = catalog, lang

    def t(self, key: str, **values: object) -> str:
        return escape(self.catalog.text(f"pack.{key}", self.lang, **values))

    def area(self, code: str) -> str:
        return (
            self.t("total")
            if code == ALL_AREAS
            else escape(self.catalog.code_label("priority_area_or_all", code, self.lang))
        )

    def centre(self, code: str) -> str:
        centre = self.catalog.centres.get(code)
        return escape(centre.name(self.lang) if centre else code)

    @property
    def no_data(self) -> str:
        return self.catalog.text("pack.no_data", self.lang)

    def value(self, value: Any, kind: str = "decimal") -> str:
        """A table cell's number, or "no data" in the pack's language: a blank cell could be a lost number."""
        return number(value, kind) or f'<span class="muted">{escape(self.no_data)}</span>'


def number(value: Any, kind: str = "decimal") -> str:
    """A number as the pack prints it: thin-space thousands, blank for missing (never 0)."""
    if value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value)):
        return ""
    if kind == "percent":
        return f"{float(value):.1%}"
    if kind == "change":
        return f"{float(value):+.1%}"
    text = f"{float(value):,.0f}" if kind == "whole" else f"{float(value):,.2f}"
    return text.replace(",", "\u202f")


def _kind(catalog: Catalog, indicator: str) -> str:
    found = catalog.indicators[indicator]
    return "whole" if found.whole else "decimal"


def _table(head: list[str], rows: list[list[str]], cls: str = "") -> str:
    header = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<div class="scroll"><table class="{cls}"><thead><tr>{header}</tr></thead><tbody>{body}</tbody></table></div>'
    )


def _headline_rows(p: Page) -> list[tuple[str, str, str]]:
    catalog, lang = p.catalog, p.lang
    rows = [("projects", p.t("headline_projects"), "whole")]
    rows += [
        (c, p.t("headline_projects_money", field=catalog.sheets["projects"].field(c).label(lang)), "decimal")
        for c in money_fields(catalog, "projects")[:1]
    ]
    for name, codes in headline_indicators(catalog).items():
        rows.append((name, p.t(f"headline_{name}"), _kind(catalog, codes[0]) if codes else "decimal"))
    return [*rows, (EXECUTION, p.t(f"headline_{EXECUTION}"), "percent")]


def headline_section(p: Page, headline: pd.DataFrame) -> str:
    areas = list(headline["priority_area"])
    table = headline.set_index("priority_area")
    rows = [[label, *(p.value(table.at[a, col], kind) for a in areas)] for col, label, kind in _headline_rows(p)]
    body = _table([p.t("headline_metric"), *(p.area(a) for a in areas)], rows, "numbers headline")
    return (
        f'<section id="summary"><h2>{p.t("headline_title")}</h2>{body}<p class="note">{p.t("total_note")}</p></section>'
    )


def decisions_section(p: Page, inputs: PackInputs) -> str:
    requests = decision_requests(inputs.narrative, p.catalog)
    if requests.empty:
        return f'<section><h2>{p.t("decisions_title")}</h2><p class="note">{p.t("no_decisions")}</p></section>'
    rows = [
        [
            p.centre(r.centre),
            escape(p.catalog.code_label("priority_area_or_all", r.priority_area, p.lang))
            if isinstance(r.priority_area, str)
            else "",
            escape(str(r.text)),
        ]
        for r in requests.itertuples(index=False)
    ]
    table = _table([p.t("col_centre"), p.t("col_area"), p.t("col_text")], rows)
    return f"<section><h2>{p.t('decisions_title')}</h2>{table}</section>"


def _rag(p: Page, code: Any) -> str:
    if not isinstance(code, str):
        return ""
    return f'<span class="rag rag-{code.lower()}">{escape(p.catalog.code_label("rag", code, p.lang))}</span>'


def dashboard_section(p: Page, inputs: PackInputs, area: str, kpis: pd.DataFrame, colours: list[str]) -> str:
    title = p.t("totals_title") if area == ALL_AREAS else p.t("dashboard_title", area=p.area(area))
    if kpis.empty:
        return f'<section class="area" id="area-{area}"><h3>{title}</h3><p class="note">{p.t("no_kpis")}</p></section>'
    head = [p.t("col_indicator"), p.t("col_value", period=inputs.period), p.t("col_target", period=inputs.period)]
    head += [p.t("col_pct_of_target"), p.t("col_change_vs_prev", period=inputs.previous_period)]
    head += [p.t("col_change_vs_year_ago", period=inputs.year_ago_period), p.t("col_rag")]
    rows = []
    for k in kpis.itertuples(index=False):
        kind, name = _kind(p.catalog, k.indicator_code), escape(p.catalog.indicators[k.indicator_code].name(p.lang))
        unit = escape(p.catalog.code_label("unit", k.unit, p.lang))
        rows.append(
            [
                f"{name} <small>{unit}</small>",
                p.value(k.value, kind),
                p.value(k.target, kind),
                p.value(k.pct_of_target, "percent"),
                p.value(k.change_vs_prev, "change"),
                p.value(k.change_vs_year_ago, "change"),
                _rag(p, k.rag) or p.value(None),
            ]
        )
    rated = kpis.dropna(subset=["pct_of_target"])
    chart = (
        hbar_chart(
            p.catalog.text(
                "pack.chart_pct_of_target", p.lang, area=p.catalog.code_label("priority_area_or_all", area, p.lang)
            ),
            [p.catalog.indicators[c].name(p.lang) for c in rated["indicator_code"]],
            [float(v) for v in rated["pct_of_target"]],
            lambda v: f"{v:.0%}",
            colours,
            p.no_data,
        )
        if not rated.empty
        else ""
    )
    # The totals count a centre's centre-wide (ALL) row once: the rule stands next to them.
    note = f'<p class="note">{p.t("total_note")}</p>' if area == ALL_AREAS else ""
    table = _table(head, rows, "numbers kpis")
    return f'<section class="area" id="area-{area}"><h3>{title}</h3>{note}{table}{chart}</section>'


def charts_section(p: Page, tables: PackTables, inputs: PackInputs, colours: list[str]) -> str:
    areas = [a for a in tables.headline["priority_area"] if a != ALL_AREAS]
    money = money_fields(p.catalog, "projects")[0]
    budget = tables.headline.set_index("priority_area")[money]
    bars = hbar_chart(
        p.catalog.text("pack.chart_budget_by_area", p.lang),
        [p.catalog.code_label("priority_area_or_all", a, p.lang) for a in areas],
        [float(budget[a]) for a in areas],
        lambda v: number(v, "whole"),
        colours,
        p.no_data,
    )
    trend = tables.trend
    series = [
        (p.catalog.code_label("priority_area_or_all", a, p.lang), [None if pd.isna(v) else float(v) for v in trend[a]])
        for a in areas
    ]
    figure = p.catalog.text(f"pack.headline_{tables.trend_kpi}", p.lang)
    line = line_chart(
        p.catalog.text("pack.trend_title", p.lang, figure=figure),
        list(trend["period"]),
        series,
        lambda v: number(v, "whole"),
        colours,
        p.no_data,
    )
    return f'<section id="charts"><h2>{p.t("html_charts")}</h2><div class="grid">{bars}{line}</div></section>'


def completeness_section(p: Page, table: pd.DataFrame, line: str) -> str:
    head = [
        p.t(k)
        for k in (
            "col_centre",
            "col_status",
            "col_on_time",
            "col_version",
            "col_errors",
            "col_warnings",
            "col_estimated_values",
        )
    ]
    rows = []
    for e in table.itertuples(index=False):
        received = e.status != MISSING
        timing = (
            p.value(None) if not received or pd.isna(e.on_time) else p.t("on_time_yes" if e.on_time else "on_time_no")
        )
        counts = [
            p.value(v if received else None, "whole") for v in (e.version, e.errors, e.warnings, e.estimated_values)
        ]
        rows.append([p.centre(e.centre), p.t(f"status_{e.status}"), timing, *counts])
    title = f"<h2>{p.t('completeness_title')}</h2><p><strong>{escape(line)}</strong></p>"
    return f'<section id="completeness">{title}{_table(head, rows, "numbers")}</section>'


def render_html(inputs: PackInputs, catalog: Catalog, tables: PackTables, lang: str, draft: bool = False) -> str:
    """The whole page as one string; the same inputs give the same bytes (no build time in it)."""
    p, colours = Page(catalog, lang), list(pack_config(catalog.root)["colours"]["series"])
    line = completeness_summary(tables.completeness, catalog, lang)
    dashboards = [
        dashboard_section(
            p, inputs, area, tables.kpi_by_area.loc[tables.kpi_by_area["priority_area"].eq(area)], colours
        )
        for area in catalog.codes("priority_area")
    ]
    dashboards.append(dashboard_section(p, inputs, ALL_AREAS, tables.kpi_totals, colours))
    cover = [
        (p.t("meeting"), escape(inputs.meeting_id)),
        (p.t("period"), escape(inputs.period)),
        (p.t("data_as_of"), escape(data_as_of(inputs, catalog).strftime("%Y-%m-%d %H:%M"))),
        (p.t("completeness"), escape(line)),
    ]
    facts = "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in cover)
    banner = f'<p class="draft" role="note">{p.t("draft_mark")}</p>' if draft else ""
    body = [
        f"<header>{banner}<h1>{p.t('title')}</h1><dl class='facts'>{facts}</dl></header>",
        headline_section(p, tables.headline),
        decisions_section(p, inputs),
        charts_section(p, tables, inputs, colours),
        f'<section id="areas"><h2>{p.t("html_dashboards")}</h2>{"".join(dashboards)}</section>',
        completeness_section(p, tables.completeness, line),
    ]
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{p.t('draft_mark') + ' · ' if draft else ''}{p.t('title')} — {escape(inputs.meeting_id)}</title>"
        f"<style>{CSS}</style></head>"
        f"<body><main>{''.join(body)}</main></body></html>\n"
    )
