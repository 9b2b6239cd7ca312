"""Words and numbers in the reader's language: one catalogue per language, locale formatting.

Every string the report, its figures, the dashboard and the terminal summary show comes from
``sim/i18n/<lang>.yaml`` (``en``, ``fr``); both catalogues have the same keys. A
:class:`Translator` looks keys up (``t("report.title")``), names things
(``t.package("full_cdr")``, ``t.outcome("gam_mean")``) and formats numbers by the language's
rules: English ``1,234.5`` and ``95%``; French ``1 234,5`` and ``95 %`` (narrow no-break
space for thousands and before ``%``, decimal comma).
"""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Any

import yaml

LANGS: tuple[str, ...] = ("en", "fr")
"""Languages with a catalogue."""

NNBSP = "\u202f"
"""Narrow no-break space: French thousands separator and space before %."""

MINUS = "\u2212"

_SEPARATORS = {"en": (",", "."), "fr": (NNBSP, ",")}
_PERCENT = {"en": "{}%", "fr": "{}" + NNBSP + "%"}


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, f"{path}."))
        else:
            out[path] = "" if value is None else str(value)
    return out


_SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML was built with it (ten times faster), else PyYAML's."""


def load_yaml(text: str) -> Any:
    """``text`` read as YAML with the safe loader (plain data only)."""
    return yaml.load(text, Loader=_SAFE_LOADER)


@cache
def catalogue(lang: str) -> dict[str, str]:
    """The flattened catalogue of ``lang``: dotted key → text (read once per process)."""
    if lang not in LANGS:
        raise ValueError(f"lang = {lang!r}: unknown (allowed: {', '.join(LANGS)})")
    path = Path(__file__).with_name(f"{lang}.yaml")
    return _flatten(load_yaml(path.read_text(encoding="utf-8")))


def round_sig(x: float, sig: int = 3) -> float:
    """``x`` rounded to ``sig`` significant figures."""
    if x == 0 or not math.isfinite(x):
        return x
    return round(x, sig - 1 - int(math.floor(math.log10(abs(x)))))


