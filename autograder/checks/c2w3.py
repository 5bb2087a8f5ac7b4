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
  and this happens without a division by zero (no numpy warning). That convention is a rule beyond
  the mathematics, its own check (`check_precision_recall_f1_zero_division`) with its own point.
- `learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error)` returns
  `(train_errors, cv_errors)`, two sequences (lists or 1-D arrays) of len(sizes), in the order of
  `sizes`: for each size n, `model = fit(X_train[:n], y_train[:n])` (the first n examples), then
  `error(y, model.predict(X))` on those n examples and on the whole cross-validation set.
- `select_complexity(candidates, X_train, y_train, X_cv, y_cv, fit, error)` returns
  `(best_index, train_errors, cv_errors)`: each candidate (a degree, a number of units, ...) is fitted
  with `fit(candidate, X_train, y_train)` on the whole training set and measured with `error` on it
  and on the cross-validation set; `best_index` is the (integer) position of the lowest
  cross-validation error, the first one on a tie.
  For both, `fit` and `error` are whatever the caller passes in; the checks pass cheap models of
  their own (below) and symmetric errors, so `error(yhat, y)` is as good as `error(y, yhat)`. The
  checks hand the functions copies and do not look at the arguments after the call (the clean
  re-check cannot send a function argument back), so only what they return is judged.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Hint, check, mistake, rule_words, values_first

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


# ---------------------------------------------------------------------------------------------
# Learning curves and model selection.
#
# The checks pass `fit` and `error` of their own: cheap models with a `predict` method (what a
# scikit-learn estimator's `fit` returns) and the module's two errors. Each is an instance of a
# class of this module, so it travels to the clean re-check's kernel by reference, and its repr
# is its name in a message (no memory address).


class _Named:
    name = ""

    def __repr__(self) -> str:
        return self.name


class FittedModel:
    """A fitted model: `predict(X)` gives one prediction per row of X. Not callable, as a
    scikit-learn model is not: its predictions are `model.predict(X)`."""

    def __init__(self, rule):
        self._rule = rule

    def predict(self, X):
        return self._rule(np.asarray(X, dtype=float))


def _rows(X, y):
    X, y = np.asarray(X, dtype=float), np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"fit expects X of shape (n, features), got shape {X.shape}")
    if len(X) != len(y):
        raise ValueError(f"fit was given {len(X)} rows of X but {len(y)} values of y")
    if len(X) == 0:
        raise ValueError("fit was given 0 examples")
    return X, y


class LineFit(_Named):
    """fit(X, y): least squares with an intercept (the minimum-norm one when X has too few rows)."""

    name = "fit_line"

    def __call__(self, X, y):
        X, y = _rows(X, y)
        A = np.column_stack([X, np.ones(len(X))])
        coef = np.linalg.lstsq(A, y.astype(float), rcond=None)[0]
        return FittedModel(lambda Z: Z @ coef[:-1] + coef[-1])


class MeanFit(_Named):
    """fit(X, y): predicts the mean of the training targets."""

    name = "fit_mean"

    def __call__(self, X, y):
        X, y = _rows(X, y)
        mean = float(np.mean(y))
        return FittedModel(lambda Z: np.full(len(Z), mean))


class NearestFit(_Named):
    """fit(X, y): the 1-nearest-neighbour classifier (the first of equally near examples)."""

    name = "fit_nearest_neighbour"

    def __call__(self, X, y):
        X, y = _rows(X, y)
        return FittedModel(lambda Z: y[np.argmin(((Z[:, None, :] - X[None, :, :]) ** 2).sum(-1), axis=1)])


class PolyFit(_Named):
    """fit(degree, X, y): the least-squares polynomial of degree `degree` in the first feature
    (scaled by the training set's mean and spread; the minimum-norm one when underdetermined)."""

    name = "fit_poly"

    def __call__(self, degree, X, y):
        X, y = _rows(X, y)
        x = X[:, 0]
        mu, sd = float(x.mean()), float(x.std()) or 1.0

        def features(Z):
            return ((Z[:, 0] - mu) / sd)[:, None] ** np.arange(int(degree) + 1)

        coef = np.linalg.lstsq(features(X), y.astype(float), rcond=None)[0]
        return FittedModel(lambda Z: features(Z) @ coef)


