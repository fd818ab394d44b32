"""Tabs of a page drawn one at a time (``ui.choices.tabs``): open one as a click on it would."""

from __future__ import annotations

from collections.abc import Iterator

from streamlit.testing.v1 import AppTest

from ui.choices import language_key

# The language-neutral keys the pages keep their open tab under.
ANALYSIS, DATA = "an_tab", "data_tab"


def open_tab(at: AppTest, name: str, label: str) -> AppTest:
    """Click the tab labelled ``label`` (as the page shows it) of the tabs kept under ``name``; run the page."""
    assert label in [t.label for t in at.tabs], f"no tab «{label}» among {[t.label for t in at.tabs]}"
    at.session_state[language_key(name, at.session_state["lang"])] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def each_tab(at: AppTest, name: str) -> Iterator[AppTest]:
    """Open every tab of the page in turn, yielding the page with that tab drawn."""
    for label in [t.label for t in at.tabs]:
        yield open_tab(at, name, label)
