"""A learner's notebook made gradable: what the grading folder's submitted copy is written from.

A notebook meets many editors, converters and habits before it is graded. nbgrader expects the
notebook its own tools wrote; this module turns a copy of the learner's notebook into that, and
says in a note what it found, in the learner's words. The learner's file is never written.

- Copied cells (copy-paste, JupyterLab's "Duplicate cell"): every copy of a solution cell still
  runs, in order, as it did in the learner's kernel, and the grade id stays on the last copy
  before the function's check cell (the definition that check sees). A copied check cell is
  graded once, at the first copy; later copies become a short markdown note (so every cell keeps
  its number, and notes about "cell N" match the learner's notebook).
- Cell metadata stripped by another tool: a check cell is recognised by the call of its check
  (`check_compute_cost(`; in a quiz `quiz.check("q1", ...)`), a solution cell by the definition
  it holds (`def compute_cost(`; in a quiz the answer `q1 = ...`; the last one before the check);
  both get back their nbgrader metadata from the course's source.
- A kernelspec naming a kernel that does not exist here: graded with the kit's `python3`.
- Stored outputs: dropped (grading re-runs everything; huge outputs only cost memory).
- Cell ids missing (formats before 4.5) or repeated (a copied cell in a text editor): new ones.
"""

from __future__ import annotations

import copy
import json
import re

from autograder import syllabus
from autograder.cells import grade_id, source

_CHECKSUM_FREE = ("checksum",)


def _nbgrader(cell: dict) -> dict | None:
    meta = cell.get("metadata", {}).get("nbgrader")
    return meta if isinstance(meta, dict) else None


def _defines(text: str, name: str, quiz: bool = False) -> bool:
    """Whether `text` defines graded function `name` (`def name(`), or in a quiz assigns
    the answer `name` (`q1 = ...`, `q1: str = ...`)."""
    if quiz:
        return re.search(rf"^{re.escape(name)}\s*(:[^=\n]*)?=(?!=)", text, flags=re.M) is not None
    return re.search(rf"^def\s+{re.escape(name)}\s*\(", text, flags=re.M) is not None


def _calls_check(text: str, check: syllabus.GradedCheck, quiz: bool = False) -> bool:
    """Whether `text` calls `check`: `check_name(` (a rule check: `check_name_rule(`), or in a quiz
    `quiz.check("name", ...)`."""
    if quiz:
        return re.search(rf"\.check\(\s*([\"']){re.escape(check.function)}\1", text) is not None
    return re.search(rf"\b{re.escape(check.check_function)}\s*\(", text) is not None


def _numbers(indices: list[int]) -> str:
    shown = [str(i + 1) for i in indices]
    return ", ".join(shown[:-1]) + " and " + shown[-1] if len(shown) > 1 else shown[0]


def _source_metadata(source_nb: dict) -> dict[str, dict]:
    """grade_id -> the nbgrader metadata of that cell in the course's source."""
    out = {}
    for cell in source_nb.get("cells", []):
        gid = grade_id(cell)
        if gid:
            meta = {k: v for k, v in _nbgrader(cell).items() if k not in _CHECKSUM_FREE}
            out[gid] = meta
    return out


def _restore_stripped(nb: dict, module: syllabus.Module, source_nb: dict, notes: list[str]) -> None:
    """Give back nbgrader's metadata to check and solution cells that lost it."""
    cells = nb["cells"]
    present = {grade_id(c) for c in cells if grade_id(c)}
    meta = _source_metadata(source_nb)
    quiz = module.is_quiz
    restored = []
    for check in module.checks:  # values checks and rule checks alike
        if check.test_id not in present and check.test_id in meta:
            for i, c in enumerate(cells):
                if c.get("cell_type") == "code" and not grade_id(c) and _calls_check(source(c), check, quiz):
                    c.setdefault("metadata", {})["nbgrader"] = copy.deepcopy(meta[check.test_id])
                    present.add(check.test_id)
                    restored.append(f"the check of `{check.label}` (cell {i + 1})")
                    break
    for f in module.functions:
        if f.grade_id in present:
            continue
        check_at = next((i for i, c in enumerate(cells) if grade_id(c) == f.test_id), len(cells))
        candidates = [i for i, c in enumerate(cells)
                      if c.get("cell_type") == "code" and not grade_id(c) and _defines(source(c), f.name, quiz)]
        before = [i for i in candidates if i < check_at]
        chosen = before[-1] if before else (candidates[0] if candidates else None)
        if chosen is not None:
            cells[chosen].setdefault("metadata", {})["nbgrader"] = copy.deepcopy(meta[f.grade_id])
            present.add(f.grade_id)
            where = f"{f.name} =" if quiz else f"def {f.name}("
            what = "the answer" if quiz else "the solution"
            restored.append(f"{what} of `{f.name}` (cell {chosen + 1}, where `{where}` is)")
    if restored:
        notes.append("Some cells had lost their grading marks (another tool may have stripped the "
                     "cells' metadata); the grader recognised them and graded them as usual: "
                     + "; ".join(restored) + ".")


