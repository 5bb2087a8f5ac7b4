"""Checks for module c1w2: multiple linear regression, vectorization and feature scaling.

Conventions the exercise states: `X` is a numpy array of shape (m, n) (m examples, n features),
`y` has shape (m,), `w` has shape (n,) and `b` is a number. Gradients are returned as
`(dj_dw, dj_db)` with `dj_dw` of shape (n,). z-score normalization uses the population standard
deviation (`np.std`'s default, ddof=0), as the original course does; `mu` and `sigma` have shape (n,).

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import swapped_pair_describe
from autograder.checks.ladder import Check, check, mistake

# ---------------------------------------------------------------------------------------------
# Reference implementations (vectorized).


def ref_predict(X, w, b):
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float) + b


def ref_compute_cost(X, y, w, b):
    m = X.shape[0]
    err = ref_predict(X, w, b) - y
    return float(err @ err / (2 * m))


def ref_compute_gradient(X, y, w, b):
    m = X.shape[0]
    err = ref_predict(X, w, b) - y
    return np.asarray(X, dtype=float).T @ err / m, float(np.sum(err) / m)


def ref_zscore_normalize_features(X):
    X = np.asarray(X, dtype=float)
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    return (X - mu) / sigma, mu, sigma


def ref_gradient_descent(X, y, w_in, b_in, alpha, num_iters):
    w, b = np.array(w_in, dtype=float), float(b_in)
    J_history = []
    for _ in range(num_iters):
        dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
        w, b = w - alpha * dj_dw, b - alpha * dj_db
        J_history.append(ref_compute_cost(X, y, w, b))
    return w, b, J_history


# ---------------------------------------------------------------------------------------------
# predict


def _f(X, w):
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float)


@mistake("`b` is not added: the model is f_wb = X @ w + b (np.dot(X[i], w) + b for one example).")
def _pred_no_bias(X, w, b):
    return _f(X, w)


@mistake("the sign of `b` is flipped: the model adds b.")
def _pred_minus_b(X, w, b):
    return _f(X, w) - b


@mistake("`X * w` multiplies element by element and keeps one column per feature; the dot product "
         "also sums over the features: use `X @ w` or `np.dot(X, w)` (or sum with axis=1).")
def _pred_elementwise(X, w, b):
    return np.asarray(X, dtype=float) * w + b


@mistake("the sum runs over the examples (axis=0) instead of over the features (axis=1): "
         "each prediction sums X[i, j] * w[j] over j.")
def _pred_wrong_axis(X, w, b):
    return np.sum(np.asarray(X, dtype=float) * w, axis=0) + b


@mistake("only the first example was predicted (np.dot(X[0], w) + b); predict every row of X.")
def _pred_first_only(X, w, b):
    return float(np.dot(np.asarray(X[0], dtype=float), w) + b)


@mistake("the loop overwrites one number instead of filling `p[i]` for every example.")
def _pred_last_only(X, w, b):
    return float(np.dot(np.asarray(X[-1], dtype=float), w) + b)


@mistake("the result was created with an integer dtype (e.g. `np.zeros(m, dtype=int)`), which "
         "truncates the predictions; use `np.zeros(m)`.")
def _pred_int_dtype(X, w, b):
    return (_f(X, w) + b).astype(int)


@mistake("`w` was turned into a column, so the result has shape (m, 1); keep w of shape (n,) and "
         "return shape (m,).")
def _pred_column(X, w, b):
    return np.asarray(X, dtype=float) @ np.asarray(w, dtype=float).reshape(-1, 1) + b


@mistake("a Python list was returned; return a numpy array of shape (m,).")
def _pred_list(X, w, b):
    return list(_f(X, w) + b)


# ---------------------------------------------------------------------------------------------
# compute_cost


def _err(X, y, w, b):
    return _f(X, w) + b - y


@mistake("the 1/2 is missing: the cost is 1/(2m) times the sum of squared errors, not 1/m.")
def _cost_no_half(X, y, w, b):
    return float(np.sum(_err(X, y, w, b) ** 2) / X.shape[0])


@mistake("the 1/m is missing: divide the sum of squared errors by 2m, not by 2.")
def _cost_no_m(X, y, w, b):
    return float(np.sum(_err(X, y, w, b) ** 2) / 2)


@mistake("m was taken as the number of features (X.shape[1]); m is the number of examples, X.shape[0].")
def _cost_m_features(X, y, w, b):
    return float(np.sum(_err(X, y, w, b) ** 2) / (2 * X.shape[1]))


@mistake("operator precedence: `cost/2*m` is (cost/2)*m, a multiplication by m; write cost / (2*m).")
def _cost_precedence(X, y, w, b):
    return float(np.sum(_err(X, y, w, b) ** 2) / 2 * X.shape[0])


@mistake("the errors are not squared: the cost sums (f_wb - y)**2.")
def _cost_not_squared(X, y, w, b):
    return float(np.sum(_err(X, y, w, b)) / (2 * X.shape[0]))


@mistake("absolute errors were used; the squared-error cost sums (f_wb - y)**2.")
def _cost_absolute(X, y, w, b):
    return float(np.sum(np.abs(_err(X, y, w, b))) / (2 * X.shape[0]))


@mistake("the per-example costs were returned; sum them into one number.")
def _cost_array(X, y, w, b):
    return _err(X, y, w, b) ** 2 / (2 * X.shape[0])


@mistake("the square root was taken (that is the RMSE); the cost is 1/(2m) times the sum of squares.")
def _cost_root(X, y, w, b):
    return float(np.sqrt(np.sum(_err(X, y, w, b) ** 2) / (2 * X.shape[0])))


@mistake("the prediction forgets `b`: f_wb = np.dot(X[i], w) + b.")
def _cost_no_bias(X, y, w, b):
    e = _f(X, w) - y
    return float(np.sum(e**2) / (2 * X.shape[0]))


# ---------------------------------------------------------------------------------------------
# compute_gradient


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


@mistake("m was taken as the number of features (X.shape[1]); m is the number of examples, X.shape[0].")
def _grad_m_features(X, y, w, b):
    m, n = X.shape
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw * m / n, dj_db * m / n


@mistake("there is an extra 1/2: the derivative of 1/(2m)·sum(err²) is 1/m·sum(err·x) (the 2 cancels).")
def _grad_half(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw / 2, dj_db / 2


@mistake("the sign is flipped: the error is f_wb - y, not y - f_wb.")
def _grad_flipped(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return -dj_dw, -dj_db


@mistake("dj_db is updated inside the loop over the features, so each error is added n times; "
         "add err to dj_db once per example (outside the j loop).")
def _grad_db_in_feature_loop(X, y, w, b):
    dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
    return dj_dw, dj_db * X.shape[1]


@mistake("the sum runs over the features (axis=1) instead of over the examples (axis=0): dj_dw "
         "has one entry per feature, dj_dw[j] = 1/m * sum over i of err[i] * X[i, j].")
def _grad_wrong_axis(X, y, w, b):
    m = X.shape[0]
    e = _err(X, y, w, b)
    return np.sum(e[:, None] * X, axis=1) / m, float(np.sum(e) / m)


@mistake("the loop overwrites the sums (`=`) instead of adding to them (`+=`).")
def _grad_overwrite(X, y, w, b):
    m = X.shape[0]
    e = _err(X, y, w, b)
    return e[-1] * np.asarray(X[-1], dtype=float) / m, float(e[-1] / m)


@mistake("dj_dw is missing the factor X[i, j]: dj_dw[j] = 1/m * sum((f_wb - y) * X[:, j]).")
def _grad_no_x(X, y, w, b):
    m, n = X.shape
    e = _err(X, y, w, b)
    return np.full(n, np.sum(e) / m), float(np.sum(e) / m)


# ---------------------------------------------------------------------------------------------
# zscore_normalize_features


@mistake("X was normalized in place (`X -= mu`, `X /= sigma`), which changes the caller's data: the "
         "training set they pass in comes back normalized. Compute a new array: X_norm = (X - mu) / sigma.")
def _z_in_place(X):
    if not np.issubdtype(X.dtype, np.floating):
        return ref_zscore_normalize_features(X)
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    X -= mu
    X /= sigma
    return X.copy(), mu, sigma


def _xf(X):
    return np.asarray(X, dtype=float)


@mistake("the sample standard deviation (ddof=1) was used; this kit, like the original course, uses "
         "the population standard deviation: np.std(X, axis=0) with its default ddof=0.")
def _z_ddof1(X):
    X = _xf(X)
    mu, sigma = X.mean(axis=0), X.std(axis=0, ddof=1)
    return (X - mu) / sigma, mu, sigma


@mistake("the mean and standard deviation were taken along axis=1 (per example); normalize each "
         "feature, i.e. each column: axis=0.")
def _z_axis1(X):
    X = _xf(X)
    mu = X.mean(axis=1, keepdims=True)
    sigma = X.std(axis=1, keepdims=True)
    return (X - mu) / sigma, mu.ravel(), sigma.ravel()


@mistake("the mean and standard deviation were taken over the whole array (no axis); take them "
         "per feature, i.e. per column: axis=0.")
def _z_no_axis(X):
    X = _xf(X)
    mu, sigma = X.mean(), X.std()
    return (X - mu) / sigma, np.full(X.shape[1], mu), np.full(X.shape[1], sigma)


@mistake("that is mean normalization, dividing by the range (max - min); the z-score divides by "
         "the standard deviation.")
def _z_range(X):
    X = _xf(X)
    mu, rng = X.mean(axis=0), X.max(axis=0) - X.min(axis=0)
    return (X - mu) / rng, mu, rng


@mistake("dividing by the variance: divide by the standard deviation sigma (its square root).")
def _z_variance(X):
    X = _xf(X)
    mu, var = X.mean(axis=0), X.var(axis=0)
    return (X - mu) / var, mu, var


@mistake("X_norm is right, but the variance was returned as sigma; return the standard deviation, "
         "np.std(X, axis=0) (the square root of the variance), the number X_norm was divided by.")
def _z_returns_variance(X):
    X = _xf(X)
    X_norm, mu, sigma = ref_zscore_normalize_features(X)
    return X_norm, mu, sigma**2


@mistake("the mean was not subtracted: X_norm = (X - mu) / sigma.")
def _z_no_centering(X):
    X = _xf(X)
    mu, sigma = X.mean(axis=0), X.std(axis=0)
    return X / sigma, mu, sigma


@mistake("mu and sigma are swapped: return (X_norm, mu, sigma) in that order.")
def _z_swapped(X):
    X_norm, mu, sigma = ref_zscore_normalize_features(X)
    return X_norm, sigma, mu


@mistake("only X_norm was returned: return all three, (X_norm, mu, sigma), so that new data can be "
         "scaled with the same mu and sigma.")
def _z_only_xnorm(X):
    return ref_zscore_normalize_features(X)[0]


@mistake("mu and sigma keep a dimension of length 1 (keepdims=True); return them with shape (n,).")
def _z_keepdims(X):
    X = _xf(X)
    mu, sigma = X.mean(axis=0, keepdims=True), X.std(axis=0, keepdims=True)
    return (X - mu) / sigma, mu, sigma


@mistake("mu and sigma were computed after normalizing (from X_norm, so they come out as 0 and 1); "
         "return the mean and standard deviation of the original X.")
def _z_stats_of_xnorm(X):
    X_norm = ref_zscore_normalize_features(X)[0]
    return X_norm, X_norm.mean(axis=0), X_norm.std(axis=0)


@mistake("the `return` is inside the loop, so only the first example is counted; return after the "
         "loop has added every example's squared error.")
def _cost_return_in_loop(X, y, w, b):
    return float(_err(X, y, w, b)[0] ** 2 / (2 * X.shape[0]))


@mistake("the loop skips the last example (`range(m - 1)`, or `range(1, m)` skips the first); "
         "`for i in range(m)` visits all m examples.")
def _cost_skips_last(X, y, w, b):
    return float(np.sum(_err(X, y, w, b)[:-1] ** 2) / (2 * X.shape[0]))


@mistake("the `return` is inside the loop over the examples, so only the first example is counted; "
         "return after the loop has added every example's term.")
def _grad_return_in_loop(X, y, w, b):
    e = _err(X, y, w, b)
    return e[0] * np.asarray(X[0], dtype=float) / X.shape[0], float(e[0] / X.shape[0])


# ---------------------------------------------------------------------------------------------
# gradient_descent


def _descend(X, y, w_in, b_in, alpha, num_iters, step):
    w, b = np.array(w_in, dtype=float), float(b_in)
    J_history = []
    for _ in range(num_iters):
        w, b = step(w, b)
        J_history.append(ref_compute_cost(X, y, w, b))
    return w, b, J_history


@mistake("the update climbs the cost: subtract alpha times the gradient (w = w - alpha * dj_dw).")
def _gd_plus(X, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
        return w + alpha * dj_dw, b + alpha * dj_db
    return _descend(X, y, w_in, b_in, alpha, num_iters, step)


@mistake("the learning rate alpha is missing from the update.")
def _gd_no_alpha(X, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
        return w - dj_dw, b - dj_db
    return _descend(X, y, w_in, b_in, alpha, num_iters, step)


@mistake("the update is not simultaneous: b's gradient was computed after w had changed. "
         "Compute the gradient once per iteration, then update w and b.")
def _gd_not_simultaneous(X, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, _ = ref_compute_gradient(X, y, w, b)
        w = w - alpha * dj_dw
        _, dj_db = ref_compute_gradient(X, y, w, b)
        return w, b - alpha * dj_db
    return _descend(X, y, w_in, b_in, alpha, num_iters, step)


@mistake("`b` is never updated: update both w and b in every iteration.")
def _gd_b_fixed(X, y, w_in, b_in, alpha, num_iters):
    def step(w, b):
        dj_dw, _ = ref_compute_gradient(X, y, w, b)
        return w - alpha * dj_dw, b
    return _descend(X, y, w_in, b_in, alpha, num_iters, step)


@mistake("J_history records the cost before each update; record it after the update.")
def _gd_cost_before(X, y, w_in, b_in, alpha, num_iters):
    w, b = np.array(w_in, dtype=float), float(b_in)
    J_history = []
    for _ in range(num_iters):
        J_history.append(ref_compute_cost(X, y, w, b))
        dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
        w, b = w - alpha * dj_dw, b - alpha * dj_db
    return w, b, J_history


@mistake("the loop runs one iteration too few: `for i in range(num_iters)` runs exactly num_iters.")
def _gd_one_short(X, y, w_in, b_in, alpha, num_iters):
    return ref_gradient_descent(X, y, w_in, b_in, alpha, num_iters - 1)


@mistake("the return order is swapped: return (w, b, J_history).")
def _gd_swapped(X, y, w_in, b_in, alpha, num_iters):
    w, b, J = ref_gradient_descent(X, y, w_in, b_in, alpha, num_iters)
    return b, w, J


@mistake("the gradient is always computed at the starting point (w_in, b_in); compute it at the "
         "current w and b in every iteration.")
def _gd_gradient_at_start(X, y, w_in, b_in, alpha, num_iters):
    dj_dw, dj_db = ref_compute_gradient(X, y, np.array(w_in, dtype=float), b_in)
    return _descend(X, y, w_in, b_in, alpha, num_iters,
                    lambda w, b: (w - alpha * dj_dw, b - alpha * dj_db))


@mistake("the update divides by m again: compute_gradient already averages over the examples, "
         "so the step is just alpha * dj_dw.")
def _gd_extra_m(X, y, w_in, b_in, alpha, num_iters):
    m = X.shape[0]

    def step(w, b):
        dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
        return w - alpha * dj_dw / m, b - alpha * dj_db / m
    return _descend(X, y, w_in, b_in, alpha, num_iters, step)


@mistake("J_history also holds the cost at the starting point; record only the cost after each update, "
         "so that it has exactly num_iters entries.")
def _gd_initial_cost(X, y, w_in, b_in, alpha, num_iters):
    w, b, J = ref_gradient_descent(X, y, w_in, b_in, alpha, num_iters)
    return w, b, [ref_compute_cost(X, y, np.array(w_in, dtype=float), b_in)] + J


@mistake("`w = w_in` does not copy the array: it is a second name for the caller's w_in, so the in-place "
         "update `w -= alpha * dj_dw` changes the caller's starting weights too. Start from a copy: "
         "`w = copy.deepcopy(w_in)` (or `w_in.copy()`), or update with `w = w - alpha * dj_dw`.")
def _gd_updates_w_in(X, y, w_in, b_in, alpha, num_iters):
    w, b = w_in, float(b_in)  # no copy: w is the caller's array
    J_history = []
    for _ in range(num_iters):
        dj_dw, dj_db = ref_compute_gradient(X, y, w, b)
        w -= alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(ref_compute_cost(X, y, w, b))
    return w.copy(), b, J_history


@mistake("the `return` is inside the loop, so gradient descent stops after its first iteration; "
         "return (w, b, J_history) after the loop has run num_iters times.")
def _gd_return_in_loop(X, y, w_in, b_in, alpha, num_iters):
    return ref_gradient_descent(X, y, w_in, b_in, alpha, min(num_iters, 1))


MISTAKES = {
    "predict": [_pred_no_bias, _pred_minus_b, _pred_elementwise, _pred_wrong_axis, _pred_first_only,
                _pred_last_only, _pred_int_dtype, _pred_column, _pred_list],
    "compute_cost": [_cost_no_half, _cost_no_m, _cost_m_features, _cost_precedence, _cost_not_squared, _cost_absolute,
                     _cost_array, _cost_root, _cost_no_bias, _cost_return_in_loop, _cost_skips_last],
    "compute_gradient": [_grad_swapped, _grad_no_m, _grad_m_features, _grad_half, _grad_flipped,
                         _grad_db_in_feature_loop, _grad_wrong_axis, _grad_overwrite, _grad_no_x,
                         _grad_return_in_loop],
    "zscore_normalize_features": [_z_ddof1, _z_axis1, _z_no_axis, _z_range, _z_variance, _z_returns_variance,
                                  _z_no_centering, _z_swapped, _z_only_xnorm, _z_keepdims,
                                  _z_stats_of_xnorm, _z_in_place],
    "gradient_descent": [_gd_plus, _gd_no_alpha, _gd_not_simultaneous, _gd_b_fixed, _gd_cost_before,
                         _gd_one_short, _gd_swapped, _gd_gradient_at_start, _gd_extra_m, _gd_initial_cost,
                         _gd_updates_w_in, _gd_return_in_loop],
}


# ---------------------------------------------------------------------------------------------
# Cases.

# The house data of the original course: size (sqft), bedrooms, floors, age; price (1000s of $).
HOUSES_X = np.array([[2104.0, 5.0, 1.0, 45.0], [1416.0, 3.0, 2.0, 40.0], [852.0, 2.0, 1.0, 35.0]])
HOUSES_Y = np.array([460.0, 232.0, 178.0])
HOUSES_W = np.array([0.39133535, 18.75376741, -53.36032453, -26.42131618])
HOUSES_B = 785.1811367994083

# A small, scaled data set with m != n, so that mixing up m and n shows.
SMALL_X = np.array([[1.0, 2.0], [2.0, 0.5], [3.0, 1.5], [4.0, 3.0], [0.5, 1.0]])
SMALL_Y = np.array([3.0, 2.5, 4.5, 7.0, 1.5])


def _random_case(seed: int, m: int = 20, n: int = 4):
    rng = np.random.default_rng(seed)
    X = rng.normal(0.0, 1.0, size=(m, n)) * rng.uniform(0.5, 3.0, size=n)
    w_true = rng.normal(0.0, 5.0, size=n)
    y = X @ w_true + 7.0 + rng.normal(0.0, 1.0, size=m)
    return X, y


# ---------------------------------------------------------------------------------------------
# What every check of this module switches on: no argument may change (the caller's data and
# starting weights stay as they were; the exercise says so), a raised exception shows the case's
# inputs whole, X is a batch of examples (one per row), and a wrong result no mistake explains is
# probed.

STRICT = dict(mutation="fail", detail_raised=True, examples={"X": "batch"})
ARGUMENTS_KEPT = {"predict", "compute_cost", "compute_gradient", "zscore_normalize_features", "gradient_descent"}


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_predict(predict):
    c = Check("predict", predict, ref_predict, MISTAKES["predict"], probe=("X", "w", "b"), **STRICT)
    c.case(X=HOUSES_X, w=np.array([0.4, 18.0, -50.0, -25.0]), b=780.0)
    c.case(X=SMALL_X, w=np.array([1.5, 0.5]), b=0.25)
    c.case(note="one example", X=np.array([[1.0, -2.0, 0.5]]), w=np.array([2.0, 0.5, -4.0]), b=1.5)
    c.case(note="one feature", X=np.array([[1.0], [2.5], [-1.0], [4.0]]), w=np.array([3.0]), b=-0.5)
    c.case(note="integer inputs", X=np.array([[1, 2], [3, 4], [5, 6]]), w=np.array([2, -1]), b=3)
    X, _ = _random_case(0)
    c.case(note="random", X=X, w=np.array([0.3, -1.2, 2.5, 0.7]), b=-4.0)
    c.passed()


@check
def check_compute_cost(compute_cost):
    # compute_cost may call predict: the reference stands in for it while the check runs.
    c = Check("compute_cost", compute_cost, ref_compute_cost, MISTAKES["compute_cost"],
              dependencies={"predict": ref_predict}, probe=("X", "y", "w", "b"), ratios=True, **STRICT)
    c.case(X=SMALL_X, y=SMALL_Y, w=np.array([1.0, 0.5]), b=0.3)
    c.case(X=HOUSES_X, y=HOUSES_Y, w=np.array([0.4, 18.0, -50.0, -25.0]), b=780.0)
    c.case(note="a perfect fit", X=SMALL_X, y=SMALL_X @ np.array([2.0, -1.0]) + 0.5,
           w=np.array([2.0, -1.0]), b=0.5)
    c.case(note="one example", X=np.array([[2.0, 1.0, -1.0]]), y=np.array([1.0]),
           w=np.array([0.5, 1.0, 2.0]), b=0.5)
    X, y = _random_case(1)
    c.case(note="random", X=X, y=y, w=np.array([1.0, -2.0, 0.5, 3.0]), b=2.0)
    c.passed()


@check
def check_compute_gradient(compute_gradient):
    c = Check("compute_gradient", compute_gradient, ref_compute_gradient, MISTAKES["compute_gradient"],
              returns=("dj_dw", "dj_db"), dependencies={"predict": ref_predict},
              probe=("X", "y", "w", "b"), ratios=True, **STRICT)
    c.describe = swapped_pair_describe(c)
    c.case(X=SMALL_X, y=SMALL_Y, w=np.array([1.0, 0.5]), b=0.3)
    c.case(X=HOUSES_X, y=HOUSES_Y, w=np.array([0.4, 18.0, -50.0, -25.0]), b=780.0)
    c.case(note="at the minimum", X=SMALL_X, y=SMALL_X @ np.array([2.0, -1.0]) + 0.5,
           w=np.array([2.0, -1.0]), b=0.5)
    c.case(note="one example", X=np.array([[2.0, 1.0, -1.0]]), y=np.array([1.0]),
           w=np.array([0.5, 1.0, 2.0]), b=0.5)
    X, y = _random_case(2)
    c.case(note="random", X=X, y=y, w=np.array([1.0, -2.0, 0.5, 3.0]), b=2.0)
    c.passed()


@check
def check_zscore_normalize_features(zscore_normalize_features):
    c = Check("zscore_normalize_features", zscore_normalize_features, ref_zscore_normalize_features,
              MISTAKES["zscore_normalize_features"], returns=("X_norm", "mu", "sigma"), **STRICT)
    c.case(X=np.array([[1.0, 10.0, 300.0], [2.0, 30.0, 100.0], [4.0, 20.0, 500.0]]))
    c.case(X=HOUSES_X)
    c.case(note="negative values", X=np.array([[-1.0, 0.5], [3.0, -2.5], [0.0, 1.0], [-2.0, 4.0]]))
    c.case(note="one feature", X=np.array([[1.0], [4.0], [7.0], [10.0], [3.0]]))
    c.case(note="integer inputs", X=np.array([[1, 200], [2, 400], [6, 300], [3, 100]]))
    X, _ = _random_case(3, m=40, n=5)
    c.case(note="random", X=X * np.array([1.0, 10.0, 100.0, 1000.0, 0.1]) + 50.0)
    c.passed()


@check
def check_gradient_descent(gradient_descent):
    # The learner's gradient_descent may call compute_gradient, compute_cost and predict: the
    # reference versions stand in while it runs, so only gradient_descent itself is tested here.
    c = Check("gradient_descent", gradient_descent, ref_gradient_descent, MISTAKES["gradient_descent"],
              returns=("w", "b", "J_history"), rtol=1e-5,
              dependencies={"compute_gradient": ref_compute_gradient, "compute_cost": ref_compute_cost,
                            "predict": ref_predict},
              pair_dependencies={"compute_gradient": ("dj_dw", "dj_db")}, probe=("alpha",), **STRICT)
    c.case(X=SMALL_X, y=SMALL_Y, w_in=np.zeros(2), b_in=0.0, alpha=0.05, num_iters=10)
    c.case(note="one iteration", X=SMALL_X, y=SMALL_Y, w_in=np.array([0.5, -0.5]), b_in=1.0,
           alpha=0.1, num_iters=1)
    c.case(note="zero iterations", X=SMALL_X, y=SMALL_Y, w_in=np.array([0.3, 0.2]), b_in=-0.2,
           alpha=0.1, num_iters=0)
    X, y = _random_case(4, m=30, n=3)
    c.case(note="random", X=X, y=y, w_in=np.zeros(3), b_in=0.0, alpha=0.03, num_iters=40)
    c.passed()
