"""c2w2 checks: correct alternatives pass; wrong ones outside the catalogue fail with a useful
message (the catalogue itself is exercised by test_catalogues.py); the reference gradients agree
with finite differences."""

from __future__ import annotations

import contextlib
import copy
import io
import warnings

import numpy as np
import pytest

from autograder.checks import c2w2
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives ---------------------------------------------------------------------


def relu_maximum(z):
    return np.maximum(z, 0)


def relu_where(z):
    return np.where(z > 0, z, 0.0)


def relu_mask(z):  # z * (z > 0) gives -0.0 for negative z: equal to 0
    return z * (z > 0)


def relu_in_place(z):  # modifies its argument: harmless here, the check passes copies
    z[z < 0] = 0
    return z


def softmax_stable(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_branches(z):  # the 1-D and 2-D cases written apart
    if z.ndim == 1:
        e = np.exp(z - np.max(z))
        return e / e.sum()
    e = np.exp(z - z.max(axis=1).reshape(-1, 1))
    return e / e.sum(axis=1).reshape(-1, 1)


def softmax_row_loop(z):  # the original course's loop, made stable and row by row
    z2 = np.atleast_2d(np.asarray(z, dtype=float))
    out = np.zeros_like(z2)
    for i in range(z2.shape[0]):
        e = np.exp(z2[i] - np.max(z2[i]))
        out[i] = e / np.sum(e)
    return out.reshape(np.shape(z))


def softmax_scipy(z):
    from scipy.special import softmax

    return softmax(z, axis=-1)


def softmax_via_logsumexp(z):
    mx = np.max(z, axis=-1, keepdims=True)
    return np.exp(z - mx - np.log(np.sum(np.exp(z - mx), axis=-1, keepdims=True)))


def ce_log_sum_exp(logits, y):
    m = logits.shape[0]
    z = logits - np.max(logits, axis=1, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))
    return -np.mean(log_p[np.arange(m), y])


def ce_one_hot(logits, y):
    m, k = logits.shape
    Y = np.eye(k)[y]
    mx = logits.max(axis=1, keepdims=True)
    lse = mx + np.log(np.exp(logits - mx).sum(axis=1, keepdims=True))
    return np.sum(Y * (lse - logits)) / m


def ce_scipy(logits, y):  # scipy's log-sum-exp (scipy comes with scikit-learn)
    from scipy.special import logsumexp

    return float(np.mean(logsumexp(logits, axis=1) - logits[np.arange(len(y)), y]))


def ce_loop(logits, y):
    m = logits.shape[0]
    total = 0.0
    for i in range(m):
        z = logits[i]
        mx = np.max(z)
        total += mx + np.log(np.sum(np.exp(z - mx))) - z[y[i]]
    return total / m


def grads_vectorized(X, y, params):
    m = X.shape[0]
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    P /= P.sum(axis=1, keepdims=True)
    Y = np.zeros_like(P)
    Y[np.arange(m), y] = 1
    dZ2 = (P - Y) / m
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}


def grads_with_learner_helpers(X, y, params):
    # The notebook's way: call relu and my_softmax (the check supplies reference versions), the
    # ReLU derivative as z >= 0 (equal to z > 0 except at exactly 0), and the mask taken on A1.
    W1, b1, W2, b2 = params["W1"], params["b1"], params["W2"], params["b2"]
    m, k = X.shape[0], W2.shape[1]
    Z1 = np.dot(X, W1) + b1
    A1 = relu(Z1)  # noqa: F821 - swapped in by the check
    P = my_softmax(np.dot(A1, W2) + b2)  # noqa: F821
    dZ2 = P.copy()
    dZ2[np.arange(m), y] -= 1
    dZ2 /= m
    dW2 = np.dot(A1.T, dZ2)
    db2 = np.sum(dZ2, axis=0)
    dA1 = np.dot(dZ2, W2.T)
    dZ1 = dA1 * (Z1 >= 0)
    grads = {}
    grads["W1"] = np.dot(X.T, dZ1)
    grads["b1"] = np.sum(dZ1, axis=0)
    grads["W2"], grads["b2"] = dW2, db2
    return grads


