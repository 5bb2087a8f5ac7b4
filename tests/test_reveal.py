"""show_solution: the reference solution of one function, on explicit request, recorded in the
history (except inside the grader's kernels), and shown by `make progress`."""

from __future__ import annotations

import json
import os

import nbformat
import pytest

from autograder import history, progress, reveal, syllabus
from autograder.errors import KitError
from autograder.nbgrader_setup import KERNEL_ARGUMENTS
from tests.conftest import run_cli

SYL = syllabus.load()


def test_it_prints_the_request_to_try_the_hints_and_the_solution_and_records_the_view(grading_dir, capsys):
    reveal.show_solution("gradient_descent", "c1w1")
    out = capsys.readouterr().out
    assert out.startswith(reveal.TRY_HINTS_FIRST)
    assert "def gradient_descent(x, y, w_in, b_in, alpha, num_iters):" in out
    assert "dj_dw, dj_db = compute_gradient(x, y, w, b)" in out
    assert "BEGIN SOLUTION" not in out and "END SOLUTION" not in out
    (view,) = history.solution_views(grading_dir)
    assert (view.module, view.function) == ("c1w1", "gradient_descent")


@pytest.mark.parametrize("module", SYL.modules, ids=lambda m: m.id)
def test_every_function_has_a_solution_that_runs(module):
    import importlib

    lib = importlib.import_module(module.check_module)
    for f in module.functions:
        solution = reveal.find(f.name, module.id)
        assert f"def {f.name}(" in solution.code and "SOLUTION" not in solution.code
        namespace = {"np": __import__("numpy")}
        namespace.update({g.name: getattr(lib, f"ref_{g.name}") for g in module.functions})
        exec(solution.code, namespace)
        getattr(lib, f"check_{f.name}")(namespace[f.name])  # the shown code passes its check


def test_the_module_is_the_one_that_has_the_function_or_is_asked_for(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    assert reveal.find("my_softmax").module == "c2w2"  # only one module has it
    assert reveal.find("compute_cost", "c1w3").module == "c1w3"
    with pytest.raises(KitError, match="several modules .*c1w1, c1w2, c1w3"):
        reveal.find("compute_cost")  # three modules have it, and nothing tells which
    with pytest.raises(KitError, match="no graded function 'sigmoid'"):
        reveal.find("sigmoid", "c1w1")
    with pytest.raises(KitError, match="No module has a graded function 'compute_costs'"):
        reveal.find("compute_costs")
    (tmp_path / "c1w2").mkdir()
    monkeypatch.chdir(tmp_path / "c1w2")  # the kernel of exercises/c1w2/c1w2.ipynb runs there
    assert reveal.find("compute_cost").module == "c1w2"
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("JPY_SESSION_NAME", str(SYL.module("c1w3").exercise_path))  # set by Jupyter
    assert reveal.find("compute_cost").module == "c1w3"


def _run_in_kernel(folder, code, extra_arguments=()):
    from nbclient import NotebookClient

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(code)]
    NotebookClient(nb, timeout=120, kernel_name="python3", extra_arguments=list(extra_arguments),
                   resources={"metadata": {"path": str(folder)}}).execute()
    return "".join(o.get("text", "") for o in nb.cells[0].outputs)


@pytest.mark.slow
def test_a_call_in_the_graders_kernel_records_nothing(grading_dir, tmp_path):
    folder = tmp_path / "c1w1"
    folder.mkdir()
    code = "from autograder.reveal import show_solution\nshow_solution('compute_cost')"
    # the grader's kernels (nbgrader's and the re-check's replay) start with KERNEL_ARGUMENTS
    out = _run_in_kernel(folder, code, KERNEL_ARGUMENTS)
    assert "np.sum((w * x + b - y) ** 2)" in out  # it still prints
    assert history.solution_views(grading_dir) == []
    # a learner's kernel (JupyterLab's, no kernel_guard) records the view, module from the folder
    assert os.environ["KIT_GRADING_DIR"] == str(grading_dir)
    out = _run_in_kernel(folder, code)
    assert reveal.TRY_HINTS_FIRST in out
    assert [(v.module, v.function) for v in history.solution_views(grading_dir)] == [("c1w1", "compute_cost")]


