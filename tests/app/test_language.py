"""Every page speaks one language: no English catalog text on a Vietnamese page, one number format a language.

The pages are read from Streamlit's own element messages (labels, options, help texts, markdown, chart
specs), so whatever a user can see or hover is checked, not only what a test happens to look for.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from sim.views import i18n
from tests.app.tabs import ANALYSIS, DATA, each_tab

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
PAGES = [
    "ui/page_simulate.py",
    "ui/page_library.py",
    "ui/page_compare.py",
    "ui/page_analysis.py",
    "ui/page_data.py",
    "ui/page_present.py",
]
# Keys of element messages that carry no visible text (ids, widget keys, styles, data payloads).
SKIP_KEYS = {"id", "formId", "key", "type", "url", "src", "theme", "icon", "width", "height", "useContainerWidth"}
# A component's code and style are not text; its data is read as the JSON it is (its strings are checked).
CODE_KEYS = {"jsContent", "cssContent"}


def _strings(node: object, out: list[str]) -> None:
    if isinstance(node, dict):
        for k, v in node.items():
            if k == "json" and isinstance(v, str) and "componentName" in node:
                while isinstance(v, str):  # the live levers send JSON text: JSON inside JSON
                    v = json.loads(v)
                _strings(v, out)
            elif k not in SKIP_KEYS | CODE_KEYS:
                _strings(v, out)
    elif isinstance(node, list):
        for v in node:
            _strings(v, out)
    elif isinstance(node, str):
        out.append(node)


def shown_text(at: AppTest) -> list[str]:
    """Every string of every element on the page (sidebar included)."""
    out: list[str] = []

    def walk(node: object) -> None:
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "DESCRIPTOR"):
            _strings(MessageToDict(proto), out)
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            for c in children.values():
                walk(c)

    walk(at._tree)
    return out


def english_fragments() -> list[str]:
    """Pieces of catalog messages that are English only: two words or more, not inside their own translation."""
    frags = set()
    for msgid, vi in i18n.catalog("vi").items():
        if not isinstance(msgid, str) or not isinstance(vi, str) or vi == msgid:
            continue
        for piece in re.split(r"\{[^}]*\}", msgid):
            piece = piece.strip(" .,:;()*-–«»\n")
            if len(piece) >= 12 and " " in piece and piece not in vi and re.search(r"[a-z]{3}", piece):
                frags.add(piece)
    return sorted(frags, key=len, reverse=True)


def run_page(page: str, lang: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["lang"] = lang
    at.run()
    if page != PAGES[0]:
        at.switch_page(page)
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


TABBED = {"ui/page_analysis.py": ANALYSIS, "ui/page_data.py": DATA}  # pages that draw their open tab alone


def page_texts(page: str, lang: str, text: Callable[[AppTest], list[str]]) -> list[str]:
    """``text`` of the page, of every tab in turn on a page that draws one tab at a time."""
    at = run_page(page, lang)
    views = each_tab(at, TABBED[page]) if page in TABBED else [at]
    return [t for view in views for t in text(view)]


@pytest.mark.parametrize("page", PAGES)
def test_no_english_catalog_text_on_a_vietnamese_page(page: str) -> None:
    texts = page_texts(page, "vi", shown_text)
    assert texts, "the page showed nothing"
    blob = "\n".join(texts)
    found = [f for f in english_fragments() if f in blob]
    assert not found, f"English text on the Vietnamese {page}: {found[:8]}"


# A Vietnamese page writes 1.234,5; an English one 1,234.5. A decimal point followed by one or two digits
# is English in Vietnamese text; a decimal comma followed by one or two digits is Vietnamese in English.
EN_DECIMAL = re.compile(r"(?<![\d.,\w])\d{1,3}(?:,\d{3})*\.\d{1,2}(?![\d.,])")
VI_DECIMAL = re.compile(r"(?<![\d.,\w])\d{1,3}(?:\.\d{3})*,\d{1,2}(?![\d.,])")


STYLE = re.compile(r"<style>.*?(?:</style>|$)", flags=re.S)


def visible_numbers_text(at: AppTest) -> list[str]:
    # Chart specs carry raw data arrays (JSON numbers are always written with a point) and style sheets
    # carry CSS sizes: neither is text a reader sees.
    return [STYLE.sub("", t) for t in shown_text(at) if not t.lstrip().startswith("{")]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize(("lang", "wrong"), [("vi", EN_DECIMAL), ("en", VI_DECIMAL)])
def test_one_number_format_per_language(page: str, lang: str, wrong: re.Pattern[str]) -> None:
    text = "\n".join(page_texts(page, lang, visible_numbers_text))
    bad = sorted({m.group(0) for m in wrong.finditer(text)})
    assert not bad, f"numbers written the other language's way on the {lang} {page}: {bad[:10]}"
