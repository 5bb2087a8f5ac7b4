"""Grading survives anything a learner's notebook does (docs/grading-robustness.md lists the cases).

Each test builds a broken notebook from module c1w1's filled-in source, grades it with the real
CLI, and checks what the learner sees; in every case the notebook file is unchanged afterwards.

The cases that need no grading folder of their own are graded together in one CLI run (`batch`:
the grader's start-up, nbgrader's import and the assignment's load are paid once, not per case),
each notebook in its own folder, and each test asserts on its own notebook's result. Tests that
need "a folder where the solution was graded" start from a copy of one (`graded_once`).

Every test runs on both grading paths (issue 16): the cold one (`python -m autograder grade` on its
own) and the warm grader (autograder/warm.py) serving the grading folder; a warm run is asserted
from the service's own log (`warm_log`), never assumed. The batch is graded once each way (`batch`);
a test with a folder of its own takes `grader` (cold or warm) and grades through `on(...)`.
"""

from __future__ import annotations

import contextlib
import copy
import json
import shutil
import re
import sqlite3
import subprocess
import sys
import os
from pathlib import Path

import pytest

from autograder import syllabus
from tests.conftest import ROOT, run_cli, sha256

# Every test grades a real notebook (seconds each), except those marked `fast` (refusals of bad
# input, which stop before nbgrader starts): `make test-fast` runs those too.
pytestmark = pytest.mark.slow

C1W1 = syllabus.load().module("c1w1")
SOURCE = json.loads(C1W1.solution_path.read_text())


def variant(folder: Path, edit, name: str = "c1w1.ipynb", start: dict = SOURCE) -> Path:
    nb = copy.deepcopy(start)
    edit(nb)
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(nb, indent=1))
    return path


def cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def set_source(grade_id: str, source: str):
    return lambda nb: cell(nb, grade_id).update(source=source)


def grade(path: Path, grading: Path, env: dict | None = None, *extra: str) -> dict:
    return grade_many([path], grading, env, *extra)[0]


def grade_many(notebooks: list[Path], grading: Path, env: dict | None = None, *extra: str) -> list[dict]:
    """Grade the notebooks in one CLI run (one module's notebooks are graded one after the other,
    each on its own); their results in the order given. No notebook file may change."""
    before = [sha256(p) for p in notebooks]
    proc = run_cli("grade", *map(str, notebooks), "--json", *extra, grading=grading, env=env,
                   timeout=400 * len(notebooks))
    for path, digest in zip(notebooks, before):
        assert sha256(path) == digest, f"grading changed the learner's notebook {path}"
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    results = json.loads(proc.stdout)["notebooks"]
    assert [(ROOT / r["path"]).resolve() for r in results] == [(ROOT / p).resolve() for p in notebooks]
    return results


def by_id(result: dict) -> dict:
    return {t["grade_id"]: t for t in result["tests"]}


def others_full_marks(result: dict, broken: str) -> None:
    for gid, t in by_id(result).items():
        if gid != f"test_{broken}":
            assert t["passed"], t


def fresh_grading_folder(where: Path, gradebook: Path) -> Path:
    """A grading folder as `grading_dir` makes one: nbgrader's empty gradebook in place."""
    where.mkdir(parents=True)
    shutil.copy(gradebook, where / "gradebook.db")
    return where


# The notebooks graded together by `batch`: name -> a function that writes the notebook into the
# (empty) folder it is given and returns its path.
CASES: dict = {}
ROOTS: dict[str, Path] = {}  # the folder of each shared run's notebooks and grading folder


def case(build):
    """Register a notebook for the shared grading run, under its function's name."""
    CASES[build.__name__] = build
    return build


# Marks the tests that read `batch` or `graded_once`: with `--dist loadgroup` (make test) xdist
# runs them in one worker, so each shared grading runs once.
shared = pytest.mark.xdist_group("robustness-c1w1")


# The batch's settings, the same on both paths (a warm grader is used only by gradings with its
# settings, so the batch's service is started with them): a 10-s cell timeout, so the infinite loop
# costs 10 s (every other case's cells take well under a second); an address space of 6000 MiB per
# kernel, so `np.empty(2**31)` (16 GiB) is refused whatever the machine has (a whole c1w1 notebook
# runs in far less); one grading process, so the quiz notebook is graded in turn with the c1w1 ones,
# by the warm grader itself (with two, the second module's would go to a cold worker process).
BATCH_ENV = {"KIT_CELL_TIMEOUT": "10", "KIT_KERNEL_MEMORY_MB": "6000", "KIT_GRADING_WORKERS": "1"}


@pytest.fixture(scope="module")
def cold_batch(tmp_path_factory, empty_gradebook) -> dict[str, dict]:
    """Every registered case graded in one CLI run, in one grading folder: name -> its result."""
    root = ROOTS["cold"] = tmp_path_factory.mktemp("batch")
    notebooks = {name: build(root / name) for name, build in CASES.items()}
    results = grade_many(list(notebooks.values()), fresh_grading_folder(root / "grading", empty_gradebook),
                         dict(BATCH_ENV, KIT_WARM_GRADER="0"))
    return dict(zip(notebooks, results))


def warm_log(grading: Path) -> tuple[list[str], list[int], list[int]]:
    """What the warm grader of `grading` says it did: for each grading request 'N nbgrader, M
    re-check' (pre-started kernels used), and the processes it handed out (nbgrader's kernels,
    re-check workers), in order."""
    log = grading / "warm.log"
    text = log.read_text() if log.exists() else ""
    used = re.findall(r"graded .*pre-started kernels used: (\d+ nbgrader, \d+ re-check)", text)
    kernels, workers = [], []
    for ks, ws in re.findall(r"processes used: nbgrader kernels ([-\d ]+); re-check workers ([-\d ]+)", text):
        kernels += [int(p) for p in ks.split() if p != "-"]
        workers += [int(p) for p in ws.split() if p != "-"]
    return used, kernels, workers


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (a killed child of this process not yet reaped)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def _holders(path: Path) -> list[str]:
    """The processes with `path` open: pid, state and command line."""
    out = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            if any(os.readlink(fd) == str(path) for fd in (proc / "fd").iterdir()):
                state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
                command = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()[:200]
                out.append(f"{proc.name} {state} {command}")
        except OSError:
            continue
    return out


def _gone(pids: list[int], seconds: float = 30) -> bool:
    import time

    deadline = time.monotonic() + seconds
    while any(map(_running, pids)) and time.monotonic() < deadline:
        time.sleep(0.2)
    return not any(map(_running, pids))


