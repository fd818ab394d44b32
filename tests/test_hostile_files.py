"""Hostile scenario and story files (issue 11): each is refused quickly with one plain line, nothing saved.

The bounds are properties of the parser (checked on the YAML event stream before any object is built),
so each file is refused in milliseconds; the one-second bound leaves room for a loaded machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sim import store
from sim.cli import main
from sim.errors import InputError
from sim.params import Text
from sim.scenario import MAX_FILE_BYTES, Scenario, baseline, load_scenario, loads
from sim.story import loads_story

ROOT = Path(__file__).resolve().parents[1]
SECOND = 1.0


@pytest.fixture(autouse=True, scope="module")
def _warm() -> None:
    """Load the parameter schema and the profiles once, so the timings are the parser's alone."""
    loads("name: x\n")


HOSTILE: dict[str, tuple[str, str]] = {
    # name: (file text, what the message says)
    "superscript digit as a year": ('name: x\nlevers:\n  stid_budget_share: {"²": 1}\n', "not a whole year"),
    "Arabic-Indic digits as a year": ('name: x\nlevers:\n  stid_budget_share: {"٢٠٣٠": 1}\n', "not a whole year"),
    "5,000-digit number": ("name: x\nlevers:\n  stid_budget_share: " + "9" * 5000 + "\n", "the limit is 30"),
    "5,000-digit year key": ("name: x\nlevers:\n  stid_budget_share: {" + "9" * 5000 + ": 1}\n", "the limit is 30"),
    "5,000-digit float": ("name: x\nassumptions:\n  inflation: 1." + "5" * 5000 + "\n", "the limit is 30"),
    "900 nested [": ("name: " + "[" * 900 + "\n", "nested more than 20 levels"),
    "3,000 nested {a: ": ("name: x\nlevers: " + "{a: " * 3000 + "\n", "nested more than 20 levels"),
    "9,000 nested [ in 18 KB": ("[" * 9000 + "]" * 9000, "nested more than 20 levels"),
    "deep block mappings": ("".join(" " * i + "a:\n" for i in range(400)), "nested more than 20 levels"),
    "alias bomb": (
        "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nname: *c\n",
        "aliases",
    ),
    "!!python tag": ("name: !!python/object/apply:os.system ['echo hi']\n", "not allowed"),
    "!!set tag": ("name: !!set {a, b}\n", "not allowed"),
    "60,000 keys": ("\n".join(f"k{i}: {i}" for i in range(60_000)) + "\n", "more than 5,000 values"),
    "impossible date": ("name: x\nauthor: 2024-13-45\n", "cannot be read"),
    "unhashable key": ("? [a]\n: 1\n", "malformed YAML"),
    "over 1 MB": ("name: x\n" + "# padding\n" * 110_000, "the limit is 1,000,000"),
    "not UTF-8": ("name: caf\udce9\n", "not UTF-8"),
}


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_file_is_refused_quickly_with_one_line_and_nothing_saved(case, tmp_path, monkeypatch, capsys):
    text, problem = HOSTILE[case]
    lib = tmp_path / "library"
    lib.mkdir()
    monkeypatch.setenv(store.LIBRARY_ENV, str(lib))

    start = time.perf_counter()
    with pytest.raises(InputError) as err:
        loads(_bytes(text), "hostile.yaml")
    assert time.perf_counter() - start < SECOND
    assert problem in str(err.value) and str(err.value).startswith("hostile.yaml")

    # Uploaded: refused, nothing written to the library.
    start = time.perf_counter()
    with pytest.raises(InputError):
        store.import_upload(_bytes(text), "hostile.yaml")
    assert time.perf_counter() - start < SECOND
    assert [p.name for p in lib.rglob("*") if p.is_file()] == []

    # On the command line: exit 2 and one line naming the file.
    path = tmp_path / "hostile.yaml"
    path.write_bytes(_bytes(text))
    assert main(["validate", str(path)]) == 2
    err_text = capsys.readouterr().err
    assert len(err_text.strip().splitlines()) == 1 and str(path) in err_text and problem in err_text

    # As a story file: the same parser refuses it.
    with pytest.raises(InputError):
        loads_story(_bytes(text), "stories/hostile.yaml")


def test_the_worst_file_is_refused_by_python_m_sim_in_a_real_process(tmp_path):
    path = tmp_path / "deep.yaml"
    path.write_text("[" * 9000 + "]" * 9000, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "sim", "validate", str(path)], capture_output=True, text=True, cwd=ROOT, timeout=60
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [f"error: {path}: nested more than 20 levels deep at line 1"]


