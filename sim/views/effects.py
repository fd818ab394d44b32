"""Effects with reasons: which targets a change makes met or missed, and why, in one line each.

Reasons come from the engine's results only: the target whose state changed and the driver variables
behind its metric (public against non-state R&D for the non-state share, R&D against GRDP for the R&D
intensity, public digital spending for the digital share, the envelope year by year for the envelope
rules). They say what moved, not more: the model's equations are in docs/model.md.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..engine import Result
from ..profiles import Profile, Target
from ..targets import evaluate, metric_series
from . import fmt
from .i18n import gettext


@dataclass(frozen=True)
class Effect:
    """One target whose state differs between two results.

    Attributes:
        target: the target.
        met_before / met_after: its state in each result (first draw).
        before / after: the metric in each result, in the target's unit.
        reason: one sentence from the driver variables (in the language asked for).
    """

    target: Target
    met_before: bool
    met_after: bool
    before: float
    after: float
    reason: str

    def line(self, lang: str) -> str:
        """The effect in one line: the target, what happened to it, and why."""
        words = gettext("now met", lang) if self.met_after else gettext("no longer met", lang)
        return gettext("{target}: {state} ({before} → {after} {unit}) because {reason}.", lang).format(
            target=self.target.label(lang),
            state=words,
            before=fmt.number(self.before, lang, 1),
            after=fmt.number(self.after, lang, 1),
            unit=self.target.unit,
            reason=self.reason,
        )


def _change(before: Result, after: Result, var: str, year: int) -> float:
    """Relative change of a variable in one year, percent (0 where it was 0)."""
    a, b = float(before.at(var, year)[0]), float(after.at(var, year)[0])
    return (b / a - 1.0) * 100.0 if a else 0.0


def _cumulative_change(before: Result, after: Result, var: str, year: int) -> float:
    """Relative change of a variable summed from the first projected year to ``year``, percent."""
    i = int(year - before.years[0]) + 1
    a, b = float(before[var][0, 1:i].sum()), float(after[var][0, 1:i].sum())
    return (b / a - 1.0) * 100.0 if a else 0.0


def _pct(x: float, lang: str) -> str:
    return fmt.signed(x, lang, 1, " %")


def _first_fall(result: Result) -> int | None:
    """The first year the envelope is lower than the year before."""
    s = result["Budget|STI and DX"][0]
    falls = np.nonzero(s[1:] < s[:-1] * (1 - 1e-12))[0]
    return int(result.years[falls[0] + 1]) if falls.size else None


def reason(target: Target, before: Result, after: Result, lang: str) -> str:
    """Why a target's metric moved, from the driver variables of its metric."""
    _ = lambda m: gettext(m, lang)  # noqa: E731
    year = target.year
    if target.metric == "rd_nonstate_share" and year is not None:
        pub = _change(before, after, "R&D|Public", year)
        non = _change(before, after, "R&D|Non-state", year)
        which = (
            _("public R&D grew faster than non-state R&D")
            if pub > non
            else _("non-state R&D grew faster than public R&D")
        )
        return (
            which
            + " "
            + _("({public} against {nonstate} in {year})").format(
                public=_pct(pub, lang), nonstate=_pct(non, lang), year=year
            )
        )
    if target.metric == "rd_intensity" and year is not None:
        return _("R&D spending changed by {rd} while GRDP changed by {grdp} in {year}").format(
            rd=_pct(_change(before, after, "R&D|Total", year), lang),
            grdp=_pct(_change(before, after, "GRDP|Nominal", year), lang),
            year=year,
        )
    if target.metric == "digital_share" and year is not None:
        spent = _cumulative_change(before, after, "Digital Transformation|Public Spending", year)
        return _("public spending on digital transformation up to {year} changed by {change}").format(
            year=year, change=_pct(spent, lang)
        )
    if target.metric == "envelope_growth":
        fall = _first_fall(after)
        if fall is not None:
            return _("the envelope falls from {prev} to {year}").format(prev=fall - 1, year=fall)
        return _("the envelope no longer falls in any year")
    if target.metric == "envelope_to_floor":
        ratio = metric_series(after, "envelope_to_floor")[0, 1:]
        i = int(np.argmin(ratio))
        return _("in {year} the envelope is {ratio} % of the central floor").format(
            year=int(after.years[i + 1]), ratio=fmt.number(float(ratio[i]), lang, 1)
        )
    if target.metric in ("grdp_per_capita", "grdp_nominal") and year is not None:
        return _("GRDP in {year} changed by {change}").format(
            year=year, change=_pct(_change(before, after, "GRDP|Nominal", year), lang)
        )
    return _("its measure moved with the change")


def effects(before: Result, after: Result, profile: Profile, lang: str) -> list[Effect]:
    """The targets whose state (met or not) differs between two results, in the profile's order."""
    out = []
    for t in profile.targets:
        b, a = evaluate(before, t), evaluate(after, t)
        mb, ma = bool(b.met[0]), bool(a.met[0])
        if mb != ma:
            out.append(Effect(t, mb, ma, float(b.value[0]), float(a.value[0]), reason(t, before, after, lang)))
    return out


def missed(result: Result, profile: Profile, exclude: str | None = None) -> list[Target]:
    """The targets a result misses (all but ``exclude``), in the profile's order."""
    return [t for t in profile.targets if t.id != exclude and not bool(evaluate(result, t).met[0])]
