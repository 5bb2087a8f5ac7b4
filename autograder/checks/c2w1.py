"""Checks for module c2w1: neurons, layers and forward propagation in numpy.

Conventions (those of the original course): a layer's weights `W` have shape (n_in, n_units), so
unit j's weights are the column `W[:, j]`; its biases `b` have shape (n_units,); one example `a_in`
has shape (n_in,) and a batch `A_in` has shape (m, n_in), one example per row. `g` is the layer's
activation, a function applied element by element. `my_sequential(X, params)` takes `params` as a
list of `(W, b, g)` tuples, one per layer, from the input to the output.

The checks call the learner's functions with activations other than the sigmoid (ReLU, tanh, the
identity), so a hard-coded sigmoid is caught, and they use square layers first so that a transposed
`W` or an elementwise product gives a result (named by the catalogue) instead of an error.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Hint, check, mistake

# ---------------------------------------------------------------------------------------------
# Activations the checks pass as `g`: plain element-by-element functions with a readable name in
# messages (`g=relu`, not `g=<function ...>`), and no overflow warnings for any input.


class Activation:
    def __init__(self, name: str, fn):
        self.name, self.fn = name, fn

    def __call__(self, z):
        return self.fn(z)

    def __repr__(self) -> str:
        return self.name


# Module-level functions, not lambdas: the grader's clean re-check pickles the arguments.


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))  # = 1 / (1 + exp(-z)), no overflow


def _relu(z):
    return np.maximum(0.0, z)


def _linear(z):
    return 1.0 * np.asarray(z, dtype=float)


sigmoid = Activation("sigmoid", _sigmoid)
relu = Activation("relu", _relu)
tanh = Activation("tanh", np.tanh)
linear = Activation("linear", _linear)

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_my_dense(a_in, W, b, g):
    units = W.shape[1]
    a_out = np.zeros(units)
    for j in range(units):
        a_out[j] = g(np.dot(a_in, W[:, j]) + b[j])
    return a_out


def ref_my_dense_v(A_in, W, b, g):
    return np.asarray(g(np.matmul(A_in, W) + b), dtype=float)


def ref_my_sequential(X, params):
    A = X
    for W, b, g in params:
        A = ref_my_dense_v(A, W, b, g)
    return A


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes.

# my_dense


@mistake("the activation is hard-coded as the sigmoid: apply the `g` you are given, "
         "a_out[j] = g(z), so the same function builds ReLU or linear layers too.")
def _dense_sigmoid(a_in, W, b, g):
    return ref_my_dense(a_in, W, b, sigmoid)


@mistake("the bias is missing: z = np.dot(a_in, W[:, j]) + b[j].")
def _dense_no_bias(a_in, W, b, g):
    return ref_my_dense(a_in, W, np.zeros_like(b), g)


@mistake("the bias is added after the activation: add b[j] to the weighted sum first, "
         "then apply g: a_out[j] = g(np.dot(a_in, W[:, j]) + b[j]).")
def _dense_bias_after(a_in, W, b, g):
    return ref_my_dense(a_in, W, np.zeros_like(b), g) + b


@mistake("an elementwise product (`a_in * W`) was used where the weighted sum needs a dot "
         "product: np.dot(a_in, W[:, j]) (or a_in @ W for all units at once).")
def _dense_elementwise(a_in, W, b, g):
    return np.asarray(g(a_in * W + b), dtype=float)


@mistake("the weights of unit j were taken from row j of W; with W of shape (n_in, n_units) "
         "they are column j, W[:, j] (a_in @ W, not W @ a_in).")
def _dense_transposed(a_in, W, b, g):
    return ref_my_dense(a_in, W.T, b, g)


@mistake("the loop runs over W.shape[0] (the inputs) instead of W.shape[1] (the units): "
         "a layer has one output per column of W.")
def _dense_loop_inputs(a_in, W, b, g):
    units = W.shape[0]
    a_out = np.zeros(units)
    for j in range(units):
        a_out[j] = g(np.dot(a_in, W[:, j]) + b[j])
    return a_out


@mistake("the activation g is not applied: the layer's output is a = g(z), not z.")
def _dense_no_activation(a_in, W, b, g):
    return ref_my_dense(a_in, W, b, linear)


@mistake("the loop overwrites one number instead of filling a_out[j] for every unit.")
def _dense_last_only(a_in, W, b, g):
    j = W.shape[1] - 1
    return float(g(np.dot(a_in, W[:, j]) + b[j]))


@mistake("the `return` is inside the loop over the units, so only the first unit is computed and the "
         "others stay 0; return a_out after the loop has filled every a_out[j].")
def _dense_return_in_loop(a_in, W, b, g):
    a_out = np.zeros(W.shape[1])
    a_out[0] = g(np.dot(a_in, W[:, 0]) + b[0])
    return a_out


@mistake("a Python list was returned; return a numpy array (fill `a_out = np.zeros(units)`).")
def _dense_list(a_in, W, b, g):
    return list(ref_my_dense(a_in, W, b, g))


# my_dense_v


@mistake("the activation is hard-coded as the sigmoid: apply the `g` you are given, g(A_in @ W + b).")
def _dense_v_sigmoid(A_in, W, b, g):
    return ref_my_dense_v(A_in, W, b, sigmoid)


@mistake("the bias is missing: Z = A_in @ W + b.")
def _dense_v_no_bias(A_in, W, b, g):
    return ref_my_dense_v(A_in, W, np.zeros_like(b), g)


@mistake("the bias is added after the activation: compute Z = A_in @ W + b first, then g(Z).")
def _dense_v_bias_after(A_in, W, b, g):
    return ref_my_dense_v(A_in, W, np.zeros_like(b), g) + b


@mistake("`A_in * W` is an elementwise product; a layer needs the matrix product "
         "`A_in @ W` (or np.matmul(A_in, W)).")
def _dense_v_elementwise(A_in, W, b, g):
    return np.asarray(g(A_in * W + b), dtype=float)


@mistake("W was transposed: with W of shape (n_in, n_units), Z = A_in @ W (not A_in @ W.T).")
def _dense_v_transposed(A_in, W, b, g):
    return ref_my_dense_v(A_in, W.T, b, g)


@mistake("the matrix product is in the wrong order: A_in @ W, (m, n_in) times (n_in, n_units), "
         "not W @ A_in.")
def _dense_v_product_order(A_in, W, b, g):
    return np.asarray(g(np.matmul(W, A_in) + b), dtype=float)


@mistake("the result is transposed: return one row per example, shape (m, n_units): "
         "Z = A_in @ W + b, not W.T @ A_in.T.")
def _dense_v_output_transposed(A_in, W, b, g):
    return ref_my_dense_v(A_in, W, b, g).T


@mistake("the activation g is not applied: the layer's output is g(Z), not Z.")
def _dense_v_no_activation(A_in, W, b, g):
    return ref_my_dense_v(A_in, W, b, linear)


@mistake("a Python list of rows was returned; the matrix product gives the whole (m, n_units) "
         "array at once: g(A_in @ W + b).")
def _dense_v_list(A_in, W, b, g):
    return [row for row in ref_my_dense_v(A_in, W, b, g)]


# my_sequential


@mistake("`return` is inside the loop, so only the first layer runs: return after the loop.")
def _seq_first_layer_only(X, params):
    return ref_my_sequential(X, params[:1])


@mistake("every layer was given X; each layer's input is the previous layer's output "
         "(A = my_dense_v(A, W, b, g), starting from A = X).")
def _seq_x_every_layer(X, params):
    A = X
    for W, b, g in params:
        A = ref_my_dense_v(X, W, b, g)
    return A


@mistake("the last layer is skipped: loop over all the layers (`for W, b, g in params:`).")
def _seq_skip_last(X, params):
    return ref_my_sequential(X, params[:-1]) if len(params) > 1 else X


@mistake("the first layer is skipped: loop over all the layers, starting from the first "
         "(`for W, b, g in params:`, or range(len(params)), not range(1, ...)).")
def _seq_skip_first(X, params):
    return ref_my_sequential(X, params[1:])


@mistake("the layers ran in reverse order: params[0] is the first layer, the one that reads X.")
def _seq_reversed(X, params):
    return ref_my_sequential(X, params[::-1])


@mistake("the activation is hard-coded as the sigmoid: each layer has its own g, "
         "pass it on (`for W, b, g in params:`).")
def _seq_sigmoid(X, params):
    return ref_my_sequential(X, [(W, b, sigmoid) for W, b, _ in params])


@mistake("a list of every layer's activations was returned; return only the output of the last layer.")
def _seq_all_layers(X, params):
    out, A = [], X
    for W, b, g in params:
        A = ref_my_dense_v(A, W, b, g)
        out.append(A)
    return out


@mistake("the last layer's z (before its activation) was returned; return a = g(z).")
def _seq_last_z(X, params):
    A = ref_my_sequential(X, params[:-1])
    W, b, _ = params[-1]
    return ref_my_dense_v(A, W, b, linear)


MISTAKES = {
    "my_dense": [_dense_sigmoid, _dense_no_bias, _dense_bias_after, _dense_elementwise,
                 _dense_transposed, _dense_loop_inputs, _dense_no_activation, _dense_last_only,
                 _dense_list, _dense_return_in_loop],
    "my_dense_v": [_dense_v_sigmoid, _dense_v_no_bias, _dense_v_bias_after, _dense_v_elementwise,
                   _dense_v_transposed, _dense_v_product_order, _dense_v_output_transposed,
                   _dense_v_no_activation, _dense_v_list],
    "my_sequential": [_seq_first_layer_only, _seq_x_every_layer, _seq_skip_last, _seq_skip_first,
                      _seq_reversed, _seq_sigmoid, _seq_all_layers, _seq_last_z],
}

# ---------------------------------------------------------------------------------------------
# When the learner's function raises, the error numpy gives is about shapes; say what the shapes
# are meant to be.

_SHAPES = ("Shapes: W is (n_in, n_units), so unit j's weights are the column W[:, j]; "
           "b is (n_units,); {inp}")

_HINTS = {  # function -> the hints, the first that applies is added
    "my_dense": [
        Hint("Hint: a_out[j] must be one number: the weighted sum np.dot(a_in, W[:, j]) + b[j]. "
             "An elementwise product a_in * W[:, j] is a whole vector.",
             fragments=("setting an array element with a sequence",)),
        Hint(_SHAPES.format(inp="a_in is (n_in,) and the result is (n_units,)."),
             exceptions=("ValueError", "IndexError")),
    ],
    "my_dense_v": [
        Hint(_SHAPES.format(inp="A_in is (m, n_in), one example per row, and A_in @ W + b is (m, n_units)."),
             exceptions=("ValueError", "IndexError")),
    ],
    "my_sequential": [
        Hint("Hint: params is a list of (W, b, g) tuples from the first layer to the last; "
             "each layer's input is the previous layer's output, starting from X: "
             "`A = X`, then `for W, b, g in params: A = my_dense_v(A, W, b, g)`.",
             exceptions=("ValueError", "TypeError", "IndexError")),
    ],
}


# ---------------------------------------------------------------------------------------------
# Cases.


def _layer(rng, n_in, n_units):
    return rng.normal(0, 1, size=(n_in, n_units)), rng.normal(0, 0.5, size=n_units)


# ---------------------------------------------------------------------------------------------
# What the checks of this module switch on: the arguments must not change (the caller's data stays
# as it was; the exercise says so), a raised exception shows the case's inputs whole, and the
# inputs that are a batch of examples (or one example) are said to be so on a shape error.
# The clean re-check sees a changed argument too: the functions among the arguments (g, the g of
# each layer in params) come back from its kernel as placeholders (replay_kernel.restore_functions).

ARGUMENTS_KEPT = {"my_dense", "my_dense_v", "my_sequential"}


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_my_dense(my_dense):
    c = Check("my_dense", my_dense, ref_my_dense, MISTAKES["my_dense"], hints=_HINTS["my_dense"],
              mutation="fail", detail_raised=True, examples={"a_in": "one"}, probe=("b",))
    # Square first (2 inputs, 2 units): a transposed W or an elementwise product gives a result
    # that the catalogue can name, rather than a shape error.
    W = np.array([[1.0, -3.0], [2.0, 0.5]])
    c.case(a_in=np.array([1.0, -2.0]), W=W, b=np.array([0.5, 1.0]), g=sigmoid)
    c.case(note="a ReLU layer, 2 inputs and 3 units", a_in=np.array([200.0, 13.9]),
           W=np.array([[-0.1, 0.02, 0.1], [2.0, -3.0, -1.0]]), b=np.array([-1.0, 30.0, 5.0]), g=relu)
    c.case(note="one unit, linear activation", a_in=np.array([1.0, 2.0, 3.0]),
           W=np.array([[0.5], [-1.0], [2.0]]), b=np.array([-0.25]), g=linear)
    rng = np.random.default_rng(1)
    W, b = _layer(rng, 5, 4)
    c.case(note="random, tanh", a_in=rng.normal(size=5), W=W, b=b, g=tanh)
    c.passed()


@check
def check_my_dense_v(my_dense_v):
    c = Check("my_dense_v", my_dense_v, ref_my_dense_v, MISTAKES["my_dense_v"], hints=_HINTS["my_dense_v"],
              mutation="fail", detail_raised=True, examples={"A_in": "batch"}, probe=("b",))
    W = np.array([[1.0, -3.0], [2.0, 0.5]])
    c.case(A_in=np.array([[1.0, -2.0], [0.5, 3.0]]), W=W, b=np.array([0.5, 1.0]), g=sigmoid)
    c.case(note="a ReLU layer, 3 examples, 2 inputs, 4 units",
           A_in=np.array([[1.0, 2.0], [-1.0, 0.5], [3.0, -2.0]]),
           W=np.array([[0.5, -1.0, 2.0, 0.1], [1.5, 0.3, -0.7, -2.0]]),
           b=np.array([-1.0, 0.5, 0.25, 2.0]), g=relu)
    c.case(note="one example", A_in=np.array([[2.0, -1.0, 0.5]]),
           W=np.array([[0.2, -0.4], [1.0, 0.3], [-0.5, 0.8]]), b=np.array([0.1, -0.2]), g=linear)
    rng = np.random.default_rng(2)
    W, b = _layer(rng, 5, 3)
    c.case(note="random, tanh", A_in=rng.normal(size=(6, 5)), W=W, b=b, g=tanh)
    c.passed()


def _network(rng, sizes, activations):
    return [(*_layer(rng, n_in, n_out), g)
            for n_in, n_out, g in zip(sizes[:-1], sizes[1:], activations)]


@check
def check_my_sequential(my_sequential):
    # The learner's my_sequential may call my_dense or my_dense_v: the reference versions stand in
    # while it runs, so only my_sequential itself is tested here.
    c = Check("my_sequential", my_sequential, ref_my_sequential, MISTAKES["my_sequential"],
              hints=_HINTS["my_sequential"],
              dependencies={"my_dense": ref_my_dense, "my_dense_v": ref_my_dense_v},
              mutation="fail", detail_raised=True)  # (its shape errors are the layers' order: its hints say)
    rng = np.random.default_rng(3)
    # Three square layers, three different activations: every catalogued mistake gives a result.
    c.case(note="3 layers of 2 units: relu, tanh, sigmoid", X=rng.normal(size=(3, 2)),
           params=_network(rng, [2, 2, 2, 2], [relu, tanh, sigmoid]))
    c.case(note="2 layers: 3 inputs, 4 ReLU units, 1 sigmoid unit", X=rng.normal(size=(4, 3)),
           params=_network(rng, [3, 4, 1], [relu, sigmoid]))
    c.case(note="a single layer", X=rng.normal(size=(5, 3)), params=_network(rng, [3, 2], [tanh]))
    c.case(note="one example, 2 layers", X=rng.normal(size=(1, 4)),
           params=_network(rng, [4, 3, 2], [sigmoid, linear]))
    c.case(note="random, 4 layers", X=rng.normal(size=(8, 5)),
           params=_network(rng, [5, 6, 4, 3, 2], [relu, relu, tanh, linear]))
    c.passed()
