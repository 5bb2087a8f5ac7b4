"""c3w1-kmeans checks: correct alternatives pass; wrong ones outside the catalogue fail with the
ladder's messages (the catalogue itself is exercised by test_catalogues.py); the learner's k-means,
built from the reference functions, agrees with scikit-learn's KMeans."""

from __future__ import annotations

import random
import warnings

import numpy as np
import pytest

from autograder.checks import c3w1_kmeans as ck
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives ----------------------------------------------------------------------


def closest_loop(X, centroids):  # the original course's loop, with np.linalg.norm
    K = centroids.shape[0]
    idx = np.zeros(X.shape[0], dtype=int)
    for i in range(X.shape[0]):
        distance = []
        for j in range(K):
            distance.append(np.linalg.norm(X[i] - centroids[j]))
        idx[i] = np.argmin(distance)
    return idx


def closest_loop_strict_less(X, centroids):  # keeps the first centroid on a tie by comparing with <
    idx = np.zeros(len(X), dtype=np.int32)
    for i, x in enumerate(X):
        best, best_d = 0, np.inf
        for j, c in enumerate(centroids):
            d = np.sum((x - c) ** 2)
            if d < best_d:
                best, best_d = j, d
        idx[i] = best
    return idx


def closest_broadcast(X, centroids):
    return np.argmin(np.linalg.norm(X[:, np.newaxis] - centroids, axis=2), axis=1)


def closest_expanded(X, centroids):  # |x|^2 - 2 x.c + |c|^2, the fast way for big data
    d = (X**2).sum(1)[:, None] - 2 * X @ centroids.T + (centroids**2).sum(1)[None, :]
    return d.argmin(axis=1)


def closest_sklearn(X, centroids):
    from sklearn.metrics import pairwise_distances_argmin

    return pairwise_distances_argmin(X, centroids)


def centroids_loop(X, idx, K):
    m, n = X.shape
    centroids = np.zeros((K, n))
    for k in range(K):
        points = X[idx == k]
        if len(points) > 0:
            centroids[k] = np.mean(points, axis=0)
    return centroids


def centroids_add_at(X, idx, K):
    sums = np.zeros((K, X.shape[1]))
    np.add.at(sums, idx, X)
    counts = np.bincount(idx, minlength=K)
    return sums / np.maximum(counts, 1)[:, None]


def centroids_divide_where(X, idx, K):
    onehot = idx[:, None] == np.arange(K)
    sums = onehot.T.astype(float) @ X
    counts = onehot.sum(axis=0, keepdims=True).T.astype(float)
    return np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)


def centroids_list_of_rows(X, idx, K):  # a loop over a Python list, stacked at the end
    rows = []
    for k in range(K):
        members = [X[i] for i in range(len(X)) if idx[i] == k]
        rows.append(sum(members) / len(members) if members else np.zeros(X.shape[1]))
    return np.array(rows)


def init_permutation(X, K):  # the original course
    randidx = np.random.permutation(X.shape[0])
    centroids = X[randidx[:K]]
    return centroids


def init_choice(X, K):
    return X[np.random.choice(X.shape[0], size=K, replace=False)]


def init_new_generator(X, K):  # a fresh Generator, not seeded by np.random.seed: still fine
    rng = np.random.default_rng()
    return rng.choice(X, size=K, replace=False)


def init_python_random(X, K):
    return X[random.sample(range(len(X)), K)]


def init_sorted_choice(X, K):  # picks in increasing order of index: still random picks
    return X[np.sort(np.random.choice(len(X), K, replace=False))].copy()


CORRECT = {
    "find_closest_centroids": [closest_loop, closest_loop_strict_less, closest_broadcast, closest_expanded,
                               closest_sklearn],
    "compute_centroids": [centroids_loop, centroids_add_at, centroids_divide_where, centroids_list_of_rows],
    "kMeans_init_centroids": [init_permutation, init_choice, init_new_generator, init_python_random,
                              init_sorted_choice],
}


# --- the messages the issue asks for, by name --------------------------------------------------


def test_find_closest_names_l1_argmax_one_based_and_float():
    for impl, fragment in [(ck._closest_l1.implementation, "L1 (Manhattan)"),
                           (ck._closest_argmax.implementation, "np.argmax"),
                           (ck._closest_one_based.implementation, "indices start at 1"),
                           (ck._closest_float.implementation, "dtype=int")]:
        assert_rejects(ck.check_find_closest_centroids, impl, fragment)
    assert_rejects(ck.check_find_closest_centroids, ck._closest_float.implementation,
                   "expected integers")


def test_compute_centroids_names_division_by_m():
    assert_rejects(ck.check_compute_centroids, ck._centroids_divide_by_m.implementation,
                   "divided by m", "got [[1. 1.333333]")


