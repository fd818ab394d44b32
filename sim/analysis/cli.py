"""Command-line sub-commands of the decision analysis (registered in :mod:`sim.cli`).

- ``seek SCENARIO --target ID --lever ID [--ramp-to YEAR]``: the smallest lever value that meets the
  target, in the lever's unit (exit 0), or "unreachable" with what the top of the range reaches (exit 1).
- ``mc SCENARIO [--draws N] [--seed S]``: the probability of meeting each target under the assumptions'
  uncertainty.
- ``tornado SCENARIO [--outcome ID]``: each input at its low and high end, widest effect first.
- ``optimize SCENARIO [--shape yearly|ramp|flat] [--hold-until YEAR] [--envelope-step PTS] [--rd-step PTS]
  [--share-step PTS] [--with-2045] [--ceiling PCT] [--skip ID ...] [--also ID ...] [-o FILE]``: the cheapest
  plan year by year, beside the flat and ramp plans and what each costs (exit 0), or what binds (exit 1);
  ``-o`` saves it.
- ``attribute A B [--outcome ID]``: the Shapley waterfall from scenario A to B.

Bad input (a file, an id, a number out of range) exits 2 with one line naming it. Each takes ``--lang vi|en``
(English by default) for its words and the way it writes numbers.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from ..cli import EXIT_OK, EXIT_UNMET, KIND_NAMES, add_lang
from ..errors import InputError
from ..params import schema
from ..scenario import load_scenario, save_scenario
from ..views import fmt
from ..views.i18n import translator
from .outcomes import OUTCOMES, TORNADO_OUTCOMES


def _num(x: float, lang: str = "en", decimals: int = 4) -> str:
    """A number with thousands separators and no trailing zeros, the language's way (up to ``decimals``)."""
    if not math.isfinite(x):
        return str(x)
    return fmt.short(round(x, decimals), lang) if decimals >= 4 else fmt.number(x, lang, decimals)


def cmd_seek(args: argparse.Namespace) -> int:
    from .goalseek import goal_seek

    L = args.lang
    _ = translator(L)
    scen = load_scenario(args.scenario)
    if args.lever not in schema():
        raise InputError(_("unknown parameter id"), key="--lever")
    r = goal_seek(scen, args.target, args.lever, ramp_year=args.ramp_to)
    p = schema()[args.lever]
    unit, tunit = p.unit(L), _(r.target.unit)
    how = (
        _("flat from {year}").format(year=scen.profile.base_year + 1)
        if args.ramp_to is None
        else _("reached in {year}").format(year=args.ramp_to)
    )
    if not r.reachable:
        msg = _(
            "unreachable: {target} ({label}) reaches {value} {unit} at the top of the range "
            "({lever} = {top} {lever_unit}, {how}); target {goal}"
        ).format(
            target=r.target.id,
            label=r.target.label(L),
            value=_num(r.at_top, L),
            unit=tunit,
            lever=args.lever,
            top=_num(r.high, L),
            lever_unit=unit,
            how=how,
            goal=_num(r.target.value, L),
        )
        if r.best > r.at_top + 1e-9 * max(1.0, abs(r.at_top)):
            msg += _("; the best within the range is {value} {unit} at {at} {lever_unit}").format(
                value=_num(r.best, L), unit=tunit, at=_num(r.best_at, L), lever_unit=unit
            )
        print(msg)
        return EXIT_UNMET
    assert r.value is not None
    print(f"{args.lever} = {_num(r.value, L)} {unit} ({how})")
    print(
        _("meets {target} ({label}): {value} {unit} against {goal} {unit}; slider value {slider} {lever_unit}").format(
            target=r.target.id,
            label=r.target.label(L),
            value=_num(r.reached, L),
            unit=tunit,
            goal=_num(r.target.value, L),
            slider=_num(r.slider_value or r.value, L),
            lever_unit=unit,
        )
    )
    if r.value <= r.low:
        print(_("already met at the bottom of the range ({value} {unit})").format(value=_num(r.low, L), unit=unit))
    if r.met_up_to is not None:
        print(_("still met up to {value} {unit}; higher values miss it").format(value=_num(r.met_up_to, L), unit=unit))
    return EXIT_OK


