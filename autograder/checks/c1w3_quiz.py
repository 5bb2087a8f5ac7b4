"""The quiz of c1w3 (logistic regression and regularization): the question bank, its answer key and
every explanation. The questions are about the week's ideas (the sigmoid as a probability, decision
boundaries, the logistic cost, overfitting, what regularization does); none shows a graded
function's code. Every number a prompt or an answer states is computed here."""

from __future__ import annotations

import numpy as np

from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks


def _fmt(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def _separated(values, tol: float) -> bool:
    vals = [float(v) for v in values]
    return all(abs(a - b) > 2 * tol for i, a in enumerate(vals) for b in vals[i + 1:])


def _sigmoid(z):
    return 0.5 * (1 + np.tanh(np.asarray(z, dtype=float) / 2))


# --- q1: the predicted probability of one example -------------------------------------------------


def _q1_make(rng) -> dict:
    tol = 1e-3
    while True:
        w = rng.choice([-2.0, -1.0, 1.0, 2.0], size=2)
        x = rng.integers(-2, 4, size=2).astype(float)
        b = float(rng.integers(-3, 4))
        z = float(w @ x + b)
        if z == 0 or abs(z) > 3:
            continue
        answer = float(_sigmoid(z))
        no_b = float(_sigmoid(w @ x))
        wrong = [(z, "That is $z = \\mathbf{w} \\cdot \\mathbf{x} + b$ itself: the model passes it through the "
                     "sigmoid, $f = g(z) = 1/(1 + e^{-z})$, to get a probability."),
                 (1 - answer, "That is $1 - g(z)$, the probability that $y = 0$; $f = g(z)$ is the probability "
                              "that $y = 1$."),
                 (no_b, "That leaves out the bias: $z = \\mathbf{w} \\cdot \\mathbf{x} + b$.")]
        if _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=(f"A logistic regression model has $\\mathbf{{w}} = ({_fmt(w[0])}, {_fmt(w[1])})$ and "
                f"$b = {_fmt(b)}$. What probability does it give that $y = 1$ for the example "
                f"$\\mathbf{{x}} = ({_fmt(x[0])}, {_fmt(x[1])})$? Answer within $\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=f"Right: $z = {_fmt(z)}$ and $g({_fmt(z)}) = 1/(1 + e^{{{_fmt(-z)}}}) \\approx {answer:.4f}$.",
        wrong=wrong)


q1 = Number.variant("q1", _q1_make)


# --- q2: the logistic cost of four examples -------------------------------------------------------


def _q2_make(rng) -> dict:
    tol = 1e-3
    while True:
        f = rng.integers(1, 10, size=4) / 10
        y = rng.integers(0, 2, size=4).astype(float)
        if y.min() == y.max():
            continue
        loss = -y * np.log(f) - (1 - y) * np.log(1 - f)
        answer = float(loss.mean())
        log10 = float((-y * np.log10(f) - (1 - y) * np.log10(1 - f)).mean())
        swapped = float((-(1 - y) * np.log(f) - y * np.log(1 - f)).mean())
        wrong = [(answer / 2, "That has a $\\frac{1}{2}$ in front: the logistic cost is the plain mean of the "
                              "losses, $\\frac{1}{m}\\sum$, with no $\\frac{1}{2}$ (that belongs to the squared "
                              "error)."),
                 (float(loss.sum()), "That is the sum of the four losses; the cost is their mean (divide by $m = 4$)."),
                 (log10, "That uses the base-10 logarithm; the logistic loss uses the natural logarithm, $\\ln$."),
                 (swapped, "That swaps the two cases: an example with $y = 1$ costs $-\\log f$ (small when $f$ is "
                           "near 1), one with $y = 0$ costs $-\\log(1 - f)$.")]
        if _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=("Four examples have the labels $y = (" + ", ".join(_fmt(v) for v in y) + ")$, and a logistic "
                "regression model predicts for them $f = (" + ", ".join(_fmt(v) for v in f) + ")$ (the "
                "probability that $y = 1$). What is the logistic cost $J$ of these four examples? Use the "
                "natural logarithm. Answer within $\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=("Right: the losses are $(" + ", ".join(f"{v:.3f}" for v in loss) + ")$ ($-\\ln f$ where "
                f"$y = 1$, $-\\ln(1 - f)$ where $y = 0$), and their mean is {answer:.4f}."),
        wrong=wrong)


q2 = Number.variant("q2", _q2_make)


# --- q3: which model can draw the boundary the data need (plot) -----------------------------------


def _q3_data():
    rng = np.random.default_rng(31)
    r = np.r_[rng.uniform(0, 1.0, 40), rng.uniform(1.6, 2.5, 60)]
    t = rng.uniform(0, 2 * np.pi, 100)
    X = np.c_[r * np.cos(t), r * np.sin(t)]
    y = np.r_[np.zeros(40), np.ones(60)]
    return X, y


def _q3_figure(rng, ax) -> None:
    X, y = _q3_data()
    ax.scatter(*X[y == 0].T, marker="o", label="y = 0")
    ax.scatter(*X[y == 1].T, marker="x", label="y = 1")
    ax.set_aspect("equal")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.legend(loc="upper right", fontsize="small")
    ax.set_title("Two classes")


q3 = Single(
    "q3",
    prompt=("The plot shows a classification problem with two features. Which logistic regression model can "
            "separate the two classes?"),
    options={
        "a": Option("One trained on the features $x_0, x_1$.",
                    "With the raw features the decision boundary $w_0 x_0 + w_1 x_1 + b = 0$ is a straight line, "
                    "and no straight line separates a disc from the ring around it."),
        "b": Option("One trained on the features $x_0, x_1$, with many more iterations of gradient descent.",
                    "More iterations find a better straight line, but the boundary of a model on $x_0, x_1$ is "
                    "always a straight line."),
        "c": Option("One trained on the features $x_0, x_1, x_0^2, x_1^2$.",
                    "Right: with squared features the boundary $w_0 x_0 + w_1 x_1 + w_2 x_0^2 + w_3 x_1^2 + b = 0$ "
                    "can be a circle or an ellipse around the inner class."),
        "d": Option("One trained on the features $x_0, x_1$, without regularization ($\\lambda = 0$).",
                    "Regularization changes how large the weights get, not the kind of boundary the features "
                    "allow: on $x_0, x_1$ it is a straight line with any $\\lambda$."),
    },
    answer="c", figure=_q3_figure)


# --- q4: which side of a decision boundary predicts 1 ---------------------------------------------


def _line(slope: float, intercept: float) -> str:
    s = {1: "", -1: "-"}.get(slope, _fmt(slope))
    out = f"{s} x_0"
    if intercept > 0:
        out += f" + {_fmt(intercept)}"
    elif intercept < 0:
        out += f" - {_fmt(-intercept)}"
    return out.strip()


def _q4_make(rng) -> dict:
    w0 = float(rng.choice([-3, -2, 2, 3]))
    w1 = float(rng.choice([-1, 1]))
    b = float(rng.choice([-4, -3, -2, 2, 3, 4]))
    # w0 x0 + w1 x1 + b >= 0  <=>  x1 >= -(w0 x0 + b) when w1 = 1, x1 <= w0 x0 + b when w1 = -1
    slope, intercept = (-w0, -b) if w1 > 0 else (w0, b)
    right_op, other_op = ("\\ge", "\\le") if w1 > 0 else ("\\le", "\\ge")
    z = f"{_fmt(w0)} x_0 {'+' if w1 > 0 else '-'} x_1 {'+' if b > 0 else '-'} {_fmt(abs(b))}"
    texts = {
        "right": (f"where $x_1 {right_op} {_line(slope, intercept)}$",
                  f"Right: it predicts 1 where $z = {z} \\ge 0$; solving for $x_1$ "
                  + ("(dividing by $w_1 = -1$ flips the inequality) " if w1 < 0 else "")
                  + f"gives $x_1 {right_op} {_line(slope, intercept)}$."),
        "flipped": (f"where $x_1 {other_op} {_line(slope, intercept)}$",
                    "That is the right line but the other side of it: "
                    + ("with $w_1 = -1$, moving $x_1$ across flips the inequality." if w1 < 0 else
                       "with $w_1 = +1$, $z$ grows with $x_1$, so the side with 1 is above the line.")),
        "bias": (f"where $x_1 {right_op} {_line(slope, -intercept)}$",
                 "The bias has the wrong sign: the line is where $z = 0$, so $b$ moves with the other terms "
                 "when you solve for $x_1$."),
        "half": (f"where ${z} \\ge 0.5$",
                 "The 0.5 threshold applies to the probability $g(z)$, not to $z$: $g(z) \\ge 0.5$ exactly when "
                 "$z \\ge 0$."),
    }
    order = list(texts)
    perm = rng.permutation(len(order))
    options = {}
    answer = None
    for key, idx in zip("abcd", perm):
        kind = order[int(idx)]
        options[key] = Option(*texts[kind])
        if kind == "right":
            answer = key
    return dict(
        prompt=(f"A logistic regression model with two features has $\\mathbf{{w}} = ({_fmt(w0)}, {_fmt(w1)})$ and "
                f"$b = {_fmt(b)}$, and predicts $y = 1$ when its probability $f$ is at least 0.5. Where in the "
                "plane $(x_0, x_1)$ does it predict 1?"),
        options=options, answer=answer)


q4 = Single.variant("q4", _q4_make)


# --- q5: what regularization does ---------------------------------------------------------------

q5 = Multiple(
    "q5",
    prompt=("You add the penalty $\\frac{\\lambda}{2m}\\sum_j w_j^2$ to the cost of a logistic regression model "
            "with many polynomial features. Which statements are true? (choose all that apply)"),
    options={
        "a": Option("A larger $\\lambda$ pushes the weights $w_j$ towards 0.",
                    "Belongs: large weights now cost something, so minimizing the cost keeps them small; the "
                    "larger $\\lambda$, the smaller they get."),
        "b": Option("The bias $b$ is not part of the penalty.",
                    "Belongs: the sum runs over the weights $w_j$ only; penalizing $b$ would only pull the "
                    "boundary's offset towards 0, which does nothing against overfitting."),
        "c": Option("The larger $\\lambda$, the better the model does on new data.",
                    "Does not belong: too large a $\\lambda$ flattens the model until it underfits; the best "
                    "$\\lambda$ lies in between and is chosen on held-out data."),
        "d": Option("With $\\lambda > 0$ the model fits its training data better than with $\\lambda = 0$.",
                    "Does not belong: the penalty trades some fit on the training data for smaller weights, so the "
                    "training error cannot go down (it typically goes up a little), while the error on new data can."),
        "e": Option("With a huge $\\lambda$ every $w_j$ is close to 0, so the model predicts nearly the same "
                    "probability, $g(b)$, for every example.",
                    "Belongs: with all weights near 0, $z \\approx b$ everywhere: the model underfits (high bias)."),
    },
    answer={"a", "b", "e"})


# --- q6: the regularized cost, by hand -------------------------------------------------------------


def _q6_make(rng) -> dict:
    tol = 1e-3
    while True:
        m = int(rng.choice([10, 20, 25, 40, 50]))
        lam = float(rng.choice([0.5, 1, 2, 4, 5]))
        w = rng.integers(-3, 4, size=3).astype(float)
        b = float(rng.choice([-2, -1, 1, 2, 3]))
        j0 = float(rng.integers(300, 700)) / 1000
        sq = float(w @ w)
        if sq == 0:
            continue
        answer = j0 + lam / (2 * m) * sq
        wrong = [(j0 + lam / m * sq, "That is $\\frac{\\lambda}{m}\\sum_j w_j^2$, without the $\\frac{1}{2}$ of the "
                                     "penalty $\\frac{\\lambda}{2m}\\sum_j w_j^2$."),
                 (j0 + lam / (2 * m) * (sq + b * b), "That penalizes the bias too: the sum runs over the weights "
                                                     "$w_j$ only, $b$ is not regularized."),
                 (j0 + lam / 2 * sq, "That forgets to divide by $m$: the penalty is $\\frac{\\lambda}{2m}\\sum_j w_j^2$."),
                 (j0, "That is the cost without the penalty: the regularized cost adds "
                      "$\\frac{\\lambda}{2m}\\sum_j w_j^2$ to it.")]
        if _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=(f"On a training set of $m = {m}$ examples, a logistic regression model with "
                f"$\\mathbf{{w}} = ({', '.join(_fmt(v) for v in w)})$ and $b = {_fmt(b)}$ has the (unregularized) "
                f"logistic cost {j0:.3f}. What is its regularized cost with $\\lambda = {_fmt(lam)}$? Answer within "
                "$\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=(f"Right: $\\sum_j w_j^2 = {_fmt(sq)}$, and {j0:.3f} $+ \\frac{{{_fmt(lam)}}}{{2 \\cdot {m}}} \\cdot "
                f"{_fmt(sq)} = {answer:.4f}$."),
        wrong=wrong)


