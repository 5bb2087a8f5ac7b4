"""Checks for module c1w3: logistic regression and regularization.

Conventions the exercise states: `X` is a numpy array of shape (m, n), `y` holds 0/1 labels of
shape (m,), `w` has shape (n,) and `b` is a number. Gradients are returned as `(dj_dw, dj_db)` with
`dj_dw` of shape (n,). `sigmoid(z)` takes a number or an array of any shape; the rule beyond the mathematics, its own
check (`check_sigmoid_stable`, cell `test_sigmoid__stable`), is that it must not make numpy warn
(no overflow) and stays right even for z = -1000 or z = 1000. `predict` returns 0/1 of shape (m,): integers,
floats or booleans are all fine. Regularization adds lambda_/(2m) * sum(w**2) to the cost and
lambda_/m * w to dj_dw; b is not regularized.

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.
"""

from __future__ import annotations

import copy
import warnings

import numpy as np

from autograder.checks.ladder import swapped_pair_describe
from autograder.checks.ladder import Check, Hint, check, mistake, rule_words, values_first

# ---------------------------------------------------------------------------------------------
# Reference implementations (vectorized, and numerically stable where it matters).


def ref_sigmoid(z):
    z = np.asarray(z, dtype=float)
    with np.errstate(under="ignore"):
        g = np.exp(-np.logaddexp(0.0, -z))  # 1 / (1 + e^-z), without overflow
    return g if g.ndim else float(g)


def _z(X, w, b):
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b


def ref_compute_cost(X, y, w, b):
    m = X.shape[0]
    z = _z(X, w, b)
    # -y log(g) - (1-y) log(1-g) with g = sigmoid(z), written as log(1 + e^z) - y z.
    return float(np.sum(np.logaddexp(0.0, z) - y * z) / m)


def ref_compute_gradient(X, y, w, b):
    m = X.shape[0]
    err = ref_sigmoid(_z(X, w, b)) - y
    return np.asarray(X, dtype=float).T @ err / m, float(np.sum(err) / m)


def ref_predict(X, w, b):
    return (ref_sigmoid(_z(X, w, b)) >= 0.5).astype(float)


def ref_compute_cost_reg(X, y, w, b, lambda_=1):
    m = X.shape[0]
    w = np.asarray(w, dtype=float)
    return ref_compute_cost(X, y, w, b) + lambda_ / (2 * m) * float(w @ w)


def ref_compute_gradient_reg(X, y, w, b, lambda_=1):
    m = X.shape[0]
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw + lambda_ / m * np.asarray(w, dtype=float), dj_db


# ---------------------------------------------------------------------------------------------
# sigmoid


def _as_float(z):
    return np.asarray(z, dtype=float)


def _shaped(g, z):
    return g if np.ndim(z) else float(g)


@mistake("np.exp(-z) overflows for large negative z (e^1000 is too big for a float), so numpy warns "
         "\"overflow encountered in exp\". Give exp only arguments it can handle: clip z first "
         "(z = np.clip(z, -500, 500)), or use e^z / (1 + e^z) for the negative z.")
def _sig_naive(z):
    return 1 / (1 + np.exp(-_as_float(z)))


@mistake("np.where evaluates both of its branches for every element before choosing, so the branch "
         "with np.exp(z) still overflows for large positive z (and np.exp(-z) for large negative z). "
         "Compute each formula only on its own elements (boolean masks), or clip z first.")
def _sig_where_both(z):
    z = _as_float(z)
    return np.where(z >= 0, 1 / (1 + np.exp(-z)), np.exp(z) / (1 + np.exp(z)))


@mistake("e^z / (1 + e^z) is the sigmoid, but for large positive z, e^z overflows to inf and inf/inf "
         "is nan. Use 1 / (1 + e^(-z)) for z >= 0 and e^z / (1 + e^z) only for z < 0 (boolean masks), "
         "or clip z first (z = np.clip(z, -500, 500)).")
def _sig_exp_over_one_plus_exp(z):
    e = np.exp(_as_float(z))
    return e / (1 + e)


@mistake("the sign of z is flipped: g(z) = 1 / (1 + e^(-z)), so g(z) > 0.5 for z > 0.")
def _sig_flipped(z):
    return _shaped(ref_sigmoid(-_as_float(z)), z)


@mistake("operator precedence: `1/1+np.exp(-z)` is 1 + e^(-z); write 1 / (1 + np.exp(-z)).")
def _sig_precedence(z):
    return 1 / 1 + np.exp(-_as_float(z))


