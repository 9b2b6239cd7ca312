"""The outcome registry: every outcome an experiment reports, declared once.

One :class:`Outcome` per outcome gives its name (the key in ``summary.json`` → ``outcomes``,
in ``runs.parquet`` and in ``comparison.csv``), its unit, which direction is better for
households and which of the decision maker's questions it answers. Analysis, figures and the
report all read this registry; their words come from the translation tables
(``sim/i18n/<lang>.yaml``: ``outcome.<name>.name`` for sentences and tables,
``outcome.<name>.axis`` for figure axes, ``unit.<unit>`` for units).

Adding an outcome is one entry here plus its two translation keys in each language. An
outcome declared here but not (yet) computed by the model is simply absent from runs and
comparisons: experiments record only the outcomes a run returns, and the report skips what a
comparison does not hold.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

Better = Literal["higher", "lower", "neither"]
Question = Literal["food", "nutrition", "assets", "resilience", "cost"]

UNITS = (
    "share",
    "months_per_year",
    "months",
    "months_of_12",
    "tlu",
    "fcfa",
    "fcfa_per_day",
    "food_groups",
    "ratio",
    "households",
)
"""Units an outcome may have (each has ``unit.<name>`` in the translation tables)."""

QUESTIONS: tuple[Question, ...] = ("food", "nutrition", "assets", "resilience", "cost")
"""The decision maker's questions, in the report's order."""


@dataclass(frozen=True)
class Outcome:
    """A scalar outcome of one run (or of a comparison, when ``derived``).

    Attributes
    ----------
    name
        Key in ``summary.json`` → ``outcomes`` and in the experiment tables.
    unit
        One of :data:`UNITS`; ``share`` values are fractions in [0, 1], shown as %.
    better
        ``"higher"`` or ``"lower"``: which direction is better for households;
        ``"neither"`` for counts and denominators.
    question
        Which question it answers: one of :data:`QUESTIONS`.
    description
        What it measures, for programmers (the words readers see are in the translation
        tables).
    derived
        Exists only in a comparison (a ratio of mean paired differences against the baseline).
    """

    name: str
    unit: str
    better: Better
    question: Question
    description: str
    derived: bool = False

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"outcome {self.name}: unit {self.unit!r} not in {UNITS}")
        if self.better not in ("higher", "lower", "neither"):
            raise ValueError(f"outcome {self.name}: better = {self.better!r}")
        if self.question not in QUESTIONS:
            raise ValueError(f"outcome {self.name}: question {self.question!r} not in {QUESTIONS}")

    def improvement(self, diff: float) -> float:
        """``diff`` signed so that positive is better for households (0 for ``neither``)."""
        if self.better == "lower":
            return -diff
        return diff if self.better == "higher" else 0.0


_ALL: tuple[Outcome, ...] = (
    # food
    Outcome(
        "consumption_endline_fcfa_day",
        "fcfa_per_day",
        "higher",
        "food",
        "consumption per adult equivalent over the first consumption year (Oct-Sep) after exit, "
        "the graduation trials' endline: food at the month's prices, home produce, non-food",
    ),
    Outcome(
        "consumption_at_exit_fcfa_day",
        "fcfa_per_day",
        "higher",
        "food",
        "consumption per adult equivalent over the last programme year",
    ),
    Outcome(
        "consumption_after_exit_fcfa_day",
        "fcfa_per_day",
        "higher",
        "food",
        "consumption per adult equivalent over the year ending indicators.years_after_exit "
        "years after exit",
    ),
    Outcome(
        "mahfp_endline",
        "months_of_12",
        "higher",
        "food",
        "months of adequate household food provisioning in the first consumption year after exit",
    ),
    Outcome(
        "mahfp_at_exit",
        "months_of_12",
        "higher",
        "food",
        "months of adequate household food provisioning in the last programme year",
    ),
    Outcome(
        "mahfp_after_exit",
        "months_of_12",
        "higher",
        "food",
        "months of adequate household food provisioning in the year ending "
        "indicators.years_after_exit years after exit",
    ),
    Outcome(
        "months_below_survival",
        "months_per_year",
        "lower",
        "food",
        "months per year below the HEA survival threshold",
    ),
    Outcome(
        "months_below_lp",
        "months_per_year",
        "lower",
        "food",
        "months per year below the HEA livelihood-protection threshold",
    ),
    Outcome(
        "emergency_coping_share",
        "share",
        "lower",
        "food",
        "household-months at the emergency coping level",
    ),
    # nutrition
    Outcome("gam_mean", "share", "lower", "nutrition", "GAM prevalence among the under-fives"),
    Outcome("hdds_mean", "food_groups", "higher", "nutrition", "dietary diversity score (0-12)"),
    # assets and backsliding
    Outcome("tlu_at_exit", "tlu", "higher", "assets", "livestock at the programme's exit"),
    Outcome(
        "tlu_endline",
        "tlu",
        "higher",
        "assets",
        "livestock at the end of the first consumption year after exit",
    ),
    Outcome(
        "tlu_after_exit",
        "tlu",
        "higher",
        "assets",
        "livestock indicators.years_after_exit years after exit",
    ),
    Outcome("net_assets_end", "fcfa", "higher", "assets", "net assets at the end"),
    Outcome("net_assets_at_exit", "fcfa", "higher", "assets", "net assets at the programme's exit"),
    Outcome(
        "net_assets_endline",
        "fcfa",
        "higher",
        "assets",
        "net assets at the end of the first consumption year after exit (the endline)",
    ),
    Outcome(
        "net_assets_after_exit",
        "fcfa",
        "higher",
        "assets",
        "net assets indicators.years_after_exit years after exit",
    ),
    Outcome("savings_at_exit", "fcfa", "higher", "assets", "group savings at exit, 12-month mean"),
    Outcome(
        "savings_after_exit",
        "fcfa",
        "higher",
        "assets",
        "group savings indicators.years_after_exit years after exit, 12-month mean",
    ),
    Outcome(
        "poverty_share_end", "share", "lower", "assets", "below the asset poverty line at the end"
    ),
    Outcome(
        "escaped_at_exit_share",
        "share",
        "higher",
        "assets",
        "programme households above the asset poverty line at exit",
    ),
    Outcome(
        "sustained_escape_share",
        "share",
        "higher",
        "assets",
        "above the line at exit and still above at the last snapshot",
    ),
    Outcome(
        "backsliding_share",
        "share",
        "lower",
        "assets",
        "of those above the asset poverty line at exit, fell below it and stayed there for "
        "indicators.backsliding_persistence yearly snapshots, the fall starting within "
        "indicators.backsliding_window years",
    ),
    Outcome(
        "escaped_households",
        "households",
        "neither",
        "assets",
        "programme households above the line at exit (the backsliding denominator)",
    ),
    Outcome(
        "backsliding_households",
        "households",
        "neither",
        "assets",
        "programme households that slid back (the backsliding numerator)",
    ),
    # resilience
    Outcome(
        "recovery_months",
        "months",
        "lower",
        "resilience",
        "mean months to recover food consumption after covariate shocks",
    ),
    # cost
    Outcome(
        "cost_per_household_fcfa",
        "fcfa",
        "lower",
        "cost",
        "programme cost per targeted household",
    ),
    Outcome(
        "cost_per_household_kept_out_of_poverty_fcfa",
        "fcfa",
        "lower",
        "cost",
        "extra cost / extra households above the poverty line at the end, against the baseline",
        derived=True,
    ),
    Outcome(
        "cost_per_backsliding_averted_fcfa",
        "fcfa",
        "lower",
        "cost",
        "extra cost / cases of backsliding averted among the package's households above the "
        "line at exit, at the baseline's backsliding share; negative when the package does worse",
        derived=True,
    ),
)

REGISTRY: dict[str, Outcome] = {o.name: o for o in _ALL}
"""Every declared outcome, by name."""

OUTCOMES: dict[str, Outcome] = {o.name: o for o in _ALL if not o.derived}
"""Outcomes of every run, for the programme's (targeted) households."""

