"""The quiz of module c1w1 (linear regression with one variable): its questions, answer key and
explanations. Every number a prompt or an answer states is computed here, from the quiz seed
where the question is a seeded variant (see autograder/quiz and docs/quizzes.md)."""

from __future__ import annotations

import numpy as np

from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks


def _fmt(v: float) -> str:
    """A number as a prompt shows it (no trailing zeros)."""
    return f"{v:.6g}"


# ---------------------------------------------------------------------------------------------
# q2: a prediction of the model.

def _make_prediction(rng):
    w = int(rng.integers(5, 30)) * 10
    b = int(rng.integers(1, 20)) * 10
    x = float(rng.integers(11, 39)) / 10
    answer = w * x + b
    wrong = [(w * x, f"That is $w x$ alone: the model adds the bias, $f = w x + b$, so add $b = {b}$."),
             (w + b * x, "That swaps the roles of $w$ and $b$: $w$ multiplies the feature, $b$ is added."),
             (w * (x + b), "That is $w (x + b)$: the bias is added after multiplying, $f = w x + b$.")]
    return dict(
        prompt=(f"A model of house prices is $f_{{w,b}}(x) = w x + b$ with $w = {w}$ and $b = {b}$, "
                f"where $x$ is the size in 1000 square feet and the price is in \\$1000s. "
                f"What price does it predict for a house of size $x = {_fmt(x)}$ (in \\$1000s)?"),
        answer=answer, tolerance=0.01,
        reason=f"Right: $f = {w} \\cdot {_fmt(x)} + {b} = {_fmt(answer)}$.",
        wrong=_distinct(answer, wrong, 0.01))


def _distinct(answer, wrong, tol):
    """The known wrong values that are neither the answer nor another wrong value (within tol)."""
    kept = []
    for value, why in wrong:
        if abs(value - answer) > tol and all(abs(value - v) > tol for v, _ in kept):
            kept.append((value, why))
    return kept


# ---------------------------------------------------------------------------------------------
# q4: the squared-error cost by hand on three examples.

def _make_cost(rng):
    while True:
        x = rng.integers(1, 5, size=3)
        w = int(rng.integers(1, 4))
        b = int(rng.integers(-2, 3))
        y = w * x + b + rng.integers(-2, 3, size=3)
        err = w * x + b - y
        if np.any(err != 0):
            break
    m = 3
    total = float(np.sum(err**2))
    answer = total / (2 * m)
    wrong = [(total / m, "That is $\\frac{1}{m}\\sum (f - y)^2$: the squared-error cost also has the "
                         "$\\frac{1}{2}$, $J = \\frac{1}{2m}\\sum (f - y)^2$."),
             (total / 2, "That is $\\frac{1}{2}\\sum (f - y)^2$ without dividing by $m = 3$: the cost "
                         "is an average over the examples."),
             (total, "That is the plain sum of squared errors: the cost divides it by $2m = 6$."),
             (float(np.sum(np.abs(err))) / (2 * m), "That adds the absolute errors $|f - y|$: the "
                                                    "squared-error cost squares each error.")]
    rows = "\n".join(f"| {i + 1} | {x[i]} | {y[i]} |" for i in range(m))
    return dict(
        prompt=(f"For the model $f_{{w,b}}(x) = w x + b$ with $w = {w}$ and $b = {b}$, and the three "
                f"training examples below, compute the squared-error cost\n"
                "$$J(w,b) = \\frac{1}{2m}\\sum_{i=1}^{m} \\left(f_{w,b}(x^{(i)}) - y^{(i)}\\right)^2 .$$\n\n"
                f"| $i$ | $x^{{(i)}}$ | $y^{{(i)}}$ |\n|---|---|---|\n{rows}\n\n"
                "Give $J$ as a number (a fraction like `7/6` is fine)."),
        answer=answer, tolerance=0.005,
        reason=(f"Right: the errors are {', '.join(str(int(e)) for e in err)}, their squares add up to "
                f"{int(total)}, and $J = {int(total)} / 6 = {_fmt(answer)}$."),
        wrong=_distinct(answer, wrong, 0.005))


# ---------------------------------------------------------------------------------------------
# q6: choosing the learning rate from cost curves (the quiz draws them).

_X6 = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
_Y6 = np.array([3.1, 4.9, 7.2, 8.8, 11.1])
_ALPHAS6 = {"diverges": 0.19, "good": 0.05, "tiny": 0.0005}
_LABELS6 = ("A", "B", "C")


