"""The learner's grading history: every attempt, and every reference solution viewed, kept in the
kit's own SQLite file.

nbgrader's gradebook keeps only the latest submission per assignment; progress over time needs
them all. The history lives in its own file in the grading folder, so a damaged gradebook never
takes it along. In cohort mode the grading folder, and so this file, is the instructor's: every
row says whose it is (`learner`), and `attempts(grading, learner=...)` reads one learner's. (The
history stays SQLite even when the gradebook is in Postgres: it is written once per grading, by
gradings on the machine that holds the grading folder, which SQLite's locking serves well; a
history for workers on several machines would move to the gradebook's database.)

The schema is versioned with SQLite's `PRAGMA user_version` and changed only by the numbered
migrations in `MIGRATIONS`. Every connection runs `migrate`, which brings a file of any older
version up to `SCHEMA_VERSION` step by step, in one transaction, and never drops or rewrites an
attempt:

- version 0: the first schema, the table `attempts` only (files written before versioning);
- version 1: adds `solution_views` (module, function, viewed_at), one row per `show_solution` call;
- version 2: adds to `attempts` the hash of the graded notebook, the hash of the kit's grading
  code for its module (autograder/cache.py) and the whole result, so an unchanged notebook is
  not graded again;
- version 3: adds the learner to `attempts` and `solution_views` (cohort mode, issue 14); every
  row written before it is the one self-study learner's, "learner".

A file written by a newer kit (a higher version) is read as it is, without migrating down.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

# The self-study kit's one learner (nbgrader_setup.STUDENT; kept here so that reading the
# history never imports nbgrader's configuration).
DEFAULT_LEARNER = "learner"

# Version 0, exactly as the kit created it before the schema was versioned.
_ATTEMPTS = """
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

_SOLUTION_VIEWS = """
CREATE TABLE IF NOT EXISTS solution_views (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    module TEXT NOT NULL,
    function TEXT NOT NULL,
    viewed_at TEXT NOT NULL
)
"""


@dataclass(frozen=True)
class Migration:
    version: int  # the version this migration brings a file to, from version - 1
    what: str
    statements: tuple[str, ...]  # only ever add tables, columns or indexes


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "the reference solutions viewed", (_SOLUTION_VIEWS,)),
    Migration(2, "the hashes of the notebook and the kit, and the whole result, of every attempt", (
        "ALTER TABLE attempts ADD COLUMN notebook_sha256 TEXT",
        "ALTER TABLE attempts ADD COLUMN kit_sha256 TEXT",
        "ALTER TABLE attempts ADD COLUMN result TEXT")),
    Migration(3, "the learner of every attempt and view (cohort mode)", (
        f"ALTER TABLE attempts ADD COLUMN learner TEXT NOT NULL DEFAULT '{DEFAULT_LEARNER}'",
        f"ALTER TABLE solution_views ADD COLUMN learner TEXT NOT NULL DEFAULT '{DEFAULT_LEARNER}'",
        "CREATE INDEX IF NOT EXISTS attempts_by_learner ON attempts (learner, module)")),
)
SCHEMA_VERSION = MIGRATIONS[-1].version
assert [m.version for m in MIGRATIONS] == list(range(1, SCHEMA_VERSION + 1)), "migrations are numbered 1, 2, ..."


@dataclass(frozen=True)
class Attempt:
    module: str
    path: str
    graded_at: str  # ISO 8601, local time
    score: float
    max_score: float
    tests: list[dict]
    notebook_sha256: str | None = None  # of the bytes graded (attempts before version 2: None)
    kit_sha256: str | None = None  # of the kit's grading code for the module (cache.kit_hash)
    result: dict | None = None  # the whole result, as grading.NotebookResult's fields
    learner: str = DEFAULT_LEARNER  # whose attempt (attempts before version 3: the one learner's)


@dataclass(frozen=True)
class SolutionView:
    module: str
    function: str
    viewed_at: str  # ISO 8601, local time
    learner: str = DEFAULT_LEARNER


