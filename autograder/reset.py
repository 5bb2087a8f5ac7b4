"""`make reset MODULE=...`: a fresh exercise notebook for the learner; theirs is backed up first."""

from __future__ import annotations

import tempfile
from pathlib import Path

from autograder import backups, paths, syllabus
from autograder.exercises import generate_to


def _shown(path: Path) -> str:
    return str(path.relative_to(paths.ROOT)) if path.is_relative_to(paths.ROOT) else str(path)


def reset(module_id: str, dest: Path | None = None, backup_root: Path | None = None) -> list[str]:
    """A fresh exercise for the learner; their current one is backed up first, never deleted.
    (`dest` and `backup_root` default to the kit's exercises/ and backups/ folders.)"""
    module = syllabus.load().module(module_id)
    if module.kind == "project":
        from autograder.errors import KitError

        raise KitError(
            f"The {module.id} is a folder of your own work (exercises/{module.id}: the notebook, app.py, "
            "tests/ and model.skops), which `make reset` does not replace. To start one file again, copy "
            f"yours aside and take the kit's version from git, e.g. `git checkout -- exercises/{module.id}/app.py`. "
            "Nothing was changed.")
    dest = dest or module.exercise_path
    report = []
    seeds = {}
    if module.is_quiz:  # a new seed, so the learner practises on new numbers
        from autograder.exercises import _current_seed
        from autograder.quiz import notebook as quiz_notebook

        seeds[module.id] = quiz_notebook.new_seed(avoid=_current_seed(dest) if dest.exists() else None)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = generate_to(Path(tmp), [module], seeds)[module.id].read_bytes()
        if dest.exists():
            saved = backups.backup(dest, module.id, backup_root)
            report.append(f"Your notebook was saved as {_shown(saved)}.")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(fresh)
    if module.is_quiz:
        report.append(f"{_shown(dest)} is a fresh quiz, variant {seeds[module.id]} (new numbers).")
    else:
        report.append(f"{_shown(dest)} is a fresh copy of the exercise.")
    return report
