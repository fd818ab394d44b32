"""Stories: the shipped Bình Phước story loads, each step builds, the last step meets every 2030 target."""

from __future__ import annotations

import re
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from babel.numbers import format_decimal

from sim.analysis.optimize import PlanSettings, cheapest_plan, plan_constraints
from sim.engine import run
from sim.errors import InputError
from sim.scenario import load_scenario
from sim.story import build_steps, filled, list_stories, load_story, loads_story, placeholders, step_changes
from sim.targets import evaluate_all

ROOT = Path(__file__).resolve().parents[1]
STORY = ROOT / "stories" / "binh-phuoc.yaml"
COST = "Cost|STI and DX|2025-2030|Real"  # Bình Phước: base year 2024


@pytest.fixture(scope="module")
def steps():
    return build_steps(load_story(STORY))


def test_every_shipped_story_loads_and_builds():
    assert STORY in list_stories()
    for path in list_stories():
        story = load_story(path)
        scenarios = build_steps(story)
        assert len(scenarios) == len(story.steps) >= 2
        for s in scenarios:
            assert s.region == story.region
            run(s)  # every step computes


def test_the_steps_are_the_story_s_scenarios(steps):
    names = [s.name.en for s in steps]
    assert names[0].startswith("1.") and names[-1].startswith("4.")
    assert steps[0].changes == {}
    # Step 3 names the Resolution-57 preset; step 2 is its envelope without the enterprises.
    preset = load_scenario(ROOT / "scenarios" / "resolution57.yaml")
    assert steps[2].content_hash() == preset.content_hash()
    assert steps[1].levers["stid_budget_share"] == preset.levers["stid_budget_share"]
    assert "enterprise_rd_intensity" not in steps[1].changes


def test_each_step_says_what_it_changes(steps):
    changed = [[c.id for c in step_changes(a, b, "en")] for a, b in pairwise(steps)]
    assert changed == [
        ["stid_budget_share"],
        ["enterprise_rd_intensity"],
        ["stid_budget_share", "rd_share_of_stid"],
    ]
    assert step_changes(None, steps[0]) == []
    text = [str(c) for c in step_changes(steps[2], steps[3], "vi")]
    assert (
        text[1] == "Tỷ trọng R&D trong ngân sách KH,CN: 40 % ngân sách KH,CN,ĐMST&CĐS → 51 % ngân sách KH,CN,ĐMST&CĐS"
    )
    assert "2025: 2,1, 2030: 6,1" in text[0]


def _direct_checks(scenario) -> dict[str, bool]:
    """The 2030 targets and the rules, read straight off the engine's variables (not sim.targets)."""
    r = run(scenario)
    after = slice(1, None)  # every year after the base year
    S, F = r.single("Budget|STI and DX"), r.single("Budget|Central Floor")
    return {
        "digital_share_2030": float(r.at("Digital Economy|Share of GRDP", 2030)[0]) >= 0.30,
        "rd_intensity_2030": float(r.at("R&D|Share of GRDP", 2030)[0]) >= 0.015,
        "rd_nonstate_share_2030": float(r.at("R&D|Non-state Share", 2030)[0]) >= 0.60,
        "grdp_per_capita_2030": float(r.at("GRDP per Capita", 2030)[0]) >= 180.0,
        "envelope_above_floor": bool((S[after] >= F[after] * (1 - 1e-12)).all()),
        "envelope_non_decreasing": bool((np.diff(S) >= 0).all()),
    }


def test_the_last_step_meets_every_modelled_2030_target(steps):
    last = steps[-1]
    assert all(_direct_checks(last).values()), _direct_checks(last)
    res = run(last)
    checked = [t for t in evaluate_all(res, last.profile) if t.target.year in (2030, None)]
    # Not the story's constraints (see the story file): the 9 %/yr growth plan, out of reach of any budget mix
    # under the baseline growth assumption, and the national 3 % rule, a reference for Bình Phước.
    assert {t.id for t in checked} == set(_direct_checks(last)) | {"growth_avg_2030", "envelope_share_3pct"}
    assert all(bool(t.met[0]) for t in checked if t.id in _direct_checks(last))


def test_the_earlier_steps_do_not(steps):
    for s in steps[:-1]:
        assert not all(_direct_checks(s).values()), s.name.en


def test_a_slightly_smaller_envelope_misses_a_target(steps):
    # One slider step (0.1 % of budget spending) less in 2025 or in 2030 and a target is missed.
    last = steps[-1]
    path = last.levers["stid_budget_share"]
    for year in path:
        smaller = last.with_changes(stid_budget_share={**path, year: round(path[year] - 0.1, 1)})
        assert not all(_direct_checks(smaller).values()), year


