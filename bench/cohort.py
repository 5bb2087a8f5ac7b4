"""Issue 14's figures: cohort mode's grading queue under load.

Synthetic submissions (copies of the modules' solution notebooks, and of the same notebooks with a
learner's function replaced by a mistake from the module's catalogue, `MISTAKES` in
autograder/checks/), spread over the exercise modules and over fake learners, graded through the
real cohort path: the kit's own private PostgreSQL cluster, Redis and Celery workers
(autograder/cohort/services.py), started by this bench in a temporary state folder
(KIT_COHORT_DIR), and `python -m autograder cohort grade --no-collect` (the instructor's command;
the submissions are put where nbgrader's collect puts them). Everything the bench started is
stopped when it ends, also when it fails.

First one solution per module is graded untimed (each module's source loaded into the cohort's
gradebook and grading folder), then the same set of submissions (new learner ids each time) with
1 worker and with 2. Per run: wall time from the command's start to the last job's end, CPU of
the workers' process trees (the Celery processes, the grading kernels, the clean re-checks: user +
system from /proc, the reaped children included) and of the services (Postgres, Redis) per
submission, the speed-up, and from the CPU per submission the time for 500 learners x 12 modules
on one 16-core machine and on four of them (CPU-bound, every core a worker).

    python bench/cohort.py --submissions 200          # standalone: prints the section as Markdown
    python bench/cohort.py --submissions 20 --workers 1,2 --modules c1w1,c2w2
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import copy
import datetime as dt
import importlib
import inspect
import json
import os
import shutil
import signal
import socket
import sys
import tempfile
import textwrap
import time
import types
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import PY, ROOT, Failed, Section, base_env, guarded, log, median, run_timed  # noqa: E402

SPEEDUP_TARGET = 1.4  # one job keeps ~1.3 cores busy, so 2 workers on 2 cores: >= 1.4x
PROJECT_LEARNERS, PROJECT_MODULES, PROJECT_CORES, PROJECT_MACHINES = 500, 12, 16, 4
TICK = os.sysconf("SC_CLK_TCK")


# ---------------------------------------------------------------------------------------------
# the synthetic submissions

def _code_objects(code: types.CodeType):
    yield code
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            yield from _code_objects(const)


def _function_source(fn, name: str | None = None) -> str:
    """fn's source without its decorators, renamed to `name` (its own recursive calls too)."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(fn)))
    node = tree.body[0]
    node.decorator_list = []
    if name and name != node.name:
        old = node.name
        node.name = name
        for sub in ast.walk(node):
            if isinstance(sub, ast.Name) and sub.id == old:
                sub.id = name
    return ast.unparse(tree)


def mistake_source(check_module, implementation, name: str, learner_functions: set[str]) -> str | None:
    """Source that defines `name` as the catalogued mistake `implementation`, with the check
    module's helpers it uses and the modules it calls; None when it uses something that cannot be
    carried into a notebook (another mistake, a non-literal constant)."""
    from autograder.checks.ladder import Mistake

    parts: list[str] = []
    imports: dict[str, str] = {}
    done: set[str] = set()

    def add(fn, as_name: str | None) -> bool:
        # The globals its code reads, and those its default arguments name (evaluated where the
        # function is defined, so not in its code: `leaf=_majority`, `stop=lambda d, m: ...`).
        names = [g for code in _code_objects(fn.__code__) for g in code.co_names]
        for default in (*(fn.__defaults__ or ()), *(fn.__kwdefaults__ or {}).values()):
            named = [g for g, v in fn.__globals__.items() if v is default and not g.startswith("__")]
            if named:
                names.append(named[0])
            elif isinstance(default, types.FunctionType) and default.__name__ == "<lambda>":
                names += [g for code in _code_objects(default.__code__) for g in code.co_names]
            elif not isinstance(default, (int, float, str, bool, tuple, type(None))):
                return False  # written out in its source, but not from here
        for g in names:
            if g in done or g == fn.__name__ or g not in fn.__globals__:
                continue
            value = fn.__globals__[g]
            done.add(g)
            if isinstance(value, types.ModuleType):
                imports[g] = f"import {value.__name__} as {g}" if value.__name__ != g else f"import {g}"
            elif isinstance(value, Mistake):
                return False
            elif g in learner_functions:
                continue  # the notebook defines it (the learner's own)
            elif isinstance(value, types.FunctionType) and value.__module__ == check_module.__name__:
                if not add(value, None):
                    return False
            elif callable(value) and getattr(value, "__module__", None) and hasattr(value, "__name__"):
                imports[g] = f"from {value.__module__} import {value.__name__} as {g}"
            elif isinstance(value, (int, float, str, bool, tuple, type(None))):
                parts.insert(0, f"{g} = {value!r}")
            else:
                return False
        parts.append(_function_source(fn, as_name))
        return True

    if not add(implementation, name):
        return None
    source = "\n".join([*imports.values(), "", *parts])
    try:  # it must at least define `name` on its own: a cell that raises leaves the solution's in place
        namespace: dict = {}
        exec(compile(source, f"<mistake {name}>", "exec"), namespace)  # noqa: S102 - the kit's own code
        assert callable(namespace[name])
    except Exception:  # noqa: BLE001
        return None
    return source


