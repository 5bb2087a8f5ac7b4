"""Checks for module c2w2: training a neural network in numpy.

Conventions stated in the exercise:

- `relu(z)`: element by element, on an array of any shape.
- `my_softmax(z)`: `z` is one example's logits, shape (k,), or a batch, shape (m, k), one example
  per row; the softmax is taken over the last axis (the classes), with the max subtracted first
  so that large logits do not overflow. The values check takes one example; the two rules beyond
  the mathematics are checks of their own, with their own points (module.toml): `batch` (row by
  row on a 2-D batch) and `stable` (large logits).
- `softmax_cross_entropy(logits, y)`: `logits` has shape (m, k), `y` holds integer class labels
  0..k-1, shape (m,); the result is one number, the mean over the m examples of
  -log softmax(logits)[i, y[i]], computed from the logits (log-sum-exp), never via log(softmax).
- `mlp_gradients(X, y, params)`: a network with one hidden ReLU layer and a softmax output, loss
  the mean cross-entropy. `params` is a dict with `W1` (n, h), `b1` (h,), `W2` (h, k), `b2` (k,);
  the result is a dict with the same keys and shapes, holding the gradient of the loss with
  respect to each parameter.

A naive softmax (no max subtracted) is right on moderate logits and passes the values check; the
rule check `stable` rejects it, with the overflow and the max-subtraction trick named, on logits
around 1000. The
gradients are compared with the analytic reference and, for random small networks, with central
finite differences of the loss.
"""

from __future__ import annotations

import copy
import functools

import numpy as np

from autograder.checks.ladder import (Check, CheckFailed, Hint, check, compare, mistake, rule_words,
                                      type_name, values_first)

KEYS = ("W1", "b1", "W2", "b2")

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_relu(z):
    return np.maximum(0, z)


def ref_my_softmax(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def _log_softmax(logits):
    z = logits - np.max(logits, axis=1, keepdims=True)
    return z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))


def ref_softmax_cross_entropy(logits, y):
    m = logits.shape[0]
    return float(-np.mean(_log_softmax(np.asarray(logits, dtype=float))[np.arange(m), y]))


def _forward(X, params):
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = A1 @ params["W2"] + params["b2"]
    return Z1, A1, Z2


def _backward(X, y, params, *, scale=True, relu_grad=True, act_grad=False, transpose=False,
              db_axis=0, one_hot=True, sign=1.0, dW2_from_Z1=False, keepdims=False, k=None):
    """The reference backward pass, with switches for the catalogue's mistakes."""
    m = X.shape[0]
    Z1, A1, Z2 = _forward(X, params)
    P = ref_my_softmax(Z2)
    k = Z2.shape[1] if k is None else k
    Y = np.zeros((m, k))
    Y[np.arange(m), y] = 1.0
    dZ2 = sign * (P - Y if one_hot else P)
    if scale:
        dZ2 = dZ2 / m
    dW2 = (Z1 if dW2_from_Z1 else A1).T @ dZ2
    dA1 = dZ2 @ params["W2"].T
    if act_grad:
        dZ1 = dA1 * A1
    elif relu_grad:
        dZ1 = dA1 * (Z1 > 0)
    else:
        dZ1 = dA1
    dW1 = X.T @ dZ1
    if db_axis is None:
        db1, db2 = dZ1, dZ2
    else:
        db1, db2 = dZ1.sum(axis=db_axis, keepdims=keepdims), dZ2.sum(axis=db_axis, keepdims=keepdims)
    if transpose:
        dW1, dW2 = dW1.T, dW2.T
    return {"W1": dW1, "b1": db1, "W2": dW2, "b2": db2}


def ref_mlp_gradients(X, y, params):
    """`_backward` without its switches, in fewer numpy calls (the training check calls it at every
    step of the learner's loop: issue 16): the same operations on the same arrays, in the same order
    (so a wrong argument raises the same error), and the same bits (tests/checks/test_c2w2.py
    asserts it)."""
    m = X.shape[0]
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(0, Z1)
    Z2 = np.asarray(A1 @ params["W2"] + params["b2"], dtype=float)  # as ref_my_softmax takes it
    e = np.exp(Z2 - Z2.max(axis=-1, keepdims=True))
    dZ2 = e / e.sum(axis=-1, keepdims=True)  # the softmax P; minus the one-hot Y, then / m
    dZ2[np.arange(m), y] -= 1.0
    dZ2 /= m
    dZ1 = (dZ2 @ params["W2"].T) * (Z1 > 0)
    return {"W1": X.T @ dZ1, "b1": dZ1.sum(axis=0), "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0)}


def mlp_loss(X, y, params):
    """The loss whose gradient mlp_gradients computes: mean cross-entropy of the network's logits."""
    return ref_softmax_cross_entropy(_forward(X, params)[2], y)


def _stacked_losses(X, y, p):
    """`mlp_loss` for a stack of E parameter sets at once (each value with a leading axis E)."""
    E, m = p["W1"].shape[0], X.shape[0]
    Z1 = X @ p["W1"] + p["b1"].reshape(E, 1, -1)
    Z2 = np.maximum(0, Z1) @ p["W2"] + p["b2"].reshape(E, 1, -1)
    z = Z2 - np.max(Z2, axis=2, keepdims=True)
    log_p = z - np.log(np.sum(np.exp(z), axis=2, keepdims=True))
    return -np.mean(log_p[:, np.arange(m), y], axis=1)


def numerical_gradients(X, y, params, eps=1e-6):
    """Central finite differences of `mlp_loss`, one parameter entry at a time (all the entries of
    one parameter in one stacked forward pass: the check cell answers at once, issue 16)."""
    p = {key: np.array(value, dtype=float) for key, value in params.items()}
    X = np.asarray(X, dtype=float)
    grads = {}
    for key in KEYS:
        size, shape = p[key].size, p[key].shape
        step = eps * np.eye(size).reshape((size,) + shape)  # set e moves entry e alone
        stacked = {name: np.broadcast_to(value, (size,) + value.shape) for name, value in p.items()}
        plus = _stacked_losses(X, y, {**stacked, key: p[key] + step})
        minus = _stacked_losses(X, y, {**stacked, key: p[key] - step})
        grads[key] = ((plus - minus) / (2 * eps)).reshape(shape)
    return grads


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes.

# relu


@mistake("np.max(z, 0) reduces the array to its largest entries (its second argument is an axis); "
         "np.maximum(0, z) compares element by element.")
def _relu_np_max(z):
    return np.max(z, 0)


@mistake("the absolute value was taken: ReLU sets negative values to 0, it does not flip their sign.")
def _relu_abs(z):
    return np.abs(z)


@mistake("np.minimum keeps the negative part; ReLU keeps the positive part: np.maximum(0, z).")
def _relu_minimum(z):
    return np.minimum(0, z)


@mistake("the derivative of ReLU (1 where z > 0, else 0) was returned; ReLU itself is max(0, z).")
def _relu_derivative(z):
    return (z > 0).astype(float)


@mistake("this is a leaky ReLU (0.01 z for negative z); ReLU sets negative values to exactly 0.")
def _relu_leaky(z):
    return np.maximum(0.01 * z, z)


@mistake("np.clip(z, 0, 1) also caps the output at 1; ReLU has no upper limit: np.maximum(0, z).")
def _relu_clip(z):
    return np.clip(z, 0, 1)


@mistake("this is the sigmoid; ReLU is max(0, z).")
def _relu_sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * z))