@mistake("the denominator is 1 - e^(-z); the sigmoid is 1 / (1 + e^(-z)).")
def _sig_minus(z):
    return 1 / (1 - np.exp(-_as_float(z)))


@mistake("the 1 + is missing from the denominator: 1 / e^(-z) is just e^z; the sigmoid is "
         "1 / (1 + e^(-z)).")
def _sig_no_one(z):
    return 1 / np.exp(-_as_float(z))


@mistake("the result array copied the dtype of an integer z (np.zeros_like(z) or np.empty_like(z)), "
         "which truncates every value to 0 or 1; create it with dtype=float.")
def _sig_int_like(z):
    g = ref_sigmoid(z)
    return g.astype(np.asarray(z).dtype) if np.ndim(z) else g


@mistake("z was clipped to too narrow a range: e.g. with np.clip(z, -20, 20), g(-1000) comes out as "
         "g(-20) = 2e-9 instead of (practically) 0. Clip to [-500, 500]: e^500 is still a finite float.")
def _sig_clip_narrow(z):
    return 1 / (1 + np.exp(-np.clip(_as_float(z), -20, 20)))


@mistake("the tanh form is g(z) = (1 + tanh(z / 2)) / 2: the argument of tanh is z / 2, not z.")
def _sig_tanh_no_half(z):
    return _shaped(0.5 * (1 + np.tanh(_as_float(z))), z)


@mistake("the probabilities were rounded to 0 or 1: the sigmoid returns g(z) itself, a number strictly "
         "between 0 and 1; rounding to a class label is `predict`'s job.")
def _sig_rounded(z):
    return _shaped(np.round(ref_sigmoid(z)), z)


# ---------------------------------------------------------------------------------------------
# compute_cost


def _g(X, w, b):
    return ref_sigmoid(_z(X, w, b))


def _losses(X, y, w, b, log=np.log):
    f = _g(X, w, b)
    return -y * log(f) - (1 - y) * log(1 - f)


@mistake("the 1/m is missing: the cost is the average of the losses, (1/m) * sum.")
def _cost_no_m(X, y, w, b):
    return float(np.sum(_losses(X, y, w, b)))


@mistake("np.log10 was used; the logistic loss uses the natural logarithm, np.log.")
def _cost_log10(X, y, w, b):
    return float(np.sum(_losses(X, y, w, b, np.log10)) / X.shape[0])


@mistake("y and 1 - y are swapped: the loss is -y*log(f) - (1-y)*log(1-f), so that a label 1 is "
         "penalized when f is small.")
def _cost_y_swapped(X, y, w, b):
    f = _g(X, w, b)
    return float(np.sum(-(1 - y) * np.log(f) - y * np.log(1 - f)) / X.shape[0])


@mistake("the sigmoid is missing: f_wb = sigmoid(np.dot(X[i], w) + b), not the linear z itself.")
def _cost_no_sigmoid(X, y, w, b):
    z = _z(X, w, b)
    return float(np.sum(-y * np.log(z) - (1 - y) * np.log(1 - z)) / X.shape[0])


@mistake("the minus sign is missing: the loss is -y*log(f) - (1-y)*log(1-f), which is positive.")
def _cost_no_minus(X, y, w, b):
    return -ref_compute_cost(X, y, w, b)


@mistake("the cost is divided by 2m as in linear regression; the logistic cost averages the losses: 1/m.")
def _cost_2m(X, y, w, b):
    return ref_compute_cost(X, y, w, b) / 2


@mistake("that is the squared-error cost of linear regression; logistic regression uses the "
         "logistic loss -y*log(f) - (1-y)*log(1-f).")
def _cost_squared(X, y, w, b):
    return float(np.sum((_g(X, w, b) - y) ** 2) / (2 * X.shape[0]))


@mistake("the (1 - y) * log(1 - f) term is missing: examples with label 0 must cost something too.")
def _cost_only_y_term(X, y, w, b):
    return float(np.sum(-y * np.log(_g(X, w, b))) / X.shape[0])


@mistake("m was taken as the number of features (X.shape[1]); m is the number of examples, X.shape[0].")
def _cost_m_features(X, y, w, b):
    return float(np.sum(_losses(X, y, w, b)) / X.shape[1])


@mistake("the second term takes log(f) again; the loss of a label 0 is -log(1 - f): "
         "-y*log(f) - (1-y)*log(1-f).")
def _cost_log_f_twice(X, y, w, b):
    f = _g(X, w, b)
    return float(np.sum(-y * np.log(f) - (1 - y) * np.log(f)) / X.shape[0])


