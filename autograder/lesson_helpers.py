"""Plain reference versions of graded functions, for the lessons of *later* modules.

A lesson that needs a function a learner wrote in an earlier module (a course-2 lesson that uses
`sigmoid` from c1w3) imports it from here instead of defining it again:

    from autograder.lesson_helpers import sigmoid

Each function is tagged in `PROVIDES` with the module whose exercise asks for it, and
tests/test_lessons.py proves that a lesson imports only functions of modules before its own, so
nothing here helps with the exercise a lesson prepares for. A learner who hands one of these in
for its own exercise scores 0 for it (autograder.checks.ladder.kit_copy). Functions here that are
not graded (Adam's starting state, which c2w2's notebook gives) are private: a leading underscore,
outside `__all__`, so no lesson imports them (tests/test_lessons.py checks both).
"""

from __future__ import annotations

import numpy as np


def sigmoid(z):
    """The logistic function g(z) = 1 / (1 + e^(-z)), elementwise, without overflow (c1w3)."""
    z = np.clip(np.asarray(z, dtype=float), -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


def precision_recall_f1(y_true, y_pred):
    """Precision, recall and F1 of 0/1 predictions for the class 1; 0 where a denominator is 0 (c2w3)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    flagged, actual = int(np.sum(y_pred == 1)), int(np.sum(y_true == 1))
    precision = tp / flagged if flagged else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# ---- c2w2: the network with one hidden ReLU layer and a softmax output, trained with Adam.
# params is a dict: "W1" (n, h), "b1" (h,), "W2" (h, k), "b2" (k,).

def relu(z):
    """max(0, z), elementwise (c2w2)."""
    return np.maximum(0, z)


def my_softmax(z):
    """The softmax over the last axis, the max subtracted first so that nothing overflows (c2w2)."""
    e = np.exp(z - np.max(z, axis=-1, keepdims=True))
    return e / np.sum(e, axis=-1, keepdims=True)


def softmax_cross_entropy(logits, y):
    """The mean cross-entropy of the softmax of `logits` (m, k) for the classes `y` (m,), from the
    logits by log-sum-exp (c2w2)."""
    logits = np.asarray(logits, dtype=float)
    top = np.max(logits, axis=1, keepdims=True)
    log_sum = top[:, 0] + np.log(np.sum(np.exp(logits - top), axis=1))
    return float(np.mean(log_sum - logits[np.arange(len(y)), y]))


def mlp_gradients(X, y, params):
    """The gradients of the mean cross-entropy for every parameter of the one-hidden-layer network,
    by backpropagation: a dict with the keys and shapes of `params` (c2w2)."""
    pre = X @ params["W1"] + params["b1"]
    hidden = relu(pre)
    delta = my_softmax(hidden @ params["W2"] + params["b2"])
    delta[np.arange(X.shape[0]), y] -= 1.0
    delta /= X.shape[0]
    back = (delta @ params["W2"].T) * (pre > 0)
    return {"W1": X.T @ back, "b1": back.sum(axis=0), "W2": hidden.T @ delta, "b2": delta.sum(axis=0)}


def adam_update(params, grads, state, alpha=1e-3, beta1=0.9, beta2=0.999, eps=1e-8):
    """One Adam step for every key of `params`; returns (new params, new state), the state being
    {"t": steps so far, "m": {key: first moment}, "v": {key: second moment}} (c2w2)."""
    t = state["t"] + 1
    m = {k: beta1 * state["m"][k] + (1 - beta1) * grads[k] for k in params}
    v = {k: beta2 * state["v"][k] + (1 - beta2) * grads[k] ** 2 for k in params}
    new = {k: params[k] - alpha * (m[k] / (1 - beta1 ** t)) / (np.sqrt(v[k] / (1 - beta2 ** t)) + eps)
           for k in params}
    return new, {"t": t, "m": m, "v": v}


def _adam_start(params):
    """Adam's state before its first step (not graded: the c2w2 notebook gives it)."""
    zeros = {k: np.zeros_like(v, dtype=float) for k, v in params.items()}
    return {"t": 0, "m": zeros, "v": {k: z.copy() for k, z in zeros.items()}}


def _logits(X, params):
    return relu(X @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]


def train_minibatch(X, y, params, alpha=2e-3, epochs=40, batch_size=64, seed=0):
    """Adam on mini-batches of `batch_size`, the examples shuffled each epoch by
    np.random.default_rng(seed).permutation; returns (params, the cost on (X, y) after each epoch) (c2w2)."""
    rng = np.random.default_rng(seed)
    state = _adam_start(params)
    history = []
    for _ in range(epochs):
        order = rng.permutation(X.shape[0])
        for lo in range(0, X.shape[0], batch_size):
            rows = order[lo:lo + batch_size]
            params, state = adam_update(params, mlp_gradients(X[rows], y[rows], params), state, alpha)
        history.append(softmax_cross_entropy(_logits(X, params), y))
    return params, history


# name -> the module whose exercise asks for it (every public function here is one of them)
PROVIDES: dict[str, str] = {
    "sigmoid": "c1w3",
    "relu": "c2w2",
    "my_softmax": "c2w2",
    "softmax_cross_entropy": "c2w2",
    "mlp_gradients": "c2w2",
    "adam_update": "c2w2",
    "train_minibatch": "c2w2",
    "precision_recall_f1": "c2w3",
}

__all__ = sorted(PROVIDES)
