"""The parameter schema: one data file (``data/parameters.yaml``) feeds validation, sliders, links, analysis and docs.

Every fact about a parameter lives in that file: label, unit, range, slider step, where and in which order
its slider is shown, its short code in shareable links, whether goal seek may move it, how far the tornado
chart swings it, its uncertainty. Adding a lever touches that file and nothing else.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

DATA_DIR = Path(__file__).parent / "data"
SCHEMA_FILE = DATA_DIR / "parameters.yaml"

try:  # libyaml: the same safe loader in C (shipped files load ~10 × faster; untrusted files parse ~50 × faster)
    SAFE_LOADER: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    SAFE_LOADER = yaml.SafeLoader


def read_data(path: Path) -> Any:
    """One of the project's own data files (YAML), read with PyYAML's safe loader."""
    return yaml.load(path.read_text(encoding="utf-8"), Loader=SAFE_LOADER)


Kind = Literal["lever", "assumption"]
View = Literal["simple", "advanced"]
DEFAULT_SLIDER_YEARS = (2026, 2030, 2045)


class Text(BaseModel):
    """A text in Vietnamese and English."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    vi: str
    en: str

    def __call__(self, lang: str) -> str:
        return self.vi if lang == "vi" else self.en


class Sourced(BaseModel):
    """A fact with its source: a citation (one string, the same in both languages) or ``{vi:, en:}`` prose.

    ``source`` is the English text (exports and the command line); ``source_in(lang)`` the text to show.
    """

    source_text: Text = Field(alias="source")

    @field_validator("source_text", mode="before")
    @classmethod
    def _citation(cls, v: object) -> object:
        return {"vi": v, "en": v} if isinstance(v, str) else v

    @property
    def source(self) -> str:
        return self.source_text.en

    def source_in(self, lang: str) -> str:
        """The source in ``lang``."""
        return self.source_text(lang)


class Spread(BaseModel):
    """Uncertainty: a triangular shift (mode 0) added to the scenario's value.

    ``low``/``high`` are in UI units, or, with ``relative``, in percent of the profile's base-year value of the
    parameter (so that a budget/GRDP spread fits a province at 10 % and a nation at 20 % alike).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    low: float
    high: float
    relative: bool = False


class Slider(BaseModel):
    """Where and how a parameter's slider is shown (the Simulate page's levers or assumptions panel).

    Attributes:
        order: position in its panel (levers and assumptions apart); unset: after the ordered ones, in
            file order.
        view: 'simple' (shown in the simple view too) or 'advanced' (only in the advanced view).
        years: for a path parameter, the years that get a slider; empty: one slider for every projected year.
        simple_years: the years shown in the simple view (default: all of ``years``).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    order: int | None = None
    view: View = "simple"
    years: tuple[int, ...] = DEFAULT_SLIDER_YEARS
    simple_years: tuple[int, ...] | None = None


@dataclass(frozen=True)
class SliderSpec:
    """One parameter's control, framework-free (the UI draws it, tests read it).

    Attributes:
        pid: parameter id.
        mode: 'anchored' (a path: one slider per year, anchored at the base-year value), 'points' (a
            calibrated path: each slider sets one breakpoint), 'flat' (a path set by one value for every
            projected year), 'scalar' (one number) or 'choice'.
        years: the years with a slider (anchored / points), else empty.
        simple_years: what the simple view shows: those years (anchored / points; empty for the other
            modes), or None when the control is shown only in the advanced view.
    """

    pid: str
    mode: str
    years: tuple[int, ...] = ()
    simple_years: tuple[int, ...] | None = ()

    @property
    def simple(self) -> bool:
        """Shown in the simple view (else only in the advanced view)."""
        return self.simple_years is not None


