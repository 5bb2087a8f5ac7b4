"""The learner's commands besides grading: progress (with its history and chart) and reset."""

from __future__ import annotations

import json

import pytest

from autograder import reset, syllabus
from tests.conftest import run_cli

C1W1 = syllabus.load().module("c1w1")


def test_progress_before_any_grading(grading_dir):
    proc = run_cli("progress", "--json", grading=grading_dir)
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    # one row per module, and one per quiz right after its module's
    assert [m["module"] for m in data["modules"]] == list(syllabus.load().assignment_ids)
    assert all(m["status"] == "not started" and m["attempts"] == 0 for m in data["modules"])
    assert data["score"] == 0


@pytest.mark.slow
def test_progress_after_several_gradings_keeps_every_attempt(tmp_path, grading_dir):
    assert run_cli("grade", "c1w1", grading=grading_dir).returncode == 0          # 0 points
    solved = tmp_path / "solved.ipynb"
    solved.write_bytes(C1W1.solution_path.read_bytes())
    assert run_cli("grade", str(solved), grading=grading_dir).returncode == 0     # full marks
    assert run_cli("grade", "c1w1", grading=grading_dir).returncode == 0          # 0 again

    data = json.loads(run_cli("progress", "--json", grading=grading_dir).stdout)
    row = data["modules"][0]
    assert row["module"] == "c1w1" and row["attempts"] == 3
    assert row["best"] == C1W1.max_score and row["latest"] == 0
    assert row["status"] == "passed" and row["last_graded"]

    proc = run_cli("progress", "--chart", grading=grading_dir)
    assert proc.returncode == 0
    assert "c1w1" in proc.stdout and "passed" in proc.stdout and "course total" in proc.stdout
    chart = grading_dir / "feedback" / "progress.png"
    assert chart.exists() and chart.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.slow
def test_grading_several_modules_reports_as_it_goes(grading_dir):
    proc = run_cli("grade", *syllabus.load().module_ids[:2], grading=grading_dir)
    assert proc.returncode == 0, proc.stderr
    first, second = syllabus.load().module_ids[:2]
    assert f"grading {first}" in proc.stderr and f"grading {second}" in proc.stderr
    assert "[1/2]" in proc.stderr and "[2/2]" in proc.stderr and "elapsed" in proc.stderr
    assert proc.stderr.count("checks passed") == 2  # a one-line summary per module


@pytest.mark.slow
def test_reset_backs_up_the_learners_notebook(tmp_path):
    mine = tmp_path / "exercises" / "c1w1.ipynb"
    mine.parent.mkdir()
    mine.write_text('{"my": "work"}')
    lines = reset.reset("c1w1", dest=mine, backup_root=tmp_path / "backups")
    backups = list((tmp_path / "backups" / "c1w1").glob("c1w1-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == '{"my": "work"}'
    assert mine.read_bytes() == C1W1.exercise_path.read_bytes()  # the fresh, generated exercise
    assert "saved as" in lines[0]
    reset.reset("c1w1", dest=mine, backup_root=tmp_path / "backups")  # twice in one second
    assert len(list((tmp_path / "backups" / "c1w1").glob("c1w1-*.ipynb"))) == 2


def test_reset_of_unknown_module_is_explained(grading_dir):
    proc = run_cli("reset", "c9w9", grading=grading_dir)
    assert proc.returncode == 2 and "There is no module 'c9w9'" in proc.stderr