@mistake("a Python list was returned (a comprehension with max()); np.maximum(0, z) returns an "
         "array of the same shape as z, for 1-D and 2-D input alike.")
def _relu_list(z):
    return [max(0.0, v) for v in z]


# my_softmax


@mistake("np.exp overflows for large logits (exp(1000) is inf, and inf / inf is nan). Use the "
         "stable softmax: subtract the max of z (of each row) before np.exp; softmax(z - c) equals "
         "softmax(z) for any constant c.")
def _softmax_naive(z):
    e = np.exp(z)
    return e / np.sum(e, axis=-1, keepdims=True)


@mistake("the softmax was taken over the wrong axis (down the columns): each row is one example, "
         "normalize over its classes with axis=-1 (or axis=1), keepdims=True.")
def _softmax_columns(z):
    e = np.exp(z - np.max(z, axis=0, keepdims=True))
    return e / np.sum(e, axis=0, keepdims=True)


@mistake("the sum runs over the whole array; for a batch, normalize each row on its own: "
         "np.sum(e, axis=-1, keepdims=True).")
def _softmax_whole_array(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e)


@mistake("keepdims is missing: np.sum(e, axis=1) has shape (m,), which numpy lines up with the "
         "columns, not the rows. Use keepdims=True (in np.max too) to keep a (m, 1) column.")
def _softmax_no_keepdims(z):
    e = np.exp(z - np.max(z, axis=-1))
    return e / np.sum(e, axis=-1)


@mistake("the max of the whole array was subtracted: a row whose logits are far below that max "
         "underflows to 0 / 0. Subtract each row's own max: np.max(z, axis=-1, keepdims=True).")
def _softmax_global_max(z):
    e = np.exp(z - np.max(z))
    return e / np.sum(e, axis=-1, keepdims=True)


@mistake("np.exp is missing: softmax divides exp(z) by the sum of exp(z), not z by the sum of z.")
def _softmax_no_exp(z):
    return z / np.sum(z, axis=-1, keepdims=True)


@mistake("the exponentials were not divided by their sum: the probabilities must add up to 1.")
def _softmax_unnormalized(z):
    return np.exp(z - np.max(z, axis=-1, keepdims=True))


@mistake("the max was subtracted in the numerator only: use the same shifted exponentials "
         "e = np.exp(z - max) on both sides, e / np.sum(e).")
def _softmax_half_shifted(z):
    return np.exp(z - np.max(z, axis=-1, keepdims=True)) / np.sum(np.exp(z), axis=-1, keepdims=True)


@mistake("this is the sigmoid of each logit; softmax normalizes the exponentials over the classes.")
def _softmax_sigmoid(z):
    return 0.5 * (1 + np.tanh(0.5 * np.asarray(z, dtype=float)))


@mistake("the exponentials were divided by their largest value, not by their sum: the "
         "probabilities must add up to 1, so divide by np.sum(e).")
def _softmax_over_max(z):
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.max(e, axis=-1, keepdims=True)


@mistake("this is the log of the softmax (z minus the log-sum-exp); `my_softmax` returns the "
         "probabilities themselves, exp(z) / sum(exp(z)).")
def _softmax_log(z):
    shifted = z - np.max(z, axis=-1, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=-1, keepdims=True))


# softmax_cross_entropy


def _one_hot(y, k):
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def _true_class(values, y):
    return values[np.arange(values.shape[0]), y]


@mistake("the losses were summed; the cost is their mean over the m examples (divide by m).")
def _ce_sum(logits, y):
    return float(-np.sum(_true_class(_log_softmax(logits), y)))


@mistake("np.exp overflows for large logits (exp(1000) is inf), so log(softmax) is nan or inf. "
         "Compute the log-softmax from the logits directly: "
         "log_p = z - max(z) - log(sum(exp(z - max(z)))) (log-sum-exp).")
def _ce_naive_log_softmax(logits, y):
    e = np.exp(logits)
    return float(-np.mean(np.log(_true_class(e / np.sum(e, axis=1, keepdims=True), y))))


@mistake("log(softmax(z)) underflows: when the true class's logit is far below the max, its "
         "probability rounds to 0 and log(0) = -inf. Work in log space from the logits: "
         "log_p = z - max(z) - log(sum(exp(z - max(z)))), and take -log_p[i, y[i]].")
def _ce_log_of_softmax(logits, y):
    return float(-np.mean(np.log(_true_class(ref_my_softmax(logits), y))))


@mistake("log(p + epsilon) hides the underflow but changes the loss: when p rounds to 0 the loss is "
         "capped near -log(epsilon). Compute the log-softmax from the logits (log-sum-exp).")
def _ce_log_eps(logits, y):
    return float(-np.mean(np.log(_true_class(ref_my_softmax(logits), y) + 1e-12)))


@mistake("the logits were used as if they were probabilities: take the log of the softmax "
         "probabilities (better: the log-softmax of the logits), not the log of the logits.")
def _ce_logits_as_probabilities(logits, y):
    return float(-np.mean(np.log(_true_class(logits, y))))


@mistake("the softmax was applied first, so the log-softmax was taken of probabilities: "
         "the formula log_p = z - max(z) - log(sum(exp(z - max(z)))) takes the logits themselves.")
def _ce_softmax_twice(logits, y):
    return float(-np.mean(_true_class(_log_softmax(ref_my_softmax(logits)), y)))


@mistake("y was used as if it were one-hot rows; here y holds integer labels (shape (m,)): pick "
         "log_p[np.arange(m), y], or build the one-hot matrix first.")
def _ce_labels_as_one_hot(logits, y):
    return float(-np.sum(y * _log_softmax(logits)) / logits.shape[0])


@mistake("log_p[:, y] picks every row at all m labels (an m by m block); pick one entry per "
         "example with log_p[np.arange(m), y].")
def _ce_fancy_index(logits, y):
    return float(-np.mean(_log_softmax(logits)[:, y]))


@mistake("np.log10 was used; the cross-entropy uses the natural log, np.log.")
def _ce_log10(logits, y):
    return float(-np.mean(_true_class(_log_softmax(logits), y)) / np.log(10))


@mistake("the minus sign is missing: the loss is -log(p), which is positive.")
def _ce_no_minus(logits, y):
    return float(np.mean(_true_class(_log_softmax(logits), y)))


@mistake("the mean was taken over all m * k entries of the one-hot product; sum over the classes, "
         "then average over the m examples.")
def _ce_mean_all_entries(logits, y):
    return float(-np.mean(_one_hot(y, logits.shape[1]) * _log_softmax(logits)))


