"""The Jinja2 environment of the report's pages.

Templates live in ``sim/report/templates``; every value they insert is escaped.
"""

from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

ENV = Environment(
    loader=PackageLoader("sim.report", "templates"),
    autoescape=select_autoescape(["html", "j2"], default_for_string=True),
    trim_blocks=True,
    lstrip_blocks=True,
)
"""Loads the report's templates; every value they insert is escaped."""
