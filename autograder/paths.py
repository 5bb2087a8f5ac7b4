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
