"""The message catalog: every message the code shows has its Vietnamese text, with the same placeholders."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from babel.messages.extract import extract
from babel.messages.pofile import read_po

from sim.views import i18n

ROOT = Path(__file__).resolve().parents[1]
METHOD = "sim.views.i18n_extract:extract"  # as in babel.cfg
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "N_": None, "T_": None}  # as in babel.cfg
PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def extracted() -> dict[str | tuple[str, str], list[str]]:
    """Messages marked in the code (as ``pybabel extract -F babel.cfg`` finds them) -> where they stand."""
    out: dict[str | tuple[str, str], list[str]] = {}
    for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py"), *(ROOT / "sim").rglob("*.py")]:
        with path.open("rb") as fh:
            for lineno, msg, _comments, _ctx in extract(METHOD, fh, keywords=KEYWORDS):
                out.setdefault(msg, []).append(f"{path.relative_to(ROOT)}:{lineno}")
    return out


def test_messages_inside_f_strings_are_found() -> None:
    import io

    code = b'x = f"<h2>{gettext(\'Key figures\', lang)}</h2>" + _("Year")\nn = ngettext("{n} file", "{n} files", 2)\n'
    found = [m for _l, m, _c, _x in extract(METHOD, io.BytesIO(code), keywords=KEYWORDS)]
    assert sorted(found, key=str) == sorted(["Key figures", "Year", ("{n} file", "{n} files")], key=str)


def test_every_message_has_its_vietnamese_text() -> None:
    cat = i18n.catalog("vi")
    msgs = extracted()
    assert len(msgs) > 100, "the extractor found no messages: is the code still marked with _()?"
    missing = {m: where for m, where in msgs.items() if m not in cat}
    assert not missing, f"{len(missing)} messages lack a Vietnamese translation, e.g. {list(missing.items())[:5]}"


def test_translations_keep_the_placeholders() -> None:
    for msgid, vi in i18n.catalog("vi").items():
        src = msgid if isinstance(msgid, str) else msgid[1]
        for text in [vi] if isinstance(vi, str) else vi:
            assert sorted(PLACEHOLDER.findall(src)) == sorted(PLACEHOLDER.findall(text)), (msgid, text)


def test_the_catalog_file_parses_without_duplicates_or_fuzzy_entries() -> None:
    path = ROOT / "locale" / "vi" / "LC_MESSAGES" / "messages.po"
    text = path.read_text(encoding="utf-8")
    ids = re.findall(r'^msgid "(.*)"$', text, flags=re.M)
    dupes = {i for i in ids if i and ids.count(i) > 1}
    assert not dupes, f"duplicate entries: {sorted(dupes)[:5]}"
    with path.open("rb") as fh:
        cat = read_po(fh, locale="vi")
    assert not [m.id for m in cat if m.id and m.fuzzy], "fuzzy entries are not shown: review them"


def test_lookup_falls_back_to_the_message_and_translates_plurals() -> None:
    assert i18n.gettext("a message nobody wrote", "vi") == "a message nobody wrote"
    assert i18n.gettext("Year", "en") == "Year"
    assert i18n.gettext("Year", "vi") == "Năm"
    one, many = (
        "… and {n} more value of the link was ignored or adjusted",
        "… and {n} more values of the link were ignored or adjusted",
    )
    assert i18n.ngettext(one, many, 1, "en") == one
    assert i18n.ngettext(one, many, 3, "en") == many
    assert i18n.ngettext(one, many, 3, "vi") == "… và {n} giá trị khác của liên kết đã bị bỏ qua hoặc điều chỉnh"


BILINGUAL_CALLS = {"tr", "_t", "_tr"}


def test_no_inline_bilingual_text_outside_the_catalog() -> None:
    """Text is written once, in English, and translated in the catalog: no tr(vi, en), no `if lang == "vi"`."""
    found = []
    for path in [ROOT / "app.py", *(ROOT / "ui").rglob("*.py"), *(ROOT / "sim").rglob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in BILINGUAL_CALLS:
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.func.id}()")
            if (
                isinstance(node, ast.Compare)
                and len(node.comparators) == 1
                and isinstance(node.comparators[0], ast.Constant)
                and node.comparators[0].value == "vi"
                and path.name != "params.py"  # Text, the bilingual data type, picks its language
            ):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno} comparison with 'vi'")
    assert not found, found