q6 = Number.variant("q6", _q6_make)


# --- q7: why not the squared error ------------------------------------------------------------------

q7 = Single(
    "q7",
    prompt=("Why does logistic regression use the logistic loss $-y \\log f - (1 - y)\\log(1 - f)$ rather than "
            "the squared error $\\frac{1}{2}(f - y)^2$ of linear regression?"),
    options={
        "a": Option("The squared error cannot be computed when the labels are 0 and 1.",
                    "It can: $(f - y)^2$ is defined for any $f$ and $y$; the problem is the shape of the cost "
                    "it gives, not whether it can be computed."),
        "b": Option("With the sigmoid inside, the squared-error cost is not convex: it has flat plateaus where "
                    "gradient descent can stall.",
                    "Right: $f = g(\\mathbf{w} \\cdot \\mathbf{x} + b)$ saturates, which makes the squared error flat "
                    "far from the minimum; the logistic cost is convex, so going downhill reaches its single "
                    "minimum."),
        "c": Option("The squared error is always larger than the logistic loss, so it trains more slowly.",
                    "Neither is always larger (for $f$ near 0 with $y = 1$ the logistic loss is far larger); and "
                    "the size of a cost does not set the speed of training."),
        "d": Option("The logistic loss gives a gradient of a different form, which is simpler to code.",
                    "The gradient of the logistic cost has the same form as linear regression's, "
                    "$\\frac{1}{m}\\sum (f - y)x_j$; the reason for the loss is convexity, not the code."),
    },
    answer="b")


