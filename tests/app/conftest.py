"""Every app test runs on a scenario library of its own: a copy of the presets, never the repo's folder."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from sim import store

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    lib = tmp_path / "scenarios"
    shutil.copytree(ROOT / "scenarios", lib)
    monkeypatch.setenv(store.LIBRARY_ENV, str(lib))
    return lib
