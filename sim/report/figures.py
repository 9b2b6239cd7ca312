"""The report's figures, each with its caption, in the report's language."""

from __future__ import annotations

from matplotlib.figure import Figure

from sim import plots
from sim.analysis.outcomes import HEADLINES
from sim.i18n import Translator
from sim.report.brief import headline
from sim.report.view import ComparisonView

FAN_INDICATORS = ("kcal_adequacy", "gam_prevalence", "tlu")
EFFECT_OUTCOMES = (
    "consumption_endline_fcfa_day",
    "mahfp_endline",
    "months_below_survival",
    "gam_mean",
    "hdds_mean",
    "net_assets_endline",
    "tlu_after_exit",
    "backsliding_share",
    "sustained_escape_share",
    "recovery_months",
)
"""Outcomes of the effects figure, when the comparison has them (at most nine shown)."""


def report_figures(view: ComparisonView, t: Translator) -> list[tuple[str, Figure]]:
    """(caption, figure) of every figure the comparison's tables allow."""
    out: list[tuple[str, Figure]] = []
    baseline = t.package(view.baseline)
    programme = tuple(view.summary.get("programme_months", ())) or None
    shocks = view.shocks if not view.shocks.empty else None
    if not view.series.empty:
        for indicator in FAN_INDICATORS:
            if indicator not in view.series:
                continue
            fig = plots.fan_chart(
                view.series,
                indicator,
                programme=programme,
                shocks=shocks,
                lang=t,
            )
            out.append((t("report.caption_fan", indicator=t(f"indicator.{indicator}")), fig))
    shown = [o for o in EFFECT_OUTCOMES if view.has(o)][:9]
    if shown and view.others:
        fig = plots.outcome_bars(view.table, shown, baseline=view.baseline, lang=t)
        out.append((t("report.caption_bars", baseline=baseline), fig))
    if any(c.startswith("still_out_") for c in view.runs.columns):
        out.append((t("report.caption_curve"), plots.backsliding_curve(view.runs, lang=t)))
    food = headline(view, "food") or next(iter(HEADLINES["food"]))
    if view.others and view.has("cost_per_household_fcfa") and view.has(food):
        fig = plots.cost_effectiveness(view.table, food, baseline=view.baseline, lang=t)
        out.append((t("report.caption_ce", outcome=t.outcome(food)), fig))
    if shocks is not None and not shocks[shocks["scope"] != "household"].empty:
        fig = plots.shock_timeline(
            shocks,
            view.months,
            start_year=int(view.setting.get("start_year", 2015)),
            start_month=int(view.setting.get("start_month", 1)),
            lang=t,
        )
        out.append((t("report.caption_timeline"), fig))
    if view.synergy is not None and food in set(view.synergy["outcome"]):
        out.append((t("report.caption_synergy"), plots.synergy_chart(view.synergy, food, lang=t)))
    return out