def _attempt(graded_at, passed: dict[str, bool]):
    return history.Attempt("c1w1", "exercises/c1w1/c1w1.ipynb", graded_at, 0.0, 9.0,
                           [{"grade_id": f"test_{name}", "points": 0.0, "max_points": 1.0,
                             "passed": ok, "message": ""} for name, ok in passed.items()])


def test_progress_says_which_functions_were_solved_after_viewing_the_solution(grading_dir):
    # compute_model_output: solved before any view, viewed later          -> solved before
    # compute_cost: failed, viewed, then passed                            -> solved after
    # compute_gradient: viewed, graded in the same second, passed          -> solved after (>=)
    # gradient_descent: viewed twice, never passed                         -> not solved yet
    # (compute_cost also fails again later and passes again: its label stays)
    history.record(grading_dir, _attempt("2026-05-01T10:00:00", {
        "compute_model_output": True, "compute_cost": False, "compute_gradient": False,
        "gradient_descent": False}))
    for name, at in [("compute_cost", "2026-05-01T10:05:00"), ("compute_model_output", "2026-05-01T10:06:00"),
                     ("gradient_descent", "2026-05-01T10:07:00"), ("compute_gradient", "2026-05-01T10:10:00"),
                     ("gradient_descent", "2026-05-01T10:20:00")]:
        history.record_view(grading_dir, history.SolutionView("c1w1", name, at))
    history.record(grading_dir, _attempt("2026-05-01T10:10:00", {
        "compute_model_output": True, "compute_cost": True, "compute_gradient": True,
        "gradient_descent": False}))
    history.record(grading_dir, _attempt("2026-05-01T10:30:00", {
        "compute_model_output": True, "compute_cost": False, "compute_gradient": True,
        "gradient_descent": False}))
    history.record(grading_dir, _attempt("2026-05-01T10:40:00", {"compute_cost": True}))

    row = progress.compute(grading_dir).modules[0]
    got = {v.function: (v.status, v.views, v.first_viewed, v.first_passed) for v in row.solutions_viewed}
    assert got == {
        "compute_model_output": (progress.SOLVED_BEFORE_VIEWING, 1, "2026-05-01T10:06:00", "2026-05-01T10:00:00"),
        "compute_cost": (progress.SOLVED_AFTER_VIEWING, 1, "2026-05-01T10:05:00", "2026-05-01T10:10:00"),
        "compute_gradient": (progress.SOLVED_AFTER_VIEWING, 1, "2026-05-01T10:10:00", "2026-05-01T10:10:00"),
        "gradient_descent": (progress.VIEWED_NOT_SOLVED, 2, "2026-05-01T10:07:00", None),
    }
    assert all(not m.solutions_viewed for m in progress.compute(grading_dir).modules[1:])

    # `make progress` (the table) and `progress --json` say the same
    proc = run_cli("progress", grading=grading_dir)
    assert proc.returncode == 0, proc.stderr
    lines = [line for line in proc.stdout.splitlines() if "compute_cost " in line]
    assert lines and "solved after viewing the solution" in lines[0]
    assert proc.stdout.count("solved after viewing the solution") == 2
    data = json.loads(run_cli("progress", "--json", grading=grading_dir).stdout)
    viewed = {v["function"]: v["status"] for v in data["modules"][0]["solutions_viewed"]}
    assert viewed == {name: status for name, (status, *_rest) in got.items()}
    assert all(m["solutions_viewed"] == [] for m in data["modules"][1:])


def test_progress_without_views_shows_no_views_section(grading_dir):
    history.record(grading_dir, _attempt("2026-05-01T10:00:00", {"compute_cost": True}))
    text = progress.table(progress.compute(grading_dir))
    assert "viewed" not in text and "course total" in text
