"""Checks for module c3w2-pca: squared distance between feature vectors, and PCA.

`pca_fit(X, k)` returns `(mean, components, explained_variance_ratio)` with shapes (n,), (k, n)
and (k,), as scikit-learn's `PCA` stores them (`mean_`, `components_`,
`explained_variance_ratio_`). A principal direction is defined only up to its sign, so the check
of `pca_fit` compares components after flipping each of the learner's rows to point the way the
reference's does: an SVD-based and an eigendecomposition-based implementation both pass, and so
does one that divides the covariance by m - 1 or by m (that changes only the variances' scale,
not the ratios or the directions).

The check cases have well separated variances, so the directions are unique up to sign.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Invariance, check, mistake

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_sq_dist(a, b):
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    return float(np.sum(d**2))


def ref_pca_fit(X, k):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    _, S, Vt = np.linalg.svd(X - mean, full_matrices=False)
    ratio = S**2 / np.sum(S**2)
    return mean, Vt[:k], ratio[:k]


def ref_pca_transform(X, mean, components):
    return (np.asarray(X, dtype=float) - mean) @ components.T


# ---------------------------------------------------------------------------------------------
# Comparing PCA results: a component and its negative are the same direction.


def align_signs(got, expected):
    """`got`'s components with each row (or, for (n, k) arrays, each column) flipped to point
    the way `expected`'s does. Anything that is not a pair of equal-shaped 2-D arrays is
    returned as it is, for the ladder to report."""
    if not (isinstance(got, np.ndarray) and isinstance(expected, np.ndarray)
            and got.ndim == 2 and got.shape == expected.shape
            and np.issubdtype(got.dtype, np.number) and np.all(np.isfinite(got))):
        return got
    got = got.astype(float)
    if expected.shape[0] > expected.shape[1]:  # an (n, k) matrix: the directions are columns
        return (got.T * _signs(got.T, expected.T)[:, None]).T
    return got * _signs(got, expected)[:, None]


def _signs(rows, reference_rows):
    dots = np.sum(rows * np.asarray(reference_rows, dtype=float), axis=1)
    return np.where(dots < 0, -1.0, 1.0)


def _align_components(got, expected):
    """A (mean, components, ratio) result with each component's sign flipped to the expected
    one's (the result itself when no sign changes)."""
    if (isinstance(expected, tuple) and len(expected) == 3 and isinstance(got, (tuple, list))
            and len(got) == 3):
        aligned = align_signs(got[1], expected[1])
        if aligned is not got[1] and not np.array_equal(aligned, got[1]):
            return (got[0], aligned, got[2])
    return got


# The comparison of pca_fit's result ignores the sign of each component.
SIGN_INVARIANT = Invariance(
    align=_align_components, label="components",
    remark="(Some of your components were multiplied by -1 before comparing, since a "
           "component's sign does not matter; the values shown are after that.)")


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes, each a wrong implementation and the words that name it.


def _d(a, b):
    return np.asarray(a, dtype=float) - np.asarray(b, dtype=float)


@mistake("the square root was taken: that is the Euclidean distance. The squared distance is "
         "sum((a - b)**2), without np.sqrt (and np.linalg.norm(a - b) needs squaring).")
def _dist_euclidean(a, b):
    return float(np.sqrt(np.sum(_d(a, b) ** 2)))


@mistake("absolute differences were summed (the L1 or Manhattan distance); square the differences: "
         "sum((a - b)**2).")
def _dist_l1(a, b):
    return float(np.sum(np.abs(_d(a, b))))


@mistake("the differences are not squared: sum((a - b)**2), not sum(a - b) (positive and negative "
         "differences would cancel).")
def _dist_no_square(a, b):
    return float(np.sum(_d(a, b)))


@mistake("the sum was squared instead of the differences: sum((a - b)**2), not (sum(a - b))**2.")
def _dist_square_of_sum(a, b):
    return float(np.sum(_d(a, b)) ** 2)


@mistake("the vector of squared differences was returned; add them up into one number with np.sum.")
def _dist_vector(a, b):
    return _d(a, b) ** 2


@mistake("the squared differences were averaged (np.mean); the squared distance is their sum.")
def _dist_mean(a, b):
    return float(np.mean(_d(a, b) ** 2))


@mistake("the squares were subtracted, sum(a**2 - b**2); square the differences: sum((a - b)**2).")
def _dist_diff_of_squares(a, b):
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return float(np.sum(a**2 - b**2))


