"""Data for module c2w1: a small, seeded coffee-roasting problem with two features.

A roast is good when it was hot enough, long enough, and not both too hot and too long: inside the
triangle bounded by temperature > 175 °C, duration > 12 min, and the line
duration = 21 - 3/85 * temperature (hotter roasts must be shorter). Each boundary is a straight
line, so one sigmoid neuron can draw each, and a second layer can combine them: the lessons build
that network by hand.
"""

from __future__ import annotations

import numpy as np


def good_roast(temperature, duration):
    """The rule that labels a roast good (1) or bad (0)."""
    temperature, duration = np.asarray(temperature), np.asarray(duration)
    return ((temperature > 175) & (duration > 12)
            & (duration < 21 - 3 / 85 * temperature)).astype(float)


def load_coffee_data(m: int = 200, seed: int = 2):
    """`m` roasts: X of shape (m, 2) (temperature in °C, duration in minutes) and y of shape (m,)
    (1 for a good roast)."""
    rng = np.random.default_rng(seed)
    temperature = rng.uniform(150, 285, size=m)
    duration = rng.uniform(11.5, 15.5, size=m)
    X = np.column_stack([temperature, duration])
    return X, good_roast(temperature, duration)
