"""Grading through the real nbgrader pipeline, as the learner runs it: `python -m autograder grade`."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from autograder import paths, syllabus
from tests.conftest import GRADE_QUIZZES, every_module, grade_json, run_cli, sha256

SYL = syllabus.load()


@pytest.fixture(scope="module")
def every_solution_graded(tmp_path_factory, empty_gradebook) -> dict:
    """Every module's solution, copied to a path with a space outside the repository, graded in
    one CLI run in a grading folder of its own (different modules side by side, as `make grade`
    grades them). The exercises' grading is `every_exercise_graded`'s (conftest.py)."""
    root = tmp_path_factory.mktemp("every-solution")
    filled = {m.id: root / "filled in" / f"{m.id}.ipynb" for m in SYL.modules}
    (root / "filled in").mkdir()
    for m in SYL.modules:
        shutil.copy(m.solution_path, filled[m.id])
    before = {module_id: sha256(p) for module_id, p in filled.items()}
    grading = root / "grading"
    grading.mkdir()
    shutil.copy(empty_gradebook, grading / "gradebook.db")
    return {"filled": filled, "before": before, "run": grade_json(*filled.values(), grading=grading),
            "grading": grading}


@pytest.mark.slow
@every_module
@pytest.mark.parametrize("module_id", [m.id for m in SYL.modules])
def test_solution_scores_full_marks_and_untouched_exercise_zero(module_id, every_solution_graded,
                                                                every_exercise_graded):
    m = SYL.module(module_id)
    filled = every_solution_graded["filled"][module_id]
    solved = every_solution_graded["run"]["notebooks"][list(every_solution_graded["filled"]).index(module_id)]
    assert solved["path"] == str(filled)  # one entry per notebook, in the order given
    # `grade` with no target grades each module's exercise as it is in exercises/
    untouched = next(nb for nb in every_exercise_graded["run"]["notebooks"] if nb["module"] == module_id)
    assert Path(untouched["path"]).resolve() == m.exercise_path.resolve()

    assert solved["module"] == untouched["module"] == module_id
    assert solved["max_score"] == untouched["max_score"] == m.max_score
    assert solved["score"] == m.max_score, json.dumps(solved, indent=1)
    assert all(t["passed"] for t in solved["tests"])
    assert untouched["score"] == 0
    for t in untouched["tests"]:
        assert not t["passed"]
        assert "not attempted yet" in t["message"], t
        assert "Traceback" not in t["message"]
    # every check cell, a function's rule checks (module.toml) right after its values check
    assert [t["grade_id"] for t in solved["tests"]] == [c.test_id for c in m.checks]
    assert solved["score"] + untouched["score"] == m.max_score
    assert solved["max_score"] + untouched["max_score"] == 2 * m.max_score
    assert sha256(filled) == every_solution_graded["before"][module_id], f"grading modified {filled}"
    assert sha256(m.exercise_path) == every_exercise_graded["before"][module_id], f"grading modified {m.exercise_path}"
    for folder in (every_solution_graded["grading"], every_exercise_graded["grading"]):
        assert (folder / "gradebook.db").exists()
    assert solved["feedback"].endswith(".html")


@pytest.mark.slow
@every_module
def test_one_run_grades_many_notebooks_and_adds_up_their_scores(every_solution_graded, every_exercise_graded):
    solutions, exercises = every_solution_graded["run"], every_exercise_graded["run"]
    assert [nb["path"] for nb in solutions["notebooks"]] == list(map(str, every_solution_graded["filled"].values()))
    assert solutions["score"] == solutions["max_score"] == sum(m.max_score for m in SYL.modules)
    assert exercises["score"] == 0
    assert exercises["max_score"] == solutions["max_score"] + SYL.module(GRADE_QUIZZES).max_score
    assert exercises["max_score"] == sum(nb["max_score"] for nb in exercises["notebooks"])


@pytest.mark.slow
def test_grade_by_module_prints_the_table(new_grading_dir):
    # A grading folder that does not exist yet, as on a learner's first grading: the kit makes
    # it, and nbgrader's gradebook in it.
    proc = run_cli("grade", "c1w1", grading=new_grading_dir, env={"COLUMNS": "250"})
    assert proc.returncode == 0, proc.stderr
    assert (new_grading_dir / "gradebook.db").exists()
    out = proc.stdout
    for f in SYL.module("c1w1").functions:
        assert f.test_id in out
    assert "0 / 9" in out and "not attempted yet" in out
    assert "feedback report:" in out
    assert "Traceback" not in proc.stdout + proc.stderr


def test_unknown_module_is_one_paragraph_and_nonzero(grading_dir):
    proc = run_cli("grade", "c9w9", grading=grading_dir)
    assert proc.returncode != 0
    assert "neither a module nor a file" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.slow
@every_module
def test_feedback_report_has_the_diagnosis_and_hints_but_no_test_code(every_exercise_graded):
    from autograder.feedback import hints

    # c1w1's untouched exercise, graded by its module id (`grade` with no target names them all)
    result = next(nb for nb in every_exercise_graded["run"]["notebooks"] if nb["module"] == "c1w1")
    report = open(result["feedback"], encoding="utf-8").read()
    assert "kit-summary" in report and "0 / 9 points" in report
    assert "is not attempted yet" in report
    assert "Hint 1" in report  # the failed checks carry the exercise's hints
    for f in SYL.module("c1w1").functions:
        assert hints(SYL.module("c1w1"))[f.name]["hints"], f"{f.name} has no hints in the exercise"
    assert "def ref_" not in report and "MISTAKES" not in report  # no check-library code
    assert "Traceback (most recent call last)" not in report


def test_nbgrader_starts_without_building_the_iri_grammar_and_iri_checks_still_answer(tmp_path):
    """nbgrader_setup.defer_iri_grammar: the grader's start-up skips rfc3987-syntax's grammar
    (over a second of CPU per grading) until an IRI is checked, and then checks it for real."""
    code = (
        "import sys, pathlib\n"
        "from autograder import nbgrader_setup\n"
        f"nbgrader_setup.api(pathlib.Path({str(tmp_path / 'grading')!r}))\n"
        "assert 'nbformat' in sys.modules and 'rfc3987_syntax.syntax_helpers' not in sys.modules\n"
        "import jsonschema\n"
        "check = jsonschema.FormatChecker()\n"
        "assert check.conforms('http://example.com/ab', 'iri')\n"
        "assert not check.conforms('http://example.com/a b', 'iri')\n"
        "assert check.conforms('//host/path?q', 'iri-reference')\n"
        "assert 'rfc3987_syntax.syntax_helpers' in sys.modules\n"
    )
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr


def test_a_failed_nbgrader_step_names_its_cause_first():
    """nbgrader's log of a failed autograde ends with "Removing failed assignment: <folder>",
    which says nothing of why: the kit's message leads with the traceback's exception."""
    from autograder import nbgrader_setup
    from autograder.errors import KitError

    log = ("[AutogradeApp | INFO] Sanitizing /g/submitted/learner/c3w2-pca/c3w2-pca.ipynb\n"
           "[AutogradeApp | ERROR] There was an error processing assignment: /g/submitted/learner/c3w2-pca\n"
           "[AutogradeApp | ERROR] Traceback (most recent call last):\n"
           '  File "nbgrader/converters/base.py", line 425, in convert_notebooks\n'
           "    self.convert_single_notebook(notebook_filename)\n"
           "sqlalchemy.exc.OperationalError: (psycopg2.OperationalError) server closed the connection\n"
           "\n"
           "[AutogradeApp | WARNING] Removing failed assignment: /g/autograded/learner/c3w2-pca\n"
           "[AutogradeApp | ERROR] nbgrader autograde failed\n"
           "Traceback (most recent call last):\n"
           '  File "nbgrader/converters/base.py", line 468, in convert_notebooks\n'
           "nbgrader.converters.base.NbGraderException: Please see the the above traceback for details\n")
    with pytest.raises(KitError) as raised:
        nbgrader_setup.require_success({"success": False, "log": log}, "autograde c3w2-pca.ipynb")
    first = str(raised.value).splitlines()[0]
    assert "line 425, in convert_notebooks" in str(raised.value)  # the first traceback is shown
    assert first.startswith("nbgrader could not autograde c3w2-pca.ipynb (sqlalchemy.exc.OperationalError: "
                            "(psycopg2.OperationalError) server closed the connection)"), first
    assert nbgrader_setup.failure_cause("[X | ERROR] nbgrader autograde failed\n"
                                        "[X | WARNING] Removing failed assignment: /g") == "nbgrader autograde failed"
    assert nbgrader_setup.failure_cause("") == ""
    nbgrader_setup.require_success({"success": True}, "anything")  # no raise


@pytest.mark.slow
def test_a_failure_of_nbgrader_itself_is_graded_again_and_said(tmp_path):
    """nbgrader fails now and then for no reason in the notebook (about 1 grading in 400 under
    load): the notebook is graded once more, the learner told, and nbgrader's log kept."""
    m = SYL.module("c1w1")
    notebook = tmp_path / "c1w1.ipynb"
    shutil.copy(m.solution_path, notebook)
    grading = tmp_path / "grading"
    run = grade_json(notebook, grading=grading, env={"KIT_NBGRADER_FAULT": "once", "KIT_WARM_GRADER": "0"})
    result = run["notebooks"][0]
    assert result["score"] == m.max_score, result
    assert any("nbgrader failed once while grading this notebook (RuntimeError: injected fault" in n
               for n in result["notes"]), result["notes"]
    assert "injected fault" in paths.GradingLayout(grading).nbgrader_failures_log.read_text()
