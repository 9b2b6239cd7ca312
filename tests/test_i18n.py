"""The translation tables and locale number formatting; the outcome registry's labels."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from sim.analysis.outcomes import OUTCOMES, REGISTRY, UNITS, Outcome, present, run_values
from sim.i18n import LANGS, NNBSP, Translator, catalogue, load_yaml

ROOT = Path(__file__).resolve().parents[1]


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{(\w+)\}", text))


def test_both_languages_have_the_same_keys_and_placeholders():
    en, fr = catalogue("en"), catalogue("fr")
    assert set(en) == set(fr), sorted(set(en) ^ set(fr))
    for key in en:
        assert placeholders(en[key]) == placeholders(fr[key]), key
        assert (not en[key]) == (not fr[key]), key  # nothing left untranslated
        assert ("<b>" in en[key]) == ("<b>" in fr[key]), key


def test_the_fast_yaml_loader_reads_the_catalogues_as_the_safe_loader_does():
    for lang in LANGS:
        text = (ROOT / "sim" / "i18n" / f"{lang}.yaml").read_text(encoding="utf-8")
        assert load_yaml(text) == yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError):  # plain data only, as with the safe loader
        load_yaml("!!python/object/apply:os.system ['true']")


def test_every_package_regime_shock_and_group_has_a_human_name():
    packages = [p.stem for p in (ROOT / "conf" / "package").glob("*.yaml")]
    regimes = [
        yaml.safe_load(p.read_text())["name"] for p in (ROOT / "conf" / "shocks").glob("*.yaml")
    ]
    shocks = [
        "drought",
        "dry_spell",
        "flood",
        "price_spike",
        "livestock_disease",
        "human_disease",
        "insecurity",
    ]
    for lang in LANGS:
        t = Translator(lang)
        for kind, names in (("package", packages), ("regime", regimes), ("shock", shocks)):
            for name in names:
                assert t.has(f"{kind}.{name}"), (lang, kind, name)
                assert t.name(kind, name).replace(" ", "_") != name or kind == "shock"
        for group in ("very_poor", "poor", "middle", "better_off", "programme", "all"):
            assert t.has(f"group.{group}")
    assert Translator("fr").package("full_cdr") != Translator("en").package("full_cdr")
    assert Translator("fr").package("my_own_package") == "my_own_package"  # unknown: its id


def test_every_declared_outcome_has_labels_and_a_unit_in_both_languages():
    for lang in LANGS:
        t = Translator(lang, years=3)
        for o in REGISTRY.values():
            for form in ("name", "axis"):
                assert t.has(f"outcome.{o.name}.{form}"), (lang, o.name, form)
                assert "{" not in t.outcome(o.name, form)
            assert t.has(f"unit.{o.unit}")
        for unit in UNITS:
            assert t.has(f"unit.{unit}")
    assert "3 ans" in Translator("fr", years=3).outcome("tlu_after_exit")


def test_registry_declares_the_planned_outcomes_and_skips_those_not_computed():
    for name in (
        "consumption_endline_fcfa_day",
        "mahfp_endline",
        "backsliding_share",
        "escaped_at_exit_share",
        "sustained_escape_share",
        "backsliding_households",
        "escaped_households",
    ):
        assert name in REGISTRY
    assert REGISTRY["consumption_endline_fcfa_day"].better == "higher"
    assert REGISTRY["backsliding_share"].better == "lower"
    assert REGISTRY["escaped_households"].better == "neither"
    row = run_values({"gam_mean": 0.1, "not_an_outcome": 1})
    assert row == {"gam_mean": 0.1}
    assert [o.name for o in present(["mahfp_endline", "gam_mean", "x"])] == [
        "mahfp_endline",
        "gam_mean",
    ]
    assert all(not o.derived for o in OUTCOMES.values())
    with pytest.raises(ValueError, match="unit"):
        Outcome("x", "kg", "higher", "food", "bad unit")
    assert REGISTRY["gam_mean"].improvement(-0.02) == pytest.approx(0.02)


def test_french_and_english_numbers():
    fr, en = Translator("fr"), Translator("en")
    assert fr.number(1234567.891, 2) == f"1{NNBSP}234{NNBSP}567,89"
    assert en.number(1234567.891, 2) == "1,234,567.89"
    assert fr.percent(0.95) == f"95{NNBSP}%" and en.percent(0.95) == "95%"
    assert fr.percent(0.0934) == f"9,3{NNBSP}%"
    assert fr.number(-2.3, 1) == "\u22122,3" and fr.number(0.0, 1) == "0,0"
    # a value that rounds up to the next magnitude follows that magnitude's rule
    assert en.number(-0.998) == "\u22121.0" and en.number(99.96) == "100"
    assert en.number(0.0996) == "0.10" and en.number(0.934) == "0.93"
    assert fr.money(430543) == f"431{NNBSP}000{NNBSP}FCFA"  # three significant figures
    assert en.money(782.81, unit="usd") == f"783{NNBSP}USD"
    assert fr.money(0) == f"0{NNBSP}FCFA"
    assert fr.difference(-0.0356, "share") == f"\u22123,6{NNBSP}points"
    assert en.value(3.227, "months_per_year") == f"3.2{NNBSP}months/yr"
    assert fr.value(0.925, "tlu") == f"0,93{NNBSP}UBT"
    assert fr.join(["a", "b", "c"]) == "a, b et c"


def test_french_tables_put_a_narrow_no_break_space_before_percent_signs():
    loose = {k: v for k, v in catalogue("fr").items() if re.search(r"\d %", v)}
    assert not loose, loose  # "95 %" as the numbers are written: never split across lines


def test_units_take_the_singular_by_each_languages_rule():
    en, fr = Translator("en"), Translator("fr")
    # English: singular for exactly one; French: below two in magnitude
    assert en.value(1, "households") == f"1{NNBSP}household"
    assert en.value(36.0, "households") == f"36{NNBSP}households"  # counts without decimals
    assert en.value(1.0, "months_per_year").endswith("months/yr")  # "1.0 months"
    assert en.difference(-0.01, "share").endswith("points")
    assert fr.difference(0.006, "share").endswith(f"{NNBSP}point")
    assert fr.difference(0.0, "share") == f"0{NNBSP}point"
    assert fr.value(0.6, "food_groups").endswith("groupe d'aliments")
    assert fr.value(2.4, "food_groups").endswith("groupes d'aliments")
    assert fr.value(1, "households") == f"1{NNBSP}ménage"
    assert fr.value(36.0, "households") == f"36{NNBSP}ménages"
