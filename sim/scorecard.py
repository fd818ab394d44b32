"""The whole scorecard of the action programme: core targets, illustrative adoption curves, entered ranks.

Three kinds of line, and every view says which kind a line is:

- ``core``: the targets of the projection model (MODEL.md §4, :func:`sim.targets.evaluate_all`).
- ``modelled``: adoption rates (online public services, digital citizens, 5G coverage, ...) modelled as
  logistic diffusion curves driven by digital-transformation spending, in the form of MODEL.md eq. 10.
  Their base levels, ceilings and speeds are ILLUSTRATIVE assumptions (``data/scorecard.yaml``): no
  provincial series exists, so they show the direction of the effect, not a forecast.
- ``entered``: national rankings (DTI, PII) that no model here can predict; the user enters the rank
  achieved or expected.

Only regions with such targets in DATA.md have modelled or entered lines; the others show core lines only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from typing import Literal

import numpy as np
import yaml
from pydantic import BaseModel, ConfigDict, Field

from . import fmt
from .engine import Result
from .errors import InputError
from .params import DATA_DIR, Text
from .profiles import Profile
from .targets import evaluate_all

SCORECARD_FILE = DATA_DIR / "scorecard.yaml"
INTENSITY_VAR = "Digital Transformation|Investment Intensity"
K_MAX = 1.0  # as in the engine: the discrete logistic never overshoots its ceiling

Kind = Literal["core", "modelled", "entered"]
KIND_LABEL: dict[str, Text] = {
    "core": Text(vi="Mô hình lõi", en="Core model"),
    "modelled": Text(vi="Mô phỏng minh họa", en="Modelled (illustrative)"),
    "entered": Text(vi="Nhập tay", en="Entered"),
}
RANK_STATUSES = ("achieved", "expected")


class AdoptionTarget(BaseModel):
    """``value op target`` in ``year``; ``met_from`` where a logistic curve can only approach the target."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    year: int
    op: Literal[">", ">="]
    value: float
    met_from: float | None = None

    def holds(self, x: np.ndarray | float) -> np.ndarray:
        if self.met_from is not None:
            return np.asarray(x) >= self.met_from
        return np.asarray(x) > self.value if self.op == ">" else np.asarray(x) >= self.value


class Indicator(BaseModel):
    """An adoption rate (percent) on a logistic diffusion curve (illustrative parameters).

    Attributes:
        base: level in the profile's base year (%).
        ceiling: saturation level (%).
        base_speed: diffusion speed with no extra digital spending (1/yr).
        sensitivity: extra speed per percentage point of GRDP of digital investment above the base year
            (1/yr per pp).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Text
    unit: Text
    base: float = Field(gt=0)
    ceiling: float = Field(gt=0, le=100)
    base_speed: float = Field(ge=0, le=K_MAX)
    sensitivity: float = Field(ge=0)
    target: AdoptionTarget
    tag: Literal["assumption"]
    base_source: str
    source: str


class RankTarget(BaseModel):
    """A national ranking target (entered, not modelled): rank ≤ ``top`` by ``year``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str
    label: Text
    top: int = Field(ge=1)
    year: int
    last_known: Text
    source: str


class RegionScorecard(BaseModel):
    """The extra scorecard lines of one region profile."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    note: Text
    indicators: tuple[Indicator, ...] = ()
    ranks: tuple[RankTarget, ...] = ()


@cache
def load_spec() -> dict[str, RegionScorecard]:
    """Every region's extra scorecard lines, from ``data/scorecard.yaml``."""
    raw = yaml.safe_load(SCORECARD_FILE.read_text(encoding="utf-8")) or {}
    return {region: RegionScorecard.model_validate(v) for region, v in raw.items()}


def region_spec(region: str) -> RegionScorecard | None:
    """The extra lines of a region, or None when DATA.md lists no such targets for it."""
    return load_spec().get(region)


# ------------------------------------------------------------------ diffusion


def diffusion(base: float, ceiling: float, base_speed: float, sensitivity: float, intensity: np.ndarray) -> np.ndarray:
    """Adoption rate on a logistic diffusion curve driven by digital-investment intensity.

    ``k_t = clip(base_speed + sensitivity · 100 · (x_{t−1} − x_0), 0, 1)`` and
    ``a_t = a_{t−1} + k_t · a_{t−1} · (1 − a_{t−1}/ceiling)``, ``a_0 = base`` (MODEL.md eq. 10's form).

    Args:
        base: level in the first year (%).
        ceiling: saturation level (%).
        base_speed: speed with no extra spending (1/yr).
        sensitivity: extra speed per pp of GRDP of digital investment above the first year.
        intensity: digital-investment intensity x (fraction of GRDP), shape (years,) or (draws, years).

    Returns:
        The adoption rate (%), same shape as ``intensity``.
    """
    x = np.atleast_2d(np.asarray(intensity, dtype=float))
    x_prev = np.concatenate([x[:, :1], x[:, :-1]], axis=1)
    k = np.clip(base_speed + sensitivity * 100.0 * (x_prev - x[:, :1]), 0.0, K_MAX)
    out = np.empty_like(x)
    a = np.full(x.shape[0], float(base))
    out[:, 0] = a
    for t in range(1, x.shape[1]):
        a = a + k[:, t] * a * (1.0 - a / ceiling)
        out[:, t] = a
    return out if np.ndim(intensity) == 2 else out[0]


