"""The quiz of c2w2 (training a neural network): the question bank, its answer key and every
explanation. The questions are about the week's ideas (ReLU and why activations must be non-linear,
the stable softmax, cross-entropy from logits, the shapes of backpropagation, weight initialization,
gradient checking, Adam); none shows a graded function's code. Every number a prompt or an answer
states is computed here."""

from __future__ import annotations

import numpy as np

from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks


def _fmt(v: float) -> str:
    v = float(v)
    return str(int(v)) if v.is_integer() else f"{v:g}"


def _separated(values, tol: float) -> bool:
    vals = [float(v) for v in values]
    return all(abs(a - b) > 2 * tol for i, a in enumerate(vals) for b in vals[i + 1:])


def _softmax(z):
    e = np.exp(z - np.max(z))
    return e / e.sum()


# --- q1: why the softmax subtracts the largest logit ---------------------------------------------------

q1 = Single(
    "q1",
    prompt=("A numerically stable softmax subtracts the largest logit $c = \\max_l z_l$ from every logit before "
            "exponentiating: $a_j = e^{z_j - c} / \\sum_l e^{z_l - c}$. Why?"),
    options={
        "a": Option("It rescales the logits into $[0, 1]$, which makes the probabilities more accurate.",
                    "Subtracting $c$ shifts the logits (the largest becomes 0, the others negative), it does not "
                    "rescale them; and the exact probabilities are the same with or without it."),
        "b": Option("It changes the probabilities slightly but keeps their order, which is all that "
                    "`argmax` needs.",
                    "It does not change them at all: the factor $e^{-c}$ appears in the numerator and the "
                    "denominator and cancels."),
        "c": Option("It prevents negative probabilities.",
                    "$e^{z}$ is positive for every $z$, so the softmax never gives negative probabilities, shifted "
                    "or not."),
        "d": Option("$e^{z}$ overflows to `inf` for $z$ above about 709, and `inf / inf` is `nan`; the shift gives the "
                    "same probabilities with the largest exponential equal to $e^0 = 1$.",
                    "Right: adding the same constant to every logit leaves the softmax unchanged, and after the "
                    "shift nothing can overflow and the sum is at least 1."),
    },
    answer="d")


# --- q2: one softmax probability, by hand -------------------------------------------------------------


def _q2_make(rng) -> dict:
    tol = 1e-3
    while True:
        z = rng.integers(-2, 4, size=3).astype(float)
        j = int(rng.integers(0, 3))
        a = _softmax(z)
        answer = float(a[j])
        wrong = [(float(np.exp(z[j])), "That is $e^{z_j}$ alone: the softmax divides it by the sum "
                                        "$\\sum_l e^{z_l}$ so that the probabilities add up to 1."),
                 (float(1 / (1 + np.exp(-z[j]))), "That is the sigmoid of $z_j$ alone; the softmax compares "
                                                  "$z_j$ with all the logits: $e^{z_j} / \\sum_l e^{z_l}$.")]
        if z.sum() != 0:
            wrong.append((float(z[j] / z.sum()), "That divides the logits themselves, without exponentiating: "
                                                 "$a_j = e^{z_j} / \\sum_l e^{z_l}$."))
        if len(set(z)) == 3 and _separated([answer] + [v for v, _ in wrong], tol):
            break
    ordinal = ["first", "second", "third"][j]
    return dict(
        prompt=(f"A network's output layer gives the logits $\\vec z = ({', '.join(_fmt(v) for v in z)})$ for three "
                f"classes. What probability does the softmax give to the {ordinal} class, $a_{j}$ (the entry for "
                f"$z_{j} = {_fmt(z[j])}$)? Answer within $\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=(f"Right: $e^{{{_fmt(z[j])}}} / (" + " + ".join(f"e^{{{_fmt(v)}}}" for v in z)
                + f") \\approx {answer:.4f}$."),
        wrong=wrong)


q2 = Number.variant("q2", _q2_make)


# --- q3: cross-entropy from huge logits, by hand --------------------------------------------------------


def _q3_make(rng) -> dict:
    tol = 1e-3
    while True:
        c = float(rng.integers(500, 1000))
        offsets = np.r_[0.0, -rng.choice(np.arange(1, 7), size=2, replace=False).astype(float)]
        rng.shuffle(offsets)
        z = c + offsets
        y = int(rng.choice([i for i in range(3) if offsets[i] < 0]))
        lse = float(np.log(np.exp(offsets).sum()))
        answer = -(offsets[y]) + lse
        top = int(np.argmax(z))
        wrong = [(-offsets[y], "That is $c - z_y$, the gap to the largest logit, without the "
                               "$\\log \\sum_l e^{z_l - c}$ term: the largest class does not have probability exactly 1."),
                 (answer / np.log(10), "That uses the base-10 logarithm; the cross-entropy uses the natural "
                                       "logarithm."),
                 (lse, f"That is $-\\log a$ of the class with the largest logit (class {top}); the loss uses the "
                       f"true class, $y = {y}$.")]
        if _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=(f"For one example, the network gives the logits $\\vec z = ({', '.join(_fmt(v) for v in z)})$ "
                f"for the classes 0, 1, 2, and its true class is $y = {y}$. What is its cross-entropy loss "
                "$-\\log a_y$ ($a$ = the softmax of $\\vec z$, natural logarithm)? Computing $e^{z}$ directly would "
                "overflow: work with $z_l - \\max_l z_l$. Answer within $\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=(f"Right: $-\\log a_y = -(z_y - c) + \\log \\sum_l e^{{z_l - c}}$ with $c = {_fmt(c)}$: "
                f"${_fmt(-offsets[y])} + \\log({' + '.join(f'e^{{{_fmt(o)}}}' for o in offsets)}) \\approx {answer:.4f}$."),
        wrong=wrong)


