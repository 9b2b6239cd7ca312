"""Replay of observed series from a CSV file, and regimes that fit any horizon."""

from __future__ import annotations

import json
from pathlib import Path

import command
import numpy as np
import pandas as pd
import pytest

import sim
from sim.compose import conf_dir
from sim.config import ConfigError
from sim.shocks import replay

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = conf_dir() / "shocks" / "data" / "mopti_2015_2024.csv"
SMALL = ("population.households=60", "seed=5")

# a user's file: rainfall in mm and as an anomaly, monthly and yearly prices, levels and indices
USER_FILE = """\
# my station and the market observatory
year,month,village,rainfall_mm,rainfall_anomaly,millet_price,millet_index,goat_price,goat_index,source
2015,,,420,,,,,,station
2016,,,,0.3,,,,,station
2016,3,,,,210,,,,observatory
2016,4,,,,230,,24000,,observatory
2017,,,,,,1.25,,0.8,estimate
2017,8,,,,300,,,,observatory
"""


def write(tmp_path: Path, text: str, name: str = "series.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def all_rows(ts: pd.DataFrame) -> pd.DataFrame:
    return ts[ts["wealth_group"] == "all"].set_index("month")


def test_replay_reproduces_the_files_rainfall_and_prices_in_timeseries_parquet(tmp_path):
    series = write(tmp_path, USER_FILE)
    out = tmp_path / "run"
    proc = command.resim(
        "task=run",
        "shocks=replay",
        f"shocks.replay.file={series}",
        "years=4",
        *SMALL,
        "progress=false",
        f"hydra.run.dir={out}",
        cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr
    ts = all_rows(pd.read_parquet(out / "timeseries.parquet"))
    cfg = sim.load("shocks=replay", f"shocks.replay.file={series}", "years=4", *SMALL).model
    normal = np.asarray(cfg.market.millet_price)
    # rainfall: the season feeding each month (Oct-Sep after its harvest)
    feeding = ts["year"] - (ts["calendar_month"] < cfg.crops.harvest_month)
    np.testing.assert_allclose(ts.loc[feeding == 2015, "rainfall"], 420.0)
    np.testing.assert_allclose(ts.loc[feeding == 2016, "rainfall"], 1.3 * cfg.climate.rain_mean_mm)
    # millet: monthly levels exactly; a yearly index along the normal seasonal path
    at = lambda y, m: ts[(ts["year"] == y) & (ts["calendar_month"] == m)].iloc[0]  # noqa: E731
    assert at(2016, 3)["millet_price"] == pytest.approx(210)
    assert at(2016, 4)["millet_price"] == pytest.approx(230)
    assert at(2017, 8)["millet_price"] == pytest.approx(300)  # the monthly row wins
    for m in (1, 5, 10, 12):
        assert at(2017, m)["millet_price"] == pytest.approx(1.25 * normal[m - 1])
    # goats: a monthly level, a yearly index on the normal seasonal cycle
    assert at(2016, 4)["goat_price"] == pytest.approx(24000)
    cycle = 1 + cfg.market.goat_seasonal_amplitude * np.cos(
        2 * np.pi * (np.arange(1, 13) - cfg.market.goat_peak_month) / 12
    )
    for m in (2, 11):
        assert at(2017, m)["goat_price"] == pytest.approx(
            0.8 * cfg.market.goat_price * cycle[m - 1]
        )
    # months the file is silent about are drawn, and carry on from the replayed level
    assert not np.isclose(at(2016, 6)["millet_price"], at(2016, 4)["millet_price"])
    summary = json.loads((out / "summary.json").read_text())
    assert summary["replay"]["years_replayed"] == {
        "goat": [2016, 2017],
        "millet": [2016, 2017],
        "rainfall": [2015, 2016],
    }
    assert summary["replay"]["sha256"] == replay.load(str(series)).sha256


def test_the_example_file_drives_the_historical_regime():
    res = sim.simulate("shocks=historical", "years=6", *SMALL)
    ts = all_rows(res.timeseries)
    at = lambda y, m: ts[(ts["year"] == y) & (ts["calendar_month"] == m)].iloc[0]  # noqa: E731
    assert at(2015, 11)["millet_price"] == pytest.approx(149)  # Mopti, Nov 2015 [F]
    assert at(2015, 12)["millet_price"] == pytest.approx(131)  # Mopti, Dec 2015 [F]
    mean = res.model.config.climate.rain_mean_mm
    feeding = ts["year"] - (ts["calendar_month"] < 10)
    for year, anomaly in ((2017, -0.15), (2018, 0.20), (2019, 0.13)):
        np.testing.assert_allclose(ts.loc[feeding == year, "rainfall"], mean * (1 + anomaly))
    floods = res.shocks[res.shocks["type"] == "flood"]
    exposed = np.flatnonzero(res.model.world.villages.flood_exposed)
    for year in (2018, 2019):  # every exposed village, in August, severity 0.5 [E]
        month = 12 * (year - 2015) + 7
        hit = floods[floods["month"] == month]
        assert sorted(hit["village"]) == exposed.tolist() and (hit["severity"] == 0.5).all()
    assert (res.shocks["type"] == "insecurity").any()  # from 2017, as in mopti_2017
    assert res.summary["replay"]["years_replayed"]["rainfall"] == [2017, 2018, 2019]


def test_historical_has_below_average_prices_after_the_good_2018_and_2019_harvests():
    # domain.md §9: 2018/19 and 2019/20 above-average harvests with below-average prices [F]
    import dataclasses

    from sim.world import World

    cfg = sim.load("shocks=historical", "years=6").model
    path = np.asarray(cfg.market.millet_price)
    for seed in range(1, 7):
        w = World.build(dataclasses.replace(cfg, seed=seed))
        stamp = w.calendar.year * 100 + w.calendar.month
        window = (stamp >= 201810) & (stamp <= 202009)
        normal = path[w.calendar.month[window] - 1]
        assert w.prices["millet"][window].mean() < 0.97 * normal.mean(), seed
        spikes = w.shocks.log.loc[w.shocks.log["type"] == "price_spike", "month"].to_numpy()
        assert not set(w.calendar.year[spikes].tolist()) & {2017, 2018, 2019}


def test_every_value_of_the_example_file_has_a_source_and_a_tag():
    rows = [
        line
        for line in EXAMPLE.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    frame = pd.read_csv(EXAMPLE, comment="#")
    assert len(frame) == len(rows) - 1 > 0
    assert frame["source"].str.contains(r"\[(?:F|D|R|E)\]").all()
    # no season's rainfall is documented in mm: every replayed season says it is an estimate
    rain = frame[frame["rainfall_anomaly"].notna()]
    assert len(rain) == 3 and rain["source"].str.contains(r"\[E\]").all()


def test_years_the_file_covers_have_no_random_events_of_that_kind(tmp_path):
    text = "year,rainfall_anomaly,millet_index,flood,epizootic,insecurity\n"
    text += "".join(f"{y},0,1,0,0,0\n" for y in range(2015, 2025))
    quiet = write(tmp_path, text)
    stormy = (
        "shocks.drought.probability=1",
        "shocks.drought.dry_spell_probability=1",
        "shocks.flood.probability=1",
        "shocks.price_spike.probability=1",
        "shocks.livestock_disease.ppr_probability=1",
        "shocks.livestock_disease.newcastle_probability=1",
        "shocks.insecurity.probability=1",
    )
    res = sim.simulate("shocks=replay", f"shocks.replay.file={quiet}", *stormy, *SMALL)
    regional = res.shocks[res.shocks["scope"] != "household"]
    assert regional.empty, regional["type"].value_counts()
    # the same storm without the file strikes
    loud = sim.simulate(*stormy, *SMALL)
    assert {
        "drought",
        "dry_spell",
        "flood",
        "price_spike",
        "livestock_disease",
        "insecurity",
    } <= set(loud.shocks["type"])


def test_a_files_price_spike_replaces_the_random_ones_of_its_year(tmp_path):
    path = write(tmp_path, "year,month,price_spike\n2016,3,1.0\n2017,,0\n")
    spiky = ("shocks=none", "shocks.price_spike.probability=1", "years=3", *SMALL)
    res = sim.simulate(f"shocks.replay.file={path}", *spiky)
    log = res.shocks[res.shocks["type"] == "price_spike"]
    months = log["month"].tolist()
    assert 12 + 2 in months and log.loc[log["month"] == 14, "severity"].item() == 1.0
    assert not [m for m in months if 12 <= m < 36 and m != 14]  # 2016's random one, 2017's
    assert [m for m in months if m < 12]  # 2015 keeps its random spike
    assert sim.simulate(*spiky).shocks["type"].eq("price_spike").sum() == 3


def test_a_replay_leaves_what_it_does_not_cover_as_it_was(tmp_path):
    only_2019 = write(tmp_path, "year,rainfall_mm\n2019,300\n")
    base = sim.simulate(*SMALL, "years=6")
    rep = sim.simulate("shocks=replay", f"shocks.replay.file={only_2019}", *SMALL, "years=6")
    wb, wr = base.model.world, rep.model.world
    rows = [r for r in range(wb.rain.shape[0]) if r != 2019 - 2015 + 1]
    np.testing.assert_array_equal(wb.rain[rows], wr.rain[rows])
    before = wb.calendar.year * 100 + wb.calendar.month < 201910  # before the 2019 harvest
    np.testing.assert_array_equal(wb.prices["millet"][before], wr.prices["millet"][before])
    assert wr.prices["millet"][~before].mean() > wb.prices["millet"][~before].mean()
    # a 300 mm season is a drought: logged at its harvest, and it strikes the villages
    dry = rep.shocks[(rep.shocks["type"] == "drought") & (rep.shocks["month"] == 57)]
    assert len(dry) == 1
    assert rep.model.world.shocks.village_hit(57).all()


# --------------------------------------------------------------------------- bad files

HEADER = "year,month,village,rainfall_mm,millet_price,flood\n"
BAD_FILES: list[tuple[str, tuple[str, ...]]] = [
    ("year,rain_mm\n2016,400\n", ("line 1, column 2 'rain_mm': unknown", "rainfall_mm")),
    (
        HEADER + "2016,,,400,,\n2300,,,400,,\n",
        ("line 3, column year: 2300 is out of range", "1900 to 2200"),
    ),
    (HEADER + "2016,5,,,abc,\n", ("line 2, column millet_price: 'abc' is not a number", "FCFA/kg")),
    (HEADER + "2016,,,400\n", ("line 2: 4 fields, the header has 6",)),
    (HEADER + "2016,13,,,150,\n", ("line 2, column month: 13 is out of range", "1 to 12")),
    (HEADER + "2016,7,,400,,\n", ("column rainfall_mm: a season total takes no month",)),
    (HEADER + "2016,,3,,150,\n", ("column millet_price: prices are regional",)),
    (HEADER + "2016,,,-5,,\n", ("column rainfall_mm: -5 is out of range", "≥ 0")),
    (HEADER + "2016,,,,,1.5\n", ("column flood: 1.5 is out of range", "≤ 1")),
    (HEADER + "2016,,,,,\n", ("line 2: no value",)),
    (
        "year,millet_price,millet_index\n2016,150,1.2\n",
        ("line 2, column millet_index: 2016 already has a millet value (millet_price, line 2)",),
    ),
    (
        HEADER + "2016,,70,400,,\n",
        ("line 2, column village: 70 is not a village of the model", "0 to 63"),
    ),
    ("month,millet_price\n3,150\n", ("no year column",)),
]


@pytest.mark.parametrize(("text", "fragments"), BAD_FILES, ids=[f[1][0][:40] for f in BAD_FILES])
def test_malformed_files_are_refused_in_one_line(tmp_path, text, fragments):
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as err:
        sim.load("shocks=replay", f"shocks.replay.file={path}")
    message = str(err.value)
    assert message.startswith(f"shocks.replay.file = '{path}': ")
    assert "\n" not in message
    for fragment in fragments:
        assert fragment in message


def test_a_missing_file_is_refused():
    with pytest.raises(ConfigError, match=r"shocks.replay.file = 'no/such.csv': no such file"):
        sim.load("shocks=replay", "shocks.replay.file=no/such.csv")


def _resim(args: list[str], tmp: Path) -> dict:
    """The command's entry point on ``args`` (in this process: :mod:`command`)."""
    out, cwd = tmp / "out", tmp / "cwd"
    cwd.mkdir(parents=True)
    argv = ["task=run", "population.households=20", "years=1", "progress=false", *args]
    proc = command.resim(*argv, f"hydra.run.dir={out}", cwd=cwd)
    return {"proc": proc, "out": out, "cwd": cwd}


def test_bad_files_through_the_cli_exit_2_in_one_line_and_write_nothing(tmp_path):
    cases = BAD_FILES[:3]  # a bad column, a year out of range, a non-number
    paths = [write(tmp_path, text, f"bad{i}.csv") for i, (text, _) in enumerate(cases)]
    results = [
        _resim(["shocks=replay", f"shocks.replay.file={p}"], tmp_path / f"c{i}")
        for i, p in enumerate(paths)
    ]
    for (_, fragments), path, result in zip(cases, paths, results, strict=True):
        proc = result["proc"]
        assert proc.returncode == 2, proc.stderr
        (line,) = proc.stderr.splitlines()
        assert line.startswith(f"resim: error: shocks.replay.file = '{path}': line ")
        assert all(f in line for f in fragments)
        assert not result["out"].exists()
        assert not list(result["cwd"].iterdir())


# --------------------------------------------------------------------------- horizons


def test_a_regimes_own_schedule_fits_any_horizon_and_the_dropped_are_listed(tmp_path):
    result = _resim(["shocks=sahel_2012_like", "years=3"], tmp_path)
    assert result["proc"].returncode == 0, result["proc"].stderr
    summary = json.loads((result["out"] / "summary.json").read_text())
    assert summary["shocks_dropped"] == [
        {
            "type": "drought",
            "year": 3,
            "severity": 0.5,
            "month": 0,
            "reason": "year 3 is beyond the run's 3 years",
        }
    ]
    shocks = pd.read_parquet(result["out"] / "shocks.parquet")
    kept = shocks[shocks["type"].isin(["drought", "price_spike"])]
    assert list(zip(kept["month"], kept["type"], strict=True)) == [
        (21, "drought"),
        (22, "price_spike"),
    ]


def test_historical_runs_three_years():
    res = sim.simulate("task=run", "shocks=historical", "years=3", *SMALL)
    assert res.timeseries["month"].max() == 35
    assert res.summary["replay"]["years_outside_run"] == [2018, 2019]


def test_a_user_schedule_beyond_the_horizon_is_still_refused():
    with pytest.raises(ConfigError, match=r"shocks.schedule\[0\].year = 3: must be in \[0, 2\]"):
        sim.load(
            "shocks=sahel_2012_like",
            "years=3",
            "shocks.schedule=[{type: drought, year: 3, severity: 0.5}]",
        )


def test_regime_entries_dated_before_the_start_are_dropped_not_refused():
    res = sim.simulate(
        "shocks=sahel_2012_like",
        "start_month=6",
        "years=2",
        "shocks.regime_schedule=[{type: flood, year: 0, severity: 1.0, month: 3}]",
        *SMALL,
    )
    (entry,) = res.summary["shocks_dropped"]
    assert entry["type"] == "flood" and "before the run starts" in entry["reason"]
