"""The meeting pack's content, computed once and rendered as HTML (``html.py``) or Excel (``workbook.py``).

A pack describes one scenario: its KPIs for 2030 and 2045 against the baseline, the whole scorecard
(core targets, illustrative adoption curves, entered ranks), the main charts, the comparison (with the
``--compare`` scenarios, else with the region's baseline), the assumptions with their sources, and the
written summary. Every part carries the provenance stamp of the scenario it shows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from .. import MODEL_NAME, __version__
from ..compare import MAX_OTHERS, input_table, outcome_table
from ..engine import Result, run
from ..errors import InputError
from ..params import schema
from ..profiles import Profile
from ..provenance import stamp
from ..scenario import Scenario, baseline, value_text
from ..views import fmt, live
from ..views.charts import all_charts
from ..views.charts_compare import COMPARE_CHARTS, overlay
from ..views.fmt import short
from ..views.i18n import N_, gettext
from ..views.scorecard import Kpi, Line, RankStatus, illustrative_note, kpis, region_spec, scorecard
from .summary import summary

KPI_YEARS = (2030, 2045)
# The comparison overlays in the pack (ids of sim.views.charts_compare.COMPARE_CHARTS).
COMPARE_OVERLAYS = ("digital_share", "rd_intensity", "envelope")


@dataclass(frozen=True)
class AssumptionRow:
    """One input of the scenario with where it comes from.

    Attributes:
        group: 'lever', 'assumption', 'base' (base-year data of the profile) or 'scorecard' (an illustrative
            adoption-curve parameter).
        value: the value as a number where it is one (for Excel), else None; ``text`` always.
        changed: the scenario changes this input from the profile's default.
        tag: official / preliminary / plan / derived / assumption.
    """

    group: str
    id: str
    label: str
    unit: str
    value: float | None
    text: str
    default_text: str
    changed: bool
    tag: str
    source: str


@dataclass
class Pack:
    """Everything a meeting pack shows, for one language."""

    lang: str
    scenario: Scenario
    result: Result
    baseline: Scenario
    baseline_result: Result
    others: list[tuple[Scenario, Result]]
    ranks: dict[str, RankStatus]
    stamp: str
    today: dt.date
    kpis: dict[int, list[Kpi]] = field(default_factory=dict)
    lines: list[Line] = field(default_factory=list)
    summary: str = ""
    charts: dict[str, dict[str, Any]] = field(default_factory=dict)
    compare_runs: list[tuple[Scenario, Result]] = field(default_factory=list)
    compare_charts: list[dict[str, Any]] = field(default_factory=list)
    outcomes: pd.DataFrame | None = None
    inputs: pd.DataFrame | None = None
    assumptions: list[AssumptionRow] = field(default_factory=list)
    live: dict[str, Any] = field(default_factory=dict)

    @property
    def profile(self) -> Profile:
        return self.scenario.profile

    @property
    def title(self) -> str:
        return (gettext("Meeting pack – ", self.lang)) + self.scenario.name(self.lang)

    @property
    def model_label(self) -> str:
        return f"{MODEL_NAME} {__version__}"

    @property
    def illustrative_note(self) -> str | None:
        return illustrative_note(self.scenario.region, self.lang)

    def stamp_of(self, scenario: Scenario) -> str:
        return stamp(scenario, self.lang, self.today)


def assumption_rows(scenario: Scenario, lang: str) -> list[AssumptionRow]:
    """Every parameter (value, default, source), the profile's base-year data and the illustrative curves."""
    prof = scenario.profile
    changes = scenario.changes
    rows = []
    for pid, p in schema().items():
        v = scenario.value(pid)
        default = prof.default(pid)
        tag, source = prof.default_source(pid)
        changed = pid in changes
        if changed:
            word = gettext("scenario", lang)
            source = f"{word} «{scenario.name(lang)}»; {gettext('default', lang)}: {source}"
            tag = "scenario"
        rows.append(
            AssumptionRow(
                group=p.kind,
                id=pid,
                label=p.label(lang),
                unit=p.unit(lang),
                value=float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None,
                text=value_text(v, p, lang),
                default_text=value_text(default, p, lang),
                changed=changed,
                tag=tag,
                source=source,
            )
        )
    base_labels = {
        "grdp_nominal": N_("Base-year GRDP (current prices)"),
        "real_growth": N_("Base-year real growth"),
        "population": N_("Base-year population"),
        "rd_intensity": N_("Base-year R&D intensity"),
        "digital_share": N_("Base-year digital economy share of GRDP"),
    }
    for key, label in base_labels.items():
        d = getattr(prof.base, key)
        text = short(d.value, lang)
        rows.append(
            AssumptionRow(
                group="base",
                id=key,
                label=f"{gettext(label, lang)} ({prof.base_year})",
                unit=d.unit,
                value=d.value,
                text=f"{text} {d.unit}",
                default_text=f"{text} {d.unit}",
                changed=False,
                tag=d.tag,
                source=d.source,
            )
        )
    spec = region_spec(scenario.region)
    for ind in spec.indicators if spec else ():
        text = gettext("base {base}, ceiling {ceiling}, speed {speed}/yr, sensitivity {sensitivity}", lang).format(
            base=fmt.percent(ind.base, lang, fmt.decimals_of(ind.base)),
            ceiling=fmt.percent(ind.ceiling, lang, fmt.decimals_of(ind.ceiling)),
            speed=fmt.short(ind.base_speed, lang),
            sensitivity=fmt.short(ind.sensitivity, lang),
        )
        rows.append(
            AssumptionRow(
                group="scorecard",
                id=ind.id,
                label=ind.label(lang),
                unit=ind.unit(lang),
                value=ind.base,
                text=text,
                default_text=text,
                changed=False,
                tag=ind.tag,
                source=ind.base_source,
            )
        )
    return rows