def _cost_curve(alpha, iters=40):
    w = b = 0.0
    m = len(_X6)
    history = []
    for _ in range(iters):
        err = w * _X6 + b - _Y6
        w, b = w - alpha * float(err @ _X6) / m, b - alpha * float(err.sum()) / m
        history.append(float(((w * _X6 + b - _Y6) ** 2).sum() / (2 * m)))
    return history


def _curve_labels(rng):
    """Which label (A, B, C) each learning rate's curve gets, for this seed."""
    kinds = list(_ALPHAS6)
    order = rng.permutation(len(kinds))
    return {kinds[i]: _LABELS6[j] for j, i in enumerate(order)}


def _draw_curves(rng, ax):
    labels = _curve_labels(rng)
    for kind, label in sorted(labels.items(), key=lambda kv: kv[1]):
        ax.semilogy(range(1, 41), _cost_curve(_ALPHAS6[kind]), marker=".", label=f"curve {label}")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J (log scale)")
    ax.set_title("The cost after each iteration, three learning rates")
    ax.legend()


def _make_curves(rng):
    labels = _curve_labels(rng)
    why = {
        "diverges": "Wrong: curve {l} grows with every iteration: the learning rate is too large, each "
                    "step overshoots the minimum by more than the last, and gradient descent diverges.",
        "good": "Right: curve {l} falls quickly and then flattens: gradient descent converges.",
        "tiny": "Wrong: curve {l} falls, but so slowly that it is still far from its minimum after 40 "
                "iterations: the learning rate is too small.",
    }
    by_label = {label: kind for kind, label in labels.items()}
    options = {label.lower(): Option(f"curve {label}", why[by_label[label]].format(l=label))
               for label in _LABELS6}
    return dict(
        prompt=("Gradient descent ran on the same data from $w = b = 0$ with three learning rates. "
                "The plot shows the cost after each iteration (on a log scale). Which curve's learning "
                "rate would you keep?"),
        options=options, answer=labels["good"].lower())


# ---------------------------------------------------------------------------------------------
# q9: one step of gradient descent by hand.

def _make_step(rng):
    x = rng.integers(1, 4, size=3).astype(float)
    y = rng.integers(1, 7, size=3).astype(float)
    alpha = float(rng.choice([0.1, 0.05, 0.2]))
    m = 3
    dj_dw = float(np.sum((0 - y) * x)) / m
    dj_db = float(np.sum(0 - y)) / m
    answer = 0 - alpha * dj_dw
    wrong = [(-answer, "The sign is flipped: gradient descent steps *against* the gradient, "
                       "$w := w - \\alpha \\frac{\\partial J}{\\partial w}$."),
             (answer * m, "That is without the $\\frac{1}{m}$: the derivative of the cost averages "
                          "over the $m = 3$ examples."),
             (-alpha * dj_db, "That uses $\\frac{\\partial J}{\\partial b}$, which has no factor "
                              "$x^{(i)}$: the derivative with respect to $w$ multiplies each error by its $x^{(i)}$."),
             (-dj_dw, "That is the step without the learning rate $\\alpha$.")]
    rows = "\n".join(f"| {i + 1} | {_fmt(x[i])} | {_fmt(y[i])} |" for i in range(m))
    return dict(
        prompt=("Gradient descent starts at $w = 0$, $b = 0$ on the three examples below, with learning "
                f"rate $\\alpha = {_fmt(alpha)}$ and the squared-error cost "
                "$J(w,b) = \\frac{1}{2m}\\sum_i (w x^{(i)} + b - y^{(i)})^2$. What is $w$ after one step "
                "(both parameters updated simultaneously)?\n\n"
                f"| $i$ | $x^{{(i)}}$ | $y^{{(i)}}$ |\n|---|---|---|\n{rows}"),
        answer=answer, tolerance=0.005,
        reason=(f"Right: at $w = b = 0$ every error is $-y^{{(i)}}$, so "
                f"$\\frac{{\\partial J}}{{\\partial w}} = \\frac{{1}}{{3}}\\sum_i (-y^{{(i)}}) x^{{(i)}} = {_fmt(dj_dw)}$ "
                f"and $w = 0 - {_fmt(alpha)} \\cdot ({_fmt(dj_dw)}) = {_fmt(answer)}$."),
        wrong=_distinct(answer, wrong, 0.005))


