"""Writing notebooks from Python: Markdown and code cells, a notebook with the kit's kernelspec
and stable cell ids, and a validated write. The start page generator (startpage.py) uses them.

    write(notebook([md("# Title"), code("import numpy as np")]), "course/start.ipynb")
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
