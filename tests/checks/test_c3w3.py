"""c3w3 checks: correct alternatives pass; wrong ones outside the catalogue fail with the ladder's
messages (the catalogue itself is exercised by test_catalogues.py)."""

from __future__ import annotations

import random

import numpy as np

from autograder.checks import c3w3
from autograder.datasets.c3w3 import GridWorld
from tests.checks.helpers import assert_rejects

# --- correct alternatives ------------------------------------------------------------------------


def return_loop(rewards, gamma):
    G = 0
    for t in range(len(rewards)):
        G += gamma**t * rewards[t]
    return G


def return_backwards(rewards, gamma):  # G_t = r_t + gamma * G_{t+1}, from the end
    G = 0.0
    for r in rewards[::-1]:
        G = r + gamma * G
    return G


def return_dot(rewards, gamma):  # a numpy float
    return np.dot(gamma ** np.arange(rewards.shape[0]), rewards)


def return_running_discount(rewards, gamma):
    G, discount = 0.0, 1.0
    for r in rewards:
        G += discount * r
        discount *= gamma
    return G


def return_polyval(rewards, gamma):  # the return is a polynomial in gamma
    return np.polyval(rewards[::-1], gamma)


def td_vectorized(rewards, max_qsa, done_vals, gamma):
    return rewards + (1 - done_vals) * gamma * max_qsa


def td_loop(rewards, max_qsa, done_vals, gamma):
    y = np.zeros(rewards.shape[0])
    for i in range(rewards.shape[0]):
        if done_vals[i] == 1:
            y[i] = rewards[i]
        else:
            y[i] = rewards[i] + gamma * max_qsa[i]
    return y


def td_where(rewards, max_qsa, done_vals, gamma):
    return np.where(done_vals.astype(bool), rewards, rewards + gamma * max_qsa)


def td_logical_not(rewards, max_qsa, done_vals, gamma):
    return rewards + gamma * max_qsa * np.logical_not(done_vals)


def eg_reference_style(q_values, epsilon, rng):  # numpy integers are accepted as actions
    if rng.random() < epsilon:
        return rng.integers(len(q_values))
    return np.argmax(q_values)


def eg_exploit_first(q_values, epsilon, rng):  # the same test written the other way round
    u = rng.random()
    if u >= epsilon:
        return int(q_values.argmax())
    return int(rng.integers(0, q_values.shape[0]))


def eg_choice(q_values, epsilon, rng):  # rng.choice(n) draws exactly like rng.integers(n)
    if rng.uniform(0, 1) <= epsilon:
        return int(rng.choice(len(q_values)))
    return int(np.argmax(q_values))


def eg_skips_draw_when_epsilon_is_zero(q_values, epsilon, rng):
    # Skips u when epsilon is 0: not what the text says, but it changes nothing the agent does.
    if epsilon > 0 and rng.random() < epsilon:
        return int(rng.integers(len(q_values)))
    return int(np.argmax(q_values))


def q_in_place(Q, s, a, r, s_next, done, alpha, gamma):
    Q[s, a] += alpha * (r + gamma * np.max(Q[s_next]) * (1 - done) - Q[s, a])
    return Q


def q_copy_with_if(Q, s, a, r, s_next, done, alpha, gamma):
    Q_new = Q.copy()
    if done:
        target = r
    else:
        target = r + gamma * Q[s_next].max()
    Q_new[s, a] = (1 - alpha) * Q[s, a] + alpha * target
    return Q_new


def q_not_done(Q, s, a, r, s_next, done, alpha, gamma):
    td_error = r + gamma * max(Q[s_next, :]) * (not done) - Q[s, a]
    Q[s][a] = Q[s][a] + alpha * td_error
    return Q


