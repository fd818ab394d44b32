"""Shareable links: a scenario and the language in a URL's query parameters, compact and versioned.

Format, version 1 (only characters that need no escaping in a URL)::

    v=1&r=binh-phuoc&s=resolution57&l=vi&p=sb_2024_1_2026_3_2030_3.5~er_2030_0.8~rm_cap-public

- ``r`` region profile id; ``s`` the starting scenario in the library (its id); ``l`` language.
- ``p`` every change the scenario makes to the profile's defaults (levers and assumptions), so the
  link reproduces the numbers even if the library scenario is later edited or removed. Items are
  separated by ``~``; an item is a parameter's ``code`` (parameters.yaml) then ``_``-separated fields: one value
  (a number, or a choice with ``-`` for ``_``) or year/value pairs (a path). Without ``p`` the link
  means "the starting scenario as it is"; an empty ``p`` means "no changes".

Links are untrusted: :func:`decode` never raises. Bad, unknown or out-of-range values are clipped to
the parameter's range or ignored, and each case comes back as a notice naming the parameter.
"""

from __future__ import annotations

import math
import re
import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import InputError
from .params import Parameter, Text, by_code, schema
from .profiles import DEFAULT_PROFILE, list_profiles, load_profile
from .scenario import Scenario, Value, baseline
from .views import fmt
from .views.i18n import ngettext

VERSION = "1"
LANGS = ("vi", "en")
MAX_PARAM_CHARS = 2000  # a link's changes never need more; longer ones are refused, not parsed
MAX_ID_CHARS = 120
MAX_NOTICES = 4  # a page shows at most this many notices about a link; the rest are counted in the last

_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)(e-?\d+)?")
_YEAR = re.compile(r"\d{4}")
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


@dataclass
class Decoded:
    """What a link asks for.

    Attributes:
        region: profile id (the default region when the link's is unusable).
        start_id: the library scenario the link starts from, if it exists.
        scenario: the scenario to show.
        lang: 'vi' or 'en'.
        notices: one per problem found (bilingual), empty for a clean link.
    """

    region: str
    start_id: str | None
    scenario: Scenario
    lang: str
    notices: list[Text] = field(default_factory=list)


# ---------------------------------------------------------------- encoding


def _num(x: float | int) -> str:
    """The shortest text that reads back as exactly the same number."""
    if isinstance(x, int) and not isinstance(x, bool):
        return str(x)
    s = repr(float(x)).replace("e+", "e")
    return s[:-2] if s.endswith(".0") else s


def encode_changes(changes: Mapping[str, Value]) -> str:
    """The ``p`` parameter for a set of changes (parameter id -> UI value)."""
    items = []
    params = schema()
    for pid in params:  # schema order: the same scenario always gives the same text
        if pid not in changes:
            continue
        v = changes[pid]
        if isinstance(v, dict):
            body = "_".join(f"{int(y)}_{_num(x)}" for y, x in sorted(v.items()))
        elif isinstance(v, str):
            body = v.replace("_", "-")
        else:
            body = _num(v)
        items.append(f"{params[pid].code}_{body}")
    return "~".join(items)


def encode(
    scenario: Scenario, lang: str = "vi", start_id: str | None = None, start: Scenario | None = None
) -> dict[str, str]:
    """Query parameters for a scenario.

    Args:
        scenario: what the sliders show.
        lang: the language to open the link in.
        start_id / start: the library scenario it started from; when the scenario still equals it,
            the link names it and carries no changes (a short link).
    """
    params = {"v": VERSION, "r": scenario.region}
    if start_id:
        params["s"] = start_id
    params["l"] = lang if lang in LANGS else "vi"
    same_as_start = (
        start_id is not None
        and start is not None
        and start.region == scenario.region
        and start.changes == scenario.changes
    )
    if not same_as_start:
        params["p"] = encode_changes(scenario.changes)
    return params


def query_string(params: Mapping[str, str]) -> str:
    return urllib.parse.urlencode(params, safe="~")


# ---------------------------------------------------------------- decoding


def _notice(vi: str, en: str) -> Text:
    return Text(vi=vi, en=en)


def _short(raw: str, n: int = 40) -> str:
    """Untrusted text quoted back to the user: shortened and printable."""
    s = "".join(ch if ch.isprintable() else "?" for ch in raw[:n])
    return s + ("…" if len(raw) > n else "")


