"""The quiz of c1w2 (multiple linear regression): the question bank, its answer key and every
explanation. The questions are about the week's ideas (vectorization, scaling, the learning rate,
engineered features, gradient descent against the exact solution); none shows a graded function's
code. Every number a prompt or an answer states is computed here."""

from __future__ import annotations

import numpy as np

from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks


def _fmt(v: float) -> str:
    """A number as a prompt shows it: integers without a decimal point."""
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def _separated(values, tol: float) -> bool:
    """True when every two of `values` differ by more than twice the tolerance (so that a value
    within the tolerance of one of them cannot be within the tolerance of another)."""
    vals = [float(v) for v in values]
    return all(abs(a - b) > 2 * tol for i, a in enumerate(vals) for b in vals[i + 1:])


# --- q1: three cost curves, one learning rate too large (the letters are shuffled by the seed) --


def _q1_data():
    """A small z-scored regression problem (fixed), its Hessian's largest eigenvalue, and the
    three learning rates: too small, good, too large (just above 2 / lambda_max)."""
    rng = np.random.default_rng(12)
    m = 40
    X = rng.normal(size=(m, 2)) @ np.array([[1.0, 0.6], [0.0, 0.8]])
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    y = 3 * X[:, 0] - 2 * X[:, 1] + 5 + rng.normal(scale=0.5, size=m)
    A = np.c_[X, np.ones(m)]
    lam_max = np.linalg.eigvalsh(A.T @ A / m).max()
    alphas = {"small": 0.003, "good": 0.3, "large": round(1.15 * 2 / lam_max, 2)}
    return A, y, alphas


def _q1_costs(alpha: float, iters: int = 25) -> np.ndarray:
    A, y, _ = _q1_data()
    theta = np.zeros(A.shape[1])
    m = len(y)
    out = []
    for _ in range(iters + 1):
        err = A @ theta - y
        out.append(err @ err / (2 * m))
        theta = theta - alpha * (A.T @ err / m)
    return np.array(out)


def _q1_order(rng) -> dict[str, str]:
    """Which run letter gets which learning rate."""
    kinds = ["small", "good", "large"]
    perm = rng.permutation(3)
    return {letter: kinds[int(p)] for letter, p in zip("ABC", perm)}


def _q1_figure(rng, ax) -> None:
    order = _q1_order(rng)
    _, _, alphas = _q1_data()
    for letter, kind in order.items():
        ax.plot(_q1_costs(alphas[kind]), marker="o", markersize=3, label=f"run {letter}")
    ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J (log scale)")
    ax.set_title("Same data, three learning rates")
    ax.legend()


def _q1_make(rng) -> dict:
    order = _q1_order(rng)
    _, _, alphas = _q1_data()
    costs = {kind: _q1_costs(alphas[kind]) for kind in alphas}
    assert np.all(np.diff(costs["small"]) < 0) and np.all(np.diff(costs["good"]) <= 1e-12)
    assert costs["large"][-1] > 100 * costs["large"][0]
    why = {
        "small": ("Its cost falls at every iteration, only slowly: that learning rate is too small, "
                  "not too large (multiply it by about 3 and look again)."),
        "good": ("Its cost drops quickly and then flattens: a well-chosen learning rate, the one to keep."),
        "large": ("Right: its cost grows from iteration to iteration; each step overshoots the minimum "
                  "by more than it gains, so the learning rate is too large."),
    }
    options = {letter.lower(): Option(f"run {letter}", why[kind]) for letter, kind in order.items()}
    options["d"] = Option("none of them: gradient descent always lowers the cost",
                          "One of the curves rises: gradient descent lowers the cost only when the step is "
                          "small enough; with too large a learning rate it overshoots and diverges.")
    answer = next(letter.lower() for letter, kind in order.items() if kind == "large")
    return dict(
        prompt=("The plot shows the cost $J$ after each iteration of three runs of gradient descent on the "
                "same data (features z-score normalized), which differ only in the learning rate "
                "$\\alpha$. Which run's learning rate is **too large**?"),
        options=options, answer=answer, figure=_q1_figure)


q1 = Single.variant("q1", _q1_make)


# --- q2: why unscaled features make gradient descent slow ---------------------------------------

