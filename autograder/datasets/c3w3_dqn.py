"""Module c3w3-dqn (deep Q-learning): a cart-pole environment in numpy, a small Q-network, a replay
buffer, a DQN training loop that takes the learner's functions, and the drawing of frames.

The environment is the classic cart-pole (Barto, Sutton and Anderson, 1983, with the constants
gym uses): a cart on a track holds a pole upright by pushing left or right. The state is
continuous, four numbers `(x, x_dot, theta, theta_dot)` (cart position and velocity, pole angle
from upright in radians and angular velocity). Actions: 0 pushes left, 1 pushes right, with a force
of 10 N. Every step the pole is still up pays +1. An episode ends (`done = True`) when the pole
leans more than 12 degrees or the cart leaves the track (|x| > 2.4); it is cut off (`truncated`
in `info`, `done = False`) after `max_steps` steps, so the return of an episode is the number of
steps the pole stayed up, at most `max_steps`.

The API is gym's: `reset(seed) -> state`, `step(action) -> (state, reward, done, info)`.
Everything random goes through one generator seeded by `reset(seed)`, so a run is reproducible.

The Q-network is a plain MLP (state -> ReLU hidden layer -> one value per action) with its
parameters in a dict `{"W1", "b1", "W2", "b2"}` (shapes (n_in, n_hidden), (n_hidden,),
(n_hidden, n_actions), (n_actions,)), trained with Adam. It is written here, in the kit, so the
lessons and the exercise use it without any graded function of c2w2 in sight.
"""

from __future__ import annotations

import copy
import math
import time

import numpy as np

ACTIONS = ("push left", "push right")


class CartPole:
    """Cart-pole with gym's constants; `reset(seed)`, `step(action)`, `render(ax)`."""

    gravity, masscart, masspole, length, force_mag, tau = 9.8, 1.0, 0.1, 0.5, 10.0, 0.02
    theta_threshold = 12 * 2 * math.pi / 360
    x_threshold = 2.4
    n_actions, n_states = 2, 4

    def __init__(self, max_steps: int = 200):
        self.max_steps = int(max_steps)
        self.state = None
        self.steps = 0
        self.rng = np.random.default_rng(0)

    def reset(self, seed: int | None = None) -> np.ndarray:
        if seed is not None:
            self.rng = np.random.default_rng(seed)
        self.state = self.rng.uniform(-0.05, 0.05, size=4)
        self.steps = 0
        return self.state.copy()

    def step(self, action: int):
        if self.state is None:
            raise RuntimeError("call reset() first")
        if action not in (0, 1):
            raise ValueError(f"action must be 0 or 1, not {action!r}")
        x, x_dot, theta, theta_dot = self.state
        force = self.force_mag if action == 1 else -self.force_mag
        cos, sin = math.cos(theta), math.sin(theta)
        total_mass = self.masspole + self.masscart
        polemass_length = self.masspole * self.length
        temp = (force + polemass_length * theta_dot**2 * sin) / total_mass
        theta_acc = (self.gravity * sin - cos * temp) / (
            self.length * (4.0 / 3.0 - self.masspole * cos**2 / total_mass))
        x_acc = temp - polemass_length * theta_acc * cos / total_mass
        x = x + self.tau * x_dot
        x_dot = x_dot + self.tau * x_acc
        theta = theta + self.tau * theta_dot
        theta_dot = theta_dot + self.tau * theta_acc
        self.state = np.array([x, x_dot, theta, theta_dot])
        self.steps += 1
        done = bool(abs(x) > self.x_threshold or abs(theta) > self.theta_threshold)
        truncated = (not done) and self.steps >= self.max_steps
        return self.state.copy(), 1.0, done, {"truncated": truncated, "steps": self.steps}

    # -- drawing ------------------------------------------------------------------------------

    @staticmethod
    def render(state, ax, title: str = "") -> None:
        """Draw the cart and the pole of `state` on the matplotlib axes `ax`."""
        x, _, theta, _ = state
        ax.plot([-2.4, 2.4], [0, 0], color="0.3", lw=2)
        ax.add_patch(_rectangle(x - 0.25, -0.075, 0.5, 0.15))
        pole = 1.0  # drawn length (twice the half-length)
        ax.plot([x, x + pole * math.sin(theta)], [0.075, 0.075 + pole * math.cos(theta)],
                color="tab:orange", lw=4, solid_capstyle="round")
        ax.set_xlim(-2.6, 2.6)
        ax.set_ylim(-0.3, 1.3)
        ax.set_aspect("equal")
        ax.set_xticks([])
        ax.set_yticks([])
        if title:
            ax.set_title(title, fontsize=8)


def _rectangle(x, y, w, h):
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), w, h, color="tab:blue")