q3 = Number.variant("q3", _q3_make)


# --- q4: a shape of the backward pass ---------------------------------------------------------------------


def _q4_make(rng) -> dict:
    while True:
        m, n, h, k = int(rng.integers(20, 200)), int(rng.integers(4, 70)), int(rng.integers(5, 40)), int(rng.integers(3, 11))
        if len({m, n, h, k}) == 4:
            break
    return dict(
        prompt=(f"A network with one hidden layer: $X$ has shape ({m}, {n}) ($m = {m}$ examples, $n = {n}$ features), "
                f"$W_1$ ({n}, {h}), $W_2$ ({h}, {k}), so $A_1 = \\text{{relu}}(X W_1 + \\vec b_1)$ is ({m}, {h}) and the "
                f"logits $Z_2 = A_1 W_2 + \\vec b_2$ are ({m}, {k}). In the backward pass, what is the shape of "
                "$dA_1 = \\partial J / \\partial A_1$?"),
        answer=(m, h),
        reason=(f"Right: a gradient has the shape of what it differentiates; $dA_1 = dZ_2\\, W_2^T$ is ({m}, {k}) "
                f"times ({k}, {h}): ({m}, {h}), like $A_1$."),
        wrong=[((h, m), f"That is the transpose; $dA_1$ has the shape of $A_1$, one row per example: ({m}, {h})."),
               ((m, k), f"That is the shape of $dZ_2$, the gradient of the logits, one step later in the graph."),
               ((h, k), f"That is the shape of $dW_2$ (the shape of $W_2$); $dA_1$ is the gradient of the "
                        "activations, one row per example."),
               ((n, h), f"That is the shape of $dW_1$ (the shape of $W_1$).")])


q4 = Shape.variant("q4", _q4_make)


# --- q5: how many ReLU units does this function need (plot) ---------------------------------------------


def _q5_function(rng):
    """A sum of right-facing hinges plus a constant: flat on the left, `k` kinks."""
    k = int(rng.integers(2, 6))
    while True:
        kinks = np.sort(rng.uniform(-3, 3, size=k))
        if np.all(np.diff(kinks) >= 0.9):
            break
    while True:
        changes = rng.choice([-1, 1], size=k) * rng.uniform(0.8, 1.6, size=k)
        if np.all(np.abs(np.cumsum(changes)) <= 2):  # slopes the eye tells apart
            break
    const = float(rng.uniform(-1, 1))
    return k, kinks, changes, const


