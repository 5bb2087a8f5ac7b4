"""What the figures were measured on: CPU, cores, memory, OS, Python, key packages, BLAS, commit."""

from __future__ import annotations

import os
import platform
import subprocess
from importlib import metadata

from bench.common import ROOT

PACKAGES = ["numpy", "scipy", "scikit-learn", "pandas", "matplotlib", "nbgrader", "nbclient", "nbconvert",
            "jupyter_client", "ipykernel", "jupyterlab"]


def _proc_field(path: str, name: str) -> str | None:
    try:
        for line in open(path, encoding="utf-8"):
            if line.startswith(name):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def _blas() -> str:
    try:
        from threadpoolctl import threadpool_info

        import numpy  # noqa: F401 - loads its BLAS so threadpoolctl sees it

        parts = []
        for info in threadpool_info():
            if info.get("user_api") == "blas":
                parts.append(f"{info.get('internal_api')} {info.get('version') or ''} "
                             f"({info.get('architecture') or '?'}), {info.get('num_threads')} threads")
        return "; ".join(dict.fromkeys(parts)) or "unknown"
    except Exception:  # noqa: BLE001
        return "unknown"


def _git(*args: str) -> str | None:
    # Read-only queries; GIT_OPTIONAL_LOCKS=0 keeps `git status` from refreshing the index.
    try:
        out = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=30,
                             env=dict(os.environ, GIT_OPTIONAL_LOCKS="0"))
        return out.stdout.strip() if out.returncode == 0 else None
    except (OSError, subprocess.TimeoutExpired):
        return None


def load_average() -> tuple[float, float, float]:
    try:
        return os.getloadavg()
    except OSError:
        return (float("nan"),) * 3


def info() -> dict:
    versions = {}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    commit = _git("rev-parse", "--short", "HEAD")
    status = _git("status", "--porcelain", "--untracked-files=all")
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "memory_gib": int(mem.split()[0]) / 2**20 if (mem := _proc_field("/proc/meminfo", "MemTotal")) else None,
        "os": platform.platform(),
        "python": f"{platform.python_version()} ({platform.python_implementation()})",
        "packages": versions,
        "blas": _blas(),
        "commit": commit,
        "changed_files": len(status.splitlines()) if status is not None else None,
    }
