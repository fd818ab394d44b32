"""Command-line sub-command ``report`` (registered in sim.cli): the meeting pack as HTML or Excel.

``python -m sim report SCENARIO [--compare OTHER ...] -o FILE.html`` writes one standalone HTML file
(plotly.js inline, works offline); ``-o FILE.xlsx`` (or ``--format xlsx``) the Excel workbook; ``-o FILE.pdf``
the HTML printed by the machine's Chromium (refused with a message where there is none). The file is
written atomically; bad input exits with code 2 and one line naming the file, key and problem, and writes
nothing.
"""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from ..atomic import atomic_write
from ..errors import InputError
from ..scenario import Scenario, load_scenario
from ..store import NotFoundError, check_id, load
from ..views.fmt import number
from ..views.i18n import gettext
from ..views.scorecard import parse_rank

log = logging.getLogger("sim")

REPORT_FORMATS = ("html", "xlsx", "pdf")
_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx", ".pdf": "pdf"}


def _scenario(ref: str) -> Scenario:
    """A scenario file, or (when no such file exists) a scenario id of the library."""
    path = Path(ref)
    if path.exists() or path.suffix in (".yaml", ".yml") or "/" in ref:
        return load_scenario(path)
    try:
        check_id(ref)
    except InputError:
        return load_scenario(path)
    try:
        return load(ref)
    except NotFoundError:
        raise InputError("no such file, and no scenario with this id in the library", ref) from None


def output_format(output: str, fmt: str | None) -> str:
    """The report format: ``--format`` if given, else from the output file's extension."""
    if fmt:
        return fmt
    suffix = Path(output).suffix.lower()
    if suffix not in _SUFFIXES:
        raise InputError(
            f"cannot tell the format from {suffix or 'no extension'!r}: use .html, .xlsx or .pdf", key="-o"
        )
    return _SUFFIXES[suffix]


def cmd_report(args: argparse.Namespace) -> int:
    from ..cli import EXIT_OK
    from .html import html_bytes
    from .pack import build_pack
    from .pdf import html_to_pdf
    from .workbook import render_xlsx

    fmt = output_format(args.output, args.format)
    scenario = _scenario(args.scenario)
    others = [_scenario(c) for c in args.compare or []]
    ranks = dict(parse_rank(r, scenario.region) for r in args.rank or [])
    pack = build_pack(scenario, others, lang=args.lang, ranks=ranks)
    if fmt == "xlsx":
        data = render_xlsx(pack)
    elif fmt == "pdf":
        data = html_to_pdf(html_bytes(pack))
    else:
        data = html_bytes(pack)
    atomic_write(args.output, data)
    log.info(
        gettext("wrote {file} ({format}, {size} bytes): {stamp}", args.lang).format(
            file=args.output, format=fmt, size=number(len(data), args.lang), stamp=pack.stamp
        )
    )
    return EXIT_OK


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command to the ``python -m sim`` parser."""
    from ..cli import add_lang

    p = sub.add_parser(
        "report",
        help="meeting pack: one standalone HTML file (works offline) or an Excel workbook",
        description="The meeting pack of a scenario: KPIs, the target scorecard, charts, the comparison, "
        "assumptions with sources and a written summary, stamped with its provenance.",
    )
    p.add_argument("scenario", help="scenario file (YAML) or a scenario id of the library")
    p.add_argument("--compare", nargs="+", metavar="OTHER", help="scenarios to compare with (files or ids)")
    p.add_argument("-o", "--output", required=True, help="output file: .html, .xlsx or .pdf")
    p.add_argument(
        "--format", choices=REPORT_FORMATS, help="html, xlsx or pdf (pdf needs Chromium; default: from the extension)"
    )
    add_lang(p)
    p.add_argument(
        "--rank",
        action="append",
        metavar="ID=RANK[:achieved|expected]",
        help="an entered rank for a rank target, e.g. dti_rank=7:expected (repeatable)",
    )
    p.set_defaults(func=cmd_report)
