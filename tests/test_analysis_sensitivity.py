"""Tornado bars recomputed by hand with plain engine runs; Sobol indices against their analytic values."""

from __future__ import annotations

import numpy as np
import pytest
from numpy.testing import assert_allclose

from sim.analysis.montecarlo import spreads
from sim.analysis.outcomes import TORNADO_OUTCOMES, outcome
from sim.analysis.sensitivity import LEVER_SWINGS, sobol, tornado
from sim.engine import run
from sim.errors import InputError
from sim.scenario import baseline, load_scenario

R57 = load_scenario("scenarios/resolution57.yaml")  # envelope {2024: 1, 2026: 3, 2030: 3.5}, e {2030: .8, 2045: 1.2}


def value(scenario, oid):
    return float(outcome(oid).values(run(scenario))[0])


def bar(result, pid):
    return next(b for b in result.bars if b.pid == pid)


def test_assumption_bar_by_hand():
    tr = tornado(R57, "rd_intensity_2030")
    b = bar(tr, "rd_crowding_in")  # spread −0.4 / +0.4 around 0.7
    assert_allclose(b.low, value(R57.with_changes(rd_crowding_in=0.3), "rd_intensity_2030"), rtol=1e-12)
    assert_allclose(b.high, value(R57.with_changes(rd_crowding_in=1.1), "rd_intensity_2030"), rtol=1e-12)
    assert_allclose(tr.base, value(R57, "rd_intensity_2030"), rtol=1e-12)


def test_path_assumption_bar_ramps_in_from_the_base_year():
    # ±2 pp (±25 % of Bình Phước's 8 %) on {2025: 8, 2030: 8, 2045: 6}, ramping in from 0 in 2024 to the full
    # shift in 2030: the paths through 6 (10) in 2030 and 4 (8) in 2045, from the base-year 8 %.
    b = bar(tornado(R57, "grdp_2045"), "real_growth_base")
    low = R57.with_changes(real_growth_base={2030: 6.0, 2045: 4.0})
    high = R57.with_changes(real_growth_base={2030: 10.0, 2045: 8.0})
    assert_allclose(b.low, value(low, "grdp_2045"), rtol=1e-12)
    assert_allclose(b.high, value(high, "grdp_2045"), rtol=1e-12)


def test_envelope_lever_bar_by_hand():
    # +0.5 pp in every year after 2024: 2025 goes from 2.0 (halfway to 2026) to 2.5, 2026 to 3.5, 2030 to 4.0.
    b = bar(tornado(R57, "digital_share_2030"), "stid_budget_share")
    high = R57.with_changes(stid_budget_share={2024: 1.0, 2025: 2.5, 2026: 3.5, 2030: 4.0})
    low = R57.with_changes(stid_budget_share={2024: 1.0, 2025: 1.5, 2026: 2.5, 2030: 3.0})
    assert_allclose(b.high, value(high, "digital_share_2030"), rtol=1e-12)
    assert_allclose(b.low, value(low, "digital_share_2030"), rtol=1e-12)


def test_enterprise_lever_bar_from_the_calibrated_value():
    # The baseline keeps enterprise R&D at the calibrated e0 = 0.05888 % of GRDP; ±0.1 pp from 2025 on.
    s = baseline("binh-phuoc")
    b = bar(tornado(s, "rd_intensity_2030"), "enterprise_rd_intensity")
    e0 = 0.05888
    assert_allclose(b.high, value(s.with_changes(enterprise_rd_intensity=e0 + 0.1), "rd_intensity_2030"), rtol=1e-10)
    assert_allclose(b.low, value(s.with_changes(enterprise_rd_intensity=0.0), "rd_intensity_2030"), rtol=1e-10)
    assert b.low == pytest.approx(0.15 - 0.05888)  # clipped at 0: R&D falls by the whole of e0


def test_integer_lag_bar():
    b = bar(tornado(R57, "grdp_2045"), "rd_lag")  # 2 years, −1 / +2
    assert_allclose(b.low, value(R57.with_changes(rd_lag=1), "grdp_2045"), rtol=1e-12)
    assert_allclose(b.high, value(R57.with_changes(rd_lag=4), "grdp_2045"), rtol=1e-12)


@pytest.mark.parametrize("oid", TORNADO_OUTCOMES)
def test_every_input_has_a_bar_and_the_widest_comes_first(oid):
    tr = tornado(R57, oid)
    assert {b.pid for b in tr.bars} == set(spreads()) | set(LEVER_SWINGS)
    swings = [b.swing for b in tr.bars]
    assert swings == sorted(swings, reverse=True)
    # Population growth moves none of these outcomes (GRDP per capita is not among them).
    assert bar(tr, "population_growth").swing == 0.0


def test_unknown_outcome():
    with pytest.raises(InputError):
        tornado(R57, "nope")


def _tri_moments(c: float, low: float, high: float) -> tuple[float, float]:
    """Mean and variance of c + a triangular shift on [low, high] with mode 0."""
    a, m, b = c + low, c, c + high
    return (a + m + b) / 3, (a * a + m * m + b * b - a * m - a * b - m * b) / 18


def test_sobol_indices_of_the_rd_intensity_match_the_analytic_ones():
    # In 2030 the preset has e = 0.8 % set directly, so r = (1+λ)·θ·s·b + e: only λ and b vary it, as a product
    # of independent factors: V = Vλ·E[b]² + E[1+λ]²·Vb + Vλ·Vb, S_λ = Vλ·E[b]²/V, S_b = E[1+λ]²·Vb/V.
    sp = spreads()
    m_l, v_l = _tri_moments(1.7, sp["rd_crowding_in"].low, sp["rd_crowding_in"].high)
    m_b, v_b = _tri_moments(13.4, sp["budget_to_grdp"].low, sp["budget_to_grdp"].high)
    V = v_l * m_b**2 + m_l**2 * v_b + v_l * v_b
    so = sobol(R57, "rd_intensity_2030", base_draws=4096, seed=2)
    idx = {p: i for i, p in enumerate(so.params)}
    assert_allclose(so.first[idx["rd_crowding_in"]], v_l * m_b**2 / V, atol=0.04)
    assert_allclose(so.first[idx["budget_to_grdp"]], m_l**2 * v_b / V, atol=0.04)
    assert_allclose(so.total[idx["rd_crowding_in"]], (v_l * m_b**2 + v_l * v_b) / V, atol=0.04)
    others = [i for p, i in idx.items() if p not in ("rd_crowding_in", "budget_to_grdp")]
    assert np.all(np.abs(so.total[others]) < 1e-12)  # inputs that do not enter have exactly zero total index


def test_crowding_in_bar_stops_at_the_calibration_limit():
    # Vietnam: λ ≤ 0.42 % / (36 % × 3 % × 20 %) − 1 = 0.944, below 0.7 + 0.4. Held at the limit, the base year
    # still holds as observed, and with an unchanged envelope R&D stays at its base-year 0.42 % of GDP.
    # (Past the limit with enterprise R&D clipped at zero it would read (1 + 1.1) × 0.216 % = 0.454 %.)
    vn = baseline("vietnam")
    b = bar(tornado(vn, "rd_intensity_2030"), "rd_crowding_in")
    assert b.high == pytest.approx(0.42, rel=1e-9)