def _first(params: Mapping[str, Any], key: str) -> str | None:
    v = params.get(key)
    if v is None:
        return None
    if isinstance(v, (list, tuple)):
        v = v[-1] if v else None
    return None if v is None else str(v)


def _label(p: Parameter) -> Text:
    return Text(vi=f"«{p.label.vi}»", en=f"'{p.label.en}'")


def _parse_number(raw: str) -> float | None:
    if len(raw) > 40 or not _NUMBER.fullmatch(raw):
        return None
    try:
        x = float(raw)
    except ValueError:
        return None
    return x if math.isfinite(x) else None


def _fit(p: Parameter, x: float, notices: list[Text], where: str = "") -> float | int:
    """Clip a number into the parameter's range (and to a whole number where needed), with notices."""
    lab = _label(p)
    assert p.min is not None and p.max is not None
    if x < p.min or x > p.max:
        c = min(max(x, p.min), p.max)
        v = {lg: [fmt.short(n, lg) for n in (x, p.min, p.max, c)] for lg in ("vi", "en")}
        notices.append(
            _notice(
                f"{lab.vi}{where}: {v['vi'][0]} nằm ngoài khoảng {v['vi'][1]}–{v['vi'][2]} {p.unit.vi}; "
                f"đã đưa về {v['vi'][3]}.",
                f"{lab.en}{where}: {v['en'][0]} is outside {v['en'][1]}–{v['en'][2]} {p.unit.en}; "
                f"clipped to {v['en'][3]}.",
            )
        )
        x = c
    if p.integer:
        if x != int(x):
            r = round(x)
            notices.append(
                _notice(
                    f"{lab.vi}{where}: {fmt.short(x, 'vi')} không phải số nguyên; đã làm tròn thành {r}.",
                    f"{lab.en}{where}: {fmt.short(x, 'en')} is not a whole number; rounded to {r}.",
                )
            )
            x = r
        return int(x)
    return float(x)


def _parse_item(item: str, years: range, notices: list[Text]) -> tuple[str, Value] | None:
    fields = item.split("_")
    code, rest = fields[0], fields[1:]
    pid = by_code().get(code)
    if pid is None:
        notices.append(
            _notice(
                f"Liên kết có tham số không rõ «{_short(code, 20)}»; đã bỏ qua.",
                f"The link has an unknown parameter '{_short(code, 20)}'; ignored.",
            )
        )
        return None
    p = schema()[pid]
    lab = _label(p)
    ignored = _notice(
        f"{lab.vi}: giá trị «{_short('_'.join(rest))}» không hợp lệ; đã bỏ qua, dùng giá trị mặc định.",
        f"{lab.en}: the value '{_short('_'.join(rest))}' is not valid; ignored, the default applies.",
    )
    if p.is_choice:
        choice = "_".join(rest).replace("-", "_")
        if len(rest) >= 1 and choice in (p.choices or ()):
            return pid, choice
        notices.append(ignored)
        return None
    if len(rest) == 1:
        x = _parse_number(rest[0])
        if x is None:
            notices.append(ignored)
            return None
        return pid, _fit(p, x, notices)
    if len(rest) < 2 or len(rest) % 2:
        notices.append(ignored)
        return None
    if not p.path:
        notices.append(
            _notice(
                f"{lab.vi}: nhận một giá trị, không phải lộ trình theo năm; đã bỏ qua.",
                f"{lab.en}: takes one value, not a year-keyed path; ignored.",
            )
        )
        return None
    path: dict[int, float] = {}
    for y_raw, x_raw in zip(rest[0::2], rest[1::2], strict=True):
        if not _YEAR.fullmatch(y_raw) or int(y_raw) not in years:
            notices.append(
                _notice(
                    f"{lab.vi}: năm «{_short(y_raw, 10)}» nằm ngoài {years.start}–{years.stop - 1}; "
                    "đã bỏ qua điểm này.",
                    f"{lab.en}: year '{_short(y_raw, 10)}' is outside {years.start}–{years.stop - 1}; point ignored.",
                )
            )
            continue
        x = _parse_number(x_raw)
        if x is None:
            notices.append(
                _notice(
                    f"{lab.vi}, năm {y_raw}: giá trị «{_short(x_raw)}» không hợp lệ; đã bỏ qua điểm này.",
                    f"{lab.en}, {y_raw}: the value '{_short(x_raw)}' is not valid; point ignored.",
                )
            )
            continue
        y = int(y_raw)
        if y in path:
            notices.append(
                _notice(
                    f"{lab.vi}: năm {y} xuất hiện hai lần; dùng giá trị sau.",
                    f"{lab.en}: year {y} appears twice; the later value is used.",
                )
            )
        path[y] = float(_fit(p, x, notices, f" ({y})"))
    if not path:
        return None
    return pid, dict(sorted(path.items()))