@mistake("the per-example losses were returned; return their mean, one number.")
def _ce_per_example(logits, y):
    return -_true_class(_log_softmax(logits), y)


@mistake("the log-sum-exp summed over the whole array: each example has its own, "
         "np.log(np.sum(np.exp(shifted), axis=1, keepdims=True)), a sum over its k classes.")
def _ce_lse_whole_array(logits, y):
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    return float(-np.mean(_true_class(shifted, y) - np.log(np.sum(np.exp(shifted)))))


@mistake("the max was subtracted inside the log-sum-exp but not from the true class's logit: "
         "log_p = (z_y - max) - log(sum(exp(z - max))).")
def _ce_max_half(logits, y):
    mx = np.max(logits, axis=1)
    lse = np.log(np.sum(np.exp(logits - mx[:, None]), axis=1))
    return float(-np.mean(_true_class(logits, y) - lse))


# mlp_gradients


@mistake("the 1/m is missing: the loss is the mean over the m examples, so "
         "dZ2 = (softmax(Z2) - Y) / m.")
def _grads_no_m(X, y, params):
    return _backward(X, y, params, scale=False)


@mistake("the ReLU derivative is missing: dZ1 = dA1 * (Z1 > 0), since relu'(z) is 1 where z > 0 "
         "and 0 elsewhere.")
def _grads_no_relu_grad(X, y, params):
    return _backward(X, y, params, relu_grad=False)


@mistake("dA1 was multiplied by relu(Z1) = A1; the chain rule needs relu'(Z1), which is (Z1 > 0).")
def _grads_times_activation(X, y, params):
    return _backward(X, y, params, act_grad=True)


@mistake("the weight gradients are transposed: dW1 = X.T @ dZ1 has the shape of W1 (n, h), and "
         "dW2 = A1.T @ dZ2 the shape of W2 (h, k).")
def _grads_transposed(X, y, params):
    return _backward(X, y, params, transpose=True)


@mistake("db was not summed over the examples: db2 = np.sum(dZ2, axis=0), which has the shape of b2.")
def _grads_db_not_summed(X, y, params):
    return _backward(X, y, params, db_axis=None)


@mistake("db was summed over the wrong axis: sum over the examples (axis=0), keeping one entry per unit.")
def _grads_db_wrong_axis(X, y, params):
    return _backward(X, y, params, db_axis=1)


@mistake("db has shape (1, units): sum with axis=0 and no keepdims, so the gradient has the shape of b.")
def _grads_db_keepdims(X, y, params):
    return _backward(X, y, params, keepdims=True)


@mistake("the gradients of the two layers are swapped: grads['W1'] is dJ/dW1 (the first layer, "
         "shape (n, h)) and grads['W2'] is dJ/dW2.")
def _grads_swapped_layers(X, y, params):
    g = _backward(X, y, params)
    return {"W1": g["W2"], "b1": g["b2"], "W2": g["W1"], "b2": g["b1"]}


@mistake("the gradients of the weights and the biases are swapped: grads['W1'] is dJ/dW1 "
         "and grads['b1'] is dJ/db1.")
def _grads_swapped_w_b(X, y, params):
    g = _backward(X, y, params)
    return {"W1": g["b1"], "b1": g["W1"], "W2": g["b2"], "b2": g["W2"]}


@mistake("the one-hot labels were not subtracted: for softmax with cross-entropy, "
         "dZ2 = (softmax(Z2) - Y) / m, with Y[i, y[i]] = 1.")
def _grads_no_one_hot(X, y, params):
    return _backward(X, y, params, one_hot=False)


@mistake("the sign is flipped: dZ2 = (softmax(Z2) - Y) / m, not (Y - softmax(Z2)) / m.")
def _grads_flipped(X, y, params):
    return _backward(X, y, params, sign=-1.0)


@mistake("dW2 used Z1; the input of the second layer is A1 = relu(Z1): dW2 = A1.T @ dZ2.")
def _grads_dW2_from_Z1(X, y, params):
    return _backward(X, y, params, dW2_from_Z1=True)


@mistake("the number of classes was taken from the labels (y.max() + 1); a batch need not contain "
         "every class: k = W2.shape[1].")
def _grads_k_from_labels(X, y, params):
    return _backward(X, y, params, k=int(np.max(y)) + 1)


@mistake("the keys are named dW1, db1, ...; use the keys of params ('W1', 'b1', 'W2', 'b2'): "
         "grads['W1'] is the gradient of params['W1'].")
def _grads_d_keys(X, y, params):
    return {"d" + key: value for key, value in _backward(X, y, params).items()}


@mistake("a tuple was returned; return a dict with the keys of params: "
         "{'W1': dW1, 'b1': db1, 'W2': dW2, 'b2': db2}.")
def _grads_tuple(X, y, params):
    g = _backward(X, y, params)
    return tuple(g[key] for key in KEYS)


# adam_update


def ref_adam_init(params):
    """Adam's state before the first step: t = 0 and, per parameter, m = v = zeros of its shape."""
    return {"t": 0, "m": {key: np.zeros_like(value, dtype=float) for key, value in params.items()},
            "v": {key: np.zeros_like(value, dtype=float) for key, value in params.items()}}


def _adam(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, *, correct=True,
          t_late=False, store_t=True, square=True, eps_in_sqrt=False, sign=1.0, store_hat=False,
          swapped=False, keep_state=False, root=True, linear_power=False, no_v=False,
          efficient=False):
    """One Adam step, new dicts (nothing changed in place), with switches for the catalogue."""
    t_old = int(state["t"])
    t = t_old if t_late else t_old + 1
    new, ms, vs = {}, {}, {}
    for key in params:
        g = np.asarray(grads[key], dtype=float)
        a, b = (1 - beta1, beta1) if swapped else (beta1, 1 - beta1)
        m = a * state["m"][key] + b * g
        v = beta2 * state["v"][key] + (1 - beta2) * (g * g if square else g)
        if correct:
            c1 = 1 - (beta1 * t if linear_power else beta1 ** t)
            c2 = 1 - (beta2 * t if linear_power else beta2 ** t)
        else:
            c1 = c2 = 1.0
        m_hat, v_hat = m / c1, v / c2
        if efficient:  # Kingma and Ba's "efficient" form: eps is added to sqrt(v), not sqrt(v_hat)
            step = alpha * np.sqrt(c2) / c1 * m / (np.sqrt(v) + eps)
        elif no_v:
            step = alpha * m_hat
        elif eps_in_sqrt:
            step = alpha * m_hat / np.sqrt(v_hat + eps)
        elif not root:
            step = alpha * m_hat / (v_hat + eps)
        else:
            step = alpha * m_hat / (np.sqrt(v_hat) + eps)
        new[key] = params[key] - sign * step
        ms[key], vs[key] = (m_hat, v_hat) if store_hat else (m, v)
    if keep_state:
        return new, {"t": t_old, "m": dict(state["m"]), "v": dict(state["v"])}
    return new, {"t": t_old + 1 if store_t else t_old, "m": ms, "v": vs}


