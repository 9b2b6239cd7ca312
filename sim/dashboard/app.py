"""The dashboard page (Solara): choose packages, doses and shocks, run, see the effects.

Served by ``resim task=dashboard`` (or ``solara run sim.dashboard.app``). Every word comes
from the translation tables (``dashboard.*`` and the names of packages, pillars, regimes and
shocks); French and English are one click apart.
"""

from __future__ import annotations

import threading

import solara
import solara.lab

from sim import plots
from sim.dashboard.engine import PILLARS, SCHEDULED, Choice, package_names, regime_names
from sim.i18n import LANGS, Translator, catalogue

lang = solara.reactive("fr")
packages = solara.reactive(["full_cdr", "cash_plus_livestock"])
doses = {p: solara.reactive(1.0) for p in PILLARS}
regime = solara.reactive("baseline")
shock = solara.reactive("")
shock_year = solara.reactive(2)
severity = solara.reactive(0.8)
households = solara.reactive(300)
replicates = solara.reactive(3)

_LOCK = threading.Lock()
EFFECTS = ("months_below_survival", "gam_mean", "net_assets_end", "tlu_at_exit")


def current_choice() -> Choice:
    """The page's choices."""
    return Choice(
        packages=tuple(packages.value),
        doses={p: doses[p].value for p in PILLARS},
        regime=regime.value,
        shock=shock.value,
        year=shock_year.value,
        severity=severity.value,
        households=households.value,
        replicates=replicates.value,
    )


@solara.lab.task
def comparison(choice: Choice):
    """Run a small comparison in the background (one at a time in this process)."""
    from sim.dashboard.engine import run

    with _LOCK:
        return run(choice)


def _start() -> None:
    if packages.value:
        comparison(current_choice())


@solara.component
def Controls(t: Translator) -> None:
    """The choices."""
    all_packages = package_names()
    names = {t.package(p): p for p in all_packages}
    solara.SelectMultiple(
        t("dashboard.packages"),
        values=[t.package(p) for p in packages.value],
        all_values=list(names),
        on_value=lambda chosen: packages.set([names[c] for c in chosen]),
        classes=["resim-packages"],
    )
    solara.Text(t("dashboard.doses"))
    for p in PILLARS:
        solara.SliderFloat(
            t("dashboard.dose", pillar=t.name("pillar", p)),
            value=doses[p],
            min=0.0,
            max=1.0,
            step=0.1,
        )
    regimes = {t.name("regime", r): r for r in regime_names()}
    solara.Select(
        t("dashboard.regime"),
        values=list(regimes),
        value=t.name("regime", regime.value),
        on_value=lambda v: regime.set(regimes[v]),
    )
    shocks = {t("dashboard.scheduled_none"): "", **{t.name("shock", s): s for s in SCHEDULED}}
    solara.Select(
        t("dashboard.scheduled"),
        values=list(shocks),
        value=[k for k, v in shocks.items() if v == shock.value][0],
        on_value=lambda v: shock.set(shocks[v]),
    )
    if shock.value:
        solara.SliderInt(t("dashboard.year"), value=shock_year, min=0, max=5)
        solara.SliderFloat(t("dashboard.severity"), value=severity, min=0.1, max=1.0, step=0.1)
    solara.SliderInt(t("dashboard.households"), value=households, min=100, max=2000, step=100)
    solara.SliderInt(t("dashboard.replicates"), value=replicates, min=2, max=10)


@solara.component
def Results(t: Translator) -> None:
    """Fan chart and effect bars of the last comparison."""
    if comparison.pending:
        solara.Text(t("dashboard.running"), classes=["resim-running"])
        solara.ProgressLinear(True)
    if comparison.error:
        solara.Error(t("dashboard.error", message=str(comparison.exception).splitlines()[0]))
    result = comparison.latest if comparison.pending else comparison.value
    if result is None:
        return
    c, seconds = result
    solara.Text(
        t("dashboard.done", runs=c.summary["runs"], seconds=t.number(seconds, 1)),
        classes=["resim-done"],
    )
    programme = tuple(c.summary["programme_months"])
    fan = plots.fan_chart(
        c.series, "tlu", programme=programme, shocks=c.shocks, lang=t, title=t("dashboard.fan")
    )
    solara.FigureMatplotlib(fan, format="png", dependencies=[id(c), t.lang])
    shown = [o for o in EFFECTS if (c.table["outcome"] == o).any()]
    bars = plots.outcome_bars(c.table, shown, baseline="none", lang=t, columns=2)
    solara.FigureMatplotlib(bars, format="png", dependencies=[id(c), t.lang, "bars"])


@solara.component
def Page() -> None:
    """The whole page."""
    t = Translator(lang.value, years=3)
    solara.Title(t("dashboard.title"))
    with solara.Column(style={"padding": "1em", "max-width": "1200px"}):
        with solara.Row():
            solara.Text(t("dashboard.title"), classes=["resim-title"], style={"font-size": "1.6em"})
            for code in LANGS:
                solara.Button(
                    catalogue(code)["language"],
                    on_click=lambda code=code: lang.set(code),
                    text=code != lang.value,
                    classes=[f"resim-lang-{code}"],
                )
        solara.Text(t("dashboard.intro"))
        with solara.Columns([1, 2]):
            with solara.Column():
                Controls(t)
                solara.Button(
                    t("dashboard.run"),
                    on_click=_start,
                    disabled=comparison.pending or not packages.value,
                    color="primary",
                    classes=["resim-run"],
                )
                if not packages.value:
                    solara.Text(t("dashboard.empty"))
            with solara.Column():
                Results(t)
