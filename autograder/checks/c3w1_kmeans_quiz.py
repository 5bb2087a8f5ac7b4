"""Quiz bank of module c3w1-kmeans: k-means clustering and image compression.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q7,
q8, q9) draw their numbers, or the line of the bug, from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import answer_at, bug_line, code_block, keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# ---------------------------------------------------------------------------------------------
# Helpers.


def _points_table(X: np.ndarray) -> str:
    rows = ["| example | " + " | ".join(str(i) for i in range(len(X))) + " |",
            "|---|" + "---|" * len(X)]
    for j, name in enumerate(("$x_1$", "$x_2$")[: X.shape[1]]):
        rows.append(f"| {name} | " + " | ".join(f"{v:g}" for v in X[:, j]) + " |")
    return "\n".join(rows)


# ---------------------------------------------------------------------------------------------
# q1: the distortion after the assignment step (seeded).


def _q1(rng: np.random.Generator) -> dict:
    tol = 5e-3
    m = int(rng.integers(5, 7))
    X = rng.integers(0, 7, size=(m, 2)).astype(float)
    C = rng.integers(0, 7, size=(2, 2)).astype(float)
    while np.array_equal(C[0], C[1]):
        C[1] = rng.integers(0, 7, size=2)
    d2 = ((X[:, None, :] - C[None, :, :]) ** 2).sum(axis=2)          # (m, 2)
    closest = d2.min(axis=1)
    J = float(closest.mean())
    wrong = keep_distinct(J, tol, [
        (float(closest.sum()), "That is the sum of the squared distances (scikit-learn's *inertia*, $m \\cdot J$); "
                               f"the distortion is their mean, divided by the $m = {m}$ examples."),
        (float(np.sqrt(closest).mean()), "That is the mean of the distances themselves; the distortion averages "
                                         "the *squared* distances."),
        (float(d2.max(axis=1).mean()), "That uses each example's distance to its *farthest* centroid; an example "
                                       "belongs to its closest centroid."),
        (float(d2.mean()), "That averages the squared distances to both centroids; each example counts only its "
                           "distance to the centroid of its own cluster, the closest one."),
    ])
    return dict(
        prompt=(f"{m} points in the plane:\n\n{_points_table(X)}\n\nand two centroids "
                f"$\\mu_1 = ({C[0, 0]:g}, {C[0, 1]:g})$ and $\\mu_2 = ({C[1, 0]:g}, {C[1, 1]:g})$. After the "
                "cluster-assignment step (each example to its closest centroid, the centroids not moved yet), what "
                "is the distortion $J = \\frac{1}{m} \\sum_i \\lVert x^{(i)} - \\mu_{c^{(i)}} \\rVert^2$? Give two "
                "decimals."),
        answer=round(J, 6), tolerance=tol,
        reason=(f"Right: the squared distances to the closest centroid are "
                f"{', '.join(f'{v:g}' for v in closest)}; their mean is {J:.2f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: where a centroid moves (seeded, one feature).


def _q2(rng: np.random.Generator) -> dict:
    tol = 6e-3
    while True:
        x = np.sort(rng.choice(np.arange(0, 21), size=7, replace=False)).astype(float)
        c = np.sort(rng.choice(np.arange(0, 21), size=2, replace=False)).astype(float)
        d0, d1 = np.abs(x - c[0]), np.abs(x - c[1])
        if np.any(d0 == d1):
            continue                                   # no example exactly halfway
        near0 = d0 < d1
        if 2 <= near0.sum() <= 5:
            break
    new0 = float(x[near0].mean())
    wrong = keep_distinct(new0, tol, [
        (float(x.mean()), "That is the mean of all seven examples. A centroid moves to the mean of the examples "
                          "assigned to *it*, its closest ones."),
        (float(c[0]), "That is where the centroid started: the move step puts it at the mean of its examples."),
        (float(x[~near0].mean()), "That is the mean of the other cluster's examples, those closer to the second "
                                  "centroid."),
        (float(np.median(x[near0])), "That is the median of its examples; k-means moves a centroid to their "
                                     "mean, which minimises the sum of squared distances."),
    ])
    xs = ", ".join(f"{v:g}" for v in x)
    return dict(
        prompt=(f"k-means with one feature: the examples are {xs}, and the two centroids start at "
                f"{c[0]:g} and {c[1]:g}. After one cluster-assignment step and one move step, where is the centroid "
                f"that started at {c[0]:g}? Give two decimals."),
        answer=round(new0, 6), tolerance=tol,
        reason=(f"Right: the examples closer to {c[0]:g} than to {c[1]:g} are "
                f"{', '.join(f'{v:g}' for v in x[near0])}, and their mean is {new0:.2f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q4: the elbow (plot).

_KS = np.arange(1, 11)
_J_OF_K = np.array([10.2, 6.1, 3.3, 1.05, 0.93, 0.83, 0.75, 0.68, 0.62, 0.57])
_ELBOW = 4


def _q4_figure(rng, ax) -> None:
    ax.plot(_KS, _J_OF_K, "o-")
    ax.set(xlabel="number of clusters K", ylabel="distortion J (best of 10 runs)",
           title="Distortion against K", xticks=_KS)
    ax.grid(True, alpha=0.4)


# ---------------------------------------------------------------------------------------------
# q7: the size of a compressed image (seeded).


def _q7(rng: np.random.Generator) -> dict:
    h = int(rng.integers(10, 41)) * 10
    w = int(rng.integers(10, 61)) * 10
    K = int(2 ** rng.integers(2, 7))
    bits_index = int(np.log2(K))
    answer = 24 * K + h * w * bits_index
    wrong = keep_distinct(answer, 0.5, [
        (h * w * bits_index, f"That counts the pixels' indices but not the palette: the {K} colours, 24 bits each, "
                             "must be stored too, or the indices mean nothing."),
        (24 * h * w, "That is the size of the original image, 24 bits for every pixel."),
        (h * w * K + 24 * K, f"That gives each pixel {K} bits; an index into {K} colours needs only "
                             f"$\\log_2 {K} = {bits_index}$ bits."),
        (h * w * bits_index + 8 * K, "The palette's colours are 24 bits each (8 for each of red, green and blue), "
                                     "not 8."),
    ])
    return dict(
        prompt=(f"An image of {h} × {w} pixels stores 24 bits per pixel (8 each for red, green and blue). k-means "
                f"reduces it to K = {K} colours: the compressed image stores the palette of {K} colours (24 bits "
                "each) and, for every pixel, the index of its palette colour in as few bits as possible. How many "
                "bits does the compressed image take?"),
        answer=answer, tolerance=0.5,
        reason=(f"Right: {K} × 24 bits for the palette plus {h} × {w} pixels × $\\log_2 {K} = {bits_index}$ bits, "
                f"{answer} bits in all (against {24 * h * w} for the original)."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q8: the shape of an image as a data set (seeded).


def _q8(rng: np.random.Generator) -> dict:
    h, w = int(rng.integers(50, 200)), int(rng.integers(50, 200))
    while w == h:
        w = int(rng.integers(50, 200))
    return dict(
        prompt=(f"`image` is a colour image as a numpy array of shape `({h}, {w}, 3)`. To cluster its colours with "
                "k-means, it becomes a data set with one example per pixel: `X = image.reshape(-1, 3)`. What shape "
                "does `X` have?"),
        answer=(h * w, 3),
        reason=f"Right: one row per pixel, {h} × {w} = {h * w} of them, and one column per colour channel.",
        wrong=[
            ((h, w * 3), "That would keep the rows of the image; `reshape(-1, 3)` asks for exactly 3 columns, and "
                         "numpy works out the number of rows."),
            ((3, h * w), "The examples are the rows: one row per pixel, one column per feature (red, green, blue)."),
            ((h * w * 3,), "That is `image.ravel()`, every number in one line; with `(-1, 3)` each pixel keeps its "
                           "3 channels in its own row."),
            ((h * w,), "Each pixel has three features, its red, green and blue values: the rows have 3 columns."),
        ])


# ---------------------------------------------------------------------------------------------
# q9: the bug in a distortion function (seeded: the line and the bug).

_Q9_LINES = [
    ("def distortion(X, centroids):",
     "it takes the examples `X`, shape `(m, n)`, and the centroids, shape `(K, n)`."),
    ("    J = 0.0", "the total starts at 0."),
    ("    for x in X:", "the loop goes over the examples, one row of `X` at a time."),
    ("        d = np.sum((centroids - x) ** 2, axis=1)",
     "`centroids - x` broadcasts the example over the K rows, and the sum along the features gives the K squared "
     "distances."),
    ("        J += np.min(d)", "each example adds its squared distance to the closest centroid."),
    ("    return J / len(X)", "the distortion is the mean over the m examples."),
]
_Q9_BUGS = {
    3: [("    for x in centroids:",
         "The loop goes over the centroids instead of the examples; the distortion sums over the examples.")],
    4: [("        d = np.sum((centroids - x) ** 2, axis=0)",
         "`axis=0` adds up over the centroids, giving one number per feature; the squared distance sums over the "
         "features, `axis=1`."),
        ("        d = np.sum(centroids - x, axis=1) ** 2",
         "The differences are added up before squaring, so positive and negative differences cancel; square "
         "each difference first, then add.")],
    5: [("        J += np.argmin(d)",
         "`np.argmin` gives the *index* of the closest centroid, not its distance; the distortion adds the "
         "distance, `np.min(d)`."),
        ("        J += np.max(d)",
         "That adds the squared distance to the *farthest* centroid; an example belongs to the closest one.")],
    6: [("    return J / len(centroids)",
         "The mean is over the m examples, `len(X)`, not over the K centroids.")],
}
_Q9_INTRO = ("This function should compute the distortion $J = \\frac{1}{m} \\sum_i \\min_k \\lVert x^{(i)} - \\mu_k "
             "\\rVert^2$ of a set of centroids (each example counts its squared distance to the closest centroid):")


# ---------------------------------------------------------------------------------------------
# The questions.

QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Single(
        "q3",
        prompt=("You print the distortion $J$ of your own k-means after every step (every assignment step and every "
                "move step). At one step it goes **up**. What do you conclude?"),
        options={
            "a": Option("The learning rate is too large.",
                        "Wrong: k-means has no learning rate; each step jumps straight to the best assignments or "
                        "the best centroids."),
            "b": Option("It is escaping a local optimum, as it should.",
                        "Wrong: k-means never climbs out of anything: neither step can raise $J$, so once in a "
                        "local optimum it stays."),
            "c": Option("There is a bug: neither step of k-means can raise the distortion.",
                        "Right: the assignment step picks the best cluster for each example and the move step the "
                        "best centroid (the mean) for each cluster, so $J$ never rises."),
            "d": Option("Nothing: the distortion goes up and down at random from step to step.",
                        "Wrong: there is nothing random in the steps of k-means (only in its start), and each step "
                        "can only lower $J$ or leave it unchanged."),
        },
        answer="c"),
    Single(
        "q4",
        prompt="The plot shows the lowest distortion found for each number of clusters K on one data set. Which K "
               "does the elbow method suggest?",
        options={
            "a": Option("K = 1", "Wrong: one cluster has the highest distortion, and the curve drops steeply after it."),
            "b": Option("K = 2", "Wrong: after K = 2 the distortion still drops fast (to about half, then less than "
                             "a third); more clusters still explain a lot."),
            "c": Option(f"K = {_ELBOW}", f"Right: J drops fast up to K = {_ELBOW} and only slowly after it: the "
                                     "elbow of the curve."),
            "d": Option("K = 10", "Wrong: the distortion always falls as K grows (to 0 with one cluster per example), so "
                              "its lowest value cannot choose K."),
        },
        answer="c",
        figure=_q4_figure),
    Multiple(
        "q5",
        prompt="In which of these situations is k-means likely to give a poor clustering? (Choose all that apply.)",
        options={
            "a": Option("The groups are two interleaved half-moons.",
                        "Belongs: k-means assigns each point to its closest centroid, so the boundary between two "
                        "clusters is a straight line; curved groups are cut across."),
            "b": Option("One feature is in metres and ranges over thousands, the other in kilograms and ranges over "
                        "units, and they are not scaled.",
                        "Belongs: the distance is then nearly the difference in the large-scale feature alone; "
                        "scale the features first."),
            "c": Option("It is run once, from one unlucky random start.",
                        "Belongs: k-means converges to a local optimum that depends on the start; one run can "
                        "put two centroids in one group."),
            "d": Option("The groups are well separated round blobs of similar size, K is their number, and the "
                        "best of 50 random starts is kept.",
                        "Does not belong: this is the case k-means handles best; with restarts it finds the "
                        "groups."),
        },
        answer={"a", "b", "c"},
        reason="Right: (a), (b) and (c): curved groups, unscaled features and a single unlucky start all mislead "
               "k-means."),
    Single(
        "q6",
        prompt="Why can you not choose K as the number of clusters with the lowest distortion?",
        options={
            "a": Option("The distortion can only be computed for small K.",
                        "Wrong: it can be computed for any K up to the number of examples."),
            "b": Option("The distortion never increases as K grows, and is 0 with one cluster per example.",
                        "Right: with more centroids every example can be closer to one, so the lowest distortion "
                        "always means the largest K."),
            "c": Option("The distortion increases with K, so the answer would always be K = 1.",
                        "Wrong: it is the other way round; more centroids can only bring the examples closer."),
            "d": Option("The distortion depends on the random start, so its lowest value is meaningless.",
                        "Wrong: with restarts the best distortion for each K is stable; the problem is that it "
                        "keeps falling as K grows."),
        },
        answer="b"),
    Number.variant("q7", _q7),
    Shape.variant("q8", _q8),
    Number.variant("q9", bug_line(_Q9_INTRO, _Q9_LINES, _Q9_BUGS)),
    Single(
        "q10", **answer_at("d",
        prompt="k-means is usually started with its K centroids placed on K different examples chosen at random. "
               "Why on examples?",
        options={
            "a": Option("Because the final centroids must be examples of the data set.",
                        "Wrong: the final centroids are means of examples, usually not examples themselves."),
            "b": Option("It guarantees that k-means finds the best clustering.",
                        "Wrong: no start guarantees that; k-means can still stop in a local optimum, which is why "
                        "it is run several times."),
            "c": Option("Every centroid starts next to at least one example, in the region where the data are.",
                        "Right: a centroid placed far from all the data could end up with no examples at all; one "
                        "placed on an example has at least that one."),
            "d": Option("It makes k-means give the same result on every run.",
                        "Wrong: a random choice gives different starts, and so possibly different results, on "
                        "different runs (unless the generator is seeded)."),
        },
        answer="c")),
    Single(
        "q11",
        prompt="You run k-means 50 times on the same data with the same K, from 50 different random starts. Which "
               "run's clustering do you keep?",
        options={
            "a": Option("The one with the lowest distortion.",
                        "Right: the distortion measures how close the examples are to their centroids; the lowest "
                        "one is the best local optimum found (scikit-learn's `n_init` does this)."),
            "b": Option("The last one, since k-means has converged by then.",
                        "Wrong: the runs are independent; the last is not better than the others, each converged "
                        "on its own."),
            "c": Option("The one that needed the most iterations.",
                        "Wrong: the number of iterations says how far the start was from its end, not how good the "
                        "end is."),
            "d": Option("A majority vote of the 50 runs' cluster numbers for every example.",
                        "Wrong: cluster numbers are arbitrary labels (cluster 0 of one run may be cluster 2 of "
                        "another), so they cannot be voted on."),
        },
        answer="a"),
]

define_checks(globals(), QUESTIONS)
