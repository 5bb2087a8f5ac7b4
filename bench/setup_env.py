"""Setup: the time and disk size of a fresh `make lab` environment.

As the Makefile's first run does: a virtual environment made with Python 3.11+ (the first of
python3.11, python3.12, python3.13, python3 on PATH, as `make` picks it), `pip install -r
requirements-dev.txt`, `pip install --no-deps -e .` and `python -m autograder setup-jupyter`.
It is built in a temporary folder from a copy of the files the install reads, so the working tree
(its egg-info included) is not touched. pip runs with this machine's own configuration and cache;
the report says how many packages came from pip's cache or a local file index and how many were
downloaded.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Section, guarded, log, run_timed

COPIED = ["pyproject.toml", "requirements.txt", "requirements-dev.txt", "autograder", "README.md"]


def _env() -> dict[str, str]:
    env = dict(os.environ)
    venv_bin = str(Path(sys.prefix) / "bin")
    # The bench's own venv must not leak into the new one: drop it from PATH and VIRTUAL_ENV.
    env["PATH"] = os.pathsep.join(p for p in env.get("PATH", "").split(os.pathsep) if p != venv_bin)
    env.pop("VIRTUAL_ENV", None)
    env.pop("PYTHONPATH", None)
    return env


def find_python() -> str | None:
    """As the Makefile picks it, but on a PATH without the kit's own venv (a fresh clone has none)."""
    search = _env()["PATH"]
    for name in ("python3.11", "python3.12", "python3.13", "python3"):
        path = shutil.which(name, path=search)
        if path and subprocess.run([path, "-c", "import sys; sys.exit(sys.version_info < (3, 11))"],
                                   capture_output=True).returncode == 0:
            return path
    return None


def _step(cmd: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, str]:
    t = run_timed(cmd, cwd=cwd, env=env, timeout=1800)
    return t.wall, t.proc.stdout + t.proc.stderr


def _du_mb(path: Path) -> float:
    out = subprocess.run(["du", "-s", "-k", str(path)], capture_output=True, text=True, check=True).stdout
    return int(out.split()[0]) / 1024


def _largest(venv: Path, n: int = 8) -> list[tuple[str, float]]:
    """The biggest folders in the new environment's site-packages (what the disk size is made of)."""
    site = next(venv.glob("lib/python3*/site-packages"), None)
    if site is None:
        return []
    sizes = []
    for entry in site.iterdir():
        if entry.is_dir() and not entry.name.endswith((".dist-info", ".egg-info")) and entry.name != "__pycache__":
            sizes.append((entry.name, _du_mb(entry)))
    return sorted(sizes, key=lambda x: -x[1])[:n]


def _measure(python: str) -> dict:
    with tempfile.TemporaryDirectory(prefix="bench-setup-") as tmp:
        cache = Path.home() / ".cache" / "pip"
        cache_mb = _du_mb(cache) if cache.exists() else 0.0
        kit = Path(tmp) / "kit"
        kit.mkdir()
        for name in COPIED:
            src = ROOT / name
            if src.is_dir():
                shutil.copytree(src, kit / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
            elif src.exists():
                shutil.copy2(src, kit / name)
        env = _env()
        venv = kit / ".venv"
        py = str(venv / "bin" / "python")
        steps = {}
        started = time.perf_counter()
        steps["python -m venv"], _ = _step([python, "-m", "venv", str(venv)], kit, env)
        steps["pip install -r requirements-dev.txt"], pip_log = _step(
            [py, "-m", "pip", "install", "--disable-pip-version-check", "-r", "requirements-dev.txt"], kit, env)
        steps["pip install --no-deps -e ."], _ = _step(
            [py, "-m", "pip", "install", "--disable-pip-version-check", "--no-deps", "-e", "."], kit, env)
        steps["python -m autograder setup-jupyter"], _ = _step([py, "-m", "autograder", "setup-jupyter"], kit, env)
        total = time.perf_counter() - started
        version = subprocess.run([py, "--version"], capture_output=True, text=True).stdout.strip()
        size = _du_mb(venv)
        done = re.search(r"^Successfully installed (.*)$", pip_log, re.M)
        installed = len(done.group(1).split()) if done else 0
        downloaded = len(re.findall(r"^\s*Downloading \S+", pip_log, re.M))
        cached = len(re.findall(r"^\s*Using cached ", pip_log, re.M))
        local = len(re.findall(r"^\s*Processing /", pip_log, re.M))
        largest = _largest(venv)
        return {"python": f"{python} ({version})", "steps": steps, "total_s": total, "venv_mb": size,
                "packages": installed, "downloaded": downloaded, "pip_cache_mb": cache_mb, "cached": cached, "local_files": local,
                "largest": largest}


def run() -> Section:
    section = Section("setup", "Setup: a fresh `make lab` environment")
    python = find_python()
    if python is None:
        section.errors.append("no Python 3.11 or newer on PATH")
        return section
    log(f"setup: a fresh environment with {python} (a minute or more)")
    got = guarded("fresh environment", lambda: _measure(python), section.errors)
    section.data = got or {}
    return section
