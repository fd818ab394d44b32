"""Command-line sub-command ``report`` (registered in sim.cli)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``report`` sub-command to the ``python -m sim`` parser."""
