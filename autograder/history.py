"""The learner's grading history: every attempt, kept in the kit's own SQLite table.

nbgrader's gradebook keeps only the latest submission per assignment; progress over time needs
them all. The history lives in its own file in the grading folder, so a damaged gradebook never
takes it along.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

SCHEMA = """
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


@dataclass(frozen=True)
class Attempt:
    module: str
    path: str
    graded_at: str  # ISO 8601, local time
    score: float
    max_score: float
    tests: list[dict]


def history_path(grading: Path) -> Path:
    return grading / "history.sqlite"


@contextlib.contextmanager
def _connect(grading: Path) -> Iterator[sqlite3.Connection]:
    grading.mkdir(parents=True, exist_ok=True)
    conn = sqlite3.connect(history_path(grading), timeout=30)
    try:
        conn.execute(SCHEMA)
        yield conn
        conn.commit()
    finally:
        conn.close()


def record(grading: Path, attempt: Attempt) -> None:
    with _connect(grading) as conn:
        conn.execute(
            "INSERT INTO attempts (module, path, graded_at, score, max_score, tests) VALUES (?, ?, ?, ?, ?, ?)",
            (attempt.module, attempt.path, attempt.graded_at, attempt.score, attempt.max_score,
             json.dumps(attempt.tests)),
        )


def attempts(grading: Path) -> list[Attempt]:
    if not history_path(grading).exists():
        return []
    with _connect(grading) as conn:
        rows = conn.execute(
            "SELECT module, path, graded_at, score, max_score, tests FROM attempts ORDER BY id"
        ).fetchall()
    return [Attempt(m, p, g, s, ms, json.loads(t)) for m, p, g, s, ms, t in rows]


def now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S")
