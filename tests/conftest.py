"""Shared fixtures: a private grading folder per test, and the kit's CLI run as a learner runs it."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def empty_gradebook(tmp_path_factory) -> Path:
    """An empty gradebook made by nbgrader itself, once per test process. Creating one costs
    nbgrader an `alembic heads` subprocess (seconds of CPU); copying it costs nothing."""
    from autograder import nbgrader_setup, paths

    nbgrader_setup._ensure_venv_on_path()
    from nbgrader.api import Gradebook

    layout = paths.GradingLayout(tmp_path_factory.mktemp("empty-gradebook"))
    with Gradebook(layout.gradebook_url):
        pass
    return layout.gradebook


@pytest.fixture
def grading_dir(tmp_path, monkeypatch, empty_gradebook) -> Path:
    """A private grading folder (gradebook, feedback) so tests never touch the learner's. It
    starts with nbgrader's empty gradebook in place, as after a learner's first grading; the
    creation of a gradebook from nothing is tested with `new_grading_dir`."""
    folder = tmp_path / "grading"
    folder.mkdir()
    shutil.copy(empty_gradebook, folder / "gradebook.db")
    monkeypatch.setenv("KIT_GRADING_DIR", str(folder))
    return folder


@pytest.fixture
def new_grading_dir(tmp_path, monkeypatch) -> Path:
    """A grading folder that does not exist yet, as on a learner's first grading."""
    folder = tmp_path / "new grading"
    monkeypatch.setenv("KIT_GRADING_DIR", str(folder))
    return folder


def run_cli(*args: str, grading: Path, timeout: float = 600, env: dict | None = None,
            cwd: Path = ROOT) -> subprocess.CompletedProcess:
    full_env = dict(os.environ, KIT_GRADING_DIR=str(grading), **(env or {}))
    full_env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + full_env.get("PATH", "")
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=cwd, env=full_env,
                          capture_output=True, text=True, timeout=timeout)


def grade_json(*paths: str | Path, grading: Path, extra: tuple[str, ...] = ()) -> dict:
    proc = run_cli("grade", *map(str, paths), *extra, "--json", grading=grading)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
