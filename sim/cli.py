"""Command line: ``python -m sim run|targets|compare|validate|params``.

Exit codes: 0 success; 2 bad input (one line naming the file, key and problem; no traceback).
Output files are written atomically, so a failed run never leaves a partial file. Every command that
prints words takes ``--lang vi|en`` (English by default): its words go through the message catalog
(:mod:`sim.views.i18n`) and its numbers are written the language's way (:mod:`sim.views.fmt`).
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence

import pandas as pd

from . import __version__
from .engine import run
from .errors import InputError
from .export import FORMATS, long_frame, to_bytes, write
from .params import schema
from .scenario import Scenario, load_scenario
from .targets import evaluate_all
from .views import fmt
from .views.i18n import LANGS, N_, gettext, translator

log = logging.getLogger("sim")

EXIT_OK, EXIT_UNMET, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other input error
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def add_lang(p: argparse.ArgumentParser, default: str = "en") -> None:
    """The ``--lang`` option every command that prints words takes."""
    p.add_argument("--lang", choices=LANGS, default=default, help=f"language of the output (default {default})")


def _table(df: pd.DataFrame, lang: str = "en", decimals: int = 3) -> str:
    """A table as text; numbers rounded to ``decimals`` and written the language's way."""

    def cell(x: object) -> object:
        if isinstance(x, float):
            return fmt.short(round(x, decimals), lang)
        return x

    shown = df.copy()
    for col in shown.columns:
        if shown[col].dtype.kind == "f":
            shown[col] = shown[col].astype(object).map(cell)
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
        return shown.to_string(index=False)


def cmd_run(args: argparse.Namespace) -> int:
    _ = translator(args.lang)
    scen = load_scenario(args.scenario)
    df = long_frame([(scen, run(scen))], lang=args.lang)
    if args.output:
        write(df, args.output, args.format)
        log.info(_("wrote {file}").format(file=args.output))
    elif args.format == "xlsx":
        raise InputError(_("xlsx output needs a file: add -o FILE.xlsx"), key="--format")
    else:
        sys.stdout.write(to_bytes(df, args.format).decode("utf-8-sig"))
    return EXIT_OK


# Column headers of the targets table (translated where shown).
TARGET_COLUMNS = {
    "id": N_("id"),
    "year": N_("year"),
    "value": N_("value"),
    "target": N_("target"),
    "unit": N_("unit"),
    "gap": N_("gap"),
    "met": N_("met"),
    "first_year_met": N_("first year met"),
}


# The units of the profiles' targets (data in English; translated where shown).
TARGET_UNITS = (N_("% of floor"), N_("%/yr"), N_("% of budget"), N_("bn VND"), N_("million VND"))


def target_table(scen: Scenario, lang: str = "en") -> pd.DataFrame:
    """Every target of the scenario's profile: value, target, gap, met, first year met (headers in ``lang``)."""
    _ = translator(lang)
    rows = [t.summary() for t in evaluate_all(run(scen), scen.profile)]
    # text cells, so pandas cannot turn whole years into floats; "—" for no gap
    df = pd.DataFrame(rows, dtype=object)[list(TARGET_COLUMNS)]
    df["year"] = df["year"].map(lambda y: _("every year") if y == "every year" else y)
    df["value"] = [fmt.short(round(float(v), 3), lang) for v in df["value"]]
    df["target"] = [fmt.short(float(v), lang) for v in df["target"]]
    df["unit"] = df["unit"].map(_)
    df["gap"] = [
        "—" if met else fmt.short(round(float(g), 3), lang) for g, met in zip(df["gap"], df["met"], strict=True)
    ]
    df["first_year_met"] = df["first_year_met"].map(lambda y: _("never") if y is None else str(y))
    df["met"] = df["met"].map({True: _("met"), False: _("NOT met")})
    return df.rename(columns={k: _(v) for k, v in TARGET_COLUMNS.items()})


def cmd_targets(args: argparse.Namespace) -> int:
    _ = translator(args.lang)
    scen = load_scenario(args.scenario)
    print(
        _("{name} ({region}, scenario hash {hash})").format(
            name=scen.name(args.lang), region=scen.region, hash=scen.content_hash()
        )
    )
    print(_table(target_table(scen, args.lang), args.lang))
    return EXIT_OK


def compare_table(scens: Sequence[Scenario], years: Sequence[int] = (2030, 2045), lang: str = "en") -> pd.DataFrame:
    """Key outcomes side by side, with deltas against the first scenario (the Compare page's table)."""
    from .compare import cli_table

    return cli_table(scens, years, lang)


