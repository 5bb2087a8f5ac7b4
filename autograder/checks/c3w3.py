"""Checks for module c3w3: reinforcement learning (returns, TD targets, epsilon-greedy, Q-learning).

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.

`epsilon_greedy` is random, so its check is exact about the generator: the exercise pins down how
`rng` is used (first `u = rng.random()`; then `rng.integers(len(q_values))` only when u < epsilon;
otherwise `np.argmax`, drawing nothing), and the check calls the learner's function and the
reference with identically seeded generators, a fresh one per call and twenty seeds per case, and
first makes sure that two calls with the same seed agree (no other source of randomness). Any
integer type is accepted as the action (a Python int or a numpy integer); floats are not.
"""

from __future__ import annotations


import numpy as np

from autograder.checks.ladder import Check, Mistake, check, compare, mistake, show

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_compute_return(rewards, gamma):
    rewards = np.asarray(rewards, dtype=float)
    return float(np.sum(gamma ** np.arange(rewards.shape[0]) * rewards))


def ref_td_targets(rewards, max_qsa, done_vals, gamma):
    return rewards + gamma * max_qsa * (1 - done_vals)


def ref_epsilon_greedy(q_values, epsilon, rng):
    u = rng.random()
    if u < epsilon:
        return int(rng.integers(len(q_values)))
    return int(np.argmax(q_values))


def ref_q_learning_update(Q, s, a, r, s_next, done, alpha, gamma):
    Q = Q.copy()
    target = r + gamma * np.max(Q[s_next]) * (1 - done)
    Q[s, a] = Q[s, a] + alpha * (target - Q[s, a])
    return Q


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes, each a wrong implementation and the words that name it.

# -- compute_return --


def _discounts(rewards, gamma):
    return gamma ** np.arange(len(rewards))


@mistake("the exponent is off by one: the first reward is not discounted (gamma**0 = 1), so the "
         "return is r_0 + gamma * r_1 + gamma**2 * r_2 + ..., i.e. gamma**t with t starting at 0, "
         "not gamma**(t + 1).")
def _return_exponent_plus_one(rewards, gamma):
    return float(np.sum(gamma ** (np.arange(len(rewards)) + 1) * rewards))


@mistake("the rewards are discounted in reverse order: the first reward gets gamma**0 and the last "
         "one the most discounting. (If you loop backwards with G = r + gamma * G, start from the "
         "last reward: `for r in rewards[::-1]`.)")
def _return_reversed(rewards, gamma):
    return float(np.sum(_discounts(rewards, gamma) * np.asarray(rewards)[::-1]))


@mistake("gamma is not used: the rewards were summed without discounting; multiply reward t by "
         "gamma**t.")
def _return_no_discount(rewards, gamma):
    return float(np.sum(rewards))


@mistake("the discount is gamma * t (a product); it is gamma ** t (a power).")
def _return_gamma_times_t(rewards, gamma):
    return float(np.sum(gamma * np.arange(len(rewards)) * rewards))


@mistake("the discounted rewards were returned one by one; add them up into one number, the "
         "return G.")
def _return_no_sum(rewards, gamma):
    return _discounts(rewards, gamma) * np.asarray(rewards, dtype=float)


@mistake("the first reward is left out: t runs from 0 (`range(len(rewards))`), and r_0 counts in "
         "full.")
def _return_skips_first(rewards, gamma):
    return float(np.sum((_discounts(rewards, gamma) * rewards)[1:]))


@mistake("the loop overwrites the return (`G = ...`) instead of adding to it (`G += ...`): only "
         "the last discounted reward is left.")
def _return_overwrites(rewards, gamma):
    t = len(rewards) - 1
    return float(gamma**t * rewards[t])


@mistake("the `return` is inside the loop, so only the first reward is counted; return G after the loop "
         "has added every discounted reward.")
def _return_in_loop(rewards, gamma):
    return float(rewards[0])


@mistake("the discounted rewards were averaged; the return is their sum.")
def _return_mean(rewards, gamma):
    return float(np.mean(_discounts(rewards, gamma) * rewards))


# -- td_targets --


@mistake("`done_vals` is ignored: when an episode ends there is no next state, so the target is "
         "just the reward. Multiply the discounted future value by (1 - done_vals).")
def _td_ignores_done(rewards, max_qsa, done_vals, gamma):
    return rewards + gamma * max_qsa


@mistake("`done_vals` is used where `1 - done_vals` belongs: the future value must count when the "
         "episode goes on (done = 0) and vanish when it ends (done = 1).")
def _td_done_not_one_minus(rewards, max_qsa, done_vals, gamma):
    return rewards + gamma * max_qsa * done_vals