def test_the_optimiser_s_plan_is_no_dearer_than_the_story_s_last_step(steps):
    # The story's mix jumps 1.1 points of budget and 11 points of R&D share in 2025, so it is a plan only without
    # those two pace limits; it holds every other constraint then, and the year-by-year plan must cost no more.
    settings = PlanSettings(envelope_step=None, share_step=None)
    ours = steps[-1]
    res = run(ours)
    assert all(float(c.slack(res).min()) >= -1e-9 for c in plan_constraints(ours.profile, settings))
    best = cheapest_plan(steps[2], settings).best
    assert best.feasible
    assert best.cost_real <= float(res.cost("Budget|Fiscal Cost", "2025-2030", "Real")[0]) * (1 + 1e-9)


# ---------------------------------------------------------------- bad story files

GOOD = """
title: {vi: "T", en: "T"}
region: binh-phuoc
steps:
  - scenario: baseline
    title: {vi: "a", en: "a"}
    caption: {vi: "c", en: "c"}
  - levers: {stid_budget_share: 3.0}
    title: {vi: "b", en: "b"}
    caption: {vi: "c", en: "c"}
"""


def test_a_good_story_text_loads():
    story = loads_story(GOOD, "x.yaml")
    assert [s.title.en for s in story.steps] == ["a", "b"]
    built = build_steps(story)
    assert built[1].levers == {"stid_budget_share": 3.0}


@pytest.mark.parametrize(
    ("text", "key", "problem"),
    [
        (GOOD.replace("region: binh-phuoc", "region: atlantis"), "region", "unknown region 'atlantis'"),
        (GOOD.replace("title: {vi: \"T\"", "colour: red\ntitle: {vi: \"T\""), "colour", "unknown key"),
        (GOOD.replace("stid_budget_share: 3.0", "stid_budget_share: 30.0"), "steps[1].levers.stid_budget_share",
         "outside the allowed range"),
        (GOOD.replace("stid_budget_share: 3.0", "budget_magic: 3.0"), "steps[1].levers.budget_magic",
         "unknown parameter id"),
        (GOOD.replace("levers: {stid_budget_share: 3.0}", "levers: {inflation: 3.0}"), "steps[1].levers.inflation",
         "is an assumption"),
        (GOOD.replace("stid_budget_share: 3.0", "stid_budget_share: {1999: 3.0}"),
         "steps[1].levers.stid_budget_share.1999", "outside 2024..2045"),
        (GOOD.replace("  - scenario: baseline\n", "  - levers: {rd_share_of_stid: 50}\n"), "steps[0]",
         "the first step must name a scenario"),
        (GOOD.replace("scenario: baseline", "scenario: ../../etc/passwd"), "steps[0].scenario", "path separators"),
        (GOOD.replace("    caption: {vi: \"c\", en: \"c\"}\n  - levers", "  - levers"), "steps[0].caption",
         "needs a caption"),
        (GOOD.replace("    title: {vi: \"b\", en: \"b\"}\n", "    tittle: {vi: \"b\", en: \"b\"}\n"),
         "steps[1].tittle", "unknown key"),
        (GOOD.replace('caption: {vi: "c", en: "c"}', 'caption: {vi: "{digital_share_2099}", en: "c"}', 1),
         "steps[0].caption.vi", "placeholder {digital_share_2099}: year 2099 is outside 2024..2045"),
        (GOOD.replace('caption: {vi: "c", en: "c"}', 'caption: {vi: "c", en: "R&D {rd_magic_2030}"}', 1),
         "steps[0].caption.en", "placeholder {rd_magic_2030}: unknown placeholder"),
        (GOOD.replace('caption: {vi: "c", en: "c"}', 'caption: "c"\n    notes: "{digital_share}"', 1),
         "steps[0].notes.vi", "placeholder {digital_share}: a result needs its year"),
        (GOOD.replace('caption: {vi: "c", en: "c"}', 'caption: "{digital_share_2030:.1f}"', 1),
         "steps[0].caption.vi", "takes no format"),
        (GOOD.replace('caption: {vi: "c", en: "c"}', 'caption: "a { b"', 1), "steps[0].caption.vi", "literal brace"),
        ("title: x\nregion: binh-phuoc\nsteps: []\n", "steps", "at least one step"),
        ("- just\n- a list\n", None, "expected a mapping"),
        ("title: &a x\nregion: binh-phuoc\nsteps: [*a]\n", None, "aliases"),
        ("", None, "empty"),
    ],
)  # fmt: skip
def test_bad_story_files_give_clear_errors(text, key, problem):
    with pytest.raises(InputError) as err:
        loads_story(text, "stories/bad.yaml")
    assert err.value.source == "stories/bad.yaml"
    assert err.value.key == key
    assert problem in err.value.message
    assert str(err.value).startswith("stories/bad.yaml")


