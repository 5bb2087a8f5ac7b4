"""c3w1-anomaly checks: correct alternatives pass; wrong ones outside the catalogue fail with the
ladder's messages (the catalogue itself is exercised by test_catalogues.py); the data generator is
seeded and the check's cases are robust to the rounding of the candidate thresholds."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import c3w1_anomaly as ca
from autograder.datasets.c3w1_anomaly import load_servers
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives ----------------------------------------------------------------------


def gaussian_course(X):  # the original course
    m, n = X.shape
    mu = 1 / m * np.sum(X, axis=0)
    var = 1 / m * np.sum((X - mu) ** 2, axis=0)
    return mu, var


def gaussian_numpy(X):
    return np.mean(X, axis=0), np.var(X, axis=0)


def gaussian_loop(X):  # one feature at a time, a list returned instead of a tuple
    m, n = X.shape
    mu, var = np.zeros(n), np.zeros(n)
    for j in range(n):
        mu[j] = sum(X[i, j] for i in range(m)) / m
        var[j] = sum((X[i, j] - mu[j]) ** 2 for i in range(m)) / m
    return [mu, var]


def gaussian_moments(X):  # E[x^2] - E[x]^2: fine at these magnitudes
    mu = X.mean(axis=0)
    return mu, (X**2).mean(axis=0) - mu**2


def threshold_course_guarded(y_val, p_val):  # the original course, skipping epsilons that catch nothing
    best_epsilon, best_F1, F1 = 0, 0, 0
    step_size = (max(p_val) - min(p_val)) / 1000
    for epsilon in np.arange(min(p_val), max(p_val), step_size):
        predictions = p_val < epsilon
        tp = np.sum((predictions == 1) & (y_val == 1))
        fp = np.sum((predictions == 1) & (y_val == 0))
        fn = np.sum((predictions == 0) & (y_val == 1))
        if tp == 0:
            continue
        prec = tp / (tp + fp)
        rec = tp / (tp + fn)
        F1 = 2 * prec * rec / (prec + rec)
        if F1 > best_F1:
            best_F1 = F1
            best_epsilon = epsilon
    return best_epsilon, best_F1


def threshold_counts_formula(y_val, p_val):  # F1 = 2tp / (2tp + fp + fn): no 0/0 to guard against
    best = (0.0, 0.0)
    lo, hi = float(np.min(p_val)), float(np.max(p_val))
    step = (hi - lo) / 1000
    for k in range(1000):
        epsilon = lo + k * step
        pred = p_val < epsilon
        tp = int(np.sum(pred & (y_val == 1)))
        fp = int(np.sum(pred & (y_val == 0)))
        fn = int(np.sum(~pred & (y_val == 1)))
        F1 = 2 * tp / (2 * tp + fp + fn)
        if F1 > best[1]:
            best = (epsilon, F1)
    return best


def threshold_ties_to_last(y_val, p_val):  # `>=`: the last candidate with the best F1
    best_epsilon, best_F1 = 0.0, 0.0
    step = (p_val.max() - p_val.min()) / 1000
    for epsilon in np.arange(p_val.min(), p_val.max(), step):
        pred = p_val < epsilon
        tp = np.sum(pred & (y_val == 1))
        if tp == 0:
            continue
        prec, rec = tp / np.sum(pred), tp / np.sum(y_val == 1)
        F1 = 2 * prec * rec / (prec + rec)
        if F1 >= best_F1:
            best_epsilon, best_F1 = epsilon, F1
    return best_epsilon, best_F1


def threshold_while_loop(y_val, p_val):  # accumulates epsilon += step (tiny rounding drift)
    step = (max(p_val) - min(p_val)) / 1000
    epsilon, best_epsilon, best_F1 = min(p_val), 0, 0
    for _ in range(1000):
        pred = p_val < epsilon
        tp = np.sum(pred[y_val == 1])
        fp = np.sum(pred[y_val == 0])
        fn = np.sum(~pred[y_val == 1])
        F1 = 0 if tp == 0 else 2 * tp / (2 * tp + fp + fn)
        if F1 > best_F1:
            best_epsilon, best_F1 = epsilon, F1
        epsilon += step
    return best_epsilon, best_F1


def threshold_vectorized(y_val, p_val):
    step = (p_val.max() - p_val.min()) / 1000
    eps = p_val.min() + step * np.arange(1000)
    pred = p_val[None, :] < eps[:, None]
    y = y_val.astype(bool)
    tp = (pred & y).sum(axis=1)
    prec = np.divide(tp, pred.sum(axis=1), out=np.zeros(1000), where=pred.sum(axis=1) > 0)
    rec = tp / y.sum()
    f1 = np.divide(2 * prec * rec, prec + rec, out=np.zeros(1000), where=tp > 0)
    k = np.argmax(f1)
    return eps[k], f1[k]


def gaussian_std_squared(X):  # var as the square of the (population) standard deviation
    return np.mean(X, axis=0), np.std(X, axis=0) ** 2

def threshold_linspace_1001(y_val, p_val):  # linspace(min, max, 1001): the same candidates, plus max
    best_epsilon, best_F1 = 0.0, 0.0
    for epsilon in np.linspace(np.min(p_val), np.max(p_val), 1001):
        pred = p_val < epsilon
        tp = np.sum(pred & (y_val == 1))
        fp = np.sum(pred & (y_val == 0))
        fn = np.sum(~pred & (y_val == 1))
        F1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        if F1 > best_F1:
            best_epsilon, best_F1 = epsilon, F1
    return best_epsilon, best_F1

CORRECT = {
    "estimate_gaussian": [gaussian_course, gaussian_numpy, gaussian_loop, gaussian_moments, gaussian_std_squared],
    "select_threshold": [threshold_course_guarded, threshold_counts_formula, threshold_ties_to_last,
                         threshold_while_loop, threshold_vectorized, threshold_linspace_1001],
}


# --- the mistakes the issue names ----------------------------------------------------------------


@pytest.mark.parametrize("impl,fragment", [
    (ca._gauss_ddof1, "sample variance"), (ca._gauss_std, "standard deviation"),
    (ca._gauss_axis1, "axis 1"), (ca._gauss_keepdims, "shape (1, n)"),
])
def test_estimate_gaussian_names(impl, fragment):
    assert_rejects(ca.check_estimate_gaussian, impl.implementation, "Likely cause:", fragment)


def test_keepdims_is_a_shape_error():
    assert_rejects(ca.check_estimate_gaussian, ca._gauss_keepdims.implementation,
                   "mu: got an array of shape (1, 2), expected shape (2,)")


@pytest.mark.parametrize("impl,fragment", [
    (ca._thr_no_two, "the 2 is missing"), (ca._thr_accuracy, "accuracy"),
    (ca._thr_inverted, "comparison is inverted"),
])
def test_select_threshold_names(impl, fragment):
    assert_rejects(ca.check_select_threshold, impl.implementation, "Likely cause:", fragment)


def test_the_course_code_that_divides_zero_by_zero_is_rejected_with_the_reason():
    course = ca._thr_divides_by_zero.implementation
    assert_accepts(ca.check_select_threshold, course)  # right values: the values points are kept
    msg = assert_rejects(ca.check_select_threshold_no_warnings, course,
                         "the result is right, but your function raised a warning", "RuntimeWarning",
                         "2*tp / (2*tp + fp + fn)", "without a division by zero", "worth 1 point of its own")
    assert "Traceback" not in msg


def test_a_guard_on_predicted_positives_only_still_divides_zero_by_zero():
    def guards_tp_plus_fp(y_val, p_val):  # tp = 0 with fp > 0: prec = rec = 0, F1 = 0/0
        best_epsilon, best_F1 = 0, 0
        step = (max(p_val) - min(p_val)) / 1000
        for epsilon in np.arange(min(p_val), max(p_val), step):
            pred = p_val < epsilon
            tp, fp = np.sum(pred & (y_val == 1)), np.sum(pred & (y_val == 0))
            fn = np.sum(~pred & (y_val == 1))
            if tp + fp == 0:
                continue
            prec, rec = tp / (tp + fp), tp / (tp + fn)
            F1 = 2 * prec * rec / (prec + rec)
            if F1 > best_F1:
                best_epsilon, best_F1 = epsilon, F1
        return best_epsilon, best_F1

    assert_accepts(ca.check_select_threshold, guards_tp_plus_fp)
    assert_rejects(ca.check_select_threshold_no_warnings, guards_tp_plus_fp, "raised a warning",
                   "Skip an epsilon whose tp is 0")


def test_scikit_learn_metric_warning_gets_its_own_hint():
    import warnings

    from sklearn.exceptions import UndefinedMetricWarning

    def warns_like_precision_score(y_val, p_val):
        warnings.warn("Precision is ill-defined and being set to 0.0", UndefinedMetricWarning)
        return ca.ref_select_threshold(y_val, p_val)

    assert_accepts(ca.check_select_threshold, warns_like_precision_score)
    assert_rejects(ca.check_select_threshold_no_warnings, warns_like_precision_score, "UndefinedMetricWarning",
                   "zero_division=0")


def test_python_int_zero_division_names_the_input():
    def python_ints(y_val, p_val):
        step = (max(p_val) - min(p_val)) / 1000
        best = (0, 0)
        for k in range(1000):
            pred = p_val < min(p_val) + k * step
            tp, fp = int(np.sum(pred & (y_val == 1))), int(np.sum(pred & (y_val == 0)))
            prec = tp / (tp + fp)
            best = max(best, (prec, k))
        return best

    assert_rejects(ca.check_select_threshold, python_ints, "`select_threshold`(y_val=", "raised ZeroDivisionError")


# --- wrong in ways the catalogue does not name ---------------------------------------------------


def test_missing_return_is_pointed_out():
    def no_return(X):
        np.mean(X, axis=0), np.var(X, axis=0)

    assert_rejects(ca.check_estimate_gaussian, no_return, "got None", "forget a `return`")


def test_one_value_says_how_many():
    assert_rejects(ca.check_select_threshold, lambda y_val, p_val: 0.5, "expected a tuple of 2 values")


def test_another_epsilon_with_a_worse_f1_is_not_accepted():
    def second_best(y_val, p_val):
        eps = ca.candidate_epsilons(p_val)
        f1 = ca.f1_per_epsilon(y_val, p_val, eps)
        best = f1.max()
        k = np.flatnonzero(f1 < best)[np.argmax(f1[f1 < best])]
        return eps[k], best  # the best F1, but reported with an epsilon that does not reach it

    assert_rejects(ca.check_select_threshold, second_best, "best_epsilon: got")


# --- the data and the cases -----------------------------------------------------------------------


def test_server_data_is_seeded_and_shaped():
    X_train, X_val, y_val = load_servers()
    again = load_servers()
    assert all(np.array_equal(a, b) for a, b in zip((X_train, X_val, y_val), again))
    assert X_train.shape == (307, 2) and X_val.shape == (307, 2) and y_val.shape == (307,)
    assert y_val.dtype.kind == "i" and set(np.unique(y_val)) == {0, 1} and y_val.sum() == 9
    X_train, X_val, y_val = load_servers(11)
    assert X_train.shape == (1000, 11) and X_val.shape == (100, 11) and y_val.sum() == 10
    with pytest.raises(ValueError, match="2 or 11"):
        load_servers(3)


def _check_cases():
    return [(y_val, p_val) for _, y_val, p_val in ca._THRESHOLD_CASES]


def _ways_of_stepping(p_val):
    """The candidate thresholds as learners compute them."""
    lo, hi = float(np.min(p_val)), float(np.max(p_val))
    step = (hi - lo) / 1000
    running = [lo]
    for _ in range(999):
        running.append(running[-1] + step)
    return {"arange": np.arange(lo, hi, step)[:1000], "min + k * step": lo + step * np.arange(1000),
            "running sum": np.array(running), "linspace 1001": np.linspace(lo, hi, 1001)[:1000],
            "k / 1000": np.array([lo + (hi - lo) * k / 1000 for k in range(1000)]),
            "times 0.001": lo + ((hi - lo) * 0.001) * np.arange(1000),
            "float32": np.arange(np.float32(lo), np.float32(hi), np.float32(step))[:1000].astype(float)}


@pytest.mark.parametrize("case", range(len(ca._THRESHOLD_CASES)))
def test_rounding_in_the_candidates_never_decides_a_prediction(case):
    """Every way of stepping epsilon gives exactly the same 1000 candidates (the step is a power
    of 2), and each density is either exactly on a candidate or half a step from the nearest: so
    every correct way of stepping gives the same predictions, and `<=` differs from `<` only where
    a density sits exactly on a candidate."""
    y_val, p_val = _check_cases()[case]
    eps = ca.candidate_epsilons(p_val)
    for name, candidates in _ways_of_stepping(p_val).items():
        assert np.array_equal(candidates, eps), name
    step = eps[1] - eps[0]
    grid = np.append(eps, eps[0] + 1000 * step)  # and max(p_val), which np.linspace(..., 1001) reaches
    gaps = np.min(np.abs(p_val[:, None] - grid[None, :]), axis=1) / step
    assert np.all((gaps == 0) | (np.abs(gaps - 0.5) < 1e-9)), gaps
    assert np.sum(gaps == 0) >= 3  # min(p_val), max(p_val) and the anomaly on candidate 10
    assert ca.ref_select_threshold(y_val, p_val)[1] > 0
