"""The one chart theme: every chart of every builder takes its palette, type, legend, stamp and labels from it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np
import plotly.graph_objects as go
import pytest

from sim import engine
from sim.analysis.attribution import shapley
from sim.analysis.calibration import k0_fit
from sim.analysis.goalseek import goal_seek
from sim.analysis.montecarlo import FAN_VARIABLES, monte_carlo
from sim.analysis.sensitivity import sobol, tornado
from sim.provenance import stamp
from sim.scenario import baseline, load_scenario
from sim.views import charts, charts_analysis, charts_compare, charts_data, theme

R57 = load_scenario("scenarios/resolution57.yaml")
BASE = baseline("binh-phuoc")
# A scenario whose non-state share falls below 60 % from 2025 on (the red crosses of the 60 % rule).
HIGH = BASE.with_changes(stid_budget_share={2024: 1.0, 2026: 5.0, 2030: 5.0, 2045: 5.0})
ALLOWED = {*theme.PALETTE.values(), *theme.SERIES}


def _simulate(scn, lang: str) -> Iterator[tuple[str, dict, list, int]]:
    base = baseline(scn.region)
    res, bres = engine.run(scn), engine.run(base)
    for real in (False, True):
        for cid, spec in charts.all_charts(res, bres, scn.profile, lang, stamp(scn, lang), real_grdp=real).items():
            yield f"{scn.region} {cid}{' real' if real else ''}", spec, [scn], theme.MAX_LEGEND


@pytest.fixture(scope="module", params=["vi", "en"])
def every_chart(request) -> tuple[str, list[tuple[str, dict, list, int]]]:
    """(language, [(name, spec, scenarios in its stamp, most legend entries allowed)]) for every builder."""
    lang = request.param
    out = [*_simulate(R57, lang), *_simulate(baseline("dong-nai"), lang), *_simulate(HIGH, lang)]
    runs = [(s, engine.run(s)) for s in (BASE, R57, HIGH)]
    for cs in charts_compare.COMPARE_CHARTS:
        out.append((f"compare {cs.id}", charts_compare.overlay(runs, cs, lang), [BASE], len(runs)))
    mc = monte_carlo(R57, 200, seed=0)
    ca = charts_analysis
    for v in FAN_VARIABLES:
        out.append((f"fan {v}", ca.fan_chart(mc, v, lang), [R57], theme.MAX_LEGEND))
    out += [
        ("probability", ca.probability_chart(mc, lang), [R57], theme.MAX_LEGEND),
        ("tornado", ca.tornado_chart(tornado(R57, "digital_share_2030"), lang), [R57], theme.MAX_LEGEND),
        ("waterfall", ca.waterfall_chart(shapley(BASE, R57, "grdp_2045"), lang), [BASE, R57], theme.MAX_LEGEND),
        ("sobol", ca.sobol_chart(sobol(R57, "digital_share_2030", base_draws=32), lang), [R57], theme.MAX_LEGEND),
        ("seek", ca.seek_chart(goal_seek(BASE, "digital_share_2030", "stid_budget_share"), lang), [BASE], 4),
        ("k0 fit", charts_data.k0_fit_chart(k0_fit(0.60), lang), [], theme.MAX_LEGEND),
    ]
    return lang, out


def colours(obj: Any) -> Iterator[str]:
    """Every colour string in a trace or layout part (keys 'color' and 'fillcolor', lists included)."""
    if isinstance(obj, dict):
        for k, v in obj.items():
            if k in ("color", "fillcolor"):
                yield from ([v] if isinstance(v, str) else [c for c in v if isinstance(c, str)])
            else:
                yield from colours(v)
    elif isinstance(obj, list):
        for v in obj:
            yield from colours(v)


def labels(spec: dict) -> list[dict]:
    return [a for a in spec["layout"].get("annotations", []) if a.get("name") == "label"]


def test_every_chart_uses_the_palette_and_the_type_sizes(every_chart):
    _, specs = every_chart
    s = theme.SIZES["screen"]
    for name, spec, _, _ in specs:
        go.Figure(spec)  # plotly accepts it
        lay = spec["layout"]
        used = set(colours(spec["data"])) | set(colours(lay.get("shapes", []))) | set(colours(labels(spec)))
        assert used <= ALLOWED, f"{name}: colours outside the theme {used - ALLOWED}"
        assert lay["font"]["size"] == s.font and lay["font"]["family"] == theme.FONT_FAMILY, name
        assert lay["legend"]["font"]["size"] == s.legend, name
        for key in [k for k in lay if k.startswith(("xaxis", "yaxis"))]:
            assert lay[key]["tickfont"]["size"] == s.tick, (name, key)
        for a in labels(spec):
            assert a["font"]["size"] == s.label, name


def test_every_chart_carries_the_stamp_and_the_language_separators(every_chart):
    lang, specs = every_chart
    for name, spec, scenarios, _ in specs:
        assert spec["layout"]["separators"] == {"vi": ",.", "en": ".,"}[lang], name
        for scn in scenarios:
            assert stamp(scn, lang) in theme.stamp_text(spec), name
        (stamp_note,) = [a for a in spec["layout"]["annotations"] if theme.is_stamp(a)]
        assert stamp_note["font"]["size"] == theme.SIZES["screen"].stamp
        # ticks and hovers are d3 formats, so plotly writes them with the separators above
        for key in [k for k in spec["layout"] if k.startswith(("xaxis", "yaxis"))]:
            assert spec["layout"][key].get("tickformat", theme.TICK_FORMAT) in (theme.TICK_FORMAT, ",.0f"), name


def test_legends_are_short(every_chart):
    _, specs = every_chart
    for name, spec, _, most in specs:
        entries = theme.legend_entries(spec)
        assert len(entries) <= most, f"{name}: {entries}"
        if name.startswith("compare"):
            assert len(entries) == most  # one entry per scenario, the targets are labelled in place


def test_labels_stay_inside_the_plot(every_chart):
    _, specs = every_chart
    for name, spec, _, _ in specs:
        data_x = [x for t in spec["data"] for x in t.get("x", []) if isinstance(x, int | float)]
        for a in labels(spec):
            if a["xref"] == "paper":
                assert 0 <= a["x"] <= 1, name
                assert a["xanchor"] == ("right" if a["x"] > 0.5 else "left"), name
            else:
                first, last = min(data_x), max(data_x)
                assert first <= a["x"] <= last, name
                if a["x"] == last:
                    assert a["xanchor"] == "right", f"{name}: {a['text']} would run past the right edge"
                if a["x"] == first:
                    assert a["xanchor"] == "left", name


def test_target_labels_are_written_the_languages_way():
    for lang, grdp_label, rd_label in (
        ("vi", "≥ 1.200", "Mục tiêu 1,5 %"),
        ("en", "≥ 1,200", "Target 1.5 %"),
    ):
        dn = baseline("dong-nai")
        res, bres = engine.run(dn), engine.run(dn)
        spec = charts.grdp(res, bres, dn.profile, lang, stamp(dn, lang))
        # Đồng Nai's 2030 target: 1.2 million bn VND = 1,200 trillion VND (DATA.md)
        assert [a["text"] for a in labels(spec)] == [grdp_label]
        r = engine.run(R57)
        rd = charts.rd_spending(r, r, R57.profile, lang, stamp(R57, lang))
        assert rd_label in [a["text"] for a in labels(rd)]
        digital = charts.digital_share(r, r, R57.profile, lang, stamp(R57, lang))
        assert [a["text"] for a in labels(digital)] == ["2030: ≥ 30 %", "2045: ≥ 40 %"]
        last = [a for a in labels(digital) if a["x"] == 2045]
        assert last[0]["xanchor"] == "right"  # ends at the marker: never cut at the right edge


@pytest.mark.parametrize("scn", [R57, HIGH, BASE], ids=["r57", "high", "baseline"])
def test_the_60_percent_label_does_not_cover_the_share_markers(scn):
    r = engine.run(scn)
    spec = charts.rd_spending(r, r, scn.profile, "vi", stamp(scn, "vi"))
    (label,) = [a for a in labels(spec) if "60" in a["text"]]
    assert (label["yref"], label["y"]) == ("y2", 60.0)
    # the markers by hand: the non-state share in percent, evenly spread across the plot's width
    share = r.single("R&D|Non-state") / r.single("R&D|Total") * 100
    xs = np.linspace(0, 1, len(share))
    w, h = theme.label_box(label["text"])
    x0, x1 = (label["x"] - w, label["x"]) if label["xanchor"] == "right" else (label["x"], label["x"] + w)
    y0, y1 = (0.60, 0.60 + h) if label["yanchor"] == "bottom" else (0.60 - h, 0.60)
    inside = [(x, y) for x, y in zip(xs, share / 100, strict=True) if x0 <= x <= x1 and y0 <= y <= y1]
    assert not inside, f"the label at {label['xanchor']}/{label['yanchor']} covers {inside}"


def test_projector_variant_enlarges_type_keeps_the_stamp_and_labels_inside(every_chart):
    _, specs = every_chart
    p = theme.SIZES["projector"]
    for name, spec, _, _ in specs:
        big = theme.present(spec, "projector")
        lay = big["layout"]
        assert "title" not in lay and theme.title_of(spec)  # shown as a heading above the chart
        assert lay["font"]["size"] == p.font and lay["legend"]["font"]["size"] == p.legend, name
        assert theme.stamp_text(big) == theme.stamp_text(spec)
        assert [a["x"] for a in labels(big)] == [a["x"] for a in labels(spec)]
        assert all(a["font"]["size"] == p.label for a in labels(big))
        if lay["legend"].get("orientation") == "h":  # the legend's rows above the plot have room
            assert lay["margin"]["t"] >= theme.legend_rows(theme.legend_entries(big), "projector") * p.legend
        assert spec["layout"]["font"]["size"] == theme.SIZES["screen"].font  # the original is not changed


def test_dark_variant_uses_the_dark_palette(every_chart):
    _, specs = every_chart
    allowed = {*theme.DARK_PALETTE.values(), *theme.DARK_SERIES}
    for name, spec, _, _ in specs:
        dark = theme.present(spec, "projector", dark=True)
        used = set(colours(dark["data"])) | set(colours(dark["layout"].get("shapes", [])))
        assert used <= allowed, f"{name}: {used - allowed}"
        assert dark["layout"]["plot_bgcolor"] == theme.DARK_PALETTE["background"]


def test_legend_room_grows_with_the_legend_rows():
    def spec(names: list[str]) -> dict:
        data = [{"type": "scatter", "name": n, "x": [2024], "y": [1]} for n in names]
        return theme.finish({"data": data, "layout": theme.layout("T", "en", "NQ57 simulator · x")})

    one, three = spec(["a", "b"]), spec(["a rather long scenario name " * 2] * 4)
    assert theme.legend_rows(["a rather long scenario name " * 2] * 4) > 1
    assert three["layout"]["margin"]["t"] > one["layout"]["margin"]["t"]
    assert three["layout"]["height"] > one["layout"]["height"]


def test_an_unknown_size_variant_is_a_clear_error():
    with pytest.raises(ValueError, match="size variant: 'huge' is not one of screen, projector"):
        theme.sizes("huge")


def test_long_legend_names_are_cut_and_the_hover_keeps_them():
    long = "Chưa lưu – sửa từ Lộ trình Nghị quyết 57 (Bình Phước)"
    data = [{"type": "scatter", "name": long, "x": [2024], "y": [1], "hovertemplate": "%{y:,} %"}]
    screen = theme.finish({"data": data, "layout": theme.layout("T", "vi", "NQ57 simulator · x")})
    assert screen["data"][0]["name"] == long  # a page has the room
    spec = theme.present(screen, "projector")
    name = spec["data"][0]["name"]
    assert len(name) == theme.LEGEND_NAME_MAX and name.endswith("…") and long.startswith(name[:-1])
    assert f"<extra>{long}</extra>" in spec["data"][0]["hovertemplate"]


def test_projector_stamp_lines_fit_a_narrow_chart():
    r = engine.run(R57)
    spec = charts.rd_spending(r, r, R57.profile, "vi", stamp(R57, "vi"))
    big = theme.present(spec, "projector")
    (note,) = [a for a in big["layout"]["annotations"] if theme.is_stamp(a)]
    lines = note["text"].split("<br>")
    assert max(len(line) for line in lines) <= theme.STAMP_CHARS["projector"]
    assert theme.stamp_text(big) == stamp(R57, "vi")  # nothing lost, only wrapped
