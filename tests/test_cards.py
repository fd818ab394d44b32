"""KPI cards and the scorecard as HTML: content, classes for met / not met, escaping."""

from __future__ import annotations

from pathlib import Path

from sim import engine
from sim.scenario import baseline, load_scenario
from sim.views import cards
from sim.views.scorecard import METRIC_TABLE, Kpi, Metric, core_lines, kpis

ROOT = Path(__file__).resolve().parents[1]
RES57 = load_scenario(ROOT / "scenarios/resolution57.yaml")


def test_cards_carry_ids_values_changes_and_targets():
    res, bres = engine.run(RES57), engine.run(baseline())
    html = cards.years({y: kpis(res, bres, RES57.profile, y) for y in (2030, 2045)}, "vi")
    assert html.count('class="nq-kpi"') == 12
    assert html.count("<h3") == 2 and "Năm 2030" in html and "Năm 2045" in html
    digital = kpis(res, bres, RES57.profile, 2030)[0]
    one = cards.card(digital, "vi")
    assert 'data-kpi="digital_share_2030"' in one
    assert f'<div class="nq-value">{digital.parts("vi")[0]} %</div>' in one
    up = f"{digital.delta:.1f}".replace(".", ",")  # the engine's change, written by hand the Vietnamese way
    assert "nq-up" in one and f"▲ +{up} điểm %" in one
    assert 'class="nq-badge nq-unmet">✗ Chưa đạt' in one and "mục tiêu ≥ 30 %" in one


def test_falling_values_cost_and_no_target():
    down = Kpi(METRIC_TABLE["rd_intensity"], 2045, 0.10, 0.15)
    html = cards.card(down, "en")
    assert "nq-down" in html and "▼ −0.05 pp" in html and "no target this year" in html
    cost = Kpi(METRIC_TABLE["envelope_cost"], 2030, 4448.0, 1420.0, period="2025-2030")
    html = cards.card(cost, "vi")
    assert "nq-flat" in html and "<small>tỷ đồng</small>" in html and "cộng dồn 2025-2030" in html
    same = Kpi(METRIC_TABLE["digital_share"], 2030, 16.0, 16.0)
    assert "= bằng cơ sở" in cards.card(same, "vi")


def test_text_is_escaped():
    metric = Metric("digital_share", "<script>x</script>", "%", "percent", "Digital Economy|Share of GRDP", 100.0)
    k = Kpi(metric, 2030, 1.0, 1.0)
    assert "<script>" not in cards.card(k, "vi") and "&lt;script&gt;" in cards.card(k, "vi")
    amp = Kpi(Metric("x", "a & b", "%", "percent", None), 2030, 1.0, 1.0)
    assert "a &amp; b" in cards.card(amp, "en")


def test_scorecard_table_has_every_target():
    rows = core_lines(engine.run(RES57), RES57.profile)
    html = cards.scorecard(rows, "en", title="Target scorecard", note="stamp <1>")
    assert html.count("<tr data-target=") == len(RES57.profile.targets)
    assert '<tr data-target="digital_share_2030">' in html
    assert html.count("nq-unmet") == sum(not r.met for r in rows)
    assert "<h3" in html and "stamp &lt;1&gt;" in html
    # marks that Debian's default fonts draw (no emoji)
    assert "✓ Met" in html or "✗ Not met" in html
    assert not any(ch in html for ch in "✅❌")