def _svd(Xc):
    _, S, Vt = np.linalg.svd(Xc, full_matrices=False)
    return S, Vt


@mistake("the data was not centred: subtract the mean of each feature before the SVD (or before "
         "computing the covariance), or the first component points at the mean instead of along "
         "the spread.")
def _fit_not_centred(X, k):
    X = np.asarray(X, dtype=float)
    S, Vt = _svd(X)
    return X.mean(axis=0), Vt[:k], (S**2 / np.sum(S**2))[:k]


@mistake("the components are not of unit length (they were scaled by the singular values or by "
         "the variances); use the rows of Vt (or the eigenvectors) as they are: each has length 1.")
def _fit_scaled_components(X, k):
    mean, C, ratio = ref_pca_fit(X, k)
    S, _ = _svd(np.asarray(X, dtype=float) - mean)
    return mean, C * S[:k, None], ratio


@mistake("the components are not of unit length (they were scaled by the singular values or by "
         "the variances); use the rows of Vt (or the eigenvectors) as they are: each has length 1.")
def _fit_scaled_by_std(X, k):
    mean, C, ratio = ref_pca_fit(X, k)
    S, _ = _svd(np.asarray(X, dtype=float) - mean)
    return mean, C * (S[:k, None] / np.sqrt(len(X) - 1)), ratio


@mistake("the components are columns, shape (n, k); return them as rows, shape (k, n), like "
         "scikit-learn's components_: Vt[:k] from the SVD, or the eigenvectors' columns transposed.")
def _fit_columns(X, k):
    mean, C, ratio = ref_pca_fit(X, k)
    return mean, C.T, ratio


@mistake("the components with the smallest variances were taken: np.linalg.eigh returns the "
         "eigenvalues in ascending order, so sort them in descending order (e.g. "
         "order = np.argsort(eigvals)[::-1]) before taking the first k.")
def _fit_ascending(X, k):
    X = np.asarray(X, dtype=float)
    Xc = X - X.mean(axis=0)
    vals, vecs = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    return X.mean(axis=0), vecs[:, :k].T, vals[:k] / np.sum(vals)


@mistake("the explained variances were returned, not their ratios: divide each component's "
         "variance by the total variance (the sum over all the components).")
def _fit_variances_sample(X, k):
    X = np.asarray(X, dtype=float)
    mean, C, _ = ref_pca_fit(X, k)
    S, _ = _svd(X - mean)
    return mean, C, S[:k] ** 2 / (len(X) - 1)


@mistake("the explained variances were returned, not their ratios: divide each component's "
         "variance by the total variance (the sum over all the components).")
def _fit_variances_population(X, k):
    X = np.asarray(X, dtype=float)
    mean, C, _ = ref_pca_fit(X, k)
    S, _ = _svd(X - mean)
    return mean, C, S[:k] ** 2 / len(X)


@mistake("the ratios were divided by the variance of the k kept components only; divide by the "
         "total variance of all the components, so the ratios say how much of it the k components keep.")
def _fit_ratio_of_kept(X, k):
    X = np.asarray(X, dtype=float)
    mean, C, _ = ref_pca_fit(X, k)
    S, _ = _svd(X - mean)
    return mean, C, S[:k] ** 2 / np.sum(S[:k] ** 2)


@mistake("the singular values were used as variances; a component's variance is proportional to "
         "the square of its singular value: ratio = S**2 / sum(S**2).")
def _fit_singular_values(X, k):
    X = np.asarray(X, dtype=float)
    mean, C, _ = ref_pca_fit(X, k)
    S, _ = _svd(X - mean)
    return mean, C, S[:k] / np.sum(S)


@mistake("the ratios of all n components were returned; keep the first k, like the components.")
def _fit_all_ratios(X, k):
    X = np.asarray(X, dtype=float)
    mean, C, _ = ref_pca_fit(X, k)
    S, _ = _svd(X - mean)
    return mean, C, S**2 / np.sum(S**2)


@mistake("the features were also divided by their standard deviations; PCA here (like scikit-learn's) "
         "only centres the data. Standardize before calling pca_fit when you want that.")
def _fit_standardized(X, k):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    S, Vt = _svd((X - mean) / X.std(axis=0))
    return mean, Vt[:k], (S**2 / np.sum(S**2))[:k]


@mistake("the return order is wrong: return (mean, components, explained_variance_ratio).")
def _fit_order(X, k):
    mean, C, ratio = ref_pca_fit(X, k)
    return C, mean, ratio


