"""Year-keyed paths: linear between breakpoints, flat before the first and after the last."""

from __future__ import annotations

import numpy as np

PathLike = float | int | dict[int, float]


def breakpoints(path: PathLike) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (years, values) of a path; a plain number is one breakpoint (a flat path)."""
    if isinstance(path, dict):
        items = sorted((int(y), float(v)) for y, v in path.items())
        return np.array([y for y, _ in items], dtype=float), np.array([v for _, v in items], dtype=float)
    return np.array([0.0]), np.array([float(path)])


def evaluate(path: PathLike, years: np.ndarray | range) -> np.ndarray:
    """Value of a path in each year.

    Example: ``evaluate({2025: 8.0, 2030: 8.0, 2045: 6.0}, [2024, 2035])`` gives ``[8.0, 7.333…]``.
    """
    xs, ys = breakpoints(path)
    return np.interp(np.asarray(years, dtype=float), xs, ys)


def weights(bp_years: np.ndarray, years: np.ndarray | range) -> np.ndarray:
    """Interpolation weights W (breakpoints × years) so that ``values @ W`` evaluates the path.

    Paths are linear in their breakpoint values; the engine uses this to anchor a path at a value
    that differs between parameter draws (the calibrated enterprise R&D of the base year).
    """
    n = len(bp_years)
    eye = np.eye(n)
    return np.stack([np.interp(np.asarray(years, dtype=float), bp_years, eye[i]) for i in range(n)])
