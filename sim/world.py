"""The exogenous world, drawn up front for the whole horizon.

Calendar, villages, seasonal rainfall per village, shock events and regional prices depend
only on the configuration, the seed (streams ``population``, ``weather``, ``shocks``,
``insecurity`` and ``prices``) and an optional replay file of observed series
(``shocks.replay.file``), never on what households do or which package they receive: every
package run with the same seed faces the same world (common random numbers).

Units: rainfall mm per season; prices FCFA per kg (millet) or per head (animals).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from sim.config import ClimateConfig, MarketConfig, ModelConfig, PopulationConfig
from sim.shocks import ShockEvents, draw_events, replay
from sim.streams import generator


@dataclass(frozen=True)
class Calendar:
    """Month index → calendar year, calendar month and season year.

    Attributes
    ----------
    year, month
        Calendar year and month (1-12) of each simulated month.
    season
        Index (0 = start year) of the rainy season whose harvest feeds the month: a month
        belongs to the season of the latest harvest at or before it.
    """

    year: np.ndarray
    month: np.ndarray
    season: np.ndarray

    @classmethod
    def build(cls, cfg: ModelConfig) -> Calendar:
        """Build the calendar of a run of ``cfg.months`` months."""
        t = np.arange(cfg.months)
        absolute = (cfg.start_month - 1) + t
        year = cfg.start_year + absolute // 12
        month = absolute % 12 + 1
        harvest = cfg.crops.harvest_month
        season = (year - cfg.start_year) - (month < harvest).astype(int)
        return cls(year=year, month=month, season=season)

    @property
    def seasons(self) -> int:
        """Number of rainy seasons covered, counting the one before the start.

        Includes a season still growing when the run ends (a run that does not start in
        January ends in a calendar year whose season is not harvested yet).
        """
        growing = int(self.year[-1] - self.year[0])  # season of the last month's growing rain
        return max(int(self.season.max()), growing) + 2


@dataclass(frozen=True)
class Villages:
    """Static village attributes.

    Attributes
    ----------
    xy_km
        Village centres, km, shape (V, 2).
    flood_exposed
        Whether the village lies in a flood-prone valley.
    market_access
        Market-access index in [``market_access_min``, 1]; scales the income a village earns
        from trade and the prices it gets for animals (later processes).
    """

    xy_km: np.ndarray
    flood_exposed: np.ndarray
    market_access: np.ndarray

    @classmethod
    def build(cls, cfg: PopulationConfig, rng: np.random.Generator) -> Villages:
        """Draw village positions, flood exposure and market access."""
        v = cfg.villages
        xy = rng.uniform(0.0, cfg.village_area_km, size=(v, 2))
        n_flood = round(cfg.flood_exposed_share * v)
        flood = np.zeros(v, dtype=bool)
        flood[rng.permutation(v)[:n_flood]] = True
        # market access falls with distance from the town at the square's centre
        d = np.hypot(*(xy - cfg.village_area_km / 2).T)
        dmax = max(d.max(), 1e-9)
        access = 1.0 - (1.0 - cfg.market_access_min) * d / dmax
        return cls(xy_km=xy, flood_exposed=flood, market_access=access)

    @property
    def count(self) -> int:
        """Number of villages."""
        return len(self.flood_exposed)


def draw_rainfall(
    cfg: ClimateConfig, villages: Villages, seasons: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Draw seasonal rainfall per village, spatially correlated.

    Log-rainfall is the sum of a regional anomaly shared by all villages (share
    ``regional_share`` of the variance) and a village anomaly with exponential spatial
    correlation ``exp(-d / correlation_km)``; the lognormal is scaled so that each village's
    mean is ``rain_mean_mm`` and its coefficient of variation ``rain_cv``.

    Returns
    -------
    rain
        mm per season, shape (seasons, villages).
    regional
        Mean over villages of ``rain``, mm, shape (seasons,).
    """
    sigma2 = np.log1p(cfg.rain_cv**2)
    d = np.linalg.norm(villages.xy_km[:, None, :] - villages.xy_km[None, :, :], axis=-1)
    corr = np.exp(-d / cfg.correlation_km)
    chol = np.linalg.cholesky(corr + 1e-9 * np.eye(len(corr)))
    regional_z = rng.standard_normal(seasons)
    local_z = rng.standard_normal((seasons, villages.count)) @ chol.T
    z = (
        np.sqrt(cfg.regional_share) * regional_z[:, None]
        + np.sqrt(1 - cfg.regional_share) * local_z
    )
    rain = cfg.rain_mean_mm * np.exp(np.sqrt(sigma2) * z - sigma2 / 2)
    return rain, rain.mean(axis=1)


