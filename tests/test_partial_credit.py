"""Partial credit where a rule is stricter than the mathematics (issue 11 §3), through the real
command line: `python -m autograder grade`.

A learner's `sigmoid` that is right but overflows for large |z| (the original course's one-liner)
keeps the points of its values check (`test_sigmoid`) and loses only the point of the rule
"stable for large inputs" (`test_sigmoid__stable`), whose message states the rule and how to meet
it. The grading result, the feedback summary and the history all list both checks; the clean
re-check judges the rule check as the notebook did, and still catches a notebook that patches it.
"""

from __future__ import annotations

import json
import sqlite3

import pytest

from autograder import syllabus
from tests.conftest import grade_json

SYL = syllabus.load()

STABLE = ("    z = np.clip(z, -500, 500)\n"
          "    g = 1 / (1 + np.exp(-z))\n")
NAIVE = "    g = 1 / (1 + np.exp(-z))\n"


def _notebook_with_sigmoid(tmp_path, body: str, extra_cell: str | None = None):
    """The c1w3 solution with `sigmoid`'s body replaced (and an extra cell after its definition)."""
    m = SYL.module("c1w3")
    nb = json.loads(m.solution_path.read_text(encoding="utf-8"))
    cell = next(c for c in nb["cells"] if c.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "sigmoid")
    source = "".join(cell["source"])
    assert STABLE in source
    cell["source"] = source.replace(STABLE, body)
    if extra_cell is not None:
        at = nb["cells"].index(cell) + 1
        nb["cells"].insert(at, {"cell_type": "code", "execution_count": None, "id": "extra-cell",
                                "metadata": {}, "outputs": [], "source": extra_cell})
    path = tmp_path / "c1w3.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    return path


def _tests(result: dict) -> dict[str, dict]:
    return {t["grade_id"]: t for t in result["tests"]}


@pytest.mark.slow
def test_right_mathematics_that_overflows_keeps_the_values_points_and_loses_only_the_rule(tmp_path, grading_dir):
    m = SYL.module("c1w3")
    sigmoid = next(f for f in m.functions if f.name == "sigmoid")
    rule = sigmoid.rules[0]
    result = grade_json(_notebook_with_sigmoid(tmp_path, NAIVE), grading=grading_dir)["notebooks"][0]
    tests = _tests(result)
    assert list(tests) == [c.test_id for c in m.checks]
    values, stable = tests["test_sigmoid"], tests["test_sigmoid__stable"]
    assert values["passed"] and values["points"] == values["max_points"] == sigmoid.points
    assert not stable["passed"] and stable["points"] == 0 and stable["max_points"] == rule.points
    assert "overflow encountered in exp" in stable["message"]
    assert "np.clip(z, -500, 500)" in stable["message"]  # how to meet the rule
    assert rule.text in stable["message"] and "a rule beyond the mathematics" in stable["message"]
    # everything else is right: the score is the maximum less the rule's point
    assert result["score"] == m.max_score - rule.points
    assert result["max_score"] == m.max_score
    assert all(t["passed"] for gid, t in tests.items() if gid != "test_sigmoid__stable")
    # the feedback summary shows the rule check on its own row, with the function's hints
    report = open(result["feedback"], encoding="utf-8").read()
    assert "sigmoid (rule: stable)" in report and "Hint 1" in report
    # the history records both checks
    with sqlite3.connect(grading_dir / "history.sqlite") as con:
        recorded = json.loads(con.execute("SELECT tests FROM attempts ORDER BY rowid DESC").fetchone()[0])
    assert {t["grade_id"]: t["passed"] for t in recorded}["test_sigmoid__stable"] is False
    assert {t["grade_id"]: t["passed"] for t in recorded}["test_sigmoid"] is True


@pytest.mark.slow
def test_the_clean_recheck_judges_the_rule_check_too(tmp_path, grading_dir):
    """A notebook that makes the rule check pass in its own kernel (it swaps the check library's
    rule check for one that always passes) earns nothing for it: the clean re-check runs the real
    rule check on the learner's sigmoid and overrules it. The values check keeps its points."""
    patch = ("import autograder.checks.c1w3 as _c\n"
             "_c.check_sigmoid_stable = lambda f: print('ok')\n")
    result = grade_json(_notebook_with_sigmoid(tmp_path, NAIVE, patch), grading=grading_dir)["notebooks"][0]
    tests = _tests(result)
    assert tests["test_sigmoid"]["passed"]
    stable = tests["test_sigmoid__stable"]
    assert stable["points"] == 0, stable
    assert "clean process" in stable["message"] and "overflow encountered in exp" in stable["message"]


@pytest.mark.parametrize("module_id", sorted({m.id for m in SYL.modules if any(f.rules for f in m.functions)}))
def test_stripped_metadata_gives_back_the_rule_check_cells_too(module_id):
    # A tool that strips every cell's metadata: intake recognises each check cell by the check it
    # calls, the rule checks (`check_f_rule(`) as well as the values checks (`check_f(`).
    from autograder import intake

    m = SYL.module(module_id)
    source_nb = json.loads(m.solution_path.read_text(encoding="utf-8"))
    nb = json.loads(json.dumps(source_nb))
    for c in nb["cells"]:
        c["metadata"] = {}
    gradable, notes = intake.normalise(nb, m, source_nb)
    restored = {c["metadata"].get("nbgrader", {}).get("grade_id") for c in gradable["cells"]}
    assert {c.test_id for c in m.checks} <= restored
    rule = next(c for c in m.checks if c.rule)
    assert f"the check of `{rule.label}`" in " ".join(notes)
