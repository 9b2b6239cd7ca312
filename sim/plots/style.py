"""What every figure shares: colours, calendar axes, wrapped labels, locale ticks, output.

Figures are built on :class:`matplotlib.figure.Figure` directly, never through pyplot's
global state, so plotting selects no backend: a notebook shows them inline, a script saves
them, and nothing opens a window.
"""

from __future__ import annotations

import io
import textwrap
import zlib
from pathlib import Path
from typing import Any

import pandas as pd
from matplotlib.dates import AutoDateLocator, DateFormatter, YearLocator
from matplotlib.figure import Figure

from sim.i18n import Translator, percent_formatter, tick_formatter

GROUP_COLOURS: dict[str, str] = {
    "very_poor": "#b2182b",
    "poor": "#ef8a62",
    "middle": "#67a9cf",
    "better_off": "#2166ac",
    "programme": "#7b3294",
    "all": "#222222",
}
PACKAGE_COLOURS: dict[str, str] = {
    "none": "#555555",
    "productive": "#1b9e77",
    "financial": "#d95f02",
    "social": "#7570b3",
    "productive_financial": "#66a61e",
    "productive_social": "#e7298a",
    "financial_social": "#e6ab02",
    "full_cdr": "#1f3a93",
    "joint_plan": "#0b6e4f",
    "cash": "#a6761d",
    "livestock": "#8c564b",
    "cash_plus_livestock": "#d62728",
}
_EXTRA = ["#17becf", "#bcbd22", "#9467bd", "#ff7f0e", "#2ca02c", "#e377c2"]
PROGRAMME_SHADE = "#fbe3b0"
"""Programme period: a warm tint, unlike the grey of the no-programme baseline."""
SHOCK_COLOUR = "#b2182b"
SHOCK_COLOURS: dict[str, str] = {
    "drought": "#b2182b",
    "dry_spell": "#ef8a62",
    "flood": "#2166ac",
    "price_spike": "#8c510a",
    "livestock_disease": "#1b9e77",
    "human_disease": "#7570b3",
    "insecurity": "#404040",
}


def package_colour(package: str, order: list[str] | None = None) -> str:
    """The package's colour: fixed for known packages, else from a palette by position."""
    if package in PACKAGE_COLOURS:
        return PACKAGE_COLOURS[package]
    i = order.index(package) if order and package in order else zlib.crc32(package.encode())
    return _EXTRA[i % len(_EXTRA)]


def translator(lang: str | Translator, **context: Any) -> Translator:
    """A :class:`Translator` for ``lang`` (passed through if it already is one)."""
    if isinstance(lang, Translator):
        return lang
    return Translator(lang, **{**default_context(), **context})


def default_context() -> dict[str, Any]:
    """Placeholders of labels from the default configuration (years after exit)."""
    import yaml

    from sim.compose import conf_dir

    path = conf_dir() / "indicators" / "default.yaml"
    data = yaml.safe_load(path.read_text()) if path.is_file() else {}
    return {"years": data.get("years_after_exit", 3)}


def new_figure(width: float, height: float) -> Figure:
    """A figure with constrained layout (titles and labels never overlap or clip)."""
    return Figure(figsize=(width, height), layout="constrained")


def wrap(text: str, width: int = 30) -> str:
    """``text`` broken into lines of at most ``width`` characters."""
    return "\n".join(textwrap.wrap(text, width)) or text


def dates(frame: pd.DataFrame) -> pd.Series:
    """Mid-month dates of rows with ``year`` and ``calendar_month``."""
    return pd.to_datetime({"year": frame["year"], "month": frame["calendar_month"], "day": 15})


def month_dates(start_year: int, start_month: int, months: int) -> pd.DatetimeIndex:
    """Mid-month dates of month indices ``0 … months-1`` from a start year and month."""
    first = pd.Timestamp(year=start_year, month=start_month, day=15)
    return pd.DatetimeIndex([first + pd.DateOffset(months=i) for i in range(months)])


def calendar_axis(ax, t: Translator) -> None:
    """Years on the x axis (numbers only: the same in every language), labelled."""
    ax.xaxis.set_major_locator(YearLocator())
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(AutoDateLocator(minticks=3, maxticks=40))
    ax.set_xlabel(t("figure.year"))


def number_axis(axis, t: Translator, *, percent: bool = False) -> None:
    """Ticks of a numeric ``axis`` (``ax.xaxis``/``ax.yaxis``) with the language's separators."""
    axis.set_major_formatter(percent_formatter(t.lang) if percent else tick_formatter(t.lang))


def save(fig: Figure, path: str | Path, *, dpi: int = 110) -> None:
    """Write ``fig`` as a PNG."""
    fig.savefig(path, dpi=dpi, format="png")


def png_bytes(fig: Figure, *, dpi: int = 100) -> bytes:
    """``fig`` as PNG bytes (for embedding)."""
    buf = io.BytesIO()
    fig.savefig(buf, dpi=dpi, format="png")
    return buf.getvalue()


def texts(fig: Figure) -> list[str]:
    """Every piece of text a figure shows: titles, labels, ticks, legends, annotations."""
    from matplotlib.text import Text

    fig.draw_without_rendering()  # lays out the ticks
    return [a.get_text() for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