# --- q8: which line of numerical_gradient has the bug (the bug moves with the seed) --------------

_Q8_LINES = {
    "2": ("    grad = np.zeros_like(w)", None),
    "3": ("    for j in range(len(w)):", "    for j in range(1, len(w)):"),
    "4": ("        step = np.zeros_like(w)", None),
    "5": ("        step[j] = eps", "        step[:] = eps"),
    "6": ("        grad[j] = (J(w + step) - J(w - step)) / (2 * eps)",
          "        grad[j] = (J(w + step) - J(w - step)) / eps"),
    "7": ("    return grad", None),
}
_Q8_FINE = {
    "2": "`np.zeros_like(w)` makes one entry per weight, to be filled in: nothing wrong here.",
    "3": "`range(len(w))` visits every weight $j = 0, \\dots, n - 1$ once.",
    "4": "A fresh zero step for each weight, so only one weight is nudged at a time: correct.",
    "5": "`step[j] = eps` nudges weight $j$ alone, keeping the others fixed: correct.",
    "6": "The central difference $(J(w + \\varepsilon) - J(w - \\varepsilon))/(2\\varepsilon)$: correct.",
    "7": "It returns the filled-in estimate, one slope per weight: correct.",
}
_Q8_BUG = {
    "3": ("Right: `range(1, len(w))` starts at 1, so the derivative for $w_0$ is never computed and stays 0; "
          "it should be `range(len(w))`."),
    "5": ("Right: `step[:] = eps` nudges every weight at once, so each entry becomes the slope along the "
          "diagonal direction (the sum of all the partial derivatives), not $\\partial J / \\partial w_j$."),
    "6": ("Right: the two evaluations are $2\\varepsilon$ apart, so dividing by $\\varepsilon$ gives twice "
          "the slope; it should divide by `2 * eps`."),
}