@contextlib.contextmanager
def _environ(env: dict):
    """These variables set in this process for the block (a warm grader takes its settings from
    the environment it is started in)."""
    saved = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _services():
    """`start(folder, env)`: a warm grader (autograder/warm.py) for the folder, started with
    these settings; every one started is stopped, and checked gone with every kernel it
    started, at the end of the block."""
    from autograder import warm

    started = []

    def start(folder: Path, env: dict | None = None) -> Path:
        with _environ(env or {}):
            assert warm.start(folder, idle_minutes=30), (folder / "warm.log").read_text()
        started.append(folder)
        return folder

    yield start
    for folder in started:
        assert warm.stop(folder), f"the warm grader of {folder} did not stop"
        _, kernels, workers = warm_log(folder)
        assert _gone(kernels + workers) and _gone(_kernels_of(folder)), "a warm grader's kernel still runs"


@pytest.fixture(scope="module")
def warm_service():
    """Start a warm grader for a folder (`start(folder, env)`); stopped when the module's tests
    are done."""
    with _services() as start:
        yield start


@pytest.fixture
def served():
    """Start a warm grader for a folder (`start(folder, env)`); stopped after the test."""
    with _services() as start:
        yield start


@pytest.fixture(params=["cold", "warm"])
def grader(request) -> str:
    """The grading path of a test that grades in a folder of its own."""
    return request.param


def on(grader: str, folder: Path, served, env: dict | None = None) -> dict:
    """The environment for gradings in `folder` by `grader` (pass it to every grading): cold,
    KIT_WARM_GRADER=0; warm, a warm grader is started for the folder first, with the same
    settings `env` (a grading whose settings differ from the service's would be cold)."""
    env = dict(env or {})
    if grader == "cold":
        return dict(env, KIT_WARM_GRADER="0")
    served(folder, env)
    return env


def served_warm(folder: Path, gradings: int, recheck: bool = True) -> None:
    """The warm grader of `folder` did exactly `gradings` gradings (its log says so), each with
    its pre-started re-check (unless the grading stopped before it, `recheck=False`), no two
    sharing a process."""
    used, kernels, workers = warm_log(folder)
    assert len(used) == gradings, (folder / "warm.log").read_text() if (folder / "warm.log").exists() else used
    if recheck:
        assert all(u.endswith(" 1 re-check") for u in used), used
    assert len(set(kernels)) == len(kernels) and len(set(workers)) == len(workers), (kernels, workers)


@pytest.fixture(scope="module")
def warm_batch(tmp_path_factory, empty_gradebook, warm_service) -> dict[str, dict]:
    """The same cases graded in one CLI run through a warm grader: each notebook gets its own
    pre-started nbgrader kernel and re-check, each used once (a kernel that ran a learner's code
    is never handed out again) and gone once the grading is over."""
    root = ROOTS["warm"] = tmp_path_factory.mktemp("warm-batch")
    notebooks = {name: build(root / name) for name, build in CASES.items()}
    folder = warm_service(fresh_grading_folder(root / "grading", empty_gradebook), BATCH_ENV)
    results = grade_many(list(notebooks.values()), folder, BATCH_ENV)
    used, kernels, workers = warm_log(folder)
    n = len(notebooks)
    # One request, every notebook warmed as the one before it is taken. A pre-started process that
    # is not ready or alive when its turn comes is replaced by a cold one (correct, only slower;
    # seen once under load), so the test asks for most, not all: the bug this guards against (the
    # pools refilled only after the whole request) used a pre-started process for the first only.
    assert len(used) == 1, used
    nbgrader_used, recheck_used = map(int, re.findall(r"\d+", used[0]))
    assert nbgrader_used >= n // 2 and recheck_used >= n // 2, (used, n)
    assert len(set(kernels)) == len(kernels) == n and len(set(workers)) == len(workers) == n
    assert _gone(kernels + workers), "a kernel that ran a learner's notebook still runs"
    return dict(zip(notebooks, results))


@pytest.fixture(scope="module", params=["cold", "warm"])
def batch(request) -> dict[str, dict]:
    """The cases' results by the cold path (a grading process of its own) and by the warm
    grader: every test of a case runs on both."""
    return request.getfixturevalue(f"{request.param}_batch")


def comparable(result: dict, grading_root: Path) -> dict:
    """What the learner sees of a result, with the folder of the run replaced by <root>."""
    text = json.dumps({k: result[k] for k in ("module", "score", "max_score", "tests", "notes")})
    return json.loads(text.replace(str(grading_root), "<root>"))


@pytest.fixture(scope="module")
def graded_once(tmp_path_factory, empty_gradebook) -> tuple[Path, Path, dict]:
    """c1w1's source saved as a learner's notebook and graded once: (the notebook, the grading
    folder after that grading, its result). Tests copy the folder, never change it."""
    root = tmp_path_factory.mktemp("graded-once")
    path = variant(root / "work", lambda nb: None)
    folder = fresh_grading_folder(root / "grading", empty_gradebook)
    return path, folder, grade(path, folder)


def copy_of(graded: tuple[Path, Path, dict], where: Path) -> Path:
    """A grading folder where the notebook of `graded_once` has been graded once, for one test."""
    shutil.copytree(graded[1], where)
    return where


@case
def infinite_loop(folder):
    return variant(folder, set_source("compute_cost", "def compute_cost(x, y, w, b):\n    while True:\n        pass\n"))


@shared
def test_infinite_loop_times_out_and_the_rest_is_graded(batch):
    result = batch["infinite_loop"]  # graded with KIT_CELL_TIMEOUT=10 (BATCH_ENV)
    t = by_id(result)["test_compute_cost"]
    assert t["points"] == 0 and "timed out after 10 s" in t["message"]
    others_full_marks(result, "compute_cost")


@case
def syntax_error(folder):
    return variant(folder, set_source("compute_cost", "def compute_cost(x, y, w, b):\n    m = x.shape[0]\n    return (m\n"))


@shared
def test_syntax_error_names_the_line(batch):
    result = batch["syntax_error"]
    message = by_id(result)["test_compute_cost"]["message"]
    assert "SyntaxError on line 3" in message and "never defined" in message
    others_full_marks(result, "compute_cost")


@case
def top_level_exception(folder):
    source = "".join(cell(SOURCE, "compute_cost")["source"]) + "\nratio = 1 / 0\n"
    return variant(folder, set_source("compute_cost", source))


