"""The quiz of c2w3 (advice for applying machine learning): the question bank, its answer key and
every explanation. The questions are about the week's ideas (train, cross-validation and test sets,
bias and variance, learning curves, precision, recall and F1 on skewed data); none shows a graded
function's code. Every number a prompt, a plot or an answer states is computed here."""

from __future__ import annotations

import numpy as np

from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks


def _fmt(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def _separated(values, tol: float) -> bool:
    vals = [float(v) for v in values]
    return all(abs(a - b) > 2 * tol for i, a in enumerate(vals) for b in vals[i + 1:])


# --- q1: reading a pair of learning curves (plot; bias or variance is drawn from the seed) ------------

_BASELINE = 0.5


def _q1_case(rng) -> str:
    return ["bias", "variance"][int(rng.integers(0, 2))]


def _q1_curves(case: str):
    m = np.arange(5, 201, 5)
    if case == "bias":
        j_train = 2.0 - 1.6 * np.exp(-m / 12)
        j_cv = 2.15 + 6.0 * np.exp(-m / 10)
    else:
        j_train = 0.05 + 0.35 * (1 - np.exp(-m / 60))
        j_cv = 0.75 + 7.0 / np.sqrt(m)
    return m, j_train, j_cv


def _q1_figure(rng, ax) -> None:
    m, j_train, j_cv = _q1_curves(_q1_case(rng))
    ax.plot(m, j_train, label="$J_{train}$")
    ax.plot(m, j_cv, label="$J_{cv}$")
    ax.axhline(_BASELINE, color="gray", linestyle=":", label="baseline")
    ax.set_ylim(0, 4.5)
    ax.set_xlabel("number of training examples $m_{train}$")
    ax.set_ylabel("cost")
    ax.legend()
    ax.set_title("Learning curves")


def _q1_make(rng) -> dict:
    case = _q1_case(rng)
    m, j_train, j_cv = _q1_curves(case)
    end_gap = j_cv[-1] - j_train[-1]
    if case == "bias":
        assert j_train[-1] > 3 * _BASELINE and end_gap < 0.3
        why = {
            "a": "Right: both curves have levelled off close together, far above the baseline; the model cannot fit "
                 "even its training set, so more examples will not help: add features or flexibility instead.",
            "b": "There is no wide gap: the two curves end close together. What is large is the distance from "
                 "$J_{train}$ to the baseline, which is high bias, and more data does not reduce it.",
            "c": f"Both curves end around {j_train[-1] / _BASELINE:.0f} times the baseline: far from it, not close.",
            "d": "The curves end close together, with no wide gap between them: no sign of high variance, only of "
                 "high bias.",
        }
    else:
        assert j_train[-1] < _BASELINE and end_gap > 0.5 and j_cv[-1] < j_cv[-10]
        why = {
            "a": "$J_{train}$ is below the baseline: the model fits its training set very well (noise included), so "
                 "it does not have high bias.",
            "b": "Right: $J_{train}$ is low while $J_{cv}$ is far above it, and the gap is still closing as "
                 "$m_{train}$ grows: high variance, which more training data helps.",
            "c": "$J_{cv}$ is still well above the baseline, with a wide gap to $J_{train}$: the model does not "
                 "generalize yet.",
            "d": "$J_{train}$ is below the baseline, so there is no high bias; only the gap to $J_{cv}$ (variance) "
                 "is large.",
        }
    options = {
        "a": Option("High bias: more training examples will not help much.", why["a"]),
        "b": Option("High variance: more training examples are likely to help.", why["b"]),
        "c": Option("Neither: both errors are already close to the baseline.", why["c"]),
        "d": Option("Both high bias and high variance: more examples and more features are both needed.", why["d"]),
    }
    return dict(
        prompt=("The plot shows the learning curves of a regression model: the training and cross-validation costs "
                "against the number of training examples. The dotted line is the baseline, the cost the best "
                "possible model would have (the noise level). What do they say?"),
        options=options, answer="a" if case == "bias" else "b", figure=_q1_figure)


q1 = Single.variant("q1", _q1_make)


# --- q2: choosing the degree from the cross-validation curve (plot) -----------------------------------


def _q2_curves(rng):
    """A cross-validation error with its lowest point at the seeded best degree, and a training error
    that falls with the degree and stays below it."""
    d = np.arange(1, 11)
    best = int(rng.integers(2, 8))
    while True:
        low = rng.uniform(0.55, 0.75)
        left = rng.uniform(0.8, 1.5) * (np.maximum(0, best - d) / (best - 1)) ** 1.2
        right = rng.uniform(0.8, 1.5) * (np.maximum(0, d - best) / (10 - best)) ** 1.2
        j_cv = low + left + right + rng.uniform(0, 0.02, size=10)
        j_train = 0.2 + (j_cv[0] - 0.35) * np.exp(-rng.uniform(0.4, 1.2) * (d - 1))
        margin = np.sort(j_cv)[1] - j_cv.min()
        if (int(np.argmin(j_cv)) + 1 == best and margin >= 0.08 and np.all(j_train < j_cv - 0.05)
                and j_cv.max() < 2.4):
            return d, j_train, j_cv, best


def _q2_figure(rng, ax) -> None:
    d, j_train, j_cv, _ = _q2_curves(rng)
    ax.plot(d, j_train, marker="o", label="$J_{train}$")
    ax.plot(d, j_cv, marker="s", label="$J_{cv}$")
    ax.set_xticks(d)
    ax.set_xlabel("degree of the polynomial")
    ax.set_ylabel("cost")
    ax.set_ylim(0, 2.5)
    ax.grid(True, alpha=0.3)
    ax.legend()
    ax.set_title("Errors against the degree")


def _q2_make(rng) -> dict:
    d, j_train, j_cv, best = _q2_curves(rng)
    wrong = [(10, "Degree 10 has the lowest *training* error, but a more flexible model always fits its own "
                  "training data better; its $J_{cv}$ shows it generalizes worse (high variance)."),
             (1, "Degree 1 has the highest errors on both sets: it underfits (high bias).")]
    wrong = [(v, why) for v, why in wrong if v != best]
    return dict(
        prompt=("For each degree from 1 to 10, a polynomial was fitted on the training set, and its cost measured "
                "on the training and on the cross-validation set (plot). Which degree should you choose? Answer "
                "with the degree, e.g. `q2 = 3`."),
        answer=best, tolerance=0.4,
        reason=(f"Right: degree {best} has the lowest cross-validation error, $J_{{cv}} \\approx {j_cv[best - 1]:.2f}$; "
                "the cross-validation set is there to choose the model (and the test set, untouched, to report it)."),
        wrong=wrong,
        hint="Choose by the error on examples the model was not fitted to.",
        figure=_q2_figure)


q2 = Number.variant("q2", _q2_make)


# --- q3: a diagnosis from three numbers ----------------------------------------------------------------------


def _q3_make(rng) -> dict:
    case = ["bias", "variance", "both", "neither"][int(rng.integers(0, 4))]
    base = float(rng.integers(40, 121)) / 10          # a baseline error in percent, 4.0 .. 12.0
    small = lambda: float(rng.integers(2, 9)) / 10    # 0.2 .. 0.8 points
    large = lambda: float(rng.integers(30, 61)) / 10  # 3.0 .. 6.0 points
    train = base + (large() if case in ("bias", "both") else small())
    cv = train + (large() if case in ("variance", "both") else small())
    g1, g2 = train - base, cv - train
    bias_big, var_big = g1 > 2, g2 > 2
    assert (bias_big, var_big) == {"bias": (True, False), "variance": (False, True),
                                   "both": (True, True), "neither": (False, False)}[case]
    gaps = (f"baseline → $J_{{train}}$: {g1:.1f} points, $J_{{train}}$ → $J_{{cv}}$: {g2:.1f} points")
    text = {
        "bias": "High bias only.",
        "variance": "High variance only.",
        "both": "Both high bias and high variance.",
        "neither": "Neither: the model does about as well as the baseline on both sets.",
    }
    def why(option: str) -> str:
        if option == case:
            return f"Right: {gaps}; " + {
                "bias": "the model does not fit even its training set, and carries that over to new data.",
                "variance": "it fits its training set nearly as well as the baseline, but not new data.",
                "both": "it fits its training set badly *and* does much worse still on new data.",
                "neither": "both gaps are small.",
            }[case]
        if option == "bias":  # the case is not "bias": either J_train is close to the baseline, or J_cv is far above it too
            if not bias_big:
                return (f"The gap from the baseline to $J_{{train}}$ is small ({g1:.1f} points): the model fits its "
                        "training set about as well as can be hoped, so it does not have high bias.")
            return (f"The gap from the baseline to $J_{{train}}$ is large ({g1:.1f} points), but so is the gap from "
                    f"$J_{{train}}$ to $J_{{cv}}$ ({g2:.1f} points): there is more than bias.")
        if option == "variance":
            if not var_big:
                return (f"The gap from $J_{{train}}$ to $J_{{cv}}$ is small ({g2:.1f} points): the model does about as "
                        "well on new data as on its training set, so it does not have high variance.")
            return (f"The gap from $J_{{train}}$ to $J_{{cv}}$ is large ({g2:.1f} points), but so is the gap from the "
                    f"baseline to $J_{{train}}$ ({g1:.1f} points): there is more than variance.")
        if option == "both":
            return (f"Not both: {gaps}; " + ("only the first is large." if bias_big else
                                             "only the second is large." if var_big else "both are small."))
        return f"{gaps}: " + ("both are large." if bias_big and var_big else
                              "the first is large." if bias_big else "the second is large.")
    options = {k: Option(text[c], why(c)) for k, c in zip("abcd", ["bias", "variance", "both", "neither"])}
    return dict(
        prompt=(f"A speech recognizer's error is {base:.1f}% for human listeners (the baseline), "
                f"{train:.1f}% on its training set and {cv:.1f}% on the cross-validation set. What is its problem?"),
        options=options, answer="abcd"[["bias", "variance", "both", "neither"].index(case)])


q3 = Single.variant("q3", _q3_make)


# --- q4: F1 from the counts, by hand ----------------------------------------------------------------------


def _q4_make(rng) -> dict:
    tol = 1e-3
    while True:
        tp, fp, fn = (int(v) for v in rng.integers(3, 40, size=3))
        tn = int(rng.integers(200, 900))
        p, r = tp / (tp + fp), tp / (tp + fn)
        answer = 2 * p * r / (p + r)
        acc = (tp + tn) / (tp + tn + fp + fn)
        wrong = [((p + r) / 2, "That is the plain average of precision and recall; $F_1$ is their harmonic mean, "
                               "$2PR/(P + R)$, which stays low when either is low."),
                 (p, "That is the precision, $TP/(TP + FP)$, alone; $F_1$ combines it with the recall."),
                 (r, "That is the recall, $TP/(TP + FN)$, alone; $F_1$ combines it with the precision."),
                 (acc, "That is the accuracy, which the many true negatives dominate on skewed data; $F_1$ ignores "
                       "the true negatives.")]
        if abs(p - r) > 0.05 and _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=(f"On a skewed cross-validation set, a classifier has {tp} true positives, {fp} false positives, {fn} "
                f"false negatives and {tn} true negatives. What is its $F_1$ score? Answer within $\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=(f"Right: precision $= {tp}/{tp + fp} \\approx {p:.4f}$, recall $= {tp}/{tp + fn} \\approx {r:.4f}$, and "
                f"$F_1 = 2PR/(P + R) \\approx {answer:.4f}$."),
        wrong=wrong)


