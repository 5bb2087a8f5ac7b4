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


def generate_to(staging: Path, modules: list[syllabus.Module]) -> dict[str, Path]:
    """Generate the exercises of `modules` under `staging`; returns module id -> notebook path."""
    api = nbgrader_setup.api(staging / "state", release=staging / "release")
    out = {}
    for m in modules:
        nbgrader_setup.require_success(api.generate_assignment(m.id, force=True, create=True),
                           f"generate the exercise of {m.id}")
        out[m.id] = staging / "release" / m.id / f"{m.id}.ipynb"
    return out


def _committed(path: Path) -> bytes | None:
    rel = path.relative_to(paths.ROOT).as_posix()
    try:
        return subprocess.run(["git", "show", f"HEAD:{rel}"], cwd=paths.ROOT, capture_output=True,
                              check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return None


def generate(module_ids: list[str] | None = None) -> list[str]:
    syl = syllabus.load()
    modules = [syl.module(i) for i in module_ids] if module_ids else list(syl.modules)
    report = []
    with tempfile.TemporaryDirectory() as tmp:
        for module_id, new_path in generate_to(Path(tmp), modules).items():
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
