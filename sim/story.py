"""Stories for meetings: a list of steps stored as data (``stories/*.yaml``), each one scenario.

A story file::

    title: {vi: "...", en: "..."}
    region: binh-phuoc
    description: {vi: "...", en: "..."}
    steps:
      - scenario: baseline            # a scenario of the library (its id: the file name without .yaml)
        title: {vi: "...", en: "..."}
        caption: {vi: "...", en: "..."}
      - levers:                       # changes applied to the previous step's scenario
          stid_budget_share: {2026: 3.0, 2030: 3.5}
        title: ...
        caption: ...

A step names a scenario, or lever (and assumption) values applied to the previous step, or both (the
values are then applied to the named scenario). A value replaces the parameter's whole value (a path
replaces the previous path; it is not merged with it). The first step must name a scenario.

Story files are read like scenario files (untrusted YAML within fixed bounds, :mod:`sim.untrusted`) and
validated by a pydantic model; errors name the file and the key, e.g.
 ``stories/x.yaml: steps[2].levers.stid_budget_share.2030``.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.views.i18n import T_

from .errors import InputError
from .params import Text, schema
from .scenario import Scenario, load_scenario, value_text
from .store import REPO_SCENARIOS, SUFFIX, load
from .untrusted import MAX_FILE_BYTES, StoryFile, parse_yaml, validate
from .views import fmt

STORY_DIR = Path(__file__).resolve().parents[1] / "stories"


@dataclass(frozen=True)
class Step:
    """One step of a story: a scenario reference and/or changes, with what the presenter says.

    Attributes:
        scenario: a scenario id (file name without .yaml) or None (continue from the previous step).
        changes: parameter id -> value (UI units) applied on top.
        title: a short name for the step (the step's scenario is called so).
        caption: one or two sentences the audience reads.
    """

    title: Text
    caption: Text
    scenario: str | None = None
    changes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Story:
    """A named list of steps for one region."""

    id: str
    title: Text
    region: str
    description: Text
    steps: tuple[Step, ...]
    source: str = "story"


@dataclass(frozen=True)
class Change:
    """A parameter that differs between two consecutive steps (values formatted for a language)."""

    id: str
    label: str
    before: str
    after: str

    def __str__(self) -> str:
        return f"{self.label}: {self.before} → {self.after}"


def from_dict(data: Any, source: str = "story", story_id: str = "story") -> Story:
    """Validate a parsed story mapping (the pydantic model :class:`sim.untrusted.StoryFile`).

    Raises:
        InputError: naming the source, the key and the problem.
    """
    f = validate(StoryFile, data, source, "story")
    return Story(
        id=story_id,
        title=f.title,
        region=f.region,
        description=f.description or T_(""),
        steps=tuple(
            Step(
                title=s.title,
                caption=s.caption,
                scenario=s.scenario,
                changes={**(s.levers or {}), **(s.assumptions or {})},
            )
            for s in f.steps
        ),
        source=source,
    )


def loads_story(text: str | bytes, source: str = "story", story_id: str = "story") -> Story:
    """Parse and validate a story from YAML text (untrusted: same safeguards as scenario files)."""
    return from_dict(parse_yaml(text, source), source, story_id)


def load_story(path: str | os.PathLike[str]) -> Story:
    """Load a story file.

    Raises:
        InputError: a missing, oversized or invalid file, naming the file, the key and the problem.
    """
    p = Path(path)
    source = str(path)
    if not p.is_file():
        raise InputError("no such story file", source)
    if p.stat().st_size > MAX_FILE_BYTES:
        raise InputError(f"the file is larger than {fmt.number(MAX_FILE_BYTES, 'en')} bytes", source)
    return loads_story(p.read_bytes(), source, p.stem)


def list_stories(folder: Path | None = None) -> list[Path]:
    """The story files of a folder (default: the repository's ``stories/``), sorted by name."""
    d = folder or STORY_DIR
    return sorted(d.glob(f"*{SUFFIX}")) if d.is_dir() else []


def _load_ref(ref: str, source: str, key: str) -> Scenario:
    """A step's scenario: the shipped preset of that id (stable), else the user's library."""
    try:
        preset = REPO_SCENARIOS / f"{ref}{SUFFIX}"
        if preset.is_file():
            return load_scenario(preset)
        return load(ref)
    except InputError as exc:
        raise InputError(f"scenario {ref!r}: {exc}", source, key) from None


def build_steps(story: Story) -> list[Scenario]:
    """The scenario of each step (named by the step's title).

    Raises:
        InputError: a step names a missing or invalid scenario, or one of another region.
    """
    out: list[Scenario] = []
    for i, step in enumerate(story.steps):
        if step.scenario is not None:
            scen = _load_ref(step.scenario, story.source, f"steps[{i}].scenario")
            if scen.region != story.region:
                raise InputError(
                    f"scenario {step.scenario!r} is for {scen.region}, the story for {story.region}",
                    story.source,
                    f"steps[{i}].scenario",
                )
        else:
            scen = out[-1]
        if step.changes:
            scen = scen.with_changes(**step.changes)
        out.append(replace(scen, name=step.title, description=step.caption, status="draft"))
    return out


def step_changes(before: Scenario | None, after: Scenario, lang: str = "vi") -> list[Change]:
    """What a step changes against the previous one: every parameter whose effective value differs."""
    if before is None:
        return []
    out = []
    for pid, p in schema().items():
        a, b = before.value(pid), after.value(pid)
        if _same(a, b):
            continue
        out.append(Change(pid, p.label(lang), value_text(a, p, lang), value_text(b, p, lang)))
    return out


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a == b
    return a == b