def cmd_mc(args: argparse.Namespace) -> int:
    from .montecarlo import monte_carlo

    L = args.lang
    _ = translator(L)
    scen = load_scenario(args.scenario)
    r = monte_carlo(scen, draws=args.draws, seed=args.seed)
    print(
        _("{name} ({region}, scenario hash {hash}): {draws} draws, seed {seed}").format(
            name=scen.name(L), region=scen.region, hash=scen.content_hash(), draws=fmt.number(r.draws, L), seed=r.seed
        )
    )
    width = max(len(t.id) for t, _p in r.probabilities)
    for t, prob in r.probabilities:
        print(f"{t.id:<{width}}  {fmt.number(prob * 100, L, 1):>6} %  {t.label(L)}")
    if r.clipped:
        print(
            _(
                "note: {clipped} of {draws} draws ({share} %) drew a crowding-in above {limit}, where the base "
                "year cannot be calibrated; they were held at that limit"
            ).format(
                clipped=fmt.number(r.clipped, L),
                draws=fmt.number(r.draws, L),
                share=fmt.number(r.clipped_share * 100, L, 1),
                limit=fmt.number(r.crowding_in_limit, L, 3),
            )
        )
    return EXIT_OK


def cmd_tornado(args: argparse.Namespace) -> int:
    from .sensitivity import tornado

    L = args.lang
    _ = translator(L)
    scen = load_scenario(args.scenario)
    r = tornado(scen, args.outcome)
    o = r.outcome
    print(
        _("{outcome} ({unit}) under '{name}': {value}").format(
            outcome=o.label(L), unit=o.unit(L), name=scen.name(L), value=_num(r.base, L)
        )
    )
    width = max(len(b.pid) for b in r.bars)
    kinds = {k: _(v) for k, v in KIND_NAMES.items()}
    kind_width = max(len(k) for k in kinds.values())
    for b in r.bars:
        print(
            f"{b.pid:<{width}}  {kinds[b.kind]:<{kind_width}}  "
            + _("low {low}  high {high}  (shift {down} / +{up} {unit})").format(
                low=f"{_num(b.low, L):>14}",
                high=f"{_num(b.high, L):>14}",
                down=_num(b.low_shift, L),
                up=_num(b.high_shift, L),
                unit=schema()[b.pid].unit(L),
            )
        )
    return EXIT_OK


def _step(text: str) -> float | None:
    """A pace limit in points a year, or ``none`` for no limit."""
    if text.strip().lower() == "none":
        return None
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of points (or 'none')") from None


def cmd_optimize(args: argparse.Namespace) -> int:
    from ..views import fmt
    from ..views.i18n import translator
    from .optimize import LEVERS, SHAPE_NAMES, PlanSettings, cheapest_plan, default_targets, optional_targets

    L = getattr(args, "lang", "en")
    _ = translator(L)
    scen = load_scenario(args.scenario)
    if args.output and Path(args.output).exists():
        raise InputError(_("the file exists; choose another name (nothing is overwritten)"), source=args.output)
    known = [t.id for t in optional_targets(scen.profile)]
    for key, ids in (("--skip", args.skip), ("--also", args.also)):
        for tid in ids:
            if tid not in known:
                raise InputError(
                    _("{target!r} is not a target of {region} a plan may be asked to meet (known: {known})").format(
                        target=tid, region=scen.region, known=", ".join(known)
                    ),
                    key=key,
                )
    default = {t.id for t in default_targets(scen.profile)}
    settings = PlanSettings(
        hold_until=args.hold_until,
        envelope_step=args.envelope_step,
        rd_step=args.rd_step,
        share_step=args.share_step,
        targets_2045=args.with_2045,
        ceiling=args.ceiling,
        keep=tuple(t for t in known if (t in default or t in args.also) and t not in args.skip),
    )
    r = cheapest_plan(scen, settings)
    plan = r.plans[args.shape]

    def num(x: float, d: int = 3) -> str:
        return fmt.number(x, L, d)

    head = _("cheapest plan") if plan.feasible else _("INFEASIBLE: closest plan")
    print(
        _("{head}, {shape}, for '{name}' ({region}): real fiscal cost {span} {cost} bn VND").format(
            head=head,
            shape=_(SHAPE_NAMES[args.shape]),
            name=scen.name(L),
            region=scen.region,
            span=r.span,
            cost=num(plan.cost_real, 1),
        )
        + " "
        + _("(envelope {envelope} + R&D incentives {incentives}; base-year prices)").format(
            envelope=num(plan.envelope_real, 1), incentives=num(plan.incentives_real, 1)
        )
    )
    years = list(plan.paths[LEVERS[0]])
    width = max(len(pid) for pid in LEVERS)
    print(f"  {'':<{width}} " + " ".join(f"{y:>8}" for y in years))
    for pid in LEVERS:
        values = " ".join(f"{num(v):>8}" for v in plan.paths[pid].values())
        print(f"  {pid:<{width}} {values}  {schema()[pid].unit(L)}")
    print("  " + _("after {year} every lever holds its {year} value").format(year=years[-1]))
    print(_("the three plans (real fiscal cost {span}, bn VND):").format(span=r.span))
    for shape, p in r.plans.items():
        state = "" if p.feasible else "  " + _("INFEASIBLE (closest plan)")
        print(f"  {_(SHAPE_NAMES[shape]):<28} {num(p.cost_real, 1):>12}{state}")
    print(f"  {_('the scenario as given'):<28} {num(r.current_cost_real, 1):>12}")
    print(_("constraints ({shape}):").format(shape=_(SHAPE_NAMES[args.shape])))
    for c in plan.checks:
        k = c.constraint
        if c.binding and c.met:
            state = _("binding")
        elif c.met:
            state = _("met")
        else:
            state = _("SHORT by {gap}").format(gap=num(-c.slack, 4))
        print(
            f"  {k.id:<26} {k.span():<10} "
            + _("worst {value} {unit} in {year}, limit {limit}").format(
                value=num(c.value, 4), unit=_(k.unit), year=c.year, limit=num(k.value, 4)
            )
            + f"  {state}"
        )
    print(_("solved in {seconds} s ({runs} engine runs)").format(seconds=num(r.seconds, 2), runs=fmt.number(r.runs, L)))
    if args.output:
        save_scenario(plan.scenario, args.output, overwrite=False)
        print(_("saved to {path}").format(path=args.output))
    return EXIT_OK if plan.feasible else EXIT_UNMET