def test_empty_cluster_nan_is_explained():
    nan_on_empty = ck._centroids_nan_on_empty.implementation
    assert_accepts(ck.check_compute_centroids, nan_on_empty)  # the means are right: their points kept
    msg = assert_rejects(ck.check_compute_centroids_empty_cluster, nan_on_empty,
                         "cluster 2 has no points", "nan", "centroid of zeros", "the empty-cluster convention")
    assert "Traceback" not in msg


def test_warning_on_empty_cluster_is_rejected_even_with_right_values():
    def warns(X, idx, K):
        out = ck.ref_compute_centroids(X, idx, K)
        if len(np.unique(idx)) < K:
            warnings.warn("Mean of empty slice.", RuntimeWarning)
        return out

    assert_accepts(ck.check_compute_centroids, warns)
    assert_rejects(ck.check_compute_centroids_empty_cluster, warns, "raised a warning", "Mean of empty slice",
                   "empty cluster makes a division by zero")


def test_init_rejects_duplicates_and_points_outside_x():
    assert_rejects(ck.check_kMeans_init_centroids, ck._init_with_replacement.implementation,
                   "with np.random.seed(", "picked more than once")
    assert_rejects(ck.check_kMeans_init_centroids, ck._init_random_points.implementation,
                   "is not an example of X")


def test_init_rejects_a_fixed_pick():
    assert_rejects(ck.check_kMeans_init_centroids, ck._init_first_k.implementation,
                   "every seed gave the same examples", "X[:K]")


def test_init_rejects_changing_x():
    msg = assert_rejects(ck.check_kMeans_init_centroids, ck._init_shuffles_x.implementation,
                         "changed its argument X", "np.random.shuffle(X)")
    assert "Or:" not in msg


# --- wrong in ways the catalogue does not name -------------------------------------------------


def test_missing_return_is_pointed_out():
    def no_return(X, centroids):
        np.argmin(np.sum((X[:, None] - centroids) ** 2, axis=2), axis=1)

    assert_rejects(ck.check_find_closest_centroids, no_return, "got None", "forget a `return`")


def test_init_missing_return_is_pointed_out():
    def no_return(X, K):
        X[np.random.permutation(len(X))[:K]]

    assert_rejects(ck.check_kMeans_init_centroids, no_return, "got None", "forget a `return`")


def test_init_list_of_rows_says_what_is_expected():
    def as_list(X, K):
        return [X[i] for i in np.random.permutation(len(X))[:K]]

    assert_rejects(ck.check_kMeans_init_centroids, as_list, "got a list", "numpy array of shape (3, 2)")


def test_column_of_indices_is_a_shape_error():
    def column(X, centroids):
        return ck.ref_find_closest_centroids(X, centroids).reshape(-1, 1)

    assert_rejects(ck.check_find_closest_centroids, column, "shape (6, 1)", "expected shape (6,)")


def test_exception_names_the_input_that_raised():
    def raises(X, idx, K):
        return np.array([X[idx == k].mean(axis=0) for k in range(K)]).reshape(K, 99)

    assert_rejects(ck.check_compute_centroids, raises, "`compute_centroids`(X=", "raised ValueError")


def test_init_check_restores_numpy_global_random_state():
    np.random.seed(123)
    expected = np.random.rand(3)
    np.random.seed(123)
    assert_accepts(ck.check_kMeans_init_centroids, init_permutation)
    assert np.array_equal(np.random.rand(3), expected)


# --- the whole algorithm against scikit-learn ---------------------------------------------------


def run_kmeans(X, initial_centroids, max_iters=100):
    centroids, K = initial_centroids, len(initial_centroids)
    idx = None
    for _ in range(max_iters):
        new_idx = ck.ref_find_closest_centroids(X, centroids)
        if idx is not None and np.array_equal(new_idx, idx):
            break
        idx = new_idx
        centroids = ck.ref_compute_centroids(X, idx, K)
    return centroids, idx


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_reference_kmeans_matches_scikit_learn_from_the_same_start(seed):
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=300, centers=3, cluster_std=1.0, random_state=seed)
    np.random.seed(seed)
    init = ck.ref_kMeans_init_centroids(X, 3)
    centroids, idx = run_kmeans(X, init)
    sk = KMeans(n_clusters=3, init=init, n_init=1, tol=0, max_iter=100).fit(X)
    assert np.array_equal(idx, sk.labels_)
    inertia = np.sum((X - centroids[idx]) ** 2)
    assert inertia == pytest.approx(sk.inertia_, rel=0.01)


def test_init_seeding_inside_is_explained_without_a_false_cause():
    def seeds_inside(X, K):
        np.random.seed(0)
        return X[np.random.permutation(len(X))[:K]]

    msg = assert_rejects(ck.check_kMeans_init_centroids, seeds_inside, "every seed gave the same examples",
                         "np.random.seed(0)")
    assert "Likely cause" not in msg  # under one seed it picks what a correct function picks
