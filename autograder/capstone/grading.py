"""Grading the capstone: the learner's whole folder (notebook, app.py, tests, model.skops) is read
once, copied into the grading folder like a notebook, and checked there; the learner's folder is
never changed. The result is a `grading.NotebookResult`, so the table, the JSON, the history and
progress show it like every module's.

    python -m autograder grade capstone            (or: exercises/capstone, or any such folder)
"""

from __future__ import annotations

import base64
import html
import json
import shutil
from pathlib import Path

from autograder import paths
from autograder.errors import KitError

MODULE_ID = "capstone"
NOTEBOOK = f"{MODULE_ID}.ipynb"
_SKIPPED_DIRS = {".ipynb_checkpoints", "__pycache__", ".pytest_cache", ".git", ".venv"}
_MAX_BYTES = 50 * 1024 * 1024


def is_capstone_folder(path: Path) -> bool:
    return path.is_dir() and (path / NOTEBOOK).exists()


def folder_files(folder: Path) -> dict[str, bytes]:
    """The folder's files by relative path (caches and checkpoints left out), read once."""
    out: dict[str, bytes] = {}
    total = 0
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder)
        if any(part in _SKIPPED_DIRS for part in rel.parts) or not path.is_file():
            continue
        content = path.read_bytes()
        total += len(content)
        if total > _MAX_BYTES:
            raise KitError(f"The capstone folder {folder} holds more than {_MAX_BYTES // 2**20} MB; "
                           "the kit grades the notebook, app.py, tests/ and model.skops. Move large "
                           "files out of it. Nothing was graded or written.")
        out[rel.as_posix()] = content
    return out


def bundle(folder: Path) -> bytes:
    """The folder as one JSON document (what the history hashes, and what is copied)."""
    files = folder_files(folder)
    return json.dumps({name: base64.b64encode(content).decode() for name, content in files.items()},
                      sort_keys=True).encode()


def unpack(data: bytes, into: Path) -> None:
    if into.exists():
        shutil.rmtree(into)
    for name, encoded in json.loads(data).items():
        target = into / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(encoded))


def module():
    """The capstone's syllabus entry (course/capstone/module.toml), listed in the syllabus or not."""
    from autograder import syllabus

    syl = syllabus.load()
    if MODULE_ID in syl.assignment_ids:
        return syl.module(MODULE_ID)
    return syllabus._load_module(MODULE_ID, MODULE_ID)


def is_target(target: str) -> bool:
    """`capstone`, a capstone folder, or the capstone notebook inside one."""
    if target == MODULE_ID:
        return True
    path = Path(target).expanduser()
    return is_capstone_folder(path) or (path.name == NOTEBOOK and is_capstone_folder(path.parent))


def resolve_folder(target: str | Path):
    """A Submission for a capstone folder (or its notebook's path; `capstone`: exercises/capstone)."""
    from autograder.submission import Submission

    path = paths.EXERCISES / MODULE_ID if str(target) == MODULE_ID else Path(target).expanduser()
    folder = path.parent if path.suffix == ".ipynb" else path
    if not is_capstone_folder(folder):
        raise KitError(f"'{path}' is not a capstone folder: it has no {NOTEBOOK}. Grade the folder "
                       "exercises/capstone (or `make grade MODULE=capstone`).")
    return Submission(module=module(), path=folder.resolve(), data=bundle(folder))


def copy_folder(grading: Path) -> Path:
    from autograder.nbgrader_setup import STUDENT

    return paths.GradingLayout(grading).submitted_dir / STUDENT / MODULE_ID


def grade_one(sub, grading: Path):
    """Grade one capstone submission in the grading folder (the lock is held by the caller)."""
    from autograder.capstone import data
    from autograder.checks import capstone as checks
    from autograder.grading import NotebookResult, TestResult

    copy = copy_folder(grading)
    unpack(sub.data, copy)
    found = checks.run_all(copy, data.evaluations())
    tests = []
    for f in sub.module.functions:
        r = found.get(f.name, checks.Result(False, "no such check"))
        tests.append(TestResult(f.test_id, float(f.points) if r.passed else 0.0, float(f.points),
                                r.passed, r.message))
    feedback = paths.GradingLayout(grading).feedback_dir / MODULE_ID / "capstone.html"
    result = NotebookResult(module=MODULE_ID, path=str(sub.path), score=sum(t.points for t in tests),
                            max_score=sum(t.max_points for t in tests), feedback=str(feedback), tests=tests,
                            notes=list(sub.notes))
    write_feedback(feedback, result)
    return result


def write_feedback(path: Path, result) -> None:
    rows = "".join(
        f"<tr><td><code>{html.escape(t.grade_id)}</code></td><td>{t.points:g} / {t.max_points:g}</td>"
        f"<td>{'passed' if t.passed else 'failed'}</td><td>{html.escape(t.message)}</td></tr>"
        for t in result.tests)
    page = (f"<!doctype html><meta charset='utf-8'><title>capstone feedback</title>"
            f"<h1>Capstone: {result.score:g} / {result.max_score:g}</h1>"
            f"<p>Graded folder: <code>{html.escape(result.path)}</code></p>"
            f"<table border='1' cellpadding='4'><tr><th>check</th><th>points</th><th></th><th>message</th></tr>"
            f"{rows}</table>")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")


def preview(folder: str | Path = ".") -> None:
    """Run every capstone check on a copy of the folder and print the verdicts; records nothing.
    (The test-score check reads the evaluations recorded so far.)"""
    import tempfile

    from autograder.capstone import data
    from autograder.checks import capstone as checks

    folder = Path(folder).resolve()
    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / MODULE_ID
        unpack(bundle(folder), copy)
        found = checks.run_all(copy, data.evaluations())
    for name, r in found.items():
        print(f"{'pass' if r.passed else 'FAIL'}  {name}: {r.message}")
    print(f"{sum(r.passed for r in found.values())} of {len(found)} checks pass "
          "(`make grade MODULE=capstone` grades and records them).")