def _defining_cell(nb: dict, name: str) -> dict | None:
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if f"\ndef {name}(" in "\n" + source:
                return cell
    return None


def module_mistakes(module) -> list[tuple[str, str, dict]]:
    """(function, the mistake's words, notebook) for every catalogued mistake of the module that
    can be carried into its solution notebook, functions taken in turn."""
    solution = json.loads(module.solution_path.read_text(encoding="utf-8"))
    try:
        check = importlib.import_module(module.check_module)
    except ImportError:
        return []
    catalogue = getattr(check, "MISTAKES", {}) or {}
    learner_functions = {key.split("__")[0] for key in catalogue}
    by_function: list[list[tuple[str, str, dict]]] = []
    for key, mistakes in catalogue.items():
        name = key.split("__")[0]
        if _defining_cell(solution, name) is None:
            continue
        usable = []
        for m in mistakes:
            source = mistake_source(check, m.implementation, name, learner_functions)
            if source is None:
                continue
            nb = copy.deepcopy(solution)
            cell = _defining_cell(nb, name)
            text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            cell["source"] = text.rstrip("\n") + "\n\n\n# a catalogued mistake (bench/cohort.py)\n" + source + "\n"
            usable.append((key, m.cause, nb))
        if usable:
            by_function.append(usable)
    out = []
    for i in range(max((len(u) for u in by_function), default=0)):
        out += [u[i] for u in by_function if i < len(u)]
    return out


def plan(n: int, modules) -> list[dict]:
    """n submissions: submission i is module i mod M of learner i div M, the solution or the
    module's next catalogued mistake, alternating over modules and learners."""
    mistakes = {m.id: module_mistakes(m) for m in modules}
    solutions = {m.id: json.loads(m.solution_path.read_text(encoding="utf-8")) for m in modules}
    used = {m.id: 0 for m in modules}
    out = []
    for i in range(n):
        module = modules[i % len(modules)]
        learner = i // len(modules)
        if (learner + i) % 2 == 1 and mistakes[module.id]:
            key, cause, nb = mistakes[module.id][used[module.id] % len(mistakes[module.id])]
            used[module.id] += 1
            out.append({"learner": learner, "module": module.id, "kind": "mistake", "mistake": key,
                        "cause": cause, "notebook": nb, "max_score": module.max_score})
        else:
            out.append({"learner": learner, "module": module.id, "kind": "solution",
                        "notebook": solutions[module.id], "max_score": module.max_score})
    return out


def put_submissions(course: Path, items: list[dict], prefix: str) -> dict[tuple[str, str], dict]:
    """Where nbgrader's collect puts them: <course>/submitted/<learner>/<module>/<module>.ipynb,
    with nbgrader's timestamp.txt."""
    stamp = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f %Z")
    placed = {}
    for item in items:
        learner = f"{prefix}{item['learner']:03d}"
        folder = course / "submitted" / learner / item["module"]
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{item['module']}.ipynb").write_text(json.dumps(item["notebook"], indent=1), encoding="utf-8")
        (folder / "timestamp.txt").write_text(stamp)
        placed[(learner, item["module"])] = item
    return placed


# ---------------------------------------------------------------------------------------------
# CPU of process trees, from /proc

def _stat(pid: int) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            fields = _stat(int(proc.name))
            if fields:
                out.setdefault(int(fields[1]), []).append(int(proc.name))
    return out


