"""The syllabus manifest is the single source of truth: every module it lists that exists has its
lessons, its exercise (source and student version) and its check library, and they agree with it."""

from __future__ import annotations

import importlib
import json

import pytest

from autograder import syllabus

SYL = syllabus.load()
MODULES = [m.id for m in SYL.modules]


def test_the_syllabus_orders_the_original_twelve_modules():
    """The manifest may list more modules than the original twelve (issue 12's c3w2-content,
    c3w3-dqn, ...): the twelve keep their order among them, and no module is listed twice."""
    listed = [mid for c in SYL.courses for mid in c.module_ids]
    original = ["c1w1", "c1w2", "c1w3", "c2w1", "c2w2", "c2w3", "c2w4", "c3w1-kmeans",
                "c3w1-anomaly", "c3w2-cofi", "c3w2-pca", "c3w3"]
    assert len(listed) == len(set(listed)), listed
    assert [mid for mid in listed if mid in original] == original
    assert "c1w1" in MODULES


@pytest.mark.parametrize("module_id", MODULES)
def test_module_has_its_files(module_id):
    m = SYL.module(module_id)
    assert m.lessons, "a module has at least one lesson"
    for lesson in m.lessons:
        assert lesson.path.exists(), lesson.path
        assert lesson.title and lesson.title != lesson.path.stem, f"{lesson.path} needs a '# Title' heading"
    stray = {p.name for p in m.folder.glob("*.ipynb")} - {l.path.name for l in m.lessons}
    assert not stray, f"notebooks in course/{module_id} not listed in module.toml: {stray}"
    assert m.solution_path.exists() and m.exercise_path.exists()


@pytest.mark.parametrize("module_id", MODULES)
def test_solution_cells_match_the_manifest(module_id):
    m = SYL.module(module_id)
    nb = json.loads(m.solution_path.read_text())
    assert nb["metadata"]["kit"]["module"] == module_id
    solutions, checks = {}, {}
    for cell in nb["cells"]:
        meta = cell["metadata"].get("nbgrader")
        if not meta:
            continue
        if meta.get("solution"):
            solutions[meta["grade_id"]] = "".join(cell["source"])
        if meta.get("grade"):
            checks[meta["grade_id"]] = (meta["points"], "".join(cell["source"]))
    assert sorted(solutions) == sorted(f.grade_id for f in m.functions)
    # One check cell per check: the values check of each function and each of its rule checks.
    assert sorted(checks) == sorted(c.test_id for c in m.checks)
    for f in m.functions:
        assert f"def {f.name}(" in solutions[f.name]
        assert "### BEGIN SOLUTION" in solutions[f.name]
    for c in m.checks:
        points, source = checks[c.test_id]
        assert points == c.points, f"{c.test_id}: the notebook says {points} points, module.toml {c.points}"
        assert f"{c.check_function}({c.function})" in source
        assert f"({c.points} point" in source.splitlines()[0], "the check cell's first line states its points"
    order = [cell["metadata"]["nbgrader"]["grade_id"] for cell in nb["cells"]
             if cell["metadata"].get("nbgrader", {}).get("grade")]
    for f in m.functions:  # a function's rule checks come right after its values check
        at = order.index(f.test_id)
        assert order[at: at + len(f.checks)] == [c.test_id for c in f.checks]


def test_the_manifest_reads_rule_checks_and_sums_every_check():
    """A function's `[[functions.checks]]` are rule checks with their own ids, points and words;
    the function's own points are its values check's; the module's maximum sums all checks."""
    m = SYL.module("c1w3")
    sigmoid = next(f for f in m.functions if f.name == "sigmoid")
    assert [(c.test_id, c.check_function, c.points) for c in sigmoid.checks] == [
        ("test_sigmoid", "check_sigmoid", sigmoid.points),
        ("test_sigmoid__stable", "check_sigmoid_stable", sigmoid.rules[0].points)]
    assert "1000" in sigmoid.rules[0].text
    assert m.max_score == sum(c.points for c in m.checks) == sum(f.max_points for f in m.functions)
    assert m.check("sigmoid__stable") is sigmoid.rules[0] or m.check("sigmoid__stable") == sigmoid.rules[0]
    assert syllabus.function_of_check("test_sigmoid__stable") == "sigmoid__stable"
    assert syllabus.split_check_name("sigmoid__stable") == ("sigmoid", "stable")
    assert syllabus.split_check_name("compute_cost") == ("compute_cost", None)
    for module in SYL.modules:  # a function without rules keeps exactly one check, as before
        for f in module.functions:
            if not f.rules:
                assert [c.test_id for c in f.checks] == [f.test_id]


