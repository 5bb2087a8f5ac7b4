"""What the learner reads after grading: one message per check, and notes about the notebook.

Everything here is read from notebooks (the learner's submitted copy, the course's source, and
nbgrader's autograded copy with its outputs); nothing is executed.
"""

from __future__ import annotations

import re

from autograder import syllabus
from autograder.cells import grade_id as _grade_id, source as _source

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def _join(text) -> str:
    return "".join(text) if isinstance(text, list) else (text or "")


def _error(cell: dict) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


def _first_line(source: str) -> str:
    lines = [l for l in source.strip().splitlines() if l.strip()]
    return (lines[0][:60] + ("…" if len(lines[0]) > 60 else "")) if lines else "(empty)"


def _explain_cell_error(err: dict) -> str:
    ename, evalue = err.get("ename", ""), _ANSI.sub("", err.get("evalue", ""))
    if ename in ("SyntaxError", "IndentationError", "TabError"):
        tb = _ANSI.sub("", "\n".join(err.get("traceback", [])))
        line = re.findall(r"line (\d+)", tb)
        where = f" on line {line[-1]}" if line else ""
        return (f"a {ename}{where} ({evalue}): Python could not read the cell, so nothing in it ran. "
                "Look at that line for a missing ':', bracket or quote, or wrong indentation.")
    if ename == "StdinNotImplementedError":
        return ("it asked for typed input (input() or getpass()), "
                "but nobody types while grading, so the cell stopped there. Put the value in the "
                "code instead (e.g. `name = \"Ada\"`), or remove the call.")
    if ename == "SystemExit":
        return "it called sys.exit() (or exit()), which stops the cell; remove that call."
    if ename == "KeyboardInterrupt":
        return "it was stopped (it ran past the grader's time limit)."
    if ename == "MemoryError":
        return ("it ran out of memory (MemoryError): it asked for more memory than the grader allows. "
                f"{evalue}".strip())
    return f"it raised {ename}: {evalue}" if evalue else f"it raised {ename}"


def check_message(module: syllabus.Module, check_name: str, autograded: dict, passed: bool,
                  timeout: int) -> str:
    """The diagnosis of one check cell, in words for the learner. `check_name` is the function's
    name for its values check, `function__rule` for one of its rule checks (syllabus.GradedCheck)."""
    cells = {_grade_id(c): c for c in autograded.get("cells", []) if _grade_id(c)}
    check = cells.get(syllabus.check_id(check_name))
    function, rule = syllabus.split_check_name(check_name)
    if check is None:
        return "The check cell is missing from the graded notebook."
    err = _error(check)
    if err is None:
        if passed:
            for out in check.get("outputs", []):
                if out.get("output_type") == "stream" and out.get("name") == "stdout":
                    text = _join(out.get("text")).strip()
                    if text:
                        return text.splitlines()[-1]
            return "passed"
        for out in check.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                first = _join(out.get("text")).strip().splitlines()[:1]
                return ("The check wrote to stderr (a warning?), which nbgrader scores as a failure: "
                        + (first[0] if first else ""))
        return "failed"
    ename, evalue = err.get("ename", ""), _ANSI.sub("", err.get("evalue", ""))
    if ename in ("KeyboardInterrupt", "CellTimeoutError"):
        which = f"the check of `{function}`" + (f" (the rule \"{rule.replace('_', ' ')}\")" if rule else "")
        return (f"timed out after {timeout} s: {which} was stopped. Look for a loop "
                f"in `{function}` that never ends (a `while` whose condition never changes), or "
                "work that is far too slow.")
    if ename == "NameError" and f"'{function}'" in evalue:
        solution = cells.get(function)
        sol_err = _error(solution) if solution is not None else None
        if sol_err is not None:
            return f"`{function}` was never defined: its cell failed with {_explain_cell_error(sol_err)}"
        return (f"`{function}` is not defined — was it renamed or its cell deleted? Its cell must "
                f"define `def {function}(...)`, and run before this check.")
    if ename == "MemoryError":
        return f"`{function}` ran out of memory: {_explain_cell_error(err)}"
    if ename in ("CheckFailed", "NotAttempted", "Raised", "AssertionError"):
        return evalue or "the check failed"
    return f"{ename}: {evalue}" if evalue else ename


def notes(module: syllabus.Module, submitted: dict, source: dict, autograded: dict) -> list[str]:
    """What else the learner should know: restored check cells, errors in other cells."""
    found: list[str] = []
    sub_cells = {_grade_id(c): c for c in submitted.get("cells", []) if _grade_id(c)}
    src_cells = {_grade_id(c): c for c in source.get("cells", []) if _grade_id(c)}
    for c in module.checks:  # the values check and the rule checks (module.toml) of each function
        what = f"`{c.function}`" + (f" (the rule \"{c.rule.replace('_', ' ')}\")" if c.rule else "")
        mine = sub_cells.get(c.test_id)
        if mine is None:
            found.append(f"The check cell of {what} was missing from your notebook; the grader "
                         "restored it from the course and ran it.")
        elif c.test_id in src_cells and _source(mine).strip() != _source(src_cells[c.test_id]).strip():
            found.append(f"The check cell of {what} had been edited; the grader restored the "
                         "original and ran that.")
    if module.is_quiz:
        found.extend(_quiz_seed_notes(submitted))
    names = {f.name: f for f in module.functions}
    for number, cell in enumerate(autograded.get("cells", []), 1):
        gid = _grade_id(cell)
        if cell.get("cell_type") != "code" or syllabus.function_of_check(gid or "") is not None:
            continue
        err = _error(cell)
        if err is None or err.get("ename") == "NotImplementedError":
            continue
        what = f"the cell of `{gid}`" if gid in names else f"cell {number} (`{_first_line(_source(cell))}`)"
        found.append(f"{what[0].upper()}{what[1:]} failed: {_explain_cell_error(err)}")
    return found


def _quiz_seed_notes(submitted: dict) -> list[str]:
    """A quiz whose QUIZ_SEED cell no longer says the variant its questions were written for."""
    seed = submitted.get("metadata", {}).get("kit", {}).get("quiz_seed")
    cells = [c for c in submitted.get("cells", []) if isinstance(c, dict)
             and isinstance(c.get("metadata"), dict) and c["metadata"].get("kit", {}).get("quiz_seed_cell")]
    if not isinstance(seed, int) or not cells:
        return []
    text = _source(cells[0]).strip()
    if re.fullmatch(rf"QUIZ_SEED\s*=\s*{seed}", text):
        return []
    return [f"The questions of this quiz were drawn for variant {seed}, but its seed cell now says "
            f"`{_first_line(text)}`; the grader judged your answers for the QUIZ_SEED your notebook ran "
            "with, as its check cells did. Put the cell back to "
            f"`QUIZ_SEED = {seed}`, or `make reset` the quiz for a fresh variant."]


def died(cell: int | None, first: str | None) -> str:
    first = first or ""
    return (f"Not graded: the Python kernel died while running cell {cell} (`{first}`), so nothing "
            "after it ran. os._exit(), killing the process, or a crash in native code ends the "
            "kernel; remove that code and grade again.")