def decode_changes(text: str, region: str, notices: list[Text]) -> dict[str, Value]:
    """Parse a ``p`` parameter (never raises; problems are appended to ``notices``)."""
    if len(text) > MAX_PARAM_CHARS:
        notices.append(
            _notice(
                f"Phần thay đổi của liên kết quá dài ({fmt.number(len(text), 'vi')} ký tự); đã bỏ qua toàn bộ.",
                f"The link's changes are too long ({fmt.number(len(text), 'en')} characters); all ignored.",
            )
        )
        return {}
    prof = load_profile(region)
    years = range(prof.base_year, prof.horizon + 1)
    out: dict[str, Value] = {}
    for item in text.split("~"):
        if not item:
            continue
        parsed = _parse_item(item, years, notices)
        if parsed is None:
            continue
        pid, v = parsed
        if pid in out:
            lab = _label(schema()[pid])
            notices.append(
                _notice(
                    f"{lab.vi} xuất hiện hai lần trong liên kết; dùng giá trị sau.",
                    f"{lab.en} appears twice in the link; the later value is used.",
                )
            )
        out[pid] = v
    return out


def _split(changes: Mapping[str, Value]) -> tuple[dict[str, Value], dict[str, Value]]:
    params = schema()
    lev = {k: v for k, v in changes.items() if params[k].kind == "lever"}
    ass = {k: v for k, v in changes.items() if params[k].kind == "assumption"}
    return lev, ass


def _valid(scenario: Scenario) -> InputError | None:
    """The problem that would stop the scenario being saved or run, if any."""
    from . import engine  # imported here: the engine is only needed for the final check
    from .scenario import from_dict

    try:
        from_dict(scenario.to_dict(), "link")
        engine.run(scenario)
    except InputError as exc:
        return exc
    return None


def derive(start: Scenario, changes: Mapping[str, Value]) -> Scenario:
    """``start`` with these changes instead of its own (``start`` itself when they are the same).

    The result keeps ``start``'s metadata; what it is called on screen is the current scenario's business
    (:func:`sim.views.current.label`). It is a draft, whatever ``start`` was.
    """
    lev, ass = _split(changes)
    if lev == start.levers and ass == start.assumptions:
        return start
    return Scenario(
        name=start.name,
        region=start.region,
        description=start.description,
        author=start.author,
        status="draft",
        levers=lev,
        assumptions=ass,
    )


def decode(
    params: Mapping[str, Any],
    find: Callable[[str], Scenario | None] | None = None,
) -> Decoded | None:
    """Read a link's query parameters. Never raises.

    Args:
        params: query parameters (values are strings, or lists of strings: the last one counts).
        find: looks a starting-scenario id up in the library (None when unknown).

    Returns:
        None when the parameters hold nothing of this app (a plain visit); otherwise what to show,
        with a notice for every value that was clipped or ignored.
    """
    try:
        return _decode(params, find)
    except Exception as exc:  # a link must never break the page; say so instead
        return Decoded(
            region=DEFAULT_PROFILE,
            start_id=None,
            scenario=baseline(DEFAULT_PROFILE),
            lang="vi",
            notices=[
                _notice(
                    f"Không đọc được liên kết ({type(exc).__name__}); hiển thị kịch bản cơ sở.",
                    f"The link could not be read ({type(exc).__name__}); showing the baseline.",
                )
            ],
        )