q4 = Number.variant("q4", _q4_make)


# --- q5: accuracy on a skewed data set ---------------------------------------------------------------------

q5 = Single(
    "q5",
    prompt=("A rare disease affects 0.5% of patients. Model A always predicts 'healthy' and so has an error of "
            "0.5%. Model B has an error of 1.2% and finds 80% of the sick patients. Which statement is right?"),
    options={
        "a": Option("Model A is better, because its error is lower.",
                    "A's low error comes only from predicting the common class: it never finds a sick patient. On "
                    "skewed data the error rate hides that."),
        "b": Option("Model A's precision is 1, because it never raises a false alarm.",
                    "A never predicts 'sick', so $TP + FP = 0$ and its precision is $0/0$, undefined (reported as 0 "
                    "by the usual convention); no false alarms does not make a useful model."),
        "c": Option("Model A's recall is 0: it finds none of the sick patients, so model B is the more useful one "
                    "despite its higher error.",
                    "Right: recall $= TP/(TP + FN) = 0$ for A, 0.8 for B; on skewed data precision and recall show "
                    "what the error rate hides."),
        "d": Option("The two models cannot be compared without a test set.",
                    "They can be compared on the cross-validation set with the right measures; the test set is "
                    "for reporting the chosen model's error at the end."),
    },
    answer="c")


