"""Quiz bank of module c2w4: decision trees and tree ensembles.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q7,
q8) draw their numbers, or the line of the bug, from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import answer_at, code_block, keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# ---------------------------------------------------------------------------------------------
# Helpers.


def _entropy(p1: float) -> float:
    """Entropy in bits of a node whose fraction of class 1 is p1 (0 log 0 = 0)."""
    if p1 <= 0 or p1 >= 1:
        return 0.0
    return float(-p1 * np.log2(p1) - (1 - p1) * np.log2(1 - p1))


def _entropy_nats(p1: float) -> float:
    return _entropy(p1) * np.log(2)


def _bug_line(name: str, intro: str, lines: list[tuple[str, str]], bugs: dict[int, list[tuple[str, str]]]):
    """make(rng) of a "which line has the bug" question: `lines` are (code, why it is right),
    `bugs` maps a line number (from 1) to the bugs that can replace that line, (code, why it is
    wrong). The seed picks the line and the bug."""

    def make(rng: np.random.Generator) -> dict:
        line_no = sorted(bugs)[int(rng.integers(len(bugs)))]
        buggy, why = bugs[line_no][int(rng.integers(len(bugs[line_no])))]
        shown = [buggy if i == line_no else code for i, (code, _) in enumerate(lines, 1)]
        prompt = (f"{intro}\n\n{code_block(shown)}\n\nExactly one line has a bug. Which one? Answer with "
                  "its line number, a whole number.")
        wrong = [(i, f"Line {i} is right: {reason}") for i, (_, reason) in enumerate(lines, 1) if i != line_no]
        return dict(prompt=prompt, answer=line_no, tolerance=0,
                    reason=f"Right: line {line_no} is the bug. {why}", wrong=wrong)

    return make


# ---------------------------------------------------------------------------------------------
# q1: the entropy of a node (seeded).


def _q1(rng: np.random.Generator) -> dict:
    m = int(rng.integers(6, 13))
    n1 = int(rng.integers(1, m))
    p1 = n1 / m
    h = _entropy(p1)
    tol = 2e-3
    wrong = keep_distinct(h, tol, [
        (_entropy_nats(p1), "That is the entropy with the natural logarithm (in nats). Entropy in bits uses "
                            "$\\log_2$, so that a 50/50 node has entropy exactly 1."),
        (float(-p1 * np.log2(p1)), "That is only the first term, $-p_1 \\log_2 p_1$. Entropy counts both classes: "
                                   "add $-(1 - p_1) \\log_2 (1 - p_1)$."),
        (2 * p1 * (1 - p1), "That is the Gini impurity $2 p_1 (1 - p_1)$, another measure of impurity; the "
                            "question asks for the entropy."),
        (p1, "That is $p_1$, the fraction of class 1, not the entropy computed from it."),
    ])
    return dict(
        prompt=(f"A node of a decision tree holds {m} examples, {n1} of them in class 1. What is its entropy "
                f"$H(p_1)$, in bits? Give three decimals."),
        answer=round(h, 6), tolerance=tol,
        reason=(f"Right: $p_1 = {n1}/{m}$ and $H = -p_1 \\log_2 p_1 - (1 - p_1) \\log_2 (1 - p_1) "
                f"\\approx {h:.3f}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: the information gain of a split (seeded).


def _q2(rng: np.random.Generator) -> dict:
    tol = 2e-3
    while True:
        m = int(rng.integers(10, 17))
        m_left = int(rng.integers(3, m - 2))
        m_right = m - m_left
        k_left = int(rng.integers(0, m_left + 1))
        k_right = int(rng.integers(0, m_right + 1))
        k = k_left + k_right
        if m_left == m_right or k == 0 or k == m:
            continue
        w_left, w_right = m_left / m, m_right / m
        h_node, h_left, h_right = _entropy(k / m), _entropy(k_left / m_left), _entropy(k_right / m_right)
        gain = h_node - (w_left * h_left + w_right * h_right)
        if gain > 0.05 and abs(h_left - h_right) > 0.05:
            break
    wrong = keep_distinct(gain, tol, [
        (h_node - (h_left + h_right) / 2,
         "That subtracts the plain average of the two branch entropies. Each branch is weighted by its share "
         f"of the node's examples ({m_left}/{m} and {m_right}/{m}): otherwise a branch of one example would "
         "count as much as a branch of many."),
        (w_left * h_left + w_right * h_right,
         "That is the weighted entropy of the branches alone. The gain is the node's entropy minus it: how "
         "much the split lowers the entropy."),
        (h_node - (w_right * h_left + w_left * h_right),
         "The weights are swapped: the left branch's entropy is weighted by the left branch's share of the "
         "examples, and the right's by the right's."),
        (gain * np.log(2), "That is the gain in nats (natural logarithm); entropy here is in bits, with $\\log_2$."),
    ])
    return dict(
        prompt=(f"A node holds {m} examples, {k} of them in class 1. A split on a feature sends {m_left} of them "
                f"to the left ({k_left} of class 1) and {m_right} to the right ({k_right} of class 1). What is the "
                "information gain of this split, in bits? Give three decimals."),
        answer=round(gain, 6), tolerance=tol,
        reason=(f"Right: $H({k}/{m}) - ({m_left}/{m} \\cdot H({k_left}/{m_left}) + {m_right}/{m} \\cdot "
                f"H({k_right}/{m_right})) = {h_node:.3f} - ({w_left:.3f} \\cdot {h_left:.3f} + {w_right:.3f} "
                f"\\cdot {h_right:.3f}) \\approx {gain:.3f}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q4: choosing the depth from a plot.

_DEPTHS = np.arange(1, 13)
_ERR_TRAIN = np.array([0.29, 0.21, 0.15, 0.11, 0.08, 0.06, 0.045, 0.03, 0.02, 0.01, 0.005, 0.0])
_ERR_CV = np.array([0.31, 0.24, 0.19, 0.155, 0.17, 0.19, 0.205, 0.22, 0.23, 0.24, 0.245, 0.25])
_BEST_DEPTH = int(_DEPTHS[np.argmin(_ERR_CV)])


def _q4_figure(rng, ax) -> None:
    ax.plot(_DEPTHS, _ERR_TRAIN, "o-", label="training")
    ax.plot(_DEPTHS, _ERR_CV, "s-", label="cross-validation")
    ax.set(xlabel="max_depth", ylabel="fraction misclassified", title="Decision trees of increasing depth",
           xticks=_DEPTHS)
    ax.grid(True, alpha=0.4)
    ax.legend()


# ---------------------------------------------------------------------------------------------
# q7: the best threshold on a continuous feature (seeded).


def _q7(rng: np.random.Generator) -> dict:
    tol = 1e-2
    while True:
        m = int(rng.integers(6, 9))
        weights = np.sort(rng.choice(np.arange(5, 21), size=m, replace=False))
        # Mostly light cats and heavy non-cats, with the boundary and some noise drawn from the seed.
        boundary = rng.uniform(weights[1], weights[-2])
        labels = (weights < boundary).astype(int)
        flip = rng.random(m) < 0.2
        labels = np.where(flip, 1 - labels, labels)
        if labels.min() == labels.max():
            continue
        mids = (weights[:-1] + weights[1:]) / 2
        gains = []
        for t in mids:
            left = labels[weights <= t]
            right = labels[weights > t]
            w = len(left) / m
            gains.append(_entropy(labels.mean()) - (w * _entropy(left.mean()) + (1 - w) * _entropy(right.mean())))
        gains = np.array(gains)
        order = np.argsort(gains)[::-1]
        if gains[order[0]] - gains[order[1]] > 0.02:
            break
    best = float(mids[order[0]])
    table = "| weight | " + " | ".join(str(int(w)) for w in weights) + " |\n"
    table += "|---|" + "---|" * m + "\n"
    table += "| cat | " + " | ".join(str(int(c)) for c in labels) + " |"
    wrong = []
    for t, g in zip(mids, gains):
        if t != best:
            wrong.append((float(t), f"The split weight $\\le$ {t:g} has information gain {g:.3f}, less than "
                                    f"the best split's {gains[order[0]]:.3f}."))
    i = int(order[0])
    for w in (weights[i], weights[i + 1]):
        wrong.append((float(w), f"{int(w)} is the weight of an animal; the candidate thresholds are the "
                                "midpoints between consecutive sorted weights (the split is the same for every "
                                "threshold between the same two weights): answer with the midpoint."))
    return dict(
        prompt=(f"{m} animals, sorted by weight (in pounds), with the label 1 for a cat:\n\n{table}\n\n"
                "A decision tree splits on the weight with a question `weight <= t`, trying as thresholds $t$ the "
                "midpoints between consecutive weights. Which threshold $t$ gives the split with the highest "
                "information gain?"),
        answer=best, tolerance=tol,
        reason=(f"Right: weight $\\le$ {best:g} has information gain {gains[order[0]]:.3f}, the highest of the "
                f"{m - 1} candidates."),
        wrong=keep_distinct(best, tol / 2, wrong))


# ---------------------------------------------------------------------------------------------
# q8: the bug in a variance-reduction function (seeded: the line and the bug).

_Q8_LINES = [
    ("def variance_reduction(y, goes_left):",
     "the function takes the targets `y` (shape `(m,)`) and a boolean mask `goes_left`."),
    ("    y_left, y_right = y[goes_left], y[~goes_left]",
     "the mask selects the left branch's targets, its negation `~goes_left` the right branch's."),
    ("    w_left = len(y_left) / len(y)",
     "the left branch's weight is its share of the node's examples."),
    ("    w_right = len(y_right) / len(y)",
     "the right branch's weight is its share of the node's examples."),
    ("    weighted = w_left * np.var(y_left) + w_right * np.var(y_right)",
     "each branch's variance is weighted by its share of the examples."),
    ("    return np.var(y) - weighted",
     "the reduction is the node's variance minus the branches' weighted variance."),
]
_Q8_BUGS = {
    2: [("    y_left, y_right = y[goes_left], y[goes_left]",
         "Both branches get the same examples, `y[goes_left]`; the right branch is `y[~goes_left]`, the "
         "examples the mask does not send left.")],
    3: [("    w_left = len(y_left) / len(y_right)",
         "The weight of a branch is its share of the node's examples, `len(y_left) / len(y)`; dividing by "
         "the other branch's size gives weights that do not add up to 1.")],
    4: [("    w_right = len(y_left) / len(y)",
         "The right branch is weighted by the left branch's share; it should be `len(y_right) / len(y)`.")],
    5: [("    weighted = w_left * np.var(y_left) + w_right * np.var(y_left)",
         "The right branch's term uses the left branch's variance; it should be `np.var(y_right)`."),
        ("    weighted = np.var(y_left) + np.var(y_right)",
         "The branch variances are added without their weights `w_left` and `w_right`, so a branch of one "
         "example (variance 0) would count as much as a large one.")],
    6: [("    return weighted - np.var(y)",
         "The sign is flipped: the reduction is the node's variance minus the weighted variance of the "
         "branches, positive for a good split."),
        ("    return np.var(y) + weighted",
         "The weighted variance of the branches must be subtracted from the node's variance, not added.")],
}
_Q8_INTRO = ("A regression tree chooses its splits by the **variance reduction**, $\\operatorname{Var}(\\text{node}) - "
             "(w^{\\text{left}} \\operatorname{Var}(\\text{left}) + w^{\\text{right}} "
             "\\operatorname{Var}(\\text{right}))$, each branch weighted by its share of the node's examples. "
             "This function should compute it:")


# ---------------------------------------------------------------------------------------------
# The questions.

QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Single(
        "q3", **answer_at("d",
        prompt=("The information gain weights each branch's entropy by the fraction of the node's examples that "
                "reach it. Why the weights?"),
        options={
            "a": Option("So that a pure branch gets entropy 0.",
                        "Wrong: a pure branch has entropy 0 by the formula itself ($0 \\log_2 0$ taken as 0), "
                        "weighted or not."),
            "b": Option("So that a branch counts in proportion to the examples it holds: a split that peels off "
                        "one odd example into a pure branch does not look excellent.",
                        "Right: without the weights a one-example branch (entropy 0) would count as much as a "
                        "branch holding all the others, however mixed it stays."),
            "c": Option("Because entropy is measured in bits, and the weights convert it to a probability.",
                        "Wrong: the weights have nothing to do with units; entropy stays in bits, and the weights "
                        "are fractions of examples."),
            "d": Option("So that splits on features with many values are preferred.",
                        "Wrong: the weights do not favour any kind of feature; here every split is binary, and "
                        "the weights only make each branch count by its size."),
        },
        answer="b")),
    Single(
        "q4",
        prompt=("Decision trees of increasing `max_depth` are grown on a training set; the plot shows the fraction "
                "misclassified on the training set and on a cross-validation set. Which `max_depth` would you "
                "choose?"),
        options={
            "a": Option("`max_depth = 1`", "Wrong: at depth 1 both errors are at their highest: a stump underfits (high bias)."),
            "b": Option(f"`max_depth = {_BEST_DEPTH}`",
                        f"Right: depth {_BEST_DEPTH} has the lowest cross-validation error, the estimate of how "
                        "the tree does on new examples."),
            "c": Option("`max_depth = 6`", "Wrong: at depth 6 the cross-validation error has already risen again; the tree is "
                             "past the best depth and starting to overfit."),
            "d": Option("`max_depth = 12`", "Wrong: at depth 12 the training error is 0, but the cross-validation error is near "
                              "its highest: the deep tree memorizes the training set, noise included (high "
                              "variance)."),
        },
        answer="b",
        figure=_q4_figure),
    Multiple(
        "q5",
        prompt="Which of these statements about random forests are true? (Choose all that apply.)",
        options={
            "a": Option("Each tree is grown on a bootstrap sample: $m$ examples drawn from the $m$ training "
                        "examples with replacement.",
                        "True: that is the bagging part of a random forest; each tree sees a slightly different "
                        "data set."),
            "b": Option("At every split, each tree considers only a random subset of the features (about "
                        "$\\sqrt{n}$ of them).",
                        "True: this is what a random forest adds to bagging; it makes the trees more different, "
                        "so their vote is better."),
            "c": Option("Each new tree is fitted to the residuals of the trees grown before it.",
                        "False: that is boosting. The trees of a random forest are grown independently of each "
                        "other."),
            "d": Option("Adding more trees makes a random forest overfit more.",
                        "False: more trees only average more votes; they cost time but do not make a random "
                        "forest overfit (boosting, by contrast, can overfit with too many trees)."),
            "e": Option("Its trees do not depend on each other, so they can be grown in parallel.",
                        "True: each tree needs only its own bootstrap sample, not the other trees."),
        },
        answer={"a", "b", "e"},
        reason="Right: (a), (b) and (e): bootstrap samples, a random subset of features at each split, and "
               "independent trees."),
    Shape(
        "q6",
        prompt=("Ten animals are described by three categorical features: `ear_shape` (pointy, floppy or oval), "
                "`face_shape` (round or not round) and `whiskers` (present or absent). What shape does\n\n"
                "```python\nOneHotEncoder(sparse_output=False, drop=\"if_binary\").fit_transform(\n"
                "    animals[[\"ear_shape\", \"face_shape\", \"whiskers\"]])\n```\n\nreturn?"),
        answer=(10, 5),
        reason="Right: one row per animal; three 0/1 columns for `ear_shape`, and one each for the two-valued "
               "features (`drop=\"if_binary\"`): 3 + 1 + 1 = 5.",
        wrong=[
            ((10, 7), "That is without `drop=\"if_binary\"`: a two-valued feature needs only one 0/1 column, and "
                      "this option keeps just one for each of them."),
            ((10, 3), "One-hot encoding does not keep one column per feature: a feature with $k$ values becomes $k$ "
                      "0/1 columns (one, for a two-valued feature with `drop=\"if_binary\"`)."),
            ((10, 4), "That would be `drop=\"first\"`, which also drops a column of `ear_shape`; `drop=\"if_binary\"` "
                      "drops one only from the two-valued features."),
            ((5, 10), "The rows stay the examples: one row per animal, one column per 0/1 feature."),
        ]),
    Number.variant("q7", _q7),
    Number.variant("q8", _bug_line("q8", _Q8_INTRO, _Q8_LINES, _Q8_BUGS)),
    Single(
        "q9",
        prompt=("A `DecisionTreeRegressor(max_depth=2)` is fitted to examples with one continuous input $x$. What "
                "does its prediction look like as a function of $x$?"),
        options={
            "a": Option("A smooth curve through the training points.",
                        "Wrong: a tree's prediction is constant within each leaf; it jumps between leaves and "
                        "never curves."),
            "b": Option("A straight line.",
                        "Wrong: that is linear regression. A regression tree predicts the mean of a leaf's "
                        "examples, a constant, in each region."),
            "c": Option("A step function with at most 4 constant pieces.",
                        "Right: depth 2 gives at most 4 leaves, each predicting the mean target of its examples, "
                        "constant between the thresholds."),
            "d": Option("A polynomial of degree 2.",
                        "Wrong: the depth of a tree is not a degree; every leaf predicts a constant."),
        },
        answer="c"),
    Single(
        "q10", **answer_at("a",
        prompt=("In gradient boosting for regression, the ensemble starts from $F_0(x) = \\bar y$ and adds one small "
                "tree at a time, with a learning rate $\\eta$. What is the second tree $h_2$ fitted to?"),
        options={
            "a": Option("The targets $y$ of a new bootstrap sample of the training set.",
                        "Wrong: that is bagging, where the trees are independent; boosting fits each tree to what "
                        "the ensemble so far gets wrong."),
            "b": Option("The residuals $y - F_1(x)$ of the ensemble after the first tree.",
                        "Right: each new tree is fitted to the residuals of the current ensemble and added with "
                        "the learning rate, $F_2 = F_1 + \\eta h_2$."),
            "c": Option("The targets $y$, using a random subset of the features.",
                        "Wrong: a random subset of features is the random forest's idea; it would fit the same "
                        "targets again instead of the errors left."),
            "d": Option("Only the examples that the first tree predicted well.",
                        "Wrong: it is the other way round: boosting concentrates on the errors, what the ensemble "
                        "still gets wrong."),
        },
        answer="b")),
    Single(
        "q11", **answer_at("d",
        prompt="For which of these problems is a tree ensemble (a random forest, gradient boosting) the natural "
               "first choice over a neural network?",
        options={
            "a": Option("Recognizing objects in photographs.",
                        "Wrong: images are unstructured data, where neural networks (convolutional ones) do much "
                        "better than trees on raw pixels."),
            "b": Option("Predicting customer churn from a table of account records with numeric and categorical "
                        "columns.",
                        "Right: tabular (structured) data is where tree ensembles are strong, fast to train and "
                        "the baseline to beat."),
            "c": Option("Transcribing speech from raw audio.",
                        "Wrong: audio is unstructured; neural networks work far better on it, and allow transfer "
                        "learning."),
            "d": Option("Translating free text from one language into another.",
                        "Wrong: text is unstructured, and translation produces a sequence, which trees do not do; "
                        "it is a job for neural networks."),
        },
        answer="b")),
]

define_checks(globals(), QUESTIONS)