def test_hostile_files_in_the_library_folder_are_listed_as_unreadable(tmp_path, monkeypatch):
    lib = tmp_path / "library"
    lib.mkdir()
    monkeypatch.setenv(store.LIBRARY_ENV, str(lib))
    good = store.save_new(baseline())
    for i, (text, _) in enumerate(HOSTILE.values()):
        (lib / f"bad-{i}.yaml").write_bytes(_bytes(text))
    entries = {e.id: e for e in store.list_entries()}
    assert entries[good].problem is None
    for i, (_, problem) in enumerate(HOSTILE.values()):
        e = entries[f"bad-{i}"]
        assert e.problem is not None and problem in e.problem and e.problem.startswith(f"bad-{i}.yaml")


def test_a_year_key_of_four_ascii_digits_is_a_year():
    scen = loads('name: x\nlevers:\n  stid_budget_share: {"2030": 3, 2045: 4}\n')
    assert scen.levers["stid_budget_share"] == {2030: 3.0, 2045: 4.0}


# ----------------------------------------------------------------- what is accepted can be opened again


def _near_limit(description: str) -> bytes:
    data = f"name: Gần giới hạn\ndescription: {description}\n".encode()
    assert MAX_FILE_BYTES - 20_000 < len(data) <= MAX_FILE_BYTES
    return data


def test_an_accepted_upload_near_the_limit_is_saved_and_opens_again(tmp_path, monkeypatch):
    monkeypatch.setenv(store.LIBRARY_ENV, str(tmp_path / "library"))
    words = "kế hoạch " * (985_000 // len("kế hoạch ".encode()))  # a plain string: one text for both languages
    data = _near_limit(words.strip())
    sid = store.import_upload(data, "gan-gioi-han.yaml").id
    stored = tmp_path / "library" / f"{sid}.yaml"
    assert stored.stat().st_size <= MAX_FILE_BYTES  # the text is stored once, not once per language
    again = load_scenario(stored)
    assert again.description == Text(vi=words.strip(), en=words.strip())
    assert [e.id for e in store.list_entries() if e.problem] == []


def test_an_upload_that_would_not_open_again_is_refused_not_stored(tmp_path, monkeypatch):
    lib = tmp_path / "library"
    monkeypatch.setenv(store.LIBRARY_ENV, str(lib))
    # 600,000 apostrophes in a double-quoted text: written back, YAML doubles each one (1.2 MB).
    data = ('name: x\ndescription: "' + "'" * 600_000 + '"\n').encode()
    loads(data)  # the file itself is fine
    with pytest.raises(InputError, match="would be 1,200,"):
        store.import_upload(data, "quotes.yaml")
    assert not lib.exists() or [p for p in lib.rglob("*.yaml")] == []


def test_one_text_is_written_once():
    s = Scenario(name=Text(vi="Kế hoạch", en="Kế hoạch"), description=Text(vi="Ghi chú", en="Note"))
    text = s.to_yaml()
    assert "name: Kế hoạch\n" in text and "vi: Ghi chú" in text and "en: Note" in text
    assert loads(text) == s


def test_files_in_the_repository_are_unaffected():
    for path in sorted((ROOT / "scenarios").glob("*.yaml")) + sorted((ROOT / "stories").glob("*.yaml")):
        start = time.perf_counter()
        if path.parent.name == "stories":
            loads_story(path.read_bytes(), path.name)
        else:
            load_scenario(path)
        assert time.perf_counter() - start < SECOND, path


def test_no_temporary_file_is_left_by_refused_uploads(tmp_path, monkeypatch):
    lib = tmp_path / "library"
    lib.mkdir()
    monkeypatch.setenv(store.LIBRARY_ENV, str(lib))
    for text, _ in HOSTILE.values():
        with pytest.raises(InputError):
            store.import_upload(_bytes(text), "x.yaml")
    assert os.listdir(lib) in ([], [".trash"]) and not list(lib.rglob("*.tmp"))


# ----------------------------------------------------------------- workbooks


def test_a_formula_as_a_scenario_name_stays_text_in_every_workbook():
    import io

    from openpyxl import load_workbook

    from sim.compare import excel_bytes, runs_of
    from sim.export import long_frame, to_bytes
    from sim.report.pack import build_pack
    from sim.report.workbook import render_xlsx

    evil = '=HYPERLINK("http://evil.example/a","Mở")'
    scen = Scenario(name=Text(vi=evil, en=evil))
    runs = runs_of([baseline(), scen])
    books = {
        "compare": excel_bytes(runs, "vi"),
        "long table": to_bytes(long_frame(runs, lang="vi"), "xlsx"),
        "meeting pack": render_xlsx(build_pack(scen, lang="vi")),
    }
    for what, data in books.items():
        wb = load_workbook(io.BytesIO(data))
        cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value is not None]
        assert not [c.coordinate for c in cells if c.data_type == "f"], what
        assert any(c.value == evil for c in cells), what  # the name is there, as the text it is
