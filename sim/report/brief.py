"""The answers, generated from the numbers.

Per question: which package does best, by how much, how sure, at what cost, and what the
validation says about it.

Sentences are built from the translation tables' templates; every value is escaped
(:class:`markupsafe.Markup` formatting), only the templates' own ``<b>`` is markup.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd
from markupsafe import Markup

from sim.analysis.outcomes import HEADLINES, REGISTRY, Outcome, Question
from sim.i18n import Translator
from sim.report import trust
from sim.report.view import ComparisonView

ALSO = {
    "assets": (
        "tlu_after_exit",
        "backsliding_share",
        "escaped_at_exit_share",
        "sustained_escape_share",
    ),
    "nutrition": ("hdds_mean",),
    "food": ("months_below_survival", "mahfp_endline", "consumption_after_exit_fcfa_day"),
}
"""Per question, further outcomes quoted for the best package (when the comparison has them)."""


@dataclass
class Effect:
    """One package's effect on one outcome against the baseline."""

    package: str
    outcome: Outcome
    mean: float
    base: float
    diff: float
    low: float
    high: float
    p_better: float
    diff_sd: float = math.nan

    @property
    def gain(self) -> float:
        """The difference signed so that positive is better."""
        return self.outcome.improvement(self.diff)

    @property
    def clearly_better(self) -> bool:
        """The whole 95 % interval lies on the better side."""
        return min(self.outcome.improvement(self.low), self.outcome.improvement(self.high)) > 0

    @property
    def clearly_worse(self) -> bool:
        """The whole 95 % interval lies on the worse side."""
        return max(self.outcome.improvement(self.low), self.outcome.improvement(self.high)) < 0


@dataclass
class Answer:
    """The answer to one question."""

    question: str
    sentence: Markup
    terminal: str
    best: Effect | None = None
    also: Markup | None = None
    costs: list[Markup] = field(default_factory=list)
    trust: Markup | None = None


def effects(view: ComparisonView, outcome: str) -> list[Effect]:
    """Every compared package's effect on ``outcome`` (those with a difference)."""
    o = REGISTRY[outcome]
    base = view.row(view.baseline, outcome)
    if base is None or pd.isna(base["mean"]):
        return []
    out = []
    for package in view.others:
        r = view.row(package, outcome)
        if r is None or pd.isna(r["diff"]):
            continue
        out.append(
            Effect(
                package,
                o,
                float(r["mean"]),
                float(base["mean"]),
                float(r["diff"]),
                float(r["diff_low"]),
                float(r["diff_high"]),
                float(r["p_better"]) if pd.notna(r["p_better"]) else math.nan,
                float(r["diff_sd"]) if "diff_sd" in r and pd.notna(r["diff_sd"]) else math.nan,
            )
        )
    return out


def headline(view: ComparisonView, question: Question) -> str | None:
    """The question's headline outcome: the first of :data:`HEADLINES` the comparison has."""
    for name in HEADLINES[question]:
        if name in REGISTRY and effects(view, name):
            return name
    return None


def _pct(e: Effect, t: Translator, baseline: str) -> str:
    if e.base == 0 or not math.isfinite(e.base):
        return t("report.no_change") if e.diff == 0 else "–"
    text = (
        f"{t.percent(e.diff / abs(e.base), sign=True)} {t('report.of_baseline', baseline=baseline)}"
    )
    if math.isfinite(e.diff_sd):
        text += f", {t('report.sd', value=t.number(e.diff_sd, 2, sign=True))}"
    return text


def _values(e: Effect, t: Translator, view: ComparisonView) -> dict[str, str]:
    unit = e.outcome.unit
    baseline = t.package(view.baseline)
    return {
        "package": t.package(e.package),
        "outcome": t.outcome(e.outcome.name),
        "value": t.value(e.mean, unit),
        "base_value": t.value(e.base, unit),
        "baseline": baseline,
        "diff": t.difference(e.diff, unit),
        "pct": _pct(e, t, baseline),
        "low": t.difference(e.low, unit),
        "high": t.difference(e.high, unit),
        "p": t.percent(e.p_better) if math.isfinite(e.p_better) else "–",
        "n": str(view.replicates),
    }