@mistake("gamma is missing: the future value max Q(s', a') is discounted by gamma.")
def _td_no_gamma(rewards, max_qsa, done_vals, gamma):
    return rewards + max_qsa * (1 - done_vals)


@mistake("the reward is masked too: (1 - done) multiplies only the future value gamma * max_qsa; "
         "the reward of the last step still counts, y = r + gamma * max_qsa * (1 - done).")
def _td_masks_reward(rewards, max_qsa, done_vals, gamma):
    return (rewards + gamma * max_qsa) * (1 - done_vals)


@mistake("the reward is discounted too: only the future value is multiplied by gamma, "
         "y = r + gamma * max_qsa * (1 - done).")
def _td_discounts_reward(rewards, max_qsa, done_vals, gamma):
    return gamma * (rewards + max_qsa * (1 - done_vals))


@mistake("the future value is subtracted; the target adds it: y = r + gamma * max_qsa * (1 - done).")
def _td_minus(rewards, max_qsa, done_vals, gamma):
    return rewards - gamma * max_qsa * (1 - done_vals)


@mistake("the targets were averaged into one number; return one target per example, an array "
         "of shape (m,).")
def _td_mean(rewards, max_qsa, done_vals, gamma):
    return np.mean(rewards + gamma * max_qsa * (1 - done_vals))


# -- epsilon_greedy (each takes a real numpy Generator) --


@mistake("the test is inverted: explore (random action) when u < epsilon, exploit (np.argmax) "
         "otherwise. With epsilon = 0.1 the agent should explore 10% of the time, not 90%.")
def _eg_inverted(q_values, epsilon, rng):
    if rng.random() > epsilon:
        return int(rng.integers(len(q_values)))
    return int(np.argmax(q_values))


@mistake("np.argmin picks the worst action; the greedy action has the largest value: np.argmax.")
def _eg_argmin(q_values, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    return int(np.argmin(q_values))


@mistake("the action is a float; an action is an index, an integer: return int(...) (a numpy "
         "integer is fine too), not float(...) or a result of `/`.")
def _eg_float(q_values, epsilon, rng):
    if rng.random() < epsilon:
        return float(rng.integers(len(q_values)))
    return float(np.argmax(q_values))


@mistake("the best value max(q_values) was returned instead of the best action np.argmax(q_values) "
         "(its index).")
def _eg_value_not_index(q_values, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    return float(np.max(q_values))


@mistake("the random action is drawn before u (or on every call): draw u = rng.random() first, "
         "and call rng.integers only when u < epsilon, so the random numbers are used in the "
         "specified order.")
def _eg_action_first(q_values, epsilon, rng):
    random_action = int(rng.integers(len(q_values)))
    if rng.random() < epsilon:
        return random_action
    return int(np.argmax(q_values))


@mistake("the last action is never explored: the upper bound of rng.integers is exclusive, so "
         "rng.integers(len(q_values)) already draws from 0 to len(q_values) - 1.")
def _eg_integers_minus_one(q_values, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values) - 1))
    return int(np.argmax(q_values))


@mistake("exploring picks only among the non-greedy actions; epsilon-greedy explores uniformly "
         "among ALL actions (the greedy one included): rng.integers(len(q_values)).")
def _eg_explores_others_only(q_values, epsilon, rng):
    greedy = int(np.argmax(q_values))
    if rng.random() < epsilon:
        others = [i for i in range(len(q_values)) if i != greedy]
        return int(rng.choice(others))
    return greedy


@mistake("ties between the best actions were broken at random; break them as np.argmax does "
         "(the lowest index), which also draws nothing from rng when exploiting.")
def _eg_random_ties(q_values, epsilon, rng):
    if rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    best = np.flatnonzero(q_values == np.max(q_values))
    return int(rng.choice(best))


# -- q_learning_update --


def _updated(Q, s, a, value):
    Q = Q.copy()
    Q[s, a] = value
    return Q


@mistake("the max is taken over the current state's row Q[s]; the target looks one step ahead: "
         "max over a' of Q[s_next, a'].")
