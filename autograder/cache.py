"""No work redone: a notebook that has not changed since its last grading, graded by a kit whose
checks and solutions have not changed either, keeps its recorded result.

The history (autograder/history.py) records, with every attempt, the SHA-256 of the notebook's
bytes, the kit's hash for its module and the whole result. `make grade` with no module looks
there first and grades only what changed; `--force` grades everything.
"""

from __future__ import annotations

import hashlib
from dataclasses import fields
from pathlib import Path

from autograder import history, paths, syllabus

# The grading code every module's result depends on, beside the module's own check library and
# source notebook: a change to any of them can change a verdict or a message.
_SHARED = ("checks/__init__.py", "checks/ladder.py", "grading.py", "recheck.py", "replay_kernel.py",
           "diagnosis.py", "feedback.py", "kernel_guard.py", "nbgrader_setup.py", "intake.py")


def kit_files(module: syllabus.Module) -> list[Path]:
    package = paths.ROOT / "autograder"
    own = [module.solution_path, package / "checks" / f"{module.check_module.rsplit('.', 1)[-1]}.py"]
    if module.is_quiz:  # the bank API judges every quiz answer; the authoring helpers build its questions
        own += [package / "quiz" / "__init__.py", package / "quiz" / "authoring.py"]
    return own + [package / name for name in _SHARED if (package / name).exists()]


def kit_hash(module: syllabus.Module) -> str:
    digest = hashlib.sha256()
    for path in kit_files(module):
        digest.update(path.relative_to(paths.ROOT).as_posix().encode() + b"\0")
        digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


def notebook_hash(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def recorded(grading: Path, module: syllabus.Module, path: Path, data: bytes,
             learner: str = history.DEFAULT_LEARNER) -> history.Attempt | None:
    """The last attempt of this notebook by this learner, if it is still valid: same bytes, same
    kit, a full result on record and its feedback report still there. Otherwise None."""
    mine = [a for a in history.attempts(grading, learner=learner)
            if a.module == module.id and a.path == str(path)]
    if not mine:
        return None
    last = mine[-1]
    if (last.result is None or last.notebook_sha256 != notebook_hash(data)
            or last.kit_sha256 != kit_hash(module)):
        return None
    feedback = last.result.get("feedback")
    # (A report still to be written, left by a grader stopped after its table, is written after
    # this grading's table: grading.write_report. Its marker is grading.REPORT_PENDING.)
    if feedback and not Path(feedback).exists() and not Path(feedback).with_name(".report-pending.json").exists():
        return None
    return last


def restore(attempt: history.Attempt):
    """The recorded result as a grading.NotebookResult, marked as not re-graded."""
    from autograder.grading import NotebookResult, TestResult

    data = dict(attempt.result)
    data["tests"] = [TestResult(**t) for t in data.get("tests", [])]
    known = {f.name for f in fields(NotebookResult)}
    result = NotebookResult(**{k: v for k, v in data.items() if k in known})
    result.unchanged_since = attempt.graded_at
    return result