@shared
def test_exception_in_top_level_code_names_the_cell(batch):
    result = batch["top_level_exception"]
    assert any("cell of `compute_cost`" in n and "ZeroDivisionError" in n for n in result["notes"]), result["notes"]
    assert result["score"] == result["max_score"]  # the function itself is right


@case
def deleted_check_cell(folder):
    def delete(nb):
        nb["cells"].remove(cell(nb, "test_compute_cost"))
    return variant(folder, delete)


@shared
def test_deleted_check_cell_is_restored_and_run(batch):
    result = batch["deleted_check_cell"]
    assert by_id(result)["test_compute_cost"]["passed"]
    assert any("check cell of `compute_cost` was missing" in n for n in result["notes"])


@case
def edited_check_cell(folder):
    def edit(nb):
        cell(nb, "test_compute_cost")["source"] = "pass"
        cell(nb, "compute_cost")["source"] = "def compute_cost(x, y, w, b):\n    return 0.0\n"
    return variant(folder, edit)


@shared
def test_edited_check_cell_is_restored_and_its_verdict_counts(batch):
    result = batch["edited_check_cell"]
    t = by_id(result)["test_compute_cost"]
    assert t["points"] == 0 and "expected" in t["message"]
    assert any("had been edited" in n for n in result["notes"])


def _missing_function(how: str):
    def build(folder):
        def edit(nb):
            if how == "deleted":
                nb["cells"].remove(cell(nb, "compute_cost"))
            else:
                cell(nb, "compute_cost")["source"] = "def my_cost(x, y, w, b):\n    return 0.0\n"
        return variant(folder, edit)
    return build


for _how in ("deleted", "renamed"):
    CASES[f"missing_function_{_how}"] = _missing_function(_how)


@shared
@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_missing_function_is_explained(batch, how):
    result = batch[f"missing_function_{how}"]
    assert "`compute_cost` is not defined — was it renamed or its cell deleted?" in by_id(result)["test_compute_cost"]["message"]
    others_full_marks(result, "compute_cost")


@case
def patched_check_library(folder):
    def edit(nb):
        cell(nb, "compute_cost")["source"] = (
            "def compute_cost(x, y, w, b):\n    return 42.0\n\n"
            "import autograder.checks.c1w1 as _checks\n_checks.check_compute_cost = lambda f: print('passed')\n")
        cell(nb, "compute_gradient")["source"] = (
            "def compute_gradient(x, y, w, b):\n    return 0.0, 0.0\n\n"
            "import autograder.checks.ladder as _ladder\n_ladder.Check.case = lambda self, note='', **args: None\n"
            "import numpy\nnumpy.allclose = lambda *a, **k: True\n")
    return variant(folder, edit)


@shared
def test_patching_the_check_library_earns_nothing(batch):
    result = batch["patched_check_library"]
    for name in ("compute_cost", "compute_gradient"):
        t = by_id(result)[f"test_{name}"]
        assert t["points"] == 0, t
        assert "clean process" in t["message"] and "expected" in t["message"]
    assert by_id(result)["test_compute_model_output"]["passed"]


@case
def stale_passed_outputs(folder):
    exercise = json.loads(C1W1.exercise_path.read_text())

    def fake(nb):
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                c["execution_count"] = 1
                if c["metadata"].get("nbgrader", {}).get("grade"):
                    c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "✓ all cases passed.\n"}]
    return variant(folder, fake, start=exercise)


@shared
def test_stale_passed_outputs_count_for_nothing(batch):
    assert batch["stale_passed_outputs"]["score"] == 0


@shared
def test_saved_without_outputs_is_graded_normally(graded_once):
    _, _, result = graded_once  # c1w1's source as it is: it has no outputs
    assert result["score"] == result["max_score"]


@case
def sys_exit(folder):
    return variant(folder, set_source("compute_cost", "import sys\nsys.exit(3)\n"))


@shared
def test_sys_exit_in_a_cell_is_explained(batch):
    result = batch["sys_exit"]
    assert "sys.exit()" in by_id(result)["test_compute_cost"]["message"]
    others_full_marks(result, "compute_cost")


@case
def kernel_death(folder):
    return variant(folder, set_source("compute_cost", "import os\nos._exit(1)\n"))


@shared
def test_kernel_death_names_the_cell_and_nothing_hangs(batch):
    result = batch["kernel_death"]
    assert result["score"] == 0
    number = 1 + SOURCE["cells"].index(cell(SOURCE, "compute_cost"))
    assert any(f"kernel died while running cell {number} (`import os`)" in n for n in result["notes"])


# Tests whose case needs no folder of its own but that look at the grading folder's copies right
# after their grading (a batch keeps only its last notebook's copies and report): cold, each in a
# folder of its own; warm, one after the other in one folder served by one warm grader (`solo`).


@pytest.fixture(scope="module")
def warm_solo(tmp_path_factory, empty_gradebook, warm_service) -> Path:
    return warm_service(fresh_grading_folder(tmp_path_factory.mktemp("warm-solo") / "grading", empty_gradebook))


@pytest.fixture
def solo(grader, request) -> tuple[Path, dict]:
    """(the grading folder, the environment to grade with) for one notebook's grading."""
    if grader == "cold":
        return request.getfixturevalue("grading_dir"), {"KIT_WARM_GRADER": "0"}
    return request.getfixturevalue("warm_solo"), {}


def grade_solo(path: Path, solo: tuple[Path, dict]) -> dict:
    """Grade one notebook where `solo` says; on the warm path, assert that the service did."""
    folder, env = solo
    before = len(warm_log(folder)[0])
    result = grade(path, folder, env)
    if "KIT_WARM_GRADER" not in env:
        served_warm(folder, before + 1)
    return result


def test_megabytes_of_output_are_truncated(tmp_path, solo):
    source = "print('x' * 30_000_000)\n" + "".join(cell(SOURCE, "compute_cost")["source"])
    result = grade_solo(variant(tmp_path, set_source("compute_cost", source)), solo)
    assert result["score"] == result["max_score"]
    autograded = solo[0] / "autograded" / "learner" / "c1w1" / "c1w1.ipynb"
    assert autograded.stat().st_size < 2_000_000
    assert "output truncated by the grader" in autograded.read_text()
    assert Path(result["feedback"]).stat().st_size < 3_000_000


@case
def out_of_memory(folder):
    # 16 GiB of address space against the batch's 6000 MiB limit (BATCH_ENV): refused at once,
    # whatever the machine has.
    source = "import numpy as np\nbig = np.empty(2**31)\n" + "".join(cell(SOURCE, "compute_cost")["source"])
    return variant(folder, set_source("compute_cost", source))


