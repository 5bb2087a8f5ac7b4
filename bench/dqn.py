"""Train the reference DQN agent of c3w3-dqn on the cart-pole and report its return and its time.

    python bench/dqn.py                     # 10000 steps, seeds 0 1 2
    python bench/dqn.py --steps 5000 --seeds 0

For each seed: the training time (one core), the mean return of the last 10 training episodes, and
the mean return of 20 greedy test episodes (seeds 1000..1019; the maximum is 200), beside the
random policy's on the same episodes. Not part of `make bench` (bench/run.py) yet.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder.datasets.c3w3_dqn import evaluate, greedy_policy, random_policy, train_dqn  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=10000)
    ap.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    args = ap.parse_args(argv)
    random_mean = evaluate(random_policy(0), n_episodes=20, seed=1000).mean()
    print(f"random policy: mean test return {random_mean:.1f}")
    tests = []
    for seed in args.seeds:
        run = train_dqn(n_steps=args.steps, seed=seed)
        test = evaluate(greedy_policy(run["params"]), n_episodes=20, seed=1000).mean()
        tests.append(test)
        print(f"seed {seed}: {args.steps} steps in {run['seconds']:.1f} s, last 10 training episodes "
              f"{np.mean(run['returns'][-10:]):.1f}, greedy test return {test:.1f}")
    print(f"mean greedy test return over {len(tests)} seeds: {np.mean(tests):.1f} (random {random_mean:.1f})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