def draw_prices(
    market: MarketConfig,
    climate: ClimateConfig,
    calendar: Calendar,
    regional_rain: np.ndarray,
    rng: np.random.Generator,
    *,
    spike: np.ndarray | None = None,
    conflict: np.ndarray | None = None,
    conflict_effect: tuple[float, float] = (0.0, 0.0),
    observed: dict[str, np.ndarray] | None = None,
) -> dict[str, np.ndarray]:
    """Draw monthly regional prices.

    Millet: the normal seasonal path × exp(supply level + AR(1) log-noise) × the price spikes
    × the conflict premium. The supply level follows the harvest: it moves towards
    ``−e · log(rain ratio)`` of the season that feeds the month, closing half of the gap in
    ``price_half_life_months`` (stocks of households, traders and the national reserve carry
    harvests across years: after a short harvest prices decline over months rather than
    collapsing at the next harvest, and a good harvest lowers them as it reaches the market).
    The rain ratio (regional rain of the feeding season / mean) is floored at
    ``min_rain_ratio`` (imports and aid bound the rise). Small ruminants: annual mean × a
    cosine seasonal cycle (body weight) × (rain ratio)^(+e) × the same kind of noise
    (distress sales after poor rains) × (1 − the conflict discount). Cattle and poultry follow
    the goat index.

    Parameters
    ----------
    spike
        Log millet-price rise per month from price spikes (default none).
    conflict
        Share of the regional market in conflict per month, 0-1 (default none).
    conflict_effect
        (relative rise of millet prices, relative fall of animal prices) when the whole
        region is in conflict at severity 1.
    observed
        Replayed prices per month, ``millet`` FCFA/kg and ``goat`` FCFA/head, NaN where not
        given: those months take the observed price, and the supply level carries on from it.

    Returns
    -------
    dict
        ``millet`` FCFA/kg, ``goat``, ``cattle``, ``poultry`` FCFA/head; shape (months,).
    """
    months = len(calendar.month)
    zeros = np.zeros(months)
    spike = zeros if spike is None else spike
    conflict = zeros if conflict is None else conflict
    observed = observed or {}
    ratio = np.maximum(
        regional_rain[calendar.season + 1] / climate.rain_mean_mm, market.min_rain_ratio
    )
    noise = np.empty((2, months))
    eps = rng.standard_normal((2, months)) * market.price_noise_sd
    state = np.zeros(2)
    for t in range(months):  # loop over months (not households): AR(1) recursion
        state = market.price_noise_ar * state + eps[:, t]
        noise[:, t] = state
    seasonal = np.asarray(market.millet_price)[calendar.month - 1]
    shift = spike + np.log1p(conflict_effect[0] * conflict)  # log rise beyond the supply level
    supply = supply_level(
        -market.millet_harvest_elasticity * np.log(ratio),
        market.price_half_life_months,
        observed=np.log(observed.get("millet", np.full(months, np.nan)) / seasonal)
        - noise[0]
        - shift,
    )
    millet = seasonal * np.exp(supply + noise[0] + shift)
    goat_index = (
        goat_cycle(market, calendar.month)
        * ratio**market.goat_rain_elasticity
        * np.exp(noise[1])
        * (1 - conflict_effect[1] * conflict)
    )
    if "goat" in observed:
        seen = ~np.isnan(observed["goat"])
        goat_index[seen] = observed["goat"][seen] / market.goat_price
    return {
        "millet": millet,
        "goat": market.goat_price * goat_index,
        "cattle": market.cattle_price * goat_index,
        "poultry": market.poultry_price * goat_index,
    }


def goat_cycle(market: MarketConfig, month: np.ndarray) -> np.ndarray:
    """Seasonal multiplier of the goat price by calendar month (mean 1 over the year)."""
    return 1 + market.goat_seasonal_amplitude * np.cos(
        2 * np.pi * (month - market.goat_peak_month) / 12
    )


def supply_level(
    target: np.ndarray, half_life_months: float, *, observed: np.ndarray | None = None
) -> np.ndarray:
    """The log price level set by supply: partial adjustment towards the harvest's target.

    ``level[t] = target[t] + φ (level[t−1] − target[t])`` with ``φ = 0.5^(1/half_life)``
    (0 when the half-life is 0: prices jump to each harvest's level), starting at rest
    (``level[−1] = target[0]``). A month with an observed level (not NaN) takes it, and the
    recursion carries on from there.
    """
    phi = 0.5 ** (1 / half_life_months) if half_life_months > 0 else 0.0
    level = np.empty_like(target)
    prev = target[0]
    for t in range(len(target)):  # loop over months (not households)
        prev = target[t] + phi * (prev - target[t])
        if observed is not None and not np.isnan(observed[t]):
            prev = observed[t]
        level[t] = prev
    return level


@dataclass(frozen=True)
class LocalPrices:
    """A month's prices in each household's village, FCFA per kg (millet) or per head.

    ``millet`` is the price paid for grain bought; ``goat`` (goats and sheep), ``cattle`` and
    ``poultry`` the prices received for animals sold. Grain sold, animals bought and every
    valuation (consumption, net assets) use the regional prices (``World.prices``).
    """

    millet: np.ndarray
    goat: np.ndarray
    cattle: np.ndarray
    poultry: np.ndarray


