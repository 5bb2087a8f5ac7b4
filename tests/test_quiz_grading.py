"""One quiz (c1w1-quiz) through the real `python -m autograder grade` (nbgrader and the clean
re-check): the solution grades full marks, the untouched exercise 0 with every question "not
attempted", a fresh variant from `reset` (a new seed) answered from the bank grades full marks,
and a notebook that patches the quiz library earns nothing. All four in one grading run."""

from __future__ import annotations

import json

import pytest

from autograder import reset, syllabus
from autograder.cells import grade_id
from autograder.quiz import answer_source, load_bank, notebook
from tests.conftest import grade_json

pytestmark = pytest.mark.slow

SYL = syllabus.load()
QUIZ = SYL.module("c1w1-quiz")


def _answered(nb: dict, answers: dict[str, str]) -> dict:
    for cell in nb["cells"]:
        if grade_id(cell) in answers:
            cell["source"] = f"{grade_id(cell)} = {answers[grade_id(cell)]}\n"
    return nb


def test_quiz_grades_through_nbgrader(tmp_path, grading_dir):
    bank = load_bank("c1w1")
    # a variant: reset into a folder of its own gives a new seed; answered from the bank for it
    variant = tmp_path / "variant" / "c1w1-quiz.ipynb"
    variant.parent.mkdir()
    variant.write_bytes(QUIZ.exercise_path.read_bytes())
    old_seed = notebook.seed_of(json.loads(variant.read_text()))
    reset.reset(QUIZ.id, dest=variant, backup_root=tmp_path / "backups")
    assert list((tmp_path / "backups").rglob("*.ipynb")), "reset keeps a backup"
    nb = json.loads(variant.read_text())
    seed = notebook.seed_of(nb)
    assert seed not in (None, old_seed, notebook.SOLUTION_SEED)
    variant.write_text(json.dumps(_answered(nb, {q.name: answer_source(q, seed) for q in bank})))

    # tampering: wrong answers everywhere, and the quiz library patched to pass everything
    tamper = tmp_path / "tamper" / "c1w1-quiz.ipynb"
    tamper.parent.mkdir()
    nb = json.loads(QUIZ.exercise_path.read_text())
    seed_t = notebook.seed_of(nb)
    wrong = {q.name: repr(q.at(seed_t).wrong_answers()[0][0]) for q in bank}
    _answered(nb, wrong)
    setup = next(i for i, c in enumerate(nb["cells"]) if c.get("id") == "quiz-setup")
    nb["cells"].insert(setup + 1, {
        "cell_type": "code", "execution_count": None, "id": "patch", "metadata": {}, "outputs": [],
        "source": "import autograder.quiz as _q\n_q.Quiz.check = lambda self, name, ns: print('✓ ' + name)\n"})
    tamper.write_text(json.dumps(nb))

    run = grade_json(QUIZ.solution_path, QUIZ.exercise_path, variant, tamper, grading=grading_dir)
    solution, untouched, varied, tampered = run["notebooks"]
    assert all(nb["module"] == "c1w1-quiz" for nb in run["notebooks"])
    assert solution["score"] == solution["max_score"] == QUIZ.max_score, solution
    assert len(solution["tests"]) == len(QUIZ.functions)  # one line per question
    assert untouched["score"] == 0
    assert all("not attempted" in t["message"] for t in untouched["tests"]), untouched["tests"]
    assert varied["score"] == QUIZ.max_score, varied["tests"]
    assert tampered["score"] == 0, tampered["tests"]
    assert all("clean process" in t["message"] for t in tampered["tests"]), tampered["tests"]


def test_committed_quiz_exercises_equal_a_fresh_generation(tmp_path):
    """Each committed quiz exercise is what nbgrader generates from its source, with its seed."""
    from autograder import exercises

    quizzes = [q for q in SYL.quizzes if q.exercise_path.exists()]
    seeds = {q.id: notebook.seed_of(json.loads(q.exercise_path.read_text())) for q in quizzes}
    fresh = exercises.generate_to(tmp_path, quizzes, seeds)
    stale = [qid for qid, path in fresh.items() if path.read_bytes() != SYL.module(qid).exercise_path.read_bytes()]
    assert not stale, f"quiz exercises out of date, run `make quizzes MODULE=...`: {stale}"
