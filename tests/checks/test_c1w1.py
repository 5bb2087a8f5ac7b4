"""c1w1 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import math

import numpy as np

from autograder.checks import c1w1
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives: the loop style of the original course, and vectorized numpy --------


def output_loop(x, w, b):
    m = x.shape[0]
    f_wb = np.zeros(m)
    for i in range(m):
        f_wb[i] = w * x[i] + b
    return f_wb


def output_vectorized(x, w, b):
    return w * x + b


def cost_loop(x, y, w, b):
    m = x.shape[0]
    cost_sum = 0
    for i in range(m):
        f_wb = w * x[i] + b
        cost_sum = cost_sum + (f_wb - y[i]) ** 2
    return (1 / (2 * m)) * cost_sum


def cost_vectorized(x, y, w, b):
    return np.mean((w * x + b - y) ** 2) / 2


def cost_dot(x, y, w, b):  # returns a numpy float; y - f instead of f - y (squared, same)
    e = y - (w * x + b)
    return e @ e / (2 * len(x))


def gradient_loop(x, y, w, b):
    m = x.shape[0]
    dj_dw = 0
    dj_db = 0
    for i in range(m):
        f_wb = w * x[i] + b
        dj_dw_i = (f_wb - y[i]) * x[i]
        dj_db_i = f_wb - y[i]
        dj_db += dj_db_i
        dj_dw += dj_dw_i
    return dj_dw / m, dj_db / m


def gradient_vectorized(x, y, w, b):
    err = w * x + b - y
    return np.mean(err * x), np.mean(err)


def gradient_list_return(x, y, w, b):  # a list instead of a tuple is fine to unpack
    err = w * x + b - y
    return [err @ x / len(x), err.sum() / len(x)]


def descent_calls_learner_helpers(x, y, w_in, b_in, alpha, num_iters):
    # The notebook's way: call compute_gradient and compute_cost (the check supplies them).
    w, b = w_in, b_in
    J_history = []
    for i in range(num_iters):
        dj_dw, dj_db = compute_gradient(x, y, w, b)  # noqa: F821 - swapped in by the check
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(compute_cost(x, y, w, b))  # noqa: F821
    return w, b, J_history


def descent_self_contained(x, y, w_in, b_in, alpha, num_iters):
    w, b = float(w_in), float(b_in)
    J = np.zeros(num_iters)  # an array instead of a list is fine
    for i in range(num_iters):
        err = w * x + b - y
        w, b = w - alpha * np.mean(err * x), b - alpha * np.mean(err)
        J[i] = np.mean((w * x + b - y) ** 2) / 2
    return w, b, J


def gradient_scaled_by_reciprocal(x, y, w, b):  # as learners write it: sums, then *= 1/m
    m = x.shape[0]
    dj_dw = dj_db = 0
    for i in range(m):
        f_wb = w * x[i] + b
        dj_dw += (f_wb - y[i]) * x[i]
        dj_db += f_wb - y[i]
    dj_dw *= 1 / m
    dj_db *= 1 / m
    return dj_dw, dj_db

CORRECT = {
    "compute_model_output": [output_loop, output_vectorized],
    "compute_cost": [cost_loop, cost_vectorized, cost_dot],
    "compute_gradient": [gradient_loop, gradient_vectorized, gradient_list_return, gradient_scaled_by_reciprocal],
    "gradient_descent": [descent_calls_learner_helpers, descent_self_contained],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_missing_return_is_pointed_out():
    def no_return(x, y, w, b):
        np.sum((w * x + b - y) ** 2) / (2 * len(x))

    assert_rejects(c1w1.check_compute_cost, no_return, "got None", "forget a `return`")


def test_exception_names_the_input_that_raised():
    def raises(x, y, w, b):
        return math.sqrt(-1)

    assert_rejects(c1w1.check_compute_cost, raises, "`compute_cost`(x=", "raised ValueError")


def test_using_the_global_data_instead_of_the_arguments_fails():
    x_train, y_train = np.array([1.0, 2.0]), np.array([300.0, 500.0])

    def uses_globals(x, y, w, b):
        return np.sum((w * x_train + b - y_train) ** 2) / (2 * len(x_train))

    assert_rejects(c1w1.check_compute_cost, uses_globals, "got", "expected")


def test_column_vector_output_is_a_shape_error():
    def column(x, w, b):
        return (w * x + b).reshape(-1, 1)

    assert_rejects(c1w1.check_compute_model_output, column, "shape (2, 1)", "expected shape (2,)")


def test_gradient_returning_one_value_says_how_many():
    def one_value(x, y, w, b):
        return np.mean((w * x + b - y) * x)

    assert_rejects(c1w1.check_compute_gradient, one_value, "expected a tuple of 2 values")


def test_gradient_descent_missing_history_says_how_many():
    def two_values(x, y, w_in, b_in, alpha, num_iters):
        w, b, _ = c1w1.ref_gradient_descent(x, y, w_in, b_in, alpha, num_iters)
        return w, b

    assert_rejects(c1w1.check_gradient_descent, two_values, "got 2 values, expected 3")


def test_nan_result_is_explained():
    def nan_cost(x, y, w, b):
        return np.log(0.0) * 0

    assert_rejects(c1w1.check_compute_cost, nan_cost, "nan or inf")


def test_gradient_descent_check_uses_reference_helpers_not_the_learners():
    """A wrong compute_gradient in the notebook must not fail the gradient_descent check."""
    namespace = {"np": np}
    exec(
        "def compute_gradient(x, y, w, b):\n    return 0.0, 0.0\n"
        "def compute_cost(x, y, w, b):\n    return -1.0\n"
        "def gradient_descent(x, y, w_in, b_in, alpha, num_iters):\n"
        "    w, b, J = w_in, b_in, []\n"
        "    for _ in range(num_iters):\n"
        "        dj_dw, dj_db = compute_gradient(x, y, w, b)\n"
        "        w, b = w - alpha * dj_dw, b - alpha * dj_db\n"
        "        J.append(compute_cost(x, y, w, b))\n"
        "    return w, b, J\n",
        namespace,
    )
    assert_accepts(c1w1.check_gradient_descent, namespace["gradient_descent"])
    # ... and the learner's own helpers are back in place afterwards.
    assert namespace["compute_cost"](None, None, 0, 0) == -1.0
