"""Grading: the kit's `python -m autograder grade` against bare `nbgrader autograde`, on the same
submissions (copies of the solution notebooks), measured side by side in one run.

Bare nbgrader grades in a throw-away course folder (source/<m>/<m>.ipynb copied from solutions/,
`nbgrader generate_assignment <m> --force` once, the submission in submitted/learner/<m>/), as the
subprocess `nbgrader autograde <m> --student learner --force` with the venv's bin first on PATH.
The kit grades the same file with KIT_GRADING_DIR set to a folder warmed once (the gradebook
already holds the assignments), as a learner re-grading would. Runs alternate bare and kit, so a
change of machine load during the run falls on both.
"""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

from bench.common import BIN, PY, ROOT, Failed, Section, Timed, base_env, guarded, log, median, run_timed

ONE_MODULE_TARGET = 1.10  # kit / bare
COURSE_TARGET = 0.50  # kit (parallel) / bare (sequential)
STUDENT = "learner"


class Workspace:
    """The throw-away nbgrader course folder, the kit's grading folder and the submissions."""

    def __init__(self, tmp: Path, modules):
        self.tmp = tmp
        self.bare = tmp / "bare-course"
        self.kit_grading = tmp / "kit-grading"
        self.subs = tmp / "submissions"
        self.modules = {m.id: m for m in modules}
        self.bare_ready: dict[str, str] = {}  # module -> "ok" or why not
        self.kit_ready: dict[str, str] = {}

    def kit_env(self) -> dict[str, str]:
        return base_env(KIT_GRADING_DIR=str(self.kit_grading))

    def submission(self, module_id: str) -> Path:
        return self.subs / module_id / f"{module_id}.ipynb"

    def prepare(self) -> None:
        """Copy the submissions and sources, generate bare nbgrader's assignments, warm the kit's
        grading folder. Not timed; a module that fails here is left out and reported."""
        copied = []
        for module_id, module in self.modules.items():
            try:
                sub = self.submission(module_id)
                source = self.bare / "source" / module_id / f"{module_id}.ipynb"
                submitted = self.bare / "submitted" / STUDENT / module_id / f"{module_id}.ipynb"
                for path in (sub, source, submitted):
                    path.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(module.solution_path, path)
                copied.append(module_id)
            except OSError as exc:
                self.bare_ready[module_id] = self.kit_ready[module_id] = f"could not copy the notebook: {exc}"
        if not copied:
            return
        log("bare nbgrader: generate_assignment for every module")
        try:
            t = run_timed([PY, str(ROOT / "bench" / "bare_setup.py"), str(self.bare), *copied],
                          cwd=self.bare, env=base_env(), timeout=900)
            self.bare_ready.update(json.loads(t.proc.stdout.strip().splitlines()[-1]))
        except Exception as exc:  # noqa: BLE001
            self.bare_ready.update({m: f"set-up failed: {exc}" for m in copied})
        log("kit: warming its grading folder (every assignment loaded into its gradebook)")
        try:
            t = run_timed([PY, str(ROOT / "bench" / "warm_kit.py"), *copied],
                          cwd=ROOT, env=self.kit_env(), timeout=900)
            self.kit_ready.update(json.loads(t.proc.stdout.strip().splitlines()[-1]))
        except Exception as exc:  # noqa: BLE001
            self.kit_ready.update({m: f"warm-up failed: {exc}" for m in copied})

    def ready(self) -> list[str]:
        return [m for m in self.modules if self.bare_ready.get(m) == "ok" and self.kit_ready.get(m) == "ok"]

    # -- the measured commands ------------------------------------------------------------------

    def bare_autograde(self, module_id: str) -> Timed:
        return run_timed([str(BIN / "nbgrader"), "autograde", module_id, "--student", STUDENT, "--force"],
                         cwd=self.bare, env=base_env())

    def bare_steps(self, module_id: str) -> dict:
        """Seconds of nbgrader's import, autograde and generate_feedback inside one process."""
        t = run_timed([PY, str(ROOT / "bench" / "steps.py"), str(self.bare), module_id], cwd=self.bare,
                      env=base_env())
        got = json.loads(t.proc.stdout.strip().splitlines()[-1])
        got["outside"] = t.wall - got["import"] - got["autograde"] - got["feedback"]  # interpreter start, exit
        return got

    def kit_grade(self, module_ids: list[str], **env: str) -> tuple[Timed, dict]:
        t = run_timed([PY, "-m", "autograder", "grade", *map(str, map(self.submission, module_ids)), "--json"],
                      cwd=ROOT, env={**self.kit_env(), **env})
        return t, json.loads(t.proc.stdout)

    def kit_phases(self, module_id: str) -> dict[str, float]:
        """The kit's grading of one module in-process, its steps from the result's timings."""
        out = self.tmp / f"phases-{module_id}.json"
        t = run_timed([PY, str(ROOT / "bench" / "kit_phases.py"), str(out), str(self.submission(module_id))],
                      cwd=ROOT, env=self.kit_env())
        got = json.loads(out.read_text())
        if got.get("code") != 0:
            raise Failed(f"the kit's grade exited {got.get('code')}")
        phases = got["phases"]
        inside = phases.pop("total")
        phases["interpreter teardown at exit (outside the kit's code)"] = t.wall - inside
        phases["total (the process's wall time)"] = t.wall
        return phases

    def recheck_alone(self, module_id: str) -> Timed:
        submitted = self.bare / "submitted" / STUDENT / module_id / f"{module_id}.ipynb"
        return run_timed([PY, "-m", "autograder.recheck", str(submitted), module_id, "--timeout", "60"],
                         cwd=ROOT, env=self.kit_env())

    def bare_scores(self) -> dict[str, str]:
        """Bare nbgrader's score per module from its gradebook (a sanity check of the comparison)."""
        out = {}
        try:
            from nbgrader.api import Gradebook

            with Gradebook(f"sqlite:///{self.bare / 'gradebook.db'}") as gb:
                for module_id in self.modules:
                    try:
                        s = gb.find_submission(module_id, STUDENT)
                        out[module_id] = f"{s.score:g} / {s.max_score:g}"
                    except Exception:  # noqa: BLE001 - not graded
                        pass
        except Exception as exc:  # noqa: BLE001
            log(f"could not read bare nbgrader's gradebook: {exc}")
        return out


