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
        return self.root / ".lock"

    @property
    def kernels_log(self) -> Path:
        return self.root / "kernels.log"

    @property
    def recheck_log(self) -> Path:
        return self.root / "recheck.log"

    @property
    def progress_chart(self) -> Path:
        return self.feedback_dir / "progress.png"
