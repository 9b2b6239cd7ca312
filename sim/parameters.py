"""Parameter sources: every number in ``conf/`` with its unit and source, as one table.

Each parameter line of a config file carries a trailing comment giving its unit and its
source (``domain.md §…`` with a tag: [F] found, [D] derived, [R] recalled, [E] estimate or
assumption). This module reads those comments back and writes ``docs/parameters.md``:
``python -m sim.parameters`` regenerates it (in a checkout; elsewhere it prints the table,
or writes it to ``--output``), and a test keeps it in step with ``conf/``.
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
        "parameter. `domain.md` is the project's domain reference sheet.",
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
        out.append(f"| `{p.group}.{p.key}` | `{p.value}` | {note} |")
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
