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
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
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
    if x is None:
        return MISSING
    return _number(float(x), decimals, _SEPARATORS.get(lang, _SEPARATORS["vi"]), False)


def numbers(
    xs: Iterable[float], lang: str = "vi", decimals: int | Iterable[int] = 0, *, is_signed: bool = False
) -> list[str]:
    """:func:`number` (or :func:`signed` with ``is_signed``) of each of ``xs``, with one ``decimals`` for all
    or one each: the same texts, written at once (a lever's sweep writes thousands of numbers a rerun).

    The rounding is done on the whole array: where ``|x|·10^decimals`` lies clearly away from a rounding
    boundary (its fraction not within 1e-6 of one half), the correctly rounded digits and the half-up
    rounding of the shortest repr (:func:`_digits`) are the same integer; each distinct integer is then
    written once. The few numbers near a boundary, and the non-finite ones, go through :func:`_number`.
    """
    table = _SEPARATORS.get(lang, _SEPARATORS["vi"])
    x = np.asarray(list(xs) if not isinstance(xs, np.ndarray) else xs, dtype=float)
    d = np.broadcast_to(np.asarray(decimals if isinstance(decimals, int) else list(decimals), dtype=int), x.shape)
    if x.size <= _FEW:  # a card's or a table cell's few numbers: the array work would cost more than it saves
        return [
            _number(v, di, table, is_signed)
            for v, di in zip(x.reshape(-1).tolist(), d.reshape(-1).tolist(), strict=True)
        ]
    with np.errstate(invalid="ignore", over="ignore"):
        scaled = np.abs(x) * 10.0**d
        whole = np.floor(scaled)
        frac = scaled - whole
        sure = np.isfinite(scaled) & (scaled < 1e15) & (np.abs(frac - 0.5) > 1e-6 + 1e-12 * scaled)
    q = np.where(sure, whole + (frac > 0.5), 0).astype(np.int64)
    # the sign's position in marks: '±', '+', '−' for a change; '', '−' for a value
    sign = np.where(q == 0, 0, np.where(x > 0, 1, 2)) if is_signed else np.where((x < 0) & (q != 0), 2, 0)
    # One key per distinct text (decimals ≤ 4); a number near a boundary gets a key of its own.
    key = np.where(sure, q * 16 + d * 3 + sign, -1 - np.arange(x.size))
    distinct, first, inverse = np.unique(key, return_index=True, return_inverse=True)
    marks = ("±", "+", MINUS) if is_signed else ("", "", MINUS)
    flat_x, flat_d = x.reshape(-1), d.reshape(-1)
    if len(_WRITTEN) > _WRITTEN_MAX:
        _WRITTEN.clear()
    texts = []
    for k, di, i in zip(distinct.tolist(), flat_d[first].tolist(), first.tolist(), strict=True):
        if k < 0:
            texts.append(_number(float(flat_x[i]), di, table, is_signed))
            continue
        text = _WRITTEN.get((lang, is_signed, k))
        if text is None:
            units, part = divmod(k >> 4, _TENS[di])
            digits = format(units, ",") + ("." + str(part).zfill(di) if di else "")
            text = _WRITTEN[(lang, is_signed, k)] = marks[(k & 15) - 3 * di] + digits.translate(table)
        texts.append(text)
    return np.array(texts, dtype=object)[inverse.reshape(-1)].tolist()


_FEW = 8  # up to this many numbers, :func:`numbers` writes each one by one
_TENS = tuple(10**i for i in range(5))  # 10^decimals, decimals ≤ 4 (the key of :func:`numbers`)
# Texts :func:`numbers` has written, by (language, signed, key): a lever's sweep after a release repeats
# most of the texts of the sweeps before it. Shared by the sessions of a server; emptied when full.
_WRITTEN: dict[tuple[str, bool, int], str] = {}
_WRITTEN_MAX = 100_000


def _number(x: float, decimals: int, table: dict[int, str], is_signed: bool) -> str:
    """The one rule of a number's text: digits rounded half up, the language's separators, the sign.

    A number that rounds to zero carries no minus; a signed one then reads '±0'.
    """
    if not math.isfinite(x):
        return MISSING
    digits = _digits(x, decimals)
    zero = not digits.strip("0,.")
    text = digits.translate(table)
    if is_signed:
        return ("±" if zero else "+" if x > 0 else MINUS) + text
    return MINUS + text if x < 0 and not zero else text


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
    if x is None:
        return MISSING
    text = _number(float(x), decimals, _SEPARATORS.get(lang, _SEPARATORS["vi"]), True)
    return text if text == MISSING else text + suffix


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
    x = math.nan if bn_vnd is None else float(bn_vnd)
    xs, decimals, codes = money_scale(np.array([x]), None if like is None else np.array([float(like)]))
    return numbers(xs, lang, decimals, is_signed=is_signed)[0], unit(codes[0], lang)


def money_scale(bn_vnd: np.ndarray, like: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """(each sum in the unit it is written in, its decimals, the unit's code): trillions with one decimal when
    ``like`` (default: the sum) reaches :data:`TRILLION_FROM` bn VND, else whole billions."""
    trillions = np.abs(bn_vnd if like is None else like) >= TRILLION_FROM
    codes = ["trillion VND" if t else "bn VND" for t in trillions.tolist()]
    return np.where(trillions, bn_vnd / 1000.0, bn_vnd), trillions.astype(int), codes


def units(codes: list[str], lang: str) -> list[str]:
    """:func:`unit` of each code."""
    words = {c: unit(c, lang) for c in set(codes)}
    return list(map(words.__getitem__, codes))


def percent_decimals(x: float) -> int:
    """Decimals of a value in percent: two below 10 (1,12 %), one from 10 (16,0 %)."""
    return int(percents_decimals(np.array([x]))[0])


def percents_decimals(x: np.ndarray) -> np.ndarray:
    """:func:`percent_decimals` of each value."""
    return np.where(np.abs(x) < 10, 2, 1)


def points_decimals(x: np.ndarray) -> np.ndarray:
    """Decimals of changes in percentage points: two below one point (+0,25), one from one (+4,4)."""
    return np.where(np.abs(x) < 1, 2, 1)


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
    d = int(points_decimals(np.array([x]))[0]) if decimals is None else decimals
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
    d = int(points_decimals(np.array([x]))[0]) if decimals is None else decimals
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
# The planners' clock, whatever the server's: Vietnam has kept UTC+7 without daylight saving since 1975, so a
# fixed offset needs no time-zone database in the container.
VIETNAM_TIME = _dt.timezone(_dt.timedelta(hours=7), "ICT")


def today() -> _dt.date:
    """Today's date on the planners' clock (Vietnam), whatever the server's time zone: the day a stamp names."""
    return _dt.datetime.now(VIETNAM_TIME).date()


def when(moment: _dt.datetime, lang: str) -> str:
    """A moment in Vietnam time as the language writes it: '01/12/2026 21:40' / '2026-12-01 21:40'.

    A time without a zone is taken as UTC (what the library stores).
    """
    pattern = DATE_TIME_PATTERNS.get(lang, DATE_TIME_PATTERNS["en"])
    return format_datetime(moment, pattern, tzinfo=VIETNAM_TIME, locale=_LOCALE_DATA[lang])
