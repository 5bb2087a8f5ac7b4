"""Instant checks: one check cell run in a warm kernel, as a learner runs it in JupyterLab.

Per module one kernel is started with jupyter_client; the solution notebook's cells up to the
last check cell are run (the setup cells and the solution cells, so every graded function is
defined; the check cells are left out). Then each check cell's source (a graded function's values
check and each of its rule checks) is executed: the first run
(it imports the module's check library) is reported apart, and the next `runs` are timed as the
round-trip of the execute request to its reply.

Each module's quiz (if it has one) is measured the same way in its own kernel: the solution quiz
notebook's cells (the answers and the draws) are run, then each answer's check cell is timed.
"""

from __future__ import annotations

import json
import queue
import subprocess
import time

from bench.common import Failed, Section, apply_base_env, guarded, log, median

TARGET_MS = 20.0  # issue 16: every instant check and every quiz answer, on a passing run


def _code_cells(nb: dict) -> list[tuple[str | None, str]]:
    cells = []
    for cell in nb["cells"]:
        if cell.get("cell_type") == "code":
            grade_id = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            cells.append((grade_id, "".join(cell["source"])))
    return cells


class WarmKernel:
    def __init__(self, cwd):
        from jupyter_client.manager import start_new_kernel

        apply_base_env()
        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd), stderr=subprocess.DEVNULL)

    def execute(self, code: str, timeout: float = 120) -> tuple[float, dict, list[dict]]:
        """(seconds from request to reply, reply content, iopub outputs of this request)."""
        self._drain()
        started = time.perf_counter()
        msg_id = self.kc.execute(code)
        deadline = time.monotonic() + timeout
        while True:
            try:
                reply = self.kc.get_shell_msg(timeout=max(0.01, deadline - time.monotonic()))
            except queue.Empty:
                raise Failed(f"no reply within {timeout:.0f} s") from None
            if reply["parent_header"].get("msg_id") == msg_id:
                seconds = time.perf_counter() - started
                break
        outputs = self._outputs(msg_id)
        return seconds, reply["content"], outputs

    def _outputs(self, msg_id: str) -> list[dict]:
        """The request's iopub messages, up to its 'idle' status."""
        out = []
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                msg = self.kc.get_iopub_msg(timeout=1)
            except queue.Empty:
                continue
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                break
            if msg["msg_type"] in ("stream", "error", "execute_result", "display_data"):
                out.append(msg)
        return out

    def _drain(self) -> None:
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0)
            except queue.Empty:
                return

    def close(self) -> None:
        try:
            self.kc.stop_channels()
        finally:
            self.km.shutdown_kernel(now=True)


def _problem(content: dict, outputs: list[dict]) -> str | None:
    if content.get("status") != "ok":
        return f"{content.get('ename')}: {content.get('evalue')}"[:200]
    for msg in outputs:
        if msg["msg_type"] == "stream" and msg["content"].get("name") == "stderr":
            return "wrote to stderr: " + msg["content"]["text"].strip()[:150]
    return None


def _module(module, runs: int) -> list[dict]:
    nb = json.loads(module.solution_path.read_text(encoding="utf-8"))
    cells = _code_cells(nb)
    tests = {c.test_id: c.name for c in module.checks}  # every check cell: values checks and rule checks
    check_source = {grade_id: src for grade_id, src in cells if grade_id in tests}
    last = max((i for i, (gid, _) in enumerate(cells) if gid in tests), default=len(cells) - 1)
    cwd = module.exercise_path.parent if module.exercise_path.parent.exists() else module.solution_path.parent
    rows = []
    kernel = WarmKernel(cwd)
    try:
        for grade_id, source in cells[: last + 1]:
            if grade_id in tests:
                continue
            _, content, outputs = kernel.execute(source)
            if content.get("status") != "ok":
                raise Failed(f"a set-up or solution cell failed: {_problem(content, outputs)}")
        baseline = [kernel.execute("pass")[0] * 1000 for _ in range(max(3, runs))]
        for f in module.checks:
            row = {"module": module.id, "function": f.function, "rule": f.rule,
                   "kind": "quiz" if module.is_quiz else "exercise", "empty_cell_ms": median(baseline)}
            source = check_source.get(f.test_id)
            if source is None:
                row["error"] = f"no check cell {f.test_id} in the solution notebook"
                rows.append(row)
                continue
            try:
                times = []
                for _ in range(runs + 1):  # the first run imports the check library: reported apart
                    seconds, content, outputs = kernel.execute(source)
                    problem = _problem(content, outputs)
                    if problem:
                        raise Failed(problem)
                    times.append(seconds * 1000)
                first, times = times[0], times[1:]
                row.update(first_ms=first, runs_ms=times, median_ms=median(times), met=median(times) < TARGET_MS)
            except Exception as exc:  # noqa: BLE001
                row["error"] = str(exc)[:200]
            rows.append(row)
    finally:
        kernel.close()
    return rows


