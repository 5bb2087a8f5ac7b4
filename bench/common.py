"""Helpers shared by the benchmark sections: paths, the subprocess environment, timing, results."""

from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PY = sys.executable


def log(message: str) -> None:
    """Progress on stderr (the report itself goes to BENCHMARKS.md)."""
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def base_env(**extra: str) -> dict[str, str]:
    """The environment `make` gives the kit's commands: the venv's bin first on PATH (nbgrader
    runs `alembic` as a subprocess), Jupyter's state kept out of ~/.jupyter."""
    env = dict(os.environ)
    env["PATH"] = str(BIN) + os.pathsep + env.get("PATH", "")
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    env.setdefault("JUPYTER_CONFIG_DIR", str(Path(sys.prefix) / "etc" / "jupyter-user"))
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # the debugger's start-up warning
    env.update(extra)
    return env


def apply_base_env() -> None:
    """The same environment for what this process starts itself (kernels, nbclient)."""
    os.environ.update(base_env())


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


class Failed(Exception):
    """An item of a section that could not be measured; its message goes into the table."""


@dataclass
class Timed:
    wall: float  # seconds
    cpu: float  # user + system seconds of the command and every process it started and waited for
    proc: subprocess.CompletedProcess


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_timed(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float = 900) -> Timed:
    """Wall and CPU time of one subprocess; raises Failed (with the tail of its output) if it fails."""
    cpu0 = _children_cpu()
    started = time.perf_counter()
    try:
        proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        raise Failed(f"`{' '.join(Path(c).name if i == 0 else c for i, c in enumerate(cmd))}` "
                     f"timed out after {timeout:.0f} s") from None
    wall = time.perf_counter() - started
    if proc.returncode != 0:
        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
        raise Failed(f"exit {proc.returncode}: {tail[:300]}")
    return Timed(wall, _children_cpu() - cpu0, proc)


def short_error(exc: BaseException) -> str:
    if isinstance(exc, Failed):
        return str(exc)
    text = f"{type(exc).__name__}: {exc}".strip()
    return " ".join(text.split())[:300]


def guarded(what: str, fn: Callable[[], Any], errors: list[str]) -> Any:
    """Run one item; on any failure record it and return None instead of stopping the bench."""
    try:
        return fn()
    except KeyboardInterrupt:
        raise
    except BaseException as exc:  # noqa: BLE001 - a failing item is reported, never a crash
        log(f"FAILED {what}: {short_error(exc)}")
        if os.environ.get("BENCH_DEBUG"):
            traceback.print_exc()
        errors.append(f"{what}: {short_error(exc)}")
        return None


@dataclass
class Section:
    """One section's measurements, rendered by bench/report.py."""

    key: str
    title: str
    data: dict[str, Any] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0
