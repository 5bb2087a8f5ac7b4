"""Helpers for writing question banks (autograder/checks/<module>_quiz.py): the pieces that
several banks need in the same form, kept in one place."""

from __future__ import annotations

import numpy as np


def keep_distinct(answer: float, tol: float, wrong: list[tuple[float, str]]) -> list[tuple[float, str]]:
    """The known wrong values that a learner could tell apart from the answer and from each other."""
    out: list[tuple[float, str]] = []
    for value, why in wrong:
        if abs(value - answer) > 2 * tol and all(abs(value - v) > 2 * tol for v, _ in out):
            out.append((float(value), why))
    return out


def code_block(lines: list[str]) -> str:
    return "```python\n" + "\n".join(f"{i:>2}  {line}" for i, line in enumerate(lines, 1)) + "\n```"


def bug_line(intro: str, lines: list[tuple[str, str]], bugs: dict[int, list[tuple[str, str]]]):
    """make(rng) of a "which line has the bug" question: `lines` are (code, why it is right),
    `bugs` maps a line number (from 1) to the bugs that can replace that line, (code, why it is
    wrong). The seed picks the line and the bug."""

    def make(rng: np.random.Generator) -> dict:
        line_no = sorted(bugs)[int(rng.integers(len(bugs)))]
        buggy, why = bugs[line_no][int(rng.integers(len(bugs[line_no])))]
        shown = [buggy if i == line_no else code for i, (code, _) in enumerate(lines, 1)]
        prompt = (f"{intro}\n\n{code_block(shown)}\n\nExactly one line has a bug. Which one? Answer with "
                  "its line number, a whole number.")
        wrong = [(i, f"Line {i} is right: {reason}") for i, (_, reason) in enumerate(lines, 1) if i != line_no]
        return dict(prompt=prompt, answer=line_no, tolerance=0,
                    reason=f"Right: line {line_no} is the bug. {why}", wrong=wrong)

    return make


def answer_at(key: str, **kwargs):
    """The keyword arguments of a Single with its right option moved to `key` (the two options swap
    places), so that the right answers of a quiz are spread over the letters."""
    options = dict(kwargs["options"])
    right = kwargs["answer"]
    options[right], options[key] = options[key], options[right]
    return dict(kwargs, options=options, answer=key)
