"""The meeting pack as ONE standalone HTML file that works offline.

plotly.js is embedded inline, read from the installed plotly package's files without importing plotly
(``sim/`` never imports plotly); there are no external scripts, style sheets, fonts or images. Charts are
the chart-spec dicts of :mod:`sim.views.charts` handed to ``Plotly.newPlot``.

plotly.js (4.8 MB) is embedded gzip-compressed (base64, 1.9 MB) and unpacked by the browser's own
``DecompressionStream`` when the file opens: the pack stays under 3.5 MB with every chart interactive.
The live levers (:mod:`sim.views.live`) let a reader move each lever of the scenario offline: the engine's
results at every slider step are in the file.
"""

from __future__ import annotations

import base64
import gzip
import html
import importlib.util
import json
import math
from functools import cache
from pathlib import Path
from typing import Any

from sim.views.i18n import gettext

from ..errors import InputError
from ..views import cards, fmt, live, theme
from ..views.scorecard import Kpi
from .pack import Pack

FONT_STACK = theme.FONT_FAMILY  # the page's text and the charts' in one family


def plotly_bundle_path() -> Path:
    """The minified plotly.js shipped inside the installed plotly package (found without importing it)."""
    spec = importlib.util.find_spec("plotly")
    for loc in (spec.submodule_search_locations or []) if spec else []:
        path = Path(loc) / "package_data" / "plotly.min.js"
        if path.is_file():
            return path
    raise InputError("plotly.min.js not found in the installed plotly package (pip install plotly)", key="plotly")


@cache
@cache
def plotly_packed() -> str:
    """plotly.js gzip-compressed and base64-encoded (unpacked in the browser by ``DecompressionStream``)."""
    data = plotly_bundle_path().read_bytes()
    return base64.b64encode(gzip.compress(data, compresslevel=9, mtime=0)).decode("ascii")


# Unpacks plotly.js, runs it, then draws the charts (``draw``: a function of no argument).
UNPACK_JS = (
    "function nqPlotly(draw){var b=atob(document.getElementById('plotly-gz').textContent.trim());"
    "var u=new Uint8Array(b.length);for(var i=0;i<b.length;i++)u[i]=b.charCodeAt(i);"
    "new Response(new Blob([u]).stream().pipeThrough(new DecompressionStream('gzip'))).text().then(function(t){"
    "var s=document.createElement('script');s.textContent=t;document.head.appendChild(s);draw();});}"
)


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _q(name: str, lang: str) -> str:
    """A scenario name in the language's quotation marks, escaped."""
    return gettext("‘{e}’", lang).format(e=_e(name))


def _json(obj: Any) -> str:
    """JSON for an inline script: no '</' that could close the element."""
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":")).replace("</", "<\\/").replace("<!--", "<\\!--")


def _chart(spec: dict[str, Any], div_id: str, charts: list[tuple[str, dict[str, Any]]]) -> str:
    """A chart's figure element; its spec (the theme's projector variant) is queued for ``Plotly.newPlot``."""
    charts.append((div_id, theme.present(spec, "projector")))
    return f'<figure class="chart"><h3>{_e(theme.title_of(spec))}</h3><div id="{div_id}" class="plot"></div></figure>'


def _tile(k: Kpi, lang: str) -> str:
    label = k.label(lang) + (f" {k.period}" if k.period else f" {k.year}")
    badge = ""
    if k.met is not None:
        cls, word = ("met", gettext("Met", lang)) if k.met else ("unmet", gettext("Not met", lang))
        badge = f'<span class="badge {cls}">{word}</span>'
    target = f'<div class="target">{gettext("Target", lang)} {_e(k.format_target(lang))} {badge}</div>'
    delta = f'<div class="delta">{_e(k.format_delta(lang))} {gettext("vs baseline", lang)}</div>'
    return (
        f'<div class="tile"><div class="label">{_e(label)}</div><div class="value">{_e(k.format_value(lang))}</div>'
        f"{target if k.target else ''}{delta}</div>"
    )


def _table(headers: list[str], rows: list[list[str]], cls: str = "") -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<table class="{cls}"><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>'


def _scorecard(pack: Pack) -> str:
    lang = pack.lang
    rows = []
    for ln in pack.lines:
        status_cls = "na" if ln.met is None else ("met" if ln.met else "unmet")
        note = f'<div class="note">{_e(ln.note(lang))}</div>' if ln.note else ""
        rows.append(
            [
                f'<span class="kind {ln.kind}">{_e(ln.kind_label(lang))}</span>',
                _e(ln.label(lang)) + note,
                _e(ln.year_text(lang)),
                _e(ln.value_text(lang)),
                _e(ln.target_text(lang)),
                f'<span class="badge {status_cls}">{_e(ln.status_text(lang))}</span>',
                _e(ln.first_year_text(lang)),
                f'<span class="source">{_e(ln.source)}</span>',
            ]
        )
    headers = [
        gettext("Kind", lang),
        gettext("Target", lang),
        gettext("Year", lang),
        gettext("Reached", lang),
        gettext("Target", lang),
        gettext("Status", lang),
        gettext("First year met", lang),
        gettext("Source", lang),
    ]
    kinds = gettext(
        "Core model: computed by the projection model. Modelled (illustrative): "
        "diffusion curves with assumed parameters. Entered: ranks entered by the user, "
        "not modelled.",
        lang,
    )
    note = f'<p class="note">{_e(pack.illustrative_note)}</p>' if pack.illustrative_note else ""
    return _table(headers, rows, "scorecard") + f'<p class="note">{_e(kinds)}</p>' + note