@shared
def test_running_out_of_memory_is_explained(batch):
    result = batch["out_of_memory"]
    message = by_id(result)["test_compute_cost"]["message"]
    assert "ran out of memory" in message
    others_full_marks(result, "compute_cost")


@pytest.mark.fast
@pytest.mark.parametrize("content,name,expected", [
    (b"", "c1w1.ipynb", "is empty"),
    (json.dumps(SOURCE).encode()[:500], "c1w1.ipynb", "its JSON is broken"),
    (json.dumps(SOURCE).encode(), "c1w1.txt", "is not a notebook"),
    (b'{"cells": 3}', "c1w1.ipynb", "not a Jupyter notebook"),
    (json.dumps({"nbformat": 2, "worksheets": []}).encode(), "c1w1.ipynb", "not a Jupyter notebook in format 4"),
    (json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(),
     "other.ipynb", "cannot tell which module"),
])
def test_not_a_notebook_is_one_paragraph_and_writes_nothing(tmp_path, new_grading_dir, content, name, expected):
    grading_dir = new_grading_dir
    path = tmp_path / name
    path.write_bytes(content)
    proc = run_cli("grade", str(path), grading=grading_dir)
    assert proc.returncode != 0
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not grading_dir.exists()
    assert path.read_bytes() == content


@pytest.mark.fast
def test_notebook_of_another_module_is_refused(tmp_path, new_grading_dir):
    grading_dir = new_grading_dir
    other = syllabus.load().module("c1w2").solution_path
    proc = run_cli("grade", str(other), "--module", "c1w1", grading=grading_dir)
    assert proc.returncode != 0
    assert "is the exercise of module c1w2, not c1w1" in proc.stderr
    assert not grading_dir.exists()


@case
def spaces_and_non_ascii(folder):
    return variant(folder / "mes exercices é ü", lambda nb: None, name="copie de c1w1 ☃.ipynb")


@shared
def test_paths_with_spaces_and_non_ascii_are_graded(batch):
    assert batch["spaces_and_non_ascii"]["score"] == C1W1.max_score


def _cli_env(grading: Path, env: dict) -> dict:
    """The environment of a `python -m autograder` started by a test itself (as run_cli's)."""
    full = dict(os.environ, KIT_GRADING_DIR=str(grading), **env)
    full["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full["PATH"]
    return full


def test_two_gradings_at_once_both_succeed(tmp_path, grading_dir, grader, served):
    paths = [variant(tmp_path / str(i), lambda nb: None) for i in range(2)]
    env = _cli_env(grading_dir, on(grader, grading_dir, served))
    procs = [subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(p), "--json"], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in paths]
    for proc in procs:
        out, err = proc.communicate(timeout=400)
        assert proc.returncode == 0, err
        assert json.loads(out)["score"] == C1W1.max_score
    if grader == "warm":  # the service takes one request at a time: the second waited, then was served
        served_warm(grading_dir, 2)
    with sqlite3.connect(grading_dir / "gradebook.db") as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with sqlite3.connect(grading_dir / "history.sqlite") as con:
        assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 2


@shared
@pytest.mark.parametrize("damage", ["deleted", "corrupted"])
def test_damaged_gradebook_is_kept_aside_and_grading_goes_on(tmp_path, graded_once, damage, grader, served):
    path = graded_once[0]
    grading_dir = copy_of(graded_once, tmp_path / "grading")  # where `path` was graded once
    env = on(grader, grading_dir, served)  # warm: the gradebook is damaged under the running service
    db = grading_dir / "gradebook.db"
    if damage == "deleted":
        db.unlink()
    else:
        db.write_bytes(b"this is not a database" * 100)
    proc = run_cli("grade", str(path), "--json", grading=grading_dir, env=env)
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    if grader == "warm":
        served_warm(grading_dir, 1)
    result = json.loads(proc.stdout)
    assert result["score"] == C1W1.max_score
    if damage == "corrupted":
        assert any("was damaged" in n for n in result["notes"])
        assert list(grading_dir.glob("gradebook.db.damaged-*"))
    with sqlite3.connect(grading_dir / "history.sqlite") as con:  # earlier results are kept
        assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 2


# ---- Notebooks from other editors, tools and habits; the grading folder's disk; a killed grader
# (issue 15 part 1). Intake (autograder/intake.py) normalises a copy before nbgrader sees it.

def _insert_copy(nb: dict, grade_id: str, offset: int, **changes) -> None:
    cells = nb["cells"]
    at = cells.index(cell(nb, grade_id))
    cells.insert(at + offset, dict(copy.deepcopy(cells[at]), **changes))


@case
def copied_cells(folder):
    def edit(nb):
        # "Duplicate cell" on a check cell: the copy (a new cell id) lands right below it.
        _insert_copy(nb, "test_compute_model_output", 1, id="duplicated-check")
        # a wrong first attempt kept above the right one: the right one is the last before the check
        _insert_copy(nb, "compute_cost", 0, id="first-try",
                     source="def compute_cost(x, y, w, b):\n    return 0.0\n")
        # a right version, then a wrong copy below it (pasted in a text editor: the same cell id)
        _insert_copy(nb, "compute_gradient", 1, source="def compute_gradient(x, y, w, b):\n    return 0.0, 0.0\n")
    return variant(folder, edit)


@shared
def test_copied_cells_are_graded_once_and_the_last_definition_counts(batch):
    result = batch["copied_cells"]
    tests = by_id(result)
    assert result["max_score"] == C1W1.max_score  # the copied check is not counted twice
    assert tests["test_compute_model_output"]["passed"]
    assert tests["test_compute_cost"]["passed"], tests["test_compute_cost"]
    assert tests["test_compute_gradient"]["points"] == 0  # the wrong copy is what its check saw
    assert tests["test_gradient_descent"]["passed"]
    notes = " ".join(result["notes"])
    assert "The check cell of `compute_model_output` appears 2 times" in notes
    assert "2 copies of the solution of `compute_cost`" in notes and "2 copies of the solution of `compute_gradient`" in notes


@case
def byte_order_mark(folder):
    folder.mkdir(parents=True)
    path = folder / "c1w1.ipynb"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(SOURCE, indent=1, ensure_ascii=False).encode())
    return path