def adoption(result: Result, indicator: Indicator) -> np.ndarray:
    """An indicator's path for every draw of a result (draws, years), in percent."""
    return diffusion(
        indicator.base, indicator.ceiling, indicator.base_speed, indicator.sensitivity, result[INTENSITY_VAR]
    )


def adoption_paths(result: Result, region: str) -> dict[str, np.ndarray]:
    """Every modelled indicator of a region: id -> (draws, years) in percent (empty if none)."""
    spec = region_spec(region)
    return {i.id: adoption(result, i) for i in spec.indicators} if spec else {}


# ------------------------------------------------------------------ entered ranks


@dataclass(frozen=True)
class RankStatus:
    """A rank the user entered: ``rank`` achieved or expected (in ``year``, optional)."""

    rank: int
    status: Literal["achieved", "expected"] = "expected"
    year: int | None = None


_RANK_RE = re.compile(r"^\s*(?P<id>[a-z0-9_]+)\s*=\s*(?P<rank>[^:]+?)\s*(?::\s*(?P<status>[a-z]+)\s*)?$")


def parse_rank(text: str, region: str, source: str = "--rank") -> tuple[str, RankStatus]:
    """Parse ``ID=RANK[:achieved|expected]`` (e.g. ``dti_rank=7:expected``).

    Raises:
        InputError: an unknown id, a rank that is not a whole number from 1 to 63, or an unknown status.
    """
    m = _RANK_RE.match(text or "")
    if not m:
        raise InputError(f"{text!r} is not ID=RANK[:achieved|expected], e.g. dti_rank=7:expected", source)
    rid = m["id"]
    spec = region_spec(region)
    known = [r.id for r in spec.ranks] if spec else []
    if rid not in known:
        raise InputError(f"unknown rank target {rid!r} for {region} (known: {', '.join(known) or 'none'})", source, rid)
    return rid, check_rank(m["rank"], m["status"] or "expected", source, rid)


def check_rank(rank: object, status: object = "expected", source: str = "rank", key: str = "rank") -> RankStatus:
    """Validate an entered rank (1 to 63: the number of provinces before the 2025 merger)."""
    try:
        r = int(str(rank).strip())
    except ValueError:
        raise InputError(f"rank {rank!r} is not a whole number", source, key) from None
    if not 1 <= r <= 63:
        raise InputError(f"rank {r} is outside 1..63", source, key)
    if status not in RANK_STATUSES:
        raise InputError(f"status {status!r} is not one of {', '.join(RANK_STATUSES)}", source, key)
    return RankStatus(rank=r, status=status)  # type: ignore[arg-type]


# ------------------------------------------------------------------ the scorecard


@dataclass(frozen=True)
class Line:
    """One line of the scorecard, for one draw.

    Attributes:
        kind: ``core`` (projection model), ``modelled`` (illustrative diffusion curve) or ``entered``.
        year: the target year; None for a target that must hold every year.
        value: the value reached (the worst year for an every-year target; the rank for an entered line;
            None when nothing was entered).
        target: the target value (the rank ``top`` for entered lines).
        op: the comparison ('>=', '>', '<=' for ranks).
        unit: the unit of value and target ('%', 'bn VND', 'rank', ...).
        met: True / False; None for an entered line without an entry.
        first_year_met: first year the target holds (None: never or unknown).
        note: what the user should know (illustrative, the entered status, the last known rank).
    """

    id: str
    kind: Kind
    label: Text
    year: int | None
    value: float | None
    target: float
    op: str
    unit: str
    met: bool | None
    gap: float | None
    first_year_met: int | None
    source: str
    note: Text | None = None

    def kind_label(self, lang: str) -> str:
        return KIND_LABEL[self.kind](lang)

    def status_text(self, lang: str) -> str:
        if self.met is None:
            return "chưa nhập" if lang == "vi" else "not entered"
        if self.met:
            return "đạt" if lang == "vi" else "met"
        return "chưa đạt" if lang == "vi" else "not met"

    def value_text(self, lang: str) -> str:
        # One decimal more than the target is written with: 30 -> '30,2 %', 1.5 -> '1,12 %'.
        decimals = _decimals(self.target) + 1 if self.unit.startswith("%") else None
        return value_text(self.value, self.unit, lang, decimals)

    def target_text(self, lang: str) -> str:
        if self.unit == "rank":
            return f"top {self.target:g}" if lang == "en" else f"nhóm {self.target:g}"
        return f"{OP_SIGN.get(self.op, self.op)} {value_text(self.target, self.unit, lang, _decimals(self.target))}"

    def year_text(self, lang: str) -> str:
        if self.year is None:
            return "mọi năm" if lang == "vi" else "every year"
        return str(self.year)


OP_SIGN = {">=": "≥", "<=": "≤", ">": ">"}