@mistake("the mean was not subtracted: project the centred data, (X - mean) @ components.T.")
def _tr_not_centred(X, mean, components):
    return np.asarray(X, dtype=float) @ components.T


@mistake("the mean was added instead of subtracted: (X - mean) @ components.T.")
def _tr_plus_mean(X, mean, components):
    return (np.asarray(X, dtype=float) + mean) @ components.T


@mistake("X was multiplied by components, not by its transpose: the components are rows of shape "
         "(k, n), so the projection is (X - mean) @ components.T, shape (m, k).")
def _tr_no_transpose(X, mean, components):
    return (np.asarray(X, dtype=float) - mean) @ components


@mistake("the reconstruction was returned: pca_transform returns the projections Z = (X - mean) "
         "@ components.T, shape (m, k); Z @ components + mean goes back to the original space.")
def _tr_reconstruction(X, mean, components):
    Z = (np.asarray(X, dtype=float) - mean) @ components.T
    return Z @ components + mean


@mistake("X was centred with its own mean, not with the `mean` argument: new data must be "
         "centred with the mean of the data PCA was fitted on, (X - mean) @ components.T.")
def _tr_own_mean(X, mean, components):
    X = np.asarray(X, dtype=float)
    return (X - X.mean(axis=0)) @ components.T


@mistake("the result is transposed, shape (k, m): one row per example, (X - mean) @ components.T.")
def _tr_transposed(X, mean, components):
    return components @ (np.asarray(X, dtype=float) - mean).T


@mistake("the result was flattened: keep shape (m, k) even when k = 1 (do not ravel, and use "
         "components.T rather than components[0]).")
def _tr_flat(X, mean, components):
    return ((np.asarray(X, dtype=float) - mean) @ components.T).ravel()


@mistake("the data was divided by its standard deviation: only subtract the mean, "
         "(X - mean) @ components.T.")
def _tr_standardized(X, mean, components):
    X = np.asarray(X, dtype=float)
    return ((X - mean) / X.std(axis=0)) @ components.T


@mistake("X was centred in place (`X -= mean`), which changes the caller's data: the data set they pass "
         "in comes back centred. Compute a new array: X_centred = X - mean.")
def _fit_centres_in_place(X, k):
    if not np.issubdtype(X.dtype, np.floating):
        return ref_pca_fit(X, k)
    mean = X.mean(axis=0)
    X -= mean
    _, S, Vt = np.linalg.svd(X, full_matrices=False)
    ratio = S**2 / np.sum(S**2)
    return mean, Vt[:k], ratio[:k]


@mistake("X was centred in place (`X -= mean`), which changes the caller's data: the points they pass in "
         "come back centred. Compute a new array: (X - mean) @ components.T.")
def _tr_centres_in_place(X, mean, components):
    if not np.issubdtype(X.dtype, np.floating):
        return ref_pca_transform(X, mean, components)
    X -= mean
    return X @ components.T


MISTAKES = {
    "sq_dist": [_dist_euclidean, _dist_l1, _dist_no_square, _dist_square_of_sum, _dist_vector,
                _dist_mean, _dist_diff_of_squares],
    "pca_fit": [_fit_not_centred, _fit_scaled_components, _fit_scaled_by_std, _fit_columns, _fit_ascending,
                _fit_variances_sample, _fit_variances_population, _fit_ratio_of_kept,
                _fit_singular_values, _fit_all_ratios, _fit_standardized, _fit_order, _fit_centres_in_place],
    "pca_transform": [_tr_not_centred, _tr_plus_mean, _tr_no_transpose, _tr_reconstruction,
                      _tr_own_mean, _tr_transposed, _tr_flat, _tr_standardized, _tr_centres_in_place],
}


# ---------------------------------------------------------------------------------------------
# Cases.


def _orthonormal_rows(rng, k, n):
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    return Q[:, :k].T


def pca_data(seed: int, m: int, stds, mean=None, noise: float = 0.0):
    """m points with the given standard deviations along random orthogonal directions (plus a
    little isotropic noise), shifted to `mean`; the sample is whitened along those directions,
    so its variances are exactly proportional to stds**2 and stay well apart."""
    rng = np.random.default_rng(seed)
    stds = np.asarray(stds, dtype=float)
    n = len(stds)
    Z = rng.normal(size=(m, n))
    Z -= Z.mean(axis=0)
    if m > n:  # make the sample's own covariance exactly diagonal
        _, _, Vt = np.linalg.svd(Z, full_matrices=False)
        Z = Z @ Vt.T
        Z /= Z.std(axis=0)
    X = (Z * stds) @ _orthonormal_rows(rng, n, n) + noise * rng.normal(size=(m, n))
    return X + (np.zeros(n) if mean is None else np.asarray(mean, dtype=float))


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