def _frame_table(df: Any, lang: str) -> str:
    """A pandas table with numbers formatted for the language (1.234,5)."""
    headers = [str(c) for c in df.columns]
    rows = []
    for rec in df.itertuples(index=False):
        row = []
        for v in rec:
            if isinstance(v, float):
                row.append(_e(fmt.number(v, lang, 2 if abs(v) < 100 else 0)) if math.isfinite(v) else "–")
            else:
                row.append(_e(v))
        rows.append(row)
    return _table(headers, rows, "data")


CSS = """
:root { --fg:#1b1f24; --muted:#5b6470; --line:#d9dee5; --bg:#ffffff; --panel:#f5f7fa;
        --met:#2e7d32; --unmet:#c0392b; --accent:#0b5cad; }
* { box-sizing: border-box; }
body { font-family: __FONT__; color: var(--fg); background: var(--bg); margin: 0; line-height: 1.45; }
main { max-width: 1200px; margin: 0 auto; padding: 24px 28px 48px; }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 34px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--line); }
h3 { font-size: 17px; margin: 22px 0 8px; }
.sub { color: var(--muted); margin: 0 0 6px; }
.stamp { color: var(--muted); font-size: 12px; }
.summary { font-size: 16px; background: var(--panel); padding: 14px 18px; border-left: 4px solid var(--accent); }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 12px; }
.tile { background: var(--panel); border-radius: 8px; padding: 12px 14px; }
.tile .label { color: var(--muted); font-size: 13px; }
.tile .value { font-size: 24px; font-weight: 700; margin: 2px 0; }
.tile .target, .tile .delta { font-size: 13px; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600;
         color: #fff; background: var(--muted); white-space: nowrap; }
.badge.met { background: var(--met); } .badge.unmet { background: var(--unmet); }
.kind { font-size: 12px; white-space: nowrap; } .kind.modelled { color: #8a5a00; } .kind.entered { color: #5b3c99; }
table { border-collapse: collapse; width: 100%; font-size: 13.5px; margin: 6px 0 10px; }
th, td { border-bottom: 1px solid var(--line); padding: 6px 8px; text-align: left; vertical-align: top; }
th { background: var(--panel); font-weight: 600; }
table.data td { font-variant-numeric: tabular-nums; }
.note { color: var(--muted); font-size: 12.5px; margin: 4px 0; }
.source { color: var(--muted); font-size: 12px; }
.charts { display: grid; grid-template-columns: 1fr; gap: 18px; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 8px; padding: 8px 10px; break-inside: avoid; }
figure.chart h3 { margin: 4px 0 0; font-size: 16px; }
.plot { width: 100%; min-height: 380px; }
tr.changed td { background: #fff8e1; }
footer { margin-top: 36px; color: var(--muted); font-size: 12px; }
@media print { main { max-width: none; padding: 0; }
               h2 { break-after: avoid; } figure.chart, .tile, tr { break-inside: avoid; } }
""".replace("__FONT__", FONT_STACK)


