"""The reference solution of one graded function, shown only when the learner asks for it.

In an exercise notebook:

    from autograder.reveal import show_solution
    show_solution("compute_cost")            # the module is found from the notebook
    show_solution("compute_cost", "c1w2")    # or said explicitly

It prints a reminder to try the hints first, then the function as written in the exercise's
source (`solutions/<module>/<module>.ipynb`), and records the view in the grading history
(`make progress` then says "solved after viewing the solution" for that function). It asks
nothing: calling it is the explicit request.

A call made while the grader runs the notebook (nbgrader's kernels and the clean re-check's
replay kernel both import `autograder.kernel_guard` at start) prints the same but records
nothing: only the learner's own request counts as a view.
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path

from autograder import history, paths, syllabus
from autograder.cells import grade_id, source
from autograder.errors import KitError

TRY_HINTS_FIRST = (
    "Have you tried the hints above the function first? Each one climbs a step closer to the code, "
    "and working it out yourself is what makes it stick. This view is recorded in your history, and "
    "`make progress` shows it."
)

_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")


@dataclass(frozen=True)
class Solution:
    module: str
    function: str
    code: str


def in_grading_kernel() -> bool:
    """True inside the grader's kernels: they import autograder.kernel_guard at start, a
    learner's JupyterLab kernel never does."""
    return "autograder.kernel_guard" in sys.modules


def _modules_defining(function: str) -> list[str]:
    return [m.id for m in syllabus.load().modules if function in {f.name for f in m.functions}]


def _module_of_notebook() -> str | None:
    """The module of the notebook this kernel runs, if it can be told: from the notebook file
    Jupyter names (its `kit.module` metadata, or its folder), else from the kernel's folder."""
    ids = set(syllabus.load().module_ids)
    candidates = [os.environ.get("JPY_SESSION_NAME")]
    try:
        from IPython import get_ipython

        shell = get_ipython()
        if shell is not None:
            candidates.append(shell.user_ns.get("__session__"))
    except ImportError:
        pass
    for name in filter(None, candidates):
        path = Path(name)
        if path.suffix == ".ipynb" and path.is_file():
            try:
                module = json.loads(path.read_text(encoding="utf-8"))["metadata"]["kit"]["module"]
            except (OSError, ValueError, KeyError, TypeError):
                module = None
            if module in ids:
                return module
        if path.parent.name in ids:
            return path.parent.name
    cwd = Path.cwd().name
    return cwd if cwd in ids else None


def find(function: str, module: str | None = None) -> Solution:
    """The reference solution of `function` (in `module`, or the one module that can be meant)."""
    owners = _modules_defining(function)
    if module is not None:
        m = syllabus.load().module(module)  # explains an unknown module id
        if function not in {f.name for f in m.functions}:
            raise KitError(f"Module {module} has no graded function {function!r}; its functions are: "
                           f"{', '.join(f.name for f in m.functions)}.")
    elif not owners:
        raise KitError(f"No module has a graded function {function!r}. Check the spelling: the name "
                       "is the one after `def` in the exercise.")
    elif len(owners) == 1:
        module = owners[0]
    else:
        here = _module_of_notebook()
        if here not in owners:
            raise KitError(f"{function!r} is a graded function of several modules ({', '.join(owners)}) "
                           f"and this notebook's module could not be told; say which, for example "
                           f"show_solution({function!r}, {owners[0]!r}).")
        module = here
    m = syllabus.load().module(module)
    nb = json.loads(m.solution_path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if grade_id(cell) == function:
            lines = [line for line in source(cell).splitlines() if line.strip() not in _MARKERS]
            return Solution(module=module, function=function, code="\n".join(lines).rstrip() + "\n")
    raise KitError(f"The solution cell of {function} is missing from {m.solution_path}.")


def show_solution(function: str, module: str | None = None) -> None:
    """Print the reference solution of one graded function and record the view (see the module's
    docstring). Returns nothing, so that a notebook shows the printout only."""
    solution = find(function, module)
    recorded = not in_grading_kernel()
    if recorded:
        history.record_view(paths.grading_dir(), history.SolutionView(
            module=solution.module, function=solution.function, viewed_at=history.now()))
    print(TRY_HINTS_FIRST)
    print()
    print(f"The reference solution of {solution.function} ({solution.module}):")
    print()
    print(solution.code, end="")
