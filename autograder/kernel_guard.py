"""Limits for the kernels that run a learner's notebook during grading (never in JupyterLab).

Imported at kernel start (`--IPKernelApp.exec_lines`), it
- caps the address space, so a runaway allocation raises MemoryError in that cell instead of
  taking the machine (and the grader) down;
- caps each cell's printed output, so printing megabytes cannot fill the grader's memory or the
  feedback report;
- silences libraries' deprecation warnings, which would otherwise cost a check its points.
"""

from __future__ import annotations

import os
import resource
import sys

OUTPUT_LIMIT = int(os.environ.get("KIT_OUTPUT_LIMIT", 200_000))  # characters per cell


def _memory_limit_bytes() -> int:
    if os.environ.get("KIT_KERNEL_MEMORY_MB"):
        return int(os.environ["KIT_KERNEL_MEMORY_MB"]) * 2**20
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    try:  # a container's own limit (Binder) is smaller than the host's memory
        cgroup = open("/sys/fs/cgroup/memory.max").read().strip()
        if cgroup.isdigit():
            total = min(total, int(cgroup))
    except OSError:
        pass
    # Address space is more than resident memory (thread stacks, BLAS buffers): leave headroom.
    return max(int(total * 0.75), 3 * 2**30)


def limit_memory() -> int:
    limit = _memory_limit_bytes()
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    return limit


class _CappedStream:
    """Forwards writes until the cell has printed OUTPUT_LIMIT characters, then says so once."""

    def __init__(self, stream, budget):
        self._stream = stream
        self._budget = budget

    def write(self, text):
        left = self._budget["left"]
        if left <= 0:
            return len(text)
        if len(text) > left:
            self._stream.write(text[:left] + f"\n... output truncated by the grader: this cell "
                               f"printed more than {OUTPUT_LIMIT:,} characters ...\n")
            self._budget["left"] = 0
            return len(text)
        self._budget["left"] = left - len(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def cap_output() -> None:
    budget = {"left": OUTPUT_LIMIT}
    out, err = sys.stdout, sys.stderr
    sys.stdout = _CappedStream(out, budget)
    sys.stderr = _CappedStream(err, budget)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        shell = None
    if shell is not None:
        def reset(*_args):
            budget["left"] = OUTPUT_LIMIT
        shell.events.register("pre_run_cell", reset)


def quiet_library_warnings() -> None:
    """Deprecation notices from libraries are not the learner's doing, and nbgrader scores any
    stderr in a check cell as a failure: keep them out of graded runs."""
    import warnings

    for category in (DeprecationWarning, PendingDeprecationWarning, FutureWarning):
        warnings.filterwarnings("ignore", category=category)


# scikit-learn's OpenMP and numpy's BLAS threads wait for a free core on a busy machine (10-100x slower small fits);
# graded notebooks use small data, one thread is fastest. Set before any learner import.
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
limit_memory()
cap_output()
quiet_library_warnings()
