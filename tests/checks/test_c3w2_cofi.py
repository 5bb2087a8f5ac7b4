"""c3w2-cofi checks: correct alternatives pass; wrong ones outside the catalogue fail with the
ladder's messages (the catalogue itself is exercised by test_catalogues.py); the check's
finite-difference reference agrees with the analytic one; the ratings data set is well formed."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks import c3w2_cofi
from autograder.datasets.c3w2_cofi import load_ratings
from tests.checks.helpers import assert_rejects

# --- correct alternatives -----------------------------------------------------------------------


def cost_loop(X, W, b, Y, R, lambda_):
    # The original course's loop: over users j, then movies i.
    nm, nu = Y.shape
    J = 0
    for j in range(nu):
        w = W[j, :]
        b_j = b[0, j]
        for i in range(nm):
            x = X[i, :]
            y = Y[i, j]
            r = R[i, j]
            J += np.square(r * (np.dot(w, x) + b_j - y))
    J = J / 2
    J += (lambda_ / 2) * (np.sum(np.square(W)) + np.sum(np.square(X)))
    return J


def cost_vectorized(X, W, b, Y, R, lambda_):
    j = (np.matmul(X, np.transpose(W)) + b - Y) * R
    return 0.5 * np.sum(j**2) + (lambda_ / 2) * (np.sum(X**2) + np.sum(W**2))


def cost_rated_entries_only(X, W, b, Y, R, lambda_):
    # Boolean indexing of the rated entries, Frobenius norms for the regularization; a 0-d array.
    rated = R == 1
    err = (X @ W.T + b)[rated] - Y[rated]
    return np.asarray(err @ err / 2 + lambda_ / 2 * (np.linalg.norm(X) ** 2 + np.linalg.norm(W) ** 2))


def cost_einsum(X, W, b, Y, R, lambda_):
    E = R * (np.einsum("if,jf->ij", X, W) + b - Y)
    return float(np.einsum("ij,ij->", E, E) / 2 + lambda_ * (np.vdot(X, X) + np.vdot(W, W)) / 2)


def gradients_loop(X, W, b, Y, R, lambda_):
    # One movie at a time (for dX), one user at a time (for dW and db), as in the lectures.
    nm, nu = Y.shape
    dX, dW, db = np.zeros_like(X, dtype=float), np.zeros_like(W, dtype=float), np.zeros((1, nu))
    for i in range(nm):
        for j in range(nu):
            if R[i, j] == 1:
                err = X[i] @ W[j] + b[0, j] - Y[i, j]
                dX[i] += err * W[j]
                dW[j] += err * X[i]
                db[0, j] += err
    return dX + lambda_ * X, dW + lambda_ * W, db


def gradients_vectorized(X, W, b, Y, R, lambda_):
    E = (X @ W.T + b - Y) * R
    return E @ W + lambda_ * X, E.T @ X + lambda_ * W, E.sum(axis=0).reshape(1, -1)


def gradients_list_return(X, W, b, Y, R, lambda_):  # a list instead of a tuple is fine to unpack
    E = np.where(R == 1, X @ W.T + b - Y, 0.0)
    return [np.dot(E, W) + lambda_ * X, np.dot(E.T, X) + lambda_ * W, np.ones((1, Y.shape[0])) @ E]


def cost_mask_after_square(X, W, b, Y, R, lambda_):  # R * (...)**2: R is 0/1, so the same
    return 0.5 * np.sum(R * np.square(X @ W.T + b - Y)) + lambda_ / 2 * (np.sum(np.square(W)) + np.sum(np.square(X)))


def cost_mask_predictions_only(X, W, b, Y, R, lambda_):  # (pred * R - Y): right as Y is 0 where R is 0
    return 0.5 * np.sum(((X @ W.T + b) * R - Y) ** 2) + lambda_ / 2 * (np.sum(W**2) + np.sum(X**2))

CORRECT = {
    "cofi_cost_func": [cost_loop, cost_vectorized, cost_rated_entries_only, cost_einsum, cost_mask_after_square, cost_mask_predictions_only],
    "cofi_gradients": [gradients_loop, gradients_vectorized, gradients_list_return],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_cost_returning_the_matrix_asks_for_a_scalar():
    def matrix(X, W, b, Y, R, lambda_):
        return 0.5 * ((X @ W.T + b - Y) * R) ** 2

    assert_rejects(c3w2_cofi.check_cofi_cost_func, matrix, "expected a single number", "Return a scalar")


def test_cost_missing_return_is_pointed_out():
    def no_return(X, W, b, Y, R, lambda_):
        c3w2_cofi.ref_cofi_cost_func(X, W, b, Y, R, lambda_)

    assert_rejects(c3w2_cofi.check_cofi_cost_func, no_return, "got None", "forget a `return`")


def test_gradients_returning_two_values_say_how_many():
    def two(X, W, b, Y, R, lambda_):
        dX, dW, _ = c3w2_cofi.ref_cofi_gradients(X, W, b, Y, R, lambda_)
        return dX, dW

    assert_rejects(c3w2_cofi.check_cofi_gradients, two, "got 2 values, expected 3")


def test_transposed_errors_are_wrong_values_in_the_square_case():
    def transposed(X, W, b, Y, R, lambda_):
        E = (W @ X.T + b - Y) * R  # fails to broadcast when num_movies != num_users
        return E @ W, E.T @ X, E.sum(axis=0, keepdims=True)

    # The first case is square, so the transposed errors give wrong numbers, not an exception.
    assert_rejects(c3w2_cofi.check_cofi_gradients, transposed, "[4 movies, 4 users, 4 features]: dX: got")


def test_dX_with_the_wrong_shape_is_a_shape_error():
    def dX_flat(X, W, b, Y, R, lambda_):
        dX, dW, db = c3w2_cofi.ref_cofi_gradients(X, W, b, Y, R, lambda_)
        return dX.ravel(), dW, db

    assert_rejects(c3w2_cofi.check_cofi_gradients, dX_flat, "dX: got an array of shape (16,)",
                   "expected shape (4, 4)")


def test_dividing_by_a_users_zero_count_is_explained():
    def nan_for_unrated_users(X, W, b, Y, R, lambda_):
        dX, dW, db = c3w2_cofi.ref_cofi_gradients(X, W, b, Y, R, lambda_)
        counts = R.sum(axis=0)
        with np.errstate(all="ignore"):
            return dX, dW, db * counts / counts

    assert_rejects(c3w2_cofi.check_cofi_gradients, nan_for_unrated_users, "db: got", "nan or inf")


# --- the check's own references -------------------------------------------------------------------


def test_hand_case_is_what_its_docstring_says():
    assert c3w2_cofi.ref_cofi_cost_func(**c3w2_cofi.hand_case()) == pytest.approx(6.75)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_analytic_gradients_match_finite_differences(seed):
    case = c3w2_cofi.random_case(seed, 6, 4, 3, lambda_=1.3)
    for analytic, numeric in zip(c3w2_cofi.ref_cofi_gradients(**case), c3w2_cofi.numerical_gradients(**case)):
        np.testing.assert_allclose(analytic, numeric, rtol=1e-6, atol=1e-7)


# --- the data set ----------------------------------------------------------------------------------


def test_ratings_are_deterministic_and_well_formed():
    d1, d2 = load_ratings(), load_ratings()
    np.testing.assert_array_equal(d1.Y, d2.Y)
    np.testing.assert_array_equal(d1.R_test, d2.R_test)
    assert d1.Y.shape == d1.R.shape == d1.Y_test.shape == d1.R_test.shape == (300, 200)
    assert np.all(d1.Y[d1.R == 0] == 0) and np.all(d1.Y_test[d1.R_test == 0] == 0)
    assert not np.any((d1.R == 1) & (d1.R_test == 1)), "a held-out rating is also in training"
    ratings = np.concatenate([d1.Y[d1.R == 1], d1.Y_test[d1.R_test == 1]])
    assert set(np.unique(ratings)) <= set(np.arange(1, 11) / 2)
    assert d1.R.sum(axis=1).min() >= 3
    assert len(set(d1.titles)) == len(d1.titles)
    assert d1.genres.sum(axis=1).min() >= 1 and d1.genre_label(0)


def test_collaborative_filtering_beats_the_movie_mean_on_held_out_ratings():
    """The structure the exercise promises is there: a few hundred Adam steps with the reference
    gradients bring the held-out error well below predicting each movie's mean."""
    d = load_ratings()
    mean = (d.Y * d.R).sum(axis=1, keepdims=True) / d.R.sum(axis=1, keepdims=True)
    Ynorm = (d.Y - mean) * d.R
    rng = np.random.default_rng(1)
    params = [rng.normal(0, 0.1, (300, 10)), rng.normal(0, 0.1, (200, 10)), np.zeros((1, 200))]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    for t in range(1, 201):
        grads = c3w2_cofi.ref_cofi_gradients(*params, Ynorm, d.R, 2.0)
        for p, g, mi, vi in zip(params, grads, m, v):
            mi[:] = 0.9 * mi + 0.1 * g
            vi[:] = 0.999 * vi + 0.001 * g**2
            p -= 0.05 * (mi / (1 - 0.9**t)) / (np.sqrt(vi / (1 - 0.999**t)) + 1e-8)

    def rmse(P):
        return np.sqrt(np.sum((P - d.Y_test) ** 2 * d.R_test) / d.R_test.sum())

    X, W, b = params
    assert rmse(X @ W.T + b + mean) < 0.8 * rmse(np.broadcast_to(mean, d.Y.shape))
