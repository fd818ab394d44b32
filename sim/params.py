"""The parameter schema: one data file (``data/parameters.yaml``) feeds validation, sliders and docs."""

from __future__ import annotations

import math
from functools import cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, field_validator

DATA_DIR = Path(__file__).parent / "data"

Kind = Literal["lever", "assumption"]


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


class Parameter(Sourced):
    """One model input as users see it.

    Values are in the UI unit; ``scale`` converts them to the unit of the equations.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    kind: Kind
    path: bool
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
    uncertainty: Spread | None = None

    @property
    def is_choice(self) -> bool:
        return self.choices is not None

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
    """All parameters by id, in the order of the data file."""
    raw = yaml.safe_load((DATA_DIR / "parameters.yaml").read_text(encoding="utf-8"))
    params = [Parameter.model_validate(p) for p in raw]
    return {p.id: p for p in params}


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
