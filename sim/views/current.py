"""The current scenario: what the controls describe, where it came from, whether it is edited and saved.

One object answers every question a page or an export asks about the scenario on screen, and one
function (:func:`label`) names it. The rules a user relies on:

- a scenario is called "Baseline" only when its content equals the profile's defaults;
- a library scenario keeps its name while its content is unchanged (it is saved);
- anything else is unsaved and says what it came from, e.g. "Unsaved – edited from Baseline – Bình Phước"
  or "Unsaved – goal-seek answer on Resolution 57 path".

Framework-free: the Streamlit session keeps one :class:`Current` (see ``ui.state``); tests build them
directly.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..params import Text
from ..scenario import Scenario, baseline
from .i18n import gettext

# How the content was last set, when not by editing the controls (the label says so until the next edit).
VIA_LINK = "link"
VIA_GOAL_SEEK = "goal_seek"
VIA_CHEAPEST_MIX = "cheapest_mix"
VIAS = (VIA_LINK, VIA_GOAL_SEEK, VIA_CHEAPEST_MIX)


def same_content(a: Scenario, b: Scenario) -> bool:
    """Two scenarios compute the same numbers (same region and changes; names and notes aside)."""
    return a.region == b.region and a.content_hash() == b.content_hash()


@dataclass(frozen=True)
class Current:
    """The scenario on screen.

    Attributes:
        scenario: the content (levers and assumptions) the controls describe.
        start: the named scenario it started from: a library scenario or the built-in baseline. The reset
            buttons return to it, and "edited" means the content differs from it.
        start_id: the library id of ``start`` (None for the built-in baseline).
        via: how the content was last set other than by the controls (:data:`VIAS`), or None.
        via_hash: the content hash at that moment (``via`` holds while the content is unchanged).
    """

    scenario: Scenario
    start: Scenario
    start_id: str | None = None
    via: str | None = None
    via_hash: str = ""

    @classmethod
    def of_start(cls, start: Scenario, start_id: str | None) -> Current:
        """The current scenario right after opening ``start`` (unchanged, so saved if ``start_id`` is set)."""
        return cls(scenario=start, start=start, start_id=start_id)

    @property
    def edited(self) -> bool:
        """The content differs from the starting scenario's."""
        return not same_content(self.scenario, self.start)

    @property
    def saved(self) -> bool:
        """The content is a library scenario's, unchanged."""
        return self.start_id is not None and not self.edited

    @property
    def is_baseline(self) -> bool:
        """The content equals the profile's defaults."""
        return not self.scenario.changes

    @property
    def active_via(self) -> str | None:
        """``via`` while the content is still the one it set."""
        return self.via if self.via and self.via_hash == self.scenario.content_hash() else None

    def edit(self, scenario: Scenario) -> Current:
        """The controls changed the content (the start is kept)."""
        return replace(self, scenario=scenario)

    def applied(self, scenario: Scenario, via: str) -> Current:
        """An answer (goal seek, cheapest mix) or a link set the content."""
        return replace(self, scenario=scenario, via=via, via_hash=scenario.content_hash())

    def label(self, lang: str) -> str:
        """The scenario's name as every page and export shows it (see :func:`label`)."""
        return label(self, lang)

    def named(self) -> Scenario:
        """The content under its truthful name in both languages (for comparisons, charts and exports)."""
        if self.saved:
            return replace(self.scenario, name=self.start.name)
        return replace(self.scenario, name=Text(vi=label(self, "vi"), en=label(self, "en")))


def label(current: Current, lang: str) -> str:
    """The one name of the current scenario, in ``lang``.

    - unchanged library scenario: its name;
    - content equal to the profile's defaults: the profile's baseline name;
    - otherwise "Unsaved – …" naming the start and, until the next edit, how the content was set.
    """
    if current.saved:
        return current.start.name(lang)
    if current.is_baseline:
        return baseline(current.scenario.region).name(lang)
    start_name = current.start.name(lang)
    via = current.active_via
    if via == VIA_GOAL_SEEK:
        return gettext("Unsaved – goal-seek answer on {start}", lang).format(start=start_name)
    if via == VIA_CHEAPEST_MIX:
        return gettext("Unsaved – cheapest mix on {start}", lang).format(start=start_name)
    if via == VIA_LINK:
        return gettext("Unsaved – shared link based on {start}", lang).format(start=start_name)
    return gettext("Unsaved – edited from {start}", lang).format(start=start_name)
