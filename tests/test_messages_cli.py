"""Issue 15 §2 through the real command line: every kind of message, graded from a notebook.

For each module used, the course's solution notebook gets the learner's functions replaced by
real learners' mistakes (one mistake per function, so one notebook carries several), and is graded
twice: as it is (the notebook's own check cells give the message) and with a solution cell that
also disables the check library inside the notebook's kernel (every check cell then "passes"
there, so what the learner sees is the clean re-check's verdict, from a process the notebook never
ran in). Each message is asserted in both, with the score.

Every notebook of the file is graded in ONE command-line call (`grade p1 p2 ... --json`, results
in the order given; the modules' groups run side by side), because each grading costs seconds of
CPU: 8 notebooks of 4 modules, 2 per module.

The kinds (docs/grading-robustness.md, "Messages that name the real mistake"):
- a cause named only when it explains every case: c1w3 `predict` thresholding at 0.4;
- the course's return order one level down: c1w3 `compute_gradient_reg` unpacking
  `dj_db, dj_dw = compute_gradient(...)`;
- a raise shows its case and the inputs that matter: c1w3 `compute_cost` on one example;
- an uncatalogued mistake points at the part that differs: c1w3 `compute_cost_reg` (lambda_
  fixed), c2w1 `my_dense` (b fixed), c1w2 `compute_gradient` (dj_dw 1/m times the expected);
- one example versus a batch: c1w2 `predict` written for one example;
- an argument that must not change is rejected, naming it: c1w2 `gradient_descent` (w_in),
  `zscore_normalize_features` (X), c3w3 `td_targets` (rewards), c2w1 `my_dense_v` (A_in) and
  `my_sequential` (params, a list of (W, b, g) whose functions travel back from the re-check's
  kernel as placeholders), while c3w3 `q_learning_update` updating Q in place passes.
"""

from __future__ import annotations

import copy
import json
import shutil
from pathlib import Path

import pytest

from autograder import syllabus
from tests.conftest import run_cli, sha256

pytestmark = pytest.mark.slow

# The learners' functions, by module. Each is modelled on a pattern of the original course's
# learners (see tests/checks/test_real_learners.py, where the same patterns are proven in-process).
WRONG = {
    "c1w3": {
        # np.squeeze drops the batch axis of one example, then the shape has one entry only.
        "compute_cost": """
def compute_cost(X, y, w, b):
    X = np.squeeze(X)
    m, n = X.shape
    f = sigmoid(X @ w + b)
    return -np.sum(y * np.log(f) + (1 - y) * np.log(1 - f)) / m
""",
        "predict": """
def predict(X, w, b):
    p = (sigmoid(X @ w + b) >= 0.4).astype(float)
    return p
""",
        "compute_cost_reg": """
def compute_cost_reg(X, y, w, b, lambda_=1):
    m = X.shape[0]
    return compute_cost(X, y, w, b) + 1 / (2 * m) * np.sum(w ** 2)
""",
        "compute_gradient_reg": """
def compute_gradient_reg(X, y, w, b, lambda_=1):
    m = X.shape[0]
    dj_db, dj_dw = compute_gradient(X, y, w, b)
    dj_dw = dj_dw + lambda_ / m * w
    return dj_dw, dj_db
""",
    },
    "c1w2": {
        "predict": """
def predict(X, w, b):
    p = np.dot(w, X) + b
    return p
""",
        "compute_gradient": """
def compute_gradient(X, y, w, b):
    m, n = X.shape
    dj_dw, dj_db = np.zeros(n), 0.0
    for i in range(m):
        err = X[i] @ w + b - y[i]
        dj_dw += err * X[i] / m
        dj_db += err
    return dj_dw / m, dj_db / m
""",
        "zscore_normalize_features": """
def zscore_normalize_features(X):
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    X -= mu
    X /= sigma
    return X.copy(), mu, sigma
""",
        "gradient_descent": """
def gradient_descent(X, y, w_in, b_in, alpha, num_iters):
    w, b = w_in, b_in
    J_history = []
    for i in range(num_iters):
        dj_dw, dj_db = compute_gradient(X, y, w, b)
        w -= alpha * dj_dw
        b -= alpha * dj_db
        J_history.append(compute_cost(X, y, w, b))
    return w, b, J_history
""",
    },
    "c3w3": {
        "td_targets": """
def td_targets(rewards, max_qsa, done_vals, gamma):
    rewards += gamma * max_qsa * (1 - done_vals)
    return rewards
""",
        # Q updated in place (and returned): the contract allows it.
        "q_learning_update": """
def q_learning_update(Q, s, a, r, s_next, done, alpha, gamma):
    target = r if done else r + gamma * np.max(Q[s_next])
    Q[s, a] += alpha * (target - Q[s, a])
    return Q
""",
    },
    "c2w1": {
        "my_dense": """
def my_dense(a_in, W, b, g):
    units = W.shape[1]
    a_out = np.zeros(units)
    for j in range(units):
        z = np.dot(W[:, j], a_in) + 1.0
        a_out[j] = g(z)
    return a_out
""",
        "my_dense_v": """
def my_dense_v(A_in, W, b, g):
    Z = A_in @ W + b
    A_in *= 0
    return g(Z)
""",
        "my_sequential": """
def my_sequential(X, params):
    A = X
    while params:
        W, b, g = params.pop(0)
        A = my_dense_v(A, W, b, g)
    return A
""",
    },
}