def run_episode(env: CartPole, policy, seed: int, max_steps: int | None = None):
    """Play one episode with `policy(state) -> action`; return (total reward, list of states)."""
    s = env.reset(seed)
    states, total = [s], 0.0
    limit = max_steps or env.max_steps
    for _ in range(limit):
        s, r, done, info = env.step(int(policy(s)))
        states.append(s)
        total += r
        if done or info["truncated"]:
            break
    return total, states


def draw_frames(states, n_frames: int = 6, title: str = ""):
    """A row of `n_frames` frames of an episode (its states evenly spaced, the last one included)."""
    import matplotlib.pyplot as plt

    idx = np.unique(np.linspace(0, len(states) - 1, n_frames).round().astype(int))
    fig, axes = plt.subplots(1, len(idx), figsize=(1.9 * len(idx), 1.2))
    axes = np.atleast_1d(axes)
    for ax, i in zip(axes, idx):
        CartPole.render(states[i], ax, f"step {i}")
    if title:
        fig.suptitle(title, fontsize=9)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------------------------------
# The Q-network: a one-hidden-layer MLP with ReLU, its backward pass and Adam.


def init_qnet(n_in: int, n_hidden: int, n_out: int, rng: np.random.Generator) -> dict:
    """He-initialised weights, zero biases."""
    return {
        "W1": rng.normal(0, np.sqrt(2.0 / n_in), size=(n_in, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0, np.sqrt(1.0 / n_hidden), size=(n_hidden, n_out)),
        "b2": np.zeros(n_out),
    }


def qnet_forward(params: dict, X: np.ndarray, cache: bool = False):
    """Q-values of a batch of states X (m, n_in) -> (m, n_out); with cache, also what backward needs."""
    Z1 = X @ params["W1"] + params["b1"]
    A1 = np.maximum(Z1, 0.0)
    Q = A1 @ params["W2"] + params["b2"]
    return (Q, (X, Z1, A1)) if cache else Q


def qnet_backward(params: dict, cache, dL_dQ: np.ndarray) -> dict:
    """The gradients of the loss with respect to the parameters, given dL/dQ (m, n_out) (the
    gradient of the loss with respect to the network's output)."""
    X, Z1, A1 = cache
    grads = {"W2": A1.T @ dL_dQ, "b2": dL_dQ.sum(axis=0)}
    dZ1 = (dL_dQ @ params["W2"].T) * (Z1 > 0)
    grads["W1"] = X.T @ dZ1
    grads["b1"] = dZ1.sum(axis=0)
    return grads


class Adam:
    """Adam on a dict of parameters (updated in place)."""

    def __init__(self, params: dict, lr: float = 1e-3, beta1: float = 0.9, beta2: float = 0.999,
                 eps: float = 1e-8):
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self.m = {k: np.zeros_like(v) for k, v in params.items()}
        self.v = {k: np.zeros_like(v) for k, v in params.items()}
        self.t = 0

    def step(self, params: dict, grads: dict) -> None:
        self.t += 1
        for k in params:
            self.m[k] = self.beta1 * self.m[k] + (1 - self.beta1) * grads[k]
            self.v[k] = self.beta2 * self.v[k] + (1 - self.beta2) * grads[k] ** 2
            m_hat = self.m[k] / (1 - self.beta1**self.t)
            v_hat = self.v[k] / (1 - self.beta2**self.t)
            params[k] -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


# ---------------------------------------------------------------------------------------------
# The replay buffer: a dict of arrays, filled as a ring.

BUFFER_KEYS = ("states", "actions", "rewards", "next_states", "dones")


class ReplayBuffer:
    """A ring buffer of transitions; `view()` is the dict of arrays of the transitions stored so far
    (`states` (n, 4), `actions` (n,) ints, `rewards` (n,), `next_states` (n, 4), `dones` (n,) 0/1)."""

    def __init__(self, capacity: int, n_states: int = 4):
        self.capacity = int(capacity)
        self.data = {"states": np.zeros((capacity, n_states)), "actions": np.zeros(capacity, dtype=int),
                     "rewards": np.zeros(capacity), "next_states": np.zeros((capacity, n_states)),
                     "dones": np.zeros(capacity)}
        self.size = 0
        self.pos = 0

    def add(self, s, a, r, s_next, done) -> None:
        i = self.pos
        self.data["states"][i] = s
        self.data["actions"][i] = a
        self.data["rewards"][i] = r
        self.data["next_states"][i] = s_next
        self.data["dones"][i] = float(done)
        self.pos = (self.pos + 1) % self.capacity
        self.size = min(self.size + 1, self.capacity)

    def view(self) -> dict:
        return {k: v[: self.size] for k, v in self.data.items()}

    def __len__(self) -> int:
        return self.size


# ---------------------------------------------------------------------------------------------
# Reference versions of the four pieces, for the training loop's default (the exercise passes the
# learner's own). Kept here, not in a lesson.


def _ref_loss(q_online, q_target_next, actions, rewards, dones, gamma):
    m = q_online.shape[0]
    y = rewards + gamma * (1 - dones) * np.max(q_target_next, axis=1)
    q_sa = q_online[np.arange(m), actions]
    grad = np.zeros_like(q_online)
    grad[np.arange(m), actions] = 2 * (q_sa - y) / m
    return float(np.mean((q_sa - y) ** 2)), grad


def _ref_soft(target, online, tau):
    return {k: tau * online[k] + (1 - tau) * target[k] for k in target}


def _ref_sample(buffer, batch_size, rng):
    idx = rng.choice(len(buffer["actions"]), size=batch_size, replace=False)
    return {k: v[idx] for k, v in buffer.items()}


def _ref_eps(step, eps_start, eps_end, decay):
    return max(eps_end, eps_start * decay**step)


def train_dqn(loss_fn=None, soft_update_fn=None, sample_fn=None, epsilon_fn=None, *,
              n_steps: int = 5000, seed: int = 0, n_hidden: int = 32, lr: float = 2e-3,
              gamma: float = 0.99, batch_size: int = 32, buffer_size: int = 10000,
              learn_start: int = 200, tau: float = 0.01, eps_start: float = 1.0,
              eps_end: float = 0.02, eps_decay: float = 0.999, replay: bool = True,
              target_network: bool = True, max_seconds: float | None = None):
    """Train a DQN agent on CartPole for `n_steps` environment steps, with one gradient step per
    environment step once `learn_start` transitions are stored. The four pieces are passed in
    (the learner's own in the exercise); None means the kit's reference.

    `replay=False` learns from the latest `batch_size` transitions in order (no replay);
    `target_network=False` computes targets with the online network itself (no target network).
    Returns a dict: `params` (the online network), `returns` (one per finished episode),
    `episode_ends` (the step at which each ended), `losses`, `epsilons`, `seconds`.
    """
    loss_fn = loss_fn or _ref_loss
    soft_update_fn = soft_update_fn or _ref_soft
    sample_fn = sample_fn or _ref_sample
    epsilon_fn = epsilon_fn or _ref_eps
    rng = np.random.default_rng(seed)
    env = CartPole()
    online = init_qnet(4, n_hidden, 2, rng)
    target = copy.deepcopy(online)
    opt = Adam(online, lr=lr)
    buf = ReplayBuffer(buffer_size)
    returns, ends, losses, epsilons = [], [], [], []
    s = env.reset(int(rng.integers(1 << 30)))
    ep_return = 0.0
    start = time.perf_counter()
    for t in range(n_steps):
        eps = float(epsilon_fn(t, eps_start, eps_end, eps_decay))
        epsilons.append(eps)
        if rng.random() < eps:
            a = int(rng.integers(2))
        else:
            a = int(np.argmax(qnet_forward(online, s[None, :])[0]))
        s_next, r, done, info = env.step(a)
        buf.add(s, a, r, s_next, done)
        ep_return += r
        s = s_next
        if done or info["truncated"]:
            returns.append(ep_return)
            ends.append(t + 1)
            ep_return = 0.0
            s = env.reset(int(rng.integers(1 << 30)))
        if len(buf) >= learn_start:
            if replay:
                batch = sample_fn(buf.view(), batch_size, rng)
            else:
                n = len(buf)
                idx = (np.arange(n - batch_size, n) + buf.pos - n) % buf.capacity
                batch = {k: v[idx] for k, v in buf.data.items()}
            q, cache = qnet_forward(online, batch["states"], cache=True)
            q_next = qnet_forward(target if target_network else online, batch["next_states"])
            loss, dq = loss_fn(q, q_next, batch["actions"], batch["rewards"], batch["dones"], gamma)
            losses.append(float(loss))
            opt.step(online, qnet_backward(online, cache, dq))
            if target_network:
                target = soft_update_fn(target, online, tau)
        if max_seconds is not None and time.perf_counter() - start > max_seconds:
            break
    return {"params": online, "returns": returns, "episode_ends": ends, "losses": losses,
            "epsilons": epsilons, "seconds": time.perf_counter() - start}


def greedy_policy(params: dict):
    """The policy that picks the action with the largest Q-value of `params`'s network."""
    return lambda s: int(np.argmax(qnet_forward(params, s[None, :])[0]))


def random_policy(seed: int = 0):
    rng = np.random.default_rng(seed)
    return lambda s: int(rng.integers(2))


def evaluate(policy, n_episodes: int = 20, seed: int = 1000) -> np.ndarray:
    """The returns of `policy` over `n_episodes` episodes started from seeds seed, seed + 1, ..."""
    env = CartPole()
    return np.array([run_episode(env, policy, seed + i)[0] for i in range(n_episodes)])
