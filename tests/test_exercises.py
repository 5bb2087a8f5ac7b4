"""The committed student exercises are exactly what nbgrader generates from the sources."""

from __future__ import annotations

import pytest

from autograder import exercises, syllabus

SYL = syllabus.load()


@pytest.mark.slow
def test_committed_exercises_equal_a_fresh_generation(tmp_path):
    fresh = exercises.generate_to(tmp_path, list(SYL.modules))
    stale = [mid for mid, path in fresh.items()
             if path.read_bytes() != SYL.module(mid).exercise_path.read_bytes()]
    assert not stale, f"exercises out of date, run `make exercises`: {stale}"


@pytest.mark.parametrize("module_id", [m.id for m in SYL.modules])
def test_exercise_has_no_solutions_and_a_stub_per_function(module_id):
    m = SYL.module(module_id)
    text = m.exercise_path.read_text()
    assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
    assert text.count("raise NotImplementedError()") >= len(m.functions)