# The key phrase of each function's message (all must appear), and phrases that must not.
UNPACKS = ("Likely cause: your function unpacks `compute_gradient`'s result as (dj_db, dj_dw) "
           "(the original course's order)")
EXPECTED = {
    "c1w3": {
        "compute_cost": ["[one example] raised ValueError: not enough values to unpack (expected 2, got 1)",
                         "X=[[ 1. -2. 0.5]] (shape (1, 3), float64)", "y=[1.] (shape (1,), float64)",
                         "w=[ 0.5 0.25 -1. ] (shape (3,), float64)", "b=0.2 (float)"],
        "predict": ["[b = 0]", "Likely cause: the threshold is not 0.5"],
        "compute_cost_reg": ["Your result does not change when `lambda_` changes, but the expected one does"],
        "compute_gradient_reg": [UNPACKS, "write `dj_dw, dj_db = compute_gradient(...)`"],
    },
    "c1w2": {
        # X has 12 entries: shown whole (a message abridges arrays of more than 6), with its shape.
        "predict": ["X=[[2.104e+03 5.000e+00 1.000e+00 4.500e+01] [1.416e+03 3.000e+00 2.000e+00 4.000e+01] "
                    "[8.520e+02 2.000e+00 1.000e+00 3.500e+01]] (shape (3, 4), float64)",
                    "raised ValueError: shapes (4,) and (3,4) not aligned",
                    "X is a batch of 3 examples, shape (3, 4) (one row per example); your code seems to "
                    "treat it as one example"],
        "compute_gradient": ["Your dj_dw is 1/m = 1/5 times the expected one (is there an extra division by m?)"],
        "zscore_normalize_features": ["your function changed its argument X (the caller's X is now different)",
                                      "X was normalized in place"],
        "gradient_descent": ["your function changed its argument w_in (the caller's w_in is now different)",
                             "`w = w_in` does not copy the array"],
    },
    "c3w3": {
        "td_targets": ["your function changed its argument rewards (the caller's rewards is now different)"],
        "q_learning_update": ["\u2713 q_learning_update: all", "cases passed."],
    },
    "c2w1": {
        "my_dense": ["Your result does not change when `b` changes, but the expected one does"],
        "my_dense_v": ["your function changed its argument A_in (the caller's A_in is now different)"],
        "my_sequential": ["[3 layers of 2 units: relu, tanh, sigmoid]: your function changed its argument params"],
    },
}
NOT_EXPECTED = {
    ("c1w3", "predict"): ["`b` is not added", "b is not added"],
}
CLEAN = "fails when the grader calls your function from a clean process"
KINDS = ("as written", "check library disabled")


def _cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def _disable_checks(module: syllabus.Module) -> str:
    """Code that replaces every check of `module` by one that passes, inside the notebook's kernel."""
    return (f"\n\nimport {module.check_module} as _kit_checks\n"
            "for _name in dir(_kit_checks):\n"
            "    if _name.startswith('check_'):\n"
            "        setattr(_kit_checks, _name, lambda f: print('passed'))\n")