@shared
def test_byte_order_mark_is_read(batch):
    result = batch["byte_order_mark"]
    assert result["score"] == result["max_score"]
    assert any("byte-order mark" in n for n in result["notes"])


# A notebook that leaves things behind in its kernel's process: a builtin, an attribute on numpy,
# a thread that never ends. The next notebook graded looks for them in its own kernel (on the warm
# path, the next one the same service grades): a kernel that ran a learner's code is never reused.
LEFTOVERS = ("import builtins, threading, time, numpy\nbuiltins.KIT_LEFTOVER = True\nnumpy.KIT_LEFTOVER = True\n"
             "threading.Thread(target=lambda: [time.sleep(0.1) for _ in iter(int, 1)], name='kit-leftover',"
             " daemon=True).start()\n")
NO_LEFTOVERS = ("import builtins, threading, numpy\n"
                "assert not hasattr(builtins, 'KIT_LEFTOVER') and not hasattr(numpy, 'KIT_LEFTOVER'), 'reused kernel'\n"
                "assert 'kit-leftover' not in [t.name for t in threading.enumerate()], 'reused kernel'\n")


def _prefix_first_solution(code: str):
    def edit(nb):
        first = cell(nb, "compute_model_output")
        first["source"] = code + "".join(first["source"])
    return edit


@case
def leaves_things_in_its_kernel(folder):
    return variant(folder, _prefix_first_solution(LEFTOVERS))


@case
def finds_nothing_left_behind(folder):  # graded right after leaves_things_in_its_kernel
    return variant(folder, _prefix_first_solution(NO_LEFTOVERS))


@shared
def test_what_a_notebook_leaves_in_its_kernel_does_not_reach_the_next(batch):
    assert list(CASES).index("finds_nothing_left_behind") == list(CASES).index("leaves_things_in_its_kernel") + 1
    for name in ("leaves_things_in_its_kernel", "finds_nothing_left_behind"):
        result = batch[name]
        assert result["score"] == result["max_score"], (name, result["tests"], result["notes"])


@shared
def test_the_warm_grader_grades_every_case_as_the_cold_path(cold_batch, warm_batch):
    """Same scores, messages and notes (paths aside) for every notebook of the shared run."""
    for name in CASES:
        cold, warm = cold_batch[name], warm_batch[name]
        assert comparable(cold, ROOTS["cold"]) == comparable(warm, ROOTS["warm"]), name


def test_notebook_from_other_tools_is_graded(tmp_path, solo):
    """Format 3 (an old converter), a kernelspec of another machine, 40 MB of stored outputs."""
    import nbformat

    nb = copy.deepcopy(SOURCE)
    nb["metadata"]["kernelspec"] = {"name": "conda-env-ml-py", "display_name": "ML (conda)", "language": "python"}
    cell(nb, "compute_cost")["outputs"] = [{"output_type": "display_data", "metadata": {},
                                             "data": {"image/png": "iVBORw0K" * 5_000_000}}]
    old = nbformat.convert(nbformat.from_dict(nb), 3)
    path = tmp_path / "c1w1.ipynb"
    path.write_text(nbformat.writes(old, version=3))
    assert json.loads(path.read_text())["nbformat"] == 3 and path.stat().st_size > 40_000_000
    result = grade_solo(path, solo)
    assert result["score"] == result["max_score"]
    notes = " ".join(result["notes"])
    assert "format 3" in notes and "the kernel 'conda-env-ml-py'" in notes
    submitted = solo[0] / "submitted" / "learner" / "c1w1" / "c1w1.ipynb"
    assert submitted.stat().st_size < 100_000  # stored outputs are dropped before grading


def _format_4_2() -> dict:
    nb = copy.deepcopy(SOURCE)
    nb["nbformat_minor"] = 2
    for c in nb["cells"]:
        c.pop("id", None)
    return nb


def _same_ids() -> dict:
    return dict(SOURCE, cells=[dict(c, id="same") for c in SOURCE["cells"]])


@case
def format_4_2_in_utf16(folder):  # no cell ids (format 4.2), saved as UTF-16 (Notepad's "Unicode")
    folder.mkdir(parents=True)
    path = folder / "c1w1.ipynb"
    path.write_bytes(json.dumps(_format_4_2(), ensure_ascii=False).encode("utf-16"))
    return path


@case
def repeated_cell_ids(folder):
    folder.mkdir(parents=True)
    path = folder / "c1w1.ipynb"
    path.write_text(json.dumps(_same_ids()))
    return path


@shared
def test_older_format_versions_and_odd_encodings_are_read(tmp_path, monkeypatch, batch):
    """What intake hands nbgrader is a valid format 4.5 notebook (each kind on its own, in this
    process); and such notebooks are graded in full (`batch`)."""
    import nbformat

    from autograder import submission

    for name in ("format_4_2_in_utf16", "repeated_cell_ids"):
        result = batch[name]
        assert result["module"] == "c1w1" and result["score"] == C1W1.max_score, (name, result["notes"])
    assert any("saved as UTF-16" in n for n in batch["format_4_2_in_utf16"]["notes"])
    monkeypatch.chdir(tmp_path)
    cases = {"v4.2.ipynb": json.dumps(_format_4_2()).encode(),
             "utf16.ipynb": json.dumps(SOURCE, ensure_ascii=False).encode("utf-16"),
             "same-ids.ipynb": json.dumps(_same_ids()).encode()}
    for name, data in cases.items():
        (tmp_path / name).write_bytes(data)
        sub = submission.resolve(name)
        assert sub.module.id == "c1w1"
        graded = nbformat.reads(sub.data.decode("utf-8"), as_version=4)
        nbformat.validate(graded)
        assert graded.nbformat_minor == 5 and len({c.id for c in graded.cells}) == len(graded.cells), name
        assert sub.data == submission.resolve(name).data, "the same notebook must give the same copy"
        assert (tmp_path / name).read_bytes() == data


@case
def stripped_cell_metadata(folder):
    def strip(nb):  # what a tool that keeps only the code does (no nbgrader metadata, no kit module)
        cell(nb, "compute_cost")["source"] = "def compute_cost(x, y, w, b):\n    return 0.0\n"
        nb["metadata"] = {}
        for c in nb["cells"]:
            c["metadata"] = {}
    return variant(folder, strip)


@shared
def test_stripped_cell_metadata_is_recognised(batch):
    result = batch["stripped_cell_metadata"]
    assert result["module"] == "c1w1"
    assert by_id(result)["test_compute_cost"]["points"] == 0
    others_full_marks(result, "compute_cost")
    notes = " ".join(result["notes"])
    assert "lost their grading marks" in notes and "`def compute_cost(`" in notes
    assert "was missing" not in notes and "had been edited" not in notes


