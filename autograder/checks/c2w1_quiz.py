"""The quiz of c2w1 (neural network forward propagation): the question bank, its answer key and
every explanation. The questions are about the week's ideas (a neuron as logistic regression, how a
layer stores its parameters, the shapes of a batch, what a second layer adds); none shows a graded
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


def _matrix(M) -> str:
    rows = " \\\\ ".join(" & ".join(_fmt(v) for v in row) for row in np.atleast_2d(M))
    return f"\\begin{{pmatrix}} {rows} \\end{{pmatrix}}"


def _sizes(rng, k: int) -> list[int]:
    """k distinct layer sizes (an input size and k - 1 layers)."""
    while True:
        sizes = [int(rng.choice([64, 100, 784, 30, 50]))] + [
            int(rng.integers(lo, hi)) for lo, hi in [(16, 41), (6, 16), (1, 6)][-(k - 1):]]
        if len(set(sizes)) == k:
            return sizes


# --- q1: counting a network's parameters -----------------------------------------------------------


def _q1_make(rng) -> dict:
    sizes = _sizes(rng, 4)
    pairs = list(zip(sizes[:-1], sizes[1:]))
    weights = sum(a * b for a, b in pairs)
    biases = sum(b for _, b in pairs)
    answer = weights + biases
    arrow = " \\to ".join(str(s) for s in sizes)
    return dict(
        prompt=(f"A network reads {sizes[0]} input features and has three dense layers of {sizes[1]}, {sizes[2]} and "
                f"{sizes[3]} unit{'s' if sizes[3] != 1 else ''} (sizes ${arrow}$). How many parameters (weights and biases) does it have in all?"),
        answer=answer, tolerance=0.5,
        reason=(f"Right: each layer has n_in × n_units weights and n_units biases: "
                + " + ".join(f"({a}·{b} + {b})" for a, b in pairs) + f" = {answer}."),
        wrong=[(weights, "That counts the weights only: every unit also has its own bias, one per unit of each "
                         "layer."),
               (answer + sizes[0], "That gives the inputs biases too; the input layer is just the data, with no "
                                   "parameters: biases belong to the units of the three layers."),
               (sum(a * b for a, b in pairs) + sum(a for a, _ in pairs),
                "That counts one bias per *input* of each layer; a layer has one bias per *unit* (n_units of them).")],
        hint="Count layer by layer: the weights of a layer connect each of its inputs to each of its units.")


q1 = Number.variant("q1", _q1_make)


# --- q2: the shape of a layer's weight matrix -------------------------------------------------------


def _q2_make(rng) -> dict:
    sizes = _sizes(rng, 4)
    n0, n1, n2, n3 = sizes
    arrow = " \\to ".join(str(s) for s in sizes)
    return dict(
        prompt=(f"A network has the layer sizes ${arrow}$ ({n0} inputs, then dense layers of {n1}, {n2} and {n3} "
                f"unit{'s' if n3 != 1 else ''}). With the course's convention (one column of weights per unit), what is the shape of "
                "$W^{[2]}$, the weight matrix of the **second** layer?"),
        answer=(n1, n2),
        reason=(f"Right: the second layer reads the {n1} outputs of the first and has {n2} units: shape "
                f"(n_in, n_units) = ({n1}, {n2})."),
        wrong=[((n2, n1), "That is the transpose: the course stores $W$ as (n_in, n_units), unit $j$'s weights in "
                          "column $j$ (as scikit-learn and TensorFlow do)."),
               ((n0, n1), "That is the first layer's $W^{[1]}$, which reads the inputs."),
               ((n2, n3), "That is the third layer's $W^{[3]}$."),
               ((n2,), f"That is the shape of the second layer's bias vector $\\vec b^{{[2]}}$, one per unit.")])


q2 = Shape.variant("q2", _q2_make)


# --- q3: where a unit's weights live -------------------------------------------------------------------

q3 = Single(
    "q3",
    prompt=("A dense layer stores its weights in `W` of shape (n_in, n_units) and its biases in `b` of shape "
            "(n_units,), as in the course. Where are the weights of unit 2 (the third unit, counting from 0)?"),
    options={
        "a": Option("`W[2]`, the row with index 2.",
                    "Row 2 holds the weights that connect input 2 to every unit, not the weights of one unit."),
        "b": Option("`W[:, 2]`, the column with index 2.",
                    "Right: unit $j$'s weight vector is column $j$ of $W$, one weight per input."),
        "c": Option("`W[2, 2]`.",
                    "That is a single number: the weight connecting input 2 to unit 2; the unit has one weight "
                    "per input."),
        "d": Option("`b[2]`.",
                    "That is unit 2's bias, a single number; its weights are a vector with one entry per input."),
    },
    answer="b")


# --- q4: forward propagation through a 2-2-1 network, by hand --------------------------------------


def _q4_make(rng) -> dict:
    tol = 1e-3
    while True:
        x = rng.integers(-1, 3, size=2).astype(float)
        W1 = rng.integers(-2, 3, size=(2, 2)).astype(float)
        b1 = rng.integers(-2, 3, size=2).astype(float)
        W2 = rng.choice([-2.0, -1.0, 1.0, 2.0], size=2)
        b2 = float(rng.integers(-2, 3))
        if np.allclose(W1, W1.T) or np.all(x == 0):
            continue
        z1 = x @ W1 + b1
        a1 = _sigmoid(z1)
        z2 = float(a1 @ W2 + b2)
        answer = float(_sigmoid(z2))
        transposed = float(_sigmoid(_sigmoid(x @ W1.T + b1) @ W2 + b2))
        linear_hidden = float(_sigmoid(z1 @ W2 + b2))
        wrong = [(transposed, "That uses the rows of $W^{[1]}$ as the units' weights; unit $j$'s weights are column "
                              "$j$, so $z_j = \\vec x \\cdot W^{[1]}_{:,j} + b_j$."),
                 (linear_hidden, "That skips the hidden layer's activation: the output unit reads "
                                 "$\\vec a^{[1]} = g(\\vec z^{[1]})$, not $\\vec z^{[1]}$."),
                 (z2, "That is $z^{[2]}$, before the output unit's sigmoid: the output is $a^{[2]} = g(z^{[2]})$.")]
        if abs(z2) < 3 and _separated([answer] + [v for v, _ in wrong], tol):
            break
    return dict(
        prompt=("A network with two inputs, one hidden layer of two sigmoid units and one sigmoid output unit has "
                f"$W^{{[1]}} = {_matrix(W1)}$ (column $j$ holds unit $j$'s weights), "
                f"$\\vec b^{{[1]}} = ({_fmt(b1[0])}, {_fmt(b1[1])})$, "
                f"$W^{{[2]}} = {_matrix(W2.reshape(2, 1))}$ and $b^{{[2]}} = {_fmt(b2)}$. What does it output for "
                f"$\\vec x = ({_fmt(x[0])}, {_fmt(x[1])})$? The sigmoid is $g(z) = 1/(1 + e^{{-z}})$. Answer within "
                "$\\pm 0.001$."),
        answer=answer, tolerance=tol,
        reason=(f"Right: $\\vec z^{{[1]}} = ({_fmt(z1[0])}, {_fmt(z1[1])})$, $\\vec a^{{[1]}} \\approx "
                f"({a1[0]:.4f}, {a1[1]:.4f})$, $z^{{[2]}} \\approx {z2:.4f}$ and $a^{{[2]}} = g(z^{{[2]}}) "
                f"\\approx {answer:.4f}$."),
        wrong=wrong)


q4 = Number.variant("q4", _q4_make)


# --- q5: read a unit's weights off the plot of its output (plot) -----------------------------------


def _q5_params(rng):
    """The unit of the plot: its boundary is feature `axis` = c, and it is on for larger (sign +1) or
    smaller (sign -1) values of that feature."""
    axis = int(rng.integers(0, 2))
    c = float(rng.choice([-2, -1, 1, 2]))
    sign = float(rng.choice([-1, 1]))
    k = 3.0
    w = np.zeros(2)
    w[axis] = sign * k
    b = -sign * k * c
    return w, b, axis, c, sign


def _q5_figure(rng, ax) -> None:
    w, b, *_ = _q5_params(rng)
    g = np.linspace(-4, 4, 201)
    x0, x1 = np.meshgrid(g, g)
    a = _sigmoid(w[0] * x0 + w[1] * x1 + b)
    im = ax.imshow(a, origin="lower", extent=(-4, 4, -4, 4), vmin=0, vmax=1, cmap="viridis")
    ax.figure.colorbar(im, ax=ax, label="output $a$")
    ax.contour(x0, x1, a, levels=[0.5], colors="white", linestyles="dashed")
    ax.set_xlabel("$x_0$")
    ax.set_ylabel("$x_1$")
    ax.set_xticks(range(-4, 5))
    ax.set_yticks(range(-4, 5))
    ax.grid(True, alpha=0.3)
    ax.set_title("$a = g(w_0 x_0 + w_1 x_1 + b)$ of one sigmoid unit")


def _wb(w, b) -> str:
    return f"$\\vec w = ({_fmt(w[0])}, {_fmt(w[1])})$, $b = {_fmt(b)}$"


def _q5_make(rng) -> dict:
    w, b, axis, c, sign = _q5_params(rng)
    other = np.zeros(2)
    other[1 - axis] = w[axis]
    feat = f"x_{axis}"
    side = "larger" if sign > 0 else "smaller"
    kinds = {
        "right": (_wb(w, b), f"Right: $z = {_fmt(w[axis])}\\,({feat} {'-' if c > 0 else '+'} {_fmt(abs(c))})$ is 0 on the line ${feat} = {_fmt(c)}$ "
                             f"and positive for {side} ${feat}$, where the plot is bright (near 1)."),
        "flipped": (_wb(-w, -b), f"Same line ${feat} = {_fmt(c)}$, but the unit would be on for the other side: "
                                 "negating $\\vec w$ and $b$ flips which side has $a$ near 1."),
        "axis": (_wb(other, b), f"These weights make $z$ depend on $x_{1 - axis}$ instead of ${feat}$: the boundary "
                                f"would be the line $x_{1 - axis} = {_fmt(c)}$, perpendicular to the one in the plot."),
        "bias": (_wb(w, -b), f"The bias has the wrong sign: the boundary would be at ${feat} = {_fmt(-c)}$, where "
                             f"$z = w_{axis}{feat} + b = 0$."),
    }
    order = list(kinds)
    perm = rng.permutation(4)
    options, answer = {}, None
    for key, idx in zip("abcd", perm):
        kind = order[int(idx)]
        options[key] = Option(*kinds[kind])
        if kind == "right":
            answer = key
    return dict(
        prompt=("The plot shows the output $a = g(w_0 x_0 + w_1 x_1 + b)$ of one sigmoid unit over the plane "
                "(bright: $a$ near 1, dark: near 0). Which weights and bias does the unit have?"),
        options=options, answer=answer, figure=_q5_figure)


q5 = Single.variant("q5", _q5_make)


# --- q6: what a hidden layer makes possible --------------------------------------------------------------

q6 = Single(
    "q6",
    prompt=("Which region of the plane can be the region $a \\ge 0.5$ of a network with one hidden layer of "
            "three sigmoid units and a sigmoid output unit, but **not** of a single sigmoid unit?"),
    options={
        "a": Option("The half-plane $x_0 > 2$.",
                    "A single unit draws this one already: $a = g(w(x_0 - 2))$ with $w > 0$."),
        "b": Option("The half-plane above the line $x_1 = 3 x_0 - 1$.",
                    "Any half-plane bounded by a straight line is the region of a single unit: "
                    "$z = x_1 - 3x_0 + 1$."),
        "c": Option("A triangle.",
                    "Right: a single unit's region is always a half-plane; three hidden units draw the three "
                    "sides, and the output unit combines them (a smooth AND), as in the coffee-roasting network."),
        "d": Option("None: a single unit draws any region if its weights are large enough.",
                    "Large weights make a unit's switch sharper, but its boundary $\\vec w \\cdot \\vec x + b = 0$ is "
                    "always one straight line."),
    },
    answer="c")


# --- q7: the matrix form of a layer ----------------------------------------------------------------------

q7 = Multiple(
    "q7",
    prompt=("A layer is computed for a batch of $m$ examples at once, from the input matrix $A_{in}$ of shape "
            "(m, n_in), with one matrix product. Which statements are true? (choose all that apply)"),
    options={
        "a": Option("It is faster than loops mainly because a matrix product needs fewer multiplications.",
                    "Does not belong: the product does exactly the same multiplications; it is fast because the "
                    "work runs in compiled, vectorized code without Python's overhead for every number."),
        "b": Option("Row $i$ of the layer's output is the layer's output for example $i$.",
                    "Belongs: row $i$ of $A_{in}$ times column $j$ of $W$ is example $i$'s weighted sum for unit $j$."),
        "c": Option("Adding the bias vector of shape (n_units,) to the (m, n_units) matrix of weighted sums adds "
                    "$b_j$ to every entry of column $j$.",
                    "Belongs: numpy broadcasts the vector over the rows, so every example gets unit $j$'s bias."),
        "d": Option("It computes slightly different values from a loop over units, so it must be checked by "
                    "training.",
                    "Does not belong: it computes the same weighted sums, equal up to rounding in the last digits."),
        "e": Option("Through a network, the number of rows stays $m$ from layer to layer; only the number of "
                    "columns changes.",
                    "Belongs: each layer maps (m, n_in) to (m, n_units): the examples stay the rows."),
    },
    answer={"b", "c", "e"})


# --- q8: which line of bump has the bug (the bug moves with the seed) -------------------------------

_Q8_GOOD = {
    "2": "    a1 = sigmoid(10 * (x + 1))    # switches on at x = -1",
    "3": "    a2 = sigmoid(10 * (x - 1))    # switches on at x = 1",
    "4": "    return a1 - a2",
}
_Q8_BAD = {
    "2": ("    a1 = sigmoid(10 * (x - 1))    # switches on at x = -1",
          "Right: `10 * (x - 1)` is 0 at $x = 1$, so `a1` switches on at 1, not at $-1$ as its comment says; "
          "`a1` and `a2` are then the same step and the output is 0 everywhere."),
    "3": ("    a2 = sigmoid(-10 * (x - 1))   # switches on at x = 1",
          "Right: the negative weight makes `a2` switch **off** at $x = 1$ (near 1 on the left, 0 on the right), "
          "so `a1 - a2` is about $-1$ left of $-1$, 0 in the middle and 1 on the right."),
    "4": ("    return a1 + a2",
          "Right: adding the two steps gives a staircase (0, then 1, then 2); the bump is the first step minus "
          "the second, on only between them."),
}
_Q8_FINE = {
    "2": "`sigmoid(10 * (x + 1))` is 0.5 at $x = -1$ and near 1 to its right: it switches on at $-1$, as its comment says.",
    "3": "`sigmoid(10 * (x - 1))` switches on at $x = 1$, as its comment says.",
    "4": "`a1 - a2` is on where the first step is on and the second not yet: between $-1$ and 1.",
}


def _q8_make(rng) -> dict:
    bug = ["2", "3", "4"][int(rng.integers(0, 3))]
    code = "1  def bump(x):\n"
    options = {}
    for k in ["2", "3", "4"]:
        line = _Q8_BAD[k][0] if k == bug else _Q8_GOOD[k]
        code += f"{k}  {line}\n"
        options[k] = Option(f"line {k}: `{line.split('#')[0].strip()}`", _Q8_BAD[k][1] if k == bug else _Q8_FINE[k])
    return dict(
        prompt=("Two sigmoid units of a first layer and an output unit that subtracts them should make a *bump*: "
                "`bump(x)` should be about 1 for $-1 < x < 1$ and about 0 elsewhere (`sigmoid(z)` is "
                "$1/(1 + e^{-z})$, element by element). The comments say what each unit is meant to do, and exactly one line is wrong. Which one? Answer with its "
                "number, e.g. `q8 = \"2\"`.\n\n"
                f"```python\n{code}```"),
        options=options, answer=bug)


q8 = Single.variant("q8", _q8_make)


# --- q9: what an output unit computes from three hidden units -----------------------------------------

_ALL_ON = float(_sigmoid(3 * 10 - 25))
_TWO_ON = float(_sigmoid(2 * 10 - 25))

q9 = Single(
    "q9",
    prompt=("Three hidden sigmoid units each output about 0 or about 1. The output unit reads them with the "
            "weights $(10, 10, 10)$ and the bias $-25$, and a sigmoid. What does it compute, approximately?"),
    options={
        "a": Option("OR: on when at least one hidden unit is on.",
                    f"With one unit on, $z = 10 - 25 = -15$ and the output is about 0. An OR would need a bias "
                    f"between $-10$ and 0."),
        "b": Option("Majority: on when at least two hidden units are on.",
                    f"With two units on, $z = 20 - 25 = -5$: the output is only {_TWO_ON:.3f}, off."),
        "c": Option("AND: on only when all three hidden units are on.",
                    f"Right: all three on gives $z = 30 - 25 = 5$, output {_ALL_ON:.3f}; two on gives $z = -5$, "
                    f"output {_TWO_ON:.3f}: it switches on only when the sum exceeds 2.5."),
        "d": Option("Exactly one: on when exactly one hidden unit is on.",
                    "With positive weights, turning more hidden units on can only raise $z$; a unit of this kind "
                    "cannot switch off again as more inputs switch on."),
    },
    answer="c")


# --- q10: scaling a unit's weights ----------------------------------------------------------------------

q10 = Single(
    "q10",
    prompt=("A sigmoid unit has the weights $\\vec w$ and the bias $b$. You multiply all of them by 10. What "
            "changes in its output over the input space?"),
    options={
        "a": Option("The boundary $a = 0.5$ stays where it is; the switch from 0 to 1 across it becomes sharper.",
                    "Right: $10\\vec w \\cdot \\vec x + 10b = 0$ is the same line, and $|z|$ grows ten times "
                    "faster away from it, so the sigmoid saturates sooner."),
        "b": Option("The boundary moves ten times farther from the origin.",
                    "The boundary is where $\\vec w \\cdot \\vec x + b = 0$; multiplying both sides by 10 leaves the "
                    "same points."),
        "c": Option("The output can now exceed 1 for inputs far from the boundary.",
                    "A sigmoid stays between 0 and 1 whatever its input."),
        "d": Option("Nothing at all.",
                    "The boundary stays, but the output near it changes: the transition becomes ten times "
                    "narrower."),
    },
    answer="a")


# --- q11: what a single neuron is -----------------------------------------------------------------------------

q11 = Multiple(
    "q11",
    prompt=("Which statements about a single neuron $a = g(\\vec w \\cdot \\vec x + b)$ with two inputs are true? "
            "(choose all that apply)"),
    options={
        "a": Option("With the sigmoid activation it is the model of logistic regression.",
                    "Belongs: $g(\\vec w \\cdot \\vec x + b)$ with the sigmoid is exactly logistic regression's "
                    "$f_{\\vec w, b}$; with scikit-learn's fitted weights it gives the same probabilities."),
        "b": Option("With the sigmoid activation it can output a value above 1 for a very confident example.",
                    "Does not belong: the sigmoid maps every $z$ into $(0, 1)$."),
        "c": Option("With the sigmoid activation, the inputs where $a \\ge 0.5$ form a half-plane bounded by a "
                    "straight line.",
                    "Belongs: $a \\ge 0.5$ exactly when $\\vec w \\cdot \\vec x + b \\ge 0$, one side of a line."),
        "d": Option("With well-chosen weights it computes the XOR of two binary inputs.",
                    "Does not belong: XOR's 1s, $(0, 1)$ and $(1, 0)$, cannot be split from its 0s, $(0, 0)$ and "
                    "$(1, 1)$, by one straight line; it needs a hidden layer."),
        "e": Option("With the linear activation $g(z) = z$ it is the model of linear regression.",
                    "Belongs: $a = \\vec w \\cdot \\vec x + b$ is $f_{\\vec w, b}(\\vec x)$ of course 1."),
    },
    answer={"a", "c", "e"})


QUESTIONS = [q1, q2, q3, q4, q5, q6, q7, q8, q9, q10, q11]

define_checks(globals(), QUESTIONS)