def _variant(module: syllabus.Module, folder: Path, tampered: bool) -> Path:
    nb = copy.deepcopy(json.loads(module.solution_path.read_text(encoding="utf-8")))
    for name, source in WRONG[module.id].items():
        _cell(nb, name)["source"] = source.lstrip("\n")
    if tampered:  # the first graded function's cell runs before every check cell
        first = _cell(nb, module.functions[0].name)
        first["source"] = "".join(first["source"]) + _disable_checks(module)
    path = folder / module.id / module.exercise_path.name
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps(nb, indent=1), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def graded(tmp_path_factory, empty_gradebook) -> dict:
    """(module id, kind) -> that notebook's result, every notebook graded in one CLI call."""
    modules = syllabus.load()
    paths, keys = [], []
    for module_id in WRONG:
        for kind in KINDS:
            folder = tmp_path_factory.mktemp(f"{module_id}-{'tampered' if kind != KINDS[0] else 'wrong'}")
            paths.append(_variant(modules.module(module_id), folder, kind != KINDS[0]))
            keys.append((module_id, kind))
    grading = tmp_path_factory.mktemp("grading")
    shutil.copy(empty_gradebook, grading / "gradebook.db")
    before = [sha256(p) for p in paths]
    proc = run_cli("grade", *map(str, paths), "--json", grading=grading, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert [sha256(p) for p in paths] == before, "grading changed a learner's notebook"
    notebooks = json.loads(proc.stdout)["notebooks"]
    assert [Path(n["path"]).resolve() for n in notebooks] == [p.resolve() for p in paths]
    return dict(zip(keys, notebooks))


CASES = [(m, f) for m in EXPECTED for f in EXPECTED[m]]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("module_id,function", CASES, ids=[f"{m}-{f}" for m, f in CASES])
def test_each_message_names_the_mistake_in_the_notebook_and_in_the_clean_recheck(graded, module_id,
                                                                                function, kind):
    tests = {t["grade_id"]: t for t in graded[(module_id, kind)]["tests"]}
    t = tests[syllabus.check_id(function)]
    message = t["message"]
    if _right(module_id, function):  # passed in the notebook and in the clean re-check (its words are the ones shown)
        assert t["passed"] and t["points"] == t["max_points"], t
        assert CLEAN not in message
    else:
        assert t["points"] == 0 and not t["passed"], t
        # With the check library disabled, the notebook's check cell "passed": only the clean
        # re-check can have rejected it, and it says so.
        assert (CLEAN in message) == (kind != KINDS[0]), message
    for phrase in EXPECTED[module_id][function]:
        assert phrase in message, f"{phrase!r} not in {message!r}"
    for phrase in NOT_EXPECTED.get((module_id, function), []):
        assert phrase not in message, message


def _right(module_id: str, function: str) -> bool:
    return function not in WRONG[module_id] or EXPECTED[module_id][function][0].startswith("\u2713")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("module_id", list(WRONG))
def test_the_score_is_the_points_of_the_right_functions(graded, module_id, kind):
    """Every function not replaced is the course's solution and keeps all its points, as does a
    replaced one that is right (q_learning_update); a wrong one's check scores 0."""
    module = syllabus.load().module(module_id)
    result = graded[(module_id, kind)]
    expected = 0.0
    for t in result["tests"]:
        name = syllabus.function_of_check(t["grade_id"])
        function = name.partition("__")[0]  # a rule check of f is test_f__<rule>
        if _right(module_id, function):
            assert t["passed"] and t["points"] == t["max_points"], t
            expected += t["max_points"]
        elif name == function:
            assert t["points"] == 0, t
        else:  # a rule check of a wrong function: not what this test is about
            expected += t["points"]
    assert {syllabus.function_of_check(t["grade_id"]).partition("__")[0] for t in result["tests"]} \
        == {f.name for f in module.functions}
    assert result["score"] == expected
    assert result["max_score"] == module.max_score


# ---------------------------------------------------------------------------------------------
# How arguments that hold functions come back from the re-check's kernel (replay_kernel.py): the
# same steps as a call there, without the kernel (pickled out, the call, sent back as plain data,
# read with the grader's whitelist unpickler, the grader's functions put back).


def _round_trip(values: list, call) -> list:
    import pickle

    from autograder import replay_kernel
    from autograder.recheck import _loads

    there = pickle.loads(pickle.dumps(values))  # what the kernel receives
    functions = replay_kernel._functions_in(there, {})
    call(*there)
    sent = pickle.dumps(replay_kernel._plain(there, functions=functions))
    return replay_kernel.restore_functions(_loads(sent), values)


@pytest.mark.fast
@pytest.mark.parametrize("change,changed", [
    (lambda X, params: None, []),
    (lambda X, params: params.pop(0), ["params"]),
    (lambda X, params: params.reverse(), ["params"]),
    (lambda X, params: params.__setitem__(0, params[0][:2] + (params[1][2],)), ["params"]),  # another g
    (lambda X, params: params.__setitem__(0, params[0][:2] + (len,)), ["params"]),  # not an argument's
    (lambda X, params: X.__imul__(0), ["X"]),
], ids=["unchanged", "popped", "reversed", "another-layer's-g", "a-foreign-function", "X-zeroed"])
def test_c2w1_layers_with_their_activations_come_back_from_the_recheck(change, changed):
    import numpy as np

    from autograder.checks import c2w1
    from autograder.checks.ladder import _changed

    rng = np.random.default_rng(0)
    args = {"X": rng.normal(size=(3, 2)),
            "params": c2w1._network(rng, [2, 2, 2, 2], [c2w1.relu, c2w1.tanh, c2w1.sigmoid])}
    back = _round_trip(copy.deepcopy(list(args.values())), change)
    assert _changed(args, back) == changed


@pytest.mark.fast
def test_c2w3_fit_and_error_come_back_from_the_recheck():
    """c2w3 judges only what its functions return (its exercise says so); the transport would
    carry its rule too: fit and error come back as the grader's own, a changed X_train is seen."""
    import numpy as np

    from autograder.checks import c2w3
    from autograder.checks.ladder import _changed

    args = {"X_train": np.arange(8.0).reshape(-1, 1), "y_train": np.arange(8.0), "sizes": [2, 4],
            "fit": c2w3.fit_line, "error": c2w3.mse_error}
    values = copy.deepcopy(list(args.values()))  # as a check hands them over
    back = _round_trip(values, lambda *a: None)
    assert back[3] is values[3] and back[4] is values[4] and _changed(args, back) == []

    def shuffles(X_train, y_train, sizes, fit, error):
        np.random.default_rng(1).shuffle(X_train)
    assert _changed(args, _round_trip(copy.deepcopy(list(args.values())), shuffles)) == ["X_train"]