def ref_adam_update(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """`_adam` without its switches (the training check calls it at every step, for the learner's
    loop: issue 16); the same operations, so the same bits (tests/checks/test_c2w2.py asserts it)."""
    t = int(state["t"]) + 1
    c1, c2 = 1 - beta1 ** t, 1 - beta2 ** t
    new, ms, vs = {}, {}, {}
    for key in params:
        g = np.asarray(grads[key], dtype=float)
        ms[key] = m = beta1 * state["m"][key] + (1 - beta1) * g
        vs[key] = v = beta2 * state["v"][key] + (1 - beta2) * (g * g)
        new[key] = params[key] - alpha * (m / c1) / (np.sqrt(v / c2) + eps)
    return new, {"t": t, "m": ms, "v": vs}


@mistake("there is no bias correction: m and v start at 0, so early on they are too small; divide "
         "them by 1 - beta1**t and 1 - beta2**t (t counted from 1 at the first step) before the update.")
def _adam_no_correction(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, correct=False)


@mistake("the bias correction used t before it was incremented: the first step is t = 1 (state['t'] "
         "+ 1), otherwise 1 - beta1**0 = 0 and the correction divides by zero.")
def _adam_t_late(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, t_late=True)


@mistake("the step count was not stored: the returned state['t'] must be the old one plus 1, so that "
         "the next step's bias correction uses the next t.")
def _adam_t_not_stored(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, store_t=False)


@mistake("v was updated with the gradient g instead of its square: v is the moving average of g**2 "
         "(element by element), so it is never negative.")
def _adam_v_from_g(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, square=False)


@mistake("eps went inside the square root: the update divides by np.sqrt(v_hat) + eps, not by "
         "np.sqrt(v_hat + eps) (with a small eps the two are close, with a large one they are not).")
def _adam_eps_in_sqrt(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, eps_in_sqrt=True)


@mistake("the step was added: Adam moves against the gradient, params - alpha * m_hat / (sqrt(v_hat) + eps).")
def _adam_plus(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, sign=-1.0)


@mistake("the bias-corrected m_hat and v_hat were stored in the state; store the moving averages m and "
         "v themselves, and correct them afresh at every step.")
def _adam_store_hat(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, store_hat=True)


@mistake("beta1 and 1 - beta1 are swapped in m's update: m = beta1 * m + (1 - beta1) * g keeps most of "
         "the old average and adds a little of the new gradient.")
def _adam_swapped_beta(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, swapped=True)


@mistake("the state was not updated: return the new m, v (per parameter) and t, not the state you "
         "were given.")
def _adam_keep_state(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, keep_state=True)


@mistake("the square root is missing: divide by np.sqrt(v_hat) + eps, the typical size of the "
         "gradient, not by v_hat, its square.")
def _adam_no_sqrt(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, root=False)


@mistake("beta * t was used for the bias correction; it is beta to the power t: 1 - beta1 ** t.")
def _adam_linear_power(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, linear_power=True)


@mistake("this is momentum alone (params - alpha * m_hat); Adam also divides by np.sqrt(v_hat) + eps.")
def _adam_no_v(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, beta1, beta2, eps, no_v=True)


@mistake("beta1 and beta2 were fixed at 0.9 and 0.999: use the arguments beta1 and beta2 (those are "
         "only their defaults).")
def _adam_fixed_betas(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    return _adam(params, grads, state, alpha, 0.9, 0.999, eps)


# train_minibatch


def ref_predict_logits(X, params):
    """The network's logits for the rows of X (the exercise's predict_logits)."""
    return _forward(X, params)[2]


def _cost(X, y, params):
    return ref_softmax_cross_entropy(ref_predict_logits(X, params), y)


def _train(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0, *, order="permutation",
           same_order=False, shuffle=True, separately=False, drop_last=False, array_split=False,
           replacement=False, legacy=False, fixed_seed=None, cost="epoch", pass_alpha=True,
           reset_state=False, full_batch=False, keep_params=False):
    """Mini-batch training with the reference gradients and Adam, with switches for the catalogue.
    `order`: "permutation" (rng.permutation(m) each epoch, the contract), "reshuffle" (one index
    array shuffled in place again each epoch) or "choice" (rng.choice(m, m, replace=False))."""
    m = X.shape[0]
    rng = np.random.RandomState(seed) if legacy else np.random.default_rng(
        seed if fixed_seed is None else fixed_seed)
    params = {key: np.array(value, dtype=float) for key, value in params.items()}
    state = ref_adam_init(params)
    index = np.arange(m)
    history = []
    for _ in range(epochs):
        if same_order:
            rng = np.random.default_rng(seed)
        if reset_state:
            state = ref_adam_init(params)
        if cost == "before":
            before = _cost(X, y, params)
        Xs, ys = X, y
        if not shuffle:
            perm = np.arange(m)
        elif separately:
            perm = np.arange(m)
            Xs, ys = X[rng.permutation(m)], y[rng.permutation(m)]
        elif replacement:
            perm = rng.integers(0, m, size=m)
        elif order == "reshuffle":
            rng.shuffle(index)
            perm = index
        elif order == "choice":
            perm = rng.choice(m, m, replace=False)
        else:
            perm = rng.permutation(m)
        if array_split:
            batches = np.array_split(perm, -(-m // batch_size))
        else:
            stop = m - batch_size + 1 if drop_last else m
            batches = [perm[start:start + batch_size] for start in range(0, stop, batch_size)]
        batch_costs = []
        for batch in batches:
            Xb, yb = (X, y) if full_batch else (Xs[batch], ys[batch])
            if cost == "batch mean":
                batch_costs.append(_cost(Xb, yb, params))
            grads = ref_mlp_gradients(Xb, yb, params)
            new, new_state = ref_adam_update(params, grads, state, alpha) if pass_alpha else \
                ref_adam_update(params, grads, state)
            if not keep_params:
                params, state = new, new_state
            if cost == "batch":
                history.append(_cost(X, y, params))
        if cost == "epoch":
            history.append(_cost(X, y, params))
        elif cost == "before":
            history.append(before)
        elif cost == "last batch":
            history.append(_cost(Xb, yb, params))
        elif cost == "batch mean":
            history.append(float(np.mean(batch_costs)))
    return params, history


def ref_train_minibatch(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
    return _train(X, y, params, alpha, epochs, batch_size, seed)


# The shuffles the check accepts beside the contract's rng.permutation(m): the same random
# generator, used in another common way (each gives another, equally good, order).
ACCEPTED_ORDERS = ("reshuffle", "choice")


def _train_mistake(name, cause, **switches):
    def implementation(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
        return _train(X, y, params, alpha, epochs, batch_size, seed, **switches)

    implementation.__name__ = implementation.__qualname__ = name
    return mistake(cause)(implementation)


_train_same_order = _train_mistake(
    "_train_same_order",
    "every epoch used the same order: create the generator once, rng = np.random.default_rng(seed), "
    "before the loop over epochs (not inside it), and draw a new rng.permutation(m) each epoch.",
    same_order=True)
_train_no_shuffle = _train_mistake(
    "_train_no_shuffle",
    "the examples were not shuffled: each epoch takes the batches in the order "
    "order = rng.permutation(m), with rng = np.random.default_rng(seed).", shuffle=False)
_train_separately = _train_mistake(
    "_train_separately",
    "X and y were shuffled with two different permutations, so the images no longer go with their "
    "labels: draw one permutation per epoch and index X and y with it.", separately=True)
_train_drop_last = _train_mistake(
    "_train_drop_last",
    "the last, smaller batch was dropped: when batch_size does not divide m, the epoch ends with a "
    "batch of the m % batch_size examples left over; every example is used once per epoch.",
    drop_last=True)
_train_array_split = _train_mistake(
    "_train_array_split",
    "np.array_split evens out the batch sizes; the contract's batches are order[0:batch_size], "
    "order[batch_size:2 * batch_size], ..., all of batch_size examples but the last.", array_split=True)
_train_replacement = _train_mistake(
    "_train_replacement",
    "the batches were drawn with replacement (rng.integers or rng.choice with replace=True), so some "
    "examples come twice in an epoch and others not at all: shuffle with rng.permutation(m) and "
    "take consecutive slices.", replacement=True)
_train_legacy = _train_mistake(
    "_train_legacy",
    "the legacy global generator was used (np.random.seed / np.random.permutation): the contract "
    "is rng = np.random.default_rng(seed), once, then rng.permutation(m) each epoch.", legacy=True)
_train_fixed_seed = _train_mistake(
    "_train_fixed_seed",
    "the seed was fixed at 0: use the argument seed, np.random.default_rng(seed).", fixed_seed=0)
_train_cost_per_batch = _train_mistake(
    "_train_cost_per_batch",
    "the cost was recorded after every batch; record it once per epoch, after the epoch's last "
    "step, so cost_history has `epochs` entries.", cost="batch")
_train_cost_before = _train_mistake(
    "_train_cost_before",
    "the cost was recorded at the start of each epoch, before its steps; record it at the end, "
    "after the epoch's last update.", cost="before")
_train_cost_last_batch = _train_mistake(
    "_train_cost_last_batch",
    "the cost of the last batch was recorded; record the cost of the whole training set (X, y) "
    "after each epoch.", cost="last batch")
_train_cost_batch_mean = _train_mistake(
    "_train_cost_batch_mean",
    "the mean of the mini-batch costs during the epoch was recorded (what scikit-learn's loss_curve_ "
    "holds); record the cost of the whole training set (X, y) with the parameters at the end of the "
    "epoch.", cost="batch mean")
_train_default_alpha = _train_mistake(
    "_train_default_alpha",
    "alpha was not passed on to adam_update, which then used its default 1e-3: call "
    "adam_update(params, grads, state, alpha).", pass_alpha=False)
_train_reset_state = _train_mistake(
    "_train_reset_state",
    "Adam's state was started afresh every epoch: create it once, state = adam_init(params), before "
    "the loop over epochs, so m, v and t carry on.", reset_state=True)
_train_full_batch = _train_mistake(
    "_train_full_batch",
    "the gradients were computed on the whole training set at every step; compute them on the batch: "
    "mlp_gradients(X[batch], y[batch], params).", full_batch=True)
_train_keep_params = _train_mistake(
    "_train_keep_params",
    "the parameters never changed: keep what adam_update returns, params, state = adam_update(params, "
    "grads, state, alpha) (here, as the contract allows, adam_update returns new dicts rather than "
    "changing the old ones in place).", keep_params=True)


MISTAKES = {
    "relu": [_relu_np_max, _relu_abs, _relu_minimum, _relu_derivative, _relu_leaky, _relu_clip,
             _relu_sigmoid, _relu_list],
    "my_softmax": [_softmax_no_exp, _softmax_unnormalized, _softmax_half_shifted, _softmax_sigmoid,
                   _softmax_over_max, _softmax_log],
    # Right mathematics for one example that breaks a rule beyond it (the rule checks' catalogues):
    # each passes the values check and loses only that rule's point.
    "my_softmax__batch": [_softmax_columns, _softmax_whole_array, _softmax_no_keepdims],
    "my_softmax__stable": [_softmax_naive, _softmax_global_max],
    "softmax_cross_entropy": [_ce_sum, _ce_logits_as_probabilities, _ce_softmax_twice, _ce_labels_as_one_hot,
                              _ce_fancy_index, _ce_log10, _ce_no_minus, _ce_mean_all_entries,
                              _ce_per_example, _ce_lse_whole_array, _ce_max_half],
    # Right mathematics that breaks the rule "stable: from the logits" (the rule check's catalogue).
    "softmax_cross_entropy__stable": [_ce_log_of_softmax, _ce_naive_log_softmax, _ce_log_eps],
    "mlp_gradients": [_grads_no_m, _grads_no_relu_grad, _grads_times_activation, _grads_transposed,
                      _grads_db_not_summed, _grads_db_wrong_axis, _grads_db_keepdims,
                      _grads_swapped_layers, _grads_swapped_w_b, _grads_no_one_hot, _grads_flipped,
                      _grads_dW2_from_Z1, _grads_k_from_labels, _grads_d_keys, _grads_tuple],
    "adam_update": [_adam_no_correction, _adam_t_late, _adam_t_not_stored, _adam_v_from_g,
                    _adam_eps_in_sqrt, _adam_plus, _adam_store_hat, _adam_swapped_beta, _adam_keep_state,
                    _adam_no_sqrt, _adam_linear_power, _adam_no_v, _adam_fixed_betas],
    "train_minibatch": [_train_same_order, _train_no_shuffle, _train_separately, _train_drop_last,
                        _train_array_split, _train_replacement, _train_legacy, _train_fixed_seed,
                        _train_cost_per_batch, _train_cost_before, _train_cost_last_batch,
                        _train_cost_batch_mean, _train_default_alpha, _train_reset_state,
                        _train_full_batch, _train_keep_params],
}

# ---------------------------------------------------------------------------------------------
# When the learner's function raises, add a word on what numpy's error means here.

_HINTS = {  # function -> the hints, the first that applies is added
    "relu": [
        Hint("Hint: Python's max() and `if z > 0` work on single numbers; "
             "np.maximum(0, z) works element by element on an array of any shape.",
             fragments=("truth value of an array",)),
    ],
    "my_softmax": [
        Hint("Hint: use keepdims=True in np.max and np.sum, so that the (m, k) "
             "logits minus a (m, 1) column of row maxima broadcast row by row.",
             fragments=("could not be broadcast",)),
        Hint("Hint: z may be one example, shape (k,), or a batch, shape (m, k): "
             "axis=-1 (the last axis) is the class axis in both cases.", fragments=("out of bounds",)),
    ],
    "softmax_cross_entropy": [
        Hint("Hint: y holds integer class labels, shape (m,), not one-hot rows: "
             "pick each example's log-probability with log_p[np.arange(m), y].",
             fragments=("could not be broadcast",)),
    ],
    "mlp_gradients": [
        Hint("Hint: the one-hot Y must have k = W2.shape[1] columns, as many as "
             "the logits; a batch's labels need not contain every class.", fragments=("could not be broadcast",)),
        Hint("Shapes: X (m, n), W1 (n, h), b1 (h,), W2 (h, k), b2 (k,); Z1 and A1 are (m, h), Z2 (m, k); "
             "dW2 = A1.T @ dZ2 is (h, k), dA1 = dZ2 @ W2.T is (m, h), dW1 = X.T @ dZ1 is (n, h).",
             exceptions=("ValueError", "IndexError")),
    ],
    "adam_update": [
        Hint("Hint: state is a dict {'t': an int, 'm': a dict, 'v': a dict}; state['m'] and state['v'] "
             "have the keys of params: state['m']['W1'] is the moving average of the gradient of W1.",
             exceptions=("KeyError", "TypeError")),
        Hint("Hint: m and v of one parameter have that parameter's shape: update them key by key "
             "(for key in params: ...), each with its own gradient grads[key].",
             fragments=("could not be broadcast",)),
    ],
    "train_minibatch": [
        Hint("Hint: adam_update returns a pair, (params, state); mlp_gradients returns a dict of "
             "gradients with the keys of params.", exceptions=("TypeError", "ValueError"),
             fragments=("unpack", "not subscriptable", "not iterable", "indices must be")),
        Hint("Hint: a batch is an array of row indices: X[batch] and y[batch] select its examples; "
             "the last batch of an epoch may be smaller than batch_size.", exceptions=("IndexError",)),
    ],
}


def _grads_differ(c: Check):
    """The comparison of a dict of gradients, key by key (anything else: the ladder's own)."""

    def differs(got, expected):
        if not isinstance(expected, dict):
            return c.standard_differs(got, expected)
        if got is None:
            return "got None. Did you forget a `return` statement?"
        names = ", ".join(f"'{key}'" for key in expected)
        if not isinstance(got, dict):
            return f"got {type_name(got)}, expected a dict with the keys {names} (the keys of params)."
        missing = [key for key in expected if key not in got]
        if missing:
            have = ", ".join(repr(key) for key in got)
            return (f"got a dict with the keys {have or 'none'}, expected the keys {names}: "
                    f"missing {', '.join(repr(key) for key in missing)}.")
        for key in expected:
            reason = compare(got[key], expected[key], rtol=c.rtol, atol=c.atol, label=f"grads['{key}']")
            if reason is not None:
                return reason
        return None

    return differs


# ---------------------------------------------------------------------------------------------
# Cases.


class Params(dict):
    """The params dict the checks pass: an ordinary dict, shown in messages by its shapes."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{key}: {'x'.join(map(str, np.shape(value)))}"
                               for key, value in self.items()) + "}"


class State(dict):
    """Adam's state as the checks pass it: an ordinary dict, shown in messages by t and the keys."""

    def __repr__(self) -> str:
        return f"{{t: {self.get('t')}, m and v of {', '.join(map(str, self.get('m', {})))}}}"


def _state(t, m, v):
    return State(t=t, m=Params(m), v=Params(v))


def network(seed: int, m: int, n: int, h: int, k: int, *, labels=None):
    """A random small network and batch: (X, y, params). No Z1 entry is near 0, so the ReLU's kink
    (where z >= 0 and z > 0 differ, and finite differences break down) is never hit."""
    rng = np.random.default_rng(seed)
    while True:
        X = rng.normal(size=(m, n))
        y = rng.integers(0, k, size=m) if labels is None else np.array(labels)
        params = Params(W1=rng.normal(0, 1, size=(n, h)), b1=rng.normal(0, 0.5, size=h),
                        W2=rng.normal(0, 1, size=(h, k)), b2=rng.normal(0, 0.5, size=k))
        Z1 = _forward(X, params)[0]
        if np.min(np.abs(Z1)) > 1e-2 and np.any(Z1 < 0) and np.any(Z1 > 0):
            return X, y, params


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_relu(relu):
    c = Check("relu", relu, ref_relu, MISTAKES["relu"], hints=_HINTS["relu"])
    c.case(z=np.array([-2.0, -0.5, 0.0, 0.5, 3.0]))
    c.case(note="2-D input", z=np.array([[1.5, -1.0, 0.25], [-3.0, 2.0, -0.1]]))
    c.case(note="all negative", z=np.array([-1.0, -2.5, -1e-3]))
    c.case(note="large magnitudes", z=np.array([-1e6, 2e6, 1e-8]))
    rng = np.random.default_rng(0)
    c.case(note="random", z=rng.normal(0, 2, size=(4, 5)))
    c.passed()


@check
def check_my_softmax(my_softmax):
    """The mathematics of the softmax, on one example (a 1-D array) with moderate logits; a batch
    and large logits are the rule checks `check_my_softmax_batch` and `check_my_softmax_stable`."""
    c = Check("my_softmax", my_softmax, ref_my_softmax, MISTAKES["my_softmax"], hints=_HINTS["my_softmax"])
    c.case(note="one example", z=np.array([1.0, 2.0, 3.0, 0.5]))
    c.case(note="one example, negative logits", z=np.array([-1.0, 0.0, -3.0]))
    c.case(note="one class", z=np.array([7.0]))
    rng = np.random.default_rng(1)
    c.case(note="random", z=rng.normal(0, 3, size=6))
    c.passed()


# Square, with rows that differ: a wrong axis or a missing keepdims gives a result to name.
_SOFTMAX_BATCH = np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0], [0.2, 0.1, -0.4]])


@check
def check_my_softmax_batch(my_softmax):
    """The rule "accepts a batch": on (m, k) logits, the softmax of each row on its own."""
    c = Check("my_softmax", my_softmax, ref_my_softmax, MISTAKES["my_softmax__batch"],
              hints=_HINTS["my_softmax"], rule=rule_words("c2w2", "my_softmax", "batch"))
    values_first(c, check_my_softmax)
    c.case(note="3 examples (rows), 3 classes", z=_SOFTMAX_BATCH)
    c.case(note="2 examples, 4 classes", z=np.array([[2.0, 1.0, 0.1, -1.0], [0.5, 0.5, 3.0, 1.5]]))
    rng = np.random.default_rng(1)
    c.case(note="random batch", z=rng.normal(0, 3, size=(5, 4)))
    c.passed()


@check
def check_my_softmax_stable(my_softmax):
    """The rule "stable for large logits": logits around 1000 give the right probabilities
    (no overflow, no nan). A batch of them is tried only when the function handles a batch (that
    is the batch rule's point, not this one's)."""
    c = Check("my_softmax", my_softmax, ref_my_softmax, MISTAKES["my_softmax__stable"],
              hints=_HINTS["my_softmax"], rule=rule_words("c2w2", "my_softmax", "stable"))
    values_first(c, check_my_softmax)
    c.case(note="large logits", z=np.array([1000.0, 1001.0, 1002.0]))
    c.case(note="large negative logits", z=np.array([-1000.0, -1002.0, -999.0]))
    if _handles_a_batch(c):
        c.case(note="large logits, rows far apart",
               z=np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -999.0]]))
    c.passed()