@mistake("the (1 - y) * log(1 - f) term is added instead of subtracted: the loss is "
         "-y*log(f) - (1-y)*log(1-f) (the minus applies to both terms).")
def _cost_second_term_plus(X, y, w, b):
    f = _g(X, w, b)
    return float(np.sum(-y * np.log(f) + (1 - y) * np.log(1 - f)) / X.shape[0])


@mistake("the per-example losses were returned; average them into one number.")
def _cost_array(X, y, w, b):
    return _losses(X, y, w, b) / X.shape[0]


@mistake("the `return` is inside the loop, so only the first example's loss is counted; return after "
         "the loop has added every example's loss.")
def _cost_return_in_loop(X, y, w, b):
    return float(_losses(X, y, w, b)[0] / X.shape[0])


# ---------------------------------------------------------------------------------------------
# compute_gradient


@mistake("the sigmoid is missing: the error is sigmoid(z) - y, not z - y (that is the gradient of "
         "linear regression).")
def _grad_no_sigmoid(X, y, w, b):
    m = X.shape[0]
    err = _z(X, w, b) - y
    return np.asarray(X, dtype=float).T @ err / m, float(np.sum(err) / m)


@mistake("the return order is swapped: this kit returns (dj_dw, dj_db) everywhere "
         "(the original course's labs return (dj_db, dj_dw) in this week).")
