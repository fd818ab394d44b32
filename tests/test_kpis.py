"""Headline figures (one KPI type) and the core scorecard lines: values from the engine, words per language."""

from __future__ import annotations

from pathlib import Path

from numpy.testing import assert_allclose

from sim import engine
from sim.compare import KPIS
from sim.scenario import baseline, load_scenario
from sim.views.scorecard import METRIC_TABLE, Kpi, core_lines, kpis, metric_label

ROOT = Path(__file__).resolve().parents[1]
RES57 = load_scenario(ROOT / "scenarios/resolution57.yaml")


def test_kpis_read_the_result_and_compare_with_baseline():
    res, bres = engine.run(RES57), engine.run(baseline())
    cards = {k.id: k for k in kpis(res, bres, RES57.profile, 2030)}
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
    # cost: the envelope summed over 2025..2030 (MODEL.md eq. 13)
    S = res.single("Budget|STI and DX")
    assert_allclose(cards["envelope_cost"].value, S[1:7].sum())
    assert cards["envelope_cost"].period == "2025-2030" and cards["envelope_cost"].target is None
    assert cards["grdp_per_capita"].target.value == 180.0
    later = {k.id: k for k in kpis(res, bres, RES57.profile, 2045)}
    assert later["rd_intensity"].target is None and later["rd_intensity"].met is None
    assert_allclose(later["envelope_cost"].value, S[7:].sum())


def _kpi(mid: str, value: float, base: float, **kw) -> Kpi:
    return Kpi(METRIC_TABLE[mid], 2030, value, base, **kw)


def test_formatting_per_language():
    k = _kpi("grdp_nominal", 231_625.58, 230_000.0)
    assert k.format_value("vi") == "231,6 nghìn tỷ đồng"
    assert k.format_value("en") == "231.6 trillion VND"
    assert k.format_delta("vi") == "+1,6 nghìn tỷ đồng"
    c = _kpi("envelope_cost", 1420.4, 4447.6, period="2025-2030")
    assert c.format_value("vi") == "1.420 tỷ đồng" and c.format_delta("en") == "−3,027 bn VND"
    p = _kpi("rd_intensity", 0.15, 0.15)
    assert p.format_value("vi") == "0,15 %" and p.format_delta("vi") == "0"
    q = _kpi("digital_share", 25.6, 16.0)
    assert q.format_delta("vi") == "+9,6 điểm %" and q.format_delta("en") == "+9.6 pp"
    assert q.parts("en") == ("25.6", "%", "+9.6", "pp") and q.parts("vi")[3] == "điểm %"


def test_core_lines_write_values_targets_and_gaps_in_points():
    res = engine.run(RES57)
    lines = core_lines(res, RES57.profile)
    assert [ln.id for ln in lines] == [t.id for t in RES57.profile.targets]
    by = {ln.id: ln for ln in lines}
    d = by["digital_share_2030"]
    value = res.at("Digital Economy|Share of GRDP", 2030)[0] * 100  # 25.6 % in this scenario
    gap = 30.0 - value
    assert not d.met and d.status_text("vi", mark=True) == "✗ Chưa đạt"
    assert d.value_text("vi") == f"{value:.1f} %".replace(".", ",")
    assert d.target_text("vi") == "≥ 30 %" and d.target_text("en") == "≥ 30 %"
    # a gap in a share is in percentage points, as in the report
    dec = 2 if gap < 1 else 1  # a small gap keeps two decimals
    assert d.gap_text("vi") == f"{gap:.{dec}f} điểm %".replace(".", ",") and d.gap_text("en") == f"{gap:.{dec}f} pp"
    assert by["digital_share_2045"].met and by["digital_share_2045"].gap_text("vi") == "–"
    assert by["envelope_above_floor"].year_text("vi") == "mọi năm"
    assert by["grdp_per_capita_2030"].target_text("en") == "≥ 180 million VND"
    assert by["rd_intensity_2030"].first_year_text("en") == "2045"


def test_one_label_per_metric_everywhere():
    # the cards, Compare and the report read the same table
    res, bres = engine.run(RES57), engine.run(baseline())
    card_labels = {k.id: k.label("en") for k in kpis(res, bres, RES57.profile, 2030)}
    compare_labels = {k.id: k.name("en") for k in KPIS}
    for mid, label in card_labels.items():
        assert compare_labels[mid] == label == metric_label(mid, "en")
    assert metric_label("digital_share", "en") == "Digital economy share of GRDP"
    assert metric_label("digital_share", "vi") == "Tỷ trọng kinh tế số trong GRDP"
    assert len({m.label for m in METRIC_TABLE.values()}) == len(METRIC_TABLE)
