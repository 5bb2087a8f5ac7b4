"""c2w1 checks: correct alternatives pass; wrong ones outside the catalogue fail with a useful
message (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import numpy as np

from autograder.checks import c2w1
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives ---------------------------------------------------------------------


def dense_loop(a_in, W, b, g):  # the original course's loop over units
    units = W.shape[1]
    a_out = np.zeros(units)
    for j in range(units):
        w = W[:, j]
        z = np.dot(w, a_in) + b[j]
        a_out[j] = g(z)
    return a_out


def dense_double_loop(a_in, W, b, g):  # no numpy products at all
    n_in, units = W.shape
    a_out = np.zeros(units)
    for j in range(units):
        z = b[j]
        for i in range(n_in):
            z += a_in[i] * W[i, j]
        a_out[j] = g(z)
    return a_out


def dense_vectorized(a_in, W, b, g):  # one line: fine too
    return g(a_in @ W + b)


def dense_activation_after_loop(a_in, W, b, g):  # g applied once to the vector of z's
    z = np.array([W[:, j] @ a_in + b[j] for j in range(W.shape[1])])
    return g(z)


def dense_v_matmul(A_in, W, b, g):
    Z = np.matmul(A_in, W) + b
    return g(Z)


def dense_v_dot(A_in, W, b, g):
    return g(np.dot(A_in, W) + b.reshape(1, -1))


def dense_v_row_loop(A_in, W, b, g):  # one example at a time: slow, but right
    return np.array([g(a @ W + b) for a in A_in])


def sequential_with_dense_v(X, params):
    A = X
    for W, b, g in params:
        A = my_dense_v(A, W, b, g)  # noqa: F821 - swapped in by the check
    return A


def sequential_with_dense(X, params):  # one example at a time, with my_dense
    out = []
    for x in X:
        a = x
        for W, b, g in params:
            a = my_dense(a, W, b, g)  # noqa: F821 - swapped in by the check
        out.append(a)
    return np.array(out)


def sequential_indexed(X, params):
    A = X.copy()
    for layer in range(len(params)):
        W, b, g = params[layer]
        A = g(A @ W + b)
    return A


CORRECT = {
    "my_dense": [dense_loop, dense_double_loop, dense_vectorized, dense_activation_after_loop],
    "my_dense_v": [dense_v_matmul, dense_v_dot, dense_v_row_loop],
    "my_sequential": [sequential_with_dense_v, sequential_with_dense, sequential_indexed],
}


# --- the checks' cases cover what they claim ------------------------------------------------------


def test_a_hard_coded_sigmoid_fails_on_a_relu_layer():
    def sigmoid(z):
        return 1 / (1 + np.exp(-z))

    def hard_coded(a_in, W, b, g):
        return sigmoid(a_in @ W + b)

    message = assert_rejects(c2w1.check_my_dense, hard_coded, "g=relu", "hard-coded as the sigmoid")
    assert "[a ReLU layer" in message


def test_my_sequential_check_swaps_in_reference_layers():
    """A wrong my_dense_v in the notebook must not fail the my_sequential check."""
    namespace = {"np": np}
    exec(
        "def my_dense_v(A_in, W, b, g):\n    return A_in * 0 - 1\n"
        "def my_sequential(X, params):\n"
        "    A = X\n"
        "    for W, b, g in params:\n"
        "        A = my_dense_v(A, W, b, g)\n"
        "    return A\n",
        namespace,
    )
    assert_accepts(c2w1.check_my_sequential, namespace["my_sequential"])
    assert namespace["my_dense_v"](np.ones(2), None, None, None).tolist() == [-1, -1]


# --- wrong in ways the catalogue does not name ------------------------------------------------------


def test_elementwise_product_in_the_loop_says_a_unit_gives_one_number():
    def elementwise_loop(a_in, W, b, g):
        a_out = np.zeros(W.shape[1])
        for j in range(W.shape[1]):
            a_out[j] = g(a_in * W[:, j] + b[j])
        return a_out

    assert_rejects(c2w1.check_my_dense, elementwise_loop, "raised ValueError", "must be one number")


def test_shape_error_in_my_dense_v_states_the_shapes():
    def w_first(A_in, W, b, g):
        if A_in.shape == W.shape:  # dodge the square case, where the catalogue names it
            return c2w1.ref_my_dense_v(A_in, W, b, g)
        return g(W @ A_in + b)

    assert_rejects(c2w1.check_my_dense_v, w_first, "raised ValueError", "W is (n_in, n_units)")


def test_my_sequential_with_the_wrong_tuple_order_gets_the_params_hint():
    def wrong_unpacking(X, params):
        A = X
        for g, W, b in params:
            A = g(A @ W + b)
        return A

    assert_rejects(c2w1.check_my_sequential, wrong_unpacking, "raised", "list of (W, b, g) tuples")


def test_returning_the_params_list_is_a_message_not_numpys_error():
    # A ragged list cannot be compared with the catalogued results (arrays): that must not
    # surface as numpy's "inhomogeneous shape" ValueError.
    assert_rejects(c2w1.check_my_sequential, lambda X, params: params, "got a list", "expected a numpy array")


def test_column_output_is_a_shape_error():
    def column(a_in, W, b, g):
        return c2w1.ref_my_dense(a_in, W, b, g).reshape(-1, 1)

    assert_rejects(c2w1.check_my_dense, column, "shape (2, 1)", "expected shape (2,)")


def test_missing_return_is_pointed_out():
    def no_return(A_in, W, b, g):
        g(A_in @ W + b)

    assert_rejects(c2w1.check_my_dense_v, no_return, "got None", "forget a `return`")


def test_activations_have_readable_names_in_messages():
    def no_bias(A_in, W, b, g):
        return g(A_in @ W)

    message = assert_rejects(c2w1.check_my_dense_v, no_bias, "g=sigmoid", "bias is missing")
    assert "<function" not in message


def test_a_sigmoid_written_the_course_way_is_fine_as_an_activation():
    # The notebook's own sigmoid, 1 / (1 + exp(-z)), agrees with the checks' overflow-free one.
    z = np.linspace(-30, 30, 61)
    assert np.allclose(c2w1.sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12, atol=1e-15)


def test_check_arguments_survive_pickling():
    """The grader's clean re-check sends the arguments to another process by pickle."""
    import pickle

    for g in (c2w1.sigmoid, c2w1.relu, c2w1.tanh, c2w1.linear):
        again = pickle.loads(pickle.dumps(g))
        assert repr(again) == repr(g)
        assert np.allclose(again(np.array([-1.0, 0.5])), g(np.array([-1.0, 0.5])))
