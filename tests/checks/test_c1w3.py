"""c1w3 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import c1w3
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives ----------------------------------------------------------------------


def sigmoid_clip(z):  # what the original course's helper code does
    z = np.clip(z, -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


def sigmoid_masks(z):  # each formula only where it cannot overflow
    z = np.asarray(z, dtype=float)
    g = np.zeros_like(z)
    pos = z >= 0
    g[pos] = 1 / (1 + np.exp(-z[pos]))
    e = np.exp(z[~pos])
    g[~pos] = e / (1 + e)
    return g


def sigmoid_where_abs(z):  # np.where is fine when neither branch can overflow
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_tanh(z):
    return 0.5 * (1 + np.tanh(np.asarray(z) / 2))


def sigmoid_logaddexp(z):
    return np.exp(-np.logaddexp(0, -np.asarray(z, dtype=float)))


def sigmoid_scipy(z):
    from scipy.special import expit

    return expit(z)


def cost_loop(X, y, w, b):  # the original course's compute_cost_logistic
    m = X.shape[0]
    cost = 0.0
    for i in range(m):
        z_i = np.dot(X[i], w) + b
        f_wb_i = 1 / (1 + np.exp(-z_i))
        cost += -y[i] * np.log(f_wb_i) - (1 - y[i]) * np.log(1 - f_wb_i)
    return cost / m


def cost_vectorized_calls_sigmoid(X, y, w, b):
    f = sigmoid(X @ w + b)  # noqa: F821 - swapped in by the check
    return -np.mean(y * np.log(f) + (1 - y) * np.log(1 - f))


def cost_stable(X, y, w, b):  # log(1 + e^z) - y z, the same loss without computing f
    z = X @ w + b
    return np.mean(np.logaddexp(0, z) - y * z)


def gradient_loop(X, y, w, b):  # the original course's compute_gradient_logistic, in this kit's order
    m, n = X.shape
    dj_dw = np.zeros((n,))
    dj_db = 0.0
    for i in range(m):
        f_wb_i = 1 / (1 + np.exp(-(np.dot(X[i], w) + b)))
        err_i = f_wb_i - y[i]
        for j in range(n):
            dj_dw[j] = dj_dw[j] + err_i * X[i, j]
        dj_db = dj_db + err_i
    return dj_dw / m, dj_db / m


def gradient_vectorized(X, y, w, b):
    err = sigmoid(X @ w + b) - y  # noqa: F821 - swapped in by the check
    return X.T @ err / len(y), np.mean(err)


def predict_loop(X, w, b):  # the original course's predict: floats 0.0 / 1.0
    m = X.shape[0]
    p = np.zeros(m)
    for i in range(m):
        f_wb = 1 / (1 + np.exp(-(np.dot(X[i], w) + b)))
        p[i] = f_wb >= 0.5
    return p


def predict_bool(X, w, b):
    return sigmoid(X @ w + b) >= 0.5  # noqa: F821 - swapped in by the check


def predict_int_on_z(X, w, b):  # sigmoid(z) >= 0.5 exactly when z >= 0
    return (X @ w + b >= 0).astype(int)


def predict_strict(X, w, b):  # `>` instead of `>=` only differs when sigmoid(z) is exactly 0.5
    return (1 / (1 + np.exp(-(X @ w + b))) > 0.5).astype(float)


def predict_round(X, w, b):
    return np.round(1 / (1 + np.exp(-(X @ w + b))))


def cost_reg_calls_compute_cost(X, y, w, b, lambda_=1):  # the original course's way
    m, n = X.shape
    cost_without_reg = compute_cost(X, y, w, b)  # noqa: F821 - swapped in by the check
    reg_cost = 0.0
    for j in range(n):
        reg_cost += w[j] ** 2
    return cost_without_reg + (lambda_ / (2 * m)) * reg_cost


def cost_reg_self_contained(X, y, w, b, lambda_=1):
    z = X @ w + b
    f = 1 / (1 + np.exp(-z))
    return -np.mean(y * np.log(f) + (1 - y) * np.log(1 - f)) + lambda_ * (w @ w) / (2 * len(y))


def gradient_reg_calls_compute_gradient(X, y, w, b, lambda_=1):  # the original course's way
    m, n = X.shape
    dj_dw, dj_db = compute_gradient(X, y, w, b)  # noqa: F821 - swapped in by the check
    for j in range(n):
        dj_dw[j] = dj_dw[j] + (lambda_ / m) * w[j]
    return dj_dw, dj_db


def gradient_reg_self_contained(X, y, w, b, lambda_=1):
    m = X.shape[0]
    err = 1 / (1 + np.exp(-(X @ w + b))) - y
    return [X.T @ err / m + lambda_ / m * w, err.sum() / m]


def cost_math_log(X, y, w, b):  # math.log on each example's number, an inner loop for z
    import math

    m, n = X.shape
    total = 0.0
    for i in range(m):
        z = b
        for j in range(n):
            z += w[j] * X[i][j]
        f = sigmoid(z)  # noqa: F821 - swapped in by the check
        total += -y[i] * math.log(f) - (1 - y[i]) * math.log(1 - f)
    return total / m

def predict_conditional_expression(X, w, b):  # p[i] = 1 if f_wb >= 0.5 else 0, z by a loop
    m, n = X.shape
    p = np.zeros(m)
    for i in range(m):
        z_wb = sum(X[i, j] * w[j] for j in range(n)) + b
        p[i] = 1 if sigmoid(z_wb) >= 0.5 else 0  # noqa: F821 - swapped in by the check
    return p

CORRECT = {
    "sigmoid": [sigmoid_clip, sigmoid_masks, sigmoid_where_abs, sigmoid_tanh, sigmoid_logaddexp,
                sigmoid_scipy],
    "compute_cost": [cost_loop, cost_vectorized_calls_sigmoid, cost_stable, cost_math_log],
    "compute_gradient": [gradient_loop, gradient_vectorized],
    "predict": [predict_loop, predict_bool, predict_int_on_z, predict_strict, predict_round, predict_conditional_expression],
    "compute_cost_reg": [cost_reg_calls_compute_cost, cost_reg_self_contained],
    "compute_gradient_reg": [gradient_reg_calls_compute_gradient, gradient_reg_self_contained],
}


# --- the overflow rule of sigmoid: its own check, with its own point -----------------------------


def test_naive_sigmoid_keeps_the_values_points_and_loses_the_stability_point_with_the_warning_quoted():
    def naive(z):
        return 1 / (1 + np.exp(-z))

    assert_accepts(c1w3.check_sigmoid, naive)  # right mathematics: the values check passes
    message = assert_rejects(c1w3.check_sigmoid_stable, naive,
                             "`sigmoid`(z=-1000", "overflow encountered in exp", "the values are right",
                             "Likely cause: np.exp(-z) overflows", "stable for large inputs",
                             "worth 1 point of its own")
    assert "np.where evaluates both" not in message  # that one would have warned at z=1000 already


def test_where_without_masks_is_rejected_at_large_positive_z():
    def where_both(z):
        return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))

    assert_accepts(c1w3.check_sigmoid, where_both)
    message = assert_rejects(c1w3.check_sigmoid_stable, where_both, "`sigmoid`(z=1000", "np.where evaluates both")
    assert "np.exp(-z) overflows" not in message


def test_the_values_check_never_lets_a_warning_reach_stderr():
    """A naive sigmoid warns on no case of the values check, and the rule check records its
    overflow instead of printing it: nbgrader would score any stderr output as a failure."""
    import contextlib
    import io
    import warnings

    err = io.StringIO()
    with warnings.catch_warnings(), contextlib.redirect_stderr(err):
        warnings.simplefilter("error")
        c1w3.check_sigmoid(lambda z: 1 / (1 + np.exp(-np.asarray(z, dtype=float))))
        with pytest.raises(AssertionError):
            c1w3.check_sigmoid_stable(lambda z: 1 / (1 + np.exp(-np.asarray(z, dtype=float))))
    assert err.getvalue() == ""


def test_math_exp_on_an_array_names_the_input():
    import math

    def scalar_only(z):
        return 1 / (1 + math.exp(-z))

    assert_rejects(c1w3.check_sigmoid, scalar_only, "`sigmoid`(z=[", "raised TypeError")


def test_a_one_element_array_for_a_number_is_explained():
    def always_array(z):
        return np.atleast_1d(c1w3.ref_sigmoid(z))

    assert_rejects(c1w3.check_sigmoid, always_array, "z=0", "expected a single number")


def test_underflow_is_not_held_against_a_correct_sigmoid():
    def masked_exp(z):  # e^-1000 underflows to 0 here: harmless, and numpy is silent about it
        z = np.asarray(z, dtype=float)
        out = np.empty_like(z)
        pos = z >= 0
        out[pos] = 1 / (1 + np.exp(-z[pos]))
        out[~pos] = np.exp(z[~pos]) / (1 + np.exp(z[~pos]))
        return out if out.ndim else float(out)

    assert_accepts(c1w3.check_sigmoid, masked_exp)
    assert_accepts(c1w3.check_sigmoid_stable, masked_exp)


# --- other wrong answers: the ladder's messages ------------------------------------------------


def test_missing_return_is_pointed_out():
    def no_return(X, y, w, b):
        c1w3.ref_compute_cost(X, y, w, b)

    assert_rejects(c1w3.check_compute_cost, no_return, "got None", "forget a `return`")


def test_predict_returning_strings_is_rejected():
    def strings(X, w, b):
        return np.where(X @ w + b >= 0, "yes", "no")

    assert_rejects(c1w3.check_predict, strings, "expected numbers")


def test_later_checks_use_the_reference_sigmoid():
    """A wrong sigmoid in the notebook must not fail the checks that use it."""
    namespace = {"np": np}
    exec(
        "def sigmoid(z):\n    return z\n"
        "def compute_cost(X, y, w, b):\n"
        "    f = sigmoid(X @ w + b)\n"
        "    return -np.mean(y * np.log(f) + (1 - y) * np.log(1 - f))\n"
        "def compute_gradient(X, y, w, b):\n"
        "    err = sigmoid(X @ w + b) - y\n"
        "    return X.T @ err / len(y), np.mean(err)\n"
        "def predict(X, w, b):\n    return sigmoid(X @ w + b) >= 0.5\n",
        namespace,
    )
    for name in ("compute_cost", "compute_gradient", "predict"):
        assert_accepts(getattr(c1w3, f"check_{name}"), namespace[name])
    assert namespace["sigmoid"](3) == 3


def test_regularized_checks_use_the_reference_cost_and_gradient():
    namespace = {"np": np}
    exec(
        "def compute_cost(X, y, w, b):\n    return 0.0\n"
        "def compute_gradient(X, y, w, b):\n    return np.zeros_like(w), 0.0\n"
        "def compute_cost_reg(X, y, w, b, lambda_=1):\n"
        "    return compute_cost(X, y, w, b) + lambda_ / (2 * X.shape[0]) * np.sum(w ** 2)\n"
        "def compute_gradient_reg(X, y, w, b, lambda_=1):\n"
        "    dj_dw, dj_db = compute_gradient(X, y, w, b)\n"
        "    return dj_dw + lambda_ / X.shape[0] * w, dj_db\n",
        namespace,
    )
    assert_accepts(c1w3.check_compute_cost_reg, namespace["compute_cost_reg"])
    assert_accepts(c1w3.check_compute_gradient_reg, namespace["compute_gradient_reg"])


def test_a_regularized_cost_without_a_default_lambda_is_explained():
    def no_default(X, y, w, b, lambda_):
        return c1w3.ref_compute_cost_reg(X, y, w, b, lambda_)

    assert_rejects(c1w3.check_compute_cost_reg, no_default, "raised TypeError",
                   "missing 1 required positional argument: 'lambda_'")


def test_in_place_gradient_reg_is_rejected_naming_the_argument():
    # The caller's w must not change (the exercise says so): the check names it.
    def mutates_w(X, y, w, b, lambda_=1):
        dj_dw, dj_db = c1w3.ref_compute_gradient_reg(X, y, w, b, lambda_)
        w *= 0
        return dj_dw, dj_db

    assert_rejects(c1w3.check_compute_gradient_reg, mutates_w, "your function changed its argument w",
                   "it must leave w as it is")


@pytest.mark.parametrize("name", ["compute_cost", "compute_gradient"])
def test_the_random_case_has_moderate_z(name):
    X, y, w, b = c1w3._random_case(1)
    z = X @ w + b
    assert np.all(np.abs(z) > 0.05) and np.all(np.abs(z) < 10) and 0 < y.sum() < len(y)


# --- predict: a wrong threshold is named as such, never as a forgotten b (issue 15) -----------------


@pytest.mark.parametrize("threshold", [0.2, 0.3, 0.4, 0.45, 0.55, 0.6, 0.7, 0.8])
def test_a_wrong_threshold_is_named_and_b_is_not_blamed(threshold):
    def thresholded(X, w, b):
        return (c1w3.ref_sigmoid(X @ w + b) >= threshold).astype(float)

    message = assert_rejects(c1w3.check_predict, thresholded, "Likely cause: the threshold is not 0.5")
    assert "`b` is not added" not in message and "sign of `b`" not in message


def test_the_threshold_found_is_given_as_a_range_of_probabilities():
    def at_06(X, w, b):
        return (c1w3.ref_sigmoid(X @ w + b) > 0.6).astype(float)

    assert_rejects(c1w3.check_predict, at_06, "above a threshold between 0.55 and 0.611")


def test_predictions_no_threshold_explains_get_no_threshold_cause():
    def noisy(X, w, b):  # right except the first example: no single threshold gives that
        p = c1w3.ref_predict(X, w, b)
        p[0] = 1 - p[0]
        return p

    message = assert_rejects(c1w3.check_predict, noisy, "got [1. 0. 1. 1. 0. 0.]")
    assert "threshold" not in message


def test_a_forgotten_b_and_a_flipped_b_are_told_apart():
    assert_rejects(c1w3.check_predict, lambda X, w, b: (X @ w >= 0).astype(float), "`b` is not added")
    message = assert_rejects(c1w3.check_predict, lambda X, w, b: (X @ w - b >= 0).astype(float), "sign of `b`")
    assert "`b` is not added" not in message
