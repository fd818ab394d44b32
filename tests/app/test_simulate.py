"""The Simulate page in Streamlit's AppTest: renders, wiring from sliders to the engine, language, resets, links."""

from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

from sim import engine
from sim.profiles import list_profiles, load_profile
from sim.scenario import baseline, load_scenario
from sim.views import fmt
from ui.safe import shown

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


def app(query: dict[str, str] | None = None, paths: bool = True) -> AppTest:
    """The app after its first run; ``paths``: with the year-by-year path editors open, as a planner opens them."""
    at = AppTest.from_file(APP, default_timeout=30)
    at.session_state["w_paths_box"] = paths
    if query:
        at.query_params.update(query)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


class _Cards(HTMLParser):
    """Reads the KPI cards (``data-kpi``) and scorecard rows (``data-target``) of the page's HTML blocks."""

    def __init__(self) -> None:
        super().__init__()
        self.cards: dict[str, dict[str, str]] = {}
        self.rows: dict[str, list[str]] = {}
        self._card: str | None = None
        self._row: str | None = None
        self._part: str | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "data-kpi" in a:
            self._card = a["data-kpi"]
            self.cards[self._card] = {}
        elif "data-target" in a:
            self._row = a["data-target"]
            self.rows[self._row] = []
        elif self._card and tag == "div" and a.get("class", "").startswith("nq-"):
            self._part = a["class"].split()[0][3:]  # label, value, delta
        elif self._card and tag == "small":
            self._part = "unit"
        elif self._card and tag == "div":
            self._part = "status"
        elif self._row and tag == "td":
            self.rows[self._row].append("")

    def handle_endtag(self, tag):
        if tag == "tr":
            self._row = None
        elif tag == "small":
            self._part = "value"

    def handle_data(self, data):
        if self._row and self.rows[self._row]:
            self.rows[self._row][-1] += data
        elif self._card and self._part:
            card = self.cards[self._card]
            card[self._part] = card.get(self._part, "") + data


def page_html(at: AppTest) -> _Cards:
    parser = _Cards()
    for block in at.get("html"):
        parser.feed(block.value)
    return parser


def kpi(at: AppTest, kid: str, year: int = 2030) -> dict[str, str]:
    """A KPI card's texts: 'label', 'value' (number and unit), 'delta' and the rest."""
    return page_html(at).cards[f"{kid}_{year}"]


def value(at: AppTest, kid: str, year: int = 2030) -> str:
    return kpi(at, kid, year)["value"]


def open_assumptions(at: AppTest) -> None:
    """Open the assumptions box (its sliders are drawn only while it is open)."""
    at.session_state["w_assumptions_box"] = True
    at.run()
    assert at.slider(key="w_inflation_2025")


