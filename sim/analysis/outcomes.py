"""The outcomes an experiment reports, declared once: name, direction, unit, meaning."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Outcome:
    """A scalar outcome of one run.

    Attributes
    ----------
    name
        Key in ``summary.json`` → ``outcomes`` and in the experiment tables.
    better
        ``"higher"`` or ``"lower"``: which direction is better for households.
    unit
        Unit of the value.
    description
        What it measures.
    """

    name: str
    better: str
    unit: str
    description: str


OUTCOMES: dict[str, Outcome] = {
    o.name: o
    for o in (
        Outcome(
            "backsliding_share",
            "lower",
            "share",
            "of those above the asset poverty line at exit, fell below it and stayed there "
            "(indicators.backsliding_persistence yearly snapshots, within "
            "indicators.backsliding_window years)",
        ),
        Outcome(
            "escaped_at_exit_share",
            "higher",
            "share",
            "above the asset poverty line at the first yearly snapshot after exit",
        ),
        Outcome(
            "sustained_escape_share",
            "higher",
            "share",
            "above the asset poverty line at exit and still above it at the end",
        ),
        Outcome(
            "consumption_at_exit_fcfa_day",
            "higher",
            "FCFA/day",
            "consumption per adult equivalent over the last programme year",
        ),
        Outcome(
            "consumption_endline_fcfa_day",
            "higher",
            "FCFA/day",
            "consumption per adult equivalent over the first consumption year (Oct-Sep) after "
            "exit: the graduation trials' endline",
        ),
        Outcome(
            "consumption_after_exit_fcfa_day",
            "higher",
            "FCFA/day",
            "consumption per adult equivalent over the year ending N years after exit "
            "(indicators.years_after_exit)",
        ),
        Outcome(
            "mahfp_at_exit",
            "higher",
            "months",
            "months of adequate household food provisioning in the last programme year",
        ),
        Outcome(
            "mahfp_endline",
            "higher",
            "months",
            "months of adequate household food provisioning in the first consumption year "
            "after exit",
        ),
        Outcome(
            "mahfp_after_exit",
            "higher",
            "months",
            "months of adequate household food provisioning in the year ending N years after exit",
        ),
        Outcome("net_assets_at_exit", "higher", "FCFA", "net assets at the programme's exit"),
        Outcome(
            "net_assets_endline",
            "higher",
            "FCFA",
            "net assets at the end of the first consumption year after exit",
        ),
        Outcome("net_assets_after_exit", "higher", "FCFA", "net assets N years after exit"),
        Outcome("poverty_share_end", "lower", "share", "below the asset poverty line at the end"),
        Outcome(
            "months_below_survival",
            "lower",
            "months/yr",
            "months per year below the HEA survival threshold",
        ),
        Outcome(
            "months_below_lp",
            "lower",
            "months/yr",
            "months per year below the HEA livelihood-protection threshold",
        ),
        Outcome(
            "recovery_months",
            "lower",
            "months",
            "mean months to recover food consumption after covariate shocks",
        ),
        Outcome("gam_mean", "lower", "share", "GAM prevalence among the households' under-fives"),
        Outcome("hdds_mean", "higher", "groups", "household dietary diversity score (0-12)"),
        Outcome("tlu_at_exit", "higher", "TLU", "livestock at the programme's exit"),
        Outcome(
            "tlu_after_exit",
            "higher",
            "TLU",
            "livestock N years after exit (indicators.years_after_exit)",
        ),
        Outcome("savings_at_exit", "higher", "FCFA", "group savings at exit (12-month mean)"),
        Outcome(
            "savings_after_exit",
            "higher",
            "FCFA",
            "group savings N years after exit (12-month mean)",
        ),
        Outcome(
            "emergency_coping_share",
            "lower",
            "share",
            "household-months at the emergency coping level",
        ),
        Outcome("net_assets_end", "higher", "FCFA", "net assets at the end"),
        Outcome(
            "cost_per_household_fcfa", "lower", "FCFA", "programme cost per targeted household"
        ),
    )
}
"""Outcomes of every run, for the programme's (targeted) households."""

DERIVED: dict[str, Outcome] = {
    o.name: o
    for o in (
        Outcome(
            "cost_per_household_kept_out_of_poverty_fcfa",
            "lower",
            "FCFA",
            "extra cost / extra households above the poverty line at the end, against the baseline package",
        ),
        Outcome(
            "cost_per_backsliding_averted_fcfa",
            "lower",
            "FCFA",
            "extra cost / cases of backsliding averted among the package's households above "
            "the line at exit, at the baseline's backsliding share; negative when the package "
            "does worse than the baseline",
        ),
    )
}
"""Outcomes that exist only in a comparison (ratios of paired differences)."""
