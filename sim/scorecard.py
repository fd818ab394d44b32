"""Moved to :mod:`sim.views.scorecard`; this re-export serves branches written against it until they merge."""

from .views.scorecard import *  # noqa: F403
