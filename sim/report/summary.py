"""The written summary: one paragraph in Vietnamese or English, generated from the numbers with templates.

It says where the scenario lands against each target of the scorecard and against the baseline, and what
it costs (the cumulative S&T/DX envelope from the year after the base year to 2030, and 2031-2045). No
external service: plain templates, numbers formatted with :mod:`sim.views.fmt`.
"""

from __future__ import annotations

from collections.abc import Mapping

from ..engine import Result, run
from ..scenario import Scenario, baseline
from ..views import fmt
from ..views.i18n import gettext, translator
from ..views.scorecard import Line, RankStatus, scorecard


def _line_sentence(line: Line, base: Line | None, lang: str) -> str:
    value = line.value_text(lang)
    if line.year is None:
        value = gettext("worst year {value}", lang).format(value=value)
    if line.met:
        status = gettext("met", lang)
    else:
        gap = line.gap_text(lang)
        status = (gettext("not met", lang)) + (f", {gettext('short by', lang)} {gap}" if gap else "")
    text = f"{line.label(lang)}: {value}, {status}"
    if base is not None and base.value is not None and line.year is not None:
        text += f" ({gettext('baseline', lang)} {base.value_text(lang)})"
    return text


def _costs(result: Result) -> list[float]:
    """The cumulative nominal envelope of each cost period (to 2030, 2031-2045)."""
    return [float(result.cost("Budget|STI and DX", i)[0]) for i in range(len(result.periods))]


def summary(
    scenario: Scenario,
    result: Result | None = None,
    lang: str = "vi",
    ranks: Mapping[str, RankStatus] | None = None,
    reference: tuple[Scenario, Result] | None = None,
) -> str:
    """A paragraph on the scenario: each target, the baseline, the cost.

    Args:
        scenario: the scenario described.
        result: its result (computed if None).
        lang: 'vi' or 'en'.
        ranks: ranks the user entered for the rank targets (DTI, PII).
        reference: the scenario and result to compare with (default: the region's baseline). Nothing is
            compared when the reference computes the same as the scenario (same content hash).
    """
    _ = translator(lang)
    result = result if result is not None else run(scenario)
    prof = scenario.profile
    if reference is None:
        ref_s = baseline(scenario.region)
        reference = (ref_s, run(ref_s))
    ref_s, ref_r = reference
    compare = ref_s.content_hash() != scenario.content_hash()

    lines = scorecard(result, prof, ranks)
    ref_lines = {ln.id: ln for ln in scorecard(ref_r, prof, ranks)} if compare else {}
    core = [ln for ln in lines if ln.kind == "core"]
    modelled = [ln for ln in lines if ln.kind == "modelled"]
    entered = [ln for ln in lines if ln.kind == "entered" and ln.met is not None]
    n_met = sum(bool(ln.met) for ln in core)
    parts: list[str] = []

    name = scenario.name(lang)
    head = _("The scenario «{name}» ({region}) meets {met} of {n} targets of the model").format(
        name=name, region=prof.name(lang), met=n_met, n=len(core)
    )
    if compare:
        b_met = sum(bool(ref_lines[ln.id].met) for ln in core)
        head += " " + _("(«{name}»: {met} of {n})").format(name=ref_s.name(lang), met=b_met, n=len(core))
    parts.append(head + ".")
    details = "; ".join(_line_sentence(ln, ref_lines.get(ln.id), lang) for ln in core)
    parts.append(details + ".")

    cost = _costs(result)
    c1, c2 = (fmt.money(c, lang) for c in cost[:2])
    p1, p2 = list(result.periods)[:2]
    text = _("Cost: a cumulative S&T/DX envelope of {c1} in {p1} and {c2} in {p2} (current prices)").format(
        c1=c1, p1=p1, c2=c2, p2=p2
    )
    if compare:
        rc = _costs(ref_r)
        d1, d2 = (fmt.signed(a - b, lang, 0, gettext(" bn VND", lang)) for a, b in zip(cost[:2], rc[:2], strict=True))
        text += _(", {d1} and {d2} against «{name}»").format(d1=d1, d2=d2, name=ref_s.name(lang))
    parts.append(text + ".")
    incentives = float(result.cost("Budget|R&D Incentives", 0)[0])
    if incentives > 0:  # mobilising enterprise R&D is not free: say what the budget pays in all
        parts.append(
            gettext(
                "Mobilising enterprise R&D costs the budget a further {incentives} in {period} (tax incentives, "
                "matching grants): a fiscal cost of {fiscal} in all.",
                lang,
            ).format(
                incentives=fmt.money(incentives, lang),
                period=p1,
                fiscal=fmt.money(float(result.cost("Budget|Fiscal Cost", 0)[0]), lang),
            )
        )

    if modelled:
        m_met = sum(bool(ln.met) for ln in modelled)
        names = "; ".join(f"{ln.label(lang)} {ln.value_text(lang)}" for ln in modelled)
        parts.append(
            _("Digital adoption (illustrative curves, assumed parameters): {met} of {n} met in 2030 ({names}).").format(
                met=m_met, n=len(modelled), names=names
            )
        )
    for ln in entered:
        status = ln.note(lang).split(".")[0] if ln.note else ""
        parts.append(f"{ln.label(lang)}: {ln.value_text(lang)} ({status}, {gettext('entered', lang)}), "
                     f"{ln.status_text(lang)}.")  # fmt: skip
    return " ".join(parts)
