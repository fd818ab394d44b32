"""Scenarios: metadata plus changes to a profile's defaults (docs/model.md, scenario files).

Scenario files are untrusted (e-mailed, uploaded, pasted): they are size-limited, parsed with
``yaml.safe_load`` after refusing aliases, and validated key by key with messages that name the key.
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

from .atomic import atomic_write
from .errors import InputError
from .params import Parameter, Text, schema
from .profiles import DEFAULT_PROFILE, Profile, list_profiles, load_profile
from .views import fmt
from .views.i18n import ngettext

MAX_FILE_BYTES = 1_000_000
MAX_YAML_EVENTS = 20_000
TOP_KEYS = ("name", "region", "description", "author", "status", "model_version", "levers", "assumptions")
# How scenario paths are read (docs/model.md). Version 2: a path runs from the base-year value to its first
# breakpoint. Version 1 held the first breakpoint's value from the year after the base year (enterprise R&D
# excepted, which already ramped). Files without the key were written for version 1.
MODEL_VERSION = 2
RAMPED_IN_V1 = ("enterprise_rd_intensity",)
log = logging.getLogger("sim")
STATUSES = ("draft", "approved")

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
    description: Text = field(default_factory=lambda: Text(vi="", en=""))
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
            "name": {"vi": self.name.vi, "en": self.name.en},
            "region": self.region,
            "description": {"vi": self.description.vi, "en": self.description.en},
            "author": self.author,
            "status": self.status,
            "model_version": MODEL_VERSION,
        }
        out["levers"] = {k: plain(self.levers[k]) for k in order if k in self.levers}
        out["assumptions"] = {k: plain(self.assumptions[k]) for k in order if k in self.assumptions}
        return out

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), allow_unicode=True, sort_keys=False, width=100, default_flow_style=None)

    def content_hash(self) -> str:
        """Short hash of what the scenario computes (region and changes, not names or notes)."""
        body = json.dumps(
            {"region": self.region, "levers": self.to_dict()["levers"], "assumptions": self.to_dict()["assumptions"]},
            sort_keys=True,
            ensure_ascii=True,
        )
        return hashlib.sha256(body.encode()).hexdigest()[:10]


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
        name=Text(vi=f"Kịch bản cơ sở – {prof.name.vi}", en=f"Baseline – {prof.name.en}"),
        region=region,
        description=Text(vi="Mọi giá trị mặc định của hồ sơ.", en="Every default of the profile."),
    )


# ---------------------------------------------------------------- validation


def parse_text(v: Any, source: str, key: str) -> Text:
    """A text field of a file: a plain string (both languages) or {vi: ..., en: ...}; InputError otherwise."""
    if isinstance(v, str):
        return Text(vi=v, en=v)
    if isinstance(v, dict):
        extra = set(v) - {"vi", "en"}
        if extra:
            raise InputError(f"unknown language key {sorted(map(str, extra))[0]!r} (use vi and en)", source, key)
        for lang in ("vi", "en"):
            if lang in v and not isinstance(v[lang], str):
                raise InputError(f"{lang} must be text", source, f"{key}.{lang}")
        vi, en = v.get("vi"), v.get("en")
        if vi is None and en is None:
            raise InputError("needs a vi or en text", source, key)
        return Text(vi=vi if vi is not None else en, en=en if en is not None else vi)
    raise InputError(f"expected text or {{vi: ..., en: ...}}, got {type(v).__name__}", source, key)


def _year(y: Any, prof: Profile, source: str, key: str) -> int:
    if isinstance(y, bool):
        raise InputError(f"year {y!r} is not a year", source, key)
    if isinstance(y, str) and y.strip().isdigit():
        y = int(y.strip())
    if not isinstance(y, int):
        raise InputError(f"year {y!r} is not a whole year", source, key)
    if not prof.base_year <= y <= prof.horizon:
        raise InputError(f"year {y} is outside {prof.base_year}..{prof.horizon}", source, f"{key}.{y}")
    return y


def check_value(p: Parameter, v: Any, prof: Profile, source: str, key: str) -> Value:
    """Validate one scenario value (a number, a path or a choice) for parameter ``p``."""
    if isinstance(v, dict):
        if not p.path:
            raise InputError("takes one value, not a year-keyed path", source, key)
        if not v:
            raise InputError("a path needs at least one year", source, key)
        out: dict[int, float] = {}
        for y, x in v.items():
            yy = _year(y, prof, source, key)
            try:
                out[yy] = p.check_value(x)  # type: ignore[assignment]
            except ValueError as exc:
                raise InputError(str(exc), source, f"{key}.{yy}") from None
        return dict(sorted(out.items()))
    try:
        return p.check_value(v)
    except ValueError as exc:
        raise InputError(str(exc), source, key) from None


def check_top_level(data: Any, allowed: tuple[str, ...], source: str) -> None:
    """A parsed file must be a non-empty mapping whose keys are all in ``allowed`` (InputError otherwise)."""
    if data is None:
        raise InputError("the file is empty", source)
    if not isinstance(data, dict):
        raise InputError(f"expected a mapping of keys ({', '.join(allowed)}), got {type(data).__name__}", source)
    for k in data:
        if k not in allowed:
            raise InputError(f"unknown key (allowed: {', '.join(allowed)})", source, str(k))


def from_dict(data: Any, source: str = "scenario") -> Scenario:
    """Validate a parsed scenario mapping.

    Raises:
        InputError: naming the source, the key and the problem.
    """
    check_top_level(data, TOP_KEYS, source)
    if "name" not in data:
        raise InputError("a scenario needs a name", source, "name")
    name = parse_text(data["name"], source, "name")
    region = data.get("region", DEFAULT_PROFILE)
    if not isinstance(region, str) or region not in list_profiles():
        raise InputError(f"unknown region {region!r} (known: {', '.join(list_profiles())})", source, "region")
    prof = load_profile(region)
    raw_desc = data.get("description")
    desc = parse_text(raw_desc, source, "description") if raw_desc is not None else Text(vi="", en="")
    author = data.get("author", "") or ""
    if not isinstance(author, str):
        raise InputError("author must be text", source, "author")
    status = data.get("status", "draft")
    if status not in STATUSES:
        raise InputError(f"{status!r} is not one of {', '.join(STATUSES)}", source, "status")
    version = data.get("model_version", 1)
    if isinstance(version, bool) or version not in range(1, MODEL_VERSION + 1):
        raise InputError(
            f"{version!r} is not a model version this program reads (1 to {MODEL_VERSION})", source, "model_version"
        )
    params = schema()
    groups: dict[str, dict[str, Value]] = {}
    for group, kind in (("levers", "lever"), ("assumptions", "assumption")):
        raw = data.get(group) or {}
        if not isinstance(raw, dict):
            raise InputError("expected a mapping of parameter ids to values", source, group)
        out: dict[str, Value] = {}
        for pid, v in raw.items():
            key = f"{group}.{pid}"
            if pid not in params:
                raise InputError("unknown parameter id", source, key)
            p = params[pid]
            if p.kind != kind:
                other = "levers" if p.kind == "lever" else "assumptions"
                raise InputError(
                    f"is {'a lever' if p.kind == 'lever' else 'an assumption'}: put it under {other}", source, key
                )
            out[pid] = check_value(p, v, prof, source, key)
        groups[group] = out
    ceiling = groups["assumptions"].get("digital_ceiling", prof.default("digital_ceiling"))
    if isinstance(ceiling, (int, float)) and ceiling <= prof.base.digital_share.value:
        raise InputError(
            f"{fmt.short(ceiling, 'en')} % must exceed the base-year digital share "
            f"{fmt.short(prof.base.digital_share.value, 'en')} %",
            source,
            "assumptions.digital_ceiling",
        )
    return Scenario(
        name=name,
        region=region,
        description=desc,
        author=author,
        status=status,
        levers=groups["levers"],
        assumptions=groups["assumptions"],
        reread=_reread(groups, prof) if version < 2 else (),
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


def parse_yaml(text: str | bytes, source: str = "scenario") -> Any:
    """Parse untrusted YAML: size limit, no aliases, no custom tags, bounded size."""
    if isinstance(text, bytes):
        if len(text) > MAX_FILE_BYTES:
            raise InputError(
                f"the file is {fmt.number(len(text), 'en')} bytes; the limit is {fmt.number(MAX_FILE_BYTES, 'en')}",
                source,
            )
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError("the file is not UTF-8 text", source) from None
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise InputError(f"the file is larger than {fmt.number(MAX_FILE_BYTES, 'en')} bytes", source)
    if not text.strip():
        raise InputError("the file is empty", source)
    try:
        # Refuse aliases outright: a scenario never needs them, and they are the way to a "billion laughs".
        for n, event in enumerate(yaml.parse(text, Loader=yaml.SafeLoader)):
            if isinstance(event, yaml.AliasEvent):
                raise InputError("YAML aliases (*name) are not allowed in scenario files", source)
            if n > MAX_YAML_EVENTS:
                raise InputError("the file has too many entries for a scenario", source)
        return yaml.safe_load(text)
    except yaml.constructor.ConstructorError as exc:
        tag = getattr(exc, "problem", "") or "an unsupported tag"
        raise InputError(f"not allowed: {tag} (only plain YAML values)", source) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise InputError(f"malformed YAML{where}: {problem}", source) from None


def loads(text: str | bytes, source: str = "scenario") -> Scenario:
    """Parse and validate a scenario from YAML text."""
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


def value_text(v: Value | None, p: Parameter, lang: str) -> str:
    """A parameter value in words, numbers written the language's way ('2026: 3,5, 2030: 4 (% chi ngân sách)')."""
    unit = p.unit(lang)
    if v is None:
        return "giá trị năm gốc (hiệu chỉnh)" if lang == "vi" else "calibrated base-year value"
    if isinstance(v, str):
        return v
    if isinstance(v, dict):
        return ", ".join(f"{y}: {fmt.short(x, lang)}" for y, x in sorted(v.items())) + f" ({unit})"
    return f"{fmt.short(v, lang)} {unit}"
