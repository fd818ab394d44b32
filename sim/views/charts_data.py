"""Chart specifications for the Data & assumptions page, as plain plotly-JSON dicts (no plotly import).

The k0 fit: the national digital-economy series, eq. 10 with κ = 0 and the fitted k0 for the current
ceiling, and the fits at the ends of the ceiling band, run on past the data, so a planner sees that the
fits agree on the observed years and how far apart they lead.
"""

from __future__ import annotations

from ..analysis.calibration import K0Fit
from . import fmt
from .charts import Spec, _finish, _layout, _line, _round
from .i18n import translator
from .theme import PALETTE


def _k0_text(k0: float, ceiling: float, lang: str) -> str:
    _ = translator(lang)
    return _("D = {ceiling} %: k0 = {k0}").format(ceiling=fmt.short(ceiling * 100, lang), k0=fmt.number(k0, lang, 4))


def k0_fit_chart(fit: K0Fit, lang: str) -> Spec:
    """The observed series (markers), the fitted curve for ``fit.ceiling`` and the curves at the band's ends.

    Shares in percent of GDP; the stamp under the chart names the series and the equation.
    """
    _ = translator(lang)
    x = [int(y) for y in fit.years]
    lo, hi = fit.ceiling_range
    # The band's fits: the highest k0 goes with the lowest ceiling (see calibration.k0_fit).
    band = [(fit.curve_high, fit.k0_high, lo), (fit.curve_low, fit.k0_low, hi)]
    pct = "%"
    data = [
        _line(_k0_text(k, d, lang), x, _round(c * 100, 2), PALETTE["baseline"], dash="dot", unit=pct)
        for c, k, d in band
    ]
    data.append(
        _line(
            _("Fit for the current ceiling") + ", " + _k0_text(fit.k0, fit.ceiling, lang),
            x,
            _round(fit.curve * 100, 2),
            PALETTE["scenario"],
            unit=pct,
        )
    )
    data.append(
        {
            "type": "scatter",
            "mode": "markers",
            "name": _("National series (MIC method)"),
            "x": list(fit.observed),
            "y": [round(v * 100, 2) for v in fit.observed.values()],
            "marker": {"size": 12, "color": PALETTE["met"], "symbol": "circle"},
            "hovertemplate": "%{y:,} %",
        }
    )
    stamp = _("Eq. 10 with κ = 0, fitted by least squares; source: MIC, {first} and {last}").format(
        first=min(fit.observed), last=max(fit.observed)
    )
    layout = _layout(_("Digital-economy share: the k0 fit"), _("% of GDP"), lang, stamp)
    layout["xaxis"]["dtick"] = 1 if len(x) <= 8 else 5
    layout["yaxis"]["rangemode"] = "normal"
    return _finish({"data": data, "layout": layout})
