"""Targets of model version 2: the national 3 % budget rule (every year from 2026) and average growth to 2030."""

from __future__ import annotations

import math

from numpy.testing import assert_allclose

from sim.engine import run
from sim.profiles import load_profile
from sim.scenario import baseline, load_scenario
from sim.targets import evaluate, evaluate_all


def _one(scenario, tid):
    tr = evaluate(run(scenario), scenario.profile.target(tid))
    return float(tr.value[0]), bool(tr.met[0]), int(tr.first_year_met[0])


def test_every_profile_carries_the_new_targets_where_its_data_has_them():
    for region in ("binh-phuoc", "dong-nai", "vietnam"):
        prof = load_profile(region)
        rule = prof.target("envelope_share_3pct")
        assert (rule.metric, rule.year, rule.from_year, rule.value) == ("envelope_share", None, 2026, 3.0)
        assert rule.source
    assert load_profile("binh-phuoc").target("growth_avg_2030").value == 9.0  # master plan
    assert load_profile("dong-nai").target("growth_avg_2030").value == 10.0  # provincial Party Congress
    assert "growth_avg_2030" not in {t.id for t in load_profile("vietnam").targets}  # no national figure in the data


def test_three_percent_rule_counts_every_year_from_2026():
    # Baseline: 1 % every year.
    assert _one(baseline(), "envelope_share_3pct") == (1.0, False, 0)
    # Resolution 57 preset: 1 % (2024), 2 % (2025), 3 % (2026) rising to 3.5 %: 2025 does not count.
    r57 = load_scenario("scenarios/resolution57.yaml")
    value, met, first = _one(r57, "envelope_share_3pct")
    assert_allclose(value, 3.0)
    assert met and first == 2026
    # Reaching 3 % only in 2027 (a line from 1 % in 2024): 2026 is at 2.33 %.
    late = baseline().with_changes(stid_budget_share={2027: 3.0})
    value, met, first = _one(late, "envelope_share_3pct")
    assert_allclose(value, 1.0 + 2.0 * 2 / 3)
    assert not met and first == 2027


def test_average_growth_is_the_compound_rate_from_the_base_year():
    # Baseline growth 8 % every year to 2030 (no R&D or DX change): the average is 8 %.
    value, met, first = _one(baseline(), "growth_avg_2030")
    assert_allclose(value, 8.0)
    assert not met and first == 0
    # Baseline growth from 8 % (2024) in a line to 11 % in 2030: 8.5, 9, ..., 11 % in 2025..2030.
    faster = baseline().with_changes(real_growth_base={2030: 11.0})
    rates = [0.08 + 0.005 * i for i in range(1, 7)]
    want = (math.prod(1 + g for g in rates) ** (1 / 6) - 1) * 100
    value, met, _ = _one(faster, "growth_avg_2030")
    assert_allclose(value, want, rtol=1e-12)
    assert met


def test_dong_nai_growth_target_counts_2026_to_2030():
    # Base year 2025: the average runs over 2026-2030; the default baseline growth is 9 %/yr.
    dn = load_scenario("scenarios/dong-nai-baseline.yaml")
    value, met, _ = _one(dn, "growth_avg_2030")
    assert_allclose(value, 9.0)
    assert not met
    assert [t.id for t in evaluate_all(run(dn), dn.profile)][-4:-2] == ["envelope_share_3pct", "growth_avg_2030"]
