"""The Grade button's server side: a Jupyter server extension with two endpoints.

    POST {base_url}ml-course-kit/grade          {"path": "<notebook path, relative to the server's root>"}
    GET  {base_url}ml-course-kit/feedback/<id>  the HTML feedback report of assignment <id>

Grading goes through the very pipeline `make grade` uses: `python -m autograder grade PATH --json`
in a child process (which calls `grading.grade`, and so whatever service it uses), so the
Jupyter server never imports nbgrader, never has its standard error redirected by the grader, and
stays responsive while a notebook is graded. One grading runs per notebook at a time: a second
request for the same notebook waits for the running one and gets its result.

The child prints the result before it writes the HTML feedback report (issue 16 §3): the answer
goes back as soon as that JSON is whole, while the child goes on to write the report. The report's endpoint serves it once it is there: it waits for that
child, or has one written (`python -m autograder feedback-report ID`, which waits for a grading
or report of the module in progress in any process instead of writing it twice), so the link in
the Grade dialog works at once, and also after a grader was stopped before its report.

Answers are JSON with a "status": "graded" (the result, as `grade --json` prints it), "not-kit"
(a notebook that is not one of the kit's exercises or quizzes: one line), or "error" (the kit's
one-paragraph message). Both endpoints need the server's authentication; the POST also passes
jupyter_server's XSRF check, as every API request does.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import sys
import time
from pathlib import Path

from jupyter_server.base.handlers import APIHandler, JupyterHandler
from jupyter_server.utils import url_path_join
from tornado import escape, web

from autograder import paths

NAMESPACE = "ml-course-kit"
NOT_KIT = ("This notebook is not one of the course kit's exercises or quizzes, so it cannot be "
           "graded: the Grade button grades exercises/<module>/<module>.ipynb (and the quizzes beside them).")
# A report is written in about a second; the report's handler gives up after this long.
FEEDBACK_WAIT_SECONDS = 300.0


def _jupyter_server_extension_points() -> list[dict]:
    return [{"module": "autograder.server_extension"}]


class Grader:
    """Runs gradings in child processes, one at a time per notebook."""

    def __init__(self, root_dir: Path, log):
        self.root_dir = root_dir.resolve()
        self.log = log
        self.running: dict[Path, asyncio.Future] = {}
        # Per module id: the child writing its feedback report (a grading's child after its
        # answer, or `feedback-report`), which the report's handler waits for.
        self.reports: dict[str, asyncio.Task] = {}
        self.children: set[asyncio.Task] = set()  # (held until done)

    def notebook(self, relative: str) -> Path:
        """The notebook at `relative` (a path below the server's root, as JupyterLab gives it)."""
        path = (self.root_dir / relative.lstrip("/")).resolve()
        if path != self.root_dir and self.root_dir not in path.parents:
            raise web.HTTPError(403, "the notebook is outside the server's root folder")
        return path

    async def grade(self, path: Path) -> dict:
        running = self.running.get(path)
        if running is not None:  # a second click: the same grading's result
            result = dict(await asyncio.shield(running))
            result["joined"] = True
            return result
        future = asyncio.get_running_loop().create_future()
        self.running[path] = future
        try:
            result = await self._grade(path)
            future.set_result(result)
            return result
        except BaseException as exc:
            future.set_exception(exc)
            future.exception()  # retrieved: no "exception never retrieved" warning
            raise
        finally:
            del self.running[path]

    async def _grade(self, path: Path) -> dict:
        reason = not_kit_reason(path)
        if reason:
            return {"status": "not-kit", "message": reason}
        started = time.monotonic()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "autograder", "grade", str(path), "--json",
            cwd=str(paths.ROOT), env=env, stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
        errors = asyncio.ensure_future(proc.stderr.read())  # read alongside: a full pipe would block the child
        out, run = b"", None
        while run is None:  # until the result is whole: the child goes on to write the report
            chunk = await proc.stdout.read(1 << 16)
            if not chunk:
                break
            out += chunk
            if out.rstrip().endswith(b"}"):
                run = _json_object(out)
        seconds = time.monotonic() - started
        if run is not None:
            self.log.info("ml-course-kit: graded %s in %.1f s (the report follows)", path, seconds)
            modules = [nb.get("module") for nb in run.get("notebooks", []) if isinstance(nb, dict)]
            task = asyncio.ensure_future(self._report_child(proc, errors, f"the report of {path}"))
            self.children.add(task)
            task.add_done_callback(self.children.discard)
            for module_id in modules:
                if isinstance(module_id, str):
                    self.reports[module_id] = task
                    task.add_done_callback(lambda t, m=module_id: self._forget(m, t))
            return {"status": "graded", "seconds": round(seconds, 2), "run": run}
        await proc.wait()
        err = await errors
        self.log.info("ml-course-kit: graded %s in %.1f s (exit status %s)", path, seconds, proc.returncode)
        return {"status": "error", "message": _error_paragraph(err) or _unexpected(out, err)}

    async def _report_child(self, proc, errors: asyncio.Future, what: str) -> int:
        if proc.stdout is not None:
            await proc.stdout.read()  # the rest, after the result (nothing is expected)
        err = await errors
        code = await proc.wait()
        if code != 0:
            self.log.warning("ml-course-kit: %s was not written (exit status %s): %s", what, code,
                             _error_paragraph(err) or err.decode("utf-8", errors="replace")[-2000:])
        else:
            self.log.info("ml-course-kit: %s is written", what)
        return code

    def _forget(self, module_id: str, task: asyncio.Task) -> None:
        if self.reports.get(module_id) is task:
            del self.reports[module_id]

    async def report(self, module_id: str, report: Path) -> None:
        """Once this returns, the module's last feedback report is at `report` if it can be: the
        child writing it is waited for, or one is started (one at a time per module); also when
        a grading's child stopped before its report (killed): `feedback-report` writes it."""
        for _ in range(2):
            if report.is_file():
                return
            task = self.reports.get(module_id)
            if task is None:  # (registered before any await: a second request finds it)
                task = asyncio.ensure_future(self._write_report(module_id))
                self.reports[module_id] = task
                task.add_done_callback(lambda t: self._forget(module_id, t))
                await asyncio.wait_for(asyncio.shield(task), FEEDBACK_WAIT_SECONDS)
                return
            await asyncio.wait_for(asyncio.shield(task), FEEDBACK_WAIT_SECONDS)

    async def _write_report(self, module_id: str) -> int:
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "autograder", "feedback-report", module_id,
            cwd=str(paths.ROOT), env=dict(os.environ, PYTHONUNBUFFERED="1"),
            stdin=asyncio.subprocess.DEVNULL, stdout=asyncio.subprocess.DEVNULL,
            stderr=asyncio.subprocess.PIPE)
        return await self._report_child(proc, asyncio.ensure_future(proc.stderr.read()),
                                        f"the report of {module_id}")


