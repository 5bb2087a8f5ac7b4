"""c2w3 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import numpy as np

from autograder.checks import c2w3
from tests.checks.helpers import assert_accepts, assert_rejects

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


def curve_loop(X_train, y_train, X_cv, y_cv, sizes, fit, error):  # two lists, appended
    train_errors, cv_errors = [], []
    for n in sizes:
        X_n, y_n = X_train[:n], y_train[:n]
        model = fit(X_n, y_n)
        train_errors.append(error(y_n, model.predict(X_n)))
        cv_errors.append(error(y_cv, model.predict(X_cv)))
    return train_errors, cv_errors


def curve_preallocated(X_train, y_train, X_cv, y_cv, sizes, fit, error):  # arrays; error(yhat, y)
    J_train, J_cv = np.zeros(len(sizes)), np.zeros(len(sizes))
    for i in range(len(sizes)):
        rows = np.arange(sizes[i])
        model = fit(X_train[rows], y_train[rows])
        J_train[i] = error(model.predict(X_train[rows]), y_train[rows])  # the errors are symmetric
        J_cv[i] = error(model.predict(X_cv), y_cv)
    return J_train, J_cv


def curve_comprehension(X_train, y_train, X_cv, y_cv, sizes, fit, error):  # one fit per size, kept
    models = [fit(X_train[0:n], y_train[0:n]) for n in sizes]
    train = [error(y_train[0:n], mdl.predict(X_train)[0:n]) for n, mdl in zip(sizes, models)]
    cv = [error(y_cv, mdl.predict(X_cv)) for mdl in models]
    return np.array(train), cv


def select_loop(candidates, X_train, y_train, X_cv, y_cv, fit, error):  # `<` keeps the first tie
    train_errors, cv_errors = [], []
    best_index, best = 0, None
    for i, candidate in enumerate(candidates):
        model = fit(candidate, X_train, y_train)
        train_errors.append(error(y_train, model.predict(X_train)))
        cv_errors.append(error(y_cv, model.predict(X_cv)))
        if best is None or cv_errors[-1] < best:
            best_index, best = i, cv_errors[-1]
    return best_index, train_errors, cv_errors


def select_with_curve(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    # each candidate is one point of a learning curve, at the full training size; list.index
    train_errors, cv_errors = [], []
    for candidate in candidates:
        tr, cv = learning_curve_errors(X_train, y_train, X_cv, y_cv, [len(X_train)],
                                       lambda X, y: fit(candidate, X, y), error)
        train_errors.append(tr[0])
        cv_errors.append(cv[0])
    return cv_errors.index(min(cv_errors)), np.array(train_errors), np.array(cv_errors)


def select_min_key(candidates, X_train, y_train, X_cv, y_cv, fit, error):  # min over the indices
    models = [fit(c, X_train, y_train) for c in candidates]
    train = np.array([error(y_train, m.predict(X_train)) for m in models])
    cv = np.array([error(y_cv, m.predict(X_cv)) for m in models])
    return min(range(len(cv)), key=lambda i: cv[i]), train, cv


def learning_curve_errors(*args):  # the learner's own, which the check replaces with the reference
    raise AssertionError("the check should have swapped in the reference learning_curve_errors")


CORRECT = {
    "eval_mse": [mse_loop, mse_vectorized, mse_dot],
    "eval_cat_err": [cat_err_loop, cat_err_vectorized, cat_err_count_nonzero],
    "precision_recall_f1": [prf_counts_guarded, prf_loop_python, prf_np_divide, prf_sklearn],
    "learning_curve_errors": [curve_loop, curve_preallocated, curve_comprehension],
    "select_complexity": [select_loop, select_with_curve, select_min_key],
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

    assert_accepts(c2w3.check_precision_recall_f1, python_division)  # no zero denominator there
    assert_rejects(c2w3.check_precision_recall_f1_zero_division, python_division, "nothing predicted positive",
                   "raised ZeroDivisionError", "0.0 for a zero denominator")


def test_nan_to_num_after_dividing_is_caught_by_its_warning():
    def nan_to_num(y_true, y_pred):
        tp, fp, fn = (np.float64(v) for v in c2w3._counts(y_true, y_pred))
        p, r = np.nan_to_num(tp / (tp + fp)), np.nan_to_num(tp / (tp + fn))
        return float(p), float(r), float(np.nan_to_num(2 * p * r / (p + r)))

    assert_accepts(c2w3.check_precision_recall_f1, nan_to_num)
    assert_rejects(c2w3.check_precision_recall_f1_zero_division, nan_to_num,
                   "the values are right, but numpy warned", "Likely cause:", "test the denominator")


# --- learning_curve_errors and select_complexity: the ladder's messages ----------------------------


def test_learning_curve_calling_the_model_is_explained():
    def calls_model(X_train, y_train, X_cv, y_cv, sizes, fit, error):
        out = ([], [])
        for n in sizes:
            model = fit(X_train[:n], y_train[:n])
            out[0].append(error(y_train[:n], model(X_train[:n])))
            out[1].append(error(y_cv, model(X_cv)))
        return out

    assert_rejects(c2w3.check_learning_curve_errors, calls_model, "raised TypeError", "model.predict(X)")


def test_learning_curve_looping_over_positions_is_explained():
    def positions(X_train, y_train, X_cv, y_cv, sizes, fit, error):
        out = ([], [])
        for n in range(len(sizes)):
            model = fit(X_train[:n], y_train[:n])
            out[0].append(error(y_train[:n], model.predict(X_train[:n])))
            out[1].append(error(y_cv, model.predict(X_cv)))
        return out

    assert_rejects(c2w3.check_learning_curve_errors, positions, "raised ValueError", "0 examples",
                   "for n in sizes")


def test_learning_curve_in_place_shuffle_is_caught_by_its_values():
    # The check hands copies and does not look at the arguments, but a shuffle that changes which
    # examples are fitted changes the errors.
    def shuffles_in_place(X_train, y_train, X_cv, y_cv, sizes, fit, error):
        order = np.random.permutation(len(X_train))
        X_train[:], y_train[:] = X_train[order], y_train[order]
        return c2w3.ref_learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error)

    assert_rejects(c2w3.check_learning_curve_errors, shuffles_in_place, "Likely cause:", "shuffled")


def test_learning_curve_one_list_is_not_two():
    def only_cv(X_train, y_train, X_cv, y_cv, sizes, fit, error):
        return c2w3.ref_learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error)[1]

    assert_rejects(c2w3.check_learning_curve_errors, only_cv, "got 3 values, expected 2")


def test_select_complexity_forgetting_the_candidate_is_explained():
    def no_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error):
        models = [fit(X_train, y_train) for _ in candidates]
        cv = [error(y_cv, m.predict(X_cv)) for m in models]
        return int(np.argmin(cv)), [error(y_train, m.predict(X_train)) for m in models], cv

    assert_rejects(c2w3.check_select_complexity, no_candidate, "raised TypeError", "fit(candidate, X, y)")


def test_select_complexity_float_index_is_not_an_integer():
    def float_index(candidates, X_train, y_train, X_cv, y_cv, fit, error):
        best, tr, cv = c2w3.ref_select_complexity(candidates, X_train, y_train, X_cv, y_cv, fit, error)
        return float(best), tr, cv

    assert_rejects(c2w3.check_select_complexity, float_index, "best_index", "expected the integer 0")


def test_select_complexity_uses_the_reference_learning_curve():
    # select_with_curve calls learning_curve_errors, which this module defines to raise: the
    # check swaps in the reference, so a bug in the learner's learning curve cannot fail it.
    from tests.checks.helpers import assert_accepts

    assert_accepts(c2w3.check_select_complexity, select_with_curve)


def test_learning_curve_calling_another_method_is_explained():
    def score(X_train, y_train, X_cv, y_cv, sizes, fit, error):
        out = ([], [])
        for n in sizes:
            model = fit(X_train[:n], y_train[:n])
            out[0].append(1 - model.score(X_train[:n], y_train[:n]))
            out[1].append(1 - model.score(X_cv, y_cv))
        return out

    assert_rejects(c2w3.check_learning_curve_errors, score, "raised AttributeError", "model.predict(X)")
