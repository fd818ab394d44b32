"""Version history of a library scenario: what changed from one saved version to the next.

The store (:mod:`sim.store`) keeps every saved version of a scenario with who saved it and when; this
module says what differs between two versions, as a parameter diff a planner can read: each parameter
whose effective value changed (its change, else the profile default), per year for a year-keyed path,
plus the name, description, region and status. Labels and units come from the parameter facts
(:mod:`sim.params`); numbers are written by :mod:`sim.views.fmt`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from .params import Text, schema
from .paths import evaluate
from .scenario import Scenario, Value, format_value
from .views.i18n import N_, translator

# What a version records about how it came to be (the English msgid; shown through the catalog).
ACTIONS = {
    "saved": N_("saved"),
    "updated": N_("changes saved"),
    "approved": N_("approved"),
    "renamed": N_("renamed"),
    "restored": N_("restored from an earlier version"),
    "untrashed": N_("restored from the trash"),
    "edited": N_("changed outside the app"),
}
FIELDS = {
    "name": N_("Name"),
    "description": N_("Note"),
    "region": N_("Region"),
    "status": N_("Status"),
}
STATUS = {"draft": N_("draft"), "approved": N_("approved")}
_TOLERANCE = 1e-9  # float noise from YAML round trips is not a change


@dataclass(frozen=True)
class Change:
    """One difference between two versions.

    Attributes:
        key: a parameter id, or ``name`` / ``description`` / ``region`` / ``status``.
        year: the year of a path parameter's value (None for a number, a choice or a field).
        before / after: the value in the older and in the newer version (UI units; None: calibrated).
    """

    key: str
    year: int | None
    before: Value | None
    after: Value | None


@dataclass(frozen=True)
class Version:
    """One saved version of a library scenario.

    Attributes:
        n: version number, 1 for the first save, increasing by one at each save.
        by: who saved (or approved) it.
        at: when (UTC).
        action: how it came to be, a key of :data:`ACTIONS`.
        content_hash: :meth:`Scenario.content_hash` of this version (what it computes).
        changes: what differs from version ``n - 1`` (empty for the first).
        restored_from: for ``action == "restored"``, the version whose content it took back.
    """

    n: int
    by: str
    at: dt.datetime
    action: str
    content_hash: str
    changes: tuple[Change, ...] = ()
    restored_from: int | None = None


def labelled(scenario: Scenario, n: int) -> Scenario:
    """A version of a scenario named as a column shows it: ``"Plan · v3"`` in both languages."""
    return replace(scenario, name=Text(vi=f"{scenario.name.vi} · v{n}", en=f"{scenario.name.en} · v{n}"))


def _path_years(a: Value | None, b: Value | None) -> list[int]:
    years: set[int] = set()
    for v in (a, b):
        if isinstance(v, dict):
            years.update(int(y) for y in v)
    return sorted(years)


def diff(old: Scenario, new: Scenario) -> tuple[Change, ...]:
    """What changed from ``old`` to ``new``: fields first, then parameters in the schema's order.

    A parameter compares its effective values (the scenario's change, else its region's default). A
    year-keyed path is compared at every breakpoint year of either version, each value read off its
    path (linear between breakpoints), so ``{2026: 3, 2030: 3.5}`` -> ``{2026: 3, 2030: 4}`` is one
    change, 2030: 3.5 -> 4.
    """
    out: list[Change] = []
    if old.name != new.name:
        out.append(Change("name", None, old.name.en, new.name.en))
    if old.description != new.description:
        out.append(Change("description", None, old.description.en, new.description.en))
    if old.region != new.region:
        out.append(Change("region", None, old.region, new.region))
    if old.status != new.status:
        out.append(Change("status", None, old.status, new.status))
    for pid in schema():
        a, b = old.value(pid), new.value(pid)
        if a is None or b is None or isinstance(a, str) or isinstance(b, str):
            if a != b:
                out.append(Change(pid, None, a, b))
            continue
        years = _path_years(a, b)
        if not years:
            if abs(float(a) - float(b)) > _TOLERANCE:
                out.append(Change(pid, None, a, b))
            continue
        before, after = evaluate(a, years), evaluate(b, years)
        for y, x, z in zip(years, before, after, strict=True):
            if abs(float(x) - float(z)) > _TOLERANCE:
                out.append(Change(pid, y, float(x), float(z)))
    return tuple(out)


def change_text(change: Change, lang: str = "en") -> str:
    """One change in words: ``R&D share of S&T spending 2030: 25 → 30 (%)``; names of fields translated."""
    _ = translator(lang)
    if change.key in FIELDS:
        label = _(FIELDS[change.key])
        if change.key == "status":
            return f"{label}: {_(STATUS.get(str(change.before), str(change.before)))} → {_(STATUS[str(change.after)])}"
        return f"{label}: {change.before or '–'} → {change.after or '–'}"
    p = schema()[change.key]
    where = f"{p.label(lang)} {change.year}" if change.year is not None else p.label(lang)

    def shown(v: Value | None) -> str:
        return p.choice_label(v, lang) if isinstance(v, str) else format_value(v, lang)

    unit = f" ({p.unit(lang)})" if p.unit(lang) and not p.is_choice else ""
    return f"{where}: {shown(change.before)} → {shown(change.after)}{unit}"


def action_text(version: Version, lang: str = "en") -> str:
    """How a version came to be, in ``lang`` (``restored from an earlier version (v2)``)."""
    _ = translator(lang)
    text = _(ACTIONS.get(version.action, version.action))
    return f"{text} (v{version.restored_from})" if version.restored_from else text
