"""The dashboard's small comparison: the choices of the page as overrides, run in-process."""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass, field

import yaml

from sim.compose import conf_dir

PILLARS = ("productive", "financial", "social")
SCHEDULED = ("drought", "flood", "price_spike", "livestock_disease", "human_disease")


@dataclass(frozen=True)
class Choice:
    """What the page lets a user choose.

    Attributes
    ----------
    packages
        Packages compared with ``none`` (the baseline).
    doses
        Dose of each pillar, in [0, 1], applied to every package.
    regime
        Shock regime (``conf/shocks``).
    shock, year, severity
        A scheduled shock (``shock`` empty: none), its year from the start and severity.
    households, years, replicates
        The comparison's size.
    """

    packages: tuple[str, ...] = ("full_cdr", "cash_plus_livestock")
    doses: dict[str, float] = field(default_factory=lambda: dict.fromkeys(PILLARS, 1.0))
    regime: str = "baseline"
    shock: str = ""
    year: int = 2
    severity: float = 0.8
    households: int = 300
    years: int = 6
    replicates: int = 3

    def overrides(self) -> list[str]:
        """The override strings of this choice, as on the command line."""
        out = [
            f"population.households={self.households}",
            f"years={self.years}",
            f"replicates={self.replicates}",
            f"packages=[none,{','.join(self.packages)}]",
            "baseline=none",
            "executor=serial",
            f"shocks={self.regime}",
        ]
        out += [f"policy.{p}.dose={float(self.doses[p])}" for p in PILLARS]
        if self.shock:
            out.append(
                f"shocks.schedule=[{{type: {self.shock}, year: {int(self.year)}, "
                f"severity: {float(self.severity)}}}]"
            )
        return out


def package_names() -> list[str]:
    """Packages of ``conf/package`` other than the baseline ``none``."""
    return sorted(p.stem for p in (conf_dir() / "package").glob("*.yaml") if p.stem != "none")


def regime_names() -> list[str]:
    """Shock regimes of ``conf/shocks``."""
    names = []
    for path in sorted((conf_dir() / "shocks").glob("*.yaml")):
        data = yaml.safe_load(path.read_text()) or {}
        names.append(str(data.get("name", path.stem)))
    return names


def run(choice: Choice):
    """Run the comparison; return it and its wall time in seconds.

    Returns
    -------
    tuple[sim.analysis.compare.Comparison, float]
    """
    import sim

    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="resim-dashboard-") as folder:
        comparison = sim.compare(*choice.overrides(), output=folder)
    return comparison, time.perf_counter() - started