def test_a_rule_check_without_its_words_is_refused(tmp_path):
    from autograder.errors import KitError

    with pytest.raises(KitError, match="needs an `id`"):
        syllabus._load_function({"name": "f", "points": 1, "signature": "f(x)",
                                 "checks": [{"id": "stable", "points": 1}]}, tmp_path)


@pytest.mark.parametrize("module_id", MODULES)
def test_check_library_has_a_check_per_function(module_id):
    m = SYL.module(module_id)
    lib = importlib.import_module(syllabus.check_module_name(module_id))
    for f in m.functions:
        assert callable(getattr(lib, f"check_{f.name}"))
        assert callable(getattr(lib, f"ref_{f.name}"))


def test_unknown_and_planned_modules_are_explained():
    with pytest.raises(Exception, match="There is no module 'c9w9'"):
        SYL.module("c9w9")
    for planned in SYL.planned:
        with pytest.raises(Exception, match="not written yet"):
            SYL.module(planned)


def test_start_page_is_up_to_date():
    import nbformat

    from autograder import paths, startpage

    committed = nbformat.read(paths.COURSE / "start.ipynb", as_version=4)
    assert committed == startpage.render(), "run `make start-page` and commit course/start.ipynb"


@pytest.mark.parametrize("module_id", MODULES)
def test_every_function_has_hints_and_a_lesson_link(module_id):
    from autograder import feedback, paths

    m = SYL.module(module_id)
    info = feedback.hints(m)
    for f in m.functions:
        assert 2 <= len(info[f.name]["hints"]) <= 4, f"{f.name}: a ladder of two to four hints (tests/test_hints.py: none is the solution)"
        assert info[f.name]["lesson"], f"{f.name}: a 'Lesson: [title](link)' line"
        link = info[f.name]["lesson"][1]
        assert (paths.EXERCISES / module_id / link).resolve().exists(), link


@pytest.mark.parametrize("module_id", MODULES)
def test_each_signature_in_the_manifest_matches_the_exercise(module_id):
    """module.toml states each function's signature; the solution cell's `def` must have exactly
    those parameters (names and defaults), in that order."""
    import ast

    from autograder import cells

    m = SYL.module(module_id)
    nb = json.loads(m.solution_path.read_text(encoding="utf-8"))
    defs = {}
    for cell in nb["cells"]:
        if cell["cell_type"] == "code" and cells.grade_id(cell):
            for node in ast.walk(ast.parse(cells.source(cell))):
                if isinstance(node, ast.FunctionDef):
                    defs.setdefault(node.name, node)
    for f in m.functions:
        stated = ast.parse(f"def {f.signature.split('->')[0].strip()}: pass").body[0]
        assert f.name in defs, f"{module_id}: no solution cell defines {f.name}"
        assert ast.dump(defs[f.name].args) == ast.dump(stated.args), (
            f"{module_id}.{f.name}: the exercise defines ({ast.unparse(defs[f.name].args)}), "
            f"module.toml says {f.signature}")


def test_the_capstone_is_a_project_graded_last_and_kept_out_of_the_check_cell_modules():
    capstone = SYL.module("capstone")
    assert capstone.kind == "project" and SYL.projects == (capstone,)
    assert "capstone" not in MODULES  # no check cells: the generic check-cell tests skip it
    assert SYL.assignment_ids[-1] == "capstone"
    assert all(m.kind != "project" for m in SYL.quizzes)


def test_reset_of_the_capstone_changes_nothing_and_says_what_to_do(tmp_path):
    from autograder import reset
    from autograder.errors import KitError

    with pytest.raises(KitError, match="does not replace"):
        reset.reset("capstone", dest=tmp_path / "capstone.ipynb", backup_root=tmp_path / "backups")
    assert not any(tmp_path.iterdir())
