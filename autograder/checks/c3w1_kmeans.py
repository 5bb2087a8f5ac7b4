"""Checks for module c3w1-kmeans: k-means clustering.

`check_find_closest_centroids` and `check_compute_centroids` compare the learner's function with the
reference on hand-computable cases, edge cases (ties, one example, an empty cluster) and a seeded
random case, and name the mistake when the result matches one in the catalogue `MISTAKES`.

`check_kMeans_init_centroids` cannot compare with one expected answer, since the function is random.
It calls the function under several seeds of numpy's global generator and requires, every time, an
array of shape (K, n) whose rows are K *different* examples of X, with X itself left unchanged; and,
across seeds, that the picks change and are not always taken from the first K examples. Both
`np.random.permutation`-style and `rng.choice(..., replace=False)`-style implementations pass, seeded
by `np.random.seed` or not. The global generator's state is restored afterwards.

The rules the exercise states and these checks hold the learner to:
- `find_closest_centroids`: squared Euclidean distance; integer indices 0..K-1 of shape (m,); a point
  at the same distance from several centroids goes to the lowest index (what `np.argmin` does).
- `compute_centroids`: the mean of the points assigned to each cluster, shape (K, n); a cluster with
  no points gets a centroid of zeros, computed without a division by zero (no nan, no warning). That
  convention is a rule beyond the mathematics, its own check (`check_compute_centroids_empty_cluster`,
  cell `test_compute_centroids__empty_cluster`) with its own point.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, check, mistake, rule_words, show, type_name, values_first

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_find_closest_centroids(X, centroids):
    X = np.asarray(X, dtype=float)
    centroids = np.asarray(centroids, dtype=float)
    sq_dist = np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=2)  # (m, K)
    return np.argmin(sq_dist, axis=1)  # ties: the first (lowest) index


def ref_compute_centroids(X, idx, K):
    X = np.asarray(X, dtype=float)
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        members = X[idx == k]
        if len(members) > 0:  # an empty cluster keeps its centroid of zeros
            centroids[k] = members.mean(axis=0)
    return centroids


def ref_kMeans_init_centroids(X, K):
    randidx = np.random.permutation(X.shape[0])
    return X[randidx[:K]]


# ---------------------------------------------------------------------------------------------
# find_closest_centroids: plausible mistakes.


def _sq_dists(X, centroids):
    return np.sum((X[:, None, :] - centroids[None, :, :]) ** 2, axis=2)


@mistake("the L1 (Manhattan) distance sum(|x - mu|) was used; k-means uses the squared Euclidean "
         "distance sum((x - mu)**2) (or its square root, `np.linalg.norm(x - mu)`, which picks the same centroid).")
def _closest_l1(X, centroids):
    return np.argmin(np.sum(np.abs(X[:, None, :] - centroids[None, :, :]), axis=2), axis=1)


@mistake("`np.argmax` picks the *farthest* centroid; use `np.argmin` for the closest one.")
def _closest_argmax(X, centroids):
    return np.argmax(_sq_dists(X, centroids), axis=1)


@mistake("the indices start at 1; Python counts centroids from 0, so the first centroid is index 0 "
         "(do not add 1 to `np.argmin`'s result).")
def _closest_one_based(X, centroids):
    return np.argmin(_sq_dists(X, centroids), axis=1) + 1


@mistake("`idx` holds floats: `np.zeros(m)` makes a float array; create it with "
         "`np.zeros(m, dtype=int)` so that the indices are integers.")
def _closest_float(X, centroids):
    return np.argmin(_sq_dists(X, centroids), axis=1).astype(float)


@mistake("the differences were summed without squaring them, so positive and negative differences "
         "cancel; the distance is sum((x - mu)**2).")
def _closest_not_squared(X, centroids):
    return np.argmin(np.sum(X[:, None, :] - centroids[None, :, :], axis=2), axis=1)


@mistake("`np.argmin` over axis 0 of the (m, K) distance matrix picks, for each centroid, its closest "
         "example; take the minimum over axis 1 (over the centroids) for each example.")
def _closest_axis0(X, centroids):
    return np.argmin(_sq_dists(X, centroids), axis=0)


@mistake("ties go to the last centroid (`<=` when comparing distances in the loop); keep the first, "
         "lowest index on a tie: compare with `<`, or use `np.argmin`.")
def _closest_ties_last(X, centroids):
    d = _sq_dists(X, centroids)
    K = d.shape[1]
    return K - 1 - np.argmin(d[:, ::-1], axis=1)


@mistake("the loop over the centroids stops one short (`range(K - 1)`), so the last centroid is never "
         "chosen; `for j in range(K)` (or `range(centroids.shape[0])`) visits all K.")
def _closest_skips_last_centroid(X, centroids):
    if len(centroids) < 2:
        return ref_find_closest_centroids(X, centroids)
    return ref_find_closest_centroids(X, centroids[:-1])


@mistake("the centroids themselves were returned; return the *index* of the closest centroid for "
         "each example (an integer array of shape (m,)).")
def _closest_returns_centroids(X, centroids):
    return centroids[np.argmin(_sq_dists(X, centroids), axis=1)]


@mistake("a Python list was returned; return a numpy integer array (`np.zeros(m, dtype=int)` filled "
         "in, or `np.argmin(..., axis=1)`).")
def _closest_list(X, centroids):
    return [int(i) for i in np.argmin(_sq_dists(X, centroids), axis=1)]


# ---------------------------------------------------------------------------------------------
# compute_centroids: plausible mistakes.

WARNED_ON_EMPTY = ("an empty cluster makes a division by zero (0 points): numpy warned and the "
                   "result passed through nan before being replaced. Compute the mean only for clusters "
                   "that have points (`if len(points) > 0:` in the loop, or `np.divide(sums, counts, "
                   "out=np.zeros_like(sums), where=counts > 0)`), and leave the others at zero.")


@mistake("the sum was divided by m, the number of *all* examples; divide by the number of points "
         "in cluster k (the centroid is the mean of the cluster's points).")
def _centroids_divide_by_m(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = np.sum(X[idx == k], axis=0) / X.shape[0]
    return centroids


@mistake("the points were summed but not divided by their number; the centroid is their mean.")
def _centroids_sum(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = np.sum(X[idx == k], axis=0)
    return centroids


@mistake("`np.mean` of an empty cluster is nan (with a RuntimeWarning); the exercise's rule is that a "
         "cluster with no points gets a centroid of zeros: compute the mean only when the cluster has points.")
def _centroids_nan_on_empty(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        centroids[k] = np.mean(X[idx == k], axis=0)
    return centroids


@mistake("`np.mean` without `axis=0` averages all the coordinates of the cluster's points into one "
         "number; take the mean over the points, `np.mean(points, axis=0)`, one value per feature.")
def _centroids_no_axis(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = np.mean(points)
    return centroids


@mistake("the cluster labels were taken as 1-based (`idx == k + 1`); clusters are numbered 0 to K-1.")
def _centroids_one_based(X, idx, K):
    centroids = np.zeros((K, X.shape[1]))
    for k in range(K):
        points = X[idx == k + 1]
        if len(points) > 0:
            centroids[k] = np.mean(points, axis=0)
    return centroids


@mistake("only the clusters that have points were returned (looping over `np.unique(idx)`); return "
         "K rows, one for every cluster 0..K-1, with zeros for a cluster that has no points.")
def _centroids_only_present(X, idx, K):
    return np.array([np.mean(X[idx == k], axis=0) for k in np.unique(idx)])


@mistake("`centroids` has an integer dtype (e.g. `np.zeros((K, n), dtype=int)`), which truncates the "
         "means; use `np.zeros((K, n))`.")
def _centroids_int(X, idx, K):
    return ref_compute_centroids(X, idx, K).astype(int)


@mistake(WARNED_ON_EMPTY)
def _centroids_warns_on_empty(X, idx, K):
    onehot = (idx[:, None] == np.arange(K)[None, :]).astype(float)
    counts = onehot.sum(axis=0)[:, None]
    means = (onehot.T @ X) / counts  # 0/0 = nan (and a warning) for an empty cluster
    return np.where(counts > 0, means, 0.0)


# ---------------------------------------------------------------------------------------------
# kMeans_init_centroids: plausible mistakes.


@mistake("the first K examples are always returned (`X[:K]`); pick K examples at random: "
         "`randidx = np.random.permutation(X.shape[0])`, then `X[randidx[:K]]`.")
def _init_first_k(X, K):
    return X[:K]


@mistake("examples were drawn *with replacement* (`np.random.randint` or `np.random.choice` without "
         "`replace=False`), so the same example can be picked twice and two centroids start at the "
         "same place; use `np.random.permutation(X.shape[0])[:K]`.")
def _init_with_replacement(X, K):
    return X[np.random.randint(0, X.shape[0], K)]


@mistake("random points were generated instead of picking examples of X; the initial centroids "
         "are K examples of X: `X[np.random.permutation(X.shape[0])[:K]]`.")
def _init_random_points(X, K):
    lo, hi = X.min(axis=0), X.max(axis=0)
    return lo + np.random.rand(K, X.shape[1]) * (hi - lo)


@mistake("the random indices were returned; return the examples themselves, `X[randidx[:K]]`, "
         "an array of shape (K, n).")
def _init_indices(X, K):
    return np.random.permutation(X.shape[0])[:K]


@mistake("`np.random.permutation(K)` shuffles only the numbers 0..K-1, so the picks always come from "
         "the first K examples; shuffle all m indices: `np.random.permutation(X.shape[0])`.")
def _init_permute_k(X, K):
    return X[np.random.permutation(K)]


@mistake("`np.random.shuffle(X)` shuffles your data set in place: the caller's X changes order (and "
         "no longer lines up with anything computed from it); shuffle indices instead, "
         "`randidx = np.random.permutation(X.shape[0])`.")
def _init_shuffles_x(X, K):
    np.random.shuffle(X)
    return X[:K]


@mistake("a generator with a fixed seed inside the function (e.g. `np.random.default_rng(0)`) gives "
         "the same centroids on every call, so random restarts all start from the same place; use "
         "`np.random.permutation` and let the caller seed it.")
def _init_fixed_seed(X, K):
    return X[np.random.default_rng(0).permutation(X.shape[0])[:K]]


@mistake("the slice takes K-1 examples (off by one); `randidx[:K]` takes exactly K.")
def _init_off_by_one(X, K):
    return X[np.random.permutation(X.shape[0])[:K - 1]]


@mistake("the loop over the clusters stops one short (`range(K - 1)`), so the last centroid stays 0; "
         "`for k in range(K)` computes all K.")
def _centroids_skips_last(X, idx, K):
    centroids = ref_compute_centroids(X, idx, K)
    centroids[-1] = 0.0
    return centroids


MISTAKES = {
    "find_closest_centroids": [_closest_l1, _closest_argmax, _closest_one_based, _closest_float,
                               _closest_not_squared, _closest_axis0, _closest_ties_last,
                               _closest_returns_centroids, _closest_list, _closest_skips_last_centroid],
    "compute_centroids": [_centroids_divide_by_m, _centroids_sum, _centroids_no_axis, _centroids_one_based,
                          _centroids_int, _centroids_skips_last],
    # Right means that break the empty-cluster convention (the rule check's catalogue): each passes
    # the values check and loses only the rule's point.
    "compute_centroids__empty_cluster": [_centroids_nan_on_empty, _centroids_warns_on_empty,
                                         _centroids_only_present],
    "kMeans_init_centroids": [_init_first_k, _init_with_replacement, _init_random_points, _init_indices,
                              _init_permute_k, _init_shuffles_x, _init_fixed_seed, _init_off_by_one],
}


# ---------------------------------------------------------------------------------------------
# Cases.


def _random_points(seed: int, m: int, centers) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centers = np.asarray(centers, dtype=float)
    labels = rng.integers(0, len(centers), size=m)
    return centers[labels] + rng.normal(0, 0.8, size=(m, centers.shape[1]))


# The first case separates the catalogued mistakes: from the point (0, 0) the centroid (2, 2) is the
# closest in Euclidean distance but (3, 0) is the closest in L1 distance; the points near (6, 5)
# are farthest from (0, 0) and closest to (6, 5), so argmax, argmin over axis 0 and 1-based indices
# all differ. All coordinates are small integers, so every distance is exact in floating point.
_X_HAND = np.array([[0.0, 0.0], [1.0, 1.0], [4.0, 1.0], [6.0, 5.0], [7.0, 4.0], [2.0, 3.0]])
_C_HAND = np.array([[3.0, 0.0], [2.0, 2.0], [6.0, 5.0]])

# Ties, with exact distances: (1, 0) is as far from centroid 0 as from centroid 1; (1, 1) is as far
# from all three; (0, 1) from 0 and 2; (2, 2) from 1 and 2. The lowest index wins: [0 0 0 1 0 1].
_X_TIES = np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 1.0], [3.0, 0.0], [-1.0, 0.0], [2.0, 2.0]])
_C_TIES = np.array([[0.0, 0.0], [2.0, 0.0], [0.0, 2.0]])


# ---------------------------------------------------------------------------------------------
# What the checks of this module switch on: the arguments must not change (the caller's data stays
# as it was; the exercise says so), a raised exception shows the case's inputs whole, and the
# inputs that are a batch of examples (or one example) are said to be so on a shape error.

ARGUMENTS_KEPT = {"find_closest_centroids", "compute_centroids"}  # kMeans_init_centroids: its own rule


@check
def check_find_closest_centroids(find_closest_centroids):
    c = Check("find_closest_centroids", find_closest_centroids, ref_find_closest_centroids,
              MISTAKES["find_closest_centroids"], strict_int=True, mutation="fail", detail_raised=True,
              examples={"X": "batch", "centroids": "batch"})
    c.case(X=_X_HAND, centroids=_C_HAND)  # [1 1 0 2 2 1]
    c.case(note="ties go to the lowest index", X=_X_TIES, centroids=_C_TIES)  # [0 0 0 1 0 1]
    c.case(note="one example", X=np.array([[2.0, -1.0]]), centroids=np.array([[5.0, 5.0], [2.5, -1.0]]))
    c.case(note="one centroid", X=_X_HAND, centroids=np.array([[1.0, 1.0]]))
    c.case(note="three features", X=np.array([[1.0, 2.0, 3.0], [9.0, 8.0, 7.0], [5.0, 5.0, 0.0], [0.0, 1.0, 9.0]]),
           centroids=np.array([[0.0, 0.0, 0.0], [10.0, 10.0, 10.0], [0.0, 0.0, 10.0]]))
    X = _random_points(1, 60, [[1, 1], [5, 1], [3, 4], [6, 5]])
    c.case(note="random", X=X, centroids=X[[3, 17, 42, 55]] + 0.25)
    c.passed()


def _no_warnings(c: Check, args: dict, note: str) -> None:
    """Fail when the learner's function made numpy (or Python) warn on the last case."""
    if c.caught_warnings:
        first = c.caught_warnings[0]
        text = f"{first.category.__name__}: {first.message}"
        division = any(isinstance(w.message, RuntimeWarning) for w in c.caught_warnings)
        c.fail(args, f"the values are right, but your function raised a warning ({text}), which "
                     "would be printed every time k-means runs.", [WARNED_ON_EMPTY] if division else [], note)


