"""Moved to :mod:`sim.views.fmt`; this re-export serves branches written against ``sim.fmt`` until they merge."""

from .views.fmt import *  # noqa: F403