def run(modules, runs: int) -> Section:
    """Each module's check cells, then its quiz's answer checks (rows of kind "quiz")."""
    from autograder import syllabus

    section = Section("instant", "Instant checks in a warm kernel")
    rows: list[dict] = []
    course = syllabus.load()
    for module in modules:
        for item in (module, course.quiz_of(module.id)):
            if item is None:
                continue
            log(f"instant checks: {item.id}")
            got = guarded(f"instant checks of {item.id}", lambda m=item: _module(m, runs), section.errors)
            if got is None:
                rows += [{"module": item.id, "function": c.function, "rule": c.rule,
                          "kind": "quiz" if item.is_quiz else "exercise",
                          "error": section.errors[-1].split(": ", 1)[-1]} for c in item.checks]
            else:
                rows += got
    section.data = {"rows": rows, "runs": runs, "target_ms": TARGET_MS}
    return section


def _name(row: dict) -> str:
    """`f` for a values check (or a quiz answer), `f` (rule: r) for a rule check."""
    rule = row.get("rule")
    return f"`{row['function']}`" + (f" (rule: {rule.replace('_', ' ')})" if rule else "")


def render(sec, table, ms, yes):
    """The summary's (target, measured, met) and the section's text: one table for the exercises'
    checks, one for the quiz answers' checks (bench/report.py's helpers passed in)."""
    d = sec.data
    rows = d.get("rows", [])
    target_ms = d.get("target_ms", 50)
    runs = d.get("runs")
    target = (f"every check cell (graded functions' values and rule checks, quiz answers) < {target_ms:g} ms "
              f"on a passing run (median of {runs} runs, warm kernel)")
    groups = [("checks", [r for r in rows if r.get("kind", "exercise") != "quiz"]),
              ("quiz answers", [r for r in rows if r.get("kind") == "quiz"])]
    measured, met, body = [], True, [
        "A check cell's source executed in a kernel that has run the solution notebook's other cells, timed "
        "from the execute request to its reply. *First run* imports the check library; *median* is over the "
        "runs after it; *empty cell* is the round-trip of `pass` in the same kernel."]
    for label, group in groups:
        if not group:
            continue
        ok = [r for r in group if "median_ms" in r]
        n_met = sum(bool(r.get("met")) for r in ok)
        met = met and n_met == len(group)
        if ok:
            slowest = max(ok, key=lambda r: r["median_ms"])
            measured.append(f"{n_met} of {len(group)} {label} under target; slowest {slowest['module']} "
                            f"{_name(slowest)} {slowest['median_ms']:.1f} ms")
        else:
            measured.append(f"{label}: nothing measured")
        first_col = "check" if label == "checks" else "answer"
        body.append(f"**{label[0].upper() + label[1:]}**\n\n" + table(
            ["module", first_col, "first run", f"median of {runs}", "min – max", "empty cell", "met"],
            [[r["module"], _name(r), ms(r.get("first_ms")), ms(r.get("median_ms")),
              f"{min(r['runs_ms']):.1f} – {max(r['runs_ms']):.1f} ms" if r.get("runs_ms") else "–",
              ms(r.get("empty_cell_ms")), f"failed: {r['error']}" if "error" in r else yes(r.get("met"))]
             for r in group]))
    if not measured:
        return (target, "nothing measured", False), ""
    return (target, "; ".join(measured), met), "\n\n".join(body)