_CENTROIDS_X = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 0.0], [8.0, 8.0], [6.0, 2.0], [2.0, 2.0]])


@check
def check_compute_centroids(compute_centroids):
    """The means of the clusters (the mathematics), every cluster with points; the convention for
    an empty cluster is the rule check `check_compute_centroids_empty_cluster`."""
    c = Check("compute_centroids", compute_centroids, ref_compute_centroids, MISTAKES["compute_centroids"],
              mutation="fail", detail_raised=True, examples={"X": "batch"})
    X = _CENTROIDS_X
    c.case(X=X, idx=np.array([0, 0, 1, 2, 1, 0]), K=3)  # [[2, 8/3], [5.5, 1], [8, 8]]
    c.case(note="one cluster", X=X, idx=np.zeros(6, dtype=int), K=1)
    c.case(note="three features", X=np.array([[1.0, 2.0, 3.0], [9.0, 8.0, 7.0], [5.0, 5.0, 0.0], [0.0, 1.0, 9.0]]),
           idx=np.array([1, 0, 0, 1]), K=2)
    rng = np.random.default_rng(2)
    X = _random_points(2, 50, [[1, 1], [5, 1], [3, 4], [6, 5]])
    c.case(note="random", X=X, idx=rng.permutation(np.arange(50) % 4), K=4)
    c.passed()