def _kit_score(result: dict) -> str:
    return ", ".join(f"{n['score']:g} / {n['max_score']:g}" for n in result["notebooks"])


def _stats(timings: list[Timed]) -> dict:
    return {"runs": [t.wall for t in timings], "wall": median([t.wall for t in timings]),
            "cpu": median([t.cpu for t in timings])}


def one_module(ws: Workspace, module_ids: list[str], runs: int) -> Section:
    section = Section("one_module", "Grading one module")
    rows = []
    for module_id in module_ids:
        row: dict = {"module": module_id}
        rows.append(row)
        if module_id not in ws.ready():
            row["error"] = f"not set up: bare {ws.bare_ready.get(module_id)}; kit {ws.kit_ready.get(module_id)}"
            section.errors.append(f"{module_id}: {row['error']}")
            continue
        log(f"one module: {module_id} (warm-up, then {runs} alternating runs)")

        def measure(module_id=module_id, row=row):
            ws.bare_autograde(module_id)  # warm-up: first submission of this student and module
            _, result = ws.kit_grade([module_id])
            row["kit_score"] = _kit_score(result)
            bare, kit = [], []
            for i in range(runs):
                if i % 2 == 0:
                    bare.append(ws.bare_autograde(module_id))
                    kit.append(ws.kit_grade([module_id])[0])
                else:
                    kit.append(ws.kit_grade([module_id])[0])
                    bare.append(ws.bare_autograde(module_id))
            row["bare"], row["kit"] = _stats(bare), _stats(kit)
            row["ratio"] = row["kit"]["wall"] / row["bare"]["wall"]
            row["met"] = row["ratio"] <= ONE_MODULE_TARGET

        guarded(f"grading {module_id}", measure, section.errors)
        if "ratio" not in row and "error" not in row:
            row["error"] = section.errors[-1].split(": ", 1)[-1] if section.errors else "failed"
        if "ratio" in row:
            log(f"one module: {module_id}: where the time goes")
            n = max(1, min(runs, 3))
            steps, rechecks, phases = [], [], []
            for _ in range(n):  # interleaved, so that a change of load falls on all three
                steps.append(guarded(f"nbgrader steps of {module_id}", lambda: ws.bare_steps(module_id),
                                     section.errors))
                phases.append(guarded(f"kit phases of {module_id}", lambda: ws.kit_phases(module_id),
                                      section.errors))
                rechecks.append(guarded(f"re-check of {module_id}", lambda: ws.recheck_alone(module_id),
                                        section.errors))
            steps, rechecks, phases = ([x for x in v if x] for v in (steps, rechecks, phases))
            row["parts"] = {}
            if phases:
                row["parts"]["kit_phases"] = {k: median([x.get(k, 0.0) for x in phases]) for k in phases[0]}
            if steps:
                row["parts"]["steps"] = {k: median([x[k] for x in steps])
                                         for k in ("import", "autograde", "feedback", "outside")}
            if rechecks:
                row["parts"]["recheck_alone"] = _stats(rechecks)
    scores = ws.bare_scores()
    for row in rows:
        row["bare_score"] = scores.get(row["module"], "")
    section.data = {"rows": rows, "runs": runs, "target": ONE_MODULE_TARGET}
    return section