# --- q6: raising the decision threshold ---------------------------------------------------------------------

q6 = Single(
    "q6",
    prompt=("A logistic regression classifier predicts 1 when $f(\\vec x) \\ge 0.5$. You raise the threshold to 0.9 "
            "and measure again on the same cross-validation set. Which of these is **certain**?"),
    options={
        "a": Option("The precision goes up.",
                    "Usually, but not certainly: the examples that are no longer flagged may include more true than "
                    "false positives, and then the precision drops."),
        "b": Option("The recall does not go up.",
                    "Right: every example flagged at 0.9 was already flagged at 0.5, so the true positives can only "
                    "stay or fall, while $TP + FN$, the number of actual positives, is fixed."),
        "c": Option("The $F_1$ score goes up.",
                    "$F_1$ can go either way: the precision may rise while the recall falls."),
        "d": Option("The accuracy goes up.",
                    "Fewer false positives but more false negatives: the number of mistakes can go either way."),
    },
    answer="b")


# --- q7: remedies for high variance ------------------------------------------------------------------------

q7 = Multiple(
    "q7",
    prompt=("A regularized polynomial model has a low training error and a much higher cross-validation error. "
            "Which changes are likely to help? (choose all that apply)"),
    options={
        "a": Option("Get more training examples.",
                    "Belongs: with more examples, the flexible model can no longer follow the noise of each one; "
                    "the learning curves' gap closes."),
        "b": Option("Use fewer features (for instance a lower degree).",
                    "Belongs: a less flexible model fits less of the noise."),
        "c": Option("Increase $\\lambda$.",
                    "Belongs: a larger penalty keeps the weights small and the curve smoother."),
        "d": Option("Add polynomial features of higher degree.",
                    "Does not belong: more flexibility is the remedy for high bias; here it would overfit even more."),
        "e": Option("Decrease $\\lambda$.",
                    "Does not belong: a smaller penalty lets the model fit its training set even more closely, which "
                    "is the remedy for high bias."),
    },
    answer={"a", "b", "c"})


