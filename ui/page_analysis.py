"""Page: Phân tích / Analysis. Goal seek, the cheapest budget mix, uncertainty, sensitivity, attribution.

The page is thin: every number comes from :mod:`sim.analysis` (cached in :mod:`ui.analysis_panels`), every
chart from :mod:`sim.views.charts_analysis`; the current scenario is the one the Simulate page's sliders show
(:mod:`ui.state`), and answers go back there through ``state.set_scenario``. Each analysis is a tab, computed
and drawn only while open (:func:`ui.choices.tabs`): a visit computes the open tab alone.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from sim import store
from sim.analysis.attribution import shapley
from sim.analysis.goalseek import GRID_POINTS, SeekResult
from sim.analysis.optimize import (
    ENVELOPE_STEP,
    HOLD_UNTIL,
    LEVERS,
    RD_STEP,
    SHAPE_NAMES,
    SHARE_STEP,
    Check,
    PlanResult,
    PlanSettings,
    default_targets,
    optional_targets,
)
from sim.analysis.outcomes import OUTCOMES, TORNADO_OUTCOMES
from sim.errors import InputError
from sim.params import lever_swings, schema, seek_levers
from sim.scenario import Scenario, baseline, describe_changes
from sim.targets import evaluate, evaluate_all
from sim.views.charts_analysis import seek_chart, sobol_chart, tornado_chart, waterfall_chart
from sim.views.current import VIA_CHEAPEST_MIX, VIA_GOAL_SEEK
from sim.views.effects import missed
from sim.views.fmt import money, number
from sim.views.scorecard import MARKS
from ui import state
from ui.analysis_panels import (
    plan_cached,
    seek_cached,
    sobol_cached,
    spread_rows,
    tornado_cached,
    uncertainty_panel,
)
from ui.choices import tabs
from ui.figures import CONFIG, figure
from ui.i18n import _, lang
from ui.library_panels import scenario_name
from ui.runs import run
from ui.safe import md

SIMULATE_PAGE = "ui/page_simulate.py"
TAB_KEY = "an_tab"  # the open tab's id (goal seek first): another page may set it to open a tab

L = lang()
scenario = state.current_scenario()
shown = state.shown_scenario()
prof = scenario.profile
params = schema()

st.title(_("Decision analysis"))
changes = describe_changes(scenario, L)
st.caption(
    _("Scenario analysed: ")
    + f"**{md(shown.name(L))}** · {prof.name(L)}"
    + (" · " + "; ".join(changes) if changes else _(" · every default"))
)


def _plot(spec: dict, key: str) -> None:
    st.plotly_chart(figure(spec), key=key, config=CONFIG, theme=None)


def _lever_value_text(pid: str, v: float) -> str:
    p = params[pid]
    decimals = 3 if (p.step or 1) < 0.1 else 2
    return f"{number(v, L, decimals)} {p.unit(L)}"


def _target_value_text(unit: str, v: float) -> str:
    decimals = 0 if abs(v) >= 1000 else 2
    return f"{number(v, L, decimals)} {unit}"


def _seek_apply(sr: SeekResult, lever: str) -> None:
    """What "apply" sets (the exact answer, or rounded up to the slider step, said so), its effect on
    every target, and the button."""
    applied = sr.apply()
    exact = sr.slider_value == sr.value
    unit = params[lever].unit(L)
    if exact:
        st.caption(_("Apply sets the exact answer, {value} {unit}.").format(value=_seek_text(sr.value), unit=unit))
    else:
        st.info(
            _(
                "The sliders move in steps of {step} {unit}: apply sets {rounded} {unit}, the answer "
                "{exact} {unit} rounded up to the next step."
            ).format(
                step=_seek_text(params[lever].step or 0.0),
                unit=unit,
                rounded=_seek_text(sr.slider_value),
                exact=_seek_text(sr.value),
            ),
            icon=":material/straighten:",
        )
    after = run(applied)
    t = sr.target
    reached = float(evaluate(after, t).value[0])
    st.markdown(
        _("With {value} {unit}: «{target}» reaches {reached}.").format(
            value=_seek_text(sr.slider_value), unit=unit, target=t.label(L), reached=_target_value_text(t.unit, reached)
        )
    )
    was_met = {r.id for r in evaluate_all(run(scenario), prof) if bool(r.met[0])}
    broken = [x for x in missed(after, prof, exclude=t.id) if x.id in was_met]
    still = [x for x in missed(after, prof, exclude=t.id) if x.id not in was_met]
    for x in broken:
        st.warning(_("The answer breaks «{target}», met before.").format(target=x.label(L)), icon=":material/warning:")
    if still:
        st.caption(_("Still missed with the answer: {targets}.").format(targets="; ".join(x.label(L) for x in still)))
    if st.button(
        _("Apply {value} {unit} to the sliders").format(value=_seek_text(sr.slider_value), unit=unit),
        key="an_seek_apply",
        type="primary",
        icon=":material/tune:",
    ):
        state.set_scenario(applied, via=VIA_GOAL_SEEK)
        st.switch_page(SIMULATE_PAGE)


def _seek_text(v: float | None) -> str:
    """A lever value from goal seek, with the decimals it holds (up to four), in the language's format."""
    x = float(v or 0.0)
    d = 1
    while d < 4 and abs(x - round(x, d)) > 1e-9:
        d += 1
    return number(x, L, d)


