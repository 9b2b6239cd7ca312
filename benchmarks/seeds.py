"""The default comparison under five root seeds: are its effects and its ranking stable?

Runs ``resim``'s default comparison (``none``, ``full_cdr``, ``cash_plus_livestock``; 20
replicates; the default population and horizon) once per root seed and prints, per seed, the
full package's effects a year after exit in SD units (graduation trials: consumption +0.12 SD,
assets +0.25 SD; Banerjee et al. 2015, domain.md §9) and the gain in net assets a year after
exit per FCFA spent, with the packages ranked on it.

    uv run python benchmarks/seeds.py [--seeds 1 2 3 4 5] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import sim  # noqa: E402

PACKAGES = ("full_cdr", "cash_plus_livestock")


def one_seed(seed: int) -> dict:
    """The default comparison under root seed ``seed``: effects and assets per FCFA spent."""
    cmp = sim.compare(f"seed={seed}", "progress=false")
    table = cmp.table.set_index(["package", "outcome"])
    runs = cmp.runs.set_index(["package", "replicate"])
    base = runs.loc["none"]
    row: dict = {"seed": seed}
    for p in PACKAGES:
        gain = runs.loc[p, "net_assets_endline"] - base["net_assets_endline"]
        row[f"{p}_assets_per_fcfa"] = float(
            gain.mean() / runs.loc[p, "cost_per_household_fcfa"].mean()
        )
        for outcome in ("consumption_endline_fcfa_day", "net_assets_endline", "mahfp_endline"):
            row[f"{p}_{outcome}_sd"] = float(table.loc[(p, outcome), "diff_sd"])
        row[f"{p}_backsliding_share"] = float(table.loc[(p, "backsliding_share"), "diff"])
    row["ranking"] = sorted(PACKAGES, key=lambda p: -row[f"{p}_assets_per_fcfa"])
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4, 5])
    parser.add_argument("--json", help="write every figure to this file")
    args = parser.parse_args()
    rows = []
    print(
        "seed  full_cdr: consumption SD  assets SD  MAHFP SD  | net assets per FCFA: "
        "full_cdr  cash_plus_livestock | ranking"
    )
    for seed in args.seeds:
        r = one_seed(seed)
        rows.append(r)
        print(
            f"{seed:>4}  {r['full_cdr_consumption_endline_fcfa_day_sd']:+24.2f}"
            f"  {r['full_cdr_net_assets_endline_sd']:+9.2f}  {r['full_cdr_mahfp_endline_sd']:+8.2f}"
            f"  | {r['full_cdr_assets_per_fcfa']:+29.2f}  {r['cash_plus_livestock_assets_per_fcfa']:+19.2f}"
            f" | {' > '.join(r['ranking'])}",
            flush=True,
        )
    stable = len({tuple(r["ranking"]) for r in rows}) == 1
    print(f"ranking on net assets per FCFA the same under every seed: {stable}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as fh:
            json.dump(rows, fh, indent=2)


if __name__ == "__main__":
    main()