def _handles_a_batch(c: Check) -> bool:
    """Whether the learner's softmax is right on a moderate batch (quietly: not a case of its own)."""
    try:
        with np.errstate(all="ignore"):
            got = c.call({"z": _SOFTMAX_BATCH})
        return c.values_differ(got, ref_my_softmax(_SOFTMAX_BATCH)) is None
    except CheckFailed:
        return False


@check
def check_softmax_cross_entropy(softmax_cross_entropy):
    """The mathematics of the mean cross-entropy, on moderate logits; computing it stably from the
    logits (large logits, a true class far below the max) is the rule check
    `check_softmax_cross_entropy_stable`."""
    c = Check("softmax_cross_entropy", softmax_cross_entropy, ref_softmax_cross_entropy,
              MISTAKES["softmax_cross_entropy"], hints=_HINTS["softmax_cross_entropy"])
    # Square (3 examples, 3 classes) and positive logits: labels read as one-hot rows, or logits
    # read as probabilities, give a number the catalogue can name.
    c.case(logits=np.array([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.2, 0.2, 3.0]]), y=np.array([0, 2, 2]))
    c.case(note="4 examples, 3 classes", logits=np.array([[1.0, -1.0, 0.5], [0.0, 2.0, -0.5],
                                                          [3.0, 1.0, 2.0], [-2.0, 0.5, 0.0]]),
           y=np.array([1, 1, 0, 2]))
    c.case(note="one example", logits=np.array([[0.3, -1.2, 2.2, 0.7]]), y=np.array([2]))
    c.case(note="two classes", logits=np.array([[1.5, -0.5], [0.2, 0.4], [-1.0, 2.0]]),
           y=np.array([0, 0, 1]))
    rng = np.random.default_rng(2)
    c.case(note="random", logits=rng.normal(0, 2, size=(20, 10)), y=rng.integers(0, 10, size=20))
    c.passed()


