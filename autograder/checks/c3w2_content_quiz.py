"""Quiz bank of module c3w2-content: content-based filtering with a two-tower network.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q7)
draw their numbers from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# Unit vectors with simple coordinates (from Pythagorean triples), so the dot products are exact.
_UNITS = [(0.6, 0.8), (0.8, 0.6), (1.0, 0.0), (0.0, 1.0), (-0.6, 0.8), (0.8, -0.6), (0.28, 0.96),
          (0.96, -0.28)]


def _keep_distinct(answer: float, tol: float, wrong: list[tuple[float, str]]) -> list[tuple[float, str]]:
    out: list[tuple[float, str]] = []
    for value, why in wrong:
        if abs(value - answer) > 2 * tol and all(abs(value - v) > 2 * tol for v, _ in out):
            out.append((float(value), why))
    return out


# ---------------------------------------------------------------------------------------------
# q1: a prediction in stars (seeded).


def _q1(rng: np.random.Generator) -> dict:
    tol = 5e-3
    i, j = rng.choice(len(_UNITS), size=2, replace=False)
    u, v = np.array(_UNITS[i]), np.array(_UNITS[j])
    dot = float(u @ v)
    stars = 2.25 * dot + 2.75
    wrong = _keep_distinct(stars, tol, [
        (dot, "That is the dot product itself, the prediction on the scaled range $[-1, 1]$; map it back to stars "
              "with $y = 2.25\\,\\hat y_{\\text{scaled}} + 2.75$."),
        ((dot - 2.75) / 2.25, "That applies the scaling the wrong way: stars are $2.25\\,\\hat y + 2.75$."),
        (2.25 * float(np.sum(u + v)) + 2.75, "The prediction is the dot product, the sum of the products "
                                             "$u_1 v_1 + u_2 v_2$, not a sum of the coordinates."),
        (5 * dot, "The scaled range $[-1, 1]$ maps onto 0.5 to 5 stars: $y = 2.25\\,\\hat y + 2.75$."),
    ])
    return dict(
        prompt=(f"A trained two-tower model gives a user the embedding $\\mathbf{{v}}_u = ({u[0]:g}, {u[1]:g})$ and a "
                f"movie $\\mathbf{{v}}_m = ({v[0]:g}, {v[1]:g})$ (both of length 1). The ratings, 0.5 to 5 stars, were "
                "scaled to $[-1, 1]$ by $(y - 2.75)/2.25$ for training. What rating, in stars, does the model "
                "predict? Give two decimals."),
        answer=round(stars, 6), tolerance=tol,
        reason=(f"Right: $\\mathbf{{v}}_u \\cdot \\mathbf{{v}}_m = {dot:g}$, and $2.25 \\cdot {dot:g} + 2.75 = "
                f"{stars:.2f}$ stars."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: the two-tower cost by hand (seeded).


def _q2(rng: np.random.Generator) -> dict:
    tol = 1e-3
    yhat = rng.choice([-0.5, -0.2, 0.0, 0.3, 0.6, 0.8], size=3, replace=False)
    y = rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], size=3)
    err = yhat - y
    while np.allclose(err, 0):
        y = rng.choice([-1.0, -0.5, 0.0, 0.5, 1.0], size=3)
        err = yhat - y
    J = float(np.sum(err**2) / 6)
    wrong = _keep_distinct(J, tol, [
        (2 * J, "That leaves out the 1/2: $J = \\frac{1}{2m}\\sum_i (\\hat y_i - y_i)^2$."),
        (3 * J, "That leaves out the 1/m: the cost averages over the $m = 3$ ratings."),
        (6 * J, "That is the plain sum of squared errors; the cost is $\\frac{1}{2m}$ times it."),
        (float(np.sum(err) / 6), "The errors are squared before they are added: opposite errors must not cancel."),
        (float(np.sum(np.abs(err)) / 6), "The errors are squared, not taken in absolute value."),
    ])
    rows = ", ".join(f"({a:g}, {b:g})" for a, b in zip(yhat, y))
    return dict(
        prompt=("Three training ratings have the dot products and scaled ratings $(\\hat y_i, y_i)$ = "
                f"{rows}. What is the cost $J = \\frac{{1}}{{2m}}\\sum_i (\\hat y_i - y_i)^2$? Give three decimals."),
        answer=round(J, 6), tolerance=tol,
        reason=("Right: the errors are " + ", ".join(f"{e:g}" for e in err)
                + f"; their squares add up to {np.sum(err**2):g}, and divided by $2m = 6$ that is {J:.4f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q7: distance from a dot product (seeded).


def _q7(rng: np.random.Generator) -> dict:
    tol = 1e-3
    c = float(rng.choice([-0.6, -0.2, 0.1, 0.4, 0.5, 0.75, 0.9]))
    d2 = 2 - 2 * c
    wrong = _keep_distinct(d2, tol, [
        (1 - c, "$\\lVert \\mathbf{u} - \\mathbf{v} \\rVert^2 = \\lVert \\mathbf{u} \\rVert^2 - 2\\,\\mathbf{u}\\cdot"
                "\\mathbf{v} + \\lVert \\mathbf{v} \\rVert^2$: both lengths count, and the dot product counts twice."),
        (2 + 2 * c, "The dot product enters with a minus sign: vectors pointing the same way are close."),
        (float(np.sqrt(max(d2, 0))), "That is the distance; the question asks for the squared distance."),
        (2 - c, "The cross term is $-2\\,\\mathbf{u}\\cdot\\mathbf{v}$, twice the dot product."),
    ])
    return dict(
        prompt=(f"Two embeddings of length 1 have the dot product $\\mathbf{{u}} \\cdot \\mathbf{{v}} = {c:g}$. What is "
                "their squared distance $\\lVert \\mathbf{u} - \\mathbf{v} \\rVert^2$?"),
        answer=round(d2, 6), tolerance=tol,
        reason=f"Right: $1 - 2 \\cdot ({c:g}) + 1 = {d2:g}$; for unit vectors the nearest item is the one with the "
               "largest dot product.",
        wrong=wrong)


QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Shape(
        "q3",
        prompt=("A user tower has `W1` of shape `(8, 32)` and `W2` of shape `(32, 16)`. It is applied to `X`, the "
                "features of 500 users, shape `(500, 8)`. What shape are the embeddings it returns?"),
        answer=(500, 16),
        reason="Right: one embedding per user, each of the output layer's 16 numbers: `(500, 16)`.",
        wrong=[
            ((500, 32), "That is the hidden layer's output; the second layer maps its 32 numbers to 16."),
            ((16,), "The tower works on the whole batch: one row per user, not one vector for all of them."),
            ((500, 8), "That is the shape of the features going in; the embedding has the output layer's size."),
            ((8, 16), "That would be a weight matrix; the result has one row per user."),
            ((500,), "The embedding is a vector per user (16 numbers), not one number: the prediction is the number."),
        ]),
    Single(
        "q4",
        prompt="A movie is added to the catalogue today; nobody has rated it yet. Which recommender can recommend "
               "it to the right users at once?",
        options={
            "a": Option("A content-based two-tower model: the movie tower computes its embedding from its features.",
                        "Right: its genres and year give it an embedding at once, comparable with every user's."),
            "b": Option("Collaborative filtering: its features $\\mathbf{x}^{(i)}$ are learned from the ratings.",
                        "Wrong: with no ratings, collaborative filtering has nothing to learn the movie's vector "
                        "from; it stays at its random start."),
            "c": Option("Neither: every recommender needs ratings of an item before recommending it.",
                        "Wrong: a content-based model needs only the item's features, which exist before any "
                        "rating."),
            "d": Option("Both equally, once the movie's average rating is known.",
                        "Wrong: a movie without ratings has no average rating; that is the cold-start problem."),
        },
        answer="a"),
    Multiple(
        "q5",
        prompt="Which statements about content-based and collaborative filtering are true? (Choose all that apply.)",
        options={
            "a": Option("Content-based filtering needs features of the users and of the items.",
                        "True: its towers compute the embeddings from those features."),
            "b": Option("Collaborative filtering can discover tastes that no feature describes.",
                        "True: its vectors are whatever explains the ratings, named in a feature or not."),
            "c": Option("In a two-tower model, the user and movie feature vectors must have the same length.",
                        "False: each tower has its own first layer; only the embeddings must have the same length."),
            "d": Option("In a two-tower model, the user tower and the movie tower share their weights.",
                        "False: the two sides have different features and meanings, so each tower has its own "
                        "weights."),
            "e": Option("Both predict a rating as a dot product of a user vector and an item vector.",
                        "True: $\\mathbf{w}^{(j)} \\cdot \\mathbf{x}^{(i)} + b^{(j)}$ in one, "
                        "$\\mathbf{v}_u \\cdot \\mathbf{v}_m$ in the other."),
        },
        answer={"a", "b", "e"},
        reason="Right: (a), (b) and (e)."),
    Single(
        "q6",
        prompt="Why are the towers' outputs scaled to length 1 before the dot product?",
        options={
            "a": Option("So that the dot product is a cosine in $[-1, 1]$, set by the directions only, matching the "
                        "ratings scaled to $[-1, 1]$.",
                        "Right: without it a tower could raise every prediction just by making its outputs longer."),
            "b": Option("To make training faster by avoiding the ReLU.",
                        "Wrong: the hidden layer still uses a ReLU; the scaling acts on the output only."),
            "c": Option("So that every embedding has only positive numbers.",
                        "Wrong: a unit vector can have negative entries; only its length is fixed."),
            "d": Option("Because numpy's dot product requires vectors of length 1.",
                        "Wrong: `np.dot` works on vectors of any length; the scaling is a modelling choice."),
        },
        answer="a"),
    Number.variant("q7", _q7),
    Single(
        "q8",
        prompt=("With $J = \\frac{1}{2m}\\sum_i (\\mathbf{v}_u^{(i)} \\cdot \\mathbf{v}_m^{(i)} - y_i)^2$ and "
                "$e_i = \\mathbf{v}_u^{(i)} \\cdot \\mathbf{v}_m^{(i)} - y_i$, what is $\\partial J / \\partial "
                "\\mathbf{v}_u^{(i)}$?"),
        options={
            "a": Option("$\\frac{1}{m} e_i\\, \\mathbf{v}_m^{(i)}$",
                        "Right: the derivative of the dot product with respect to $\\mathbf{v}_u^{(i)}$ is the "
                        "other embedding, times the error, over $m$."),
            "b": Option("$\\frac{1}{m} e_i\\, \\mathbf{v}_u^{(i)}$",
                        "Wrong: $\\partial (\\mathbf{u}\\cdot\\mathbf{v}) / \\partial \\mathbf{u} = \\mathbf{v}$, the "
                        "other tower's embedding, not the user's own."),
            "c": Option("$\\frac{2}{m} e_i\\, \\mathbf{v}_m^{(i)}$",
                        "Wrong: the 1/2 in the cost cancels the 2 from the square."),
            "d": Option("$\\frac{1}{2m} e_i^2$",
                        "Wrong: that is rating $i$'s share of the cost, a number, not its gradient, a vector."),
        },
        answer="a"),
    Single(
        "q9",
        prompt=("A system shows each user the 10 items that match their taste best, every day, and each user's taste "
                "drifts towards what they are shown. Over weeks the genres shown to a user narrow. Which change "
                "keeps them wider?"),
        options={
            "a": Option("Re-rank the candidates for diversity: penalise items similar to those already picked.",
                        "Right: maximal marginal relevance keeps several genres in every list, at some cost in "
                        "match; the lesson's simulation kept the entropy near its maximum."),
            "b": Option("Train the towers longer, so that the matches are more accurate.",
                        "Wrong: better matches make the loop tighter, not wider: the narrowing comes from always "
                        "showing the best match."),
            "c": Option("Show 10 items from the same genre as the last item watched.",
                        "Wrong: that narrows the recommendations faster still."),
            "d": Option("Recommend only the most popular items.",
                        "Wrong: that replaces one bubble by another (the head of the catalogue) and worsens "
                        "popularity bias."),
        },
        answer="a"),
    Multiple(
        "q10",
        prompt="Which statements about the effects of recommender systems are true? (Choose all that apply.)",
        options={
            "a": Option("Maximising watch time can favour content that holds attention over content people value.",
                        "True: engagement is a proxy for what users want, and sensational content can game it."),
            "b": Option("Popular items get more ratings, are learned better, are recommended more, and get more "
                        "ratings still.",
                        "True: that loop is popularity bias, visible in the data already."),
            "c": Option("A lower test RMSE guarantees the recommendations are good for the users.",
                        "False: RMSE measures predicted ratings, not diversity, fairness between groups or "
                        "well-being."),
            "d": Option("Because the recommendations change what users watch, the data a system learns from depends "
                        "on its own past recommendations.",
                        "True: so it must be monitored after launch, not only evaluated once."),
            "e": Option("Letting users see why an item was recommended and steer it has no value if the model is "
                        "accurate.",
                        "False: explanations and controls let users correct the system and trust it; accuracy "
                        "does not replace them."),
        },
        answer={"a", "b", "d"},
        reason="Right: (a), (b) and (d)."),
]

define_checks(globals(), QUESTIONS)
