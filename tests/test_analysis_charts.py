"""Chart specifications of the decision analysis: valid plotly, stamped, numbers the language's way."""

from __future__ import annotations

import ast
from pathlib import Path

import plotly.graph_objects as go
import pytest
from numpy.testing import assert_allclose

from sim.analysis.attribution import shapley
from sim.analysis.goalseek import goal_seek
from sim.analysis.montecarlo import FAN_VARIABLES, monte_carlo
from sim.analysis.sensitivity import sobol, tornado
from sim.provenance import stamp
from sim.scenario import baseline, load_scenario
from sim.views import charts_analysis as ca

R57 = load_scenario("scenarios/resolution57.yaml")
BASE = baseline("binh-phuoc")


def specs(lang):
    mc = monte_carlo(R57, 300, seed=0)
    out = {f"fan {v}": (ca.fan_chart(mc, v, lang), [R57]) for v in FAN_VARIABLES}
    out["probability"] = (ca.probability_chart(mc, lang), [R57])
    out["tornado"] = (ca.tornado_chart(tornado(R57, "digital_share_2030"), lang), [R57])
    out["waterfall"] = (ca.waterfall_chart(shapley(BASE, R57, "grdp_2045"), lang), [BASE, R57])
    out["sobol"] = (ca.sobol_chart(sobol(R57, "digital_share_2030", base_draws=64), lang), [R57])
    out["seek"] = (ca.seek_chart(goal_seek(BASE, "digital_share_2030", "stid_budget_share"), lang), [BASE])
    return out


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_spec_is_valid_plotly_with_stamp_and_separators(lang):
    for name, (spec, scenarios) in specs(lang).items():
        go.Figure(spec)  # plotly validates every key
        layout = spec["layout"]
        assert layout["separators"] == {"vi": ",.", "en": ".,"}[lang], name
        text = layout["annotations"][0]["text"].replace("<br>", " · ")  # long stamps wrap at their separators
        for s in scenarios:
            assert stamp(s, lang) in text, name


def test_waterfall_steps_add_up_to_the_end():
    at = shapley(BASE, R57, "digital_share_2030")
    trace = ca.waterfall_chart(at, "en")["data"][0]
    assert trace["measure"] == ["absolute", "relative", "relative", "total"]
    assert_allclose(sum(trace["y"][:-1]), trace["y"][-1], rtol=1e-12)
    assert trace["x"][0] == BASE.name.en and trace["x"][-1] == R57.name.en


def test_probability_bars_are_percent_of_draws():
    mc = monte_carlo(R57, 400, seed=2)
    trace = ca.probability_chart(mc, "vi")["data"][0]
    assert_allclose(trace["x"], [p * 100 for _, p in mc.probabilities])
    assert trace["y"][0] == mc.probabilities[0][0].label.vi


def test_tornado_bars_start_at_the_central_value():
    tr = tornado(R57, "grdp_2045")
    low, high = ca.tornado_chart(tr, "en")["data"]
    assert low["base"] == tr.base == high["base"]
    assert_allclose(low["x"][0] + tr.base, tr.bars[0].low)
    assert_allclose(high["x"][0] + tr.base, tr.bars[0].high)


def test_the_model_side_imports_no_ui_library():
    for path in [Path("sim/views/charts_analysis.py"), *Path("sim/analysis").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names = {a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        names |= {(n.module or "").split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not names & {"streamlit", "plotly"}, path
