"""Seeded data for module c2w3: a one-feature regression problem whose true curve is a cubic, so
that a straight line underfits, a cubic fits, and a degree-10 polynomial on few examples overfits."""

from __future__ import annotations

import numpy as np


def true_curve(x):
    """The noiseless target: a cubic with one bump and one dip on [0, 5]."""
    x = np.asarray(x, dtype=float)
    return 0.5 * x**3 - 3.8 * x**2 + 7.5 * x + 2.0


def make_polynomial_data(m: int = 40, noise: float = 1.0, seed: int = 2):
    """`m` examples: x uniform on [0, 5] (shape (m,)), y = true_curve(x) + Gaussian noise."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(0.0, 5.0, size=m))
    y = true_curve(x) + rng.normal(0.0, noise, size=m)
    return x, y