def cmd_compare(args: argparse.Namespace) -> int:
    _ = translator(args.lang)
    scens = [load_scenario(p) for p in args.scenarios]
    regions = {s.region for s in scens}
    if len(regions) > 1:
        log.warning(_("comparing scenarios of different regions: {regions}").format(regions=", ".join(sorted(regions))))
    df = compare_table(scens, lang=args.lang)
    df = df.rename(columns={"outcome": _("outcome"), "year": _("year"), "unit": _("unit")})
    print(_table(df, args.lang))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    from .views.i18n import ngettext

    scen = load_scenario(args.file)
    n = len(scen.changes)
    print(
        ngettext(
            "{file}: valid scenario '{name}' for {region} ({n} change)",
            "{file}: valid scenario '{name}' for {region} ({n} changes)",
            n,
            args.lang,
        ).format(file=args.file, name=scen.name(args.lang), region=scen.region, n=n)
    )
    return EXIT_OK


KIND_NAMES = {"lever": N_("lever"), "assumption": N_("assumption")}  # translated where shown

# Column headers of the parameter table (translated where shown).
PARAM_COLUMNS = {
    "id": N_("id"),
    "kind": N_("kind"),
    "label": N_("label"),
    "unit": N_("unit"),
    "default": N_("default"),
    "range": N_("range"),
    "step": N_("step"),
    "link": N_("link code"),
    "analysis": N_("analysis"),
    "source": N_("source"),
}


def params_table(lang: str = "en") -> pd.DataFrame:
    """The parameter schema as a table: every fact parameters.yaml holds about each parameter."""
    _ = translator(lang)

    def num(x: float) -> str:
        return fmt.short(float(x), lang)

    rows = []
    for p in schema().values():
        if p.default is None:
            default = _("calibrated")
        elif isinstance(p.default, dict):
            default = ", ".join(f"{y}: {num(v)}" for y, v in p.default.items())
        else:
            default = p.default if isinstance(p.default, str) else num(p.default)
        uses = ([_("goal seek")] if p.goal_seek else []) + (
            [_("tornado ±{swing}").format(swing=num(p.swing))] if p.swing is not None else []
        )
        if p.uncertainty is not None:
            uses.append(
                _("uncertainty {low} to +{high}").format(low=num(p.uncertainty.low), high=num(p.uncertainty.high))
            )
        rows.append(
            {
                "id": p.id,
                "kind": _(KIND_NAMES[p.kind]),
                "label": p.label(lang),
                "unit": p.unit(lang),
                "default": default,
                "range": " | ".join(p.choices or ())
                if p.is_choice
                else _("{low} to {high}").format(low=num(p.min or 0), high=num(p.max or 0)),
                "step": num(p.step) if p.step is not None else "",
                "link": p.code,
                "analysis": "; ".join(uses),
                "source": p.source,
            }
        )
    return pd.DataFrame(rows).rename(columns={k: _(v) for k, v in PARAM_COLUMNS.items()})


def cmd_params(args: argparse.Namespace) -> int:
    print(_table(params_table(args.lang), args.lang))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m sim", description="NQ57 scenario simulator (command line)")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("run", help="project a scenario; results in the IAMC long format")
    p.add_argument("scenario")
    p.add_argument("--format", choices=FORMATS, default="csv")
    p.add_argument("-o", "--output", help="output file (default: standard output; required for xlsx)")
    add_lang(p)
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("targets", help="every target of the profile: value, target, gap, met, first year met")
    p.add_argument("scenario")
    add_lang(p)
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("compare", help="key 2030 and 2045 outcomes side by side, deltas against the first")
    p.add_argument("scenarios", nargs="+")
    add_lang(p)
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("validate", help="check a scenario file")
    p.add_argument("file")
    add_lang(p)
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("params", help="the parameter schema as a table")
    add_lang(p)
    p.set_defaults(func=cmd_params)

    for register in _extensions():
        register(sub)
    return ap


def _extensions() -> list[Callable[[argparse._SubParsersAction], None]]:
    """Sub-commands defined next to their code (decision analysis, meeting pack)."""
    from .analysis import cli as analysis_cli
    from .report import cli as report_cli

    return [analysis_cli.register, report_cli.register]


def main(argv: Sequence[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stderr)
    args = build_parser().parse_args(argv)
    err = gettext("error: {problem}", args.lang)
    try:
        return int(args.func(args))
    except InputError as exc:
        print(err.format(problem=exc), file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(err.format(problem=f"{exc.filename or ''}: {exc.strerror or exc}"), file=sys.stderr)
        return EXIT_INPUT