@check
def check_compute_centroids_empty_cluster(compute_centroids):
    """The rule "the empty-cluster convention": a cluster with no points gets a centroid of zeros,
    without a division by zero (no nan, no warning)."""
    c = Check("compute_centroids", compute_centroids, ref_compute_centroids,
              MISTAKES["compute_centroids__empty_cluster"], mutation="fail", detail_raised=True,
              examples={"X": "batch"}, rule=rule_words("c3w1-kmeans", "compute_centroids", "empty_cluster"))
    values_first(c, check_compute_centroids)
    X = _CENTROIDS_X
    for note, args in (("cluster 2 has no points", dict(X=X, idx=np.array([0, 3, 0, 1, 3, 3]), K=4)),
                       ("cluster 2, the last, has no points", dict(X=X, idx=np.array([1, 0, 1, 0, 0, 1]), K=3))):
        c.case(note=note, **args)
        _no_warnings(c, args, note)
    c.passed()


# ---------------------------------------------------------------------------------------------
# kMeans_init_centroids: a random function, checked by its properties under several seeds.

_SEEDS = tuple(range(8))


def _init_data() -> np.ndarray:
    """12 distinct examples with 2 features (distinct rows, so a row names its example)."""
    rng = np.random.default_rng(3)
    return np.round(rng.uniform(-5, 5, size=(12, 2)), 2) + np.arange(12)[:, None] * 1e-3


