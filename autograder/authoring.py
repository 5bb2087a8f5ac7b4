"""Maintainers' helpers to write notebooks from Python: plain lesson cells, and the nbgrader
solution and check cells of an exercise with the metadata the kit's conventions require.

    nb = notebook([md("# Title"), code("import numpy as np"),
                   solution("compute_cost", "def compute_cost(...):\\n    ### BEGIN SOLUTION ..."),
                   check("compute_cost", 2, "check_compute_cost(compute_cost)")], module="c1w1")
    write(nb, "solutions/c1w1/c1w1.ipynb")

The tests use the same helpers to build the broken notebooks they grade.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}


def _clean(text: str) -> str:
    return text.strip("\n")


def md(text: str):
    return new_markdown_cell(_clean(text))


def code(source: str):
    return new_code_cell(_clean(source))


def solution(grade_id: str, source: str):
    cell = new_code_cell(_clean(source))
    cell.metadata["nbgrader"] = {"grade": False, "grade_id": grade_id, "locked": False,
                                 "schema_version": 3, "solution": True, "task": False}
    return cell


def check(grade_id: str, points: int, source: str):
    cell = new_code_cell(_clean(source))
    cell.metadata["nbgrader"] = {"grade": True, "grade_id": grade_id, "locked": True,
                                 "points": points, "schema_version": 3, "solution": False,
                                 "task": False}
    return cell


def notebook(cells: list, module: str | None = None):
    nb = new_notebook(cells=cells)
    nb.metadata["kernelspec"] = dict(KERNELSPEC)
    nb.metadata["language_info"] = {"name": "python"}
    if module:
        nb.metadata["kit"] = {"module": module}
    for i, cell in enumerate(nb.cells):  # stable ids keep diffs readable when regenerated
        gid = cell.metadata.get("nbgrader", {}).get("grade_id")
        cell["id"] = gid.replace("_", "-") if gid else f"cell-{i:02d}"
    return nb


def write(nb, path: str | Path) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.validate(nb)
    nbformat.write(nb, str(path))
