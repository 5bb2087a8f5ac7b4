"""Grading survives anything a learner's notebook does (docs/grading-robustness.md lists the cases).

Each test builds a broken notebook from module c1w1's filled-in source, grades it with the real
CLI, and checks what the learner sees; in every case the notebook file is unchanged afterwards.
"""

from __future__ import annotations

import copy
import json
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
    before = sha256(path)
    proc = run_cli("grade", str(path), "--json", *extra, grading=grading, env=env, timeout=400)
    assert sha256(path) == before, "grading changed the learner's notebook"
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return json.loads(proc.stdout)["notebooks"][0]


def by_id(result: dict) -> dict:
    return {t["grade_id"]: t for t in result["tests"]}


def others_full_marks(result: dict, broken: str) -> None:
    for gid, t in by_id(result).items():
        if gid != f"test_{broken}":
            assert t["passed"], t


def test_infinite_loop_times_out_and_the_rest_is_graded(tmp_path, grading_dir):
    path = variant(tmp_path, set_source("compute_cost", "def compute_cost(x, y, w, b):\n    while True:\n        pass\n"))
    result = grade(path, grading_dir, {"KIT_CELL_TIMEOUT": "10"})
    t = by_id(result)["test_compute_cost"]
    assert t["points"] == 0 and "timed out after 10 s" in t["message"]
    others_full_marks(result, "compute_cost")


def test_syntax_error_names_the_line(tmp_path, grading_dir):
    path = variant(tmp_path, set_source("compute_cost", "def compute_cost(x, y, w, b):\n    m = x.shape[0]\n    return (m\n"))
    result = grade(path, grading_dir)
    message = by_id(result)["test_compute_cost"]["message"]
    assert "SyntaxError on line 3" in message and "never defined" in message
    others_full_marks(result, "compute_cost")


def test_exception_in_top_level_code_names_the_cell(tmp_path, grading_dir):
    source = "".join(cell(SOURCE, "compute_cost")["source"]) + "\nratio = 1 / 0\n"
    result = grade(variant(tmp_path, set_source("compute_cost", source)), grading_dir)
    assert any("cell of `compute_cost`" in n and "ZeroDivisionError" in n for n in result["notes"]), result["notes"]
    assert result["score"] == result["max_score"]  # the function itself is right


def test_deleted_check_cell_is_restored_and_run(tmp_path, grading_dir):
    def delete(nb):
        nb["cells"].remove(cell(nb, "test_compute_cost"))
    result = grade(variant(tmp_path, delete), grading_dir)
    assert by_id(result)["test_compute_cost"]["passed"]
    assert any("check cell of `compute_cost` was missing" in n for n in result["notes"])


def test_edited_check_cell_is_restored_and_its_verdict_counts(tmp_path, grading_dir):
    def edit(nb):
        cell(nb, "test_compute_cost")["source"] = "pass"
        cell(nb, "compute_cost")["source"] = "def compute_cost(x, y, w, b):\n    return 0.0\n"
    result = grade(variant(tmp_path, edit), grading_dir)
    t = by_id(result)["test_compute_cost"]
    assert t["points"] == 0 and "expected" in t["message"]
    assert any("had been edited" in n for n in result["notes"])


@pytest.mark.parametrize("how", ["deleted", "renamed"])
def test_missing_function_is_explained(tmp_path, grading_dir, how):
    def edit(nb):
        if how == "deleted":
            nb["cells"].remove(cell(nb, "compute_cost"))
        else:
            cell(nb, "compute_cost")["source"] = "def my_cost(x, y, w, b):\n    return 0.0\n"
    result = grade(variant(tmp_path, edit), grading_dir)
    assert "`compute_cost` is not defined — was it renamed or its cell deleted?" in by_id(result)["test_compute_cost"]["message"]
    others_full_marks(result, "compute_cost")


def test_patching_the_check_library_earns_nothing(tmp_path, grading_dir):
    def edit(nb):
        cell(nb, "compute_cost")["source"] = (
            "def compute_cost(x, y, w, b):\n    return 42.0\n\n"
            "import autograder.checks.c1w1 as _checks\n_checks.check_compute_cost = lambda f: print('passed')\n")
        cell(nb, "compute_gradient")["source"] = (
            "def compute_gradient(x, y, w, b):\n    return 0.0, 0.0\n\n"
            "import autograder.checks.ladder as _ladder\n_ladder.Check.case = lambda self, note='', **args: None\n"
            "import numpy\nnumpy.allclose = lambda *a, **k: True\n")
    result = grade(variant(tmp_path, edit), grading_dir)
    for name in ("compute_cost", "compute_gradient"):
        t = by_id(result)[f"test_{name}"]
        assert t["points"] == 0, t
        assert "clean process" in t["message"] and "expected" in t["message"]
    assert by_id(result)["test_compute_model_output"]["passed"]