# ---------------------------------------------------------------- goal seek


def goal_seek_tab() -> None:
    """The smallest value of one lever that meets one target, and the button that applies it."""
    st.markdown(
        _(
            "Pick a target and a lever: the tool finds the **smallest value** of the lever "
            "(within its allowed range) that meets the target, everything else in the "
            "scenario kept."
        )
    )
    c1, c2, c3 = st.columns([3, 3, 2])
    target_ids = [t.id for t in prof.targets]
    tid = c1.selectbox(
        _("Target"),
        target_ids,
        format_func=lambda i: prof.target(i).label(L),
        key="an_seek_target",
    )
    lever = c2.selectbox(
        _("Lever"),
        seek_levers(),
        format_func=lambda p: f"{params[p].label(L)} ({params[p].unit(L)})",
        key="an_seek_lever",
    )
    ramp = c3.toggle(
        _("Ramp up to a year"),
        key="an_seek_ramp",
        help=_(
            "Off: one flat value from the year after the base year. On: a straight line from "
            "the base-year value to the answer in the chosen year."
        ),
    )
    ramp_year = None
    if ramp:
        ramp_year = int(
            c3.number_input(
                _("Year reached"),
                min_value=prof.base_year + 1,
                max_value=prof.horizon,
                value=min(2030, prof.horizon),
                step=1,
                key="an_seek_ramp_year",
            )
        )
    try:
        sr: SeekResult | None = seek_cached(scenario, tid, lever, ramp_year)
    except InputError as exc:
        st.error(md(exc))
        sr = None
    if sr is not None:
        t = sr.target
        how = (
            _("flat from {x}").format(x=prof.base_year + 1)
            if ramp_year is None
            else _("reached in {ramp_year}").format(ramp_year=ramp_year)
        )
        if sr.reachable and sr.value is not None:
            st.success(
                _("It takes at least **{lever_value_text}** ({how}) to meet «{label}»: {target_value_text}.").format(
                    lever_value_text=_lever_value_text(lever, sr.value),
                    how=how,
                    label=t.label(L),
                    target_value_text=_target_value_text(t.unit, sr.reached),
                ),
                icon=":material/target:",
            )
            if sr.value <= sr.low:
                st.info(_("The target is met even at the bottom of the range."))
            if sr.met_up_to is not None:
                st.info(
                    _(
                        "The target holds only up to {lever_value_text}; above that it is missed (e.g. "
                        "more public R&D lowers the non-state share)."
                    ).format(lever_value_text=_lever_value_text(lever, sr.met_up_to))
                )
            _seek_apply(sr, lever)
        else:
            msg = _(
                "«{label}» is unreachable with this lever: even at the top of its range "
                "({lever_value_text}) it reaches {target_value_text} (target "
                "{target_value_text2})."
            ).format(
                label=t.label(L),
                lever_value_text=_lever_value_text(lever, sr.high),
                target_value_text=_target_value_text(t.unit, sr.at_top),
                target_value_text2=_target_value_text(t.unit, t.value),
            )
            if sr.best > sr.at_top + 1e-9 * max(1.0, abs(sr.at_top)):
                msg += _(" The best within the range: {target_value_text} at {lever_value_text}.").format(
                    target_value_text=_target_value_text(t.unit, sr.best),
                    lever_value_text=_lever_value_text(lever, sr.best_at),
                )
            st.warning(msg, icon=":material/warning:")
        _plot(seek_chart(sr, L), "an_seek_chart")
        st.caption(
            _(
                "Method: the target is computed for {n} evenly spaced lever values in one vectorised run, the first "
                "value that meets it is refined with Brent's method. Safe even where the target is not monotone in "
                "the lever. The lever's path in the scenario is replaced by the flat value or the ramp."
            ).format(n=number(GRID_POINTS, L))
        )


# ---------------------------------------------------------------- cheapest plan