q2 = Single(
    "q2",
    prompt=("A model predicts house prices from the size in square feet (300 to 2000) and the number of "
            "bedrooms (0 to 5). On the raw features, gradient descent needs a tiny learning rate and a very "
            "large number of iterations. Why?"),
    options={
        "a": Option("Large feature values overflow floating point numbers.",
                    "Sizes in the thousands are nowhere near the float64 range (about $10^{308}$); the problem "
                    "is the shape of the cost, not overflow."),
        "b": Option("The squared-error cost is not convex when features have large values, so gradient "
                    "descent gets stuck in local minima.",
                    "The squared-error cost of a linear model is convex (a bowl) whatever the scale of the "
                    "features; the bowl is only stretched, with a single minimum."),
        "c": Option("The cost, seen as a function of the weights, is a long narrow valley: a learning rate "
                    "small enough not to overshoot along $w_{\\text{size}}$ makes $w_{\\text{bedrooms}}$ "
                    "crawl.",
                    "Right: one learning rate must suit every weight, and features on very different scales "
                    "give the cost very different curvatures along different weights."),
        "d": Option("Unscaled features lead to a different minimum, with worse predictions, so gradient "
                    "descent has further to go.",
                    "Rescaling the features does not change the best achievable predictions (the scaled model "
                    "is the same model, reparametrized); it changes how fast gradient descent gets there."),
    },
    answer="c")


# --- q3: the z-score of one value, computed by hand ---------------------------------------------


def _q3_make(rng) -> dict:
    tol = 0.01
    while True:
        x = rng.integers(1, 30, size=5).astype(float)
        k = int(rng.integers(0, 5))
        mu, sigma = x.mean(), x.std()
        if sigma == 0 or abs(x[k] - mu) < 0.5:
            continue
        answer = (x[k] - mu) / sigma
        sample = (x[k] - mu) / x.std(ddof=1)
        mean_norm = (x[k] - mu) / (x.max() - x.min())
        no_mean = x[k] / sigma
        centred = x[k] - mu
        if _separated([answer, sample, mean_norm, no_mean, centred], tol):
            break
    values = ", ".join(_fmt(v) for v in x)
    ordinal = ["first", "second", "third", "fourth", "fifth"][k]
    return dict(
        prompt=(f"One feature takes the values ${values}$ on the $m = 5$ training examples. What is the "
                f"z-score normalized value of the {ordinal} example, ${_fmt(x[k])}$? Use the population "
                "standard deviation (dividing by $m$), as the course does. Answer within $\\pm 0.01$."),
        answer=float(answer), tolerance=tol,
        reason=(f"Right: $\\mu = {mu:.4g}$, $\\sigma = {sigma:.4g}$ (population), so "
                f"$({_fmt(x[k])} - \\mu)/\\sigma \\approx {answer:.3f}$."),
        wrong=[
            (sample, "That divides by the sample standard deviation (dividing by $m - 1$, `ddof=1`); "
                     "the z-score of the course, `np.std` and `StandardScaler` divide by $m$."),
            (mean_norm, "That is mean normalization, $(x - \\mu)/(\\max - \\min)$, a different rescaling; "
                        "the z-score divides by the standard deviation."),
            (no_mean, "That divides by $\\sigma$ without subtracting the mean first: the z-score is "
                      "$(x - \\mu)/\\sigma$."),
            (centred, "That subtracts the mean but does not divide by the standard deviation."),
        ])


q3 = Number.variant("q3", _q3_make)


# --- q4: one partial derivative of the cost, by hand --------------------------------------------


