"""Grading: copy the learner's notebook into the grading folder, run nbgrader's autograde and
feedback steps on the copy, and read back one result per check.

The learner's notebook is read once and never written. All state lives in the grading folder
(`paths.grading_dir()`), guarded by a lock so two gradings at once take turns.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from autograder import cache, diagnosis, feedback, history, nbgrader_setup, paths, space, syllabus
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


@contextlib.contextmanager
def locked(grading: Path) -> Iterator[None]:
    """One grading at a time per grading folder: a second one waits for the first."""
    grading.mkdir(parents=True, exist_ok=True)
    with open(paths.GradingLayout(grading).lock, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_assignment(api, module: syllabus.Module, grading: Path) -> None:
    """Load the module's source notebook into the gradebook (once, and again when it changes)."""
    if module.id == "capstone":  # graded as a folder, without nbgrader (autograder/capstone/grading.py)
        return
    stamp = paths.GradingLayout(grading).source_stamp(module.id)
    digest = _sha(module.solution_path)
    if stamp.exists() and stamp.read_text() == digest and _in_gradebook(grading, module.id):
        return
    nbgrader_setup.require_success(api.generate_assignment(module.id, force=True, create=True),
                       f"load the source of module {module.id} into the gradebook")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def _in_gradebook(grading: Path, module_id: str) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(paths.GradingLayout(grading).gradebook)) as con:
            return con.execute("SELECT 1 FROM assignment WHERE name = ?", (module_id,)).fetchone() is not None
    except sqlite3.Error:
        return False


def _healthy(db: Path, table: str) -> bool:
    try:
        with contextlib.closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as con:
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


def check_databases(grading: Path) -> list[str]:
    """Move a damaged gradebook or history aside (kept, never deleted) so grading can go on."""
    notes = []
    layout = paths.GradingLayout(grading)
    for db, table, what in ((layout.gradebook, "assignment", "nbgrader's gradebook"),
                            (layout.history, "attempts", "your grading history")):
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


def grade_one(api, sub: Submission, grading: Path) -> NotebookResult:
    module = sub.module
    if module.id == "capstone":
        from autograder.capstone import grading as capstone

        return capstone.grade_one(sub, grading)
    timings: dict[str, float] = {}
    with _step(timings, "assignment loaded? (sha of the source)"):
        ensure_assignment(api, module, grading)
    layout = paths.GradingLayout(grading)
    submitted = layout.submitted(STUDENT, module.id)
    space.write_atomically(submitted, sub.data)
    timeout = nbgrader_setup.cell_timeout()
    # The clean re-check replays the notebook in its own kernel while nbgrader grades it. Its
    # standard error goes to a log in the grading folder, so a broken re-check leaves a trace.
    recheck_log = layout.recheck_log
    with open(recheck_log, "ab") as log_handle:
        log_handle.write(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} {module.id} {sub.path}\n".encode())
        log_handle.flush()
        replay = subprocess.Popen(
            [sys.executable, "-m", "autograder.recheck", str(submitted), module.id, "--timeout", str(timeout)],
            stdout=subprocess.PIPE, stderr=log_handle, text=True,
            # Lower priority: nbgrader's own run is what the learner waits for; the re-check fills
            # the idle core and is done by the time nbgrader is.
            preexec_fn=lambda: os.nice(5))
    with _step(timings, "nbgrader autograde (the clean re-check runs alongside)"), _stderr_to(layout.kernels_log):
        graded = api.autograde(module.id, STUDENT, force=True, create=True)
    with _step(timings, "waiting for the clean re-check to finish"):
        verdict = _finish(replay, timeout, recheck_log)
    if not graded.get("success"):
        log = (graded.get("log") or "") + (graded.get("error") or "")
        if verdict.died_in_cell or "DeadKernelError" in log:
            return _not_graded(module, sub.path, diagnosis.died(verdict.died_in_cell, verdict.died_cell_source))
        nbgrader_setup.require_success(graded, f"autograde {sub.path}")
    with _step(timings, "applying the re-check's verdicts to the gradebook"):
        overruled = _apply_recheck(module, grading, verdict)
    with _step(timings, "nbgrader generate_feedback (HTML report)"):
        nbgrader_setup.require_success(api.generate_feedback(module.id, STUDENT, force=True),
                           f"write the feedback report for {sub.path}")
    with _step(timings, "reading the results and diagnoses"):
        result = read_result(module, sub.path, grading, json.loads(sub.data), verdict, overruled)
    result.notes[:0] = sub.notes  # what intake found (copied cells, a byte-order mark, ...)
    if verdict.error:
        result.notes.append(f"The clean re-check could not run ({verdict.error}), so this grade rests "
                            f"on the checks inside your notebook alone. Details: {recheck_log}.")
    with _step(timings, "the kit's summary in the feedback report"):
        feedback.add_summary(Path(result.feedback), module, result)
    result.timings = timings
    return result


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


def _apply_recheck(module: syllabus.Module, grading: Path, verdict: Verdict) -> dict[str, str]:
    """Zero, in the gradebook, every check that passed in the notebook but fails, on a genuine
    wrong value, when re-checked in a clean process. Returns function name -> message.

    The verdict overwrites nbgrader's automatic score, which nbgrader rewrites on every
    autograde, so each grading is judged on its own; the reason is the grader's comment on the
    function's solution cell, which the feedback report shows. The manual score stays free for
    a person's hand grading."""
    from nbgrader.api import Gradebook

    failed = verdict.overruling()
    overruled = {}
    with Gradebook(_db_url(grading)) as gb:
        nb = gb.find_submission_notebook(module.id, module.id, STUDENT)
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


