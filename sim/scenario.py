"""Scenarios: metadata plus changes to a profile's defaults (docs/model.md, scenario files).

Scenario files are untrusted (e-mailed, uploaded, pasted): they are parsed within fixed bounds and
validated by a pydantic model (:mod:`sim.untrusted`), with messages that name the file, the key and the problem.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from sim.views.i18n import LANGS, T_, gettext

from .atomic import atomic_write
from .errors import InputError
from .params import Parameter, Text, schema
from .profiles import DEFAULT_PROFILE, Profile, load_profile
from .untrusted import MAX_FILE_BYTES, MODEL_VERSION, ScenarioFile, parse_yaml, validate
from .views import fmt
from .views.i18n import ngettext

TOP_KEYS = tuple(ScenarioFile.model_fields)
RAMPED_IN_V1 = ("enterprise_rd_intensity",)  # the one path version 1 already ramped from the base year
log = logging.getLogger("sim")

Value = float | int | str | dict[int, float]


@dataclass(frozen=True)
class Scenario:
    """A named set of changes (UI units) to a profile's defaults.

    Attributes:
        name: Vietnamese and English names.
        region: profile id.
        levers / assumptions: parameter id -> value (a number, a year-keyed path or a choice).
        reread: ids of the paths whose reading changed because the file was written for model version 1
            (they start after the year after the base year); see :func:`notices`.
    """

    name: Text
    region: str = DEFAULT_PROFILE
    description: Text = field(default_factory=lambda: T_(""))
    author: str = ""
    status: str = "draft"
    levers: dict[str, Value] = field(default_factory=dict)
    assumptions: dict[str, Value] = field(default_factory=dict)
    reread: tuple[str, ...] = field(default=(), compare=False)
    source: str = field(default="", compare=False)

    @property
    def notices(self) -> list[str]:
        """One-line notices for the user (English; :func:`notices` gives them in another language)."""
        return notices(self)

    @property
    def changes(self) -> dict[str, Value]:
        return {**self.levers, **self.assumptions}

    @property
    def profile(self) -> Profile:
        return load_profile(self.region)

    def value(self, pid: str) -> Value | None:
        """The scenario's value of a parameter: its change, else the profile default (None: calibrated)."""
        ch = self.changes
        return ch[pid] if pid in ch else self.profile.default(pid)

    def with_changes(self, **changes: Value | None) -> Scenario:
        """A copy with some parameters changed (None removes a change, back to the default)."""
        lev, ass = dict(self.levers), dict(self.assumptions)
        params = schema()
        for pid, v in changes.items():
            target = lev if params[pid].kind == "lever" else ass
            if v is None:
                target.pop(pid, None)
            else:
                target[pid] = v
        return replace(self, levers=lev, assumptions=ass)

    def to_dict(self) -> dict[str, Any]:
        """The scenario-file mapping (docs/model.md) (plain types, safe to dump as YAML or JSON)."""

        def plain(v: Value) -> Any:
            if isinstance(v, dict):
                return {int(y): _tidy(x) for y, x in sorted(v.items())}
            return _tidy(v) if not isinstance(v, str) else v

        order = list(schema())
        out: dict[str, Any] = {
            "name": _text(self.name),
            "region": self.region,
            "description": _text(self.description),
            "author": self.author,
            "status": self.status,
            "model_version": MODEL_VERSION,
        }
        out["levers"] = {k: plain(self.levers[k]) for k in order if k in self.levers}
        out["assumptions"] = {k: plain(self.assumptions[k]) for k in order if k in self.assumptions}
        return out

    def to_yaml(self, width: float = 100) -> str:
        """The scenario file text; ``width=math.inf`` writes long texts on one line (no folding)."""
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=width, default_flow_style=None)

    def content_hash(self) -> str:
        """Short hash of what the scenario computes (region and changes, not names or notes)."""
        body = json.dumps(
            {"region": self.region, "levers": self.to_dict()["levers"], "assumptions": self.to_dict()["assumptions"]},
            sort_keys=True,
            ensure_ascii=True,
        )
        return hashlib.sha256(body.encode()).hexdigest()[:10]


def _text(t: Text) -> str | dict[str, str]:
    """A text as written to a file: one string when both languages agree (a long note is stored once, so
    a file that was accepted stays under the size limit when saved), else ``{vi: ..., en: ...}``."""
    return t.vi if t.vi == t.en else {"vi": t.vi, "en": t.en}


def _tidy(x: float | int) -> float | int:
    """Numbers as a person would write them (2.0 -> 2.0, 0.30000000000000004 -> 0.3)."""
    if isinstance(x, int):
        return x
    r = round(float(x), 10)
    return r


def baseline(region: str = DEFAULT_PROFILE) -> Scenario:
    """Business as usual: every default of the profile."""
    prof = load_profile(region)
    return Scenario(
        name=Text(**{lang: gettext("Baseline – {region}", lang).format(region=prof.name(lang)) for lang in LANGS}),
        region=region,
        description=T_("Every default of the profile."),
    )


# ---------------------------------------------------------------- validation