# ---------------------------------------------------------------------------------------------
# q10: what shape does this return?

def _make_shape(rng):
    m = int(rng.integers(20, 100))
    return dict(
        prompt=(f"`x` is a numpy array of shape `({m},)` (one feature for {m} examples), and `w = 2.0`, "
                "`b = 1.0` are Python floats. What shape does `w * x + b` return? Answer with a tuple, "
                "e.g. `(3, 4)`, `(3,)` or `()` for a scalar."),
        answer=(m,),
        reason=(f"Right: a scalar times an array, plus a scalar, works element by element (broadcasting), "
                f"so the result has the shape of `x`, `({m},)`: one prediction per example."),
        wrong=[((m, 1), f"`({m}, 1)` is a column (2-D) array: numpy does not add an axis here; a 1-D "
                        "array stays 1-D."),
               ((), "That would be one number: nothing here sums over the examples; each example "
                    "gets its own prediction."),
               ((1,), "Broadcasting a scalar does not shrink the array: the result has one entry per example."),
               ((1, m), f"`(1, {m})` is a row (2-D) array: numpy does not add an axis here.")])


# ---------------------------------------------------------------------------------------------
# q11: which line of this function has the bug? (the bug moves with the seed)

_MAE_LINES = [
    "def mean_absolute_error(x, y, w, b):",
    "    m = x.shape[0]",
    "    total = 0.0",
    "    for i in range(m):",
    "        f_wb = w * x[i] + b",
    "        total = total + abs(f_wb - y[i])",
    "    return total / m",
]
# line number -> (the buggy version, why it is the bug, why the correct line is fine)
_MAE_BUGS = {
    2: ("    m = x.shape[0] - 1",
        "Right: line 2 makes m one less than the number of examples, so the loop skips the last "
        "example and the average divides by the wrong count.",
        "Line 2 is fine: `x.shape[0]` is the number of examples of a 1-D array."),
    3: ("    total = 1.0",
        "Right: line 3 starts the running sum at 1 instead of 0, which adds 1 to every total.",
        "Line 3 is fine: a running sum starts at 0."),
    4: ("    for i in range(1, m):",
        "Right: line 4 starts at index 1, so the first example (index 0) is never counted.",
        "Line 4 is fine: `range(m)` visits the indices 0 to m - 1, every example once."),
    5: ("        f_wb = w * x[i] + b * x[i]",
        "Right: line 5 multiplies the bias by the feature; the model is $f = w x + b$.",
        "Line 5 is fine: it is the model's prediction $w x^{(i)} + b$ for example i."),
    6: ("        total = abs(f_wb - y[i])",
        "Right: line 6 overwrites the total with the last error instead of adding to it.",
        "Line 6 is fine: it adds the absolute error of example i to the running sum."),
    7: ("    return total / (m - 1)",
        "Right: line 7 divides by m - 1: the mean of m errors divides by m.",
        "Line 7 is fine: the mean is the sum divided by the number of examples."),
}


def _make_bug(rng):
    bug = int(rng.choice(sorted(_MAE_BUGS)))
    lines = list(_MAE_LINES)
    lines[bug - 1] = _MAE_BUGS[bug][0]
    code = "\n".join(f"{i + 1:>2}  {line}" for i, line in enumerate(lines))
    options = {}
    for line_no in sorted(_MAE_BUGS):
        _, right, fine = _MAE_BUGS[line_no]
        options[str(line_no)] = Option(f"line {line_no}", right if line_no == bug else fine)
    return dict(
        prompt=("This function should return the mean absolute error "
                "$\\frac{1}{m}\\sum_{i} |f_{w,b}(x^{(i)}) - y^{(i)}|$ of the model $f_{w,b}(x) = w x + b$ "
                "on 1-D arrays `x`, `y`. One line has a bug. Which line? Answer with its number as a "
                "string, e.g. `\"4\"`.\n\n```python\n" + code + "\n```"),
        options=options, answer=str(bug))


