"""Replay: observed series read from a CSV file drive the world for the years they cover.

A replay file is a tidy CSV: one row per year, optionally per month or per village, with
one column per series. Where the file gives a value, the world takes it; where it is silent,
the stochastic regime fills in, and its draws keep the same shapes, so everything the file
does not cover is the same world as without the file (common random numbers).

Columns (see the README, "Replaying observed series", for the full description):

- ``year`` (required): calendar year, 1900-2200;
- ``month`` (optional, 1-12; empty: the whole year) and ``village`` (optional, an index of
  the model's villages, 0 to ``population.villages`` - 1; empty: every village / the region);
- ``rainfall_mm`` (mm per rainy season) or ``rainfall_anomaly`` (relative to
  ``climate.rain_mean_mm``: -0.2 is 20 % below the mean): season totals, no month;
- ``millet_price`` (FCFA/kg) or ``millet_index`` (× the normal-year price of the month,
  ``market.millet_price``), ``goat_price`` (FCFA/head) or ``goat_index`` (× the normal goat
  price of the month): regional, no village; a row without a month gives the year's mean,
  spread over its months along the normal seasonal shape;
- ``price_spike``: severity (0-1) of a regional price spike starting in the month (without a
  month, in ``shocks.price_spike.month``); 0 says the year had none;
- ``flood``, ``epizootic``, ``insecurity``: event severity, 0-1; a flood row without a
  village strikes every flood-exposed village, an epizootic or insecurity row every village;
  a flood without a month falls in ``shocks.flood.month``, an epizootic in January, and
  insecurity without a month lasts the whole year;
- ``source``, ``note``: free text, not read by the model (say where each value comes from).

Coverage is by series and year: a year with any rainfall value has no random drought or dry
spell; any millet or price-spike value, no random price spike starting in it; any flood,
epizootic or insecurity value, none of the random events of that kind (the file's are that
year's events).
Lines starting with ``#`` are comments. Any problem is refused in one line naming the file,
the line, the column and what is allowed (:class:`~sim.config.ConfigError`).
"""

from __future__ import annotations

import csv
import difflib
import functools
import hashlib
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from sim.schema import ConfigError, conf_dir

if TYPE_CHECKING:
    from sim.config import ModelConfig

YEARS = (1900, 2200)
"""Calendar years a replay file may give (those a run may start in)."""


@dataclass(frozen=True)
class Column:
    """A value column: which series it sets, its unit and its allowed range."""

    series: str
    unit: str
    lo: float
    hi: float
    lo_open: bool = False
    monthly: bool = True  # may give a month
    by_village: bool = True  # may give a village

    def allowed(self) -> str:
        """The allowed values, for messages."""
        left = ">" if self.lo_open else "≥"
        return f"a number {left} {self.lo:g} and ≤ {self.hi:g} ({self.unit}), or empty"


COLUMNS: dict[str, Column] = {
    "rainfall_mm": Column("rainfall", "mm per rainy season", 0, 5000, monthly=False),
    "rainfall_anomaly": Column(
        "rainfall", "relative to climate.rain_mean_mm, -0.2 = 20 % below", -1, 10, monthly=False
    ),
    "millet_price": Column("millet", "FCFA/kg", 0, 1e5, lo_open=True, by_village=False),
    "millet_index": Column(
        "millet", "× the normal-year price of the month", 0, 100, lo_open=True, by_village=False
    ),
    "goat_price": Column("goat", "FCFA per adult goat", 0, 1e7, lo_open=True, by_village=False),
    "goat_index": Column(
        "goat", "× the normal goat price of the month", 0, 100, lo_open=True, by_village=False
    ),
    "price_spike": Column(
        "price_spike", "severity of a regional spike starting then; 0: none", 0, 1, by_village=False
    ),
    "flood": Column("flood", "severity", 0, 1),
    "epizootic": Column("epizootic", "severity", 0, 1),
    "insecurity": Column("insecurity", "severity", 0, 1),
}
"""Value columns of a replay file."""

KEYS = ("year", "month", "village")
TEXT = ("source", "note")
ALLOWED = (*KEYS, *COLUMNS, *TEXT)

