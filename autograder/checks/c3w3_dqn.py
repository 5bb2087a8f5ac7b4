"""Checks for module c3w3-dqn: deep Q-learning (the DQN loss and its gradient, soft updates,
mini-batch sampling from the replay buffer, the epsilon schedule).

Each `check_<function>` runs the learner's function on hand-computable cases, edge cases and a
seeded random case, compares with the reference below, and names the mistake when the result
matches one in the catalogue `MISTAKES`.

The rules the exercise states, and the checks hold:
- no function changes its arguments (the loss's arrays, the networks' dicts, the buffer), except
  that `sample_minibatch` draws from `rng` (which advances it);
- `sample_minibatch` draws its indices with exactly one call,
  `idx = rng.choice(n, size=batch_size, replace=False)` with n = len(buffer["actions"]), so that a
  right implementation gives the reference's batch for the same generator; a batch of distinct,
  whole transitions drawn another way is told so (and what call to use);
- the loss is the mean squared error (1/m) sum (Q(s, a) - y)^2, without a 1/2, with the targets
  y = r + gamma (1 - done) max_a' Q_target(s', a') held constant.
"""

from __future__ import annotations

import numpy as np

from autograder.checks.ladder import Check, Hint, check, mistake, show

# ---------------------------------------------------------------------------------------------
# Reference implementations.


def ref_dqn_loss_and_output_grad(q_online, q_target_next, actions, rewards, dones, gamma):
    m = q_online.shape[0]
    y = rewards + gamma * (1 - dones) * np.max(q_target_next, axis=1)
    q_sa = q_online[np.arange(m), actions]
    dL_dq = np.zeros_like(q_online, dtype=float)
    dL_dq[np.arange(m), actions] = 2 * (q_sa - y) / m
    return float(np.mean((q_sa - y) ** 2)), dL_dq


def ref_soft_update(target, online, tau):
    return {k: tau * online[k] + (1 - tau) * target[k] for k in target}


def ref_sample_minibatch(buffer, batch_size, rng):
    idx = rng.choice(len(buffer["actions"]), size=batch_size, replace=False)
    return {k: v[idx] for k, v in buffer.items()}


def ref_epsilon_schedule(step, eps_start, eps_end, decay):
    return float(max(eps_end, eps_start * decay**step))


# ---------------------------------------------------------------------------------------------
# Catalogues of plausible mistakes.

# -- dqn_loss_and_output_grad --


def _pieces(q_online, q_target_next, actions, rewards, dones, gamma):
    m = q_online.shape[0]
    rows = np.arange(m)
    y = rewards + gamma * (1 - dones) * np.max(q_target_next, axis=1)
    return m, rows, y, q_online[rows, actions]


def _grad_at(q_online, rows, actions, values):
    g = np.zeros_like(q_online, dtype=float)
    g[rows, actions] = values
    return g


@mistake("`dones` is ignored: after the last step of an episode there is no next state, so the "
         "target is just the reward. Multiply gamma * max Q_target(s', a') by (1 - dones).")
def _loss_ignores_done(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, _, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    y = rewards + gamma * np.max(q_target_next, axis=1)
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y) / m)


@mistake("the targets use the online network's values (q_online) instead of the target "
         "network's values at the next states (q_target_next): y = r + gamma (1 - done) "
         "max over a' of q_target_next.")
def _loss_online_targets(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, _, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    y = rewards + gamma * (1 - dones) * np.max(q_online, axis=1)
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y) / m)


@mistake("the gradient is spread over every action of a row; only the action taken, Q(s, a) "
         "with a = actions[i], is in the loss, so every other entry of dL_dq is 0.")
def _loss_grad_all_actions(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    g = np.repeat((2 * (q_sa - y) / m)[:, None], q_online.shape[1], axis=1)
    return float(np.mean((q_sa - y) ** 2)), g


@mistake("the factor 2 of the derivative of the square is missing: d/dq (q - y)^2 = 2 (q - y), "
         "so dL_dq = 2 (Q(s, a) - y) / m at the action taken.")
def _loss_grad_no_two(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, (q_sa - y) / m)


@mistake("the gradient is not divided by m: the loss is a mean over the mini-batch, so its "
         "gradient carries the same 1/m, dL_dq = 2 (Q(s, a) - y) / m.")
def _loss_grad_no_m(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y))


