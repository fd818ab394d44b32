"""The live channel, on both back-ends: a presenter publishes, every follower reads back; bad names and large
states refused."""

import multiprocessing as mp

import pytest

from sim import store
from sim.errors import InputError


def test_live_roundtrip(kind):
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


def _publish(step: int) -> None:
    store.put_live("talk2", {"step": step})


def test_a_state_published_by_another_process_is_read_here(kind):
    ctx = mp.get_context("fork")
    p = ctx.Process(target=_publish, args=(7,))
    p.start()
    p.join(60)
    assert p.exitcode == 0
    assert store.get_live("talk2") == {"step": 7}
