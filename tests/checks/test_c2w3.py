"""c2w3 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import numpy as np

from autograder.checks import c2w3
from tests.checks.helpers import assert_rejects

# --- correct alternatives -----------------------------------------------------------------------


def mse_loop(y, yhat):  # the original course's loop
    m = len(y)
    err = 0.0
    for i in range(m):
        err_i = (yhat[i] - y[i]) ** 2
        err += err_i
    err = err / (2 * m)
    return err


def mse_vectorized(y, yhat):  # numpy float; y - yhat instead of yhat - y (squared, same)
    return np.mean((y - yhat) ** 2) / 2


def mse_dot(y, yhat):
    e = yhat - y
    return 0.5 * (e @ e) / y.shape[0]


def cat_err_loop(y, yhat):  # the original course's loop: `if` on a 1-element array is fine
    m = len(y)
    incorrect = 0
    for i in range(m):
        if yhat[i] != y[i]:
            incorrect += 1
    cerr = incorrect / m
    return cerr


def cat_err_vectorized(y, yhat):
    return np.mean(y != yhat)


def cat_err_count_nonzero(y, yhat):  # a 0-d array is a scalar too
    return np.asarray(np.count_nonzero(np.ravel(y) - np.ravel(yhat)) / np.size(y))


def prf_counts_guarded(y_true, y_pred):
    tp = np.sum((y_true == 1) & (y_pred == 1))
    fp = np.sum((y_true == 0) & (y_pred == 1))
    fn = np.sum((y_true == 1) & (y_pred == 0))
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return precision, recall, f1


def prf_loop_python(y_true, y_pred):
    tp = fp = fn = 0
    for t, p in zip(y_true, y_pred):
        if p == 1 and t == 1:
            tp += 1
        elif p == 1 and t == 0:
            fp += 1
        elif p == 0 and t == 1:
            fn += 1
    predicted, actual = tp + fp, tp + fn
    precision = tp / predicted if predicted else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0  # the same F1, written with counts
    return [precision, recall, f1]  # a list is fine to unpack


def prf_np_divide(y_true, y_pred):  # np.divide with `where=` never divides by zero
    tp = np.sum(y_true * y_pred)
    predicted, actual = np.sum(y_pred), np.sum(y_true)
    precision = np.divide(tp, predicted, out=np.zeros(()), where=predicted > 0)
    recall = np.divide(tp, actual, out=np.zeros(()), where=actual > 0)
    total = precision + recall
    f1 = np.divide(2 * precision * recall, total, out=np.zeros(()), where=total > 0)
    return float(precision), float(recall), float(f1)


def prf_sklearn(y_true, y_pred):  # scikit-learn with the same convention, silently
    from sklearn.metrics import precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(y_true, y_pred, average="binary", pos_label=1,
                                                 zero_division=0.0)
    return p, r, f


CORRECT = {
    "eval_mse": [mse_loop, mse_vectorized, mse_dot],
    "eval_cat_err": [cat_err_loop, cat_err_vectorized, cat_err_count_nonzero],
    "precision_recall_f1": [prf_counts_guarded, prf_loop_python, prf_np_divide, prf_sklearn],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_mse_missing_return_is_pointed_out():
    def no_return(y, yhat):
        np.mean((y - yhat) ** 2) / 2

    assert_rejects(c2w3.check_eval_mse, no_return, "got None", "forget a `return`")


def test_cat_err_list_result_is_not_a_number():
    def as_list(y, yhat):
        return [float(np.mean(y != yhat))]

    assert_rejects(c2w3.check_eval_cat_err, as_list, "expected a number")


def test_cat_err_loop_that_adds_the_comparison_is_caught_on_columns():
    # `incorrect += (yhat[i] != y[i])` is a 1-element array for (m, 1) inputs.
    def adds_comparison(y, yhat):
        incorrect = 0
        for i in range(len(y)):
            incorrect += yhat[i] != y[i]
        return incorrect / len(y)

    assert_rejects(c2w3.check_eval_cat_err, adds_comparison, "column vectors", "expected a single number",
                   "Likely cause:", "array was returned for column inputs")


def test_cat_err_builtin_sum_is_caught_on_columns():
    def builtin_sum(y, yhat):  # Python's sum over the rows of an (m, 1) array gives a (1,) array
        return sum(yhat != y) / len(y)

    assert_rejects(c2w3.check_eval_cat_err, builtin_sum, "column vectors", "expected a single number",
                   "Likely cause:", "built-in `sum`")


def test_precision_recall_f1_one_value_says_how_many():
    def only_f1(y_true, y_pred):
        return c2w3.ref_precision_recall_f1(y_true, y_pred)[2]

    assert_rejects(c2w3.check_precision_recall_f1, only_f1, "expected a tuple of 3 values")


def test_precision_recall_f1_names_the_wrong_part():
    def bad_recall(y_true, y_pred):
        p, r, f = c2w3.ref_precision_recall_f1(y_true, y_pred)
        return p, r + 0.1, f

    assert_rejects(c2w3.check_precision_recall_f1, bad_recall, "recall: got")


def test_zero_division_error_names_the_input():
    def python_division(y_true, y_pred):
        tp = int(np.sum((y_true == 1) & (y_pred == 1)))
        fp = int(np.sum((y_true == 0) & (y_pred == 1)))
        fn = int(np.sum((y_true == 1) & (y_pred == 0)))
        p, r = tp / (tp + fp), tp / (tp + fn)
        return p, r, 2 * p * r / (p + r)

    assert_rejects(c2w3.check_precision_recall_f1, python_division, "nothing predicted positive",
                   "raised ZeroDivisionError")


def test_nan_to_num_after_dividing_is_caught_by_its_warning():
    def nan_to_num(y_true, y_pred):
        tp, fp, fn = (np.float64(v) for v in c2w3._counts(y_true, y_pred))
        p, r = np.nan_to_num(tp / (tp + fp)), np.nan_to_num(tp / (tp + fn))
        return float(p), float(r), float(np.nan_to_num(2 * p * r / (p + r)))

    assert_rejects(c2w3.check_precision_recall_f1, nan_to_num, "the values are right, but numpy warned",
                   "Likely cause:", "test the denominator")