DERIVED: dict[str, Outcome] = {o.name: o for o in _ALL if o.derived}
"""Outcomes that exist only in a comparison (ratios of paired differences)."""

HEADLINES: dict[Question, tuple[str, ...]] = {
    "food": ("consumption_endline_fcfa_day", "mahfp_endline", "months_below_survival"),
    "nutrition": ("gam_mean", "hdds_mean"),
    "assets": ("net_assets_endline", "tlu_after_exit", "backsliding_share"),
    "resilience": ("recovery_months",),
    "cost": ("cost_per_household_fcfa",),
}
"""Per question, the outcomes that answer it, most telling first (the first one a
comparison holds is the question's headline)."""


def get(name: str) -> Outcome:
    """The declared outcome ``name``.

    Raises
    ------
    KeyError
        If no outcome of that name is declared.
    """
    return REGISTRY[name]


def present(names: Iterable[str]) -> list[Outcome]:
    """The declared outcomes among ``names``, in the registry's order."""
    have = set(names)
    return [o for o in _ALL if o.name in have]


def run_values(outcomes: Mapping[str, Any]) -> dict[str, Any]:
    """The declared run outcomes that a run's ``outcomes`` summary holds.

    Outcomes declared but not computed by this version of the model are left out; an
    outcome's SD across programme households (``<name>_sd``, for effects in SD units) comes
    with it where the run computes one.
    """
    values = {name: outcomes[name] for name in OUTCOMES if name in outcomes}
    sds = {f"{name}_sd": outcomes[f"{name}_sd"] for name in OUTCOMES if f"{name}_sd" in outcomes}
    return {**values, **sds}