QUIZ = syllabus.load().module("c1w1-quiz")


@case
def stripped_cell_metadata_of_a_quiz(folder):
    # A quiz's check cell is `quiz.check("q1", globals())` and its answer cell `q1 = ...`. The
    # notebook's own metadata (its `kit` module and seed) stays: only the cells' is stripped.
    def strip(nb):
        answer = next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == "q2")
        answer["source"] = "q2 = 1\n"  # wrong
        for c in nb["cells"]:
            c["metadata"] = {}

    return variant(folder, strip, "c1w1-quiz.ipynb", json.loads(QUIZ.solution_path.read_text()))


@shared
def test_stripped_cell_metadata_of_a_quiz_is_recognised(batch):
    result = batch["stripped_cell_metadata_of_a_quiz"]
    assert result["module"] == "c1w1-quiz"
    tests = by_id(result)
    assert set(tests) == {f.test_id for f in QUIZ.functions}
    assert tests["test_q2"]["points"] == 0
    others_full_marks(result, "q2")
    notes = " ".join(result["notes"])
    assert "lost their grading marks" in notes and "the check of `q1`" in notes and "where `q2 =` is" in notes


@case
def interactive_calls(folder):
    def edit(nb):
        cell(nb, "compute_model_output")["source"] = ('name = input("Your name? ")\n'
                                                      + "".join(cell(nb, "compute_model_output")["source"]))
        cell(nb, "compute_cost")["source"] = ("".join(cell(nb, "compute_cost")["source"])
                                              + "\nplt.plot([0, 1]); plt.show()\nfrom IPython.display import display, HTML\n"
                                                "display(HTML('<b>done</b>'))\n")
    return variant(folder, edit)


@shared
def test_interactive_calls_do_not_hang_and_are_explained(batch):
    # A kernel waiting for typed input would be stopped by the batch's 10-s cell timeout: "timed out".
    result = batch["interactive_calls"]
    message = by_id(result)["test_compute_model_output"]["message"]
    assert "asked for typed input" in message and "timed out" not in message, message
    others_full_marks(result, "compute_model_output")


def test_the_clean_recheck_kernel_has_no_stdin(tmp_path):
    """The clean re-check's kernel (recheck.Replay, the cold re-check's and the warm grader's
    pre-started one alike) has no stdin either: input() raises at once, no wait for the timeout."""
    import time

    from autograder.recheck import Replay

    replay = Replay(timeout=30, cwd=tmp_path)
    try:
        started = time.monotonic()
        reply = replay.run('input("Your name? ")')
        assert reply["status"] == "error" and reply["ename"] == "StdinNotImplementedError", reply
        assert time.monotonic() - started < 10
    finally:
        replay.close()


def test_the_clean_recheck_starts_its_kernel_again_if_the_first_does_not_answer(tmp_path, monkeypatch):
    """A kernel that does not answer at its start (its TCP port taken by another process between
    the client's choice and the kernel's bind, seen in CI) is started once more, on new ports."""
    import jupyter_client.manager

    from autograder.recheck import Replay

    real, calls = jupyter_client.manager.start_new_kernel, []

    def first_one_is_lost(**kwargs):
        calls.append(kwargs["startup_timeout"])
        if len(calls) == 1:
            km, kc = real(**kwargs)
            kc.stop_channels()
            km.shutdown_kernel(now=True)
            raise RuntimeError("Kernel didn't respond in 30 seconds")
        return real(**kwargs)

    monkeypatch.setattr(jupyter_client.manager, "start_new_kernel", first_one_is_lost)
    replay = Replay(timeout=30, cwd=tmp_path)
    try:
        assert replay.run("x = 6 * 7")["status"] == "ok" and calls == [30, 60]
    finally:
        replay.close()


def test_notebook_habits_do_not_change_grades(tmp_path, solo):
    """Global numpy and warnings settings, files written, the working folder changed (on the warm
    path, in a kernel started before the notebook's folder was known)."""
    extra = ('\nimport os, tempfile, warnings\nnp.seterr(all="raise")\nnp.set_printoptions(precision=1, suppress=True)\n'
             'warnings.simplefilter("error")\nnp.random.seed(123)\nwith open("my_results.txt", "w") as fh:\n'
             '    fh.write("scratch")\nos.makedirs("plots", exist_ok=True)\nos.chdir(tempfile.mkdtemp())\n')

    def edit(nb):
        data = next(c for c in nb["cells"] if c["cell_type"] == "code" and "load_diabetes(" in "".join(c["source"]))
        data["source"] = "".join(data["source"]) + extra
    folder = tmp_path / "work"
    result = grade_solo(variant(folder, edit), solo)
    assert result["score"] == result["max_score"]
    assert [p.name for p in folder.iterdir()] == ["c1w1.ipynb"]  # the learner's folder is left alone
    assert (solo[0] / "autograded" / "learner" / "c1w1" / "my_results.txt").exists()


def _mount_tmpfs(where: Path, size: str, read_only: bool = False) -> None:
    """CI runs as root; a machine where this fails must say why (these cases are not optional)."""
    where.mkdir(parents=True, exist_ok=True)
    proc = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if proc.returncode != 0:
        pytest.fail(f"this test needs to mount a small tmpfs (run as root): {proc.stderr.strip()}")
    if read_only:
        subprocess.run(["mount", "-o", "remount,ro", str(where)], check=True)


@pytest.fixture
def mounts():
    made: list[Path] = []
    yield lambda where, size, read_only=False: (_mount_tmpfs(where, size, read_only), made.append(where))
    for where in reversed(made):
        subprocess.run(["umount", "-l", str(where)], check=False)


def _one_paragraph(proc, *words: str) -> None:
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    for w in words:
        assert w in proc.stderr, proc.stderr


