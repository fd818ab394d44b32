"""Decision-analysis panels embedded in pages (the uncertainty switch on the Simulate page) and the cached
analysis runs the Analysis page shares with them.

Results are cached per scenario *content* (region and content hash), so every session asking the same
question shares one computation; the cached result is then given the caller's scenario (whose name may
differ) so that the provenance stamps name what the user sees.
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from sim.analysis.goalseek import SeekResult, goal_seek
from sim.analysis.montecarlo import DEFAULT_DRAWS, FAN_VARIABLES, MonteCarloResult, monte_carlo, spreads
from sim.analysis.optimize import PlanResult, PlanSettings, cheapest_plan
from sim.analysis.sensitivity import SobolResult, TornadoResult, sobol, tornado
from sim.errors import InputError
from sim.params import schema
from sim.profiles import Profile
from sim.scenario import Scenario
from sim.views.charts_analysis import fan_chart, probability_chart
from sim.views.fmt import number
from sim.views.i18n import gettext
from ui.figures import CONFIG, figure
from ui.safe import md

DRAW_OPTIONS = (500, 1_000, 2_000, 5_000, 10_000, 20_000)


# ---------------------------------------------------------------- cached analysis runs


@st.cache_data(max_entries=64, show_spinner=False)
def _mc(region: str, content_hash: str, draws: int, seed: int, _scenario: Scenario) -> MonteCarloResult:
    return monte_carlo(_scenario, draws=draws, seed=seed)


def mc_cached(scenario: Scenario, draws: int, seed: int) -> MonteCarloResult:
    """Monte Carlo for the scenario (cached by content, draws and seed)."""
    return replace(_mc(scenario.region, scenario.content_hash(), int(draws), int(seed), scenario), scenario=scenario)


@st.cache_data(max_entries=128, show_spinner=False)
def _seek(region: str, content_hash: str, target: str, lever: str, ramp: int | None, _s: Scenario) -> SeekResult:
    return goal_seek(_s, target, lever, ramp_year=ramp)


def seek_cached(scenario: Scenario, target: str, lever: str, ramp_year: int | None) -> SeekResult:
    """Goal seek (cached by content, target, lever and ramp year)."""
    r = _seek(scenario.region, scenario.content_hash(), target, lever, ramp_year, scenario)
    return replace(r, scenario=scenario)


@st.cache_data(max_entries=32, show_spinner=False)
def _plan(region: str, content_hash: str, settings: PlanSettings, _s: Scenario) -> PlanResult:
    return cheapest_plan(_s, settings)


def plan_cached(scenario: Scenario, settings: PlanSettings) -> PlanResult:
    """The cheapest plan, year by year, with the flat and ramp plans (cached by content and settings)."""
    keep = None if settings.keep is None else tuple(sorted(settings.keep))
    return _plan(scenario.region, scenario.content_hash(), replace(settings, keep=keep), scenario)


@st.cache_data(max_entries=64, show_spinner=False)
def _tornado(region: str, content_hash: str, outcome_id: str, _s: Scenario) -> TornadoResult:
    return tornado(_s, outcome_id)


def tornado_cached(scenario: Scenario, outcome_id: str) -> TornadoResult:
    return replace(_tornado(scenario.region, scenario.content_hash(), outcome_id, scenario), scenario=scenario)


@st.cache_data(max_entries=32, show_spinner=False)
def _sobol(region: str, content_hash: str, outcome_id: str, n: int, seed: int, _s: Scenario) -> SobolResult:
    return sobol(_s, outcome_id, base_draws=n, seed=seed)


def sobol_cached(scenario: Scenario, outcome_id: str, n: int = 1024, seed: int = 0) -> SobolResult:
    r = _sobol(scenario.region, scenario.content_hash(), outcome_id, n, seed, scenario)
    return replace(r, scenario=scenario)


# ---------------------------------------------------------------- the uncertainty panel


def uncertainty_panel(scenario: Scenario, lang: str, key: str = "unc") -> None:
    """Fan charts (P10-P90, P25-P75, median) of GRDP, R&D % of GRDP and the digital share, and the
    probability of meeting each target, under the assumptions' uncertainty (Monte Carlo).

    Args:
        scenario: the scenario whose levers are held while the assumptions vary.
        lang: 'vi' or 'en'.
        key: prefix of the widget keys (distinct per page).
    """
    c1, c2, c3 = st.columns([3, 1, 3])
    draws = c1.select_slider(
        gettext("Number of draws", lang),
        options=DRAW_OPTIONS,
        value=DEFAULT_DRAWS,
        format_func=lambda n: number(n, lang),
        key=f"{key}_draws",
    )
    seed = c2.number_input(
        gettext("Random seed", lang),
        min_value=0,
        max_value=2**31 - 1,
        value=0,
        step=1,
        key=f"{key}_seed",
        help=gettext("The same seed gives the same numbers.", lang),
    )
    c3.caption(
        gettext(
            "Each assumption varies (a triangular distribution peaking at the scenario's "
            "value, bounds from the literature or judgement: see the table on the Analysis "
            "page); the policy levers stay fixed.",
            lang,
        )
    )
    try:
        mc = mc_cached(scenario, int(draws), int(seed))
    except InputError as exc:
        st.error(md(exc))
        return
    cols = st.columns(len(FAN_VARIABLES))
    for i, (col, var) in enumerate(zip(cols, FAN_VARIABLES, strict=True)):
        spec = fan_chart(mc, var, lang, legend=i == 0)
        col.plotly_chart(figure(spec), key=f"{key}_fan_{i}", config=CONFIG, theme=None)
    st.plotly_chart(figure(probability_chart(mc, lang)), key=f"{key}_prob", config=CONFIG, theme=None)
    if mc.clipped_share > 0:
        st.warning(
            gettext(
                "{number} % of the draws contradict the base-year data (negative calibrated "
                "enterprise R&D) and have base-year enterprise R&D set to 0.",
                lang,
            ).format(number=number(mc.clipped_share * 100, lang, 1))
        )


def spread_rows(lang: str, profile: Profile | None = None) -> list[dict[str, object]]:
    """The uncertainty of each assumption as table rows (UI units, scaled to the profile's levels)."""
    rows = []
    for pid, s in spreads(profile).items():
        p = schema()[pid]
        rows.append(
            {
                gettext("Assumption", lang): p.label(lang),
                gettext("Unit", lang): p.unit(lang),
                gettext("Lowest shift", lang): number(s.low, lang, 2),
                gettext("Highest shift", lang): "+" + number(s.high, lang, 2),
                gettext("Allowed range", lang): f"{number(p.min, lang, 2)} – {number(p.max, lang, 2)}",
                gettext("Source", lang): p.source,
            }
        )
    return rows
