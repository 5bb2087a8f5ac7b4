"""Checks for module c2w3: advice for applying machine learning (evaluation metrics).

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.

Conventions the exercise states and the checks hold to:
- `eval_mse(y, yhat)` is the squared-error cost with the 1/2: J = 1/(2m) * sum((yhat - y)**2).
- `eval_cat_err(y, yhat)` is the fraction of misclassified examples, one number (a Python or
  numpy scalar) for inputs of any shape, e.g. (m,) or (m, 1).
- `precision_recall_f1(y_true, y_pred)` works on 0/1 labels with 1 the positive class and returns
  (precision, recall, f1). A quantity whose denominator is 0 is 0.0: precision when nothing is
  predicted positive, recall when nothing is actually positive, F1 when precision + recall is 0;
  and this happens without a division by zero (no numpy warning).
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Hint, check, mistake

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_eval_mse(y, yhat):
    y = np.asarray(y, dtype=float)
    yhat = np.asarray(yhat, dtype=float)
    m = y.shape[0]
    return float(np.sum((yhat - y) ** 2) / (2 * m))


def ref_eval_cat_err(y, yhat):
    return float(np.mean(np.asarray(y) != np.asarray(yhat)))


def _counts(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    fp = int(np.sum((y_true == 0) & (y_pred == 1)))
    fn = int(np.sum((y_true == 1) & (y_pred == 0)))
    return tp, fp, fn


def _prf(tp, fp, fn):
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return float(precision), float(recall), float(f1)


def ref_precision_recall_f1(y_true, y_pred):
    return _prf(*_counts(y_true, y_pred))


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes, each a wrong implementation and the words that name it.


def _sq(y, yhat):
    return (np.asarray(yhat, dtype=float) - np.asarray(y, dtype=float)) ** 2


@mistake("the 1/2 is missing: this course's squared-error cost is 1/(2m) times the sum of squares "
         "(the plain mean of squares, sklearn's `mean_squared_error`, is twice as large).")
def _mse_no_half(y, yhat):
    return float(np.sum(_sq(y, yhat)) / len(y))


@mistake("the 1/m is missing: divide the sum of squared errors by 2m, not by 2.")
def _mse_no_m(y, yhat):
    return float(np.sum(_sq(y, yhat)) / 2)


@mistake("the sum of squared errors was not divided at all: divide it by 2m.")
def _mse_plain_sum(y, yhat):
    return float(np.sum(_sq(y, yhat)))


@mistake("the errors are not squared: sum (yhat[i] - y[i])**2, not (yhat[i] - y[i]).")
def _mse_not_squared(y, yhat):
    return float(np.sum(np.asarray(yhat, float) - np.asarray(y, float)) / (2 * len(y)))


@mistake("absolute errors were used; the squared-error cost sums (yhat[i] - y[i])**2.")
def _mse_absolute(y, yhat):
    return float(np.sum(np.abs(np.asarray(yhat, float) - np.asarray(y, float))) / (2 * len(y)))


@mistake("the per-example errors were returned; sum them into one number.")
def _mse_array(y, yhat):
    return _sq(y, yhat) / (2 * len(y))


@mistake("the square root was taken (that is a root-mean-square error); return 1/(2m) times the "
         "sum of squares, without a root.")
def _mse_root(y, yhat):
    return float(np.sqrt(np.sum(_sq(y, yhat)) / (2 * len(y))))


@mistake("the division is by 2(m - 1) (or an example is skipped); use all m examples and 2m.")
def _mse_m_minus_1(y, yhat):
    return float(np.sum(_sq(y, yhat)) / (2 * (len(y) - 1))) if len(y) > 1 else np.inf


def _wrong(y, yhat):
    return np.asarray(y) != np.asarray(yhat)


@mistake("the number of misclassified examples was returned; divide it by the number of "
         "examples to get a fraction.")
def _cat_count(y, yhat):
    return int(np.sum(_wrong(y, yhat)))


@mistake("this is the accuracy (the fraction classified correctly); the error is the fraction "
         "classified wrongly, 1 - accuracy.")
def _cat_accuracy(y, yhat):
    return float(np.mean(np.asarray(y) == np.asarray(yhat)))


@mistake("the element-wise comparison `yhat != y` was returned; average it into one number, "
         "e.g. `np.mean(yhat != y)`.")
def _cat_mask(y, yhat):
    return _wrong(y, yhat)


@mistake("an array was returned for column inputs of shape (m, 1) (e.g. from `np.sum(..., axis=0)`, "
         "from Python's built-in `sum`, or from adding up `yhat[i] != y[i]`, which is a 1-element "
         "array for a column); return one number: `np.mean(yhat != y)`, or test "
         "`if yhat[i] != y[i]:` and add 1.")
def _cat_column_array(y, yhat):
    w = _wrong(y, yhat)
    return np.sum(w, axis=0) / w.shape[0]


@mistake("integer division `//` rounds the fraction down to 0; use `/`.")
def _cat_floor_div(y, yhat):
    w = _wrong(y, yhat)
    return int(np.sum(w)) // w.shape[0]


@mistake("a percentage was returned; the error is a fraction between 0 and 1 (do not multiply by 100).")
def _cat_percent(y, yhat):
    return 100 * float(np.mean(_wrong(y, yhat)))


@mistake("the error was divided by 2m: the 1/2 belongs to the squared-error cost only; the "
         "classification error is (number misclassified) / m.")
def _cat_half(y, yhat):
    return float(np.mean(_wrong(y, yhat)) / 2)


@mistake("the loop sets the count (`incorrect = 1`) instead of adding to it (`incorrect += 1`).")
def _cat_overwrite(y, yhat):
    w = _wrong(y, yhat)
    return (1 if np.any(w) else 0) / w.shape[0]


@mistake("precision and recall are swapped: precision = TP / (TP + FP) divides by the predicted "
         "positives, recall = TP / (TP + FN) by the actual positives.")
def _prf_swapped(y_true, y_pred):
    p, r, f = ref_precision_recall_f1(y_true, y_pred)
    return r, p, f


@mistake("F1 is missing the 2: F1 = 2 * precision * recall / (precision + recall).")
def _prf_f1_no_2(y_true, y_pred):
    p, r, _ = ref_precision_recall_f1(y_true, y_pred)
    return p, r, (p * r / (p + r) if p + r > 0 else 0.0)


@mistake("F1 is the harmonic mean of precision and recall, not their average (p + r) / 2: "
         "F1 = 2 * precision * recall / (precision + recall).")
def _prf_f1_arithmetic(y_true, y_pred):
    p, r, _ = ref_precision_recall_f1(y_true, y_pred)
    return p, r, (p + r) / 2


@mistake("the true negatives were counted as true positives (e.g. `tp = np.sum(y_pred == y_true)` "
         "counts every correct prediction); a true positive is predicted 1 AND actually 1.")
def _prf_tn_as_tp(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = int(np.sum(y_true == y_pred))
    _, fp, fn = _counts(y_true, y_pred)
    return _prf(tp, fp, fn)


@mistake("the counts are for the wrong class: class 1 is the positive class (TP = predicted 1 "
         "and actually 1), but these are the precision and recall of class 0.")
def _prf_wrong_class(y_true, y_pred):
    return ref_precision_recall_f1(1 - np.asarray(y_true), 1 - np.asarray(y_pred))


@mistake("FP and FN also count the true positives: FP is predicted 1 but actually 0, FN is "
         "predicted 0 but actually 1 (TP + FP is the number of predicted positives).")
def _prf_double_count(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp, _, _ = _counts(y_true, y_pred)
    return _prf(tp, int(np.sum(y_pred == 1)), int(np.sum(y_true == 1)))


@mistake("a 0/0 division gives nan: when nothing is predicted positive (TP + FP = 0) precision is "
         "0.0 in this exercise, and when nothing is actually positive (TP + FN = 0) recall is 0.0. "
         "Test each denominator before dividing, e.g. `tp / (tp + fp) if tp + fp > 0 else 0.0`.")
def _prf_nan(y_true, y_pred):
    tp, fp, fn = (np.float64(v) for v in _counts(y_true, y_pred))
    p, r = tp / (tp + fp), tp / (tp + fn)
    return float(p), float(r), float(2 * p * r / (p + r))


@mistake("1.0 was returned for an undefined quantity; this exercise's convention is 0.0: precision "
         "is 0.0 when nothing is predicted positive, recall 0.0 when nothing is actually positive.")
def _prf_undefined_is_one(y_true, y_pred):
    tp, fp, fn = _counts(y_true, y_pred)
    p = tp / (tp + fp) if tp + fp > 0 else 1.0
    r = tp / (tp + fn) if tp + fn > 0 else 1.0
    return float(p), float(r), (2 * p * r / (p + r) if p + r > 0 else 0.0)


@mistake("the division runs even when its denominator is 0, so numpy warns (`np.where` evaluates "
         "both branches, and `np.nan_to_num` tidies up only afterwards): test the denominator "
         "first, e.g. `precision = tp / (tp + fp) if tp + fp > 0 else 0.0`.")
def _prf_divides_then_picks(y_true, y_pred):
    tp, fp, fn = (np.float64(v) for v in _counts(y_true, y_pred))
    p = np.where(tp + fp > 0, tp / (tp + fp), 0.0)
    r = np.where(tp + fn > 0, tp / (tp + fn), 0.0)
    f = np.where(p + r > 0, 2 * p * r / (p + r), 0.0)
    return float(p), float(r), float(f)


MISTAKES = {
    "eval_mse": [_mse_no_half, _mse_no_m, _mse_plain_sum, _mse_not_squared, _mse_absolute,
                 _mse_array, _mse_root, _mse_m_minus_1],
    "eval_cat_err": [_cat_count, _cat_accuracy, _cat_mask, _cat_column_array, _cat_floor_div,
                     _cat_percent, _cat_half, _cat_overwrite],
    "precision_recall_f1": [_prf_swapped, _prf_f1_no_2, _prf_f1_arithmetic, _prf_tn_as_tp,
                            _prf_wrong_class, _prf_double_count, _prf_nan, _prf_undefined_is_one,
                            _prf_divides_then_picks],
}


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_eval_mse(eval_mse):
    c = Check("eval_mse", eval_mse, ref_eval_mse, MISTAKES["eval_mse"])
    c.case(y=np.array([1.0, 2.0, 3.0, 4.0]), yhat=np.array([1.5, 1.0, 4.0, 3.0]))  # 3.25 / 8
    c.case(note="a perfect fit", y=np.array([2.0, -1.0, 0.5]), yhat=np.array([2.0, -1.0, 0.5]))
    c.case(note="one example", y=np.array([3.0]), yhat=np.array([1.0]))  # 2.0
    c.case(note="integer inputs", y=np.array([1, 2, 3]), yhat=np.array([2, 2, 5]))  # 5 / 6
    c.case(note="large magnitudes", y=np.array([1e5, 3e5, 2e5]), yhat=np.array([1.1e5, 2.5e5, 2.6e5]))
    rng = np.random.default_rng(3)
    y = rng.normal(50, 10, size=40)
    c.case(note="random", y=y, yhat=y + rng.normal(0, 4, size=40))
    c.passed()


@check
def check_eval_cat_err(eval_cat_err):
    c = Check("eval_cat_err", eval_cat_err, ref_eval_cat_err, MISTAKES["eval_cat_err"])
    c.case(y=np.array([0, 1, 1, 0, 1]), yhat=np.array([1, 1, 0, 0, 0]))  # 3 of 5 wrong: 0.6
    c.case(note="several classes", y=np.array([0, 1, 2, 3, 4, 5]), yhat=np.array([0, 2, 2, 3, 1, 5]))
    c.case(note="column vectors of shape (m, 1)",
           y=np.array([[1], [0], [2], [2], [0]]), yhat=np.array([[1], [1], [2], [0], [0]]))  # 0.4
    c.case(note="all correct", y=np.array([3, 1, 4, 1, 5]), yhat=np.array([3, 1, 4, 1, 5]))
    c.case(note="all wrong", y=np.array([0, 0, 1]), yhat=np.array([1, 1, 0]))
    c.case(note="one example", y=np.array([2]), yhat=np.array([1]))
    rng = np.random.default_rng(4)
    y = rng.integers(0, 6, size=50)
    yhat = np.where(rng.random(50) < 0.8, y, rng.integers(0, 6, size=50))
    c.case(note="random", y=y, yhat=yhat)
    c.passed()


def _no_division_warning(c: Check, args: dict, note: str) -> None:
    """The convention is 0.0 *without* dividing by zero: a RuntimeWarning fails the case."""
    runtime = [w for w in c.caught_warnings if issubclass(w.category, RuntimeWarning)]
    if runtime:
        c.fail(args, "the values are right, but numpy warned "
               f"(\"{runtime[0].message}\"): your function divided by zero on the way.",
               [_prf_divides_then_picks.cause], note)


_ZERO_DIVISION = Hint("When a denominator is 0 this exercise returns 0.0 for that quantity: test it "
                      "before dividing, e.g. `tp / (tp + fp) if tp + fp > 0 else 0.0`.",
                      exceptions=("ZeroDivisionError",))


@check
def check_precision_recall_f1(precision_recall_f1):
    c = Check("precision_recall_f1", precision_recall_f1, ref_precision_recall_f1,
              MISTAKES["precision_recall_f1"], returns=("precision", "recall", "f1"),
              hints=[_ZERO_DIVISION])

    def case(note="", **args):
        c.case(note=note, **args)
        _no_division_warning(c, args, note)

    # precision 2/3, recall 1/2, F1 4/7.
    case(note="TP = 2, FP = 1, FN = 2, TN = 1",
         y_true=np.array([1, 1, 1, 1, 0, 0]), y_pred=np.array([1, 1, 0, 0, 1, 0]))
    case(note="perfect predictions", y_true=np.array([0, 1, 1, 0, 1]), y_pred=np.array([0, 1, 1, 0, 1]))
    case(note="nothing predicted positive (TP + FP = 0)",
         y_true=np.array([1, 0, 0, 1, 0]), y_pred=np.array([0, 0, 0, 0, 0]))
    case(note="nothing actually positive (TP + FN = 0)",
         y_true=np.array([0, 0, 0, 0, 0]), y_pred=np.array([0, 1, 0, 0, 1]))
    case(note="no positives at all", y_true=np.array([0, 0, 0, 0]), y_pred=np.array([0, 0, 0, 0]))
    case(note="every prediction positive", y_true=np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 1]),
         y_pred=np.ones(10, dtype=int))
    rng = np.random.default_rng(5)
    y_true = (rng.random(200) < 0.1).astype(int)  # a skewed data set: about 10% positives
    y_pred = np.where(rng.random(200) < 0.85, y_true, 1 - y_true)
    case(note="random, skewed", y_true=y_true, y_pred=y_pred)
    c.passed()
