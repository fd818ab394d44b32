"""Hostile files in the library and markdown in names and links (issue 11), through the pages (AppTest).

A bad file on the shared folder never breaks a page: Simulate, Scenarios and Compare render and name it
as unreadable. Text that users or links supply is shown as text: no live link, no outside image, no
fake badge reaches the page's markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sim import store
from sim.params import Text
from sim.scenario import Scenario
from ui.safe import md, shown

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
LIBRARY, COMPARE, SIMULATE = "ui/page_library.py", "ui/page_compare.py", "ui/page_simulate.py"

BAD_FILES = {
    "so-mu.yaml": 'name: x\nlevers:\n  stid_budget_share: {"²": 1}\n',
    "long-number.yaml": "name: x\nlevers:\n  stid_budget_share: " + "9" * 5000 + "\n",
    "deep.yaml": "[" * 9000 + "]" * 9000,
}
EVIL_NAME = "Plan [bấm vào đây](http://evil.example/x) :orange-badge[Đã duyệt · chỉ đọc] ![](http://evil.example/t.png)"
# Markup that would be live if it reached st.markdown unescaped: a link or image, a Streamlit badge.
LIVE = re.compile(r"(?<!\\)\]\((?:http|www)|(?<!\\):orange-badge(?<!\\)\[Đã duyệt|(?<!\\)!(?<!\\)\[\]")


def open_page(page: str | None, query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = "vi"
    if query:
        at.query_params.update(query)
    at.run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_texts(at: AppTest) -> list[str]:
    """Every string of the page that Streamlit renders as markdown (bodies, labels, help)."""
    out = []
    for kind in ("markdown", "caption", "info", "warning", "error", "success", "title", "subheader", "header"):
        out += [str(e.value) for e in getattr(at, kind)]
    for kind in ("button", "selectbox", "multiselect", "text_input", "toggle", "expander", "popover"):
        for e in at.get(kind):
            out += [str(getattr(e, attr, "") or "") for attr in ("label", "help")]
    out += [str(e.value) for e in at.sidebar.caption]
    return out


@pytest.mark.parametrize("page", [SIMULATE, LIBRARY, COMPARE])
def test_bad_files_in_the_library_folder_are_named_and_break_no_page(library, page):
    for name, text in BAD_FILES.items():
        (library / name).write_text(text, encoding="utf-8")
    at = open_page(page)
    assert not at.exception
    texts = " ".join(shown(t) for t in markdown_texts(at))
    for name in BAD_FILES:
        assert name in texts, name  # each bad file is named with its reason
    assert "nested more than 20 levels" in texts and "the limit is 30" in texts and "not a whole year" in texts
    if page == LIBRARY:
        assert texts.count("Tệp không đọc được") == len(BAD_FILES)
        assert at.button(key="lib_load_deep").disabled


def test_a_scenario_name_with_markdown_is_shown_as_text(library):
    sid = store.save_new(Scenario(name=Text(vi=EVIL_NAME, en=EVIL_NAME)))
    at = open_page(LIBRARY)
    texts = markdown_texts(at)
    assert any(md(EVIL_NAME) in t for t in texts)  # the name is on the page, escaped
    assert not [t for t in texts if LIVE.search(t)]
    # The badge the page itself gives it is "draft", whatever the name says.
    (line,) = [t for t in at.markdown if md(EVIL_NAME) in t.value]
    assert ":gray-badge[" in line.value and ":orange-badge[" not in line.value.replace(md(EVIL_NAME), "")
    # Opened on Simulate and compared, the name stays text.
    at.button(key=f"lib_load_{sid}").click().run()
    assert not at.exception and not [t for t in markdown_texts(at) if LIVE.search(t)]
    at.switch_page(COMPARE).run()
    at.multiselect(key="cmp_others_vi").set_value([sid]).run()
    assert not at.exception and not [t for t in markdown_texts(at) if LIVE.search(t)]
    headers = [c for tbl in at.table for c in tbl.value.columns]
    assert md(EVIL_NAME) in headers  # st.table renders markdown in headers too


@pytest.mark.parametrize(
    "query",
    [
        {"v": "1", "s": "![](http://evil.example/t.png)"},
        {"v": "1", "r": "[Update](http://evil.example/a)"},
        {"v": "1", "r": "binh-phuoc", "p": "zz_1~:orange-badge[Đã duyệt]_1~www.evil.example_2"},
    ],
    ids=["image in s", "link in r", "badge and bare address in p"],
)
def test_markdown_in_a_link_is_shown_as_text(library, query):
    at = open_page(None, query)
    assert at.warning  # the bad value is reported ...
    texts = markdown_texts(at)
    assert not [t for t in texts if LIVE.search(t)]  # ... as text
    assert not [t for t in texts if re.search(r"(?<!\\)www\.evil|(?<!\\)http:", t)]  # no bare address to link


def test_a_link_with_hundreds_of_bad_values_gives_a_few_notices(library):
    p = "~".join(["q_1"] * 335)  # 1.3 KB: each item an unknown parameter
    at = open_page(None, {"v": "1", "r": "binh-phuoc", "p": p})
    assert len(at.warning) == 4
    assert shown(at.warning[-1].value) == "… và 332 giá trị khác của liên kết đã bị bỏ qua hoặc điều chỉnh"