CORRECT = {
    "compute_return": [return_loop, return_backwards, return_dot, return_running_discount, return_polyval],
    "td_targets": [td_vectorized, td_loop, td_where, td_logical_not],
    "epsilon_greedy": [eg_reference_style, eg_exploit_first, eg_choice, eg_skips_draw_when_epsilon_is_zero],
    "q_learning_update": [q_in_place, q_copy_with_if, q_not_done],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_compute_return_of_a_list_of_returns_is_a_type_error():
    def returns_to_go(rewards, gamma):
        out, G = [], 0.0
        for r in rewards[::-1]:
            G = r + gamma * G
            out.insert(0, G)
        return out

    assert_rejects(c3w3.check_compute_return, returns_to_go, "got a list", "expected a number")


def test_td_targets_column_vector_is_a_shape_error():
    def column(rewards, max_qsa, done_vals, gamma):
        return (rewards + gamma * max_qsa * (1 - done_vals)).reshape(-1, 1)

    assert_rejects(c3w3.check_td_targets, column, "shape (4, 1)", "expected shape (4,)")


def test_epsilon_greedy_with_the_global_generator_is_told_to_use_rng():
    def global_numpy(q_values, epsilon, rng):
        if np.random.random() < epsilon:
            return int(np.random.randint(len(q_values)))
        return int(np.argmax(q_values))

    def python_random(q_values, epsilon, rng):
        if random.random() < epsilon:
            return random.randrange(len(q_values))
        return int(np.argmax(q_values))

    for impl in (global_numpy, python_random):
        assert_rejects(c3w3.check_epsilon_greedy, impl, "identically seeded generators", "not come (only) from `rng`")


def test_epsilon_greedy_returning_a_bool_or_an_array_is_rejected():
    def array(q_values, epsilon, rng):
        if rng.random() < epsilon:
            return rng.integers(len(q_values), size=1)
        return np.argmax(q_values, keepdims=True)

    assert_rejects(c3w3.check_epsilon_greedy, array, "expected a single number")


def test_epsilon_greedy_drawing_an_extra_number_is_caught():
    def draws_twice(q_values, epsilon, rng):
        explore = rng.random() < epsilon
        rng.random()  # an extra draw: the random action comes from the wrong number
        if explore:
            return int(rng.integers(len(q_values)))
        return int(np.argmax(q_values))

    assert_rejects(c3w3.check_epsilon_greedy, draws_twice, "with seed", "Check how your function uses `rng`")


def test_epsilon_greedy_exploring_with_one_minus_epsilon_is_rejected():
    def one_minus(q_values, epsilon, rng):
        if rng.random() < 1 - epsilon:
            return int(rng.integers(len(q_values)))
        return int(np.argmax(q_values))

    assert_rejects(c3w3.check_epsilon_greedy, one_minus, "`epsilon_greedy`(", "expected")


def test_q_learning_update_in_place_without_return_is_pointed_out():
    def no_return(Q, s, a, r, s_next, done, alpha, gamma):
        Q[s, a] += alpha * (r + gamma * np.max(Q[s_next]) * (1 - done) - Q[s, a])

    assert_rejects(c3w3.check_q_learning_update, no_return, "got None", "forget a `return`")


def test_q_learning_update_returning_the_new_value_only_is_a_type_error():
    def scalar(Q, s, a, r, s_next, done, alpha, gamma):
        return Q[s, a] + alpha * (r + gamma * np.max(Q[s_next]) * (1 - done) - Q[s, a])

    assert_rejects(c3w3.check_q_learning_update, scalar, "expected a numpy array of shape (4, 3)")


def test_q_learning_update_with_a_swapped_index_names_the_input():
    def swapped(Q, s, a, r, s_next, done, alpha, gamma):
        Q[a, s] += alpha * (r + gamma * np.max(Q[s_next]) * (1 - done) - Q[a, s])
        return Q

    assert_rejects(c3w3.check_q_learning_update, swapped, "`q_learning_update`(")


# --- the grid world ------------------------------------------------------------------------------


def test_grid_world_moves_rewards_and_ends():
    env = GridWorld()
    assert (env.n_states, env.n_actions) == (16, 4)
    assert env.reset() == 12  # S, bottom left
    assert env.step(12, 0) == (8, -1.0, False)  # up
    assert env.step(12, 3) == (12, -1.0, False)  # left: the edge, stay
    assert env.step(4, 1) == (4, -1.0, False)  # right: into the wall, stay
    assert env.step(2, 1) == (3, 10.0, True)  # the goal
    assert env.step(11, 0) == (7, -10.0, True)  # the pit
    P, R, done = env.model()
    free = ~env.terminal & ~env.wall
    assert np.allclose(P[free].sum(axis=-1), 1) and np.all(P[~free] == 0)
    assert R[2, 1, 3] == 10 and done[3] == 1 and done[7] == 1


def test_slippery_grid_world_is_seeded_and_slips_sideways():
    env = GridWorld(slip=0.2)
    P, _, _ = env.model()
    assert np.isclose(P[10, 0, 6], 0.8) and np.isclose(P[10, 0, 9], 0.1) and np.isclose(P[10, 0, 11], 0.1)
    run = [env.step(10, 0, np.random.default_rng(5))[0] for _ in range(3)]
    assert run == [env.step(10, 0, np.random.default_rng(5))[0]] * 3
    rng = np.random.default_rng(0)
    landed = [env.step(10, 0, rng)[0] for _ in range(4000)]
    assert abs(np.mean(np.array(landed) == 6) - 0.8) < 0.03
    starts = {env.reset(rng) for _ in range(200)}
    assert starts == set(env.start_states.tolist())
