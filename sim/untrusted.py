"""Untrusted files (scenarios and stories): bounded YAML parsing and pydantic models of their content.

A file comes from anyone (e-mailed, uploaded, dropped on a shared drive), so it is refused within fixed
bounds, checked on the YAML event stream *before* any Python object is built:

- at most :data:`MAX_FILE_BYTES` bytes of UTF-8 text;
- at most :data:`MAX_DEPTH` nested mappings or lists (deeper nesting is how a few KB of ``[[[[...`` turn
  into a crash or minutes of work);
- at most :data:`MAX_YAML_EVENTS` values and keys;
- numbers of at most :data:`MAX_NUMBER_CHARS` characters (Python refuses to convert very long ones);
- no aliases (``*name``: the way to a "billion laughs") and no tags (``!!python/...``, ``!!set``, ...).

The event stream comes from libyaml (C) when PyYAML has it, so even the worst file is refused in
milliseconds. What passes is built with the safe loader and then validated by the pydantic models
below; every problem becomes one :class:`~sim.errors.InputError` naming the file, the key and the
problem. Nothing else escapes :func:`parse_yaml` and :func:`validate`.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, TypeVar, get_args

import yaml
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputError
from .params import SAFE_LOADER, Parameter, Text, schema
from .profiles import DEFAULT_PROFILE, Profile, list_profiles, load_profile
from .views import fmt

MAX_FILE_BYTES = 1_000_000
MAX_YAML_EVENTS = 5_000  # a full scenario (every parameter a 22-year path) has about 900; a story about 2,000
MAX_DEPTH = 20
MAX_NUMBER_CHARS = 30
# A year key is four ASCII digits: str.isdigit() also accepts "²" or "٢٠٣٠", which int() then refuses.
YEAR_KEY = re.compile(r"[0-9]{4}")
STATUSES = ("draft", "approved")
MAX_STEPS = 30
# How scenario paths are read (docs/model.md). Version 2: a path runs from the base-year value to its first
# breakpoint. Version 1 held the first breakpoint's value from the year after the base year (enterprise R&D
# excepted, which already ramped). Files without the key were written for version 1.
MODEL_VERSION = 2

_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")
_RESOLVER = yaml.resolver.Resolver()

M = TypeVar("M", bound=BaseModel)


# ---------------------------------------------------------------- YAML within bounds


def parse_yaml(text: str | bytes, source: str = "scenario") -> Any:
    """Parse an untrusted YAML text within the bounds of this module.

    Raises:
        InputError: naming the source and the problem (the only exception this function raises).
    """
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
    size = len(text.encode("utf-8", "surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise InputError(
            f"the file is {fmt.number(size, 'en')} bytes; the limit is {fmt.number(MAX_FILE_BYTES, 'en')}", source
        )
    if not text.strip():
        raise InputError("the file is empty", source)
    if SAFE_LOADER is yaml.SafeLoader:  # without libyaml: the nesting is bounded before the slow scanner sees it
        _check_flow_depth(text, source)
    try:
        _check_events(text, source)
        return yaml.load(text, Loader=SAFE_LOADER)  # a safe loader, on a text already checked
    except InputError:
        raise
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(exc, "problem", None) or "malformed YAML"
        raise InputError(f"malformed YAML{where}: {problem}", source) from None
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        # e.g. a date-like value with month 13: the safe loader's own conversion fails.
        raise InputError(f"a value cannot be read ({type(exc).__name__}: {str(exc)[:80]})", source) from None


def _check_events(text: str, source: str) -> None:
    """Walk the YAML event stream once, refusing at the first event that breaks a bound."""
    depth = 0
    for n, event in enumerate(yaml.parse(text, Loader=SAFE_LOADER)):
        if n > MAX_YAML_EVENTS:
            raise InputError(
                f"the file has more than {fmt.number(MAX_YAML_EVENTS, 'en')} values; a scenario needs far fewer", source
            )
        kind = type(event)
        if kind is yaml.ScalarEvent:
            if event.anchor:
                raise InputError(f"YAML anchors and aliases (&name, *name) are not allowed ({_line(event)})", source)
            if event.tag is not None and event.tag != "!":
                raise InputError(
                    f"not allowed: the tag {event.tag[:60]} at {_line(event)} (only plain YAML values)", source
                )
            if event.implicit[0] and len(event.value) > MAX_NUMBER_CHARS:
                resolved = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
                if resolved in _NUMBER_TAGS:
                    raise InputError(
                        f"a number of {fmt.number(len(event.value), 'en')} characters at {_line(event)}; "
                        f"the limit is {MAX_NUMBER_CHARS}",
                        source,
                    )
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if event.anchor:
                raise InputError(f"YAML anchors and aliases (&name, *name) are not allowed ({_line(event)})", source)
            if event.tag is not None and event.tag != "!":
                raise InputError(
                    f"not allowed: the tag {event.tag[:60]} at {_line(event)} (only plain YAML values)", source
                )
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nested more than {MAX_DEPTH} levels deep at {_line(event)}", source)
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            depth -= 1
        elif kind is yaml.AliasEvent:
            raise InputError(f"YAML aliases (*name) are not allowed ({_line(event)})", source)


def _line(event: yaml.Event) -> str:
    return f"line {event.start_mark.line + 1}" if event.start_mark is not None else "the file"


def _check_flow_depth(text: str, source: str) -> None:
    """Without libyaml: bound the nesting of ``[`` and ``{`` before the (slow) pure-Python scanner sees it.

    Brackets inside quotes and comments are skipped; the count is an upper bound of the real depth, so
    a file refused here would also be refused on its events.
    """
    depth, quote, comment = 0, "", False
    for ch in text:
        if comment:
            comment = ch != "\n"
        elif quote:
            quote = "" if ch == quote else quote
        elif ch in "\"'":
            quote = ch
        elif ch == "#":
            comment = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise InputError(f"nested more than {MAX_DEPTH} levels deep", source)
        elif ch in "]}":
            depth = max(0, depth - 1)


# ---------------------------------------------------------------- validation with pydantic


def validate(model: type[M], data: Any, source: str, what: str) -> M:
    """Validate parsed file content against a model; one InputError (file, key, problem) otherwise.

    Args:
        model: the pydantic model of the file.
        data: what :func:`parse_yaml` returned.
        source: the file name shown in messages.
        what: what the file holds, for messages ("scenario", "story").
    """
    allowed = ", ".join(model.model_fields)
    if data is None:
        raise InputError("the file is empty", source)
    if not isinstance(data, dict):
        raise InputError(f"expected a mapping of keys ({allowed}), got {type(data).__name__}", source)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise _input_error(model, exc, source, what) from None


def _input_error(model: type[BaseModel], exc: ValidationError, source: str, what: str) -> InputError:
    """The first problem of a ValidationError as an InputError whose key is the dotted path in the file."""
    errors = exc.errors(include_url=False)
    # A misspelled key is both unknown and missing; the unknown one tells the user what to fix.
    err = next((e for e in errors if e["type"] == "extra_forbidden"), errors[0])
    loc = tuple(err["loc"])
    key = _dotted(loc)
    cause = (err.get("ctx") or {}).get("error")
    if isinstance(cause, InputError):  # raised by our own validators: keep their message and sub-key
        sub = ".".join(p for p in (key, cause.key) if p)
        return InputError(cause.message, source, sub or None)
    if isinstance(cause, ValueError):
        return InputError(str(cause), source, key or None)
    if err["type"] == "extra_forbidden":
        return InputError(f"unknown key (allowed: {', '.join(_fields_at(model, loc))})", source, key)
    if err["type"] == "missing":
        owner = "step" if any(isinstance(p, int) for p in loc) else what
        return InputError(f"a {owner} needs a {loc[-1]}", source, key)
    msg = str(err["msg"])
    return InputError(msg[:1].lower() + msg[1:], source, key or None)


def _dotted(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The keys allowed where ``loc`` points (the fields of the nested model holding it)."""
    current = model
    for part in loc[:-1]:
        field = current.model_fields.get(part) if isinstance(part, str) else None
        if field is None:
            continue
        inner = [a for a in _flatten(field.annotation) if isinstance(a, type) and issubclass(a, BaseModel)]
        if inner:
            current = inner[0]
    return list(current.model_fields)


def _flatten(annotation: Any) -> list[Any]:
    args = get_args(annotation)
    return [annotation] if not args else [x for a in args for x in _flatten(a)]


def parse_text(v: Any) -> Text:
    """A text field: a plain string (both languages) or ``{vi: ..., en: ...}``.

    Raises:
        InputError: with the sub-key (``vi`` / ``en``) when one of them is wrong.
    """
    if isinstance(v, Text):
        return v
    if isinstance(v, str):
        return Text(vi=v, en=v)
    if isinstance(v, dict):
        extra = set(v) - {"vi", "en"}
        if extra:
            raise InputError(f"unknown language key {sorted(map(str, extra))[0]!r} (use vi and en)")
        for lang in ("vi", "en"):
            if lang in v and not isinstance(v[lang], str):
                raise InputError("must be text", key=lang)
        vi, en = v.get("vi"), v.get("en")
        if vi is None and en is None:
            raise InputError("needs a vi or en text")
        return Text(vi=vi if vi is not None else en, en=en if en is not None else vi)
    raise InputError(f"expected text or {{vi: ..., en: ...}}, got {type(v).__name__}")


TextField = Annotated[Text, BeforeValidator(parse_text)]


def _parameter_mapping(v: Any) -> Any:
    if v is not None and not isinstance(v, dict):
        raise InputError("expected a mapping of parameter ids to values")
    return v


# The levers / assumptions of a scenario or story step: parameter id -> value, checked per parameter later.
ParameterMap = Annotated[dict[str, Any] | None, BeforeValidator(_parameter_mapping)]


def _year(y: Any, prof: Profile) -> int:
    if isinstance(y, bool):
        raise InputError(f"year {y!r} is not a year")
    if isinstance(y, str) and YEAR_KEY.fullmatch(y.strip()):
        y = int(y.strip())
    if not isinstance(y, int):
        raise InputError(f"year {str(y)[:20]!r} is not a whole year (four digits 0-9)")
    if not prof.base_year <= y <= prof.horizon:
        raise InputError(f"year {y} is outside {prof.base_year}..{prof.horizon}", key=str(y))
    return y


def check_value(p: Parameter, v: Any, prof: Profile) -> float | int | str | dict[int, float]:
    """Validate one value (a number, a year-keyed path or a choice) for parameter ``p``.

    Raises:
        InputError: the problem, with the year as key for a value inside a path.
    """
    if isinstance(v, dict):
        if not p.path:
            raise InputError("takes one value, not a year-keyed path")
        if not v:
            raise InputError("a path needs at least one year")
        out: dict[int, float] = {}
        for y, x in v.items():
            yy = _year(y, prof)
            try:
                out[yy] = p.check_value(x)  # type: ignore[assignment]
            except ValueError as exc:
                raise InputError(str(exc), key=str(yy)) from None
        return dict(sorted(out.items()))
    try:
        return p.check_value(v)
    except ValueError as exc:
        raise InputError(str(exc)) from None


def check_changes(raw: Any, kind: str, prof: Profile) -> dict[str, Any]:
    """A ``levers`` or ``assumptions`` mapping: known ids of the right kind, each value checked.

    Raises:
        InputError: keyed by the parameter id (and year) relative to the mapping.
    """
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InputError("expected a mapping of parameter ids to values")
    params = schema()
    out: dict[str, Any] = {}
    for pid, v in raw.items():
        if pid not in params:
            raise InputError("unknown parameter id", key=str(pid))
        p = params[pid]
        if p.kind != kind:
            other = "levers" if p.kind == "lever" else "assumptions"
            raise InputError(f"is {'a lever' if p.kind == 'lever' else 'an assumption'}: put it under {other}", key=pid)
        try:
            out[pid] = check_value(p, v, prof)
        except InputError as exc:
            raise InputError(exc.message, key=".".join(k for k in (pid, exc.key) if k)) from None
    return out


def _region(v: Any) -> str:
    if not isinstance(v, str) or v not in list_profiles():
        raise InputError(f"unknown region {str(v)[:40]!r} (known: {', '.join(list_profiles())})")
    return v


def _plain_text(what: str) -> Any:
    def check(v: Any) -> str:
        if v is None:
            return ""
        if not isinstance(v, str):
            raise InputError(f"{what} must be text")
        return v

    return BeforeValidator(check)


def _model_version(v: Any) -> int:
    if isinstance(v, bool) or not isinstance(v, int) or not 1 <= v <= MODEL_VERSION:
        raise InputError(f"{repr(v)[:40]} is not a model version this program reads (1 to {MODEL_VERSION})")
    return v


def _status(v: Any) -> str:
    if v not in STATUSES:
        raise InputError(f"{str(v)[:40]!r} is not one of {', '.join(STATUSES)}")
    return v


class ScenarioFile(BaseModel):
    """A scenario file (docs/model.md §7): metadata and changes to the region's defaults (UI units)."""

    model_config = ConfigDict(extra="forbid")

    name: TextField
    region: Annotated[str, BeforeValidator(_region)] = DEFAULT_PROFILE
    description: Annotated[Text | None, BeforeValidator(lambda v: None if v is None else parse_text(v))] = None
    author: Annotated[str, _plain_text("author")] = ""
    status: Annotated[Literal["draft", "approved"], BeforeValidator(_status)] = "draft"
    model_version: Annotated[int, BeforeValidator(_model_version)] = 1  # no key: written for version 1
    levers: ParameterMap = None
    assumptions: ParameterMap = None

    @model_validator(mode="after")
    def _parameters(self) -> ScenarioFile:
        prof = load_profile(self.region)
        for group, kind in (("levers", "lever"), ("assumptions", "assumption")):
            try:
                setattr(self, group, check_changes(getattr(self, group), kind, prof))
            except InputError as exc:
                raise InputError(exc.message, key=".".join(k for k in (group, exc.key) if k)) from None
        assert self.assumptions is not None
        ceiling = self.assumptions.get("digital_ceiling", prof.default("digital_ceiling"))
        if isinstance(ceiling, (int, float)) and ceiling <= prof.base.digital_share.value:
            raise InputError(
                f"{fmt.short(ceiling, 'en')} % must exceed the base-year digital share "
                f"{fmt.short(prof.base.digital_share.value, 'en')} %",
                key="assumptions.digital_ceiling",
            )
        return self


class StepFile(BaseModel):
    """One step of a story file: a scenario id and/or changes, with what the presenter says."""

    model_config = ConfigDict(extra="forbid")

    scenario: str | None = None
    levers: ParameterMap = None
    assumptions: ParameterMap = None
    title: TextField
    caption: TextField
    notes: Annotated[Text | None, BeforeValidator(lambda v: None if v is None else parse_text(v))] = None

    @field_validator("scenario", mode="before")
    @classmethod
    def _scenario_id(cls, v: Any) -> Any:
        if v is None:
            return None
        from .store import check_id  # the library's id rules (the store imports scenario files)

        try:
            return check_id(v)
        except InputError as exc:
            raise InputError(exc.message) from None


def _steps(v: Any) -> Any:
    if not isinstance(v, list) or not v:
        raise InputError("a story needs a list of at least one step")
    if len(v) > MAX_STEPS:
        raise InputError(f"{len(v)} steps; the limit is {MAX_STEPS}")
    for i, s in enumerate(v):
        if not isinstance(s, dict):
            raise InputError(f"a step is a mapping of {', '.join(StepFile.model_fields)}", key=f"[{i}]")
    return v


class StoryFile(BaseModel):
    """A story file: a title, a region and the steps from baseline to plan."""

    model_config = ConfigDict(extra="forbid")

    title: TextField
    region: Annotated[str, BeforeValidator(_region)]
    description: Annotated[Text | None, BeforeValidator(lambda v: None if v is None else parse_text(v))] = None
    steps: Annotated[list[StepFile], BeforeValidator(_steps)] = Field(None, validate_default=True)

    @model_validator(mode="after")
    def _changes(self) -> StoryFile:
        prof = load_profile(self.region)
        for i, step in enumerate(self.steps):
            key = f"steps[{i}]"
            for group, kind in (("levers", "lever"), ("assumptions", "assumption")):
                try:
                    setattr(step, group, check_changes(getattr(step, group), kind, prof))
                except InputError as exc:
                    raise InputError(exc.message, key=".".join(k for k in (key, group, exc.key) if k)) from None
            if step.scenario is None and i == 0:
                raise InputError("the first step must name a scenario (later steps may change levers only)", key=key)
            if step.scenario is None and not step.levers and not step.assumptions:
                raise InputError("a step names a scenario or changes levers; this one does neither", key=key)
            _check_placeholders(step, key, prof)
        return self


def _check_placeholders(step: StepFile, key: str, prof: Profile) -> None:
    """Refuse a caption or note the engine cannot fill (an unknown metric, a year outside the run, ...)."""
    from .story import check_placeholders  # the story module reads these models: imported when used

    for group in ("caption", "notes"):
        text = getattr(step, group)
        for lang in ("vi", "en") if text is not None else ():
            try:
                check_placeholders(text(lang), prof)
            except InputError as exc:
                raise InputError(exc.message, key=f"{key}.{group}.{lang}") from None
