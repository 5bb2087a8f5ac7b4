"""Maintainers: generate the student exercises (exercises/) from the nbgrader sources (solutions/).

nbgrader's `generate_assignment` strips the solutions and hidden parts. It runs into a temporary
folder with a temporary gradebook; the result is then copied into exercises/. An exercise that
differs from both the new version and the committed one has been edited (by a learner working in
this clone): it is backed up first, and the message says where.
"""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from autograder import backups, nbgrader_setup, paths, syllabus


def generate_to(staging: Path, modules: list[syllabus.Module],
                seeds: dict[str, int] | None = None) -> dict[str, Path]:
    """Generate the exercises of `modules` under `staging`; returns module id -> notebook path.
    A quiz is generated with answer stubs that leave the names undefined, and gets the seed
    `seeds[quiz id]` (default: a new random one) rendered in (autograder/quiz/notebook.py)."""
    from autograder.quiz import notebook as quiz_notebook

    seeds = seeds or {}
    apis = {}
    out = {}
    for m in modules:
        stub = quiz_notebook.CODE_STUB if m.is_quiz else None
        if stub not in apis:
            folder = "state-quiz" if m.is_quiz else "state"
            apis[stub] = nbgrader_setup.api(staging / folder, release=staging / "release", code_stub=stub)
        nbgrader_setup.require_success(apis[stub].generate_assignment(m.id, force=True, create=True),
                           f"generate the exercise of {m.id}")
        out[m.id] = staging / "release" / m.id / f"{m.id}.ipynb"
        if m.is_quiz:
            seed = seeds.get(m.id)
            seed = quiz_notebook.new_seed() if seed is None else seed
            out[m.id].write_bytes(quiz_notebook.seeded_bytes(out[m.id].read_bytes(), m, seed))
    return out


def _current_seed(path: Path) -> int | None:
    """The quiz seed of the exercise at `path` (None if there is none or it cannot be read)."""
    import json

    from autograder.quiz import notebook as quiz_notebook

    try:
        return quiz_notebook.seed_of(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError):
        return None


def _committed(path: Path) -> bytes | None:
    rel = path.relative_to(paths.ROOT).as_posix()
    try:
        return subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=paths.ROOT, capture_output=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def generate(module_ids: list[str] | None = None) -> list[str]:
    syl = syllabus.load()
    # Without names: every module, and every quiz whose source notebook is written
    # (`python -m autograder.quiz build` writes it from the bank).
    modules = ([syl.module(i) for i in module_ids] if module_ids else
               [m for m in syl.assignments if m.kind != "project" and (not m.is_quiz or m.solution_path.exists())])
    # A quiz keeps the seed of its exercise, so regenerating changes only what the source changed.
    seeds = {m.id: s for m in modules if m.is_quiz and (s := _current_seed(m.exercise_path)) is not None}
    report = []
    with tempfile.TemporaryDirectory() as tmp:
        for module_id, new_path in generate_to(Path(tmp), modules, seeds).items():
            dest = syl.module(module_id).exercise_path
            new = new_path.read_bytes()
            if dest.exists():
                old = dest.read_bytes()
                if old == new:
                    report.append(f"{module_id}: unchanged")
                    continue
                committed = _committed(dest)
                if committed is not None and old != committed:  # edited since the last commit
                    saved = backups.backup(dest, module_id)
                    report.append(f"{module_id}: your edited exercise was backed up to "
                                  f"{saved.relative_to(paths.ROOT)}")
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_bytes(new)
            report.append(f"{module_id}: wrote {dest.relative_to(paths.ROOT)}")
    return report
