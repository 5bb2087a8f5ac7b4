"""c2w4 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import types

import numpy as np
import pytest

from autograder.checks import c2w4
from tests.checks.helpers import assert_accepts, assert_rejects

# --- correct alternatives -----------------------------------------------------------------------


def entropy_course(y):  # the original course's version
    entropy = 0.0
    if len(y) != 0:
        p1 = len(y[y == 1]) / len(y)
        if p1 != 0 and p1 != 1:
            entropy = -p1 * np.log2(p1) - (1 - p1) * np.log2(1 - p1)
        else:
            entropy = 0.0
    return entropy


def entropy_over_classes(y):  # a sum over both classes, skipping empty ones
    if len(y) == 0:
        return 0
    counts = np.array([np.sum(y == 0), np.sum(y == 1)])
    p = counts[counts > 0] / len(y)
    return -np.sum(p * np.log2(p))


def entropy_where(y):  # np.where evaluates log2(0) (a silenced warning) but the value is right
    if y.size == 0:
        return 0.0
    p = np.array([np.mean(y), 1 - np.mean(y)])
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(p > 0, -p * np.log2(p), 0.0)
    return float(terms.sum())


def entropy_change_of_base(y):  # ln(p) / ln(2) is log2(p)
    m = len(y)
    if m == 0:
        return 0.0
    p1 = sum(1 for v in y if v == 1) / m
    if p1 in (0, 1):
        return 0
    return -(p1 * np.log(p1) + (1 - p1) * np.log(1 - p1)) / np.log(2)


def split_course(X, node_indices, feature):  # the original course's loop
    left_indices = []
    right_indices = []
    for i in node_indices:
        if X[i][feature] == 1:
            left_indices.append(i)
        else:
            right_indices.append(i)
    return left_indices, right_indices


def split_numpy_tolist(X, node_indices, feature):
    idx = np.array(node_indices, dtype=int)
    goes_left = X[idx, feature] == 1
    return idx[goes_left].tolist(), idx[~goes_left].tolist()


def split_comprehensions(X, node_indices, feature):  # a list pair instead of a tuple is fine
    return [[i for i in node_indices if X[i, feature]], [i for i in node_indices if not X[i, feature]]]


def gain_course(X, y, node_indices, feature):  # the original course's version
    left_indices, right_indices = split_dataset(X, node_indices, feature)  # noqa: F821 - swapped in
    X_node, y_node = X[node_indices], y[node_indices]
    X_left, y_left = X[left_indices], y[left_indices]
    X_right, y_right = X[right_indices], y[right_indices]
    node_entropy = compute_entropy(y_node)  # noqa: F821
    left_entropy = compute_entropy(y_left)  # noqa: F821
    right_entropy = compute_entropy(y_right)  # noqa: F821
    w_left = len(X_left) / len(X_node)
    w_right = len(X_right) / len(X_node)
    weighted_entropy = w_left * left_entropy + w_right * right_entropy
    information_gain = node_entropy - weighted_entropy
    return information_gain


def gain_self_contained(X, y, node_indices, feature):  # counts, no helpers
    def h(labels):
        if len(labels) == 0:
            return 0.0
        p = np.mean(labels)
        return 0.0 if p in (0.0, 1.0) else -p * np.log2(p) - (1 - p) * np.log2(1 - p)

    y_node = y[np.array(node_indices)]
    goes_left = X[np.array(node_indices), feature] == 1
    n = len(y_node)
    return h(y_node) - (goes_left.sum() / n * h(y_node[goes_left]) + (~goes_left).sum() / n * h(y_node[~goes_left]))


def best_course(X, y, node_indices):  # the original course's loop
    num_features = X.shape[1]
    best_feature = -1
    max_info_gain = 0
    for feature in range(num_features):
        info_gain = compute_information_gain(X, y, node_indices, feature)  # noqa: F821 - swapped in
        if info_gain > max_info_gain:
            max_info_gain = info_gain
            best_feature = feature
    return best_feature


def best_argmax(X, y, node_indices):  # np.argmax (a numpy int; the first maximum on ties)
    gains = np.array([compute_information_gain(X, y, node_indices, f)  # noqa: F821
                      for f in range(X.shape[1])])
    if gains.max() <= 0:
        return -1
    return np.argmax(gains)


def best_sorted(X, y, node_indices):  # max over (gain, -feature) pairs
    gains = [(compute_information_gain(X, y, node_indices, f), -f) for f in range(X.shape[1])]  # noqa: F821
    gain, neg_f = max(gains)
    return -neg_f if gain > 0 else -1


def best_reversed(X, y, node_indices):  # scans from the last feature, `>=` keeps the lowest on ties
    best_feature, best_gain = -1, 0.0
    for feature in reversed(range(X.shape[1])):
        gain = compute_information_gain(X, y, node_indices, feature)  # noqa: F821
        if gain > 0 and gain >= best_gain:
            best_feature, best_gain = feature, gain
    return best_feature


def tree_course(X, y, node_indices, max_depth, current_depth=0):  # an explicit pure-node stop, `==`
    y_node = y[node_indices]
    leaf = {"leaf": int(np.mean(y_node) > 0.5), "n": len(node_indices)}
    if current_depth == max_depth or len(set(y_node.tolist())) == 1:
        return leaf
    best_feature = get_best_split(X, y, node_indices)  # noqa: F821 - swapped in
    if best_feature == -1:
        return leaf
    left_indices, right_indices = split_dataset(X, node_indices, best_feature)  # noqa: F821
    return {"feature": best_feature, "n": len(node_indices),
            "gain": compute_information_gain(X, y, node_indices, best_feature),  # noqa: F821
            "left": tree_course(X, y, left_indices, max_depth, current_depth + 1),
            "right": tree_course(X, y, right_indices, max_depth, current_depth + 1)}


def tree_bincount(X, y, node_indices, max_depth, current_depth=0):  # numpy ints, np.argmax's tie rule
    counts = np.bincount(np.asarray(y)[np.array(node_indices)], minlength=2)
    feature = get_best_split(X, y, node_indices) if current_depth < max_depth else -1  # noqa: F821
    if feature < 0:
        return {"leaf": np.argmax(counts)}
    goes_left = X[np.array(node_indices), feature] == 1
    idx = np.array(node_indices)
    return {"feature": np.int64(feature),
            "left": tree_bincount(X, y, idx[goes_left].tolist(), max_depth, current_depth + 1),
            "right": tree_bincount(X, y, idx[~goes_left].tolist(), max_depth, current_depth + 1)}


def tree_stack(X, y, node_indices, max_depth, current_depth=0):  # no recursion: a stack of nodes to grow
    root = {}
    todo = [(root, list(node_indices), current_depth)]
    while todo:
        node, indices, depth = todo.pop()
        labels = [int(y[i]) for i in indices]
        feature = -1 if depth >= max_depth else get_best_split(X, y, indices)  # noqa: F821
        if feature == -1:
            node["leaf"] = 1 if 2 * sum(labels) > len(labels) else 0
            continue
        left, right = split_dataset(X, indices, feature)  # noqa: F821
        node.update(feature=feature, left={}, right={})
        todo.append((node["left"], left, depth + 1))
        todo.append((node["right"], right, depth + 1))
    return root


def predict_recursive(tree, x):
    if "leaf" in tree:
        return tree["leaf"]
    return predict_recursive(tree["left"] if x[tree["feature"]] == 1 else tree["right"], x)


def predict_truthy(tree, x):  # `if x[f]:` on 0/1 features, and the keys of the other branch
    node = tree
    while "feature" in node:
        node = node["left"] if x[node["feature"]] else node["right"]
    return int(node["leaf"])


CORRECT = {
    "compute_entropy": [entropy_course, entropy_over_classes, entropy_where, entropy_change_of_base],
    "split_dataset": [split_course, split_numpy_tolist, split_comprehensions],
    "compute_information_gain": [gain_course, gain_self_contained],
    "get_best_split": [best_course, best_argmax, best_sorted, best_reversed],
    "build_tree": [tree_course, tree_bincount, tree_stack],
    "predict_tree": [predict_recursive, predict_truthy],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_split_tuple_of_tuples_is_not_a_list():
    def tuples(X, node_indices, feature):
        left, right = c2w4.ref_split_dataset(X, node_indices, feature)
        return tuple(left), tuple(right)

    assert_rejects(c2w4.check_split_dataset, tuples, "left_indices: got a tuple",
                   "expected a Python list of ints")


def test_split_numpy_ints_message_says_how_to_fix():
    def np_loop(X, node_indices, feature):
        left, right = [], []
        for i in np.array(node_indices):
            (left if X[i, feature] == 1 else right).append(i)
        return left, right

    message = assert_rejects(c2w4.check_split_dataset, np_loop, "numpy integers", "tolist()",
                             "Likely cause:", "numpy integers")
    assert "a numpy int64" in message


def test_split_set_order_is_explained_without_a_catalogue_match():
    def via_set(X, node_indices, feature):
        left = set(int(i) for i in node_indices if X[i, feature] == 1)
        return [int(i) for i in sorted(left, reverse=True)], \
            [int(i) for i in node_indices if X[i, feature] != 1]

    assert_rejects(c2w4.check_split_dataset, via_set, "in another order")


def test_split_missing_return_is_pointed_out():
    def no_return(X, node_indices, feature):
        c2w4.ref_split_dataset(X, node_indices, feature)

    assert_rejects(c2w4.check_split_dataset, no_return, "got None", "forget a `return`")


def test_entropy_array_result_is_not_a_number():
    def per_class(y):
        p = np.array([np.mean(y == 0), np.mean(y == 1)])
        return -p * np.log2(p)

    assert_rejects(c2w4.check_compute_entropy, per_class, "expected a single number")


def test_best_split_float_index_is_an_int_error():
    def as_float(X, y, node_indices):
        return float(c2w4.ref_get_best_split(X, y, node_indices))

    assert_rejects(c2w4.check_get_best_split, as_float, "expected the integer 0")


@pytest.mark.parametrize("name,deps", [
    ("compute_information_gain", ("split_dataset", "compute_entropy")),
    ("get_best_split", ("compute_information_gain",)),
])
def test_checks_use_the_reference_helpers_not_the_learners(name, deps):
    """Broken helpers in the notebook must not fail the check of a later function."""
    namespace = {"np": np}
    exec(
        "def split_dataset(X, node_indices, feature):\n    return [], []\n"
        "def compute_entropy(y):\n    return -7.0\n"
        "def compute_information_gain(X, y, node_indices, feature):\n    return 0.0\n",
        namespace,
    )
    impl = {"compute_information_gain": gain_course, "get_best_split": best_course}[name]
    learner = types.FunctionType(impl.__code__, namespace, impl.__name__)  # defined in the "notebook"
    assert_accepts(getattr(c2w4, f"check_{name}"), learner)
    assert namespace["compute_entropy"](None) == -7.0  # the learner's own helpers are back
    for dep in deps:
        assert dep in namespace


# --- build_tree and predict_tree: what the catalogue does not name ------------------------------


def test_build_tree_that_splits_an_empty_node_is_told_why():
    def no_minus_one_check(X, y, node_indices, max_depth, current_depth=0):
        y_node = y[node_indices]
        if current_depth >= max_depth:
            return {"leaf": int(np.mean(y_node) > 0.5)}
        feature = get_best_split(X, y, node_indices)  # noqa: F821 - swapped in
        left, right = split_dataset(X, node_indices, feature)  # noqa: F821
        return {"feature": feature, "left": no_minus_one_check(X, y, left, max_depth, current_depth + 1),
                "right": no_minus_one_check(X, y, right, max_depth, current_depth + 1)}

    assert_rejects(c2w4.check_build_tree, no_minus_one_check, "raised ZeroDivisionError",
                   "when it returns -1")


def test_build_tree_without_any_stop_recurses_without_end():
    def endless(X, y, node_indices, max_depth, current_depth=0):
        left, right = c2w4.ref_split_dataset(X, node_indices, 0)
        return {"feature": 0, "left": endless(X, y, node_indices, max_depth, current_depth + 1),
                "right": endless(X, y, node_indices, max_depth, current_depth + 1)}

    assert_rejects(c2w4.check_build_tree, endless, "recursed without end")


def test_build_tree_missing_key_is_named():
    def yes_no(X, y, node_indices, max_depth, current_depth=0):
        tree = c2w4.ref_build_tree(X, y, node_indices, max_depth, current_depth)

        def rename(node):
            if "leaf" in node:
                return node
            return {"feature": node["feature"], "yes": rename(node["left"]), "no": rename(node["right"])}
        return rename(tree)

    assert_rejects(c2w4.check_build_tree, yes_no, "missing 'left', 'right'")


def test_build_tree_float_feature_is_an_int_error():
    def float_feature(X, y, node_indices, max_depth, current_depth=0):
        tree = c2w4.ref_build_tree(X, y, node_indices, max_depth, current_depth)
        if "feature" in tree:
            tree["feature"] = float(tree["feature"])
        return tree

    assert_rejects(c2w4.check_build_tree, float_feature, "expected the integer 2")


def test_build_tree_uses_the_reference_helpers_not_the_learners():
    namespace = {"np": np}
    exec("def get_best_split(X, y, node_indices):\n    return 0\n"
         "def split_dataset(X, node_indices, feature):\n    return [], []\n", namespace)
    learner = types.FunctionType(tree_course.__code__, namespace, "tree_course")
    namespace["tree_course"] = learner  # it calls itself by its own name
    assert_accepts(c2w4.check_build_tree, learner)
    assert namespace["get_best_split"](None, None, None) == 0


def test_predict_tree_leaf_zero_taken_for_a_split_is_explained():
    def truthy_leaf(tree, x):
        while not tree.get("leaf"):
            tree = tree["left"] if x[tree["feature"]] == 1 else tree["right"]
        return tree["leaf"]

    assert_rejects(c2w4.check_predict_tree, truthy_leaf, "raised KeyError", '"leaf" in tree')


def test_predict_tree_string_label_is_rejected():
    def as_text(tree, x):
        return str(c2w4.ref_predict_tree(tree, x))

    assert_rejects(c2w4.check_predict_tree, as_text, "expected the label 1")


def test_build_tree_counter_majority_breaks_ties_by_order_and_is_told_the_rule():
    """Counter.most_common keeps the first label met on a tie: right on most nodes, wrong on a tie
    whose first example is a 1."""
    from collections import Counter

    def counter_leaf(X, y, node_indices, max_depth, current_depth=0):
        leaf = {"leaf": int(Counter(y[node_indices].tolist()).most_common(1)[0][0])}
        if current_depth >= max_depth:
            return leaf
        feature = get_best_split(X, y, node_indices)  # noqa: F821 - swapped in
        if feature == -1:
            return leaf
        left, right = split_dataset(X, node_indices, feature)  # noqa: F821
        return {"feature": feature, "left": counter_leaf(X, y, left, max_depth, current_depth + 1),
                "right": counter_leaf(X, y, right, max_depth, current_depth + 1)}

    assert_rejects(c2w4.check_build_tree, counter_leaf, "a tie in the labels", "on a tie the leaf predicts 0")
