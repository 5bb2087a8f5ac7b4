"""Server measurements for module c3w1-anomaly: a seeded generator, nothing is downloaded.

As in the original course, each example is one server of a data centre, measured by its latency
(ms) and throughput (mb/s); the high-dimensional version adds nine more measurements (memory, CPU
load, disk and network figures, ...), eleven in all. Most servers behave normally; a few are
anomalous. The training set is unlabelled (it contains a few anomalies, as real data would); the
validation set is labelled: `y_val[i] == 1` marks an anomalous server.

    from autograder.datasets.c3w1_anomaly import load_servers
    X_train, X_val, y_val = load_servers()                 # 2 features: 307 + 307 servers
    X_train, X_val, y_val = load_servers(n_features=11)    # 11 features: 1000 + 100 servers
"""

from __future__ import annotations

import numpy as np

FEATURES = ("latency (ms)", "throughput (mb/s)", "memory use (GB)", "CPU load (%)", "disk reads (k/s)",
            "disk writes (k/s)", "network in (mb/s)", "network out (mb/s)", "open connections (k)",
            "threads (k)", "temperature (°C)")

# Mean and standard deviation of each measurement on a normal server.
_MEAN = np.array([14.0, 15.0, 22.0, 38.0, 12.0, 8.0, 40.0, 35.0, 5.0, 2.5, 55.0])
_STD = np.array([1.3, 1.4, 3.0, 6.0, 2.0, 1.5, 5.0, 4.5, 0.8, 0.4, 3.0])

_SIZES = {2: (307, 307, 6, 9, 0), 11: (1000, 100, 10, 10, 1)}  # m_train, m_val, anomalies in each, seed


def _anomalies(rng: np.random.Generator, count: int, n: int) -> np.ndarray:
    """Servers that are off in a few of their measurements: some far out, some only a little."""
    z = rng.normal(0, 1, size=(count, n))
    for row in z:
        off = rng.choice(n, size=rng.integers(1, min(n, 3) + 1), replace=False)
        size = rng.uniform(2.5, 7.0, size=len(off)) * rng.choice([-1.0, 1.0], size=len(off))
        row[off] = size
    return _MEAN[:n] + z * _STD[:n]


def load_servers(n_features: int = 2) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The data set with 2 or 11 features: `(X_train, X_val, y_val)`.

    X_train (m_train, n): unlabelled measurements; X_val (m_val, n) and y_val (m_val,) of 0/1
    integers: labelled measurements (1 = anomalous). The same arrays on every call.
    """
    if n_features not in _SIZES:
        raise ValueError(f"n_features must be 2 or 11, not {n_features!r}")
    n = n_features
    m_train, m_val, a_train, a_val, seed = _SIZES[n]
    rng = np.random.default_rng(20240 + seed)

    def normal(count: int) -> np.ndarray:
        return _MEAN[:n] + rng.normal(0, 1, size=(count, n)) * _STD[:n]

    X_train = np.vstack([normal(m_train - a_train), _anomalies(rng, a_train, n)])
    X_train = X_train[rng.permutation(m_train)]
    X_val = np.vstack([normal(m_val - a_val), _anomalies(rng, a_val, n)])
    y_val = np.r_[np.zeros(m_val - a_val, dtype=int), np.ones(a_val, dtype=int)]
    order = rng.permutation(m_val)
    return np.round(X_train, 3), np.round(X_val[order], 3), y_val[order]
