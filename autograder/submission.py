"""What the learner asked to grade: a module id or a notebook path, checked and tied to a module.

Every problem with the input is reported as one `KitError` paragraph before anything is written.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import intake, syllabus
from autograder.cells import grade_id, source
from autograder.errors import KitError


@dataclass(frozen=True)
class Submission:
    module: syllabus.Module
    path: Path  # the learner's notebook, never written by the kit
    # The notebook as read once and made gradable (autograder/intake.py): the submitted copy in
    # the grading folder is written from these bytes, so what is graded is what was checked.
    data: bytes
    notes: tuple[str, ...] = ()  # what intake found and did, for the learner


def _grade_ids(nb: dict) -> set[str]:
    return {gid for cell in nb.get("cells", []) if (gid := grade_id(cell))}


def _cell_ids(module: syllabus.Module) -> set[str]:
    return {f.grade_id for f in module.functions} | {f.test_id for f in module.functions}


def module_of(nb: dict, syl: syllabus.Syllabus) -> syllabus.Module | None:
    """The module a notebook belongs to: from its metadata, else from its graded cells' ids."""
    declared = nb.get("metadata", {}).get("kit", {}).get("module")
    if declared in syl.assignment_ids:
        return syl.module(declared)
    ids = _grade_ids(nb)
    best = [m for m in syl.assignments if _cell_ids(m) & ids]
    if best:
        return best[0] if len(best) == 1 else None
    # No grading marks at all (cell metadata stripped by another tool): the one module whose
    # graded functions are all defined in the notebook.
    code = "\n".join(source(c) for c in nb.get("cells", []) if isinstance(c, dict) and c.get("cell_type") == "code")
    defined = [m for m in syl.modules
               if m.functions and all(re.search(rf"^def\s+{re.escape(f.name)}\s*\(", code, flags=re.M) for f in m.functions)]
    return defined[0] if len(defined) == 1 else None


def _decode(data: bytes) -> tuple[str, list[str]]:
    """The notebook's text. A byte-order mark (some Windows editors write one) is skipped;
    a UTF-16 file (Notepad's "Unicode") is read as such."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8"), ["Your notebook starts with a UTF-8 byte-order mark (some "
                                          "Windows editors write one); the grader read past it."]
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), ["Your notebook was saved as UTF-16 (a Windows editor's "
                                        "\"Unicode\"); the grader read it as such. JupyterLab saves UTF-8."]
    return data.decode("utf-8"), []


def _upgrade(nb: dict, shown: str) -> tuple[dict, list[str]]:
    """Format 4 as nbgrader reads it: format 3 (IPython 2, some converters) is converted."""
    version = nb.get("nbformat")
    if version == 4:
        return nb, []
    if version == 3 and isinstance(nb.get("worksheets"), list):
        import nbformat

        try:
            converted = json.loads(json.dumps(nbformat.convert(nbformat.from_dict(nb), 4)))
        except Exception as exc:  # noqa: BLE001 - nbformat raises many kinds on odd input
            raise KitError(f"{shown} is a notebook in the old format 3 that could not be converted "
                           f"({type(exc).__name__}). Open it in JupyterLab and save it (File > Save "
                           "Notebook), which writes format 4, then grade again. Nothing was graded "
                           "or written.") from None
        return converted, ["Your notebook was in the old notebook format 3; the grader converted a "
                           "copy to format 4. Saving it once from JupyterLab writes format 4."]
    raise KitError(f"{shown} is JSON but not a Jupyter notebook in format 4 (the one JupyterLab "
                   f"saves){f'; it says format {version}' if isinstance(version, int) else ''}. "
                   "Open it in JupyterLab and save it (File > Save Notebook), then grade again. "
                   "Nothing was graded or written.")


def read_notebook(path: Path) -> tuple[bytes, dict, list[str]]:
    """The file's bytes, the notebook in format 4, and notes about how it was read."""
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
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise KitError(f"{shown} cannot be read ({exc.strerror or exc}). Check that the file is "
                       "yours and readable (`ls -l` shows its permissions), or copy it somewhere "
                       "you can read and grade the copy. Nothing was graded or written.") from None
    if not data.strip():
        raise KitError(f"{shown} is empty (0 bytes of notebook). It may have been saved while the "
                       "disk was full or the editor crashed; look for a copy in its "
                       ".ipynb_checkpoints folder, or start again with `make reset MODULE=...`.")
    try:
        text, notes = _decode(data)
        nb = json.loads(text)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise KitError(f"{shown} is not a valid notebook: its JSON is broken ({exc}). It may have "
                       "been saved half-way; JupyterLab keeps the last checkpoint in the "
                       ".ipynb_checkpoints folder beside it. Nothing was graded or written.") from None
    if not isinstance(nb, dict):
        raise KitError(f"{shown} is JSON but not a Jupyter notebook in format 4 (the one "
                       "JupyterLab saves). Nothing was graded or written.")
    nb, more = _upgrade(nb, shown)
    cells = nb.get("cells")
    if not isinstance(cells, list) or not all(
            isinstance(c, dict) and c.get("cell_type") in ("code", "markdown", "raw") for c in cells):
        raise KitError(f"{shown} is JSON but not a Jupyter notebook in format 4 (the one "
                       "JupyterLab saves): its cells are not notebook cells. Nothing was graded or written.")
    return data, nb, notes + more


def resolve(target: str, module_id: str | None = None) -> Submission:
    """A module id (`c1w1`, graded from exercises/) or the path of any notebook."""
    from autograder.capstone import grading as capstone  # the capstone is graded as a whole folder

    if capstone.is_target(target):
        return capstone.resolve_folder(target)
    syl = syllabus.load()
    forced = syl.module(module_id) if module_id else None
    if target in syl.assignment_ids or target in syl.planned:
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
    _, nb, notes = read_notebook(path)
    found = module_of(nb, syl)
    module = forced or module or found
    if module is None:
        raise KitError(f"'{path}' has none of the kit's check cells, so the kit cannot tell which "
                       "module it belongs to. If it is an exercise, name the module: "
                       "`python -m autograder grade PATH --module c1w1`.")
    if found is not None and found.id != module.id:
        raise KitError(f"'{path}' is the exercise of module {found.id}, not {module.id}. Grade it "
                       f"as {found.id} (leave out --module), or give the notebook of {module.id}.")
    source_nb = json.loads(module.solution_path.read_text(encoding="utf-8"))
    gradable, found_notes = intake.normalise(nb, module, source_nb)
    if not (_cell_ids(module) & _grade_ids(gradable)):
        raise KitError(f"'{path}' has none of the solution or check cells of module {module.id}; it does not "
                       "look like that module's exercise. Give the exercise notebook.")
    return Submission(module=module, path=path.resolve(), data=intake.to_bytes(gradable),
                      notes=tuple(notes + found_notes))