def _same(a, b) -> bool:
    try:
        a, b = np.asarray(a), np.asarray(b)
        return a.shape == b.shape and bool(np.allclose(a.astype(float), b.astype(float), rtol=1e-9, atol=1e-12))
    except (TypeError, ValueError):
        return False


def _rows_of(X: np.ndarray, got: np.ndarray) -> list[int | None]:
    """For each row of `got`, the index of the example of X it equals (None if none)."""
    got = np.asarray(got, dtype=float).reshape(len(got), -1)
    close = np.abs(X[None, :, :] - got[:, None, :]) <= 1e-12 + 1e-12 * np.abs(got[:, None, :])  # np.isclose's test
    hit = np.all(close, axis=2)  # hit[r, i]: row r of `got` is example i of X
    first = np.argmax(hit, axis=1)
    return [int(i) if hit[r, i] else None for r, i in enumerate(first)]


def _init_differs(c: Check, X: np.ndarray):
    """kMeans_init_centroids' comparison, by properties: K distinct examples of X, X unchanged."""
    n = X.shape[1]

    def differs(got, expected):
        K = expected.shape[0]
        if got is None:
            return "got None. Did you forget a `return` statement?"
        if not isinstance(got, np.ndarray):
            return f"got {type_name(got)}, expected a numpy array of shape ({K}, {n}): K examples of X."
        if got.shape != (K, n):
            return f"got an array of shape {got.shape}, expected shape ({K}, {n}): K examples of X."
        if "X" in c.mutated:
            return ("your function changed its argument X (the caller's data set is now in a "
                    "different order or has different values); it must leave X as it is.")
        rows = _rows_of(X, got)
        if None in rows:
            r = rows.index(None)
            return (f"row {r} of the result, {show(got[r])}, is not an example of X; each initial "
                    "centroid must be one of the examples.")
        if len(set(rows)) < K:
            twice = next(i for i in rows if rows.count(i) > 1)
            return (f"example {twice} of X was picked more than once (got the examples {rows}); "
                    "the K initial centroids must be K different examples.")
        return None

    return differs


