"""Drought: a regional rainfall deficit with village variation, and poorly distributed seasons.

A drought in year k lowers every village's rainfall of season k by
``severity × rain_deficit × (1 ± village_variation)``; a dry-spell season cuts yields by
``dry_spell_yield_loss`` (± village variation) whatever the total. The lower rain then acts
through the ordinary channels: smaller harvests (``processes/production``), dearer millet
and cheaper goats (``world.draw_prices``), scarcer pasture (more livestock deaths, fewer
births; :func:`pasture_effects`) and less farm labour in the growing season
(:func:`labour_factor`). A season whose rainfall a replay file gives has no random drought
or dry spell (the observed total is what fell); it counts as a drought, in the log and for
the villages it strikes, when it is as dry as the mildest random drought
(rain ≤ mean × (1 − ``severity_min`` × ``rain_deficit``)). Sources: domain.md §5.1, §5.3,
§7 facts 1-2.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from sim.config import DroughtConfig, ModelConfig
from sim.shocks.common import EventRows


@dataclass(frozen=True)
class DroughtEvents:
    """Drought deficits per season row (row s+1 = season s) and village."""

    deficit: np.ndarray  # share of rain lost, (seasons, villages)
    yield_factor: np.ndarray  # dry-spell yield multiplier, (seasons, villages)
    harvest_months: np.ndarray  # month index of each season's harvest, -1 if outside
    log: EventRows
    struck: np.ndarray  # drought, dry spell or replayed dry season, (seasons, villages)


def draw(
    cfg: DroughtConfig,
    model: ModelConfig,
    calendar,
    villages: int,
    schedule,
    rng: np.random.Generator,
    replayed: np.ndarray | None = None,
) -> DroughtEvents:
    """Draw random droughts and dry spells for every season, then add scheduled droughts.

    ``replayed``: rainfall per season row and village from a replay file, NaN where the file
    is silent (or None): replayed seasons have no random drought or dry spell.
    """
    from sim.shocks.common import log_rows, month_index, scheduled

    seasons = calendar.seasons
    occurs = rng.random(seasons) < cfg.probability
    severity = rng.uniform(cfg.severity_min, cfg.severity_max, seasons)
    spread = rng.uniform(1 - cfg.village_variation, 1 + cfg.village_variation, (seasons, villages))
    dry = rng.random(seasons) < cfg.dry_spell_probability
    dry_spread = rng.uniform(
        1 - cfg.village_variation, 1 + cfg.village_variation, (seasons, villages)
    )
    occurs[0] = dry[0] = False  # the season before the start fed the initial stocks: normal
    if replayed is None:
        replayed = np.full((seasons, villages), np.nan)
    covered = ~np.isnan(replayed).all(axis=1)
    occurs[covered] = dry[covered] = False
    severity = np.where(occurs, severity, 0.0)
    for entry in scheduled(schedule, "drought"):
        severity[entry.year + 1] = max(severity[entry.year + 1], entry.severity)
    deficit = np.clip(severity[:, None] * cfg.rain_deficit * spread, 0.0, 1.0)
    yield_factor = np.where(
        dry[:, None], 1 - np.clip(cfg.dry_spell_yield_loss * dry_spread, 0, 1), 1.0
    )
    harvest = np.array(
        [
            _or_minus_one(month_index(model, s - 1, model.crops.harvest_month))
            for s in range(seasons)
        ]
    )
    harvest[0] = -1
    # a replayed season is a drought where it is as dry as the mildest random drought
    threshold = max(cfg.severity_min * cfg.rain_deficit, 1e-9)
    observed = np.where(covered[:, None], 1 - replayed / model.climate.rain_mean_mm, 0.0)
    dry_replayed = covered[:, None] & (observed >= threshold)
    regional = observed.mean(axis=1)
    replay_severity = np.clip(regional / max(cfg.rain_deficit, 1e-9), 0.0, 1.0)
    rows = []
    for s in range(1, seasons):
        if harvest[s] < 0:
            continue
        if severity[s] > 0:
            rows.append((harvest[s], "drought", "region", -1, -1, float(severity[s])))
        elif covered[s] and regional[s] >= threshold:
            rows.append((harvest[s], "drought", "region", -1, -1, float(replay_severity[s])))
        if dry[s]:
            rows.append(
                (harvest[s], "dry_spell", "region", -1, -1, float(cfg.dry_spell_yield_loss))
            )
    struck = (deficit > 0) | (yield_factor < 1) | dry_replayed
    return DroughtEvents(deficit, yield_factor, harvest, log_rows(rows), struck)


def _or_minus_one(t: int | None) -> int:
    return -1 if t is None else t


def pasture_deficit(rain_mm: np.ndarray, mean_mm: float) -> np.ndarray:
    """Pasture deficit of a season, 0 (average or better) to 1 (no rain)."""
    return np.clip(1 - rain_mm / mean_mm, 0.0, 1.0)


def pasture_effects(deficit: np.ndarray, cfg: DroughtConfig) -> tuple[np.ndarray, np.ndarray]:
    """Livestock mortality multiplier and births multiplier for a pasture deficit."""
    return 1 + cfg.pasture_mortality * deficit, np.clip(
        1 - cfg.pasture_fertility * deficit, 0.0, 1.0
    )


def labour_factor(rain_ratio: np.ndarray, cfg: DroughtConfig) -> np.ndarray:
    """Farm-labour demand multiplier in a growing season with ``rain / mean`` = ``rain_ratio``."""
    return np.minimum(rain_ratio, 1.0) ** cfg.labour_rain_elasticity
