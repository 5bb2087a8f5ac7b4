"""Checks for module c3w1-anomaly: anomaly detection with Gaussians.

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and the
seeded server data of `autograder.datasets.c3w1_anomaly`, compares with the reference below, and
names the mistake when the result matches one in the catalogue `MISTAKES`.

The rules the exercise states and these checks hold the learner to:
- `estimate_gaussian(X)` returns `(mu, var)`: the mean and the *population* variance (divide by m)
  of each feature, two arrays of shape (n,).
- `select_threshold(y_val, p_val)` returns `(best_epsilon, best_F1)`. The candidate thresholds are
  the 1000 values `min(p_val) + k * step` for k = 0, 1, ..., 999 with
  `step = (max(p_val) - min(p_val)) / 1000` (what `np.arange(min(p_val), max(p_val), step)` gives);
  an example is predicted anomalous when `p_val < epsilon`; F1 = 2·prec·rec / (prec + rec), taken as
  0 when no anomaly is caught (tp = 0), without a division by zero or a warning (that rule is its own
  check, `check_select_threshold_no_warnings`, with its own point). The best epsilon is
  the first candidate that reaches the highest F1 (update only when F1 > best_F1); any other
  candidate with exactly the same F1 is accepted too, so `>=` in that comparison is fine.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, check, mistake, rule_words, values_first

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_estimate_gaussian(X):
    X = np.asarray(X, dtype=float)
    mu = np.mean(X, axis=0)
    var = np.mean((X - mu) ** 2, axis=0)
    return mu, var


def candidate_epsilons(p_val) -> np.ndarray:
    """The 1000 thresholds the exercise steps through."""
    p_val = np.asarray(p_val, dtype=float)
    step = (np.max(p_val) - np.min(p_val)) / 1000
    return np.min(p_val) + step * np.arange(1000)


def f1_per_epsilon(y_val, p_val, epsilons) -> np.ndarray:
    """F1 of the prediction `p_val < epsilon` for each epsilon (0 where no anomaly is caught)."""
    y = np.asarray(y_val).astype(bool)
    pred = np.asarray(p_val, dtype=float)[None, :] < np.asarray(epsilons)[:, None]
    tp = np.sum(pred & y, axis=1)
    fp = np.sum(pred & ~y, axis=1)
    fn = np.sum(~pred & y, axis=1)
    return np.divide(2.0 * tp, 2 * tp + fp + fn, out=np.zeros(len(tp)), where=tp > 0)


def ref_select_threshold(y_val, p_val):
    epsilons = candidate_epsilons(p_val)
    f1 = f1_per_epsilon(y_val, p_val, epsilons)
    k = int(np.argmax(f1))  # the first epsilon that reaches the highest F1
    if f1[k] == 0:
        return 0.0, 0.0
    return float(epsilons[k]), float(f1[k])


# ---------------------------------------------------------------------------------------------
# estimate_gaussian: plausible mistakes.


@mistake("the sample variance (dividing by m - 1, `ddof=1`) was used; the exercise uses the population "
         "variance, 1/m times the sum of squared deviations (`np.var(X, axis=0)`, whose default is ddof=0).")
def _gauss_ddof1(X):
    return np.mean(X, axis=0), np.var(X, axis=0, ddof=1)


@mistake("the standard deviation was returned instead of the variance; var is sigma squared "
         "(`np.var`, not `np.std`).")
def _gauss_std(X):
    return np.mean(X, axis=0), np.std(X, axis=0)


@mistake("the mean and variance were taken over axis 1 (across the features of each example); take "
         "them over axis 0, down the m examples, for one value per feature.")
def _gauss_axis1(X):
    return np.mean(X, axis=1), np.var(X, axis=1)


@mistake("`keepdims=True` (or a reshape) gives arrays of shape (1, n); return arrays of shape (n,).")
def _gauss_keepdims(X):
    return np.mean(X, axis=0, keepdims=True), np.var(X, axis=0, keepdims=True)


@mistake("the mean was not subtracted: var is the mean of (x - mu)**2, not the mean of x**2.")
def _gauss_not_centred(X):
    return np.mean(X, axis=0), np.mean(X**2, axis=0)


@mistake("without `axis=0`, `np.mean` and `np.var` reduce the whole matrix to one number; pass "
         "`axis=0` for one value per feature.")
def _gauss_no_axis(X):
    return np.mean(X), np.var(X)


@mistake("the return order is swapped: return (mu, var).")
def _gauss_swapped(X):
    return np.var(X, axis=0), np.mean(X, axis=0)


@mistake("the 1/m is missing from the variance: it is the *mean* of the squared deviations, not their sum.")
def _gauss_no_m(X):
    mu = np.mean(X, axis=0)
    return mu, np.sum((X - mu) ** 2, axis=0)


# ---------------------------------------------------------------------------------------------
# select_threshold: plausible mistakes.

DIVIDED_BY_ZERO = ("a division by zero: at epsilon = min(p_val) no example is predicted anomalous (the "
                   "comparison is strict), so precision is 0/0, and when none of the flagged examples is "
                   "an anomaly F1 is 0/0. Skip an epsilon whose tp is 0 (its F1 is 0), or compute "
                   "F1 = 2*tp / (2*tp + fp + fn), which equals 2*prec*rec / (prec + rec) and never divides by 0 here.")


def _sweep(y_val, p_val, score, epsilons=None, compare=lambda p, e: p < e, keep_last_epsilon=False):
    """The original course's loop, with a pluggable score(tp, fp, fn, tn) and comparison."""
    best_epsilon, best_score = 0, 0
    epsilons = candidate_epsilons(p_val) if epsilons is None else epsilons
    for epsilon in epsilons:
        pred = compare(p_val, epsilon)
        tp = np.sum(pred & (y_val == 1))
        fp = np.sum(pred & (y_val == 0))
        fn = np.sum(~pred & (y_val == 1))
        tn = np.sum(~pred & (y_val == 0))
        value = score(tp, fp, fn, tn)
        if value > best_score:
            best_score = value
            if not keep_last_epsilon:
                best_epsilon = epsilon
        if keep_last_epsilon:
            best_epsilon = epsilon
    return best_epsilon, best_score