# --- q8: why a separate test set ----------------------------------------------------------------------------

q8 = Single(
    "q8",
    prompt=("You try ten degrees of a polynomial, choose the one with the lowest cross-validation error, and then "
            "report the chosen model's error on a separate test set. Why not report its cross-validation error?"),
    options={
        "a": Option("The cross-validation error of the chosen model is optimistic: it was chosen *because* that "
                    "number was the lowest of ten, so some of its lowness is luck.",
                    "Right: only a set that played no part in the choice gives an honest estimate of the error on "
                    "new data."),
        "b": Option("The test error is always lower, so it makes the model look better.",
                    "The opposite: the test error of the chosen model is typically *higher* than its "
                    "cross-validation error; the point is honesty, not a better-looking number."),
        "c": Option("The test set is used to train the final model.",
                    "The test set is never trained on (and not used to choose anything); it only measures the "
                    "chosen model, once."),
        "d": Option("The cross-validation set is smaller than the test set.",
                    "A common split is 60/20/20: the two sets have the same size. The problem is that the "
                    "cross-validation set was used to choose."),
    },
    answer="a")


# --- q9: which line of a train/cv/test split has the bug (the bug moves with the seed) -------------------

_Q9_GOOD = {
    "2": "    idx = rng.permutation(len(y))",
    "3": "    n_train, n_cv = int(0.6 * len(y)), int(0.2 * len(y))",
    "4": "    train = idx[:n_train]",
    "5": "    cv = idx[n_train:n_train + n_cv]",
    "6": "    test = idx[n_train + n_cv:]",
    "7": "    return X[train], y[train], X[cv], y[cv], X[test], y[test]",
}
_Q9_BAD = {
    "2": ("    idx = np.arange(len(y))",
          "Right: `np.arange` keeps the rows in their order; since they arrive sorted by label, the training set "
          "gets the 0s and the test set only 1s. `rng.permutation(len(y))` shuffles the indices first."),
    "5": ("    cv = idx[:n_cv]",
          "Right: `idx[:n_cv]` takes the first indices again, which are training examples: the cross-validation "
          "set overlaps the training set and its error is optimistic. It should be `idx[n_train:n_train + n_cv]`."),
    "6": ("    test = idx[n_train:]",
          "Right: `idx[n_train:]` starts right after the training set, so the test set also holds every "
          "cross-validation example; it should start after them, at `n_train + n_cv`."),
}
_Q9_FINE = {
    "2": "`rng.permutation` shuffles the indices, so every set is a random sample although the rows arrive sorted.",
    "3": "60% and 20% of the examples; the test set takes the remaining ones: correct.",
    "4": "The first 60% of the shuffled indices are the training set: correct.",
    "5": "The next 20%, right after the training indices, with no overlap: correct.",
    "6": "Everything after the training and cross-validation indices, the remaining 20%: correct.",
    "7": "Each set's rows of `X` with their own labels: correct.",
}


