"""Glyphs that Debian's Chromium draws with its default fonts (DejaVu): no emoji in what the app shows.

Emoji (✅, ❌, 🔒, ...) need a colour-emoji font that a fresh Debian does not have: they showed as empty
boxes. Marks such as ✓ ✗ ▲ ▼ ≥ − are in DejaVu Sans.
"""

from __future__ import annotations

from pathlib import Path

from sim.views.scorecard import MARKS, status_text

ROOT = Path(__file__).resolve().parents[1]
# Characters drawn as emoji by default in the Basic Multilingual Plane (the rest are at U+1F000 and above).
BMP_EMOJI = set("✅❌❎⭐⌛⌚⏳⏰✨❓❔❕❗➕➖➗➰➿⬛⬜⚪⚫⛔⛳⛵⛺⚡☕♿")


def _emoji(text: str) -> list[str]:
    return [ch for ch in text if ord(ch) >= 0x1F000 or ch in BMP_EMOJI]


def test_no_emoji_in_the_app_and_the_reports():
    found = []
    for path in sorted([*ROOT.joinpath("sim").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py"), ROOT / "app.py"]):
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if _emoji(line):
                found.append(f"{path.relative_to(ROOT)}:{i}: {''.join(_emoji(line))}")
    assert not found, "use marks DejaVu has (sim.views.scorecard.MARKS) or words:\n" + "\n".join(found)


def test_met_and_not_met_read_as_marks_and_words():
    assert MARKS == {True: "✓", False: "✗", None: "–"}
    assert status_text(True, "vi", mark=True) == "✓ Đạt" and status_text(False, "en", mark=True) == "✗ Not met"
    assert status_text(None, "vi") == "chưa nhập"
    assert not _emoji("".join(MARKS.values()))
    assert _emoji("✅ ❌ 🔒") == ["✅", "❌", "🔒"]
