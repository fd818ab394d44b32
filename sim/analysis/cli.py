"""Command-line sub-commands of the decision analysis (registered in :mod:`sim.cli`).

- ``seek SCENARIO --target ID --lever ID [--ramp-to YEAR]``: the smallest lever value that meets the
  target, in the lever's unit (exit 0), or "unreachable" with what the top of the range reaches (exit 1).
- ``mc SCENARIO [--draws N] [--seed S]``: the probability of meeting each target under the assumptions'
  uncertainty.
- ``tornado SCENARIO [--outcome ID]``: each input at its low and high end, widest effect first.
- ``optimize SCENARIO [--ceiling PCT] [--skip ID ...] [-o FILE]``: the cheapest budget mix meeting every
  2030 target and the rules (exit 0), or what binds (exit 1); ``-o`` saves it as a scenario file.
- ``attribute A B [--outcome ID]``: the Shapley waterfall from scenario A to B.

Bad input (a file, an id, a number out of range) exits 2 with one line naming it. Each takes ``--lang vi|en``
(English by default) for its words and the way it writes numbers.
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from .. import fmt
from ..cli import EXIT_OK, EXIT_UNMET, KIND_NAMES, add_lang
from ..errors import InputError
from ..params import schema
from ..scenario import load_scenario, save_scenario
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


def cmd_optimize(args: argparse.Namespace) -> int:
    from .optimize import RULE_METRICS, cheapest_mix, mix_targets

    L = args.lang
    _ = translator(L)
    scen = load_scenario(args.scenario)
    if args.output and Path(args.output).exists():
        raise InputError(_("the file exists; choose another name (nothing is overwritten)"), source=args.output)
    known = {t.id for t in mix_targets(scen.profile) if t.metric not in RULE_METRICS}
    for tid in args.skip:
        if tid not in known:
            raise InputError(
                _("{target!r} is not a 2030 target of {region} (known: {known})").format(
                    target=tid, region=scen.region, known=", ".join(sorted(known))
                ),
                key="--skip",
            )
    keep = [t for t in known if t not in args.skip]
    r = cheapest_mix(scen, ceiling=args.ceiling, keep=keep)
    d = r.decision
    head = _("cheapest mix") if r.feasible else _("INFEASIBLE: closest mix")
    print(
        _("{head} for '{name}' ({region}), enterprise R&D at most {ceiling} % of GRDP in 2030:").format(
            head=head, name=scen.name(L), region=scen.region, ceiling=_num(r.ceiling, L)
        )
    )
    print(
        "  "
        + _("envelope {first} % of budget spending in {year} -> {last} % in 2030").format(
            first=_num(d["envelope_first"], L), year=r.first_year, last=_num(d["envelope_2030"], L)
        )
    )
    print(
        "  "
        + _("R&D share of the envelope {share} %; enterprise R&D {enterprise} % of GRDP in 2030").format(
            share=_num(d["rd_share"], L), enterprise=_num(d["enterprise_2030"], L)
        )
    )
    print(
        "  "
        + _("real cost 2025-2030 {cost} bn VND (base-year prices); the scenario as given: {current}").format(
            cost=_num(r.cost_real, L, 1), current=_num(r.current_cost_real, L, 1)
        )
    )
    for c in r.checks:
        if c.binding and c.met:
            state = _("binding")
        elif c.met:
            state = _("met")
        else:
            state = _("SHORT by {gap}").format(gap=_num(-c.slack, L))
        print(
            f"  {c.target.id:<26} {_num(c.value, L):>14} {_(c.target.unit):<12} "
            + _("target {value}").format(value=f"{_num(c.target.value, L):>10}")
            + f"  {state}"
        )
    for t, best in r.unreachable_alone:
        print(
            f"  {t.id}: "
            + _("no mix within the ranges meets it even alone (best {best} {unit}, target {goal})").format(
                best=_num(best, L), unit=_(t.unit), goal=_num(t.value, L)
            )
        )
    if r.feasible_without:
        ids = ", ".join(t.id for t in r.feasible_without)
        print("  " + _("dropping any one of these would make it feasible: {ids}").format(ids=ids))
    if args.output:
        save_scenario(r.scenario, args.output, overwrite=False)
        print(_("saved to {file}").format(file=args.output))
    return EXIT_OK if r.feasible else EXIT_UNMET


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

    p = sub.add_parser("optimize", help="the cheapest budget mix that meets every 2030 target and the rules")
    p.add_argument("scenario")
    p.add_argument(
        "--ceiling", type=float, default=0.8, help="enterprise R&D ceiling in 2030, %% of GRDP (default 0.8)"
    )
    p.add_argument("--skip", nargs="*", default=[], metavar="TARGET", help="2030 targets to leave out (not the rules)")
    p.add_argument("-o", "--output", help="save the answer as a scenario file (never overwrites)")
    add_lang(p)
    p.set_defaults(func=cmd_optimize)

    p = sub.add_parser("attribute", help="Shapley waterfall: which input changes drove the difference from A to B")
    p.add_argument("a")
    p.add_argument("b")
    p.add_argument("--outcome", choices=tuple(OUTCOMES), default="digital_share_2030")
    add_lang(p)
    p.set_defaults(func=cmd_attribute)
