"""Where the vectorised model's month goes: CPU time per phase of ``ResilienceModel.step``.

Usage::

    uv run python benchmarks/phases.py --households 300000 --years 2
    uv run python benchmarks/phases.py --households 3000 --years 10 --profile

Wraps each call of the monthly schedule in a timer, runs one model of ``package=full_cdr``,
``shocks=baseline`` after a warm-up (a 200-household model over the same horizon, so that
every compiled pass is loaded before timing, then the model's first month), and prints the
CPU time per month of each phase and its share. ``--profile`` also prints the top functions
of a cProfile run of the same model.
"""

from __future__ import annotations

import argparse
import cProfile
import dataclasses
import functools
import pstats
import time
from collections import defaultdict

import sim
import sim.ledger
import sim.policies
import sim.shocks
from sim.draws import MonthDraws
from sim.indicators import Recorder
from sim.model import ResilienceModel
from sim.outcomes import OutcomeTracker
from sim.population import Population
from sim.processes import consumption, coping, income, livestock, nutrition, production, savings
from sim.resilience import ResilienceTracker

SPENT: dict[str, float] = defaultdict(float)


def warm_up_population(cfg):
    """The population of the warm-up model: the same, with a few hundred households."""
    return dataclasses.replace(cfg.population, households=WARM_UP_HOUSEHOLDS)


WARM_UP_HOUSEHOLDS = 200


def timed(name: str, fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        t0 = time.process_time()
        try:
            return fn(*args, **kwargs)
        finally:
            SPENT[name] += time.process_time() - t0

    return wrapper


def instrument() -> None:
    for module, names in (
        (sim.policies, ("deliver", "relieve", "after_harvest", "save", "group_meeting", "treat")),
        (sim.shocks, ("strike",)),
        (production, ("harvest",)),
        (livestock, ("update_herds",)),
        (income, ("earn",)),
        (consumption, ("consume",)),
        (coping, ("cope",)),
        (savings, ("save_and_invest",)),
        (nutrition, ("update",)),
        (sim.ledger, ("check",)),
    ):
        for name in names:
            label = f"{module.__name__.rsplit('.', 1)[-1]}.{name}"
            setattr(module, name, timed(label, getattr(module, name)))
    MonthDraws.draw = classmethod(timed("draws.MonthDraws.draw", MonthDraws.draw.__func__))
    Population.stocks = timed("population.stocks (for the check)", Population.stocks)
    Recorder.record = timed("indicators.Recorder.record", Recorder.record)
    ResilienceTracker.update = timed("resilience.update", ResilienceTracker.update)
    OutcomeTracker.update = timed("outcomes.update", OutcomeTracker.update)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=300_000)
    parser.add_argument("--years", type=int, default=2)
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    cfg = sim.load(
        f"population.households={args.households}",
        f"years={args.years}",
        "package=full_cdr",
        "shocks=baseline",
    ).model

    # warm-up: a small model over the same horizon loads every compiled pass from the cache
    # (some run first when the programme starts, after it ends or at a December snapshot)
    ResilienceModel(dataclasses.replace(cfg, population=warm_up_population(cfg))).run()
    instrument()
    model = ResilienceModel(cfg)
    model.step()  # first allocations
    SPENT.clear()
    months = cfg.months - 1
    t0 = time.process_time()
    model.run()
    total = time.process_time() - t0
    per_month = total / months * 1000
    rate = args.households * months / total
    print(
        f"{args.households:,} households, {months} months: {per_month:.1f} ms CPU per month,"
        f" {rate:,.0f} household-months per CPU second"
    )
    accounted = sum(v for k, v in SPENT.items() if not k.startswith("  "))
    rows = sorted(SPENT.items(), key=lambda kv: -kv[1])
    rows.append(("other (step body, ledger, bookkeeping)", total - accounted))
    for name, spent in rows:
        print(f"{name:<42} {spent / months * 1000:>8.2f} ms {spent / total:>6.1%}")

    if args.profile:
        prof = cProfile.Profile()
        model = ResilienceModel(cfg)
        model.step()
        prof.enable()
        model.run()
        prof.disable()
        pstats.Stats(prof).sort_stats("tottime").print_stats(20)


if __name__ == "__main__":
    main()