def test_read_only_locations(tmp_path, mounts, grader, served):
    from autograder import warm

    # the learner's notebook on a read-only disk: graded (the kit only reads it)
    shelf = tmp_path / "shelf"
    path = variant(tmp_path / "staging", lambda nb: None)
    mounts(shelf, "1m")
    (shelf / "c1w1.ipynb").write_bytes(path.read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(shelf)], check=True)
    grading = tmp_path / "grading"
    assert grade(shelf / "c1w1.ipynb", grading, on(grader, grading, served))["score"] == C1W1.max_score
    if grader == "warm":
        served_warm(grading, 1)
    # the grading folder on a read-only disk: one paragraph, exit status 2
    locked_up = tmp_path / "ro"
    mounts(locked_up, "1m", read_only=True)
    # No warm grader can serve a folder it cannot write (its lock, socket and log are kept there;
    # a disk cannot be remounted read-only under a service that has them open), so the warm path
    # here is its fall-back: KIT_WARM_GRADER=1 asks to start one on first use, which cannot
    # happen, and the grading is the cold one, with the same paragraph (not a traceback).
    proc = run_cli("grade", str(path), "--json", grading=locked_up / "grading",
                   env={"KIT_WARM_GRADER": "0" if grader == "cold" else "1"})
    _one_paragraph(proc, "cannot be written", "KIT_GRADING_DIR")
    assert not warm.running(locked_up / "grading")


@pytest.mark.parametrize("when", ["before", "during"])
def test_full_disk_is_one_paragraph_and_leaves_nothing_half_written(tmp_path, mounts, when, grader, served):
    path = variant(tmp_path, lambda nb: None)
    before = sha256(path)
    folder = tmp_path / "grading"
    # 2 MB is below the 20 MB grading asks for at the start; 500 kB with no such check fills up
    # while nbgrader writes (the gradebook alone is 150 kB, the feedback report 300 kB).
    mounts(folder, "2m" if when == "before" else "500k")
    # warm: the service is started on that disk before it fills, with the grading's settings
    env = on(grader, folder, served, {} if when == "before" else {"KIT_MIN_FREE_MB": "0"})
    proc = run_cli("grade", str(path), "--json", grading=folder, env=env, timeout=400)
    _one_paragraph(proc, f"The disk that holds the grading folder ({folder}) is full", "Free at least")
    assert sha256(path) == before
    if grader == "warm":  # refused ("before") or failed (where it filled) inside the service
        served_warm(folder, 1, recheck=False)
    # Lock files (the folder's, and one per learner x module) are empty and meant to stay.
    left = {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and not p.name.endswith(".lock")}
    kept = {"gradebook.db", "history.sqlite", "kernels.log", "recheck.log"}
    if grader == "warm":  # the running service's own files (warm.sock is beside them, or in /tmp)
        kept |= {"warm.log", "warm.json", "warm.sock"}
    if "Your score is recorded" in proc.stderr:
        # The disk filled while the feedback report was written, after the table (issue 16): the
        # grading itself is whole (its copies, and the marker that has the next grade write the
        # report), and no part of a report is in place.
        assert json.loads(proc.stdout)["score"] == C1W1.max_score
        kept |= {"release/c1w1/c1w1.ipynb", "release/c1w1/.source-sha256", "submitted/learner/c1w1/c1w1.ipynb", "submitted/learner/c1w1/.source-sha256",
                 "autograded/learner/c1w1/c1w1.ipynb", "autograded/learner/c1w1/.source-sha256",
                 "feedback/learner/c1w1/.report-pending.json"}
    assert left <= kept, left
    if (folder / "gradebook.db").exists():
        with sqlite3.connect(folder / "gradebook.db") as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    subprocess.run(["mount", "-o", "remount,size=64m", str(folder)], check=True)  # space freed
    assert grade(path, folder, env)["score"] == C1W1.max_score
    if grader == "warm":  # by the same service: a full disk did not stop it
        served_warm(folder, 2, recheck=False)
        assert warm_log(folder)[0][-1].endswith(" 1 re-check")
    report = folder / "feedback" / "learner" / "c1w1" / "c1w1.html"
    assert report.is_file() and not report.with_name(".report-pending.json").exists()


def _kernels_of(grading: Path) -> list[int]:
    """Kernel processes started for this grading folder (found by their environment)."""
    mark = f"KIT_GRADING_DIR={grading}\0".encode()
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                if b"ipykernel" in (proc / "cmdline").read_bytes() and mark in (proc / "environ").read_bytes():
                    found.append(int(proc.name))
            except OSError:
                pass
    return found