def test_stale_passed_outputs_count_for_nothing(tmp_path, grading_dir):
    exercise = json.loads(C1W1.exercise_path.read_text())

    def fake(nb):
        for c in nb["cells"]:
            if c["cell_type"] == "code":
                c["execution_count"] = 1
                if c["metadata"].get("nbgrader", {}).get("grade"):
                    c["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "✓ all cases passed.\n"}]
    result = grade(variant(tmp_path, fake, start=exercise), grading_dir)
    assert result["score"] == 0


def test_saved_without_outputs_is_graded_normally(tmp_path, grading_dir):
    result = grade(variant(tmp_path, lambda nb: None), grading_dir)  # the source has no outputs
    assert result["score"] == result["max_score"]


def test_sys_exit_in_a_cell_is_explained(tmp_path, grading_dir):
    result = grade(variant(tmp_path, set_source("compute_cost", "import sys\nsys.exit(3)\n")), grading_dir)
    assert "sys.exit()" in by_id(result)["test_compute_cost"]["message"]
    others_full_marks(result, "compute_cost")


def test_kernel_death_names_the_cell_and_nothing_hangs(tmp_path, grading_dir):
    path = variant(tmp_path, set_source("compute_cost", "import os\nos._exit(1)\n"))
    result = grade(path, grading_dir)
    assert result["score"] == 0
    number = 1 + SOURCE["cells"].index(cell(SOURCE, "compute_cost"))
    assert any(f"kernel died while running cell {number} (`import os`)" in n for n in result["notes"])


def test_megabytes_of_output_are_truncated(tmp_path, grading_dir):
    source = "print('x' * 30_000_000)\n" + "".join(cell(SOURCE, "compute_cost")["source"])
    result = grade(variant(tmp_path, set_source("compute_cost", source)), grading_dir)
    assert result["score"] == result["max_score"]
    autograded = grading_dir / "autograded" / "learner" / "c1w1" / "c1w1.ipynb"
    assert autograded.stat().st_size < 2_000_000
    assert "output truncated by the grader" in autograded.read_text()
    assert Path(result["feedback"]).stat().st_size < 3_000_000


def test_running_out_of_memory_is_explained(tmp_path, grading_dir):
    # 16 GiB of address space against a 6000 MiB limit: refused at once, whatever the machine has.
    source = "import numpy as np\nbig = np.empty(2**31)\n" + "".join(cell(SOURCE, "compute_cost")["source"])
    result = grade(variant(tmp_path, set_source("compute_cost", source)), grading_dir,
                   {"KIT_KERNEL_MEMORY_MB": "6000"})
    message = by_id(result)["test_compute_cost"]["message"]
    assert "ran out of memory" in message
    others_full_marks(result, "compute_cost")


@pytest.mark.fast
@pytest.mark.parametrize("content,name,expected", [
    (b"", "c1w1.ipynb", "is empty"),
    (json.dumps(SOURCE).encode()[:500], "c1w1.ipynb", "its JSON is broken"),
    (json.dumps(SOURCE).encode(), "c1w1.txt", "is not a notebook"),
    (b'{"cells": 3}', "c1w1.ipynb", "not a Jupyter notebook"),
    (json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode(),
     "other.ipynb", "cannot tell which module"),
])
def test_not_a_notebook_is_one_paragraph_and_writes_nothing(tmp_path, grading_dir, content, name, expected):
    path = tmp_path / name
    path.write_bytes(content)
    proc = run_cli("grade", str(path), grading=grading_dir)
    assert proc.returncode != 0
    assert expected in proc.stderr and "Traceback" not in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert not grading_dir.exists()
    assert path.read_bytes() == content


@pytest.mark.fast
def test_notebook_of_another_module_is_refused(tmp_path, grading_dir):
    other = syllabus.load().module("c1w2").solution_path
    proc = run_cli("grade", str(other), "--module", "c1w1", grading=grading_dir)
    assert proc.returncode != 0
    assert "is the exercise of module c1w2, not c1w1" in proc.stderr
    assert not grading_dir.exists()


def test_paths_with_spaces_and_non_ascii_are_graded(tmp_path, grading_dir):
    path = variant(tmp_path / "mes exercices é ü", lambda nb: None, name="copie de c1w1 ☃.ipynb")
    assert grade(path, grading_dir)["score"] == C1W1.max_score


def test_two_gradings_at_once_both_succeed(tmp_path, grading_dir):
    paths = [variant(tmp_path / str(i), lambda nb: None) for i in range(2)]
    env = dict(os.environ, KIT_GRADING_DIR=str(grading_dir))
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env["PATH"]
    procs = [subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(p), "--json"], cwd=ROOT,
                              env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for p in paths]
    for proc in procs:
        out, err = proc.communicate(timeout=400)
        assert proc.returncode == 0, err
        assert json.loads(out)["score"] == C1W1.max_score
    with sqlite3.connect(grading_dir / "gradebook.db") as con:
        assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with sqlite3.connect(grading_dir / "history.sqlite") as con:
        assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 2


