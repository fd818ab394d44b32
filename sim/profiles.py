"""Region profiles: base-year data, parameter defaults and official targets, each with its source."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from .errors import InputError
from .params import DATA_DIR, Sourced, Text, read_data, schema
from .views.i18n import N_

PROFILE_DIR = DATA_DIR / "profiles"
DEFAULT_PROFILE = "binh-phuoc"

Tag = Literal["official", "preliminary", "plan", "derived", "assumption"]
# DATA.md's provenance tags as users read them (translated where shown: ``gettext(TAG_WORDS[tag], lang)``).
TAG_WORDS: dict[str, str] = {
    "official": N_("official"),
    "preliminary": N_("preliminary"),
    "plan": N_("plan"),
    "derived": N_("derived"),
    "assumption": N_("assumption"),
}


class Datum(Sourced):
    """A base-year figure with its provenance."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float
    unit: str
    tag: Tag


class Fact(Sourced):
    """A figure shown in the data view but not used by the equations.

    A value or unit with words in it is written ``{vi:, en:}``; a plain string holds numbers only.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    item: Text
    value: float | str | Text
    unit: str | Text
    tag: Tag


class DefaultValue(Sourced):
    """A profile's own default for a parameter (UI units)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    value: float | dict[int, float] | str
    tag: Tag


class Base(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)
    grdp_nominal: Datum
    real_growth: Datum
    population: Datum
    rd_intensity: Datum
    digital_share: Datum


Metric = Literal[
    "digital_share",
    "rd_intensity",
    "rd_nonstate_share",
    "envelope_to_floor",
    "envelope_growth",
    "envelope_share",
    "grdp_nominal",
    "grdp_per_capita",
    "growth_avg",
]


class Target(Sourced):
    """An official target: ``metric op value`` in ``year``, or in every year after the base year (from
    ``from_year`` when the rule starts later, e.g. the 3 % budget rule from 2026)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    metric: Metric
    year: int | None
    from_year: int | None = None
    op: Literal[">="]
    value: float
    unit: str
    label: Text


class Profile(BaseModel):
    """A region: base year, horizon, base data, parameter defaults and targets."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    name: Text
    description: Text
    base_year: int
    horizon: int
    data_vintage: str
    digital_measure: Text
    base: Base
    facts: tuple[Fact, ...] = ()
    defaults: dict[str, DefaultValue] = {}
    targets: tuple[Target, ...]

    @field_validator("defaults")
    @classmethod
    def _known_parameters(cls, v: dict[str, DefaultValue]) -> dict[str, DefaultValue]:
        params = schema()
        for pid, d in v.items():
            if pid not in params:
                raise ValueError(f"unknown parameter {pid!r}")
            p = params[pid]
            values = d.value.values() if isinstance(d.value, dict) else [d.value]
            for x in values:
                p.check_value(x)
        return v

    @property
    def years(self) -> range:
        return range(self.base_year, self.horizon + 1)

    def default(self, pid: str) -> float | int | str | dict[int, float] | None:
        """The profile's default for a parameter (UI units), else the schema default."""
        if pid in self.defaults:
            return self.defaults[pid].value
        return schema()[pid].default

    def default_source(self, pid: str, lang: str = "en") -> tuple[str, str]:
        """(tag, source in ``lang``) of a parameter's default in this profile."""
        if pid in self.defaults:
            return self.defaults[pid].tag, self.defaults[pid].source_in(lang)
        # Schema defaults are literature values or judgement: both are assumptions in DATA.md's terms.
        return "assumption", schema()[pid].source_in(lang)

    def target(self, tid: str) -> Target:
        for t in self.targets:
            if t.id == tid:
                return t
        raise KeyError(tid)

    @property
    def rd_target(self) -> float:
        """The region's R&D intensity target as a fraction (for the non-state gap, docs/model.md eq. 12)."""
        for t in self.targets:
            if t.metric == "rd_intensity":
                return t.value / 100.0
        return 0.015


def list_profiles() -> list[str]:
    """Ids of the shipped profiles, the default first."""
    ids = sorted(p.stem for p in PROFILE_DIR.glob("*.yaml"))
    ids.remove(DEFAULT_PROFILE)
    return [DEFAULT_PROFILE, *ids]


@cache
def load_profile(profile_id: str = DEFAULT_PROFILE) -> Profile:
    """Load and validate a shipped profile.

    Raises:
        InputError: unknown profile id or an invalid profile file.
    """
    if profile_id not in list_profiles():
        raise InputError(f"unknown region {profile_id!r} (known: {', '.join(list_profiles())})", key="region")
    path = PROFILE_DIR / f"{profile_id}.yaml"
    try:
        return Profile.model_validate(read_data(path))
    except ValidationError as exc:
        err = exc.errors()[0]
        raise InputError(err["msg"], source=str(path), key=".".join(map(str, err["loc"]))) from None
