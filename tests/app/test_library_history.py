"""Version history in the app (AppTest): the Scenarios page lists a scenario's versions and restores one;
Compare puts two versions of one scenario side by side."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sim import store
from sim.params import Text, schema
from sim.scenario import baseline
from ui.safe import shown

APP = str(Path(__file__).resolve().parents[2] / "app.py")
LIBRARY, COMPARE = "ui/page_library.py", "ui/page_compare.py"


def open_page(page: str, lang: str = "vi") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def three_versions() -> str:
    """A draft saved by An with R&D at 25 % of the envelope, then 30 % (Bình), then 35 % (Chi)."""
    plan = replace(baseline(), name=Text(vi="Kế hoạch A", en="Plan A")).with_changes(rd_share_of_stid=25.0)
    sid = store.save_new(plan, by="An")
    store.update(sid, store.load(sid).with_changes(rd_share_of_stid=30.0), by="Bình")
    store.update(sid, store.load(sid).with_changes(rd_share_of_stid=35.0), by="Chi")
    return sid


def test_the_history_panel_lists_versions_and_restores_one(library):
    sid = three_versions()
    at = open_page(LIBRARY)
    at.button(key=f"lib_hist_{sid}").click().run()
    panel = shown(" ".join(m.value for m in at.markdown))
    assert "**v3** · Chi" in panel and "**v2** · Bình" in panel and "**v1** · An" in panel
    assert panel.index("v3") < panel.index("v2") < panel.index("v1")  # newest first
    label = schema()["rd_share_of_stid"].label("vi")
    captions = [shown(c.value) for c in at.caption]
    assert f"{label}: 30 → 35 (% ngân sách KH,CN,ĐMST&CĐS)" in captions
    assert f"{label}: 25 → 30 (% ngân sách KH,CN,ĐMST&CĐS)" in captions
    # The newest version is what is stored: no restore button for it.
    assert not [b for b in at.button if b.key == f"lib_hist_restore_{sid}_3"]

    at.button(key=f"lib_hist_restore_{sid}_1").click().run()
    assert not at.exception
    assert store.load(sid).changes == {"rd_share_of_stid": 25.0}
    assert [v.n for v in store.history(sid)] == [1, 2, 3, 4]
    assert (
        at.success[0].value
        == "Phiên bản 1 của «Kế hoạch A» đã trở lại, thành một phiên bản mới; các phiên bản sau vẫn được giữ."
    )


def test_compare_puts_two_versions_of_one_scenario_side_by_side(library):
    sid = three_versions()
    at = open_page(COMPARE, lang="vi")
    at.selectbox(key="cmp_base_vi").set_value(sid).run()
    others = at.multiselect(key="cmp_others_vi")
    assert "Kế hoạch A · v1" in others.options and "Kế hoạch A · v2" in others.options
    assert "Kế hoạch A · v3" not in others.options  # the newest version is the scenario itself
    others.set_value([f"{sid}@v1"]).run()
    assert not at.exception
    assert [shown(c) for c in at.table[0].value.columns] == ["Kế hoạch A", "Kế hoạch A · v1"]
    inputs = at.table[2].value
    label = schema()["rd_share_of_stid"].label("vi")
    assert list(inputs.loc[label, ["Kế hoạch A", "Kế hoạch A · v1"]]) == ["35", "25"]
