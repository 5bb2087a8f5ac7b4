"""Checks for module c2w2: training a neural network in numpy.

Conventions stated in the exercise:

- `relu(z)`: element by element, on an array of any shape.
- `my_softmax(z)`: `z` is one example's logits, shape (k,), or a batch, shape (m, k), one example
  per row; the softmax is taken over the last axis (the classes), with the max subtracted first
  so that large logits do not overflow.
- `softmax_cross_entropy(logits, y)`: `logits` has shape (m, k), `y` holds integer class labels
  0..k-1, shape (m,); the result is one number, the mean over the m examples of
  -log softmax(logits)[i, y[i]], computed from the logits (log-sum-exp), never via log(softmax).
- `mlp_gradients(X, y, params)`: a network with one hidden ReLU layer and a softmax output, loss
  the mean cross-entropy. `params` is a dict with `W1` (n, h), `b1` (h,), `W2` (h, k), `b2` (k,);
  the result is a dict with the same keys and shapes, holding the gradient of the loss with
  respect to each parameter.

A naive softmax (no max subtracted) is right on moderate logits and passes those cases; it is
rejected, with the overflow and the max-subtraction trick named, on logits around 1000. The
gradients are compared with the analytic reference and, for random small networks, with central
finite differences of the loss.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Hint, check, compare, mistake, type_name

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
    return _backward(X, y, params)


def mlp_loss(X, y, params):
    """The loss whose gradient mlp_gradients computes: mean cross-entropy of the network's logits."""
    return ref_softmax_cross_entropy(_forward(X, params)[2], y)


def numerical_gradients(X, y, params, eps=1e-6):
    """Central finite differences of `mlp_loss`, one parameter entry at a time."""
    p = {key: np.array(value, dtype=float) for key, value in params.items()}
    grads = {}
    for key in KEYS:
        g = np.zeros_like(p[key])
        for idx in np.ndindex(p[key].shape):
            old = p[key][idx]
            p[key][idx] = old + eps
            plus = mlp_loss(X, y, p)
            p[key][idx] = old - eps
            minus = mlp_loss(X, y, p)
            p[key][idx] = old
            g[idx] = (plus - minus) / (2 * eps)
        grads[key] = g
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


MISTAKES = {
    "relu": [_relu_np_max, _relu_abs, _relu_minimum, _relu_derivative, _relu_leaky, _relu_clip,
             _relu_sigmoid, _relu_list],
    "my_softmax": [_softmax_naive, _softmax_columns, _softmax_whole_array, _softmax_no_keepdims,
                   _softmax_global_max, _softmax_no_exp, _softmax_unnormalized, _softmax_half_shifted,
                   _softmax_sigmoid],
    "softmax_cross_entropy": [_ce_sum, _ce_log_of_softmax, _ce_naive_log_softmax, _ce_log_eps,
                              _ce_logits_as_probabilities, _ce_softmax_twice, _ce_labels_as_one_hot,
                              _ce_fancy_index, _ce_log10, _ce_no_minus, _ce_mean_all_entries,
                              _ce_per_example, _ce_lse_whole_array, _ce_max_half],
    "mlp_gradients": [_grads_no_m, _grads_no_relu_grad, _grads_times_activation, _grads_transposed,
                      _grads_db_not_summed, _grads_db_wrong_axis, _grads_db_keepdims,
                      _grads_swapped_layers, _grads_swapped_w_b, _grads_no_one_hot, _grads_flipped,
                      _grads_dW2_from_Z1, _grads_k_from_labels, _grads_d_keys, _grads_tuple],
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
    c = Check("my_softmax", my_softmax, ref_my_softmax, MISTAKES["my_softmax"], hints=_HINTS["my_softmax"])
    c.case(note="one example", z=np.array([1.0, 2.0, 3.0, 0.5]))
    # Square, with rows that differ: a wrong axis or a missing keepdims gives a result to name.
    c.case(note="3 examples (rows), 3 classes",
           z=np.array([[1.0, 2.0, 0.5], [-1.0, 0.0, 3.0], [0.2, 0.1, -0.4]]))
    c.case(note="2 examples, 4 classes", z=np.array([[2.0, 1.0, 0.1, -1.0], [0.5, 0.5, 3.0, 1.5]]))
    c.case(note="one class", z=np.array([7.0]))
    c.case(note="large logits", z=np.array([1000.0, 1001.0, 1002.0]))
    c.case(note="large logits, rows far apart",
           z=np.array([[1000.0, 1001.0, 999.0], [-1000.0, -1002.0, -999.0]]))
    rng = np.random.default_rng(1)
    c.case(note="random", z=rng.normal(0, 3, size=(5, 4)))
    c.passed()


@check
def check_softmax_cross_entropy(softmax_cross_entropy):
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
    c.case(note="large logits", logits=np.array([[1000.0, 1001.0, 999.0], [1002.0, 1000.0, 1001.0]]),
           y=np.array([1, 2]))
    c.case(note="a true class far below the max",
           logits=np.array([[0.0, 800.0, -5.0], [10.0, 0.0, 900.0]]), y=np.array([0, 1]))
    rng = np.random.default_rng(2)
    c.case(note="random", logits=rng.normal(0, 2, size=(20, 10)), y=rng.integers(0, 10, size=20))
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