@pytest.mark.parametrize("damage", ["deleted", "corrupted"])
def test_damaged_gradebook_is_kept_aside_and_grading_goes_on(tmp_path, grading_dir, damage):
    path = variant(tmp_path, lambda nb: None)
    grade(path, grading_dir)
    db = grading_dir / "gradebook.db"
    if damage == "deleted":
        db.unlink()
    else:
        db.write_bytes(b"this is not a database" * 100)
    proc = run_cli("grade", str(path), "--json", grading=grading_dir)
    assert proc.returncode == 0, proc.stderr
    result = json.loads(proc.stdout)
    assert result["score"] == C1W1.max_score
    if damage == "corrupted":
        assert any("was damaged" in n for n in result["notes"])
        assert list(grading_dir.glob("gradebook.db.damaged-*"))
    with sqlite3.connect(grading_dir / "history.sqlite") as con:  # earlier results are kept
        assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 2


def _tampered(nb):
    cell(nb, "compute_cost")["source"] = (
        "def compute_cost(x, y, w, b):\n    return 42.0\n\n"
        "import autograder.checks.c1w1 as _checks\n_checks.check_compute_cost = lambda f: print('passed')\n")


def test_each_grading_is_judged_on_its_own(tmp_path, grading_dir):
    """An overrule of one attempt must not stick to the next ones in the same grading folder."""
    path = tmp_path / "c1w1.ipynb"
    expected_wrong = "def compute_cost(x, y, w, b):\n    m = x.shape[0]\n    return ((w * x + b - y) ** 2).sum() / m\n"
    steps = [("tampered", _tampered), ("correct", lambda nb: None),
             ("wrong", set_source("compute_cost", expected_wrong)), ("correct again", lambda nb: None)]
    for label, edit in steps:
        variant(tmp_path, edit)
        t = by_id(grade(path, grading_dir))["test_compute_cost"]
        if label.startswith("correct"):
            assert t["passed"] and t["points"] == t["max_points"], (label, t)
            assert "clean process" not in t["message"] and "failed" not in t["message"], (label, t)
        elif label == "tampered":
            assert t["points"] == 0 and "clean process" in t["message"], (label, t)
        else:
            assert t["points"] == 0 and "1/2" in t["message"] and "clean process" not in t["message"], (label, t)
    with sqlite3.connect(grading_dir / "gradebook.db") as con:
        manual = con.execute("SELECT COUNT(*) FROM grade WHERE manual_score IS NOT NULL").fetchone()[0]
    assert manual == 0, "the kit wrote a manual score (that field is for a person's hand grading)"


def test_a_stale_manual_overrule_from_an_older_kit_is_repaired(tmp_path, grading_dir):
    path = variant(tmp_path, lambda nb: None)
    assert by_id(grade(path, grading_dir))["test_compute_cost"]["passed"]
    with sqlite3.connect(grading_dir / "gradebook.db") as con:  # what kit versions before 2026-12 wrote
        con.execute("UPDATE grade SET manual_score = 0.0 WHERE id IN (SELECT g.id FROM grade g "
                    "JOIN base_cell c ON g.cell_id = c.id WHERE c.name = 'test_compute_cost')")
    t = by_id(grade(path, grading_dir))["test_compute_cost"]
    assert t["passed"] and t["points"] == t["max_points"], t


def test_a_broken_recheck_is_reported(tmp_path, grading_dir):
    result = grade(variant(tmp_path, lambda nb: None), grading_dir, {"KIT_RECHECK_FAULT": "test"})
    assert result["score"] == result["max_score"]  # the notebook's own checks still count
    note = next(n for n in result["notes"] if "clean re-check could not run" in n)
    assert "exited with status 1" in note and "recheck.log" in note
    log = (grading_dir / "recheck.log").read_text()
    assert "injected fault: test" in log and "could not run" in log