@shared
def test_killed_grader_leaves_nothing_running_and_the_next_grading_works(tmp_path, graded_once, grader, served):
    """Cold: the grader and its re-check killed. Warm: the same, and the warm grader doing the
    grading with its re-check worker (a closed laptop kills them all); the next grading is by a
    warm grader started again, as the next Jupyter server would, beside the killed one's files."""
    import signal
    import time

    path = graded_once[0]
    grading_dir = copy_of(graded_once, tmp_path / "grading")  # an earlier attempt, which must survive
    env = on(grader, grading_dir, served)
    marker = tmp_path / "started"
    slow = variant(tmp_path / "slow", set_source("compute_cost", f"import time\nopen({str(marker)!r}, 'w').close()\n"
                                                  "time.sleep(30)\n" + "".join(cell(SOURCE, "compute_cost")["source"])))
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(slow), "--json"], cwd=ROOT,
                            env=_cli_env(grading_dir, env), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.monotonic() + 180
    # nbgrader's kernel and the re-check's (on the warm path also the service's next ones)
    while (len(_kernels_of(grading_dir)) < 2 or not marker.exists()) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert len(_kernels_of(grading_dir)) >= 2 and marker.exists(), "the grading kernels never started"
    time.sleep(2)  # mid-way: both kernels are inside the learner's cells
    os.killpg(proc.pid, signal.SIGKILL)  # the grader and its re-check, as a closed laptop would
    if grader == "warm":
        from autograder import warm

        service = json.loads((grading_dir / "warm.json").read_text())["pid"]
        os.killpg(service, signal.SIGKILL)  # the service's process group: it and its re-check workers
        assert _gone([service]), "the killed warm grader still runs"
        deadline = time.monotonic() + 10
        while warm.running(grading_dir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not warm.running(grading_dir), f"warm.lock is still held by {_holders(grading_dir / 'warm.lock')}"
    proc.wait(timeout=30)
    deadline = time.monotonic() + 10
    while _kernels_of(grading_dir) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not _kernels_of(grading_dir), "a kernel of the killed grading is still running"
    if grader == "warm":
        used_before = len(warm_log(grading_dir)[0])  # the killed grading logged nothing
        served(grading_dir, env)
    result = grade(path, grading_dir, env)
    if grader == "warm":
        served_warm(grading_dir, used_before + 1)
    assert result["score"] == C1W1.max_score
    assert not any("damaged" in n for n in result["notes"])
    assert not list(grading_dir.glob("*.damaged-*"))
    for db, table in (("gradebook.db", "assignment"), ("history.sqlite", "attempts")):
        with sqlite3.connect(grading_dir / db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with sqlite3.connect(grading_dir / "history.sqlite") as con:
        assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 2


def _tampered(nb):
    cell(nb, "compute_cost")["source"] = (
        "def compute_cost(x, y, w, b):\n    return 42.0\n\n"
        "import autograder.checks.c1w1 as _checks\n_checks.check_compute_cost = lambda f: print('passed')\n")


def test_each_grading_is_judged_on_its_own(tmp_path, grading_dir, grader, served):
    """An overrule of one attempt must not stick to the next ones in the same grading folder
    (warm: graded one after the other by the same service)."""
    env = on(grader, grading_dir, served)
    path = tmp_path / "c1w1.ipynb"
    expected_wrong = "def compute_cost(x, y, w, b):\n    m = x.shape[0]\n    return ((w * x + b - y) ** 2).sum() / m\n"
    steps = [("tampered", _tampered), ("correct", lambda nb: None),
             ("wrong", set_source("compute_cost", expected_wrong)), ("correct again", lambda nb: None)]
    for label, edit in steps:
        variant(tmp_path, edit)
        t = by_id(grade(path, grading_dir, env))["test_compute_cost"]
        if label.startswith("correct"):
            assert t["passed"] and t["points"] == t["max_points"], (label, t)
            assert "clean process" not in t["message"] and "failed" not in t["message"], (label, t)
        elif label == "tampered":
            assert t["points"] == 0 and "clean process" in t["message"], (label, t)
        else:
            assert t["points"] == 0 and "1/2" in t["message"] and "clean process" not in t["message"], (label, t)
    if grader == "warm":
        served_warm(grading_dir, len(steps))
    with sqlite3.connect(grading_dir / "gradebook.db") as con:
        manual = con.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0]
    assert manual == 0, "the kit wrote a manual score (that field is for a person's hand grading)"


@shared
def test_a_stale_manual_overrule_from_an_older_kit_is_repaired(tmp_path, graded_once):
    path, _, first = graded_once
    grading_dir = copy_of(graded_once, tmp_path / "grading")  # where `first` was graded
    assert by_id(first)["test_compute_cost"]["passed"]
    with sqlite3.connect(grading_dir / "gradebook.db") as con:  # what kit versions before 2026-12 wrote
        con.execute("UPDATE grade SET manual_score = 0.0 WHERE id IN (SELECT g.id FROM grade g "
                    "JOIN base_cell c ON g.cell_id = c.id WHERE c.name = 'test_compute_cost')")
    t = by_id(grade(path, grading_dir))["test_compute_cost"]
    assert t["passed"] and t["points"] == t["max_points"], t


def test_a_broken_recheck_is_reported(tmp_path, grading_dir, grader, served):
    # warm: the service is started with the fault, so its pre-started re-check worker is the broken one
    env = on(grader, grading_dir, served, {"KIT_RECHECK_FAULT": "test"})
    result = grade(variant(tmp_path, lambda nb: None), grading_dir, env)
    if grader == "warm":
        served_warm(grading_dir, 1)
    assert result["score"] == result["max_score"]  # the notebook's own checks still count
    note = next(n for n in result["notes"] if "clean re-check could not run" in n)
    assert "exited with status 1" in note and "recheck.log" in note
    log = (grading_dir / "recheck.log").read_text()
    assert "injected fault: test" in log and "could not run" in log


@shared
def test_the_warm_grader_survives_a_damaged_folder_and_its_own_death(tmp_path, graded_once, warm_service):
    """The cases above that need a folder graded once, through a warm grader serving that folder:
    a stale overrule, a corrupted then a deleted gradebook under the running service, each graded
    warm as cold; then the service killed (SIGKILL) mid-grading: its kernels exit and that
    grading is done again the cold way, in full."""
    import signal
    import time

    path = graded_once[0]
    folder = warm_service(copy_of(graded_once, tmp_path / "grading"))
    with sqlite3.connect(folder / "gradebook.db") as con:
        con.execute("UPDATE grade SET manual_score = 0.0 WHERE id IN (SELECT g.id FROM grade g "
                    "JOIN base_cell c ON g.cell_id = c.id WHERE c.name = 'test_compute_cost')")
    t = by_id(grade(path, folder))["test_compute_cost"]
    assert t["passed"] and t["points"] == t["max_points"], t
    (folder / "gradebook.db").write_bytes(b"this is not a database" * 100)
    proc = run_cli("grade", str(path), "--json", grading=folder)
    assert proc.returncode == 0 and "Traceback" not in proc.stdout + proc.stderr, proc.stderr
    run = json.loads(proc.stdout)  # the run's notes (a damaged gradebook is the run's, not a notebook's)
    assert run["score"] == C1W1.max_score and any("was damaged" in n for n in run["notes"]), run["notes"]
    assert list(folder.glob("gradebook.db.damaged-*"))
    (folder / "gradebook.db").unlink()
    assert grade(path, folder)["score"] == C1W1.max_score
    used, kernels, workers = warm_log(folder)
    # Three gradings by the service, none sharing a process (a kernel it could not use, e.g. one
    # that died, is replaced by nbgrader's own: seen once as '0 nbgrader' under load).
    assert len(used) == 3 and all(u.endswith("1 re-check") for u in used), (folder / "warm.log").read_text()
    assert len(set(kernels)) == len(kernels) >= 2 and len(set(workers)) == len(workers) == 3
    # Killed mid-grading.
    marker = tmp_path / "started"
    slow = variant(tmp_path / "slow", set_source("compute_cost", f"import time\nopen({str(marker)!r}, 'w').close()\n"
                                                 "time.sleep(20)\n" + "".join(cell(SOURCE, "compute_cost")["source"])))
    env = dict(os.environ, KIT_GRADING_DIR=str(folder))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(slow), "--json"], cwd=ROOT, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 120
    while not marker.exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert marker.exists(), "the slow notebook never ran"
    service = json.loads((folder / "warm.json").read_text())["pid"]
    os.kill(service, signal.SIGKILL)
    out, err = proc.communicate(timeout=400)
    assert proc.returncode == 0 and "Traceback" not in out + err, err
    assert json.loads(out)["notebooks"][0]["score"] == C1W1.max_score
    assert _gone(kernels + workers + [service]), "a process of the killed warm grader still runs"
    for db in ("gradebook.db", "history.sqlite"):
        with sqlite3.connect(folder / db) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
