"""Quiz bank of module c3w2-cofi: collaborative filtering.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q5,
q8, q11) draw their numbers, or the line of the bug, from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import answer_at, bug_line, code_block, keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# ---------------------------------------------------------------------------------------------
# Helpers.


# ---------------------------------------------------------------------------------------------
# q1: the collaborative filtering cost of a tiny example (seeded).


def _q1(rng: np.random.Generator) -> dict:
    tol = 5e-3
    n_m, n_u = 3, 2
    while True:
        X = rng.integers(-1, 3, size=(n_m, 1)).astype(float)
        W = rng.integers(-1, 3, size=(n_u, 1)).astype(float)
        b = rng.integers(0, 3, size=(1, n_u)).astype(float)
        R = (rng.random((n_m, n_u)) < 0.7).astype(float)
        Y = rng.integers(1, 6, size=(n_m, n_u)).astype(float) * R
        masked_out = (X @ W.T + b) * (1 - R)
        if 3 <= R.sum() <= 5 and np.any(b != 0) and np.any(W != 0) and np.any(X != 0) \
                and np.any(masked_out != 0):
            break
    lam = float(rng.choice([0.5, 1.0, 2.0]))
    E = (X @ W.T + b - Y) * R
    sq = float(0.5 * np.sum(E ** 2))
    reg_w, reg_x = float(lam / 2 * np.sum(W ** 2)), float(lam / 2 * np.sum(X ** 2))
    J = sq + reg_w + reg_x
    unmasked = float(0.5 * np.sum((X @ W.T + b - Y) ** 2))
    wrong = keep_distinct(J, tol, [
        (unmasked + reg_w + reg_x,
         "That counts every entry of $Y$, also those with $r(i,j) = 0$, as a rating of 0 stars; only the existing "
         "ratings enter the cost."),
        (2 * sq + reg_w + reg_x, "The squared errors are missing their $\\frac{1}{2}$."),
        (J + lam / 2 * float(np.sum(b ** 2)), "That regularizes the biases $b$ as well; only $W$ and $X$ are "
                                              "regularized."),
        (sq + reg_w, "That regularizes $W$ but not $X$; the movies' features are parameters too, and both are "
                     "regularized."),
        (sq, "That is only the squared-error term; the cost adds $\\frac{\\lambda}{2}$ times the squares of all of "
             "$W$ and $X$."),
    ])

    def cell(i, j):
        return f"{Y[i, j]:g}" if R[i, j] else "–"

    table = ("| | user 0 | user 1 |\n|---|---|---|\n"
             + "\n".join(f"| movie {i} | {cell(i, 0)} | {cell(i, 1)} |" for i in range(n_m)))
    xs = ", ".join(f"{v:g}" for v in X[:, 0])
    ws = ", ".join(f"{v:g}" for v in W[:, 0])
    bs = ", ".join(f"{v:g}" for v in b[0])
    return dict(
        prompt=(f"Three movies, two users, and the ratings (– where there is none):\n\n{table}\n\nWith one feature "
                f"per movie, the parameters are: the movies' features $x^{{(0)}}, x^{{(1)}}, x^{{(2)}} = {xs}$; the "
                f"users' weights $w^{{(0)}}, w^{{(1)}} = {ws}$; the users' biases $b^{{(0)}}, b^{{(1)}} = {bs}$; and "
                f"$\\lambda = {lam:g}$. What is the collaborative filtering cost $J(X, W, b)$? Give two decimals."),
        answer=round(J, 6), tolerance=tol,
        reason=(f"Right: half the sum of the squared errors on the {int(R.sum())} existing ratings is {sq:g}, plus "
                f"$\\frac{{\\lambda}}{{2}}\\sum w^2 = {reg_w:g}$ and $\\frac{{\\lambda}}{{2}}\\sum x^2 = {reg_x:g}$: "
                f"$J = {J:g}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: the shape of all predictions (seeded).


def _q2(rng: np.random.Generator) -> dict:
    n_m, n_u, n = int(rng.integers(100, 500)), int(rng.integers(50, 300)), int(rng.integers(3, 20))
    while n_u == n_m:
        n_u = int(rng.integers(50, 300))
    return dict(
        prompt=(f"A recommender has $n_m = {n_m}$ movies, $n_u = {n_u}$ users and $n = {n}$ features: `X` has shape "
                f"`({n_m}, {n})`, `W` has shape `({n_u}, {n})` and `b` has shape `(1, {n_u})`. What shape does "
                "`X @ W.T + b` have?"),
        answer=(n_m, n_u),
        reason=(f"Right: `X @ W.T` is `({n_m}, {n}) @ ({n}, {n_u})`, one prediction per movie and user, the shape "
                "of `Y`; `b` broadcasts down the rows."),
        wrong=[
            ((n_u, n_m), "That would be `W @ X.T`; `X @ W.T` has one row per movie (the rows of `X`) and one column "
                         "per user."),
            ((n_m, n), "The product with `W.T` replaces the feature axis by one column per user."),
            ((1, n_u), "`b` broadcasts over the rows of `X @ W.T`; it does not reduce them."),
            ((n_m, n_u, n), "A matrix product sums over the shared axis (the features): it does not keep it."),
        ])


# ---------------------------------------------------------------------------------------------
# q5: the prediction for a new user with mean normalization (seeded).


def _q5(rng: np.random.Generator) -> dict:
    tol = 6e-3
    n_u = 6
    while True:
        rated = rng.random(n_u) < 0.6
        if 2 <= rated.sum() <= n_u - 1:
            break
    ratings = rng.choice(np.arange(1, 11) / 2, size=n_u) * rated
    mu = float(ratings[rated].mean())
    wrong = keep_distinct(mu, tol, [
        (float(ratings.mean()), f"That divides by all {n_u} users, counting the missing ratings (stored as 0) as "
                                "0 stars; the mean runs over the users who rated the movie."),
        (0.0, "That is the prediction *without* mean normalization: a user with no ratings gets $w = 0$ and "
              "$b = 0$, so 0 stars. With it, the movie's mean is added back."),
        (float(np.median(ratings[rated])), "That is the median of the ratings; mean normalization subtracts, and "
                                           "adds back, the mean."),
    ])
    cells = " | ".join(f"{r:g}" if k else "–" for r, k in zip(ratings, rated))
    return dict(
        prompt=(f"One movie's ratings by {n_u} users (– where there is none):\n\n| " +
                " | ".join(f"user {j}" for j in range(n_u)) + " |\n|" + "---|" * n_u + f"\n| {cells} |\n\n"
                "Collaborative filtering is trained with mean normalization (each movie's mean rating over the users "
                "who rated it is subtracted before training and added back to predict; the biases start at 0). A new "
                "user, who has rated nothing, joins. What rating does the model predict for this movie for them? Give two decimals."),
        answer=round(mu, 6), tolerance=tol,
        reason=(f"Right: for a user without ratings $w = 0$ and $b = 0$, so the prediction is the movie's mean "
                f"rating, {mu:.2f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q7: choosing lambda from a plot.

_LAMBDAS = np.array([0.01, 0.1, 1.0, 3.0, 10.0, 30.0, 100.0])
_RMSE_TRAIN = np.array([0.35, 0.42, 0.60, 0.70, 0.80, 0.92, 1.02])
_RMSE_HELD = np.array([1.30, 1.12, 0.92, 0.86, 0.90, 0.98, 1.05])
_BEST_LAMBDA = float(_LAMBDAS[np.argmin(_RMSE_HELD)])


def _q7_figure(rng, ax) -> None:
    ax.plot(_LAMBDAS, _RMSE_TRAIN, "o-", label="training ratings")
    ax.plot(_LAMBDAS, _RMSE_HELD, "s-", label="held-out ratings")
    ax.set_xscale("log")
    ax.set(xlabel="$\\lambda$", ylabel="RMSE (stars)", title="Collaborative filtering, trained with each $\\lambda$",
           xticks=_LAMBDAS, xticklabels=[f"{v:g}" for v in _LAMBDAS])
    ax.grid(True, alpha=0.4)
    ax.legend()


# ---------------------------------------------------------------------------------------------
# q8: the bug in a numerical gradient (seeded: the line and the bug).

_Q8_LINES = [
    ("def numerical_gradient(f, P, eps=1e-5):",
     "it takes a scalar function `f` of one array and the array `P` where the gradient is wanted."),
    ("    P = P.astype(float).copy()", "a float copy, so that the caller's array is never changed."),
    ("    G = np.zeros_like(P)", "the gradient has the shape of `P`, one entry per parameter."),
    ("    for idx in np.ndindex(P.shape):", "the loop visits every entry of `P`, whatever its number of axes."),
    ("        old = P[idx]", "the entry's value is kept, to restore it afterwards."),
    ("        P[idx] = old + eps", "it moves the entry one step up, to `old + eps`."),
    ("        up = f(P)", "the cost at the point one step up."),
    ("        P[idx] = old - eps", "it moves the entry one step down, to `old - eps`."),
    ("        down = f(P)", "the cost at the point one step down."),
    ("        P[idx] = old", "the entry is restored before the next one is moved."),
    ("        G[idx] = (up - down) / (2 * eps)", "the central difference: the two points are $2\\varepsilon$ apart."),
    ("    return G", "the whole gradient."),
]
_Q8_BUGS = {
    3: [("    G = P",
         "`G` is then the same array as `P`: writing a derivative into `G` changes a parameter, so the later costs "
         "are computed at the wrong point. It must be a new array, `np.zeros_like(P)`.")],
    4: [("    for idx in range(P.shape[0]):",
         "For a 2-D array such as `X` or `W`, `P[idx]` is then a whole row: all its entries move together, and "
         "only one number per row is computed.")],
    8: [("        P[idx] = old + eps",
         "Both costs are computed at the same point `old + eps`, so `up - down` is 0; the second point is "
         "`old - eps`.")],
    10: [("        P[idx] = old + eps",
          "The entry is left at `old + eps` instead of being restored to `old`, so every later derivative is "
          "computed at a shifted point.")],
    11: [("        G[idx] = (up - down) / eps",
          "The two points are $2\\varepsilon$ apart, so the difference is divided by `2 * eps`; this gives twice "
          "the derivative."),
         ("        G[idx] = (down - up) / (2 * eps)",
          "The difference is the wrong way round: the slope is (cost up - cost down) / (2 eps); this flips the "
          "sign of the gradient.")],
}
_Q8_INTRO = ("To test a gradient formula, the gradient of a cost $f$ is estimated numerically with central "
             "differences, $\\frac{\\partial f}{\\partial p} \\approx \\frac{f(p + \\varepsilon) - f(p - "
             "\\varepsilon)}{2\\varepsilon}$, one parameter at a time. `P` can be an array of any shape, for "
             "example the movies' features `X`, shape $(n_m, n)$:")


# ---------------------------------------------------------------------------------------------
# q11: the number of parameters (seeded).


def _q11(rng: np.random.Generator) -> dict:
    n_m, n_u, n = int(rng.integers(20, 100)) * 10, int(rng.integers(10, 60)) * 10, int(rng.integers(3, 21))
    answer = n_m * n + n_u * n + n_u
    wrong = keep_distinct(answer, 0.5, [
        (n_m * n + n_u * n, "That counts $X$ and $W$ but forgets the users' biases $b$, one per user."),
        (n_m * n_u, "That is the number of entries of the ratings matrix $Y$, which is data, not parameters."),
        (n_u * n + n_u, "That counts only the users' parameters; in collaborative filtering the movies' features "
                        "$X$ are learned too."),
        (n_m * n + n_u * n + n_m, "The biases belong to the users, one per user ($b$ has shape $(1, n_u)$), not to "
                                  "the movies."),
    ])
    return dict(
        prompt=(f"Collaborative filtering with $n_m = {n_m}$ movies, $n_u = {n_u}$ users and $n = {n}$ features per "
                "movie. How many numbers does it learn in all?"),
        answer=answer, tolerance=0.5,
        reason=(f"Right: $X$ has ${n_m} \\times {n}$ entries, $W$ ${n_u} \\times {n}$ and $b$ ${n_u}$: {answer} in "
                "all."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# The questions.

QUESTIONS = [
    Number.variant("q1", _q1),
    Shape.variant("q2", _q2),
    Single(
        "q3",
        prompt=("$Y$ holds 0 wherever a user has not rated a movie. What goes wrong if the cost sums the squared "
                "errors over all entries of $Y$, without the mask $R$?"),
        options={
            "a": Option("Nothing: those entries are 0 anyway, so they add nothing to the cost.",
                        "Wrong: the *ratings* are 0 there, but the predictions are not; each missing entry adds the "
                        "squared prediction to the cost."),
            "b": Option("The model is trained to predict 0 stars for every movie a user has not rated.",
                        "Right: every missing rating would count as a rating of 0 stars, and the model would learn "
                        "to predict it."),
            "c": Option("The cost becomes too expensive to compute.",
                        "Wrong: the full matrix costs as much to compute as the masked one; the problem is that it "
                        "is the wrong cost."),
            "d": Option("Only the regularization changes.",
                        "Wrong: the regularization does not depend on $R$; the squared-error term is the one that "
                        "would count the missing ratings."),
        },
        answer="b"),
    Single(
        "q4", **answer_at("c",
        prompt=("A new user joins who has rated nothing yet. Collaborative filtering is trained **without** mean "
                "normalization (small random $W$ and $X$, and the biases $b$ starting at 0, as in the exercise). What does it "
                "predict for this user once trained?"),
        options={
            "a": Option("Each movie's average rating.",
                        "Wrong: that is what mean normalization gives; without it nothing brings the movie's mean "
                        "into this user's predictions."),
            "b": Option("0 stars for every movie.",
                        "Right: the user's ratings appear nowhere in the squared errors, so the regularization pulls "
                        "$w$ to 0, and $b$ stays at its start, 0."),
            "c": Option("The average of all ratings of all users.",
                        "Wrong: nothing in the cost moves this user's parameters towards any average; only the "
                        "regularization acts on them."),
            "d": Option("Random ratings, from the random start of the parameters.",
                        "Wrong: the regularization alone acts on this user's $w$ and pulls it to 0 during training; "
                        "with $b$ starting at 0, the predictions end at 0."),
        },
        answer="b")),
    Number.variant("q5", _q5),
    Multiple(
        "q6",
        prompt="Which of these are regularized (penalized by $\\frac{\\lambda}{2}$ times their squares) in the "
               "collaborative filtering cost? (Choose all that apply.)",
        options={
            "a": Option("The users' weights $W$.",
                        "Belongs: each user's $w^{(j)}$ is regularized, as in the regressions of course 1."),
            "b": Option("The movies' features $X$.",
                        "Belongs: the features are learned parameters too, and are regularized like $W$."),
            "c": Option("The users' biases $b$.",
                        "Does not belong: as in linear regression, the biases are not regularized."),
            "d": Option("The ratings $Y$.",
                        "Does not belong: the ratings are the data the model is fitted to, not parameters."),
        },
        answer={"a", "b"},
        reason="Right: (a) and (b): the cost penalizes the squares of all of $W$ and $X$, not $b$."),
    Single(
        "q7",
        prompt=("Collaborative filtering is trained with several values of $\\lambda$; the plot shows the RMSE on "
                "the training ratings and on held-out ratings. Which $\\lambda$ would you choose?"),
        options={
            "a": Option("$\\lambda = 0.01$", "Wrong: the training error is lowest there, but the held-out error is the highest: "
                                "the many parameters fit the training ratings closely and generalize poorly "
                                "(overfitting)."),
            "b": Option("$\\lambda = 0.1$", "Wrong: the held-out error is still far above its minimum and far above the "
                               "training error: still overfitting."),
            "c": Option(f"$\\lambda = {_BEST_LAMBDA:g}$", f"Right: $\\lambda = {_BEST_LAMBDA:g}$ has the lowest held-out RMSE, "
                                             "the estimate of how well the predictions generalize."),
            "d": Option("$\\lambda = 100$", "Wrong: both errors are high: the regularization is so strong that the model "
                               "underfits."),
        },
        answer="c",
        figure=_q7_figure),
    Number.variant("q8", bug_line(_Q8_INTRO, _Q8_LINES, _Q8_BUGS)),
    Single(
        "q9", **answer_at("d",
        prompt="A new movie enters the catalogue; nobody has rated it yet. What does collaborative filtering learn "
               "about it?",
        options={
            "a": Option("Features close to those of the movies of its genre.",
                        "Wrong: collaborative filtering never sees genres or any description of a movie, only "
                        "ratings."),
            "b": Option("Nothing: its features appear only in the regularization, which pulls them to 0.",
                        "Right: this is the cold-start problem; with no ratings, nothing moves the movie's features, "
                        "so it cannot be recommended on the strength of its ratings."),
            "c": Option("The average of all the other movies' features.",
                        "Wrong: nothing in the cost pulls a movie's features towards the other movies'; only the "
                        "regularization acts on them, towards 0."),
            "d": Option("Features learned from the users' weights, as for any other movie.",
                        "Wrong: a movie's features are learned from the users who rated it; here there are none."),
        },
        answer="b")),
    Single(
        "q10",
        prompt="After training, how do you find the movies most similar to movie $k$ (\"people who liked this also "
               "liked ...\")?",
        options={
            "a": Option("The movies whose learned feature vectors $x^{(i)}$ are closest to $x^{(k)}$ (smallest "
                        "$\\lVert x^{(k)} - x^{(i)} \\rVert^2$).",
                        "Right: movies liked by the same users end up with nearby feature vectors."),
            "b": Option("The movies with the average rating closest to movie $k$'s.",
                        "Wrong: two movies with the same average can be liked by completely different people."),
            "c": Option("The users whose weights $w^{(j)}$ are closest to $x^{(k)}$.",
                        "Wrong: that compares users with a movie; similar movies are found among the movies' own "
                        "feature vectors."),
            "d": Option("The movies with the same bias $b$.",
                        "Wrong: the biases belong to the users, not to the movies."),
        },
        answer="a"),
    Number.variant("q11", _q11),
]

define_checks(globals(), QUESTIONS)
