"""Parameter sources: every number in ``conf/`` with its unit and source, as one table.

Each parameter line of a config file carries a trailing comment giving its unit and its
source (``domain.md §…`` with a tag: [F] found, [D] derived, [R] recalled, [E] estimate or
assumption). Replay files shipped under ``conf/<group>/data/*.csv`` carry theirs in a
``source`` column, one per row. This module reads both back and writes
``docs/parameters.md``: ``python -m sim.parameters`` regenerates it (in a checkout; elsewhere
it prints the table, or writes it to ``--output``), and a test keeps it in step with
``conf/``.
"""

from __future__ import annotations

import argparse
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from sim.config import conf_dir, experiments_dir
from sim.io import write_text

TAG = re.compile(r"\[(F|D|R|E)\b|\((setting)\)|source: ")
LINE = re.compile(
    r"^(?P<indent> *)(?:(?P<key>[A-Za-z_][A-Za-z0-9_]*):|- )"
    r"\s*(?P<value>[^#]*?)\s*(?:#\s*(?P<note>.*))?$"
)


@dataclass(frozen=True)
class Parameter:
    """One parameter line of a config file."""

    group: str
    option: str
    key: str
    value: str
    note: str

    @property
    def tags(self) -> list[str]:
        """Source tags found in the note or an inline ``source:`` ([F], [D], [R], [E], (setting))."""
        return [m.group(0) for m in TAG.finditer(self.note + " " + self.value)]

    @property
    def is_number(self) -> bool:
        """Whether the value holds a number (names and empty lists are not numbers)."""
        return any(ch.isdigit() for ch in self.value)


def read(
    conf: Path, groups: tuple[str, ...] | None = None, *, experiments: Path | None = None
) -> list[Parameter]:
    """Parameters of every ``conf/<group>/<option>.yaml``, nested keys as dotted paths.

    ``experiments``: a folder of ``<name>.yaml`` files read as the options of the
    ``experiment`` group. ``defaults`` lists (Hydra composition) are skipped; list entries
    are named ``key[i]``.
    """
    files = [(p.parent.name, p.stem, p) for p in conf.glob("*/*.yaml")]
    if experiments is not None:
        files += [("experiment", p.stem, p) for p in experiments.glob("*.yaml")]
    params = []
    for group, option, path in sorted(files):
        if groups is not None and group not in groups:
            continue
        parents: list[tuple[int, str]] = []
        items: dict[str, int] = {}
        for line in path.read_text(encoding="utf-8").splitlines():
            m = LINE.match(line)
            if not m:
                continue
            indent = len(m["indent"])
            while parents and parents[-1][0] >= indent and m["key"] is not None:
                parents.pop()
            if m["key"] is None:  # a list entry of the last key
                if not parents or parents[-1][1] == "defaults":
                    continue
                name = parents[-1][1]
                items[name] = items.get(name, -1) + 1
                key = ".".join([p for _, p in parents[:-1]] + [f"{name}[{items[name]}]"])
            else:
                key = ".".join([p for _, p in parents] + [m["key"]])
                if not m["value"]:
                    parents.append((indent, m["key"]))
                    continue
            if key.split(".")[0] == "defaults":
                continue
            params.append(Parameter(group, option, key, m["value"], m["note"] or ""))
    for path in sorted(conf.glob("*/data/*.csv")):
        group = path.parent.parent.name
        if groups is None or group in groups:
            params.extend(read_series(path, group))
    return params


def read_series(path: Path, group: str) -> list[Parameter]:
    """Every value of a replay file, keyed ``year[-month][ village v].column``, with its source."""
    import csv

    lines = [
        line
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    keys, text = ("year", "month", "village"), ("source", "note")
    params = []
    for row in csv.DictReader(lines):
        when = row["year"] + (f"-{int(row['month']):02d}" if row.get("month") else "")
        where = f" village {row['village']}" if row.get("village") else ""
        for column, value in row.items():
            if column in keys or column in text or not value:
                continue
            option = f"data/{path.name}"
            params.append(Parameter(group, option, f"{when}{where}.{column}", value, row["source"]))
    return params


def markdown(params: list[Parameter]) -> str:
    """The provenance table as Markdown, one section per config group and option."""
    out = [
        "# Parameters, units and sources",
        "",
        "Generated from the comments in `conf/` by `python -m sim.parameters`;",
        "do not edit by hand. Tags: **[F]** found in the cited source, **[D]** derived from",
        "found numbers, **[R]** recalled from the literature (to verify), **[E]** estimate or",
        "modelling assumption (a tunable default); **(setting)** a run option, not a model",
        "parameter. `domain.md` is the project's domain reference sheet. Replay files",
        "(`conf/shocks/data/*.csv`, the observed series `shocks=historical` replays) are listed",
        "value by value, keyed `year[-month][ village v].column`, with the source of their row;",
        "their columns, units and allowed values are in the README, *Replaying observed series*.",
        "",
    ]
    current = None
    for p in params:
        if (p.group, p.option) != current:
            current = (p.group, p.option)
            out += [
                "",
                f"## `{p.group}/{p.option}`",
                "",
                "| parameter | value | unit, source |",
                "|---|---|---|",
            ]
        note = p.note.replace("|", "\\|")
        name = p.key if p.option.endswith(".csv") else f"{p.group}.{p.key}"  # a file's value
        out.append(f"| `{name}` | `{p.value}` | {note} |")
    return "\n".join(out) + "\n"


def table() -> str:
    """The Markdown table of the packaged configs and the named studies."""
    return markdown(read(conf_dir(), experiments=experiments_dir()))


def main(argv: list[str] | None = None) -> None:
    """Write the table of the packaged ``conf/``.

    To ``--output``; by default to ``docs/parameters.md`` in a checkout, else to the terminal.
    """
    parser = argparse.ArgumentParser(prog="python -m sim.parameters", description=main.__doc__)
    parser.add_argument("--output", type=Path, help="file to write (default: see above)")
    args = parser.parse_args(argv)
    text = table()
    docs = Path(__file__).resolve().parents[1] / "docs"
    target = args.output or (docs / "parameters.md" if docs.is_dir() else None)
    if target is None:
        sys.stdout.write(text)
        return
    write_text(target, text)
    print(f"wrote {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