QUESTIONS = [
    Single("q1",
           prompt="In the model $f_{w,b}(x) = w x + b$ of linear regression, what are $w$ and $b$?",
           options={
               "a": Option("the features of each training example",
                           "Wrong: the feature is $x$, the input given with each example; $w$ and $b$ do not change from example to example."),
               "b": Option("the parameters, learned from the training data",
                           "Right: $w$ and $b$ are the parameters that training adjusts to make the cost small."),
               "c": Option("the targets the model should predict",
                           "Wrong: the targets are the $y^{(i)}$ of the training set; the model's output is $f_{w,b}(x)$."),
               "d": Option("settings chosen before training and never changed, like the learning rate",
                           "Wrong: those are hyperparameters such as $\\alpha$; $w$ and $b$ change with every step of gradient descent."),
           },
           answer="b"),
    Number.variant("q2", _make_prediction),
    Single("q3",
           prompt=("The squared-error cost is $J(w,b) = \\frac{1}{2m}\\sum_{i=1}^{m}(f_{w,b}(x^{(i)}) - y^{(i)})^2$. "
                   "Why the factor $\\frac{1}{2m}$?"),
           options={
               "a": Option("Without it the minimum would be at other values of $w$ and $b$.",
                           "Wrong: multiplying a function by a positive constant does not move its minimum; the best $w, b$ are the same."),
               "b": Option("The $\\frac{1}{m}$ makes it an average, so the cost does not grow with the number of examples; the $\\frac{1}{2}$ cancels the 2 from differentiating the square.",
                           "Right: an average is comparable across data sets of any size, and the 1/2 makes the derivative tidy."),
               "c": Option("It keeps the cost from becoming negative.",
                           "Wrong: a sum of squares is never negative, with or without the factor."),
               "d": Option("It makes the cost exactly 0 at the best $w$ and $b$.",
                           "Wrong: the cost at the minimum is 0 only if the line fits every example exactly; a constant factor cannot change that."),
           },
           answer="b"),
    Number.variant("q4", _make_cost),
    Multiple("q5",
             prompt="Which statements about gradient descent on the squared-error cost of linear regression are true? (Choose all that apply.)",
             options={
                 "a": Option("Both $w$ and $b$ are updated with derivatives computed at the old values of $w$ and $b$ (a simultaneous update).",
                             "This belongs: computing both derivatives before changing either is the simultaneous update gradient descent needs."),
                 "b": Option("Each step moves $(w, b)$ in the direction of the gradient.",
                             "This does not belong: the gradient points uphill; each step moves *against* it, $w := w - \\alpha\\,\\partial J/\\partial w$."),
                 "c": Option("With a fixed learning rate, the steps get smaller as $(w, b)$ nears the minimum.",
                             "This belongs: the step is $\\alpha$ times the gradient, and the gradient shrinks to 0 near the minimum."),
                 "d": Option("It can get stuck in a local minimum that is not the global one.",
                             "This does not belong: this cost is a convex bowl with a single minimum, so there is no other local minimum to get stuck in."),
             },
             answer={"a", "c"}),
    Single.variant("q6", _make_curves, figure=_draw_curves),
    Single("q7",
           prompt="You run gradient descent and the cost goes *up* after every iteration. What is the most likely cause, and the fix?",
           options={
               "a": Option("The learning rate is too small: increase it.",
                           "Wrong: a learning rate that is too small makes the cost fall slowly, but it still falls."),
               "b": Option("Too few iterations: run more of them.",
                           "Wrong: more iterations of a diverging run only make the cost larger."),
               "c": Option("The learning rate is too large: decrease it (for example by a factor of 3 or 10).",
                           "Right: each step overshoots the minimum further; a smaller learning rate makes the cost fall again."),
               "d": Option("The training set is too small: collect more examples.",
                           "Wrong: gradient descent lowers the cost on any number of examples when its steps are small enough."),
           },
           answer="c"),
    Single("q8",
           prompt="How can you tell that gradient descent has converged?",
           options={
               "a": Option("The cost has reached exactly 0.",
                           "Wrong: the minimum of the cost is 0 only when the line fits every example exactly, which real data almost never allows."),
               "b": Option("The cost decreases by less than a small amount (say $10^{-3}$) from one iteration to the next: the learning curve has flattened.",
                           "Right: near the minimum the gradient, and so each change of the cost, becomes tiny."),
               "c": Option("$w$ has become 0.",
                           "Wrong: the best $w$ is whatever slope fits the data; nothing pulls it to 0."),
               "d": Option("It has run 1000 iterations.",
                           "Wrong: how many iterations convergence takes depends on the data and the learning rate; a fixed count proves nothing."),
           },
           answer="b"),
    Number.variant("q9", _make_step),
    Shape.variant("q10", _make_shape),
    Single.variant("q11", _make_bug),
]

define_checks(globals(), QUESTIONS)