# ---------------------------------------------------------------------------------------------
# What the checks of this module switch on: the arguments must not change (the caller's data stays
# as it was; the exercise says so), a raised exception shows the case's inputs whole, and the
# inputs that are a batch of examples (or one example) are said to be so on a shape error.

ARGUMENTS_KEPT = {"sq_dist", "pca_fit", "pca_transform"}


@check
def check_sq_dist(sq_dist):
    c = Check("sq_dist", sq_dist, ref_sq_dist, MISTAKES["sq_dist"], mutation="fail", detail_raised=True,
              examples={"a": "one", "b": "one"}, ratios=True)
    c.case(a=np.array([1.0, 2.0, 3.0]), b=np.array([4.0, 6.0, 3.0]))  # 9 + 16 + 0 = 25
    c.case(note="the same point", a=np.array([0.5, -1.5, 2.0]), b=np.array([0.5, -1.5, 2.0]))
    c.case(note="one feature", a=np.array([2.0]), b=np.array([-1.0]))
    c.case(note="integers", a=np.array([3, 0, -2, 7]), b=np.array([1, 1, 1, 1]))
    c.case(note="large magnitudes", a=np.array([1e6, -3e6]), b=np.array([-2e6, 1e6]))
    rng = np.random.default_rng(0)
    c.case(note="random, 64 features", a=rng.normal(size=64), b=rng.normal(size=64))
    c.passed()


@check
def check_pca_fit(pca_fit):
    c = Check("pca_fit", pca_fit, ref_pca_fit, MISTAKES["pca_fit"], invariance=SIGN_INVARIANT,
              returns=("mean", "components", "explained_variance_ratio"), rtol=1e-6, atol=1e-7,
              mutation="fail", detail_raised=True, examples={"X": "batch"})
    c.case(X=pca_data(0, 10, [5.0, 2.0, 0.8], mean=[4.0, -3.0, 10.0]), k=2)
    c.case(note="one component", X=pca_data(1, 12, [3.0, 1.0], mean=[1.0, 2.0]), k=1)
    c.case(note="all components", X=pca_data(2, 9, [4.0, 2.0, 1.0, 0.5], mean=[0.0, 5.0, -5.0, 1.0]), k=4)
    c.case(note="fewer examples than features", X=pca_data(3, 5, [6.0, 4.0, 3.0, 2.0, 1.0, 1.0, 1.0, 0.5]), k=2)
    c.case(note="integer data", X=np.array([[2, 0], [4, 1], [6, 3], [8, 2], [10, 4]]), k=2)
    c.case(note="random", X=pca_data(4, 40, np.geomspace(10.0, 0.3, 6), mean=np.arange(6.0), noise=0.01), k=3)
    c.passed()


@check
def check_pca_transform(pca_transform):
    c = Check("pca_transform", pca_transform, ref_pca_transform, MISTAKES["pca_transform"],
              mutation="fail", detail_raised=True, examples={"X": "batch"}, probe=("mean",))
    rng = np.random.default_rng(0)
    c.case(note="2 features, 2 components",
           X=np.array([[1.0, 2.0], [3.0, 0.5], [-1.0, 1.0], [2.5, 4.0], [0.0, 0.0]]),
           mean=np.array([0.5, 2.0]), components=np.array([[0.6, 0.8], [-0.8, 0.6]]))
    c.case(note="new data, 4 features to 2", X=rng.normal(3.0, 2.0, size=(6, 4)),
           mean=np.array([1.0, -1.0, 0.5, 2.0]), components=_orthonormal_rows(rng, 2, 4))
    c.case(note="one component", X=rng.normal(0.0, 1.0, size=(5, 3)), mean=np.array([0.2, -0.1, 0.3]),
           components=_orthonormal_rows(rng, 1, 3))
    c.case(note="one example", X=np.array([[1.0, -2.0, 0.5]]), mean=np.array([0.0, 1.0, 0.0]),
           components=_orthonormal_rows(rng, 2, 3))
    c.case(note="random", X=rng.normal(5.0, 3.0, size=(30, 8)), mean=rng.normal(5.0, 1.0, size=8),
           components=_orthonormal_rows(rng, 3, 8))
    c.passed()
