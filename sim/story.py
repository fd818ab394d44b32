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
        caption: {vi: "Kinh tế số đạt {digital_share_2030} GRDP năm 2030", en: "..."}
        notes: {vi: "...", en: "..."}  # optional: what the presenter says (the speaker view shows it)

A step names a scenario, or lever (and assumption) values applied to the previous step, or both (the
values are then applied to the named scenario). A value replaces the parameter's whole value (a path
replaces the previous path; it is not merged with it). The first step must name a scenario.

Story files are read like scenario files (untrusted YAML within fixed bounds, :mod:`sim.untrusted`) and
validated by a pydantic model; errors name the file and the key, e.g.
 ``stories/x.yaml: steps[2].levers.stid_budget_share.2030``.

Captions and notes carry no hand-written model numbers: a placeholder in braces is filled from the engine's
results of that step (:func:`fill`), written the language's way, so the spoken story cannot disagree with
the charts when the model changes. The placeholders (:func:`check_placeholders` refuses any other):

- ``{<metric>_<year>}``: a metric of :data:`sim.views.scorecard.METRIC_TABLE` in a year of the run, e.g.
  ``{digital_share_2030}`` (16,0 %), ``{rd_intensity_2030}``, ``{rd_nonstate_share_2030}``,
  ``{grdp_per_capita_2030}``, ``{envelope_2030}``; ``{envelope_cost_2030}`` is the cumulative cost of the
  period ending that year.
- ``{<parameter>_<year>}`` / ``{<parameter>}``: the step's own setting of a parameter in a year / as set
  (``{stid_budget_share_2030}`` → 6,1 %, ``{rd_share_of_stid}`` → 51 %; a path set by year without a year
  reads '2026: 3, 2030: 3,5 %').

