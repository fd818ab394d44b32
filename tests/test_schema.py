"""The parameter schema holds every fact about a parameter: adding a lever touches parameters.yaml only.

The main test adds a lever to a copy of ``sim/data/parameters.yaml`` and checks that validation, the
sliders, shareable links, goal seek, the tornado chart and the documentation pick it up without any code
change.
"""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from sim import links, params
from sim.analysis.sensitivity import tornado_cases
from sim.cli import main
from sim.errors import InputError
from sim.params import lever_swings, load_schema, schema, seek_levers, slider_specs
from sim.scenario import baseline, load_scenario
from ui import widgets

NEW = {
    "id": "innovation_fund_share",
    "kind": "lever",
    "path": True,
    "code": "if",
    "slider": {"order": 4, "years": [2030, 2045], "simple_years": [2030]},
    "goal_seek": True,
    "swing": 0.25,
    "label": {"vi": "Quỹ đổi mới sáng tạo của tỉnh", "en": "Provincial innovation fund"},
    "unit": {"vi": "% chi ngân sách", "en": "% of budget spending"},
    "scale": 0.01,
    "default": 0.5,
    "min": 0.0,
    "max": 5.0,
    "step": 0.1,
    "help": {"vi": "Quỹ hỗ trợ đổi mới sáng tạo.", "en": "A fund for innovation."},
    "source": "assumption",
}