def _plan_paths_table(res: PlanResult) -> pd.DataFrame:
    """The three plans' lever paths, one row per lever and plan, one column per year (UI units)."""
    rows = []
    for pid in LEVERS:
        p = params[pid]
        for shape, plan in res.plans.items():
            row: dict[str, str] = {_("Lever"): f"{p.label(L)} ({p.unit(L)})", _("Plan"): _(SHAPE_NAMES[shape])}
            row.update({str(y): number(v, L, 2) for y, v in plan.paths[pid].items()})
            rows.append(row)
    return pd.DataFrame(rows)


def _check_text(c: Check) -> str:
    k = c.constraint
    value = _target_value_text(_(k.unit), c.value)
    if not c.met:
        return (
            MARKS[False]
            + " "
            + _("{value} in {year}, short by {gap}").format(
                value=value, year=c.year, gap=_target_value_text(_(k.unit), -c.slack)
            )
        )
    return MARKS[True] + " " + value + (" · " + _("binding") if c.binding else "")


def _checks_table(res: PlanResult) -> pd.DataFrame:
    """Every constraint (its years and limit) at each plan: the worst year's value and whether it holds."""
    rows = []
    for i, k in enumerate(res.constraints):
        limit = ("≤ " if k.upper else "≥ ") + _target_value_text(_(k.unit), k.value)
        row = {_("Constraint"): k.label(L), _("Years"): k.span(), _("Limit"): limit}
        for shape, plan in res.plans.items():
            row[_(SHAPE_NAMES[shape])] = _check_text(plan.checks[i])
        rows.append(row)
    return pd.DataFrame(rows)


