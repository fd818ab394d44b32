"""Choice widgets (and tabs) whose option labels change with the language, without losing the user's choice.

A select box remembers the label it showed, not the option behind it; after the language toggle it
would keep showing the old language. So each language gets its own widget key, and the choice itself
is kept under a language-neutral key and handed from one to the other.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui.i18n import lang


def language_key(name: str, language: str) -> str:
    """The widget key of the language-neutral ``name`` in ``language``."""
    return f"{name}_{language}"


def choice_key(name: str, options: Sequence[Any], default: Any, *, multi: bool = False) -> str:
    """The widget key for choice ``name`` in the current language, seeded with the kept choice.

    Call :func:`keep` with the widget's value after creating the widget. Kept values no longer among
    ``options`` (a scenario deleted meanwhile, say) are dropped in favour of ``default``.
    """
    key = language_key(name, lang())
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


def tabs(name: str, bodies: dict[str, tuple[str, Callable[[], None]]]) -> str:
    """Tabs of which only the open one is drawn; returns the open tab's id.

    Streamlit runs every tab's body on every run unless the tabs rerun on a switch; then the page draws the
    open tab alone, and a click on another tab draws that one. The open tab is kept by its language-neutral
    id under ``name`` (as :func:`choice_key` keeps a choice), so it survives the language toggle and a visit
    to another page.

    Args:
        name: the language-neutral key (tests and other pages may set it to open a tab: ``{name: id}``).
        bodies: tab id -> (label in the current language, the function that draws the tab), in the order
            shown; the first is the default.
    """
    ids = list(bodies)
    labels = {i: label for i, (label, _draw) in bodies.items()}
    key = language_key(name, lang())
    if key not in st.session_state:
        kept = st.session_state.get(name)
        st.session_state[key] = labels.get(kept, labels[ids[0]]) if isinstance(kept, str) else labels[ids[0]]
    containers = dict(zip(ids, st.tabs(list(labels.values()), key=key, on_change="rerun"), strict=True))
    open_id = next((i for i in ids if labels[i] == st.session_state[key]), ids[0])
    keep(name, open_id)
    with containers[open_id]:
        bodies[open_id][1]()
    return open_id
