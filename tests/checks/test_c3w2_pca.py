"""c3w2-pca checks: correct alternatives pass (SVD or eigendecomposition, sample or population
covariance, any sign of each component, scikit-learn itself); wrong ones outside the catalogue
fail with the ladder's messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import numpy as np
from sklearn.decomposition import PCA

from autograder.checks import c3w2_pca
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives -----------------------------------------------------------------------


def dist_loop(a, b):
    d = 0.0
    for i in range(a.shape[0]):
        d += (a[i] - b[i]) ** 2
    return d


def dist_vectorized(a, b):
    return np.sum((a - b) ** 2)


def dist_dot(a, b):
    d = a - b
    return np.dot(d, d)


def dist_norm_squared(a, b):
    return np.linalg.norm(a - b) ** 2


def fit_svd(X, k):
    mean = np.mean(X, axis=0)
    U, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    explained = S**2 / (X.shape[0] - 1)
    return mean, Vt[:k], explained[:k] / explained.sum()


def fit_eigh_sample_covariance(X, k):
    # np.cov divides by m - 1; eigh returns ascending eigenvalues, reversed here.
    mean = X.mean(axis=0)
    C = np.atleast_2d(np.cov(X - mean, rowvar=False))
    vals, vecs = np.linalg.eigh(C)
    vals, vecs = vals[::-1], vecs[:, ::-1]
    return mean, vecs[:, :k].T, vals[:k] / vals.sum()


def fit_eigh_population_covariance(X, k):
    # Dividing by m instead of m - 1 scales every variance alike: the ratios and directions agree.
    m = X.shape[0]
    mean = X.sum(axis=0) / m
    Xc = X - mean
    vals, vecs = np.linalg.eigh(Xc.T @ Xc / m)
    order = np.argsort(vals)[::-1][:k]
    return mean, vecs[:, order].T, vals[order] / np.sum(vals)


def fit_eig_sorted(X, k):
    # np.linalg.eig (not eigh) returns the eigenvalues in no particular order: sorted here.
    mean = X.mean(axis=0)
    vals, vecs = np.linalg.eig(np.cov(X, rowvar=False))
    vals, vecs = np.real(vals), np.real(vecs)
    order = np.argsort(-vals)
    components = vecs[:, order[:k]].T
    return mean, components / np.linalg.norm(components, axis=1, keepdims=True), vals[order[:k]] / vals.sum()


def fit_flipped_signs(X, k):
    # Every other component points the other way: the same directions.
    mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
    signs = np.where(np.arange(k) % 2 == 0, -1.0, 1.0)
    return list((mean, components * signs[:, None], ratio))  # a list is fine too


def fit_sklearn(X, k):
    pca = PCA(n_components=k).fit(np.asarray(X, dtype=float))
    # scikit-learn's ratios are of the total variance of all components, like the check's.
    return pca.mean_, pca.components_, pca.explained_variance_ratio_


def transform_vectorized(X, mean, components):
    return (X - mean) @ components.T


def transform_loop(X, mean, components):
    m, k = X.shape[0], components.shape[0]
    Z = np.zeros((m, k))
    for i in range(m):
        for j in range(k):
            Z[i, j] = np.dot(X[i] - mean, components[j])
    return Z


def transform_transposed_product(X, mean, components):
    return (components @ (X - mean).T).T


def transform_dot(X, mean, components):
    return np.dot(X, components.T) - np.dot(mean, components.T)


CORRECT = {
    "sq_dist": [dist_loop, dist_vectorized, dist_dot, dist_norm_squared],
    "pca_fit": [fit_svd, fit_eigh_sample_covariance, fit_eigh_population_covariance, fit_eig_sorted,
                fit_flipped_signs, fit_sklearn],
    "pca_transform": [transform_vectorized, transform_loop, transform_transposed_product, transform_dot],
}


# --- sign handling: the one place the PCA check departs from plain comparison ------------------------


def test_population_covariance_is_accepted():
    """Sample (m - 1) or population (m) covariance changes only the variances' scale: accepted."""
    assert_accepts(c3w2_pca.check_pca_fit, fit_eigh_population_covariance)
    assert_accepts(c3w2_pca.check_pca_fit, fit_eigh_sample_covariance)


