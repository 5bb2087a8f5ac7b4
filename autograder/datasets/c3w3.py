"""The grid world of module c3w3 (reinforcement learning), in plain numpy, and its drawing.

A 4 x 4 grid, row 0 at the top. The agent starts anywhere it may stand, and moves up, right, down
or left (actions 0, 1, 2, 3). Moving into the outer edge or into the wall leaves it where it is.
Each move costs `step_reward` (-1); entering the goal G pays `goal_reward` (+10) and entering the
pit P pays `pit_reward` (-10); both end the episode.

    . . . G
    . # . P
    . . . .
    S . . .

With `slip > 0` a move goes sideways instead (each perpendicular direction with probability
slip / 2), as on an icy floor; with the default `slip = 0` the world is deterministic.

The reward comes with the move: `step(s, a)` returns `(s_next, r, done)`, where `r` is what the
agent gets for that move and `done` says whether `s_next` ends the episode.
"""

from __future__ import annotations

import numpy as np

LAYOUT = (
    "...G",
    ".#.P",
    "....",
    "S...",
)
ACTIONS = ("up", "right", "down", "left")
ARROWS = ("\u2191", "\u2192", "\u2193", "\u2190")
_MOVES = ((-1, 0), (0, 1), (1, 0), (0, -1))


class GridWorld:
    """A small grid world with a goal, a pit and a wall; states are the cells, numbered row by row
    (state = row * n_cols + col)."""

    def __init__(self, slip: float = 0.0, step_reward: float = -1.0, goal_reward: float = 10.0,
                 pit_reward: float = -10.0, layout: tuple[str, ...] = LAYOUT):
        self.layout = tuple(layout)
        self.n_rows, self.n_cols = len(layout), len(layout[0])
        self.n_states = self.n_rows * self.n_cols
        self.n_actions = len(ACTIONS)
        self.slip = float(slip)
        self.step_reward, self.goal_reward, self.pit_reward = step_reward, goal_reward, pit_reward
        cells = "".join(layout)
        self.wall = np.array([ch == "#" for ch in cells])
        self.goal = np.array([ch == "G" for ch in cells])
        self.pit = np.array([ch == "P" for ch in cells])
        self.terminal = self.goal | self.pit
        self.start = cells.index("S")
        # the states an episode may start from: free, not terminal
        self.start_states = np.flatnonzero(~self.wall & ~self.terminal)
        self.next_state = np.array([[self._move(s, a) for a in range(self.n_actions)]
                                    for s in range(self.n_states)])

    # -- geometry ---------------------------------------------------------------------------------

    def cell(self, s: int) -> tuple[int, int]:
        """(row, col) of state s."""
        return divmod(int(s), self.n_cols)

    def _move(self, s: int, a: int) -> int:
        row, col = self.cell(s)
        dr, dc = _MOVES[a]
        r, c = row + dr, col + dc
        if not (0 <= r < self.n_rows and 0 <= c < self.n_cols) or self.wall[r * self.n_cols + c]:
            return int(s)  # bumped into the edge or the wall: stay
        return r * self.n_cols + c

    def reward(self, s_next: int) -> float:
        """The reward for a move that lands in s_next."""
        if self.goal[s_next]:
            return float(self.goal_reward)
        if self.pit[s_next]:
            return float(self.pit_reward)
        return float(self.step_reward)

    # -- interacting ------------------------------------------------------------------------------

    def reset(self, rng: np.random.Generator | None = None) -> int:
        """The first state of an episode: a random free state drawn with `rng` (exploring
        starts), or the start S when no generator is given."""
        if rng is None:
            return int(self.start)
        return int(self.start_states[rng.integers(len(self.start_states))])

    def step(self, s: int, a: int, rng: np.random.Generator | None = None) -> tuple[int, float, bool]:
        """Take action a in state s: returns (s_next, r, done). With slip > 0, `rng` decides
        whether the move slips sideways."""
        a = int(a)
        if self.slip > 0:
            if rng is None:
                raise ValueError("a slippery grid world needs a random generator: step(s, a, rng)")
            u = rng.random()
            if u < self.slip / 2:
                a = (a + 1) % 4
            elif u < self.slip:
                a = (a + 3) % 4
        s_next = int(self.next_state[s, a])
        return s_next, self.reward(s_next), bool(self.terminal[s_next])

    # -- the model, for planning (value iteration) -------------------------------------------------

    def model(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """The whole world as arrays: P[s, a, s'] (probability of landing in s'), R[s, a, s']
        (the reward of that move) and done[s'] (whether s' ends the episode). Terminal states and
        the wall have no moves (their rows of P are zero)."""
        S, A = self.n_states, self.n_actions
        P = np.zeros((S, A, S))
        for s in range(S):
            if self.terminal[s] or self.wall[s]:
                continue
            for a in range(A):
                P[s, a, self.next_state[s, a]] += 1 - self.slip
                P[s, a, self.next_state[s, (a + 1) % 4]] += self.slip / 2
                P[s, a, self.next_state[s, (a + 3) % 4]] += self.slip / 2
        rewards = np.array([self.reward(s) for s in range(S)])
        R = np.broadcast_to(rewards, (S, A, S)).copy()
        return P, R, self.terminal.astype(float)


# ---------------------------------------------------------------------------------------------
# Drawing (plotting code, not part of the ideas).


def plot_grid(ax, env: GridWorld, values=None, policy=None, title: str | None = None,
              fmt: str = "{:.2f}", cmap: str = "RdYlGn"):
    """Draw the grid on a matplotlib Axes: the values of the states as colours and numbers (if
    given), the action of `policy[s]` as an arrow in every state the agent can act in (if given),
    the goal, the pit and the wall."""
    n_rows, n_cols = env.n_rows, env.n_cols
    img = np.full((n_rows, n_cols), np.nan)
    if values is not None:
        img = np.asarray(values, dtype=float).reshape(n_rows, n_cols).copy()
        img[env.wall.reshape(n_rows, n_cols)] = np.nan
        bound = np.nanmax(np.abs(img)) or 1.0
        ax.imshow(np.ma.masked_invalid(img), cmap=cmap, vmin=-bound, vmax=bound)
    else:
        ax.imshow(np.zeros((n_rows, n_cols)), cmap="Greys", vmin=0, vmax=1)
    for s in range(env.n_states):
        row, col = env.cell(s)
        if env.wall[s]:
            ax.add_patch(_rectangle(col, row, "dimgray"))
            continue
        if values is None and env.terminal[s]:
            ax.add_patch(_rectangle(col, row, "#b8e2b0" if env.goal[s] else "#f2b5b5"))
        label = "G" if env.goal[s] else "P" if env.pit[s] else ("S" if s == env.start else "")
        if label:
            ax.text(col - 0.42, row - 0.3, label, fontsize=10, fontweight="bold", va="center")
        if values is not None:
            ax.text(col, row + 0.3, fmt.format(img[row, col]), ha="center", va="center", fontsize=9)
        if policy is not None and not env.terminal[s]:
            dr, dc = _MOVES[int(policy[s])]
            ax.annotate("", xy=(col + 0.3 * dc, row - 0.05 + 0.3 * dr),
                        xytext=(col - 0.3 * dc, row - 0.05 - 0.3 * dr),
                        arrowprops=dict(arrowstyle="->", lw=2, color="black"))
    for x in np.arange(-0.5, n_cols):
        ax.axvline(x, color="black", lw=1)
    for y in np.arange(-0.5, n_rows):
        ax.axhline(y, color="black", lw=1)
    ax.set_xticks([])
    ax.set_yticks([])
    if title:
        ax.set_title(title)
    return ax


def _rectangle(col, row, color):
    from matplotlib.patches import Rectangle

    return Rectangle((col - 0.5, row - 0.5), 1, 1, color=color)