def _q8_make(rng) -> dict:
    bug = ["3", "5", "6"][int(rng.integers(0, 3))]
    code = "1  def numerical_gradient(J, w, eps=1e-6):\n"
    options = {}
    for k, (good, bad) in _Q8_LINES.items():
        line = bad if k == bug else good
        code += f"{k}  {line}\n"
        options[k] = Option(f"line {k}: `{line.strip()}`", _Q8_BUG[k] if k == bug else _Q8_FINE[k])
    return dict(
        prompt=("`numerical_gradient(J, w)` should estimate every partial derivative "
                "$\\partial J / \\partial w_j$ of a cost function `J` at the float array `w`, by central "
                "differences, to check an analytic gradient. Exactly one line is wrong. Which one? Answer "
                "with its number, e.g. `q8 = \"2\"`.\n\n"
                f"```python\n{code}```"),
        options=options, answer=bug)


q8 = Single.variant("q8", _q8_make)


# --- q9: scikit-learn's C ------------------------------------------------------------------------------

q9 = Single(
    "q9",
    prompt=("You train scikit-learn's `LogisticRegression` twice on the same data, once with `C=0.01` and once "
            "with `C=100`. Which model is regularized more strongly?"),
    options={
        "a": Option("The one with `C=100`.",
                    "`C` plays the role of $1/\\lambda$, not of $\\lambda$: a large `C` means weak "
                    "regularization."),
        "b": Option("Neither: `LogisticRegression` does not regularize unless asked to.",
                    "It regularizes by default (`C=1.0`); only `C=np.inf` (or `penalty=None`) turns it off."),
        "c": Option("The one with `C=0.01`.",
                    "Right: scikit-learn's `C` is $1/\\lambda$, so a small `C` means a strong penalty on the "
                    "weights."),
        "d": Option("Both equally: `C` sets only the solver's tolerance.",
                    "`C` is the inverse strength of the regularization; the tolerance is a different "
                    "parameter, `tol`."),
    },
    answer="c")