class KNNFit(_Named):
    """fit(k, X, y): the k-nearest-neighbour classifier, majority vote (the smaller label on a
    tie), labels 0, 1, 2, ..."""

    name = "fit_knn"

    def __call__(self, k, X, y):
        X, y = _rows(X, y)
        labels = y.astype(int)

        def predict(Z):
            d = ((Z[:, None, :] - X[None, :, :]) ** 2).sum(-1)
            near = np.argsort(d, axis=1, kind="stable")[:, : int(k)]
            votes = (labels[near][:, :, None] == np.arange(labels.max() + 1)).sum(axis=1)
            return np.argmax(votes, axis=1)  # the first of equal counts: the smaller label

        return FittedModel(predict)


class ShiftFit(_Named):
    """fit(shift, X, y): predicts the training targets' mean plus `shift` (a model whose errors the
    candidate sets directly, for hand-computable selections)."""

    name = "fit_mean_plus_shift"

    def __call__(self, shift, X, y):
        X, y = _rows(X, y)
        value = float(np.mean(y)) + float(shift)
        return FittedModel(lambda Z: np.full(len(Z), value))


class _Error(_Named):
    def __init__(self, name, fn):
        self.name, self._fn = name, fn

    def __call__(self, y, yhat):
        return self._fn(y, yhat)


fit_line, fit_mean, fit_nearest = LineFit(), MeanFit(), NearestFit()
fit_poly, fit_knn, fit_shift = PolyFit(), KNNFit(), ShiftFit()
mse_error = _Error("eval_mse", ref_eval_mse)
cat_error = _Error("eval_cat_err", ref_eval_cat_err)


def ref_learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    train_errors, cv_errors = [], []
    for n in sizes:
        model = fit(X_train[:n], y_train[:n])
        train_errors.append(float(error(y_train[:n], model.predict(X_train[:n]))))
        cv_errors.append(float(error(y_cv, model.predict(X_cv))))
    return train_errors, cv_errors


def ref_select_complexity(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    train_errors, cv_errors = [], []
    for candidate in candidates:
        model = fit(candidate, X_train, y_train)
        train_errors.append(float(error(y_train, model.predict(X_train))))
        cv_errors.append(float(error(y_cv, model.predict(X_cv))))
    return int(np.argmin(cv_errors)), train_errors, cv_errors


# learning_curve_errors: wrong implementations.


def _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, *, fit_on=lambda n: slice(None, n),
           train_on=None, cv_on=None, measure=None):
    """A learning curve with one part done differently: the rows fitted (`fit_on(n)`), the rows
    measured for the training error (`train_on(n)`, default: those fitted), the cv rows
    (`cv_on(n)`, default: all), the error (`measure`, default: `error`)."""
    measure = measure or error
    train_errors, cv_errors = [], []
    for n in sizes:
        rows = fit_on(int(n))
        model = fit(X_train[rows], y_train[rows])
        t = train_on(int(n)) if train_on else rows
        c = cv_on(int(n)) if cv_on else slice(None)
        train_errors.append(float(measure(y_train[t], model.predict(X_train[t]))))
        cv_errors.append(float(measure(y_cv[c], model.predict(X_cv[c]))))
    return train_errors, cv_errors


@mistake("the cross-validation error was measured on the training examples: measure each model on "
         "the whole cross-validation set, `X_cv` and `y_cv`, which it was not fitted on.")
def _lc_cv_on_train(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    train_errors, _ = ref_learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error)
    return train_errors, list(train_errors)


@mistake("every model was fitted on the whole training set: a learning curve fits each model on "
         "the first n examples only (n = each of `sizes`), so that the amount of data changes.")
def _lc_fit_on_all(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, fit_on=lambda n: slice(None),
                  train_on=lambda n: slice(None, n))


@mistake("the training error was measured on the whole training set: measure it on the n "
         "examples the model was fitted on (the first n), not on all of them.")
def _lc_train_error_on_all(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, train_on=lambda n: slice(None))


@mistake("one example too few: the first n examples are `[:n]` (rows 0 to n-1), not `[:n-1]`.")
def _lc_one_too_few(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, fit_on=lambda n: slice(None, n - 1))


