"""No work redone: `make grade` grades only the notebooks that changed since their last grading
(by content hash, recorded in the history); `--force` grades everything again; a change of the
kit's checks or solutions invalidates a module's recorded results."""

from __future__ import annotations

import json
import shutil

import pytest

from autograder import cache, history, syllabus
from tests.conftest import GRADE_QUIZZES, ROOT, every_module, grade_json, run_cli

pytestmark = pytest.mark.slow

SYL = syllabus.load()


@pytest.fixture(autouse=True)
def _one_quiz(monkeypatch):
    """`grade` with no module grades every quiz too; here only c1w1's (a few seconds each)."""
    monkeypatch.setenv("KIT_GRADE_QUIZZES", GRADE_QUIZZES)


def _by_path(run: dict) -> dict:
    return {nb["path"]: nb for nb in run["notebooks"]}


def test_only_changed_notebooks_are_graded_again(tmp_path, grading_dir):
    a, b = tmp_path / "a" / "c1w1.ipynb", tmp_path / "b" / "c1w1.ipynb"
    for p in (a, b):
        p.parent.mkdir()
        shutil.copy(SYL.module("c1w1").solution_path, p)
    first = _by_path(grade_json(a, b, grading=grading_dir, extra=("--skip-unchanged",)))
    assert all(nb["unchanged_since"] is None and nb["score"] == nb["max_score"] for nb in first.values())

    nb = json.loads(b.read_text())  # b: compute_cost now forgets the 1/2
    for c in nb["cells"]:
        if c["metadata"].get("nbgrader", {}).get("grade_id") == "compute_cost":
            c["source"] = "def compute_cost(x, y, w, b):\n    return ((w * x + b - y) ** 2).mean()\n"
    b.write_text(json.dumps(nb))
    second = _by_path(grade_json(a, b, grading=grading_dir, extra=("--skip-unchanged",)))
    assert second[str(a)]["unchanged_since"] == first_graded(grading_dir, a)
    assert second[str(a)]["tests"] == first[str(a)]["tests"]  # the recorded result, whole
    assert second[str(b)]["unchanged_since"] is None and second[str(b)]["score"] < second[str(b)]["max_score"]
    attempts = history.attempts(grading_dir)
    assert [x.path for x in attempts] == [str(a), str(b), str(b)], "a reused result is not a new attempt"

    forced = _by_path(grade_json(a, b, grading=grading_dir, extra=("--skip-unchanged", "--force")))
    assert all(nb["unchanged_since"] is None for nb in forced.values())
    named = _by_path(grade_json(a, grading=grading_dir))  # a module or path named: graded again
    assert named[str(a)]["unchanged_since"] is None

    proc = run_cli("grade", str(a), "--skip-unchanged", grading=grading_dir)
    assert proc.returncode == 0 and "unchanged since" in proc.stdout and "not re-graded" in proc.stdout


def first_graded(grading_dir, path) -> str:
    return [x.graded_at for x in history.attempts(grading_dir) if x.path == str(path)][-1]


def test_a_changed_kit_invalidates_the_recorded_result(tmp_path, grading_dir, monkeypatch):
    path = tmp_path / "c1w1.ipynb"
    shutil.copy(SYL.module("c1w1").solution_path, path)
    grade_json(path, grading=grading_dir)
    module = SYL.module("c1w1")
    data = history.attempts(grading_dir)[-1]
    assert cache.recorded(grading_dir, module, path, _graded_bytes(path)) is not None
    # The kit's hash covers the module's checks and source and the shared grading code.
    files = {p.relative_to(ROOT).as_posix() for p in cache.kit_files(module)}
    assert {"solutions/c1w1/c1w1.ipynb", "autograder/checks/c1w1.py", "autograder/checks/ladder.py",
            "autograder/grading.py"} <= files
    monkeypatch.setattr(cache, "kit_hash", lambda m: "another kit")
    assert cache.recorded(grading_dir, module, path, _graded_bytes(path)) is None
    assert data.kit_sha256 and data.notebook_sha256


def _graded_bytes(path):
    from autograder import submission

    return submission.resolve(str(path)).data


@every_module
def test_make_grade_with_no_module_skips_the_unchanged(tmp_path, every_exercise_graded):
    """The real `grade` with no target: every module's exercise, then again with nothing changed
    (in a copy of the first run's grading folder; test_grading reads the first run too)."""
    first = every_exercise_graded["run"]
    grading_dir = tmp_path / "grading"
    shutil.copytree(every_exercise_graded["grading"], grading_dir)
    # every module and one quiz (KIT_GRADE_QUIZZES, set below for the whole file, keeps it fast);
    # not the capstone, which is graded on its own (`make grade MODULE=capstone`)
    assert [nb["module"] for nb in first["notebooks"]] == [
        m.id for m in SYL.assignments if m.kind != "project" and (not m.is_quiz or m.id == "c1w1-quiz")]
    assert all(nb["unchanged_since"] is None for nb in first["notebooks"])
    second = grade_json(grading=grading_dir)
    assert all(nb["unchanged_since"] for nb in second["notebooks"])
    assert [nb["score"] for nb in second["notebooks"]] == [nb["score"] for nb in first["notebooks"]]
