"""Quiz bank of module c3w3: reinforcement learning.

Every number a prompt states and every key is computed here; the seeded questions (q1, q2, q3,
q4, q9) draw their numbers, or the line of the bug, from the quiz seed.
"""

from __future__ import annotations

import numpy as np

from autograder.quiz.authoring import answer_at, bug_line, code_block, keep_distinct
from autograder.quiz import Multiple, Number, Option, Shape, Single, define_checks

# ---------------------------------------------------------------------------------------------
# Helpers.


def _rover_q(gamma: float) -> np.ndarray:
    """Q[s, a] of the Mars rover of the lessons (states 1..6 as rows 0..5, a = 0 left, 1 right;
    R = 100 in state 1 and 40 in state 6, both terminal), by repeating the Bellman equation."""
    R = np.array([100.0, 0, 0, 0, 0, 40.0])
    Q = np.zeros((6, 2))
    for _ in range(100):
        V = Q.max(axis=1)
        new = np.empty_like(Q)
        for s in range(6):
            if s in (0, 5):
                new[s] = R[s]
            else:
                new[s, 0] = R[s] + gamma * V[s - 1]
                new[s, 1] = R[s] + gamma * V[s + 1]
        Q = new
    return Q


# ---------------------------------------------------------------------------------------------
# q1: the discounted return (seeded).