def cheapest_plan_tab() -> None:
    """The cheapest budget mix, year by year, beside the flat and ramp plans, with its settings."""
    st.markdown(
        _(
            "Finds the S&T/DX envelope (% of budget spending), the R&D share of the envelope and the enterprise "
            "R&D to mobilise **for each year to 2030** with the **least fiscal cost** (envelope plus the incentives "
            "that mobilise enterprise R&D, base-year prices) that holds the chosen 2030 targets **in every year to "
            "the year set below** and the rules in every year: at or above the central floor, never falling, "
            "≥ 60 % non-state R&D. Beside it: the cheapest plan with flat shares and with a straight-line ramp."
        )
    )
    c1, c2, c3, c4 = st.columns(4)
    hold_until = c1.number_input(
        _("2030 targets held until"),
        min_value=2030,
        max_value=prof.horizon,
        value=min(HOLD_UNTIL, prof.horizon),
        step=1,
        key="an_plan_hold",
    )
    no_limit = _("0 means no limit.")
    envelope_step = c2.number_input(
        _("Envelope rise per year (points of budget)"),
        min_value=0.0,
        max_value=10.0,
        value=ENVELOPE_STEP,
        step=0.1,
        format="%.1f",
        key="an_plan_env_step",
        help=no_limit,
    )
    rd_step = c3.number_input(
        _("R&D rise per year (points of GRDP)"),
        min_value=0.0,
        max_value=3.0,
        value=RD_STEP,
        step=0.05,
        format="%.2f",
        key="an_plan_rd_step",
        help=_(
            "Research capacity is built over years: without a limit the cheapest plan lifts enterprise R&D to "
            "the target in 2030 alone."
        )
        + " "
        + no_limit,
    )
    share_step = c4.number_input(
        _("R&D share change per year (points)"),
        min_value=0.0,
        max_value=100.0,
        value=SHARE_STEP,
        step=1.0,
        format="%.0f",
        key="an_plan_share_step",
        help=_(
            "Without a limit the cheapest plan spends the envelope on digital transformation until 2029 and on "
            "R&D in 2030."
        )
        + " "
        + no_limit,
    )
    c1, c2, c3 = st.columns([1, 1, 2])
    ceiling_on = c1.toggle(_("Ceiling on enterprise R&D"), key="an_plan_ceiling_on")
    ceiling = None
    if ceiling_on:
        ceiling = float(
            c1.number_input(
                _("At most (% of GRDP)"),
                min_value=0.0,
                max_value=float(params["enterprise_rd_intensity"].max or 3.0),
                value=1.5,
                step=0.05,
                format="%.2f",
                key="an_plan_ceiling",
            )
        )
    with_2045 = c2.toggle(_("Also meet the 2045 targets"), key="an_plan_2045")
    optional = optional_targets(prof)
    keep = c3.multiselect(
        _("Targets to meet (the rules always apply)"),
        [t.id for t in optional],
        default=[t.id for t in default_targets(prof)],
        format_func=lambda i: prof.target(i).label(L),
        key="an_plan_keep",
    )
    settings = PlanSettings(
        hold_until=int(hold_until),
        envelope_step=float(envelope_step) or None,
        rd_step=float(rd_step) or None,
        share_step=float(share_step) or None,
        targets_2045=bool(with_2045),
        ceiling=ceiling,
        keep=tuple(keep),
    )
    try:
        plans: PlanResult | None = plan_cached(scenario, settings)
    except InputError as exc:
        st.error(md(exc))
        plans = None
    if plans is not None:
        best = plans.best
        if best.feasible:
            st.success(
                _(
                    "Cheapest plan, year by year: fiscal cost {span} of **{cost}** (base-year prices: envelope "
                    "{envelope}, R&D incentives {incentives}), against {current} for the current scenario."
                ).format(
                    span=plans.span,
                    cost=money(best.cost_real, L),
                    envelope=money(best.envelope_real, L),
                    incentives=money(best.incentives_real, L),
                    current=money(plans.current_cost_real, L),
                ),
                icon=":material/savings:",
            )
        else:
            lines = [_("**No plan within the allowed ranges meets every constraint.** The closest plan falls short:")]
            for c in best.violated:
                lines.append(
                    "- "
                    + _("«{label}» ({years}): {value} in {year}, short by {gap}.").format(
                        label=c.constraint.label(L),
                        years=c.constraint.span(),
                        value=_target_value_text(_(c.constraint.unit), c.value),
                        year=c.year,
                        gap=_target_value_text(_(c.constraint.unit), -c.slack),
                    )
                )
            st.error("\n".join(lines))
        cols = st.columns(len(plans.plans))
        for col, (shape, plan) in zip(cols, plans.plans.items(), strict=True):
            with col.container(border=True):
                label = _("Fiscal cost {span}").format(span=plans.span)
                st.metric(f"{_(SHAPE_NAMES[shape])} · {label}", money(plan.cost_real, L) if plan.feasible else "—")
                if not plan.feasible:
                    st.caption(
                        _("Infeasible: {n} constraints short (closest plan shown).").format(n=len(plan.violated))
                    )
                if st.button(
                    _("Open in Simulate"), key=f"an_plan_open_{shape}", icon=":material/tune:", width="stretch"
                ):
                    state.set_scenario(plan.scenario, via=VIA_CHEAPEST_MIX)
                    st.switch_page(SIMULATE_PAGE)
                if plan.feasible and st.button(
                    _("Save"), key=f"an_plan_save_{shape}", icon=":material/save:", width="stretch"
                ):
                    try:
                        sid = store.save_new(plan.scenario)
                    except (InputError, OSError) as exc:
                        st.error(_("Not saved: ") + md(exc))
                    else:
                        st.success(_("Saved «{name}» to the library.").format(name=scenario_name(sid)))
        st.dataframe(_plan_paths_table(plans), hide_index=True, key="an_plan_paths")
        st.caption(_("After 2030 every lever holds its 2030 value."))
        checks = st.expander(
            _("Every constraint at each plan (worst year)"), key="an_plan_checks_box", on_change="rerun"
        )
        if checks.open:  # drawn only while open
            with checks:
                st.dataframe(_checks_table(plans), hide_index=True, key="an_plan_checks")
        st.caption(
            _(
                "Method: the flat and ramp plans start from the cheapest case of a coarse grid (one vectorised run); "
                "the year-by-year plan starts from the ramp plan; each is refined with SLSQP (scipy), gradients from "
                "one vectorised run per step. The scenario's assumptions, central floor and rule mode are kept. "
                "Solved in {seconds} s ({runs} runs)."
            ).format(seconds=number(plans.seconds, L, 1), runs=number(plans.runs, L))
        )


# ---------------------------------------------------------------- uncertainty


def uncertainty_tab() -> None:
    """Monte Carlo fans and target probabilities; the assumptions' distributions on request."""
    uncertainty_panel(scenario, L, key="an_unc")
    box = st.expander(_("Each assumption's distribution"), key="an_unc_spreads_box", on_change="rerun")
    if not box.open:  # drawn only while open
        return
    with box:
        st.markdown(
            _(
                "Each assumption gets a random shift (triangular, peaking at 0, between the lowest and highest "
                "shift), clipped to its allowed range; the R&D lag is rounded. On a yearly path the shift grows in a "
                "straight line from zero in the base year (history) to its full size in 2030. Shifts of growth, "
                "budget/GRDP and population growth are scaled to this region's own base-year level. The "
                "assumptions are independent. Bounds follow the literature in the source column; where it says "
                "'assumption' they are a judgement."
            )
        )
        st.dataframe(pd.DataFrame(spread_rows(L, scenario.profile)), hide_index=True, key="an_unc_spreads")


