"""What the learner asked to grade: a module id or a notebook path, checked and tied to a module.

Every problem with the input is reported as one `KitError` paragraph before anything is written.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from autograder import syllabus
from autograder.cells import grade_id
from autograder.errors import KitError


@dataclass(frozen=True)
class Submission:
    module: syllabus.Module
    path: Path  # the learner's notebook, never written by the kit
    data: bytes  # its bytes as read once, so what is graded is what was checked


def _grade_ids(nb: dict) -> set[str]:
    return {gid for cell in nb.get("cells", []) if (gid := grade_id(cell))}


def _cell_ids(module: syllabus.Module) -> set[str]:
    return {f.grade_id for f in module.functions} | {f.test_id for f in module.functions}


def module_of(nb: dict, syl: syllabus.Syllabus) -> syllabus.Module | None:
    """The module a notebook belongs to: from its metadata, else from its graded cells' ids."""
    declared = nb.get("metadata", {}).get("kit", {}).get("module")
    if declared in syl.module_ids:
        return syl.module(declared)
    ids = _grade_ids(nb)
    best = [m for m in syl.modules if _cell_ids(m) & ids]
    return best[0] if len(best) == 1 else None


def read_notebook(path: Path) -> tuple[bytes, dict]:
    shown = f"'{path}'"
    if not path.exists():
        raise KitError(f"There is no file {shown}. Check the path (from the kit's folder, the "
                       "exercises are exercises/<module>/<module>.ipynb), or grade a module by "
                       "its id, e.g. `make grade MODULE=c1w1`.")
    if path.is_dir():
        raise KitError(f"{shown} is a folder, not a notebook. Give the path of the .ipynb file.")
    if path.suffix != ".ipynb":
        raise KitError(f"{shown} is not a notebook: the kit grades .ipynb files. If this is your "
                       "exercise saved under another name, save it from JupyterLab as .ipynb.")
    data = path.read_bytes()
    if not data.strip():
        raise KitError(f"{shown} is empty (0 bytes of notebook). It may have been saved while the "
                       "disk was full or the editor crashed; look for a copy in its "
                       ".ipynb_checkpoints folder, or start again with `make reset MODULE=...`.")
    try:
        nb = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KitError(f"{shown} is not a valid notebook: its JSON is broken ({exc}). It may have "
                       "been saved half-way; JupyterLab keeps the last checkpoint in the "
                       ".ipynb_checkpoints folder beside it. Nothing was graded or written.") from None
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list) or nb.get("nbformat") != 4:
        raise KitError(f"{shown} is JSON but not a Jupyter notebook in format 4 (the one "
                       "JupyterLab saves). Nothing was graded or written.")
    return data, nb


def resolve(target: str, module_id: str | None = None) -> Submission:
    """A module id (`c1w1`, graded from exercises/) or the path of any notebook."""
    syl = syllabus.load()
    forced = syl.module(module_id) if module_id else None
    if target in syl.module_ids or target in syl.planned:
        module = syl.module(target)
        if forced and forced.id != module.id:
            raise KitError(f"You asked to grade module {target} as module {forced.id}; give one of them.")
        path = module.exercise_path
    else:
        path = Path(target).expanduser()
        if not path.suffix and not path.exists():
            raise KitError(f"'{target}' is neither a module nor a file. The modules are: "
                           f"{', '.join(syl.module_ids)}; a notebook is given by its .ipynb path.")
        module = None
    data, nb = read_notebook(path)
    found = module_of(nb, syl)
    module = forced or module or found
    if module is None:
        raise KitError(f"'{path}' has none of the kit's check cells, so the kit cannot tell which "
                       "module it belongs to. If it is an exercise, name the module: "
                       "`python -m autograder grade PATH --module c1w1`.")
    if found is not None and found.id != module.id:
        raise KitError(f"'{path}' is the exercise of module {found.id}, not {module.id}. Grade it "
                       f"as {found.id} (leave out --module), or give the notebook of {module.id}.")
    if not (_cell_ids(module) & _grade_ids(nb)):
        raise KitError(f"'{path}' has none of the solution or check cells of module {module.id}; it does not "
                       "look like that module's exercise. Give the exercise notebook.")
    return Submission(module=module, path=path.resolve(), data=data)