``{{`` and ``}}`` write a literal brace.
"""

from __future__ import annotations

import math
import os
import re
import string
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from sim.views.i18n import T_

from .engine import Result, cost_periods, path_row, run
from .errors import InputError
from .params import Text, schema
from .paths import evaluate
from .profiles import Profile
from .scenario import Scenario, load_scenario, value_text
from .store import REPO_SCENARIOS, SUFFIX, load
from .untrusted import MAX_FILE_BYTES, StoryFile, parse_yaml, validate
from .views import fmt
from .views.scorecard import METRIC_TABLE, format_amount

STORY_DIR = Path(__file__).resolve().parents[1] / "stories"


@dataclass(frozen=True)
class Step:
    """One step of a story: a scenario reference and/or changes, with what the presenter says.

    Attributes:
        scenario: a scenario id (file name without .yaml) or None (continue from the previous step).
        changes: parameter id -> value (UI units) applied on top.
        title: a short name for the step (the step's scenario is called so).
        caption: one or two sentences the audience reads (placeholders: :func:`fill`).
        notes: what the presenter says, shown in the speaker view only (placeholders too).
    """

    title: Text
    caption: Text
    notes: Text = field(default_factory=lambda: T_(""))
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
                notes=s.notes or T_(""),
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
    """The scenario of each step (named by the step's title, described by its filled caption).

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
        scen = replace(scen, name=step.title, status="draft")
        # The caption, filled from this step's run, describes the step wherever it goes (page, meeting pack).
        out.append(replace(scen, description=filled(step.caption, scen)))
    return out


def filled(text: Text, scenario: Scenario, result: Result | None = None) -> Text:
    """A caption or note in both languages with its placeholders filled from ``scenario``'s run."""
    res = result if result is not None else run(scenario)
    return Text(**{lg: fill(text(lg), scenario, res, lg) for lg in ("vi", "en")})


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


# ---------------------------------------------------------------- placeholders in captions and notes

_NAME = re.compile(r"(?P<id>[a-z][a-z0-9_]*?)(?:_(?P<year>[0-9]{4}))?")


def placeholders(text: str) -> list[str]:
    """The placeholder names of a caption, in order ('{digital_share_2030}' -> 'digital_share_2030').

    Raises:
        InputError: an unmatched brace, or a placeholder with a format spec (``{x:>8}``) or a conversion.
    """
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise InputError(f"{exc} (write {{{{ and }}}} for a literal brace)") from None
    out = []
    for _, name, spec, conversion in parts:
        if name is None:
            continue
        if spec or conversion:
            raise InputError(f"placeholder {{{name}}} takes no format: the language's format is applied")
        out.append(name)
    return out


def _problem(name: str, prof: Profile) -> str | None:
    """Why a placeholder name is not known for a profile's runs (None: it is known)."""
    m = _NAME.fullmatch(name)
    pid, year = (m["id"], m["year"]) if m else (name, None)
    years = f"{prof.base_year}..{prof.horizon}"
    if pid in METRIC_TABLE:
        if year is None:
            return f"a result needs its year, e.g. {{{pid}_2030}}"
        if not prof.base_year <= int(year) <= prof.horizon:
            return f"year {year} is outside {years}"
        ends = [e for _, e in cost_periods(prof.base_year, prof.horizon).values()]
        if METRIC_TABLE[pid].variable is None and int(year) not in ends:
            return f"the cumulative cost is of a period ending in {', '.join(map(str, ends))}"
        return None
    p = schema().get(pid)
    if p is not None:
        if not p.path and year is not None:
            return f"{pid} has one value for every year: write {{{pid}}}"
        if year is not None and not prof.base_year <= int(year) <= prof.horizon:
            return f"year {year} is outside {years}"
        return None
    return "unknown placeholder (use <metric>_<year> such as digital_share_2030, or a parameter id)"


def check_placeholders(text: str, prof: Profile) -> None:
    """Refuse a caption whose placeholders the engine cannot fill for this profile.

    Raises:
        InputError: naming the first bad placeholder and why, e.g.
            ``placeholder {digital_share_2099}: year 2099 is outside 2024..2045``.
    """
    for name in placeholders(text):
        problem = _problem(name, prof)
        if problem:
            raise InputError(f"placeholder {{{name}}}: {problem}")


def placeholder_value(name: str, scenario: Scenario, result: Result, lang: str) -> str:
    """One placeholder's text for a step: the engine's result or the step's setting, written for ``lang``.

    Metrics read their one format (:func:`sim.views.scorecard.format_amount`: '16,0 %', '1.420 tỷ đồng');
    a parameter is its value with the first word of its unit ('6,1 %', '3 %/năm').
    """
    m = _NAME.fullmatch(name)
    pid, year = (m["id"], m["year"]) if m else (name, None)
    metric = METRIC_TABLE.get(pid)
    if metric is not None:
        x = metric.value(result, int(year))
        return format_amount(x, metric, lang, like=x)
    p = schema()[pid]
    v = scenario.value(pid)
    if p.is_choice:
        return p.choice_label(str(v), lang)
    unit = p.unit(lang)
    word = unit.split()[0] if unit.startswith("%") else unit
    if year is None:
        if isinstance(v, dict):  # a path without a year: its breakpoints ('2026: 3, 2030: 3,5 %')
            return ", ".join(f"{y}: {fmt.short(x, lang)}" for y, x in sorted(v.items())) + f" {word}"
        x = math.nan if v is None else float(v)
    else:
        prof = scenario.profile
        years = range(prof.base_year, prof.horizon + 1)
        default = prof.default(pid)
        base = math.nan if default is None else float(evaluate(default, [prof.base_year])[0])
        x = math.nan if v is None else float(path_row(v, base, years)[int(year) - prof.base_year])
    return f"{fmt.short(x, lang)} {word}"


def fill(text: str, scenario: Scenario, result: Result, lang: str) -> str:
    """A caption with its placeholders filled from the step's scenario and its engine run (see the module doc)."""
    names = placeholders(text)
    return text.format_map({n: placeholder_value(n, scenario, result, lang) for n in names})
