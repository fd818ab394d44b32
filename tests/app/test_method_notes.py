"""The Analysis page's method notes state the numbers the analysis modules use, not retyped copies."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from sim.analysis import goalseek
from tests.app.tabs import ANALYSIS

ROOT = Path(__file__).resolve().parents[2]


def open_analysis(toggles: tuple[str, ...] = (), tab: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "vi"
    at.run()
    if tab is not None:  # the tab opened (the page draws the open tab alone)
        at.session_state[ANALYSIS] = tab
    for key in toggles:
        at.session_state[key] = True
    at.switch_page("ui/page_analysis.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def captions(at: AppTest) -> str:
    return " ".join(c.value for c in at.caption)


def test_goal_seek_note_follows_the_grid_it_searches(monkeypatch):
    assert "trên 161 giá trị đều nhau" in captions(open_analysis())  # goalseek.GRID_POINTS
    monkeypatch.setattr(goalseek, "GRID_POINTS", 81)
    assert "trên 81 giá trị đều nhau" in captions(open_analysis())


def test_sobol_note_gives_the_sample_size_it_used():
    text = captions(open_analysis(("an_sobol",), tab="sensitivity"))
    assert "N = 1.024" in text  # the default N of the Sobol sample, written the Vietnamese way