def _q5_figure(rng, ax) -> None:
    _, kinks, changes, const = _q5_function(rng)
    x = np.linspace(-4, 4, 801)
    f = const + sum(a * np.maximum(0, x - t) for a, t in zip(changes, kinks))
    ax.plot(x, f)
    ax.set_xlabel("input $x$")
    ax.set_ylabel("network output")
    ax.grid(True, alpha=0.3)
    ax.set_title("Output of a one-hidden-layer ReLU network")


def _q5_make(rng) -> dict:
    k, kinks, changes, const = _q5_function(rng)
    return dict(
        prompt=("The plot shows the output of a network with one input $x$, one hidden layer of ReLU units and a "
                "linear output unit, over $-4 \\le x \\le 4$ (flat to the left of the plot too). What is the "
                "**smallest** number of hidden units such a network needs to draw exactly this function?"),
        answer=k, tolerance=0.5,
        reason=(f"Right: each ReLU unit $\\max(0, wx + b)$ adds one kink, at $x = -b/w$; the curve has {k} kinks "
                f"(the output unit's bias gives the flat level on the left), so {k} units, one hinge per kink."),
        wrong=[(k + 1, f"That counts the straight pieces ({k + 1}); the units correspond to the kinks between them, "
                       "and the first, flat piece is the output unit's bias."),
               (1, "One ReLU unit is a single hinge: one kink. Every further kink needs another unit."),
               (2 * k, "Each unit makes one kink, not two: a hinge is flat, then straight.")],
        figure=_q5_figure)


q5 = Number.variant("q5", _q5_make)


# --- q6: starting every weight at the same value ----------------------------------------------------------

q6 = Single(
    "q6",
    prompt=("A network has one hidden layer of 25 ReLU units and a softmax output layer. You initialize every "
            "weight of both layers to the same value, 0.5, and every bias to 0, then train it with gradient "
            "descent. What happens to the hidden layer?"),
    options={
        "a": Option("Every unit computes the same output and gets the same gradient, so they stay identical: the "
                    "layer works like a single unit.",
                    "Right: nothing tells the units apart, so every step keeps them equal; random initial weights "
                    "break this symmetry."),
        "b": Option("Nothing can train: all the gradients are exactly 0.",
                    "With weights of 0.5 the gradients are not 0; the problem is that they are the same for every "
                    "unit of the layer, so the units never become different."),
        "c": Option("It trains normally, because the biases break the symmetry.",
                    "The biases all start at 0 too, and they get equal gradients as well: nothing breaks the "
                    "symmetry."),
        "d": Option("The network becomes a linear model.",
                    "The activations are still non-linear; the network is not linear, it just has 25 copies of "
                    "the same unit."),
    },
    answer="a")


# --- q7: the He initialization scale ---------------------------------------------------------------------


def _q7_make(rng) -> dict:
    tol = 5e-4
    while True:
        n_in = int(rng.choice([16, 25, 32, 50, 64, 100, 128, 200, 256, 400]))
        n_out = int(rng.choice([8, 10, 15, 20, 25, 40, 64]))
        answer = float(np.sqrt(2 / n_in))
        wrong = [(np.sqrt(1 / n_in), "That is $\\sqrt{1/n_{in}}$ (the scale for sigmoid or tanh layers); ReLU "
                                     "zeroes about half of the $z$, so He initialization doubles the variance: "
                                     "$\\sqrt{2/n_{in}}$."),
                 (2 / n_in, "That is the variance $2/n_{in}$; the standard deviation is its square root."),
                 (np.sqrt(2 / n_out), "That uses the number of units; each unit sums $n_{in}$ terms, and that "
                                      "count sets the scale: $\\sqrt{2/n_{in}}$.")]
        if n_in != n_out and _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=(f"A ReLU layer has $n_{{in}} = {n_in}$ inputs and {n_out} units. With He initialization, what is the "
                "standard deviation of the normal distribution its initial weights are drawn from? Answer within "
                "$\\pm 0.0005$."),
        answer=answer, tolerance=tol,
        reason=(f"Right: $\\sqrt{{2 / n_{{in}}}} = \\sqrt{{2/{n_in}}} \\approx {answer:.4f}$: it keeps the size of the "
                "activations about constant from layer to layer."),
        wrong=wrong)


