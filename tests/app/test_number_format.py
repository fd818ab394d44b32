"""One number format per language on the pages a planner reads (cards, scorecard, Compare, Present).

In Vietnamese a decimal is written with a comma and thousands with a dot (1.234,5): a dot followed by one or
two digits (``4.4``) is an English decimal. In English the reverse: ``4,4`` is a Vietnamese decimal.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
FOREIGN_DECIMAL = {
    "vi": re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.,])"),
    "en": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d.,])"),
}


def _open(page: str | None, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    if lang != "vi":
        at.button_group(key="lang").set_value(lang).run()
    if page:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _html_numbers(at: AppTest) -> list[str]:
    """The text inside the KPI cards and scorecard rows (tags stripped)."""
    out = []
    for block in at.get("html"):
        for part in re.findall(r'<(?:div class="nq-kpi"|tr data-target)[^>]*>(.*?)</(?:div></div>|tr>)', block.value):
            out.append(re.sub(r"<[^>]+>", " ", part))
    return out


def _foreign(texts: list[str], lang: str) -> list[str]:
    return [t for t in texts if FOREIGN_DECIMAL[lang].search(t)]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_simulate_cards_and_scorecard_write_numbers_one_way(lang):
    at = _open(None, lang)
    texts = _html_numbers(at)
    assert len(texts) >= 12  # twelve cards and the scorecard rows
    assert not _foreign(texts, lang)
    assert _foreign(texts, "en" if lang == "vi" else "vi")  # the page's own decimals: the check can see them
    # a change of a share reads in points on the scorecard, as in the report
    gap_unit = "điểm %" if lang == "vi" else "pp"
    assert any(gap_unit in t for t in texts)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_compare_tables_write_numbers_one_way(lang):
    at = _open("ui/page_compare.py", "vi")
    at.selectbox(key="cmp_base_vi").set_value("baseline").run()
    at.multiselect(key="cmp_others_vi").set_value(["resolution57", "fiscal-constraint"]).run()
    if lang != "vi":  # the choices survive the language toggle
        at.button_group(key="lang").set_value(lang).run()
    assert not at.exception
    cells = [str(v) for t in at.table[:2] for v in t.value.to_numpy().ravel()]
    assert cells and not _foreign(cells, lang)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_present_tiles_write_numbers_one_way(lang):
    at = _open("ui/page_present.py", lang)
    tiles = next(h.value for h in at.html if 'class="nq-kpis"' in h.value)  # the tiles are one HTML block
    cards = re.findall(r'<div class="nq-kpi".*?</div></div>', tiles)
    texts = [" ".join(re.sub(r"<[^>]+>", " ", t).split()) for t in cards]
    assert len(texts) == 4 and not _foreign(texts, lang)