def history_path(grading: Path) -> Path:
    return grading / "history.sqlite"


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the history in `conn` up to SCHEMA_VERSION; returns the version it was at.

    A new file starts at version 0 with no tables: the `attempts` table of version 0 is created
    if missing (so an old file keeps its own, with every row), then each later migration is
    applied in order. Migrations only add tables, columns and indexes. All in one transaction, so
    an interrupted migration leaves the file as it was; two processes migrating at once wait for
    each other."""
    found = schema_version(conn)
    if found >= SCHEMA_VERSION:
        return found  # up to date (or newer): no write lock needed
    conn.execute("BEGIN IMMEDIATE")
    try:
        found = schema_version(conn)  # again, under the lock: another process may have migrated
        if found < SCHEMA_VERSION:
            conn.execute(_ATTEMPTS)
            for migration in MIGRATIONS[found:]:
                for statement in migration.statements:
                    conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return found


@contextlib.contextmanager
def _connect(grading: Path) -> Iterator[sqlite3.Connection]:
    grading.mkdir(parents=True, exist_ok=True)
    # isolation_level=None: the kit says where transactions begin (migrate's BEGIN IMMEDIATE).
    conn = sqlite3.connect(history_path(grading), timeout=30, isolation_level=None)
    try:
        migrate(conn)
        yield conn
    finally:
        conn.close()


def record(grading: Path, attempt: Attempt) -> None:
    with _connect(grading) as conn:
        conn.execute(
            "INSERT INTO attempts (module, path, graded_at, score, max_score, tests, notebook_sha256, "
            "kit_sha256, result, learner) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (attempt.module, attempt.path, attempt.graded_at, attempt.score, attempt.max_score,
             json.dumps(attempt.tests), attempt.notebook_sha256, attempt.kit_sha256,
             None if attempt.result is None else json.dumps(attempt.result), attempt.learner),
        )


def attempts(grading: Path, learner: str | None = None) -> list[Attempt]:
    """Every attempt in the order graded; with `learner`, that learner's only."""
    if not history_path(grading).exists():
        return []
    where, args = ("WHERE learner = ? ", (learner,)) if learner is not None else ("", ())
    with _connect(grading) as conn:
        rows = conn.execute(
            "SELECT module, path, graded_at, score, max_score, tests, notebook_sha256, kit_sha256, "
            f"result, learner FROM attempts {where}ORDER BY id", args
        ).fetchall()
    return [Attempt(m, p, g, s, ms, json.loads(t), nh, kh, None if r is None else json.loads(r), who)
            for m, p, g, s, ms, t, nh, kh, r, who in rows]


def learners(grading: Path) -> list[str]:
    """Everyone with an attempt or a solution view, in order of their first row."""
    if not history_path(grading).exists():
        return []
    with _connect(grading) as conn:
        rows = conn.execute("SELECT learner FROM (SELECT learner, MIN(id) AS first FROM attempts GROUP BY learner) "
                            "ORDER BY first").fetchall()
        views = conn.execute("SELECT DISTINCT learner FROM solution_views").fetchall()
    out = [r[0] for r in rows]
    return out + sorted({v[0] for v in views} - set(out))


def record_view(grading: Path, view: SolutionView) -> None:
    with _connect(grading) as conn:
        conn.execute("INSERT INTO solution_views (module, function, viewed_at, learner) VALUES (?, ?, ?, ?)",
                     (view.module, view.function, view.viewed_at, view.learner))


def solution_views(grading: Path, learner: str | None = None) -> list[SolutionView]:
    if not history_path(grading).exists():
        return []
    where, args = ("WHERE learner = ? ", (learner,)) if learner is not None else ("", ())
    with _connect(grading) as conn:
        rows = conn.execute(f"SELECT module, function, viewed_at, learner FROM solution_views {where}ORDER BY id",
                            args).fetchall()
    return [SolutionView(m, f, v, who) for m, f, v, who in rows]


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")