def _decimals(x: float) -> int:
    """As many decimals as a target is written with (30 -> 0, 1.5 -> 1)."""
    return next((d for d in range(4) if abs(round(x, d) - x) < 1e-9), 4)


_UNIT_WORDS: dict[str, tuple[str, str]] = {
    # unit -> (vi suffix, en suffix) after a percent number
    "% of floor": (" mức sàn", " of the floor"),
    "%/yr": ("/năm", "/yr"),
    "% of budget": (" chi ngân sách", " of budget"),
}


def value_text(value: float | None, unit: str, lang: str, decimals: int | None = None) -> str:
    """A target value in its unit, formatted for the language (e.g. '30,2 %', '1.234 tỷ đồng')."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    if unit == "rank":
        return f"{value:g}" if lang == "en" else f"hạng {value:g}"
    if unit == "bn VND":
        return fmt.money(value, lang, decimals)
    if unit == "million VND":
        return fmt.million(value, lang, 1 if decimals is None else decimals)
    if unit.startswith("%"):
        words = _UNIT_WORDS.get(unit)
        return fmt.percent(value, lang, decimals) + (words[0 if lang == "vi" else 1] if words else "")
    return f"{fmt.number(value, lang, 2 if decimals is None else decimals)} {unit}"


def core_lines(result: Result, profile: Profile, draw: int = 0) -> list[Line]:
    """The projection model's targets (MODEL.md §4) as scorecard lines."""
    out = []
    for tr in evaluate_all(result, profile):
        t = tr.target
        fy = int(tr.first_year_met[draw])
        out.append(
            Line(
                id=t.id,
                kind="core",
                label=t.label,
                year=t.year,
                value=float(tr.value[draw]),
                target=t.value,
                op=t.op,
                unit="%" if t.unit == "%" else t.unit,
                met=bool(tr.met[draw]),
                gap=float(tr.gap[draw]),
                first_year_met=fy or None,
                source=t.source,
            )
        )
    return out


def modelled_lines(result: Result, region: str, draw: int = 0) -> list[Line]:
    """The illustrative adoption curves of a region as scorecard lines (empty if it has none)."""
    spec = region_spec(region)
    if spec is None:
        return []
    years = result.years
    out = []
    for ind in spec.indicators:
        path = adoption(result, ind)[draw]
        t = ind.target
        if not years[0] <= t.year <= years[-1]:
            continue
        value = float(path[t.year - years[0]])
        holds = ind.target.holds(path)
        first = int(years[holds.argmax()]) if holds.any() else None
        met = bool(holds[t.year - years[0]])
        out.append(
            Line(
                id=ind.id,
                kind="modelled",
                label=ind.label,
                year=t.year,
                value=value,
                target=t.value,
                op=t.op,
                unit="%",
                met=met,
                gap=max(0.0, (t.met_from if t.met_from is not None else t.value) - value) if not met else 0.0,
                first_year_met=first,
                source=ind.source,
                note=Text(
                    vi=f"Năm gốc {fmt.percent(ind.base, 'vi')}, trần {fmt.percent(ind.ceiling, 'vi')} — "
                    f"{ind.base_source}",
                    en=f"Base {fmt.percent(ind.base, 'en')}, ceiling {fmt.percent(ind.ceiling, 'en')} — "
                    f"{ind.base_source}",
                ),
            )
        )
    return out


def entered_lines(region: str, ranks: Mapping[str, RankStatus] | None = None) -> list[Line]:
    """The rank targets of a region, with the ranks the user entered (not modelled)."""
    spec = region_spec(region)
    if spec is None:
        return []
    ranks = ranks or {}
    out = []
    for r in spec.ranks:
        st = ranks.get(r.id)
        if st is None:
            note = Text(vi=f"Chưa nhập. Gần nhất: {r.last_known.vi}", en=f"Not entered. Last known: {r.last_known.en}")
        else:
            when = f" ({st.year})" if st.year else ""
            note = Text(
                vi=("đã đạt" if st.status == "achieved" else "dự kiến") + when + f". Gần nhất: {r.last_known.vi}",
                en=st.status + when + f". Last known: {r.last_known.en}",
            )
        out.append(
            Line(
                id=r.id,
                kind="entered",
                label=r.label,
                year=r.year,
                value=float(st.rank) if st else None,
                target=float(r.top),
                op="<=",
                unit="rank",
                met=(st.rank <= r.top) if st else None,
                gap=float(max(0, st.rank - r.top)) if st else None,
                first_year_met=None,
                source=r.source,
                note=note,
            )
        )
    return out


def scorecard(
    result: Result, profile: Profile, ranks: Mapping[str, RankStatus] | None = None, draw: int = 0
) -> list[Line]:
    """Every line of the region's scorecard: core targets, then modelled adoption curves, then entered ranks."""
    return [
        *core_lines(result, profile, draw),
        *modelled_lines(result, profile.id, draw),
        *entered_lines(profile.id, ranks),
    ]


def illustrative_note(region: str, lang: str) -> str | None:
    """The region's note on the illustrative lines (None when it has none)."""
    spec = region_spec(region)
    return spec.note(lang).strip() if spec and spec.indicators else None