def _db_url(grading: Path) -> str:
    return paths.GradingLayout(grading).gradebook_url


def _not_graded(module: syllabus.Module, path: Path, why: str) -> NotebookResult:
    tests = [TestResult(f.test_id, 0.0, float(f.points), False, why) for f in module.functions]
    return NotebookResult(module=module.id, path=str(path), score=0.0, max_score=float(module.max_score),
                          feedback="", tests=tests, notes=[why])


def read_result(module: syllabus.Module, path: Path, grading: Path, submitted: dict,
                verdict: Verdict, overruled: dict[str, str]) -> NotebookResult:
    from nbgrader.api import Gradebook

    layout = paths.GradingLayout(grading)
    autograded = json.loads(layout.autograded(STUDENT, module.id).read_text(encoding="utf-8"))
    source = json.loads(module.solution_path.read_text(encoding="utf-8"))
    rechecked = verdict.functions
    with Gradebook(_db_url(grading)) as gb:
        nb = gb.find_submission_notebook(module.id, module.id, STUDENT)
        scores = {g.name: (g.score, g.max_score) for g in nb.grades}
    tests = []
    for f in module.functions:
        score, max_score = scores.get(f.test_id, (0.0, float(f.points)))
        passed = score >= max_score
        clean = rechecked.get(f.name)
        if f.name in overruled:
            message = overruled[f.name]
        elif passed and clean is not None and clean.passed:
            message = clean.message  # the clean process's words
        else:
            message = diagnosis.check_message(module, f.name, autograded, passed,
                                              nbgrader_setup.cell_timeout())
        tests.append(TestResult(f.test_id, float(score), float(max_score), passed, message))
    feedback = layout.feedback(STUDENT, module.id)
    return NotebookResult(
        module=module.id, path=str(path), score=sum(t.points for t in tests),
        max_score=sum(t.max_points for t in tests), feedback=str(feedback), tests=tests,
        notes=diagnosis.notes(module, submitted, source, autograded),
    )


def _grade_group(grading: Path, subs: list[Submission]) -> list[tuple[NotebookResult, float]]:
    """Worker: grade one module's submissions in order (the module's assignment is loaded)."""
    api = nbgrader_setup.api(grading)
    out = []
    for sub in subs:
        started = time.monotonic()
        out.append((grade_one(api, sub, grading), time.monotonic() - started))
    return out


def workers() -> int:
    """Parallel grading processes: nbgrader grades one notebook at a time, so several modules
    are graded side by side, one per core (at most 2 by default; KIT_GRADING_WORKERS)."""
    return max(1, int(os.environ.get("KIT_GRADING_WORKERS", min(2, len(os.sched_getaffinity(0))))))


def grade(submissions: list[Submission],
          on_start: Callable[[Submission], None] | None = None,
          on_done: Callable[[NotebookResult, float], None] | None = None,
          reuse: bool = False) -> GradeRun:
    """Grade the submissions; results come back in the order given, and every attempt is also
    kept in the history. Different modules are graded in parallel; one module's notebooks in turn.
    With `reuse`, a notebook unchanged since its last grading by the same kit keeps its recorded
    result (cache.py) and is not graded again."""
    grading = paths.grading_dir()
    results: dict[int, NotebookResult] = {}

    def finished(i: int, result: NotebookResult, seconds: float) -> None:
        result.notes[:0] = [n for n in submissions[i].notes if n not in result.notes]
        history.record(grading, history.Attempt(
            module=result.module, path=result.path, graded_at=history.now(), score=result.score,
            max_score=result.max_score, tests=[asdict(t) for t in result.tests],
            notebook_sha256=cache.notebook_hash(submissions[i].data),
            kit_sha256=cache.kit_hash(submissions[i].module), result=asdict(result)))
        results[i] = result
        if on_done:
            on_done(result, seconds)

    # Inside the lock, so a full disk removes only what this grading wrote (space.py).
    with locked(grading), space.no_half_files(grading, {sub.module.id for sub in submissions}):
        notes = check_databases(grading)
        pending = []
        for i, sub in enumerate(submissions):
            last = cache.recorded(grading, sub.module, sub.path, sub.data) if reuse else None
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
        api = nbgrader_setup.api(grading)
        for module_id, indices in groups.items():  # gradebook writes of set-up: one process
            ensure_assignment(api, submissions[indices[0]].module, grading)
        n_workers = min(workers(), len(groups))
        if n_workers <= 1:
            for i in pending:
                if on_start:
                    on_start(submissions[i])
                started = time.monotonic()
                finished(i, grade_one(api, submissions[i], grading), time.monotonic() - started)
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
                    futures[pool.submit(_grade_group, grading, [submissions[i] for i in indices])] = indices
                for future in as_completed(futures):
                    for i, (result, seconds) in zip(futures[future], future.result()):
                        finished(i, result, seconds)
    return GradeRun([results[i] for i in range(len(submissions))], notes)
