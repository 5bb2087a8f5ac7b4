"""The HTML feedback report is written off the learner's wait (issue 16 §3), for real: the kit's
CLI in child processes and the Grade button's endpoints in a running Jupyter server.

The order is proven, not timed: KIT_TEST_REPORT_GATE holds a report back (after the table,
before the report is written) until the gate file exists, so the test sees the state between
the table and the report: the Grade answer (the CLI's `--json`) or the CLI's table is complete,
the report is not there, its pending marker is. From there: the grading's child killed (kill
-9) leaves no report and no half of one; the link opened meanwhile has the report written once
(two opens at once, one writer) and gets it whole; a reader polling the report while it is
written sees no report or all of it; and the next `grade` (the unchanged notebook, its recorded
result) prints its table before it writes a report left pending, then writes it.

One grading (through the Grade endpoint) serves it all; the killed state is saved (the grading
folder's feedback folder as the kill left it) and put back for the `grade` part.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from tests.browser_support import KIT_BIN, ROOT, _start_lab, isolated_env

pytestmark = pytest.mark.slow

MODULE = "c1w1"
SOLUTION = ROOT / "solutions" / MODULE / f"{MODULE}.ipynb"
WRITTEN = f"ml-course-kit: the report of {MODULE} is written"


def _complete(text: str) -> bool:
    """A whole report: nbgrader's page to its end, with the kit's summary of this grading."""
    return (text.rstrip().endswith("</html>") and "class='kit-summary'" in text
            and f"<h2>{MODULE}: 9 / 9 points</h2>" in text)


def _get(server, path: str) -> tuple[int, bytes]:
    request = urllib.request.Request(server.url + path, headers={"Authorization": f"token {server.token}"})
    try:
        with urllib.request.urlopen(request, timeout=300) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _post_grade(server, path: str) -> dict:
    request = urllib.request.Request(server.url + "/ml-course-kit/grade", method="POST",
                                     data=json.dumps({"path": path}).encode(),
                                     headers={"Authorization": f"token {server.token}",
                                              "Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=300) as response:
        return json.loads(response.read())


def _grading_child(server_pid: int) -> int:
    """The pid of the server's child running `python -m autograder grade ... --json`."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (entry / "cmdline").read_bytes().split(b"\0")
        except (OSError, IndexError, ValueError):
            continue
        if ppid == server_pid and b"autograder" in argv and b"grade" in argv and b"--json" in argv:
            found.append(int(entry.name))
    assert len(found) == 1, found
    return found[0]


def _wait_dead(pid: int) -> None:
    stat = Path(f"/proc/{pid}/stat")
    for _ in range(3000):
        try:
            if stat.read_text().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                return
        except (OSError, IndexError):
            return
        threading.Event().wait(0.01)
    raise AssertionError(f"process {pid} did not die after SIGKILL")


class _Reader:
    """Reads the report over and over while it is written: each read must be the whole report."""

    def __init__(self, report: Path):
        self.report, self.seen, self.stop = report, [], threading.Event()
        self.thread = threading.Thread(target=self._run)

    def _run(self) -> None:
        while not self.stop.is_set():
            try:
                self.seen.append(_complete(self.report.read_text(encoding="utf-8")))
            except FileNotFoundError:
                pass

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        assert all(self.seen), f"a reader saw part of a report ({self.seen.count(False)} of {len(self.seen)} reads)"


def test_report_after_the_table_whole_and_never_lost(tmp_path):
    from autograder import paths

    grading, gate = tmp_path / "grading", tmp_path / "gate"  # no gate file: reports are held back
    root = tmp_path / "root"
    root.mkdir()
    notebook = root / f"{MODULE}.ipynb"
    shutil.copy(SOLUTION, notebook)
    report = paths.GradingLayout(grading).feedback("learner", MODULE)
    marker = report.parent / ".report-pending.json"
    env = isolated_env(tmp_path / "home", KIT_BIN)
    env.update(KIT_GRADING_DIR=str(grading), KIT_WARM_GRADER="0", KIT_TEST_REPORT_GATE=str(gate))
    server = _start_lab(KIT_BIN, root, env, root, tmp_path / "lab.log", (), 120)
    try:
        # The Grade answer (the dialog's table) comes while the report is held back.
        answer = _post_grade(server, notebook.name)
        assert answer["status"] == "graded", answer
        nb = answer["run"]["notebooks"][0]
        assert (nb["score"], nb["max_score"]) == (9, 9) and nb["feedback"] == str(report), nb
        assert not report.exists() and marker.is_file(), "the report was there before the answer"
        # The history and the progress do not wait for the report.
        progress = subprocess.run([sys.executable, "-m", "autograder", "progress", "--json"], cwd=ROOT,
                                  env=dict(os.environ, KIT_GRADING_DIR=str(grading)), capture_output=True,
                                  text=True, timeout=120)
        row = next(m for m in json.loads(progress.stdout)["modules"] if m["module"] == MODULE)
        assert (row["latest"], row["attempts"], row["status"]) == (9, 1, "passed"), row

        with ThreadPoolExecutor(2) as pool:
            # The link opened right after the answer waits for that grading's report ...
            opened = [pool.submit(_get, server, f"/ml-course-kit/feedback/{MODULE}") for _ in range(2)]
            # ... whose child is killed after its table, before its report.
            child = _grading_child(server.proc.pid)
            os.kill(child, signal.SIGKILL)
            _wait_dead(child)
            assert not report.exists() and marker.is_file(), "a killed grader left a report"
            assert not list(report.parent.glob("*.part")), list(report.parent.iterdir())
            killed_state = tmp_path / "as-killed"
            shutil.copytree(report.parent, killed_state)
            # The opens go on: the report is written once (`feedback-report`), whole.
            with _Reader(report):
                gate.touch()
                results = [f.result(timeout=300) for f in opened]
        for status, body in results:
            assert status == 200 and _complete(body.decode("utf-8")), (status, body[:300], server.log_tail())
        assert not marker.exists() and not list(report.parent.glob("*.part"))
        log = server.log.read_text(errors="replace")
        assert log.count(WRITTEN) == 1, log[-3000:]  # one writer for both opens
        assert f"the report of {notebook} was not written (exit status -9)" in log, log[-3000:]
        status, body = _get(server, "/ml-course-kit/feedback/c2w2")  # never graded: said so
        assert status == 404 and b"grade the notebook first" in body, body
    finally:
        server.stop()

    # The next `grade`, from the state the kill left: its table is printed (and its output closed)
    # before it writes the pending report; then it writes it.
    shutil.rmtree(report.parent)
    shutil.copytree(killed_state, report.parent)
    gate.unlink()
    cli_env = dict(os.environ, KIT_GRADING_DIR=str(grading), KIT_WARM_GRADER="0", KIT_TEST_REPORT_GATE=str(gate))
    proc = subprocess.Popen([sys.executable, "-m", "autograder", "grade", str(notebook), "--skip-unchanged"],
                            cwd=ROOT, env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            stdin=subprocess.DEVNULL, text=True)
    try:
        table = proc.stdout.read()  # to its end, while the report is held back
        assert proc.poll() is None and not report.exists() and marker.is_file(), table
        assert "unchanged since" in table and "total                        9 / 9" in table, table
        assert f"feedback report: {report}" in table, table
        with _Reader(report):
            gate.touch()
            assert proc.wait(timeout=300) == 0, proc.stderr.read()
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert _complete(report.read_text(encoding="utf-8"))
    assert not marker.exists() and not list(report.parent.glob("*.part"))