def _q9_make(rng) -> dict:
    bug = ["2", "5", "6"][int(rng.integers(0, 3))]
    code = "1  def split(X, y, rng):\n"
    options = {}
    for k, good in _Q9_GOOD.items():
        line = _Q9_BAD[k][0] if k == bug else good
        code += f"{k}  {line}\n"
        options[k] = Option(f"line {k}: `{line.strip()}`", _Q9_BAD[k][1] if k == bug else _Q9_FINE[k])
    return dict(
        prompt=("The rows of `X` (and the labels `y`) arrive sorted by label, all the 0s first. `split(X, y, rng)` "
                "should return a random split into a training set (60%), a cross-validation set (20%) and a test "
                "set (the rest), with no example in two sets. Exactly one line is wrong. Which one? Answer with its "
                "number, e.g. `q9 = \"2\"`.\n\n"
                f"```python\n{code}```"),
        options=options, answer=bug)


q9 = Single.variant("q9", _q9_make)


# --- q10: precision at a threshold, by hand -----------------------------------------------------------------


def _q10_make(rng) -> dict:
    tol = 5e-3
    while True:
        probs = np.sort(rng.choice(np.arange(5, 100, 5), size=8, replace=False))[::-1] / 100
        y = (rng.uniform(size=8) < probs).astype(int)
        t = float(rng.choice([0.3, 0.4, 0.6, 0.7]))
        pred = (probs >= t).astype(int)
        tp = int(np.sum((pred == 1) & (y == 1)))
        fp = int(np.sum((pred == 1) & (y == 0)))
        fn = int(np.sum((pred == 0) & (y == 1)))
        if tp == 0 or fp == 0 or fn == 0 or np.any(np.isclose(probs, t)):
            continue
        answer = tp / (tp + fp)
        wrong = [(tp / (tp + fn), "That is the recall, $TP/(TP + FN)$: of the actual positives, the fraction flagged. "
                                  "Precision is of the flagged examples, the fraction that are positive."),
                 (np.mean(pred == y), "That is the accuracy, the fraction of all eight predictions that are right."),
                 (fp / (tp + fp), "That is the fraction of false alarms among the flagged examples, "
                                  "$FP/(TP + FP) = 1 - $ precision.")]
        p50 = (probs >= 0.5).astype(int)
        if t != 0.5 and np.sum(p50) > 0:
            wrong.append((np.sum((p50 == 1) & (y == 1)) / np.sum(p50),
                          f"That is the precision at the default threshold 0.5; here the threshold is {_fmt(t)}."))
        if _separated([answer] + [v for v, _ in wrong], tol):
            break
    table = ("| example | " + " | ".join(str(i + 1) for i in range(8)) + " |\n"
             + "|---" * 9 + "|\n"
             + "| $f(\\vec x)$ | " + " | ".join(f"{p:.2f}" for p in probs) + " |\n"
             + "| $y$ | " + " | ".join(str(v) for v in y) + " |")
    return dict(
        prompt=("A classifier gives these eight cross-validation examples the probabilities $f(\\vec x)$ that "
                f"$y = 1$:\n\n{table}\n\nIt predicts 1 when $f(\\vec x) \\ge {_fmt(t)}$. What is its precision? "
                "Answer within $\\pm 0.005$ (a fraction such as `\"3/4\"` is fine)."),
        answer=answer, tolerance=tol,
        reason=(f"Right: {tp + fp} examples are flagged ($f \\ge {_fmt(t)}$), {tp} of them positive: "
                f"precision $= {tp}/{tp + fp} \\approx {answer:.4f}$."),
        wrong=wrong)


