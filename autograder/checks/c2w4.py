"""Checks for module c2w4: decision trees.

The conventions are the original course's: `X` is an (m, n) array of 0/1 features, `y` an (m,)
array of 0/1 labels, and `node_indices` a list of the (Python int) indices of the examples that
reach a node. On top of them the exercise states, and the checks hold to:
- `compute_entropy(y)` uses log base 2, takes 0 * log2(0) as 0, and is 0 for an empty `y`;
- `split_dataset(X, node_indices, feature)` returns `(left_indices, right_indices)`: left holds
  the examples with `X[i, feature] == 1`; both are Python lists of Python ints (strictly: not
  numpy arrays, not numpy integers), in the order of `node_indices`;
- `get_best_split(X, y, node_indices)` returns the feature with the highest information gain,
  the lowest feature index on ties, and -1 when no feature has a positive gain.

The information-gain and best-split checks swap the reference helpers in while the learner's
function runs, so only the function under test is checked.
"""

from __future__ import annotations

import numbers

import numpy as np

from autograder.checks.ladder import Check, Hint, check, compare, mistake, show, type_name

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_compute_entropy(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    p1 = np.count_nonzero(y == 1) / y.size  # the mean of y == 1, without np.mean's overhead
    if p1 == 0.0 or p1 == 1.0:
        return 0.0
    return float(-p1 * np.log2(p1) - (1 - p1) * np.log2(1 - p1))


def ref_split_dataset(X, node_indices, feature):
    indices = [int(i) for i in node_indices]
    if not indices:
        return [], []
    goes_left = (np.asarray(X)[indices, feature] == 1).tolist()  # one look-up, not one per example
    return ([i for i, left in zip(indices, goes_left) if left],
            [i for i, left in zip(indices, goes_left) if not left])


def ref_compute_information_gain(X, y, node_indices, feature):
    left_indices, right_indices = ref_split_dataset(X, node_indices, feature)
    n = len(node_indices)
    w_left, w_right = len(left_indices) / n, len(right_indices) / n
    node_entropy = ref_compute_entropy(y[node_indices])
    weighted = w_left * ref_compute_entropy(y[left_indices]) + w_right * ref_compute_entropy(y[right_indices])
    return float(node_entropy - weighted)


# Gains closer than this are ties (the cases are built so that tied gains are exactly equal and the
# others far apart; the margin only keeps rounding noise from deciding).
_TIE = 1e-12


def ref_get_best_split(X, y, node_indices):
    best_feature, best_gain = -1, 0.0
    for feature in range(X.shape[1]):
        gain = ref_compute_information_gain(X, y, node_indices, feature)
        if gain > best_gain + _TIE:
            best_feature, best_gain = feature, gain
    return best_feature


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes, each a wrong implementation and the words that name it.


def _p1(y):
    return float(np.mean(np.asarray(y) == 1))


def _guarded(y, term):
    """Entropy-like value with the exercise's guards (empty and pure nodes give 0)."""
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    p1 = _p1(y)
    if p1 in (0.0, 1.0):
        return 0.0
    return float(term(p1))


@mistake("the natural log was used (`np.log`); entropy uses log base 2 (`np.log2`), so a 50/50 "
         "node has entropy 1.")
def _entropy_ln(y):
    return _guarded(y, lambda p: -p * np.log(p) - (1 - p) * np.log(1 - p))


@mistake("log base 10 was used (`np.log10`); entropy uses log base 2 (`np.log2`), so a 50/50 node "
         "has entropy 1.")
def _entropy_log10(y):
    return _guarded(y, lambda p: -p * np.log10(p) - (1 - p) * np.log10(1 - p))


@mistake("a pure node (all 0 or all 1) gives nan: log2(0) is -inf and 0 * -inf is nan. Take "
         "0 * log2(0) as 0: return 0 when p1 is 0 or 1.")
def _entropy_no_pure_guard(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    p1 = _p1(y)
    return float(-p1 * np.log2(p1) - (1 - p1) * np.log2(1 - p1))


@mistake("an empty y (a node with no examples) gives nan or fails; return 0 when len(y) == 0.")
def _entropy_no_empty_guard(y):
    y = np.asarray(y)
    p1 = float(np.mean(y == 1))
    if p1 in (0.0, 1.0):
        return 0.0
    return float(-p1 * np.log2(p1) - (1 - p1) * np.log2(1 - p1))


@mistake("only one class's term is there: H(p1) = -p1 log2(p1) - (1 - p1) log2(1 - p1) has a term "
         "for the 1s and one for the 0s.")
def _entropy_one_term(y):
    return _guarded(y, lambda p: -p * np.log2(p))


@mistake("only the term of class 0 is there: H(p1) = -p1 log2(p1) - (1 - p1) log2(1 - p1) has a "
         "term for the 1s and one for the 0s.")
def _entropy_other_term(y):
    return _guarded(y, lambda p: -(1 - p) * np.log2(1 - p))


@mistake("the sign is flipped: entropy is -p1 log2(p1) - (1 - p1) log2(1 - p1), which is >= 0.")
def _entropy_negative(y):
    return _guarded(y, lambda p: p * np.log2(p) + (1 - p) * np.log2(1 - p))


@mistake("p1 must be the fraction of examples with y == 1 (count / len(y)), not the count.")
def _entropy_count(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    c = float(np.sum(y == 1))
    if c == 0 or c == y.size:
        return 0.0
    return float(-c * np.log2(c) - (1 - c) * np.log2(1 - c))


@mistake("this is the Gini impurity, 1 - p1² - (1 - p1)²; the exercise asks for the entropy "
         "-p1 log2(p1) - (1 - p1) log2(1 - p1).")
def _entropy_gini(y):
    return _guarded(y, lambda p: 1 - p**2 - (1 - p) ** 2)


# --- split_dataset


@mistake("left and right are swapped: left_indices holds the examples with X[i, feature] == 1, "
         "right_indices those with 0.")
def _split_inverted(X, node_indices, feature):
    left, right = ref_split_dataset(X, node_indices, feature)
    return right, left


@mistake("numpy arrays were returned; this exercise asks for Python lists of Python ints (build "
         "them with `.append(i)` in a loop over node_indices, or call `.tolist()` on an array).")
def _split_arrays(X, node_indices, feature):
    idx = np.asarray(node_indices, dtype=int)
    values = X[idx, feature]
    return idx[values == 1], idx[values != 1]


@mistake("the lists hold numpy integers (`list(array)` keeps them numpy); this exercise asks for "
         "Python ints: use `array.tolist()`, or append the indices of node_indices in a loop.")
def _split_numpy_ints(X, node_indices, feature):
    idx, right = _split_arrays.implementation(X, node_indices, feature)
    return list(idx), list(right)


@mistake("these are positions within node_indices (0, 1, 2, ...), not the indices of the examples "
         "in X: return node_indices[j], i.e. the example indices themselves.")
def _split_relative(X, node_indices, feature):
    left = [j for j, i in enumerate(node_indices) if X[i, feature] == 1]
    right = [j for j, i in enumerate(node_indices) if X[i, feature] != 1]
    return left, right


@mistake("`np.where(X[node_indices, feature] == 1)[0]` gives positions within node_indices (0, 1, "
         "2, ...), not the example indices, and as a numpy array; loop over node_indices and append "
         "each index i to left_indices or right_indices.")
def _split_relative_where(X, node_indices, feature):
    values = X[np.asarray(node_indices, dtype=int), feature]
    return np.where(values == 1)[0], np.where(values != 1)[0]


@mistake("all the examples in X were split; split only the examples in node_indices.")
def _split_all_examples(X, node_indices, feature):
    return ref_split_dataset(X, list(range(X.shape[0])), feature)


@mistake("the indices were sorted (or passed through a set); keep them in the order they have in "
         "node_indices.")
def _split_sorted(X, node_indices, feature):
    left, right = ref_split_dataset(X, node_indices, feature)
    return sorted(left), sorted(right)


@mistake("right_indices must hold only the examples with X[i, feature] == 0, not all of node_indices.")
def _split_right_is_all(X, node_indices, feature):
    left, _ = ref_split_dataset(X, node_indices, feature)
    return left, [int(i) for i in node_indices]


# --- compute_information_gain


def _parts(X, y, node_indices, feature):
    left, right = ref_split_dataset(X, node_indices, feature)
    return (len(left), len(right), len(node_indices), ref_compute_entropy(y[node_indices]),
            ref_compute_entropy(y[left]), ref_compute_entropy(y[right]))


@mistake("the branch entropies are not weighted: weight each by its fraction of the node's "
         "examples, w_left = len(left_indices) / len(node_indices).")
def _gain_unweighted(X, y, node_indices, feature):
    _, _, _, h, hl, hr = _parts(X, y, node_indices, feature)
    return h - (hl + hr)


@mistake("the weights divide by the size of the whole data set; divide by the number of examples "
         "at the node, len(node_indices).")
def _gain_weights_whole(X, y, node_indices, feature):
    nl, nr, _, h, hl, hr = _parts(X, y, node_indices, feature)
    m = X.shape[0]
    return h - (nl / m * hl + nr / m * hr)


@mistake("the sign is flipped: the gain is H(node) - (w_left H(left) + w_right H(right)).")
def _gain_flipped(X, y, node_indices, feature):
    return -ref_compute_information_gain(X, y, node_indices, feature)


@mistake("the weighted entropy of the branches was returned; subtract it from the node's entropy: "
         "gain = H(node) - (w_left H(left) + w_right H(right)).")
def _gain_weighted_only(X, y, node_indices, feature):
    nl, nr, n, _, hl, hr = _parts(X, y, node_indices, feature)
    return nl / n * hl + nr / n * hr


@mistake("the node's entropy was computed on all of y; use the labels of the node's examples, "
         "y[node_indices].")
def _gain_parent_all(X, y, node_indices, feature):
    nl, nr, n, _, hl, hr = _parts(X, y, node_indices, feature)
    return ref_compute_entropy(y) - (nl / n * hl + nr / n * hr)


@mistake("the two branch entropies were averaged (weights 1/2); weight each by its fraction of "
         "the node's examples, len(left_indices) / len(node_indices).")
def _gain_average(X, y, node_indices, feature):
    _, _, _, h, hl, hr = _parts(X, y, node_indices, feature)
    return h - (hl + hr) / 2


@mistake("the weights are swapped: H(left) is weighted by the left fraction and H(right) by the "
         "right fraction.")
def _gain_weights_swapped(X, y, node_indices, feature):
    nl, nr, n, h, hl, hr = _parts(X, y, node_indices, feature)
    return h - (nr / n * hl + nl / n * hr)


# --- get_best_split


def _gains(X, y, node_indices):
    return [ref_compute_information_gain(X, y, node_indices, f) for f in range(X.shape[1])]


@mistake("the best gain was returned; return the index of the feature that has it.")
def _best_returns_gain(X, y, node_indices):
    return max(max(_gains(X, y, node_indices)), 0.0)


@mistake("0 was returned when no feature has a positive gain; return -1 then (start from "
         "`best_feature = -1` and `max_info_gain = 0`, and update only when a gain is larger).")
def _best_zero_not_minus_one(X, y, node_indices):
    best = ref_get_best_split(X, y, node_indices)
    return 0 if best == -1 else best


@mistake("the feature with the lowest gain was picked (argmin, or `<`); pick the highest.")
def _best_argmin(X, y, node_indices):
    gains = _gains(X, y, node_indices)
    return -1 if max(gains) <= _TIE else int(np.argmin(gains))


@mistake("on a tie the last feature was picked (`>=`); keep the lowest index: update only when a "
         "gain is strictly larger (`>`), as np.argmax does.")
def _best_last_tie(X, y, node_indices):
    gains = _gains(X, y, node_indices)
    best, best_gain = -1, 0.0
    for f, g in enumerate(gains):
        if g > _TIE and g >= best_gain - _TIE:
            best, best_gain = f, max(g, best_gain)
    return best


@mistake("the last feature was never tried: `range(X.shape[1])` covers every feature.")
def _best_skips_last(X, y, node_indices):
    return ref_get_best_split(X[:, :-1], y, node_indices)


@mistake("the gains were computed on all the examples; pass node_indices to "
         "compute_information_gain, so the split is the best one for this node.")
def _best_all_examples(X, y, node_indices):
    return ref_get_best_split(X, y, list(range(X.shape[0])))


@mistake("None was returned when no feature has a positive gain; return -1 then.")
def _best_none(X, y, node_indices):
    best = ref_get_best_split(X, y, node_indices)
    return None if best == -1 else best


@mistake("a pair (feature, gain) was returned; return only the feature index.")
def _best_pair(X, y, node_indices):
    best = ref_get_best_split(X, y, node_indices)
    return best, (max(_gains(X, y, node_indices)) if best != -1 else 0.0)


MISTAKES = {
    "compute_entropy": [_entropy_ln, _entropy_log10, _entropy_no_pure_guard, _entropy_no_empty_guard,
                        _entropy_one_term, _entropy_other_term, _entropy_negative, _entropy_count,
                        _entropy_gini],
    "split_dataset": [_split_inverted, _split_arrays, _split_numpy_ints, _split_relative,
                      _split_relative_where, _split_all_examples, _split_sorted, _split_right_is_all],
    "compute_information_gain": [_gain_unweighted, _gain_weights_whole, _gain_flipped,
                                 _gain_weighted_only, _gain_parent_all, _gain_average,
                                 _gain_weights_swapped],
    "get_best_split": [_best_returns_gain, _best_zero_not_minus_one, _best_argmin, _best_last_tie,
                       _best_skips_last, _best_all_examples, _best_none, _best_pair],
}


# ---------------------------------------------------------------------------------------------
# split_dataset's results are compared strictly: Python lists of Python ints, in order.


def _kind(v):
    if isinstance(v, (bool, np.bool_)):
        return "bool"
    if isinstance(v, int):
        return "int"
    if isinstance(v, np.integer):
        return "numpy int"
    if isinstance(v, (float, np.floating)):
        return "float"
    return type(v).__name__


def _same(a, b) -> bool:
    """The same result, types included (whether a learner's result is a catalogued mistake's)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and isinstance(b, np.ndarray) and a.shape == b.shape
                and a.dtype.kind == b.dtype.kind and bool(np.array_equal(a, b)))
    if isinstance(a, (list, tuple)) or isinstance(b, (list, tuple)):
        return (isinstance(a, (list, tuple)) and isinstance(b, (list, tuple))
                and isinstance(a, list) == isinstance(b, list) and len(a) == len(b)
                and all(_same(x, z) for x, z in zip(a, b)))
    return _kind(a) == _kind(b) and a == b


def _index_list_problem(got, expected, label: str) -> str | None:
    if isinstance(got, np.ndarray):
        return (f"{label}: got {type_name(got)}, expected a Python list of ints. This exercise asks "
                "for lists: build them with `.append(i)`, or call `.tolist()` on an array.")
    if not isinstance(got, list):
        return f"{label}: got {type_name(got)}, expected a Python list of ints."
    for v in got:
        if type(v) is not int:
            if isinstance(v, np.integer):
                return (f"{label}: got a list holding numpy integers ({show(v)} is {type_name(v)}); "
                        "expected Python ints. `list(array)` keeps numpy's integers: use "
                        "`array.tolist()`, or append the indices of node_indices in a loop.")
            return f"{label}: got a list holding {show(v)} ({type_name(v)}), expected example indices (ints)."
    if got != expected:
        hint = ""
        if sorted(got) == sorted(expected):
            hint = " The same indices, in another order: keep the order of node_indices."
        return f"{label}: got {show(got)}, expected {show(expected)}.{hint}"
    return None


def _split_differs(got, expected) -> str | None:
    """split_dataset's comparison: exactly a pair of Python lists of Python ints, in order."""
    top = compare(got, expected, rtol=1e-6, atol=1e-9)
    if top is not None:
        return top
    for label, g, e in zip(("left_indices", "right_indices"), got, expected):
        reason = _index_list_problem(g, e, label)
        if reason is not None:
            return reason
    return None


def _loose_kind(v):
    kind = _kind(v)
    return "int" if kind == "numpy int" else kind


def _same_feature_index(c: Check):
    """A learner's result is a catalogued one only if of the same kind too: a learner's 0 (an int)
    is not the catalogued mistake that returns the gain 0.0 (a float)."""
    return lambda got, wrong: c.differs(got, wrong) is None and _loose_kind(got) == _loose_kind(wrong)


# ---------------------------------------------------------------------------------------------
# Data for the cases: the original course's mushroom examples (brown cap, tapering stalk shape,
# solitary; label 1 = edible), and seeded random 0/1 data.

X_MUSHROOM = np.array([[1, 1, 1], [1, 0, 1], [1, 0, 0], [1, 0, 0], [1, 1, 1],
                       [0, 1, 1], [0, 0, 0], [1, 0, 1], [0, 1, 0], [1, 0, 0]])
Y_MUSHROOM = np.array([1, 1, 0, 0, 1, 0, 0, 1, 1, 0])


def _random_tree_data(seed: int, m: int = 30, n: int = 5):
    rng = np.random.default_rng(seed)
    X = rng.integers(0, 2, size=(m, n))
    y = ((X[:, 1] + X[:, 3] + (rng.random(m) < 0.2)) >= 2).astype(int)
    node = [int(i) for i in rng.permutation(m)[: m // 2]]
    return X, y, node


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_compute_entropy(compute_entropy):
    c = Check("compute_entropy", compute_entropy, ref_compute_entropy, MISTAKES["compute_entropy"])
    c.case(note="p1 = 0.6", y=np.array([1, 1, 0, 1, 0]))  # 0.970951
    c.case(note="p1 = 0.5", y=np.array([1, 0, 0, 1]))  # 1.0
    c.case(note="a pure node", y=np.array([1, 1, 1]))
    c.case(note="a pure node", y=np.array([0, 0, 0, 0]))
    c.case(note="one example", y=np.array([1]))
    c.case(note="an empty node", y=np.array([], dtype=int))
    c.case(note="float labels", y=np.array([1.0, 0.0, 0.0]))  # 0.918296
    c.case(note="the mushroom data", y=Y_MUSHROOM)
    rng = np.random.default_rng(6)
    c.case(note="random", y=(rng.random(37) < 0.3).astype(int))
    c.passed()


@check
def check_split_dataset(split_dataset):
    c = Check("split_dataset", split_dataset, ref_split_dataset, MISTAKES["split_dataset"],
              returns=("left_indices", "right_indices"), compare=_split_differs, same=_same)
    # X: the notebook's mushroom X_train.
    c.case(note="the mushroom X", X=X_MUSHROOM, node_indices=[9, 2, 7, 5, 0, 4], feature=1)  # ([5, 0, 4], [9, 2, 7])
    c.case(note="the root node", X=X_MUSHROOM, node_indices=list(range(10)), feature=2)
    c.case(note="every example goes left", X=X_MUSHROOM, node_indices=[0, 1, 4, 7], feature=0)
    c.case(note="one example", X=X_MUSHROOM, node_indices=[6], feature=0)
    X, _, node = _random_tree_data(7)
    c.case(note="random, float features", X=X.astype(float), node_indices=node, feature=3)
    c.passed()


@check
def check_compute_information_gain(compute_information_gain):
    c = Check("compute_information_gain", compute_information_gain, ref_compute_information_gain,
              MISTAKES["compute_information_gain"],
              dependencies={"split_dataset": ref_split_dataset, "compute_entropy": ref_compute_entropy})
    # X, y: the notebook's mushroom data. Every catalogued mistake gives a different value here.
    c.case(note="the mushroom data", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=[2, 3, 4, 5, 6, 7], feature=0)
    c.case(note="the root node", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=list(range(10)), feature=2)
    c.case(note="the root node", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=list(range(10)), feature=1)
    c.case(note="a pure node", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=[0, 1, 4, 7], feature=1)
    c.case(note="every example goes left", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=[0, 1, 2, 3],
           feature=0)
    X, y, node = _random_tree_data(8)
    c.case(note="random", X=X, y=y, node_indices=node, feature=3)
    c.passed()


# Feature 0 and 2 tie (feature 2 is feature 0's mirror), feature 1 gains less: the lowest index wins.
_X_TIE = np.array([[1, 1, 0], [1, 0, 0], [1, 1, 0], [0, 0, 1], [0, 1, 1], [0, 0, 1]])
_Y_TIE = np.array([1, 1, 1, 0, 0, 1])
# No feature separates the labels: every gain is exactly 0 though the node is impure.
_X_NO_GAIN = np.array([[1, 1, 0], [1, 0, 0], [0, 0, 0], [0, 1, 0]])
_Y_NO_GAIN = np.array([1, 0, 1, 0])
# The best feature is the last one.
_X_LAST = np.array([[0, 1, 1], [1, 0, 1], [0, 0, 0], [1, 1, 0], [0, 1, 1]])
_Y_LAST = np.array([1, 1, 0, 0, 1])


@check
def check_get_best_split(get_best_split):
    c = Check("get_best_split", get_best_split, ref_get_best_split, MISTAKES["get_best_split"],
              strict_int=True,
              dependencies={"compute_information_gain": ref_compute_information_gain,
                            "split_dataset": ref_split_dataset, "compute_entropy": ref_compute_entropy})
    c.same_hook = _same_feature_index(c)
    # gains [0.971, 0.020, 0.322]: feature 0; at the root it would be feature 2.
    c.case(note="the mushroom data, a node below the root", X=X_MUSHROOM, y=Y_MUSHROOM,
           node_indices=[0, 1, 4, 5, 6])
    c.case(note="the root node", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=list(range(10)))
    c.case(note="a pure node: no split gains", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=[0, 1, 4, 7])
    c.case(note="features 0 and 2 tie", X=_X_TIE, y=_Y_TIE, node_indices=list(range(6)))
    c.case(note="no feature gains", X=_X_NO_GAIN, y=_Y_NO_GAIN, node_indices=[0, 1, 2, 3])
    c.case(note="the best feature is the last", X=_X_LAST, y=_Y_LAST, node_indices=[0, 1, 2, 3, 4])
    X, y, node = _random_tree_data(9)
    c.case(note="random", X=X, y=y, node_indices=node)
    c.passed()


# ---------------------------------------------------------------------------------------------
# The tree builder and the prediction (graded since issue 11): the tree is nested dicts, a leaf
# {"leaf": label} and a split {"feature": j, "left": subtree, "right": subtree} (left: the
# examples with X[i, j] == 1, as split_dataset sends them). Other keys a learner adds ("n",
# "gain", ...) are ignored.


def _majority(y, node_indices):
    """The majority label of the node's examples; 0 on a tie, as scikit-learn does."""
    y_node = np.asarray(y)[list(node_indices)]
    return int(np.sum(y_node == 1) > len(y_node) / 2)


def ref_build_tree(X, y, node_indices, max_depth, current_depth=0):
    leaf = {"leaf": _majority(y, node_indices)}
    if current_depth >= max_depth:
        return leaf
    best_feature = ref_get_best_split(X, y, node_indices)
    if best_feature == -1:  # a pure node, or no split with a positive gain
        return leaf
    left_indices, right_indices = ref_split_dataset(X, node_indices, best_feature)
    return {"feature": int(best_feature),
            "left": ref_build_tree(X, y, left_indices, max_depth, current_depth + 1),
            "right": ref_build_tree(X, y, right_indices, max_depth, current_depth + 1)}


def ref_predict_tree(tree, x):
    while "leaf" not in tree:
        tree = tree["left"] if x[tree["feature"]] == 1 else tree["right"]
    return tree["leaf"]


def _builder(*, stop=lambda depth, max_depth: depth >= max_depth, leaf=_majority, halves=None,
             next_depth=lambda depth: depth + 1, no_split_stop=True, pure_stop=False,
             wrap_leaf=True, split=None):
    """A tree builder with one part changed (each catalogued mistake changes one)."""

    def build(X, y, node_indices, max_depth, current_depth=0):
        if len(node_indices) == 0:  # only a builder that splits on -1 gets here
            return {"leaf": 0} if wrap_leaf else 0
        value = leaf(y, node_indices)
        made = {"leaf": value} if wrap_leaf else value
        if stop(current_depth, max_depth):
            return made
        if pure_stop and len(set(np.asarray(y)[list(node_indices)].tolist())) == 1:
            return made
        best_feature = ref_get_best_split(X, y, node_indices)
        if best_feature == -1 and no_split_stop:
            return made
        left, right = (split or ref_split_dataset)(X, node_indices, best_feature)
        if halves is not None:
            left, right = halves(node_indices, left, right)
        depth = next_depth(current_depth)
        return {"feature": int(best_feature), "left": build(X, y, left, max_depth, depth),
                "right": build(X, y, right, max_depth, depth)}

    return build


@mistake("the branches are built from the wrong halves: the left subtree must be grown on "
         "left_indices (the examples with X[i, feature] == 1) and the right one on right_indices.")
def _tree_wrong_half(X, y, node_indices, max_depth, current_depth=0):
    return _builder(halves=lambda node, left, right: (right, left))(X, y, node_indices, max_depth, current_depth)


@mistake("both subtrees are grown on left_indices; the right subtree is grown on right_indices.")
def _tree_one_half(X, y, node_indices, max_depth, current_depth=0):
    return _builder(halves=lambda node, left, right: (left, left))(X, y, node_indices, max_depth, current_depth)


@mistake("the subtrees are grown on all of node_indices again, so each level splits the same "
         "examples on the same feature; grow the left subtree on left_indices and the right one on "
         "right_indices, from split_dataset.")
def _tree_all_indices(X, y, node_indices, max_depth, current_depth=0):
    return _builder(halves=lambda node, left, right: (list(node), list(node)))(
        X, y, node_indices, max_depth, current_depth)


@mistake("the recursive calls do not increase the depth: pass current_depth + 1 to the subtrees, "
         "so the tree stops at max_depth.")
def _tree_depth_not_increased(X, y, node_indices, max_depth, current_depth=0):
    return _builder(next_depth=lambda depth: depth)(X, y, node_indices, max_depth, current_depth)


@mistake("the tree is one level too deep: a node at current_depth == max_depth must be a leaf "
         "(stop when current_depth >= max_depth, not when it is > max_depth).")
def _tree_one_level_late(X, y, node_indices, max_depth, current_depth=0):
    return _builder(stop=lambda depth, max_depth: depth > max_depth)(X, y, node_indices, max_depth, current_depth)


@mistake("the tree is one level too shallow: only a node at current_depth == max_depth is a leaf "
         "(stop when current_depth >= max_depth, not when current_depth + 1 >= max_depth).")
def _tree_one_level_early(X, y, node_indices, max_depth, current_depth=0):
    return _builder(stop=lambda depth, max_depth: depth + 1 >= max_depth)(X, y, node_indices, max_depth, current_depth)


@mistake("get_best_split's -1 was not looked at: -1 means no split has a positive gain (a pure "
         "node, or no feature that helps), and the node must then be a leaf. Splitting on "
         "feature -1 splits on the last feature, again and again.")
def _tree_ignores_no_split(X, y, node_indices, max_depth, current_depth=0):
    return _builder(no_split_stop=False)(X, y, node_indices, max_depth, current_depth)


@mistake("only a pure node stops the tree; an impure node where no split has a positive gain "
         "(get_best_split returns -1) must be a leaf too.")
def _tree_only_pure_stops(X, y, node_indices, max_depth, current_depth=0):
    return _builder(no_split_stop=False, pure_stop=True)(X, y, node_indices, max_depth, current_depth)


@mistake("a leaf holds the label of the node's first example; it must hold the majority label of "
         "the node's examples, y[node_indices].")
def _tree_first_label(X, y, node_indices, max_depth, current_depth=0):
    return _builder(leaf=lambda y, node: int(np.asarray(y)[node[0]]))(X, y, node_indices, max_depth, current_depth)


@mistake("a tie (as many 1s as 0s) gave a leaf predicting 1; on a tie the leaf predicts 0, as "
         "scikit-learn does: the leaf is 1 only when the 1s are strictly more than half.")
def _tree_tie_is_one(X, y, node_indices, max_depth, current_depth=0):
    def leaf(y, node):
        y_node = np.asarray(y)[list(node)]
        return int(np.sum(y_node == 1) >= len(y_node) / 2)
    return _builder(leaf=leaf)(X, y, node_indices, max_depth, current_depth)


@mistake("a leaf holds the fraction of 1s (the mean of the labels); it must hold the majority "
         "label, 0 or 1.")
def _tree_leaf_mean(X, y, node_indices, max_depth, current_depth=0):
    return _builder(leaf=lambda y, node: float(np.mean(np.asarray(y)[list(node)])))(
        X, y, node_indices, max_depth, current_depth)


@mistake("a leaf holds the majority label of all of y; it must hold that of the node's own "
         "examples, y[node_indices].")
def _tree_leaf_majority_all(X, y, node_indices, max_depth, current_depth=0):
    return _builder(leaf=lambda y, node: _majority(y, range(len(y))))(X, y, node_indices, max_depth, current_depth)


@mistake("a leaf was returned as the bare label; a leaf is the dict {\"leaf\": label}.")
def _tree_bare_leaf(X, y, node_indices, max_depth, current_depth=0):
    return _builder(wrap_leaf=False)(X, y, node_indices, max_depth, current_depth)


def _split_by_removing(X, node_indices, feature):
    """right_indices is node_indices itself, with the left examples removed: the caller's list."""
    left = [int(i) for i in node_indices if X[i, feature] == 1]
    for i in left:
        node_indices.remove(i)
    return left, node_indices


@mistake("node_indices was changed: the examples sent left were removed from it (right_indices "
         "is node_indices itself, not a copy), so the caller's list is spoilt. Leave node_indices "
         "as it is: split_dataset makes two new lists.")
def _tree_mutates_node_indices(X, y, node_indices, max_depth, current_depth=0):
    return _builder(split=_split_by_removing)(X, y, node_indices, max_depth, current_depth)


# --- predict_tree


@mistake("the branches are swapped: an example with x[feature] == 1 goes to the left subtree "
         "(as split_dataset sends it), one with 0 to the right.")
def _predict_inverted(tree, x):
    while "leaf" not in tree:
        tree = tree["right"] if x[tree["feature"]] == 1 else tree["left"]
    return tree["leaf"]


@mistake("the leaf itself (a dict) was returned; return its label, tree[\"leaf\"].")
def _predict_returns_leaf(tree, x):
    while "leaf" not in tree:
        tree = tree["left"] if x[tree["feature"]] == 1 else tree["right"]
    return tree


@mistake("the recursive call's result is not returned: `return predict_tree(subtree, x)`, or the "
         "answer is lost on the way up.")
def _predict_no_return(tree, x):
    if "leaf" in tree:
        return tree["leaf"]
    _predict_no_return.implementation(tree["left"] if x[tree["feature"]] == 1 else tree["right"], x)


@mistake("the root's feature was used at every level; each split node asks its own question, "
         "x[node[\"feature\"]] of the node you are at.")
def _predict_root_feature(tree, x):
    if "leaf" in tree:
        return tree["leaf"]
    feature = tree["feature"]
    while "leaf" not in tree:
        tree = tree["left"] if x[feature] == 1 else tree["right"]
    return tree["leaf"]


@mistake("x was indexed by the depth (x[0] at the root, x[1] below it, ...); index it by the "
         "node's feature, x[node[\"feature\"]].")
def _predict_depth_index(tree, x):
    depth = 0
    while "leaf" not in tree:
        tree = tree["left"] if x[depth] == 1 else tree["right"]
        depth += 1
    return tree["leaf"]


@mistake("the feature index is off by one (x[feature - 1]): features are numbered from 0, as "
         "the columns of X.")
def _predict_off_by_one(tree, x):
    while "leaf" not in tree:
        tree = tree["left"] if x[tree["feature"] - 1] == 1 else tree["right"]
    return tree["leaf"]


@mistake("the branch was chosen by the node's feature index (tree[\"feature\"] == 1) instead of "
         "the example's value of that feature, x[tree[\"feature\"]].")
def _predict_feature_not_value(tree, x):
    while "leaf" not in tree:
        tree = tree["left"] if tree["feature"] == 1 else tree["right"]
    return tree["leaf"]


MISTAKES["build_tree"] = [_tree_wrong_half, _tree_one_half, _tree_all_indices, _tree_depth_not_increased,
                          _tree_one_level_late, _tree_one_level_early, _tree_ignores_no_split,
                          _tree_only_pure_stops, _tree_first_label, _tree_tie_is_one, _tree_leaf_mean,
                          _tree_leaf_majority_all, _tree_bare_leaf, _tree_mutates_node_indices]
MISTAKES["predict_tree"] = [_predict_inverted, _predict_returns_leaf, _predict_no_return,
                            _predict_root_feature, _predict_depth_index, _predict_off_by_one,
                            _predict_feature_not_value]


# --- comparing trees: node by node, naming the path to the first difference


_SHAPE = 'a leaf {"leaf": label} or a split {"feature": j, "left": subtree, "right": subtree}'


def _label_problem(value) -> str | None:
    if isinstance(value, dict):
        return "a dict"
    if not isinstance(value, (numbers.Number, np.generic)) or isinstance(value, (complex, np.complexfloating)):
        return type_name(value)
    return None


def _tree_differs(got, expected, path: str = "at the root") -> str | None:
    if got is None:
        return f"{path}: got None, expected {_SHAPE}. Did you forget a `return` statement?"
    if not isinstance(got, dict):
        kind = "a bare number" if _label_problem(got) is None else type_name(got)
        return f"{path}: got {show(got, 40)} ({kind}), expected {_SHAPE}."
    if "leaf" in expected:
        if "leaf" not in got:
            if "feature" in got:
                return f"{path}: got a split on feature {show(got['feature'])}, expected a leaf predicting {expected['leaf']}."
            return f"{path}: got a dict with the keys {sorted(map(str, got))}, expected a leaf {{\"leaf\": {expected['leaf']}}}."
        value = got["leaf"]
        kind = _label_problem(value)
        if kind is not None or float(value) != expected["leaf"]:
            shown = kind if kind is not None and kind == "a dict" else show(value, 40)
            return f"{path}: got a leaf predicting {shown}, expected a leaf predicting {expected['leaf']}."
        return None
    if "leaf" in got:
        return (f"{path}: got a leaf predicting {show(got['leaf'], 40)}, expected a split on feature "
                f"{expected['feature']}.")
    missing = [k for k in ("feature", "left", "right") if k not in got]
    if missing:
        return (f"{path}: got a dict with the keys {sorted(map(str, got))}, expected a split "
                f"{{\"feature\": {expected['feature']}, \"left\": ..., \"right\": ...}} (missing {', '.join(map(repr, missing))}).")
    feature = got["feature"]
    if not isinstance(feature, (numbers.Integral, np.integer)) or isinstance(feature, (bool, np.bool_)):
        return f"{path}: the split's feature is {show(feature, 40)} ({type_name(feature)}), expected the integer {expected['feature']}."
    if feature != expected["feature"]:
        extra = (" get_best_split returns -1 when no split has a positive gain: the node is then a leaf."
                 if feature == -1 else "")
        return f"{path}: got a split on feature {int(feature)}, expected a split on feature {expected['feature']}.{extra}"
    j = int(feature)
    where = "at the root" if path == "at the root" else path
    for side, value in (("left", 1), ("right", 0)):
        reason = _tree_differs(got[side], expected[side], f"{where} -> {side} (X[:, {j}] == {value})")
        if reason is not None:
            return reason
    return None


def _canonical_tree(tree, depth: int = 0):
    """Only what the contract looks at (a comparison of any two results, a catalogued wrong one
    included, which need not be a well-formed tree)."""
    if depth > 60:
        return "..."
    if isinstance(tree, dict):
        if "leaf" in tree:
            return ("leaf", _canonical_tree(tree["leaf"], depth + 1))
        return ("split", _canonical_tree(tree.get("feature"), depth + 1),
                _canonical_tree(tree.get("left"), depth + 1), _canonical_tree(tree.get("right"), depth + 1))
    if isinstance(tree, (numbers.Number, np.generic)) and not isinstance(tree, (complex, np.complexfloating)):
        return ("number", float(tree))
    return (type(tree).__name__, repr(tree))


def _well_formed(tree) -> bool:
    if not isinstance(tree, dict):
        return False
    if "leaf" in tree:
        return isinstance(tree["leaf"], int)
    return (isinstance(tree.get("feature"), int) and _well_formed(tree.get("left"))
            and _well_formed(tree.get("right")))


def _tree_compare(got, expected) -> str | None:
    if not _well_formed(expected):  # a catalogued wrong result, compared with the learner's
        return None if _canonical_tree(got) == _canonical_tree(expected) else "the trees differ"
    reason = _tree_differs(got, expected)
    if reason is None:
        return None
    return f"the trees differ {reason}" if reason.startswith("at ") else reason


def _label_compare(got, expected) -> str | None:
    if not isinstance(expected, int):  # a catalogued wrong result, compared with the learner's
        return None if _canonical_tree(got) == _canonical_tree(expected) else "the results differ"
    if isinstance(got, dict):
        return f"got a dict ({show(got, 40)}), expected the label {expected}."
    if got is None:
        return f"got None, expected the label {expected}. Did you forget a `return` statement?"
    kind = _label_problem(got)
    if kind is not None:
        return f"got {kind}, expected the label {expected}."
    if float(got) != expected:
        return f"got {show(got)}, expected {expected}."
    return None


# Data for the tree cases. Feature 2 and 0 tie at the root (feature 0's mirror), feature 1 helps less.
_X_DEEP, _Y_DEEP, _ = _random_tree_data(10, m=40, n=5)
# No split gains, 2 of 3 are 1s: an impure leaf predicting 1.
_X_SAME = np.array([[1, 0], [1, 0], [1, 0], [0, 1]])
_Y_SAME = np.array([1, 0, 1, 1])


# build_tree's check uses mutation="fail": node_indices (and X, y) must stay as they were.
ARGUMENTS_KEPT = {"build_tree"}


@check
def check_build_tree(build_tree):
    deps = {"get_best_split": ref_get_best_split, "split_dataset": ref_split_dataset,
            "compute_information_gain": ref_compute_information_gain,
            "compute_entropy": ref_compute_entropy}
    c = Check("build_tree", build_tree, ref_build_tree, MISTAKES["build_tree"], dependencies=deps,
              compare=_tree_compare, mutation="fail",
              hints=(Hint("a node with no examples reached get_best_split: when it returns -1 (no "
                          "split has a positive gain), make a leaf instead of splitting.",
                          exceptions=("ZeroDivisionError",)),))
    root = list(range(10))
    c.case(note="the mushroom data, max_depth = 2", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=root,
           max_depth=2, current_depth=0)
    c.case(note="max_depth = 0: the node is a leaf", X=X_MUSHROOM, y=Y_MUSHROOM,
           node_indices=[0, 3, 1, 2, 5, 6, 4], max_depth=0, current_depth=0)
    c.case(note="a pure node", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=[0, 1, 4, 7], max_depth=3,
           current_depth=0)
    c.case(note="max_depth = 1", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=root, max_depth=1, current_depth=0)
    c.case(note="deeper than the data needs", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=root, max_depth=5,
           current_depth=0)
    c.case(note="no split gains; 3 of 4 are 1s", X=_X_SAME, y=_Y_SAME, node_indices=[0, 1, 2, 3],
           max_depth=2, current_depth=0)
    c.case(note="no split gains; a tie in the labels", X=_X_NO_GAIN, y=_Y_NO_GAIN, node_indices=[0, 1, 2, 3],
           max_depth=2, current_depth=0)
    c.case(note="current_depth = 1 of max_depth = 2", X=X_MUSHROOM, y=Y_MUSHROOM, node_indices=root,
           max_depth=2, current_depth=1)
    c.case(note="features 0 and 2 tie", X=_X_TIE, y=_Y_TIE, node_indices=list(range(6)), max_depth=2,
           current_depth=0)
    c.case(note="random", X=_X_DEEP, y=_Y_DEEP, node_indices=list(range(40)), max_depth=4, current_depth=0)
    X, y, node = _random_tree_data(11, m=40, n=5)
    c.case(note="random, a node below the root", X=X, y=y, node_indices=node, max_depth=3, current_depth=0)
    c.passed()


# Trees for predict_tree: a feature at each level that is neither the depth nor the root's.
_TREE_MUSHROOM = ref_build_tree(X_MUSHROOM, Y_MUSHROOM, list(range(10)), 2)
_TREE_DEEP = ref_build_tree(_X_DEEP, _Y_DEEP, list(range(40)), 4)


@check
def check_predict_tree(predict_tree):
    c = Check("predict_tree", predict_tree, ref_predict_tree, MISTAKES["predict_tree"], compare=_label_compare,
              hints=(Hint("A leaf has no \"feature\": tell a leaf from a split with `\"leaf\" in tree` (a "
                          "leaf predicting 0 is falsy, so `tree.get(\"leaf\")` takes it for a split).",
                          exceptions=("KeyError",), fragments=("feature",)),))
    c.case(note="a tree that is one leaf", tree={"leaf": 1}, x=np.array([0, 1, 1]))
    for i in (0, 6, 8, 1, 2):
        c.case(note=f"the mushroom tree, example {i}", tree=_TREE_MUSHROOM, x=X_MUSHROOM[i])
    for i in range(12):
        c.case(note=f"a deeper tree, example {i}", tree=_TREE_DEEP, x=_X_DEEP[i])
    c.case(note="a float example", tree=_TREE_DEEP, x=_X_DEEP[12].astype(float))
    c.passed()