def render_html(pack: Pack) -> str:
    """The whole report as one HTML document (str), plotly.js inline."""
    lang = pack.lang
    prof = pack.profile
    s = pack.scenario
    charts: list[tuple[str, dict[str, Any]]] = []
    parts: list[str] = []

    parts.append(f"<h1>{_e(s.name(lang))}</h1>")
    desc = s.description(lang).strip()
    parts.append(
        f'<p class="sub">{_e(prof.name(lang))} · {gettext("base year", lang)} {prof.base_year} · '
        f"{gettext('horizon', lang)} {prof.horizon} · {gettext('made on', lang)} "
        f"{pack.today.isoformat()}</p>"
    )
    if desc:
        parts.append(f'<p class="sub">{_e(desc)}</p>')
    parts.append(f'<p class="stamp" id="stamp">{_e(pack.stamp)}</p>')

    parts.append(f"<h2>{gettext('Summary', lang)}</h2>")
    parts.append(f'<p class="summary" id="summary">{_e(pack.summary)}</p>')

    parts.append(f"<h2>{gettext('Key figures', lang)}</h2>")
    for year, ks in pack.kpis.items():
        parts.append(f"<h3>{year}</h3>")
        parts.append('<div class="tiles">' + "".join(_tile(k, lang) for k in ks) + "</div>")
    parts.append(
        f'<p class="note">{gettext("Against", lang)} {_q(pack.baseline.name(lang), lang)} '
        f"#{_e(pack.baseline.content_hash())}.</p>"
    )

    if pack.live:
        note = gettext(
            "Move a lever: the figures and both charts show the engine's results at each step, the other levers "
            "held. Works offline.",
            lang,
        )
        parts.append(f"<h2>{gettext('Move the levers', lang)}</h2>")
        parts.append(f'<p class="note">{_e(note)}</p>')
        parts.append(f'<section class="live-levers">{cards.years(pack.kpis, lang)}<div id="live"></div></section>')

    parts.append(f"<h2>{gettext('Target scorecard', lang)}</h2>")
    parts.append(_scorecard(pack))

    parts.append(f"<h2>{gettext('Charts', lang)}</h2>")
    parts.append('<div class="charts">')
    for cid, spec in pack.charts.items():
        parts.append(_chart(spec, f"chart-{cid}", charts))
    parts.append("</div>")

    if pack.compare_runs:
        base_name = pack.compare_runs[0][0].name(lang)
        parts.append(f"<h2>{gettext('Scenario comparison', lang)}</h2>")
        parts.append(
            f'<p class="note">{gettext("Compared against", lang)}: {_q(base_name, lang)}; '
            f"{gettext('difference = other − base (pp for shares)', lang)}.</p>"
        )
        for sc, _ in pack.compare_runs:
            parts.append(f'<p class="stamp">{_e(pack.stamp_of(sc))}</p>')
        if pack.outcomes is not None:
            df = pack.outcomes.drop(columns=["kpi"])
            parts.append(_frame_table(df, lang))
        if pack.inputs is not None and not pack.inputs.empty:
            parts.append(f"<h3>{gettext('Inputs that differ', lang)}</h3>")
            parts.append(_frame_table(pack.inputs.drop(columns=["id"]), lang))
        parts.append('<div class="charts">')
        for i, spec in enumerate(pack.compare_charts):
            parts.append(_chart(spec, f"compare-{i}", charts))
        parts.append("</div>")

    parts.append(f"<h2>{gettext('Assumptions and sources', lang)}</h2>")
    groups = {
        "lever": gettext("Policy levers", lang),
        "assumption": gettext("Assumptions", lang),
        "base": gettext("Base-year data", lang),
        "scorecard": gettext("Illustrative adoption curves (scorecard)", lang),
    }
    headers = [
        gettext("Item", lang),
        gettext("Value", lang),
        gettext("Default", lang),
        gettext("Tag", lang),
        gettext("Source", lang),
    ]
    for g, title in groups.items():
        rows = [r for r in pack.assumptions if r.group == g]
        if not rows:
            continue
        parts.append(f"<h3>{_e(title)}</h3>")
        body = []
        for r in rows:
            mark = " ✎" if r.changed else ""
            body.append(
                [
                    _e(r.label) + mark,
                    _e(r.text),
                    _e(r.default_text),
                    _e(r.tag),
                    f'<span class="source">{_e(r.source)}</span>',
                ]
            )
        tbl = _table(headers, body, "assumptions")
        parts.append(tbl)
    parts.append(
        f'<p class="note">✎ {gettext("= changed by the scenario from the profile default.", lang)} '
        f"{_e(prof.digital_measure(lang))}</p>"
    )

    parts.append(
        f"<footer><p>{_e(pack.stamp)}</p><p>{_e(pack.model_label)} · "
        f"{gettext('standalone file, works offline', lang)}.</p></footer>"
    )

    plots = ",".join(f"[{_json(div)},{_json(spec)}]" for div, spec in charts)
    script = (
        UNPACK_JS + "nqPlotly(function(){var charts=[" + plots + "];"
        "var config={displaylogo:false,responsive:true};"
        "charts.forEach(function(c){var d=document.getElementById(c[0]);"
        "Plotly.newPlot(d,c[1].data,c[1].layout,config);});});"
    )
    if pack.live:
        script += (
            live.script().replace("</", "<\\/")
            + f"nqLive(document.getElementById('live'),{_json(pack.live)},null,document);"
        )
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{_e(pack.model_label)}">\n'
        f'<meta name="provenance" content="{_e(pack.stamp)}">\n'
        f"<title>{_e(pack.title)}</title>\n<style>{CSS}{cards.style_sheet()}{live.style()}</style>\n"
        f'<script type="application/gzip;base64" id="plotly-gz">{plotly_packed()}</script>\n'
        "</head>\n<body>\n<main>\n" + "\n".join(parts) + f"\n</main>\n<script>{script}</script>\n</body>\n</html>\n"
    )


def html_bytes(pack: Pack) -> bytes:
    return render_html(pack).encode("utf-8")