@mistake("one example too many: the first n examples are `[:n]` (rows 0 to n-1), not `[:n+1]`.")
def _lc_one_too_many(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, fit_on=lambda n: slice(None, n + 1))


@mistake("the two lists are swapped: return (train_errors, cv_errors), in that order.")
def _lc_swapped(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    train_errors, cv_errors = ref_learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error)
    return cv_errors, train_errors


@mistake("the error was computed by hand as the mean of the squares, without the 1/2: call the "
         "`error` function that is passed in (here eval_mse, with the 1/2), so that the same "
         "function works for any error.")
def _lc_own_mean_squares(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    def own(y, yhat):
        return float(np.mean((np.asarray(yhat, float) - np.asarray(y, float)) ** 2))
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, measure=own)


@mistake("the errors were added up, not averaged (a sum of squares over 2, without dividing by "
         "the number of examples): call the `error` function that is passed in, once per set, on "
         "all of that set's examples.")
def _lc_summed(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    def own(y, yhat):
        return float(np.sum((np.asarray(yhat, float) - np.asarray(y, float)) ** 2) / 2)
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, measure=own)


@mistake("the cross-validation error was measured on the first n cross-validation examples only: "
         "measure every model on the whole cross-validation set, whatever the training size.")
def _lc_cv_prefix(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    return _curve(X_train, y_train, X_cv, y_cv, sizes, fit, error, cv_on=lambda n: slice(None, n))


@mistake("`X_train` (or `y_train`) was overwritten inside the loop, e.g. `X_train = X_train[:n]`, so "
         "every later size took its rows from the first, smaller set: keep the full training set "
         "and put the first n rows in a new variable.")
def _lc_overwrites(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    train_errors, cv_errors = [], []
    for n in sizes:
        X_train, y_train = X_train[:n], y_train[:n]
        model = fit(X_train, y_train)
        train_errors.append(float(error(y_train, model.predict(X_train))))
        cv_errors.append(float(error(y_cv, model.predict(X_cv))))
    return train_errors, cv_errors


@mistake("the result is one (train, cv) pair per size; return two sequences instead, "
         "(train_errors, cv_errors), each with one error per size.")
def _lc_pairs(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    train_errors, cv_errors = ref_learning_curve_errors(X_train, y_train, X_cv, y_cv, sizes, fit, error)
    return [(t, c) for t, c in zip(train_errors, cv_errors)]


@mistake("the training examples were shuffled before taking n of them: the exercise fits on the "
         "first n examples, `[:n]`, in their order (the caller shuffles the data once, if at all, "
         "before the split), so that each training set holds the previous one.")
def _lc_shuffled(X_train, y_train, X_cv, y_cv, sizes, fit, error):
    order = np.random.permutation(len(X_train))
    return ref_learning_curve_errors(X_train[order], y_train[order], X_cv, y_cv, sizes, fit, error)


# select_complexity: wrong implementations.


def _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    _, train_errors, cv_errors = ref_select_complexity(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return train_errors, cv_errors


@mistake("the candidate was chosen by its training error: the training error only falls as the "
         "model grows more complex, so it always picks the most complex one; choose by the "
         "lowest cross-validation error.")
def _sel_by_train(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(np.argmin(tr)), tr, cv


@mistake("on a tie the last of the equally low cross-validation errors was chosen (`<=` in the "
         "comparison, or the last index of the minimum): the exercise takes the first, the "
         "simplest of the tied candidates (`np.argmin` does, and so does `<` in a loop).")
def _sel_last_tie(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(len(cv) - 1 - np.argmin(cv[::-1])), tr, cv


@mistake("the candidate with the highest cross-validation error was chosen (`argmax`): choose "
         "the lowest (`argmin`).")
def _sel_argmax(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(np.argmax(cv)), tr, cv


@mistake("the chosen candidate itself (a degree, a number of units, ...) was returned; return its "
         "index in `candidates` (0 for the first).")
def _sel_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return candidates[int(np.argmin(cv))], tr, cv


@mistake("the index is 1-based: Python counts from 0, so the first candidate has index 0.")
def _sel_one_based(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(np.argmin(cv)) + 1, tr, cv


@mistake("the lowest cross-validation error itself was returned; return its index (`np.argmin`).")
def _sel_min_value(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return min(cv), tr, cv


@mistake("the cross-validation error was measured on the training set: measure each model on "
         "`X_cv` and `y_cv`, which it was not fitted on.")
def _sel_cv_on_train(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, _ = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(np.argmin(tr)), tr, list(tr)


@mistake("the two lists are swapped: return (best_index, train_errors, cv_errors), in that order.")
def _sel_swapped(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(np.argmin(cv)), cv, tr


@mistake("the candidate with the smallest gap between the cross-validation and the training error "
         "was chosen: a small gap only says the variance is low (a straight line has a small gap "
         "and a high error); choose by the lowest cross-validation error.")
def _sel_smallest_gap(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return int(np.argmin(np.array(cv) - np.array(tr))), tr, cv


@mistake("the search stopped at the first rise of the cross-validation error: it may fall again "
         "further on; compare every candidate and take the lowest.")
def _sel_first_rise(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    best = 0
    while best + 1 < len(cv) and cv[best + 1] < cv[best]:
        best += 1
    return best, tr, cv


@mistake("an array of the indices of the minimum was returned (`np.where(cv == min)` or "
         "`np.flatnonzero`); return one integer, the first of them (`np.argmin`).")
def _sel_where(candidates, X_train, y_train, X_cv, y_cv, fit, error):
    tr, cv = _errors_per_candidate(candidates, X_train, y_train, X_cv, y_cv, fit, error)
    return np.flatnonzero(np.array(cv) == np.min(cv)), tr, cv


MISTAKES = {
    "eval_mse": [_mse_no_half, _mse_no_m, _mse_plain_sum, _mse_not_squared, _mse_absolute,
                 _mse_array, _mse_root, _mse_m_minus_1],
    "eval_cat_err": [_cat_count, _cat_accuracy, _cat_mask, _cat_column_array, _cat_floor_div,
                     _cat_percent, _cat_half, _cat_overwrite],
    "precision_recall_f1": [_prf_swapped, _prf_f1_no_2, _prf_f1_arithmetic, _prf_tn_as_tp,
                            _prf_wrong_class, _prf_double_count],
    # Right mathematics that breaks the convention "0.0 when a denominator is 0, without dividing by
    # zero" (the rule check's catalogue): each passes the values check and loses only the rule's point.
    "precision_recall_f1__zero_division": [_prf_nan, _prf_undefined_is_one, _prf_divides_then_picks],
    "learning_curve_errors": [_lc_cv_on_train, _lc_fit_on_all, _lc_train_error_on_all, _lc_one_too_few,
                              _lc_one_too_many, _lc_swapped, _lc_own_mean_squares, _lc_summed,
                              _lc_cv_prefix, _lc_overwrites, _lc_pairs, _lc_shuffled],
    "select_complexity": [_sel_by_train, _sel_last_tie, _sel_argmax, _sel_candidate, _sel_one_based,
                          _sel_min_value, _sel_cv_on_train, _sel_swapped, _sel_smallest_gap,
                          _sel_first_rise, _sel_where],
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


def _prf_check(precision_recall_f1, mistakes, rule: str = "") -> Check:
    return Check("precision_recall_f1", precision_recall_f1, ref_precision_recall_f1, mistakes,
                 returns=("precision", "recall", "f1"), hints=[_ZERO_DIVISION], rule=rule)


@check
def check_precision_recall_f1(precision_recall_f1):
    """Precision, recall and F1 where every denominator is positive (the mathematics); the
    convention for a zero denominator is the rule check `check_precision_recall_f1_zero_division`."""
    c = _prf_check(precision_recall_f1, MISTAKES["precision_recall_f1"])
    # precision 2/3, recall 1/2, F1 4/7.
    c.case(note="TP = 2, FP = 1, FN = 2, TN = 1",
           y_true=np.array([1, 1, 1, 1, 0, 0]), y_pred=np.array([1, 1, 0, 0, 1, 0]))
    c.case(note="perfect predictions", y_true=np.array([0, 1, 1, 0, 1]), y_pred=np.array([0, 1, 1, 0, 1]))
    c.case(note="every prediction positive", y_true=np.array([0, 0, 1, 0, 0, 0, 0, 0, 0, 1]),
           y_pred=np.ones(10, dtype=int))
    rng = np.random.default_rng(5)
    y_true = (rng.random(200) < 0.1).astype(int)  # a skewed data set: about 10% positives
    y_pred = np.where(rng.random(200) < 0.85, y_true, 1 - y_true)
    c.case(note="random, skewed", y_true=y_true, y_pred=y_pred)
    c.passed()


@check
def check_precision_recall_f1_zero_division(precision_recall_f1):
    """The rule "0.0 for a zero denominator": precision when nothing is predicted positive, recall
    when nothing is actually positive, F1 when both are 0, each without a division by zero."""
    c = _prf_check(precision_recall_f1, MISTAKES["precision_recall_f1__zero_division"],
                   rule=rule_words("c2w3", "precision_recall_f1", "zero_division"))
    values_first(c, check_precision_recall_f1)

    def case(note="", **args):
        c.case(note=note, **args)
        _no_division_warning(c, args, note)

    case(note="nothing predicted positive (TP + FP = 0)",
         y_true=np.array([1, 0, 0, 1, 0]), y_pred=np.array([0, 0, 0, 0, 0]))
    case(note="nothing actually positive (TP + FN = 0)",
         y_true=np.array([0, 0, 0, 0, 0]), y_pred=np.array([0, 1, 0, 0, 1]))
    case(note="no positives at all", y_true=np.array([0, 0, 0, 0]), y_pred=np.array([0, 0, 0, 0]))
    c.passed()


# learning_curve_errors and select_complexity.

_NOT_CALLABLE = ("The model that `fit` returns is not a function: its predictions are "
                 "`model.predict(X)`, as for a scikit-learn model.")
_LC_HINTS = [
    Hint(_NOT_CALLABLE, exceptions=("TypeError",), fragments=("not callable",)),
    Hint("`fit(X, y)` takes a training set (the first n rows of X_train and of y_train) and returns "
         "a fitted model; `error(y, yhat)` takes the targets and the model's predictions.",
         exceptions=("TypeError",), fragments=("positional argument",)),
    Hint("A training set of size n is the first n rows, `X_train[:n]` with `y_train[:n]`; loop "
         "over the sizes themselves (`for n in sizes`), not over their positions from 0.",
         exceptions=("ValueError",), fragments=("0 examples",)),
    Hint("Take the same n rows of X_train and of y_train.", exceptions=("ValueError",),
         fragments=("rows of X but",)),
    Hint("`fit` returns a fitted model; its predictions are `model.predict(X)` (it has no other method).",
         exceptions=("AttributeError",), fragments=("FittedModel",)),
]

_SC_HINTS = [
    Hint(_NOT_CALLABLE, exceptions=("TypeError",), fragments=("not callable",)),
    Hint("Here `fit` takes the candidate first: `fit(candidate, X, y)` fits the model of that "
         "complexity (for example the polynomial of that degree) on X, y and returns it; "
         "`error(y, yhat)` takes the targets and the model's predictions.",
         exceptions=("TypeError",), fragments=("positional argument",)),
    Hint("`fit` returns a fitted model; its predictions are `model.predict(X)` (it has no other method).",
         exceptions=("AttributeError",), fragments=("FittedModel",)),
]


@check
def check_learning_curve_errors(learning_curve_errors):
    c = Check("learning_curve_errors", learning_curve_errors, ref_learning_curve_errors,
              MISTAKES["learning_curve_errors"], returns=("train_errors", "cv_errors"), hints=_LC_HINTS)
    # A noisy line, 8 training and 4 cross-validation examples: the straight line through the
    # first 2 examples fits them exactly (training error 0).
    X_train = np.arange(8.0).reshape(-1, 1)
    y_train = np.array([1.0, 2.5, 2.0, 4.5, 4.0, 6.5, 6.0, 8.5])
    X_cv = np.array([[0.5], [2.5], [4.5], [6.5]])
    y_cv = np.array([1.5, 3.0, 5.5, 7.0])
    c.case(note="a line fitted on the first 2, 4 and 8 examples", seed=0, X_train=X_train,
           y_train=y_train, X_cv=X_cv, y_cv=y_cv, sizes=[2, 4, 8], fit=fit_line, error=mse_error)
    # Classification: the nearest neighbour makes no training error; its cv error falls.
    rng = np.random.default_rng(31)
    centres = np.array([[0.0, 0.0], [3.0, 0.0], [0.0, 3.0]])
    labels = rng.integers(0, 3, size=40)
    X = centres[labels] + rng.normal(0, 1.2, size=(40, 2))
    c.case(note="a nearest-neighbour classifier, sizes as a numpy array", seed=0, X_train=X[:30],
           y_train=labels[:30], X_cv=X[30:], y_cv=labels[30:], sizes=np.array([3, 6, 12, 30]),
           fit=fit_nearest, error=cat_error)
    c.case(note="one size, the whole training set", seed=0, X_train=X_train, y_train=y_train,
           X_cv=X_cv, y_cv=y_cv, sizes=[8], fit=fit_mean, error=mse_error)
    c.case(note="sizes from 1 example", seed=0, X_train=X_train[:5], y_train=y_train[:5], X_cv=X_cv,
           y_cv=y_cv, sizes=[1, 2, 3, 4, 5], fit=fit_mean, error=mse_error)
    rng = np.random.default_rng(32)
    X = rng.normal(size=(60, 3))
    y = X @ np.array([1.5, -2.0, 0.5]) + 3.0 + rng.normal(0, 1.0, size=60)
    c.case(note="random, 3 features", seed=0, X_train=X[:45], y_train=y[:45], X_cv=X[45:], y_cv=y[45:],
           sizes=[2, 4, 8, 16, 32, 45], fit=fit_line, error=mse_error)
    c.passed()


@check
def check_select_complexity(select_complexity):
    # The learner's select_complexity may call their learning_curve_errors: the reference stands in.
    c = Check("select_complexity", select_complexity, ref_select_complexity, MISTAKES["select_complexity"],
              returns=("best_index", "train_errors", "cv_errors"), strict_int=True, hints=_SC_HINTS,
              dependencies={"learning_curve_errors": ref_learning_curve_errors})
    # Hand-computable: the model predicts the training mean (0) plus the candidate; the cv targets
    # are -1 and 1, so the shifts -1 and 1 tie with the cv error 1/4 * (0**2 + 2**2) = 1.
    X_train = np.zeros((4, 1))
    y_train = np.array([-2.0, -1.0, 1.0, 2.0])
    X_cv, y_cv = np.zeros((2, 1)), np.array([-1.0, 1.0])
    c.case(note="a tie between the first two candidates", candidates=[-1.0, 1.0, 2.0], X_train=X_train,
           y_train=y_train, X_cv=X_cv, y_cv=y_cv, fit=fit_shift, error=mse_error)
    # The cv error falls, rises at the third candidate, and falls lower at the fourth.
    c.case(note="the cross-validation error falls, rises, then falls lower",
           candidates=[3.0, 1.0, 2.0, 0.5, 4.0], X_train=X_train, y_train=y_train, X_cv=X_cv,
           y_cv=y_cv + 0.5, fit=fit_shift, error=mse_error)
    # Polynomials on a noisy cubic: the cv error falls, then explodes for the degree 9.
    rng = np.random.default_rng(41)
    x = np.sort(rng.uniform(0, 5, size=30))
    y = 0.5 * x**3 - 3.8 * x**2 + 7.5 * x + 2.0 + rng.normal(0, 1.0, size=30)
    order = rng.permutation(30)
    tr, cv = order[:18], order[18:]
    c.case(note="polynomial degrees", candidates=[1, 2, 3, 4, 6, 9], X_train=x[tr, None], y_train=y[tr],
           X_cv=x[cv, None], y_cv=y[cv], fit=fit_poly, error=mse_error)
    # k-nearest neighbours with the classification error.
    rng = np.random.default_rng(42)
    centres = np.array([[0.0, 0.0], [2.5, 0.0], [0.0, 2.5]])
    labels = rng.integers(0, 3, size=60)
    X = centres[labels] + rng.normal(0, 1.0, size=(60, 2))
    c.case(note="k-nearest neighbours, k = 1, 3, 5, 9, 15", candidates=(1, 3, 5, 9, 15), X_train=X[:40],
           y_train=labels[:40], X_cv=X[40:], y_cv=labels[40:], fit=fit_knn, error=cat_error)
    c.case(note="one candidate", candidates=[0.5], X_train=X_train, y_train=y_train, X_cv=X_cv, y_cv=y_cv,
           fit=fit_shift, error=mse_error)
    c.passed()