def _raw() -> list[dict]:
    return yaml.safe_load(params.SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def schema_file(tmp_path, monkeypatch):
    """Point the schema loader at a copy of parameters.yaml that the test writes (cache cleared both ways)."""
    path = tmp_path / "parameters.yaml"

    def use(entries: list[dict]) -> Path:
        path.write_text(yaml.safe_dump(entries, allow_unicode=True, sort_keys=False), encoding="utf-8")
        monkeypatch.setattr(params, "SCHEMA_FILE", path)
        schema.cache_clear()
        return path

    yield use
    monkeypatch.undo()
    schema.cache_clear()


@pytest.fixture
def with_new_lever(schema_file):
    schema_file([*_raw(), copy.deepcopy(NEW)])
    assert "innovation_fund_share" in schema()


def _scenario_file(tmp_path: Path, value: object) -> Path:
    f = tmp_path / "fund.yaml"
    body = {
        "name": {"vi": "Quỹ", "en": "Fund"},
        "region": "binh-phuoc",
        "levers": {"innovation_fund_share": value},
    }
    f.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return f


def test_a_new_lever_is_validated_in_scenario_files(with_new_lever, tmp_path):
    s = load_scenario(_scenario_file(tmp_path, {2026: 1.0, 2030: 2.5}))
    assert s.levers == {"innovation_fund_share": {2026: 1.0, 2030: 2.5}}
    with pytest.raises(InputError) as exc:
        load_scenario(_scenario_file(tmp_path, 7.5))  # above its max of 5
    msg = str(exc.value)
    assert "levers.innovation_fund_share" in msg and "7.5" in msg and "outside" in msg
    assert "\n" not in msg


def test_a_new_lever_gets_its_sliders(with_new_lever):
    specs = slider_specs("lever")
    ids = [s.pid for s in specs]
    # order 4 puts it after enterprise R&D (3) and before the rule (4, earlier in the file) and the floor (5)
    assert ids == [
        "stid_budget_share",
        "rd_share_of_stid",
        "enterprise_rd_intensity",
        "rule_mode",
        "innovation_fund_share",
        "central_floor_share",
    ]
    new = specs[ids.index("innovation_fund_share")]
    assert (new.mode, new.years, new.simple_years) == ("anchored", (2030, 2045), (2030,))
    c = next(c for c in widgets.controls("lever") if c.pid == "innovation_fund_share")
    assert (c.mode, c.simple) == ("path", True)  # drawn by the path editor, in the simple view


def test_a_new_lever_travels_in_links(with_new_lever):
    changes = {"innovation_fund_share": {2026: 1.0, 2030: 2.5}}
    text = links.encode_changes(changes)
    assert text == "if_2026_1_2030_2.5"
    notices: list = []
    assert links.decode_changes(text, "binh-phuoc", notices) == changes
    assert notices == []
    # a whole link: scenario -> query parameters -> the same scenario
    s = baseline("binh-phuoc").with_changes(**changes)
    d = links.decode(links.encode(s, "en"))
    assert d is not None and d.notices == []
    assert d.scenario.levers["innovation_fund_share"] == {2026: 1.0, 2030: 2.5}


def test_a_new_lever_is_offered_to_goal_seek_and_the_tornado(with_new_lever):
    assert "innovation_fund_share" in seek_levers()
    assert lever_swings()["innovation_fund_share"] == 0.25
    assert ("innovation_fund_share", "lever", -0.25, 0.25) in tornado_cases()


def test_a_new_lever_is_in_the_parameter_table(with_new_lever, capsys):
    assert main(["params"]) == 0
    out = capsys.readouterr().out
    row = next(line for line in out.splitlines() if "innovation_fund_share" in line)
    assert "Provincial innovation fund" in row and "if" in row.split()
    assert main(["params", "--lang", "vi"]) == 0
    assert "Quỹ đổi mới sáng tạo của tỉnh" in capsys.readouterr().out


# ---------------------------------------------------------------- the schema's own checks


def test_a_link_code_is_required_and_unique(schema_file):
    entries = _raw()
    no_code = copy.deepcopy(NEW)
    del no_code["code"]
    path = schema_file([*entries, no_code])
    with pytest.raises(ValueError, match=r"parameters.yaml: innovation_fund_share: code: Field required"):
        load_schema(path)
    taken = {**copy.deepcopy(NEW), "code": "sb"}
    path = schema_file([*entries, taken])
    with pytest.raises(ValueError, match=r"innovation_fund_share: link code 'sb' is already stid_budget_share's"):
        load_schema(path)


def test_goal_seek_and_swing_are_for_numeric_levers(schema_file):
    entries = _raw()
    rule = next(e for e in entries if e["id"] == "rule_mode")
    rule["goal_seek"] = True
    with pytest.raises(ValueError, match=r"rule_mode: .*numeric levers only"):
        load_schema(schema_file(entries))


def test_the_shipped_schema_lays_out_the_simulate_page():
    """What planners see today, read from the schema: the facts that used to be code."""
    levers = {s.pid: s for s in slider_specs("lever")}
    assert list(levers) == [
        "stid_budget_share",
        "rd_share_of_stid",
        "enterprise_rd_intensity",
        "rule_mode",
        "central_floor_share",
    ]
    assert levers["enterprise_rd_intensity"].simple_years == (2030,)  # 2045 in the advanced view only
    assert levers["central_floor_share"].simple_years is None  # advanced view only
    assert [s.simple for s in levers.values()] == [True, True, True, True, False]
    assert levers["rd_share_of_stid"].mode == "flat"
    assert seek_levers() == ("stid_budget_share", "rd_share_of_stid", "enterprise_rd_intensity", "central_floor_share")
    assert set(lever_swings()) == {"stid_budget_share", "rd_share_of_stid", "enterprise_rd_intensity"}
    assert {s.pid for s in slider_specs("assumption")} == {p.id for p in schema().values() if p.kind == "assumption"}


def test_choice_labels_and_decimals_come_from_the_schema():
    from sim.scenario import value_text

    rule = schema()["rule_mode"]
    assert rule.choice_label("cap_public", "vi") == "Giới hạn R&D công"
    assert rule.choice_label("report", "en") == "Flag breaches"
    assert value_text("cap_public", rule, "vi") == "Giới hạn R&D công"  # not the id in the Vietnamese UI
    # decimals follow the step: 0.1 -> 1, 0.01 -> 2, 0.05 -> 2, 1 -> 0, whole numbers -> 0
    steps = {p.id: (p.step, p.decimals) for p in schema().values() if p.step is not None}
    assert steps["stid_budget_share"] == (0.1, 1)
    assert steps["enterprise_rd_intensity"] == (0.01, 2)
    assert steps["rd_crowding_in"] == (0.05, 2)
    assert steps["rd_share_of_stid"] == (1.0, 0)
    assert steps["rd_lag"] == (1, 0)


def test_choice_labels_name_only_existing_choices(schema_file):
    entries = _raw()
    rule = next(e for e in entries if e["id"] == "rule_mode")
    rule["choice_labels"]["cap_all"] = {"vi": "x", "en": "x"}
    with pytest.raises(ValueError, match=r"rule_mode: .*choices that do not exist: cap_all"):
        load_schema(schema_file(entries))
