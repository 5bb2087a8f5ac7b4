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

import numpy as np

from autograder.checks.ladder import Check, check, compare, mistake, show, type_name

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_compute_entropy(y):
    y = np.asarray(y)
    if y.size == 0:
        return 0.0
    p1 = float(np.mean(y == 1))
    if p1 == 0.0 or p1 == 1.0:
        return 0.0
    return float(-p1 * np.log2(p1) - (1 - p1) * np.log2(1 - p1))


def ref_split_dataset(X, node_indices, feature):
    left_indices, right_indices = [], []
    for i in node_indices:
        if X[i, feature] == 1:
            left_indices.append(int(i))
        else:
            right_indices.append(int(i))
    return left_indices, right_indices


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
