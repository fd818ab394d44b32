"""Provenance stamp: which model, profile (and its data vintage), scenario (and content hash), date."""

from __future__ import annotations

import datetime as dt

from . import MODEL_NAME, __version__
from .scenario import Scenario


def stamp(scenario: Scenario, lang: str = "vi", today: dt.date | None = None) -> str:
    """One line that says where a number comes from, e.g. for a chart footer or a report.

    The same scenario content gives the same hash, whatever its name, author or file.
    """
    prof = scenario.profile
    day = (today or dt.date.today()).isoformat()
    if lang == "vi":
        return (
            f"{MODEL_NAME} {__version__} · hồ sơ {prof.name.vi} (số liệu {prof.data_vintage}) · "
            f"kịch bản «{scenario.name.vi}» #{scenario.content_hash()} · {day}"
        )
    return (
        f"{MODEL_NAME} {__version__} · profile {prof.name.en} (data {prof.data_vintage}) · "
        f"scenario '{scenario.name.en}' #{scenario.content_hash()} · {day}"
    )
