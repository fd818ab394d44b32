"""KPI cards and the scorecard as HTML: content, classes for met / not met, escaping."""

from __future__ import annotations

from pathlib import Path

from sim import engine, kpis
from sim.params import Text
from sim.scenario import baseline, load_scenario
from ui import cards

ROOT = Path(__file__).resolve().parents[1]
RES57 = load_scenario(ROOT / "scenarios/resolution57.yaml")


def test_cards_carry_ids_values_changes_and_targets():
    res, bres = engine.run(RES57), engine.run(baseline())
    html = cards.years({y: kpis.kpis(res, bres, RES57.profile, y) for y in (2030, 2045)}, "vi")
    assert html.count('class="nq-kpi"') == 12
    assert html.count("<h3") == 2 and "Năm 2030" in html and "Năm 2045" in html
    digital = kpis.kpis(res, bres, RES57.profile, 2030)[0]
    one = cards.card(digital, "vi")
    assert 'data-kpi="digital_share_2030"' in one
    assert f'<div class="nq-value">{digital.format_number("vi")} %</div>' in one
    # 29.76 % (Resolution 57 path) − 19.44 % (baseline), both by hand in tests/test_kpis.py and tests/test_engine.py
    assert "nq-up" in one and "▲ +10,3 điểm %" in one
    assert 'class="nq-badge nq-unmet">✗ Chưa đạt' in one and "mục tiêu ≥ 30,0 %" in one


def test_falling_values_cost_and_no_target():
    down = kpis.Kpi("rd_intensity", 2045, kpis.KPI_LABELS["rd_intensity"], 0.10, 0.15)
    html = cards.card(down, "en")
    assert "nq-down" in html and "▼ −0.05 pp" in html and "no target this year" in html
    cost = kpis.Kpi("envelope_cost", 2030, kpis.KPI_LABELS["envelope_cost"], 4448.0, 1420.0, period="2025-2030")
    html = cards.card(cost, "vi")
    assert "nq-flat" in html and "<small>tỷ đồng</small>" in html and "cộng dồn 2025-2030" in html
    same = kpis.Kpi("digital_share", 2030, kpis.KPI_LABELS["digital_share"], 16.0, 16.0)
    assert "= bằng cơ sở" in cards.card(same, "vi")


def test_text_is_escaped():
    k = kpis.Kpi("digital_share", 2030, Text(vi="<script>x</script>", en="a & b"), 1.0, 1.0)
    assert "<script>" not in cards.card(k, "vi") and "&lt;script&gt;" in cards.card(k, "vi")
    assert "a &amp; b" in cards.card(k, "en")


def test_scorecard_table_has_every_target():
    rows = kpis.scorecard(engine.run(RES57), RES57.profile, "en")
    html = cards.scorecard(rows, "en", title="Target scorecard", note="stamp <1>")
    assert html.count("<tr data-target=") == len(RES57.profile.targets)
    assert '<tr data-target="digital_share_2030">' in html
    assert html.count("nq-unmet") == sum(not r.met for r in rows)
    assert "<h3" in html and "stamp &lt;1&gt;" in html
