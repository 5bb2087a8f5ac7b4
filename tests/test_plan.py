"""The study plan: hours per module counted from the notebooks, twelve weeks in syllabus order,
prerequisites that come earlier, and where the learner stands against it."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from autograder import history, plan, progress, syllabus
from autograder.errors import KitError
from tests.conftest import run_cli

SYL = syllabus.load()
ORDER = [m.id for m in SYL.modules]


def test_one_week_per_module_in_syllabus_order():
    # As many weeks as the manifest lists modules (twelve at first; issue 12 added more).
    weeks = plan.schedule()
    assert [w.module for w in weeks] == ORDER and [w.number for w in weeks] == list(range(1, len(ORDER) + 1))
    assert all(1 <= w.hours <= 12 for w in weeks), [(w.module, w.hours) for w in weeks]


def test_prerequisites_are_earlier_modules():
    for m in SYL.modules:
        for p in m.prerequisites:
            assert p in ORDER and ORDER.index(p) < ORDER.index(m.id), (m.id, p)
    assert all(m.prerequisites for m in SYL.modules[1:]), "every module after the first builds on one"


def test_hours_follow_the_notebooks_length(tmp_path):
    """The estimate counts words and cells: a lesson twice as long is estimated longer."""
    nb = {"cells": [{"cell_type": "markdown", "source": "word " * 500, "metadata": {}},
                    {"cell_type": "code", "source": "x = 1", "metadata": {}, "outputs": []}]}
    short, long_ = tmp_path / "short.ipynb", tmp_path / "long.ipynb"
    short.write_text(json.dumps(nb))
    nb["cells"] *= 2
    long_.write_text(json.dumps(nb))
    assert plan.notebook_minutes(short) == pytest.approx(500 / plan.READING_WPM + plan.CODE_CELL_MINUTES)
    assert plan.notebook_minutes(long_) == pytest.approx(2 * plan.notebook_minutes(short))


def _attempt(grading, module_id, when, full=True):
    m = SYL.module(module_id)
    history.record(grading, history.Attempt(module=module_id, path="x.ipynb", graded_at=when,
                                            score=float(m.max_score if full else 0), max_score=float(m.max_score),
                                            tests=[]))


def test_standing_counts_from_the_first_graded_attempt(tmp_path):
    grading = tmp_path / "grading"
    assert plan.standing({}, grading).start is None  # no attempt, no start date: the plan waits
    _attempt(grading, "c1w1", "2026-11-02T10:00:00")
    _attempt(grading, "c1w2", "2026-11-10T10:00:00")
    passed = {"c1w1": True, "c1w2": True}
    s = plan.standing(passed, grading, today=dt.date(2026, 11, 17))  # day 15: week 3
    assert (s.start, s.week, s.planned_module, s.current_module, s.weeks_ahead) == \
        ("2026-11-02", 3, "c1w3", "c1w3", 0)
    assert "on track" in s.sentence()
    s = plan.standing(passed, grading, today=dt.date(2026, 12, 1))  # week 5, still on c1w3
    assert s.weeks_ahead == -2 and "2 weeks behind" in s.sentence() and "planned: c2w2" in s.sentence()


def test_a_start_date_set_by_the_learner_wins(tmp_path):
    grading = tmp_path / "grading"
    _attempt(grading, "c1w1", "2026-11-02T10:00:00")
    plan.set_start("2026-11-16", grading)
    s = plan.standing({"c1w1": True}, grading, today=dt.date(2026, 11, 17))
    assert (s.start, s.started_by, s.week, s.weeks_ahead) == ("2026-11-16", "set", 1, 1)
    assert "1 week ahead" in s.sentence()
    with pytest.raises(KitError, match="YYYY-MM-DD"):
        plan.set_start("next monday", grading)


def test_progress_and_the_plan_command_show_the_plan(grading_dir):
    _attempt(grading_dir, "c1w1", dt.datetime.now().isoformat(timespec="seconds"))
    proc = run_cli("plan", "--start", dt.date.today().isoformat(), grading=grading_dir, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "c3w3" in proc.stdout and f"week 1 of {len(ORDER)}, planned: c1w1; you are on c1w2, 1 week ahead" in proc.stdout
    proc = run_cli("progress", "--json", grading=grading_dir, timeout=120)
    assert json.loads(proc.stdout)["plan"]["current_module"] == "c1w2"
    proc = run_cli("plan", "--start", "2026-13-01", grading=grading_dir, timeout=120)
    assert proc.returncode == 2 and "YYYY-MM-DD" in proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr


def test_the_start_page_shows_the_plan_and_links_the_maths_refresher():
    from autograder import startpage

    text = startpage.study_plan()
    assert "maths-refresher.ipynb" in text and (plan.paths.COURSE / "maths-refresher.ipynb").exists()
    for w in plan.schedule():
        assert f"| {w.number} | [{w.module}]" in text and f"| {w.hours:g} |" in text


def test_the_first_modules_link_the_maths_refresher():
    for module_id in ("c1w1", "c1w2", "c1w3"):
        first = SYL.module(module_id).lessons[0].path
        assert "../maths-refresher.ipynb" in first.read_text(), f"{first} should link the maths refresher"