def _q4_make(rng) -> dict:
    tol = 0.01
    while True:
        X = rng.integers(0, 5, size=(3, 2)).astype(float)
        y = rng.integers(0, 10, size=3).astype(float)
        w = rng.integers(-2, 3, size=2).astype(float)
        b = float(rng.integers(-3, 4))
        err = X @ w + b - y
        answer = float(np.mean(err * X[:, 1]))
        wrong = {
            "sum": float(np.sum(err * X[:, 1])),
            "feature0": float(np.mean(err * X[:, 0])),
            "sign": -answer,
            "db": float(np.mean(err)),
            "twice": 2 * answer,
        }
        if abs(answer) > 0.5 and _separated([answer, *wrong.values()], tol):
            break
    rows = " \\\\ ".join(" & ".join(_fmt(v) for v in row) for row in X)
    return dict(
        prompt=("Multiple linear regression with $m = 3$ examples and $n = 2$ features, "
                f"$\\mathbf{{X}} = \\begin{{pmatrix}} {rows} \\end{{pmatrix}}$ (one row per example), "
                f"$\\mathbf{{y}} = ({', '.join(_fmt(v) for v in y)})$, and the parameters "
                f"$\\mathbf{{w}} = ({_fmt(w[0])}, {_fmt(w[1])})$, $b = {_fmt(b)}$. The cost is "
                "$J = \\frac{1}{2m}\\sum_i (f_{\\mathbf{w},b}(\\mathbf{x}^{(i)}) - y^{(i)})^2$. What is "
                "$\\frac{\\partial J}{\\partial w_1}$, the derivative with respect to the weight of the "
                "**second** feature (the second column, index 1)? Answer within $\\pm 0.01$ (a fraction "
                "such as `\"4/3\"` is fine)."),
        answer=answer, tolerance=tol,
        reason=(f"Right: the errors $f - y$ are $({', '.join(_fmt(v) for v in err)})$; multiplied by the "
                f"second column and averaged over the $m = 3$ examples they give {answer:.4g}."),
        wrong=[
            (wrong["sum"], "That is the sum of (error × feature) without dividing by $m$: the derivative "
                           "of $\\frac{1}{2m}\\sum$ keeps the $\\frac{1}{m}$."),
            (wrong["feature0"], "That uses the first column ($x_0$): $\\partial J / \\partial w_1$ multiplies "
                                "each error by the feature $w_1$ belongs to, $x_1$ (index 1)."),
            (wrong["sign"], "The sign is flipped: that uses $y - f$ instead of $f - y$. The derivative of "
                            "$(f - y)^2/2$ with respect to $w_1$ is $(f - y)\\,x_1$."),
            (wrong["db"], "That is $\\partial J / \\partial b$, the mean error, without multiplying each error "
                          "by its feature $x_1$."),
            (wrong["twice"], "That is twice the derivative: the 2 from differentiating the square cancels "
                             "the $\\frac{1}{2}$ of the cost."),
        ])


q4 = Number.variant("q4", _q4_make)


# --- q5: the shape of a matrix of engineered features -------------------------------------------


def _q5_make(rng) -> dict:
    m = int(rng.integers(20, 200))
    n = int(rng.integers(3, 9))
    return dict(
        prompt=(f"`X` holds $m = {m}$ examples of $n = {n}$ features, shape `({m}, {n})`. Two engineered "
                "features are added, the square of the first feature and the product of the first two:\n\n"
                "```python\nX_new = np.column_stack([X, X[:, 0] ** 2, X[:, 0] * X[:, 1]])\n```\n\n"
                "What is `X_new.shape`?"),
        answer=(m, n + 2),
        reason=(f"Right: each new feature is a column of {m} values (one per example) placed beside the "
                f"{n} original columns: ({m}, {n + 2})."),
        wrong=[
            ((m + 2, n), "The new features are columns (one value per example), not rows: the number of "
                         "examples stays the same and the number of features grows."),
            ((n + 2, m), "That is the transpose: the data keep one row per example, one column per feature."),
            ((m, 2), "`X` itself is also in the list: `column_stack` keeps its columns and adds the two new ones."),
            ((m, n), "Two columns were added to the original ones."),
            ((m * (n + 2),), "`column_stack` puts the arrays side by side as columns of a 2-D matrix, it does "
                             "not flatten them into one long vector."),
        ])


q5 = Shape.variant("q5", _q5_make)


# --- q6: which line of poly_features has the bug (the bug moves with the seed) ------------------

_Q6_RIGHT = {
    "2": "`cols = []`",
    "3": "`for d in range(1, degree + 1):`",
    "4": "`cols.append(x ** d)`",
    "5": "`return np.column_stack(cols)`",
}
_Q6_BUGGY = {
    "3": ("`for d in range(1, degree):`",
          "Right: `range(1, degree)` stops at `degree - 1`, so the highest power $x^{degree}$ is missing and "
          "the result has one column too few; it should be `range(1, degree + 1)`."),
    "4": ("`cols.append(x * d)`",
          "Right: `x * d` multiplies $x$ by $d$ instead of raising it to the power $d$: every column is a "
          "multiple of $x$, so the model stays a straight line. It should be `x ** d`."),
    "5": ("`return np.concatenate(cols)`",
          "Right: `np.concatenate` joins the columns end to end into one 1-D array of length "
          "$m \\cdot$ degree; `np.column_stack(cols)` puts them side by side, shape (m, degree)."),
}
_Q6_FINE = {
    "2": "`cols = []` starts an empty list that the loop fills with one column per power: nothing wrong here.",
    "3": "`range(1, degree + 1)` runs over $d = 1, \\dots,$ degree: every power once, none missing.",
    "4": "`x ** d` raises every entry of `x` to the power $d$ at once: the column $x^d$, as wanted.",
    "5": "`np.column_stack(cols)` puts the 1-D columns side by side: shape (m, degree), one column per power.",
}


