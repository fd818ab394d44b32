"""The one number formatter: each language's way of writing numbers, with values written by hand."""

from __future__ import annotations

import math
import re
from pathlib import Path

import numpy as np
import pytest

from sim.views import fmt

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(
    ("call", "vi", "en"),
    [
        (lambda lg: fmt.number(1234.5, lg, 1), "1.234,5", "1,234.5"),
        (lambda lg: fmt.number(1_060_448, lg), "1.060.448", "1,060,448"),
        (lambda lg: fmt.number(-1234.5, lg, 1), "−1.234,5", "−1,234.5"),
        (lambda lg: fmt.number(2.675, lg, 2), "2,68", "2.68"),  # halves round up, as by hand
        (lambda lg: fmt.number(0.125, lg, 2), "0,13", "0.13"),
        (lambda lg: fmt.number(-0.004, lg, 2), "0,00", "0.00"),  # no "−0,00"
        (lambda lg: fmt.share(0.4, lg), "40 %", "40 %"),
        (lambda lg: fmt.share(0.125, lg, 1), "12,5 %", "12.5 %"),
        (lambda lg: fmt.percent(30.46, lg), "30,5 %", "30.5 %"),
        (lambda lg: fmt.percent(1.125, lg), "1,13 %", "1.13 %"),  # two decimals below 10 %
        (lambda lg: fmt.percent(0.15, lg), "0,15 %", "0.15 %"),
        (lambda lg: fmt.points(4.4, lg), "+4,4 điểm %", "+4.4 pp"),
        (lambda lg: fmt.points(-0.25, lg), "−0,25 điểm %", "−0.25 pp"),
        (lambda lg: fmt.points(4.4, lg, is_signed=False), "4,4 điểm %", "4.4 pp"),
        (lambda lg: fmt.signed(1234.56, lg, 1), "+1.234,6", "+1,234.6"),
        (lambda lg: fmt.signed(-310, lg, 0, " %"), "−310 %", "−310 %"),
        (lambda lg: fmt.signed(0.0, lg, 1), "±0,0", "±0.0"),
        (lambda lg: fmt.money(3127.4, lg), "3.127 tỷ đồng", "3,127 bn VND"),
        (lambda lg: fmt.money(887.7, lg), "888 tỷ đồng", "888 bn VND"),  # one rule: whole billions
        (lambda lg: fmt.money(-310.2, lg, is_signed=True), "−310 tỷ đồng", "−310 bn VND"),
        (lambda lg: fmt.million(98.44, lg), "98,4 triệu đồng", "98.4 million VND"),
        (lambda lg: fmt.short(3.5, lg), "3,5", "3.5"),
        (lambda lg: fmt.short(1_060_448.0, lg), "1.060.448", "1,060,448"),
        (lambda lg: fmt.short(0.015, lg), "0,015", "0.015"),
        (lambda lg: fmt.ratio(1.25, lg), "1,25×", "1.25×"),
        (lambda lg: fmt.value(93.5, "% of floor", lg), "93,5 % mức Trung ương giao", "93.5 % of floor"),
        (lambda lg: fmt.value(12.0, "%/yr", lg), "12,0 %/năm", "12.0 %/yr"),
        (lambda lg: fmt.value(1500, "bn VND", lg), "1.500 tỷ đồng", "1,500 bn VND"),
        # attribution: a change of a share is in points, never '+14,247 % GRDP'
        (
            lambda lg: fmt.change(14.247, {"vi": "% GRDP", "en": "% of GRDP"}[lg], lg, 3),
            "+14,247 điểm % GRDP",
            "+14.247 pp of GRDP",
        ),
        (lambda lg: fmt.change(-310.4, {"vi": "tỷ đồng", "en": "bn VND"}[lg], lg, 0), "−310 tỷ đồng", "−310 bn VND"),
    ],
)
def test_each_language_writes_numbers_its_own_way(call, vi, en):
    assert call("vi") == vi
    assert call("en") == en


def test_money_in_trillions_from_one_hundred_thousand_billion():
    assert fmt.money_parts(231_625.58, "vi") == ("231,6", "nghìn tỷ đồng")
    assert fmt.money_parts(231_625.58, "en") == ("231.6", "trillion VND")
    # a change reads in the unit of the value it belongs to
    assert fmt.money_parts(1625.58, "vi", like=231_625.58, is_signed=True) == ("+1,6", "nghìn tỷ đồng")
    assert fmt.money_parts(99_999.4, "en") == ("99,999", "bn VND")


def test_years_have_no_separator_and_missing_values_a_dash():
    assert fmt.year(2030) == "2030" and fmt.year(2045.0) == "2045"
    for f in (fmt.number, fmt.percent, fmt.money, fmt.points, fmt.short, fmt.share):
        assert f(None, "vi") == "–" and f(float("nan"), "en") == "–"
    assert fmt.year(None) == "–"


def test_machine_numbers_have_no_float_noise():
    assert fmt.tidy(129568.98240000002) == 129568.9824 and fmt.tidy("a") == "a"
    assert fmt.tidy(0.30000000000000004) == 0.3 and fmt.tidy(1e-20) == 1e-20


