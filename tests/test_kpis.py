"""Headline figures and the target scorecard: values from the result, formatting per language."""

from __future__ import annotations

from pathlib import Path

from numpy.testing import assert_allclose

from sim import engine, kpis
from sim.scenario import baseline, load_scenario

ROOT = Path(__file__).resolve().parents[1]
RES57 = load_scenario(ROOT / "scenarios/resolution57.yaml")


def test_kpis_read_the_result_and_compare_with_baseline():
    res, bres = engine.run(RES57), engine.run(baseline())
    cards = {k.id: k for k in kpis.kpis(res, bres, RES57.profile, 2030)}
    assert list(cards) == [
        "digital_share",
        "rd_intensity",
        "rd_nonstate_share",
        "grdp_nominal",
        "grdp_per_capita",
        "envelope_cost",
    ]
    d = cards["digital_share"]
    assert_allclose(d.value, res.at("Digital Economy|Share of GRDP", 2030)[0] * 100)
    assert_allclose(
        d.delta,
        (res.at("Digital Economy|Share of GRDP", 2030) - bres.at("Digital Economy|Share of GRDP", 2030))[0] * 100,
    )
    assert d.target.value == 30.0 and d.met is (d.value >= 30.0)
    # cost: the envelope summed over the years after the base year to 2030 (2025..2030 for Bình Phước)
    S = res.single("Budget|STI and DX")
    assert_allclose(cards["envelope_cost"].value, S[1:7].sum())
    assert cards["envelope_cost"].period == "2025-2030" and cards["envelope_cost"].target is None
    assert cards["grdp_per_capita"].target.value == 180.0
    later = {k.id: k for k in kpis.kpis(res, bres, RES57.profile, 2045)}
    assert later["rd_intensity"].target is None and later["rd_intensity"].met is None
    assert_allclose(later["envelope_cost"].value, S[7:].sum())


def test_formatting_per_language():
    k = kpis.Kpi("grdp_nominal", 2030, kpis.KPI_LABELS["grdp_nominal"], 231_625.58, 230_000.0)
    assert k.format_value("vi") == "231,6 nghìn tỷ đồng"
    assert k.format_value("en") == "231.6 trillion VND"
    assert k.format_delta("vi") == "+1,6 nghìn tỷ đồng"
    c = kpis.Kpi("envelope_cost", 2030, kpis.KPI_LABELS["envelope_cost"], 1420.4, 4447.6, period="2025-2030")
    assert c.format_value("vi") == "1.420 tỷ đồng" and c.format_delta("en") == "−3,027 bn VND"
    p = kpis.Kpi("rd_intensity", 2030, kpis.KPI_LABELS["rd_intensity"], 0.15, 0.15)
    assert p.format_value("vi") == "0,15 %" and p.format_delta("vi") == "0"
    q = kpis.Kpi("digital_share", 2030, kpis.KPI_LABELS["digital_share"], 25.6, 16.0)
    assert q.format_delta("vi") == "+9,6 điểm %" and q.format_delta("en") == "+9.6 pp"
    assert (q.format_number("en"), q.unit("en")) == ("25.6", "%")


def test_scorecard_has_every_target_of_the_profile():
    res = engine.run(RES57)
    rows = kpis.scorecard(res, RES57.profile, "vi")
    assert [r.id for r in rows] == [t.id for t in RES57.profile.targets]
    by = {r.id: r for r in rows}
    assert by["digital_share_2030"].status == "✗ Chưa đạt"
    # By hand: the envelope s is 1 % (2024), 2 %, 3 % (2026), then +0.125 pp a year to 3.5 % (2030); θ = 40 %,
    # μ = 1, b = 13.4 %: k_t = 0.20 + 0.5 × 100 × 2 × 0.6 × 0.134 × (s_{t−1} − 1 %); d from 8 %, ceiling 60 %.
    d = 0.08
    for s_prev in (0.01, 0.02, 0.03, 0.03125, 0.0325, 0.03375):
        d += (0.20 + 50 * 1.2 * 0.134 * (s_prev - 0.01)) * d * (1 - d / 0.6)
    assert round(d * 100, 1) == 29.8
    assert by["digital_share_2030"].value == "29,8 %" and by["digital_share_2030"].target == "≥ 30,0 %"
    assert round(30 - d * 100, 2) == 0.24 and by["digital_share_2030"].gap == "0,24 %"
    assert by["digital_share_2045"].met and by["digital_share_2045"].gap == "–"
    assert by["envelope_above_floor"].year.startswith("mọi năm")
    en = {r.id: r for r in kpis.scorecard(res, RES57.profile, "en")}
    assert en["grdp_per_capita_2030"].target == "≥ 180.0 million VND"
    assert en["rd_intensity_2030"].first_year_met == "2045"
