"""What every figure shares: colours, calendar axes, wrapped labels, locale ticks, output.

Figures are built on :class:`matplotlib.figure.Figure` directly, never through pyplot's
global state, so plotting selects no backend: a notebook shows them inline, a script saves
them, and nothing opens a window.
"""

from __future__ import annotations

import io
import textwrap
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import Any, TypeGuard

import pandas as pd
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, DateFormatter, YearLocator
from matplotlib.figure import Figure
from matplotlib.image import imsave
from matplotlib.layout_engine import LayoutEngine
from matplotlib.legend import Legend

from sim.i18n import Translator, load_yaml, percent_formatter, tick_formatter

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
    return {"years": _default_years_after_exit()}


@cache
def _default_years_after_exit() -> int:
    from sim.schema import conf_dir

    path = conf_dir() / "indicators" / "default.yaml"
    data = load_yaml(path.read_text()) if path.is_file() else {}
    return data.get("years_after_exit", 3)


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


class _Remembered:
    """Tick locations computed once per view interval (a figure asks for them many times).

    Mixed into a date locator, whose ticks depend on the axis' view interval alone.
    """

    axis: Any
    _last: tuple[tuple[float, ...], Any] | None = None

    def __call__(self) -> Any:
        view = tuple(self.axis.get_view_interval())
        if self._last is None or self._last[0] != view:
            self._last = (view, super().__call__())  # type: ignore[misc]
        return self._last[1]


class _YearTicks(_Remembered, YearLocator):
    """Every 1 January."""


class _CalendarTicks(_Remembered, AutoDateLocator):
    """Ticks at a calendar step that suits the horizon."""


def calendar_axis(ax, t: Translator) -> None:
    """Years on the x axis (numbers only: the same in every language), labelled."""
    ax.xaxis.set_major_locator(_YearTicks())
    ax.xaxis.set_major_formatter(DateFormatter("%Y"))
    ax.xaxis.set_minor_locator(_CalendarTicks(minticks=3, maxticks=40))
    ax.set_xlabel(t("figure.year"))


def number_axis(axis, t: Translator, *, percent: bool = False) -> None:
    """Ticks of a numeric ``axis`` (``ax.xaxis``/``ax.yaxis``) with the language's separators."""
    axis.set_major_formatter(percent_formatter(t.lang) if percent else tick_formatter(t.lang))


PNG_COMPRESS_LEVEL = 3
"""zlib level of the PNG files: half the time of Pillow's default (6), 5 % larger."""


def save(fig: Figure, path: str | Path, *, dpi: int = 110) -> None:
    """Write ``fig`` as a PNG."""
    Path(path).write_bytes(png_bytes(fig, dpi=dpi))


def png_bytes(fig: Figure, *, dpi: int = 100) -> bytes:
    """``fig`` as PNG bytes (for embedding), drawn at ``dpi``.

    The same pixels as ``fig.savefig(..., format="png")``, but the figure is laid out and
    drawn once (``savefig`` lays it out in a draw of its own first), and compressed faster.
    """
    buf = io.BytesIO()
    with _agg_canvas(fig, dpi) as canvas:
        with _laid_out(fig, canvas.get_renderer()):
            canvas.draw()
        imsave(
            buf,
            canvas.buffer_rgba(),
            format="png",
            dpi=dpi,
            pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL},
        )
    return buf.getvalue()


@contextmanager
def _agg_canvas(fig: Figure, dpi: float) -> Iterator[FigureCanvasAgg]:
    """An Agg canvas drawing ``fig`` at ``dpi``; the figure's own canvas and dpi come back after."""
    canvas, own_dpi = fig.canvas, fig.dpi
    agg = FigureCanvasAgg(fig)
    fig.set_dpi(dpi)
    try:
        yield agg
    finally:
        fig.set_canvas(canvas)
        fig.set_dpi(own_dpi)


@contextmanager
def _laid_out(fig: Figure, renderer: Any) -> Iterator[None]:
    """``fig`` laid out by its layout engine once, and kept so while drawing.

    A legend at the ``best`` place is fixed where matplotlib finds it best for the axes as
    laid out, so that the search for that place runs once instead of at every measure and
    draw; it is put back to ``best`` afterwards.
    """
    engine = fig.get_layout_engine()
    if engine is None:
        yield
        return
    best = [legend for ax in fig.axes if _is_best(legend := ax.get_legend())]
    _lay_out(fig, engine, best, renderer)
    for legend in best:
        box = legend.get_window_extent(renderer).transformed(legend.axes.transAxes.inverted())
        legend.set_loc((box.x0, box.y0))
    fig.set_layout_engine("none")
    try:
        yield
    finally:
        fig.set_layout_engine(engine)
        for legend in best:
            legend.set_loc("best")


def _lay_out(fig: Figure, engine: LayoutEngine, legends: list[Legend], renderer: Any) -> None:
    """Run the layout engine, ``legends`` left out of its measures when they are small.

    A legend well inside its axes moves no margin, and leaving it out saves looking for its
    best place at every measure. When one takes more than half its axes' width or height
    (it might stick out while the layout settles), the axes go back where they were and
    the figure is laid out again with it, as ``savefig`` does.
    """
    start = [(ax, ax.get_position(original=True), ax.get_position()) for ax in fig.axes]
    laid = [ax.get_in_layout() for ax in fig.axes]
    for legend in legends:
        legend.set_in_layout(False)
    engine.execute(fig)
    for legend in legends:
        legend.set_in_layout(True)
    if all(_small(legend, renderer) for legend in legends):
        return
    for (ax, original, active), in_layout in zip(start, laid, strict=True):
        ax.set_position(original, which="original")
        ax.set_position(active, which="active")
        ax.set_in_layout(in_layout)  # set_position takes the axes out of the layout
    engine.execute(fig)


def _small(legend: Legend, renderer: Any) -> bool:
    """Whether ``legend`` lies inside its axes and takes at most half their width and height."""
    box, frame = legend.get_window_extent(renderer), legend.axes.get_window_extent(renderer)
    inside = frame.x0 <= box.x0 and box.x1 <= frame.x1 and frame.y0 <= box.y0 and box.y1 <= frame.y1
    return inside and box.width <= frame.width / 2 and box.height <= frame.height / 2


def _is_best(legend: Legend | None) -> TypeGuard[Legend]:
    """Whether an axes' legend is placed at the ``best`` place (loc code 0).

    Matplotlib has a setter of the place but no getter: its ``_loc`` is read.
    """
    return legend is not None and getattr(legend, "_loc", None) == 0


def texts(fig: Figure) -> list[str]:
    """Every piece of text a figure shows: titles, labels, ticks, legends, annotations."""
    from matplotlib.text import Text

    fig.draw_without_rendering()  # lays out the ticks
    return [a.get_text() for a in fig.findobj(Text) if a.get_visible() and a.get_text().strip()]