def test_every_sign_pattern_is_accepted():
    for pattern in ([1, 1, 1, 1], [-1, -1, -1, -1], [1, -1, 1, -1], [-1, 1, 1, 1]):
        def flipped(X, k, pattern=pattern):
            mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
            return mean, components * np.array(pattern[:k], dtype=float)[:, None], ratio

        assert_accepts(c3w2_pca.check_pca_fit, flipped)


def test_flipping_a_feature_is_not_a_sign_flip_of_a_component():
    def feature_negated(X, k):
        mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
        components = components.copy()
        components[:, 0] *= -1
        return mean, components, ratio

    assert_rejects(c3w2_pca.check_pca_fit, feature_negated, "components: got")


def test_swapped_components_are_rejected():
    def swapped(X, k):
        mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
        return mean, components[::-1], ratio

    assert_rejects(c3w2_pca.check_pca_fit, swapped, "components: got")


def test_align_signs_leaves_other_shapes_alone():
    a = np.ones((2, 3))
    assert c3w2_pca.align_signs(a, np.ones((3, 2))) is a
    flipped = c3w2_pca.align_signs(-a, a)
    np.testing.assert_array_equal(flipped, a)
    # (n, k) arrays are aligned column by column.
    cols = np.array([[1.0, -2.0], [3.0, -4.0], [5.0, -6.0]])
    np.testing.assert_array_equal(c3w2_pca.align_signs(cols, np.abs(cols)), np.abs(cols))


def test_the_reference_agrees_with_scikit_learn():
    X = c3w2_pca.pca_data(9, 50, [4.0, 3.0, 2.0, 1.0, 0.5], mean=[1.0, 2.0, 3.0, 4.0, 5.0])
    mean, components, ratio = c3w2_pca.ref_pca_fit(X, 3)
    pca = PCA(n_components=3).fit(X)
    np.testing.assert_allclose(mean, pca.mean_)
    np.testing.assert_allclose(ratio, pca.explained_variance_ratio_)
    np.testing.assert_allclose(np.abs(np.sum(components * pca.components_, axis=1)), 1.0)
    np.testing.assert_allclose(np.abs(c3w2_pca.ref_pca_transform(X, mean, components)),
                               np.abs(pca.transform(X)), atol=1e-10)


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_missing_return_is_pointed_out():
    def no_return(a, b):
        np.sum((a - b) ** 2)

    assert_rejects(c3w2_pca.check_sq_dist, no_return, "got None", "forget a `return`")


def test_fit_returning_two_values_says_how_many():
    def two(X, k):
        mean, components, _ = c3w2_pca.ref_pca_fit(X, k)
        return mean, components

    assert_rejects(c3w2_pca.check_pca_fit, two, "got 2 values, expected 3")


def test_mean_with_kept_dimensions_is_a_shape_error():
    def keepdims(X, k):
        mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
        return mean.reshape(1, -1), components, ratio

    assert_rejects(c3w2_pca.check_pca_fit, keepdims, "mean: got an array of shape (1, 3)",
                   "check reshapes and keepdims")


def test_components_of_integer_dtype_are_wrong_values():
    def rounded(X, k):
        mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
        return mean, np.round(components).astype(int), ratio

    assert_rejects(c3w2_pca.check_pca_fit, rounded, "components: got")


def test_nan_components_are_explained():
    def nan(X, k):
        mean, components, ratio = c3w2_pca.ref_pca_fit(X, k)
        return mean, components * np.nan, ratio

    assert_rejects(c3w2_pca.check_pca_fit, nan, "nan or inf")


def test_check_data_has_well_separated_variances():
    """The directions the check compares are unique up to sign only if no two variances tie."""
    for seed, m, stds in [(0, 10, [5.0, 2.0, 0.8]), (4, 40, np.geomspace(10.0, 0.3, 6))]:
        X = c3w2_pca.pca_data(seed, m, stds)
        ratio = c3w2_pca.ref_pca_fit(X, len(stds))[2]
        assert np.all(ratio[:-1] / ratio[1:] > 1.5)
