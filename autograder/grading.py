"""Grading: copy the learner's notebook into the grading folder, run nbgrader's autograde and
feedback steps on the copy, and read back one result per check.

The learner's notebook is read once and never written. All state lives in the grading folder
(`paths.grading_dir()`), and the gradebook in its SQLite file there, or in any database
SQLAlchemy reaches (`db_url`, e.g. Postgres in cohort mode).

Many learners (cohort mode) share one grading folder and gradebook: every step takes the
learner's id (`learner`, "learner" for the one learner of a self-study kit). A grading holds the
folder's lock shared and a lock per learner and module (`locked`), so one learner's gradings of
one module take turns while other learners and modules are graded at the same time. A
resubmission is graded under a staging id (`paths.staging_id`) and replaces the learner's
result in the gradebook, feedback and autograded copy only once it has been graded in full
(`_promote`); a grading that fails or is killed leaves the previous result as it was. The history
keeps every attempt.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Callable, Iterable, Iterator

from autograder import cache, diagnosis, feedback, history, nbgrader_setup, paths, space, syllabus
from autograder.errors import KitError
from autograder.nbgrader_setup import STUDENT
from autograder.recheck import Verdict
from autograder.submission import Submission


@dataclass
class TestResult:
    grade_id: str
    points: float
    max_points: float
    passed: bool
    message: str


@dataclass
class NotebookResult:
    module: str
    path: str
    score: float
    max_score: float
    feedback: str
    tests: list[TestResult] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unchanged_since: str | None = None  # set when the recorded result was reused (cache.py)
    # Seconds per step of grading this notebook, by step, in order (`grade_one` records them): the
    # public hook that bench/kit_phases.py reads, so that the benchmark never patches this module.
    timings: dict[str, float] = field(default_factory=dict)


@dataclass
class GradeRun:
    notebooks: list[NotebookResult]
    notes: list[str] = field(default_factory=list)  # about the grading folder itself

    @property
    def score(self) -> float:
        return sum(n.score for n in self.notebooks)

    @property
    def max_score(self) -> float:
        return sum(n.max_score for n in self.notebooks)


class FolderLock:
    """The grading folder's lock, held shared by every grading (`folder_lock`). `exclusive()`
    turns it exclusive for a repair that no grading may see half done (a damaged database moved
    aside, a changed source loaded into the gradebook), then shared again. A grading takes its
    job locks (`job_locks`) before this one, and no job lock while holding this one: so whoever
    holds it shared is grading and needs nothing more, and an exclusive request only waits for
    them to finish; two gradings can never wait for each other."""

    def __init__(self, handle):
        self._handle = handle

    @contextlib.contextmanager
    def exclusive(self) -> Iterator[None]:
        fcntl.flock(self._handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._handle, fcntl.LOCK_SH)


@contextlib.contextmanager
def folder_lock(grading: Path, shared: bool = True) -> Iterator[FolderLock]:
    grading.mkdir(parents=True, exist_ok=True)
    with open(paths.GradingLayout(grading).lock, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        try:
            yield FolderLock(handle)
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@contextlib.contextmanager
def job_locks(grading: Path, jobs: Iterable[tuple[str, str]]) -> Iterator[None]:
    """One grading at a time per learner and module: a second grading of the same learner's
    module waits for the first; other learners and other modules are graded at the same time.
    Taken in sorted order, so two gradings that need several never wait for each other."""
    layout = paths.GradingLayout(grading)
    layout.locks_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.ExitStack() as stack:
        for student, module_id in sorted(set(jobs)):
            handle = stack.enter_context(open(layout.job_lock(student, module_id), "a"))
            fcntl.flock(handle, fcntl.LOCK_EX)
            stack.callback(fcntl.flock, handle, fcntl.LOCK_UN)
        yield


@contextlib.contextmanager
def locked(grading: Path, jobs: Iterable[tuple[str, str]] | None = None) -> Iterator[None]:
    """With `jobs` ((learner, module id) pairs): those jobs' locks, then the folder lock shared,
    as a grading holds them. Without: the whole grading folder, exclusively (no grading runs)."""
    if jobs is None:
        with folder_lock(grading, shared=False):
            yield
    else:
        with job_locks(grading, jobs), folder_lock(grading):
            yield


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_assignment(api, module: syllabus.Module, grading: Path) -> None:
    """Load the module's source notebook into the gradebook (once, and again when it changes)."""
    if module.id == "capstone":  # graded as a folder, without nbgrader (autograder/capstone/grading.py)
        return
    if assignment_loaded(api, module, grading):
        return
    nbgrader_setup.require_success(api.generate_assignment(module.id, force=True, create=True),
                       f"load the source of module {module.id} into the gradebook")
    stamp = paths.GradingLayout(grading).source_stamp(module.id)
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(_sha(module.solution_path))