def from_dict(data: Any, source: str = "scenario") -> Scenario:
    """Validate a parsed scenario mapping (the pydantic model :class:`sim.untrusted.ScenarioFile`).

    Raises:
        InputError: naming the source, the key and the problem.
    """
    f = validate(ScenarioFile, data, source, "scenario")
    groups = {"levers": f.levers or {}, "assumptions": f.assumptions or {}}
    return Scenario(
        name=f.name,
        region=f.region,
        description=f.description or T_(""),
        author=f.author,
        status=f.status,
        levers=groups["levers"],
        assumptions=groups["assumptions"],
        reread=_reread(groups, load_profile(f.region)) if f.model_version < 2 else (),
        source=source,
    )


def _reread(groups: dict[str, dict[str, Value]], prof: Profile) -> tuple[str, ...]:
    """Paths of a version-1 file whose reading changed: their first breakpoint is after the year after the
    base year, so version 2 ramps to it from the base-year value where version 1 held it flat."""
    return tuple(
        pid
        for group in groups.values()
        for pid, v in group.items()
        if isinstance(v, dict) and pid not in RAMPED_IN_V1 and min(v) > prof.base_year + 1
    )


def notices(scenario: Scenario, lang: str = "en") -> list[str]:
    """What a user should know about how a scenario file was read (one line each; empty for most files).

    A file written before model version 2 whose paths start after the year after the base year is read
    the new way: each such path now rises (or falls) in a straight line from the base-year value to its
    first year, where it used to hold that first value from the year after the base year.
    """
    if not scenario.reread:
        return []
    prof = scenario.profile
    n = len(scenario.reread)
    text = ngettext(
        "{source}: written before model version 2; the path of {params} now runs in a straight line from the "
        "base-year value ({year}) to its first year, where it used to hold that first value from {next}",
        "{source}: written before model version 2; the paths of {params} now run in a straight line from the "
        "base-year value ({year}) to their first year, where they used to hold that first value from {next}",
        n,
        lang,
    )
    params = ", ".join(scenario.reread)
    return [text.format(source=scenario.source, params=params, year=prof.base_year, next=prof.base_year + 1)]


def loads(text: str | bytes, source: str = "scenario") -> Scenario:
    """Parse and validate a scenario from untrusted YAML text (bounded: see :mod:`sim.untrusted`).

    Raises:
        InputError: the only exception; naming the source, the key and the problem.
    """
    return from_dict(parse_yaml(text, source), source)


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Load a scenario file (YAML, docs/model.md).

    Raises:
        InputError: a missing, oversized or invalid file, naming the file, key and problem.
    """
    p = Path(path)
    source = str(path)
    try:
        size = p.stat().st_size
    except FileNotFoundError:
        raise InputError("no such file", source) from None
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", source) from None
    if p.is_dir():
        raise InputError("is a folder, not a scenario file", source)
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"the file is {fmt.number(size, 'en')} bytes; the limit is {fmt.number(MAX_FILE_BYTES, 'en')}", source
        )
    scenario = loads(p.read_bytes(), source)
    for line in scenario.notices:  # the command line shows these on stderr
        log.warning(line)
    return scenario


def save_scenario(scenario: Scenario, path: str | os.PathLike[str], *, overwrite: bool = True) -> None:
    """Write a scenario as YAML, atomically."""
    atomic_write(path, scenario.to_yaml().encode("utf-8"), overwrite=overwrite)


def describe_changes(scenario: Scenario, lang: str = "en") -> list[str]:
    """The scenario's difference from the profile defaults, one plain sentence per parameter."""
    params = schema()
    prof = scenario.profile
    lines = []
    for pid, v in scenario.changes.items():
        p = params[pid]
        default = prof.default(pid)
        lines.append(f"{p.label(lang)}: {value_text(default, p, lang)} → {value_text(v, p, lang)}")
    return lines


def format_value(v: Value | None, lang: str = "en") -> str:
    """A parameter value for a table cell whose unit is in a column of its own: ``3,5``; a path
    ``2024: 1 → 2026: 3 → 2030: 3,5``. In a sentence :func:`value_text` adds the unit."""
    if v is None:
        return gettext("calibrated base-year value", lang)
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return " → ".join(f"{fmt.year(y)}: {fmt.short(float(x), lang, 6)}" for y, x in sorted(v.items()))
    return fmt.short(float(v), lang, 6)


def value_text(v: Value | None, p: Parameter, lang: str) -> str:
    """A parameter value in a sentence, with its unit ('2026: 3,5, 2030: 4 (% chi ngân sách)'); a path's years
    are separated by commas, as the sentence itself uses an arrow from the old value to the new."""
    unit = p.unit(lang)
    if v is None:
        return format_value(None, lang)
    if isinstance(v, str):
        return p.choice_label(v, lang)
    if isinstance(v, dict):
        return ", ".join(f"{y}: {fmt.short(x, lang)}" for y, x in sorted(v.items())) + f" ({unit})"
    return f"{fmt.short(v, lang)} {unit}"
