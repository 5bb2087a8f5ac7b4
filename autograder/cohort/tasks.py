"""The Celery app and its one task: grade ONE learner's submission of ONE module through the
kit's own pipeline (autograder.grading.grade: nbgrader's autograde, the clean re-check, the
diagnoses, the HTML feedback report with the kit's summary), then file the report where
nbgrader's `release_feedback` finds it and record the result in the ledger.

Delivery: the task is acknowledged late (after it finished) and rejected when its worker process
is lost (`kill -9` mid-job), so the broker hands it to another worker at once; the ledger makes
a redelivered job that had already finished a no-op, so each submission is graded once. One job
at a time per worker process (`--concurrency 1`, prefetch 1): grading is CPU-bound.

Start a worker (the kit does, `cohort up`): `python -m celery -A autograder.cohort.tasks worker`,
with KIT_COHORT_DIR (this machine's state folder), or on another machine KIT_COHORT_BROKER_URL,
KIT_COHORT_DB_URL and KIT_COHORT_DIR on a shared file system (docs/cohort.md).
"""

from __future__ import annotations

import inspect
import os
import shutil
import traceback
from dataclasses import asdict
from pathlib import Path

from celery import Celery, signals

from autograder.cohort import ledger
from autograder.cohort.config import Settings
from autograder.errors import KitError

TASK = "kit.cohort.grade"


def _broker() -> str:
    try:
        return Settings.load().broker_url
    except KitError:
        return os.environ.get("KIT_COHORT_BROKER_URL", "redis://127.0.0.1:63790/0")


app = Celery("kit-cohort", broker=_broker())
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json", accept_content=["json"], result_backend=None, task_ignore_result=True,
    # A job whose worker vanished entirely (the whole machine) comes back after this many seconds;
    # longer than any grading job, so a slow one is never handed out twice.
    broker_transport_options={"visibility_timeout": 1800},
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
    worker_redirect_stdouts=False,
)


@signals.worker_ready.connect
def _ready(**_kwargs) -> None:
    marker = os.environ.get("KIT_COHORT_WORKER_READY")
    if marker:
        Path(marker).write_text(str(os.getpid()))


@signals.worker_process_init.connect
def _claim_slot(**_kwargs) -> None:
    """Each pool process claims its grading slot (sandbox.py) as it starts, so its user exists
    before the first job; the slot's user is written to KIT_COHORT_WORKER_SLOT (cohort status
    and the tests read it). A failure here is reported by the first job (it tries again)."""
    from autograder.cohort import sandbox

    try:
        user = sandbox.enter(_settings())
    except Exception as exc:  # noqa: BLE001 - the job says why it could not be graded
        print(f"kit-cohort: no grading slot yet ({type(exc).__name__}: {exc})", flush=True)
        return
    marker = os.environ.get("KIT_COHORT_WORKER_SLOT")
    if marker and user:
        tmp = Path(f"{marker}.{os.getpid()}")
        tmp.write_text(f"{user} {os.getpid()}\n")
        os.replace(tmp, marker)


def _settings() -> Settings:
    return Settings.load()


def file_feedback(s: Settings, learner: str, module_id: str, report: Path, collected: Path) -> Path:
    """Copy the HTML report to <course>/feedback/<learner>/<module>/, with the submission's
    timestamp and secret, which nbgrader's release_feedback uses to name it for the learner."""
    dest = s.course / "feedback" / learner / module_id
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("timestamp.txt", "submission_secret.txt"):
        if (collected.parent / name).exists():
            shutil.copy2(collected.parent / name, dest / name)
    target = dest / f"{module_id}.html"
    tmp = target.with_suffix(".html.tmp")
    shutil.copyfile(report, tmp)
    os.replace(tmp, target)
    return target


def grade_learner(s: Settings, learner: str, module_id: str, notebook: Path):
    """The kit's pipeline for one learner's notebook; returns its NotebookResult."""
    from autograder import grading, submission

    sub = submission.resolve(str(notebook), module_id)
    if "learner" in inspect.signature(grading.grade).parameters:  # per-learner grading (issue 14)
        run = grading.grade([sub], learner=learner, grading=s.grading, db_url=s.db_url())
    else:  # a grading folder of its own per learner, with the single-learner pipeline
        os.environ["KIT_GRADING_DIR"] = str(s.grading / learner)
        run = grading.grade([sub])
    return run.notebooks[0]


@app.task(name=TASK, bind=True, acks_late=True, reject_on_worker_lost=True)
def grade_submission(self, job_id: str, learner: str, module_id: str, notebook: str) -> str:
    s = _settings()
    url = s.db_url()
    before = ledger.start(url, job_id, worker=self.request.hostname or "", pid=os.getpid())
    if before in ("graded", "not graded"):
        return before  # redelivered after it finished: graded once
    if before is None:
        return "unknown job"
    try:
        from autograder.cohort import sandbox

        # This process's grading slot, cleared of whatever an earlier job left: the learner's
        # code runs as the slot's user, which no other job running now has.
        sandbox.enter(s)
        result = grade_learner(s, learner, module_id, Path(notebook))
    except KitError as exc:
        ledger.finish(url, job_id, score=None, max_score=None, result=None, reason=str(exc))
        return "not graded"
    except Exception as exc:  # noqa: BLE001 - one bad submission must not stop the queue
        log = s.logs / f"job-{job_id}.log"
        log.write_text(traceback.format_exc())
        ledger.finish(url, job_id, score=None, max_score=None, result=None,
                      reason=f"the grader failed ({type(exc).__name__}: {exc}); details in {log}")
        return "not graded"
    if not result.feedback:  # the kit could not run the notebook (a crashed kernel, ...)
        ledger.finish(url, job_id, score=result.score, max_score=result.max_score, result=asdict(result),
                      reason=" ".join(result.notes) or "the notebook could not be graded")
        return "not graded"
    file_feedback(s, learner, module_id, Path(result.feedback), Path(notebook))
    ledger.finish(url, job_id, score=result.score, max_score=result.max_score, result=asdict(result), reason=None)
    return "graded"