@check
def check_softmax_cross_entropy_stable(softmax_cross_entropy):
    """The rule "stable, from the logits": large logits and a true class far below the max give
    the exact cost (the log-sum-exp form), never inf or nan from exp or log(0)."""
    c = Check("softmax_cross_entropy", softmax_cross_entropy, ref_softmax_cross_entropy,
              MISTAKES["softmax_cross_entropy__stable"], hints=_HINTS["softmax_cross_entropy"],
              rule=rule_words("c2w2", "softmax_cross_entropy", "stable"))
    values_first(c, check_softmax_cross_entropy)
    c.case(note="large logits", logits=np.array([[1000.0, 1001.0, 999.0], [1002.0, 1000.0, 1001.0]]),
           y=np.array([1, 2]))
    c.case(note="a true class far below the max",
           logits=np.array([[0.0, 800.0, -5.0], [10.0, 0.0, 900.0]]), y=np.array([0, 1]))
    c.passed()


@check
def check_mlp_gradients(mlp_gradients):
    # The learner's mlp_gradients may call relu, my_softmax and softmax_cross_entropy: the
    # reference versions stand in while it runs, so only mlp_gradients itself is tested here.
    c = Check("mlp_gradients", mlp_gradients, ref_mlp_gradients, MISTAKES["mlp_gradients"],
              hints=_HINTS["mlp_gradients"],
              dependencies={"relu": ref_relu, "my_softmax": ref_my_softmax,
                            "softmax_cross_entropy": ref_softmax_cross_entropy})
    c.compare_hook = _grads_differ(c)
    X, y, params = network(0, m=5, n=3, h=4, k=3, labels=[0, 2, 1, 1, 2])
    c.case(X=X, y=y, params=params)
    X, y, params = network(1, m=1, n=2, h=3, k=2, labels=[0])
    c.case(note="one example", X=X, y=y, params=params)
    X, y, params = network(5, m=4, n=3, h=3, k=3, labels=[0, 1, 1, 0])
    c.case(note="a batch without class 2", X=X, y=y, params=params)
    X, y, params = network(2, m=6, n=4, h=2, k=4, labels=[3, 0, 1, 2, 3, 1])
    c.case(note="2 hidden units, 4 classes", X=X, y=y, params=params)
    # Random small networks, against central finite differences of the loss.
    c.reference = numerical_gradients
    c.rtol, c.atol = 1e-5, 1e-7
    for seed, (m, n, h, k) in zip((3, 4), ((8, 4, 5, 3), (10, 3, 6, 5))):
        X, y, params = network(seed, m=m, n=n, h=h, k=k)
        c.case(note="random network, against finite differences", X=X, y=y, params=params)
    c.passed()



