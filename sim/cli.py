"""Command line: ``python -m sim run|targets|compare|validate|params``.

Exit codes: 0 success; 2 bad input (one line naming the file, key and problem; no traceback).
Output files are written atomically, so a failed run never leaves a partial file.
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

log = logging.getLogger("sim")

EXIT_OK, EXIT_UNMET, EXIT_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, like every other input error
        self.exit(EXIT_INPUT, f"{self.prog}: error: {message}\n")


def _table(df: pd.DataFrame) -> str:
    with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200):
        return df.to_string(index=False)


def cmd_run(args: argparse.Namespace) -> int:
    scen = load_scenario(args.scenario)
    df = long_frame([(scen, run(scen))])
    if args.output:
        write(df, args.output, args.format)
        log.info("wrote %s", args.output)
    elif args.format == "xlsx":
        raise InputError("xlsx output needs a file: add -o FILE.xlsx", key="--format")
    else:
        sys.stdout.write(to_bytes(df, args.format).decode("utf-8-sig"))
    return EXIT_OK


def target_table(scen: Scenario) -> pd.DataFrame:
    rows = [t.summary() for t in evaluate_all(run(scen), scen.profile)]
    for r in rows:  # whole years, "never", and "—" for no gap: text, so pandas cannot turn them into floats
        r["first_year_met"] = "never" if r["first_year_met"] is None else str(r["first_year_met"])
        r["gap"] = "—" if r["met"] else fmt.number(r["gap"], "en", 3)
        r["met"] = "met" if r["met"] else "NOT met"
    return pd.DataFrame(rows, dtype=object)[["id", "year", "value", "target", "unit", "gap", "met", "first_year_met"]]


def cmd_targets(args: argparse.Namespace) -> int:
    scen = load_scenario(args.scenario)
    print(f"{scen.name.en} ({scen.region}, scenario hash {scen.content_hash()})")
    df = target_table(scen)
    df["value"] = [fmt.number(v, "en", 3) for v in df["value"]]
    print(_table(df))
    return EXIT_OK


def compare_table(scens: Sequence[Scenario], years: Sequence[int] = (2030, 2045)) -> pd.DataFrame:
    """Key outcomes side by side, with deltas against the first scenario (the Compare page's table)."""
    from .compare import cli_table

    return cli_table(scens, years)


def cmd_compare(args: argparse.Namespace) -> int:
    scens = [load_scenario(p) for p in args.scenarios]
    regions = {s.region for s in scens}
    if len(regions) > 1:
        log.warning("comparing scenarios of different regions: %s", ", ".join(sorted(regions)))
    print(_table(compare_table(scens).round(3)))
    return EXIT_OK


def cmd_validate(args: argparse.Namespace) -> int:
    scen = load_scenario(args.file)
    print(f"{args.file}: valid scenario '{scen.name.en}' for {scen.region} ({len(scen.changes)} changes)")
    return EXIT_OK


def params_table(lang: str = "en") -> pd.DataFrame:
    rows = []
    for p in schema().values():
        default = p.default if p.default is not None else "calibrated"
        rows.append(
            {
                "id": p.id,
                "kind": p.kind,
                "label": p.label(lang),
                "unit": p.unit(lang),
                "default": default
                if not isinstance(default, dict)
                else ", ".join(f"{y}: {fmt.short(v, 'en')}" for y, v in default.items()),
                "range": p.range_text(),
                "source": p.source,
            }
        )
    return pd.DataFrame(rows)


def cmd_params(args: argparse.Namespace) -> int:
    print(_table(params_table(args.lang)))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    ap = _Parser(prog="python -m sim", description="NQ57 scenario simulator (command line)")
    ap.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = ap.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("run", help="project a scenario; results in the IAMC long format")
    p.add_argument("scenario")
    p.add_argument("--format", choices=FORMATS, default="csv")
    p.add_argument("-o", "--output", help="output file (default: standard output; required for xlsx)")
    p.set_defaults(func=cmd_run)

    p = sub.add_parser("targets", help="every target of the profile: value, target, gap, met, first year met")
    p.add_argument("scenario")
    p.set_defaults(func=cmd_targets)

    p = sub.add_parser("compare", help="key 2030 and 2045 outcomes side by side, deltas against the first")
    p.add_argument("scenarios", nargs="+")
    p.set_defaults(func=cmd_compare)

    p = sub.add_parser("validate", help="check a scenario file")
    p.add_argument("file")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("params", help="the parameter schema as a table")
    p.add_argument("--lang", choices=("vi", "en"), default="en")
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
    try:
        return int(args.func(args))
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT
    except OSError as exc:
        print(f"error: {exc.filename or ''}: {exc.strerror or exc}", file=sys.stderr)
        return EXIT_INPUT