@mistake("the gradient's sign is flipped: it is 2 (Q(s, a) - y) / m (prediction minus target), "
         "so that gradient descent moves Q(s, a) towards y.")
def _loss_grad_sign(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (y - q_sa) / m)


@mistake("the loss is a sum over the mini-batch; it is the mean, (1/m) sum (Q(s, a) - y)^2 (and "
         "the gradient then carries the 1/m too).")
def _loss_sum(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    return float(np.sum((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y))


@mistake("the loss has a 1/2 (the c1 cost's convention); this exercise's loss is the plain mean "
         "squared error, (1/m) sum (Q(s, a) - y)^2, with gradient 2 (Q(s, a) - y) / m.")
def _loss_half(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    return float(np.mean((q_sa - y) ** 2) / 2), _grad_at(q_online, rows, actions, (q_sa - y) / m)


@mistake("np.argmax gives the best next action's index; the target needs its value: "
         "np.max(q_target_next, axis=1).")
def _loss_argmax(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, _, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    y = rewards + gamma * (1 - dones) * np.argmax(q_target_next, axis=1)
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y) / m)


@mistake("the target takes the next state's value of the same action, q_target_next[i, a_i]; "
         "Q-learning takes the best next action: max over a' of q_target_next[i, a'].")
def _loss_same_action(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, _, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    y = rewards + gamma * (1 - dones) * q_target_next[rows, actions]
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y) / m)


@mistake("the max over actions is taken down the columns (axis=0, over the mini-batch); each "
         "example's best next value is the max of its own row: np.max(q_target_next, axis=1).")
def _loss_max_axis0(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, _, q_sa = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    best = np.max(q_target_next, axis=0)
    best = np.resize(best, m)
    y = rewards + gamma * (1 - dones) * best
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, actions, 2 * (q_sa - y) / m)


@mistake("the prediction is the best online value max_a Q(s, a); the loss compares the value of "
         "the action that was taken, q_online[i, actions[i]], with its target.")
def _loss_max_online(q_online, q_target_next, actions, rewards, dones, gamma):
    m, rows, y, _ = _pieces(q_online, q_target_next, actions, rewards, dones, gamma)
    best = np.argmax(q_online, axis=1)
    q_sa = q_online[rows, best]
    return float(np.mean((q_sa - y) ** 2)), _grad_at(q_online, rows, best, 2 * (q_sa - y) / m)


@mistake("the returned pair is (dL_dq, loss); return (loss, dL_dq), in that order.")
def _loss_swapped(q_online, q_target_next, actions, rewards, dones, gamma):
    loss, grad = ref_dqn_loss_and_output_grad(q_online, q_target_next, actions, rewards, dones, gamma)
    return grad, loss


# -- soft_update --


@mistake("tau and 1 - tau are swapped: the target moves only a small step tau towards the online "
         "network, new = tau * online + (1 - tau) * target.")
def _soft_swapped(target, online, tau):
    return {k: (1 - tau) * online[k] + tau * target[k] for k in target}


@mistake("the online network is copied whole (a hard update); a soft update blends the two, "
         "tau * online + (1 - tau) * target.")
def _soft_hard_copy(target, online, tau):
    return {k: online[k].copy() for k in online}


@mistake("the target network is returned unchanged; it should move a step tau towards the online "
         "network.")
def _soft_unchanged(target, online, tau):
    return {k: target[k].copy() for k in target}


@mistake("(1 - tau) is missing: new = target + tau * online grows without bound; the blend is "
         "tau * online + (1 - tau) * target.")
def _soft_no_one_minus(target, online, tau):
    return {k: target[k] + tau * online[k] for k in target}


@mistake("only the weights (W1, W2, ...) are blended; the biases (b1, b2, ...) belong to the "
         "network too: blend every entry of the dict.")
def _soft_weights_only(target, online, tau):
    return {k: (tau * online[k] + (1 - tau) * target[k]) if k.startswith("W") else target[k].copy()
            for k in target}


@mistake("the target's arrays were updated in place (`target[k] *= ...` or `target[k] = ...`): "
         "the caller's target network changed. Leave both arguments as they are and return a new "
         "dict of new arrays (plain arithmetic such as `a * b + c` makes new arrays; `*=` and `+=` "
         "change the old ones).")
def _soft_in_place(target, online, tau):
    for k in target:
        target[k] *= 1 - tau
        target[k] += tau * online[k]
    return dict(target)


@mistake("the step goes the wrong way: target + tau * (target - online) moves away from the "
         "online network; it is target + tau * (online - target).")
def _soft_wrong_direction(target, online, tau):
    return {k: target[k] + tau * (target[k] - online[k]) for k in target}


# -- sample_minibatch --


def _n(buffer):
    return len(buffer["actions"])


@mistake("the indices are drawn with replacement (rng.choice(n, size) or rng.integers), so a "
         "transition can come twice; draw them with rng.choice(n, size=batch_size, replace=False).")
def _sample_with_replacement(buffer, batch_size, rng):
    idx = rng.choice(_n(buffer), size=batch_size)
    return {k: v[idx] for k, v in buffer.items()}


@mistake("the first batch_size transitions are taken, always the same ones (and the oldest); the "
         "mini-batch is drawn at random: rng.choice(n, size=batch_size, replace=False).")
def _sample_first_rows(buffer, batch_size, rng):
    return {k: v[:batch_size] for k, v in buffer.items()}


@mistake("the latest batch_size transitions are taken: these are consecutive, strongly correlated "
         "steps, which is what replay avoids. Draw at random: rng.choice(n, size=batch_size, "
         "replace=False).")
def _sample_last_rows(buffer, batch_size, rng):
    return {k: v[-batch_size:] for k, v in buffer.items()}


@mistake("each array got its own random indices, so a state no longer goes with its own action, "
         "reward and next state; draw one idx and index every array of the buffer with it.")
def _sample_per_key(buffer, batch_size, rng):
    return {k: v[rng.choice(_n(buffer), size=batch_size, replace=False)] for k, v in buffer.items()}


@mistake("the indices are drawn from range(n - 1), so the newest transition is never sampled; "
         "rng.choice(n, ...) already draws from 0 to n - 1.")
def _sample_n_minus_one(buffer, batch_size, rng):
    idx = rng.choice(_n(buffer) - 1, size=batch_size, replace=False)
    return {k: v[idx] for k, v in buffer.items()}


@mistake("the indices were returned, not the mini-batch: return a dict with the same keys as the "
         "buffer, each array indexed by idx.")
def _sample_returns_indices(buffer, batch_size, rng):
    return rng.choice(_n(buffer), size=batch_size, replace=False)


@mistake("the rows are drawn by the buffer's length along the wrong array: len(buffer) is the "
         "number of keys of the dict (5), not of transitions; n = len(buffer['actions']).")
def _sample_len_of_dict(buffer, batch_size, rng):
    idx = rng.choice(len(buffer), size=min(batch_size, len(buffer)), replace=False)
    return {k: v[idx] for k, v in buffer.items()}


@mistake("the indices were sorted; keep them in the order rng.choice draws them (the order does "
         "not matter to the loss, but the exercise's batch must be the reference's).")
def _sample_sorted(buffer, batch_size, rng):
    idx = np.sort(rng.choice(_n(buffer), size=batch_size, replace=False))
    return {k: v[idx] for k, v in buffer.items()}


# -- epsilon_schedule --


@mistake("min was used where max belongs: epsilon decays from eps_start and stops at the floor "
         "eps_end, max(eps_end, eps_start * decay**step).")
def _eps_min(step, eps_start, eps_end, decay):
    return float(min(eps_end, eps_start * decay**step))


@mistake("there is no floor: epsilon must never fall below eps_end, max(eps_end, eps_start * "
         "decay**step).")
def _eps_no_floor(step, eps_start, eps_end, decay):
    return float(eps_start * decay**step)


@mistake("the decay is linear (eps_start - decay * step); the schedule is geometric, "
         "eps_start * decay**step, floored at eps_end.")
def _eps_linear(step, eps_start, eps_end, decay):
    return float(max(eps_end, eps_start - decay * step))


@mistake("the exponent is off by one: at step 0 epsilon is eps_start itself (decay**0 = 1).")
def _eps_plus_one(step, eps_start, eps_end, decay):
    return float(max(eps_end, eps_start * decay ** (step + 1)))


@mistake("decay * step (a product) was used where decay**step (a power) belongs.")
def _eps_product(step, eps_start, eps_end, decay):
    return float(max(eps_end, eps_start * decay * step))


@mistake("the decay was applied to the distance above the floor, eps_end + (eps_start - eps_end) * "
         "decay**step; this exercise's schedule is max(eps_end, eps_start * decay**step).")
def _eps_shifted(step, eps_start, eps_end, decay):
    return float(eps_end + (eps_start - eps_end) * decay**step)


@mistake("eps_start and eps_end are swapped: start at eps_start (explore a lot) and decay "
         "towards the floor eps_end.")
def _eps_swapped(step, eps_start, eps_end, decay):
    return float(max(eps_start, eps_end * decay**step))


@mistake("the result was rounded to an integer; epsilon is a probability, a float between 0 and 1.")
def _eps_int(step, eps_start, eps_end, decay):
    return int(max(eps_end, eps_start * decay**step))


MISTAKES = {
    "dqn_loss_and_output_grad": [_loss_ignores_done, _loss_online_targets, _loss_grad_all_actions,
                                 _loss_grad_no_two, _loss_grad_no_m, _loss_grad_sign, _loss_sum,
                                 _loss_half, _loss_argmax, _loss_same_action, _loss_max_axis0,
                                 _loss_max_online, _loss_swapped],
    "soft_update": [_soft_swapped, _soft_hard_copy, _soft_unchanged, _soft_no_one_minus,
                    _soft_weights_only, _soft_in_place, _soft_wrong_direction],
    "sample_minibatch": [_sample_with_replacement, _sample_first_rows, _sample_last_rows,
                         _sample_per_key, _sample_n_minus_one, _sample_returns_indices,
                         _sample_len_of_dict, _sample_sorted],
    "epsilon_schedule": [_eps_min, _eps_no_floor, _eps_linear, _eps_plus_one, _eps_product,
                         _eps_shifted, _eps_swapped, _eps_int],
}

# No function may change its arguments (the exercise says so); sample_minibatch's generator
# advances as it draws, which is allowed.
ARGUMENTS_KEPT = {"dqn_loss_and_output_grad", "soft_update", "sample_minibatch"}  # epsilon_schedule: numbers only


# ---------------------------------------------------------------------------------------------
# Helpers of the checks.


class _Rng(np.random.Generator):
    """`np.random.default_rng(seed)`, shown as such in messages (a copy is a plain Generator)."""

    def __init__(self, seed: int):
        super().__init__(np.random.PCG64(seed))
        self.seed = seed

    def __repr__(self) -> str:
        return f"default_rng({self.seed})"


class _Arrays(dict):
    """A dict of arrays (a network's parameters, a replay buffer), shown on one line in messages;
    the learner's function gets a copy, which behaves as a plain dict."""

    def __repr__(self) -> str:
        return "{" + ", ".join(f"{k!r}: {show(v)}" for k, v in self.items()) + "}"


def _buffer(n: int, seed: int) -> dict:
    """A replay buffer of n transitions (states numbered so a mixed-up batch is easy to spot)."""
    rng = np.random.default_rng(seed)
    states = np.round(rng.normal(0, 1, size=(n, 4)), 3)
    return _Arrays(states=states, actions=rng.integers(0, 2, size=n), rewards=np.ones(n),
                   next_states=np.round(states + rng.normal(0, 0.1, size=(n, 4)), 3),
                   dones=(rng.random(n) < 0.1).astype(float))


def _dict_compare(keys_from):
    """A `compare` hook for a result that is a dict of arrays with the reference's keys."""

    def compare(got, expected):
        if isinstance(expected, dict):
            if not isinstance(got, dict):
                return f"got {type(got).__name__}, expected a dict with the keys {sorted(expected)}."
            if set(got) != set(expected):
                return f"got a dict with the keys {sorted(got)}, expected the keys {sorted(expected)}."
            from autograder.checks.ladder import compare as compare_values

            for k in expected:
                reason = compare_values(got[k], expected[k], rtol=1e-6, atol=1e-9, label=f"[{k!r}]")
                if reason is not None:
                    return reason
            return None
        from autograder.checks.ladder import compare as compare_values

        return compare_values(got, expected, rtol=1e-6, atol=1e-9)

    return compare


def _batch_describe(args, got, expected, reason, causes):
    """A batch of distinct whole transitions drawn in another way than the stated call: say so."""
    if causes or not isinstance(got, dict) or set(got) != set(expected):
        return reason
    buf = args["buffer"]
    try:
        rows = [int(np.flatnonzero(np.all(buf["states"] == s, axis=1))[0]) for s in got["states"]]
    except (IndexError, TypeError, ValueError):
        return reason
    whole = all(np.array_equal(got[k], buf[k][rows]) for k in buf)
    if whole and len(set(rows)) == len(rows) == args["batch_size"]:
        reason += (" Your batch holds distinct, whole transitions of the buffer, but not the ones the "
                   "stated call draws: use exactly one call, idx = rng.choice(n, size=batch_size, "
                   "replace=False) with n = len(buffer['actions']), and index every array with idx, "
                   "so the same generator gives the same batch.")
    return reason


# ---------------------------------------------------------------------------------------------
# The checks the notebook's check cells call.


@check
def check_dqn_loss_and_output_grad(dqn_loss_and_output_grad):
    c = Check("dqn_loss_and_output_grad", dqn_loss_and_output_grad, ref_dqn_loss_and_output_grad,
              MISTAKES["dqn_loss_and_output_grad"], returns=("loss", "dL_dq"), mutation="fail",
              detail_raised=True, examples={"q_online": "batch", "q_target_next": "batch"},
              hints=(Hint("`actions` holds integer indices: pick Q(s_i, a_i) with "
                          "q_online[np.arange(m), actions].", ("IndexError",)),))
    # y = [1 + 0.9 * 3, 1 + 0] = [3.7, 1]; q_sa = [2, 0.5]; loss = ((2-3.7)^2 + (0.5-1)^2) / 2
    c.case(q_online=np.array([[1.0, 2.0], [0.5, -1.0]]), q_target_next=np.array([[3.0, 0.0], [4.0, 5.0]]),
           actions=np.array([1, 0]), rewards=np.array([1.0, 1.0]), dones=np.array([0.0, 1.0]), gamma=0.9)
    c.case(note="one example, not done", q_online=np.array([[0.0, 1.0, 2.0]]),
           q_target_next=np.array([[1.0, 4.0, 2.0]]), actions=np.array([2]), rewards=np.array([0.5]),
           dones=np.array([0.0]), gamma=0.5)
    c.case(note="every episode ended", q_online=np.array([[1.0, 3.0], [2.0, 2.0], [0.0, -1.0]]),
           q_target_next=np.array([[9.0, 1.0], [7.0, 8.0], [2.0, 6.0]]), actions=np.array([0, 1, 1]),
           rewards=np.array([1.0, 0.0, -1.0]), dones=np.ones(3), gamma=0.99)
    c.case(note="the same action everywhere", q_online=np.array([[1.0, 3.0], [2.0, 5.0], [0.0, 4.0]]),
           q_target_next=np.array([[1.0, 2.0], [6.0, 3.0], [-2.0, -5.0]]), actions=np.array([1, 1, 1]),
           rewards=np.array([1.0, 2.0, 0.0]), dones=np.zeros(3), gamma=0.9)
    rng = np.random.default_rng(3)
    m = 32
    c.case(note="random mini-batch of 32, 4 actions", q_online=rng.normal(5, 2, size=(m, 4)),
           q_target_next=rng.normal(5, 2, size=(m, 4)), actions=rng.integers(0, 4, size=m),
           rewards=rng.normal(1, 1, size=m), dones=(rng.random(m) < 0.2).astype(float), gamma=0.99)
    c.passed()


def _net(seed, scale=1.0):
    rng = np.random.default_rng(seed)
    return _Arrays(W1=scale * rng.normal(size=(4, 3)), b1=scale * rng.normal(size=3),
                   W2=scale * rng.normal(size=(3, 2)), b2=scale * rng.normal(size=2))


@check
def check_soft_update(soft_update):
    c = Check("soft_update", soft_update, ref_soft_update, MISTAKES["soft_update"],
              compare=_dict_compare(None), mutation="fail", detail_raised=True)
    # new = 0.1 * 10 + 0.9 * 0 = 1 for W; 0.1 * 2 + 0.9 * 4 = 3.8 for b
    c.case(target=_Arrays(W=np.zeros((2, 2)), b=np.array([4.0, 4.0])),
           online=_Arrays(W=np.full((2, 2), 10.0), b=np.array([2.0, 2.0])), tau=0.1)
    c.case(note="tau = 0.5: halfway", target=_Arrays(W=np.array([[1.0, -1.0]]), b=np.array([0.0])),
           online=_Arrays(W=np.array([[3.0, 5.0]]), b=np.array([2.0])), tau=0.5)
    c.case(note="a two-layer network, tau = 0.01", target=_net(0), online=_net(1), tau=0.01)
    c.case(note="tau = 0.3, large weights", target=_net(2, 100.0), online=_net(3, 0.5), tau=0.3)
    c.passed()


@check
def check_sample_minibatch(sample_minibatch):
    c = Check("sample_minibatch", sample_minibatch, ref_sample_minibatch, MISTAKES["sample_minibatch"],
              compare=_dict_compare(None), describe=_batch_describe, mutation="fail", mutable=("rng",),
              detail_raised=True)
    c.case(buffer=_buffer(10, 0), batch_size=4, rng=_Rng(0))
    c.case(note="the whole buffer, shuffled", buffer=_buffer(6, 1), batch_size=6, rng=_Rng(1))
    c.case(note="one transition", buffer=_buffer(8, 2), batch_size=1, rng=_Rng(2))
    c.case(note="a batch of 32 from 500 transitions", buffer=_buffer(500, 3), batch_size=32, rng=_Rng(3))
    c.case(note="another seed", buffer=_buffer(40, 4), batch_size=16, rng=_Rng(4))
    c.passed()


@check
def check_epsilon_schedule(epsilon_schedule):
    c = Check("epsilon_schedule", epsilon_schedule, ref_epsilon_schedule, MISTAKES["epsilon_schedule"],
              compare=_float_only, detail_raised=True,
              probe=("step",))
    c.case(note="step 0: eps_start", step=0, eps_start=1.0, eps_end=0.01, decay=0.995)
    c.case(step=100, eps_start=1.0, eps_end=0.01, decay=0.995)  # 0.995**100 = 0.6058
    c.case(note="long after: the floor", step=5000, eps_start=1.0, eps_end=0.05, decay=0.995)
    c.case(step=3, eps_start=0.5, eps_end=0.1, decay=0.5)  # 0.0625 -> 0.1
    c.case(step=1, eps_start=0.8, eps_end=0.1, decay=0.9)  # 0.72
    c.case(note="slow decay", step=1000, eps_start=1.0, eps_end=0.02, decay=0.9995)
    c.passed()


def _float_only(got, expected):
    from autograder.checks.ladder import compare as compare_values

    if isinstance(expected, float) and isinstance(got, (bool, np.bool_, int, np.integer)):
        return f"got {got!r} (an integer), expected the probability {expected!r}, a float."
    return compare_values(got, expected, rtol=1e-6, atol=1e-9)