def answer(
    view: ComparisonView,
    question: Question,
    t: Translator,
    validation: trust.ValidationResult | None = None,
) -> Answer | None:
    """The answer to ``question`` (None when the comparison holds none of its outcomes)."""
    if question == "cost":
        return cost_answer(view, t, validation)
    name = headline(view, question)
    if name is None:
        return None
    found = effects(view, name)
    best = max(found, key=lambda e: e.gain)
    if best.clearly_better:
        key = "best"
    elif all(e.clearly_worse for e in found):
        key = "worse"
    else:
        key = "unclear"
    values = _values(best, t, view)
    sentence = t.markup(f"report.{key}", **values)
    terminal = t(f"terminal.{key}", **values)
    items = []
    for other in ALSO.get(question, ()):
        if other == name or other not in REGISTRY:
            continue
        for e in effects(view, other):
            if e.package == best.package:
                unit = e.outcome.unit
                items.append(
                    t.markup(
                        "report.also_item",
                        outcome=t.outcome(other),
                        value=t.value(e.mean, unit),
                        base_value=t.value(e.base, unit),
                    )
                )
    also = t.markup("report.also", items=Markup(t("report.sep")).join(items)) if items else None
    return Answer(question, sentence, terminal, best, also, [], trust_line(question, t, validation))


def trust_line(
    question: str, t: Translator, validation: trust.ValidationResult | None
) -> Markup | None:
    """What the validation says about a question, in one sentence."""
    if validation is None:
        return None
    on = validation.on(question)
    if not on:
        return t.markup("report.trust_question_none")
    failed = [p for p in on if not p.passed]
    if not failed:
        key = "report.trust_question_pass_only" if len(on) == 1 else "report.trust_question_pass"
        return t.markup(key, total=len(on))
    names = t.join([trust.title(p, t) for p in failed])
    if len(failed) == 1:
        key = (
            "report.trust_question_fail_only" if len(on) == 1 else "report.trust_question_fail_one"
        )
    else:
        key = "report.trust_question_fail"
    return t.markup(key, failed=len(failed), total=len(on), patterns=names)


def _unit_step(o: Outcome, t: Translator) -> str:
    """One unit of an outcome's difference: ``1 point``, ``1 month/yr``."""
    symbol = t.unit("share_diff" if o.unit == "share" else o.unit, "1")
    return f"1\u202f{symbol}" if symbol else "1"


def cost_answer(
    view: ComparisonView, t: Translator, validation: trust.ValidationResult | None = None
) -> Answer | None:
    """What each package costs.

    Per household, per unit of the food headline gained, per household kept out of poverty
    and per case of backsliding averted.
    """
    if not view.has("cost_per_household_fcfa"):
        return None
    usd_rate = float(view.summary.get("fcfa_per_usd") or 550.0)
    food = headline(view, "food")
    food_effects = {e.package: e for e in effects(view, food)} if food else {}
    sentences = []
    terminal = []
    for package in view.others:
        r = view.row(package, "cost_per_household_fcfa")
        if r is None or pd.isna(r["mean"]):
            continue
        cost = float(r["mean"])
        name = t.package(package)
        if cost <= 0:
            sentences.append(t.markup("report.cost_free", package=name))
            continue
        parts = [
            t.markup(
                "report.cost",
                package=name,
                cost=t.money(cost),
                usd=t.money(cost / usd_rate, unit="usd"),
            )
        ]
        terminal.append(t("terminal.cost", package=name, cost=t.money(cost)))
        e = food_effects.get(package)
        if e is not None and e.clearly_better:
            scale = 100.0 if e.outcome.unit == "share" else 1.0
            parts.append(
                t.markup(
                    "report.cost_per_gain",
                    step=_unit_step(e.outcome, t),
                    outcome=t.outcome(e.outcome.name),
                    value=t.money(cost / (e.gain * scale)),
                )
            )
        kept = view.row(package, "cost_per_household_kept_out_of_poverty_fcfa")
        if kept is not None and pd.notna(kept["mean"]) and kept["mean"] > 0:
            parts.append(t.markup("report.cost_kept", value=t.money(float(kept["mean"]))))
        averted = view.row(package, "cost_per_backsliding_averted_fcfa")
        slide = [x for x in effects(view, "backsliding_share") if x.package == package]
        if averted is not None and pd.notna(averted["mean"]) and averted["mean"] > 0:
            parts.append(t.markup("report.cost_averted", value=t.money(float(averted["mean"]))))
        elif slide and slide[0].gain < 0:
            parts.append(t.markup("report.cost_averted_worse", baseline=t.package(view.baseline)))
        sentences.append(Markup(" ").join(parts))
    if not sentences:
        return None
    return Answer(
        "cost",
        sentences[0],
        t("report.sep").join(terminal),
        None,
        None,
        sentences[1:],
        trust_line("cost", t, validation),
    )


def answers(
    view: ComparisonView, t: Translator, validation: trust.ValidationResult | None = None
) -> list[Answer]:
    """The answers to every question the comparison can answer, in the report's order."""
    out = []
    for question in ("food", "nutrition", "assets", "cost"):
        a = answer(view, question, t, validation)
        if a is not None:
            out.append(a)
    return out
