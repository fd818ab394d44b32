"""Path interpolation (number formatting: tests/test_fmt.py)."""

from __future__ import annotations

import numpy as np
from numpy.testing import assert_allclose

from sim.paths import evaluate, weights


def test_path_is_linear_between_breakpoints_and_flat_outside():
    path = {2025: 8.0, 2030: 8.0, 2045: 6.0}
    got = evaluate(path, [2020, 2025, 2027, 2030, 2036, 2045, 2050])
    assert_allclose(got, [8.0, 8.0, 8.0, 8.0, 8.0 - 2.0 * 6 / 15, 6.0, 6.0])
    assert_allclose(evaluate(3.5, [2024, 2045]), [3.5, 3.5])


def test_weights_reproduce_the_path():
    years = np.arange(2024, 2046)
    bx = np.array([2024.0, 2030.0, 2045.0])
    vals = np.array([1.0, 3.0, 2.0])
    assert_allclose(vals @ weights(bx, years), evaluate(dict(zip(bx.astype(int), vals, strict=True)), years))
