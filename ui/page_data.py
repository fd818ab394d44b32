"""Page: Dữ liệu & giả định / Data & assumptions.

Where every number comes from: the profile's base-year data with tag and source, the parameter table
built from the one schema (with this profile's defaults), the equations of the model written from the
engine's constants, the calibration (k0 fitted to the national series, the crowding-in limit), the targets
with their sources, Bình Phước's 2030 outcomes inside the merged Đồng Nai, and the measurement caveats; one tab
each, drawn only while open (:func:`ui.choices.tabs`).
"""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from sim.analysis.calibration import K0Fit, base_public_rd, crowding_in_limit, k0_fit
from sim.analysis.merger import MERGED, PART, YEAR, base_year_grdp_share, merged_grdp_target, part_in_merged
from sim.engine import K_MAX, RULE_NONSTATE_MIN, RULE_RATIO, cost_periods
from sim.params import Parameter, Text, schema
from sim.profiles import TAG_WORDS, Profile, list_profiles, load_profile
from sim.scenario import Scenario, baseline, format_value
from sim.views import fmt
from sim.views.charts_data import k0_fit_chart
from sim.views.i18n import gettext
from ui import state
from ui.choices import choice_key, keep, tabs
from ui.figures import CONFIG, figure
from ui.i18n import _, lang
from ui.runs import run
from ui.safe import md

# DATA.md's provenance tags: (badge colour, cell colour); their words are sim.profiles.TAG_WORDS.
TAGS = {
    "official": ("green", "#dcfce7"),
    "preliminary": ("orange", "#fef3c7"),
    "plan": ("blue", "#dbeafe"),
    "derived": ("violet", "#ede9fe"),
    "assumption": ("red", "#fee2e2"),
}
TAB_KEY = "data_tab"  # the open tab's id (base-year data first): another page may set it to open a tab


def tag_text(tag: str) -> str:
    """A provenance tag in the current language (the table cell)."""
    return gettext(TAG_WORDS[tag], lang()) if tag in TAG_WORDS else tag


def tag_badge(tag: str) -> str:
    """A provenance tag as a coloured Markdown badge."""
    colour = TAGS[tag][0] if tag in TAGS else "gray"
    return f":{colour}-badge[{tag_text(tag)}]"


def unit_text(unit: str | Text) -> str:
    if isinstance(unit, Text):
        return unit(lang())
    for code in sorted(fmt.UNITS, key=len, reverse=True):  # a unit with a qualifier: "bn VND (base-year prices)"
        if unit == code or unit.startswith(code + " "):
            return fmt.unit(code, lang()) + unit[len(code) :]
    return unit


def show_table(df: pd.DataFrame, key: str, wide: tuple[str, ...] = ()) -> None:
    """A table with its tag column coloured, every row visible, and room for long source texts."""
    colours = {tag_text(t): cell for t, (_badge, cell) in TAGS.items()}
    tag_col = _("Tag")
    styled = df.style
    if tag_col in df.columns:
        styled = styled.map(lambda v: f"background-color: {colours.get(v, 'transparent')}", subset=[tag_col])
    config = {c: st.column_config.TextColumn(width="large") for c in wide if c in df.columns}
    height = 38 + 35 * len(df)
    st.dataframe(styled, hide_index=True, key=key, column_config=config, height=height)


# A number inside a text value: with thousands separators ("14,200") or decimals ("6.32"); years stay as they are.
_NUMBER = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+")


def _value(x: float | str | Text, decimals: int | None = None) -> str:
    """A figure the language's way; the numbers inside a text value (e.g. "6.32 / 8.42") too."""
    if isinstance(x, Text):
        return x(lang())
    if isinstance(x, str):

        def one(m: re.Match[str]) -> str:
            digits = m.group(0).replace(",", "")
            return fmt.number(float(digits), lang(), len(digits.partition(".")[2]))

        return _NUMBER.sub(one, x)
    if decimals is None:
        decimals = 0 if abs(x) >= 1000 or float(x).is_integer() else 2
    return fmt.number(x, lang(), decimals)