def assignment_loaded(api, module: syllabus.Module, grading: Path) -> bool:
    """The module's current source is in the gradebook (nothing to load)."""
    if module.id == "capstone":
        return True
    stamp = paths.GradingLayout(grading).source_stamp(module.id)
    return (stamp.exists() and stamp.read_text() == _sha(module.solution_path)
            and _in_gradebook(api.coursedir.db_url, module.id))


def load_assignments(api, modules: Iterable[syllabus.Module], grading: Path, lock: FolderLock) -> None:
    """Load every changed source into the gradebook, with the grading folder to itself (no other
    grading reads an assignment while it is rewritten). Unchanged ones cost a look."""
    stale = [m for m in modules if not assignment_loaded(api, m, grading)]
    if stale:
        with lock.exclusive():
            for module in stale:
                ensure_assignment(api, module, grading)  # looks again: another grading may have


_ENGINES: dict[str, object] = {}


def _engine(db_url: str):
    """No pooled connections: a SQLite file moved aside must not be read through an old one,
    and a Celery worker forks after this module may have connected."""
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    if db_url not in _ENGINES:
        _ENGINES[db_url] = create_engine(db_url, future=True, poolclass=NullPool)
    return _ENGINES[db_url]


def _in_gradebook(db_url: str, module_id: str) -> bool:
    """Through SQLAlchemy, so any gradebook database answers (SQLite, Postgres)."""
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    file = paths.sqlite_file(db_url)
    if file is not None and not file.exists():
        return False  # (connecting would create an empty file nbgrader then takes for a gradebook)
    try:
        with _engine(db_url).connect() as con:
            return con.execute(text("SELECT 1 FROM assignment WHERE name = :name"),
                               {"name": module_id}).first() is not None
    except SQLAlchemyError:
        return False


def _healthy(db: Path, table: str) -> bool:
    """The SQLite file is intact and has `table`. (A busy database is waited for, not taken for
    a damaged one: other learners' gradings write to it at the same time.)"""
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=30)) as con:
            if con.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                return False
            return con.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone() is not None
    except sqlite3.Error:
        return False


def _roll_back_unfinished(db: Path) -> None:
    """A grader killed mid-write (SIGKILL, a closed laptop) leaves SQLite's journal beside the
    database; the first read-write connection rolls the unfinished transaction back. (A read-only
    connection cannot, and would take the intact database for a damaged one.)"""
    if any(db.with_name(db.name + suffix).exists() for suffix in ("-journal", "-wal")):
        with contextlib.suppress(sqlite3.Error), contextlib.closing(sqlite3.connect(db, timeout=30)) as con:
            con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()


def check_databases(grading: Path, db_url: str | None = None, lock: FolderLock | None = None) -> list[str]:
    """Move a damaged gradebook or history aside (kept, never deleted) so grading can go on.

    These are checks of SQLite files: the history always, the gradebook when it is one (a
    Postgres gradebook is the database server's to look after, and is skipped). Unfinished
    transactions are rolled back and the files checked with the folder lock shared (other
    gradings may be writing); a file that looks damaged is checked again, and moved, only with
    the folder to itself (`lock.exclusive()`, when a lock is given)."""
    notes = []
    layout = paths.GradingLayout(grading)
    gradebook = paths.sqlite_file(db_url or layout.gradebook_url)
    dbs = [(layout.history, "attempts", "your grading history")]
    if gradebook is not None:
        dbs.insert(0, (gradebook, "assignment", "nbgrader's gradebook"))
    for db, table, what in dbs:
        if db.exists():
            _roll_back_unfinished(db)
        if not db.exists() or _healthy(db, table):
            continue
        with lock.exclusive() if lock is not None else contextlib.nullcontext():
            if db.exists():
                _roll_back_unfinished(db)
            if db.exists() and not _healthy(db, table):
                kept = db.with_name(f"{db.name}.damaged-{time.strftime('%Y%m%d-%H%M%S')}")
                db.rename(kept)
                notes.append(f"{what[0].upper()}{what[1:]} ({db}) was damaged or unreadable; it was kept as "
                             f"{kept.name} and a new one was started.")
    return notes


@contextlib.contextmanager
def _step(timings: dict[str, float], name: str) -> Iterator[None]:
    """Add the seconds the block takes to timings[name] (NotebookResult.timings)."""
    started = time.monotonic()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.monotonic() - started


