"""Checks for module c1w1: linear regression with one variable.

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, check, mistake, swapped_pair_describe, unpacked_in_other_order

# ---------------------------------------------------------------------------------------------
# Reference implementations (vectorized).


def ref_compute_model_output(x, w, b):
    return w * np.asarray(x, dtype=float) + b


def ref_compute_cost(x, y, w, b):
    m = x.shape[0]
    err = w * x + b - y
    return float(np.sum(err**2) / (2 * m))


def ref_compute_gradient(x, y, w, b):
    m = x.shape[0]
    err = w * x + b - y
    return float(np.sum(err * x) / m), float(np.sum(err) / m)


def ref_gradient_descent(x, y, w_in, b_in, alpha, num_iters):
    w, b = float(w_in), float(b_in)
    J_history = []
    for _ in range(num_iters):
        dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
        w, b = w - alpha * dj_dw, b - alpha * dj_db
        J_history.append(ref_compute_cost(x, y, w, b))
    return w, b, J_history


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes, each a wrong implementation and the words that name it.


@mistake("`b` is not added: the model is f_wb = w * x + b.")
def _output_no_bias(x, w, b):
    return w * np.asarray(x, dtype=float)


@mistake("`w` and `b` are swapped: the model is f_wb = w * x + b, not b * x + w.")
def _output_swapped(x, w, b):
    return b * np.asarray(x, dtype=float) + w


@mistake("the loop overwrites one number instead of filling `f_wb[i]` for every example.")
def _output_last_only(x, w, b):
    return float(w * x[-1] + b)


@mistake("`f_wb` was created with an integer dtype (e.g. `np.zeros(m, dtype=int)`), which "
         "truncates the predictions; use `np.zeros(m)`.")
def _output_int_dtype(x, w, b):
    return (w * np.asarray(x, dtype=float) + b).astype(int)


@mistake("a Python list was returned; return a numpy array (`np.zeros(m)` filled in, or `w * x + b`).")
def _output_list(x, w, b):
    return list(w * np.asarray(x, dtype=float) + b)


@mistake("the sign of `b` is flipped: the model adds b.")
def _output_minus_b(x, w, b):
    return w * np.asarray(x, dtype=float) - b


def _err(x, y, w, b):
    return w * x + b - y


@mistake("the 1/2 is missing: the cost is 1/(2m) times the sum of squared errors, not 1/m.")
def _cost_no_half(x, y, w, b):
    return float(np.sum(_err(x, y, w, b) ** 2) / x.shape[0])


@mistake("the 1/m is missing: divide the sum of squared errors by 2m, not by 2.")
def _cost_no_m(x, y, w, b):
    return float(np.sum(_err(x, y, w, b) ** 2) / 2)


@mistake("the sum of squared errors was not divided at all: divide it by 2m.")
def _cost_plain_sum(x, y, w, b):
    return float(np.sum(_err(x, y, w, b) ** 2))


@mistake("operator precedence: `cost_sum/2*m` is (cost_sum/2)*m, a multiplication by m; write "
         "cost_sum / (2*m) (or (1/(2*m)) * cost_sum).")
def _cost_precedence(x, y, w, b):
    return float(np.sum(_err(x, y, w, b) ** 2) / 2 * x.shape[0])


@mistake("the errors are not squared: the cost sums (f_wb - y)**2.")
def _cost_not_squared(x, y, w, b):
    return float(np.sum(_err(x, y, w, b)) / (2 * x.shape[0]))


@mistake("absolute errors were used; the squared-error cost sums (f_wb - y)**2.")
def _cost_absolute(x, y, w, b):
    return float(np.sum(np.abs(_err(x, y, w, b))) / (2 * x.shape[0]))


@mistake("the per-example costs were returned; sum them into one number.")
def _cost_array(x, y, w, b):
    return _err(x, y, w, b) ** 2 / (2 * x.shape[0])


@mistake("the square root was taken (that is the RMSE); the cost is 1/(2m) times the sum of squares.")
def _cost_root(x, y, w, b):
    return float(np.sqrt(np.sum(_err(x, y, w, b) ** 2) / (2 * x.shape[0])))


@mistake("the loop divides by m - 1 (or skips an example); use all m examples and 2m.")
def _cost_m_minus_1(x, y, w, b):
    return float(np.sum(_err(x, y, w, b) ** 2) / (2 * (x.shape[0] - 1))) if x.shape[0] > 1 else np.inf


@mistake("the return order is swapped: this kit returns (dj_dw, dj_db) everywhere "
         "(some labs of the original course return (dj_db, dj_dw)).")
def _grad_swapped(x, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
    return dj_db, dj_dw


@mistake("dj_dw is missing the factor x[i]: dj_dw = 1/m * sum((f_wb - y) * x).")
def _grad_no_x(x, y, w, b):
    e = _err(x, y, w, b)
    return float(np.sum(e) / x.shape[0]), float(np.sum(e) / x.shape[0])


@mistake("dj_db was multiplied by x[i]; only dj_dw has that factor.")
def _grad_db_times_x(x, y, w, b):
    e = _err(x, y, w, b)
    return float(np.sum(e * x) / x.shape[0]), float(np.sum(e * x) / x.shape[0])


@mistake("a parenthesis is missing in dj_dw: `f_wb - y[i] * x[i]` multiplies only y[i] by x[i]; "
         "write (f_wb - y[i]) * x[i].")
def _grad_precedence(x, y, w, b):
    m = x.shape[0]
    f = w * x + b
    return float(np.sum(f - y * x) / m), float(np.sum(f - y) / m)


@mistake("the 1/m is missing: both gradients are averages over the m examples.")
def _grad_no_m(x, y, w, b):
    e = _err(x, y, w, b)
    return float(np.sum(e * x)), float(np.sum(e))


@mistake("there is an extra 1/2: the derivative of 1/(2m)·sum(err²) is 1/m·sum(err·x) (the 2 cancels).")
def _grad_half(x, y, w, b):
    e = _err(x, y, w, b)
    m = x.shape[0]
    return float(np.sum(e * x) / (2 * m)), float(np.sum(e) / (2 * m))


@mistake("the sign is flipped: the error is f_wb - y, not y - f_wb.")
def _grad_flipped(x, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
    return -dj_dw, -dj_db


@mistake("the loop overwrites the sums (`=`) instead of adding to them (`+=`).")
def _grad_overwrite(x, y, w, b):
    e = _err(x, y, w, b)
    return float(e[-1] * x[-1] / x.shape[0]), float(e[-1] / x.shape[0])


@mistake("the `return` is inside the loop, so only the first example is counted; return after the "
         "loop has added every example's squared error.")
def _cost_return_in_loop(x, y, w, b):
    return float(_err(x, y, w, b)[0] ** 2 / (2 * x.shape[0]))


@mistake("the loop skips the last example (`range(m - 1)`, or `range(1, m)` skips the first); "
         "`for i in range(m)` visits all m examples.")
def _cost_skips_last(x, y, w, b):
    return float(np.sum(_err(x, y, w, b)[:-1] ** 2) / (2 * x.shape[0]))


@mistake("the `return` is inside the loop, so only the first example is counted; return after the "
         "loop has added every example's term.")
def _grad_return_in_loop(x, y, w, b):
    e = _err(x, y, w, b)
    return float(e[0] * x[0] / x.shape[0]), float(e[0] / x.shape[0])


@mistake("the 1/m is missing from dj_db (dj_dw has it): both gradients are averages over the m examples.")
def _grad_db_no_m(x, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
    return dj_dw, dj_db * x.shape[0]


def _descend(x, y, w, b, alpha, num_iters, step):
    J_history = []
    for _ in range(num_iters):
        w, b = step(w, b)
        J_history.append(ref_compute_cost(x, y, w, b))
    return w, b, J_history


@mistake("the update climbs the cost: subtract alpha times the gradient (w = w - alpha * dj_dw).")
def _gd_plus(x, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
        return w + alpha * dj_dw, b + alpha * dj_db
    return _descend(x, y, w_in, b_in, alpha, num_iters, step)


@mistake("the learning rate alpha is missing from the update.")
def _gd_no_alpha(x, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
        return w - dj_dw, b - dj_db
    return _descend(x, y, w_in, b_in, alpha, num_iters, step)


@mistake("the update is not simultaneous: b's gradient was computed after w had changed. "
         "Compute both gradients first, then update w and b.")
def _gd_not_simultaneous(x, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, _ = ref_compute_gradient(x, y, w, b)
        w = w - alpha * dj_dw
        _, dj_db = ref_compute_gradient(x, y, w, b)
        return w, b - alpha * dj_db
    return _descend(x, y, w_in, b_in, alpha, num_iters, step)


@mistake("J_history records the cost before each update; record it after the update.")
def _gd_cost_before(x, y, w_in, b_in, alpha, num_iters):
    w, b = float(w_in), float(b_in)
    J_history = []
    for _ in range(num_iters):
        J_history.append(ref_compute_cost(x, y, w, b))
        dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
        w, b = w - alpha * dj_dw, b - alpha * dj_db
    return w, b, J_history


@mistake("the loop runs one iteration too few: `for i in range(num_iters)` runs exactly num_iters.")
def _gd_one_short(x, y, w_in, b_in, alpha, num_iters):
    return ref_gradient_descent(x, y, w_in, b_in, alpha, num_iters - 1)


@mistake("the return order is swapped: return (w, b, J_history).")
def _gd_swapped(x, y, w_in, b_in, alpha, num_iters):
    w, b, J = ref_gradient_descent(x, y, w_in, b_in, alpha, num_iters)
    return b, w, J


@mistake("J_history is not returned: return the three values (w, b, J_history), with the cost after "
         "each update appended to J_history.")
def _gd_no_history(x, y, w_in, b_in, alpha, num_iters):
    w, b, _ = ref_gradient_descent(x, y, w_in, b_in, alpha, num_iters)
    return w, b


@mistake("a fourth value (the history of the parameters, p_history in the original course's lab) is "
         "returned; this exercise returns exactly (w, b, J_history).")
def _gd_with_p_history(x, y, w_in, b_in, alpha, num_iters):
    w, b, J = float(w_in), float(b_in), []
    p_history = []
    for _ in range(num_iters):
        dj_dw, dj_db = ref_compute_gradient(x, y, w, b)
        w, b = w - alpha * dj_dw, b - alpha * dj_db
        J.append(ref_compute_cost(x, y, w, b))
        p_history.append([w, b])
    return w, b, J, p_history


@mistake("the gradient is always computed at the starting point (w_in, b_in); compute it at the "
         "current w and b in every iteration.")
def _gd_gradient_at_start(x, y, w_in, b_in, alpha, num_iters):
    dj_dw, dj_db = ref_compute_gradient(x, y, w_in, b_in)
    return _descend(x, y, w_in, b_in, alpha, num_iters,
                    lambda w, b: (w - alpha * dj_dw, b - alpha * dj_db))


@mistake("the `return` is inside the loop, so gradient descent stops after its first iteration; "
         "return (w, b, J_history) after the loop has run num_iters times.")
def _gd_return_in_loop(x, y, w_in, b_in, alpha, num_iters):
    return ref_gradient_descent(x, y, w_in, b_in, alpha, min(num_iters, 1))


@mistake(unpacked_in_other_order("compute_gradient", "dj_dw", "dj_db"))
def _gd_course_unpack(x, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_db, dj_dw = ref_compute_gradient(x, y, w, b)  # the names are the wrong way round
        return w - alpha * dj_dw, b - alpha * dj_db
    return _descend(x, y, w_in, b_in, alpha, num_iters, step)


MISTAKES = {
    "compute_model_output": [_output_no_bias, _output_swapped, _output_last_only, _output_int_dtype,
                             _output_list, _output_minus_b],
    "compute_cost": [_cost_no_half, _cost_no_m, _cost_plain_sum, _cost_precedence, _cost_not_squared,
                     _cost_absolute, _cost_array, _cost_root, _cost_m_minus_1, _cost_return_in_loop,
                     _cost_skips_last],
    "compute_gradient": [_grad_swapped, _grad_no_x, _grad_db_times_x, _grad_precedence, _grad_no_m,
                         _grad_half, _grad_flipped, _grad_overwrite, _grad_return_in_loop, _grad_db_no_m],
    "gradient_descent": [_gd_plus, _gd_no_alpha, _gd_not_simultaneous, _gd_cost_before, _gd_one_short,
                         _gd_swapped, _gd_no_history, _gd_with_p_history, _gd_gradient_at_start,
                         _gd_return_in_loop, _gd_course_unpack],
}


# ---------------------------------------------------------------------------------------------
# What every check of this module switches on: no argument may change (the caller's data and
# starting point stay as they were; the exercise says so), a raised exception shows the case's
# inputs whole, x is the m examples, and a wrong result no mistake explains is probed.

STRICT = dict(mutation="fail", detail_raised=True, examples={"x": "batch"})
ARGUMENTS_KEPT = {"compute_model_output", "compute_cost", "compute_gradient", "gradient_descent"}

# ---------------------------------------------------------------------------------------------
# Cases.


def _random_case(seed: int, m: int = 12):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.5, 3.5, size=m)
    y = 150 * x + 80 + rng.normal(0, 20, size=m)
    return x, y


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_compute_model_output(compute_model_output):
    c = Check("compute_model_output", compute_model_output, ref_compute_model_output,
              MISTAKES["compute_model_output"], probe=("x", "w", "b"), **STRICT)
    c.case(x=np.array([1.0, 2.0]), w=200, b=100)
    c.case(x=np.array([1.0, 1.7, 2.0, 2.5, 3.0, 3.2]), w=209.5, b=2.4)
    c.case(note="one example", x=np.array([3.0]), w=-1.5, b=0.25)
    c.case(note="integer inputs", x=np.array([1, 2, 3]), w=2, b=1)
    c.case(note="large magnitudes", x=np.array([1e6, -2e6, 3e6]), w=1e3, b=-5e8)
    x, _ = _random_case(0)
    c.case(note="random", x=x, w=0.37, b=-1.2)
    c.passed()


@check
def check_compute_cost(compute_cost):
    c = Check("compute_cost", compute_cost, ref_compute_cost, MISTAKES["compute_cost"],
              probe=("x", "y", "w", "b"), ratios=True, **STRICT)
    c.case(x=np.array([1.0, 2.0, 3.0, 4.0]), y=np.array([2.0, 2.5, 4.0, 6.5]), w=1.2, b=-0.3)
    c.case(x=np.array([1.0, 2.0]), y=np.array([300.0, 500.0]), w=150, b=100)  # 3125
    c.case(x=np.array([1.0, 2.0]), y=np.array([300.0, 500.0]), w=200, b=100)  # a perfect fit: 0
    c.case(note="one example", x=np.array([2.0]), y=np.array([1.0]), w=1.0, b=0.5)  # 1.125
    c.case(note="large magnitudes", x=np.array([1e3, 2e3, 3e3]), y=np.array([1e5, 3e5, 2e5]), w=90.0, b=1e4)
    x, y = _random_case(1)
    c.case(note="random", x=x, y=y, w=140.0, b=95.0)
    c.passed()


@check
def check_compute_gradient(compute_gradient):
    c = Check("compute_gradient", compute_gradient, ref_compute_gradient, MISTAKES["compute_gradient"],
              returns=("dj_dw", "dj_db"), probe=("x", "y", "w", "b"), ratios=True, **STRICT)
    c.describe = swapped_pair_describe(c)
    c.case(x=np.array([1.0, 2.0]), y=np.array([300.0, 500.0]), w=150, b=100)  # (-125, -75)
    c.case(x=np.array([1.0, 2.0]), y=np.array([300.0, 500.0]), w=200, b=100)  # (0, 0) at the minimum
    c.case(note="one example", x=np.array([2.0]), y=np.array([1.0]), w=1.0, b=0.5)  # (3, 1.5)
    c.case(x=np.array([0.5, 1.5, 2.5, 3.0]), y=np.array([1.0, 2.0, 1.0, 4.0]), w=0.8, b=0.3)
    x, y = _random_case(2)
    c.case(note="random", x=x, y=y, w=120.0, b=60.0)
    c.passed()


@check
def check_gradient_descent(gradient_descent):
    # The learner's gradient_descent may call compute_gradient and compute_cost: the reference
    # versions stand in while it runs, so only gradient_descent itself is tested here.
    c = Check("gradient_descent", gradient_descent, ref_gradient_descent, MISTAKES["gradient_descent"],
              returns=("w", "b", "J_history"), rtol=1e-5,
              dependencies={"compute_gradient": ref_compute_gradient, "compute_cost": ref_compute_cost},
              pair_dependencies={"compute_gradient": ("dj_dw", "dj_db")}, probe=("alpha",), **STRICT)
    c.case(x=np.array([1.0, 2.0]), y=np.array([300.0, 500.0]), w_in=0.0, b_in=0.0, alpha=0.01, num_iters=10)
    c.case(note="one iteration", x=np.array([1.0, 2.0, 3.0]), y=np.array([2.0, 4.5, 5.5]),
           w_in=0.5, b_in=0.5, alpha=0.1, num_iters=1)
    c.case(note="zero iterations", x=np.array([1.0, 2.0]), y=np.array([1.0, 2.0]),
           w_in=0.3, b_in=-0.2, alpha=0.1, num_iters=0)
    x, y = _random_case(3)
    c.case(note="random", x=x, y=y, w_in=10.0, b_in=5.0, alpha=0.05, num_iters=40)
    c.passed()
