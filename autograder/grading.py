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
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from autograder import history, nbgrader_setup, paths, syllabus
from autograder.nbgrader_setup import STUDENT
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


@dataclass
class GradeRun:
    notebooks: list[NotebookResult]

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
    with open(grading / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_assignment(api, module: syllabus.Module, grading: Path) -> None:
    """Load the module's source notebook into the gradebook (once, and again when it changes)."""
    stamp = grading / "release" / module.id / ".source-sha256"
    digest = _sha(module.solution_path)
    if stamp.exists() and stamp.read_text() == digest and (grading / "gradebook.db").exists():
        return
    nbgrader_setup.run(api.generate_assignment(module.id, force=True, create=True),
                       f"load the source of module {module.id} into the gradebook")
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(digest)


def grade_one(api, sub: Submission, grading: Path) -> NotebookResult:
    module = sub.module
    ensure_assignment(api, module, grading)
    submitted = grading / "submitted" / STUDENT / module.id
    submitted.mkdir(parents=True, exist_ok=True)
    (submitted / f"{module.id}.ipynb").write_bytes(sub.data)
    nbgrader_setup.run(api.autograde(module.id, STUDENT, force=True, create=True),
                       f"autograde {sub.path}")
    nbgrader_setup.run(api.generate_feedback(module.id, STUDENT, force=True),
                       f"write the feedback report for {sub.path}")
    return read_result(module, sub.path, grading)


def read_result(module: syllabus.Module, path: Path, grading: Path) -> NotebookResult:
    from nbgrader.api import Gradebook

    autograded = grading / "autograded" / STUDENT / module.id / f"{module.id}.ipynb"
    outputs = _check_outputs(json.loads(autograded.read_text(encoding="utf-8")))
    tests = []
    with Gradebook(f"sqlite:///{grading / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(module.id, module.id, STUDENT)
        scores = {g.name: (g.score, g.max_score) for g in nb.grades}
    for f in module.functions:
        score, max_score = scores.get(f.test_id, (0.0, float(f.points)))
        passed = score >= max_score
        message = _message(module, outputs.get(f.test_id), passed)
        tests.append(TestResult(f.test_id, float(score), float(max_score), passed, message))
    feedback = grading / "feedback" / STUDENT / module.id / f"{module.id}.html"
    return NotebookResult(
        module=module.id, path=str(path), score=sum(t.points for t in tests),
        max_score=sum(t.max_points for t in tests), feedback=str(feedback), tests=tests,
    )


def _check_outputs(nb: dict) -> dict[str, list[dict]]:
    found = {}
    for cell in nb["cells"]:
        grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
        if grade_id and grade_id.startswith("test_"):
            found[grade_id] = cell.get("outputs", [])
    return found


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _message(module: syllabus.Module, outputs: list[dict] | None, passed: bool) -> str:
    """The learner-facing diagnosis of one check cell, from its outputs."""
    if outputs is None:
        return "The check cell is missing from the graded notebook."
    for out in outputs:
        if out.get("output_type") == "error":
            return _explain_error(module, out.get("ename", ""), _ANSI.sub("", out.get("evalue", "")))
    if passed:
        for out in outputs:
            if out.get("output_type") == "stream" and out.get("name") == "stdout":
                text = "".join(out.get("text", "")).strip()
                if text:
                    return text.splitlines()[-1]
        return "passed"
    for out in outputs:
        if out.get("output_type") == "stream" and out.get("name") == "stderr":
            return ("The check wrote to stderr (a warning?), which nbgrader scores as a failure: "
                    + "".join(out.get("text", "")).strip().splitlines()[0])
    return "failed"


def _explain_error(module: syllabus.Module, ename: str, evalue: str) -> str:
    if ename == "NameError":
        match = re.search(r"name '(\w+)' is not defined", evalue)
        names = {f.name for f in module.functions}
        if match and match.group(1) in names:
            name = match.group(1)
            return (f"`{name}` is not defined — was it renamed or its cell deleted? Its cell must "
                    f"define `def {name}(...)`, and run before this check.")
    if ename in ("CheckFailed", "NotAttempted", "AssertionError"):
        return evalue or "the check failed"
    return f"{ename}: {evalue}" if evalue else ename


def grade(submissions: list[Submission],
          on_progress: Callable[[int, int, Submission], None] | None = None,
          on_done: Callable[[NotebookResult, float], None] | None = None) -> GradeRun:
    """Grade the submissions in order; every attempt is also kept in the history."""
    grading = paths.grading_dir()
    results = []
    with locked(grading):
        api = nbgrader_setup.api(grading)
        for i, sub in enumerate(submissions):
            if on_progress:
                on_progress(i, len(submissions), sub)
            started = time.monotonic()
            result = grade_one(api, sub, grading)
            history.record(grading, history.Attempt(
                module=result.module, path=result.path, graded_at=history.now(), score=result.score,
                max_score=result.max_score, tests=[asdict(t) for t in result.tests]))
            results.append(result)
            if on_done:
                on_done(result, time.monotonic() - started)
    return GradeRun(results)