def grade_one(api, sub: Submission, grading: Path, learner: str = STUDENT,
              report_now: bool = True) -> NotebookResult:
    """Grade one learner's notebook of one module; the caller holds that job's lock (`locked`).

    The notebook is graded under the learner's staging id; only when every step has succeeded
    does its result replace the learner's in the gradebook, the autograded copy and the
    feedback report (`_promote`). A grading that fails, or is killed, leaves the previous result
    as it was; what it left behind is cleared by the learner's next grading of the module.
    Without `report_now`, the report is left pending (`write_report` writes it)."""
    module = sub.module
    if module.id == "capstone":
        from autograder.capstone import grading as capstone

        if learner != STUDENT:
            raise KitError("The capstone is graded as a folder on the learner's own machine "
                           "(`make grade MODULE=capstone`), not in cohort mode; grade it there.")
        return capstone.grade_one(sub, grading)
    layout = paths.GradingLayout(grading)
    staging = paths.staging_id(learner)
    db_url = api.coursedir.db_url
    if any(d.exists() for d in _staged_dirs(layout, module.id, staging)):
        _discard_staging(layout, module.id, staging, db_url)  # left by a grading that was killed
    _ensure_students(db_url, (learner, staging))
    promoted = False
    try:
        result = _grade_staged(api, sub, grading, staging, report_now)
        if result.feedback:  # graded in full (not a kernel that died)
            with _step(result.timings, "the new result replaces the learner's previous one"):
                _promote(layout, sub, module.id, learner, staging, db_url)
            promoted = True
            result.feedback = str(layout.feedback(learner, module.id))
        return result
    finally:
        if not promoted:
            _discard_staging(layout, module.id, staging, db_url)


def _ensure_students(db_url: str, students) -> None:
    """Add these student ids to the gradebook before nbgrader's autograde would: its find-then-add
    is not safe when two gradings of one learner (two modules side by side) start at once, and
    the loser's autograde failed with a UNIQUE constraint on student.id."""
    from nbgrader.api import Gradebook, InvalidEntry

    with Gradebook(db_url) as gb:
        for student in students:
            try:
                gb.update_or_create_student(student)
            except InvalidEntry:  # added by the other grading between the find and the add
                gb.find_student(student)


def _grade_staged(api, sub: Submission, grading: Path, student: str, report_now: bool = True) -> NotebookResult:
    """nbgrader's autograde and feedback, with the clean re-check, as student id `student`.
    Without `report_now`, no report: its pending marker (`report_marker`), which `_promote`
    puts in place of the learner's previous report."""
    module = sub.module
    timings: dict[str, float] = {}
    with _step(timings, "assignment loaded? (sha of the source)"):
        ensure_assignment(api, module, grading)
    layout = paths.GradingLayout(grading)
    submitted = layout.submitted(student, module.id)
    _copy_submission_files(layout, module.id, paths.learner_of(student), student)
    space.write_atomically(submitted, sub.data)
    timeout = nbgrader_setup.cell_timeout()
    # The clean re-check replays the notebook in its own kernel while nbgrader grades it. Its
    # standard error goes to a log in the grading folder, so a broken re-check leaves a trace.
    recheck_log = layout.recheck_log
    with open(recheck_log, "ab") as log_handle:
        log_handle.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {module.id} {sub.path} "
                         f"({paths.learner_of(student)})\n".encode())
        log_handle.flush()
        replay = start_recheck(submitted, module.id, timeout, log_handle)
    with _step(timings, "nbgrader autograde (the clean re-check runs alongside)"), _stderr_to(layout.kernels_log):
        graded = api.autograde(module.id, student, force=True, create=True)
    if os.environ.get("KIT_NBGRADER_FAULT") == "once":  # fault injection for the kit's own tests
        graded = {"success": False, "log": "[ERROR] injected\nRuntimeError: injected fault (KIT_NBGRADER_FAULT)\n"}
    with _step(timings, "waiting for the clean re-check to finish"):
        verdict = _finish(replay, timeout, recheck_log)
    retry_note = None
    if not graded.get("success"):
        log = (graded.get("log") or "") + (graded.get("error") or "")
        if verdict.died_in_cell or "DeadKernelError" in log:
            return _not_graded(module, sub.path, diagnosis.died(verdict.died_in_cell, verdict.died_cell_source))
        # nbgrader itself fails now and then (about 1 grading in 400 under load, cause not found
        # yet): its whole log is kept, and the notebook graded once more before giving up.
        failures_log = layout.nbgrader_failures_log
        with contextlib.suppress(OSError), open(failures_log, "a", encoding="utf-8") as handle:
            handle.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {module.id} {sub.path} "
                         f"({paths.learner_of(student)})\n{log}\n")
        cause = nbgrader_setup.failure_cause(log) or "no cause in its log"
        with _step(timings, "nbgrader autograde, once more"), _stderr_to(layout.kernels_log):
            graded = api.autograde(module.id, student, force=True, create=True)
        nbgrader_setup.require_success(graded, f"autograde {sub.path}")
        retry_note = (f"nbgrader failed once while grading this notebook ({cause}) and graded it again; "
                      f"its log is in {failures_log}.")
    with _step(timings, "applying the re-check's verdicts to the gradebook"):
        overruled = _apply_recheck(module, grading, verdict, student=student, db_url=api.coursedir.db_url)
    if report_now:
        with _step(timings, "nbgrader generate_feedback (HTML report)"):
            nbgrader_setup.require_success(api.generate_feedback(module.id, student, force=True),
                               f"write the feedback report for {sub.path}")
    with _step(timings, "reading the results and diagnoses"):
        result = read_result(module, sub.path, grading, json.loads(sub.data), verdict, overruled,
                             student=student, db_url=api.coursedir.db_url)
    result.notes[:0] = sub.notes  # what intake found (copied cells, a byte-order mark, ...)
    if retry_note:
        result.notes.append(retry_note)
    if verdict.error:
        result.notes.append(f"The clean re-check could not run ({verdict.error}), so this grade rests "
                            f"on the checks inside your notebook alone. Details: {recheck_log}.")
    if report_now:
        with _step(timings, "the kit's summary in the feedback report"):
            feedback.add_summary(Path(result.feedback), module, result)
    else:
        # What the report's summary needs, beside where the report goes: the report is written
        # from it and the autograded notebook after the table is shown (`write_report`).
        space.write_atomically(report_marker(layout, student, module.id), json.dumps(
            {"module": module.id, "result": asdict(result)}).encode("utf-8"))
    result.timings = timings
    return result