class Translator:
    """Look-ups and number formatting in one language.

    Parameters
    ----------
    lang
        One of :data:`LANGS`.
    context
        Values for placeholders that labels may hold (``years`` after exit, …).
    """

    def __init__(self, lang: str, **context: Any) -> None:
        self.lang = lang
        self.text = catalogue(lang)
        self.context = context

    # ------------------------------------------------------------------ words

    def __call__(self, key: str, **values: Any) -> str:
        """The text of ``key`` with its placeholders filled."""
        try:
            text = self.text[key]
        except KeyError:
            raise KeyError(f"no translation for {key!r} in {self.lang}.yaml") from None
        return text.format(**{**self.context, **values}) if "{" in text else text

    def markup(self, key: str, **values: Any):
        """The text of ``key`` as HTML markup, its placeholders filled with escaped values.

        Only the catalogue's own text is markup (``<b>``); every value is escaped.
        """
        from markupsafe import Markup

        if key not in self.text:
            raise KeyError(f"no translation for {key!r} in {self.lang}.yaml")
        return Markup(self.text[key]).format(**{**self.context, **values})

    def has(self, key: str) -> bool:
        """Whether the catalogue has ``key``."""
        return key in self.text

    def name(self, kind: str, ident: str) -> str:
        """Human name of ``ident`` of a ``kind`` (``package``, ``shock``, …), else the id."""
        key = f"{kind}.{ident}"
        return self(key) if key in self.text else str(ident)

    def package(self, name: str) -> str:
        """Human name of a package (its id if the catalogue does not know it)."""
        return self.name("package", name)

    def outcome(self, name: str, form: str = "name") -> str:
        """Label of an outcome: ``form`` ``name`` for sentences, ``axis`` for figure axes."""
        return (
            self.name("outcome", f"{name}.{form}") if self.has(f"outcome.{name}.{form}") else name
        )

    def unit(self, unit: str, shown: str | None = None) -> str:
        """The unit's symbol or word, in the singular where the number ``shown`` calls for it.

        English takes the singular for exactly one (``1 month``, but ``1.0 months``), French
        for less than two in magnitude (``0,5 point``, ``1,5 mois``).
        """
        if shown is not None and self.has(f"unit_one.{unit}"):
            group, decimal = _SEPARATORS[self.lang]
            plain = shown.replace(MINUS, "").replace("+", "").replace(group, "")
            try:
                x = float(plain.replace(decimal, "."))
            except ValueError:
                x = math.nan
            one = abs(x) < 2 if self.lang == "fr" else plain == "1"
            if one:
                return self(f"unit_one.{unit}")
        return self(f"unit.{unit}")

    # ---------------------------------------------------------------- numbers

    def number(self, x: float | None, digits: int | None = None, *, sign: bool = False) -> str:
        """``x`` with the language's separators; ``digits`` decimals (by default: 3 figures)."""
        if x is None or not math.isfinite(x):
            return "–"
        if digits is None:
            digits = auto_digits(x)
        value = round(x, digits)
        if value == 0:
            value = 0.0  # no "-0"
        text = f"{abs(value):,.{digits}f}"
        group, decimal = _SEPARATORS[self.lang]
        text = text.replace(",", "\x00").replace(".", decimal).replace("\x00", group)
        if value < 0:
            return MINUS + text
        return ("+" + text) if sign and value > 0 else text

    def percent(self, share: float | None, digits: int | None = None, *, sign: bool = False) -> str:
        """A share in [0, 1] as a percentage: ``9.3%`` / ``9,3 %``."""
        if share is None or not math.isfinite(share):
            return "–"
        pct = 100 * share
        if digits is None:
            digits = 0 if abs(pct) >= 10 or pct == 0 else 1
        return _PERCENT[self.lang].format(self.number(pct, digits, sign=sign))

    def money(self, fcfa: float | None, *, unit: str = "fcfa", sign: bool = False) -> str:
        """An amount rounded to 3 significant figures, with its currency."""
        if fcfa is None or not math.isfinite(fcfa):
            return "–"
        value = round_sig(fcfa, 3)
        return f"{self.number(value, 0 if abs(value) >= 100 else auto_digits(value), sign=sign)}{NNBSP}{self.unit(unit)}"

    def value(self, x: float | None, unit: str, *, sign: bool = False) -> str:
        """``x`` in ``unit`` as a reader reads it (shares as %, money rounded, unit attached)."""
        if unit == "share":
            return self.percent(x, sign=sign)
        if unit in ("fcfa", "fcfa_per_day"):
            return self.money(x, unit=unit, sign=sign)
        text = self.number(x, 0 if unit == "households" else None, sign=sign)  # counted
        symbol = self.unit(unit, text)
        return f"{text}{NNBSP}{symbol}" if symbol and text != "–" else text

    def difference(self, d: float | None, unit: str, *, bare: bool = False) -> str:
        """A signed difference in ``unit``: shares in percentage points.

        ``bare`` leaves the unit out (for the ends of an interval next to its difference).
        """
        if d is None or not math.isfinite(d):
            return "–"
        if unit == "share":
            text = self.number(100 * d, auto_digits(100 * d), sign=True)
            return text if bare else f"{text}{NNBSP}{self.unit('share_diff', text)}"
        if bare:
            value = round_sig(d, 3) if unit in ("fcfa", "fcfa_per_day") else d
            return self.number(value, 0 if abs(value) >= 100 else None, sign=True)
        return self.value(d, unit, sign=True)

    def join(self, items: list[str]) -> str:
        """``a, b and c`` / ``a, b et c``."""
        if len(items) <= 1:
            return "".join(items)
        return f"{', '.join(items[:-1])} {self('report.and')} {items[-1]}"


def auto_digits(x: float) -> int:
    """Decimals a reader needs: none from 100, one from 1, two significant figures below 1."""
    ax = abs(x)
    if ax >= 100 or ax == 0:
        digits = 0
    elif ax >= 1:
        digits = 1
    else:
        digits = min(1 - int(math.floor(math.log10(ax))), 4)
    rounded = round(ax, digits)
    # rounding up to the next magnitude (0.998 → 1.00, 99.96 → 100.0): that magnitude's rule
    return min(digits, auto_digits(rounded)) if 0 < rounded != ax else digits


def tick_formatter(lang: str):
    """A matplotlib tick formatter writing numbers with ``lang``'s separators."""
    from matplotlib.ticker import FuncFormatter

    t = Translator(lang)

    def fmt(x: float, _pos: int | None = None) -> str:
        return t.number(x, _tick_digits(x))

    return FuncFormatter(fmt)


def _tick_digits(x: float) -> int:
    """The fewest decimals (at most 4) that write the tick value ``x`` exactly."""
    for digits in range(5):
        if abs(round(x, digits) - x) < 1e-9 * max(1.0, abs(x)):
            return digits
    return 4


def percent_formatter(lang: str):
    """A tick formatter writing shares in [0, 1] as percentages in ``lang``."""
    from matplotlib.ticker import FuncFormatter

    t = Translator(lang)

    def fmt(x: float, _pos: int | None = None) -> str:
        pct = 100 * x
        return t.number(pct, _tick_digits(pct))

    return FuncFormatter(fmt)


__all__ = [
    "LANGS",
    "Translator",
    "catalogue",
    "load_yaml",
    "percent_formatter",
    "round_sig",
    "tick_formatter",
]
