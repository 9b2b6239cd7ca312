"""A self-contained HTML report of a comparison, wholly in one language (English or French).

:func:`build_report` reads a comparison's folder (``comparison.csv``, ``runs.parquet``,
``series.parquet``, ``shocks.parquet``, ``summary.json``, and ``synergy.csv`` when present)
and writes ``report.<lang>.html``: first the answers ("In brief": per question, which package
does best, by how much, how sure, at what cost, with what the validation says about it), then
the numbers, then how far to trust them (the validation table's result and its failing
patterns that bear on the comparison), the figures (embedded, so the file opens offline) and
how to reproduce it. Every word comes from the translation tables (:mod:`sim.i18n`), numbers
follow the language's rules, and the page is rendered by a Jinja2 template with autoescape.
"""

from __future__ import annotations

import base64
import contextlib
import gc
import math
from collections.abc import Callable, Iterator
from concurrent.futures import BrokenExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from markupsafe import Markup

from sim import plots
from sim.analysis.outcomes import QUESTIONS, present
from sim.i18n import LANGS, Translator
from sim.report import trust
from sim.report.brief import Answer, answers
from sim.report.figures import report_figures
from sim.report.pages import ENV
from sim.report.view import ComparisonView

if TYPE_CHECKING:
    from sim.analysis.executor import ProcessExecutor

CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;max-width:1000px;margin:2em auto;padding:0 1em;color:#222;line-height:1.45}
h1{font-size:1.6em;margin-bottom:.2em}h2{border-bottom:1px solid #ddd;padding-bottom:.2em;margin-top:1.6em}
.sub{color:#555;margin-top:0}table{border-collapse:collapse;width:100%;font-size:.92em}
th,td{border:1px solid #ddd;padding:.35em .5em;text-align:right;vertical-align:top}th[scope=row],thead th:first-child{text-align:left}
thead th{background:#f4f4f4}tr.question th{background:#fafafa;text-align:left;font-size:1.02em}
small{color:#555}small code{font-size:.85em;color:#777}.note{color:#555;font-size:.85em}figure{margin:1.2em 0}
figure img{max-width:100%;height:auto;border:1px solid #eee}figcaption{color:#444;font-size:.9em}
dl.brief dt{font-weight:600;margin-top:.8em}dl.brief dd{margin-left:1.2em}dl.brief p{margin:.2em 0}
.trustline{color:#7a4b00;font-size:.92em}
.caveat{background:#fff8e6;border-left:4px solid #e6ab02;padding:.6em .9em}code{background:#f4f4f4;padding:0 .25em}
"""


def report_name(lang: str) -> str:
    """File name of the report in ``lang``: ``report.<lang>.html``."""
    return f"report.{lang}.html"


def languages(setting: str) -> tuple[str, ...]:
    """The languages ``report.lang`` names: ``both`` (every language), ``en`` or ``fr``."""
    if setting == "both":
        return LANGS
    if setting not in LANGS:
        raise ValueError(f"report.lang = {setting!r}: unknown (allowed: both, {', '.join(LANGS)})")
    return (setting,)


def _table(view: ComparisonView, t: Translator) -> dict[str, Any]:
    packages = [{"id": p, "name": t.package(p)} for p in view.packages]
    groups = []
    outcomes = [o for o in present(view.table["outcome"]) if o.name in view.valued]
    for question in QUESTIONS:
        rows = []
        for o in (x for x in outcomes if x.question == question):
            cells = []
            for p in view.packages:
                r = view.row(p, o.name)
                if r is None or pd.isna(r["mean"]):
                    cells.append({"value": "–", "diff": ""})
                    continue
                value = t.value(float(r["mean"]), o.unit)
                diff = ""
                if p != view.baseline and pd.notna(r["diff"]) and o.better != "neither":
                    lo, hi = float(r["diff_low"]), float(r["diff_high"])
                    fixed = math.isclose(lo, hi, rel_tol=1e-3, abs_tol=1e-12)
                    if o.question != "cost" and not fixed:
                        interval = t(
                            "report.interval",
                            low=t.difference(lo, o.unit, bare=True),
                            high=t.difference(hi, o.unit, bare=True),
                        )
                        diff = f"{t.difference(float(r['diff']), o.unit)} {interval}"
                cells.append({"value": value, "diff": diff})
            rows.append({"id": o.name, "name": t.outcome(o.name), "cells": cells})
        if rows:
            groups.append({"label": t(f"question.{question}"), "rows": rows})
    note = t("report.table_note", baseline=t.package(view.baseline))
    return {"packages": packages, "groups": groups, "note": note}


def _validation(validation: trust.ValidationResult | None, t: Translator) -> dict[str, Any] | None:
    if validation is None:
        return None
    failing = [
        {
            "title": trust.title(p, t),
            "question": t(f"question.{p.question}"),
            "how": trust.how_it_fails(p, t),
        }
        for p in validation.failing()
    ]
    others = len(validation.failing_other())
    return {
        "result": t(
            "report.validation_result",
            passed=validation.passed,
            total=validation.total,
            source=validation.source,
        ),
        "failing": failing,
        "other": (
            t("report.failing_other_one" if others == 1 else "report.failing_other", count=others)
            if others
            else ""
        ),
    }


def _scenario(view: ComparisonView, t: Translator) -> list[Any]:
    s = view.setting
    prov = view.summary.get("provenance", {})
    version = (prov.get("versions") or {}).get("resim") or "?"
    return [
        t(
            "report.scenario_packages",
            packages=t.join([t.package(p) for p in view.others]) or t.package(view.baseline),
            baseline=t.package(view.baseline),
        ),
        t("report.scenario_replicates", replicates=view.replicates, seed=view.summary["seed"]),
        t(
            "report.scenario_population",
            households=t.number(s.get("households"), 0),
            years=s.get("years", "?"),
            start=s.get("start_year", "?"),
            regime=t.name("regime", s.get("shock_regime", "?")),
        ),
        t.markup(
            "report.scenario_version",
            version=Markup("<code>{}</code>").format(version),
            revision=Markup("<code>{}</code>").format(prov.get("git_revision") or "?"),
        ),
    ]


def render(
    view: ComparisonView,
    lang: str,
    *,
    validation: trust.ValidationResult | None = None,
    studies: tuple[str, ...] = (),
) -> str:
    """The report's HTML in ``lang``.

    ``studies``: sensitivity or discovery folders, each shown in a section of its own
    (:func:`sim.report.studies.study_section`).
    """
    t = view.translator(lang)
    s = view.setting
    prov = view.summary.get("provenance", {})
    version = (prov.get("versions") or {}).get("resim") or "?"
    overrides = " ".join(view.summary.get("experiment", {}).get("overrides", []))
    figures = [
        {"caption": caption, "png": base64.b64encode(plots.png_bytes(fig)).decode()}
        for caption, fig in report_figures(view, t)
    ]
    return ENV.get_template("report.html.j2").render(
        lang=lang,
        t=t,
        css=CSS,
        title=t("report.title"),
        subtitle=t(
            "report.subtitle",
            households=t.number(s.get("households"), 0),
            years=s.get("years", "?"),
            start=s.get("start_year", "?"),
            regime=t.name("regime", s.get("shock_regime", "?")),
        ),
        answers=answers(view, t, validation),
        table=_table(view, t),
        validation=_validation(validation, t),
        figures=figures,
        scenario=_scenario(view, t),
        command=f"resim task=compare {overrides}".strip(),
        version=Markup("<code>{}</code>").format(version),
        studies=[Markup(_study_section(folder, t)) for folder in studies],
    )


def _study_section(folder: str, t: Translator) -> str:
    from sim.report.studies import study_section  # redraws the study's figures in t's language

    return study_section(folder, t)


def build_report(
    folder: str | Path,
    *,
    lang: str = "en",
    output: str | Path | None = None,
    validation: str | Path | None = None,
    studies: tuple[str, ...] = (),
) -> Path:
    """Write ``report.<lang>.html`` for the comparison in ``folder``; return its path.

    Parameters
    ----------
    folder
        A finished comparison folder.
    lang
        ``en`` or ``fr``.
    output
        Folder to write the report to (default: ``folder``).
    validation
        The validation table to read (default: the committed ``docs/validation.md``, or the
        ``validation.csv`` beside it).
    studies
        Sensitivity or discovery folders whose results get a section each.
    """
    if lang not in LANGS:
        raise ValueError(f"report.lang = {lang!r}: unknown (allowed: {', '.join(LANGS)})")
    view = ComparisonView.read(folder)
    return _write(view, lang, output, trust.load(validation), tuple(studies))


def build_reports(
    folder: str | Path,
    *,
    lang: str = "both",
    output: str | Path | None = None,
    studies: tuple[str, ...] = (),
    workers: ProcessExecutor | None = None,
) -> list[Path]:
    """Write the report in every language ``lang`` names (``both``, ``en`` or ``fr``).

    The comparison's tables and the validation table are read once for every language.
    With ``workers`` (local worker processes, ended here), the reports after the first are
    drawn on a worker while this process draws the first: the same pages, in about half the
    time.
    """
    codes = languages(lang)
    view = ComparisonView.read(folder)
    validation = trust.load()

    def draw(code: str) -> str:
        return _rendered(view, code, validation, studies)

    if workers is None or len(codes) == 1:
        docs = [draw(code) for code in codes]
    else:
        try:
            docs = _drawn_beside(workers, view, codes, studies, draw)
        except BaseException:  # interrupted or failed: nothing written, the worker ended now
            workers.close(abort=True)
            raise
    if workers is not None:
        workers.close()
    return [_save(view, code, output, doc) for code, doc in zip(codes, docs, strict=True)]


def _drawn_beside(
    workers: ProcessExecutor,
    view: ComparisonView,
    codes: tuple[str, ...],
    studies: tuple[str, ...],
    draw: Callable[[str], str],
) -> list[str]:
    """The first page drawn here while a worker draws the others (here too if it is gone)."""
    later = None
    with contextlib.suppress(BrokenExecutor):  # the worker was gone (killed, out of memory)
        later = workers.submit(
            render_from, str(Path(view.folder).resolve()), codes[1:], _resolved(studies)
        )
    first = draw(codes[0])
    if later is not None:
        with contextlib.suppress(BrokenExecutor):
            return [first, *later.result()]
    return [first, *(draw(code) for code in codes[1:])]


def _resolved(folders: tuple[str, ...]) -> tuple[str, ...]:
    """``folders`` as absolute paths (for a process that may have another working folder)."""
    return tuple(str(Path(f).resolve()) for f in folders)


def render_from(folder: str, codes: tuple[str, ...], studies: tuple[str, ...]) -> list[str]:
    """The reports' HTML in each of ``codes`` for the comparison in ``folder``.

    Run on a worker: it returns the pages and the caller writes them, so a worker ended
    midway leaves no file.
    """
    view = ComparisonView.read(folder)
    validation = trust.load()
    return [_rendered(view, code, validation, studies) for code in codes]


def _write(
    view: ComparisonView,
    lang: str,
    output: str | Path | None,
    validation: trust.ValidationResult | None,
    studies: tuple[str, ...],
) -> Path:
    """Render the report in ``lang`` and write it to ``output`` (default: the view's folder)."""
    return _save(view, lang, output, _rendered(view, lang, validation, studies))


def _rendered(
    view: ComparisonView,
    lang: str,
    validation: trust.ValidationResult | None,
    studies: tuple[str, ...],
) -> str:
    """The report's HTML in ``lang``."""
    with _existing_objects_set_aside():
        return render(view, lang, validation=validation, studies=studies)


def _save(view: ComparisonView, lang: str, output: str | Path | None, doc: str) -> Path:
    """Write ``doc``, the report in ``lang``, to ``output`` (default: the view's folder)."""
    from sim.io import atomic_write

    out = Path(output) if output is not None else view.folder
    out.mkdir(parents=True, exist_ok=True)
    path = out / report_name(lang)
    atomic_write(path, lambda p: Path(p).write_text(doc, encoding="utf-8"))
    return path


@contextmanager
def _existing_objects_set_aside() -> Iterator[None]:
    """Keep the objects the process already holds out of the garbage collector's passes.

    Drawing figures makes many short-lived reference cycles, and each full pass of the
    collector would walk every module and table of the process as well. ``gc.freeze``
    sets those aside (they are not examined, nothing is freed or lost) until
    ``gc.unfreeze``; a process that froze objects of its own is left as it is.
    """
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def headline_lines(folder: str | Path, lang: str = "en") -> list[str]:
    """The answers in a few plain lines, for the terminal (one per question answered)."""
    view = ComparisonView.read(folder)
    t = view.translator(lang)
    found: list[Answer] = answers(view, t, None)
    return [
        t("terminal.headline", question=t(f"question.{a.question}"), sentence=a.terminal)
        for a in found
        if a.terminal
    ]


__all__ = [
    "build_report",
    "build_reports",
    "headline_lines",
    "languages",
    "render",
    "report_name",
]
