"""Hypothesis strategies over the parameter schema: any value a user may set, for any region."""

from __future__ import annotations

from hypothesis import strategies as st

from sim.params import Parameter
from sim.profiles import load_profile


def parameter_value(p: Parameter, region: str) -> st.SearchStrategy:
    """A value in the parameter's allowed range; for a path, also a {year: value} path within the run."""
    if p.is_choice:
        return st.sampled_from(p.choices)
    if p.integer:
        num = st.integers(int(p.min), int(p.max))
    else:
        num = st.floats(p.min, p.max, allow_nan=False, allow_infinity=False)
    if not p.path:
        return num
    prof = load_profile(region)
    years = st.integers(prof.base_year, prof.horizon)
    return st.one_of(num, st.dictionaries(years, num, min_size=1, max_size=4))