def _merge_copies(nb: dict, module: syllabus.Module, notes: list[str]) -> None:
    """One cell per grade id: the check at its first copy, the solution at its last copy before
    the check. The other copies of a solution still run as ordinary code cells."""
    cells = nb["cells"]
    where: dict[str, list[int]] = {}
    for i, c in enumerate(cells):
        gid = grade_id(c)
        if gid:
            where.setdefault(gid, []).append(i)
    names = {f.grade_id: f for f in module.functions}
    checks = {f.test_id: f for f in module.functions}
    for gid, indices in where.items():
        if len(indices) < 2:
            continue
        meta = _nbgrader(cells[indices[0]]) or {}
        if gid in checks or meta.get("grade"):
            keep = indices[0]
            name = checks[gid].name if gid in checks else gid
            for i in indices[1:]:
                cells[i] = {"cell_type": "markdown", "id": cells[i].get("id"),
                            "metadata": {},
                            "source": f"*(Here was a copy of the check cell of `{name}`; the grader "
                                      f"ran that check once, in cell {keep + 1}.)*"}
            notes.append(f"The check cell of `{name}` appears {len(indices)} times (cells "
                         f"{_numbers(indices)}; a copied cell?). It was graded once, in cell "
                         f"{keep + 1}; the copies were left out.")
            continue
        if gid in names:
            check_at = where.get(names[gid].test_id, [len(cells)])[0]
            before = [i for i in indices if i < check_at]
            keep = before[-1] if before else indices[0]
            what = f"the solution of `{gid}`"
            why = (f"as in your own kernel, the last definition before its check (cell {keep + 1}) "
                   "is the one graded")
        else:
            keep = indices[0]
            what, why = f"the cell `{gid}`", f"the first (cell {keep + 1}) keeps its grading marks"
        for i in indices:
            if i != keep:
                cells[i].get("metadata", {}).pop("nbgrader", None)
                cells[i].get("metadata", {}).pop("deletable", None)
                cells[i].get("metadata", {}).pop("editable", None)
        notes.append(f"Your notebook has {len(indices)} copies of {what} (cells {_numbers(indices)}; "
                     f"a copied cell?): {why}; the other copies still ran, in order, as ordinary cells.")


def _fresh_ids(nb: dict) -> None:
    """Unique, valid cell ids; new ones are derived from the cell's position, so the same
    notebook always gives the same gradable copy."""
    cells = nb["cells"]
    valid = [isinstance(c.get("id"), str) and re.fullmatch(r"[a-zA-Z0-9_-]{1,64}", c["id"]) for c in cells]
    taken = {c["id"] for c, ok in zip(cells, valid) if ok}
    seen = set()
    for number, (c, ok) in enumerate(zip(cells, valid), 1):
        if ok and c["id"] not in seen:
            seen.add(c["id"])
            continue
        cid, extra = f"kit-cell-{number}", 0
        while cid in taken or cid in seen:
            extra += 1
            cid = f"kit-cell-{number}-{extra}"
        c["id"] = cid
        seen.add(cid)


def _kernel(nb: dict, notes: list[str]) -> None:
    meta = nb.setdefault("metadata", {})
    spec = meta.get("kernelspec") if isinstance(meta.get("kernelspec"), dict) else {}
    name = spec.get("name")
    if name not in (None, "python3"):
        notes.append(f"Your notebook asks for the kernel '{name}' (set by another machine, "
                     "environment or editor); the grader ran it with the kit's Python 3 kernel, as "
                     "it always does.")
    meta["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _drop_outputs(nb: dict) -> None:
    for c in nb["cells"]:
        if c.get("cell_type") == "code":
            c["outputs"] = []
            c["execution_count"] = None
        elif "outputs" in c or "execution_count" in c:  # a markdown cell that was a code cell
            c.pop("outputs", None)
            c.pop("execution_count", None)


def normalise(nb: dict, module: syllabus.Module, source_nb: dict) -> tuple[dict, list[str]]:
    """A gradable copy of the notebook `nb` (parsed JSON, format 4) and the notes for the learner."""
    nb = copy.deepcopy(nb)
    notes: list[str] = []
    if not isinstance(nb.get("metadata"), dict):
        nb["metadata"] = {}
    for c in nb["cells"]:
        if not isinstance(c.get("metadata"), dict):
            c["metadata"] = {}
        c["source"] = source(c) if isinstance(c.get("source", ""), (str, list)) else ""
    _restore_stripped(nb, module, source_nb, notes)
    _merge_copies(nb, module, notes)
    _kernel(nb, notes)
    _drop_outputs(nb)
    minor = nb.get("nbformat_minor")
    nb["nbformat"], nb["nbformat_minor"] = 4, max(5, minor) if isinstance(minor, int) else 5
    _fresh_ids(nb)
    return nb, notes


def to_bytes(nb: dict) -> bytes:
    return (json.dumps(nb, indent=1, ensure_ascii=False) + "\n").encode("utf-8")