# --- q10: an overfitting classifier ---------------------------------------------------------------------

q10 = Single(
    "q10",
    prompt=("A logistic regression model on all polynomial features of $x_0, x_1$ up to degree 6, trained "
            "without regularization, classifies 100% of its 80 training examples correctly but only 74% of new "
            "examples. Which change is most likely to improve its accuracy on new examples?"),
    options={
        "a": Option("Add the polynomial features of degree 7 to 10 too.",
                    "More features make the boundary even more flexible, so it follows the training points "
                    "(noise included) even more closely: more overfitting, not less."),
        "b": Option("Run gradient descent for more iterations.",
                    "The model already fits its training data perfectly; more iterations fit them even more "
                    "closely and do not help on new data."),
        "c": Option("Lower the decision threshold from 0.5 to 0.3.",
                    "Moving the threshold shifts the boundary towards one class; it does not remove the "
                    "wiggles that fit the noise of the training set."),
        "d": Option("Regularize: add $\\frac{\\lambda}{2m}\\sum_j w_j^2$ with a suitable $\\lambda > 0$.",
                    "Right: 100% on training against 74% on new data is overfitting (high variance); the "
                    "penalty keeps the weights small and the boundary smooth."),
    },
    answer="d")


# --- q11: how many polynomial features ---------------------------------------------------------------


def _q11_make(rng) -> dict:
    m = int(rng.integers(50, 500))
    d = int(rng.integers(2, 7))
    n_out = (d + 1) * (d + 2) // 2 - 1
    wrong = [((m, 2 * d), f"That counts only the powers of each feature ($x_0, \\dots, x_0^{d}$ and $x_1, \\dots, "
                          f"x_1^{d}$); all the products such as $x_0 x_1$ and $x_0^2 x_1$ are features too."),
             ((m, n_out + 1), "That includes the constant column $1$; `include_bias=False` leaves it out (the model "
                              "has its own $b$)."),
             ((m, d), "That is the number of powers of one feature; with two features, every monomial "
                      f"$x_0^p x_1^q$ with $1 \\le p + q \\le {d}$ is a column."),
             ((n_out, m), "The examples stay the rows: the features are the columns.")]
    wrong = [(s, why) for s, why in wrong if s != (m, n_out)]
    return dict(
        prompt=(f"`X` has shape `({m}, 2)`: {m} examples of two features $x_0, x_1$. What is the shape of "
                f"`PolynomialFeatures(degree={d}, include_bias=False).fit_transform(X)`, which holds every "
                f"monomial $x_0^p x_1^q$ of degree $1 \\le p + q \\le {d}$?"),
        answer=(m, n_out),
        reason=(f"Right: degree $k$ has $k + 1$ monomials ($x_0^k, x_0^{{k-1}} x_1, \\dots, x_1^k$), and "
                f"$2 + 3 + \\dots + {d + 1} = {n_out}$ columns for one row per example."),
        wrong=wrong)


q11 = Shape.variant("q11", _q11_make)


# --- q12: gradient descent on separable data ----------------------------------------------------------

q12 = Single(
    "q12",
    prompt=("The training data of a logistic regression model are perfectly separable by a straight line, and "
            "you run gradient descent without regularization for a very long time. What happens?"),
    options={
        "a": Option("The cost reaches exactly 0 after a finite number of iterations, and training stops.",
                    "The cost approaches 0 but never reaches it: $g(z)$ is never exactly 0 or 1 for finite $z$."),
        "b": Option("The cost starts to rise again, as when the learning rate is too large.",
                    "With a suitable learning rate the cost keeps falling; separable data do not make gradient "
                    "descent diverge."),
        "c": Option("The weights keep growing: the boundary barely moves while the probabilities get ever "
                    "closer to 0 and 1.",
                    "Right: scaling $\\mathbf{w}$ and $b$ up keeps the same boundary and makes every prediction "
                    "surer, which always lowers the cost; regularization stops this."),
        "d": Option("The boundary keeps rotating, because no single line is optimal.",
                    "The cost falls by making the same boundary sharper (larger weights), not by turning it; the "
                    "direction of $\\mathbf{w}$ settles."),
    },
    answer="c")


QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12]

define_checks(globals(), QUESTIONS)
