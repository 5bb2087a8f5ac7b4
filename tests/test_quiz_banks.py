"""Every quiz bank, in-process (fast): every option of every question tried for several seeds
(the right answer passes, every wrong option fails with its own explanation, malformed answers
are explained and never raise, an undefined answer is "not attempted"), the issue's content rules,
and bank <-> quiz.toml <-> solutions notebook <-> exercise in sync."""

from __future__ import annotations

import ast
import json

import pytest

from autograder import syllabus
from autograder.cells import grade_id, source
from autograder.quiz import MISSING, Multiple, Single, answer_source, audit, load_bank, notebook

SYL = syllabus.load()
QUIZZES = [q.id for q in SYL.quizzes]
SEEDS = range(8)


def _bank(quiz_id):
    return load_bank(SYL.module(quiz_id).of)


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_every_answer_of_every_question_is_judged_right(quiz_id):
    problems = audit(_bank(quiz_id), SEEDS)
    assert not problems, "\n".join(problems[:20])


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_every_variant_a_learner_can_get_builds(quiz_id):
    """A learner's seed is drawn from 1..99999: a sample of them (and the extremes) must build,
    and the right answer must pass, so no learner meets a bank's error instead of a question."""
    import random

    seeds = [1, 99_999] + random.Random(quiz_id).sample(range(1, 100_000), 30)
    for q in _bank(quiz_id):
        if not q.seeded:
            continue
        for seed in seeds:
            ok, message = q.judge(q.at(seed).solution, seed)
            assert ok, (q.name, seed, message)


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_every_option_is_tried(quiz_id):
    """Each option of a choice question, alone: the right one passes, each wrong one fails with
    its own explanation (for a Multiple: each option picked or left out alone)."""
    for seed in SEEDS:
        for q in _bank(quiz_id):
            v = q.at(seed)
            if isinstance(v, Single):
                for key, opt in v.options.items():
                    ok, message = q.judge(key.upper() + " ", seed)
                    assert ok == (key == v.answer), (q.name, seed, key, message)
                    assert opt.explanation in message, (q.name, seed, key, message)
            elif isinstance(v, Multiple):
                for key, opt in v.options.items():
                    ok, message = q.judge({key}, seed)
                    assert ok == (v.answer == {key}), (q.name, seed, key, message)
                    if not ok:
                        assert opt.explanation in message or key in v.answer, (q.name, seed, key, message)


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_content_rules(quiz_id):
    """The issue's rules: 8-15 questions, at least 2 seeded variants, seeded variants really
    vary, every question has a prompt."""
    bank = _bank(quiz_id)
    assert 8 <= len(bank) <= 15, len(bank)
    seeded = [q for q in bank if q.seeded]
    assert len(seeded) >= 2, [q.name for q in seeded]
    for q in seeded:
        variants = {(q.at(s).prompt_markdown(), repr(q.at(s).solution)) for s in range(12)}
        assert len(variants) > 1, f"{q.name}: every seed gives the same question and answer"
    kinds = {q.at(0).kind for q in bank}
    assert len(kinds) >= 3, kinds


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_bank_manifest_and_notebooks_agree(quiz_id):
    quiz = SYL.module(quiz_id)
    bank = _bank(quiz_id)
    assert [q.name for q in bank] == [f.name for f in quiz.functions], "bank and quiz.toml differ"
    assert quiz.prerequisites == (quiz.of,)
    ids = SYL.assignment_ids
    assert ids.index(quiz.id) == ids.index(quiz.of) + 1, "a quiz comes right after its module"
    assert quiz.solution_path.exists(), f"run `python -m autograder.quiz build {quiz.of}`"
    built = notebook.dumps(notebook.build_notebook(quiz.of))
    assert quiz.solution_path.read_text(encoding="utf-8") == built, \
        f"the solutions notebook is not what the bank builds: run `python -m autograder.quiz build {quiz.of}`"
    points = {f.name: f.points for f in quiz.functions}
    src = json.loads(built)
    assert src["metadata"]["kit"] == {"module": quiz.id, "quiz_seed": 0}
    checks = {grade_id(c): c["metadata"]["nbgrader"]["points"] for c in src["cells"]
              if grade_id(c) and c["metadata"]["nbgrader"].get("grade")}
    assert checks == {syllabus.check_id(n): p for n, p in points.items()}


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_exercise_is_a_seeded_stub_of_the_solutions(quiz_id):
    quiz = SYL.module(quiz_id)
    if not quiz.exercise_path.exists():
        pytest.skip(f"{quiz_id}: no exercise yet (make quizzes MODULE={quiz.of})")
    text = quiz.exercise_path.read_text(encoding="utf-8")
    nb = json.loads(text)
    assert "BEGIN SOLUTION" not in text and "NotImplementedError" not in text
    seed = notebook.seed_of(nb)
    assert seed is not None and seed != notebook.SOLUTION_SEED
    seed_cells = [c for c in nb["cells"] if c.get("metadata", {}).get("kit", {}).get("quiz_seed_cell")]
    assert len(seed_cells) == 1 and source(seed_cells[0]).strip() == f"QUIZ_SEED = {seed}"
    assert "nbgrader" not in seed_cells[0]["metadata"], "nbgrader would restore the solutions' seed"
    # the prompts are rendered for the exercise's seed; the graded cells are the solutions' ones
    again = notebook.set_seed(json.loads(text), quiz, seed)
    assert [source(c) for c in again["cells"]] == [source(c) for c in nb["cells"]]
    answers = [c for c in nb["cells"] if grade_id(c) in {f.name for f in quiz.functions}]
    assert [source(c).strip() for c in answers] == [notebook.CODE_STUB] * len(quiz.functions)
    src = json.loads(quiz.solution_path.read_text(encoding="utf-8"))
    assert [grade_id(c) for c in nb["cells"] if grade_id(c)] == [grade_id(c) for c in src["cells"] if grade_id(c)]
    # an answer left as generated is not attempted, in the notebook's own check
    namespace = {"QUIZ_SEED": seed}
    for q in _bank(quiz_id):
        ok, message = q.judge(namespace.get(q.name, MISSING), seed)
        assert not ok and "not attempted" in message


@pytest.mark.parametrize("quiz_id", QUIZZES)
def test_solution_cells_hold_the_answers_for_seed_0(quiz_id):
    quiz = SYL.module(quiz_id)
    src = json.loads(quiz.solution_path.read_text(encoding="utf-8"))
    bank = {q.name: q for q in _bank(quiz_id)}
    for c in src["cells"]:
        if grade_id(c) in bank:
            q = bank[grade_id(c)]
            body = source(c).split("### BEGIN SOLUTION\n", 1)[1].split("\n### END SOLUTION", 1)[0]
            assert body == f"{q.name} = {answer_source(q, 0)}"
            assert q.judge(ast.literal_eval(body.split("=", 1)[1].strip()), 0)[0]