# ---------------------------------------------------------------------------------------------
# The feedback report, written after the table is shown (issue 16 §3)

REPORT_PENDING = ".report-pending.json"
_REPORT_SCRATCH = ".report-scratch"  # nbgrader's feedback output, before it goes into place


def report_marker(layout: paths.GradingLayout, student: str, module_id: str) -> Path:
    """A grading whose report is still to be written leaves this beside where the report goes.
    It is promoted with the graded result (it replaces the previous report's folder), so the
    report a reader finds is always the last grading's: there, whole, or not yet there."""
    return layout.feedback(student, module_id).parent / REPORT_PENDING


def pending_reports(*, learner: str = STUDENT, grading: Path | None = None) -> list[str]:
    """The modules of the learner whose last grading's report is still to be written (a grader
    stopped after the table and before the report)."""
    layout = paths.GradingLayout(Path(grading) if grading is not None else paths.grading_dir())
    return sorted(m.parent.name for m in (layout.feedback_dir / learner).glob(f"*/{REPORT_PENDING}")
                  if not layout.feedback(learner, m.parent.name).is_file())


def write_report(module_id: str, *, learner: str = STUDENT, grading: Path | None = None,
                 db_url: str | None = None) -> bool:
    """Write the learner's feedback report of the module if its last grading left it pending:
    nbgrader's rendering of the autograded notebook with the gradebook's scores, and the kit's
    summary from the grading's result. A grading or report of the same learner and module in
    progress (in any process) is waited for (its job lock), so a report is never written twice.
    The report goes into place whole (a temporary file in its folder, renamed over it): a
    reader sees no report or all of it. True when the report exists afterwards."""
    grading = Path(grading).resolve() if grading is not None else paths.grading_dir()
    layout = paths.GradingLayout(grading)
    report, marker = layout.feedback(learner, module_id), report_marker(layout, learner, module_id)
    if report.is_file() and not marker.exists():
        return True
    if not marker.exists():
        return False
    with job_locks(grading, [(learner, module_id)]), folder_lock(grading):
        if report.is_file():  # written meanwhile, or by a grader stopped before it removed the marker
            marker.unlink(missing_ok=True)
            return True
        if not marker.is_file():  # a grading whose kernel died replaced nothing; or none at all
            return False
        gate = os.environ.get("KIT_TEST_REPORT_GATE")
        if gate:  # the kit's own tests: hold the report back until they say (tests/test_feedback_timing.py)
            while not Path(gate).exists():
                time.sleep(0.05)
        scratch = grading / _REPORT_SCRATCH / learner / module_id
        with space.no_half_files(grading, [], [report.parent, scratch]):
            try:
                _write_pending_report(layout, module_id, learner, marker, scratch, db_url)
            finally:
                shutil.rmtree(scratch, ignore_errors=True)
                for d in (scratch.parent, scratch.parent.parent):
                    with contextlib.suppress(OSError):
                        d.rmdir()
    return True