def summarised(notices: list[Text]) -> list[Text]:
    """At most :data:`MAX_NOTICES` notices, as a page shows them: the first ones, then how many more."""
    if len(notices) <= MAX_NOTICES:
        return notices
    n = len(notices) - (MAX_NOTICES - 1)
    more = {
        lang: ngettext(
            "… and {n} more value of the link was ignored or adjusted",
            "… and {n} more values of the link were ignored or adjusted",
            n,
            lang,
        ).format(n=n)
        for lang in LANGS
    }
    return [*notices[: MAX_NOTICES - 1], Text(**more)]


def _decode(params: Mapping[str, Any], find: Callable[[str], Scenario | None] | None) -> Decoded | None:
    keys = ("v", "r", "s", "l", "p")
    if not any(k in params for k in keys):
        return None
    notices: list[Text] = []
    lang = _first(params, "l")
    if lang is not None and lang not in LANGS:
        notices.append(
            _notice(
                f"Ngôn ngữ «{_short(lang, 10)}» không có; dùng tiếng Việt.",
                f"Language '{_short(lang, 10)}' is not available; using Vietnamese.",
            )
        )
        lang = None
    lang = lang or "vi"

    version = _first(params, "v")
    if version is not None and version != VERSION:
        notices.append(
            _notice(
                f"Liên kết thuộc phiên bản «{_short(version, 10)}» mà ứng dụng không đọc được; "
                "hiển thị kịch bản cơ sở.",
                f"The link is of version '{_short(version, 10)}', which this app cannot read; showing the baseline.",
            )
        )
        return Decoded(DEFAULT_PROFILE, None, baseline(DEFAULT_PROFILE), lang, notices)

    # The starting scenario (looked up first: it may tell the region).
    start_id = _first(params, "s")
    start: Scenario | None = None
    if start_id is not None:
        if len(start_id) <= MAX_ID_CHARS and _ID.fullmatch(start_id) and find is not None:
            try:
                start = find(start_id)
            except Exception:  # a library problem must not stop the link: treat as not found
                start = None
        if start is None:
            notices.append(
                _notice(
                    f"Không tìm thấy kịch bản «{_short(start_id)}» trong thư viện; bắt đầu từ kịch bản cơ sở.",
                    f"Scenario '{_short(start_id)}' is not in the library; starting from the baseline.",
                )
            )
            start_id = None

    region = _first(params, "r")
    if region is not None and region not in list_profiles():
        notices.append(
            _notice(
                f"Không có vùng «{_short(region)}»; dùng {load_profile(DEFAULT_PROFILE).name.vi}.",
                f"There is no region '{_short(region)}'; using {load_profile(DEFAULT_PROFILE).name.en}.",
            )
        )
        region = None
    if region is None:
        region = start.region if start is not None else DEFAULT_PROFILE
    if start is not None and start.region != region:
        notices.append(
            _notice(
                f"Kịch bản «{start.name.vi}» thuộc vùng khác; bắt đầu từ kịch bản cơ sở.",
                f"Scenario '{start.name.en}' belongs to another region; starting from the baseline.",
            )
        )
        start, start_id = None, None
    if start is None:
        start = baseline(region)

    raw = _first(params, "p")
    if raw is None:
        scenario = start
    else:
        changes = decode_changes(raw, region, notices)
        scenario = derive(start, changes)

    # Values that are each in range can still contradict the profile together; drop what causes it.
    problem = _valid(scenario)
    if problem is not None:
        ch = dict(scenario.changes)
        for pid in ("digital_ceiling", "rd_crowding_in"):
            if pid in ch:
                ch.pop(pid)
                candidate = derive(start, ch)
                if _valid(candidate) is None:
                    lab = _label(schema()[pid])
                    notices.append(
                        _notice(
                            f"{lab.vi}: giá trị trong liên kết mâu thuẫn với số liệu năm gốc của vùng; đã bỏ qua.",
                            f"{lab.en}: the link's value contradicts the base-year data ({problem.message}); ignored.",
                        )
                    )
                    return Decoded(region, start_id, candidate, lang, notices)
        notices.append(
            _notice(
                f"Các giá trị trong liên kết không dùng được cùng nhau; hiển thị kịch bản cơ sở. ({problem})",
                f"The link's values cannot be used ({problem}); showing the baseline.",
            )
        )
        return Decoded(region, None, baseline(region), lang, notices)
    return Decoded(region, start_id, scenario, lang, notices)