Cell = tuple[int, int, int]
"""(year, month or 0 for the whole year, village or -1 for all / the region)."""


@dataclass(frozen=True)
class Replay:
    """A parsed replay file.

    Attributes
    ----------
    path
        The file read (resolved).
    sha256
        Hash of its bytes (recorded in ``summary.json``).
    values
        Column name → {cell: value}; see :data:`Cell`.
    lines
        (column, cell) → line number, for messages about a value.
    """

    path: Path
    sha256: str
    values: dict[str, dict[Cell, float]]
    lines: dict[tuple[str, Cell], int]

    def years(self, series: str) -> set[int]:
        """Calendar years for which the file gives any value of ``series``."""
        return {
            cell[0]
            for name, cells in self.values.items()
            if COLUMNS[name].series == series
            for cell in cells
        }

    def column(self, name: str) -> dict[Cell, float]:
        """The values of one column (empty if the file does not have it)."""
        return self.values.get(name, {})

    def summary(self, first_year: int, last_year: int) -> dict[str, object]:
        """What the run replays, for ``summary.json``: file, hash, years by series."""
        series = sorted({c.series for name, c in COLUMNS.items() if name in self.values})
        inside = {
            s: sorted(y for y in self.years(s) if first_year <= y <= last_year) for s in series
        }
        outside = sorted(
            {y for s in series for y in self.years(s) if not first_year <= y <= last_year}
        )
        return {
            "file": str(self.path),
            "sha256": self.sha256,
            "years_replayed": inside,
            "years_outside_run": outside,
        }


def resolve(file: str) -> Path:
    """The replay file: absolute, else relative to the current folder, else to ``conf/``."""
    path = Path(file).expanduser()
    if path.is_absolute() or path.is_file():
        return path.resolve()
    shipped = conf_dir() / path
    return shipped.resolve() if shipped.is_file() else path.resolve()


def load(file: str) -> Replay:
    """Read and check a replay file (cached while the file is unchanged).

    Raises
    ------
    ConfigError
        One line: ``shocks.replay.file = '<file>': <problem>``.
    """
    path = resolve(file)
    if not path.is_file():
        raise ConfigError(
            f"shocks.replay.file = {file!r}: no such file (a CSV file, relative to the current "
            "folder or to the config folder conf/; see the README, Replaying observed series)"
        )
    stat = path.stat()
    return _read(str(path), file, stat.st_mtime_ns, stat.st_size)


def check(cfg: ModelConfig) -> Replay:
    """Read the run's replay file and check it against the model (village indices)."""
    file = cfg.shocks.replay.file
    replay = load(file)
    villages = cfg.population.villages
    for (_, cell), line in sorted(replay.lines.items(), key=lambda kv: kv[1]):
        if cell[2] >= villages:
            raise ConfigError(
                f"shocks.replay.file = {file!r}: line {line}, column village: {cell[2]} is not "
                f"a village of the model; allowed: 0 to {villages - 1} (population.villages = "
                f"{villages}), or empty for every village"
            )
    return replay


