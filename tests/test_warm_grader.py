"""The warm grader (autograder/warm.py): the same results as the cold path, a fresh kernel for
every grading, and the cold path whenever the service is not there.

Each test grades real notebooks with the real CLI; the service is the real one, started in a
private grading folder. Which gradings the service did is read from its log (warm.log), which
says for each how many pre-started kernels it used.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import time
from pathlib import Path

import pytest

from autograder import warm
from tests.conftest import run_cli, sha256
from tests.test_robustness import C1W1, SOURCE, _kernels_of, _tampered, cell, set_source, variant

pytestmark = pytest.mark.slow

WRONG_COST = "def compute_cost(x, y, w, b):\n    m = x.shape[0]\n    return ((w * x + b - y) ** 2).sum() / m\n"


def _folder(tmp_path: Path, name: str, empty_gradebook: Path) -> Path:
    folder = tmp_path / name
    folder.mkdir()
    shutil.copy(empty_gradebook, folder / "gradebook.db")
    return folder


def _grade(path: Path, grading: Path, **env: str) -> dict:
    before = sha256(path)
    proc = run_cli("grade", str(path), "--json", grading=grading, env=env, timeout=400)
    assert sha256(path) == before, "grading changed the learner's notebook"
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    return json.loads(proc.stdout)["notebooks"][0]


def _warm_gradings(grading: Path) -> list[str]:
    log = grading / "warm.log"
    return re.findall(r"graded .*pre-started kernels used: (\d+ nbgrader, \d+ re-check)",
                      log.read_text() if log.exists() else "")


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


@pytest.fixture
def service(tmp_path, monkeypatch, empty_gradebook):
    """A warm grader for a private grading folder, stopped after the test."""
    folder = _folder(tmp_path, "warm", empty_gradebook)
    monkeypatch.setenv("KIT_GRADING_DIR", str(folder))
    monkeypatch.delenv("KIT_WARM_GRADER", raising=False)
    assert warm.start(folder, idle_minutes=10), (folder / "warm.log").read_text()
    yield folder
    warm.stop(folder)


def _comparable(result: dict, grading: Path) -> dict:
    notes = [n.replace(str(grading), "<grading>") for n in result["notes"]]
    return {"score": result["score"], "max_score": result["max_score"], "tests": result["tests"], "notes": notes}


def test_warm_and_cold_grade_alike(tmp_path, service, empty_gradebook):
    cold = _folder(tmp_path, "cold", empty_gradebook)
    notebooks = {
        "solution": variant(tmp_path / "solution", lambda nb: None),
        "exercise": variant(tmp_path / "exercise", lambda nb: None, start=json.loads(C1W1.exercise_path.read_text())),
        "wrong": variant(tmp_path / "wrong", set_source("compute_cost", WRONG_COST)),
        "tampering": variant(tmp_path / "tampering", _tampered),
    }
    by_label = {}
    for label, path in notebooks.items():
        warm_result = _grade(path, service)
        cold_result = _grade(path, cold, KIT_WARM_GRADER="0")
        assert _comparable(warm_result, service) == _comparable(cold_result, cold), label
        assert Path(warm_result["feedback"]).exists(), label
        by_label[label] = {t["grade_id"]: t for t in warm_result["tests"]}
    assert _warm_gradings(service) == ["1 nbgrader, 1 re-check"] * len(notebooks)
    assert not (cold / "warm.log").exists()
    assert by_label["solution"]["test_compute_cost"]["passed"]
    assert not any(t["passed"] for t in by_label["exercise"].values())
    assert by_label["wrong"]["test_compute_cost"]["points"] == 0
    assert "1/2" in by_label["wrong"]["test_compute_cost"]["message"]
    assert by_label["tampering"]["test_compute_cost"]["points"] == 0
    assert "clean process" in by_label["tampering"]["test_compute_cost"]["message"]


def test_every_grading_gets_fresh_kernels(tmp_path, service):
    """A notebook leaves a mark in its kernel's process (a builtin); the next grading's kernels
    must not have it, and no two gradings share a kernel process."""
    pids = tmp_path / "pids"

    def leave_a_mark(nb):
        first = cell(nb, "compute_model_output")
        first["source"] = (f"import builtins, os\nbuiltins.KIT_LEFTOVER = True\n"
                           f"open({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n" + "".join(first["source"]))

    def find_no_mark(nb):
        first = cell(nb, "compute_model_output")
        first["source"] = (f"import builtins, os\nopen({str(pids)!r}, 'a').write(f'{{os.getpid()}}\\n')\n"
                           "assert not hasattr(builtins, 'KIT_LEFTOVER'), 'a kernel was reused'\n"
                           + "".join(first["source"]))

    assert _grade(variant(tmp_path / "a", leave_a_mark), service)["score"] == C1W1.max_score
    second = _grade(variant(tmp_path / "b", find_no_mark), service)
    assert second["score"] == C1W1.max_score, second
    assert _warm_gradings(service) == ["1 nbgrader, 1 re-check"] * 2
    seen = pids.read_text().split()
    assert len(seen) == 4 and len(set(seen)) == 4, seen  # nbgrader's and the re-check's kernel, twice
    assert _wait(lambda: not any(Path(f"/proc/{pid}").exists() for pid in seen), 30), "a used kernel still runs"


def test_a_killed_service_falls_back_to_cold(tmp_path, service):
    pid = json.loads((service / "warm.json").read_text())["pid"]
    os.kill(pid, signal.SIGKILL)
    assert _wait(lambda: not warm.running(service), 10)
    # Its kernels notice that their parent is gone and exit.
    assert _wait(lambda: not _kernels_of(service), 30), "a kernel of the killed service still runs"
    result = _grade(variant(tmp_path, lambda nb: None), service)
    assert result["score"] == C1W1.max_score
    assert _warm_gradings(service) == []


def test_the_service_stops_when_idle(tmp_path, monkeypatch, empty_gradebook):
    folder = _folder(tmp_path, "idle", empty_gradebook)
    monkeypatch.setenv("KIT_GRADING_DIR", str(folder))
    assert warm.start(folder, idle_minutes=0.05)  # 3 s
    assert warm.running(folder)
    assert _wait(lambda: not warm.running(folder), 60), "the idle service did not stop"
    assert "idle for" in (folder / "warm.log").read_text()
    assert not (folder / "warm.json").exists() and not warm.Files(folder).sock.exists()
    assert _wait(lambda: not _kernels_of(folder), 30), "the stopped service left a kernel running"


@pytest.mark.fast
def test_without_a_service_grading_is_cold_and_starts_none(tmp_path, grading_dir):
    """KIT_WARM_GRADER unset: a grading never starts a service (the test suite grades hundreds
    of notebooks); the cold path answers a notebook that is not one of the kit's at once."""
    path = tmp_path / "notes.ipynb"
    path.write_text(json.dumps({"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    proc = run_cli("grade", str(path), grading=grading_dir)
    assert proc.returncode == 2 and "check cells" in proc.stderr
    assert not warm.running(grading_dir) and not (grading_dir / "warm.log").exists()


def test_settings_other_than_the_service_s_grade_cold(tmp_path, service):
    """A grading with another cell time limit than the service was started with is graded cold
    (the service's kernels and configuration are not this grading's)."""
    result = _grade(variant(tmp_path, lambda nb: None), service, KIT_CELL_TIMEOUT="30")
    assert result["score"] == C1W1.max_score
    assert _warm_gradings(service) == []
    assert warm.running(service)  # still there for gradings with its settings


def test_the_jupyter_server_starts_the_warm_grader_and_it_stops_with_it(tmp_path):
    """`make lab`'s server (the kit's venv, its server extension enabled) starts a warm grader
    for its grading folder, with the server as its parent; a second server on the same folder
    starts none; the grader and its kernels are gone once the first server has stopped."""
    from autograder.processes import alive
    from tests.browser_support import KIT_BIN, running_lab

    root, home = tmp_path / "root", tmp_path / "home"
    root.mkdir()
    grading = home / "grading"  # isolated_env's KIT_GRADING_DIR
    with running_lab(KIT_BIN, root, home) as first:
        assert _wait(lambda: (warm.status(grading) or {}).get("parent") == first.proc.pid, 180), \
            (grading / "warm.log").read_text() if (grading / "warm.log").exists() else first.log_tail()
        service = warm.status(grading)["pid"]
        with running_lab(KIT_BIN, root, home) as second:
            assert _wait(lambda: "a warm grader already runs" in second.log.read_text(errors="replace"), 60), \
                second.log_tail()
            assert warm.status(grading)["pid"] == service
    assert _wait(lambda: not warm.running(grading), 30), "the warm grader outlived its Jupyter server"
    assert _wait(lambda: not alive(service) and not _kernels_of(grading), 30), "the warm grader left a process"
    assert "has exited: stopping" in (grading / "warm.log").read_text()
