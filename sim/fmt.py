"""Numbers written the way each language writes them (Vietnamese: 1.234,5; English: 1,234.5)."""

from __future__ import annotations

import math

LANGS = ("vi", "en")


def number(x: float | None, lang: str = "vi", decimals: int = 0) -> str:
    """A number with thousands separators for the language; '–' for a missing value."""
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "–"
    s = f"{x:,.{decimals}f}"
    if lang == "vi":
        s = s.replace(",", "\u0000").replace(".", ",").replace("\u0000", ".")
    return s


def money(bn_vnd: float | None, lang: str = "vi", decimals: int | None = None) -> str:
    """Billion VND: '1.234,5 tỷ đồng' / '1,234.5 bn VND'."""
    if decimals is None:
        decimals = 0 if bn_vnd is not None and abs(bn_vnd) >= 1000 else 1
    unit = "tỷ đồng" if lang == "vi" else "bn VND"
    return f"{number(bn_vnd, lang, decimals)} {unit}"


def percent(x: float | None, lang: str = "vi", decimals: int | None = None) -> str:
    """A value already in percent: '30,5 %' / '30.5 %'. Small values get more decimals."""
    if decimals is None:
        decimals = 2 if x is not None and abs(x) < 1 else 1
    return f"{number(x, lang, decimals)} %"


def million(x: float | None, lang: str = "vi", decimals: int = 1) -> str:
    unit = "triệu đồng" if lang == "vi" else "million VND"
    return f"{number(x, lang, decimals)} {unit}"


def signed(x: float | None, lang: str = "vi", decimals: int = 1, suffix: str = "") -> str:
    """A change with its sign: '+1,2 pp'."""
    if x is None or not math.isfinite(x):
        return "–"
    sign = "+" if x > 0 else "−" if x < 0 else "±"
    return f"{sign}{number(abs(x), lang, decimals)}{suffix}"


def short(x: float, lang: str = "vi") -> str:
    """A number with as few decimals as it needs (up to 4), the language's way: '3,5', '1.060.448'."""
    if not math.isfinite(x):
        return str(x)
    decimals = next((d for d in range(4) if abs(round(x, d) - x) < 1e-9), 4)
    return number(x, lang, decimals)