def _write_pending_report(layout: paths.GradingLayout, module_id: str, learner: str, marker: Path,
                          scratch: Path, db_url: str | None) -> None:
    data = json.loads(marker.read_text(encoding="utf-8"))
    result = dict(data["result"])
    result["tests"] = [TestResult(**t) for t in result.get("tests", [])]
    known = {f.name for f in fields(NotebookResult)}
    result = NotebookResult(**{k: v for k, v in result.items() if k in known})
    module = syllabus.load().module(module_id)
    api = nbgrader_setup.api(layout.root, db_url=db_url)
    # nbgrader writes its rendering into a scratch folder (it empties its output folder first,
    # and writes the file in place); the report goes into the learner's folder whole.
    api.coursedir.feedback_directory = str(layout.root / _REPORT_SCRATCH)
    shutil.rmtree(scratch, ignore_errors=True)
    nbgrader_setup.require_success(api.generate_feedback(module_id, learner, force=True),
                                   f"write the feedback report of {module_id}")
    rendered = scratch / f"{module_id}.html"
    for item in scratch.iterdir():  # the files nbgrader copies beside the report (data, timestamp)
        if item != rendered:
            target = marker.parent / item.name
            if item.is_dir():
                shutil.copytree(item, target, dirs_exist_ok=True)
            else:
                shutil.copy2(item, target)
    feedback.write_report(layout.feedback(learner, module_id), rendered.read_text(encoding="utf-8"),
                          module, result)
    marker.unlink()


def _copy_submission_files(layout: paths.GradingLayout, module_id: str, learner: str, staging: str) -> None:
    """nbgrader's files beside the learner's collected notebook (timestamp.txt, the exchange's
    submission_secret.txt, data the learner submitted) go with the staged copy, so lateness is
    computed and the feedback can be released to the learner."""
    src = layout.submitted(learner, module_id).parent
    dst = layout.submitted(staging, module_id).parent
    if not src.is_dir():
        return
    for item in src.iterdir():
        if item.name == f"{module_id}.ipynb" or item.name.startswith("."):
            continue
        target = dst / item.name
        target.parent.mkdir(parents=True, exist_ok=True)
        if item.is_dir():
            shutil.copytree(item, target, dirs_exist_ok=True)
        else:
            shutil.copy2(item, target)


def _staged_dirs(layout: paths.GradingLayout, module_id: str, student: str) -> list[Path]:
    return [base / student / module_id
            for base in (layout.submitted_dir, layout.autograded_dir, layout.feedback_dir)]


def _replace_dir(new: Path, old: Path) -> None:
    """Put folder `new` where `old` is (the old one removed). Two renames: a grader killed
    between them leaves the old folder under a hidden name, not a mix of both."""
    if not new.exists():
        return
    old.parent.mkdir(parents=True, exist_ok=True)
    aside = old.with_name(f".{old.name}.replaced")
    shutil.rmtree(aside, ignore_errors=True)
    if old.exists():
        os.rename(old, aside)
    os.rename(new, old)
    shutil.rmtree(aside, ignore_errors=True)
    with contextlib.suppress(OSError):
        new.parent.rmdir()  # the staging id's folder, when it holds no other module


def _promote(layout: paths.GradingLayout, sub: Submission, module_id: str, learner: str, staging: str,
             db_url: str) -> None:
    """The staged result becomes the learner's: files first, then the gradebook in one transaction
    (the learner's old submission rows deleted and the staged submission handed to the learner),
    so the score a reader sees is the old one or the new one, never a mix."""
    from nbgrader.api import Gradebook, MissingEntry

    submitted, autograded, feedback_dir = _staged_dirs(layout, module_id, staging)
    mine = layout.submitted(learner, module_id)
    if sub.path.resolve() == mine.resolve():
        # Graded where nbgrader's collect put it (cohort mode): that copy is the learner's
        # submission as submitted, which nbgrader's feedback release is keyed on; keep it.
        shutil.rmtree(submitted, ignore_errors=True)
        with contextlib.suppress(OSError):
            submitted.parent.rmdir()
    else:
        _replace_dir(submitted, mine.parent)
    _replace_dir(autograded, layout.autograded(learner, module_id).parent)
    _replace_dir(feedback_dir, layout.feedback(learner, module_id).parent)
    with Gradebook(db_url) as gb:
        gb.update_or_create_student(learner)  # (commits: a student without scores)
        staged = gb.find_submission(module_id, staging)
        student = gb.find_student(learner)
        try:
            old = gb.find_submission(module_id, learner)
        except MissingEntry:
            old = None
        if old is not None:
            staged.extension = old.extension  # granted by the instructor, not part of the grading
            for nb in old.notebooks:
                for row in [*nb.grades, *nb.comments]:
                    gb.db.delete(row)
                gb.db.delete(nb)
            gb.db.delete(old)
            gb.db.flush()
        staged.student = student
        gb.db.commit()
        # The staging student's row stays (without submissions): the same learner's other
        # modules may be graded under it at this moment, and removing a student removes theirs.


