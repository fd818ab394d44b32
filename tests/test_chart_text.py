"""Text from users is text in every chart: a scenario's name with tags draws no link in plotly."""

from __future__ import annotations

import dataclasses
import json

import plotly.graph_objects as go

from sim import engine
from sim.analysis.attribution import shapley
from sim.params import Text
from sim.provenance import stamp
from sim.scenario import baseline
from sim.views import charts, charts_analysis, charts_compare, theme

EVIL = '<a href="http://evil.example/x">click</a> <img src=x> <b>ok'


def _evil_scenario():
    base = baseline()
    changed = base.with_changes(stid_budget_share={2024: 1.0, 2030: 4.0})
    return dataclasses.replace(changed, name=Text(vi=EVIL, en=EVIL))


def _strings(spec: object) -> str:
    return json.dumps(spec, ensure_ascii=False)


def test_plain_text_keeps_the_charts_own_tags_and_escapes_every_other():
    got = theme.plain_text({"a": ["x<br>y", "<extra>n</extra>", "<b>t</b>", '<a href="u">l</a>', "1 < 2"]})
    assert got == {"a": ["x<br>y", "<extra>n</extra>", "<b>t</b>", '&lt;a href="u">l&lt;/a>', "1 &lt; 2"]}


def test_no_chart_carries_a_users_tag():
    evil = _evil_scenario()
    base = baseline()
    r, b = engine.run(evil), engine.run(base)
    specs = list(charts.all_charts(r, b, evil.profile, "vi", stamp(evil, "vi"), name=EVIL).values())
    specs += [charts_compare.overlay([(evil, r), (base, b)], spec, "en") for spec in charts_compare.COMPARE_CHARTS]
    specs.append(charts_analysis.waterfall_chart(shapley(evil, base, "digital_share_2030"), "vi"))
    for spec in specs:
        text = _strings(spec)
        assert "<a " not in text and "<img" not in text and "</a>" not in text, theme.title_of(spec)
        assert "&lt;a href" in text, theme.title_of(spec)  # the name is there, as characters
        go.Figure(spec)  # still a valid figure


def test_a_name_excel_would_run_is_text_in_the_comparison_csv():
    import csv
    import io

    from sim.compare import csv_bytes

    evil = dataclasses.replace(baseline(), name=Text(vi='=HYPERLINK("http://evil.example","x")', en="-2+3"))
    rows = list(csv.DictReader(io.StringIO(csv_bytes([(evil, engine.run(evil))], "vi").decode("utf-8-sig"))))
    assert {r["scenario"] for r in rows} == {'\'=HYPERLINK("http://evil.example","x")'}
    # numbers stay numbers
    assert all(isinstance(float(r["value"]), float) and not r["value"].startswith("'") for r in rows)
