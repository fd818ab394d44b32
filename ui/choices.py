"""Choice widgets whose option labels change with the language, without losing the user's choice.

A select box remembers the label it showed, not the option behind it; after the language toggle it
would keep showing the old language. So each language gets its own widget key, and the choice itself
is kept under a language-neutral key and handed from one to the other.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import streamlit as st

from ui.i18n import lang


def choice_key(name: str, options: Sequence[Any], default: Any, *, multi: bool = False) -> str:
    """The widget key for choice ``name`` in the current language, seeded with the kept choice.

    Call :func:`keep` with the widget's value after creating the widget. Kept values no longer among
    ``options`` (a scenario deleted meanwhile, say) are dropped in favour of ``default``.
    """
    key = f"{name}_{lang()}"
    if key not in st.session_state:
        kept = st.session_state.get(name, default)
        if multi:
            kept = [v for v in kept if v in options]
        elif kept not in options:
            kept = default
        st.session_state[key] = kept
    return key


def keep(name: str, value: Any) -> Any:
    """Remember the current choice under the language-neutral ``name``; returns ``value``."""
    st.session_state[name] = value
    return value
