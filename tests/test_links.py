"""Shareable links: round trips, a property over the schema's ranges, and hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from numpy.testing import assert_array_equal

from sim import engine, links
from sim.params import Text, schema
from sim.profiles import list_profiles
from sim.scenario import Scenario, baseline, from_dict, load_scenario
from tests.strategies import parameter_value

ROOT = Path(__file__).resolve().parents[1]
PRESETS = {p.stem: load_scenario(p) for p in sorted((ROOT / "scenarios").glob("*.yaml"))}
UNRESERVED = re.compile(r"[A-Za-z0-9._~=&-]*")


def find(sid: str) -> Scenario | None:
    return PRESETS.get(sid)


def same_results(a: Scenario, b: Scenario) -> None:
    ra, rb = engine.run(a), engine.run(b)
    for var in ra.variables:
        assert_array_equal(ra[var], rb[var], err_msg=var)


def valid(s: Scenario) -> bool:
    from_dict(s.to_dict(), "test")
    try:
        engine.run(s)
    except Exception:
        return False
    return True


# ---------------------------------------------------------------- round trips


def test_every_parameter_has_a_short_unique_code():
    codes = [p.code for p in schema().values()]
    assert len(set(codes)) == len(codes)
    assert all(re.fullmatch(r"[a-z]{1,3}", c) for c in codes)


def test_presets_round_trip_with_their_changes_in_the_link():
    for sid, s in PRESETS.items():
        params = links.encode(s, "en")  # no start: every change is in the link
        assert "p" in params
        assert UNRESERVED.fullmatch(links.query_string(params)), params
        d = links.decode(params, find)
        assert d is not None and d.notices == []
        assert d.scenario.content_hash() == s.content_hash(), sid
        assert d.lang == "en" and d.region == s.region
        same_results(d.scenario, s)


def test_an_unchanged_preset_gives_a_short_link_and_comes_back_as_itself():
    s = PRESETS["resolution57"]
    params = links.encode(s, "vi", "resolution57", s)
    assert params == {"v": "1", "r": "binh-phuoc", "s": "resolution57", "l": "vi"}
    d = links.decode(params, find)
    assert d is not None and d.scenario == s and d.start_id == "resolution57" and d.notices == []


def test_a_modified_preset_keeps_its_start_and_its_changes():
    start = PRESETS["resolution57"]
    s = start.with_changes(stid_budget_share={2024: 1.0, 2026: 3.0, 2030: 4.5, 2045: 3.5}, inflation=5.5)
    params = links.encode(s, "vi", "resolution57", start)
    assert params["p"] == "sb_2024_1_2026_3_2030_4.5_2045_3.5~er_2030_0.8_2045_1.2~rm_report~pi_5.5"
    d = links.decode(params, find)
    assert d.start_id == "resolution57" and d.notices == []
    assert d.scenario.content_hash() == s.content_hash()
    assert d.scenario.name == start.name and d.scenario.status == "draft"


def test_empty_changes_mean_the_profile_defaults():
    d = links.decode({"v": "1", "r": "dong-nai", "s": "resolution57", "p": ""}, find)
    # the start is of another region: a notice, and the link's own (empty) changes on dong-nai
    assert d.region == "dong-nai" and d.scenario.changes == {} and d.start_id is None
    assert any("another region" in n.en for n in d.notices)


def test_a_plain_visit_is_not_a_link():
    assert links.decode({}, find) is None
    assert links.decode({"embed": "true"}, find) is None


# ---------------------------------------------------------------- property over the schema ranges


@st.composite
def scenarios(draw) -> Scenario:
    region = draw(st.sampled_from(list_profiles()))
    chosen = draw(st.sets(st.sampled_from(list(schema())), max_size=len(schema())))
    lev, ass = {}, {}
    for pid in sorted(chosen):
        p = schema()[pid]
        v = draw(parameter_value(p, region))
        (lev if p.kind == "lever" else ass)[pid] = dict(sorted(v.items())) if isinstance(v, dict) else v
    return Scenario(name=Text(vi="t", en="t"), region=region, levers=lev, assumptions=ass)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.filter_too_much])
@given(s=scenarios(), lang=st.sampled_from(["vi", "en"]))
def test_round_trip_over_the_schema_ranges(s, lang):
    assume(valid(s))
    params = links.encode(s, lang)
    assert UNRESERVED.fullmatch(links.query_string(params))
    d = links.decode(params, find)
    assert d is not None
    assert d.notices == [], [n.en for n in d.notices]
    assert d.scenario.content_hash() == s.content_hash()
    same_results(d.scenario, s)


# ---------------------------------------------------------------- hostile input


def _decoded_ok(d: links.Decoded | None) -> None:
    """Whatever the link, what comes back is a scenario the app can show."""
    if d is None:
        return
    assert d.region in list_profiles()
    assert d.lang in ("vi", "en")
    assert valid(d.scenario)
    for n in d.notices:
        assert n.vi and n.en


keys = st.sampled_from(["v", "r", "s", "l", "p", "x"])
junk = st.one_of(
    st.text(max_size=300),
    st.text(alphabet="sbrpcfgnilumektdwz_~.-0123456789e", max_size=300),
    st.lists(st.text(max_size=20), max_size=3),
    st.integers(),
    st.none(),
)


@settings(max_examples=300, deadline=None)
@given(params=st.dictionaries(keys, junk, max_size=6))
def test_decode_never_raises(params):
    _decoded_ok(links.decode(params, find))


@settings(max_examples=200, deadline=None)
@given(
    items=st.lists(
        st.tuples(
            st.sampled_from([*(p.code for p in schema().values()), "zz", ""]),
            st.lists(
                st.one_of(
                    st.sampled_from(["2030", "2045", "1999", "9999", "nan", "inf", "-inf", "1e400", "cap-public", "x"]),
                    st.floats(allow_nan=True, allow_infinity=True).map(repr),
                    st.integers(-(10**6), 10**6).map(str),
                ),
                max_size=6,
            ),
        ),
        max_size=8,
    ),
    region=st.sampled_from(list_profiles()),
)
def test_structured_garbage_is_clipped_or_ignored(items, region):
    p = "~".join("_".join([code, *fields]) for code, fields in items)
    d = links.decode({"v": "1", "r": region, "p": p}, find)
    _decoded_ok(d)
    for pid, v in d.scenario.changes.items():
        for x in v.values() if isinstance(v, dict) else [v]:
            schema()[pid].check_value(x)  # every value is in range


def test_out_of_range_is_clipped_with_a_notice_naming_the_parameter():
    d = links.decode({"v": "1", "r": "binh-phuoc", "p": "sb_2030_99~pi_-50"}, find)
    assert d.scenario.levers["stid_budget_share"] == {2030: 10.0}
    assert d.scenario.assumptions["inflation"] == -2.0
    texts = [n.en for n in d.notices]
    assert any("S&T/innovation/DX budget envelope" in t and "clipped to 10" in t for t in texts)
    assert any("Inflation" in t and "clipped to −2" in t for t in texts)
    assert any("Ngân sách KH,CN,ĐMST&CĐS" in n.vi for n in d.notices)


def test_bad_values_are_ignored_with_notices():
    d = links.decode(
        {"v": "1", "r": "binh-phuoc", "p": "sb_2030_nan_2045_inf~rs_abc~rm_sideways~lg_2.6~zz_1~er_1999_1~n_2030_1"},
        find,
    )
    ch = d.scenario.changes
    assert "stid_budget_share" not in ch and "rd_share_of_stid" not in ch and "rule_mode" not in ch
    assert "enterprise_rd_intensity" not in ch and "population_growth" not in ch
    assert ch["rd_lag"] == 3  # rounded to a whole number
    en = " | ".join(n.en for n in d.notices)
    for words in (
        "the value 'nan' is not valid",
        "the value 'inf' is not valid",
        "the value 'abc' is not valid",
        "the value 'sideways' is not valid",
        "rounded to 3",
        "unknown parameter 'zz'",
        "year '1999' is outside 2024–2045",
        "'Population growth': takes one value, not a year-keyed path",
    ):
        assert words in en, words
    assert len(d.notices) == 8


def test_unknown_ids_regions_languages_and_versions():
    d = links.decode({"v": "1", "r": "atlantis", "s": "../../etc/passwd", "l": "fr"}, find)
    assert d.region == "binh-phuoc" and d.lang == "vi" and d.start_id is None
    assert d.scenario.changes == {}
    assert len(d.notices) == 3
    d = links.decode({"v": "2", "r": "dong-nai", "p": "sb_2030_3"}, find)
    assert d.scenario.changes == {} and "version" in d.notices[0].en
    d = links.decode({"v": "1", "s": "nope"}, find)
    assert d.start_id is None and "not in the library" in d.notices[0].en


def test_a_link_that_contradicts_the_base_year_drops_the_offending_value():
    # crowding-in 2 makes the calibrated enterprise R&D negative for the national profile (MODEL.md §3)
    d = links.decode({"v": "1", "r": "vietnam", "p": "sb_2030_4~ci_2"}, find)
    assert d.scenario.changes == {"stid_budget_share": {2030: 4.0}}
    assert any("crowding-in" in n.en for n in d.notices)


def test_huge_and_odd_inputs():
    for p in ("~" * 100_000, "sb_" + "1" * 100_000, "\x00\n\t", "sb_2030_1" + "~sb_2030_2" * 500):
        d = links.decode({"v": "1", "p": p}, find)
        _decoded_ok(d)
    d = links.decode({"v": "1", "p": "sb_2030_1" + "~sb_2030_2" * 500}, find)
    assert any("too long" in n.en for n in d.notices)
    d = links.decode({"v": ["0", "1"], "r": ["vietnam"], "p": ["x", "sb_2030_3.3"]}, find)
    assert d.region == "vietnam" and d.scenario.levers == {"stid_budget_share": {2030: 3.3}}


def test_a_library_that_fails_does_not_break_the_link():
    def broken(sid):
        raise OSError("disk gone")

    d = links.decode({"v": "1", "s": "baseline"}, broken)
    assert d.scenario == baseline() and d.start_id is None and d.notices


def test_decode_changes_keeps_exact_numbers():
    notices: list = []
    out = links.decode_changes("sb_2030_0.30000000000000004~kd_5e-324", "binh-phuoc", notices)
    assert out["stid_budget_share"] == {2030: 0.30000000000000004}
    assert out["digital_diffusion_base"] == 5e-324 and notices == []
    assert np.isfinite(out["digital_diffusion_base"])