class Parameter(Sourced):
    """One model input as users see it.

    Values are in the UI unit; ``scale`` converts them to the unit of the equations.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    kind: Kind
    path: bool
    code: str = Field(pattern=r"^[a-z]{1,3}$")
    slider: Slider = Slider()
    goal_seek: bool = False
    swing: float | None = Field(default=None, gt=0)
    label: Text
    unit: Text
    help: Text
    default: float | int | str | dict[int, float] | None
    scale: float = 1.0
    min: float | None = None
    max: float | None = None
    step: float | None = None
    integer: bool = False
    calibrated: bool = False
    choices: tuple[str, ...] | None = None
    choice_labels: dict[str, Text] | None = None
    uncertainty: Spread | None = None

    @property
    def is_choice(self) -> bool:
        return self.choices is not None

    @model_validator(mode="after")
    def _facts_fit(self) -> Parameter:
        if (self.goal_seek or self.swing is not None) and (self.kind != "lever" or self.is_choice):
            raise ValueError("goal_seek and swing are for numeric levers only")
        unknown = set(self.choice_labels or {}) - set(self.choices or ())
        if unknown:
            raise ValueError(f"choice_labels for choices that do not exist: {', '.join(sorted(unknown))}")
        return self

    @property
    def decimals(self) -> int:
        """Decimals a value is shown and stored with, from the slider step (0.1 -> 1, 0.05 -> 2, 1 -> 0)."""
        if self.step is None or self.integer or self.step >= 1:
            return 0
        return max(0, -math.floor(math.log10(self.step) + 1e-9))

    def choice_label(self, choice: str, lang: str) -> str:
        """A choice as users read it in ``lang`` (the choice's id where the schema gives no label)."""
        label = (self.choice_labels or {}).get(choice)
        return label(lang) if label is not None else choice

    def slider_spec(self) -> SliderSpec:
        """How this parameter's control is drawn (see :class:`SliderSpec`)."""
        sl = self.slider
        if self.is_choice or not self.path or not sl.years:
            mode = "choice" if self.is_choice else "scalar" if not self.path else "flat"
            return SliderSpec(self.id, mode, (), None if sl.view == "advanced" else ())
        simple = sl.years if sl.simple_years is None else sl.simple_years
        mode = "points" if self.calibrated else "anchored"
        return SliderSpec(self.id, mode, sl.years, None if sl.view == "advanced" else simple)

    def range_text(self) -> str:
        if self.is_choice:
            return " | ".join(self.choices or ())
        return f"{_num(self.min)} to {_num(self.max)}"

    def check_value(self, value: object) -> float | int | str:
        """Validate one value in UI units; return it (as int for integer parameters).

        Raises:
            ValueError: with a message that names the value and the allowed range.
        """
        if self.is_choice:
            if not isinstance(value, str) or value not in (self.choices or ()):
                raise ValueError(f"{value!r} is not one of {', '.join(self.choices or ())}")
            return value
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected a number, got {type(value).__name__} {value!r}")
        if not math.isfinite(value):
            raise ValueError(f"{value} is not a finite number")
        if self.integer and float(value) != int(value):
            raise ValueError(f"{value} must be a whole number")
        assert self.min is not None and self.max is not None
        if not (self.min <= value <= self.max):
            raise ValueError(f"{_num(value)} is outside the allowed range {self.range_text()} ({self.unit.en})")
        return int(value) if self.integer else float(value)


def _num(x: float | None) -> str:
    from .views import fmt  # here: the formatter's catalog lookup imports this module

    return "?" if x is None else fmt.short(x, "en")


@cache
def schema() -> dict[str, Parameter]:
    """All parameters by id, in the order of the data file (:data:`SCHEMA_FILE`).

    Raises:
        ValueError: one line naming the file, the parameter and the problem (a missing or repeated link
            code, an unknown field, a value of the wrong type).
    """
    return load_schema(SCHEMA_FILE)


def load_schema(path: Path) -> dict[str, Parameter]:
    """Read and check a parameter schema file (see :func:`schema`)."""
    raw = read_data(path)
    params: dict[str, Parameter] = {}
    codes: dict[str, str] = {}
    for i, entry in enumerate(raw):
        name = entry.get("id", f"entry {i + 1}") if isinstance(entry, dict) else f"entry {i + 1}"
        try:
            p = Parameter.model_validate(entry)
        except ValidationError as exc:
            err = exc.errors()[0]
            where = ": ".join([name, ".".join(str(x) for x in err["loc"])] if err["loc"] else [name])
            raise ValueError(f"{path.name}: {where}: {err['msg']}") from None
        if p.id in params:
            raise ValueError(f"{path.name}: {p.id}: the id appears twice")
        if p.code in codes:
            raise ValueError(f"{path.name}: {p.id}: link code {p.code!r} is already {codes[p.code]}'s")
        params[p.id], codes[p.code] = p, p.id
    return params


def by_code() -> dict[str, str]:
    """Parameter id by its short code in shareable links."""
    return {p.code: p.id for p in schema().values()}


def slider_specs(kind: Kind) -> tuple[SliderSpec, ...]:
    """The controls of one panel (levers or assumptions), in the schema's slider order."""
    ps = [p for p in schema().values() if p.kind == kind]
    ranked = sorted(enumerate(ps), key=lambda ip: (ip[1].slider.order is None, ip[1].slider.order or 0, ip[0]))
    return tuple(p.slider_spec() for _, p in ranked)


def seek_levers() -> tuple[str, ...]:
    """Ids of the levers goal seek may move (``goal_seek: true``), in schema order."""
    return tuple(p.id for p in schema().values() if p.goal_seek)


def lever_swings() -> dict[str, float]:
    """The tornado chart's ± swing of each lever that has one (UI units), in schema order."""
    return {p.id: p.swing for p in schema().values() if p.swing is not None}


def levers() -> list[Parameter]:
    return [p for p in schema().values() if p.kind == "lever"]


def assumptions() -> list[Parameter]:
    return [p for p in schema().values() if p.kind == "assumption"]


def path_ids() -> tuple[str, ...]:
    """Ids of the time-varying parameters (year-keyed paths)."""
    return tuple(p.id for p in schema().values() if p.path)


def scalar_ids() -> tuple[str, ...]:
    """Ids of the numeric parameters that hold for the whole run."""
    return tuple(p.id for p in schema().values() if not p.path and not p.is_choice)
