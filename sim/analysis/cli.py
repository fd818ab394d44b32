"""Command-line sub-commands of the decision analysis (registered in sim.cli)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the analysis sub-commands (seek, mc, ...) to the ``python -m sim`` parser."""