@functools.lru_cache(maxsize=8)
def _read(path: str, given: str, _mtime: int, _size: int) -> Replay:
    raw = Path(path).read_bytes()
    head = f"shocks.replay.file = {given!r}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"{head}: not UTF-8 text ({err.reason} at byte {err.start})") from None
    values: dict[str, dict[Cell, float]] = {}
    lines: dict[tuple[str, Cell], int] = {}
    taken: dict[tuple[str, Cell], tuple[int, str]] = {}
    header: list[str] | None = None
    for number, row in _rows(text):
        if header is None:
            header = _header(row, head, number)
            continue
        if len(row) != len(header):
            raise ConfigError(
                f"{head}: line {number}: {len(row)} fields, the header has {len(header)}; "
                "allowed: one value per column (empty for none), separated by commas"
            )
        rec = dict(zip(header, (v.strip() for v in row), strict=True))
        cell = _cell(rec, head, number)
        given_any = False
        for name, col in COLUMNS.items():
            text_value = rec.get(name, "")
            if not text_value:
                continue
            value = _number(text_value, col, head, number, name)
            where = f"{head}: line {number}, column {name}"
            if cell[1] and not col.monthly:
                raise ConfigError(
                    f"{where}: a season total takes no month; allowed: leave month empty"
                )
            if cell[2] >= 0 and not col.by_village:
                raise ConfigError(
                    f"{where}: prices are regional; allowed: leave village empty on price rows"
                )
            key = (col.series, cell)
            if key in taken:
                first, other = taken[key]
                raise ConfigError(
                    f"{where}: {_cell_text(cell)} already has a {col.series} value ({other}, "
                    f"line {first}); allowed: one value per series, year, month and village"
                )
            taken[key] = (number, name)
            values.setdefault(name, {})[cell] = value
            lines[(name, cell)] = number
            given_any = True
        if not given_any:
            raise ConfigError(
                f"{head}: line {number}: no value; allowed: at least one of "
                f"{', '.join(c for c in COLUMNS if c in header)}"
            )
    if header is None:
        raise ConfigError(f"{head}: no header line; allowed: year and value columns ({_cols()})")
    return Replay(Path(path), hashlib.sha256(raw).hexdigest(), values, lines)


def _rows(text: str):
    """(line number, fields) of every non-blank line that is not a ``#`` comment."""
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        yield number, next(csv.reader([line]))


def _header(row: list[str], head: str, number: int) -> list[str]:
    names = [n.strip() for n in row]
    for i, name in enumerate(names):
        if name not in ALLOWED:
            close = difflib.get_close_matches(name, ALLOWED, n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(close)}?" if close else ""
            raise ConfigError(
                f"{head}: line {number}, column {i + 1} {name!r}: unknown{hint} (allowed: "
                f"{', '.join(ALLOWED)})"
            )
        if name in names[:i]:
            raise ConfigError(f"{head}: line {number}, column {name}: named twice; allowed: once")
    if "year" not in names:
        raise ConfigError(f"{head}: line {number}: no year column; allowed: year plus {_cols()}")
    if not any(n in COLUMNS for n in names):
        raise ConfigError(f"{head}: line {number}: no value column; allowed: {_cols()}")
    return names


def _cols() -> str:
    return ", ".join(COLUMNS)


def _cell(rec: dict[str, str], head: str, number: int) -> Cell:
    year = _integer(rec.get("year", ""), head, number, "year", *YEARS, required=True)
    month = _integer(rec.get("month", ""), head, number, "month", 1, 12)
    village = _integer(rec.get("village", ""), head, number, "village", 0, 10**6)
    assert year is not None  # required=True refuses a missing year
    return (year, month or 0, -1 if village is None else village)


def _integer(
    text: str, head: str, number: int, name: str, lo: int, hi: int, *, required: bool = False
) -> int | None:
    where = f"{head}: line {number}, column {name}"
    allowed = f"an integer from {lo} to {hi}" + ("" if required else ", or empty")
    if not text:
        if required:
            raise ConfigError(f"{where}: empty; allowed: {allowed}")
        return None
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not a number; allowed: {allowed}") from None
    if not value.is_integer() or not lo <= value <= hi:
        raise ConfigError(f"{where}: {text} is out of range; allowed: {allowed}")
    return int(value)


def _number(text: str, col: Column, head: str, number: int, name: str) -> float:
    where = f"{head}: line {number}, column {name}"
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"{where}: {text!r} is not a number; allowed: {col.allowed()}") from None
    too_low = value <= col.lo if col.lo_open else value < col.lo
    if not math.isfinite(value) or too_low or value > col.hi:
        raise ConfigError(f"{where}: {text} is out of range; allowed: {col.allowed()}")
    return value


def _cell_text(cell: Cell) -> str:
    year, month, village = cell
    when = f"{year}-{month:02d}" if month else f"{year}"
    return when + (f", village {village}" if village >= 0 else "")


# --------------------------------------------------------------------------- applying a file