def _discard_staging(layout: paths.GradingLayout, module_id: str, staging: str, db_url: str) -> None:
    """Remove what a grading under the staging id left: its gradebook rows, then its folders
    (autograde writes the submitted copy before any row, so folders left mean rows may be)."""
    file = paths.sqlite_file(db_url)
    if file is None or file.exists():
        from nbgrader.api import Gradebook, MissingEntry

        with Gradebook(db_url) as gb:
            with contextlib.suppress(MissingEntry):
                gb.remove_submission(module_id, staging)  # this module's only (see _promote)
    for d in _staged_dirs(layout, module_id, staging):
        if d.exists():
            shutil.rmtree(d, ignore_errors=True)
            with contextlib.suppress(OSError):
                d.parent.rmdir()


def start_recheck(submitted: Path, module_id: str, timeout: int, log) -> subprocess.Popen:
    """Start the clean re-check of `submitted`; it prints its verdict on stdout (see _finish).
    The warm grader (warm.py) replaces this, inside its own process only, with a hand-over to
    its pre-started re-check."""
    return subprocess.Popen(
        [sys.executable, "-m", "autograder.recheck", str(submitted), module_id, "--timeout", str(timeout)],
        stdout=subprocess.PIPE, stderr=log, text=True,
        # Lower priority: nbgrader's own run is what the learner waits for; the re-check fills
        # the idle core and is done by the time nbgrader is.
        preexec_fn=lambda: os.nice(5))


@contextlib.contextmanager
def _stderr_to(log: Path) -> Iterator[None]:
    """Kernels inherit file descriptor 2: their start-up and shutdown chatter goes to a log file,
    not to the learner's terminal."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "ab") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def _finish(replay: subprocess.Popen, timeout: int, log: Path) -> Verdict:
    """The re-check's verdict. When it could not finish, the verdict carries the reason (and
    overrules nothing); the reason is also written to the re-check's log."""
    error = None
    try:
        out, _ = replay.communicate(timeout=10 * timeout + 60)
        if replay.returncode != 0:
            error = f"it exited with status {replay.returncode}"
        elif not out.strip():
            error = "it printed no verdict"
        else:
            return Verdict.from_json(out)
    except subprocess.TimeoutExpired:
        replay.kill()
        replay.communicate()
        error = f"it did not finish within {10 * timeout + 60} s"
    except (ValueError, TypeError, KeyError) as exc:  # JSON that is not a verdict
        error = f"its verdict could not be read ({type(exc).__name__})"
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"the clean re-check could not run: {error}\n")
    return Verdict(error=error)


def _apply_recheck(module: syllabus.Module, grading: Path, verdict: Verdict, *, student: str = STUDENT,
                   db_url: str | None = None) -> dict[str, str]:
    """Zero, in the gradebook, every check that passed in the notebook but fails, on a genuine
    wrong value, when re-checked in a clean process. Returns function name -> message.

    The verdict overwrites nbgrader's automatic score, which nbgrader rewrites on every
    autograde, so each grading is judged on its own; the reason is the grader's comment on the
    function's solution cell, which the feedback report shows. The manual score stays free for
    a person's hand grading."""
    from nbgrader.api import Gradebook

    failed = verdict.overruling()
    overruled = {}
    with Gradebook(_db_url(grading, db_url)) as gb:
        nb = gb.find_submission_notebook(module.id, module.id, student)
        for grade in nb.grades:
            _repair_stale_overrule(grade)
            name = syllabus.function_of_check(grade.name)
            if name in failed and grade.score > 0:
                grade.auto_score = 0.0
                overruled[name] = failed[name] + OVERRULED
        for comment in nb.comments:
            if comment.name in overruled:
                comment.auto_comment = overruled[comment.name]
        gb.db.commit()
    return overruled


def _repair_stale_overrule(grade) -> None:
    """Kit versions before this one recorded an overrule as a manual score of 0, which no later
    grading cleared. A self-learner's gradebook has no hand grading (formgrader is off), so a
    manual score there can only be such a stale overrule: drop it."""
    if grade.manual_score is not None:
        grade.manual_score = None
        grade.needs_manual_grade = False


