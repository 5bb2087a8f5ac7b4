"""c3w3-dqn checks: correct alternatives pass; wrong ones outside the catalogue fail with the
ladder's messages (the catalogue itself is exercised by test_catalogues.py); the cart-pole and
the training loop behave as the lessons and the exercise say."""

from __future__ import annotations

import numpy as np

from autograder.checks import c3w3_dqn
from autograder.datasets.c3w3_dqn import CartPole, evaluate, greedy_policy, random_policy, train_dqn
from tests.checks.helpers import assert_rejects

# --- correct alternatives ------------------------------------------------------------------------


def loss_loop(q_online, q_target_next, actions, rewards, dones, gamma):
    m = len(actions)
    grad = np.zeros(q_online.shape)
    total = 0.0
    for i in range(m):
        y = rewards[i] if dones[i] else rewards[i] + gamma * max(q_target_next[i])
        diff = q_online[i, actions[i]] - y
        total += diff**2
        grad[i, actions[i]] = 2 * diff / m
    return total / m, grad


def loss_one_hot(q_online, q_target_next, actions, rewards, dones, gamma):
    one_hot = np.eye(q_online.shape[1])[actions]
    y = rewards + gamma * q_target_next.max(axis=1) * np.logical_not(dones)
    q_sa = np.sum(q_online * one_hot, axis=1)
    err = q_sa - y
    return np.mean(err**2), one_hot * (2 * err / len(err))[:, None]


def loss_take_along(q_online, q_target_next, actions, rewards, dones, gamma):
    y = np.where(dones == 1, rewards, rewards + gamma * np.max(q_target_next, axis=1))
    q_sa = np.take_along_axis(q_online, actions[:, None], axis=1)[:, 0]
    loss = np.sum((q_sa - y) ** 2) / q_online.shape[0]
    dL_dq = np.zeros_like(q_online)
    np.put_along_axis(dL_dq, actions[:, None], (2.0 / q_online.shape[0] * (q_sa - y))[:, None], axis=1)
    return loss, dL_dq


def soft_loop(target, online, tau):
    new = {}
    for name in target:
        new[name] = (1 - tau) * target[name] + tau * online[name]
    return new


def soft_step(target, online, tau):  # target + tau * (online - target)
    return {k: t + tau * (online[k] - t) for k, t in target.items()}


def soft_copy_then_in_place(target, online, tau):
    new = {k: v.copy() for k, v in target.items()}
    for k in new:
        new[k] *= 1 - tau
        new[k] += tau * online[k]
    return new


def sample_positional(buffer, batch_size, rng):
    n = buffer["states"].shape[0]
    idx = rng.choice(n, batch_size, replace=False)
    return {key: buffer[key][idx] for key in buffer}


def sample_take(buffer, batch_size, rng):  # choice over an arange draws the same indices
    idx = rng.choice(np.arange(len(buffer["rewards"])), size=batch_size, replace=False)
    batch = {}
    for key, values in buffer.items():
        batch[key] = np.take(values, idx, axis=0)
    return batch


def eps_if(step, eps_start, eps_end, decay):
    eps = eps_start * decay**step
    if eps < eps_end:
        eps = eps_end
    return eps


def eps_numpy(step, eps_start, eps_end, decay):  # a numpy float
    return np.maximum(eps_end, eps_start * np.power(decay, step))


def eps_loop(step, eps_start, eps_end, decay):  # the course's lab: decay once per step
    eps = eps_start
    for _ in range(step):
        eps = max(eps_end, decay * eps)
    return eps


CORRECT = {
    "dqn_loss_and_output_grad": [loss_loop, loss_one_hot, loss_take_along],
    "soft_update": [soft_loop, soft_step, soft_copy_then_in_place],
    "sample_minibatch": [sample_positional, sample_take],
    "epsilon_schedule": [eps_if, eps_numpy, eps_loop],
}


# --- wrong in ways the catalogue does not name: the ladder's messages ----------------------------


def test_loss_returning_only_the_loss_is_a_type_error():
    def loss_only(q_online, q_target_next, actions, rewards, dones, gamma):
        return c3w3_dqn.ref_dqn_loss_and_output_grad(q_online, q_target_next, actions, rewards, dones, gamma)[0]

    assert_rejects(c3w3_dqn.check_dqn_loss_and_output_grad, loss_only, "expected a tuple of 2 values")


def test_loss_gradient_of_the_chosen_values_only_is_a_shape_error():
    def grad_vector(q_online, q_target_next, actions, rewards, dones, gamma):
        loss, g = c3w3_dqn.ref_dqn_loss_and_output_grad(q_online, q_target_next, actions, rewards, dones, gamma)
        return loss, g[np.arange(len(actions)), actions]

    assert_rejects(c3w3_dqn.check_dqn_loss_and_output_grad, grad_vector, "dL_dq", "expected shape (2, 2)")


def test_loss_changing_q_online_in_place_is_rejected():
    def in_place(q_online, q_target_next, actions, rewards, dones, gamma):
        out = c3w3_dqn.ref_dqn_loss_and_output_grad(q_online, q_target_next, actions, rewards, dones, gamma)
        q_online[...] = out[1]
        return out

    assert_rejects(c3w3_dqn.check_dqn_loss_and_output_grad, in_place, "changed its argument q_online")


def test_soft_update_missing_a_key_is_named():
    def drops_b2(target, online, tau):
        return {k: tau * online[k] + (1 - tau) * target[k] for k in target if k != "b"}

    assert_rejects(c3w3_dqn.check_soft_update, drops_b2, "the keys")


def test_sample_with_permutation_is_told_the_stated_call():
    def permutation(buffer, batch_size, rng):
        idx = rng.permutation(len(buffer["actions"]))[:batch_size]
        return {k: v[idx] for k, v in buffer.items()}

    assert_rejects(c3w3_dqn.check_sample_minibatch, permutation, "distinct, whole transitions",
                   "rng.choice(n, size=batch_size, replace=False)")


def test_sample_with_the_global_generator_is_rejected():
    def global_numpy(buffer, batch_size, rng):
        idx = np.random.choice(len(buffer["actions"]), size=batch_size, replace=False)
        return {k: v[idx] for k, v in buffer.items()}

    assert_rejects(c3w3_dqn.check_sample_minibatch, global_numpy, "`sample_minibatch`(")


def test_epsilon_schedule_increasing_is_rejected():
    def grows(step, eps_start, eps_end, decay):
        return min(1.0, eps_end / decay**step)

    assert_rejects(c3w3_dqn.check_epsilon_schedule, grows, "expected")


# --- the cart-pole and the training loop --------------------------------------------------------


def test_cart_pole_is_seeded_and_ends_when_the_pole_falls():
    env = CartPole()
    s0 = env.reset(3)
    assert s0.shape == (4,) and np.all(np.abs(s0) <= 0.05)
    assert np.array_equal(s0, CartPole().reset(3))
    steps = 0
    done = False
    while not done:
        s, r, done, info = env.step(1)  # always push right: the pole falls left within ~10 steps
        steps += 1
        assert r == 1.0
    assert 5 < steps < 30 and abs(s[2]) > env.theta_threshold and not info["truncated"]


def test_random_policy_and_trained_agent():
    random_mean = evaluate(random_policy(0)).mean()
    assert 15 < random_mean < 30
    out = train_dqn(n_steps=5000, seed=0)
    assert evaluate(greedy_policy(out["params"])).mean() > random_mean + 100
