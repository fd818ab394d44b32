"""KPI cards and the target scorecard as HTML blocks (no streamlit import: pure functions of the figures).

Twelve cards drawn as Streamlit elements cost the browser about as much as the rest of the page
together on every slider move (each element is a message the page re-renders); one block per year
keeps a move fast. The cards follow Streamlit's look: a bordered box, the label, a large value with
its unit, the change against baseline in green or red, and the target with met / not met.

Each card carries ``data-kpi="<id>_<year>"`` so tests and benchmarks can find it, and its value in
``.nq-value``. The style sheet is :func:`css`, drawn once on the page.
"""

from __future__ import annotations

from html import escape

from .i18n import gettext
from .scorecard import Kpi, Line, status_text

STYLE = """<style>
.nq-kpis{display:grid;grid-template-columns:repeat(6,minmax(0,1fr));gap:6px;margin:0 0 4px}
.nq-kpi{border:1px solid rgba(49,51,63,.2);border-radius:.5rem;padding:4px 8px;min-width:0;overflow:hidden}
.nq-label,.nq-delta,.nq-status{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}
.nq-label{font-size:.75rem;opacity:.8;line-height:1.3}
.nq-value{font-size:1.2rem;font-weight:600;line-height:1.25;white-space:nowrap}
.nq-value small{font-size:.72rem;font-weight:400;opacity:.8;margin-left:3px}
.nq-delta{font-size:.72rem;line-height:1.3}
.nq-delta span{opacity:.7}
.nq-up{color:#1e7e34}.nq-down{color:#b3261e}.nq-flat{color:#6b6f76}
.nq-badge{display:inline-block;border-radius:.5rem;padding:0 5px;font-size:.7rem;font-weight:600;margin-right:4px}
.nq-met{background:#e6f4ea;color:#1e7e34}.nq-unmet{background:#fdecea;color:#b3261e}.nq-none{background:#f0f2f6;color:#555}
.nq-target{font-size:.7rem}
h3.nq-year{font-size:.9rem;font-weight:600;margin:2px 0 2px;padding:0}
@media (max-width:760px){.nq-kpis{grid-template-columns:repeat(2,minmax(0,1fr))}}
</style>"""


def css() -> str:
    """The style sheet of the cards and the scorecard as a <style> element (drawn once: it does not change
    between reruns, so the browser does not restyle the page on every slider move)."""
    return f"<style>{style_sheet()}</style>"


def style_sheet() -> str:
    """The cards' and the scorecard's style rules (CSS text, for a page's own style sheet)."""
    return STYLE.replace("<style>", "").replace("</style>", "") + TABLE_STYLE.replace("<style>", "").replace(
        "</style>", ""
    )


def card(k: Kpi, lang: str, *, versus: str | None = None, same: str | None = None, delta: bool = True) -> str:
    # The live levers (sim/views/assets/live.js) rewrite .nq-value, .nq-delta and the met badge of a card
    # while a slider is dragged, the same way as here: keep the two in step.
    """One card.

    Args:
        versus / same: the words after the change ('vs baseline') and for no change ('same as baseline'),
            already in ``lang`` (the presenter compares with the previous step).
        delta: False draws no change line (the first step of a story has nothing before it).
    """
    number, unit, change, change_unit = k.parts(lang)  # each amount written once
    versus = gettext("vs baseline", lang) if versus is None else versus
    same = gettext("same as baseline", lang) if same is None else same
    if not delta:
        delta_html = ""
    elif change == "0":
        delta_html = f'<div class="nq-delta nq-flat">= {escape(same)}</div>'
    else:
        up = not change.startswith("−")
        # spending more is neither good nor bad in itself: its change is shown without colour
        cls = "nq-flat" if k.id == "envelope_cost" else ("nq-up" if up else "nq-down")
        delta_html = (
            f'<div class="nq-delta {cls}">{"▲" if up else "▼"} {escape(change)} {escape(change_unit)} '
            f"<span>{escape(versus)}</span></div>"
        )
    if k.target is not None:
        badge = "nq-met" if k.met else "nq-unmet"
        status = (
            f'<span class="nq-badge {badge}">{escape(status_text(k.met, lang, mark=True))}</span>'
            f'<span class="nq-target">{gettext("target", lang)} {escape(k.format_target(lang))}</span>'
        )
        tip = k.target.source
    elif k.period:
        status = f'<span class="nq-badge nq-none">{gettext("cumulative", lang)} {escape(k.period)}</span>'
        tip = gettext("Sum over {period}, current prices", lang).format(period=k.period)
    else:
        status = f'<span class="nq-badge nq-none">{gettext("no target this year", lang)}</span>'
        tip = ""
    value_unit = "" if unit == "%" else f"<small>{escape(unit)}</small>"
    value = f"{escape(number)} %" if unit == "%" else escape(number)
    return (
        f'<div class="nq-kpi" role="listitem" data-kpi="{k.id}_{k.year}" title="{escape(tip)}">'
        f'<div class="nq-label">{escape(k.label(lang))}</div>'
        f'<div class="nq-value">{value}{value_unit}</div>'
        f'{delta_html}<div class="nq-status">{status}</div></div>'
    )