def grads_per_example_loop(X, y, params):  # accumulate one example at a time
    grads = {key: np.zeros_like(value, dtype=float) for key, value in params.items()}
    m = X.shape[0]
    for i in range(m):
        x = X[i]
        z1 = x @ params["W1"] + params["b1"]
        a1 = np.maximum(0, z1)
        z2 = a1 @ params["W2"] + params["b2"]
        p = np.exp(z2 - z2.max())
        p /= p.sum()
        p[y[i]] -= 1
        dz1 = (params["W2"] @ p) * (a1 > 0)
        grads["W2"] += np.outer(a1, p) / m
        grads["b2"] += p / m
        grads["W1"] += np.outer(x, dz1) / m
        grads["b1"] += dz1 / m
    return grads


def grads_with_extra_loss_key(X, y, params):  # extra keys are harmless
    grads = grads_vectorized(X, y, params)
    grads["loss"] = c2w2.mlp_loss(X, y, params)
    return grads


def relu_clip(z):
    return np.clip(z, 0, None)


def relu_abs(z):
    return (np.abs(z) + z) / 2


def grads_mean_late(X, y, params):  # the 1/m applied at the end, with np.mean for the biases
    m = X.shape[0]
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    dZ2 = np.exp(Z2 - Z2.max(axis=1, keepdims=True))
    dZ2 = dZ2 / dZ2.sum(axis=1, keepdims=True) - np.eye(params["W2"].shape[1])[y]
    dZ1 = dZ2 @ params["W2"].T * (A1 > 0)
    return {"W2": A1.T @ dZ2 / m, "b2": np.mean(dZ2, axis=0), "W1": X.T @ dZ1 / m, "b1": dZ1.mean(axis=0)}