def _plainly_close(got, expected, rtol: float, atol: float) -> bool:
    """Whether `compare` would find these two float64 arrays of one shape equal, in a few numpy
    calls (its own way, through np.allclose, costs tens of microseconds an array, and the training
    check compares 20 arrays on a passing run: issue 16). True only when `expected` is finite and every difference
    is within np.isclose's own bound, atol + rtol * |expected| (so `got` is finite too: a nan or an
    inf is never within it), where np.allclose agrees; False means "ask `compare`", which words the
    difference. An infinite `expected` (a catalogued mistake's result, compared with the learner's)
    is left to `compare`, whose np.isclose keeps inf - inf from warning."""
    if not (type(got) is np.ndarray and type(expected) is np.ndarray and got.dtype == np.float64
            and expected.dtype == np.float64 and got.shape == expected.shape):
        return False
    return bool(np.isfinite(expected).all() and (np.abs(got - expected) <= atol + rtol * np.abs(expected)).all())


def _nested_differ(c: Check, names: tuple[str, ...]):
    """The comparison of a tuple of dicts (params, state) or of a dict and a list, entry by entry,
    each named as the learner's code names it (params['W1'], state['m']['b2'], cost_history)."""

    def differs(got, expected, label):
        if isinstance(expected, dict):
            if got is None:
                return f"{label}: got None. Did you forget a `return` statement?"
            keys = ", ".join(f"'{key}'" for key in expected)
            if not isinstance(got, dict):
                return f"{label}: got {type_name(got)}, expected a dict with the keys {keys}."
            missing = [key for key in expected if key not in got]
            if missing:
                have = ", ".join(repr(key) for key in got)
                return (f"{label}: got a dict with the keys {have or 'none'}, expected the keys {keys}: "
                        f"missing {', '.join(repr(key) for key in missing)}.")
            for key in expected:
                reason = differs(got[key], expected[key], f"{label}[{key!r}]")
                if reason is not None:
                    return reason
            return None
        if _plainly_close(got, expected, c.rtol, c.atol):
            return None
        return compare(got, expected, rtol=c.rtol, atol=c.atol, label=label)

    def top(got, expected):
        reason = compare(got, expected, rtol=c.rtol, atol=c.atol)
        if reason is not None:
            return reason
        for label, g, e in zip(names, got, expected):
            reason = differs(g, e, label)
            if reason is not None:
                return reason
        return None

    return top


