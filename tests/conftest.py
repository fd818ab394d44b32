"""Shared test fixtures: a small hand-sized region profile; a real PostgreSQL server for the store."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pg_cluster
import pytest

from sim import store
from sim.profiles import Profile

ROOT = Path(__file__).resolve().parents[1]

SMALL_PROFILE = {
    "id": "binh-phuoc",  # the id must be a shipped one for scenario validation; the data are the test's own
    "name": {"vi": "Tỉnh nhỏ", "en": "Small province"},
    "description": {"vi": "", "en": ""},
    "base_year": 2020,
    "horizon": 2025,
    "data_vintage": "test",
    "digital_measure": {"vi": "", "en": ""},
    "base": {
        "grdp_nominal": {"value": 1000.0, "unit": "bn VND", "tag": "assumption", "source": "test"},
        "real_growth": {"value": 5.0, "unit": "%", "tag": "assumption", "source": "test"},
        "population": {"value": 1000.0, "unit": "people", "tag": "assumption", "source": "test"},
        "rd_intensity": {"value": 2.0, "unit": "%", "tag": "assumption", "source": "test"},
        "digital_share": {"value": 10.0, "unit": "%", "tag": "assumption", "source": "test"},
    },
    "defaults": {
        "stid_budget_share": {"value": 10.0, "tag": "assumption", "source": "test"},
        "rd_share_of_stid": {"value": 50.0, "tag": "assumption", "source": "test"},
        "central_floor_share": {"value": 5.0, "tag": "assumption", "source": "test"},
        "budget_to_grdp": {"value": 20.0, "tag": "assumption", "source": "test"},
        "real_growth_base": {"value": 5.0, "tag": "assumption", "source": "test"},
        "inflation": {"value": 2.0, "tag": "assumption", "source": "test"},
        "population_growth": {"value": 1.0, "tag": "assumption", "source": "test"},
        "rd_crowding_in": {"value": 0.5, "tag": "assumption", "source": "test"},
        "rd_lag": {"value": 1, "tag": "assumption", "source": "test"},
        "digital_ceiling": {"value": 50.0, "tag": "assumption", "source": "test"},
        "digital_diffusion_base": {"value": 0.2, "tag": "assumption", "source": "test"},
        "digital_spending_effect": {"value": 1.0, "tag": "assumption", "source": "test"},
        "dx_private_multiplier": {"value": 1.0, "tag": "assumption", "source": "test"},
        "rd_return": {"value": 0.5, "tag": "assumption", "source": "test"},
        "dx_growth_effect": {"value": 0.2, "tag": "assumption", "source": "test"},
        "rd_depreciation": {"value": 15.0, "tag": "assumption", "source": "test"},
    },
    "targets": [
        {
            "id": "digital_share_2030",
            "metric": "digital_share",
            "year": 2025,
            "op": ">=",
            "value": 30.0,
            "unit": "%",
            "label": {"vi": "x", "en": "x"},
            "source": "test",
        },
        {
            "id": "rd_intensity_2030",
            "metric": "rd_intensity",
            "year": 2025,
            "op": ">=",
            "value": 3.0,
            "unit": "%",
            "label": {"vi": "x", "en": "x"},
            "source": "test",
        },
        {
            "id": "envelope_above_floor",
            "metric": "envelope_to_floor",
            "year": None,
            "op": ">=",
            "value": 100.0,
            "unit": "% of floor",
            "label": {"vi": "x", "en": "x"},
            "source": "test",
        },
        {
            "id": "envelope_non_decreasing",
            "metric": "envelope_growth",
            "year": None,
            "op": ">=",
            "value": 0.0,
            "unit": "%/yr",
            "label": {"vi": "x", "en": "x"},
            "source": "test",
        },
    ],
}


@pytest.fixture
def small_profile() -> Profile:
    return Profile.model_validate(SMALL_PROFILE)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[pg_cluster.Cluster]:
    """A PostgreSQL server of this test process (each pytest-xdist worker starts its own), stopped at the end.

    Without Debian's server programs the PostgreSQL tests are skipped, except in CI (``CI=true``), where
    they must run: there a missing server is a failure.
    """
    try:
        cluster = pg_cluster.start()
    except pg_cluster.Unavailable as exc:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"{exc}; CI must test the PostgreSQL library")
        pytest.skip(str(exc))
    yield cluster
    cluster.stop()


@pytest.fixture
def pg_url(pg_server: pg_cluster.Cluster) -> Iterator[str]:
    """The URL of a fresh, empty database on the test server (its connections closed afterwards)."""
    url = pg_server.new_database()
    yield url
    from sim.store import postgres

    postgres.close(url)


@pytest.fixture
def lib(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder library holding a copy of the presets."""
    d = tmp_path / "library"
    shutil.copytree(ROOT / "scenarios", d)
    monkeypatch.setenv(store.LIBRARY_ENV, str(d))
    monkeypatch.delenv(store.STORE_ENV, raising=False)
    return d


@pytest.fixture(params=["folder", "postgresql"])
def kind(request: pytest.FixtureRequest, lib: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """The back-end under test; both start with the presets only."""
    if request.param == "postgresql":
        monkeypatch.setenv(store.STORE_ENV, request.getfixturevalue("pg_url"))
    return request.param