q7 = Number.variant("q7", _q7_make)


# --- q8: which line of an initializer has the bug (the bug moves with the seed) --------------------------

_Q8_GOOD = {
    "2": "    params = {}",
    "3": "    for l in range(1, len(sizes)):",
    "4": "        n_in, n_out = sizes[l - 1], sizes[l]",
    "5": "        params[f\"W{l}\"] = rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))",
    "6": "        params[f\"b{l}\"] = np.zeros(n_out)",
    "7": "    return params",
}
_Q8_BAD = {
    "3": ("    for l in range(1, len(sizes) - 1):",
          "Right: `range(1, len(sizes) - 1)` stops one layer early: the output layer gets no parameters. It "
          "should be `range(1, len(sizes))`, one layer per pair of consecutive sizes."),
    "5": ("        params[f\"W{l}\"] = np.full((n_in, n_out), np.sqrt(2 / n_in))",
          "Right: `np.full` gives every weight the same value, so all the units of a layer stay identical "
          "(symmetry); the weights must be random: `rng.normal(0, np.sqrt(2 / n_in), ...)`."),
    "6": ("        params[f\"b{l}\"] = np.zeros(n_in)",
          "Right: a layer has one bias per unit, shape `(n_out,)`; `np.zeros(n_in)` has one per input."),
}
_Q8_FINE = {
    "2": "An empty dict to fill with `W1`, `b1`, `W2`, ...: nothing wrong here.",
    "3": "`range(1, len(sizes))` gives one layer per pair of consecutive sizes, the output layer included.",
    "4": "Layer $l$ reads the previous size and has `sizes[l]` units: correct.",
    "5": "Random normal weights with the He scale $\\sqrt{2/n_{in}}$, shape (n_in, n_out): correct.",
    "6": "One zero bias per unit, shape `(n_out,)`: correct (the random weights already break the symmetry).",
    "7": "Returns the filled dict: correct.",
}


def _q8_make(rng) -> dict:
    bug = ["3", "5", "6"][int(rng.integers(0, 3))]
    code = "1  def init_layers(sizes, rng):\n"
    options = {}
    for k, good in _Q8_GOOD.items():
        line = _Q8_BAD[k][0] if k == bug else good
        code += f"{k}  {line}\n"
        options[k] = Option(f"line {k}: `{line.strip()}`", _Q8_BAD[k][1] if k == bug else _Q8_FINE[k])
    return dict(
        prompt=("`init_layers(sizes, rng)` should set up a ReLU network with the layer sizes `sizes` (for example "
                "`[64, 25, 10]`: 64 inputs, layers of 25 and 10 units) for training: He-initialized weights "
                "`W1, W2, ...` of shape (n_in, n_out) and zero biases `b1, b2, ...`. Exactly one line is wrong. "
                "Which one? Answer with its number, e.g. `q8 = \"2\"`.\n\n"
                f"```python\n{code}```"),
        options=options, answer=bug)


q8 = Single.variant("q8", _q8_make)


# --- q9: why ReLU in hidden layers -------------------------------------------------------------------------

q9 = Multiple(
    "q9",
    prompt="Which are good reasons to use ReLU, $\\max(0, z)$, rather than the sigmoid in hidden layers? (choose all that apply)",
    options={
        "a": Option("Its slope is 1 for every $z > 0$, so it does not saturate there the way the sigmoid does.",
                    "Belongs: the sigmoid's slope is nearly 0 for large $|z|$, which makes gradient descent crawl; "
                    "ReLU passes the gradient unchanged wherever the unit is on."),
        "b": Option("It is cheap to compute.",
                    "Belongs: a comparison with 0, no exponential."),
        "c": Option("Its output can be read as a probability.",
                    "Does not belong: ReLU's output is any number $\\ge 0$; probabilities come from a sigmoid or "
                    "softmax output layer."),
        "d": Option("A ReLU unit always keeps learning, whatever its inputs.",
                    "Does not belong: a unit whose $z$ is negative for every example has slope 0 everywhere and "
                    "gets no gradient (a 'dead' unit); it keeps learning only while it is on for some examples."),
        "e": Option("It keeps the network linear, and linear networks are easier to train.",
                    "Does not belong: ReLU is non-linear (that is the point: stacked linear layers collapse into "
                    "one linear layer); its pieces are linear, its kink is not."),
    },
    answer={"a", "b"})