# The idioms a second formatter is made of. Plotly templates (%{y:,.1f}) are left out: the chart
# theme gives them the language's separators (layout.separators).
_IDIOMS = {
    "thousands in an f-string": re.compile(r"(?<![%{])\{[^{}:%]*:[<>^]?[+-]?\d*,[\d.]*[a-z%]?\}"),
    "fixed decimals in an f-string": re.compile(r"(?<![%{])\{[^{}:%]*:[<>^]?[+-]?\d*\.\d+[f%]\}"),
    "a general-format number": re.compile(r"(?<![%{])\{[^{}:%]*:[+-]?\d*(\.\d+)?g\}"),
    "a decimal-mark swap": re.compile(r"""\.replace\(\s*["'][.,]["']\s*,\s*["'][.,\\]"""),
}


def test_no_second_number_formatter_in_the_code():
    found = []
    for path in sorted([*ROOT.joinpath("sim").rglob("*.py"), *ROOT.joinpath("ui").rglob("*.py"), ROOT / "app.py"]):
        if path == ROOT / "sim" / "views" / "fmt.py":
            continue
        for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for name, pattern in _IDIOMS.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{i}: {name}: {line.strip()}")
    assert not found, "format numbers with sim.views.fmt:\n" + "\n".join(found)


def test_the_idiom_scan_catches_each_idiom():
    samples = ['f"{x:,.1f}"', 'f"{x:.2f}"', 'f"{v:g}"', 's.replace(".", ",")', 'f"{n:,}"', 'f"{p:+,.4f}"']
    for sample in samples:
        assert any(p.search(sample) for p in _IDIOMS.values()), sample
    for sample in ('"%{y:,.1f} %"', 'f"%{{y:,.2f}} {unit}"', "{v: q[:, i, :] for v in x}"):
        assert not any(p.search(sample) for p in _IDIOMS.values()), sample


def test_csv_and_json_writers_round_float_noise_away():
    import json

    import pandas as pd

    from sim.export import to_bytes

    df = pd.DataFrame({"variable": ["GRDP|Nominal"], "year": [2030], "value": [129568.98240000002]})
    csv = to_bytes(df, "csv").decode("utf-8-sig")
    assert "129568.9824\n" in csv and "0000" not in csv
    assert json.loads(to_bytes(df, "json"))[0]["value"] == 129568.9824
    assert "129568.98240000002" not in to_bytes(df, "json").decode()


def test_a_duration_reads_like_a_clock():
    assert fmt.duration(0) == "0:00"
    assert fmt.duration(59.9) == "0:59"
    assert fmt.duration(12 * 60 + 5) == "12:05"
    assert fmt.duration(3600 + 2 * 60 + 5) == "1:02:05"
    assert fmt.duration(-3) == "0:00"  # a clock set a little ahead on another server


def test_many_numbers_at_once_are_written_as_one_at_a_time():
    """A lever's sweep writes thousands of numbers through fmt.numbers: the same texts, boundaries included."""
    by_hand = [2.675, 0.125, -0.004, 1234.5, 1.005, math.nan, -310.0, 0.0, 99_999.95]
    assert fmt.numbers(by_hand, "vi", 2) == [
        "2,68", "0,13", "0,00", "1.234,50", "1,01", "–", "−310,00", "0,00", "99.999,95",
    ]  # fmt: skip
    assert fmt.numbers([4.4, -0.25, 0.0, -0.04], "en", [1, 2, 1, 1], is_signed=True) == [
        "+4.4",
        "−0.25",
        "±0.0",
        "±0.0",
    ]
    rng = np.random.default_rng(57)
    values = np.concatenate(
        [
            rng.normal(0, 1, 3000),
            rng.uniform(-2e6, 2e6, 3000),
            np.round(rng.uniform(-100, 100, 3000), 3),  # many exact halves at two decimals
            [math.inf, -math.inf, -0.0, 1e16, 123_456_789.5],
        ]
    )
    decimals = rng.integers(0, 4, values.size)
    for lang in ("vi", "en"):
        assert fmt.numbers(values, lang, decimals) == [
            fmt.number(x, lang, int(d)) for x, d in zip(values, decimals, strict=True)
        ]
        assert fmt.numbers(values, lang, 1, is_signed=True) == [fmt.signed(x, lang, 1) for x in values]


def test_the_day_a_stamp_names_is_the_day_in_vietnam_whatever_the_server_clock(monkeypatch):
    import datetime as dt

    from sim.provenance import stamp
    from sim.scenario import baseline

    class Evening(dt.datetime):  # 18:30 UTC on 1 December is 01:30 on 2 December in Vietnam (UTC+7)
        @classmethod
        def now(cls, tz=None):  # type: ignore[override]
            return dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC).astimezone(tz)

    monkeypatch.setattr(fmt._dt, "datetime", Evening)
    assert fmt.today() == dt.date(2026, 12, 2)
    assert stamp(baseline(), "vi").endswith("· 2026-12-02")
    # and a library time written then reads as that day too
    assert fmt.when(dt.datetime(2026, 12, 1, 18, 30, tzinfo=dt.UTC), "vi") == "02/12/2026 01:30"
