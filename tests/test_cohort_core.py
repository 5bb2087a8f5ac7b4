"""Cohort mode's grading core (issue 14): many learners in one grading folder and gradebook.

The learner id goes through the whole pipeline (gradebook rows, submitted/autograded/feedback
folders, history); one lock per learner and module, so learners are graded at the same time; the
gradebook reached by URL; a resubmission replaces the learner's score only once it is graded in
full. The services (Postgres, Redis, Celery, the hub) are tests/test_cohort.py's.
"""

from __future__ import annotations

import copy
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from autograder import grading, history, paths, syllabus
from tests.conftest import ROOT, sha256

C1W1 = syllabus.load().module("c1w1")
SOURCE = json.loads(C1W1.solution_path.read_text())

# What a Celery task of cohort mode does: grade one learner's notebook of one module.
GRADE = """
import json, sys
from pathlib import Path
from autograder import grading, submission
learner, path, folder, db_url = sys.argv[1:5]
run = grading.grade([submission.resolve(path)], learner=learner, grading=Path(folder), db_url=db_url or None)
print(json.dumps({"score": run.score, "feedback": run.notebooks[0].feedback,
                  "tests": {t.grade_id: t.passed for t in run.notebooks[0].tests}}))
"""


def notebook(folder: Path, edit=None) -> Path:
    nb = copy.deepcopy(SOURCE)
    if edit:
        edit(nb)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "c1w1.ipynb"
    path.write_text(json.dumps(nb, indent=1))
    return path


def _cell(nb: dict, grade_id: str) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") == grade_id)


def forgot_the_half(nb: dict) -> None:  # a catalogued mistake: 1/m instead of 1/(2m)
    cell = _cell(nb, "compute_cost")
    source = "".join(cell["source"])
    assert "/ (2 * m)" in source
    cell["source"] = source.replace("/ (2 * m)", "/ m")


def sleeps(nb: dict) -> None:  # a notebook that keeps its grader busy (to be killed meanwhile)
    nb["cells"].insert(1, {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                           "source": "import time\ntime.sleep(120)"})