def _f1(tp, fp, fn, tn):
    return 2 * tp / (2 * tp + fp + fn) if tp > 0 else 0.0


@mistake("the 2 is missing: F1 = 2 * prec * rec / (prec + rec).")
def _thr_no_two(y_val, p_val):
    return _sweep(y_val, p_val, lambda tp, fp, fn, tn: tp / (2 * tp + fp + fn) if tp > 0 else 0.0)


@mistake("accuracy (the share of correct predictions) was maximised; on skewed classes it is high even "
         "for a detector that flags nothing: maximise F1 = 2 * prec * rec / (prec + rec).")
def _thr_accuracy(y_val, p_val):
    return _sweep(y_val, p_val, lambda tp, fp, fn, tn: (tp + tn) / (tp + fp + fn + tn))


@mistake("the comparison is inverted: an anomaly has a *low* probability, so predict an anomaly when "
         "`p_val < epsilon`.")
def _thr_inverted(y_val, p_val):
    return _sweep(y_val, p_val, _f1, compare=lambda p, e: p > e)


@mistake("`p_val <= epsilon` was used; the exercise predicts an anomaly when `p_val < epsilon` (strictly less).")
def _thr_less_equal(y_val, p_val):
    return _sweep(y_val, p_val, _f1, compare=lambda p, e: p <= e)


@mistake("`best_epsilon` is set on every iteration (it is outside the `if F1 > best_F1:` block), so the "
         "last epsilon is returned; update it together with best_F1.")
def _thr_last_epsilon(y_val, p_val):
    return _sweep(y_val, p_val, _f1, keep_last_epsilon=True)


@mistake("`np.linspace(min, max, 1000)` spaces the candidates by (max - min)/999 and includes max; the "
         "exercise steps by (max - min)/1000: `np.arange(min(p_val), max(p_val), step)`.")
def _thr_linspace(y_val, p_val):
    return _sweep(y_val, p_val, _f1, epsilons=np.linspace(np.min(p_val), np.max(p_val), 1000))