def add_year(at: AppTest, pid: str, year: int) -> None:
    """Add a breakpoint year to a path with the path editor."""
    at.selectbox(key=f"w_{pid}_add_year").set_value(year)
    at.button(key=f"w_{pid}_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key=f"w_{pid}_{year}")


def header(at: AppTest) -> str:
    """The line under the title naming the scenario."""
    return next(m.value for m in at.markdown if m.value.startswith(("**Kịch bản:**", "**Scenario:**")))


def targets_met(s) -> int:
    """How many of the profile's targets a scenario meets, by the engine."""
    from sim.targets import evaluate_all

    return sum(bool(t.met[0]) for t in evaluate_all(engine.run(s), s.profile))


def digital_2030(s) -> float:
    return float(engine.run(s).at("Digital Economy|Share of GRDP", 2030)[0]) * 100


def test_first_page_shows_kpis_scorecard_and_charts():
    at = app()
    html = page_html(at)
    assert len(html.cards) == 12
    card = html.cards["digital_share_2030"]
    assert card["label"] == "Tỷ trọng kinh tế số trong GRDP"
    assert card["value"] == fmt.percent(digital_2030(baseline()), "vi", 1) == "19,4 %"
    assert card["delta"].startswith("= bằng cơ sở")
    assert "Chưa đạt" in card["status"] and "≥ 30 %" in card["status"]
    assert html.cards["grdp_nominal_2045"]["unit"] == "nghìn tỷ đồng"
    # the scorecard: every target of the profile, in its order
    assert list(html.rows) == [t.id for t in load_profile("binh-phuoc").targets]
    assert html.rows["digital_share_2030"][2:6] == ["19,4 %", "≥ 30 %", "10,6 điểm %", "✗ Chưa đạt"]
    # the two main charts are drawn by the live levers with the levers of the simple view; one more chart
    # at a time below, picked from a bar
    live = json.loads(at.get("bidi_component")[0].proto.bytes)  # sent as UTF-8 JSON bytes
    assert [lv["pid"] for lv in live["levers"]] == ["stid_budget_share", "rd_share_of_stid", "enterprise_rd_intensity"]
    first_cell = int.from_bytes(base64.b64decode(live["current"]["cells"])[:2], "little")
    assert live["strings"][first_cell] == "19,4"  # the card's number, as the card shows it
    assert at.get("plotly_chart") == []  # no plotly in the first view: the other charts are behind a box
    at.session_state["w_more_charts"] = True
    at.run()
    assert [c.key for c in at.get("plotly_chart")] == ["chart_nonstate_gap"]
    assert at.segmented_control(key="w_chart").value == "nonstate_gap"
    assert not [s for s in at.slider if s.key == "w_inflation_2030"]  # assumptions closed: not drawn
    assert at.selectbox(key="w_start_vi").value == "baseline"


def test_the_paths_open_on_demand_and_the_choices_stay_in_view():
    """The levers' numbers move on the page; their year-by-year paths are edited in a box opened on demand."""
    at = app(paths=False)
    keys = {w.key for w in at.slider}
    assert not any(k.startswith(("w_stid_budget_share_", "w_rd_share_of_stid_", "w_enterprise_rd")) for k in keys)
    assert at.radio(key="w_rule_mode")  # the lever's choice is in view
    at.session_state["w_paths_box"] = True
    at.run()
    # the baseline's paths: one value from 2025 on for the two budget levers, enterprise R&D held (no breakpoint)
    assert at.slider(key="w_stid_budget_share_2025").label == "Từ 2025: 1,0 % chi ngân sách"
    assert at.slider(key="w_rd_share_of_stid_2025")
    at.slider(key="w_stid_budget_share_2025").set_value(2.0).run()
    assert at.query_params["p"] in (["sb_2"], "sb_2")  # the link holds the one change
    assert value(at, "digital_share") == fmt.percent(
        digital_2030(baseline().with_changes(stid_budget_share=2.0)), "vi", 1
    )


@pytest.mark.parametrize("region", list_profiles())
def test_each_region_renders(region):
    at = app()
    at.selectbox(key="w_region").set_value(region).run()
    assert not at.exception
    prof = load_profile(region)
    assert prof.name.vi in at.title[0].value
    assert at.selectbox(key="w_start_vi").value == {"binh-phuoc": "baseline"}.get(region, f"{region}-baseline")
    base = baseline(region)
    assert value(at, "digital_share") == fmt.percent(digital_2030(base), "vi", 1)
    at.session_state["w_more_charts"] = True
    at.run()
    for chart in ("digital_share", "rd_spending", "envelope", "grdp"):
        at.segmented_control(key="w_chart").set_value(chart).run()
        assert not at.exception, chart
        assert [c.key for c in at.get("plotly_chart")] == [f"chart_{chart}"]
    at.segmented_control(key="w_grdp_mode").set_value("real").run()
    assert not at.exception and [c.key for c in at.get("plotly_chart")] == ["chart_grdp"]
    assert at.query_params["r"] == [region] or at.query_params["r"] == region


def test_envelope_slider_moves_the_kpi_by_what_the_engine_gives():
    at = app()
    before = value(at, "digital_share")
    add_year(at, "stid_budget_share", 2030)
    assert value(at, "digital_share") == before  # a new breakpoint at the path's own value moves nothing
    at.slider(key="w_stid_budget_share_2030").set_value(3.0).run()
    assert not at.exception
    # the same scenario built independently: 1 % from 2025, 3 % in 2030 and after
    s = baseline().with_changes(stid_budget_share={2025: 1.0, 2030: 3.0})
    expected = digital_2030(s)
    base = digital_2030(baseline())
    card = kpi(at, "digital_share")
    assert card["value"] == fmt.percent(expected, "vi", 1) != before
    assert card["delta"] == "▲ +" + fmt.number(expected - base, "vi", 1) + " điểm % so với cơ sở"
    assert_allclose(float(card["value"].replace(" %", "").replace(",", ".")), expected, atol=0.05)
    assert at.query_params["p"] in (["sb_2025_1_2030_3"], "sb_2025_1_2030_3")
    # the link shown for copying carries the same parameters
    assert at.code[0].value.endswith("&p=sb_2025_1_2030_3")
    # the value is shown the Vietnamese way beside the slider (the slider's own number is blank)
    assert at.slider(key="w_stid_budget_share_2030").label == "2030: 3,0 % chi ngân sách"


def test_language_toggle_switches_labels_and_number_format():
    at = app()
    assert value(at, "digital_share") == "19,4 %"
    assert value(at, "grdp_nominal", 2045) == "1.140,0"
    at.segmented_control(key="lang").set_value("en").run()
    assert not at.exception
    assert value(at, "digital_share") == "19.4 %"
    assert kpi(at, "digital_share")["label"] == "Digital economy share of GRDP"
    assert value(at, "grdp_nominal", 2045) == "1,140.0"
    assert kpi(at, "grdp_nominal", 2045)["unit"] == "trillion VND"
    assert page_html(at).rows["digital_share_2030"][5] == "✗ Not met"
    assert at.title[0].value.startswith("Simulate")
    assert at.slider(key="w_stid_budget_share_2025").label == "From 2025 on: 1.0 % of budget spending"
    # the starting-scenario box names the scenario in English too
    assert at.selectbox(key="w_start_en").format_func("baseline") == "Baseline – Bình Phước"


def test_the_language_clicked_twice_stays_and_the_link_follows():
    at = app()
    lang = at.segmented_control(key="lang")
    assert lang.value == "vi"
    lang.set_value("vi").run()  # the language already selected, clicked again
    assert at.segmented_control(key="lang").value == "vi" and at.title[0].value.startswith("Mô phỏng")
    assert at.query_params["l"] in (["vi"], "vi")
    at.segmented_control(key="lang").set_value("en").run()
    at.segmented_control(key="lang").set_value("en").run()
    assert at.segmented_control(key="lang").value == "en" and at.title[0].value.startswith("Simulate")
    assert at.query_params["l"] in (["en"], "en")


def test_reset_levers_and_assumptions_separately():
    at = app()
    add_year(at, "stid_budget_share", 2030)
    at.slider(key="w_stid_budget_share_2030").set_value(4.0).run()
    open_assumptions(at)
    at.slider(key="w_inflation_2025").set_value(6.0).run()
    moved = value(at, "digital_share")
    at.button(key="w_reset_levers").click().run()
    assert not at.exception
    assert at.slider(key="w_stid_budget_share_2025").value == 1.0
    assert not [x for x in at.slider if x.key == "w_stid_budget_share_2030"]  # the added year is gone too
    open_assumptions(at)
    assert at.slider(key="w_inflation_2025").value == 6.0  # assumptions untouched
    only_inflation = baseline().with_changes(inflation=6.0)
    assert value(at, "digital_share") == fmt.percent(digital_2030(only_inflation), "vi", 1)
    assert [e.label for e in at.expander if e.label.startswith("Giả định")] == ["Giả định · đã chỉnh 1"]
    at.button(key="w_reset_assumptions").click().run()
    assert value(at, "digital_share") == "19,4 %" != moved
    open_assumptions(at)
    assert at.slider(key="w_inflation_2025").value == 4.0
    assert at.button(key="w_reset_levers").disabled and at.button(key="w_reset_assumptions").disabled


def test_starting_scenario_and_reset_return_to_it():
    at = app()
    at.selectbox(key="w_start_vi").set_value("resolution57").run()
    res57 = load_scenario(ROOT / "scenarios/resolution57.yaml")
    assert value(at, "digital_share") == fmt.percent(digital_2030(res57), "vi", 1)
    assert header(at).startswith("**Kịch bản:** Lộ trình Nghị quyết 57 ")
    assert at.slider(key="w_enterprise_rd_intensity_2030").value == 0.8
    at.slider(key="w_rd_share_of_stid_2025").set_value(60.0).run()
    assert value(at, "digital_share") != fmt.percent(digital_2030(res57), "vi", 1)
    assert header(at).startswith("**Kịch bản:** Chưa lưu – sửa từ Lộ trình Nghị quyết 57 ")
    at.button(key="w_reset_levers").click().run()
    assert value(at, "digital_share") == fmt.percent(digital_2030(res57), "vi", 1)
    assert header(at).startswith("**Kịch bản:** Lộ trình Nghị quyết 57 ")
    assert at.query_params["s"] in (["resolution57"], "resolution57") and "p" not in at.query_params


def test_a_change_the_model_would_refuse_cannot_be_made_and_keeps_the_numbers():
    # a crowding-in of 2.0 contradicts Bình Phước's base-year R&D (limit 1.7985, docs/model.md §3): the slider
    # stops below it, and a link that asks for it is ignored with a notice naming the parameter
    at = app()
    open_assumptions(at)
    assert at.slider(key="w_rd_crowding_in").max == pytest.approx(1.75)
    before = value(at, "digital_share")
    linked = app({"v": "1", "r": "binh-phuoc", "s": "baseline", "p": "ci_2"})
    assert any("Hiệu ứng lôi kéo R" in w.value and "năm gốc" in w.value for w in linked.warning)
    assert value(linked, "digital_share") == before


def test_path_editor_shows_every_breakpoint_and_a_move_keeps_the_others():
    # issue 8: 3 % from 2025 and 7 % in 2030; a move of the 2030 slider up and back must keep 2025
    s = baseline().with_changes(stid_budget_share={2025: 3.0, 2030: 7.0})
    at = app({"v": "1", "r": "binh-phuoc", "s": "baseline", "p": "sb_2025_3_2030_7"})
    shown = {x.key: x.value for x in at.slider if x.key.startswith("w_stid_budget_share_")}
    assert shown == {"w_stid_budget_share_2025": 3.0, "w_stid_budget_share_2030": 7.0}
    met = f"đạt {targets_met(s)}/{len(s.profile.targets)} mục tiêu"
    assert met in header(at)
    at.slider(key="w_stid_budget_share_2030").set_value(7.1).run()
    at.slider(key="w_stid_budget_share_2030").set_value(7.0).run()
    assert at.slider(key="w_stid_budget_share_2025").value == 3.0
    assert met in header(at) and value(at, "digital_share") == fmt.percent(digital_2030(s), "vi", 1)
    # add 2045, set it, remove 2025: the others stay
    add_year(at, "stid_budget_share", 2045)
    at.slider(key="w_stid_budget_share_2045").set_value(5.0).run()
    at.button(key="w_stid_budget_share_del_2025").click().run()
    shown = {x.key: x.value for x in at.slider if x.key.startswith("w_stid_budget_share_")}
    assert shown == {"w_stid_budget_share_2030": 7.0, "w_stid_budget_share_2045": 5.0}
    expected = baseline().with_changes(stid_budget_share={2030: 7.0, 2045: 5.0})
    assert value(at, "digital_share") == fmt.percent(digital_2030(expected), "vi", 1)


def test_a_move_that_changes_the_targets_met_says_why():
    at = app()
    add_year(at, "stid_budget_share", 2030)
    assert not at.get("markdown") or not any("vì" in m.value for m in at.markdown if "không còn đạt" in m.value)
    at.slider(key="w_stid_budget_share_2030").set_value(3.5).run()
    before, after = baseline(), baseline().with_changes(stid_budget_share={2025: 1.0, 2030: 3.5})
    from sim.targets import evaluate_all

    flips = [
        a.target
        for b, a in zip(
            evaluate_all(engine.run(before), before.profile),
            evaluate_all(engine.run(after), after.profile),
            strict=True,
        )
        if bool(b.met[0]) != bool(a.met[0])
    ]
    assert flips  # by the engine, this move changes which targets are met
    lines = [m.value for m in at.markdown if "không còn đạt" in m.value or "nay đạt" in m.value]
    assert len(lines) == len(flips)
    for t, line in zip(flips, lines, strict=True):
        assert t.label.vi in line and " vì " in line
    nonstate = next(line for line in lines if "ngoài ngân sách" in line)
    assert "R&D công tăng nhanh hơn R&D ngoài nhà nước" in nonstate


def test_a_link_reproduces_the_numbers():
    s = baseline().with_changes(stid_budget_share={2024: 1.0, 2026: 2.0, 2030: 3.5, 2045: 4.0}, rd_share_of_stid=30.0)
    at = app({"v": "1", "r": "binh-phuoc", "s": "baseline", "l": "en", "p": "sb_2024_1_2026_2_2030_3.5_2045_4~rs_30"})
    assert value(at, "digital_share") == fmt.percent(digital_2030(s), "en", 1)
    assert at.slider(key="w_stid_budget_share_2045").value == 4.0
    assert not at.warning


def test_a_link_with_bad_values_shows_notices_and_does_not_crash():
    at = app({"v": "1", "r": "binh-phuoc", "p": "sb_2030_99~rs_abc~zz_1", "s": "../../etc/passwd"})
    texts = " ".join(shown(w.value) for w in at.warning)
    assert "Ngân sách KH,CN,ĐMST&CĐS" in texts and "đã đưa về 10" in texts
    assert "Tỷ trọng R&D trong ngân sách KH,CN" in texts
    assert "«zz»" in texts and "../../etc/passwd" in texts
    assert at.slider(key="w_stid_budget_share_2030").value == 10.0
    s = baseline().with_changes(stid_budget_share={2030: 10.0})
    assert value(at, "digital_share") == fmt.percent(digital_2030(s), "vi", 1)


def test_a_link_of_garbage_does_not_crash():
    at = app({"v": "\x00" * 50, "r": "x" * 5000, "p": "~_~" * 3000, "l": "zz"})
    assert at.warning
    assert value(at, "digital_share") == "19,4 %"


def test_uncertainty_switch_shows_the_analysis_panel():
    at = app()
    at.toggle(key="w_uncertainty").set_value(True).run()
    assert not at.exception
    assert len(at.get("plotly_chart")) > 1  # the panel adds its own charts under the page's chart


def test_save_panel_saves_what_the_sliders_show_and_the_header_follows(library):
    from sim.scenario import load_scenario as load

    at = app()
    add_year(at, "stid_budget_share", 2030)
    at.slider(key="w_stid_budget_share_2030").set_value(2.5).run()
    assert header(at).startswith("**Kịch bản:** Chưa lưu – sửa từ ")
    at.session_state["w_save_box"] = True
    at.run()
    at.text_input(key="save_name").input("Kế hoạch thử")
    at.button(key="save_submit").click().run()
    assert not at.exception
    new = [p for p in library.glob("*.yaml") if p.stem not in {f.stem for f in (ROOT / "scenarios").glob("*.yaml")}]
    assert len(new) == 1
    saved = load(new[0])
    expected = baseline().with_changes(stid_budget_share={2025: 1.0, 2030: 2.5})
    assert saved.content_hash() == expected.content_hash() and saved.name.vi == "Kế hoạch thử"
    # the header now names the saved scenario, and the link names it
    assert header(at).startswith("**Kịch bản:** Kế hoạch thử ")
    assert any("Đã lưu «Kế hoạch thử»" in x.value for x in at.success)
    assert at.query_params["s"] in ([new[0].stem], new[0].stem)
    # saving the same content again says it is already saved and writes nothing
    at.text_input(key="save_name").input("Kế hoạch thử")
    at.button(key="save_submit").click().run()
    assert any("đã được lưu trong thư viện với tên «Kế hoạch thử»" in x.value for x in at.info)
    assert len(list(library.glob("*.yaml"))) == len(list((ROOT / "scenarios").glob("*.yaml"))) + 1


@pytest.mark.parametrize(
    ("region", "top"),
    [
        ("binh-phuoc", 1.75),  # 0.15 % / (40 % × 1 % × 13.4 %) − 1 = 1.7985, down to the 0.05 step
        ("vietnam", 0.90),  # 0.42 % / (36 % × 3 % × 20 %) − 1 = 0.9444
        ("dong-nai", 2.0),  # 0.30 % / (40 % × 1.5 % × 10 %) − 1 = 4.0: the schema's own top holds
    ],
)
def test_crowding_in_slider_stops_where_the_base_year_cannot_be_calibrated(region, top):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["scenario"] = baseline(region)
    at.session_state["w_assumptions_box"] = True  # the assumptions are drawn while their box is open
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="w_rd_crowding_in").max == pytest.approx(top)
