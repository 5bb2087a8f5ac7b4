"""The grading history's schema is versioned (PRAGMA user_version) and changed by numbered
migrations; opening an older file migrates it and keeps every attempt."""

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
    monkeypatch.setattr(history, "MIGRATIONS", (
        history.Migration(1, "broken", ("CREATE TABLE solution_views (x)", "THIS IS NOT SQL")),))
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


# The schema of the kit before the learner column (history version 2), exactly as it created it:
# version 0's table, then migrations 1 and 2 as they were.
V2_SCHEMA = [OLD_SCHEMA,
             "CREATE TABLE IF NOT EXISTS solution_views (id INTEGER PRIMARY KEY AUTOINCREMENT, "
             "module TEXT NOT NULL, function TEXT NOT NULL, viewed_at TEXT NOT NULL)",
             "ALTER TABLE attempts ADD COLUMN notebook_sha256 TEXT",
             "ALTER TABLE attempts ADD COLUMN kit_sha256 TEXT",
             "ALTER TABLE attempts ADD COLUMN result TEXT",
             "PRAGMA user_version = 2"]


def _v2_history(grading):
    grading.mkdir(parents=True)
    con = sqlite3.connect(history.history_path(grading))
    with con:
        for statement in V2_SCHEMA:
            con.execute(statement)
        con.executemany("INSERT INTO attempts (module, path, graded_at, score, max_score, tests, notebook_sha256, "
                        "kit_sha256, result) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                        [(*r[:5], json.dumps(r[5]), f"nb{i}", f"kit{i}", json.dumps({"score": r[3]}))
                         for i, r in enumerate(OLD_ROWS)])
        con.execute("INSERT INTO solution_views (module, function, viewed_at) VALUES "
                    "('c1w1', 'compute_cost', '2026-03-01T09:10:00')")
    con.close()


def test_the_numbered_migrations_are_the_whole_chain():
    assert [m.version for m in history.MIGRATIONS] == list(range(1, history.SCHEMA_VERSION + 1))
    assert history.SCHEMA_VERSION == 3
    from autograder import nbgrader_setup

    assert history.DEFAULT_LEARNER == nbgrader_setup.STUDENT


def test_a_version_2_history_gets_the_learner_and_keeps_every_attempt(tmp_path):
    grading = tmp_path / "grading"
    _v2_history(grading)
    kept = history.attempts(grading)  # migrates 2 -> 3
    assert [(a.module, a.path, a.graded_at, a.score, a.max_score, a.tests) for a in kept] == \
        [tuple(r) for r in OLD_ROWS]
    assert [(a.notebook_sha256, a.kit_sha256, a.result) for a in kept] == \
        [(f"nb{i}", f"kit{i}", {"score": r[3]}) for i, r in enumerate(OLD_ROWS)]
    assert {a.learner for a in kept} == {history.DEFAULT_LEARNER}
    assert history.solution_views(grading) == [
        history.SolutionView("c1w1", "compute_cost", "2026-03-01T09:10:00", history.DEFAULT_LEARNER)]
    con = sqlite3.connect(history.history_path(grading))
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == 3
        assert [r[0] for r in con.execute("SELECT id FROM attempts ORDER BY id")] == [1, 2, 3]
        columns = {r[1] for r in con.execute("PRAGMA table_info(attempts)")}
        assert {"learner", "notebook_sha256", "kit_sha256", "result"} <= columns
    finally:
        con.close()
    # and then takes other learners' attempts, read apart
    history.record(grading, history.Attempt("c1w1", "submitted/ada/c1w1/c1w1.ipynb", "2026-03-04T10:00:00",
                                            9.0, 9.0, [], learner="ada"))
    history.record_view(grading, history.SolutionView("c1w1", "compute_gradient", "2026-03-04T10:05:00", "ada"))
    assert history.attempts(grading, learner=history.DEFAULT_LEARNER) == kept
    assert [a.learner for a in history.attempts(grading, learner="ada")] == ["ada"]
    assert len(history.attempts(grading)) == len(OLD_ROWS) + 1
    assert [v.function for v in history.solution_views(grading, learner="ada")] == ["compute_gradient"]
    assert history.learners(grading) == [history.DEFAULT_LEARNER, "ada"]


def test_a_version_0_history_goes_through_every_migration(tmp_path):
    grading = tmp_path / "grading"
    _old_history(grading)
    assert [a.learner for a in history.attempts(grading)] == [history.DEFAULT_LEARNER] * len(OLD_ROWS)
    con = sqlite3.connect(history.history_path(grading))
    try:
        assert con.execute("PRAGMA user_version").fetchone()[0] == history.SCHEMA_VERSION
    finally:
        con.close()
