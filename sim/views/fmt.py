"""The one number formatter: every number a user reads, written the way the language writes it.

Vietnamese ``1.234,5``, English ``1,234.5`` (Babel's ``vi_VN`` and ``en`` locales). Cards, tables, chart
ticks and hovers, the reports, the exports' text and the command line all go through these functions;
the words of units come from the message catalog (:mod:`sim.views.i18n`).

The rules, in one place:

- **Money** (billion VND): whole billions (``3.127 tỷ đồng``, ``888 tỷ đồng``): a billion đồng is the
  smallest sum a provincial budget line is written in. :func:`money_parts` switches to trillions
  (``nghìn tỷ đồng``, one decimal) from 100.000 bn VND, chosen by the value a change belongs to.
- **Percent** (a value already in percent): two decimals below 10 % (R&D 1,12 % against 1,5 %),
  one from 10 % (``16,0 %``). :func:`share` takes a fraction (0.4 → ``40 %``).
- **A change of a share** is in percentage points: ``+4,4 điểm %`` / ``+4.4 pp`` (:func:`points`).
- **Signed changes** carry ``+`` or ``−`` (U+2212); negative numbers are written with ``−`` everywhere.
- **Years** are whole numbers without a separator (``2030``).
- Halves round up (2,675 → 2,68), as people round by hand, not Babel's default half-even.
- A missing or non-finite value is ``–``.

Machine-readable output (CSV, JSON) uses :func:`tidy` (through ``sim.export.tidy_numbers``): no float noise.
"""

from __future__ import annotations

import datetime as _dt
import math
from decimal import ROUND_HALF_UP, Decimal

from babel import Locale
from babel.dates import format_datetime
from babel.numbers import format_percent

from .i18n import N_, gettext

LOCALES = {"vi": "vi_VN", "en": "en"}
MISSING = "–"
MINUS = "\u2212"
TRILLION_FROM = 100_000.0  # bn VND from which money_parts writes trillions (nghìn tỷ đồng)

# Unit words, translated through the catalog where shown.
UNITS = {
    "bn VND": N_("bn VND"),
    "trillion VND": N_("trillion VND"),
    "million VND": N_("million VND"),
    "pp": N_("pp"),
    "%": "%",
    "% of GRDP": N_("% of GRDP"),
    "% of GDP": N_("% of GDP"),
    "% of R&D": N_("% of R&D"),
    "% of floor": N_("% of floor"),
    "% of budget": N_("% of budget"),
    "%/yr": N_("%/yr"),
    "people": N_("people"),
}


# Parsed once: Babel otherwise looks the locale up again for every number.
_LOCALE_DATA = {lang: Locale.parse(code) for lang, code in LOCALES.items()}
# From Python's grouping (',' and '.') to the language's symbols, as Babel's locale data gives them.
_SEPARATORS = {
    lang: str.maketrans({",": loc.number_symbols["latn"]["group"], ".": loc.number_symbols["latn"]["decimal"]})
    for lang, loc in _LOCALE_DATA.items()
}


def _locale(lang: str) -> Locale:
    return _LOCALE_DATA.get(lang, _LOCALE_DATA["vi"])


def _missing(x: float | None) -> bool:
    return x is None or not math.isfinite(float(x))


def _pattern(decimals: int) -> str:
    """A Babel number pattern with grouping and exactly ``decimals`` decimals."""
    return "#,##0" + ("." + "0" * decimals if decimals > 0 else "")


def _round(x: float, decimals: int) -> Decimal:
    return Decimal(repr(float(x))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)


def unit(code: str, lang: str) -> str:
    """The words of a unit in the language ('bn VND' -> 'tỷ đồng', 'pp' -> 'điểm %')."""
    return gettext(UNITS.get(code, code), lang)