def course(ws: Workspace, runs: int, workers_probe: int | None = 3) -> Section:
    section = Section("course", "Grading the whole course")
    ready = ws.ready()
    left_out = {m: f"bare: {ws.bare_ready.get(m)}; kit: {ws.kit_ready.get(m)}"
                for m in ws.modules if m not in ready}
    data: dict = {"modules": ready, "left_out": left_out, "runs": runs, "target": COURSE_TARGET}
    section.data = data
    if not ready:
        section.errors.append("no module could be set up for grading")
        return section
    bare_runs: list[Timed] = []
    kit_runs: list[Timed] = []
    per_module: dict[str, list[Timed]] = {m: [] for m in ready}
    failed_bare: dict[str, str] = {}
    for i in range(runs):
        log(f"whole course: run {i + 1} of {runs} ({len(ready)} modules)")

        def bare_pass() -> Timed:
            started = time.perf_counter()
            cpu = 0.0
            for module_id in ready:
                try:
                    t = ws.bare_autograde(module_id)
                    per_module[module_id].append(t)
                    cpu += t.cpu
                except Failed as exc:
                    failed_bare[module_id] = str(exc)
            return Timed(time.perf_counter() - started, cpu, None)

        def kit_pass() -> Timed:
            t, result = ws.kit_grade(ready)
            data["kit_scores"] = {n["module"]: f"{n['score']:g} / {n['max_score']:g}" for n in result["notebooks"]}
            return t

        order = (bare_pass, kit_pass) if i % 2 == 0 else (kit_pass, bare_pass)
        for fn in order:
            got = guarded(f"course {fn.__name__}", fn, section.errors)
            if got is not None:
                (bare_runs if fn is bare_pass else kit_runs).append(got)
    data.update(per_module_bare={m: median([t.wall for t in v]) for m, v in per_module.items() if v},
                failed_bare=failed_bare)
    if workers_probe and kit_runs:
        log(f"whole course: one more kit run with KIT_GRADING_WORKERS={workers_probe} (for comparison)")
        got = guarded(f"course kit with {workers_probe} workers",
                      lambda: ws.kit_grade(ready, KIT_GRADING_WORKERS=str(workers_probe))[0], section.errors)
        if got is not None:
            data["workers_probe"] = {"workers": workers_probe, "wall": got.wall, "cpu": got.cpu}
    if bare_runs and kit_runs:
        data["bare"], data["kit"] = _stats(bare_runs), _stats(kit_runs)
        data["ratio"] = data["kit"]["wall"] / data["bare"]["wall"]
        data["met"] = data["ratio"] <= COURSE_TARGET and not failed_bare
    return section
