"""The quiz bank API (autograder/quiz): question kinds, generous reading of answers, seeded
variants, the graded interface `check_<name>` and the notebook's `quiz.check`. In-process and fast."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks.ladder import CheckFailed, NotAttempted
from autograder.quiz import (MISSING, Multiple, Number, Option, Quiz, Shape, Single, answer_source,
                             audit, define_checks, rng_for)
from autograder.quiz import QuizError


def single():
    return Single("q1", prompt="Which?", options={
        "a": Option("one", "Wrong: a is too small."),
        "b": Option("two", "Right: b is just right."),
        "c": Option("three", "Wrong: c is too big."),
    }, answer="b")


def multiple():
    return Multiple("q2", prompt="Which apply?", options={
        "a": Option("x", "a belongs: it is true."),
        "b": Option("y", "b does not: it is false."),
        "c": Option("z", "c belongs: also true."),
    }, answer={"a", "c"})


def number():
    return Number("q3", prompt="J?", answer=0.125, tolerance=1e-3, reason="Right: 1/(2m) times the sum.",
                  wrong=[(0.25, "That is without the 1/2.")])


def shape():
    return Shape("q4", prompt="Shape?", answer=(5,), reason="Right: a 1-D array.",
                 wrong=[((5, 1), "That is a column, not a 1-D array.")])


def seeded():
    def make(rng):
        m = int(rng.integers(2, 6))
        return dict(prompt=f"m = {m}: what is 1/m?", answer=1 / m, tolerance=1e-4,
                    reason=f"Right: 1/{m}.", wrong=[(m, "That is m, not 1/m.")])
    return Number.variant("q5", make)


@pytest.mark.parametrize("value", ["b", "B ", " (b)", "b)", ["b"], {"b"}, ("b",), np.str_("b"), "option b"])
def test_single_reads_generously(value):
    assert single().judge(value) == (True, "Right: b is just right.")


@pytest.mark.parametrize("value,fragment", [
    ("a", "a is too small"), ("c", "c is too big"),
    ("b,c", "exactly one right answer"), ("bc", "exactly one right answer"), (["a", "b"], "exactly one"),
    ("d", "not an option"), (3, "not an option"), (2.5, "not an option"), (True, "not an option"),
    ("", "picks no option"),
])
def test_single_wrong_or_malformed_is_explained(value, fragment):
    ok, message = single().judge(value)
    assert not ok and fragment in message


@pytest.mark.parametrize("value", [{"a", "c"}, "a, c", "ac", "c a", ["a", "c"], ("c", "a"), "A;C", "a and c"])
def test_multiple_reads_generously(value):
    assert multiple().judge(value)[0]


def test_multiple_wrong_set_names_each_wrong_pick_and_omission():
    ok, message = multiple().judge({"a", "b"})
    assert not ok and "(b) does not belong: b does not" in message and "(c) is missing: c belongs" in message
    assert "(a)" not in message
    for value, fragment in [(set(), "picks no option"), ("az", "not an option"), (7, "not an option")]:
        ok, message = multiple().judge(value)
        assert not ok and fragment in message


@pytest.mark.parametrize("value", [0.125, "0.125", " 1/8 ", 1 / 8 + 5e-4, np.float32(0.125), np.array(0.125), [0.125]])
def test_number_reads_generously(value):
    assert number().judge(value)[0]


@pytest.mark.parametrize("value,fragment", [
    (0.25, "without the 1/2"), ("1/4", "without the 1/2"), (0.3, "not the right value"),
    ("abc", "not a number"), ("1/0", "not a number"), (True, "True/False"), ("nan", "not a finite"),
    (np.ones(3), "one number"), ({"a"}, "this answer is a number"),
])
def test_number_wrong_or_malformed_is_explained(value, fragment):
    ok, message = number().judge(value)
    assert not ok and fragment in message


@pytest.mark.parametrize("value", [(5,), [5], 5, "(5,)", "5", np.int64(5)])
def test_shape_reads_generously(value):
    assert shape().judge(value)[0]


@pytest.mark.parametrize("value,fragment", [
    ((5, 1), "a column"), ("5x1", "a column"), ([5, 1], "a column"), ((1, 5), "not the right shape"),
    ("five", "not a shape"), ((5.5,), "whole number"), (1.5, "a shape is a tuple"), ((-1,), "whole number"),
])
def test_shape_wrong_or_malformed_is_explained(value, fragment):
    ok, message = shape().judge(value)
    assert not ok and fragment in message


def test_not_attempted_for_every_kind():
    for q in (single(), multiple(), number(), shape(), seeded()):
        ok, message = q.judge(MISSING, 3)
        assert not ok and "not attempted" in message


def test_variants_are_reproducible_and_differ_across_seeds():
    q = seeded()
    assert q.at(7).prompt == seeded().at(7).prompt
    answers = {q.at(s).answer for s in range(20)}
    assert len(answers) > 1
    for s in range(10):
        assert q.judge(q.at(s).solution, s)[0]
    # rng_for: the same stream for the same seed and name, different streams for other names
    assert rng_for(3, "q1").integers(10**9) == rng_for(3, "q1").integers(10**9)
    assert rng_for(3, "q1").integers(10**9) != rng_for(3, "q2").integers(10**9)


def test_define_checks_raise_the_ladders_failures():
    ns: dict = {}
    define_checks(ns, [single(), number()])
    ns["check_q1"]("b")
    with pytest.raises(CheckFailed, match="too small"):
        ns["check_q1"]("a")
    with pytest.raises(NotAttempted):
        ns["check_q3"](MISSING)
    with pytest.raises(QuizError):
        define_checks({}, [single(), single()])


def test_quiz_check_reads_the_namespace():
    quiz = Quiz("toy", [single(), seeded()])
    with pytest.raises(NotAttempted):
        quiz.check("q1", {"QUIZ_SEED": 0})
    with pytest.raises(CheckFailed, match="QUIZ_SEED"):
        quiz.check("q1", {"q1": "b"})
    quiz.check("q1", {"q1": "b", "QUIZ_SEED": 4})
    seed = 9
    quiz.check("q5", {"q5": seeded().at(seed).answer, "QUIZ_SEED": seed})
    with pytest.raises(CheckFailed, match="no question"):
        quiz.check("q99", {"QUIZ_SEED": 0})


def test_bank_mistakes_are_refused():
    with pytest.raises(QuizError):
        Single("q1", prompt="p", options={"a": Option("x", "same"), "b": Option("y", "same")}, answer="a")
    with pytest.raises(QuizError):
        Single("q1", prompt="p", options={"a": Option("x", "1"), "b": Option("y", "2")}, answer="c")
    with pytest.raises(QuizError):
        Number("q1", prompt="p", answer=1.0, tolerance=0.1, reason="r", wrong=[(1.05, "too close")])
    with pytest.raises(QuizError):
        Shape("q1", prompt="p", answer=[5], reason="r")


def test_answer_source_and_audit():
    bank = [single(), multiple(), number(), shape(), seeded()]
    assert answer_source(multiple(), 0) == '{"a", "c"}'
    assert answer_source(single(), 0) == '"b"'
    assert audit(bank, seeds=range(3)) == []
    broken = Single("q9", prompt="p", options={"a": Option("x", "1"), "b": Option("y", "2")}, answer="a")
    broken.wrong_answers = lambda: [("a", "1")]  # a 'wrong' answer that passes
    assert audit([broken], seeds=[0])


def test_a_changed_seed_cell_is_noted_after_grading():
    import json

    from autograder import diagnosis, syllabus

    quiz = syllabus.load().module("c1w1-quiz")
    nb = json.loads(quiz.exercise_path.read_text(encoding="utf-8"))
    assert diagnosis._quiz_seed_notes(nb) == []
    for cell in nb["cells"]:
        if cell["metadata"].get("kit", {}).get("quiz_seed_cell"):
            cell["source"] = "QUIZ_SEED = 0"
    (note,) = diagnosis._quiz_seed_notes(nb)
    assert "QUIZ_SEED = 0" in note and f"QUIZ_SEED = {nb['metadata']['kit']['quiz_seed']}" in note