def test_a_step_naming_a_missing_or_foreign_scenario_is_refused_when_built(tmp_path, monkeypatch):
    monkeypatch.setenv("NQ57_SCENARIO_DIR", str(tmp_path))
    missing = loads_story(GOOD.replace("scenario: baseline", "scenario: no-such-plan"), "s.yaml")
    with pytest.raises(InputError, match=r"s\.yaml: steps\[0\]\.scenario: scenario 'no-such-plan'"):
        build_steps(missing)
    foreign = loads_story(GOOD.replace("scenario: baseline", "scenario: dong-nai-baseline"), "s.yaml")
    with pytest.raises(InputError, match="is for dong-nai, the story for binh-phuoc"):
        build_steps(foreign)


def test_a_library_scenario_can_be_a_step(tmp_path, monkeypatch):
    monkeypatch.setenv("NQ57_SCENARIO_DIR", str(tmp_path))
    (tmp_path / "my-plan.yaml").write_text("name: Mine\nregion: binh-phuoc\nlevers: {rd_share_of_stid: 55}\n")
    story = loads_story(GOOD.replace("scenario: baseline", "scenario: my-plan"), "s.yaml")
    built = build_steps(story)
    assert built[0].levers == {"rd_share_of_stid": 55.0}
    assert built[1].levers == {"rd_share_of_stid": 55.0, "stid_budget_share": 3.0}


def test_a_missing_story_file_is_named(tmp_path):
    with pytest.raises(InputError, match="no such story file"):
        load_story(tmp_path / "nope.yaml")


def _pct(x: float, lang: str, decimals: int) -> str:
    """A percentage written by hand with Babel's locale data (not through sim.views.fmt)."""
    pattern = "#,##0." + "0" * decimals
    return format_decimal(round(x, decimals), format=pattern, locale={"vi": "vi_VN", "en": "en"}[lang]) + " %"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_captions_are_filled_from_each_step_s_engine_run(steps, lang):
    story = load_story(STORY)
    for step, scen in zip(story.steps, steps, strict=True):
        res = run(scen)
        caption = scen.description(lang)
        assert "{" not in caption and "}" not in caption
        raw = step.caption(lang)
        if "{digital_share_2030}" in raw:  # one decimal from 10 %
            assert _pct(float(res.at("Digital Economy|Share of GRDP", 2030)[0]) * 100, lang, 1) in caption
        if "{rd_intensity_2030}" in raw:  # two decimals below 10 %
            assert _pct(float(res.at("R&D|Share of GRDP", 2030)[0]) * 100, lang, 2) in caption
    # The last step's caption: its own settings and the engine's R&D intensity, in words.
    last = steps[-1].description(lang)
    rd = _pct(float(run(steps[-1]).at("R&D|Share of GRDP", 2030)[0]) * 100, lang, 2)
    expected = {
        "vi": f"từ 2,1 % (2025) lên 6,1 % chi ngân sách (2030), 51 % cho R&D. R&D đạt {rd} GRDP",
        "en": f"from 2.1 % (2025) to 6.1 % of budget spending (2030), 51 % of it for R&D. R&D reaches {rd} of GRDP",
    }[lang]
    assert expected in last


def test_notes_and_money_placeholders_follow_the_engine(steps):
    story = load_story(STORY)
    cost = float(run(steps[0]).cost("Budget|STI and DX", "2025-2030")[0])  # bn VND, current prices
    vi = filled(story.steps[0].notes, steps[0]).vi
    assert f"{format_decimal(round(cost), format='#,##0', locale='vi_VN')} tỷ đồng" in vi
    gdp_pc = float(run(steps[-1]).at("GRDP per Capita", 2030)[0])
    en = filled(story.steps[-1].notes, steps[-1]).en
    assert f"{format_decimal(round(gdp_pc, 1), format='#,##0.0', locale='en')} million VND" in en


def test_the_shipped_story_writes_no_model_number_by_hand():
    """Numbers left in the text are years, step numbers, the policy's own targets and the resolution's number."""
    story = load_story(STORY)
    steps = {str(i + 1) for i in range(len(story.steps))}
    allowed = {"2025", "2026", "2030", "2045", "57", "3", "1,5", "1.5", "9", *steps}
    for i, step in enumerate(story.steps):
        for text in (step.caption, step.notes):
            for lang in ("vi", "en"):
                raw = re.sub(r"\{[a-z0-9_]+\}", "", text(lang))
                numbers = set(re.findall(r"\d+(?:[.,]\d+)?", raw))
                assert numbers <= allowed, (i, lang, numbers - allowed)
        assert placeholders(step.caption("vi")) and placeholders(step.caption("en"))
