"""How the kit drives nbgrader: one configuration, and nbgrader's Python API used in-process.

nbgrader expects one course folder with `source/`, `release/`, `submitted/`, `autograded/`,
`feedback/` and a gradebook. The kit maps them so that the learner's folders are never written:
`source` is `solutions/`; everything nbgrader writes while grading (its own release copy,
submitted and autograded copies, feedback, the gradebook) lives in the git-ignored grading
folder. Only the maintainers' `make exercises` releases into `exercises/`.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from traitlets.config import Config

from autograder import paths

STUDENT = "learner"
# Seconds one cell may run before nbgrader interrupts it and scores it 0. A correct solution of
# any exercise runs in well under a second; the final training cells in a few seconds.
DEFAULT_CELL_TIMEOUT = 60


KERNEL_ARGUMENTS = ["--HistoryManager.hist_file=:memory:", "--IPKernelApp.log_level=40",
                    "--IPKernelApp.exec_lines=import autograder.kernel_guard"]


def cell_timeout() -> int:
    return int(os.environ.get("KIT_CELL_TIMEOUT", DEFAULT_CELL_TIMEOUT))


def _ensure_venv_on_path() -> None:
    # nbgrader runs `alembic` as a subprocess when it creates a gradebook; it must find the one
    # installed beside this Python, or it fails and leaves a broken database.
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def config(grading: Path, release: Path | None = None, code_stub: str | None = None,
           db_url: str | None = None) -> Config:
    """nbgrader configuration whose state lives in `grading` (release copy there too unless
    `release` names another folder). `code_stub` replaces nbgrader's `raise NotImplementedError()`
    in the generated solution cells (quizzes: a comment, so the answer name stays undefined).
    `db_url` is the gradebook's SQLAlchemy URL (cohort mode: Postgres); by default the SQLite file
    in the grading folder."""
    layout = paths.GradingLayout(grading)
    c = Config()
    c.CourseDirectory.root = str(paths.ROOT)
    c.CourseDirectory.source_directory = str(paths.SOLUTIONS)
    c.CourseDirectory.release_directory = str(release or layout.release)
    c.CourseDirectory.submitted_directory = str(layout.submitted_dir)
    c.CourseDirectory.autograded_directory = str(layout.autograded_dir)
    c.CourseDirectory.feedback_directory = str(layout.feedback_dir)
    c.CourseDirectory.db_url = db_url or layout.gradebook_url
    c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback"]
    c.Execute.timeout = cell_timeout()
    c.Execute.interrupt_on_timeout = True
    # Quiet kernels: the kernel's own start-up warnings are not the learner's business.
    # kernel_guard caps the kernel's memory and printed output (see autograder/kernel_guard.py).
    c.Execute.extra_arguments = KERNEL_ARGUMENTS
    # A deleted check cell is restored from the source and run.
    if code_stub is not None:
        c.ClearSolutions.code_stub = {"python": code_stub}
    c.OverwriteCells.add_missing_cells = True
    c.OverwriteCells.missing_cell_notification = (
        "This check cell was missing from your notebook; the grader restored it.\n\n"
    )
    return c


def defer_iri_grammar() -> None:
    """Importing nbgrader imports nbformat, whose jsonschema imports rfc3987-syntax, which builds
    its IRI grammar (some 35 Earley parsers) on import: 1.3 s of CPU in every grading process, for
    a format no notebook schema uses (python-jsonschema/jsonschema#1428). Until something checks
    an IRI, a stand-in takes the package's place; its first check loads the real grammar, so
    jsonschema's "iri" and "iri-reference" checks answer exactly as before."""
    import importlib.util
    import types

    if "rfc3987_syntax" in sys.modules or "jsonschema" in sys.modules:
        return
    spec = importlib.util.find_spec("rfc3987_syntax")
    if spec is None or not spec.submodule_search_locations:
        return
    stand_in = types.ModuleType("rfc3987_syntax", "rfc3987-syntax, loaded on its first IRI check")
    stand_in.__path__ = list(spec.submodule_search_locations)  # its submodules import as usual

    def is_valid_syntax(term: str, value: str) -> bool:
        from rfc3987_syntax import syntax_helpers

        return syntax_helpers.is_valid_syntax(term, value)

    stand_in.is_valid_syntax = is_valid_syntax
    sys.modules["rfc3987_syntax"] = stand_in


def api(grading: Path, release: Path | None = None, code_stub: str | None = None,
        db_url: str | None = None):
    """An `NbGraderAPI` bound to the configuration above (imported late: nbgrader is slow to import).
    Its gradebook URL is `api.coursedir.db_url`."""
    _ensure_venv_on_path()
    defer_iri_grammar()
    import warnings

    from sqlalchemy.exc import SAWarning

    # nbgrader's own session handling warns on every autograde; nothing the learner can act on.
    warnings.filterwarnings("ignore", category=SAWarning)
    warnings.filterwarnings("ignore", module="nbformat")  # e.g. a cell without an id: harmless
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    grading.mkdir(parents=True, exist_ok=True)
    cfg = config(grading, release, code_stub, db_url)
    coursedir = CourseDirectory(config=cfg)
    return NbGraderAPI(coursedir=coursedir, config=cfg)


def require_success(step_result: dict, what: str) -> None:
    """Raise with nbgrader's own log when one of its steps failed."""
    if not step_result.get("success"):
        from autograder.errors import KitError

        log = (step_result.get("log") or "") + (step_result.get("error") or "")
        cause = failure_cause(log)
        lines = log.strip().splitlines()
        # nbgrader logs the traceback of what failed first, then its own summary and bookkeeping.
        first = next((i for i, line in enumerate(lines) if "Traceback (most recent call last)" in line), None)
        shown = lines[-12:] if first is None or first >= len(lines) - 12 else lines[first:first + 30] + ["..."] + lines[-6:]
        tail = "\n".join(shown)
        raise KitError(f"nbgrader could not {what}{f' ({cause})' if cause else ''}. "
                       f"Its messages were:\n{tail}")


# The last line of a traceback: "sqlalchemy.exc.IntegrityError: ...", "KeyError: 'x'".
_EXCEPTION_LINE = re.compile(r"^(?:[A-Za-z_][\w.]*\.)?[A-Z]\w*(?:Error|Exception|Exit|Interrupt)\b.*$")


def failure_cause(log: str) -> str:
    """What went wrong, in one line, from nbgrader's log: the last traceback's exception, else
    its last ERROR line that is not bookkeeping. nbgrader's log ends with "Removing failed
    assignment: <folder>", which says nothing of why (and, cut short, even less)."""
    lines = [line.strip() for line in log.splitlines() if line.strip()]
    for line in reversed(lines):
        # nbgrader's own closing exception only points at "the above traceback"
        if _EXCEPTION_LINE.match(line) and "NbGraderException" not in line:
            return line
    for line in reversed(lines):
        if "ERROR" in line and "Removing failed assignment" not in line \
                and "There was an error processing assignment" not in line:
            return line.split("]", 1)[-1].strip()
    return ""
