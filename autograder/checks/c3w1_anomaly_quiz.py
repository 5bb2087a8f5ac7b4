"""Quiz bank of module c3w1-anomaly: anomaly detection with Gaussians.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q3,
q9) draw their numbers, or the line of the bug, from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import answer_at, bug_line, code_block, keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# ---------------------------------------------------------------------------------------------
# Helpers.


def _gauss(x: float, mu: float, var: float) -> float:
    return float(np.exp(-((x - mu) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var))


# ---------------------------------------------------------------------------------------------
# q1: the variance of a feature (seeded).


def _q1(rng: np.random.Generator) -> dict:
    tol = 5e-3
    m = 5
    while True:
        x = rng.integers(1, 13, size=m).astype(float)
        if np.var(x) > 1:
            break
    var = float(np.var(x))
    wrong = keep_distinct(var, tol, [
        (float(np.var(x, ddof=1)), f"That divides by $m - 1 = {m - 1}$ (the sample variance). The course's "
                                   f"estimate divides by $m = {m}$, as `np.var` does by default."),
        (float(np.std(x)), "That is the standard deviation $\\sigma$; the variance is its square, $\\sigma^2$."),
        (float(np.mean(np.abs(x - x.mean()))), "That is the mean *absolute* deviation; the variance averages the "
                                               "*squared* deviations from the mean."),
        (float(x.mean()), "That is the mean $\\mu$; the variance is the mean of the squared deviations from it."),
    ])
    xs = ", ".join(f"{v:g}" for v in x)
    return dict(
        prompt=(f"One feature of a training set takes the values {xs} on its {m} examples. The anomaly detector fits "
                "a Gaussian to it. What is the variance $\\sigma^2$ it uses? Give two decimals."),
        answer=round(var, 6), tolerance=tol,
        reason=(f"Right: $\\mu = {x.mean():g}$, and the mean of the squared deviations, dividing by $m = {m}$, is "
                f"$\\sigma^2 = {var:.2f}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: the density of an example with two features (seeded).


def _q2(rng: np.random.Generator) -> dict:
    tol = 5e-4
    while True:
        mu = rng.integers(1, 10, size=2).astype(float)
        var = rng.choice([1.0, 2.0, 4.0], size=2)
        x = mu + rng.integers(-2, 3, size=2)
        dens = [_gauss(x[j], mu[j], var[j]) for j in range(2)]
        p = dens[0] * dens[1]
        if p > 5e-3:
            break
    wrong = keep_distinct(p, tol, [
        (dens[0] + dens[1], "That adds the two features' densities; the density of an example is their "
                            "*product*, $p(x) = p(x_1) \\cdot p(x_2)$."),
        (_gauss(x[0], mu[0], var[0] ** 2) * _gauss(x[1], mu[1], var[1] ** 2),
         "That uses the given variances as standard deviations (so it squares them again); $\\sigma_j^2$ is already "
         "the variance that appears in the formula."),
        (float(np.exp(-((x - mu) ** 2 / (2 * var)).sum())),
         "That leaves out the normalizing factor $1/\\sqrt{2\\pi\\sigma_j^2}$ of each Gaussian."),
        (dens[0], "That is only the first feature's density; the example's density multiplies both features'."),
    ])
    return dict(
        prompt=(f"An anomaly detector fitted Gaussians to two features: $\\mu_1 = {mu[0]:g}$, $\\sigma_1^2 = "
                f"{var[0]:g}$ and $\\mu_2 = {mu[1]:g}$, $\\sigma_2^2 = {var[1]:g}$. What is the density $p(x)$ of the "
                f"example $x = ({x[0]:g}, {x[1]:g})$? Give four decimals."),
        answer=round(p, 8), tolerance=tol,
        reason=(f"Right: $p(x_1; \\mu_1, \\sigma_1^2) \\approx {dens[0]:.4f}$ and $p(x_2; \\mu_2, \\sigma_2^2) \\approx "
                f"{dens[1]:.4f}$; their product is $p(x) \\approx {p:.4f}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q3: F1 from the counts (seeded).


def _q3(rng: np.random.Generator) -> dict:
    tol = 2e-3
    while True:
        tp, fp, fn = (int(v) for v in rng.integers(1, 10, size=3))
        prec, rec = tp / (tp + fp), tp / (tp + fn)
        if abs(prec - rec) > 0.05:
            break
    f1 = 2 * prec * rec / (prec + rec)
    wrong = keep_distinct(f1, tol, [
        ((prec + rec) / 2, "That is the arithmetic mean of precision and recall; F1 is their *harmonic* mean, "
                           "$2PR/(P + R)$, which is high only when both are."),
        (prec, f"That is the precision $tp/(tp + fp)$ alone; F1 combines it with the recall."),
        (rec, f"That is the recall $tp/(tp + fn)$ alone; F1 combines it with the precision."),
        (prec * rec, "That is the product $P \\cdot R$; F1 is $2PR/(P + R)$."),
    ])
    return dict(
        prompt=(f"With some threshold $\\varepsilon$, the detector's predictions on a labelled validation set count "
                f"$tp = {tp}$ true positives (anomalies flagged), $fp = {fp}$ false positives (normal servers "
                f"flagged) and $fn = {fn}$ false negatives (anomalies missed). What is its F1 score? Give three "
                "decimals."),
        answer=round(f1, 6), tolerance=tol,
        reason=(f"Right: precision $= {tp}/{tp + fp} \\approx {prec:.3f}$, recall $= {tp}/{tp + fn} \\approx {rec:.3f}$, "
                f"and $F_1 = 2PR/(P + R) \\approx {f1:.3f}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q5: a skewed feature (plot).


def _q5_figure(rng, ax) -> None:
    sizes = np.random.default_rng(5).lognormal(mean=2.5, sigma=0.8, size=1000)   # one fixed data set
    ax.hist(sizes, bins=60, color="tab:blue", alpha=0.8)
    ax.set(xlabel="request size (KB)", ylabel="number of requests", title="One feature of the training set")
    ax.grid(True, alpha=0.4)


# ---------------------------------------------------------------------------------------------
# q9: the bug in a log-density function (seeded: the line and the bug).

_Q9_LINES = [
    ("def log_density(X, mu, var):",
     "it takes the examples `X`, shape `(m, n)`, and each feature's mean and variance, shape `(n,)`."),
    ("    z2 = (X - mu) ** 2 / var",
     "the squared deviation from the mean, divided by the variance, for every example and feature."),
    ("    log_pj = -0.5 * np.log(2 * np.pi * var) - 0.5 * z2",
     "the logarithm of each feature's Gaussian density: $-\\frac{1}{2}\\log(2\\pi\\sigma_j^2) - "
     "\\frac{(x_j - \\mu_j)^2}{2\\sigma_j^2}$."),
    ("    return np.sum(log_pj, axis=1)",
     "the log of a product is the sum of the logs, over the features (`axis=1`): one value per example."),
]
_Q9_BUGS = {
    2: [("    z2 = (X - mu) / var",
         "The deviation is not squared: the Gaussian's exponent has $(x_j - \\mu_j)^2$."),
        ("    z2 = (X - mu) ** 2 / np.sqrt(var)",
         "It divides by the standard deviation $\\sigma_j$; the exponent divides the squared deviation by the "
         "variance $\\sigma_j^2$.")],
    3: [("    log_pj = -0.5 * np.log(2 * np.pi * var) + 0.5 * z2",
         "The sign of the second term is flipped: the density falls, so its log decreases, as $x_j$ moves away "
         "from $\\mu_j$."),
        ("    log_pj = np.log(2 * np.pi * var) - 0.5 * z2",
         "The log of $1/\\sqrt{2\\pi\\sigma_j^2}$ is $-\\frac{1}{2}\\log(2\\pi\\sigma_j^2)$; the factor "
         "$-\\frac{1}{2}$ is missing.")],
    4: [("    return np.prod(log_pj, axis=1)",
         "The log of a product of densities is the *sum* of their logs, not their product."),
        ("    return np.sum(log_pj, axis=0)",
         "`axis=0` adds up over the examples, giving one number per feature; an example's log density sums over "
         "its features, `axis=1`.")],
}
_Q9_INTRO = ("With many features, the product of densities underflows, so the detector works with "
             "$\\log p(x) = \\sum_j \\left(-\\frac{1}{2}\\log(2\\pi\\sigma_j^2) - \\frac{(x_j - \\mu_j)^2}"
             "{2\\sigma_j^2}\\right)$. This function should compute it for every example:")


# ---------------------------------------------------------------------------------------------
# The questions.

QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Number.variant("q3", _q3),
    Single(
        "q4",
        prompt=("A labelled validation set has 307 servers, 9 of them anomalous. A \"detector\" that never flags "
                "anything is scored on it. Which statement is true?"),
        options={
            "a": Option("Its accuracy is about 3%, so accuracy already shows that it is useless.",
                        "Wrong: it is right on the 298 normal servers, so its accuracy is 298/307, about 97%; "
                        "accuracy makes it look good."),
            "b": Option("Its accuracy is about 97%, but its recall is 0 and its F1 is 0.",
                        "Right: on skewed classes accuracy rewards flagging nothing; recall (0 of 9 anomalies "
                        "found) and F1 show it is useless."),
            "c": Option("Its precision is 100%, since it never raises a false alarm.",
                        "Wrong: with nothing flagged, precision is 0/0, undefined; the course counts such a "
                        "threshold's F1 as 0."),
            "d": Option("Its F1 is about 97%, the same as its accuracy.",
                        "Wrong: F1 combines precision and recall, and its recall is 0: F1 is 0."),
        },
        answer="b"),
    Single(
        "q5",
        prompt=("The histogram shows one feature of the training set of an anomaly detector that fits a Gaussian to "
                "every feature. What should you do with this feature before fitting?"),
        options={
            "a": Option("Nothing: a Gaussian fits it as well as any other feature.",
                        "Wrong: the feature is strongly skewed (a long right tail); a Gaussian fitted to it puts "
                        "density on negative sizes and too little in the tail."),
            "b": Option("Standardize it to mean 0 and standard deviation 1.",
                        "Wrong: standardizing shifts and scales the values but keeps the skewed shape; the Gaussian "
                        "would fit just as badly."),
            "c": Option("Replace it by its logarithm (the same transform on the training, validation and test "
                        "sets).",
                        "Right: a log pulls the long right tail in and makes the histogram look more like a bell, "
                        "which the Gaussian model fits."),
            "d": Option("Remove the examples in the long right tail from the training set.",
                        "Wrong: the tail is part of normal behaviour (many normal requests are large); removing it "
                        "throws data away and leaves the shape skewed."),
        },
        answer="c",
        figure=_q5_figure),
    Multiple(
        "q6",
        prompt="In which of these cases is anomaly detection a better choice than a supervised classifier? (Choose "
               "all that apply.)",
        options={
            "a": Option("Only 5 faulty engines are known among 10,000 tested.",
                        "Belongs: with so few positives a classifier has little to learn from; anomaly detection "
                        "learns what normal engines look like."),
            "b": Option("Future frauds may look like none of the frauds seen so far.",
                        "Belongs: a classifier learns to recognise the positives it has seen; anomaly detection "
                        "flags whatever is unlike the normal examples, new kinds included."),
            "c": Option("Spam filtering, with hundreds of thousands of labelled spam e-mails that resemble future "
                        "spam.",
                        "Does not belong: many positives that look like future ones are what supervised learning "
                        "needs."),
            "d": Option("Diagnosing a common disease from thousands of labelled cases.",
                        "Does not belong: with many labelled positives of a known kind, a classifier learns what "
                        "they look like."),
        },
        answer={"a", "b"},
        reason="Right: (a) and (b): very few positives, or positives that may take new forms."),
    Single(
        "q7",
        prompt="An example is flagged as an anomaly when $p(x) < \\varepsilon$. What happens when you raise "
               "$\\varepsilon$?",
        options={
            "a": Option("More examples are flagged: recall never falls, and precision usually does.",
                        "Right: every example flagged before is still flagged, plus those with a density between "
                        "the old and the new threshold; among them more normal ones."),
            "b": Option("Fewer examples are flagged: precision rises and recall falls.",
                        "Wrong: that is lowering $\\varepsilon$; a higher threshold lets more densities fall below "
                        "it."),
            "c": Option("The same examples are flagged, with higher confidence.",
                        "Wrong: the threshold decides which examples are flagged; moving it changes the set."),
            "d": Option("The fitted Gaussians get wider.",
                        "Wrong: $\\varepsilon$ does not change the fit; $\\mu$ and $\\sigma^2$ come from the "
                        "training set alone."),
        },
        answer="a"),
    Shape(
        "q8",
        prompt=("`X` holds 307 servers with 11 features, shape `(307, 11)`, and `dens` holds every feature's Gaussian "
                "density of every server, also shape `(307, 11)`. What shape does `np.prod(dens, axis=1)` return?"),
        answer=(307,),
        reason="Right: the product over the features (axis 1) leaves one density $p(x)$ per server.",
        wrong=[
            ((11,), "That would be `axis=0`, a product down the servers, one number per feature; an example's density "
                    "multiplies its own features' densities."),
            ((307, 1), "A reduction along an axis removes it (unless `keepdims=True`): the result is 1-D."),
            ((), "That would be `np.prod(dens)` without an axis: one number for the whole data set."),
            ((307, 11), "`np.prod` along an axis multiplies the values along it and removes that axis."),
        ]),
    Number.variant("q9", bug_line(_Q9_INTRO, _Q9_LINES, _Q9_BUGS)),
    Single(
        "q10", **answer_at("d",
        prompt=("Normal servers have a CPU load roughly proportional to their network traffic. A server stuck in a "
                "loop has a high CPU load and little traffic; each value on its own is ordinary, so the detector "
                "misses it. What is the best fix?"),
        options={
            "a": Option("Raise $\\varepsilon$ until that server is flagged.",
                        "Wrong: its density is ordinary, so a threshold high enough to flag it flags many normal "
                        "servers too."),
            "b": Option("Add the feature CPU load / network traffic.",
                        "Right: the ratio is large for the stuck server and ordinary for normal ones; a new feature "
                        "built from error analysis makes the anomaly stand out."),
            "c": Option("Remove the network-traffic feature.",
                        "Wrong: the anomaly is in the combination of the two; with one of them removed it is even "
                        "less visible."),
            "d": Option("Take the logarithm of both features.",
                        "Wrong: a log makes a skewed feature more Gaussian, but each value stays ordinary on its own; "
                        "the anomaly needs a feature that relates the two."),
        },
        answer="b")),
    Single(
        "q11",
        prompt=("A detector with 300 features prints $p(x) = 0.0$ for every example of the validation set, so no "
                "threshold can separate them. What is happening, and what is the fix?"),
        options={
            "a": Option("The product of 300 small densities underflows to 0; compare the sums of the log-densities, "
                        "$\\log p(x) < \\log \\varepsilon$, instead.",
                        "Right: the log turns the product into a sum, which stays in the range of floating-point "
                        "numbers and flags the same examples."),
            "b": Option("The variances were computed by dividing by $m$; divide by $m - 1$.",
                        "Wrong: dividing by $m - 1$ changes the variances by a factor $m/(m-1)$; the product of 300 "
                        "small densities still underflows."),
            "c": Option("Every example is an anomaly: flag them all.",
                        "Wrong: the densities are not really 0; they are too small for a float, which rounds them "
                        "to 0."),
            "d": Option("Set $\\varepsilon = 0$.",
                        "Wrong: no density is below 0, so nothing would be flagged; the problem is that the values "
                        "cannot be compared at all."),
        },
        answer="a"),
]

define_checks(globals(), QUESTIONS)
