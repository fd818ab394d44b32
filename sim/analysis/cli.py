"""Command-line sub-commands of the decision analysis (registered in :mod:`sim.cli`).

- ``seek SCENARIO --target ID --lever ID [--ramp-to YEAR]``: the smallest lever value that meets the
  target, in the lever's unit (exit 0), or "unreachable" with what the top of the range reaches (exit 1).
- ``mc SCENARIO [--draws N] [--seed S]``: the probability of meeting each target under the assumptions'
  uncertainty.
- ``tornado SCENARIO [--outcome ID]``: each input at its low and high end, widest effect first.
- ``optimize SCENARIO [--ceiling PCT] [--skip ID ...] [-o FILE]``: the cheapest budget mix meeting every
  2030 target and the rules (exit 0), or what binds (exit 1); ``-o`` saves it as a scenario file.
- ``attribute A B [--outcome ID]``: the Shapley waterfall from scenario A to B.

Bad input (a file, an id, a number out of range) exits 2 with one line naming it.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from ..errors import InputError
from ..params import schema
from ..scenario import load_scenario, save_scenario
from ..views import fmt
from .outcomes import OUTCOMES, TORNADO_OUTCOMES

EXIT_OK, EXIT_UNMET, EXIT_INPUT = 0, 1, 2  # the same codes as sim.cli (not imported: it imports this module)


def _num(x: float, decimals: int = 4) -> str:
    """A number with thousands separators and no trailing zeros (English command-line output)."""
    if not math.isfinite(x):
        return str(x)
    s = f"{x:,.{decimals}f}"
    return s.rstrip("0").rstrip(".") if "." in s else s


def cmd_seek(args: argparse.Namespace) -> int:
    from .goalseek import goal_seek

    scen = load_scenario(args.scenario)
    if args.lever not in schema():
        raise InputError("unknown parameter id", key="--lever")
    r = goal_seek(scen, args.target, args.lever, ramp_year=args.ramp_to)
    p = schema()[args.lever]
    unit, tunit = p.unit.en, r.target.unit
    how = f"flat from {scen.profile.base_year + 1}" if args.ramp_to is None else f"reached in {args.ramp_to}"
    if not r.reachable:
        msg = (
            f"unreachable: {r.target.id} ({r.target.label.en}) reaches {_num(r.at_top)} {tunit} "
            f"at the top of the range ({args.lever} = {_num(r.high)} {unit}, {how}); target {_num(r.target.value)}"
        )
        if r.best > r.at_top + 1e-9 * max(1.0, abs(r.at_top)):
            msg += f"; the best within the range is {_num(r.best)} {tunit} at {_num(r.best_at)} {unit}"
        print(msg)
        return EXIT_UNMET
    assert r.value is not None
    print(f"{args.lever} = {_num(r.value)} {unit} ({how})")
    print(
        f"meets {r.target.id} ({r.target.label.en}): {_num(r.reached)} {tunit} "
        f"against {_num(r.target.value)} {tunit}; slider value {_num(r.slider_value or r.value)} {unit}"
    )
    if r.value <= r.low:
        print(f"already met at the bottom of the range ({_num(r.low)} {unit})")
    if r.met_up_to is not None:
        print(f"still met up to {_num(r.met_up_to)} {unit}; higher values miss it")
    return EXIT_OK


def cmd_mc(args: argparse.Namespace) -> int:
    from .montecarlo import monte_carlo

    scen = load_scenario(args.scenario)
    r = monte_carlo(scen, draws=args.draws, seed=args.seed)
    draws = fmt.number(r.draws, "en")
    print(f"{scen.name.en} ({scen.region}, scenario hash {scen.content_hash()}): {draws} draws, seed {r.seed}")
    width = max(len(t.id) for t, _ in r.probabilities)
    for t, prob in r.probabilities:
        print(f"{t.id:<{width}}  {fmt.percent(prob * 100, 'en', 1):>7}  {t.label.en}")
    if r.clipped:
        print(
            f"note: {fmt.number(r.clipped, 'en')} of {draws} draws ({fmt.percent(r.clipped_share * 100, 'en', 1)}) "
            "drew a crowding-in above "
            f"{fmt.number(r.crowding_in_limit, 'en', 3)}, where the base year cannot be calibrated; "
            "they were held at that limit"
        )
    return EXIT_OK


def cmd_tornado(args: argparse.Namespace) -> int:
    from .sensitivity import tornado

    scen = load_scenario(args.scenario)
    r = tornado(scen, args.outcome)
    o = r.outcome
    print(f"{o.label.en} ({o.unit.en}) under '{scen.name.en}': {_num(r.base)}")
    width = max(len(b.pid) for b in r.bars)
    for b in r.bars:
        print(
            f"{b.pid:<{width}}  {b.kind:<10}  low {_num(b.low):>14}  high {_num(b.high):>14}  "
            f"(shift {_num(b.low_shift)} / +{_num(b.high_shift)} {schema()[b.pid].unit.en})"
        )
    return EXIT_OK


def cmd_optimize(args: argparse.Namespace) -> int:
    from .optimize import RULE_METRICS, cheapest_mix, mix_targets

    scen = load_scenario(args.scenario)
    if args.output and Path(args.output).exists():
        raise InputError("the file exists; choose another name (nothing is overwritten)", source=args.output)
    known = {t.id for t in mix_targets(scen.profile) if t.metric not in RULE_METRICS}
    for tid in args.skip:
        if tid not in known:
            raise InputError(
                f"{tid!r} is not a 2030 target of {scen.region} (known: {', '.join(sorted(known))})", key="--skip"
            )
    keep = [t for t in known if t not in args.skip]
    r = cheapest_mix(scen, ceiling=args.ceiling, keep=keep)
    d = r.decision
    head = "cheapest mix" if r.feasible else "INFEASIBLE: closest mix"
    print(f"{head} for '{scen.name.en}' ({scen.region}), enterprise R&D at most {_num(r.ceiling)} % of GRDP in 2030:")
    print(
        f"  envelope {_num(d['envelope_first'])} % of budget spending in {r.first_year} -> "
        f"{_num(d['envelope_2030'])} % in 2030"
    )
    print(
        f"  R&D share of the envelope {_num(d['rd_share'])} %; "
        f"enterprise R&D {_num(d['enterprise_2030'])} % of GRDP in 2030"
    )
    print(
        f"  real cost 2025-2030 {_num(r.cost_real, 1)} bn VND (base-year prices); "
        f"the scenario as given: {_num(r.current_cost_real, 1)}"
    )
    for c in r.checks:
        state = "binding" if c.binding and c.met else "met" if c.met else f"SHORT by {_num(-c.slack)}"
        print(f"  {c.target.id:<26} {_num(c.value):>14} {c.target.unit:<12} target {_num(c.target.value):>10}  {state}")
    for t, best in r.unreachable_alone:
        print(
            f"  {t.id}: no mix within the ranges meets it even alone "
            f"(best {_num(best)} {t.unit}, target {_num(t.value)})"
        )
    if r.feasible_without:
        ids = ", ".join(t.id for t in r.feasible_without)
        print(f"  dropping any one of these would make it feasible: {ids}")
    if args.output:
        save_scenario(r.scenario, args.output, overwrite=False)
        print(f"saved to {args.output}")
    return EXIT_OK if r.feasible else EXIT_UNMET


def cmd_attribute(args: argparse.Namespace) -> int:
    from .attribution import shapley

    a, b = load_scenario(args.a), load_scenario(args.b)
    r = shapley(a, b, args.outcome)
    o = r.outcome
    print(f"{o.label.en} ({o.unit.en}): '{a.name.en}' {_num(r.start)} -> '{b.name.en}' {_num(r.end)}")
    width = max([len(p.pid) for p in r.parts] + [5])
    for p in r.parts:
        print(f"  {p.pid:<{width}}  {fmt.signed(p.value, 'en', 4)}")
    print(
        f"  {'total':<{width}}  {fmt.signed(r.total, 'en', 4)}"
        + ("" if r.exact else " (parts estimated from random orders)")
    )
    return EXIT_OK


def _draws(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None


def register(sub: argparse._SubParsersAction) -> None:
    """Add the analysis sub-commands (seek, mc, tornado, optimize, attribute) to ``python -m sim``."""
    p = sub.add_parser("seek", help="goal seek: the smallest lever value that meets a target")
    p.add_argument("scenario")
    p.add_argument("--target", required=True, help="target id (e.g. digital_share_2030)")
    p.add_argument("--lever", required=True, help="lever id (e.g. stid_budget_share)")
    p.add_argument("--ramp-to", type=int, default=None, metavar="YEAR", help="reach the value in YEAR (default: flat)")
    p.set_defaults(func=cmd_seek)

    p = sub.add_parser("mc", help="Monte Carlo: the probability of meeting each target")
    p.add_argument("scenario")
    p.add_argument("--draws", type=_draws, default=2000, help="number of draws, 1 to 20,000 (default 2,000)")
    p.add_argument("--seed", type=int, default=0)
    p.set_defaults(func=cmd_mc)

    p = sub.add_parser("tornado", help="each input at its low and high end: effect on an outcome")
    p.add_argument("scenario")
    p.add_argument("--outcome", choices=tuple(OUTCOMES), default=TORNADO_OUTCOMES[0])
    p.set_defaults(func=cmd_tornado)

    p = sub.add_parser("optimize", help="the cheapest budget mix that meets every 2030 target and the rules")
    p.add_argument("scenario")
    p.add_argument(
        "--ceiling", type=float, default=0.8, help="enterprise R&D ceiling in 2030, %% of GRDP (default 0.8)"
    )
    p.add_argument("--skip", nargs="*", default=[], metavar="TARGET", help="2030 targets to leave out (not the rules)")
    p.add_argument("-o", "--output", help="save the answer as a scenario file (never overwrites)")
    p.set_defaults(func=cmd_optimize)

    p = sub.add_parser("attribute", help="Shapley waterfall: which input changes drove the difference from A to B")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--outcome", choices=tuple(OUTCOMES), default="digital_share_2030")
    p.set_defaults(func=cmd_attribute)
