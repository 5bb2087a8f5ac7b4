"""Every notebook of the syllabus executed headless: wall time and the kernel's peak memory.

Each notebook runs with nbclient in this process, in its own folder, as JupyterLab would run it
(the kernel's default inline plotting backend, so figures are rendered as in the browser). The
wall time includes starting and stopping the kernel. A final extra cell reads the kernel's peak
resident memory (VmHWM, see _PROBE).
"""

from __future__ import annotations

import os
import subprocess
import tempfile
import time
from pathlib import Path

from bench.common import ROOT, Failed, Section, apply_base_env, guarded, log

TARGET_S = 30.0
TARGET_MB = 1024.0
# The kernel's peak resident memory: VmHWM of its own address space. (ru_maxrss is not used: on
# Linux it keeps, across the exec that starts the kernel, the size of the bench that forked it.)
_PROBE = ("for line in open('/proc/self/status'):\n"
          "    if line.startswith('VmHWM:'):\n"
          "        print('__bench__' + line.split()[1])")


def notebooks(modules, quick: bool, projects=(), pages: bool = True) -> list[tuple[str, Path, str]]:
    """(kind, path, where it runs) of every notebook of the syllabus: each module's lessons, its
    solution notebook and its quiz's; each project's lessons (in a temporary folder, as
    tests/test_capstone.py runs them: they write files) and its solution (in a copy of its folder:
    it rebuilds the model it saves there); the start page and the maths refresher. `--quick`: a
    module's first lesson, and two modules' solutions only."""
    from autograder import syllabus

    syl = syllabus.load()
    out: list[tuple[str, Path, str]] = []
    for module in modules:
        lessons = list(module.lessons)[:1] if quick else list(module.lessons)
        out += [("lesson", lesson.path, "here") for lesson in lessons]
        if not quick or module.id in ("c1w1", "c2w2"):
            out.append(("solution", module.solution_path, "here"))
            quiz = syl.quiz_of(module.id)
            if quiz is not None and quiz.solution_path.exists():
                out.append(("quiz", quiz.solution_path, "here"))
    for project in projects:
        lessons = list(project.lessons)[:1] if quick else list(project.lessons)
        out += [("project lesson", lesson.path, "tmp") for lesson in lessons]
        if not quick and project.solution_path.exists():
            out.append(("project solution", project.solution_path, "copy"))
    if pages and not quick:
        for kind, name in (("start page", "start.ipynb"), ("maths refresher", "maths-refresher.ipynb")):
            if (ROOT / "course" / name).exists():
                out.append((kind, ROOT / "course" / name, "here"))
    return out


def _run_one(path: Path, where: str, tmp: Path) -> dict:
    import shutil

    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(_PROBE))
    folder = path.parent
    if where != "here":
        folder = Path(tempfile.mkdtemp(prefix="nb-", dir=tmp))
        if where == "copy":
            folder = Path(shutil.copytree(path.parent, folder / path.parent.name))
    client = NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}})
    started = time.perf_counter()
    client.execute(stderr=subprocess.DEVNULL)  # raises CellExecutionError naming the failing cell
    wall = time.perf_counter() - started
    rss = None
    for output in nb.cells[-1].get("outputs", []):
        if "__bench__" in output.get("text", ""):
            rss = int(output["text"].split("__bench__", 1)[1].split()[0]) / 1024
    if rss is None:
        raise Failed("the memory probe cell printed nothing")
    cells = []
    for cell in nb.cells[:-1]:  # the notebook's own cells: their execution time, from nbclient's timing
        meta = cell.get("metadata", {}).get("execution", {})
        if "iopub.execute_input" in meta and "shell.execute_reply" in meta:
            from datetime import datetime

            t0 = datetime.fromisoformat(meta["iopub.execute_input"].replace("Z", "+00:00"))
            t1 = datetime.fromisoformat(meta["shell.execute_reply"].replace("Z", "+00:00"))
            cells.append((t1 - t0).total_seconds())
    return {"wall_s": wall, "cells_s": sum(cells), "slowest_cell_s": max(cells, default=0.0), "peak_mb": rss,
            "met": wall < TARGET_S and rss < TARGET_MB}


def run(modules, quick: bool, projects=(), pages: bool = True) -> Section:
    section = Section("notebooks", "Every notebook, executed headless")
    apply_base_env()
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-nb-") as tmp:
        saved = os.environ.get("KIT_GRADING_DIR")
        os.environ["KIT_GRADING_DIR"] = str(Path(tmp) / "grading")  # the start page reads progress from here
        try:
            for kind, path, where in notebooks(modules, quick, projects, pages):
                rel = str(path.relative_to(ROOT))
                log(f"notebook {rel}")
                row = {"kind": kind, "notebook": rel}
                got = guarded(f"notebook {rel}", lambda p=path, w=where: _run_one(p, w, Path(tmp)), section.errors)
                if got is None:
                    row["error"] = section.errors[-1].split(": ", 1)[-1]
                else:
                    row.update(got)
                rows.append(row)
        finally:
            if saved is None:
                os.environ.pop("KIT_GRADING_DIR", None)
            else:
                os.environ["KIT_GRADING_DIR"] = saved
    section.data = {"rows": rows, "target_s": TARGET_S, "target_mb": TARGET_MB}
    return section
