"""Calibration in view (k0 fit, the λ limit) and Bình Phước inside Đồng Nai, against hand computations."""

from __future__ import annotations

import pytest
from numpy.testing import assert_allclose

from sim.analysis.calibration import NATIONAL_MIC_SERIES, crowding_in_limit, fit_k0, k0_fit
from sim.analysis.merger import base_year_grdp_share, part_in_merged
from sim.engine import run
from sim.errors import CalibrationError
from sim.profiles import load_profile
from sim.scenario import baseline


def logistic(k0: float, D: float, d: float, steps: int) -> float:
    """MODEL.md eq. 10 with κ = 0, written out again for the tests."""
    for _ in range(steps):
        d += k0 * d * (1 - d / D)
    return d


def test_fit_recovers_the_speed_that_generated_the_data():
    # k0 = 0.3, D = 50 %, d0 = 10 %: d1 = 0.1 + 0.3·0.1·0.8 = 0.124; d2 = 0.124 + 0.3·0.124·(1 − 0.248) = 0.1519744
    series = {2020: 0.1, 2021: 0.124, 2022: 0.1519744}
    assert fit_k0(0.5, series) == pytest.approx(0.3, abs=1e-9)


def test_fit_is_least_squares_when_the_points_disagree():
    # Two later points no single k0 meets: the fit lies between the two exact fits and beats its neighbours.
    series = {2020: 0.1, 2021: 0.124, 2022: 0.16}
    k = fit_k0(0.5, series)
    k_first = 0.3  # meets 2021 exactly (above)

    def sse(x):
        return (logistic(x, 0.5, 0.1, 1) - 0.124) ** 2 + (logistic(x, 0.5, 0.1, 2) - 0.16) ** 2

    assert k > k_first  # 2022's 16 % needs a faster speed than 2021's 12.4 %
    assert sse(k) < sse(k - 1e-4) and sse(k) < sse(k + 1e-4)


def test_national_series_gives_the_model_md_speed():
    # MODEL.md v2: D = 60 % gives 0.2007; 0.19-0.22 for D = 45-75 %.
    assert NATIONAL_MIC_SERIES == {2021: 0.119, 2024: 0.183}
    fit = k0_fit(0.60)
    assert fit.k0 == pytest.approx(0.2007, abs=1e-3)
    assert round(fit.k0_low, 2) == 0.19 and round(fit.k0_high, 2) == 0.22
    # the range's ends are the exact fits at the band's ends: three steps from 11.9 % land on 18.3 %
    assert logistic(fit.k0_low, 0.75, 0.119, 3) == pytest.approx(0.183, abs=1e-9)
    assert logistic(fit.k0_high, 0.45, 0.119, 3) == pytest.approx(0.183, abs=1e-9)
    assert list(fit.years[:4]) == [2021, 2022, 2023, 2024] and fit.years[-1] == 2045
    # past the data the fits part: the low ceiling saturates first
    assert fit.curve_high[-1] < fit.curve[-1] < fit.curve_low[-1] < 0.75
    assert_allclose(fit.curve[[0, 3]], [0.119, 0.183], atol=1e-9)
    assert fit.curve[1] == pytest.approx(0.119 + fit.k0 * 0.119 * (1 - 0.119 / 0.6))


def test_fit_refuses_bad_input_with_the_field_named():
    with pytest.raises(ValueError, match="series"):
        fit_k0(0.6, {2021: 0.119})
    with pytest.raises(ValueError, match="series"):
        fit_k0(0.15, NATIONAL_MIC_SERIES)  # 18.3 % above a 15 % ceiling
    with pytest.raises(ValueError, match="ceiling"):
        fit_k0(1.5)


def test_crowding_in_limit_by_hand():
    # λ ≤ r0 / (θ0·s0·b0) − 1. Bình Phước: 0.0015 / (0.40 × 0.01 × 0.134) − 1 = 1.7985…
    assert crowding_in_limit(load_profile("binh-phuoc")) == pytest.approx(0.0015 / 0.000536 - 1)
    assert crowding_in_limit(load_profile("binh-phuoc")) == pytest.approx(1.80, abs=0.005)
    # Vietnam: 0.0042 / (0.36 × 0.03 × 0.20) − 1 = 0.944…; Đồng Nai: 0.003 / (0.40 × 0.015 × 0.10) − 1 = 4
    assert crowding_in_limit(load_profile("vietnam")) == pytest.approx(0.0042 / 0.00216 - 1)
    assert crowding_in_limit(load_profile("dong-nai")) == pytest.approx(4.0)