@mistake("`np.arange(min(p_val), max(p_val), 1000)` takes 1000 as the *step*, so only one epsilon is "
         "tried; the third argument of np.arange is the step: `step = (max(p_val) - min(p_val)) / 1000`.")
def _thr_arange_count(y_val, p_val):
    return _sweep(y_val, p_val, _f1, epsilons=np.arange(np.min(p_val), np.max(p_val), 1000))


@mistake("precision alone was maximised; it ignores the anomalies that are missed (recall): "
         "maximise F1 = 2 * prec * rec / (prec + rec).")
def _thr_precision(y_val, p_val):
    return _sweep(y_val, p_val, lambda tp, fp, fn, tn: tp / (tp + fp) if tp > 0 else 0.0)


@mistake(DIVIDED_BY_ZERO)
def _thr_divides_by_zero(y_val, p_val):  # the original course's code: right values, but 0/0 warnings
    def f1(tp, fp, fn, tn):
        prec = tp / (tp + fp)
        rec = tp / (tp + fn)
        return 2 * prec * rec / (prec + rec)

    return _sweep(y_val, p_val, f1)


@mistake("the precision is guarded against 0/0, but F1 is not: when none of the flagged examples is an "
         "anomaly (tp = 0, fp > 0), prec = rec = 0 and 2*prec*rec / (prec + rec) is 0/0. Give F1 = 0 "
         "whenever tp is 0, or compute F1 = 2*tp / (2*tp + fp + fn), which never divides by 0 here.")
def _thr_guards_precision_only(y_val, p_val):
    def f1(tp, fp, fn, tn):
        prec = tp / (tp + fp) if tp + fp > 0 else 0.0
        rec = tp / (tp + fn)
        return 2 * prec * rec / (prec + rec)

    return _sweep(y_val, p_val, f1)


@mistake("X was centred in place (`X -= mu`) to compute the variance, which changes the caller's data: "
         "the training set they pass in comes back centred. Compute a new array: var = np.mean((X - mu)**2, axis=0).")
def _gauss_centres_in_place(X):
    if not np.issubdtype(X.dtype, np.floating):
        return ref_estimate_gaussian(X)
    mu = np.mean(X, axis=0)
    X -= mu
    return mu, np.mean(X**2, axis=0)


MISTAKES = {
    "estimate_gaussian": [_gauss_ddof1, _gauss_std, _gauss_axis1, _gauss_keepdims, _gauss_not_centred,
                          _gauss_no_axis, _gauss_swapped, _gauss_no_m, _gauss_centres_in_place],
    "select_threshold": [_thr_no_two, _thr_accuracy, _thr_inverted, _thr_less_equal, _thr_last_epsilon,
                         _thr_linspace, _thr_arange_count, _thr_precision],
    # Right values that break the rule "no warnings" (the rule check's catalogue): each passes the
    # values check and loses only the rule's point.
    "select_threshold__no_warnings": [_thr_divides_by_zero, _thr_guards_precision_only],
}


# ---------------------------------------------------------------------------------------------
# Cases.


