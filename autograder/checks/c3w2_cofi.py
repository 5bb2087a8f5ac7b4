"""Checks for module c3w2-cofi: the collaborative filtering cost and its gradients.

Shapes follow the original course: X (num_movies, num_features) holds the movie features, W
(num_users, num_features) and b (1, num_users) the users' parameters, Y and R (num_movies,
num_users) the ratings and the mask (R[i, j] = 1 where user j rated movie i; Y is 0 elsewhere).

Each `check_<function>` runs the learner's function on a hand-computable case, edge cases (no
regularization, a user without ratings, every entry rated) and seeded random cases, compares with
the reference below, and names the mistake when the result matches one in the catalogue
`MISTAKES`. The first case is square (as many movies as users as features), so that a
transposed or untransposed product gives wrong numbers (which the catalogue can name) rather than
a shape error.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, check, mistake

# ---------------------------------------------------------------------------------------------
# Reference implementations (vectorized).


def _errors(X, W, b, Y, R):
    """The prediction errors on the rated entries, 0 elsewhere: shape (num_movies, num_users)."""
    return (X @ W.T + b - Y) * R


def ref_cofi_cost_func(X, W, b, Y, R, lambda_):
    E = _errors(X, W, b, Y, R)
    return float(0.5 * np.sum(E**2) + lambda_ / 2 * (np.sum(W**2) + np.sum(X**2)))


def ref_cofi_gradients(X, W, b, Y, R, lambda_):
    E = _errors(X, W, b, Y, R)
    dX = E @ W + lambda_ * X
    dW = E.T @ X + lambda_ * W
    db = np.sum(E, axis=0, keepdims=True)
    return dX, dW, db


def numerical_gradients(X, W, b, Y, R, lambda_, eps=1e-5):
    """Central finite differences of the reference cost: slow, but needs no calculus."""
    X, W, b = (np.array(a, dtype=float) for a in (X, W, b))
    grads = []
    for P in (X, W, b):
        G = np.zeros_like(P)
        for idx in np.ndindex(P.shape):
            old = P[idx]
            P[idx] = old + eps
            up = ref_cofi_cost_func(X, W, b, Y, R, lambda_)
            P[idx] = old - eps
            down = ref_cofi_cost_func(X, W, b, Y, R, lambda_)
            P[idx] = old
            G[idx] = (up - down) / (2 * eps)
        grads.append(G)
    return tuple(grads)


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes, each a wrong implementation and the words that name it.


def _reg(X, W, lambda_):
    return lambda_ / 2 * (np.sum(W**2) + np.sum(X**2))


@mistake("the sum runs over every entry, rated or not: multiply the errors by R (or skip the "
         "entries where R[i, j] == 0) so only the ratings that exist count.")
def _cost_ignores_R(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum((X @ W.T + b - Y) ** 2) + _reg(X, W, lambda_))


@mistake("the 1/2 in front of the sum of squared errors is missing: J = 1/2 * sum(R * (X W^T + b - Y)**2) "
         "+ regularization.")
def _cost_no_half(X, W, b, Y, R, lambda_):
    return float(np.sum(_errors(X, W, b, Y, R) ** 2) + _reg(X, W, lambda_))


@mistake("b is regularized: the bias terms b are not part of the regularization, which is "
         "lambda_/2 * (sum(W**2) + sum(X**2)).")
def _cost_regularizes_b(X, W, b, Y, R, lambda_):
    return ref_cofi_cost_func(X, W, b, Y, R, lambda_) + float(lambda_ / 2 * np.sum(b**2))


@mistake("the regularization uses lambda_ instead of lambda_/2: it is lambda_/2 * (sum(W**2) + sum(X**2)).")
def _cost_full_lambda(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(_errors(X, W, b, Y, R) ** 2) + 2 * _reg(X, W, lambda_))


@mistake("the regularization of X is missing: both the users' W and the movies' X are learned, "
         "so both are regularized: lambda_/2 * (sum(W**2) + sum(X**2)).")
def _cost_no_X_reg(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(_errors(X, W, b, Y, R) ** 2) + lambda_ / 2 * np.sum(W**2))


@mistake("the regularization of W is missing: it is lambda_/2 * (sum(W**2) + sum(X**2)).")
def _cost_no_W_reg(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(_errors(X, W, b, Y, R) ** 2) + lambda_ / 2 * np.sum(X**2))


@mistake("the predictions are transposed: movie i's rating by user j is X[i] . W[j] + b[0, j], so "
         "the matrix of predictions is X @ W.T + b, of shape (num_movies, num_users) like Y, not W @ X.T.")
def _cost_transposed(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(((W @ X.T + b - Y) * R) ** 2) + _reg(X, W, lambda_))


@mistake("W is not transposed: the predictions are X @ W.T + b (row i of X times row j of W), "
         "not X @ W.")
def _cost_W_not_transposed(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(((X @ W + b - Y) * R) ** 2) + _reg(X, W, lambda_))


@mistake("b is added along the wrong axis: b[0, j] belongs to user j (a column of Y), so add b "
         "of shape (1, num_users) as it is, not b.T.")
def _cost_b_column(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(((X @ W.T + b.T - Y) * R) ** 2) + _reg(X, W, lambda_))


@mistake("b is not added: the prediction for movie i and user j is X[i] . W[j] + b[0, j], so the "
         "errors are X @ W.T + b - Y (on the rated entries).")
def _cost_no_b(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(((X @ W.T - Y) * R) ** 2) + _reg(X, W, lambda_))


@mistake("the squared errors were averaged over the ratings: this cost is a plain sum, "
         "1/2 * sum(...), with no division by the number of ratings.")
def _cost_mean(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(_errors(X, W, b, Y, R) ** 2) / np.sum(R) + _reg(X, W, lambda_))


@mistake("the regularization sums W and X without squaring them: it is lambda_/2 * (sum(W**2) + sum(X**2)).")
def _cost_reg_not_squared(X, W, b, Y, R, lambda_):
    return float(0.5 * np.sum(_errors(X, W, b, Y, R) ** 2) + lambda_ / 2 * (np.sum(W) + np.sum(X)))


def _grads(X, W, b, Y, R, lambda_, E=None):
    E = _errors(X, W, b, Y, R) if E is None else E
    return E @ W + lambda_ * X, E.T @ X + lambda_ * W, np.sum(E, axis=0, keepdims=True)


@mistake("the errors are not masked by R: only rated entries have an error, E = (X @ W.T + b - Y) * R.")
def _grad_no_mask(X, W, b, Y, R, lambda_):
    return _grads(X, W, b, Y, R, lambda_, E=X @ W.T + b - Y)


@mistake("the regularization terms are missing: dX = E @ W + lambda_ * X and dW = E.T @ X + lambda_ * W.")
def _grad_no_lambda(X, W, b, Y, R, lambda_):
    return _grads(X, W, b, Y, R, 0.0)


@mistake("the regularization term is missing from dX: dX = E @ W + lambda_ * X.")
def _grad_no_lambda_dX(X, W, b, Y, R, lambda_):
    dX, dW, db = _grads(X, W, b, Y, R, lambda_)
    return dX - lambda_ * X, dW, db


@mistake("the regularization term is halved: the derivative of lambda_/2 * sum(W**2) is lambda_ * W "
         "(the 2 of the square cancels the 1/2).")
def _grad_half_lambda(X, W, b, Y, R, lambda_):
    dX, dW, db = _grads(X, W, b, Y, R, lambda_)
    return dX - lambda_ / 2 * X, dW - lambda_ / 2 * W, db


@mistake("the error terms are doubled: the 1/2 of the cost cancels the 2 that the derivative of the "
         "square brings down, so dX = E @ W + lambda_ * X, not 2 * E @ W + ...")
def _grad_double(X, W, b, Y, R, lambda_):
    E = 2 * _errors(X, W, b, Y, R)
    return E @ W + lambda_ * X, E.T @ X + lambda_ * W, np.sum(E, axis=0, keepdims=True)


@mistake("dX and dW are swapped: return (dX, dW, db), where dX has the shape of X (num_movies, "
         "num_features) and dW the shape of W (num_users, num_features).")
def _grad_swapped(X, W, b, Y, R, lambda_):
    dX, dW, db = _grads(X, W, b, Y, R, lambda_)
    return dW, dX, db


@mistake("the return order is wrong: return (dX, dW, db), in the order of the arguments X, W, b "
         "(not the gradient of b first).")
def _grad_db_first(X, W, b, Y, R, lambda_):
    dX, dW, db = _grads(X, W, b, Y, R, lambda_)
    return db, dX, dW


@mistake("db sums over the wrong axis: db[0, j] adds user j's errors over all the movies, "
         "np.sum(E, axis=0, keepdims=True), shape (1, num_users) like b.")
def _grad_db_wrong_axis(X, W, b, Y, R, lambda_):
    dX, dW, _ = _grads(X, W, b, Y, R, lambda_)
    return dX, dW, np.sum(_errors(X, W, b, Y, R), axis=1, keepdims=True)


@mistake("db is not summed over the movies: it is the whole error matrix; db[0, j] is the sum of "
         "column j of E, np.sum(E, axis=0, keepdims=True).")
def _grad_db_not_summed(X, W, b, Y, R, lambda_):
    dX, dW, _ = _grads(X, W, b, Y, R, lambda_)
    return dX, dW, _errors(X, W, b, Y, R)


@mistake("db lost its row dimension: it must have b's shape (1, num_users); use "
         "np.sum(E, axis=0, keepdims=True) or reshape it to (1, -1).")
def _grad_db_flat(X, W, b, Y, R, lambda_):
    dX, dW, db = _grads(X, W, b, Y, R, lambda_)
    return dX, dW, db.ravel()


@mistake("b is regularized: db has no lambda_ term (b is not in the regularization).")
def _grad_regularizes_b(X, W, b, Y, R, lambda_):
    dX, dW, db = _grads(X, W, b, Y, R, lambda_)
    return dX, dW, db + lambda_ * b


@mistake("b is not added in the errors: E = (X @ W.T + b - Y) * R.")
def _grad_no_b(X, W, b, Y, R, lambda_):
    return _grads(X, W, b, Y, R, lambda_, E=(X @ W.T - Y) * R)


@mistake("the sign of the error is flipped: E = (X @ W.T + b - Y) * R, prediction minus rating.")
def _grad_flipped(X, W, b, Y, R, lambda_):
    return _grads(X, W, b, Y, R, lambda_, E=-_errors(X, W, b, Y, R))


@mistake("W is not transposed in the predictions: the errors are E = (X @ W.T + b - Y) * R, not "
         "(X @ W + b - Y) * R.")
def _grad_W_not_transposed(X, W, b, Y, R, lambda_):
    return _grads(X, W, b, Y, R, lambda_, E=(X @ W + b - Y) * R)


@mistake("E is not transposed in dW: user j's gradient sums over the movies j rated, "
         "dW = E.T @ X + lambda_ * W (shape (num_users, num_features)).")
def _grad_dW_untransposed(X, W, b, Y, R, lambda_):
    E = _errors(X, W, b, Y, R)
    dX, _, db = _grads(X, W, b, Y, R, lambda_)
    return dX, E @ X + lambda_ * W, db


MISTAKES = {
    "cofi_cost_func": [_cost_ignores_R, _cost_no_half, _cost_regularizes_b, _cost_full_lambda,
                       _cost_no_X_reg, _cost_no_W_reg, _cost_transposed, _cost_W_not_transposed,
                       _cost_b_column, _cost_no_b, _cost_mean, _cost_reg_not_squared],
    "cofi_gradients": [_grad_no_mask, _grad_no_lambda, _grad_no_lambda_dX, _grad_half_lambda,
                       _grad_double, _grad_swapped, _grad_db_first, _grad_db_wrong_axis,
                       _grad_db_not_summed, _grad_db_flat, _grad_regularizes_b, _grad_no_b, _grad_flipped,
                       _grad_W_not_transposed, _grad_dW_untransposed],
}


# ---------------------------------------------------------------------------------------------
# Cases.


def hand_case():
    """Two movies, two users, one feature: small enough to compute on paper.

    Predictions X @ W.T + b = [[1, 1], [2, 1.5]]; user 1 did not rate movie 0, so the errors
    are [[0, -], [-1, -2.5]]: 1/2 * (0 + 1 + 6.25) = 3.625, plus the regularization
    1/2 * ((1 + 0.25) + (1 + 4)) = 3.125: J = 6.75.
    """
    return dict(X=np.array([[1.0], [2.0]]), W=np.array([[1.0], [0.5]]), b=np.array([[0.0, 0.5]]),
                Y=np.array([[1.0, 0.0], [3.0, 4.0]]), R=np.array([[1.0, 0.0], [1.0, 1.0]]),
                lambda_=1.0)


def random_case(seed: int, num_movies: int, num_users: int, num_features: int, lambda_: float,
                density: float = 0.6):
    rng = np.random.default_rng(seed)
    R = (rng.random((num_movies, num_users)) < density).astype(float)
    Y = np.round(rng.uniform(0.5, 5.0, size=(num_movies, num_users)) * 2) / 2 * R
    return dict(X=rng.normal(0, 1, (num_movies, num_features)),
                W=rng.normal(0, 1, (num_users, num_features)),
                b=rng.normal(0, 1, (1, num_users)), Y=Y, R=R, lambda_=lambda_)


def _with_user_without_ratings(case):
    case = {k: (v.copy() if isinstance(v, np.ndarray) else v) for k, v in case.items()}
    case["R"][:, -1] = 0.0
    case["Y"][:, -1] = 0.0
    return case


def _all_rated(case):
    case = dict(case)
    rng = np.random.default_rng(7)
    case["R"] = np.ones_like(case["R"])
    case["Y"] = np.round(rng.uniform(0.5, 5.0, size=case["R"].shape) * 2) / 2
    return case


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


# ---------------------------------------------------------------------------------------------
# What the checks of this module switch on: the arguments must not change (the caller's data stays
# as it was; the exercise says so), a raised exception shows the case's inputs whole, and the
# inputs that are a batch of examples (or one example) are said to be so on a shape error.

ARGUMENTS_KEPT = {"cofi_cost_func", "cofi_gradients"}


@check
def check_cofi_cost_func(cofi_cost_func):
    c = Check("cofi_cost_func", cofi_cost_func, ref_cofi_cost_func, MISTAKES["cofi_cost_func"],
              mutation="fail", detail_raised=True, probe=("b", "lambda_"), ratios=True)
    c.case(note="4 movies, 4 users, 4 features", **random_case(0, 4, 4, 4, lambda_=1.5))
    c.case(note="by hand: J = 6.75", **hand_case())
    c.case(note="no regularization", **random_case(1, 5, 3, 2, lambda_=0.0))
    c.case(note="a user without ratings", **_with_user_without_ratings(random_case(2, 6, 4, 3, lambda_=1.0)))
    c.case(note="every entry rated", **_all_rated(random_case(3, 3, 5, 2, lambda_=0.5)))
    c.case(note="random", **random_case(4, 12, 8, 4, lambda_=2.0, density=0.3))
    c.passed()


@check
def check_cofi_gradients(cofi_gradients):
    names = ("dX", "dW", "db")
    c = Check("cofi_gradients", cofi_gradients, ref_cofi_gradients, MISTAKES["cofi_gradients"],
              returns=names, mutation="fail", detail_raised=True, probe=("lambda_",))
    c.case(note="4 movies, 4 users, 4 features", **random_case(10, 4, 4, 4, lambda_=1.5))
    c.case(note="by hand", **hand_case())
    c.case(note="no regularization", **random_case(11, 5, 3, 2, lambda_=0.0))
    c.case(note="a user without ratings", **_with_user_without_ratings(random_case(12, 6, 4, 3, lambda_=1.0)))
    c.case(note="every entry rated", **_all_rated(random_case(13, 3, 5, 2, lambda_=0.5)))
    c.case(note="random", **random_case(14, 12, 8, 4, lambda_=2.0, density=0.3))
    # The same kind of case once more, but the expected values now come from finite differences
    # of the cost, (J(p + eps) - J(p - eps)) / (2 eps) for every parameter p: no calculus needed.
    fd = Check("cofi_gradients", cofi_gradients, numerical_gradients, MISTAKES["cofi_gradients"],
               returns=names, rtol=1e-5, atol=1e-6, mutation="fail", detail_raised=True)
    fd.case(note="against finite differences of the cost", **random_case(15, 7, 5, 3, lambda_=1.0))
    c.cases += fd.cases
    c.passed()