# ---------------------------------------------------------------- sensitivity


def sensitivity_tab() -> None:
    """The tornado of one outcome; its Sobol indices on request."""
    oid = st.selectbox(
        _("Outcome"),
        TORNADO_OUTCOMES,
        format_func=lambda o: OUTCOMES[o].label(L),
        key="an_tornado_outcome",
    )
    try:
        _plot(tornado_chart(tornado_cached(scenario, oid), L), "an_tornado_chart")
    except InputError as exc:
        st.error(md(exc))
    swings = ", ".join(
        f"{params[p].label(L)} ±{number(d, L, 2)} {params[p].unit(L)}" for p, d in lever_swings().items()
    )
    st.caption(
        _(
            "Each input at its low and high end, all others held. Assumptions: their "
            "uncertainty range. Levers: {swings}. The top bar matters most."
        ).format(swings=swings)
    )
    if st.toggle(_("Sobol indices (variance-based)"), key="an_sobol"):
        try:
            sobol_result = sobol_cached(scenario, oid)
            _plot(sobol_chart(sobol_result, L, scenario), "an_sobol_chart")
            # N is the one the indices were computed with, not a number retyped here
            st.caption(
                _(
                    "First-order index: the share of the outcome's variance due to that assumption alone; total "
                    "index: including its interactions with the others (Saltelli 2010 and Jansen estimators, "
                    "N = {n}, the Monte Carlo distributions)."
                ).format(n=number(sobol_result.base_draws, L))
            )
        except InputError as exc:
            st.error(md(exc))


# ---------------------------------------------------------------- attribution


def attribution_tab() -> None:
    """An outcome's difference between two scenarios split among the inputs (Shapley values)."""
    st.markdown(
        _(
            "The difference in an outcome between two scenarios is split among the inputs "
            "that differ by their **Shapley values**: each input gets the average change in "
            "the outcome when it is switched from A's value to B's, averaged over every "
            "order of switching. The parts add up exactly to the total, do not depend on the "
            "order the inputs are listed in, and interactions are shared evenly between the "
            "inputs involved. With up to 10 differing inputs every subset (2^k) is run, so "
            "the result is exact."
        )
    )
    options: dict[str, Scenario] = {"__current__": shown, "__baseline__": baseline(scenario.region)}
    for sid, s in state.library(scenario.region).items():
        options[sid] = s
    names = {
        "__current__": _("Current: {name}").format(name=shown.name(L)),
        "__baseline__": _("Baseline (every default)"),
    }
    ids = list(options)
    # B defaults to the current scenario, or, while that is the plain baseline, to the first one that differs.
    b_default = 0 if scenario.changes else next((i for i, k in enumerate(ids) if options[k].changes), 0)
    c1, c2, c3 = st.columns(3)
    ida = c1.selectbox("A", ids, index=1, format_func=lambda i: names.get(i, options[i].name(L)), key="an_attr_a")
    idb = c2.selectbox(
        "B", ids, index=b_default, format_func=lambda i: names.get(i, options[i].name(L)), key="an_attr_b"
    )
    oid_attr = c3.selectbox(
        _("Outcome"),
        list(OUTCOMES),
        format_func=lambda o: OUTCOMES[o].label(L),
        key="an_attr_outcome",
    )
    try:
        at = shapley(options[ida], options[idb], oid_attr)
    except InputError as exc:
        st.error(md(exc))
        at = None
    if at is not None:
        if not at.parts:
            st.info(_("The two scenarios have the same inputs: pick two different ones."))  # fmt: skip
        else:
            _plot(waterfall_chart(at, L), "an_attr_chart")
            unit = at.outcome.unit(L)
            rows = [
                {
                    _("Input"): params[p.pid].label(L),
                    _("Contribution"): f"{'+' if p.value >= 0 else '−'}{number(abs(p.value), L, 3)} {unit}",
                    _("Share"): (f"{number(100 * p.value / at.total, L, 1)} %" if abs(at.total) > 1e-12 else "–"),
                }
                for p in at.parts
            ]
            st.dataframe(pd.DataFrame(rows), hide_index=True, key="an_attr_table")


# ---------------------------------------------------------------- the page: the open tab alone is drawn

TABS = {
    "seek": (_("Goal seek"), goal_seek_tab),
    "mix": (_("Cheapest plan"), cheapest_plan_tab),
    "uncertainty": (_("Uncertainty"), uncertainty_tab),
    "sensitivity": (_("Sensitivity"), sensitivity_tab),
    "attribution": (_("Attribution"), attribution_tab),
}
tabs(TAB_KEY, TABS)