OVERRULED = (" (This check passed inside your notebook, but fails when the grader calls your "
             "function from a clean process: does the notebook change the check library, numpy or "
             "Python itself while it runs?)")


def _db_url(grading: Path, db_url: str | None = None) -> str:
    return db_url or paths.GradingLayout(grading).gradebook_url


def _not_graded(module: syllabus.Module, path: Path, why: str) -> NotebookResult:
    tests = [TestResult(c.test_id, 0.0, float(c.points), False, why) for c in module.checks]
    return NotebookResult(module=module.id, path=str(path), score=0.0, max_score=float(module.max_score),
                          feedback="", tests=tests, notes=[why])


def read_result(module: syllabus.Module, path: Path, grading: Path, submitted: dict,
                verdict: Verdict, overruled: dict[str, str], *, student: str = STUDENT,
                db_url: str | None = None) -> NotebookResult:
    from nbgrader.api import Gradebook

    layout = paths.GradingLayout(grading)
    autograded = json.loads(layout.autograded(student, module.id).read_text(encoding="utf-8"))
    source = json.loads(module.solution_path.read_text(encoding="utf-8"))
    rechecked = verdict.functions
    with Gradebook(_db_url(grading, db_url)) as gb:
        nb = gb.find_submission_notebook(module.id, module.id, student)
        scores = {g.name: (g.score, g.max_score) for g in nb.grades}
    tests = []
    for c in module.checks:  # each function's values check, then its rule checks (module.toml)
        score, max_score = scores.get(c.test_id, (0.0, float(c.points)))
        passed = score >= max_score
        clean = rechecked.get(c.name)
        if c.name in overruled:
            message = overruled[c.name]
        elif passed and clean is not None and clean.passed:
            message = clean.message  # the clean process's words
        else:
            message = diagnosis.check_message(module, c.name, autograded, passed,
                                              nbgrader_setup.cell_timeout())
        tests.append(TestResult(c.test_id, float(score), float(max_score), passed, message))
    feedback = layout.feedback(student, module.id)
    return NotebookResult(
        module=module.id, path=str(path), score=sum(t.points for t in tests),
        max_score=sum(t.max_points for t in tests), feedback=str(feedback), tests=tests,
        notes=diagnosis.notes(module, submitted, source, autograded),
    )


def _grade_group(grading: Path, subs: list[Submission], learner: str = STUDENT,
                 db_url: str | None = None, report_now: bool = True) -> list[tuple[NotebookResult, float]]:
    """Worker: grade one module's submissions in order (the module's assignment is loaded)."""
    api = nbgrader_setup.api(grading, db_url=db_url)
    out = []
    for sub in subs:
        started = time.monotonic()
        out.append((grade_one(api, sub, grading, learner, report_now), time.monotonic() - started))
    return out


def workers() -> int:
    """Parallel grading processes: nbgrader grades one notebook at a time, so several modules
    are graded side by side, one per core (at most 2 by default; KIT_GRADING_WORKERS)."""
    return max(1, int(os.environ.get("KIT_GRADING_WORKERS", min(2, len(os.sched_getaffinity(0))))))