def base_table(prof: Profile) -> pd.DataFrame:
    """Base-year figures used by the equations, then the other facts shown for context."""
    b = prof.base
    items = [
        (_("GRDP, current prices, {base_year}").format(base_year=prof.base_year), b.grdp_nominal),
        (_("Real GRDP growth {base_year}").format(base_year=prof.base_year), b.real_growth),
        (_("Population {base_year}").format(base_year=prof.base_year), b.population),
        (_("R&D intensity (base year)"), b.rd_intensity),
        (_("Digital-economy share (base year)"), b.digital_share),
    ]
    used = _("used by the model")
    rows = [
        {
            _("Item"): item,
            _("Value"): _value(d.value),
            _("Unit"): unit_text(d.unit),
            _("Tag"): tag_text(d.tag),
            _("Source"): d.source_in(lang()),
            _("Role"): used,
        }
        for item, d in items
    ]
    context = _("context")
    for f in prof.facts:
        rows.append(
            {
                _("Item"): f.item(lang()),
                _("Value"): _value(f.value),
                _("Unit"): unit_text(f.unit),
                _("Tag"): tag_text(f.tag),
                _("Source"): f.source_in(lang()),
                _("Role"): context,
            }
        )
    return pd.DataFrame(rows)


def _choice(p: Parameter, value: object) -> str:
    """A choice by the name its control shows (the schema's ``choice_labels``), not its file key."""
    return p.choice_label(str(value), lang())


def _range(p: Parameter) -> str:
    if p.is_choice:
        return " | ".join(_choice(p, c) for c in p.choices or ())
    return f"{format_value(p.min, lang())} – {format_value(p.max, lang())}"


def parameter_table(prof: Profile, kind: str) -> pd.DataFrame:
    """Levers or assumptions: label, unit, this profile's default, range, tag and source, help."""
    calibrated = float(run(baseline(prof.id)).calibrated_enterprise_rd[0]) * 100.0
    rows = []
    for p in schema().values():
        if p.kind != kind:
            continue
        tag, source = prof.default_source(p.id, lang())
        default = prof.default(p.id)
        if default is None and p.calibrated:
            shown = _("calibrated: ") + fmt.percent(calibrated, lang(), 3)
            tag, source = "derived", p.source_in(lang())
        elif p.is_choice:
            shown = _choice(p, default)
        else:
            shown = format_value(default, lang())
        rows.append(
            {
                _("Parameter"): p.label(lang()),
                _("Unit"): p.unit(lang()),
                _("Default ({region})").format(region=prof.name(lang())): shown,
                _("Allowed range"): _range(p),
                _("Tag"): tag_text(tag),
                _("Source"): source,
                _("Help"): p.help(lang()),
                "id": p.id,  # the key scenario files use
            }
        )
    return pd.DataFrame(rows)


def target_table(prof: Profile) -> pd.DataFrame:
    rows = [
        {
            _("Target"): t.label(lang()),
            _("Year"): str(t.year) if t.year is not None else _("every year"),
            _("Threshold"): f"≥ {_value(t.value)} {unit_text(t.unit)}",
            _("Tag"): tag_text("plan"),
            _("Source"): t.source_in(lang()),
        }
        for t in prof.targets
    ]
    return pd.DataFrame(rows)


def _tex(x: float) -> str:
    """A constant written in LaTeX the language's way ('1{,}5': a bare comma would add a space)."""
    return fmt.short(x, lang()).replace(",", "{,}")