def build_pack(
    scenario: Scenario,
    compare: Sequence[Scenario] = (),
    lang: str = "vi",
    ranks: Mapping[str, RankStatus] | None = None,
    today: dt.date | None = None,
) -> Pack:
    """Compute everything the meeting pack shows.

    Args:
        scenario: the scenario the pack is about.
        compare: other scenarios to compare it with (at most :data:`sim.compare.MAX_OTHERS`); without them
            the scenario is compared with its region's baseline.
        lang: 'vi' or 'en'.
        ranks: ranks the user entered for the region's rank targets (DTI, PII).
        today: the date in the stamps (default: today).

    Raises:
        InputError: too many comparison scenarios, or ranks for targets the region does not have.
    """
    if len(compare) > MAX_OTHERS:
        raise InputError(f"compare with at most {MAX_OTHERS} scenarios ({len(compare)} given)", key="--compare")
    spec = region_spec(scenario.region)
    known = {r.id for r in spec.ranks} if spec else set()
    for rid in ranks or {}:
        if rid not in known:
            raise InputError(f"{scenario.region} has no rank target {rid!r}", key="--rank")
    day = today or fmt.today()
    result = run(scenario)
    base_s = baseline(scenario.region)
    base_r = run(base_s)
    others = [(s, run(s)) for s in compare]
    pack = Pack(
        lang=lang,
        scenario=scenario,
        result=result,
        baseline=base_s,
        baseline_result=base_r,
        others=others,
        ranks=dict(ranks or {}),
        stamp=stamp(scenario, lang, day),
        today=day,
    )
    prof = scenario.profile
    pack.kpis = {y: kpis(result, base_r, prof, y) for y in KPI_YEARS if prof.base_year < y <= prof.horizon}
    pack.lines = scorecard(result, prof, pack.ranks)
    pack.summary = summary(scenario, result, lang, pack.ranks, (base_s, base_r))
    pack.charts = all_charts(
        result, base_r, prof, lang, pack.stamp, name=scenario.name(lang), baseline_name=base_s.name(lang)
    )
    if others:
        pack.compare_runs = [(scenario, result), *others]
    elif base_s.content_hash() != scenario.content_hash():
        pack.compare_runs = [(base_s, base_r), (scenario, result)]
    if pack.compare_runs:
        specs = {c.id: c for c in COMPARE_CHARTS}
        pack.compare_charts = [overlay(pack.compare_runs, specs[c], lang) for c in COMPARE_OVERLAYS if c in specs]
        pack.outcomes = outcome_table(pack.compare_runs, lang)
        pack.inputs = input_table([s for s, _ in pack.compare_runs], lang)
    pack.assumptions = assumption_rows(scenario, lang)
    pack.live = live_levers(scenario, result, base_r, lang)
    return pack


def live_levers(scenario: Scenario, result: Result, baseline_result: Result, lang: str) -> dict[str, Any]:
    """Every lever of the scenario at every slider step, the others held (:mod:`sim.views.live`): a reader of
    the pack moves the levers offline and reads the engine's own numbers."""
    prof = scenario.profile
    e0 = float(result.calibrated_enterprise_rd[0]) * 100.0  # type: ignore[index]
    sweeps = [
        live.lever_sweep(live.live_lever(pid, scenario, prof, e0), scenario, prof, baseline_result, lang)
        for pid in live.live_pids(advanced=True)
    ]
    return live.payload(sweeps, result, baseline_result, prof, lang)
