"""An independent, scalar, year-by-year implementation of the model (version 2), written for the tests.

It shares no code with sim/engine.py except reading the schema's unit scales; it follows the
specification's equations line by line so that the vectorised engine can be checked against it.
Version 2: every path runs linearly from its base-year value to its first breakpoint; enterprise R&D
above the base-year intensity costs the budget τ per VND; cumulative costs run from the year after the
base year to 2030 and from 2031 to 2045.
"""

from __future__ import annotations

import itertools


def interp(path, year: int) -> float:
    """Linear between breakpoints, flat outside (docs/model.md)."""
    if not isinstance(path, dict):
        return float(path)
    ys = sorted(path)
    if year <= ys[0]:
        return float(path[ys[0]])
    if year >= ys[-1]:
        return float(path[ys[-1]])
    for a, b in itertools.pairwise(ys):
        if a <= year <= b:
            return path[a] + (path[b] - path[a]) * (year - a) / (b - a)
    raise AssertionError


def path_value(path, year: int, t0: int, base_value: float) -> float:
    """Version-2 reading of a scenario path: the base year is ``base_value``; before its first breakpoint a
    path runs in a straight line from the base-year value; a plain number holds from t0 + 1."""
    if year == t0:
        return base_value
    if isinstance(path, dict) and min(path) > t0:
        path = {t0: base_value, **path}
    return interp(path, year)


def reference_run(base: dict, p: dict, t0: int, horizon: int, cap_public: bool = False) -> dict[int, dict]:
    """Project with plain floats.

    Args:
        base: grdp, growth, population, rd_intensity, digital_share (fractions, bn VND, people), rd_target.
        p: parameters in MODEL units (fractions): paths as {year: value} or numbers; 'e' may be None (flat at
            the calibrated value) or a dict of breakpoints after t0 (interpolated from the calibrated value).
            Base-year values of paths are taken from p[name + '_0'] (the profile's base-year values); 'tau'
            is the public cost per VND of enterprise R&D above the base year.
    """

    def path(name: str, t: int) -> float:
        base_value = p[name + "_0"]
        if t == t0:
            return base_value
        v = p[name]
        if isinstance(v, dict) and min(v) > t0:  # v2: ramp from the base-year value to the first breakpoint
            v = {t0: base_value, **v}
        return interp(v, t)

    lam, rho, psi, lag = p["lam"], p["rho"], p["psi"], p["lag"]
    delta, D, k0, kappa, mu, n = p["delta"], p["D"], p["k0"], p["kappa"], p["mu"], p["n"]
    tau = p["tau"]
    out: dict[int, dict] = {}
    Y = Yr = base["grdp"]
    defl = 1.0
    N_pop = base["population"]
    d = base["digital_share"]
    # base year
    b0, s0, th0 = path("b", t0), path("s", t0), path("theta", t0)
    P0 = th0 * s0 * b0 * Y
    e0 = base["rd_intensity"] - (1 + lam) * P0 / Y
    assert e0 >= 0
    e_path = None if p.get("e") is None else {t0: e0, **p["e"]}

    def e_at(t: int) -> float:
        return e0 if e_path is None or t == t0 else interp(e_path, t)

    r: dict[int, float] = {}
    x: dict[int, float] = {}
    K = None
    for t in range(t0, horizon + 1):
        if t == t0:
            g = base["growth"]
        else:
            r_lag = r[max(t - lag, t0)]
            g = path("gb", t) + rho * (r_lag - r[t0]) + psi * (x[t - 1] - x[t0])
            Yr = Yr * (1 + g)
            pi = path("pi", t)
            Y = Y * (1 + g) * (1 + pi)
            defl *= 1 + pi
            N_pop = N_pop * (1 + n)
        B = path("b", t) * Y
        S = path("s", t) * B
        F = path("c", t) * B
        P = path("theta", t) * S
        X = (1 - path("theta", t)) * S
        Nrd = e_at(t) * Y + lam * P
        if cap_public and t > t0 and Nrd / 1.5 < P:
            excess = P - Nrd / 1.5
            P -= excess
            X += excess
        R = P + Nrd
        r[t] = R / Y
        x[t] = (1 + mu) * X / Y
        if t > t0:
            k = max(0.0, k0 + kappa * 100 * (x[t - 1] - x[t0]))
            k = min(k, 1.0)  # documented cap: the discrete logistic never overshoots the ceiling
            d = d + k * d * (1 - d / D)
        K = R / (base["growth"] + delta) if t == t0 else (1 - delta) * K + R / defl
        incentives = tau * max(0.0, e_at(t) - e0) * Y  # eq. 13
        T = base["rd_target"]
        need = max(T * Y - P, 1.5 * P)
        out[t] = {
            "GRDP|Nominal": Y,
            "GRDP|Real": Yr,
            "GRDP|Real Growth": g,
            "Population": N_pop,
            "GRDP per Capita": Y * 1000 / N_pop,
            "Budget|Spending": B,
            "Budget|STI and DX": S,
            "Budget|Central Floor": F,
            "R&D|Public": P,
            "R&D|Non-state": Nrd,
            "R&D|Total": R,
            "R&D|Share of GRDP": R / Y,
            "R&D|Non-state Share": Nrd / R,
            "R&D|Non-state Gap": max(0.0, need - Nrd),
            "R&D|Knowledge Stock": K,
            "Digital Transformation|Public Spending": X,
            "Digital Economy|Share of GRDP": d,
            "Digital Economy|Value Added": d * Y,
            "Budget|R&D Incentives": incentives,
            "Budget|Fiscal Cost": S + incentives,
            "GRDP|Deflator": defl,
        }
    return out


def reference_costs(out: dict[int, dict], t0: int) -> dict[str, float]:
    """Eq. 14: sums of the envelope, incentives and fiscal cost over t0+1..2030 and 2031..2045, by span label."""
    costs: dict[str, float] = {}
    horizon = max(out)
    for start, end in ((t0 + 1, min(2030, horizon)), (2031, min(2045, horizon))):
        if end < start:
            continue
        label = f"{start}-{end}"
        for var, name in (
            ("Budget|STI and DX", "STI and DX"),
            ("Budget|R&D Incentives", "R&D Incentives"),
            ("Budget|Fiscal Cost", "Fiscal Cost"),
        ):
            years = range(start, end + 1)
            costs[f"Cost|{name}|{label}|Nominal"] = sum(out[t][var] for t in years)
            costs[f"Cost|{name}|{label}|Real"] = sum(out[t][var] / out[t]["GRDP|Deflator"] for t in years)
    return costs