def equations(prof: Profile) -> list[tuple[str, str, str]]:
    """The model's equations (docs/model.md §2 numbering) as (title, LaTeX, note), written from the engine's own
    constants and this profile's periods, so what the page shows is what the engine computes."""
    ratio, cap, share_min = _tex(RULE_RATIO), _tex(K_MAX), fmt.short(RULE_NONSTATE_MIN * 100, lang())
    spans = list(cost_periods(prof.base_year, prof.horizon).values())
    return [
        (
            _("1. Real growth"),
            r"g_t = g^b_t + \rho\,(r_{\max(t-L,\,T_0)} - r_0) + \psi\,(x_{t-1} - x_0)",
            _(
                "Baseline growth plus the effect of R&D (after a lag of L years, the base year's value before it) "
                "and of last year's digital investment, both measured against the base year."
            ),
        ),
        (
            _("2. GRDP"),
            r"Y^{real}_t = Y^{real}_{t-1}(1+g_t),\qquad Y_t = Y_{t-1}(1+g_t)(1+\pi_t),\qquad Y^{real}_{T_0} = Y_{T_0}",
            _("Real GRDP (base-year prices) and nominal GRDP (current prices; π is GRDP-deflator inflation)."),
        ),
        (
            _("3. Population"),
            r"N_t = N_{t-1}(1+n),\qquad y_t = Y_t / N_t",
            _("y: GRDP per capita in million VND (Y in bn VND times 1,000)."),
        ),
        (
            _("4. Budget"),
            r"B_t = b_t\,Y_t,\qquad S_t = s_t\,B_t,\qquad F_t = c_t\,B_t",
            _("Budget spending B, the S&T/DX envelope S and the central floor F."),
        ),
        (_("5. Public R&D and public DX"), r"P_t = \theta_t\,S_t,\qquad X_t = (1-\theta_t)\,S_t", ""),
        (
            _("6. Non-state R&D"),
            r"N^{rd}_t = e_t\,Y_t + \lambda\,P_t",
            _("Enterprises' own R&D plus what public R&D crowds in (λ)."),
        ),
        (
            _("7. Rule mode cap_public"),
            rf"X_t \leftarrow X_t + \max\!\Big(0,\ P_t - \tfrac{{N^{{rd}}_t}}{{{ratio}}}\Big),\qquad "
            rf"P_t \leftarrow \min\!\Big(P_t,\ \tfrac{{N^{{rd}}_t}}{{{ratio}}}\Big)",
            _(
                "Public R&D above what the ≥ {share} % non-state rule allows moves to DX. Computed once with "
                "the non-state R&D of step 6 (the crowding-in of the moved amount is not recomputed); not applied "
                "to the base year."
            ).format(share=share_min),
        ),
        (
            _("8. Total R&D"),
            r"R_t = P_t + N^{rd}_t,\qquad r_t = R_t / Y_t,\qquad h_t = N^{rd}_t / R_t",
            _("R&D intensity r and the non-state share h."),
        ),
        (
            _("9. Digital-investment intensity"),
            r"x_t = (1+\mu)\,X_t / Y_t",
            _("Public DX spending plus the private investment it induces (μ)."),
        ),
        (
            _("10. Digital economy (logistic diffusion)"),
            rf"k_t = \min\!\big({cap},\ \max(0,\ k_0 + \kappa\cdot 100\,(x_{{t-1}} - x_0))\big),\qquad "
            r"d_t = d_{t-1} + k_t\, d_{t-1}\Big(1 - \frac{d_{t-1}}{D}\Big)",
            _(
                "The speed k is capped so that the discrete logistic never overshoots the ceiling D. "
                "Digital-economy value added = d·Y. The calibration tab shows how k0 is fitted."
            ),
        ),
        (
            _("11. R&D knowledge stock (base-year prices)"),
            r"K_t = (1-\delta)\,K_{t-1} + \frac{R_t}{\Pi_t},\qquad K_{T_0} = \frac{R_{T_0}}{g_{T_0}+\delta}",
            _("Π: the GRDP deflator (base year = 1)."),
        ),
        (
            _("12. Non-state R&D gap"),
            rf"G_t = \max\!\Big(0,\ \max\big(T\,Y_t - P_t,\ {ratio}\,P_t\big) - N^{{rd}}_t\Big)",
            _(
                "G: what enterprises must add each year to reach the R&D target T with at least {share} % non-state."
            ).format(share=share_min),
        ),
        (
            _("13. Mobilisation cost and fiscal cost"),
            r"I_t = \tau\,\max(0,\ e_t - e_{T_0})\,Y_t,\qquad C_t = S_t + I_t",
            _(
                "τ: what the budget pays (tax expenditure, matching grants) per VND of enterprise R&D above the "
                "base-year intensity; the fiscal cost C adds it to the envelope."
            ),
        ),
        (
            _("14. Cumulative cost"),
            r",\qquad ".join(rf"\sum_{{t={a}}}^{{{z}}} \big(S_t,\ I_t,\ C_t\big)" for a, z in spans),
            _(
                "Summed over the years after the base year {year}, by period, nominal and real (divided by the "
                "deflator); each period is labelled with its own span."
            ).format(year=prof.base_year),
        ),
    ]


