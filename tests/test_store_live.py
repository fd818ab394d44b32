"""The live channel: a presenter publishes, every follower reads back; bad names and large states refused."""

import pytest

from sim import store
from sim.errors import InputError


def test_live_roundtrip(tmp_path, monkeypatch):
    monkeypatch.setenv(store.LIBRARY_ENV, str(tmp_path))
    assert store.get_live("talk1") is None
    store.put_live("talk1", {"story": "binh-phuoc", "step": 2})
    assert store.get_live("talk1") == {"story": "binh-phuoc", "step": 2}
    store.put_live("talk1", {"story": "binh-phuoc", "step": 3})
    assert store.get_live("talk1")["step"] == 3
    for bad in ("../x", "", "a/b", "x" * 65):
        with pytest.raises(InputError):
            store.put_live(bad, {})
    with pytest.raises(InputError):
        store.put_live("big", {"x": "y" * 20000})
    assert store.get_live("big") is None