def _q6_make(rng) -> dict:
    bug = ["3", "4", "5"][int(rng.integers(0, 3))]
    lines = {k: v.strip("`") for k, v in _Q6_RIGHT.items()}
    lines[bug] = _Q6_BUGGY[bug][0].strip("`")
    indent = {"2": "    ", "3": "    ", "4": "        ", "5": "    "}
    code = "1  def poly_features(x, degree):\n" + "".join(
        f"{k}  {indent[k]}{lines[k]}\n" for k in ["2", "3", "4", "5"])
    options = {}
    for k in ["2", "3", "4", "5"]:
        if k == bug:
            options[k] = Option(f"line {k}: `{lines[k]}`", _Q6_BUGGY[bug][1])
        else:
            options[k] = Option(f"line {k}: `{lines[k]}`", _Q6_FINE[k])
    return dict(
        prompt=("`poly_features(x, degree)` should turn a 1-D array `x` of $m$ values into the polynomial "
                "features $x, x^2, \\dots, x^{degree}$: a matrix of shape (m, degree), one column per power. "
                "Exactly one line is wrong. Which one? Answer with its number, e.g. `q6 = \"2\"`.\n\n"
                f"```python\n{code}```"),
        options=options, answer=bug)


q6 = Single.variant("q6", _q6_make)


# --- q7: z-score normalization in practice -------------------------------------------------------

q7 = Multiple(
    "q7",
    prompt=("You z-score normalize the training features, train a linear regression model on them, and then "
            "use it to predict the price of new houses. Which statements are true? (choose all that apply)"),
    options={
        "a": Option("A new house is scaled with the $\\mu$ and $\\sigma$ computed on the training set.",
                    "Belongs: the weights were learned for the training set's scale, so new data must be "
                    "mapped to that same scale (this is why the normalization returns `mu` and `sigma`)."),
        "b": Option("Each batch of new houses is scaled with its own mean and standard deviation.",
                    "Does not belong: with their own statistics, the same house would get a different scaled "
                    "value depending on the batch it comes with (and a single house has $\\sigma = 0$)."),
        "c": Option("After the normalization every training feature has mean 0 and standard deviation 1.",
                    "Belongs: subtracting $\\mu_j$ and dividing by $\\sigma_j$ gives each column mean 0 and "
                    "(population) standard deviation 1."),
        "d": Option("The exact least-squares fit (`LinearRegression`) predicts the same prices whether it is "
                    "trained on the raw or on the normalized features.",
                    "Belongs: the normalized model is the raw model reparametrized (weights $w_j/\\sigma_j$ and "
                    "a shifted bias), so the best fit makes the same predictions; scaling matters for "
                    "gradient descent's speed, not for the exact solution."),
        "e": Option("After the normalization all features end up with about the same weight.",
                    "Does not belong: scaling puts the features on a common scale, but the weights still "
                    "reflect how much each feature matters; a useless feature gets a weight near 0."),
    },
    answer={"a", "c", "d"})


# --- q8: polynomial regression is still linear regression ----------------------------------------

q8 = Single(
    "q8",
    prompt=("To fit a curve, you give linear regression the features $x$, $x^2$ and $x^3$ of one measurement "
            "$x$: $f(x) = w_1 x + w_2 x^2 + w_3 x^3 + b$. Which statement is right?"),
    options={
        "a": Option("A new gradient formula is needed for $w_2$ and $w_3$, with the derivative of $x^2$ and "
                    "$x^3$ in it.",
                    "The derivative is taken with respect to the weights, not $x$: "
                    "$\\partial J/\\partial w_2$ multiplies each error by its feature value $x^2$, as for any "
                    "feature."),
        "b": Option("The cost is no longer convex in $\\mathbf{w}$, because the model is a cubic.",
                    "The model is a cubic in $x$ but linear in $\\mathbf{w}$, and the squared error of a model "
                    "linear in its parameters is convex in them."),
        "c": Option("$x^2$ and $x^3$ need no scaling, since they come from the same measurement as $x$.",
                    "The opposite: powers spread the ranges apart ($x$ up to 20 gives $x^3$ up to 8000), so "
                    "scaling matters even more."),
        "d": Option("The model is still linear in the parameters $w_1, w_2, w_3, b$, so the same cost, gradient "
                    "and gradient descent apply unchanged.",
                    "Right: 'linear' refers to the parameters; $x^2$ and $x^3$ are just two more columns of "
                    "features."),
    },
    answer="d")