def grade(submissions: list[Submission],
          on_start: Callable[[Submission], None] | None = None,
          on_done: Callable[[NotebookResult, float], None] | None = None,
          reuse: bool = False, *,
          learner: str = STUDENT,
          grading: Path | None = None,
          db_url: str | None = None,
          report_now: bool = True) -> GradeRun:
    """Grade one learner's submissions; results come back in the order given, and every attempt
    is also kept in the history. Different modules are graded in parallel; one module's
    notebooks in turn. With `reuse`, a notebook unchanged since its last grading by the same kit
    keeps its recorded result (cache.py) and is not graded again.

    `learner`: the learner's id: nbgrader's student id in the gradebook, the folder of their
        copies (`submitted/<learner>/<module>/`, `autograded/...`, `feedback/<learner>/<module>/
        <module>.html`) and the `learner` of their history rows. "learner" (nbgrader_setup.STUDENT)
        for the self-study kit's one learner; in cohort mode the learner's OS user name, as
        nbgrader's exchange files their submissions.
    `grading`: the grading folder (default `paths.grading_dir()`, i.e. KIT_GRADING_DIR or
        <kit>/grading). Many learners may share one: per learner and module one grading runs at a
        time (a second waits), others at the same time; safe across processes on one machine.
    `db_url`: the gradebook's SQLAlchemy URL, e.g. `postgresql+psycopg2://user@127.0.0.1:5433/
        gradebook` (default: `sqlite:///<grading>/gradebook.db`). The database checks and repairs
        of SQLite files (journal rollback, integrity check, moving a damaged file aside) are
        skipped for any other database. The history stays a SQLite file in the grading folder.
    `report_now`: write each notebook's HTML feedback report before returning (the default:
        cohort mode files it right after). False: the scores come back without waiting for the
        reports, which are left pending and written by `write_report` (the CLI calls it once
        the table is shown); `NotebookResult.feedback` is where each will be.

    A resubmission replaces the learner's score (gradebook, feedback report, autograded copy)
    only once it is graded in full; a grading that fails (an exception, e.g. `KitError` with
    nbgrader's log) or is killed leaves the previous score in place. A notebook whose kernel dies
    gets a result of 0 with the reason, recorded in the history but not in the gradebook.
    Callers that run many gradings at once (Celery tasks) call this once per learner and module.
    Raises `KitError` (one paragraph, for the learner) when the folder cannot be written, the
    disk is full, or nbgrader fails."""
    grading = Path(grading).resolve() if grading is not None else paths.grading_dir()
    db_url = db_url or paths.GradingLayout(grading).gradebook_url
    results: dict[int, NotebookResult] = {}

    def finished(i: int, result: NotebookResult, seconds: float) -> None:
        result.notes[:0] = [n for n in submissions[i].notes if n not in result.notes]
        history.record(grading, history.Attempt(
            module=result.module, path=result.path, graded_at=history.now(), score=result.score,
            max_score=result.max_score, tests=[asdict(t) for t in result.tests],
            notebook_sha256=cache.notebook_hash(submissions[i].data),
            kit_sha256=cache.kit_hash(submissions[i].module), result=asdict(result), learner=learner))
        results[i] = result
        if on_done:
            on_done(result, seconds)

    module_ids = {sub.module.id for sub in submissions}
    layout = paths.GradingLayout(grading)
    # What this grading may write, for the full-disk clean-up (space.py): its learner's (and
    # staging id's) folders of its modules, and the modules' release copies.
    mine = [base / who / module_id
            for base in (layout.submitted_dir, layout.autograded_dir, layout.feedback_dir)
            for who in (learner, paths.staging_id(learner)) for module_id in module_ids]
    mine += [layout.release / module_id for module_id in module_ids]
    # Lock order: the jobs' locks first, then the folder's (shared; exclusive only to repair or
    # load a source). A grading waiting for a job lock holds nothing else, so a repair never
    # waits on it, and no two gradings can wait for each other (see FolderLock).
    with job_locks(grading, [(learner, module_id) for module_id in module_ids]), \
            folder_lock(grading) as folder, space.no_half_files(grading, module_ids, mine):
        notes = check_databases(grading, db_url, folder)
        pending = []
        for i, sub in enumerate(submissions):
            last = cache.recorded(grading, sub.module, sub.path, sub.data, learner=learner) if reuse else None
            if last is None:
                pending.append(i)
            else:
                results[i] = cache.restore(last)
                if on_done:
                    on_done(results[i], 0.0)
        if not pending:
            return GradeRun([results[i] for i in range(len(submissions))], notes)
        groups: dict[str, list[int]] = {}
        for i in pending:
            groups.setdefault(submissions[i].module.id, []).append(i)
        api = nbgrader_setup.api(grading, db_url=db_url)
        # Gradebook writes of set-up: in this process, before the workers start.
        load_assignments(api, [submissions[indices[0]].module for indices in groups.values()], grading, folder)
        n_workers = min(workers(), len(groups))
        if n_workers <= 1:
            for i in pending:
                if on_start:
                    on_start(submissions[i])
                started = time.monotonic()
                finished(i, grade_one(api, submissions[i], grading, learner, report_now), time.monotonic() - started)
        else:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor, as_completed

            # Longest first (by the size of the source notebook), so the run does not end on
            # one long module while the other core idles.
            order = sorted(groups, key=lambda mid: -submissions[groups[mid][0]].module.solution_path.stat().st_size)
            with ProcessPoolExecutor(n_workers, mp_context=multiprocessing.get_context("spawn")) as pool:
                futures = {}
                for module_id in order:
                    indices = groups[module_id]
                    if on_start:
                        on_start(submissions[indices[0]])
                    futures[pool.submit(_grade_group, grading, [submissions[i] for i in indices],
                                        learner, db_url, report_now)] = indices
                for future in as_completed(futures):
                    for i, (result, seconds) in zip(futures[future], future.result()):
                        finished(i, result, seconds)
    return GradeRun([results[i] for i in range(len(submissions))], notes)