@dataclass(frozen=True)
class World:
    """Everything exogenous to households for one run."""

    calendar: Calendar
    villages: Villages
    rain: (
        np.ndarray
    )  # mm, (seasons, villages); row s+1 is season s (row 0: the season before the start)
    regional_rain: np.ndarray  # mm, (seasons,)
    prices: dict[str, np.ndarray]
    shocks: ShockEvents
    replay: dict[str, object] | None = None  # what a replay file gave (summary.json)

    @classmethod
    def build(cls, cfg: ModelConfig) -> World:
        """Draw the world of a run from the config and the seed's named streams.

        Order: villages (``population``), ordinary rainfall (``weather``), the seasons a
        replay file gives in place of the drawn ones, shock events (``shocks`` and
        ``insecurity``), which lower rainfall in drought seasons, then prices (``prices``)
        from the shocked regional rainfall, the price spikes, the share of villages in
        conflict and the replayed prices.
        """
        calendar = Calendar.build(cfg)
        villages = Villages.build(cfg.population, generator(cfg.seed, "population"))
        rain, _ = draw_rainfall(
            cfg.climate, villages, calendar.seasons, generator(cfg.seed, "weather")
        )
        observed = replay.check(cfg) if cfg.shocks.replay.file else None
        replayed = np.full_like(rain, np.nan)
        if observed is not None:
            rain, covered = replay.rainfall(observed, cfg, rain)
            replayed[covered] = rain[covered]
        events = draw_events(
            cfg,
            calendar,
            villages,
            generator(cfg.seed, "shocks"),
            generator(cfg.seed, "insecurity"),
            observed=observed,
            replayed_rain=replayed,
        )
        rain = rain * (1 - events.drought.deficit)
        regional = rain.mean(axis=1)
        prices = draw_prices(
            cfg.market,
            cfg.climate,
            calendar,
            regional,
            generator(cfg.seed, "prices"),
            spike=events.price_log_rise,
            conflict=events.insecurity.regional,
            conflict_effect=(
                cfg.shocks.insecurity.regional_millet_rise,
                cfg.shocks.insecurity.regional_animal_fall,
            ),
            observed=_observed_prices(observed, cfg.market, calendar),
        )
        summary = (
            None
            if observed is None
            else observed.summary(int(calendar.year[0]), int(calendar.year[-1]))
        )
        return cls(calendar, villages, rain, regional, prices, events, summary)

    def local_prices(self, t: int, village: np.ndarray) -> LocalPrices:
        """Prices a household of each ``village`` pays and receives in month ``t``.

        The regional prices of the month, times the village's conflict factors
        (``shocks.insecurity``): millet bought costs ``price_paid`` times more, animals sold
        fetch ``price_received`` of the regional price. Without conflict, the regional prices.
        Read from :attr:`local_price_table`.
        """
        local = self.local_price_table[t][:, village]
        return LocalPrices(millet=local[0], goat=local[1], cattle=local[2], poultry=local[3])

    @functools.cached_property
    def local_price_table(self) -> np.ndarray:
        """:meth:`local_prices` of every month and village, made on first use.

        Shape (months, 4, villages): millet paid, goat, cattle and poultry received, FCFA per
        kg or head.
        """
        ins = self.shocks.insecurity
        paid, received = ins.price_paid, ins.price_received
        return np.stack(
            [
                self.prices["millet"][:, None] * paid,
                self.prices["goat"][:, None] * received,
                self.prices["cattle"][:, None] * received,
                self.prices["poultry"][:, None] * received,
            ],
            axis=1,
        )

    def season_rain(self, t: int) -> np.ndarray:
        """Rainfall per village, mm, of the season whose harvest falls at or before month ``t``."""
        return self.rain[self.calendar.season[t] + 1]

    def season_row(self, t: int) -> int:
        """Row of ``rain`` of the season feeding month ``t``."""
        return int(self.calendar.season[t]) + 1

    def growing_rain(self, t: int) -> np.ndarray | None:
        """Rainfall per village of the season growing in month ``t`` (June-November), else None."""
        m = int(self.calendar.month[t])
        if m < 6 or m > 11:
            return None
        year = int(self.calendar.year[t] - self.calendar.year[0])
        return self.rain[year + 1]


def _observed_prices(
    observed: replay.Replay | None, market: MarketConfig, calendar: Calendar
) -> dict[str, np.ndarray] | None:
    """Replayed millet and goat prices per month (NaN where the file is silent), or None."""
    if observed is None:
        return None
    millet_normal = np.asarray(market.millet_price)[calendar.month - 1]
    goat_normal = market.goat_price * goat_cycle(market, calendar.month)
    return {
        "millet": replay.prices(observed, "millet", calendar, millet_normal),
        "goat": replay.prices(observed, "goat", calendar, goat_normal),
    }


__all__ = [
    "Calendar",
    "Villages",
    "World",
    "draw_prices",
    "draw_rainfall",
    "goat_cycle",
    "supply_level",
]