def adam_loop(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t = state["t"] + 1
    new, m, v = {}, {}, {}
    for key in params:
        m[key] = beta1 * state["m"][key] + (1 - beta1) * grads[key]
        v[key] = beta2 * state["v"][key] + (1 - beta2) * grads[key] ** 2
        m_hat = m[key] / (1 - beta1 ** t)
        v_hat = v[key] / (1 - beta2 ** t)
        new[key] = params[key] - alpha * m_hat / (np.sqrt(v_hat) + eps)
    return new, {"t": t, "m": m, "v": v}


def adam_in_place(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # changes params and state in place and returns them: the contract allows it
    state["t"] += 1
    t = state["t"]
    for key, g in grads.items():
        state["m"][key] *= beta1
        state["m"][key] += (1 - beta1) * g
        state["v"][key] = beta2 * state["v"][key] + (1 - beta2) * np.square(g)
        params[key] -= alpha * (state["m"][key] / (1 - beta1 ** t)) / (
            np.sqrt(state["v"][key] / (1 - beta2 ** t)) + eps)
    return params, state


def adam_efficient(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    # Kingma and Ba's "efficient" form (scikit-learn's and Keras's): the bias corrections folded
    # into the step size; eps then sits beside sqrt(v), which the check's cases do not tell apart
    t = state["t"] + 1
    m = {k: beta1 * state["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * state["v"][k] + (1 - beta2) * grads[k] * grads[k] for k in params}
    step = alpha * np.sqrt(1 - beta2 ** t) / (1 - beta1 ** t)
    return {k: params[k] - step * m[k] / (np.sqrt(v[k]) + eps) for k in params}, dict(t=t, m=m, v=v)


def adam_with_tuple_return_and_np_power(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    t = int(state["t"]) + 1
    keys = list(params)
    ms = [np.add(np.multiply(beta1, state["m"][k]), np.multiply(1 - beta1, grads[k])) for k in keys]
    vs = [beta2 * state["v"][k] + (1 - beta2) * np.power(grads[k], 2) for k in keys]
    out = [params[k] - alpha * (mk / (1 - np.power(beta1, t))) / (np.sqrt(vk / (1 - np.power(beta2, t))) + eps)
           for k, mk, vk in zip(keys, ms, vs)]
    return dict(zip(keys, out)), {"t": t, "m": dict(zip(keys, ms)), "v": dict(zip(keys, vs))}


def train_slices(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
    # the contract's way, calling the other functions (the check swaps in the kit's versions)
    rng = np.random.default_rng(seed)
    state = adam_init(params)  # noqa: F821
    history = []
    m = X.shape[0]
    for epoch in range(epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            batch = order[start:start + batch_size]
            grads = mlp_gradients(X[batch], y[batch], params)  # noqa: F821
            params, state = adam_update(params, grads, state, alpha)  # noqa: F821
        history.append(softmax_cross_entropy(predict_logits(X, params), y))  # noqa: F821
    return params, history


def train_reshuffled_index(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
    # one index array shuffled in place again each epoch (another order, accepted); the data
    # reordered first; a while loop over the batches; the cost written out; an array returned
    rng = np.random.default_rng(seed)
    index = np.arange(len(y))
    state = {"t": 0, "m": {k: np.zeros_like(v) for k, v in params.items()},
             "v": {k: np.zeros_like(v) for k, v in params.items()}}
    costs = np.zeros(epochs)
    for e in range(epochs):
        rng.shuffle(index)
        Xs, ys = X[index], y[index]
        start = 0
        while start < len(ys):
            grads = mlp_gradients(Xs[start:start + batch_size], ys[start:start + batch_size], params)  # noqa: F821
            params, state = adam_update(params, grads, state, alpha=alpha)  # noqa: F821
            start += batch_size
        logits = relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]  # noqa: F821
        costs[e] = softmax_cross_entropy(logits, y)  # noqa: F821
    return params, costs


def train_choice_and_inline_adam(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
    # rng.choice without replacement (another order, accepted), Adam written inline, in place
    rng = np.random.default_rng(seed)
    params = {k: v.copy() for k, v in params.items()}
    m1 = {k: np.zeros_like(v) for k, v in params.items()}
    m2 = {k: np.zeros_like(v) for k, v in params.items()}
    t, history = 0, []
    n_batches = int(np.ceil(X.shape[0] / batch_size))
    for _ in range(epochs):
        order = rng.choice(X.shape[0], X.shape[0], replace=False)
        for b in range(n_batches):
            idx = order[b * batch_size:(b + 1) * batch_size]
            grads = c2w2.ref_mlp_gradients(X[idx], y[idx], params)
            t += 1
            for k in params:
                m1[k] = 0.9 * m1[k] + 0.1 * grads[k]
                m2[k] = 0.999 * m2[k] + 0.001 * grads[k] ** 2
                params[k] -= alpha * (m1[k] / (1 - 0.9 ** t)) / (np.sqrt(m2[k] / (1 - 0.999 ** t)) + 1e-8)
        history.append(c2w2.mlp_loss(X, y, params))
    return params, history


def train_in_place(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
    # changes the caller's params in place (the contract allows it), with an in-place adam_update
    rng = np.random.default_rng(seed)
    state = c2w2.ref_adam_init(params)
    history = []
    for _ in range(epochs):
        perm = rng.permutation(X.shape[0])
        for start in range(0, len(perm), batch_size):
            b = perm[start:start + batch_size]
            adam_in_place(params, mlp_gradients(X[b], y[b], params), state, alpha)  # noqa: F821
        history.append(float(c2w2.mlp_loss(X, y, params)))
    return params, history


CORRECT = {
    "relu": [relu_maximum, relu_where, relu_mask, relu_in_place, relu_clip, relu_abs],
    "my_softmax": [softmax_stable, softmax_branches, softmax_row_loop, softmax_via_logsumexp, softmax_scipy],
    "softmax_cross_entropy": [ce_log_sum_exp, ce_one_hot, ce_scipy, ce_loop],
    "mlp_gradients": [grads_vectorized, grads_with_learner_helpers, grads_per_example_loop,
                      grads_with_extra_loss_key, grads_mean_late],
    "adam_update": [adam_loop, adam_in_place, adam_efficient, adam_with_tuple_return_and_np_power],
    "train_minibatch": [train_slices, train_reshuffled_index, train_choice_and_inline_adam, train_in_place],
}


# --- the reference is right: finite differences agree, on every network the check uses ----------


@pytest.mark.parametrize("seed,shape", [(0, (5, 3, 4, 3)), (1, (1, 2, 3, 2)), (2, (6, 4, 2, 4)),
                                        (5, (4, 3, 3, 3)), (3, (8, 4, 5, 3)), (4, (10, 3, 6, 5)),
                                        (7, (3, 2, 2, 2))])
def test_reference_gradients_match_finite_differences(seed, shape):
    m, n, h, k = shape
    X, y, params = c2w2.network(seed, m=m, n=n, h=h, k=k)
    analytic = c2w2.ref_mlp_gradients(X, y, params)
    numeric = c2w2.numerical_gradients(X, y, params)
    for key in c2w2.KEYS:
        assert analytic[key].shape == params[key].shape
        np.testing.assert_allclose(analytic[key], numeric[key], rtol=1e-6, atol=1e-8)


def test_check_networks_keep_away_from_the_relu_kink():
    for seed, (m, n, h, k) in [(0, (5, 3, 4, 3)), (5, (4, 3, 3, 3)), (1, (1, 2, 3, 2)), (2, (6, 4, 2, 4)),
                               (3, (8, 4, 5, 3)), (4, (10, 3, 6, 5))]:
        X, y, params = c2w2.network(seed, m=m, n=n, h=h, k=k)
        Z1 = X @ params["W1"] + params["b1"]
        assert np.min(np.abs(Z1)) > 1e-2


def test_reference_cross_entropy_of_large_logits():
    logits = np.array([[0.0, 800.0, -5.0], [10.0, 0.0, 900.0]])
    assert c2w2.ref_softmax_cross_entropy(logits, np.array([0, 1])) == pytest.approx(850.0)


# --- softmax: naive passes the moderate cases, fails on large logits, quietly ----------------------


def naive_softmax(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


def test_naive_softmax_is_rejected_only_on_large_logits_with_the_trick_named():
    """Right mathematics, unstable: the values and batch points are kept, the stability point lost."""
    assert_accepts(c2w2.check_my_softmax, naive_softmax)
    assert_accepts(c2w2.check_my_softmax_batch, naive_softmax)
    message = assert_rejects(c2w2.check_my_softmax_stable, naive_softmax, "[large logits]", "nan",
                             "overflow", "subtract the max", "stable for large logits")
    assert message.startswith("`my_softmax`(z=[1000. 1001. 1002.])")


def test_a_softmax_for_one_example_only_loses_only_the_batch_point():
    def one_example_only(z):  # right for a 1-D z; a 2-D z is normalized as one block
        e = np.exp(z - np.max(z))
        return e / np.sum(e)

    assert_accepts(c2w2.check_my_softmax, one_example_only)
    assert_accepts(c2w2.check_my_softmax_stable, one_example_only)  # its batch case is the batch rule's
    assert_rejects(c2w2.check_my_softmax_batch, one_example_only, "3 examples (rows)",
                   "normalize each row on its own", "accepts a batch")


def test_a_loop_over_one_example_raising_on_a_batch_is_told_the_rule():
    def loop_1d(z):
        m = max(z)  # Python's max of a 2-D array: the truth value of an array is ambiguous
        e = [np.exp(v - m) for v in z]
        s = sum(e)
        return np.array([v / s for v in e])

    assert_accepts(c2w2.check_my_softmax, loop_1d)
    assert_rejects(c2w2.check_my_softmax_batch, loop_1d, "raised", "accepts a batch")


def test_overflow_warnings_never_reach_stderr():
    err = io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with contextlib.redirect_stderr(err):
            naive_cross_entropy = c2w2._ce_naive_log_softmax.implementation
            for check_fn, impl in [(c2w2.check_my_softmax_stable, naive_softmax),
                                   (c2w2.check_softmax_cross_entropy_stable, naive_cross_entropy)]:
                with pytest.raises(AssertionError):
                    check_fn(impl)
    assert err.getvalue() == ""


def test_softmax_of_only_1d_input_gets_the_axis_hint():
    def rows_only(z):
        e = np.exp(z - np.max(z, axis=1, keepdims=True))
        return e / np.sum(e, axis=1, keepdims=True)

    assert_rejects(c2w2.check_my_softmax, rows_only, "raised", "axis=-1")


def test_softmax_without_keepdims_on_a_non_square_batch_gets_the_keepdims_hint():
    def no_keepdims(z):
        if z.ndim == 2 and z.shape[0] == z.shape[1]:  # dodge the square case
            return softmax_stable(z)
        e = np.exp(z - np.max(z, axis=-1))
        return e / np.sum(e, axis=-1)

    assert_rejects(c2w2.check_my_softmax_batch, no_keepdims, "could not be broadcast", "keepdims=True")


# --- cross-entropy, ReLU and gradients: messages for mistakes outside the catalogue ---------------


def test_python_max_in_relu_gets_the_elementwise_hint():
    def python_max(z):
        return max(0, z)

    assert_rejects(c2w2.check_relu, python_max, "raised ValueError", "np.maximum(0, z)")


def test_one_hot_labels_on_non_square_logits_get_the_labels_hint():
    def labels_as_one_hot(logits, y):
        if logits.shape[0] == logits.shape[1]:
            return c2w2.ref_softmax_cross_entropy(logits, y)
        return c2w2._ce_labels_as_one_hot.implementation(logits, y)

    assert_rejects(c2w2.check_softmax_cross_entropy, labels_as_one_hot, "could not be broadcast",
                   "integer class labels")


def test_gradients_missing_a_key_are_named():
    def no_b2(X, y, params):
        grads = c2w2.ref_mlp_gradients(X, y, params)
        del grads["b2"]
        return grads

    assert_rejects(c2w2.check_mlp_gradients, no_b2, "missing 'b2'")


def test_w2_not_transposed_in_backprop_gets_the_shapes():
    def w2_not_transposed(X, y, params):
        m = X.shape[0]
        Z1 = X @ params["W1"] + params["b1"]
        A1 = np.maximum(0, Z1)
        P = c2w2.ref_my_softmax(A1 @ params["W2"] + params["b2"])
        P[np.arange(m), y] -= 1
        dZ2 = P / m
        dZ1 = (dZ2 @ params["W2"]) * (Z1 > 0)
        return {"W1": X.T @ dZ1, "b1": dZ1.sum(0), "W2": A1.T @ dZ2, "b2": dZ2.sum(0)}

    assert_rejects(c2w2.check_mlp_gradients, w2_not_transposed, "raised ValueError",
                   "dA1 = dZ2 @ W2.T")


def test_k_from_labels_gets_the_broadcast_hint_when_it_raises():
    def k_from_labels(X, y, params):
        if len(y) == 1:  # dodge the case the catalogue names it on
            return c2w2.ref_mlp_gradients(X, y, params)
        return c2w2._grads_k_from_labels.implementation(X, y, params)

    assert_rejects(c2w2.check_mlp_gradients, k_from_labels, "could not be broadcast", "k = W2.shape[1]")


def test_gradients_are_compared_with_finite_differences_on_random_networks():
    def wrong_only_on_big_networks(X, y, params):
        grads = c2w2.ref_mlp_gradients(X, y, params)
        if X.shape[0] >= 8:
            grads["W1"] = grads["W1"] * 1.01
        return grads

    assert_rejects(c2w2.check_mlp_gradients, wrong_only_on_big_networks,
                   "[random network, against finite differences]", "grads['W1']")


def test_the_learners_helpers_are_restored_after_the_gradient_check():
    namespace = {"np": np}
    exec(
        "def relu(z):\n    return z\n"
        "def mlp_gradients(X, y, params):\n"
        "    Z1 = X @ params['W1'] + params['b1']\n"
        "    A1 = relu(Z1)\n"
        "    Z2 = A1 @ params['W2'] + params['b2']\n"
        "    m = X.shape[0]\n"
        "    P = np.exp(Z2 - Z2.max(axis=1, keepdims=True))\n"
        "    P = P / P.sum(axis=1, keepdims=True)\n"
        "    P[np.arange(m), y] -= 1\n"
        "    dZ2 = P / m\n"
        "    dZ1 = (dZ2 @ params['W2'].T) * (Z1 > 0)\n"
        "    return {'W1': X.T @ dZ1, 'b1': dZ1.sum(0), 'W2': A1.T @ dZ2, 'b2': dZ2.sum(0)}\n",
        namespace,
    )
    assert_accepts(c2w2.check_mlp_gradients, namespace["mlp_gradients"])
    assert namespace["relu"](-1.0) == -1.0


def test_params_survive_pickling_and_show_their_shapes():
    """The grader's clean re-check sends the arguments to another process by pickle."""
    import pickle

    _, _, params = c2w2.network(0, m=5, n=3, h=4, k=3)
    again = pickle.loads(pickle.dumps(params))
    assert repr(again) == "{W1: 3x4, b1: 4, W2: 4x3, b2: 3}"
    assert all(np.array_equal(again[key], params[key]) for key in c2w2.KEYS)


# --- adam_update and train_minibatch ------------------------------------------------------------


# The lean references (ref_mlp_gradients, ref_adam_update: the training check calls them at every
# step, issue 16) are the switch-laden `_backward` and `_adam` with every switch off, bit for bit:
# the catalogue's mistakes are those functions with a switch on, so they differ from the reference
# by the mistake alone.
_LEAN_NETWORKS = [(0, (5, 3, 4, 3)), (1, (1, 2, 3, 2)), (2, (6, 4, 2, 4)), (5, (4, 3, 3, 3)),
                  (10, (10, 3, 6, 3)), (13, (8, 4, 5, 4)), (7, (3, 2, 2, 2))]


@pytest.mark.parametrize("seed,shape", _LEAN_NETWORKS)
def test_the_lean_gradients_are_the_switched_ones_bit_for_bit(seed, shape):
    m, n, h, k = shape
    X, y, params = c2w2.network(seed, m=m, n=n, h=h, k=k)
    lean, switched = c2w2.ref_mlp_gradients(X, y, params), c2w2._backward(X, y, params)
    assert list(lean) == list(c2w2.KEYS)
    for key in c2w2.KEYS:
        assert lean[key].dtype == switched[key].dtype and lean[key].shape == switched[key].shape
        assert np.array_equal(lean[key], switched[key]), key
    # an empty batch (a loop one batch too long) gives the same empty-batch result, without a warning
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        empty = c2w2.ref_mlp_gradients(X[:0], y[:0], params)
        assert all(np.array_equal(empty[key], c2w2._backward(X[:0], y[:0], params)[key]) for key in c2w2.KEYS)


@pytest.mark.parametrize("t,hyper", [(0, (1e-3, 0.9, 0.999, 1e-8)), (3, (0.05, 0.9, 0.999, 1e-8)),
                                     (2, (0.1, 0.5, 0.8, 1e-8)), (60, (0.05, 0.5, 0.5, 0.1))])
def test_the_lean_adam_update_is_the_switched_one_bit_for_bit(t, hyper):
    rng = np.random.default_rng(t)
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 3), "b2": (3,)}
    params, grads, m = ({key: scale * rng.normal(size=shape) for key, shape in shapes.items()}
                        for scale in (1.0, 1.0, 0.1))
    v = {key: 0.01 * rng.random(size=shape) for key, shape in shapes.items()}
    state = {"t": t, "m": m, "v": v}
    lean, switched = c2w2.ref_adam_update(params, grads, state, *hyper), c2w2._adam(params, grads, state, *hyper)
    assert lean[1]["t"] == switched[1]["t"] == t + 1 and type(lean[1]["t"]) is int
    for got, want in ((lean[0], switched[0]), (lean[1]["m"], switched[1]["m"]), (lean[1]["v"], switched[1]["v"])):
        assert list(got) == list(want)
        assert all(got[key].dtype == want[key].dtype and np.array_equal(got[key], want[key]) for key in want)



def test_the_training_checks_results_made_once_are_the_references():
    """The expected results the check keeps (made once per process) are the reference's on fresh
    copies of its cases, after learners that change their params in place have been checked."""
    from tests.checks.test_c2w2 import train_in_place

    for _ in range(2):
        assert_accepts(c2w2.check_train_minibatch, train_in_place)
    again = c2w2.network(10, m=10, n=3, h=4, k=3)
    (note, args), *_ = c2w2._train_cases()
    assert all(np.array_equal(a, b) for a, b in zip(again[:2], (args["X"], args["y"])))
    assert all(np.array_equal(again[2][key], args["params"][key]) for key in c2w2.KEYS)
    for (_, args), (params, history) in zip(c2w2._train_cases(), c2w2._train_expected()):
        fresh, fresh_history = c2w2.ref_train_minibatch(*copy.deepcopy(list(args.values())))
        assert fresh_history == history
        assert all(np.array_equal(fresh[key], params[key]) and not params[key].flags.writeable for key in fresh)


@pytest.mark.parametrize("got,expected", [
    ([1.0, 2.0], [1.0, 2.0]), ([1.0, 2.0], [1.0 + 1e-7, 2.0]), ([1.0, 2.0], [1.01, 2.0]),
    ([0.0, 1e-10], [0.0, 0.0]), ([0.0, 1e-8], [0.0, 0.0]), ([np.nan, 1.0], [1.0, 1.0]),
    ([np.inf, 1.0], [1.0, 1.0]), ([np.inf, 1.0], [np.inf, 1.0]), ([-np.inf, 1.0], [np.inf, 1.0]),
    ([np.nan, 1.0], [np.nan, 1.0]), ([1e308, 1.0], [1e308, 1.0]), ([[1.0, 2.0]], [1.0, 2.0])])
def test_the_short_comparison_agrees_with_the_ladders(got, expected):
    """_plainly_close says "equal" only where the ladder's compare does (otherwise compare decides),
    and never warns (nan and inf included)."""
    from autograder.checks.ladder import compare

    got, expected = np.array(got), np.array(expected)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        short = c2w2._plainly_close(got, expected, 1e-6, 1e-9)
    if short:
        assert compare(got, expected, rtol=1e-6, atol=1e-9) is None
    elif np.all(np.isfinite(expected)) and got.shape == expected.shape:
        assert compare(got, expected, rtol=1e-6, atol=1e-9) is not None


def test_eps_inside_the_square_root_is_caught_only_where_eps_is_large():
    message = assert_rejects(c2w2.check_adam_update, c2w2._adam_eps_in_sqrt.implementation,
                             "[a large eps, 0.1, at step 61]", "np.sqrt(v_hat) + eps")
    assert "state={t: 60, m and v of W1, b1, W2, b2}" in message


def test_the_efficient_form_differs_from_the_contract_only_through_eps():
    """adam_efficient is a correct alternative because the cases keep eps negligible where
    1 - beta2**t is not 1; on tiny gradients with the default eps the two forms differ."""
    params = {"w": np.array([1.0, -1.0])}
    grads = {"w": np.array([1e-5, -3e-6])}
    state = c2w2.ref_adam_init(params)
    from tests.checks.test_c2w2 import adam_efficient

    ours, _ = c2w2.ref_adam_update(params, grads, state, 0.1)
    theirs, _ = adam_efficient(params, grads, state, 0.1)
    assert not np.allclose(ours["w"], theirs["w"], rtol=1e-6, atol=1e-9)


def test_an_adam_update_that_returns_only_the_params_is_explained():
    def params_only(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        return c2w2.ref_adam_update(params, grads, state, alpha, beta1, beta2, eps)[0]

    assert_rejects(c2w2.check_adam_update, params_only, "got a dict, expected a tuple of 2 values")


def test_an_adam_state_with_other_keys_is_named():
    def other_keys(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        new, st = c2w2.ref_adam_update(params, grads, state, alpha, beta1, beta2, eps)
        return new, {"step": st["t"], "m": st["m"], "v": st["v"]}

    assert_rejects(c2w2.check_adam_update, other_keys, "state: got a dict with the keys 'step', 'm', 'v'",
                   "missing 't'")


def test_adam_update_on_the_whole_dicts_at_once_gets_the_state_hint():
    def whole_dicts(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
        m = beta1 * state["m"] + (1 - beta1) * grads  # one moment for everything: dicts do not add
        return params, {"t": state["t"] + 1, "m": m, "v": state["v"]}

    assert_rejects(c2w2.check_adam_update, whole_dicts, "raised TypeError",
                   "state['m']['W1'] is the moving average of the gradient of W1")


def test_keeping_adam_updates_pair_as_params_gets_the_pair_hint():
    def pair_as_params(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
        rng = np.random.default_rng(seed)
        state = c2w2.ref_adam_init(params)
        history = []
        for _ in range(epochs):
            order = rng.permutation(len(y))
            for start in range(0, len(y), batch_size):
                b = order[start:start + batch_size]
                params = adam_update(params, mlp_gradients(X[b], y[b], params), state, alpha)  # noqa: F821
            history.append(c2w2.mlp_loss(X, y, params))
        return params, history

    assert_rejects(c2w2.check_train_minibatch, pair_as_params, "raised TypeError",
                   "adam_update returns a pair, (params, state)")


def test_the_accepted_orders_are_other_orders():
    """Accepting them means something: each gives another result than the contract's on the first case."""
    X, y, params = c2w2.network(10, m=10, n=3, h=4, k=3)
    ours = c2w2.ref_train_minibatch(X, y, params, 0.05, 3, 4, 0)
    for order in c2w2.ACCEPTED_ORDERS:
        theirs = c2w2._train(X, y, params, 0.05, 3, 4, 0, order=order)
        assert not np.allclose(ours[1], theirs[1])


def test_a_shuffle_outside_the_contract_gets_the_stated_order():
    def sorted_by_label(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
        rng = np.random.default_rng(seed)
        state = c2w2.ref_adam_init(params)
        history = []
        for _ in range(epochs):
            order = rng.permutation(len(y))[::-1]  # reversed: another order, not accepted
            for start in range(0, len(y), batch_size):
                b = order[start:start + batch_size]
                params, state = c2w2.ref_adam_update(params, c2w2.ref_mlp_gradients(X[b], y[b], params),
                                                     state, alpha)
            history.append(c2w2.mlp_loss(X, y, params))
        return params, history

    assert_rejects(c2w2.check_train_minibatch, sorted_by_label, "[10 examples in batches of 4, 4 and 2]",
                   "Likely cause: if each step is right, the batches may not follow the stated order",
                   "rng.permutation(m)")


def test_train_minibatch_returning_a_dict_of_history_is_explained():
    def history_dict(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
        params, history = c2w2.ref_train_minibatch(X, y, params, alpha, epochs, batch_size, seed)
        return params, {"cost": history}

    assert_rejects(c2w2.check_train_minibatch, history_dict, "cost_history: got a dict, expected a list of 3 values")


def test_train_minibatch_passes_with_the_learners_other_functions_swapped_out():
    """The check stands the kit's versions in for the other graded functions and the notebook's
    helpers (here the learner's adam_update is not written yet), and puts them back afterwards."""
    import inspect
    import textwrap

    namespace = {"np": np}
    exec("def adam_update(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):\n"
         "    raise NotImplementedError()\n", namespace)
    exec(textwrap.dedent(inspect.getsource(train_slices)), namespace)
    stub = namespace["adam_update"]
    assert_accepts(c2w2.check_train_minibatch, namespace["train_slices"])
    assert namespace["adam_update"] is stub and "adam_init" not in namespace


# --- the exercise's network meets its target --------------------------------------------------


@pytest.mark.slow
def test_the_solution_network_matches_scikit_learn_on_the_digits(monkeypatch):
    """Run the solution notebook's code in this process: the numpy network trained by the notebook
    reaches 95% test accuracy on the ten digits, within 2 points of scikit-learn's MLPClassifier."""
    import json

    import matplotlib

    from autograder import paths

    matplotlib.use("Agg")
    monkeypatch.setattr("matplotlib.pyplot.show", lambda *args, **kwargs: None)
    nb = json.loads((paths.SOLUTIONS / "c2w2" / "c2w2.ipynb").read_text())
    namespace: dict = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            exec("".join(cell["source"]), namespace)
    assert namespace["acc_yours"] >= 0.95
    assert abs(namespace["acc_yours"] - namespace["acc_sklearn"]) <= 0.02
    assert namespace["time_yours"] < 20
