"""c1w2 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import copy

import numpy as np

from autograder.checks import c1w2
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives: the loop style of the original course, and vectorized numpy --------


def predict_loop(X, w, b):  # the original course's predict_single_loop, for all rows
    m, n = X.shape
    p = np.zeros(m)
    for i in range(m):
        p_i = 0
        for j in range(n):
            p_i = p_i + X[i, j] * w[j]
        p[i] = p_i + b
    return p


def predict_row_dot(X, w, b):
    m = X.shape[0]
    p = np.zeros(m)
    for i in range(m):
        p[i] = np.dot(X[i], w) + b
    return p


def predict_vectorized(X, w, b):
    return X @ w + b


def predict_sum_axis1(X, w, b):
    return np.sum(X * w, axis=1) + b


def cost_loop(X, y, w, b):  # the original course's compute_cost
    m = X.shape[0]
    cost = 0.0
    for i in range(m):
        f_wb_i = np.dot(X[i], w) + b
        cost = cost + (f_wb_i - y[i]) ** 2
    return cost / (2 * m)


def cost_vectorized(X, y, w, b):
    return np.mean((X @ w + b - y) ** 2) / 2


def cost_calls_predict(X, y, w, b):  # uses the notebook's predict (the check supplies it)
    e = predict(X, w, b) - y  # noqa: F821 - swapped in by the check
    return e @ e / (2 * len(y))


def gradient_loop(X, y, w, b):  # the original course's compute_gradient, in this kit's order
    m, n = X.shape
    dj_dw = np.zeros((n,))
    dj_db = 0.0
    for i in range(m):
        err = (np.dot(X[i], w) + b) - y[i]
        for j in range(n):
            dj_dw[j] = dj_dw[j] + err * X[i, j]
        dj_db = dj_db + err
    return dj_dw / m, dj_db / m


def gradient_vectorized(X, y, w, b):
    err = X @ w + b - y
    return X.T @ err / X.shape[0], np.mean(err)


def gradient_mean_axis0_list(X, y, w, b):  # a list instead of a tuple is fine to unpack
    err = X @ w + b - y
    return [np.mean(err[:, None] * X, axis=0), err.sum() / len(y)]


def zscore_numpy(X):  # the original course's zscore_normalize_features
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    X_norm = (X - mu) / sigma
    return (X_norm, mu, sigma)


def zscore_loop(X):
    m, n = X.shape
    mu, sigma = np.zeros(n), np.zeros(n)
    X_norm = np.zeros((m, n))
    for j in range(n):
        col = X[:, j]
        mu[j] = sum(col) / m
        sigma[j] = (sum((col - mu[j]) ** 2) / m) ** 0.5
        X_norm[:, j] = (col - mu[j]) / sigma[j]
    return X_norm, mu, sigma


def zscore_sklearn(X):  # StandardScaler also divides by the population standard deviation
    from sklearn.preprocessing import StandardScaler

    scaler = StandardScaler().fit(X)
    return [scaler.transform(X), scaler.mean_, scaler.scale_]


def descent_calls_learner_helpers(X, y, w_in, b_in, alpha, num_iters):
    # The original course's way: deepcopy w_in, call compute_gradient and compute_cost.
    w = copy.deepcopy(w_in)
    b = b_in
    J_history = []
    for i in range(num_iters):
        dj_dw, dj_db = compute_gradient(X, y, w, b)  # noqa: F821 - swapped in by the check
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(compute_cost(X, y, w, b))  # noqa: F821
    return w, b, J_history


def descent_in_place(X, y, w_in, b_in, alpha, num_iters):
    w = w_in.astype(float)
    b = b_in
    J = np.zeros(num_iters)  # an array instead of a list is fine
    m = X.shape[0]
    for i in range(num_iters):
        err = X @ w + b - y
        w -= alpha * (X.T @ err) / m
        b -= alpha * err.mean()
        J[i] = np.mean((X @ w + b - y) ** 2) / 2
    return w, b, J


def cost_target_minus_prediction(X, y, w, b):  # (y - f)**2 is (f - y)**2
    m = X.shape[0]
    total = 0.0
    for i in range(m):
        total += (y[i] - (np.dot(w, X[i]) + b)) ** 2
    return total / (2 * m)

CORRECT = {
    "predict": [predict_loop, predict_row_dot, predict_vectorized, predict_sum_axis1],
    "compute_cost": [cost_loop, cost_vectorized, cost_calls_predict, cost_target_minus_prediction],
    "compute_gradient": [gradient_loop, gradient_vectorized, gradient_mean_axis0_list],
    "zscore_normalize_features": [zscore_numpy, zscore_loop, zscore_sklearn],
    "gradient_descent": [descent_calls_learner_helpers, descent_in_place],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_missing_return_is_pointed_out():
    def no_return(X, y, w, b):
        np.sum((X @ w + b - y) ** 2) / (2 * len(y))

    assert_rejects(c1w2.check_compute_cost, no_return, "got None", "forget a `return`")


def test_predict_exception_names_the_input_that_raised():
    def transposed(X, w, b):  # X.T @ w does not even have matching shapes
        return X.T @ w + b

    assert_rejects(c1w2.check_predict, transposed, "`predict`(X=", "raised ValueError")


def test_gradient_as_a_list_says_an_array_is_expected():
    def list_gradient(X, y, w, b):
        dj_dw, dj_db = c1w2.ref_compute_gradient(X, y, w, b)
        return list(dj_dw), dj_db

    assert_rejects(c1w2.check_compute_gradient, list_gradient, "dj_dw: got a list",
                   "expected a numpy array of shape (2,)")


def test_gradient_column_shape_is_explained():
    def column(X, y, w, b):
        dj_dw, dj_db = c1w2.ref_compute_gradient(X, y, w, b)
        return dj_dw.reshape(-1, 1), dj_db

    assert_rejects(c1w2.check_compute_gradient, column, "shape (2, 1)", "arranged differently")


def test_zscore_missing_a_value_says_how_many():
    def two_values(X):
        X_norm, mu, _ = c1w2.ref_zscore_normalize_features(X)
        return X_norm, mu

    assert_rejects(c1w2.check_zscore_normalize_features, two_values, "got 2 values, expected 3")


def test_zscore_nan_from_a_constant_column_guess_is_explained():
    def divides_by_zero(X):
        mu = X.mean(axis=0)
        return (X - mu) / 0.0, mu, X.std(axis=0)

    assert_rejects(c1w2.check_zscore_normalize_features, divides_by_zero, "nan or inf")


def test_gradient_descent_check_uses_reference_helpers_not_the_learners():
    """A wrong compute_gradient in the notebook must not fail the gradient_descent check."""
    namespace = {"np": np}
    exec(
        "def compute_gradient(X, y, w, b):\n    return np.zeros_like(w), 0.0\n"
        "def compute_cost(X, y, w, b):\n    return -1.0\n"
        "def gradient_descent(X, y, w_in, b_in, alpha, num_iters):\n"
        "    w, b, J = w_in, b_in, []\n"
        "    for _ in range(num_iters):\n"
        "        dj_dw, dj_db = compute_gradient(X, y, w, b)\n"
        "        w, b = w - alpha * dj_dw, b - alpha * dj_db\n"
        "        J.append(compute_cost(X, y, w, b))\n"
        "    return w, b, J\n",
        namespace,
    )
    assert_accepts(c1w2.check_gradient_descent, namespace["gradient_descent"])
    assert namespace["compute_cost"](None, None, 0, 0) == -1.0


def test_cost_check_uses_the_reference_predict():
    """A wrong predict in the notebook must not fail the compute_cost check."""
    namespace = {"np": np}
    exec(
        "def predict(X, w, b):\n    return X @ w\n"  # forgets b
        "def compute_cost(X, y, w, b):\n"
        "    e = predict(X, w, b) - y\n"
        "    return e @ e / (2 * X.shape[0])\n",
        namespace,
    )
    assert_accepts(c1w2.check_compute_cost, namespace["compute_cost"])
