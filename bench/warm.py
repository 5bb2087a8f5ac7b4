"""Issue 16's targets: the warm grader (autograder/warm.py) against the cold ways of running and
grading a notebook, `make grade` after one change against a full grading, and the memory of a
learner's session (JupyterLab, the learner's kernel, the warm grader).

warm: one module's submission (a copy of its solution notebook) graded, runs alternating, by
  - the kit through a running warm grader (`python -m autograder grade PATH --json`);
  - the kit cold (the same command, KIT_WARM_GRADER=0);
  - a cold `jupyter execute` of the same notebook;
  - bare nbgrader as an instructor runs it, two commands: `nbgrader autograde M --student learner
    --force` then `nbgrader generate_feedback M --student learner --force`.
  The service gets a few seconds between gradings (a learner edits between two): its used kernels
  are killed and new ones boot in that time. Its CPU per grading is read from /proc (its own and
  its reaped children's: kernels, re-check processes).
incremental: every module graded once with `--force`, then one module's notebook changed and
  every module graded again without it (`--skip-unchanged`, as `make grade` with no module does):
  only the changed one is graded, through the warm grader.
memory: a JupyterLab server on 127.0.0.1, a kernel started through its REST API that has run the
  module's solution notebook (the learner's kernel), and the warm grader that server started, after
  one grading (with its pre-started kernel and re-check process): resident and proportional set
  sizes summed, each process counted once.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from bench.common import BIN, PY, ROOT, Failed, Section, Timed, base_env, guarded, log, median, run_timed

WARM_VS_EXECUTE = 1.0
WARM_VS_BARE = 0.5
INCREMENTAL_TARGET = 0.2
MEMORY_TARGET_MB = 2048
PAUSE = 4.0  # seconds between gradings: the learner's edit; the service refills meanwhile


def _kit(args: list[str], env: dict) -> Timed:
    return run_timed([PY, "-m", "autograder", *args], cwd=ROOT, env=env)


def _service_pid(grading: Path) -> int | None:
    try:
        return json.loads((grading / "warm.json").read_text())["pid"]
    except (OSError, ValueError, KeyError):
        return None


def _cpu_of(pid: int) -> float:
    """User + system seconds of the process and its reaped children. The service stops by itself
    when the kit's code changes on disk (as it does while others edit it): that is a failed item."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        raise Failed("the warm grader stopped during the measurement (the kit's code changed on disk?); "
                     "see warm.log") from None
    return sum(int(x) for x in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def _warm_count(grading: Path) -> int:
    log_file = grading / "warm.log"
    text = log_file.read_text() if log_file.exists() else ""
    return text.count("pre-started kernels used: 1 nbgrader, 1 re-check")


def _start_service(grading: Path, env: dict) -> int:
    _kit(["warm", "start", "--idle-minutes", "60"], env)
    pid = _service_pid(grading)
    if pid is None:
        raise Failed("the warm grader did not start")
    return pid


def warm(ws, module_id: str, runs: int) -> Section:
    section = Section("warm", "The warm grader")
    env = ws.kit_env()
    sub = ws.submission(module_id)
    row: dict = {"module": module_id}
    section.data = {"rows": [row], "runs": runs, "pause_s": PAUSE, "targets":
                    {"execute": WARM_VS_EXECUTE, "bare": WARM_VS_BARE}}
    if module_id not in ws.ready():
        section.errors.append(f"{module_id}: not set up")
        return section
    pid = _start_service(ws.kit_grading, env)
    try:
        ws.bare_autograde(module_id)  # warm-up of bare nbgrader's folder
        _, result = ws.kit_grade([module_id])  # the service's first grading (imports what it lazily imports)
        row["kit_score"] = ", ".join(f"{n['score']:g} / {n['max_score']:g}" for n in result["notebooks"])
        time.sleep(PAUSE)
        series: dict[str, list[Timed]] = {"warm": [], "cold": [], "execute": [], "bare": []}
        warm_cpu = []
        used_before = _warm_count(ws.kit_grading)

        def bare_both() -> Timed:
            a = ws.bare_autograde(module_id)
            b = run_timed([str(BIN / "nbgrader"), "generate_feedback", module_id, "--student", "learner", "--force"],
                          cwd=ws.bare, env=base_env())
            return Timed(a.wall + b.wall, a.cpu + b.cpu, b.proc)

        steps = {
            "warm": lambda: ws.kit_grade([module_id])[0],
            "cold": lambda: ws.kit_grade([module_id], KIT_WARM_GRADER="0")[0],
            "execute": lambda: run_timed([str(BIN / "jupyter"), "execute", str(sub)], cwd=sub.parent, env=base_env()),
            "bare": bare_both,
        }
        order = list(steps)
        for i in range(runs):
            log(f"warm grader: {module_id}, run {i + 1} of {runs}")
            for name in order[i % len(order):] + order[: i % len(order)]:
                if name == "warm":
                    cpu0 = _cpu_of(pid)
                    series[name].append(steps[name]())
                    time.sleep(PAUSE)  # the service kills the used kernels and starts new ones
                    warm_cpu.append(_cpu_of(pid) - cpu0)
                else:
                    series[name].append(steps[name]())
        row["warm_used"] = _warm_count(ws.kit_grading) - used_before
        for name, timings in series.items():
            row[name] = {"runs": [t.wall for t in timings], "wall": median([t.wall for t in timings]),
                         "cpu": median([t.cpu for t in timings])}
        row["warm"]["service_cpu"] = median(warm_cpu)
        row["vs_execute"] = row["warm"]["wall"] / row["execute"]["wall"]
        row["vs_bare"] = row["warm"]["wall"] / row["bare"]["wall"]
        row["cold_vs_bare"] = row["cold"]["wall"] / row["bare"]["wall"]
        row["met"] = row["vs_execute"] <= WARM_VS_EXECUTE and row["vs_bare"] <= WARM_VS_BARE
    finally:
        guarded("stopping the warm grader", lambda: _kit(["warm", "stop"], env), section.errors)
    return section


def incremental(tmp: Path, modules, changed: str, runs: int) -> Section:
    """`make grade` after one change: a full grading once (--force), then runs of a change + a
    grading of every module that skips the unchanged ones."""
    section = Section("incremental", "make grade after one change")
    folder, subs = tmp / "incremental-grading", tmp / "incremental-submissions"
    paths = []
    for m in modules:
        path = subs / m.id / f"{m.id}.ipynb"
        path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(m.solution_path, path)
        paths.append(str(path))
    env = base_env(KIT_GRADING_DIR=str(folder))
    run_timed([PY, str(ROOT / "bench" / "warm_kit.py"), *[m.id for m in modules]], cwd=ROOT, env=env, timeout=900)
    data: dict = {"modules": [m.id for m in modules], "changed": changed, "target": INCREMENTAL_TARGET}
    section.data = data
    pid = _start_service(folder, env)
    try:
        log(f"make grade after one change: a full grading of {len(modules)} modules")
        cpu0 = _cpu_of(pid)
        full = _kit(["grade", *paths, "--force", "--json"], env)
        data["scores"] = {n["module"]: f"{n['score']:g} / {n['max_score']:g}" for n in json.loads(full.proc.stdout)["notebooks"]}
        time.sleep(PAUSE)
        data["full"] = {"wall": full.wall, "cpu": full.cpu + _cpu_of(pid) - cpu0}  # the service's share too
        changed_path = subs / changed / f"{changed}.ipynb"
        walls, cpus, regraded = [], [], []
        for i in range(runs):
            nb = json.loads(changed_path.read_text())
            nb["cells"].append({"cell_type": "markdown", "metadata": {}, "source": f"An edit ({i + 1})."})
            changed_path.write_text(json.dumps(nb, indent=1))
            log(f"make grade after one change: run {i + 1} of {runs} ({changed} edited)")
            cpu0 = _cpu_of(pid)
            t = _kit(["grade", *paths, "--skip-unchanged", "--json"], env)
            walls.append(t.wall)
            result = json.loads(t.proc.stdout)["notebooks"]
            regraded.append([n["module"] for n in result if not n.get("unchanged_since")])
            time.sleep(PAUSE)
            cpus.append(t.cpu + _cpu_of(pid) - cpu0)
        data["incremental"] = {"runs": walls, "wall": median(walls), "cpu": median(cpus)}
        data["regraded"] = regraded
        data["ratio"] = data["incremental"]["wall"] / data["full"]["wall"]
        data["met"] = data["ratio"] <= INCREMENTAL_TARGET and all(r == [changed] for r in regraded)
    finally:
        guarded("stopping the warm grader", lambda: _kit(["warm", "stop"], env), section.errors)
    return section


# ---------------------------------------------------------------------------------------------
# memory


def _tree(pid: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            try:
                ppid = int((proc / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(proc.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += children.get(p, [])
    return out


def _mem_kb(pid: int) -> tuple[int, int]:
    rss = pss = 0
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Rss:"):
                rss = int(line.split()[1])
            elif line.startswith("Pss:"):
                pss = int(line.split()[1])
    except OSError:
        pass
    return rss, pss


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _http(url: str, method: str = "GET", body: dict | None = None, token: str = "") -> dict:
    req = urllib.request.Request(url, method=method, data=json.dumps(body).encode() if body is not None else None,
                                 headers={"Authorization": f"token {token}", "Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.loads(resp.read() or b"{}")


def memory(tmp: Path, module) -> Section:
    section = Section("memory", "Memory of a learner's session")
    env = base_env(KIT_GRADING_DIR=str(tmp / "memory-grading"))
    port, token = _free_port(), "bench"
    runtime = tmp / "jupyter-runtime"
    lab_env = dict(env, JUPYTER_RUNTIME_DIR=str(runtime))
    cmd = [str(BIN / "jupyter"), "lab", "--no-browser", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={ROOT}"]
    if os.getuid() == 0:
        cmd.append("--allow-root")
    lab = subprocess.Popen(cmd, cwd=ROOT, env=lab_env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           start_new_session=True)
    data: dict = {"target_mb": MEMORY_TARGET_MB, "module": module.id}
    section.data = data
    service = None
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 120
        while True:
            try:
                _http(f"{base}/api/status", token=token)
                break
            except OSError:
                if time.monotonic() > deadline or lab.poll() is not None:
                    raise Failed("JupyterLab did not start") from None
                time.sleep(0.5)
        kernel = _http(f"{base}/api/kernels", "POST", {"name": "python3"}, token=token)
        from jupyter_client import BlockingKernelClient

        kc = BlockingKernelClient(connection_file=str(runtime / f"kernel-{kernel['id']}.json"))
        kc.load_connection_file()
        kc.start_channels()
        kc.wait_for_ready(timeout=120)
        nb = json.loads(module.solution_path.read_text(encoding="utf-8"))
        kc.execute_interactive(f"import os; os.chdir({str(module.solution_path.parent)!r})", timeout=60,
                               output_hook=lambda msg: None)
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                kc.execute_interactive("".join(cell["source"]), timeout=300, output_hook=lambda msg: None)
        kc.stop_channels()
        grading = tmp / "memory-grading"
        sub = tmp / "memory-sub" / f"{module.id}.ipynb"
        sub.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(module.solution_path, sub)
        # The server starts the warm grader itself, as with `make lab` (warm.start_with_server):
        # it is a child of the server, so its processes are taken out of the server's tree.
        deadline = time.monotonic() + 120
        while (service := _service_pid(grading)) is None:
            if time.monotonic() > deadline:
                raise Failed("JupyterLab did not start the warm grader within 120 s")
            time.sleep(0.5)
        _kit(["grade", str(sub), "--json"], env)
        time.sleep(2 * PAUSE)  # the used kernels gone, the next ones booted
        warm_tree = _tree(service)
        parts = {"JupyterLab server and the learner's kernel": [p for p in _tree(lab.pid) if p not in warm_tree],
                 "warm grader (service, pre-started kernel, re-check process and its kernel)": warm_tree}
        rows = []
        for label, pids in parts.items():
            rss = sum(_mem_kb(p)[0] for p in pids) / 1024
            pss = sum(_mem_kb(p)[1] for p in pids) / 1024
            rows.append({"part": label, "processes": len(pids), "rss_mb": rss, "pss_mb": pss})
        data["rows"] = rows
        data["rss_mb"] = sum(r["rss_mb"] for r in rows)
        data["pss_mb"] = sum(r["pss_mb"] for r in rows)
        data["met"] = data["rss_mb"] < MEMORY_TARGET_MB
    finally:
        if service is not None:
            guarded("stopping the warm grader", lambda: _kit(["warm", "stop"], env), section.errors)
        lab.terminate()
        try:
            lab.wait(timeout=30)
        except subprocess.TimeoutExpired:
            lab.kill()
    return section