def grid(cards: list[Kpi], lang: str) -> str:
    """The cards of one year as a responsive grid (three a row on a wide screen)."""
    body = "".join(card(k, lang) for k in cards)
    return f'<div class="nq-kpis" role="list">{body}</div>'


def years(by_year: dict[int, list[Kpi]], lang: str) -> str:
    """Every year's cards under a heading of its own, in one block."""
    parts = []
    for year, ks in by_year.items():
        parts.append(f'<h3 class="nq-year">{gettext("In {year}", lang).format(year=year)}</h3>{grid(ks, lang)}')
    return "".join(parts)


TABLE_STYLE = """<style>
.nq-score{width:100%;border-collapse:collapse;font-size:.95rem}
.nq-score th,.nq-score td{border-bottom:1px solid rgba(49,51,63,.15);padding:6px 8px;text-align:left;vertical-align:top}
.nq-score th{font-weight:600;opacity:.85}
.nq-score td.nq-num{white-space:nowrap}
.nq-note{font-size:.8rem;opacity:.65;margin:6px 0 0}
</style>"""


def scorecard(rows: list[Line], lang: str, title: str = "", note: str = "") -> str:
    """The target scorecard as a table: every target with value, target, gap, status, first year met.

    Args:
        rows: the scorecard lines (:func:`sim.views.scorecard.scorecard`).
        lang: 'vi' or 'en'.
        title: a heading above the table.
        note: a small line under it (the provenance stamp).
    """
    head = [
        gettext("Target", lang),
        gettext("Year", lang),
        gettext("Value", lang),
        gettext("Goal", lang),
        gettext("Gap", lang),
        gettext("Status", lang),
        gettext("First met", lang),
    ]
    out = []
    if title:
        out.append(f'<h3 class="nq-year">{escape(title)}</h3>')
    out.append('<table class="nq-score"><thead><tr>')
    out += [f"<th>{escape(h)}</th>" for h in head]
    out.append("</tr></thead><tbody>")
    for r in rows:
        badge = "nq-none" if r.met is None else ("nq-met" if r.met else "nq-unmet")
        out.append(
            f'<tr data-target="{escape(r.id)}"><td>{escape(r.label(lang))}</td><td>{escape(r.year_text(lang))}</td>'
            f'<td class="nq-num">{escape(r.value_text(lang))}</td><td class="nq-num">{escape(r.target_text(lang))}</td>'
            f'<td class="nq-num">{escape(r.gap_text(lang))}</td>'
            f'<td class="nq-num"><span class="nq-badge {badge}">{escape(r.status_text(lang, mark=True))}</span></td>'
            f'<td class="nq-num">{escape(r.first_year_text(lang))}</td></tr>'
        )
    out.append("</tbody></table>")
    if note:
        out.append(f'<p class="nq-note">{escape(note)}</p>')
    return "".join(out)