DOCS = "docs/model.md"  # the model's documentation in the repository


def equations_section(prof: Profile) -> None:
    st.markdown(
        _(
            "The base year T₀ = {base_year} is **history**: the base-year lever and "
            "assumption values are the profile's (the calibration point) and base-year "
            "growth is the observed one; scenario paths apply from {x}. Shares are fractions "
            "in the equations and percent on screen. Money: bn VND."
        ).format(base_year=prof.base_year, x=prof.base_year + 1)
    )
    st.caption(
        _("The model in full, with its choices where the specification is silent and its sources: {doc}.").format(
            doc=f"`{DOCS}`"
        )
    )
    for title, latex, note in equations(prof):
        st.markdown(f"**{title}**")
        st.latex(latex)
        if note:
            st.caption(note)
    st.markdown("**" + _("Base-year calibration") + "**")
    st.latex(r"e_{T_0} = r_0 - (1+\lambda)\,\frac{P_{T_0}}{Y_{T_0}}")
    st.caption(
        _(
            "Enterprise R&D in the base year is the residual that makes steps 6 and 8 match the profile's r0. If "
            "it is negative the profile and assumptions contradict each other: the model refuses with a clear "
            "message (see the λ limit in the calibration tab). By default e stays at its base-year value; a "
            "scenario that sets it for later years ramps from that value."
        )
    )
    st.caption(
        _(
            "Year-keyed paths: linear from the base-year value to the first breakpoint, linear between "
            "breakpoints and flat after the last; a plain number holds from the year after the base year."
        )
    )


@st.cache_data(max_entries=16, show_spinner=False)
def k0_fit_cached(ceiling: float) -> K0Fit:
    """The k0 fit for a ceiling D (fraction): some thirty least-squares fits, shared by every session."""
    return k0_fit(ceiling)


