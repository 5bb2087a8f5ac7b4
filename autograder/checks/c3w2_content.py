"""Checks for module c3w2-content: content-based filtering with a two-tower network.

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.

The contract the exercise states:

- `tower_forward(X, params)`: one hidden ReLU layer, then a linear layer, then every row scaled to
  length 1 (L2 norm): V = normalize(relu(X @ W1 + b1) @ W2 + b2). `params` is a dict with "W1"
  (n, h), "b1" (h,), "W2" (h, d), "b2" (d,). No case makes a row of zeros before the scaling.
- `two_tower_loss(Vu, Vm, y)`: the predictions are the row-wise dot products yhat_i = Vu_i . Vm_i,
  the cost J = 1/(2m) sum_i (yhat_i - y_i)^2, and its gradients with respect to the embeddings,
  dVu = (yhat - y)[:, None] * Vm / m and dVm = (yhat - y)[:, None] * Vu / m; returned (J, dVu, dVm).
- `top_k_items(user_vec, item_vecs, k, exclude=None)`: the indices of the k items with the largest
  dot product with user_vec, best first, ties to the lower index, never an index in `exclude`
  (fewer than k if too few are left); a list or a 1-D numpy array of integers.

No function may change its arguments (the exercise says so).
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Hint, check, mistake

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_tower_forward(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    Z = A1 @ params["W2"] + params["b2"]
    return Z / np.linalg.norm(Z, axis=1, keepdims=True)


def ref_two_tower_loss(Vu, Vm, y):
    m = y.shape[0]
    err = np.sum(Vu * Vm, axis=1) - y
    J = np.sum(err**2) / (2 * m)
    dVu = err[:, None] * Vm / m
    dVm = err[:, None] * Vu / m
    return J, dVu, dVm


def ref_top_k_items(user_vec, item_vecs, k, exclude=None):
    scores = item_vecs @ user_vec
    allowed = np.ones(scores.shape[0], dtype=bool)
    if exclude is not None:
        allowed[np.asarray(exclude, dtype=int)] = False
    order = np.argsort(-scores, kind="stable")
    return [int(i) for i in order if allowed[i]][:k]


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes.

# -- tower_forward --


def _unit_rows(Z):
    return Z / np.linalg.norm(Z, axis=1, keepdims=True)


@mistake("the ReLU is missing: the hidden layer is a = max(0, X @ W1 + b1), so negative "
         "pre-activations become 0 before the second layer.")
def _tf_no_relu(X, params):
    return _unit_rows((X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"])


@mistake("a ReLU was applied to the output layer too; the second layer is linear (its outputs may be "
         "negative), and only then is each row scaled to length 1.")
def _tf_relu_output(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    return _unit_rows(np.maximum(0, A1 @ params["W2"] + params["b2"]))


@mistake("the output is not normalised: divide each row by its length (L2 norm), so that every "
         "embedding has length 1.")
def _tf_no_norm(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    return A1 @ params["W2"] + params["b2"]


@mistake("the normalisation runs down the columns (axis=0); each ROW is one example's embedding, "
         "so take the norm along axis=1 (keepdims=True).")
def _tf_norm_axis0(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    Z = A1 @ params["W2"] + params["b2"]
    return Z / np.linalg.norm(Z, axis=0, keepdims=True)


@mistake("the whole matrix was divided by one norm (np.linalg.norm(Z) without axis); each row is "
         "scaled by its own length, np.linalg.norm(Z, axis=1, keepdims=True).")
def _tf_norm_whole(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    Z = A1 @ params["W2"] + params["b2"]
    return Z / np.linalg.norm(Z)


@mistake("each row was divided by its squared length (the sum of squares); the L2 norm is the square "
         "root of that sum.")
def _tf_norm_squared(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    Z = A1 @ params["W2"] + params["b2"]
    return Z / np.sum(Z**2, axis=1, keepdims=True)


@mistake("each row was divided by the sum of its absolute values (the L1 norm); the L2 norm is "
         "sqrt(sum of squares).")
def _tf_norm_l1(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    Z = A1 @ params["W2"] + params["b2"]
    return Z / np.sum(np.abs(Z), axis=1, keepdims=True)


@mistake("the hidden layer uses a sigmoid; this tower's hidden layer is a ReLU, max(0, z).")
def _tf_sigmoid(X, params):
    A1 = 1 / (1 + np.exp(-(X @ params["W1"] + params["b1"])))
    return _unit_rows(A1 @ params["W2"] + params["b2"])


@mistake("a bias is missing: the hidden layer adds b1 and the output layer adds b2.")
def _tf_no_bias(X, params):
    A1 = np.maximum(0, X @ params["W1"])
    return _unit_rows(A1 @ params["W2"] + params["b2"])


@mistake("the output bias b2 is missing: the second layer is A1 @ W2 + b2.")
def _tf_no_b2(X, params):
    A1 = np.maximum(0, X @ params["W1"] + params["b1"])
    return _unit_rows(A1 @ params["W2"])


@mistake("the hidden layer was normalised instead of the output: scale the final embeddings "
         "(after W2 and b2) to length 1.")
def _tf_norm_hidden(X, params):
    A1 = _unit_rows(np.maximum(0, X @ params["W1"] + params["b1"]))
    return A1 @ params["W2"] + params["b2"]


# -- two_tower_loss --


def _err(Vu, Vm, y):
    return np.sum(Vu * Vm, axis=1) - y


@mistake("the 1/2 is missing from the cost: J = 1/(2m) sum (yhat - y)^2, whose gradient has no "
         "factor 2.")
def _tt_no_half(Vu, Vm, y):
    m, e = y.shape[0], _err(Vu, Vm, y)
    return np.sum(e**2) / m, 2 * e[:, None] * Vm / m, 2 * e[:, None] * Vu / m


@mistake("the 1/m is missing: the cost and its gradients are averages over the m ratings.")
def _tt_no_m(Vu, Vm, y):
    e = _err(Vu, Vm, y)
    return np.sum(e**2) / 2, e[:, None] * Vm, e[:, None] * Vu


@mistake("the gradients have no 1/m while the cost has it; the cost is an average, so each "
         "gradient is divided by m too.")
def _tt_grads_no_m(Vu, Vm, y):
    m, e = y.shape[0], _err(Vu, Vm, y)
    return np.sum(e**2) / (2 * m), e[:, None] * Vm, e[:, None] * Vu


@mistake("the gradients have the wrong sign: with err = yhat - y, dJ/dVu = err * Vm / m (use "
         "yhat - y, not y - yhat).")
def _tt_sign(Vu, Vm, y):
    m, e = y.shape[0], _err(Vu, Vm, y)
    return np.sum(e**2) / (2 * m), -e[:, None] * Vm / m, -e[:, None] * Vu / m


@mistake("each tower's gradient uses its own embedding; the derivative of Vu_i . Vm_i with respect "
         "to Vu_i is the OTHER tower's Vm_i (and the other way round).")
def _tt_own_vectors(Vu, Vm, y):
    m, e = y.shape[0], _err(Vu, Vm, y)
    return np.sum(e**2) / (2 * m), e[:, None] * Vu / m, e[:, None] * Vm / m


@mistake("the predictions are a matrix product Vu @ Vm.T (every user with every movie); a "
         "rating pairs user i with movie i: the row-wise dot product np.sum(Vu * Vm, axis=1).")
def _tt_matmul(Vu, Vm, y):
    m = y.shape[0]
    e = Vu @ Vm.T - y
    return np.sum(e**2) / (2 * m), e @ Vm / m, e.T @ Vu / m


@mistake("the errors are not squared in the cost: J = 1/(2m) sum (yhat - y)^2.")
def _tt_not_squared(Vu, Vm, y):
    m, e = y.shape[0], _err(Vu, Vm, y)
    return np.sum(e) / (2 * m), e[:, None] * Vm / m, e[:, None] * Vu / m


@mistake("the gradients are returned in the other order; return (J, dVu, dVm): the user tower's "
         "gradient first.")
def _tt_swapped(Vu, Vm, y):
    J, dVu, dVm = ref_two_tower_loss(Vu, Vm, y)
    return J, dVm, dVu


@mistake("the error was not multiplied in: the gradient of 1/(2m) (yhat_i - y_i)^2 is "
         "(yhat_i - y_i) times the other embedding, over m, not the embedding alone.")
def _tt_no_error_factor(Vu, Vm, y):
    m, e = y.shape[0], _err(Vu, Vm, y)
    return np.sum(e**2) / (2 * m), Vm / m, Vu / m


# -- top_k_items --


def _order(scores, exclude, k):
    allowed = np.ones(scores.shape[0], dtype=bool)
    if exclude is not None:
        allowed[np.asarray(exclude, dtype=int)] = False
    return [int(i) for i in np.argsort(-scores, kind="stable") if allowed[i]][:k]


@mistake("the items come out worst first: sort by the score from the largest down (np.argsort of "
         "-scores, or reverse it), best first.")
def _tk_ascending(user_vec, item_vecs, k, exclude=None):
    return _order(-(item_vecs @ user_vec), exclude, k)


@mistake("`exclude` is ignored: items the user already rated (the indices in exclude) must never "
         "be recommended.")
def _tk_ignores_exclude(user_vec, item_vecs, k, exclude=None):
    return _order(item_vecs @ user_vec, None, k)


@mistake("the excluded items were removed after taking the top k, so fewer than k items came back; "
         "remove them first, then take the k best of the rest.")
def _tk_exclude_after(user_vec, item_vecs, k, exclude=None):
    top = _order(item_vecs @ user_vec, None, k)
    skip = set() if exclude is None else {int(i) for i in exclude}
    return [i for i in top if i not in skip]


@mistake("the excluded items were given the score 0, which still beats every item with a negative "
         "score; give them -np.inf (or drop them).")
def _tk_exclude_zero(user_vec, item_vecs, k, exclude=None):
    scores = item_vecs @ user_vec
    if exclude is not None:
        scores[np.asarray(exclude, dtype=int)] = 0.0
    return _order(scores, None, k)


@mistake("ties are broken towards the higher index (np.argsort(scores)[::-1] reverses ties too); "
         "among equal scores the lower index comes first: np.argsort(-scores, kind='stable').")
def _tk_ties_high(user_vec, item_vecs, k, exclude=None):
    scores = item_vecs @ user_vec
    skip = set() if exclude is None else {int(i) for i in exclude}
    order = np.argsort(scores, kind="stable")[::-1]
    return [int(i) for i in order if int(i) not in skip][:k]


@mistake("one item too many: take the first k of the sorted indices, order[:k] (not order[:k + 1]).")
def _tk_k_plus_one(user_vec, item_vecs, k, exclude=None):
    return _order(item_vecs @ user_vec, exclude, k + 1)


@mistake("one item too few: order[:k] holds k items (not order[:k - 1]).")
def _tk_k_minus_one(user_vec, item_vecs, k, exclude=None):
    return _order(item_vecs @ user_vec, exclude, k - 1)


@mistake("the scores were returned, not the items' indices; return where the best items are "
         "(np.argsort gives indices), best first.")
def _tk_scores(user_vec, item_vecs, k, exclude=None):
    scores = item_vecs @ user_vec
    return [float(scores[i]) for i in _order(scores, exclude, k)]


@mistake("the items were ranked by the size of the score, |u . v|; a large negative dot product "
         "means a poor match: rank by the score itself, the largest first.")
def _tk_abs(user_vec, item_vecs, k, exclude=None):
    return _order(np.abs(item_vecs @ user_vec), exclude, k)


@mistake("the items are in index order, not best first: after choosing the k best, keep them in the "
         "order of their scores (the best first), not sorted by index.")
def _tk_index_order(user_vec, item_vecs, k, exclude=None):
    return sorted(_order(item_vecs @ user_vec, exclude, k))


MISTAKES = {
    "tower_forward": [_tf_no_relu, _tf_relu_output, _tf_no_norm, _tf_norm_axis0, _tf_norm_whole,
                      _tf_norm_squared, _tf_norm_l1, _tf_sigmoid, _tf_no_bias, _tf_no_b2, _tf_norm_hidden],
    "two_tower_loss": [_tt_no_half, _tt_no_m, _tt_grads_no_m, _tt_sign, _tt_own_vectors, _tt_matmul,
                       _tt_not_squared, _tt_swapped, _tt_no_error_factor],
    "top_k_items": [_tk_ascending, _tk_ignores_exclude, _tk_exclude_after, _tk_exclude_zero, _tk_ties_high,
                    _tk_k_plus_one, _tk_k_minus_one, _tk_scores, _tk_abs, _tk_index_order],
}

# No graded function of this module may change its arguments (the exercise says so).
ARGUMENTS_KEPT = {"tower_forward", "two_tower_loss", "top_k_items"}

_KEYS = Hint("`params` is a dict: take the weights out by name, params['W1'], params['b1'], params['W2'], "
             "params['b2'].", exceptions=("KeyError", "TypeError", "IndexError"))


# ---------------------------------------------------------------------------------------------
# Cases.


def _params(rng, n, h, d, scale=1.0):
    return {"W1": rng.normal(0, scale, size=(n, h)), "b1": rng.normal(0, 0.5, size=h),
            "W2": rng.normal(0, scale, size=(h, d)), "b2": rng.normal(0, 0.5, size=d)}


def _unit(rng, m, d):
    V = rng.normal(size=(m, d))
    return V / np.linalg.norm(V, axis=1, keepdims=True)


@check
def check_tower_forward(tower_forward):
    c = Check("tower_forward", tower_forward, ref_tower_forward, MISTAKES["tower_forward"],
              mutation="fail", detail_raised=True, hints=(_KEYS,), examples={"X": "batch"})
    # By hand: z1 = [1, -1] -> a1 = [1, 0]; z2 = [3, 4] + b2 -> [3, 4] / 5 = [0.6, 0.8]
    hand = {"W1": np.array([[1.0, -1.0], [0.0, 0.0]]), "b1": np.array([0.0, 0.0]),
            "W2": np.array([[3.0, 4.0], [1.0, -2.0]]), "b2": np.array([0.0, 0.0])}
    c.case(note="by hand: the embedding is [0.6, 0.8]", X=np.array([[1.0, 2.0]]), params=hand)
    signed = {"W1": np.array([[1.0, -2.0, 0.5], [0.5, 1.0, -1.0]]), "b1": np.array([0.1, -0.2, 0.3]),
              "W2": np.array([[1.0, -1.0], [-2.0, 0.5], [0.5, 2.0]]), "b2": np.array([-0.5, 0.25])}
    c.case(note="negative pre-activations and outputs", X=np.array([[1.0, 0.5], [-1.0, 2.0], [0.5, -1.5]]),
           params=signed)
    rng = np.random.default_rng(0)
    c.case(note="X all zeros: the embedding comes from the biases", X=np.zeros((2, 4)),
           params=_params(rng, 4, 5, 3))
    c.case(note="large features", X=rng.normal(0, 100, size=(4, 3)), params=_params(rng, 3, 6, 4))
    c.case(note="random batch of 50 users, 8 features, 16 hidden units, 6-d embeddings",
           X=rng.normal(size=(50, 8)), params=_params(rng, 8, 16, 6, scale=0.5))
    c.passed()


@check
def check_two_tower_loss(two_tower_loss):
    c = Check("two_tower_loss", two_tower_loss, ref_two_tower_loss, MISTAKES["two_tower_loss"],
              returns=("J", "dVu", "dVm"), mutation="fail", detail_raised=True,
              examples={"Vu": "batch", "Vm": "batch", "y": "batch"})
    # yhat = [0.6, 0], err = [-0.4, 0.5], J = (0.16 + 0.25) / 4 = 0.1025
    c.case(note="by hand: J = 0.1025", Vu=np.array([[0.6, 0.8], [1.0, 0.0]]),
           Vm=np.array([[1.0, 0.0], [0.0, 1.0]]), y=np.array([1.0, -0.5]))
    c.case(note="one rating", Vu=np.array([[0.0, 1.0, 0.0]]), Vm=np.array([[0.6, 0.0, 0.8]]),
           y=np.array([0.5]))
    rng = np.random.default_rng(1)
    Vu = _unit(rng, 5, 3)
    c.case(note="perfect predictions: J = 0 and no gradient", Vu=Vu, Vm=Vu[::-1].copy(),
           y=np.sum(Vu * Vu[::-1], axis=1))
    c.case(note="three ratings", Vu=_unit(rng, 3, 4), Vm=_unit(rng, 3, 4), y=np.array([1.0, -1.0, 0.0]))
    c.case(note="random batch of 64 ratings, 8-d embeddings", Vu=_unit(rng, 64, 8), Vm=_unit(rng, 64, 8),
           y=rng.uniform(-1, 1, size=64))
    c.passed()


@check
def check_top_k_items(top_k_items):
    c = Check("top_k_items", top_k_items, ref_top_k_items, MISTAKES["top_k_items"], strict_int=True,
              mutation="fail", detail_raised=True)
    items = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.6, 0.8], [0.8, -0.6]])
    u = np.array([0.8, 0.6])  # scores [0.8, 0.6, -0.8, 0.96, 0.28]
    c.case(note="scores [0.8, 0.6, -0.8, 0.96, 0.28]", user_vec=u, item_vecs=items, k=3)
    c.case(note="excluding item 3", user_vec=u, item_vecs=items, k=2, exclude=[3])
    c.case(note="k = 1", user_vec=u, item_vecs=items, k=1)
    # scores [0.6, -0.6, 0.6, -0.96, 0.6, 0.0]: a three-way tie for first
    tied = np.array([[0.6, 0.8], [-0.6, -0.8], [0.6, 0.8], [-0.96, -0.28], [0.6, 0.8], [0.0, -1.0]])
    c.case(note="ties go to the lower index", user_vec=np.array([1.0, 0.0]), item_vecs=tied, k=4)
    c.case(note="most items negative, two excluded", user_vec=np.array([-1.0, 0.0]),
           item_vecs=items, k=4, exclude=np.array([2, 1]))
    c.case(note="k larger than what is left after the exclusions", user_vec=u, item_vecs=items, k=5,
           exclude=[0, 4])
    rng = np.random.default_rng(2)
    V = _unit(rng, 200, 8)
    c.case(note="200 movies, 10 already rated", user_vec=_unit(rng, 1, 8)[0], item_vecs=V, k=10,
           exclude=rng.choice(200, size=10, replace=False))
    c.passed()