# --- q9: why vectorized code is faster ------------------------------------------------------------

q9 = Single(
    "q9",
    prompt=("`np.dot(a, b)` on two vectors of a million entries runs about a hundred times faster than a Python "
            "`for` loop that adds up `a[j] * b[j]`. Why?"),
    options={
        "a": Option("numpy uses a cleverer algorithm that needs far fewer multiplications.",
                    "A dot product needs all $n$ multiplications whichever way it is computed: the speed comes "
                    "from how they are executed, not from doing fewer of them."),
        "b": Option("numpy runs one compiled loop over contiguous memory, using the processor's vector "
                    "instructions, without Python's overhead for every element.",
                    "Right: the arithmetic is the same; the loop pays the interpreter's bookkeeping a million "
                    "times, numpy once."),
        "c": Option("numpy computes an approximation of the dot product, which is cheaper.",
                    "numpy computes the exact same sum; the two results differ at most in the last digits, "
                    "because the additions happen in a different order."),
        "d": Option("The Python loop is slow only the first time it runs; later runs are as fast.",
                    "Python does not compile the loop to machine code on later runs: every run pays the same "
                    "per-element overhead (the lesson times the best of several runs)."),
    },
    answer="b")


# --- q10: gradient descent against the exact solution ---------------------------------------------

q10 = Single(
    "q10",
    prompt=("scikit-learn's `LinearRegression` solves least squares exactly (no learning rate, no iterations), "
            "while `SGDRegressor` uses gradient descent. Which is a real reason to learn and use gradient "
            "descent?"),
    options={
        "a": Option("It finds a lower cost than the exact solution.",
                    "The exact solution is the minimum of the cost: nothing finds a lower one; gradient "
                    "descent at best gets very close to it."),
        "b": Option("It works for models with no exact solution (logistic regression, neural networks) and "
                    "scales to very many features.",
                    "Right: the exact least-squares solve exists only for linear regression and gets slow with "
                    "very many features; gradient descent trains almost every model in this course."),
        "c": Option("It needs no feature scaling.",
                    "The opposite: gradient descent is the method that needs scaled features to converge "
                    "quickly; the exact solution does not care."),
        "d": Option("It has no settings to choose.",
                    "Gradient descent has the learning rate and the number of iterations to choose; the exact "
                    "solution is the one without them."),
    },
    answer="b")


# --- q11: a cost that rises with a tiny learning rate ----------------------------------------------

q11 = Single(
    "q11",
    prompt=("Your features are z-score normalized (10 of them), you run gradient descent with "
            "$\\alpha = 0.0001$, and the cost **increases** at every iteration. What is the most likely "
            "cause?"),
    options={
        "a": Option("$\\alpha$ is still too large: try $10^{-7}$.",
                    "On z-scored features a learning rate of $10^{-4}$ is far below the point where gradient "
                    "descent overshoots (around 0.1 to 1); a smaller one would only hide the problem."),
        "b": Option("The features should not have been normalized.",
                    "Normalization makes gradient descent better behaved, not worse; it cannot make the cost "
                    "rise with a tiny step."),
        "c": Option("A bug in the code, for instance an update that adds the gradient instead of subtracting it.",
                    "Right: with a small enough learning rate a correct implementation lowers the cost at "
                    "every iteration; a steady rise with a tiny $\\alpha$ points at the code (a sign, a "
                    "wrong gradient)."),
        "d": Option("The cost is not convex, so it may go up for a while before it goes down.",
                    "The squared-error cost of linear regression is convex; a correct gradient step small "
                    "enough always goes downhill."),
    },
    answer="c")


QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11]

define_checks(globals(), QUESTIONS)