def number(x: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """A number with the language's separators ('1.234,5' / '1,234.5'); '–' when missing."""
    if _missing(x):
        return MISSING
    text = _digits(float(x), decimals).translate(_SEPARATORS.get(lang, _SEPARATORS["vi"]))
    # a number that rounds to zero carries no sign
    return MINUS + text if x < 0 and any(c in "123456789" for c in text) else text  # type: ignore[operator]


def _digits(x: float, decimals: int) -> str:
    """|x| rounded half up to ``decimals``, grouped the English way ('1,234.5'); the language's way follows.

    Fast path (a lever's sweep writes thousands of numbers a rerun): when the shortest repr of x has more
    decimals than ``decimals + 1``, no rounding boundary (a number with ``decimals + 1`` decimals ending
    in 5) lies between x and its repr, so Python's correctly rounded formatting of the binary value gives
    the same digits as rounding the repr half up. Otherwise the repr is rounded as a decimal.
    """
    a = abs(x)
    r = repr(a)
    if "e" not in r and len(r.partition(".")[2]) > decimals + 1:
        return f"{a:,.{decimals}f}"
    return f"{_round(a, decimals):,.{decimals}f}"


def signed(x: float | None, lang: str = "vi", decimals: int = 1, suffix: str = "") -> str:
    """A change with its sign ('+1,2', '−310', '±0'), then ``suffix`` as given (e.g. ' %')."""
    if _missing(x):
        return MISSING
    text = number(abs(float(x)), lang, decimals)  # type: ignore[arg-type]
    zero = not any(c in "123456789" for c in text)
    sign = "±" if zero else "+" if x > 0 else MINUS  # type: ignore[operator]
    return sign + text + suffix


def _amount(x: float | None, lang: str, decimals: int, code: str, is_signed: bool) -> str:
    if _missing(x):
        return MISSING
    num = signed(x, lang, decimals) if is_signed else number(x, lang, decimals)
    return f"{num} {unit(code, lang)}"


def money(bn_vnd: float | None, lang: str = "vi", decimals: int | None = 0, *, is_signed: bool = False) -> str:
    """Billion VND, whole billions: '3.127 tỷ đồng' / '3,127 bn VND' ('+310 tỷ đồng' with ``is_signed``)."""
    return _amount(bn_vnd, lang, 0 if decimals is None else decimals, "bn VND", is_signed)


def million(x: float | None, lang: str = "vi", decimals: int = 1, *, is_signed: bool = False) -> str:
    """Million VND (per-capita figures): '98,4 triệu đồng' / '98.4 million VND'."""
    return _amount(x, lang, decimals, "million VND", is_signed)


def money_parts(
    bn_vnd: float | None, lang: str = "vi", *, like: float | None = None, is_signed: bool = False
) -> tuple[str, str]:
    """(number, unit) of a sum in bn VND, in trillions from 100.000 bn VND: ('231,6', 'nghìn tỷ đồng').

    ``like`` (bn VND) picks the unit, so that a change reads in the unit of the value it belongs to.
    """
    ref = abs(like if like is not None else (bn_vnd or 0.0))
    if ref >= TRILLION_FROM:
        x, code, decimals = (None if bn_vnd is None else bn_vnd / 1000.0), "trillion VND", 1
    else:
        x, code, decimals = bn_vnd, "bn VND", 0
    if _missing(x):
        return MISSING, unit(code, lang)
    return (signed(x, lang, decimals) if is_signed else number(x, lang, decimals)), unit(code, lang)


def percent_decimals(x: float) -> int:
    """Decimals of a value in percent: two below 10 (1,12 %), one from 10 (16,0 %)."""
    return 2 if abs(x) < 10 else 1


def percent(x: float | None, lang: str = "vi", decimals: int | None = None) -> str:
    """A value already in percent: '30,5 %', '1,12 %' (see :func:`percent_decimals`)."""
    if _missing(x):
        return MISSING
    return f"{number(x, lang, percent_decimals(x) if decimals is None else decimals)} %"


def share(fraction: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """A fraction as a percentage: 0.4 -> '40 %', 0.125 with one decimal -> '12,5 %'."""
    if _missing(fraction):
        return MISSING
    r = _round(float(fraction) * 100.0, decimals) / 100
    text = format_percent(abs(r), format=_pattern(decimals) + "%", locale=_locale(lang), decimal_quantization=True)
    return (MINUS if r < 0 else "") + text.replace("%", " %")


def points(x: float | None, lang: str = "vi", decimals: int | None = None, *, is_signed: bool = True) -> str:
    """A change of a share in percentage points: '+4,4 điểm %' / '+4.4 pp' (a gap: ``is_signed=False``)."""
    if _missing(x):
        return MISSING
    d = (2 if abs(x) < 1 else 1) if decimals is None else decimals
    return _amount(x, lang, d, "pp", is_signed)


def change(x: float | None, unit_words: str, lang: str = "vi", decimals: int | None = None) -> str:
    """A signed change of a value shown in ``unit_words`` (already in the language).

    A change of a percentage is in percentage points: a +14.247 change of '% GRDP' reads
    '+14,247 điểm % GRDP' / '+14.247 pp of GRDP', never '+14,247 % GRDP'. Other units: '−310 tỷ đồng'.
    """
    if _missing(x):
        return MISSING
    if unit_words.startswith("%"):
        tail = unit_words[1:]  # '% of GRDP' -> 'pp of GRDP', '% GRDP' -> 'điểm % GRDP'
        return (points(x, lang, decimals) + tail).rstrip()
    d = (2 if abs(x) < 1 else 1) if decimals is None else decimals
    return f"{signed(x, lang, d)} {unit_words}".rstrip()


def year(y: float | int | None) -> str:
    """A year, whole and without a thousands separator: '2030'."""
    return MISSING if y is None else str(int(y))


def short(x: float | None, lang: str = "vi", max_decimals: int = 4) -> str:
    """A number with as few decimals as it needs (up to ``max_decimals``): '3,5', '1.060.448', '0,015'."""
    if _missing(x):
        return MISSING
    return number(x, lang, decimals_of(x, max_decimals))


def decimals_of(x: float, max_decimals: int = 4) -> int:
    """As many decimals as a number is written with (30 -> 0, 1.5 -> 1, 0.015 -> 3)."""
    return next((d for d in range(max_decimals) if abs(round(float(x), d) - float(x)) < 1e-9), max_decimals)


def ratio(x: float | None, lang: str = "vi", decimals: int = 2) -> str:
    """A ratio of two quantities: '1,25×' / '1.25×'."""
    if _missing(x):
        return MISSING
    return f"{number(x, lang, decimals)}×"


def value(x: float | None, code: str, lang: str = "vi", decimals: int | None = None) -> str:
    """A value in a unit code ('%', '% of floor', 'bn VND', 'million VND', 'people', ...) with its words."""
    if _missing(x):
        return MISSING
    if code == "bn VND":
        return money(x, lang, 0 if decimals is None else decimals)
    if code == "million VND":
        return million(x, lang, 1 if decimals is None else decimals)
    if code.startswith("%"):
        tail = "" if code == "%" else unit(code, lang)[1:]
        return percent(x, lang, decimals) + tail
    return f"{short(x, lang) if decimals is None else number(x, lang, decimals)} {unit(code, lang)}".rstrip()


def tidy(x: object, digits: int = 12) -> object:
    """A float rounded to ``digits`` significant digits (its repr then has no float noise); others as given."""
    if isinstance(x, float) and math.isfinite(x):
        return float(f"{x:.{digits}g}")
    return x


def duration(seconds: float) -> str:
    """Elapsed time as a clock reads it: '12:05' (minutes:seconds), '1:02:05' from an hour; never negative."""
    sec = max(0, int(seconds))
    h, m, s = sec // 3600, sec % 3600 // 60, sec % 60
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


DATE_TIME_PATTERNS = {"vi": "dd/MM/yyyy HH:mm", "en": "yyyy-MM-dd HH:mm"}


def when(moment: _dt.datetime, lang: str) -> str:
    """A date and time as the language writes it: '01/12/2026 21:40' / '2026-12-01 21:40'."""
    return format_datetime(moment, DATE_TIME_PATTERNS.get(lang, DATE_TIME_PATTERNS["en"]), locale=_LOCALE_DATA[lang])