# --- q10: the output layer of a 10-class classifier ------------------------------------------------------

q10 = Single(
    "q10",
    prompt=("A network reads an image of a handwritten digit and must output, for the ten digits 0 to 9, ten "
            "probabilities that add up to 1. What should its output layer be?"),
    options={
        "a": Option("One unit with a ReLU activation, whose output is the digit.",
                    "That treats the classes as quantities on a scale (as if a 4 were 'between' a 3 and a 5), and "
                    "gives one number, not ten probabilities."),
        "b": Option("One sigmoid unit.",
                    "One sigmoid gives one probability, for a yes/no question; ten classes need ten outputs."),
        "c": Option("Ten units with the softmax activation.",
                    "Right: the softmax turns the ten logits into ten positive numbers that add up to 1, one per "
                    "class."),
        "d": Option("Ten units with the ReLU activation.",
                    "ReLU outputs are any numbers $\\ge 0$; nothing makes them add up to 1 (and they can all be 0)."),
    },
    answer="c")


# --- q11: backpropagation against finite differences ----------------------------------------------------

q11 = Single(
    "q11",
    prompt=("A network has a million parameters. Why is it trained with gradients from backpropagation rather "
            "than from finite differences $(J(w + \\varepsilon) - J(w - \\varepsilon)) / 2\\varepsilon$ for each "
            "parameter?"),
    options={
        "a": Option("Finite differences give wrong derivatives.",
                    "With a good $\\varepsilon$ central differences are accurate to about $10^{-10}$: that is why "
                    "they are used to check backpropagation."),
        "b": Option("Backpropagation does not need the chain rule, so it is simpler.",
                    "Backpropagation is the chain rule, applied from the output back to the input, one node at "
                    "a time."),
        "c": Option("Finite differences cannot handle ReLU.",
                    "They can, except within $\\varepsilon$ of the kink at 0, which random inputs make very unlikely; "
                    "the reason is cost, not ReLU."),
        "d": Option("One backward pass gives all million derivatives at about the cost of a forward pass; finite "
                    "differences need two cost evaluations per parameter, two million forward passes.",
                    "Right: the backward pass reuses each node's derivative for everything before it, so its cost "
                    "does not grow with the number of parameters the way finite differences do."),
    },
    answer="d")


# --- q12: what Adam adapts ------------------------------------------------------------------------------------

q12 = Single(
    "q12",
    prompt=("On a cost 100 times steeper along $w_2$ than along $w_1$, plain gradient descent must use a small "
            "learning rate (or it diverges along $w_2$) and then crawls along $w_1$. What does Adam do "
            "differently?"),
    options={
        "a": Option("It computes the exact second derivatives (the Hessian) and jumps to the minimum.",
                    "Adam uses only gradients, like gradient descent: moving averages of them and of their squares, "
                    "no second derivatives."),
        "b": Option("It scales each parameter's step by a running estimate of the size of its own gradients, so "
                    "every parameter moves by about $\\alpha$ per step.",
                    "Right: dividing the smoothed gradient by its typical size makes the step along the steep "
                    "and the flat direction comparable, so neither limits the other."),
        "c": Option("It picks a random mini-batch at each step.",
                    "That is mini-batch training, which works with plain gradient descent as well; Adam is about "
                    "the size of each parameter's step."),
        "d": Option("It lowers the learning rate at every step until the cost stops changing.",
                    "Adam's $\\alpha$ stays fixed; what adapts is each parameter's step, through the moving "
                    "averages of its gradients."),
    },
    answer="b")


QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11, q12]

define_checks(globals(), QUESTIONS)