@pytest.mark.parametrize("region", ["binh-phuoc", "vietnam"])
def test_the_engine_refuses_just_above_the_limit(region):
    limit = crowding_in_limit(load_profile(region))
    run(baseline(region).with_changes(rd_crowding_in=round(limit - 0.005, 3)))
    with pytest.raises(CalibrationError):
        run(baseline(region).with_changes(rd_crowding_in=round(limit + 0.005, 3)))


# ---------------------------------------------------------------- Bình Phước inside Đồng Nai

# Bình Phước's baseline GRDP by hand: 115,357 bn in 2024, 8 % real growth and 4 % inflation a year, no
# policy effect in the baseline (flat levers): Y_2030 = 115,357 × (1.08 × 1.04)^6.
Y2025 = 115_357 * 1.08 * 1.04
Y2030 = 115_357 * (1.08 * 1.04) ** 6


def test_bp_share_of_merged_grdp_in_2025_by_hand():
    share = base_year_grdp_share(run(baseline("binh-phuoc")), load_profile("dong-nai"))
    assert share.year == 2025 and share.merged_grdp == 677_000  # DATA.md, preliminary
    assert share.part_grdp == pytest.approx(Y2025)
    assert share.share == pytest.approx(Y2025 / 677_000 * 100)  # 19.14 %
    assert share.share == pytest.approx(19.14, abs=0.005)


def test_bp_beside_the_merged_2030_targets_by_hand():
    # No diffusion (k0 = 0): the digital share stays at its 8 % base, so the digital-economy value added is
    # 8 % of GRDP; R&D stays at 0.15 % of GRDP.
    res = run(baseline("binh-phuoc").with_changes(digital_diffusion_base=0.0))
    rows = {r.target.id: r for r in part_in_merged(res, load_profile("dong-nai"))}
    assert abs(Y2030 - 231_626) < 1  # MODEL.md §6: 231,626
    grdp = rows["grdp_2030"]  # merged target: > 1,200,000 bn (DATA.md)
    assert grdp.merged_amount == 1_200_000 and not grdp.met
    assert grdp.share == pytest.approx(Y2030 / 1_200_000 * 100)  # 19.30 %
    digital = rows["digital_share_2030"]  # > 30 % of a 1,200,000 bn GRDP = 360,000 bn
    assert digital.value == pytest.approx(8.0) and not digital.met
    assert digital.merged_amount == pytest.approx(360_000)
    assert digital.share == pytest.approx(0.08 * Y2030 / 360_000 * 100)  # 5.15 %
    rd = rows["rd_intensity_2030"]  # 2 % of 1,200,000 bn = 24,000 bn
    assert rd.merged_amount == pytest.approx(24_000)
    assert rd.share == pytest.approx(0.0015 * Y2030 / 24_000 * 100)  # 1.45 %
    # Đồng Nai's growth plan (≥ 10 %/yr 2026-2030) read over the merged years: Bình Phước's baseline grows 8 %
    growth = rows["growth_avg_2030"]
    assert growth.value == pytest.approx(8.0) and not growth.met
    nonstate = rows["rd_nonstate_share_2030"]  # a ratio: no amount to add up
    assert nonstate.share is None and nonstate.met
    assert "envelope_above_floor" not in rows  # every-year rules concern each budget's own path


def test_k0_chart_is_a_valid_figure_with_the_series_and_the_fits():
    import plotly.graph_objects as go

    from sim.views.charts_data import k0_fit_chart

    fit = k0_fit(0.60)
    spec = k0_fit_chart(fit, "en")
    go.Figure(spec)  # plotly validates the spec
    names = [t["name"] for t in spec["data"]]
    assert any("D = 60 %: k0 = 0.2007" in n for n in names)
    assert any("D = 45 %" in n for n in names) and any("D = 75 %" in n for n in names)
    observed = next(t for t in spec["data"] if t["mode"] == "markers")
    assert observed["y"] == [11.9, 18.3]
    assert spec["layout"]["separators"] == ".,"