q10 = Number.variant("q10", _q10_make)


# --- q11: the shape of a confusion matrix ----------------------------------------------------------------------


def _q11_make(rng) -> dict:
    k = int(rng.choice([3, 4, 5, 6, 10]))
    m = int(rng.integers(50, 400))
    return dict(
        prompt=(f"`y_true` and `y_pred` hold the true and the predicted classes of {m} examples of a {k}-class "
                f"problem (labels $0, \\dots, {k - 1}$, every class present in both). What is the shape of "
                "scikit-learn's `confusion_matrix(y_true, y_pred)`?"),
        answer=(k, k),
        reason=(f"Right: one row per actual class and one column per predicted class; entry $(i, j)$ counts the "
                f"examples of class $i$ predicted as $j$: ({k}, {k})."),
        wrong=[((2, 2), "That is the binary case, $[[TN, FP], [FN, TP]]$; with more classes there is one row and one "
                        "column per class."),
               ((m, m), "The matrix counts examples per pair of classes; it does not have a row per example."),
               ((m, k), "That would be one row per example; the confusion matrix has one row per actual class."),
               ((k,), "Counting per class gives one number per class; the confusion matrix counts per *pair* "
                      "(actual, predicted).")])


q11 = Shape.variant("q11", _q11_make)


# --- q12: why F1 is a harmonic mean ----------------------------------------------------------------------------

_P12, _R12 = 0.1, 1.0
_F12 = 2 * _P12 * _R12 / (_P12 + _R12)
_AVG12 = (_P12 + _R12) / 2

q12 = Single(
    "q12",
    prompt=("A model that flags every example of a skewed data set (10% positives) as positive has recall 1 and "
            "precision 0.1. Why does $F_1$, the harmonic mean of precision and recall, summarize it better than "
            "their plain average?"),
    options={
        "a": Option("The harmonic mean is easier to compute.",
                    "Both are simple formulas; the reason is how each behaves when one of the two numbers is low."),
        "b": Option("It weights recall twice as much as precision.",
                    "$F_1 = 2PR/(P + R)$ is symmetric in $P$ and $R$: they count equally."),
        "c": Option("It is always higher than the plain average, which rewards balanced models.",
                    "The harmonic mean is never higher than the plain average; it is lower whenever $P \\ne R$."),
        "d": Option(f"It stays low when either one is low: here $F_1 \\approx {_F12:.2f}$, while the average, "
                    f"{_AVG12:.2f}, looks better than many useful models.",
                    f"Right: $2 \\cdot {_fmt(_P12)} \\cdot {_fmt(_R12)} / ({_fmt(_P12)} + {_fmt(_R12)}) \\approx "
                    f"{_F12:.2f}$; a model must do well on both to get a high $F_1$."),
    },
    answer="d")


QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12]

define_checks(globals(), QUESTIONS)