def tree_cpu(pids: list[int]) -> float:
    """User + system seconds of these processes and their descendants, each one's reaped
    children included (a child that ended is in its parent's cutime/cstime, counted once)."""
    children, total, todo, seen = _children(), 0.0, list(pids), set()
    while todo:
        pid = todo.pop()
        if pid in seen:
            continue
        seen.add(pid)
        fields = _stat(pid)
        if fields:
            total += sum(int(x) for x in fields[11:15]) / TICK  # utime stime cutime cstime
        todo += children.get(pid, [])
    return total


def _pid_file(path: Path) -> int | None:
    try:
        return int(path.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------------------
# the cohort's services, started and stopped by the bench

class Cohort:
    """A private cohort (Postgres, Redis, Celery workers) in a temporary state folder."""

    def __init__(self, state: Path):
        from autograder.cohort.config import Settings

        self.state = state
        self.s = Settings(state=str(state), pg_port=_free_port(), redis_port=_free_port())
        self.s.save()
        self.env = base_env(KIT_COHORT_DIR=str(state), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        for name in ("KIT_COHORT_DB_URL", "KIT_COHORT_BROKER_URL"):
            self.env.pop(name, None)

    def start(self, module_ids: list[str]) -> None:
        """What `cohort up --no-hub` does, with no worker yet: Postgres, the ledger, Redis, and the
        modules released to nbgrader's exchange (which puts the course and its assignments in the
        gradebook)."""
        from autograder.cohort import exchange, ledger, services

        services.Postgres(self.s).start()
        ledger.create(self.s.db_url())
        services.Redis(self.s).start()
        exchange.release(self.s, module_ids)

    def workers(self, n: int) -> None:
        from autograder.cohort import services

        services.Workers(self.s).stop()
        services.Workers(self.s).start(n)

    def worker_pids(self) -> list[int]:
        return [p for p in (_pid_file(f) for f in sorted(self.s.run.glob("worker-*.pid"))) if p]

    def service_pids(self) -> list[int]:
        return [p for p in (_pid_file(self.s.pgdata / "postmaster.pid"), _pid_file(self.s.run / "redis.pid")) if p]

    def grade(self, timeout: float):
        return run_timed([PY, "-m", "autograder", "cohort", "grade", "--no-collect", "--timeout", f"{timeout:.0f}"],
                         cwd=ROOT, env=self.env, timeout=timeout + 120)

    def jobs(self) -> list[dict]:
        from autograder.cohort import ledger

        return ledger.rows(self.s.db_url())

    def stop(self) -> list[str]:
        """Stop everything this cohort started, each step on its own; returns what failed."""
        from autograder.cohort import ledger, services

        errors: list[str] = []
        guarded("stopping the Celery workers", services.Workers(self.s).stop, errors)
        guarded("stopping Redis", services.Redis(self.s).stop, errors)
        guarded("closing the ledger's connections", lambda: [e.dispose() for e in ledger._engines.values()], errors)
        guarded("stopping PostgreSQL", services.Postgres(self.s).stop, errors)
        guarded("ending leftover processes", self._sweep, errors)
        return errors

    def _sweep(self) -> None:
        """Any process still running with this state folder as KIT_COHORT_DIR (a grading kernel
        whose worker was stopped mid-job) or a postmaster of its cluster: ended by its pid."""
        marker = f"KIT_COHORT_DIR={self.state}".encode()
        for proc in Path("/proc").iterdir():
            if not proc.name.isdigit() or int(proc.name) == os.getpid():
                continue
            try:
                environ = (proc / "environ").read_bytes().split(b"\0")
            except OSError:
                continue
            if marker in environ:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(int(proc.name), signal.SIGKILL)
        postmaster = _pid_file(self.s.pgdata / "postmaster.pid")
        if postmaster and _stat(postmaster):
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(postmaster, signal.SIGQUIT)  # Postgres's immediate shutdown


# ---------------------------------------------------------------------------------------------
# the section

def _one_run(cohort: Cohort, items: list[dict], workers: int, prefix: str) -> dict:
    cohort.workers(workers)
    placed = put_submissions(cohort.s.course, items, prefix)
    before = {j["job_id"] for j in cohort.jobs()}
    wpids, spids = cohort.worker_pids(), cohort.service_pids()
    w0, s0 = tree_cpu(wpids), tree_cpu(spids)
    log(f"cohort: grading {len(items)} submissions with {workers} worker{'s' if workers > 1 else ''}")
    timed = cohort.grade(timeout=600 + 120 * len(items) / workers)
    w1, s1 = tree_cpu(wpids), tree_cpu(spids)
    if sorted(cohort.worker_pids()) != sorted(wpids):
        raise Failed("a worker process ended during the run (its CPU would be lost); see the workers' logs")
    jobs = [j for j in cohort.jobs() if j["job_id"] not in before and (j["learner"], j["module"]) in placed]
    if len(jobs) != len(items):
        raise Failed(f"{len(jobs)} jobs recorded in the ledger for {len(items)} submissions")
    graded = [j for j in jobs if j["status"] == "graded"]
    sol = [j for j in graded if placed[(j["learner"], j["module"])]["kind"] == "solution"]
    mis = [j for j in graded if placed[(j["learner"], j["module"])]["kind"] == "mistake"]
    durations = [(j["finished_at"] - j["started_at"]).total_seconds() for j in jobs
                 if j["finished_at"] and j["started_at"]]
    n = len(items)
    cpu = (w1 - w0) + timed.cpu  # the workers' trees and the `cohort grade` command
    return {
        "workers": workers, "submissions": n, "wall": timed.wall,
        "cpu_workers": w1 - w0, "cpu_command": timed.cpu, "cpu_services": s1 - s0,
        "cpu_per_submission": cpu / n, "services_per_submission": (s1 - s0) / n,
        "cores_busy": (cpu + s1 - s0) / timed.wall,
        "job_median": median(durations), "graded": len(graded), "not_graded":
            [f"{j['learner']}/{j['module']}: {' '.join((j['reason'] or '').split())}"[:400]
             for j in jobs if j["status"] != "graded"],
        "redelivered": sum(1 for j in jobs if (j["attempts"] or 0) > 1),
        "solutions": len([i for i in items if i["kind"] == "solution"]),
        "solutions_full": sum(1 for j in sol if j["score"] == j["max_score"]),
        "mistakes": len([i for i in items if i["kind"] == "mistake"]),
        "mistakes_below_full": sum(1 for j in mis if j["score"] is not None and j["score"] < j["max_score"]),
        # A catalogued mistake at full marks is a check that accepts a wrong implementation (or a
        # mistake that did not reach the notebook): named, so it can be looked into.
        "mistakes_at_full": [f"{j['learner']}/{j['module']}: {placed[(j['learner'], j['module'])]['mistake']} "
                             f"({placed[(j['learner'], j['module'])]['cause'][:80]})"
                             for j in mis if j["score"] is not None and j["score"] >= j["max_score"]],
        "load_after": list(os.getloadavg()),
    }


def _terminated(*_args) -> None:
    raise KeyboardInterrupt("terminated (SIGTERM)")


def default_modules():
    from autograder import syllabus

    return [m for m in syllabus.load().assignments if m.kind == "exercise" and m.solution_path.exists()]


def run(submissions: int = 200, workers: tuple[int, ...] = (1, 2), modules=None, keep_state: bool = False) -> Section:
    """The cohort section: `submissions` graded with each number of `workers` in turn."""
    from autograder.errors import KitError

    modules = list(modules or default_modules())
    items = plan(submissions, modules)
    data: dict = {"submissions": submissions, "modules": [m.id for m in modules],
                  "learners": len({i["learner"] for i in items}),
                  "solutions": sum(i["kind"] == "solution" for i in items),
                  "mistakes": sum(i["kind"] == "mistake" for i in items),
                  "mistake_kinds": len({(i["module"], i.get("mistake"), i.get("cause")) for i in items
                                        if i["kind"] == "mistake"}),
                  "target": SPEEDUP_TARGET, "cores": len(os.sched_getaffinity(0)),
                  "load_start": list(os.getloadavg()), "runs": []}
    section = Section("cohort", "Cohort mode", data=data)
    state = Path(tempfile.mkdtemp(prefix="kit-cohort-bench-", dir="/tmp"))
    os.chmod(state, 0o711)  # Postgres (the postgres user) reaches its data folder inside
    cohort = None
    previous = None
    with contextlib.suppress(ValueError):  # only the main thread may: then SIGTERM stops it cleanly
        previous = signal.signal(signal.SIGTERM, _terminated)
    try:
        cohort = Cohort(state)
        t0 = time.perf_counter()
        try:
            cohort.start([m.id for m in modules])
        except KitError as exc:
            raise Failed(f"the cohort's services did not start: {exc}") from None
        data["services_start_s"] = time.perf_counter() - t0
        log(f"cohort: services up and modules released in {data['services_start_s']:.1f} s (state {state}); warm-up: one solution "
            f"per module ({len(modules)})")
        warm = [{"learner": 0, "module": m.id, "kind": "solution", "max_score": m.max_score,
                 "notebook": json.loads(m.solution_path.read_text(encoding="utf-8"))} for m in modules]
        w = _one_run(cohort, warm, max(workers), "warmup")
        data["warmup"] = {"wall": w["wall"], "graded": w["graded"], "not_graded": w["not_graded"]}
        if not w["graded"]:
            raise Failed("no solution was graded in the warm-up: " + "; ".join(w["not_graded"][:2]))
        for n in workers:
            result = guarded(f"{n} worker(s)", lambda n=n: _one_run(cohort, items, n, f"w{n}l"), section.errors)
            if result:
                data["runs"].append(result)
                log(f"cohort: {n} worker(s): {result['wall']:.1f} s, {result['cpu_per_submission']:.2f} s CPU "
                    f"per submission, {result['graded']}/{submissions} graded")
    finally:
        if cohort is not None:
            section.errors += cohort.stop()
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)
        if keep_state:
            log(f"cohort: state kept in {state}")
        else:
            shutil.rmtree(state, ignore_errors=True)
    runs = {r["workers"]: r for r in data["runs"]}
    if 1 in runs and 2 in runs:
        data["speedup"] = runs[1]["wall"] / runs[2]["wall"]
        data["met"] = data["speedup"] >= SPEEDUP_TARGET
    basis = runs.get(max(runs)) if runs else None
    if basis:
        jobs = PROJECT_LEARNERS * PROJECT_MODULES
        per = basis["cpu_per_submission"] + basis["services_per_submission"]
        data["projection"] = {"jobs": jobs, "cpu_per_submission": per, "from_workers": basis["workers"],
                              "one_machine_s": jobs * per / PROJECT_CORES,
                              "machines_s": jobs * per / (PROJECT_CORES * PROJECT_MACHINES)}
    data["load_end"] = list(os.getloadavg())
    return section


# ---------------------------------------------------------------------------------------------
# rendering (bench/report.py passes its helpers in, as for the instant section)

def _hm(seconds: float) -> str:
    return f"{seconds / 3600:.1f} h" if seconds >= 3600 else f"{seconds / 60:.0f} min"


def render(sec, table, s, yes):
    """The summary's (target, measured, met) and the section's text."""
    d = sec.data
    target = (f"{d.get('submissions')} submissions through Celery workers: 2 workers / 1 worker ≥ "
              f"{d.get('target', SPEEDUP_TARGET):g}× on 2 cores; time projected for {PROJECT_LEARNERS} learners × "
              f"{PROJECT_MODULES} modules")
    runs = {r["workers"]: r for r in d.get("runs", [])}
    if not runs:
        return (target, "not measured", False), ""
    p = d.get("projection")
    measured = "; ".join(f"{n} worker{'s' if n > 1 else ''} {r['wall']:.0f} s" for n, r in sorted(runs.items()))
    if "speedup" in d:
        measured += f" = {d['speedup']:.2f}×"
    if p:
        measured += (f"; {p['cpu_per_submission']:.1f} s CPU per submission → {_hm(p['one_machine_s'])} on "
                     f"{PROJECT_CORES} cores, {_hm(p['machines_s'])} on {PROJECT_MACHINES} such machines")
    body = [
        f"{d['submissions']} synthetic submissions of {len(d['modules'])} modules ({', '.join(d['modules'])}) by "
        f"{d['learners']} fake learners: {d['solutions']} copies of solution notebooks, {d['mistakes']} with a "
        f"learner's function replaced by a mistake of the module's catalogue ({d['mistake_kinds']} different). "
        "Graded through the real cohort path: the kit's Postgres, Redis and Celery workers (one job at a time "
        "each), started by the bench in a temporary state folder, and `python -m autograder cohort grade "
        "--no-collect`; one solution per module graded untimed first, then the same submissions (new learner "
        "ids) with each number of workers. *Wall*: the command's start to the last job's end. *CPU*: user + "
        "system of the workers' process trees (grading kernels and clean re-checks included) and of the "
        "command; the services' (Postgres, Redis) apart. *Cores busy*: all of that CPU / wall.\n",
        table(["workers", "wall", "CPU per submission", "services' CPU per submission", "cores busy",
               "median job", "graded", "solutions at full marks", "mistakes below full marks", "load after"],
              [[n, s(r["wall"], 1), s(r["cpu_per_submission"]), s(r["services_per_submission"]),
                f"{r['cores_busy']:.2f}", s(r["job_median"], 1), f"{r['graded']} / {r['submissions']}",
                f"{r['solutions_full']} / {r['solutions']}", f"{r['mistakes_below_full']} / {r['mistakes']}",
                f"{r['load_after'][0]:.2f}"] for n, r in sorted(runs.items())]),
    ]
    if "speedup" in d:
        body.append(f"\nSpeed-up, 2 workers over 1: **{d['speedup']:.2f}×** (target ≥ {d['target']:g}× on "
                    f"{d.get('cores')} cores; met: {yes(d.get('met'))}).\n")
    if p:
        body.append(f"\nProjected from the CPU per submission with {p['from_workers']} worker(s) (workers' and "
                    f"services' together, {p['cpu_per_submission']:.2f} s), for {PROJECT_LEARNERS} learners × "
                    f"{PROJECT_MODULES} modules = {p['jobs']} jobs, CPU-bound with every core a worker: "
                    f"**{_hm(p['one_machine_s'])}** on one {PROJECT_CORES}-core machine, "
                    f"**{_hm(p['machines_s'])}** on {PROJECT_MACHINES} of them.\n")
    accepted = sorted({x for r in runs.values() for x in r.get("mistakes_at_full", [])})
    if accepted:
        body.append("\nMistakes graded at full marks: " + "; ".join(accepted[:10]) + "\n")
    failed = [x for r in runs.values() for x in r["not_graded"]]
    if failed:
        body.append("\nNot graded: " + "; ".join(failed[:10]) + (" ..." if len(failed) > 10 else "") + "\n")
    body.append(f"\nServices started and modules released in {d.get('services_start_s', 0):.1f} s; warm-up "
                f"{d.get('warmup', {}).get('wall', 0):.0f} s. Load average at start / end: "
                f"{d['load_start'][0]:.2f} / {d['load_end'][0]:.2f}.\n")
    return (target, measured, d.get("met")), "\n".join(body)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python bench/cohort.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--submissions", type=int, default=200, help="synthetic submissions per run (default 200)")
    p.add_argument("--workers", default="1,2", help="comma-separated worker counts, one run each (default 1,2)")
    p.add_argument("--modules", help="comma-separated exercise module ids (default: every exercise module)")
    p.add_argument("--save-json", metavar="PATH", help="also save the raw measurements as JSON")
    p.add_argument("--keep-state", action="store_true", help="keep the temporary state folder (logs) afterwards")
    args = p.parse_args(argv)
    if args.submissions < 1:
        p.error("--submissions must be at least 1")
    try:
        workers = tuple(int(x) for x in args.workers.split(","))
    except ValueError:
        p.error("--workers takes numbers separated by commas, e.g. 1,2")
    modules = None
    if args.modules:
        wanted = args.modules.split(",")
        modules = [m for m in default_modules() if m.id in wanted]
        unknown = set(wanted) - {m.id for m in modules}
        if unknown:
            p.error(f"not exercise modules: {', '.join(sorted(unknown))}")
    from bench import report

    t0 = time.perf_counter()
    errors: list[str] = []
    try:
        section = guarded("section cohort", lambda: run(args.submissions, workers, modules, args.keep_state), errors)
    except KeyboardInterrupt:
        print("bench/cohort.py was interrupted; every service it had started is stopped.", file=sys.stderr)
        return 130
    if section is None:
        section = Section("cohort", "cohort", errors=errors)
    section.seconds = time.perf_counter() - t0
    if args.save_json:
        import dataclasses

        Path(args.save_json).write_text(json.dumps(dataclasses.asdict(section), indent=1, default=str))
    (target, measured, met), body = render(section, report.table, report.s, report.yes)
    print(f"## Cohort mode (issue 14)\n\nTarget: {target}. Measured: {measured}. Met: {report.yes(met)}.\n\n{body}")
    if section.errors:
        print("\nItems that failed: " + "; ".join(section.errors))
    print(f"\n_Section time: {section.seconds:.0f} s._")
    return 0 if not section.errors else 1


if __name__ == "__main__":
    sys.exit(main())