def _grad_swapped(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_db, dj_dw


@mistake("the 1/m is missing: both gradients are averages over the m examples.")
def _grad_no_m(X, y, w, b):
    m = X.shape[0]
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw * m, dj_db * m


@mistake("the sign is flipped: the error is sigmoid(z) - y, not y - sigmoid(z).")
def _grad_flipped(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return -dj_dw, -dj_db


@mistake("the sum runs over the features (axis=1) instead of over the examples (axis=0): dj_dw "
         "has one entry per feature, dj_dw[j] = 1/m * sum over i of err[i] * X[i, j].")
def _grad_wrong_axis(X, y, w, b):
    m = X.shape[0]
    err = _g(X, w, b) - y
    return np.sum(err[:, None] * X, axis=1) / m, float(np.sum(err) / m)


@mistake("dj_db is updated inside the loop over the features, so each error is added n times; "
         "add err to dj_db once per example (outside the j loop).")
def _grad_db_in_feature_loop(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw, dj_db * X.shape[1]


@mistake("m was taken as the number of features (X.shape[1]); m is the number of examples, X.shape[0].")
def _grad_m_features(X, y, w, b):
    m, n = X.shape
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw * m / n, dj_db * m / n


@mistake("the loop overwrites the sums (`=`) instead of adding to them (`+=`).")
def _grad_overwrite(X, y, w, b):
    m = X.shape[0]
    err = _g(X, w, b) - y
    return err[-1] * np.asarray(X[-1], dtype=float) / m, float(err[-1] / m)


@mistake("dj_db is not divided by m (dj_dw is): dj_db = 1/m * sum(sigmoid(z) - y).")
def _grad_db_no_m(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw, dj_db * X.shape[0]


@mistake("there is an extra 1/2: the logistic cost has no 1/2, so the gradient is "
         "1/m * sum((sigmoid(z) - y) * x).")
def _grad_half(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw / 2, dj_db / 2


@mistake("the `return` is inside the loop over the examples, so only the first example is counted; "
         "return after the loop has added every example's term.")
def _grad_return_in_loop(X, y, w, b):
    m = X.shape[0]
    err = _g(X, w, b) - y
    return err[0] * np.asarray(X[0], dtype=float) / m, float(err[0] / m)


# ---------------------------------------------------------------------------------------------
# predict


@mistake("the probabilities were returned; predict 1 where sigmoid(z) >= 0.5 and 0 otherwise.")
def _pred_probabilities(X, w, b):
    return _g(X, w, b)


@mistake("the threshold 0.5 was applied to z; it applies to the probability sigmoid(z) "
         "(sigmoid(z) >= 0.5 is the same as z >= 0).")
def _pred_threshold_on_z(X, w, b):
    return (_z(X, w, b) >= 0.5).astype(float)


@mistake("the comparison is reversed: predict 1 where sigmoid(z) >= 0.5.")
def _pred_reversed(X, w, b):
    return (_g(X, w, b) < 0.5).astype(float)


@mistake("the probability was compared with 0, and a probability is always >= 0; compare it with 0.5 "
         "(or compare z with 0).")
def _pred_threshold_zero_on_prob(X, w, b):
    return (_g(X, w, b) >= 0).astype(float)


WRONG_THRESHOLD = ("the threshold is not 0.5: predict 1 exactly where the probability sigmoid(z) >= 0.5 "
                   "(the same as z >= 0), 0 elsewhere.")


@mistake(WRONG_THRESHOLD)
def _pred_threshold_04(X, w, b):
    return (_g(X, w, b) >= 0.4).astype(float)


@mistake("the sign of `b` is flipped: z = np.dot(X[i], w) + b adds b.")
def _pred_minus_b(X, w, b):
    return (_z(X, w, -b) >= 0).astype(float)


@mistake("`b` is not added: z = np.dot(X[i], w) + b.")
def _pred_no_bias(X, w, b):
    return (ref_sigmoid(_z(X, w, 0.0)) >= 0.5).astype(float)


@mistake("the loop overwrites one number instead of filling `p[i]` for every example.")
def _pred_last_only(X, w, b):
    return float(ref_predict(X, w, b)[-1])


@mistake("`w` was turned into a column, so the result has shape (m, 1); keep w of shape (n,) and "
         "return shape (m,).")
def _pred_column(X, w, b):
    return ref_predict(X, w, b).reshape(-1, 1)


@mistake("a Python list was returned; return a numpy array of shape (m,).")
def _pred_list(X, w, b):
    return [float(v) for v in ref_predict(X, w, b)]


# ---------------------------------------------------------------------------------------------
# compute_cost_reg


def _wsq(w):
    w = np.asarray(w, dtype=float)
    return float(w @ w)


@mistake("b was regularized too; the penalty sums w_j**2 over the weights only, not b.")
def _cost_reg_b(X, y, w, b, lambda_=1):
    return ref_compute_cost_reg(X, y, w, b, lambda_) + lambda_ / (2 * X.shape[0]) * b**2


@mistake("the penalty uses lambda/m; the cost's penalty is lambda/(2m) * sum(w**2) (lambda/m is "
         "in the gradient).")
def _cost_reg_lambda_m(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / X.shape[0] * _wsq(w)


@mistake("the penalty is not divided by m: it is lambda/(2m) * sum(w**2).")
def _cost_reg_no_m(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / 2 * _wsq(w)


@mistake("the penalty sums |w_j| (L1); this regularization sums the squares w_j**2.")
def _cost_reg_l1(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / (2 * X.shape[0]) * float(np.sum(np.abs(w)))


@mistake("the penalty was not added (or lambda_ was ignored): cost = compute_cost(...) + "
         "lambda_/(2m) * sum(w**2).")
def _cost_reg_missing(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b)


@mistake("the penalty was subtracted; regularization adds lambda_/(2m) * sum(w**2) to the cost.")
def _cost_reg_minus(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) - lambda_ / (2 * X.shape[0]) * _wsq(w)


@mistake("np.linalg.norm(w) is the length of w, not the sum of its squares; square it, or use "
         "np.sum(w**2).")
def _cost_reg_norm(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / (2 * X.shape[0]) * float(np.linalg.norm(w))


@mistake("operator precedence: `lambda_/2*m` is (lambda_/2)*m, a multiplication by m; write "
         "lambda_/(2*m) * sum(w**2).")
def _cost_reg_precedence(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / 2 * X.shape[0] * _wsq(w)


@mistake("np.sum(w)**2 squares the sum of the weights; the penalty sums the squares: np.sum(w**2).")
def _cost_reg_square_of_sum(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / (2 * X.shape[0]) * float(np.sum(w)) ** 2


@mistake("m was taken as the number of features (X.shape[1]); m is the number of examples, X.shape[0].")
def _cost_reg_m_features(X, y, w, b, lambda_=1):
    return ref_compute_cost(X, y, w, b) + lambda_ / (2 * X.shape[1]) * _wsq(w)


# ---------------------------------------------------------------------------------------------
# compute_gradient_reg


@mistake("b was regularized too; only dj_dw gets the extra lambda_/m * w, dj_db stays as it is.")
def _grad_reg_b(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient_reg(X, y, w, b, lambda_)
    return dj_dw, dj_db + lambda_ / X.shape[0] * b


@mistake("the penalty's gradient uses lambda/(2m); the derivative of lambda/(2m) * w_j**2 is "
         "lambda/m * w_j (the 2 cancels).")
def _grad_reg_2m(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw + lambda_ / (2 * X.shape[0]) * np.asarray(w, dtype=float), dj_db


@mistake("the penalty's gradient is not divided by m: it is lambda_/m * w.")
def _grad_reg_no_m(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw + lambda_ * np.asarray(w, dtype=float), dj_db


@mistake("the penalty's gradient was subtracted; it adds lambda_/m * w to dj_dw.")
def _grad_reg_minus(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw - lambda_ / X.shape[0] * np.asarray(w, dtype=float), dj_db


@mistake("the penalty's gradient was not added (or lambda_ was ignored): dj_dw += lambda_/m * w.")
def _grad_reg_missing(X, y, w, b, lambda_=1):
    return ref_compute_gradient(X, y, w, b)


@mistake("w was squared in the penalty's gradient; the derivative of lambda/(2m) * w_j**2 is "
         "lambda/m * w_j.")
def _grad_reg_w_squared(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw + lambda_ / X.shape[0] * np.asarray(w, dtype=float) ** 2, dj_db


@mistake("the return order is swapped: this kit returns (dj_dw, dj_db) everywhere "
         "(the original course's labs return (dj_db, dj_dw) in this week).")
def _grad_reg_swapped(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient_reg(X, y, w, b, lambda_)
    return dj_db, dj_dw


@mistake("compute_gradient's result was unpacked as `dj_db, dj_dw = compute_gradient(...)`, the original "
         "course's order; in this kit compute_gradient returns (dj_dw, dj_db), so the penalty went onto "
         "dj_db. Write `dj_dw, dj_db = compute_gradient(X, y, w, b)` and return (dj_dw, dj_db).")
def _grad_reg_course_unpack(X, y, w, b, lambda_=1):
    dj_db, dj_dw = ref_compute_gradient(X, y, w, b)  # the names are the wrong way round
    dj_dw = dj_dw + lambda_ / X.shape[0] * np.asarray(w, dtype=float)
    return dj_db, dj_dw


@mistake("one number, lambda_/m * sum(w), was added to every entry; add lambda_/m * w_j to "
         "dj_dw[j], entry by entry.")
def _grad_reg_sum(X, y, w, b, lambda_=1):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw + lambda_ / X.shape[0] * float(np.sum(w)), dj_db


MISTAKES = {
    "sigmoid": [_sig_flipped, _sig_precedence, _sig_minus, _sig_no_one, _sig_int_like, _sig_tanh_no_half,
                _sig_rounded],
    # Right mathematics that breaks the rule "stable for large inputs" (the rule check's catalogue):
    # each passes the values check and loses only the rule's point.
    "sigmoid__stable": [_sig_naive, _sig_where_both, _sig_exp_over_one_plus_exp, _sig_clip_narrow],
    "compute_cost": [_cost_no_m, _cost_log10, _cost_y_swapped, _cost_no_sigmoid, _cost_no_minus,
                     _cost_2m, _cost_squared, _cost_only_y_term, _cost_m_features, _cost_log_f_twice,
                     _cost_second_term_plus, _cost_array, _cost_return_in_loop],
    "compute_gradient": [_grad_no_sigmoid, _grad_swapped, _grad_no_m, _grad_flipped, _grad_wrong_axis,
                         _grad_db_in_feature_loop, _grad_m_features, _grad_overwrite, _grad_db_no_m, _grad_half,
                         _grad_return_in_loop],
    "predict": [_pred_probabilities, _pred_threshold_on_z, _pred_reversed, _pred_threshold_zero_on_prob,
                _pred_threshold_04, _pred_minus_b, _pred_no_bias, _pred_last_only, _pred_column, _pred_list],
    "compute_cost_reg": [_cost_reg_b, _cost_reg_lambda_m, _cost_reg_no_m, _cost_reg_l1,
                         _cost_reg_missing, _cost_reg_minus, _cost_reg_norm, _cost_reg_precedence,
                         _cost_reg_square_of_sum, _cost_reg_m_features],
    "compute_gradient_reg": [_grad_reg_b, _grad_reg_2m, _grad_reg_no_m, _grad_reg_minus,
                             _grad_reg_missing, _grad_reg_w_squared, _grad_reg_swapped, _grad_reg_course_unpack, _grad_reg_sum],
}


# ---------------------------------------------------------------------------------------------
# Cases.

# The small classification data of the original course's labs: two features, labels 0 and 1.
LAB_X = np.array([[0.5, 1.5], [1.0, 1.0], [1.5, 0.5], [3.0, 0.5], [2.0, 2.0], [1.0, 2.5]])
LAB_Y = np.array([0.0, 0.0, 0.0, 1.0, 1.0, 1.0])


def _random_case(seed: int, m: int = 25, n: int = 4):
    """A seeded classification problem whose z = X @ w + b stays moderate (|z| < 10) and away
    from 0 (|z| > 0.05), so that the naive cost is accurate and `>` vs `>=` cannot matter."""
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(m, n))
    w = rng.normal(0.0, 1.0, size=n)
    b = 0.3
    z = X @ w + b
    X = X[(np.abs(z) > 0.05) & (np.abs(z) < 10)]
    y = (rng.uniform(size=X.shape[0]) < ref_sigmoid(X @ w + b)).astype(float)
    return X, y, w, b


def _harmful_warnings(caught) -> list[str]:
    """The warnings a learner's function raised that numpy does not show by default (underflow,
    e.g. e^-1000 rounding to 0, is harmless and silent outside the check)."""
    return [str(w.message) for w in caught
            if issubclass(w.category, RuntimeWarning) and "underflow" not in str(w.message)]


def _warning_causes(c: Check, args: dict, cases: list[dict]) -> list[str]:
    """The catalogued mistakes that behave like the learner's function: every value right (on all
    of `cases`), no warning on the cases before `args`, and a warning on `args`."""
    causes = []
    earlier = cases[: next(i for i, a in enumerate(cases) if a is args)]
    for m in c.mistakes:
        try:
            right = all(c.differs(_run_quietly(m, a)[0], c.expected(a)) is None for a in cases)
            quiet_before = not any(_run_quietly(m, a)[1] for a in earlier)
            warns_here = bool(_run_quietly(m, args)[1])
        except Exception:
            continue
        if right and quiet_before and warns_here:
            causes.append(m.cause)
    return causes


def _run_quietly(m, args: dict):
    """A mistake's result on `args`, and the harmful warnings it raised (recorded, not shown)."""
    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        value = m.implementation(*copy.deepcopy(list(args.values())))
    return value, _harmful_warnings(caught)


# ---------------------------------------------------------------------------------------------
# What every check of this module switches on: no argument may change (the caller's data and
# parameters stay as they were; the exercise says so), a raised exception shows the case's inputs
# whole, X is a batch of examples (one per row), and a wrong result no mistake explains is probed.

STRICT = dict(mutation="fail", detail_raised=True, examples={"X": "batch"})
ARGUMENTS_KEPT = {"sigmoid", "compute_cost", "compute_gradient", "predict", "compute_cost_reg",
                  "compute_gradient_reg"}


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_sigmoid(sigmoid):
    """The mathematics of the sigmoid, on moderate z (where every correct formula is accurate and
    nothing overflows); stability for large |z| is the rule check `check_sigmoid_stable`."""
    c = Check("sigmoid", sigmoid, ref_sigmoid, MISTAKES["sigmoid"], mutation="fail", detail_raised=True)
    c.case(z=np.array([-2.0, -0.5, 0.0, 0.5, 2.0, 5.0]))
    c.case(note="a number", z=0.0)
    c.case(note="a number", z=1.5)
    c.case(note="a 2-D array", z=np.array([[-1.0, 0.0, 1.0], [-3.0, 3.0, 10.0]]))
    c.case(note="integer input", z=np.array([-3, -1, 0, 1, 3]))
    c.case(note="random", z=np.random.default_rng(0).normal(0.0, 3.0, size=20).clip(-15, 15))
    c.passed()


@check
def check_sigmoid_stable(sigmoid):
    """The rule "stable for large inputs": for |z| up to 1000 the values are right and numpy does
    not warn (a warning in a check cell would cost its points when graded)."""
    c = Check("sigmoid", sigmoid, ref_sigmoid, MISTAKES["sigmoid__stable"], mutation="fail",
              detail_raised=True, rule=rule_words("c1w3", "sigmoid", "stable"))
    values_first(c, check_sigmoid)
    cases = [
        dict(note="large positive z", z=1000.0),
        dict(note="large negative z", z=-1000.0),
        dict(note="large magnitudes", z=np.array([-1000.0, -50.0, 0.0, 50.0, 1000.0])),
        dict(note="large magnitudes, 2-D", z=np.array([[-800.0, 800.0], [-30.0, 710.0]])),
    ]
    notes = [case.pop("note", "") for case in cases]
    for note, case in zip(notes, cases):
        c.case(note=note, **case)
        harmful = _harmful_warnings(c.caught_warnings)
        if harmful:
            c.fail(case, f"the values are right, but numpy warned \"{harmful[0]}\" (every caller would "
                   "see the warning, and nbgrader scores a check cell that prints one as failed).",
                   _warning_causes(c, case, cases), note)
    c.passed()


@check
def check_compute_cost(compute_cost):
    # compute_cost may call sigmoid: the reference stands in for it while the check runs.
    c = Check("compute_cost", compute_cost, ref_compute_cost, MISTAKES["compute_cost"],
              dependencies={"sigmoid": ref_sigmoid}, probe=("X", "y", "w", "b"), ratios=True, **STRICT)
    c.case(X=LAB_X, y=LAB_Y, w=np.array([1.0, 1.0]), b=-3.0)  # 0.36686678640551745
    c.case(X=LAB_X, y=LAB_Y, w=np.array([1.0, 1.0]), b=-4.0)  # 0.5036808636748461
    c.case(note="w = 0, b = 0", X=LAB_X, y=LAB_Y, w=np.zeros(2), b=0.0)  # log(2)
    c.case(note="one example", X=np.array([[1.0, -2.0, 0.5]]), y=np.array([1.0]),
           w=np.array([0.5, 0.25, -1.0]), b=0.2)
    X, y, w, b = _random_case(1)
    c.case(note="random", X=X, y=y, w=w, b=b)
    c.passed()


@check
def check_compute_gradient(compute_gradient):
    c = Check("compute_gradient", compute_gradient, ref_compute_gradient, MISTAKES["compute_gradient"],
              returns=("dj_dw", "dj_db"), dependencies={"sigmoid": ref_sigmoid},
              probe=("X", "y", "w", "b"), ratios=True, **STRICT)
    c.describe = swapped_pair_describe(c)
    c.case(X=LAB_X, y=LAB_Y, w=np.array([1.0, 1.0]), b=-3.0)
    c.case(X=LAB_X, y=LAB_Y, w=np.array([2.0, 3.0]), b=1.0)  # ([0.49833, 0.49884], 0.49862)
    c.case(note="one example", X=np.array([[1.0, -2.0, 0.5]]), y=np.array([0.0]),
           w=np.array([0.5, 0.25, -1.0]), b=0.2)
    X, y, w, b = _random_case(2)
    c.case(note="random", X=X, y=y, w=w, b=b)
    c.passed()


def _threshold_between(cases_seen) -> tuple[float, float] | None:
    """If the learner's 0/1 predictions on every case seen are `sigmoid(z) >= t` for one threshold t,
    the range (lo, hi] of probabilities that t lies in; None when no single threshold explains them."""
    lo, hi = 0.0, 1.0
    for args, got in cases_seen:
        try:
            got = np.asarray(got, dtype=float).reshape(-1)
        except (TypeError, ValueError):
            return None
        p = ref_sigmoid(_z(args["X"], args["w"], args["b"]))
        p = np.atleast_1d(p)
        if got.shape != p.shape or not np.all((got == 0) | (got == 1)):
            return None
        if np.any(got == 0):
            lo = max(lo, float(np.max(p[got == 0])))
        if np.any(got == 1):
            hi = min(hi, float(np.min(p[got == 1])))
    return (lo, hi) if lo < hi else None


def _describe_predict(c: Check):
    """Word a wrong prediction no catalogued mistake explains: when one threshold other than 0.5
    explains every case seen, say so and where it lies."""
    def describe(args, got, expected, reason, causes):
        if causes:
            return reason
        seen = [(a, c.call(a)) for a in c.passed_cases] + [(args, got)]
        between = _threshold_between(seen)
        if between is not None and not (between[0] < 0.5 <= between[1]):
            lo, hi = between
            reason += (f" Likely cause: the threshold is not 0.5; on every case so far your predictions "
                       f"are 1 exactly where sigmoid(z) is above a threshold between {lo:.3g} and {hi:.3g}. "
                       "Predict 1 where sigmoid(z) >= 0.5 (the same as z >= 0), 0 elsewhere.")
        return reason
    return describe


# The first case of predict has b = 0, so that a wrong threshold is told apart from a mistake with b
# (on one case, forgetting b or flipping its sign is a threshold of sigmoid(-b) or sigmoid(-2b) on
# the probability; with b = 0 they are right, and the second case, with b = -1, names them).
# z = X @ w = [-1.6, -0.1, 0.55, 0.45, -0.5, -0.9], so the expected predictions are [0, 0, 1, 1, 0, 0]:
# the 0.45 and 0.55 tell a threshold on z (z >= 0.5, i.e. sigmoid(z) >= 0.622) apart from one on
# sigmoid(z) and from thresholds of 0.6 and 0.7 (sigmoid(0.45) = 0.611, sigmoid(0.55) = 0.634); the
# -0.1, -0.5 and -0.9 (sigmoid 0.475, 0.378, 0.289) thresholds of 0.45, 0.4 and 0.3.
PREDICT_X = np.array([[0.6, 2.5], [0.6, 1.0], [1.1, 1.1], [1.1, 1.2], [0.6, 1.4], [0.2, 1.2]])


@check
def check_predict(predict):
    c = Check("predict", predict, ref_predict, MISTAKES["predict"], dependencies={"sigmoid": ref_sigmoid},
              **STRICT)
    c.describe = _describe_predict(c)
    c.case(note="b = 0", X=PREDICT_X, w=np.array([1.5, -1.0]), b=0.0)
    # z = [-0.75, -1.5, -2.25, -3.75, -2, -0.75]: X @ w = z + 1 (a forgotten b) gives [1 0 0 0 0 1],
    # X @ w - b = z + 2 (a flipped b) [1 1 0 0 1 1].
    c.case(note="all negative", X=LAB_X, w=np.array([-1.0, 0.5]), b=-1.0)
    c.case(note="one example", X=np.array([[1.0, -2.0, 0.5]]), w=np.array([0.5, 0.25, -1.0]), b=0.7)
    X, _, w, b = _random_case(3)
    c.case(note="random", X=X, w=w, b=b)
    c.passed()


@check
def check_compute_cost_reg(compute_cost_reg):
    # compute_cost_reg may call compute_cost (and sigmoid): the references stand in for them.
    c = Check("compute_cost_reg", compute_cost_reg, ref_compute_cost_reg, MISTAKES["compute_cost_reg"],
              dependencies={"compute_cost": ref_compute_cost, "sigmoid": ref_sigmoid},
              probe=("X", "y", "w", "b", "lambda_"), **STRICT)
    c.case(X=LAB_X, y=LAB_Y, w=np.array([1.0, -1.5]), b=-2.0, lambda_=0.7)
    c.case(note="lambda_ = 0", X=LAB_X, y=LAB_Y, w=np.array([1.0, 1.0]), b=-3.0, lambda_=0.0)
    c.case(note="lambda_ left at its default, 1", X=LAB_X, y=LAB_Y, w=np.array([0.5, 2.0]), b=-1.0)
    X, y, w, b = _random_case(4)
    c.case(note="random", X=X, y=y, w=w, b=b, lambda_=2.5)
    c.passed()


# What a function that unpacks compute_gradient in the original course's order raises: dj_dw, a
# number there, is indexed (or dj_db, an array, is used as a number).
COURSE_ORDER_UNPACKED = Hint(
    "Hint: if your function unpacks `dj_db, dj_dw = compute_gradient(...)`, that is the original course's "
    "order; in this kit compute_gradient returns (dj_dw, dj_db): write `dj_dw, dj_db = "
    "compute_gradient(X, y, w, b)`, and return (dj_dw, dj_db).",
    exceptions=("TypeError", "IndexError", "ValueError"),
    fragments=("'float' object is not subscriptable", "'float' object does not support item assignment",
               "invalid index to scalar variable", "object is not subscriptable",
               "only length-1 arrays", "truth value of an array"))


@check
def check_compute_gradient_reg(compute_gradient_reg):
    c = Check("compute_gradient_reg", compute_gradient_reg, ref_compute_gradient_reg,
              MISTAKES["compute_gradient_reg"], returns=("dj_dw", "dj_db"),
              dependencies={"compute_gradient": ref_compute_gradient, "sigmoid": ref_sigmoid},
              hints=[COURSE_ORDER_UNPACKED], pair_dependencies={"compute_gradient": ("dj_dw", "dj_db")},
              probe=("X", "y", "w", "b", "lambda_"), **STRICT)
    c.describe = swapped_pair_describe(c)
    c.case(X=LAB_X, y=LAB_Y, w=np.array([1.0, -1.5]), b=-2.0, lambda_=0.7)
    c.case(note="lambda_ = 0", X=LAB_X, y=LAB_Y, w=np.array([1.0, 1.0]), b=-3.0, lambda_=0.0)
    c.case(note="lambda_ left at its default, 1", X=LAB_X, y=LAB_Y, w=np.array([0.5, 2.0]), b=-1.0)
    X, y, w, b = _random_case(5)
    c.case(note="random", X=X, y=y, w=w, b=b, lambda_=2.5)
    c.passed()