def start(learner: str, path: Path, folder: Path, db_url: str = "") -> subprocess.Popen:
    env = dict(os.environ)
    env["PATH"] = str(Path(sys.executable).parent) + os.pathsep + env.get("PATH", "")
    env.pop("KIT_GRADING_DIR", None)  # the folder is given to grade() itself
    return subprocess.Popen([sys.executable, "-c", GRADE, learner, str(path), str(folder), db_url], cwd=ROOT,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def finish(proc: subprocess.Popen) -> dict:
    out, err = proc.communicate(timeout=600)
    assert proc.returncode == 0, err
    return json.loads(out)


def gradebook_scores(db_url: str) -> dict[str, float]:
    """Every student's score for c1w1, as nbgrader's own API reads the gradebook."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        return {s.student.id: s.score for s in gb.assignment_submissions("c1w1")}


# ---- the locks

def _acquired_within(fn, seconds: float) -> bool:
    done = threading.Event()

    def run():
        with fn():
            done.set()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return done.wait(seconds)


def test_one_lock_per_learner_and_module(tmp_path):
    folder = tmp_path / "grading"
    with grading.job_locks(folder, [("ada", "c1w1")]):
        # another learner, or another module of the same learner: at once
        assert _acquired_within(lambda: grading.job_locks(folder, [("bob", "c1w1")]), 5)
        assert _acquired_within(lambda: grading.job_locks(folder, [("ada", "c1w2")]), 5)
        # the same learner's same module waits
        assert not _acquired_within(lambda: grading.job_locks(folder, [("ada", "c1w1")]), 0.5)
    # gradings share the folder's lock; only a repair has it to itself
    with grading.folder_lock(folder):
        assert _acquired_within(lambda: grading.folder_lock(folder), 5)
        assert not _acquired_within(lambda: grading.locked(folder), 0.5)


def test_a_staging_id_is_never_a_learners():
    assert paths.staging_id("ada") == "ada+grading" and paths.is_staging("ada+grading")
    assert paths.learner_of("ada+grading") == "ada" and paths.learner_of("ada") == "ada"
    assert paths.sqlite_file("sqlite:////tmp/x/gradebook.db") == Path("/tmp/x/gradebook.db")
    assert paths.sqlite_file("postgresql+psycopg2://kit@127.0.0.1:5433/gradebook") is None
    assert paths.sqlite_file("sqlite://") is None


# ---- grading many learners

def test_a_student_added_by_a_parallel_grading_is_found_not_added_twice(tmp_path, monkeypatch):
    """Two modules of one learner graded side by side both add the learner's (staging) student;
    the one that loses the race must find the row, not fail on UNIQUE(student.id)."""
    from nbgrader.api import Gradebook, MissingEntry

    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as gb:
        gb.add_student("learner+grading")  # the other grading's row, added after our find
    real_find = Gradebook.find_student
    missed = []

    def find_after_the_other(self, student_id):
        if not missed:  # our first look comes just before the other grading's add
            missed.append(student_id)
            raise MissingEntry()
        return real_find(self, student_id)

    monkeypatch.setattr(Gradebook, "find_student", find_after_the_other)
    grading._ensure_students(url, ("learner+grading", "learner"))
    monkeypatch.undo()
    assert missed == ["learner+grading"]
    with Gradebook(url) as gb:
        assert sorted(s.id for s in gb.students) == ["learner", "learner+grading"]


@pytest.mark.slow
def test_learners_are_graded_at_once_each_into_their_own_rows(tmp_path):
    """Three learners, one grading folder, a gradebook at another SQLite URL. While the test
    holds ada's lock, bob and cy are graded at the same time in two processes; ada's grading
    waits for her lock only, and then runs."""
    folder = tmp_path / "grading"
    db_url = f"sqlite:///{tmp_path / 'cohort gradebook.db'}"
    right = notebook(tmp_path / "right")
    wrong = notebook(tmp_path / "wrong", forgot_the_half)
    with grading.job_locks(folder, [("ada", "c1w1")]):
        ada = start("ada", right, folder, db_url)
        bob, cy = start("bob", right, folder, db_url), start("cy", wrong, folder, db_url)
        results = {"bob": finish(bob), "cy": finish(cy)}
        assert ada.poll() is None, "ada's grading should be waiting for her lock"
    results["ada"] = finish(ada)

    assert results["ada"]["score"] == results["bob"]["score"] == C1W1.max_score
    assert results["cy"]["score"] < C1W1.max_score and not results["cy"]["tests"]["test_compute_cost"]
    # the gradebook: one row per learner, no staging ids left, nothing in the folder's default file
    assert gradebook_scores(db_url) == {"ada": C1W1.max_score, "bob": C1W1.max_score,
                                        "cy": results["cy"]["score"]}
    assert not (folder / "gradebook.db").exists()
    layout = paths.GradingLayout(folder)
    for who in ("ada", "bob", "cy"):
        assert results[who]["feedback"] == str(layout.feedback(who, "c1w1"))
        assert layout.feedback(who, "c1w1").exists() and layout.autograded(who, "c1w1").exists()
        assert layout.submitted(who, "c1w1").exists()
    assert "1/2" in layout.feedback("cy", "c1w1").read_text() or "2m" in layout.feedback("cy", "c1w1").read_text()
    assert not any(paths.is_staging(p.name) for base in ("submitted", "autograded", "feedback")
                   for p in (folder / base).iterdir())
    # the history: one row each, by learner
    assert sorted(history.learners(folder)) == ["ada", "bob", "cy"]
    for who in ("ada", "bob", "cy"):
        (attempt,) = history.attempts(folder, learner=who)
        assert attempt.score == results[who]["score"]
        assert attempt.result["feedback"] == str(layout.feedback(who, "c1w1"))


@pytest.mark.slow
def test_a_resubmission_replaces_the_score_only_once_graded(tmp_path, monkeypatch):
    folder = tmp_path / "grading"
    db_url = paths.GradingLayout(folder).gradebook_url
    layout = paths.GradingLayout(folder)
    first = finish(start("ada", notebook(tmp_path / "first"), folder))
    assert first["score"] == C1W1.max_score
    report = sha256(layout.feedback("ada", "c1w1"))

    # 1. killed (kill -9 of the grader and its kernels) in the middle of nbgrader's autograde
    proc = start("ada", notebook(tmp_path / "slow", sleeps), folder)
    staged = layout.autograded(paths.staging_id("ada"), "c1w1").parent
    deadline = time.monotonic() + 300
    while not staged.exists():
        assert proc.poll() is None, proc.communicate()
        assert time.monotonic() < deadline, "the grading never reached nbgrader's autograde"
        time.sleep(0.2)
    time.sleep(1)
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert gradebook_scores(db_url)["ada"] == C1W1.max_score
    assert sha256(layout.feedback("ada", "c1w1")) == report

    # 2. failing after nbgrader has scored it and written its report, just before the swap
    from autograder import feedback, submission

    def broken(*_args, **_kwargs):
        raise OSError("the summary could not be written")
    monkeypatch.setattr(feedback, "add_summary", broken)
    wrong = notebook(tmp_path / "wrong", forgot_the_half)
    with pytest.raises(OSError):
        grading.grade([submission.resolve(str(wrong))], learner="ada", grading=folder)
    monkeypatch.undo()
    assert gradebook_scores(db_url) == {"ada": C1W1.max_score}  # and no staging id left
    assert sha256(layout.feedback("ada", "c1w1")) == report
    assert not layout.feedback(paths.staging_id("ada"), "c1w1").exists()

    # 3. graded in full: now it replaces the score, the report and the autograded copy
    last = finish(start("ada", wrong, folder))
    assert last["score"] < C1W1.max_score
    assert gradebook_scores(db_url) == {"ada": last["score"]}
    assert sha256(layout.feedback("ada", "c1w1")) != report
    assert not any(paths.is_staging(p.name) for p in (folder / "autograded").iterdir())
    # the history keeps every attempt that was graded
    assert [a.score for a in history.attempts(folder, learner="ada")] == [C1W1.max_score, last["score"]]


# ---- the export

def test_the_export_has_one_row_per_real_learner_and_module(tmp_path, monkeypatch, capsys):
    """The ledger at a SQLite URL (no services): rows of the kit's staging ids (`+grading`), of
    another id with a "+", of a hidden name and of the instructor's account are left out of the
    CSV and the JSON; each real learner's newest grading of each module is in, once."""
    import argparse
    import csv

    from autograder.cohort import cli, ledger
    from autograder.cohort.config import Settings

    url = f"sqlite:///{tmp_path / 'ledger.db'}"
    monkeypatch.setenv("KIT_COHORT_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("KIT_COHORT_DB_URL", url)
    Settings.create()
    ledger.create(url)
    graded = [("ada", "c1w1", 5.0), ("ada+grading", "c1w1", 3.0), ("bob", "c1w1", 7.0), ("bob+grading", "c1w2", 2.0),
              ("ada", "c1w1", 9.0), ("instructor", "c1w1", 9.0), (".ipynb_checkpoints", "c1w1", 0.0),
              ("cy+test", "c1w2", 1.0), ("bob", "c1w2", 11.0)]
    for i, (learner, module, score) in enumerate(graded):
        job = f"job{i}"
        ledger.queue(url, job, learner, module, f"/submitted/{learner}/{module}/{module}.ipynb",
                     f"2026-12-01 10:00:0{i}.000000 UTC")
        assert ledger.start(url, job, worker="w", pid=1) == "queued"
        ledger.finish(url, job, score=score, max_score=11.0, result=None, reason=None)

    assert cli.export(argparse.Namespace(out=str(tmp_path / "out"))) == 0
    assert "3 rows" in capsys.readouterr().out
    with open(tmp_path / "out" / "scores.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    expected = [("ada", "c1w1", 9.0), ("bob", "c1w1", 7.0), ("bob", "c1w2", 11.0)]
    assert [(r["learner"], r["module"], float(r["score"])) for r in rows] == expected
    saved = json.loads((tmp_path / "out" / "scores.json").read_text(encoding="utf-8"))
    assert [(r["learner"], r["module"], r["score"]) for r in saved] == expected


# ---- grading slots (autograder/cohort/sandbox.py): one OS user per concurrent grading process

def test_each_grading_process_claims_its_own_slot_until_it_ends(tmp_path):
    """Slots are flock'ed files: a process holds its slot while it lives, however it ends
    (kill -9 too); the next process takes the first free one, so two gradings running at the
    same time never get the same slot (and so never the same grading user)."""
    from autograder.cohort import sandbox

    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from autograder.cohort import sandbox; "
        f"slot, fd = sandbox.claim_slot(Path({str(tmp_path)!r})); print(slot, flush=True); time.sleep(60)")],
        cwd=ROOT, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "1"
        assert sandbox.slot_held(1, tmp_path) and not sandbox.slot_held(2, tmp_path)
        second, fd2 = sandbox.claim_slot(tmp_path)
        third, fd3 = sandbox.claim_slot(tmp_path)
        assert (second, third) == (2, 3)
        assert (tmp_path / "slots" / "slot-2.lock").read_text().strip() == str(os.getpid())
        os.close(fd2)  # a process that ends lets its slot go ...
        assert not sandbox.slot_held(2, tmp_path)
        holder.kill()  # ... killed too
        holder.wait()
        assert not sandbox.slot_held(1, tmp_path)
        assert sandbox.claim_slot(tmp_path)[0] == 1 and sandbox.claim_slot(tmp_path)[0] == 2
        assert sandbox.slot_held(3, tmp_path)
        os.close(fd3)
    finally:
        holder.kill()
        holder.wait()
    assert [sandbox.slot_user(n) for n in (1, 12)] == ["kit-grader-1", "kit-grader-12"]
    assert sandbox.is_grader_user("kit-grader-3") and sandbox.is_grader_user("kit-grader")
    assert not any(sandbox.is_grader_user(n) for n in ("kit-graderx", "kit-grader-", "kit-instructors", "root"))


def test_the_kernel_launcher_starts_nothing_outside_a_grading_slot(tmp_path):
    """The sandbox's kernel command without a slot's user (KIT_SANDBOX_USER) refuses to start a
    kernel at all, rather than run the learner's code as whoever started it."""
    env = {k: v for k, v in os.environ.items() if k != "KIT_SANDBOX_USER"}
    for user in (None, "root"):
        if user:
            env["KIT_SANDBOX_USER"] = user
        done = subprocess.run([sys.executable, "-P", "-m", "autograder.cohort.sandbox", str(tmp_path / "kernel.json")],
                              cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and "the kernel is not started" in done.stderr, done
