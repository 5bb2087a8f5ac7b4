"""Shared fixtures: a private grading folder per test, and the kit's CLI run as a learner runs it."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def grading_dir(tmp_path, monkeypatch) -> Path:
    """A private grading folder (gradebook, feedback) so tests never touch the learner's."""
    folder = tmp_path / "grading"
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
