"""c3w2-content checks: correct alternatives pass; wrong ones outside the catalogue fail with the
ladder's messages (the catalogue itself is exercised by test_catalogues.py); the data generator."""

from __future__ import annotations

import numpy as np

from autograder.checks import c3w2_content as cc
from autograder.datasets.c3w2_content import load_content_ratings, scale_ratings, unscale_ratings
from tests.checks.helpers import assert_rejects

# --- correct alternatives ------------------------------------------------------------------------


def tf_loop_rows(X, params):  # one example at a time, sqrt of a dot product
    out = []
    for x in X:
        h = x @ params["W1"] + params["b1"]
        h = np.where(h > 0, h, 0.0)
        z = h @ params["W2"] + params["b2"]
        out.append(z / np.sqrt(z @ z))
    return np.array(out)


def tf_unpacked(X, params):  # relu by multiplying with the mask, einsum norm
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    Z1 = np.dot(X, W1) + b1
    A1 = Z1 * (Z1 > 0)
    Z2 = np.dot(A1, W2) + b2
    norms = np.sqrt(np.einsum("ij,ij->i", Z2, Z2))
    return Z2 / norms.reshape(-1, 1)


def tf_clip_epsilon(X, params):  # the tf.linalg.l2_normalize style, with a tiny floor
    A1 = np.clip(X @ params["W1"] + params["b1"], 0, None)
    Z = A1 @ params["W2"] + params["b2"]
    return Z / np.maximum(np.linalg.norm(Z, axis=1, keepdims=True), 1e-12)


def tt_loop(Vu, Vm, y):
    m = len(y)
    J = 0.0
    dVu, dVm = np.zeros_like(Vu), np.zeros_like(Vm)
    for i in range(m):
        err = np.dot(Vu[i], Vm[i]) - y[i]
        J += err**2
        dVu[i] = err * Vm[i] / m
        dVm[i] = err * Vu[i] / m
    return J / (2 * m), dVu, dVm


def tt_einsum_mean(Vu, Vm, y):
    err = np.einsum("ij,ij->i", Vu, Vm) - y
    return 0.5 * np.mean(err**2), (err / len(y))[:, None] * Vm, (err / len(y)).reshape(-1, 1) * Vu


def tt_list_return(Vu, Vm, y):  # a list of the three values is accepted as the tuple
    yhat = (Vu * Vm).sum(axis=1)
    diff = yhat - y
    m = y.shape[0]
    return [float(diff @ diff / (2 * m)), Vm * diff[:, np.newaxis] / m, Vu * diff[:, np.newaxis] / m]


def tk_argsort_stable(user_vec, item_vecs, k, exclude=None):
    scores = item_vecs @ user_vec
    if exclude is not None:
        scores[exclude] = -np.inf
    order = np.argsort(-scores, kind="stable")
    order = order[np.isfinite(scores[order])]
    return order[:k]


def tk_distance(user_vec, item_vecs, k, exclude=None):  # unit vectors: nearest = largest dot product
    d = np.sum((item_vecs - user_vec) ** 2, axis=1)
    banned = set() if exclude is None else set(int(i) for i in exclude)
    cands = [i for i in range(len(item_vecs)) if i not in banned]
    cands.sort(key=lambda i: (round(float(d[i]), 12), i))
    return cands[:k]


def tk_lexsort_loop(user_vec, item_vecs, k, exclude=None):
    scores = np.array([np.dot(v, user_vec) for v in item_vecs])
    idx = np.arange(len(scores))
    order = np.lexsort((idx, -scores))  # by score down, then index up
    if exclude is not None:
        order = np.array([i for i in order if i not in list(exclude)], dtype=int)
    return order[:k].tolist()


CORRECT = {
    "tower_forward": [tf_loop_rows, tf_unpacked, tf_clip_epsilon],
    "two_tower_loss": [tt_loop, tt_einsum_mean, tt_list_return],
    "top_k_items": [tk_argsort_stable, tk_distance, tk_lexsort_loop],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_tower_forward_with_a_tuple_of_params_is_told_the_keys():
    def by_position(X, params):
        W1, b1, W2, b2 = params[0], params[1], params[2], params[3]
        Z = np.maximum(0, X @ W1 + b1) @ W2 + b2
        return Z / np.linalg.norm(Z, axis=1, keepdims=True)

    assert_rejects(cc.check_tower_forward, by_position, "params['W1']")


def test_tower_forward_one_embedding_only_is_a_shape_error():
    def first_row(X, params):
        return cc.ref_tower_forward(X, params)[0]

    assert_rejects(cc.check_tower_forward, first_row, "expected shape")


def test_two_tower_loss_without_gradients_is_a_type_error():
    def cost_only(Vu, Vm, y):
        return cc.ref_two_tower_loss(Vu, Vm, y)[0]

    assert_rejects(cc.check_two_tower_loss, cost_only, "expected a tuple of 3 values")


def test_top_k_items_changing_item_vecs_is_rejected():
    def spoils(user_vec, item_vecs, k, exclude=None):
        if exclude is not None:
            item_vecs[np.asarray(exclude)] = -user_vec  # "push them to the bottom"
        return cc.ref_top_k_items(user_vec, item_vecs, k)

    assert_rejects(cc.check_top_k_items, spoils, "changed its argument item_vecs")


def test_top_k_items_float_indices_are_rejected():
    def floats(user_vec, item_vecs, k, exclude=None):
        return np.array(cc.ref_top_k_items(user_vec, item_vecs, k, exclude), dtype=float)

    assert_rejects(cc.check_top_k_items, floats, "integers")


# --- the data ------------------------------------------------------------------------------------


def test_ratings_are_seeded_and_shaped():
    a, b = load_content_ratings(), load_content_ratings()
    assert np.array_equal(a.train, b.train) and np.array_equal(a.y_test, b.y_test)
    assert a.user_features.shape == (300, 8) and a.movie_features.shape == (400, 9)
    assert set(np.unique(a.y_train)) <= set(np.arange(1, 11) / 2)
    assert np.all(np.bincount(a.train[:, 0], minlength=300) > 0)
    assert np.all(np.bincount(a.train[:, 1], minlength=400) > 0)
    assert a.R.sum() == len(a.train) and np.allclose(a.Y[a.train[:, 1], a.train[:, 0]], a.y_train)
    # popularity bias: the most rated tenth of the movies gets far more than a tenth of the ratings
    counts = np.sort(np.bincount(a.train[:, 1]))[::-1]
    assert counts[:40].sum() > 0.3 * counts.sum()
    assert np.allclose(unscale_ratings(scale_ratings(a.y_train)), a.y_train)
    assert scale_ratings(0.5) == -1 and scale_ratings(5.0) == 1
