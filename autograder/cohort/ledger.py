"""The grading queue's ledger: one row per job (one learner x one module x one submission), in
the cohort's Postgres database beside nbgrader's gradebook (SQLAlchemy, any database URL).

The ledger is what makes a job "graded once": a job redelivered after its worker died starts
again (attempts + 1), and a job already graded is not graded again. It is also where the result
of each job lands (score, the checks' messages, the feedback report, or why it could not be
graded), which `cohort grade` waits on and `cohort export` reads.
"""

from __future__ import annotations

import datetime as dt
import json

from sqlalchemy import (JSON, Column, DateTime, Float, Integer, MetaData, String, Table, Text,
                        create_engine, select, update)

metadata = MetaData()
jobs = Table(
    "kit_cohort_jobs", metadata,
    Column("job_id", String(64), primary_key=True),
    Column("learner", String(128), nullable=False, index=True),
    Column("module", String(64), nullable=False, index=True),
    Column("notebook", Text, nullable=False),
    Column("submitted_at", String(64)),       # nbgrader's timestamp of the submission
    Column("status", String(16), nullable=False),  # queued, grading, graded, not graded
    Column("attempts", Integer, nullable=False, default=0),
    Column("worker", String(256)),
    Column("pid", Integer),
    Column("score", Float),
    Column("max_score", Float),
    Column("reason", Text),                   # why it could not be graded
    Column("result", JSON),
    Column("queued_at", DateTime(timezone=True)),
    Column("started_at", DateTime(timezone=True)),
    Column("finished_at", DateTime(timezone=True)),
)

_engines: dict[str, object] = {}


def engine(url: str):
    if url not in _engines:
        _engines[url] = create_engine(url, pool_pre_ping=True)
    return _engines[url]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc)


def create(url: str) -> None:
    metadata.create_all(engine(url))


def queue(url: str, job_id: str, learner: str, module: str, notebook: str, submitted_at: str | None) -> None:
    with engine(url).begin() as con:
        con.execute(jobs.insert().values(job_id=job_id, learner=learner, module=module, notebook=notebook,
                                         submitted_at=submitted_at, status="queued", attempts=0,
                                         queued_at=_now()))


def start(url: str, job_id: str, worker: str, pid: int) -> str | None:
    """Mark the job as being graded; returns its status before (None: no such job)."""
    with engine(url).begin() as con:
        row = con.execute(select(jobs.c.status).where(jobs.c.job_id == job_id).with_for_update()).first()
        if row is None:
            return None
        if row.status not in ("graded", "not graded"):
            con.execute(update(jobs).where(jobs.c.job_id == job_id).values(
                status="grading", attempts=jobs.c.attempts + 1, worker=worker, pid=pid, started_at=_now()))
        return row.status


def finish(url: str, job_id: str, *, score: float | None, max_score: float | None, result: dict | None,
           reason: str | None) -> None:
    status = "graded" if reason is None else "not graded"
    with engine(url).begin() as con:
        con.execute(update(jobs).where(jobs.c.job_id == job_id).values(
            status=status, score=score, max_score=max_score, result=json.loads(json.dumps(result)),
            reason=reason, finished_at=_now()))


def rows(url: str, job_ids: list[str] | None = None) -> list[dict]:
    query = select(jobs).order_by(jobs.c.learner, jobs.c.module, jobs.c.queued_at)
    if job_ids is not None:
        query = query.where(jobs.c.job_id.in_(job_ids))
    with engine(url).connect() as con:
        return [dict(r._mapping) for r in con.execute(query)]
