"""Where things are: the kit's root, its course folders, and the git-ignored grading folder."""

from __future__ import annotations

import os
from pathlib import Path

# The package lives at <root>/autograder, installed in editable mode.
ROOT = Path(__file__).resolve().parent.parent
COURSE = ROOT / "course"
SOLUTIONS = ROOT / "solutions"
EXERCISES = ROOT / "exercises"


def grading_dir() -> Path:
    """The one folder that holds all grading state (submitted and autograded copies, feedback,
    the gradebook). `KIT_GRADING_DIR` moves it; tests use that to grade in a temporary folder."""
    return Path(os.environ.get("KIT_GRADING_DIR") or ROOT / "grading").resolve()


class GradingLayout:
    """Where each piece of grading state lives inside the grading folder: the one definition
    that nbgrader's configuration, the grader, the history and progress all read."""

    def __init__(self, root: Path):
        self.root = root

    # nbgrader's course folders (its release copy, submitted and autograded copies, feedback)
    @property
    def release(self) -> Path:
        return self.root / "release"

    @property
    def submitted_dir(self) -> Path:
        return self.root / "submitted"

    @property
    def autograded_dir(self) -> Path:
        return self.root / "autograded"

    @property
    def feedback_dir(self) -> Path:
        return self.root / "feedback"

    def submitted(self, student: str, module_id: str) -> Path:
        return self.submitted_dir / student / module_id / f"{module_id}.ipynb"

    def autograded(self, student: str, module_id: str) -> Path:
        return self.autograded_dir / student / module_id / f"{module_id}.ipynb"

    def feedback(self, student: str, module_id: str) -> Path:
        return self.feedback_dir / student / module_id / f"{module_id}.html"

    def source_stamp(self, module_id: str) -> Path:
        """The hash of the source notebook last loaded into the gradebook."""
        return self.release / module_id / ".source-sha256"

    # the kit's own files
    @property
    def gradebook(self) -> Path:
        return self.root / "gradebook.db"

    @property
    def gradebook_url(self) -> str:
        return f"sqlite:///{self.gradebook}"

    @property
    def history(self) -> Path:
        return self.root / "history.sqlite"

    @property
    def lock(self) -> Path:
        """The grading folder's lock: every grading holds it shared; repairing a database or
        loading a changed source into the gradebook holds it exclusively (grading.locked)."""
        return self.root / ".lock"

    @property
    def locks_dir(self) -> Path:
        return self.root / ".locks"

    def job_lock(self, student: str, module_id: str) -> Path:
        """One learner's grading of one module at a time; other learners and modules go on."""
        return self.locks_dir / f"{_safe(student)}--{_safe(module_id)}.lock"

    @property
    def kernels_log(self) -> Path:
        return self.root / "kernels.log"

    @property
    def recheck_log(self) -> Path:
        return self.root / "recheck.log"

    @property
    def nbgrader_failures_log(self) -> Path:
        """nbgrader's whole log of each of its own failures (graded once more: grading._grade_staged)."""
        return self.root / "nbgrader-failures.log"

    @property
    def progress_chart(self) -> Path:
        return self.feedback_dir / "progress.png"


# A resubmission is graded under a staging student id first, and replaces the learner's score
# only once it has been graded in full (grading._promote). OS user names, and so nbgrader's
# student ids, cannot contain "+", so the staging id never meets a real learner's.
STAGING_SUFFIX = "+grading"


def staging_id(student: str) -> str:
    return student + STAGING_SUFFIX


def learner_of(student: str) -> str:
    """The learner a (staging or real) student id belongs to."""
    return student[:-len(STAGING_SUFFIX)] if student.endswith(STAGING_SUFFIX) else student


def is_staging(student: str) -> bool:
    """A student id of a grading in progress (or killed): not a learner; leave it out of reports."""
    return student.endswith(STAGING_SUFFIX)


def is_sqlite_url(db_url: str) -> bool:
    return db_url.startswith("sqlite:")


def sqlite_file(db_url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite:///path`), None for another database or in-memory SQLite."""
    if not is_sqlite_url(db_url):
        return None
    rest = db_url.split(":", 1)[1]
    if not rest.startswith("///") or rest[3:] in ("", ":memory:"):
        return None
    return Path(rest[3:].split("?", 1)[0])


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_.+" else "_" for c in name)