def rainfall(replay: Replay, cfg: ModelConfig, drawn: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Seasonal rainfall with the file's seasons in place of the drawn ones.

    A regional value rescales the drawn village pattern of its season so that the mean over
    villages equals it; a village value then sets that village. Row ``r`` of ``drawn`` is the
    season of year ``start_year - 1 + r``.

    Returns
    -------
    rain
        mm per season, shape of ``drawn``.
    covered
        Whether each row (season) is replayed, shape (seasons,).
    """
    rain = drawn.copy()
    seasons, villages = drawn.shape
    covered = np.zeros(seasons, dtype=bool)
    mean = cfg.climate.rain_mean_mm
    mm = dict(replay.column("rainfall_mm"))
    mm |= {cell: mean * (1 + v) for cell, v in replay.column("rainfall_anomaly").items()}
    # regional values first (they rescale the season's drawn pattern), then villages'
    for (year, _, village), value in sorted(mm.items(), key=lambda kv: kv[0][2]):
        row = year - cfg.start_year + 1
        if not 0 <= row < seasons:
            continue
        covered[row] = True
        if village < 0:
            rain[row] = drawn[row] * value / max(drawn[row].mean(), 1e-12)
        else:
            rain[row, village] = value
    return rain, covered


def prices(replay: Replay, series: str, calendar, normal: np.ndarray) -> np.ndarray:
    """The file's monthly prices of ``series`` (``millet`` or ``goat``), NaN where not given.

    Parameters
    ----------
    normal
        The normal-year price of every month of the run (FCFA), shape (months,): what an
        index multiplies, and the seasonal shape a yearly level is spread along.
    """
    out = np.full(len(calendar.month), np.nan)
    level, index = replay.column(f"{series}_price"), replay.column(f"{series}_index")
    year_mean = {}
    for t, (y, m) in enumerate(zip(calendar.year.tolist(), calendar.month.tolist(), strict=True)):
        monthly, yearly = (y, m, -1), (y, 0, -1)
        if monthly in level:
            out[t] = level[monthly]
        elif monthly in index:
            out[t] = normal[t] * index[monthly]
        elif yearly in level:
            if y not in year_mean:
                year_mean[y] = normal[calendar.year == y].mean()
            out[t] = normal[t] * level[yearly] / year_mean[y]
        elif yearly in index:
            out[t] = normal[t] * index[yearly]
    return out


def events(
    replay: Replay,
    name: str,
    cfg: ModelConfig,
    villages: int,
    *,
    everywhere: np.ndarray | None = None,
    default_month: int | None = None,
) -> np.ndarray:
    """Severity per month and village of the file's ``flood``, ``epizootic`` or ``insecurity``.

    Parameters
    ----------
    everywhere
        Villages a row without a village strikes (default: all).
    default_month
        Month of a row without a month; None: the row covers every month of its year.
    """
    out = np.zeros((cfg.months, villages))
    where = np.ones(villages, dtype=bool) if everywhere is None else everywhere
    for (year, month, village), value in replay.column(name).items():
        if month:
            months = [month]
        elif default_month is not None:
            months = [default_month]
        else:
            months = list(range(1, 13))
        cols = np.flatnonzero(where) if village < 0 else [village]
        for m in months:
            t = 12 * (year - cfg.start_year) + (m - cfg.start_month)
            if 0 <= t < cfg.months:
                out[t, cols] = np.maximum(out[t, cols], value)
    return out


def spikes(replay: Replay, cfg: ModelConfig) -> list[tuple[int, float]]:
    """(month index, severity) of the file's price spikes within the run (severity > 0)."""
    out = []
    for (year, month, _), severity in replay.column("price_spike").items():
        t = 12 * (year - cfg.start_year) + (
            (month or cfg.shocks.price_spike.month) - cfg.start_month
        )
        if severity > 0 and 0 <= t < cfg.months:
            out.append((t, severity))
    return sorted(out)


def covered_years(replay: Replay | None, series: str) -> frozenset[int]:
    """Calendar years whose ``series`` the file gives (empty without a file)."""
    return frozenset() if replay is None else frozenset(replay.years(series))


__all__ = [
    "COLUMNS",
    "Replay",
    "check",
    "covered_years",
    "events",
    "load",
    "prices",
    "rainfall",
    "resolve",
]
