"""Train the reference DQN agent of c3w3-dqn on the cart-pole and report its return and its time
(issue 12: "`make bench` trains the reference agent to a stated average return and reports the
time (target: within 60 s on one core)"). The `dqn` section of `make bench` (bench/run.py).

    python bench/dqn.py                     # 10000 steps, seeds 0 1 2 3 4
    python bench/dqn.py --steps 5000 --seeds 0
    python bench/dqn.py --json              # one JSON object on stdout (what bench/run.py reads)

For each seed: the training time and CPU time (pinned to one core, one BLAS thread), the mean
return of the last 10 training episodes, and the mean return of 20 greedy test episodes (seeds
1000..1019; the maximum is 200), beside the random policy's on the same episodes. The stated
return: a greedy test return of 195 averaged over the seeds (gym's threshold for "solved" on
CartPole-v0, whose episodes also end at 200 steps).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

STEPS = 10000
SEEDS = [0, 1, 2, 3, 4]
QUICK_SEEDS = [0, 1, 2]
TARGET_RETURN = 195.0
TARGET_S = 60.0
TEST_EPISODES, TEST_SEED = 20, 1000

ONE_THREAD = {"OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _one_core() -> int | None:
    """Pin this process to one of the cores it may use; returns that core (None where unsupported)."""
    try:
        core = min(os.sched_getaffinity(0))
        os.sched_setaffinity(0, {core})
        return core
    except (AttributeError, OSError):
        return None


def measure(steps: int, seeds: list[int]) -> dict:
    import numpy as np

    from autograder.datasets.c3w3_dqn import evaluate, greedy_policy, random_policy, train_dqn

    core = _one_core()
    random_mean = float(evaluate(random_policy(0), n_episodes=TEST_EPISODES, seed=TEST_SEED).mean())
    rows = []
    for seed in seeds:
        cpu0 = time.process_time()
        run = train_dqn(n_steps=steps, seed=seed)
        cpu = time.process_time() - cpu0
        test = float(evaluate(greedy_policy(run["params"]), n_episodes=TEST_EPISODES, seed=TEST_SEED).mean())
        rows.append({"seed": seed, "train_s": run["seconds"], "cpu_s": cpu, "episodes": len(run["returns"]),
                     "last10": float(np.mean(run["returns"][-10:])), "test_return": test})
    mean_test = float(np.mean([r["test_return"] for r in rows]))
    slowest = max(r["train_s"] for r in rows)
    return {"steps": steps, "seeds": seeds, "core": core, "test_episodes": TEST_EPISODES, "test_seed": TEST_SEED,
            "random_return": random_mean, "rows": rows, "mean_test_return": mean_test, "slowest_s": slowest,
            "target_return": TARGET_RETURN, "target_s": TARGET_S,
            "met": mean_test >= TARGET_RETURN and slowest <= TARGET_S}


def run(quick: bool):
    """The bench section: this script in a child process (one core, one BLAS thread, a fresh
    interpreter), its JSON read back."""
    from bench.common import PY, ROOT, Section, base_env, log, run_timed

    seeds = QUICK_SEEDS if quick else SEEDS
    section = Section("dqn", "The reference DQN agent (c3w3-dqn)")
    log(f"dqn: training the reference agent, {STEPS} steps, seeds {' '.join(map(str, seeds))}")
    t = run_timed([PY, str(Path(__file__).resolve()), "--json", "--steps", str(STEPS), "--seeds", *map(str, seeds)],
                  cwd=ROOT, env=base_env(**ONE_THREAD), timeout=900)
    section.data = json.loads(t.proc.stdout)
    return section


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--steps", type=int, default=STEPS)
    ap.add_argument("--seeds", type=int, nargs="+", default=SEEDS)
    ap.add_argument("--json", action="store_true", help="print the measurements as one JSON object")
    args = ap.parse_args(argv)
    os.environ.update(ONE_THREAD)  # before numpy is imported (in measure)
    d = measure(args.steps, args.seeds)
    if args.json:
        print(json.dumps(d))
        return 0
    print(f"random policy: mean test return {d['random_return']:.1f}")
    for r in d["rows"]:
        print(f"seed {r['seed']}: {d['steps']} steps in {r['train_s']:.1f} s (CPU {r['cpu_s']:.1f} s), last 10 "
              f"training episodes {r['last10']:.1f}, greedy test return {r['test_return']:.1f}")
    print(f"mean greedy test return over {len(d['rows'])} seeds: {d['mean_test_return']:.1f} (random "
          f"{d['random_return']:.1f}; target {TARGET_RETURN:g}, each training within {TARGET_S:g} s: "
          f"{'met' if d['met'] else 'not met'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
