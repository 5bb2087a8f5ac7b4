"""Quiz bank of module c3w2-pca: distances between feature vectors, and PCA.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q5,
q6, q9) draw their numbers, or the line of the bug, from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import answer_at, bug_line, code_block, keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# ---------------------------------------------------------------------------------------------
# Helpers.


def _vec(v) -> str:
    return "(" + ", ".join(f"{x:g}" for x in v) + ")"


# ---------------------------------------------------------------------------------------------
# q1: the squared distance between two feature vectors (seeded).


def _q1(rng: np.random.Generator) -> dict:
    while True:
        a = rng.integers(-3, 6, size=4).astype(float)
        b = rng.integers(-3, 6, size=4).astype(float)
        d = a - b
        if np.count_nonzero(d) >= 3 and np.any(d < 0) and np.any(d > 0):
            break
    sq = float(np.sum(d ** 2))
    wrong = keep_distinct(sq, 5e-3, [
        (float(np.sqrt(sq)), "That is the Euclidean distance, the square root; the question asks for the squared "
                             "distance, which orders neighbours the same way and needs no root."),
        (float(np.sum(np.abs(d))), "That is the L1 (Manhattan) distance, the sum of the absolute differences; square "
                                   "each difference instead."),
        (float(np.sum(d) ** 2), "That squares the sum of the differences, in which positive and negative differences "
                                "cancel; square each difference first, then add."),
        (float(np.sum(d)), "That adds the differences without squaring them, so they partly cancel."),
    ])
    return dict(
        prompt=(f"Two items are described by four features each: $a = {_vec(a)}$ and $b = {_vec(b)}$. What is their "
                "squared Euclidean distance $\\lVert a - b \\rVert^2$?"),
        answer=sq, tolerance=5e-3,
        reason=f"Right: $a - b = {_vec(d)}$, and the sum of its squares is {sq:g}.",
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: the share of the variance of two components (seeded).


def _q2(rng: np.random.Generator) -> dict:
    tol = 2e-3
    while True:
        lam = np.sort(rng.choice(np.arange(1, 41) / 4, size=5, replace=False))    # ascending, as eigh returns them
        if lam[-1] > 2 * lam[0]:
            break
    total = float(lam.sum())
    share = float((lam[-1] + lam[-2]) / total)
    wrong = keep_distinct(share, tol, [
        (float((lam[0] + lam[1]) / total), "Those are the two *smallest* eigenvalues: `np.linalg.eigh` returns them "
                                          "in ascending order, and the principal components are the largest."),
        (float(lam[-1] / total), "That is the share of the first component alone; the question asks for the first "
                                 "two together."),
        (1.0, "That divides by the variance of the two kept components; the share is of the *total* variance, the "
              "sum of all five eigenvalues."),
        (float(lam[-1] + lam[-2]), "That is the variance the two components carry, not its share of the total."),
    ])
    lams = ", ".join(f"{v:g}" for v in lam)
    return dict(
        prompt=(f"`np.linalg.eigh` of the covariance matrix of a data set with five features returns the eigenvalues "
                f"{lams} (in that order). What share of the total variance do the first two principal components "
                "explain? Give three decimals (a fraction between 0 and 1)."),
        answer=round(share, 6), tolerance=tol,
        reason=(f"Right: the two largest eigenvalues are {lam[-1]:g} and {lam[-2]:g}; their share of the total "
                f"{total:g} is {share:.3f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q4: which arrow is the first principal component (plot).

_Q4_MEAN = np.array([4.0, -1.0])
_Q4_ANGLE = np.deg2rad(40.0)


def _q4_data() -> np.ndarray:
    gen = np.random.default_rng(11)                                   # one fixed data set
    u = np.array([np.cos(_Q4_ANGLE), np.sin(_Q4_ANGLE)])
    v = np.array([-u[1], u[0]])
    t = gen.normal(0, 2.0, size=300)
    s = gen.normal(0, 0.5, size=300)
    return _Q4_MEAN + t[:, None] * u + s[:, None] * v


# The arrows, from the data's mean: label -> angle in degrees. C is the first component.
_Q4_ARROWS = {"a": 0.0, "b": 130.0, "c": 40.0, "d": 70.0}


def _q4_variances() -> dict[str, float]:
    X = _q4_data()
    Xc = X - X.mean(axis=0)
    C = Xc.T @ Xc / (len(X) - 1)
    out = {}
    for key, deg in _Q4_ARROWS.items():
        u = np.array([np.cos(np.deg2rad(deg)), np.sin(np.deg2rad(deg))])
        out[key] = float(u @ C @ u)
    return out


def _q4_first_component_key() -> str:
    X = _q4_data()
    Xc = X - X.mean(axis=0)
    _, vecs = np.linalg.eigh(Xc.T @ Xc / (len(X) - 1))
    first = vecs[:, -1]
    return max(_Q4_ARROWS, key=lambda k: abs(first @ np.array([np.cos(np.deg2rad(_Q4_ARROWS[k])),
                                                               np.sin(np.deg2rad(_Q4_ARROWS[k]))])))


def _q4_figure(rng, ax) -> None:
    X = _q4_data()
    mean = X.mean(axis=0)
    ax.scatter(X[:, 0], X[:, 1], s=8, c="tab:gray", alpha=0.6)
    for key, deg in _Q4_ARROWS.items():
        u = 4.0 * np.array([np.cos(np.deg2rad(deg)), np.sin(np.deg2rad(deg))])
        ax.annotate("", xy=mean + u, xytext=mean, arrowprops=dict(arrowstyle="->", lw=2, color="tab:red"))
        ax.text(*(mean + 1.12 * u), key.upper(), fontsize=13, ha="center", va="center", color="tab:red")
        ax.plot(*(mean + 1.3 * u), alpha=0)                           # keep the label inside the axes
    ax.set(xlabel="$x_1$", ylabel="$x_2$", title="A data set, and four directions from its mean")
    ax.set_aspect("equal", adjustable="datalim")
    ax.grid(True, alpha=0.4)


def _q4_options() -> dict[str, Option]:
    var = _q4_variances()
    best = _q4_first_component_key()
    texts = {
        "a": ("Arrow A", "Wrong: A is the direction of the feature $x_1$; a direction that mixes both features, along "
                         f"the cloud, has more variance (along A the projections have variance {var['a']:.2f})."),
        "b": ("Arrow B", "Wrong: B is perpendicular to the long axis of the cloud: the direction of the *least* "
                         f"variance, the second (last) component (variance {var['b']:.2f})."),
        "c": ("Arrow C", f"Right: C runs along the long axis of the cloud; the projections on it have the largest "
                         f"variance, {var['c']:.2f}."),
        "d": ("Arrow D", "Wrong: D is close to the long axis but not along it; the projections on it have variance "
                         f"{var['d']:.2f}, less than along C."),
    }
    assert best == "c" and max(var, key=var.get) == "c"
    return {k: Option(t, e) for k, (t, e) in texts.items()}


# ---------------------------------------------------------------------------------------------
# q5: the shape of a reconstruction (seeded).


def _q5(rng: np.random.Generator) -> dict:
    m, n = int(rng.integers(200, 2000)), int(rng.choice([13, 30, 64, 100]))
    k = int(rng.integers(2, min(n, 20)))
    return dict(
        prompt=(f"PCA was fitted to data `X` of shape `({m}, {n})`: `mean` has shape `({n},)` and `components` (the "
                f"first {k} principal components, one per row) shape `({k}, {n})`. `Z` holds the projections of the "
                f"{m} examples, shape `({m}, {k})`. What shape does the reconstruction `Z @ components + mean` have?"),
        answer=(m, n),
        reason=(f"Right: `({m}, {k}) @ ({k}, {n})` gives one approximate example per row in the original {n} features; "
                "the mean broadcasts over the rows."),
        wrong=[
            ((m, k), "That is the shape of `Z`, the compressed examples; multiplying by `components` takes them back to "
                     "the original features."),
            ((k, n), "That is the shape of `components`; the product has one row per example of `Z`."),
            ((n, m), "The examples stay in the rows: `Z` has one row per example, and so does `Z @ components`."),
            ((n,), "The mean broadcasts over the rows; it does not reduce them."),
        ])


# ---------------------------------------------------------------------------------------------
# q6: the reconstruction error of one point (seeded).


def _q6(rng: np.random.Generator) -> dict:
    tol = 5e-3
    while True:
        v = np.array([[0.6, 0.8], [0.8, 0.6], [0.6, -0.8], [0.8, -0.6]][int(rng.integers(4))])
        mu = rng.integers(-3, 4, size=2).astype(float)
        x = rng.integers(-4, 6, size=2).astype(float)
        d = x - mu
        z = float(d @ v)
        err = float(d @ d - z ** 2)
        if err > 0.1 and abs(z) > 0.1 and np.any(mu != 0):
            break
    wrong = keep_distinct(err, tol, [
        (z ** 2, "That is $z^2$, the part of the squared distance from the mean that the component *keeps*; the error "
                 "is what is left, $\\lVert x - \\mu \\rVert^2 - z^2$."),
        (float(d @ d), "That is the squared distance from $x$ to the mean, before any reconstruction; the "
                       "reconstruction $\\mu + z v$ is closer than $\\mu$."),
        (float(x @ x - (x @ v) ** 2), "That projects $x$ without centring it first: subtract the mean before "
                                      "projecting, and add it back to reconstruct."),
        (abs(z), "That is the length of the projection, $|z|$; the question asks for the squared distance from $x$ to "
                 "its reconstruction."),
    ])
    return dict(
        prompt=(f"PCA of a 2-D data set has the mean $\\mu = {_vec(mu)}$ and the first principal component "
                f"$v = {_vec(v)}$ (a unit vector). Keeping only this component, the example $x = {_vec(x)}$ is projected "
                "to $z = (x - \\mu) \\cdot v$ and reconstructed as $\\hat x = \\mu + z v$. What is the squared "
                "reconstruction error $\\lVert x - \\hat x \\rVert^2$? Give two decimals."),
        answer=round(err, 6), tolerance=tol,
        reason=(f"Right: $x - \\mu = {_vec(d)}$ and $z = {z:g}$; the error is $\\lVert x - \\mu \\rVert^2 - z^2 = "
                f"{d @ d:g} - {z ** 2:g} = {err:g}$ (the part along the dropped, perpendicular direction)."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q9: the bug in choosing the number of components (seeded: the line and the bug).

_Q9_LINES = [
    ("def n_components_for(eigenvalues, share):",
     "it takes the covariance matrix's eigenvalues (in any order) and the target share, e.g. 0.9."),
    ("    lam = np.sort(eigenvalues)[::-1]", "the variances sorted in decreasing order, the largest component first."),
    ("    ratios = lam / np.sum(lam)", "each component's explained variance ratio, its share of the total variance."),
    ("    cumulative = np.cumsum(ratios)", "the share kept by the first 1, 2, 3, ... components."),
    ("    return int(np.searchsorted(cumulative, share)) + 1",
     "`searchsorted` gives the index of the first cumulative share that reaches the target; plus one, since "
     "components are counted from 1."),
]
_Q9_BUGS = {
    2: [("    lam = np.sort(eigenvalues)",
         "`np.sort` sorts in *ascending* order, so the smallest components come first; the principal components are "
         "taken by decreasing variance (`[::-1]`).")],
    3: [("    ratios = lam / lam[0]",
         "That divides by the largest eigenvalue; the explained variance ratio divides by the total, `np.sum(lam)`."),
        ("    ratios = lam / len(lam)",
         "That divides by the number of components; a share of the variance divides by the total variance, "
         "`np.sum(lam)`.")],
    4: [("    cumulative = np.cumsum(lam)",
         "That accumulates the variances themselves, not their shares, so the target share is compared with a "
         "variance.")],
    5: [("    return int(np.searchsorted(cumulative, share))",
         "`searchsorted` returns an index counted from 0: the number of components is one more.")],
}
_Q9_INTRO = ("This function should return the smallest number of principal components that together explain at least "
             "the fraction `share` of the total variance:")


# ---------------------------------------------------------------------------------------------
# The questions.

QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Single(
        "q3",
        prompt=("The wine data has 13 features; *proline* ranges in the hundreds to thousands, most others below 10. "
                "You run PCA on the raw features, without standardizing them. What will the first principal "
                "component be?"),
        options={
            "a": Option("Nearly the proline axis alone.",
                        "Right: proline's variance dwarfs the others', so the direction of largest variance is "
                        "almost exactly its axis; standardize first to give every feature the same say."),
            "b": Option("An equal mix of all 13 features.",
                        "Wrong: PCA weighs features by their variance; on raw scales the largest-scale feature "
                        "dominates."),
            "c": Option("The direction that best separates the three cultivars.",
                        "Wrong: PCA never sees the labels; it finds the direction of largest variance, here set by "
                        "proline's scale."),
            "d": Option("The same as with standardized features.",
                        "Wrong: PCA depends on the scale of the features; standardizing changes the covariance "
                        "matrix and so its eigenvectors."),
        },
        answer="a"),
    Single(
        "q4",
        prompt="The plot shows a 2-D data set and four directions drawn from its mean. Which is the direction of the "
               "first principal component?",
        options=_q4_options(),
        answer=_q4_first_component_key(),
        figure=_q4_figure),
    Shape.variant("q5", _q5),
    Number.variant("q6", _q6),
    Single(
        "q7",
        prompt="Your PCA returns a first component that is exactly the negative of scikit-learn's `components_[0]`. "
               "What does that mean?",
        options={
            "a": Option("Your implementation has a bug: it forgot to centre the data.",
                        "Wrong: forgetting to centre changes the direction itself, not just its sign."),
            "b": Option("Nothing is wrong: $v$ and $-v$ are the same direction (the same line).",
                        "Right: the sign of a principal component is arbitrary, and different algorithms may return "
                        "either; compare components up to sign."),
            "c": Option("The eigenvalues are in ascending order instead of descending.",
                        "Wrong: the order of the eigenvalues decides *which* eigenvector comes first, not its sign."),
            "d": Option("The projections onto it will be wrong, so you must take the absolute values of the "
                        "component's entries.",
                        "Wrong: the projections only change sign; taking absolute values of the entries would change "
                        "the direction."),
        },
        answer="b"),
    Multiple(
        "q8",
        prompt="Which of these statements about PCA are true? (Choose all that apply.)",
        options={
            "a": Option("With $k$ components kept, the mean squared reconstruction error is the sum of the variances "
                        "of the components left out (variances with the $m$ divisor).",
                        "True: the reconstruction drops exactly the coordinates along the other components (with the "
                        "$m$ divisor, as a mean over the $m$ examples)."),
            "b": Option("The explained variance ratios are the same whether the covariance divides by $m$ or by "
                        "$m - 1$.",
                        "True: every variance is scaled by the same factor, so the shares do not change."),
            "c": Option("PCA uses the labels to find the directions that separate the classes.",
                        "False: PCA never sees labels; it finds directions of large variance."),
            "d": Option("The direction of largest variance is always the most useful one for classification.",
                        "False: a direction that separates two classes can have small variance."),
            "e": Option("PCA can unfold curved, non-linear structure, such as points along a spiral.",
                        "False: PCA is linear: it can only rotate the axes and drop some of them."),
        },
        answer={"a", "b"},
        reason="Right: (a) and (b)."),
    Number.variant("q9", bug_line(_Q9_INTRO, _Q9_LINES, _Q9_BUGS)),
    Single(
        "q10",
        prompt="PCA was fitted on a training set. To project a **new** example onto its components, what do you "
               "subtract from it first?",
        options={
            "a": Option("Nothing: the components already account for the mean.",
                        "Wrong: the components are directions through the training data's mean; the example must "
                        "be centred on that mean first."),
            "b": Option("The mean of the new data (or of the new example's own features).",
                        "Wrong: that would centre the new data differently from the training data, so its "
                        "projections would not be comparable."),
            "c": Option("The mean of the training data PCA was fitted on.",
                        "Right: $z = (x - \\mu) V_k^\\top$ with the $\\mu$ of the fit, for training and new data "
                        "alike."),
            "d": Option("The first principal component.",
                        "Wrong: the component is a direction to project onto, not a point to subtract."),
        },
        answer="c"),
    Single(
        "q11", **answer_at("d",
        prompt=("In a scatter plot of the digits' first two principal components (which keep about 29% of the "
                "variance), the 1s and the 7s overlap. What can you conclude?"),
        options={
            "a": Option("1s and 7s cannot be told apart by any classifier.",
                        "Wrong: the plot shows only two of 64 directions; the digits may be well separated along the "
                        "others."),
            "b": Option("Little: they may be separated along the components that the picture leaves out.",
                        "Right: overlap in a 2-D projection does not prove overlap in 64 dimensions, especially when "
                        "two components keep under a third of the variance."),
            "c": Option("PCA has not converged; run more iterations.",
                        "Wrong: PCA is not iterative; the eigenvectors (or the SVD) are computed exactly."),
            "d": Option("The labels of the 1s and 7s must be wrong.",
                        "Wrong: PCA never saw the labels; overlap in the picture says nothing about them being "
                        "wrong."),
        },
        answer="b")),
]

define_checks(globals(), QUESTIONS)