def _seeded_reason(c: Check):
    return lambda args, got, expected, reason, causes: f"with np.random.seed({c.seed}) before the call, {reason}"


def _across_seeds(c: Check, args: dict, reason: str, among, note: str) -> None:
    """Fail on a property of the picks across seeds, naming only the mistakes of `among` that give
    the learner's result under the first seed (under one seed a correct-looking pick proves nothing)."""
    c.seed = _SEEDS[0]
    got = c.call(args)
    c.fail(args, reason, c.named_by(args, got, among), note)


@check
def check_kMeans_init_centroids(kMeans_init_centroids):
    # A random function, checked by its properties under several seeds of numpy's global
    # generator (the seeds travel to the clean re-check's kernel, as does X after the call).
    X = _init_data()
    c = Check("kMeans_init_centroids", kMeans_init_centroids, ref_kMeans_init_centroids,
              MISTAKES["kMeans_init_centroids"], mutation="report", same=_same)
    c.compare_hook = _init_differs(c, X)
    c.describe = _seeded_reason(c)
    m = X.shape[0]
    for K in (3, 1, m):
        args = {"X": X, "K": K}
        note = "K = m: every example once" if K == m else ""
        picks = [tuple(_rows_of(X, c.case(note=note, seed=seed, **args))) for seed in _SEEDS]
        if K < m and len(set(picks)) == 1:
            _across_seeds(c, args, f"every seed gave the same examples {list(picks[0])}; the choice must be "
                          "random (different seeds, different picks). If your function seeds a generator "
                          "itself (`np.random.seed(0)` or `default_rng(0)` inside it), remove that: the "
                          "caller seeds.", [_init_first_k, _init_fixed_seed], note)
        if K < m and all(i < K for p in picks for i in p):
            _across_seeds(c, args, f"under {len(_SEEDS)} seeds the picks all came from the first {K} examples; "
                          "every example of X must have a chance to be picked.", [_init_permute_k], note)
    c.passed()