def _q1(rng: np.random.Generator) -> dict:
    tol = 2e-3
    while True:
        T = int(rng.integers(4, 6))
        rewards = rng.choice([-1.0, 0.0, 0.0, 1.0, 2.0, 5.0], size=T)
        rewards[-1] = float(rng.choice([10.0, 20.0, 50.0]))
        gamma = float(rng.choice([0.5, 0.8, 0.9]))
        G = float(np.sum(gamma ** np.arange(T) * rewards))
        reversed_ = float(np.sum(gamma ** np.arange(T)[::-1] * rewards))
        if abs(G - reversed_) > 0.1:
            break
    wrong = keep_distinct(G, tol, [
        (float(rewards.sum()), "That adds the rewards without discounting them; each reward is multiplied by "
                               "$\\gamma$ once per step of waiting."),
        (gamma * G, "That discounts the first reward too; $r_0$ is not discounted ($\\gamma^0 = 1$), $r_1$ is "
                    "multiplied by $\\gamma$, and so on."),
        (reversed_, "The discounts are the wrong way round: the *last* reward is the one discounted most, "
                    "$\\gamma^{T-1}$, and the first is not discounted."),
        (float(rewards[-1] * gamma ** (T - 1)), "That counts only the last reward; every reward of the sequence "
                                                "enters the return, each with its own discount."),
    ])
    rs = ", ".join(f"{r:g}" for r in rewards)
    return dict(
        prompt=(f"An episode gives the rewards $r_0, \\dots, r_{{{T - 1}}} = {rs}$, in that order. With the discount "
                f"factor $\\gamma = {gamma:g}$, what is its return $G = \\sum_t \\gamma^t r_t$? Give three decimals."),
        answer=round(G, 6), tolerance=tol,
        reason=("Right: $G = " + " + ".join(f"{gamma:g}^{t} \\cdot {r:g}" if r >= 0 else f"{gamma:g}^{t} \\cdot ({r:g})"
                                       for t, r in enumerate(rewards)) + f" = {G:.3f}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q2: a TD target (seeded, with or without the end of the episode).


def _q2(rng: np.random.Generator) -> dict:
    tol = 2e-3
    r = float(rng.choice([-1.0, 0.0, 1.0, 5.0, 10.0, -10.0]))
    max_q = float(rng.integers(10, 90)) / 10
    gamma = float(rng.choice([0.9, 0.95, 0.8]))
    done = bool(rng.random() < 0.5)
    y = r + (0.0 if done else gamma * max_q)
    wrong = [
        (r + gamma * max_q, "The move ended the episode (done = 1), so there is no next state: $(1 - "
                            "\\text{done})$ removes the future value, and the target is the reward alone."),
        (0.0, "The factor $(1 - \\text{done})$ removes only the future value; the reward of the last move still "
              "counts."),
    ] if done else [
        (r + max_q, "The next state's value is one step later, so it is discounted: $\\gamma \\max_{a'} Q(s', a')$."),
        (gamma * max_q, "The reward of this move is missing; the target is $r + \\gamma \\max_{a'} Q(s', a')$."),
        (r, "That is the target of a move that ends the episode; this one does not (done = 0), so the discounted "
            "value of the next state is added."),
    ]
    return dict(
        prompt=(f"A transition of a Q-learning agent: the reward $r = {r:g}$, the best value of the next state "
                f"$\\max_{{a'}} Q(s', a') = {max_q:g}$, done = {int(done)} "
                f"({'the move ended the episode' if done else 'the episode goes on'}), and $\\gamma = {gamma:g}$. What "
                "is the TD target $y$? Give three decimals."),
        answer=round(y, 6), tolerance=tol,
        reason=(f"Right: $y = r + \\gamma \\max_{{a'}} Q(s', a')(1 - \\text{{done}}) = {r:g} + {gamma:g} \\cdot "
                f"{max_q:g} \\cdot {1 - int(done)} = {y:g}$."),
        wrong=keep_distinct(y, tol, wrong))


# ---------------------------------------------------------------------------------------------
# q3: one Q-learning update (seeded).


def _q3(rng: np.random.Generator) -> dict:
    tol = 2e-3
    q_old = float(rng.integers(-20, 60)) / 10
    r = float(rng.choice([-1.0, 0.0, 1.0, 10.0]))
    max_q = float(rng.integers(0, 80)) / 10
    gamma = float(rng.choice([0.9, 0.8]))
    alpha = float(rng.choice([0.1, 0.2, 0.5]))
    y = r + gamma * max_q
    new = q_old + alpha * (y - q_old)
    wrong = keep_distinct(new, tol, [
        (y, "That replaces $Q(s, a)$ by the target, which is the update with $\\alpha = 1$; Q-learning moves it only a "
            f"fraction $\\alpha = {alpha:g}$ of the way."),
        (q_old + alpha * y, "That adds $\\alpha$ times the target; the update adds $\\alpha$ times the TD *error*, "
                            "the target minus the old value."),
        (q_old - alpha * (y - q_old), "The sign is flipped: the value moves *towards* the target, "
                                      "$Q + \\alpha (y - Q)$."),
        (alpha * y, "That keeps nothing of the old value; the update is the weighted average "
                    "$(1 - \\alpha) Q(s, a) + \\alpha y$."),
        (q_old + alpha * (r + max_q - q_old), "The next state's value is missing its discount $\\gamma$ in the target."),
    ])
    return dict(
        prompt=(f"The table of a Q-learning agent holds $Q(s, a) = {q_old:g}$. It takes action $a$ in state $s$, "
                f"receives $r = {r:g}$ and lands in a state $s'$ (the episode goes on) with $\\max_{{a'}} Q(s', a') = "
                f"{max_q:g}$. With $\\alpha = {alpha:g}$ and $\\gamma = {gamma:g}$, what is $Q(s, a)$ after the "
                "update? Give three decimals."),
        answer=round(new, 6), tolerance=tol,
        reason=(f"Right: the target is ${r:g} + {gamma:g} \\cdot {max_q:g} = {y:g}$, and $Q \\leftarrow {q_old:g} + "
                f"{alpha:g} \\cdot ({y:g} - {q_old:g}) = {new:g}$."),
        wrong=wrong)


# ---------------------------------------------------------------------------------------------
# q4: the probabilities of epsilon-greedy (seeded).


def _q4(rng: np.random.Generator) -> dict:
    tol = 2e-3
    n = int(rng.integers(2, 6))
    eps = float(rng.choice([0.1, 0.2, 0.3, 0.5]))
    greedy = bool(rng.random() < 0.5)
    if greedy:
        answer = 1 - eps + eps / n
        ask = "the greedy action (the one with the highest $Q(s, a)$)"
        wrong = [
            (1 - eps, "That forgets that exploring picks among *all* the actions, the greedy one included: it gets "
                      f"$1 - \\varepsilon$ plus its share $\\varepsilon / {n}$ of the exploring."),
            (1.0, "The agent explores with probability $\\varepsilon$, and may then pick another action."),
            (eps / n, "That is the exploring share alone, the probability of any one *other* action."),
        ]
        reason = (f"Right: $1 - \\varepsilon$ for the greedy choice plus $\\varepsilon / n$ when exploring picks it: "
                  f"$1 - {eps:g} + {eps:g}/{n} = {answer:.3f}$.")
    else:
        answer = eps / n
        ask = "one particular action that is **not** the greedy one"
        wrong = [
            (eps / (n - 1), f"That spreads the exploring over the {n - 1} other actions only; exploring picks among "
                            f"all {n}, the greedy one included."),
            (eps, "That is the probability of exploring at all; exploring then picks one of the "
                  f"{n} actions at random."),
            (0.0, "A non-greedy action is chosen whenever exploring picks it, with probability $\\varepsilon / n$."),
            (1 - eps + eps / n, "That is the probability of the greedy action."),
        ]
        reason = f"Right: it is chosen only when exploring picks it: $\\varepsilon / n = {eps:g}/{n} = {answer:.3f}$."
    return dict(
        prompt=(f"An agent has {n} actions and chooses epsilon-greedily with $\\varepsilon = {eps:g}$: with "
                "probability $\\varepsilon$ it picks one of the actions uniformly at random, otherwise the greedy "
                f"one. What is the probability that it chooses {ask}? (No two actions have equal values.) Give three "
                "decimals."),
        answer=round(answer, 6), tolerance=tol, reason=reason,
        wrong=keep_distinct(answer, tol, wrong))


# ---------------------------------------------------------------------------------------------
# q6: which discount factor walks to the far reward (the rover, computed).

_Q6_GAMMAS = {"a": 0.3, "b": 0.5, "c": 0.7, "d": 0.9}


def _q6_returns(gamma: float) -> tuple[float, float]:
    """Returns from state 5 of the rover: going left all the way (100 after 4 steps), going right (40 after 1)."""
    return gamma ** 4 * 100, gamma * 40


def _q6_options() -> tuple[dict[str, Option], str]:
    options, right = {}, []
    for key, g in _Q6_GAMMAS.items():
        left, rightward = _q6_returns(g)
        if left > rightward:
            right.append(key)
            why = (f"Right: with $\\gamma = {g:g}$ going left returns ${g:g}^4 \\cdot 100 = {left:.2f}$, more than "
                   f"going right, ${g:g} \\cdot 40 = {rightward:.2f}$.")
        else:
            why = (f"Wrong: with $\\gamma = {g:g}$ going left returns only ${g:g}^4 \\cdot 100 = {left:.2f}$, less "
                   f"than going right, ${g:g} \\cdot 40 = {rightward:.2f}$: this agent is too impatient to walk.")
        options[key] = Option(f"$\\gamma = {g:g}$", why)
    assert len(right) == 1
    return options, right[0]


# ---------------------------------------------------------------------------------------------
# q7: discount curves (plot).

_Q7_CURVES = {"A": 0.5, "B": 0.99, "C": 0.9}


def _q7_figure(rng, ax) -> None:
    t = np.arange(0, 21)
    for label, g in _Q7_CURVES.items():
        ax.plot(t, g ** t, "o-", ms=3, label=f"agent {label}")
    ax.set(xlabel="steps until the reward, $t$", ylabel="weight of the reward, $\\gamma^t$",
           title="How much a later reward counts", xticks=range(0, 21, 2), ylim=(0, 1.05))
    ax.grid(True, alpha=0.4)
    ax.legend()


def _q7_options() -> tuple[dict[str, Option], str]:
    why = {
        "A": (f"Wrong: A's weight halves every step ($\\gamma = {_Q7_CURVES['A']:g}$): a reward 5 steps away counts "
              f"{_Q7_CURVES['A'] ** 5:.0%}."),
        "B": (f"Wrong: B's weights hardly fall ($\\gamma = {_Q7_CURVES['B']:g}$): after 20 steps a reward still counts "
              f"{_Q7_CURVES['B'] ** 20:.0%}."),
        "C": (f"Right: C's weight after 5 steps is about {0.9 ** 5:.0%} and after 10 about {0.9 ** 10:.0%}: "
              "$0.9^5 \\approx 0.59$, $0.9^{10} \\approx 0.35$."),
    }
    right = [k for k, g in _Q7_CURVES.items() if g == 0.9]
    return {k.lower(): Option(f"Agent {k}", why[k]) for k in _Q7_CURVES}, right[0].lower()


# ---------------------------------------------------------------------------------------------
# q9: the bug in value iteration (seeded: the line and the bug).

_Q9_LINES = [
    ("def value_iteration(P, R, done, gamma, sweeps):",
     "it takes the model (`P` and `R` of shape `(S, A, S)`, `done` of shape `(S,)`), $\\gamma$ and the number of "
     "sweeps."),
    ("    V = np.zeros(P.shape[0])", "the values start at 0, one per state."),
    ("    for _ in range(sweeps):", "the Bellman update is applied `sweeps` times."),
    ("        Q = np.sum(P * (R + gamma * V * (1 - done)), axis=2)",
     "the expected reward plus the discounted value of the landing state (none after the end), summed over the "
     "landing states $s'$ with their probabilities."),
    ("        V = np.max(Q, axis=1)", "each state's value is the value of its best action."),
    ("    policy = np.argmax(Q, axis=1)", "the greedy policy: the best action in each state."),
    ("    return V, policy", "the values and the policy."),
]
_Q9_BUGS = {
    4: [("        Q = np.sum(P * (R + gamma * V * (1 - done)), axis=1)",
         "`axis=1` sums over the actions; the expectation is over the landing states $s'$, the last axis."),
        ("        Q = np.sum(P * (R + gamma * V * done), axis=2)",
         "That keeps the future value only where the episode *ends*; `(1 - done)` removes it there and keeps it "
         "everywhere else."),
        ("        Q = np.sum(P * (R + V * (1 - done)), axis=2)",
         "The value of the landing state is one step later and must be discounted by `gamma`.")],
    5: [("        V = np.mean(Q, axis=1)",
         "Averaging over the actions gives the value of a random policy; the optimal value takes the best action, "
         "`np.max`."),
        ("        V = np.max(Q, axis=0)",
         "`axis=0` takes the best over the states for each action; a state's value is the best over its actions, "
         "`axis=1`.")],
    6: [("    policy = np.argmin(Q, axis=1)",
         "`np.argmin` picks the *worst* action in each state; the greedy policy takes `np.argmax`."),
        ("    policy = np.argmax(Q, axis=0)",
         "`axis=0` gives, for each action, the state where it is best; the policy needs, for each state, its best "
         "action (`axis=1`).")],
}
_Q9_INTRO = ("Value iteration for a world with a known model: `P[s, a, s2]` is the probability that action `a` in state "
             "`s` lands in `s2`, `R[s, a, s2]` the reward of that move, and `done[s2]` is 1 where landing ends the "
             "episode. It applies $Q(s, a) = \\sum_{s'} P(s' \\mid s, a)\\,[R(s, a, s') + \\gamma V(s')(1 - "
             "\\text{done}(s'))]$, $V(s) = \\max_a Q(s, a)$ again and again:")


# ---------------------------------------------------------------------------------------------
# q11: reading a Q table (the rover, computed).

_Q11_GAMMA = 0.5
_Q11_Q = _rover_q(_Q11_GAMMA)
_Q11_LEFT, _Q11_RIGHT = float(_Q11_Q[3, 0]), float(_Q11_Q[3, 1])     # state 4 is row 3


def _q11_options() -> dict[str, Option]:
    L, R = _Q11_LEFT, _Q11_RIGHT
    assert L > R
    return {
        "a": Option(f"Go right; the best return from state 4 is {R:g}.",
                    f"Wrong: $Q(4, \\rightarrow) = {R:g}$ is less than $Q(4, \\leftarrow) = {L:g}$; the best action "
                    "has the largest $Q$."),
        "b": Option(f"Go left; the best return from state 4 is {L + R:g}.",
                    "Wrong: the two values are the returns of two different choices; the agent gets one of them, "
                    "not their sum."),
        "c": Option(f"Go left; the best return from state 4 is {L:g}.",
                    f"Right: $\\pi^*(4) = \\arg\\max_a Q(4, a) = \\leftarrow$, and the best return is "
                    f"$\\max_a Q(4, a) = {L:g}$."),
        "d": Option(f"Either; the best return from state 4 is {(L + R) / 2:g}.",
                    "Wrong: that average is the expected return of choosing at random between the two actions; "
                    "acting optimally takes the better one."),
    }


# ---------------------------------------------------------------------------------------------
# The questions.

_Q6_OPTIONS, _Q6_ANSWER = _q6_options()
_Q7_OPTIONS, _Q7_ANSWER = _q7_options()

QUESTIONS = [
    Number.variant("q1", _q1),
    Number.variant("q2", _q2),
    Number.variant("q3", _q3),
    Number.variant("q4", _q4),
    Single(
        "q5", **answer_at("d",
        prompt="What does the $\\varepsilon$ of epsilon-greedy trade off?",
        options={
            "a": Option("Rewards now against rewards later.",
                        "Wrong: that is the discount factor $\\gamma$."),
            "b": Option("Trying actions the agent does not yet believe in (exploration) against taking the action it "
                        "currently thinks best (exploitation).",
                        "Right: with probability $\\varepsilon$ the agent explores at random, otherwise it exploits "
                        "what its table says."),
            "c": Option("How far each update moves $Q(s, a)$ towards its target.",
                        "Wrong: that is the learning rate $\\alpha$."),
            "d": Option("The size of the table against the accuracy of the values.",
                        "Wrong: $\\varepsilon$ does not change the table; it only decides how actions are chosen."),
        },
        answer="b")),
    Single(
        "q6",
        prompt=("The Mars rover of the lessons is in state 5. Going left, it collects nothing until the reward of 100 "
                "in state 1, four steps later (rewards 0, 0, 0, 0, 100); going right, it reaches the reward of 40 in "
                "state 6 one step later (rewards 0, 40). For which discount factor does it prefer to go left?"),
        options=_Q6_OPTIONS,
        answer=_Q6_ANSWER),
    Single(
        "q7",
        prompt="The plot shows, for three agents, the weight $\\gamma^t$ their return gives a reward $t$ steps away. "
               "Which agent has $\\gamma = 0.9$?",
        options=_Q7_OPTIONS,
        answer=_Q7_ANSWER,
        figure=_q7_figure),
    Shape(
        "q8",
        prompt=("The Q table of a grid world with 16 states and 4 actions has shape `(16, 4)`. `s_next` is an integer "
                "array holding the next states of a batch of 32 transitions. What shape does "
                "`np.max(Q[s_next], axis=1)` have?"),
        answer=(32,),
        reason="Right: `Q[s_next]` has one row of 4 action values per transition, `(32, 4)`, and the max over the "
               "actions leaves one value per transition, $\\max_{a'} Q(s', a')$.",
        wrong=[
            ((32, 4), "That is `Q[s_next]` itself; the max over `axis=1`, the actions, removes that axis."),
            ((4,), "That would be `axis=0`, the best over the batch for each action; the target needs the best action "
                   "of each transition's next state."),
            ((16,), "Indexing with `s_next` picks one row per transition (32 of them), not the 16 states."),
            ((), "With `axis=1` the max is taken row by row, one value per transition, not over the whole array."),
        ]),
    Number.variant("q9", bug_line(_Q9_INTRO, _Q9_LINES, _Q9_BUGS)),
    Multiple(
        "q10",
        prompt="Which of these statements about Q-learning are true? (Choose all that apply.)",
        options={
            "a": Option("It needs no model of the world, only the transitions $(s, a, r, s', \\text{done})$ the agent "
                        "experiences.",
                        "True: it learns from its own moves; value iteration is the method that needs the model."),
            "b": Option("With $\\alpha = 1$, each update replaces $Q(s, a)$ by its TD target.",
                        "True: $Q + 1 \\cdot (y - Q) = y$."),
            "c": Option("It needs the transition probabilities $P(s' \\mid s, a)$.",
                        "False: that is value iteration; Q-learning samples transitions instead."),
            "d": Option("A purely greedy agent ($\\varepsilon = 0$) is guaranteed to find the optimal policy.",
                        "False: a greedy agent can settle on the first path that works and never try the actions "
                        "that would lead to a better one."),
            "e": Option("The TD target of a move that ends the episode is its reward alone.",
                        "True: $(1 - \\text{done}) = 0$ removes the future value; the reward of the last move still "
                        "counts."),
        },
        answer={"a", "b", "e"},
        reason="Right: (a), (b) and (e)."),
    Single(
        "q11",
        prompt=(f"For the Mars rover with $\\gamma = {_Q11_GAMMA:g}$, the state-action values of state 4 are "
                f"$Q(4, \\leftarrow) = {_Q11_LEFT:g}$ and $Q(4, \\rightarrow) = {_Q11_RIGHT:g}$. What should the rover "
                "do in state 4, and what is the best return from there?"),
        options=_q11_options(),
        answer="c"),
]

define_checks(globals(), QUESTIONS)