def calibration_section(prof: Profile, scenario: Scenario) -> None:
    """The k0 fit to the national series and the λ limit of the base-year calibration."""
    ceiling = float(scenario.value("digital_ceiling")) * schema()["digital_ceiling"].scale
    fit = k0_fit_cached(ceiling)
    lo, hi = fit.ceiling_range
    st.markdown("**" + _("Baseline digital diffusion speed k0") + "**")
    c1, c2, c3 = st.columns(3)
    c1.metric(_("Ceiling D of the current scenario"), fmt.percent(ceiling * 100, lang(), 0), border=True)
    c2.metric(_("Fitted k0 (1/yr)"), fmt.number(fit.k0, lang(), 4), border=True)
    c3.metric(
        _("k0 for D = {low}-{high} %").format(low=fmt.short(lo * 100, lang()), high=fmt.short(hi * 100, lang())),
        f"{fmt.number(fit.k0_low, lang(), 4)} – {fmt.number(fit.k0_high, lang(), 4)}",
        border=True,
    )
    st.plotly_chart(figure(k0_fit_chart(fit, lang())), key="data_k0_chart", config=CONFIG, theme=None)
    used = scenario.value("digital_diffusion_base")
    st.caption(
        _(
            "Eq. 10 without extra spending (κ = 0), started at the national share of {first} and fitted by least "
            "squares to the later years of the MIC series. The current scenario uses k0 = {used}."
        ).format(first=min(fit.observed), used=fmt.short(float(used), lang()))
    )

    st.markdown("**" + _("Where the base-year calibration breaks: the crowding-in limit") + "**")
    st.latex(r"e_{T_0} \ge 0 \iff \lambda \le \frac{r_0\,Y_{T_0}}{P_{T_0}} - 1")
    lam = schema()["rd_crowding_in"]
    rows = []
    for pid in list_profiles():
        p = load_profile(pid)
        limit = crowding_in_limit(p)
        rows.append(
            {
                _("Region profile"): p.name(lang()),
                _("Base-year R&D r0 (% of GRDP)"): fmt.percent(p.base.rd_intensity.value, lang(), 2),
                _("Public R&D P0/Y0 (% of GRDP)"): fmt.percent(base_public_rd(p) * 100, lang(), 4),
                _("Largest λ"): fmt.number(limit, lang(), 3),
                _("Allowed range of λ"): f"{fmt.short(lam.min, lang())} – {fmt.short(lam.max, lang())}",
                _("Tag"): gettext(TAG_WORDS["derived"], lang()),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="data_lambda_limits")
    limit = crowding_in_limit(prof)
    if lam.max is not None and limit < lam.max:
        st.caption(
            _(
                "For {region}, a crowding-in above {limit} contradicts the base-year R&D intensity: the model "
                "refuses such a scenario, and the uncertainty analysis holds such draws at the limit and counts them."
            ).format(region=prof.name(lang()), limit=fmt.number(limit, lang(), 3))
        )


def merger_section(scenario: Scenario) -> None:
    """Bình Phước's 2030 outcomes beside the merged Đồng Nai's targets, and its share of the merged GRDP."""
    part_prof, merged = load_profile(PART), load_profile(MERGED)
    part = scenario if scenario.region == PART else baseline(PART)
    result = run(part)
    L = lang()
    st.markdown(
        _(
            "Since 1 July 2025 {part} is part of {merged}. This table reads the former province's plan against "
            "the merged province's {year} targets."
        ).format(part=part_prof.name(L), merged=merged.name(L), year=YEAR)
    )
    if scenario.region == PART:
        st.caption(_("Scenario: the current scenario ({name}).").format(name=md(scenario.name(L))))
    else:
        st.caption(
            _("Scenario: the baseline of {part} (the current scenario is for another region).").format(
                part=part_prof.name(L)
            )
        )
    share = base_year_grdp_share(result, merged)
    st.markdown(
        _(
            "Share of {part} in the GRDP of {merged} in {year}: **{share}** ({tag}: {part_grdp} in this scenario "
            "÷ {merged_grdp}, the merged province's preliminary figure)."
        ).format(
            part=part_prof.name(L),
            year=share.year,
            share=fmt.percent(share.share, L, 1),
            tag=gettext(TAG_WORDS["derived"], L),
            part_grdp=fmt.money(share.part_grdp, L),
            merged_grdp=fmt.money(share.merged_grdp, L),
            merged=merged.name(L),
        )
    )
    rows = []
    for r in part_in_merged(result, merged):
        rows.append(
            {
                _("Target of {merged}").format(merged=merged.name(L)): r.target.label(L),
                _("{part} in {year}").format(part=part_prof.name(L), year=YEAR): _target_value(r.value, r.target.unit),
                _("Met by {part} alone").format(part=part_prof.name(L)): _("met") if r.met else _("not met"),
                _("Share of the merged amount ({tag})").format(tag=gettext(TAG_WORDS["derived"], L)): (
                    fmt.percent(r.share, L, 1) if r.share is not None else "–"
                ),
                _("Computation"): (
                    f"{fmt.money(r.part_amount, L)} ÷ {fmt.money(r.merged_amount, L)}" if r.share is not None else "–"
                ),
            }
        )
    st.dataframe(pd.DataFrame(rows), hide_index=True, key="data_merger")
    grdp_target = merged_grdp_target(merged)
    if grdp_target is not None:
        st.caption(
            _(
                "For a target set as a share of GRDP the merged amount is that share of the merged GRDP target "
                "({grdp}): amounts add up across provinces, shares do not."
            ).format(grdp=fmt.money(grdp_target, L))
        )


def _target_value(x: float, unit: str) -> str:
    """A value in a target's unit, the language's way."""
    if unit == "%":
        return fmt.percent(x, lang())
    if unit == "million VND":
        return fmt.million(x, lang())
    if unit == "bn VND":
        return fmt.money(x, lang())
    if unit.startswith("%"):  # "%/yr", "% of budget"
        return f"{fmt.number(x, lang(), 1)} {unit_text(unit)}"
    return f"{fmt.short(x, lang())} {unit_text(unit)}"


def caveats_section(prof: Profile) -> None:
    st.markdown(
        _(
            "- **Two digital-economy measures.** The MIC/MoST revenue-based measure and "
            "GSO's value-added measure differ by 4-5 percentage points nationally (18.3 % in "
            "2024 against 14.02 % in 2025). Provincial targets follow the MIC-style measure."
        )
    )
    st.markdown(_("  - This profile uses: ") + prof.digital_measure(lang()))
    st.markdown(
        _(
            "- **Estimates get revised.** Year-end figures are estimates and are often "
            "revised; GSO preliminary levels and growth rates are preferred. This profile's "
            "data are as of {data_vintage}."
        ).format(data_vintage=prof.data_vintage)
    )
    st.markdown(
        _(
            "- **S&T budget shares differ by source** (Ministry of Finance, State Audit, "
            "MoST) because each counts different items."
        )
    )
    st.markdown(
        _(
            "- **Geography.** On 1 July 2025 Bình Phước was merged into Đồng Nai; the action "
            "programme implementing Resolution 57 (Feb 2025) is Bình Phước's, so the app "
            "ships three profiles: Bình Phước, merged Đồng Nai and Vietnam."
        )
    )
    st.markdown(
        _(
            "- Figures tagged **assumption** are documented defaults because no published "
            "figure was found: replace them with local data when available."
        )
    )


# ----------------------------------------------------------------- page

st.title(_("Data & assumptions"))
profiles = list_profiles()
current_region = state.current_scenario().region
region = keep(
    "data_region",
    st.selectbox(
        _("Region profile"),
        profiles,
        format_func=lambda r: load_profile(r).name(lang()),
        key=choice_key("data_region", profiles, current_region if current_region in profiles else profiles[0]),
    ),
)
prof = load_profile(region)
st.caption(
    f"{prof.description(lang())} · "
    + _("Base year {base_year}, horizon {horizon}").format(base_year=prof.base_year, horizon=prof.horizon)
    + " · "
    + _("data as of {data_vintage}").format(data_vintage=prof.data_vintage)
)
st.caption(_("Source tags: ") + " · ".join(tag_badge(t) for t in TAGS))

scenario = state.current_scenario()
SOURCE, HELP = _("Source"), _("Help")


def parameters_tab() -> None:
    st.markdown("**" + _("Policy levers") + "**")
    show_table(parameter_table(prof, "lever"), "data_levers", wide=(SOURCE, HELP))
    st.markdown("**" + _("Assumptions") + "**")
    show_table(parameter_table(prof, "assumption"), "data_assumptions", wide=(SOURCE, HELP))


# The open tab alone is drawn (the calibration fits k0 over the ceiling band; each table is styled).
TABS = {
    "data": (_("Base-year data"), lambda: show_table(base_table(prof), "data_base", wide=(SOURCE,))),
    "parameters": (_("Parameters"), parameters_tab),
    "equations": (_("Equations"), lambda: equations_section(prof)),
    "calibration": (_("Calibration"), lambda: calibration_section(prof, scenario)),
    "targets": (_("Targets"), lambda: show_table(target_table(prof), "data_targets", wide=(SOURCE,))),
    "merger": (_("Bình Phước in Đồng Nai"), lambda: merger_section(scenario)),
    "caveats": (_("Measurement caveats"), lambda: caveats_section(prof)),
}
tabs(TAB_KEY, TABS)
