"""Sources in both languages: a citation is one string; prose is written {vi:, en:} and shown in Vietnamese."""

from __future__ import annotations

import re

import pytest

from sim.params import Sourced, schema
from sim.profiles import list_profiles, load_profile

# Words that mark English prose (a citation such as "cafef.vn (01/2026)" or "Hall 2007" has none of them).
ENGLISH = re.compile(
    r"\b(the|of|and|for|in|published|assumption|national|province|provincial|spending|growth|share|"
    r"plan|rate|chosen|derived|implied|estimate|value|method|census|Jan|Feb|Apr|Sep|Nov|Dec|GSO|MoF|MoST)\b",
    re.IGNORECASE,
)


def every_source():
    for pid, p in schema().items():
        yield f"parameter {pid}", p
    for rid in list_profiles():
        prof = load_profile(rid)
        for name in type(prof.base).model_fields:
            yield f"{rid} base {name}", getattr(prof.base, name)
        for f in prof.facts:
            yield f"{rid} fact {f.item.en}", f
        for pid, d in prof.defaults.items():
            yield f"{rid} default {pid}", d
        for t in prof.targets:
            yield f"{rid} target {t.id}", t


def test_a_citation_reads_the_same_and_prose_in_each_language():
    class Fact(Sourced):
        pass

    assert Fact(source="cafef.vn").source_in("vi") == "cafef.vn" == Fact(source="cafef.vn").source
    both = Fact(source={"vi": "Tổng cục Thống kê", "en": "GSO"})
    assert (both.source_in("vi"), both.source_in("en"), both.source) == ("Tổng cục Thống kê", "GSO", "GSO")
    with pytest.raises(ValueError, match="source"):
        Fact(source={"vi": "x"})


@pytest.mark.parametrize(("where", "item"), list(every_source()), ids=lambda x: x if isinstance(x, str) else "")
def test_no_english_prose_in_a_vietnamese_source(where, item):
    vi = item.source_in("vi")
    assert not ENGLISH.search(vi), f"{where}: {vi!r}"


def test_profile_default_source_in_each_language():
    bp = load_profile("binh-phuoc")
    assert bp.default_source("stid_budget_share", "vi")[0] == "assumption"
    assert bp.default_source("stid_budget_share")[1].startswith("No provincial figure published")
    assert bp.default_source("stid_budget_share", "vi")[1].startswith("Tỉnh chưa công bố")