def _q_max_current_state(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + gamma * np.max(Q[s]) * (1 - done)
    return _updated(Q, s, a, Q[s, a] + alpha * (target - Q[s, a]))


@mistake("alpha is missing: Q[s, a] moves only a fraction alpha of the way to the target, "
         "Q[s, a] + alpha * (target - Q[s, a]).")
def _q_no_alpha(Q, s, a, r, s_next, done, alpha, gamma):
    return _updated(Q, s, a, r + gamma * np.max(Q[s_next]) * (1 - done))


@mistake("the old value is not subtracted: the update adds alpha * (target - Q[s, a]), not "
         "alpha * target.")
def _q_no_minus_q(Q, s, a, r, s_next, done, alpha, gamma):
    return _updated(Q, s, a, Q[s, a] + alpha * (r + gamma * np.max(Q[s_next]) * (1 - done)))


@mistake("every action of state s was updated (Q[s] or Q[s, :]); only the action taken changes: "
         "Q[s, a].")
def _q_updates_row(Q, s, a, r, s_next, done, alpha, gamma):
    Q = Q.copy()
    target = r + gamma * np.max(Q[s_next]) * (1 - done)
    Q[s] = Q[s] + alpha * (target - Q[s])
    return Q


@mistake("`done` is ignored: after the last step there is no next state, so the target is just r. "
         "Multiply gamma * max Q[s_next] by (1 - done).")
def _q_ignores_done(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + gamma * np.max(Q[s_next])
    return _updated(Q, s, a, Q[s, a] + alpha * (target - Q[s, a]))


@mistake("`done` is used where `1 - done` belongs: the future value counts while the episode goes "
         "on and vanishes when it ends.")
def _q_done_not_one_minus(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + gamma * np.max(Q[s_next]) * done
    return _updated(Q, s, a, Q[s, a] + alpha * (target - Q[s, a]))


@mistake("gamma is missing from the target r + gamma * max Q[s_next] * (1 - done).")
def _q_no_gamma(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + np.max(Q[s_next]) * (1 - done)
    return _updated(Q, s, a, Q[s, a] + alpha * (target - Q[s, a]))


@mistake("np.argmax gives the best action's index; the target needs its value: np.max(Q[s_next]).")
def _q_argmax(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + gamma * np.argmax(Q[s_next]) * (1 - done)
    return _updated(Q, s, a, Q[s, a] + alpha * (target - Q[s, a]))


@mistake("Q[s_next, a] (the same action in the next state) was used; Q-learning takes the best "
         "next action: max over a' of Q[s_next, a'].")
def _q_same_action(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + gamma * Q[s_next, a] * (1 - done)
    return _updated(Q, s, a, Q[s, a] + alpha * (target - Q[s, a]))


@mistake("the update moves away from the target: add alpha * (target - Q[s, a]), not subtract it.")
def _q_sign(Q, s, a, r, s_next, done, alpha, gamma):
    target = r + gamma * np.max(Q[s_next]) * (1 - done)
    return _updated(Q, s, a, Q[s, a] - alpha * (target - Q[s, a]))


@mistake("the targets were added to `rewards` in place (`rewards += ...`), which changes the caller's "
         "rewards: the mini-batch they pass in comes back holding the targets. Compute a new array: "
         "y = rewards + gamma * max_qsa * (1 - done_vals).")
def _td_in_place(rewards, max_qsa, done_vals, gamma):
    rewards += gamma * max_qsa * (1 - done_vals)
    return rewards.copy()


MISTAKES = {
    "compute_return": [_return_exponent_plus_one, _return_reversed, _return_no_discount,
                       _return_gamma_times_t, _return_no_sum, _return_skips_first, _return_overwrites,
                       _return_mean, _return_in_loop],
    "td_targets": [_td_ignores_done, _td_done_not_one_minus, _td_no_gamma, _td_masks_reward,
                   _td_discounts_reward, _td_minus, _td_mean, _td_in_place],
    "epsilon_greedy": [_eg_inverted, _eg_argmin, _eg_float, _eg_value_not_index, _eg_action_first,
                       _eg_integers_minus_one, _eg_explores_others_only, _eg_random_ties],
    "q_learning_update": [_q_max_current_state, _q_no_alpha, _q_no_minus_q, _q_updates_row,
                          _q_ignores_done, _q_done_not_one_minus, _q_no_gamma, _q_argmax,
                          _q_same_action, _q_sign],
}


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


# ---------------------------------------------------------------------------------------------
# What the checks of this module switch on: the arguments must not change (the caller's data stays
# as it was; the exercise says so), except the table Q that q_learning_update may update in
# place (its exercise says that too); epsilon_greedy's generator changes by drawing, a raised exception shows the case's inputs whole, and the
# inputs that are a batch of examples (or one example) are said to be so on a shape error.

ARGUMENTS_KEPT = {"compute_return", "td_targets"}  # q_learning_update: Q may change


@check
def check_compute_return(compute_return):
    c = Check("compute_return", compute_return, ref_compute_return, MISTAKES["compute_return"],
              mutation="fail", detail_raised=True, probe=("gamma",))
    c.case(rewards=np.array([1.0, 2.0, 3.0, 4.0]), gamma=0.9)  # 1 + 1.8 + 2.43 + 2.916 = 8.146
    c.case(note="the rover, from state 4 going left", rewards=np.array([0, 0, 0, 100]), gamma=0.5)  # 12.5
    c.case(note="one reward", rewards=np.array([-3.0]), gamma=0.9)
    c.case(note="gamma = 1: no discounting", rewards=np.array([-1.0, -1.0, 10.0]), gamma=1.0)
    c.case(note="gamma = 0: only the first reward counts", rewards=np.array([5.0, 7.0, 9.0]), gamma=0.0)
    rng = np.random.default_rng(0)
    c.case(note="random, 50 rewards", rewards=rng.normal(0, 2, size=50), gamma=0.99)
    c.passed()


@check
def check_td_targets(td_targets):
    c = Check("td_targets", td_targets, ref_td_targets, MISTAKES["td_targets"], mutation="fail",
              detail_raised=True, probe=("gamma",))
    c.case(rewards=np.array([1.0, -1.0, 2.0, 0.5]), max_qsa=np.array([3.0, 2.0, -1.0, 4.0]),
           done_vals=np.array([0.0, 1.0, 0.0, 1.0]), gamma=0.9)  # [3.7, -1, 1.1, 0.5]
    c.case(note="no episode ends", rewards=np.array([-1.0, -1.0, 10.0]),
           max_qsa=np.array([8.0, 6.2, 4.58]), done_vals=np.zeros(3), gamma=0.9)
    c.case(note="every episode ends", rewards=np.array([10.0, -10.0, -1.0]),
           max_qsa=np.array([5.0, 7.0, 2.0]), done_vals=np.ones(3), gamma=0.9)
    c.case(note="one example", rewards=np.array([0.5]), max_qsa=np.array([2.0]),
           done_vals=np.array([0.0]), gamma=0.5)
    c.case(note="gamma = 0", rewards=np.array([1.0, 2.0]), max_qsa=np.array([3.0, 4.0]),
           done_vals=np.array([0.0, 0.0]), gamma=0.0)
    rng = np.random.default_rng(1)
    m = 64
    c.case(note="random mini-batch of 64", rewards=rng.normal(size=m), max_qsa=rng.normal(3, 2, size=m),
           done_vals=(rng.random(m) < 0.3).astype(float), gamma=0.995)
    c.passed()


class _Seeds:
    """The seeds of a case: the function is called once per seed, each time with a fresh generator
    `np.random.default_rng(seed)`, shown as such in messages."""

    def __init__(self, first: int, count: int = 20):
        self.seeds = list(range(first, first + count))

    def __repr__(self) -> str:
        return f"default_rng(seed), seed {self.seeds[0]}..{self.seeds[-1]}"


def _run(func):
    """Call `func` once per seed of the case, each time with a fresh generator made from the seed,
    and return the list of actions. (Fresh generators, not one shared generator: the function may
    run in another process, where what it draws from a generator is not seen here.)"""

    def run(q_values, epsilon, rng):
        return [func(q_values.copy(), epsilon, np.random.default_rng(seed)) for seed in rng.seeds]

    return run


def _is_action(value, n_actions) -> bool:
    return (isinstance(value, (int, np.integer)) and not isinstance(value, (bool, np.bool_))
            and 0 <= value < n_actions)


def _describe_actions(args, got, expected, reason, causes):
    """Which seed gave a wrong action, and how."""
    seeds = args["rng"].seeds
    if not isinstance(got, (list, tuple)) or len(got) != len(seeds):
        return reason
    for seed, g, e in zip(seeds, got, expected):
        if isinstance(g, (float, np.floating)):
            why = f"got {float(g)!r} (a float), expected the integer {e}."
        else:
            why = compare(g, e, rtol=0, atol=0, strict_int=True)
        if why is not None:
            break
    else:
        return reason
    text = f"with seed {seed}: {why}"
    if not causes and _is_action(g, len(args["q_values"])):
        text += (" Check how your function uses `rng`: first u = rng.random(), then, only when "
                 "u < epsilon, rng.integers(len(q_values)); otherwise np.argmax(q_values) and no draw. "
                 "Drawing in another order, or other numbers, gives other actions than the reference "
                 "for the same seed.")
    return text


@check
def check_epsilon_greedy(epsilon_greedy):
    Check("epsilon_greedy", epsilon_greedy, ref_epsilon_greedy)  # is it a function at all?
    q = np.array([0.5, 2.5, -1.0, 1.5])
    # Randomness must come from `rng` only: identically seeded generators give identical actions.
    probe = Check("epsilon_greedy", _run(epsilon_greedy), _run(ref_epsilon_greedy))
    args = dict(q_values=q, epsilon=0.5, rng=_Seeds(0))
    first, second = probe.call(args), probe.call(args)
    if isinstance(first, list) and isinstance(second, list) and any(
            compare(a, b, rtol=0, atol=0) is not None for a, b in zip(first, second)):
        probe.fail(args, "called twice with identically seeded generators, your function chose "
                   "different actions: its randomness does not come (only) from `rng`. Draw "
                   "u = rng.random() and explore with rng.integers(...), not with np.random or the "
                   "random module, so that runs are reproducible.")

    mistakes = [Mistake(m.cause, _run(m.implementation)) for m in MISTAKES["epsilon_greedy"]]
    c = Check("epsilon_greedy", _run(epsilon_greedy), _run(ref_epsilon_greedy), mistakes,
               strict_int=True, describe=_describe_actions)
    c.case(note="epsilon = 0: always greedy", q_values=q, epsilon=0.0, rng=_Seeds(0))
    c.case(note="epsilon = 1: always a random action", q_values=q, epsilon=1.0, rng=_Seeds(20))
    c.case(note="a tie: np.argmax picks the lowest index", q_values=np.array([1.0, 3.0, 3.0, 0.0]),
           epsilon=0.0, rng=_Seeds(40))
    c.case(q_values=q, epsilon=0.3, rng=_Seeds(60))
    c.case(note="all values negative", q_values=np.array([-4.0, -2.5, -3.0]), epsilon=0.2,
           rng=_Seeds(80))
    c.case(note="two actions, tied", q_values=np.array([5.0, 5.0]), epsilon=0.1, rng=_Seeds(100))
    c.passed()


def _describe_table(args, got, expected, reason, causes):
    """Name the entries of the Q table that differ (the whole table is too much to read)."""
    if not (isinstance(got, np.ndarray) and got.shape == expected.shape
            and np.issubdtype(got.dtype, np.number)):
        return reason
    with np.errstate(all="ignore"):
        wrong = ~np.isclose(got.astype(float), expected, rtol=1e-6, atol=1e-9)
    cells = [tuple(int(i) for i in ix) for ix in np.argwhere(wrong)]
    s, a = args["s"], args["a"]
    parts = [f"Q[{i}, {j}] = {show(got[i, j])}, expected {show(expected[i, j])}" for i, j in cells[:3]]
    text = "the updated table differs from the expected one at " + "; ".join(parts)
    text += f" (and {len(cells) - 3} more entries)." if len(cells) > 3 else "."
    if any(cell != (s, a) for cell in cells):
        text += f" Only Q[s, a] = Q[{s}, {a}] should change; every other entry stays as it was."
    return text


@check
def check_q_learning_update(q_learning_update):
    c = Check("q_learning_update", q_learning_update, ref_q_learning_update,
               MISTAKES["q_learning_update"], describe=_describe_table, mutation="fail", mutable=("Q",),
               detail_raised=True)
    Q = np.array([[0.0, 1.0, 2.0],
                  [4.0, 3.0, -2.0],
                  [-1.0, 5.0, 1.5],
                  [2.5, -0.5, 0.25]])
    # target = 0.5 + 0.9 * 5 = 5.0; Q[1, 2] = -2 + 0.5 * (5 - -2) = 1.5
    c.case(Q=Q, s=1, a=2, r=0.5, s_next=2, done=False, alpha=0.5, gamma=0.9)
    c.case(note="the last step of an episode", Q=Q, s=3, a=0, r=10.0, s_next=2, done=True,
           alpha=0.5, gamma=0.9)  # Q[3, 0] = 2.5 + 0.5 * (10 - 2.5) = 6.25
    c.case(note="bumped into a wall: s_next == s", Q=Q, s=0, a=1, r=-1.0, s_next=0, done=False,
           alpha=0.1, gamma=0.9)
    c.case(note="alpha = 1", Q=Q, s=2, a=0, r=-1.0, s_next=3, done=False, alpha=1.0, gamma=0.5)
    c.case(note="negative values ahead", Q=-np.abs(Q), s=0, a=0, r=-1.0, s_next=1, done=False,
           alpha=0.5, gamma=0.9)
    rng = np.random.default_rng(2)
    c.case(note="random 16 x 4 table", Q=rng.normal(0, 3, size=(16, 4)), s=6, a=3, r=-1.0, s_next=5,
           done=False, alpha=0.3, gamma=0.95)
    c.passed()