def _gaussian_density(X, mu, var):
    return np.prod(np.exp(-((X - mu) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var), axis=1)


def server_case(n_features: int):
    """The seeded server data: X_train, and the validation labels and densities."""
    from autograder.datasets.c3w1_anomaly import load_servers

    X_train, X_val, y_val = load_servers(n_features)
    mu, var = ref_estimate_gaussian(X_train)
    return X_train, y_val, _gaussian_density(X_val, mu, var)


# The hand-made validation set. The learner's function loops over 1000 candidates whatever the
# size of the case, so each case costs a call of that loop and the check cell must answer at once
# (issue 16): one case holds what needs checking (the seeded server data and the earlier cases
# caught no mistake, right or wrong variant that this one does not).
# The densities are (8 + u) / 1024 for the u below: min(p_val) = 8/1024 and max(p_val) = 1008/1024,
# so the step (max - min) / 1000 is exactly 1/1024 and candidate k is exactly (8 + k) / 1024 however
# a learner steps (np.arange, a running sum, min + k * step, np.linspace(min, max, 1001), float32).
# Densities at a whole u sit exactly on a candidate; every other one is half a step from one, so
# rounding never decides a prediction. tests/checks/test_c3w1_anomaly.py asserts both.
# - The smallest density (u = 0) is a normal example: the first candidates flag only it (tp = 0
#   with fp > 0: precision is 0 and F1 would be 0/0).
# - An anomaly sits exactly on candidate 10 with a normal example half a step above it:
#   `p_val <= epsilon` flags the anomaly at candidate 10 before that normal example (F1 = 1/2, its
#   best), `p_val < epsilon` at 11 with it (F1 = 2/5).
# - The best F1 is 4/9 (both anomalies caught, at candidate 401 = 409/1024), reached first there
#   and by 99 more after it; accuracy, precision, an inverted comparison and np.linspace all differ.
_STEP = 2.0**-10
_U_A = np.array([60.5, 500.5, 0, 1000, 10, 300.5, 10.5, 700.5, 150.5, 400.5])
_P_A = (8 + _U_A) * _STEP
_Y_A = np.array([0, 0, 0, 0, 1, 0, 0, 0, 0, 1])


# ---------------------------------------------------------------------------------------------
# What the checks of this module switch on: the arguments must not change (the caller's data stays
# as it was; the exercise says so), a raised exception shows the case's inputs whole, and the
# inputs that are a batch of examples (or one example) are said to be so on a shape error.

ARGUMENTS_KEPT = {"estimate_gaussian", "select_threshold"}


@check
def check_estimate_gaussian(estimate_gaussian):
    c = Check("estimate_gaussian", estimate_gaussian, ref_estimate_gaussian, MISTAKES["estimate_gaussian"],
              returns=("mu", "var"), mutation="fail", detail_raised=True, examples={"X": "batch"})
    c.case(X=np.array([[1.0, 10.0], [3.0, 16.0], [8.0, 13.0]]))  # mu [4 13], var [26/3 6]
    c.case(note="one example", X=np.array([[2.5, -1.0, 7.0]]))
    c.case(note="a constant feature", X=np.array([[1.0, 5.0], [2.0, 5.0], [4.0, 5.0], [7.0, 5.0]]))
    c.case(note="four examples, three features",
           X=np.array([[14.2, 15.1, 0.5], [13.1, 16.3, 0.7], [15.6, 14.2, 0.4], [12.9, 15.8, 0.9]]))
    X_train, _, _ = server_case(2)
    c.case(note="the server data", X=X_train)
    c.passed()


def _accepted_alternative(got, y_val, p_val, expected) -> bool:
    """Another candidate epsilon with the same best F1 (as `>=` instead of `>` would give)."""
    if not isinstance(got, (tuple, list)) or len(got) != 2:
        return False
    try:
        eps, f1 = float(got[0]), float(got[1])
    except (TypeError, ValueError):
        return False
    if not np.isclose(f1, expected[1], rtol=1e-6, atol=1e-12):
        return False
    epsilons = candidate_epsilons(p_val)
    scores = f1_per_epsilon(y_val, p_val, epsilons)
    best = epsilons[np.isclose(scores, expected[1], rtol=1e-9, atol=0)]
    step = epsilons[1] - epsilons[0]
    return bool(np.any(np.abs(best - eps) <= 1e-6 * step))


def _off_grid(got, p_val, expected) -> list[str]:
    """When no catalogued mistake explains the result: point at the candidate thresholds if the
    learner's best_epsilon is none of them."""
    try:
        eps, f1 = float(got[0]), float(got[1])
    except (TypeError, ValueError, IndexError):
        return []
    epsilons = candidate_epsilons(p_val)
    step = epsilons[1] - epsilons[0]
    if np.any(np.abs(epsilons - eps) <= 1e-6 * step):
        return []
    same_f1 = "your best_F1 is right, but " if np.isclose(f1, expected[1], rtol=1e-6, atol=1e-12) else ""
    return [f"{same_f1}your best_epsilon ({eps:.6g}) is none of the candidate thresholds: they are "
            f"min(p_val) + k * step for k = 0, 1, ..., 999 with step = (max(p_val) - min(p_val)) / 1000, "
            "i.e. np.arange(min(p_val), max(p_val), step), starting exactly at min(p_val)."]


def _threshold_differs(c: Check):
    """The ladder's comparison, except that another threshold with the same best F1 (between the
    same two densities) is right too."""

    def differs(got, expected):
        reason = c.standard_differs(got, expected)
        if reason is not None and _accepted_alternative(got, c.args["y_val"], c.args["p_val"], expected):
            return None
        return reason

    return differs


def _no_warning(c: Check, args: dict, note: str = "") -> None:
    """The F1 must come without a warning (a division by zero, scikit-learn's). The likely causes:
    the rule catalogue's mistakes that warn on this case too, and scikit-learn's f1_score."""
    if c.caught_warnings:
        w = c.caught_warnings[0]
        causes = []
        if any(isinstance(x.message, RuntimeWarning) for x in c.caught_warnings):
            causes = [m.cause for m in c.mistakes if _warns(m, args)] or [DIVIDED_BY_ZERO]
        if any(x.category.__name__ == "UndefinedMetricWarning" for x in c.caught_warnings):
            causes.append("scikit-learn's `f1_score` warns when nothing is predicted anomalous; pass it "
                          "`zero_division=0`, or compute F1 from tp, fp and fn yourself.")
        c.fail(args, f"the result is right, but your function raised a warning ({w.category.__name__}: "
                     f"{w.message}); the exercise asks for F1 without a division by zero.", causes, note)


def _warns(m, args: dict) -> bool:
    """Whether a catalogued mistake makes numpy warn on `args` (recorded, never shown)."""
    import warnings

    with warnings.catch_warnings(record=True) as caught, np.errstate(all="warn"):
        warnings.simplefilter("always")
        try:
            m.implementation(*[np.copy(v) for v in args.values()])
        except Exception:
            return False
    return any(issubclass(x.category, RuntimeWarning) for x in caught)


_THRESHOLD_CASES = (
    ("", _Y_A, _P_A),
)


def _threshold_check(select_threshold, mistakes, rule: str = "") -> Check:
    c = Check("select_threshold", select_threshold, ref_select_threshold, mistakes,
              returns=("best_epsilon", "best_F1"), mutation="fail", detail_raised=True,
              explain=lambda args, got, expected: _off_grid(got, args["p_val"], expected), rule=rule)
    c.compare_hook = _threshold_differs(c)
    c.same_hook = lambda got, wrong: c.standard_differs(got, wrong) is None
    return c


def _threshold_values(select_threshold, caught: list | None = None) -> None:
    """The values check's cases; `caught` (if given) gets each case's (note, args, warnings of the
    learner's call), so the rule check judges the warnings of these same calls."""
    c = _threshold_check(select_threshold, MISTAKES["select_threshold"])
    for note, y_val, p_val in _THRESHOLD_CASES:
        c.case(note=note, y_val=y_val, p_val=p_val)
        if caught is not None:
            caught.append((note, dict(y_val=y_val, p_val=p_val), list(c.caught_warnings)))
    c.passed()


@check
def check_select_threshold(select_threshold):
    """The best threshold and its F1 (the mathematics); computing F1 without a division by zero
    (no warning) is the rule check `check_select_threshold_no_warnings`."""
    _threshold_values(select_threshold)


@check
def check_select_threshold_no_warnings(select_threshold):
    """The rule "no warnings": on cases where some candidate catches no anomaly (tp = 0), the F1
    comes without a division by zero or any other warning. The values check runs first (quietly),
    and the rule is judged on the warnings of its calls: one call of the learner's loop per case."""
    c = _threshold_check(select_threshold, MISTAKES["select_threshold__no_warnings"],
                         rule=rule_words("c3w1-anomaly", "select_threshold", "no_warnings"))
    caught: list = []
    values_first(c, lambda func: _threshold_values(func, caught))
    for note, args, warnings_of_call in caught:
        c.cases += 1
        c.caught_warnings = warnings_of_call
        _no_warning(c, args, note)
    c.passed()