@check
def check_adam_update(adam_update):
    # Changing params and state in place is allowed (the check passes copies and reads only what
    # the function returns). The eps cases are chosen so that Kingma and Ba's "efficient" form
    # (alpha_t = alpha * sqrt(1 - beta2**t) / (1 - beta1**t), eps added to sqrt(v)) also passes:
    # where eps matters, t is large enough that 1 - beta2**t is 1.
    c = Check("adam_update", adam_update, ref_adam_update, MISTAKES["adam_update"],
              hints=_HINTS["adam_update"])
    c.compare_hook = _nested_differ(c, ("params", "state"))
    grads = Params(W1=np.array([[0.5, -2.0], [0.25, 1.5]]), b1=np.array([-0.4, 3.0]),
                   W2=np.array([[1.2], [-0.6]]), b2=np.array([0.3]))
    params = Params(W1=np.array([[1.0, -1.0], [0.5, 2.0]]), b1=np.array([0.0, 0.1]),
                    W2=np.array([[0.3], [-0.2]]), b2=np.array([0.0]))
    zeros = ref_adam_init(params)
    c.case(note="the first step, from adam_init", params=params, grads=grads,
           state=_state(0, zeros["m"], zeros["v"]), alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    rng = np.random.default_rng(3)
    m = Params({key: 0.1 * rng.normal(size=value.shape) for key, value in params.items()})
    v = Params({key: 0.003 * (1 + rng.random(size=value.shape)) for key, value in params.items()})
    c.case(note="step 4 (t was 3)", params=params, grads=grads, state=_state(3, m, v),
           alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    c.case(note="beta1 = 0.5, beta2 = 0.8", params=params, grads=grads, state=_state(2, m, v),
           alpha=0.1, beta1=0.5, beta2=0.8, eps=1e-8)
    v_large = Params({key: 0.05 + rng.random(size=value.shape) for key, value in params.items()})
    c.case(note="a large eps, 0.1, at step 61", params=params, grads=grads,
           state=_state(60, m, v_large), alpha=0.05, beta1=0.5, beta2=0.5, eps=0.1)
    shapes = {"W1": (3, 4), "b1": (4,), "W2": (4, 3), "b2": (3,)}
    net, g, m, v = (Params({key: f(shape) for key, shape in shapes.items()}) for f in (
        lambda shape: rng.normal(size=shape), lambda shape: rng.normal(size=shape),
        lambda shape: 0.3 * rng.normal(size=shape), lambda shape: 0.01 * (0.5 + rng.random(size=shape))))
    c.case(note="random, a network's shapes, step 6", params=net, grads=g, state=_state(5, m, v),
           alpha=0.01, beta1=0.9, beta2=0.999, eps=1e-8)
    c.passed()


def _accepting_other_orders(c: Check, cases, results):
    """The expected results of check_train_minibatch (`results`: the reference's on `cases`, made
    once), and a comparison that also accepts the result of another common way to shuffle with the
    same generator (ACCEPTED_ORDERS) where the expected result is the reference's on a case."""
    by_args = {id(args): result for (_, args), result in zip(cases, results)}
    by_result = {id(result): args for (_, args), result in zip(cases, results)}

    def expected(args):
        result = by_args.get(id(args))
        return Check.expected(c, args) if result is None else result

    plain = _nested_differ(c, ("params", "cost_history"))

    def differs(got, expected):
        reason = plain(got, expected)
        if reason is None:
            return None
        args = by_result.get(id(expected))
        if args is not None:
            for order in ACCEPTED_ORDERS:
                if plain(got, _train(*copy.deepcopy(list(args.values())), order=order)) is None:
                    return None
        return reason

    return expected, differs


def _train_explain(args, got, expected):
    return ["if each step is right, the batches may not follow the stated order: rng = "
            "np.random.default_rng(seed) once, before the epochs; each epoch order = rng.permutation(m) "
            "and the batches order[0:batch_size], order[batch_size:2 * batch_size], ... (the last one "
            "smaller); for each, grads = mlp_gradients(X[batch], y[batch], params), then "
            "params, state = adam_update(params, grads, state, alpha)."]


@functools.cache
def _train_cases() -> tuple[tuple[str, dict], ...]:
    """The cases of `check_train_minibatch`, (note, arguments), made once: every call gets a deep
    copy of them (Check.call, Check._run_mistake, the accepted orders), so they never change. `seed` is the function's
    argument (Check.case's own seed would seed numpy's global generator)."""
    cases = []
    for note, (net, m, n, h, k), seed, alpha, epochs, batch_size in (
            ("10 examples in batches of 4, 4 and 2", (10, 10, 3, 4, 3), 0, 0.05, 3, 4),
            ("one batch per epoch", (11, 6, 2, 3, 2), 1, 0.05, 2, 8),
            ("batches of 1", (12, 5, 3, 3, 3), 2, 0.02, 2, 1),
            ("8 examples in batches of 4", (13, 8, 4, 5, 4), 3, 0.02, 2, 4),
            ("another seed", (14, 9, 3, 4, 3), 7, 0.05, 2, 3)):
        X, y, params = network(net, m=m, n=n, h=h, k=k)
        cases.append((note, dict(X=X, y=y, params=params, alpha=alpha, epochs=epochs,
                                 batch_size=batch_size, seed=seed)))
    return tuple(cases)


@functools.cache
def _train_expected() -> tuple:
    """The reference's result on each case of `check_train_minibatch`, computed once (the cases and
    the reference never change; the training is half of the check's time: issue 16), its arrays
    read-only so that nothing can change them."""
    results = []
    for _, args in _train_cases():
        params, history = ref_train_minibatch(*copy.deepcopy(list(args.values())))
        for value in params.values():
            value.flags.writeable = False
        results.append((params, history))
    return tuple(results)


@check
def check_train_minibatch(train_minibatch):
    # The learner's train_minibatch calls the other graded functions and the notebook's helpers:
    # the kit's versions stand in while it runs, so only the training loop is tested. It may change
    # the params it is given in place (the check passes a copy).
    c = Check("train_minibatch", train_minibatch, ref_train_minibatch, MISTAKES["train_minibatch"],
              hints=_HINTS["train_minibatch"], explain=_train_explain,
              dependencies={"relu": ref_relu, "my_softmax": ref_my_softmax,
                            "softmax_cross_entropy": ref_softmax_cross_entropy,
                            "mlp_gradients": ref_mlp_gradients, "adam_update": ref_adam_update,
                            "adam_init": ref_adam_init, "predict_logits": ref_predict_logits})
    c.expected, c.compare_hook = _accepting_other_orders(c, _train_cases(), _train_expected())

    for note, args in _train_cases():
        c.run_case(args, note)
    c.passed()
