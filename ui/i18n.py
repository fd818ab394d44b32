"""Language: Vietnamese first, English one click away. Strings live next to their use as tr(vi, en)."""

from __future__ import annotations

import streamlit as st

LANG_KEY = "lang"


def lang() -> str:
    """The current language code, 'vi' (default) or 'en'."""
    return st.session_state.get(LANG_KEY, "vi")


def tr(vi: str, en: str) -> str:
    """The text in the current language."""
    return vi if lang() == "vi" else en
