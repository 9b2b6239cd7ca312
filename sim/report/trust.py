"""How far to trust a comparison: the validation table's result, read from its outputs.

The validation writes a table of patterns (target, model value, pass or fail). This module
reads it from the validation's own outputs, never from its code: ``validation.csv`` (one row
per pattern: ``pattern``, ``title``, ``result``, ``mean``, ``low``, ``high``, ``target_low``,
``target_high``) when there is one beside the committed table, else the committed Markdown
table ``docs/validation.md`` (its result line, its rows and the identifiers of its failing
patterns).

A pattern *bears on* a question of the report (food, nutrition, assets, cost) when its
identifier names what the question is about (:func:`question_of`); patterns on prices,
markets and the programme's design figures bear on none.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from sim.i18n import Translator, load_yaml

_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("cost", ("cost", "benefit", "bcr")),
    ("nutrition", ("gam", "hdds", "nutrition", "whz", "wasting", "diet")),
    ("assets", ("asset", "herd", "flock", "livestock", "savings", "backslid", "escape", "tlu")),
    ("food", ("consumption", "food", "kcal", "mahfp", "coping", "production", "shortfall")),
)
_NOT_ABOUT_EFFECTS = ("price", "tot_", "market", "programme_", "group_size", "field_schools")
_NOT_ABOUT_EFFECTS_EXACT = ("own_production", "better_off_net_sellers", "stock_exhaustion")


def question_of(pattern: str) -> str | None:
    """The report question a validation pattern bears on (None: prices, design, other)."""
    if pattern.startswith(_NOT_ABOUT_EFFECTS) or pattern in _NOT_ABOUT_EFFECTS_EXACT:
        return None
    for question, words in _RULES:
        if any(w in pattern for w in words):
            return question
    return None


@dataclass(frozen=True)
class Pattern:
    """One validation pattern's result."""

    id: str
    title: str
    passed: bool
    mean: float = math.nan
    low: float = math.nan
    high: float = math.nan
    target_low: float = math.nan
    target_high: float = math.nan

    @property
    def question(self) -> str | None:
        """The report question it bears on."""
        return question_of(self.id)


@dataclass(frozen=True)
class ValidationResult:
    """The validation table: every pattern and where it was read from."""

    patterns: tuple[Pattern, ...]
    source: str

    @property
    def passed(self) -> int:
        """Patterns that pass."""
        return sum(p.passed for p in self.patterns)

    @property
    def total(self) -> int:
        """Patterns in the table."""
        return len(self.patterns)

    def on(self, question: str) -> list[Pattern]:
        """The patterns bearing on ``question``."""
        return [p for p in self.patterns if p.question == question]

    def failing(self) -> list[Pattern]:
        """Failing patterns that bear on one of the report's questions."""
        return [p for p in self.patterns if not p.passed and p.question is not None]

    def failing_other(self) -> list[Pattern]:
        """Failing patterns that bear on none."""
        return [p for p in self.patterns if not p.passed and p.question is None]


def default_table() -> Path:
    """The committed validation table of the source tree (``docs/validation.md``)."""
    return Path(__file__).resolve().parents[2] / "docs" / "validation.md"


def load(path: str | Path | None = None) -> ValidationResult | None:
    """Read the validation table at ``path`` (``.csv`` or ``.md``; default: the committed one).

    A ``validation.csv`` beside a Markdown table is preferred to it. Returns None when no
    table is found.
    """
    path = Path(path) if path is not None else default_table()
    csv = path if path.suffix == ".csv" else path.with_suffix(".csv")
    if csv.is_file():
        return _from_csv(csv)
    if path.suffix == ".md" and path.is_file():
        return _from_markdown(path)
    return None


def _float(x) -> float:
    try:
        return float(x)
    except (TypeError, ValueError):
        return math.nan


def _from_csv(path: Path) -> ValidationResult:
    rows = pd.read_csv(path)
    patterns = tuple(
        Pattern(
            id=str(r["pattern"]),
            title=str(r.get("title", r["pattern"])),
            passed=str(r["result"]).strip().lower() == "pass",
            mean=_float(r.get("mean")),
            low=_float(r.get("low")),
            high=_float(r.get("high")),
            target_low=_float(r.get("target_low")),
            target_high=_float(r.get("target_high")),
        )
        for _, r in rows.iterrows()
    )
    return ValidationResult(patterns, _display(path))


_ROW = re.compile(r"^\|\s*(\d+)\s*\|\s*(.+?)\s*\|.*\|\s*\*\*(pass|fail)\*\*\s*\|\s*$")
_FAILING = re.compile(r"^- \*\*(.+?)\*\* \(`([A-Za-z0-9_]+)`\)")
_RESULT = re.compile(r"Result: (\d+) of (\d+) patterns pass")


def _from_markdown(path: Path) -> ValidationResult | None:
    text = path.read_text(encoding="utf-8")
    rows = [m.groups() for line in text.splitlines() if (m := _ROW.match(line))]
    ids = {m[1]: m[2] for line in text.splitlines() if (m := _FAILING.match(line))}
    if not rows:
        return None
    names = _target_names()
    patterns = []
    for i, (_, title, result) in enumerate(rows):
        ident = ids.get(title) or (names[i] if len(names) == len(rows) else f"row_{i + 1}")
        patterns.append(Pattern(ident, title, result == "pass"))
    return ValidationResult(tuple(patterns), _display(path))


def _target_names() -> list[str]:
    """Pattern identifiers in the order of the validation settings (the table's order)."""
    from sim.schema import conf_dir

    path = conf_dir() / "validate" / "default.yaml"
    if not path.is_file():
        return []
    data = load_yaml(path.read_text()) or {}
    return [t["name"] for t in data.get("targets", []) if isinstance(t, dict) and "name" in t]


def _display(path: Path) -> str:
    root = Path(__file__).resolve().parents[2]
    try:
        return str(path.resolve().relative_to(root))
    except ValueError:
        return str(path)


def title(pattern: Pattern, t: Translator) -> str:
    """The pattern's title in ``t``'s language (a generic name when not translated)."""
    key = f"pattern.{pattern.id}"
    return t(key) if t.has(key) else t("report.pattern_unnamed", id=pattern.id)


def how_it_fails(pattern: Pattern, t: Translator) -> str:
    """In words: how far the model is from the target."""
    m, lo, hi = pattern.mean, pattern.target_low, pattern.target_high
    if not math.isfinite(m):
        return t("report.fail_plain")
    value = t.number(m)
    if math.isfinite(lo) and math.isfinite(hi) and lo != hi:
        low, high = t.number(lo), t.number(hi)
        if m > hi > 0:
            ratio = t.number(m / hi, 1)
            return t("report.fail_above", value=value, ratio=ratio, low=low, high=high)
        if m < lo:
            return t("report.fail_below", value=value, low=low, high=high)
        if m > hi:
            return t("report.fail_outside", value=value, low=low, high=high)
    return t("report.fail_direction")
