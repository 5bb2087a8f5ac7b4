"""Shared fixtures: a private grading folder per test, and the kit's CLI run as a learner runs it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The test files that take longest (minutes of grading, a built environment), longest first.
# `make test` hands tests to its two workers in collection order (`--dist loadgroup
# --no-loadscope-reorder`), so these start first and the run ends on short tests, not on one long
# test while the other worker idles. Files not listed follow, those with slow tests first; the
# order of the tests inside a file is kept (its module-scoped fixtures are set up once).
LONGEST_FIRST = [
    "test_grading.py", "test_grade_cache.py",  # every module graded (`every_exercise_graded`)
    "test_robustness.py", "test_cohort.py", "test_binder.py", "test_warm_grader.py",
    "test_messages_cli.py", "test_capstone.py", "test_quiz_grading.py", "test_grade_button.py",
    "test_browser.py", "test_cohort_core.py", "test_exercises.py", "test_notebooks.py",
]


@pytest.hookimpl(trylast=True)  # after xdist's own hook (see _group_ids)
def pytest_collection_modifyitems(session, config, items) -> None:
    slow_files = {item.path.name for item in items if item.get_closest_marker("slow")}

    def rank(item) -> int:
        name = item.path.name
        if name in LONGEST_FIRST:
            return LONGEST_FIRST.index(name)
        return len(LONGEST_FIRST) + (name not in slow_files)

    items.sort(key=rank)  # stable: each file's own order is kept
    _group_ids(config, items)


def _group_ids(config, items) -> None:
    """In an xdist worker under `--dist loadgroup`: the `@group` suffix on the node id of each test
    marked xdist_group, by which the scheduler sends a group to one worker. pytest-xdist 3.8 sets
    `item._nodeid`, which pytest 9 no longer reads (a node id is `item._id`): without this every
    group was split over both workers, and each made the group's fixtures again (two cohorts at
    once, every module graded twice)."""
    if not getattr(config.option, "loadgroup", False):
        return
    from _pytest.nodeid import NodeId

    for item in items:
        names = sorted({str(m.args[0] if m.args else m.kwargs.get("name", "default"))
                        for m in item.iter_markers("xdist_group")})
        if names and "@" not in item.nodeid:
            item._id = NodeId.parse(f"{item.nodeid}@{'_'.join(names)}")


@pytest.fixture(scope="session")
def empty_gradebook(tmp_path_factory) -> Path:
    """An empty gradebook made by nbgrader itself, once per test process. Creating one costs
    nbgrader an `alembic heads` subprocess (seconds of CPU); copying it costs nothing."""
    from autograder import nbgrader_setup, paths

    nbgrader_setup._ensure_venv_on_path()
    from nbgrader.api import Gradebook

    layout = paths.GradingLayout(tmp_path_factory.mktemp("empty-gradebook"))
    with Gradebook(layout.gradebook_url):
        pass
    return layout.gradebook


@pytest.fixture
def grading_dir(tmp_path, monkeypatch, empty_gradebook) -> Path:
    """A private grading folder (gradebook, feedback) so tests never touch the learner's. It
    starts with nbgrader's empty gradebook in place, as after a learner's first grading; the
    creation of a gradebook from nothing is tested with `new_grading_dir`."""
    folder = tmp_path / "grading"
    folder.mkdir()
    shutil.copy(empty_gradebook, folder / "gradebook.db")
    monkeypatch.setenv("KIT_GRADING_DIR", str(folder))
    return folder


# Tests that read `every_exercise_graded` (test_grading, test_grade_cache): with `--dist loadgroup`
# (make test) xdist runs them in one worker, so that grading runs once.
every_module = pytest.mark.xdist_group("every-module")
# The quizzes `grade` with no target grades in the kit's tests: c1w1's (each quiz is graded on its
# own in test_quiz_grading and test_quiz; all of them would cost a minute more).
GRADE_QUIZZES = "c1w1-quiz"


@pytest.fixture(scope="session")
def every_exercise_graded(tmp_path_factory, empty_gradebook) -> dict:
    """`grade` with no target, as `make grade` runs it on a fresh clone, in a grading folder of
    its own: every module's untouched exercise, and c1w1's quiz (GRADE_QUIZZES). Returns the folder,
    the run's JSON and each exercise's sha256 from before the run; tests copy the folder."""
    from autograder import syllabus

    folder = tmp_path_factory.mktemp("every-exercise") / "grading"
    folder.mkdir()
    shutil.copy(empty_gradebook, folder / "gradebook.db")
    before = {m.id: sha256(m.exercise_path) for m in syllabus.load().assignments if m.exercise_path.is_file()}
    run = grade_json(grading=folder, env={"KIT_GRADE_QUIZZES": GRADE_QUIZZES})
    return {"grading": folder, "run": run, "before": before}


@pytest.fixture
def new_grading_dir(tmp_path, monkeypatch) -> Path:
    """A grading folder that does not exist yet, as on a learner's first grading."""
    folder = tmp_path / "new grading"
    monkeypatch.setenv("KIT_GRADING_DIR", str(folder))
    return folder


def run_cli(*args: str, grading: Path, timeout: float = 600, env: dict | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, KIT_GRADING_DIR=str(grading), **(env or {}))
    full_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full_env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def grade_json(*paths: str | Path, grading: Path, extra: tuple[str, ...] = (), env: dict | None = None) -> dict:
    proc = run_cli("grade", *map(str, paths), *extra, "--json", grading=grading, timeout=1800, env=env)
    assert proc.returncode == 0, proc.stderr
    run = json.loads(proc.stdout)
    for nb in run["notebooks"]:
        for note in nb["notes"]:
            if "nbgrader failed once" in note and "KIT_NBGRADER_FAULT" not in note:  # in the warnings summary (CI keeps it)
                from autograder.paths import GradingLayout  # (`paths` is this function's argument)

                log = GradingLayout(Path(grading)).nbgrader_failures_log
                warnings.warn(f"{nb['path']}: {note}\n{log.read_text()[-4000:] if log.exists() else ''}", stacklevel=1)
    return run


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
