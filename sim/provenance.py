"""Provenance stamp: which model, profile (and its data vintage), scenario (and content hash), date."""

from __future__ import annotations

import datetime as dt

from . import MODEL_NAME, __version__
from .scenario import Scenario
from .views import fmt
from .views.i18n import gettext


def stamp(scenario: Scenario, lang: str = "vi", today: dt.date | None = None) -> str:
    """One line that says where a number comes from, e.g. for a chart footer or a report.

    The same scenario content gives the same hash, whatever its name, author or file.
    """
    prof = scenario.profile
    day = (today or fmt.today()).isoformat()  # the planners' day, as the library's times
    return gettext(
        "{model} {version} · profile {profile} (data {vintage}) · scenario «{scenario}» #{hash} · {day}", lang
    ).format(
        model=MODEL_NAME,
        version=__version__,
        profile=prof.name(lang),
        vintage=prof.data_vintage,
        scenario=scenario.name(lang),
        hash=scenario.content_hash(),
        day=day,
    )
