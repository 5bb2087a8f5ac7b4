"""Quiz bank of module c3w3-dqn: deep Q-learning.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q3,
q9) draw their numbers from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks


# ---------------------------------------------------------------------------------------------
# q1: a soft update by hand (seeded).


def _q1(rng: np.random.Generator) -> dict:
    tol = 1e-3
    tau = float(rng.choice([0.01, 0.05, 0.1, 0.2]))
    w_target = float(rng.integers(-20, 20)) / 10
    w_online = w_target + float(rng.choice([-3.0, -2.0, 2.0, 4.0]))
    new = tau * w_online + (1 - tau) * w_target
    wrong = keep_distinct(new, tol, [
        ((1 - tau) * w_online + tau * w_target, "The weights are swapped: the target network moves only a small step "
                                                "$\\tau$ towards the online one, $\\tau w + (1 - \\tau) w^-$."),
        (w_online, "That is a hard copy of the online weight ($\\tau = 1$); a soft update blends the two."),
        (w_target, "That leaves the target weight unchanged; it moves a fraction $\\tau$ of the gap each step."),
        (w_target + tau * w_online, "The factor $(1 - \\tau)$ on the target weight is missing."),
    ])
    return dict(
        prompt=(f"A weight of the target network is $w^- = {w_target:g}$ and the same weight of the online network is "
                f"$w = {w_online:g}$. After one soft update with $\\tau = {tau:g}$, what is $w^-$? Give three decimals."),
        answer=round(new, 6), tolerance=tol,
        reason=f"Right: $\\tau w + (1 - \\tau) w^- = {tau:g} \\cdot {w_online:g} + {1 - tau:g} \\cdot {w_target:g} = {new:.3f}$.",
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: epsilon at a step (seeded; some seeds land on the floor).


def _q2(rng: np.random.Generator) -> dict:
    tol = 1e-3
    decay = float(rng.choice([0.99, 0.995, 0.999]))
    eps_end = float(rng.choice([0.01, 0.05, 0.1]))
    step = int(rng.choice([50, 100, 200, 500, 1000]))
    eps = max(eps_end, decay**step)
    wrong = keep_distinct(eps, tol, [
        (decay**step, "That forgets the floor: epsilon never falls below $\\varepsilon_{\\text{end}}$."),
        (min(eps_end, decay**step), "min where max belongs: that is at most the floor from the very first step."),
        (max(eps_end, decay ** (step + 1)), "The exponent is off by one: at step 0 epsilon is $\\varepsilon_{\\text{start}}$ itself."),
        (eps_end + (1 - eps_end) * decay**step, "That decays the distance above the floor; the schedule here is "
                                                "$\\max(\\varepsilon_{\\text{end}}, \\varepsilon_{\\text{start}}\\,\\text{decay}^t)$."),
    ])
    return dict(
        prompt=(f"An epsilon schedule is $\\varepsilon_t = \\max(\\varepsilon_{{\\text{{end}}}}, \\varepsilon_{{\\text{{start}}}}"
                f"\\,\\text{{decay}}^t)$ with $\\varepsilon_{{\\text{{start}}}} = 1$, $\\varepsilon_{{\\text{{end}}}} = {eps_end:g}$ "
                f"and decay $= {decay:g}$. What is epsilon at step $t = {step}$? Give three decimals."),
        answer=round(eps, 6), tolerance=tol,
        reason=(f"Right: ${decay:g}^{{{step}}} = {decay**step:.4f}$, and the larger of it and the floor {eps_end:g} is "
                f"{eps:.3f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q3: the DQN loss of a two-transition batch (seeded).


def _q3(rng: np.random.Generator) -> dict:
    tol = 2e-3
    gamma = 0.9
    q_online = rng.integers(0, 10, size=(2, 2)).astype(float)
    q_next = rng.integers(0, 10, size=(2, 2)).astype(float)
    actions = np.array([int(rng.integers(2)), int(rng.integers(2))])
    rewards = np.array([1.0, float(rng.choice([0.0, 1.0, 2.0]))])
    dones = np.array([0.0, 1.0])
    y = rewards + gamma * (1 - dones) * q_next.max(axis=1)
    q_sa = q_online[np.arange(2), actions]
    loss = float(np.mean((q_sa - y) ** 2))
    y_nodone = rewards + gamma * q_next.max(axis=1)
    y_online = rewards + gamma * (1 - dones) * q_online.max(axis=1)
    wrong = keep_distinct(loss, tol, [
        (float(np.sum((q_sa - y) ** 2)), "That is the sum; the loss is the mean over the batch."),
        (loss / 2, "That has a 1/2; this loss is the plain mean squared error."),
        (float(np.mean((q_sa - y_nodone) ** 2)), "The second transition ended its episode: its target is its reward "
                                                 "alone, $(1 - \\text{done}) = 0$."),
        (float(np.mean((q_sa - y_online) ** 2)), "The targets use the target network's values at the next states, "
                                                 "not the online network's values at the current ones."),
        (float(np.mean((q_online.max(axis=1) - y) ** 2)), "The prediction is the value of the action taken, "
                                                          "$Q(s_i, a_i)$, not the best value of the state."),
    ])
    show = lambda a: "\\begin{bmatrix}" + " \\\\ ".join(" & ".join(f"{v:g}" for v in row) for row in a) + "\\end{bmatrix}"
    return dict(
        prompt=(f"A mini-batch of two transitions. The online network's values at the states are "
                f"$Q(s_i, \\cdot) = {show(q_online)}$ (row $i$, one column per action), the target network's values at "
                f"the next states are $Q^-(s'_i, \\cdot) = {show(q_next)}$, the actions taken are "
                f"$a = ({actions[0]}, {actions[1]})$, the rewards $r = ({rewards[0]:g}, {rewards[1]:g})$, and the second "
                f"transition ended its episode (done $= (0, 1)$). With $\\gamma = {gamma:g}$, what is the DQN loss "
                "$L = \\frac{1}{m}\\sum_i (Q(s_i, a_i) - y_i)^2$? Give three decimals."),
        answer=round(loss, 6), tolerance=tol,
        reason=(f"Right: the targets are $y = ({y[0]:g}, {y[1]:g})$, the predictions $Q(s_i, a_i) = ({q_sa[0]:g}, "
                f"{q_sa[1]:g})$, and the mean of the squared differences is {loss:.3f}."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q9: the number of parameters of a Q-network (seeded).


def _q9(rng: np.random.Generator) -> dict:
    n_in = int(rng.choice([4, 6, 8]))
    hidden = int(rng.choice([16, 32, 64]))
    k = int(rng.choice([2, 3, 4]))
    total = n_in * hidden + hidden + hidden * k + k
    wrong = [
        (n_in * hidden + hidden * k, "That counts the weights only; each unit of both layers also has a bias."),
        (n_in * hidden + hidden, "That is the hidden layer only; the output layer has weights and biases too."),
        (n_in * hidden * k, "The layers' parameters add up, they do not multiply."),
        ((n_in + 1) * hidden + (hidden + 1) * k + hidden, "A ReLU has no parameters of its own."),
    ]
    return dict(
        prompt=(f"A Q-network takes a state of {n_in} numbers, has one hidden layer of {hidden} ReLU units and one "
                f"linear output per action, for {k} actions. How many parameters (weights and biases) does it have? "
                "A whole number."),
        answer=total, tolerance=0,
        reason=f"Right: ${n_in} \\cdot {hidden} + {hidden} + {hidden} \\cdot {k} + {k} = {total}$.",
        wrong=keep_distinct(total, 0.25, wrong))


QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Number.variant("q3", _q3),
    Shape(
        "q4",
        prompt=("The online network's output for a mini-batch of 64 states of the cart-pole (2 actions) is `q_online`, "
                "of shape `(64, 2)`. What is the shape of `dL_dq`, the gradient of the DQN loss with respect to that "
                "output? Answer with a tuple, e.g. `(3, 5)`."),
        answer=(64, 2),
        reason="Right: a gradient has the shape of what it is taken with respect to; in each row only the entry of the "
               "action taken is non-zero.",
        wrong=[((64,), "That is the shape of the chosen values $Q(s_i, a_i)$; the gradient is with respect to every "
                       "output, the ones not in the loss getting 0."),
               ((2,), "That would be one number per action; the gradient has one entry per output, per example."),
               ((64, 1), "Every action's output gets an entry (0 for the actions not taken), so two columns."),
               ((), "The loss is one number; its gradient with respect to a (64, 2) array is a (64, 2) array.")]),
    Single(
        "q5",
        prompt="Why does DQN train on random mini-batches drawn from a replay buffer, rather than on the latest steps?",
        options={
            "a": Option("Consecutive steps are strongly correlated; random batches from many episodes are closer to "
                        "independent examples, and each transition is reused many times.",
                        "Right: replay breaks the correlation between consecutive transitions and reuses experience."),
            "b": Option("Random batches make each gradient step cheaper to compute.",
                        "A batch of 32 costs the same whether its rows are random or consecutive."),
            "c": Option("The buffer lets the agent skip the epsilon-greedy exploration.",
                        "Exploration still chooses the actions; replay only changes what the network learns from."),
            "d": Option("Replay makes the targets exact, so no target network is needed.",
                        "The targets still come from the network's own estimates; replay and the target network "
                        "solve different problems."),
        },
        answer="a"),
    Single(
        "q6",
        prompt="What is the target network for?",
        options={
            "a": Option("It picks the actions the agent takes.",
                        "The online network (with epsilon-greedy) acts; the target network only computes targets."),
            "b": Option("It computes the targets $y = r + \\gamma \\max_{a'} Q^-(s', a')$ with parameters that change "
                        "slowly, so the targets do not move with every gradient step of the online network.",
                        "Right: a slowly trailing copy keeps the regression targets nearly fixed while the online "
                        "network fits them."),
            "c": Option("It is a second network averaged with the first to reduce variance at test time.",
                        "At test time only the online network's greedy action is used."),
            "d": Option("It stores the replay buffer.",
                        "The buffer is a separate store of transitions; networks hold parameters."),
        },
        answer="b"),
    Multiple(
        "q7",
        prompt="Which of these statements about a soft update $w^- \\leftarrow \\tau w + (1 - \\tau) w^-$ are true? "
               "(Choose all that apply.)",
        options={
            "a": Option("With $\\tau = 1$ it is a hard copy of the online network.",
                        "True: $1 \\cdot w + 0 \\cdot w^- = w$."),
            "b": Option("The smaller $\\tau$, the more slowly the target network follows the online one.",
                        "True: each step closes a fraction $\\tau$ of the gap."),
            "c": Option("It is applied to the weights only; the biases are copied.",
                        "False: every parameter array, biases included, is blended the same way."),
            "d": Option("With $\\tau = 0.01$, half the gap to a fixed online network is closed after about 69 steps.",
                        "True: $(1 - 0.01)^{69} \\approx 0.5$, i.e. $\\ln 2 / -\\ln 0.99 \\approx 69$."),
            "e": Option("It moves the online network towards the target network.",
                        "False: the online network is trained by gradient descent; the update moves the target network."),
        },
        answer={"a", "b", "d"},
        reason="Right: (a), (b) and (d)."),
    Single(
        "q8",
        prompt=("The cart-pole cuts an episode off after 200 steps even though the pole is still up. How should the "
                "last transition of such an episode be stored for the DQN target?"),
        options={
            "a": Option("With done = 1, since the episode ended.",
                        "done = 1 would tell the network that nothing follows this state, so its value would be the "
                        "reward alone; the pole did not fall, the time limit only stopped the run."),
            "b": Option("With done = 0: the state is not terminal, so the target keeps $\\gamma \\max_{a'} Q(s', a')$.",
                        "Right: a time limit is not a terminal state; its future value still counts."),
            "c": Option("It should not be stored at all.",
                        "It is a valid transition with a valid next state; dropping it only loses data."),
            "d": Option("With reward 0 instead of 1.",
                        "The step was survived like any other; changing its reward changes the problem."),
        },
        answer="b"),
    Number.variant("q9", _q9),
    Single(
        "q10",
        prompt=("Why does deep Q-learning use a neural network instead of a table of $Q(s, a)$ for the cart-pole?"),
        options={
            "a": Option("The state is four real numbers: a table would need a grid over them, which grows as "
                        "bins$^4$, is mostly never visited, and learns nothing about a cell from its neighbours.",
                        "Right: a function of the state generalises between nearby states; a table cannot."),
            "b": Option("A network computes the exact $Q^*$, a table only an approximation.",
                        "A network is an approximation too; its advantage is that it generalises."),
            "c": Option("Tables cannot be updated with the Bellman equation.",
                        "c3w3's Q-learning updated a table with exactly that equation."),
            "d": Option("The cart-pole has too many actions for a table.",
                        "It has two actions; the difficulty is the continuous state."),
        },
        answer="a"),
]

define_checks(globals(), QUESTIONS)
