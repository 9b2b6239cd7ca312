"""The validation experiments: a package under a shock regime, each run once per replicate.

Replicate r of every experiment runs with the same seed (common random numbers), so a
pattern comparing two experiments reads paired differences. An experiment's overrides are
given the :class:`~sim.validation.settings.Settings` (the scheduled shocks' years and
severities come from ``conf/validate/default.yaml``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sim.compose import compose_config, model_dict, without_keys
from sim.config import ModelConfig, build, check_consistency
from sim.validation.settings import Settings, ShockSpec


@dataclass(frozen=True)
class Experiment:
    """A package under a shock regime, run once per replicate.

    Attributes
    ----------
    name
        Label in the tables.
    package
        Package name (``conf/package``).
    description
        What it is, for the report.
    overrides
        Extra overrides given the settings (shock regime, schedule, instruments).
    """

    name: str
    package: str
    description: str
    overrides: Callable[[Settings], list[str]]


def schedule(kind: str, spec: ShockSpec) -> str:
    """The override scheduling one shock of ``kind`` at ``spec``'s year and severity."""
    return f"shocks.schedule=[{{type: {kind}, year: {spec.year}, severity: {spec.severity}}}]"


SAVINGS_ONLY = [
    "policy.financial.cash_transfer.enabled=false",
    "policy.financial.warrantage.enabled=false",
    "policy.financial.contingency_fund.enabled=false",
]
"""The financial package reduced to its savings groups."""

FIELD_SCHOOLS_ONLY = [
    "policy.productive.inputs.enabled=false",
    "policy.productive.garden.enabled=false",
    "policy.productive.small_livestock.enabled=false",
]
"""The productive package reduced to its field schools."""


def _none(s: Settings) -> list[str]:
    return []


EXPERIMENTS: dict[str, Experiment] = {
    e.name: e
    for e in (
        Experiment("baseline", "none", "no intervention, baseline shocks", _none),
        Experiment("full_cdr", "full_cdr", "the three CdR pillars, baseline shocks", _none),
        Experiment("cash", "cash", "cash alone (4 × 22,000 FCFA), baseline shocks", _none),
        Experiment(
            "cash_plus_livestock",
            "cash_plus_livestock",
            "3 goats, feed and 20,000 FCFA (equal value), baseline shocks",
            _none,
        ),
        Experiment(
            "savings_groups",
            "financial",
            "savings groups alone (no cash, warrantage or contingency fund), baseline shocks",
            lambda s: list(SAVINGS_ONLY),
        ),
        Experiment(
            "savings_groups_flood",
            "financial",
            "savings groups alone, baseline shocks plus a flood in every exposed village",
            lambda s: [*SAVINGS_ONLY, schedule("flood", s.flood)],
        ),
        Experiment(
            "field_schools",
            "productive",
            "field schools alone (no inputs, gardens or animals), baseline shocks",
            lambda s: list(FIELD_SCHOOLS_ONLY),
        ),
        Experiment(
            "social",
            "social",
            "the social pillar alone (nutrition education, listening clubs, women's "
            "empowerment, inclusion), baseline shocks",
            _none,
        ),
        Experiment(
            "calm",
            "none",
            "no intervention, no shocks (ordinary variability)",
            lambda s: ["shocks=none"],
        ),
        Experiment(
            "drought",
            "none",
            "no intervention, no shocks but one severe drought",
            lambda s: ["shocks=none", schedule("drought", s.drought)],
        ),
        Experiment(
            "price_spike",
            "none",
            "no intervention, no shocks but one regional price spike",
            lambda s: ["shocks=none", schedule("price_spike", s.price_spike)],
        ),
        Experiment(
            "conflict",
            "none",
            "no intervention, baseline shocks plus insecurity as Mopti has lived it since 2017",
            lambda s: ["shocks=mopti_2017"],
        ),
    )
}
"""The validation experiments, each run ``validate.replicates`` times with common seeds."""


def experiment_configs(s: Settings, overrides: Sequence[str]) -> dict[str, dict[str, Any]]:
    """The validated model config of every experiment, with the user's overrides.

    ``overrides`` apply to every experiment, except ``package``, ``packages``, ``shocks`` and
    ``task``, which each experiment sets; the scale is ``validate.households`` and
    ``validate.years``.

    Raises
    ------
    ConfigError
        When an experiment's configuration is invalid.
    """
    base = without_keys(overrides, "package", "packages", "shocks", "task")
    scale = [f"population.households={s.households}", f"years={s.years}"]
    configs = {}
    for name, exp in EXPERIMENTS.items():
        composed = compose_config(*base, f"package={exp.package}", *exp.overrides(s), *scale)
        check_consistency(build(ModelConfig, model_dict(composed)))
        configs[name] = model_dict(composed)
    return configs
