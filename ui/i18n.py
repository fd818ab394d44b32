"""Language: Vietnamese first, English one click away. Every message goes through ``_()`` and the
catalogs in ``locale/`` (see :mod:`sim.views.i18n`)."""

from __future__ import annotations

import streamlit as st

from sim.views import i18n

LANG_KEY = "lang"


def lang() -> str:
    """The current language code, 'vi' (default) or 'en'."""
    return i18n.normalise(st.session_state.get(LANG_KEY))


def _(message: str) -> str:
    """``message`` (written in English) in the current language."""
    return i18n.gettext(message, lang())


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural message for ``n`` in the current language."""
    return i18n.ngettext(singular, plural, n, lang())