def not_kit_reason(path: Path) -> str | None:
    """None for a notebook the kit grades (its metadata or its check cells say which module);
    otherwise the one line the learner sees. Problems the grader itself explains (an unreadable
    or broken notebook) are left to it: its message is better than a guess here."""
    from autograder import submission, syllabus

    if path.suffix != ".ipynb" or not path.is_file():
        return None
    try:
        nb = json.loads(path.read_text(encoding="utf-8-sig"))
        if not isinstance(nb, dict):
            return None
        return None if submission.module_of(nb, syllabus.load()) is not None else NOT_KIT
    except (OSError, ValueError):
        return None


def _json_object(out: bytes) -> dict | None:
    try:
        run = json.loads(out)
    except ValueError:
        return None
    return run if isinstance(run, dict) else None


def _error_paragraph(stderr: bytes) -> str:
    """The kit's own message: the CLI prints it as `error: <one paragraph>` on standard error."""
    text = stderr.decode("utf-8", errors="replace")
    lines = [line for line in text.splitlines() if line.startswith("error: ")]
    return lines[-1][len("error: "):].strip() if lines else ""


def _unexpected(out: bytes, err: bytes) -> str:
    log = paths.grading_dir() / "grade-button-error.log"
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_bytes(b"--- stdout\n" + out + b"\n--- stderr\n" + err)
        where = f"The details are in {log}."
    except OSError:
        where = ""
    return (f"The kit hit an unexpected problem while grading and stopped; your notebook is unchanged. "
            f"{where} Try `make grade` in a terminal, and please report it with that file.").replace("  ", " ")


class GradeHandler(APIHandler):
    @property
    def grader(self) -> Grader:
        return self.settings["ml_course_kit_grader"]

    @web.authenticated
    async def post(self) -> None:
        try:
            body = json.loads(self.request.body or b"{}")
        except ValueError:
            raise web.HTTPError(400, "the request body is not JSON") from None
        relative = body.get("path") if isinstance(body, dict) else None
        if not isinstance(relative, str) or not relative:
            raise web.HTTPError(400, "say which notebook to grade: {\"path\": ...}")
        path = self.grader.notebook(relative)
        try:
            result = await self.grader.grade(path)
        except Exception as exc:  # noqa: BLE001 - the learner gets a paragraph, the log the details
            self.log.exception("ml-course-kit: grading %s failed", path)
            result = {"status": "error", "message": _unexpected(b"", repr(exc).encode())}
        result["path"] = relative
        self.set_header("Content-Type", "application/json")
        self.finish(json.dumps(result))

    @web.authenticated
    def get(self) -> None:
        """Which notebooks (paths below the root) are being graded right now."""
        root = self.grader.root_dir
        self.finish(json.dumps({"grading": sorted(str(p.relative_to(root)) for p in self.grader.running)}))


class FeedbackHandler(JupyterHandler):
    @web.authenticated
    async def get(self, assignment: str) -> None:
        from autograder.nbgrader_setup import STUDENT

        if assignment in ("", ".", "..") or "/" in assignment:
            raise web.HTTPError(404)
        report = paths.GradingLayout(paths.grading_dir()).feedback(STUDENT, assignment)
        if not report.is_file():  # not written yet (it follows the table), or never graded
            with contextlib.suppress(asyncio.TimeoutError):
                await self.settings["ml_course_kit_grader"].report(assignment, report)
        if not report.is_file():
            self.set_status(404)
            self.finish(f"<p>There is no feedback report for {escape.xhtml_escape(assignment)} yet: "
                        "grade the notebook first (its Grade button, or <code>make grade</code>).</p>")
            return
        self.set_header("Content-Type", "text/html; charset=utf-8")
        self.set_header("Cache-Control", "no-store")
        self.finish(report.read_bytes())


def _load_jupyter_server_extension(serverapp) -> None:
    web_app = serverapp.web_app
    root_dir = Path(getattr(serverapp, "root_dir", None) or os.getcwd()).expanduser()
    web_app.settings["ml_course_kit_grader"] = Grader(root_dir, serverapp.log)
    base = url_path_join(web_app.settings["base_url"], NAMESPACE)
    web_app.add_handlers(".*$", [
        (url_path_join(base, "grade"), GradeHandler),
        (url_path_join(base, "feedback", r"([^/]+)"), FeedbackHandler),
    ])
    serverapp.log.info("ml-course-kit: the Grade button's endpoints are at %s", base)
    from autograder import warm  # the warm grader: started in the background, stops with the server

    warm.start_with_server(serverapp.log)


# jupyter_server < 2 names
load_jupyter_server_extension = _load_jupyter_server_extension
