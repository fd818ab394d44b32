"""The message catalog: one lookup for every word the app, the reports and the command line show.

Messages are written in English in the code, marked with ``_()`` (or ``gettext(msg, lang)`` where the
language is an argument), and translated in gettext catalogs managed with Babel::

    pybabel extract -F babel.cfg -o locale/messages.pot .
    pybabel update -i locale/messages.pot -d locale

``locale/vi/LC_MESSAGES/messages.po`` holds the Vietnamese text; English needs none (the message is
its own English). Placeholders use ``str.format`` names: ``_("{n} scenarios").format(n=3)``.
Bilingual *data* (parameter labels, profile names, target labels) stays in its YAML files as
``{vi: ..., en: ...}`` and is read with :class:`sim.params.Text`.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po

from sim.params import Text

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"
LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"


@cache
def catalog(lang: str) -> dict[str | tuple[str, str], str | tuple[str, ...]]:
    """msgid (or (singular, plural)) -> translation, for one language; untranslated and fuzzy entries left out."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / "messages.po"
    if not path.exists():
        return {}
    with path.open("rb") as fh:
        cat = read_po(fh, locale=lang)
    out: dict[str | tuple[str, str], str | tuple[str, ...]] = {}
    for m in cat:
        if not m.id or m.fuzzy:
            continue
        if isinstance(m.id, (tuple, list)):
            forms = tuple(m.string) if isinstance(m.string, (tuple, list)) else (m.string,)
            if all(forms):
                out[(m.id[0], m.id[1])] = forms
        elif m.string:
            out[m.id] = m.string
    return out


def normalise(lang: str | None) -> str:
    """A supported language code ('vi' when unknown)."""
    return lang if lang in LANGS else DEFAULT_LANG


def gettext(message: str, lang: str) -> str:
    """``message`` (English) in ``lang``; the English text itself where no translation exists."""
    if lang == "en":
        return message
    got = catalog(normalise(lang)).get(message)
    return got if isinstance(got, str) else message


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """The singular or plural message for ``n`` in ``lang`` (Vietnamese has one form)."""
    if lang != "en":
        got = catalog(normalise(lang)).get((singular, plural))
        if isinstance(got, tuple):
            return got[0]
    return singular if n == 1 else plural


def translator(lang: str) -> Callable[[str], str]:
    """A ``_()`` bound to one language, for modules that take the language as an argument::

    _ = translator(lang)
    title = _("Digital economy share of GRDP")
    """
    return lambda message: gettext(message, lang)


def N_(message: str) -> str:
    """Mark a message for extraction where it is defined (a table of labels); translate it where shown."""
    return message


def T_(message: str) -> Text:
    """A bilingual :class:`~sim.params.Text` of a catalog message, for tables of labels defined in code.

    The English is the message itself; the Vietnamese comes from the catalog.
    """
    return Text(vi=gettext(message, "vi"), en=message)