def cmd_attribute(args: argparse.Namespace) -> int:
    from .attribution import shapley

    L = args.lang
    _ = translator(L)
    a, b = load_scenario(args.a), load_scenario(args.b)
    r = shapley(a, b, args.outcome)
    o = r.outcome
    print(f"{o.label(L)} ({o.unit(L)}): '{a.name(L)}' {_num(r.start, L)} -> '{b.name(L)}' {_num(r.end, L)}")
    total = _("total")
    width = max([len(p.pid) for p in r.parts] + [len(total)])
    for p in r.parts:
        print(f"  {p.pid:<{width}}  {fmt.signed(p.value, L, 4)}")
    print(
        f"  {total:<{width}}  {fmt.signed(r.total, L, 4)}"
        + ("" if r.exact else " " + _("(parts estimated from random orders)"))
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
    add_lang(p)
    p.set_defaults(func=cmd_seek)

    p = sub.add_parser("mc", help="Monte Carlo: the probability of meeting each target")
    p.add_argument("scenario")
    p.add_argument("--draws", type=_draws, default=2000, help="number of draws, 1 to 20,000 (default 2,000)")
    p.add_argument("--seed", type=int, default=0)
    add_lang(p)
    p.set_defaults(func=cmd_mc)

    p = sub.add_parser("tornado", help="each input at its low and high end: effect on an outcome")
    p.add_argument("scenario")
    p.add_argument("--outcome", choices=tuple(OUTCOMES), default=TORNADO_OUTCOMES[0])
    add_lang(p)
    p.set_defaults(func=cmd_tornado)

    p = sub.add_parser(
        "optimize",
        help="the cheapest plan, year by year (beside the flat and ramp plans) meeting the targets and rules",
    )
    p.add_argument("scenario")
    p.add_argument(
        "--shape", choices=("yearly", "ramp", "flat"), default="yearly", help="the plan to print and save (yearly)"
    )
    p.add_argument("--hold-until", type=int, default=2035, metavar="YEAR", help="hold the 2030 targets to YEAR (2035)")
    p.add_argument(
        "--envelope-step",
        type=_step,
        default=1.0,
        metavar="PTS",
        help="largest yearly rise of the envelope, points of budget spending, or 'none' (default 1)",
    )
    p.add_argument(
        "--rd-step",
        type=_step,
        default=0.4,
        metavar="PTS",
        help="largest yearly rise of R&D, points of GRDP, or 'none' (default 0.4)",
    )
    p.add_argument(
        "--share-step",
        type=_step,
        default=10.0,
        metavar="PTS",
        help="largest yearly change of the R&D share of the envelope, points, or 'none' (default 10)",
    )
    p.add_argument("--with-2045", action="store_true", help="also meet the 2045 targets")
    p.add_argument("--ceiling", type=float, default=None, help="most enterprise R&D in any year, %% of GRDP (no limit)")
    p.add_argument("--skip", nargs="*", default=[], metavar="TARGET", help="2030 targets to leave out (not the rules)")
    p.add_argument(
        "--also", nargs="*", default=[], metavar="TARGET", help="targets met only when asked (growth plan, 3 %% rule)"
    )
    p.add_argument("-o", "--output", help="save the plan as a scenario file (never overwrites)")
    add_lang(p)
    p.set_defaults(func=cmd_optimize)

    p = sub.add_parser("attribute", help="Shapley waterfall: which input changes drove the difference from A to B")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--outcome", choices=tuple(OUTCOMES), default="digital_share_2030")
    add_lang(p)
    p.set_defaults(func=cmd_attribute)
