"""The grading history's schema is versioned (PRAGMA user_version); opening an older file
migrates it and keeps every attempt."""

from __future__ import annotations

import json
import sqlite3

from autograder import history, progress

# The schema of the kit before versioning (history version 0), exactly as it created it.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS attempts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    module TEXT NOT NULL,
    path TEXT NOT NULL,
    graded_at TEXT NOT NULL,
    score REAL NOT NULL,
    max_score REAL NOT NULL,
    tests TEXT NOT NULL
)
"""

OLD_ROWS = [
    ("c1w1", "exercises/c1w1/c1w1.ipynb", "2026-03-01T09:00:00", 0.0, 9.0,
     [{"grade_id": "test_compute_cost", "points": 0.0, "max_points": 2.0, "passed": False, "message": "x"}]),
    ("c1w1", "exercises/c1w1/c1w1.ipynb", "2026-03-01T09:30:00", 9.0, 9.0,
     [{"grade_id": "test_compute_cost", "points": 2.0, "max_points": 2.0, "passed": True, "message": ""}]),
    ("c2w2", "/elsewhere/mine.ipynb", "2026-03-02T18:00:00", 3.5, 8.0, []),
]


def _old_history(grading):
    grading.mkdir(parents=True)
    with sqlite3.connect(history.history_path(grading)) as con:
        con.execute(OLD_SCHEMA)
        con.executemany("INSERT INTO attempts (module, path, graded_at, score, max_score, tests) "
                        "VALUES (?, ?, ?, ?, ?, ?)", [(*r[:5], json.dumps(r[5])) for r in OLD_ROWS])
    con.close()


def test_an_old_history_is_migrated_and_keeps_every_attempt(tmp_path):
    grading = tmp_path / "grading"
    _old_history(grading)
    with sqlite3.connect(history.history_path(grading)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 0
    con.close()

    kept = history.attempts(grading)  # the new code opens (and migrates) the old file
    assert [(a.module, a.path, a.graded_at, a.score, a.max_score, a.tests) for a in kept] == \
        [tuple(r) for r in OLD_ROWS]
    with sqlite3.connect(history.history_path(grading)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"attempts", "solution_views"} <= tables
        # ids (and so the order of attempts) are unchanged
        assert [r[0] for r in con.execute("SELECT id FROM attempts ORDER BY id")] == [1, 2, 3]
    con.close()

    # the migrated file takes new attempts and views, after the old ones
    history.record(grading, history.Attempt("c1w2", "p", "2026-03-03T10:00:00", 1.0, 11.0, []))
    history.record_view(grading, history.SolutionView("c1w1", "compute_cost", "2026-03-03T10:05:00"))
    assert len(history.attempts(grading)) == len(OLD_ROWS) + 1
    assert history.attempts(grading)[:3] == kept
    assert history.solution_views(grading) == [
        history.SolutionView("c1w1", "compute_cost", "2026-03-03T10:05:00")]
    # and progress reads it: c1w1 was solved before the view
    row = progress.compute(grading).modules[0]
    assert row.attempts == 2 and row.best == 9.0
    assert row.solutions_viewed[0].status == progress.SOLVED_BEFORE_VIEWING


def test_migrating_twice_changes_nothing(tmp_path):
    grading = tmp_path / "grading"
    _old_history(grading)
    first = history.attempts(grading)
    con = sqlite3.connect(history.history_path(grading), isolation_level=None)
    try:
        assert history.migrate(con) == history.SCHEMA_VERSION  # already current: nothing to do
    finally:
        con.close()
    assert history.attempts(grading) == first


def test_a_new_history_starts_at_the_current_version(tmp_path):
    grading = tmp_path / "grading"
    assert history.attempts(grading) == [] and history.solution_views(grading) == []
    history.record_view(grading, history.SolutionView("c3w3", "td_targets", "2026-03-03T10:05:00"))
    with sqlite3.connect(history.history_path(grading)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
    con.close()
    assert history.attempts(grading) == []
    assert len(history.solution_views(grading)) == 1


def test_a_failed_migration_leaves_the_old_file_as_it_was(tmp_path, monkeypatch):
    grading = tmp_path / "grading"
    _old_history(grading)
    monkeypatch.setattr(history, "_STEPS", [("CREATE TABLE solution_views (x)", "THIS IS NOT SQL")])
    try:
        history.attempts(grading)
    except sqlite3.OperationalError:
        pass
    else:
        raise AssertionError("the broken migration step should have raised")
    with sqlite3.connect(history.history_path(grading)) as con:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 0
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert "solution_views" not in tables
        assert con.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == len(OLD_ROWS)
    con.close()
    monkeypatch.undo()
    assert len(history.attempts(grading)) == len(OLD_ROWS)
