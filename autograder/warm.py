"""The warm grader: a long-lived grading service for one learner's machine.

A cold `python -m autograder grade` pays, every time, for starting Python, importing nbgrader,
starting a kernel, importing numpy, pandas, scikit-learn and matplotlib in it, and the same again
for the clean re-check (autograder/recheck.py). The warm grader pays for those ahead of time:

- it keeps nbgrader imported (one process, started once);
- it keeps ONE fresh kernel started for nbgrader, with numpy, pandas, scikit-learn and matplotlib
  imported (in `sys.modules` only: no name is bound in the kernel's namespace). nbgrader's
  Execute preprocessor is nbclient's NotebookClient, which takes a kernel manager: `WarmExecute`
  hands it the pre-started one. Each grading consumes that kernel; it is killed after the
  grading and a new one is warmed behind it. A kernel that ran a learner's code is never reused;
- it keeps one clean re-check process started, its replay kernel up and warmed the same way; each
  grading consumes it (the process exits after its one verdict) and a new one is started behind it.

The used kernels are killed, and the new ones started, after the result has been sent back: off
the learner's wait. The kernels boot (and import the libraries, `--IPKernelApp.exec_lines`) while
the service waits for the next grading.

It talks over a unix socket in the grading folder (nothing listens on the network), and holds
`warm.lock` there for its whole life: a client that can take that lock knows no service is
running (a killed one releases it) and grades the cold way. It stops after KIT_WARM_IDLE_MINUTES
(20) idle minutes, when the process it was started for (`--parent`, e.g. the Jupyter server)
exits, or with `python -m autograder warm stop`.

`python -m autograder grade` (and so `make grade`) uses the service when one is running for the
grading folder, and the cold path otherwise; the results are the same. KIT_WARM_GRADER:
unset - use a running service, never start one; `1` - also start one on first use (that grading
is still done the cold way while the service warms up); `0` - never use it.

A service started with other settings (KIT_* variables, thread counts) than the grading's, or
before the kit's code changed, is not used: the grading is cold (and a service whose code is
stale is told to stop).

    python -m autograder warm start [--idle-minutes N] [--parent PID]
    python -m autograder warm status | stop
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

from autograder import paths
from autograder.processes import alive

IDLE_MINUTES = 20.0
# Imported in every warmed kernel: what the kit's notebooks import. Each goes into sys.modules
# only; the lambda leaves no name behind in the kernel's namespace, so a notebook that forgets
# `import numpy as np` fails warm exactly as it fails cold.
PRELOADED = ("numpy", "pandas", "matplotlib", "matplotlib.pyplot", "sklearn", "sklearn.linear_model",
             "sklearn.preprocessing", "sklearn.model_selection", "sklearn.metrics", "sklearn.datasets",
             "autograder.checks.ladder")
PRELOAD_CODE = f"if (lambda: [__import__(m) for m in {PRELOADED!r}])(): pass"
_FINGERPRINT_ENV = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "MPLBACKEND", "PYTHONPATH",
                    "JUPYTER_CONFIG_DIR", "JUPYTER_PATH", "JUPYTER_DATA_DIR", "JUPYTER_PLATFORM_DIRS")


# ---------------------------------------------------------------------------------------------
# Where the service's files are, and whether it runs


class Files:
    def __init__(self, grading: Path):
        self.grading = grading
        self.lock = grading / "warm.lock"
        self.info = grading / "warm.json"
        self.log = grading / "warm.log"
        sock = grading / "warm.sock"
        if len(str(sock)) > 100:  # AF_UNIX paths are limited to 108 bytes
            digest = hashlib.sha256(str(grading).encode()).hexdigest()[:16]
            sock = Path(tempfile.gettempdir()) / f"kit-warm-{digest}.sock"
        self.sock = sock


def mode() -> str:
    """'off', 'use' (a running service) or 'start' (also start one on first use)."""
    value = os.environ.get("KIT_WARM_GRADER", "").strip().lower()
    if value in ("0", "off", "no", "false"):
        return "off"
    if value in ("1", "on", "yes", "true", "start", "auto"):
        return "start"
    return "use"


def running(grading: Path) -> bool:
    """A service holds warm.lock for its whole life; if the lock can be taken, none runs."""
    files = Files(grading)
    if not files.lock.exists():
        return False
    try:
        with open(files.lock, "a") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
    except OSError:
        return False


def env_fingerprint() -> str:
    items = sorted((k, v) for k, v in os.environ.items()
                   if (k.startswith("KIT_") and k not in ("KIT_GRADING_DIR", "KIT_WARM_GRADER"))
                   or k in _FINGERPRINT_ENV)
    return hashlib.sha256(json.dumps([sys.executable, items]).encode()).hexdigest()


class CodeWatch:
    """Whether the kit's code that the service runs has changed on disk since it was loaded (a
    `git pull`, a maintainer's edit): then the service is stale and stops. Watched: every module
    of the kit the service has imported, and those its kernels import at start."""

    _KERNEL_SIDE = ("replay_kernel.py", "kernel_guard.py", "checks/__init__.py", "checks/ladder.py")

    def __init__(self):
        self.seen: dict[str, int] = {}
        self.stale()

    def _files(self) -> set[str]:
        package = paths.ROOT / "autograder"
        files = {str(package / name) for name in self._KERNEL_SIDE}
        for name, module in list(sys.modules.items()):
            if name == "autograder" or name.startswith("autograder."):
                file = getattr(module, "__file__", None)
                if file:
                    files.add(file)
        return files

    def stale(self) -> bool:
        changed = False
        for file in self._files():
            try:
                mtime = os.stat(file).st_mtime_ns
            except OSError:
                continue
            if self.seen.setdefault(file, mtime) != mtime:
                changed = True
        return changed


def status(grading: Path) -> dict | None:
    files = Files(grading)
    if not running(grading):
        return None
    try:
        return json.loads(files.info.read_text())
    except (OSError, ValueError):
        return {"pid": None}


# ---------------------------------------------------------------------------------------------
# The client side: `python -m autograder grade` asks the service


def _send(sock: socket.socket, message: dict) -> None:
    sock.sendall((json.dumps(message) + "\n").encode())


def _messages(sock: socket.socket):
    buffer = b""
    while True:
        chunk = sock.recv(65536)
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            yield json.loads(line)


def _connect(files: Files, timeout: float | None = None) -> socket.socket:
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(str(files.sock))
    return sock


def try_grade(args: argparse.Namespace) -> int | None:
    """Grade through the running service: its exit code, or None when the cold path must grade
    (no service, other settings, or the service went away before it answered)."""
    wanted = mode()
    if wanted == "off":
        return None
    grading = paths.grading_dir()
    files = Files(grading)
    if not running(grading):
        if files.lock.exists():
            _note(files, "no warm grader runs: graded the usual way")
        if wanted == "start":
            # A folder the service cannot write (read-only, full) cannot have one: the cold
            # grading that follows says why, in one paragraph.
            with contextlib.suppress(OSError):
                start(grading, wait=False)
        return None
    request = {
        "command": "grade",
        "targets": [str(Path(t).expanduser().resolve()) if Path(t).expanduser().exists() else t
                    for t in args.targets],
        "module": args.module, "json": args.json, "force": args.force, "skip_unchanged": args.skip_unchanged,
        "cwd": os.getcwd(), "columns": shutil.get_terminal_size((100, 20)).columns,
        "env": env_fingerprint(),
    }
    printed = False
    try:
        with contextlib.closing(_connect(files)) as sock:
            _send(sock, request)
            for message in _messages(sock):
                if "mismatch" in message:
                    what = {"code": "the kit's code changed since it started"}.get(
                        message["mismatch"], "its settings differ from this command's")
                    _note(files, f"the warm grader declined ({what}): graded the usual way")
                    return None
                if "err" in message:
                    sys.stderr.write(message["err"])
                    sys.stderr.flush()
                    printed = True
                elif "out" in message:
                    sys.stdout.write(message["out"])
                    sys.stdout.flush()
                    printed = True
                elif "exit" in message:
                    return int(message["exit"])
    except OSError as exc:
        _note(files, f"the warm grader did not answer ({exc}): graded the usual way")
    if printed and not args.json:
        print("The warm grader stopped before it finished; grading again the usual way ...",
              file=sys.stderr, flush=True)
    return None


def _note(files: Files, text: str) -> None:
    """A line in the service's log from a command that graded cold although a service was or
    had been there: why a grading was slow is then in one place."""
    with contextlib.suppress(OSError), open(files.log, "a", encoding="utf-8") as log:
        log.write(f"{time.strftime('%H:%M:%S')} command {os.getpid()}: {text}\n")


def start(grading: Path, idle_minutes: float | None = None, parent: int | None = None,
          wait: bool = True, timeout: float = 300) -> bool:
    """Start the service for `grading` in the background (a no-op if one runs). With `wait`,
    return once it answers (True) or has failed to start (False)."""
    if running(grading):
        return True
    files = Files(grading)
    grading.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "autograder.warm", "serve"]
    if idle_minutes is not None:
        cmd += ["--idle-minutes", str(idle_minutes)]
    if parent:
        cmd += ["--parent", str(parent)]
    env = dict(os.environ, KIT_GRADING_DIR=str(grading))
    bindir = str(Path(sys.executable).parent)  # nbgrader runs alembic from the venv
    if bindir not in env.get("PATH", "").split(os.pathsep):
        env["PATH"] = bindir + os.pathsep + env.get("PATH", "")
    with open(files.log, "ab") as log:
        proc = subprocess.Popen(cmd, cwd=paths.ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                start_new_session=True)
    if not wait:
        # Reaped when it exits (idle), so a long-lived caller (the Jupyter server) keeps no zombie.
        threading.Thread(target=proc.wait, name="kit-warm-grader-wait", daemon=True).start()
        return True
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        if running(grading) and files.sock.exists():
            try:
                with contextlib.closing(_connect(files, timeout=timeout)) as sock:
                    _send(sock, {"command": "ping"})
                    for message in _messages(sock):
                        return bool(message.get("pong"))
            except OSError:
                pass
        time.sleep(0.1)
    return False


def start_with_server(log=None) -> threading.Thread | None:
    """Called as the kit's Jupyter server extension loads (autograder/server_extension.py):
    start the warm grader for the grading folder in the background, with this process (the
    server) as its parent, so it stops with the server (or when idle), unless KIT_WARM_GRADER=0.
    The server's start is not delayed: the check and the spawn run in a thread, and the service
    warms up in its own process. One service per grading folder: if one runs (another server
    on the same checkout), nothing is started; two started at once settle it on warm.lock (the
    second exits at once)."""
    if mode() == "off":
        return None
    parent = os.getpid()

    def run() -> None:
        try:
            grading = paths.grading_dir()
            if running(grading):
                if log:
                    log.info("ml-course-kit: a warm grader already runs for %s", grading)
                return
            start(grading, parent=parent, wait=False)
            if log:
                log.info("ml-course-kit: starting the warm grader for %s (KIT_WARM_GRADER=0 turns it off)", grading)
        except Exception as exc:  # noqa: BLE001 - without it, gradings are cold: never stop the server
            if log:
                log.warning("ml-course-kit: the warm grader did not start (%s); gradings run the usual way", exc)

    thread = threading.Thread(target=run, name="kit-warm-grader-start", daemon=True)
    thread.start()
    return thread


def stop(grading: Path, timeout: float = 30) -> bool:
    """Ask the service to stop; True once it has (or none was running)."""
    files = Files(grading)
    if not running(grading):
        return True
    with contextlib.suppress(OSError), contextlib.closing(_connect(files, timeout=timeout)) as sock:
        _send(sock, {"command": "stop"})
        for _ in _messages(sock):
            break
    deadline = time.monotonic() + timeout
    while running(grading) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not running(grading)


# ---------------------------------------------------------------------------------------------
# Kernels: one pre-started kernel for nbgrader, handed to its Execute preprocessor

_POOL: "KernelPool | None" = None


class KernelPool:
    """One fresh kernel, started and warmed ahead of the grading that will use it. A kernel
    handed out is never handed out again: `retire` kills it."""

    def __init__(self, cwd: Path):
        from autograder.nbgrader_setup import KERNEL_ARGUMENTS

        self.cwd = cwd
        self.arguments = list(KERNEL_ARGUMENTS)  # as nbgrader starts its kernels
        # The preload runs at the kernel's start, after kernel_guard, before the kernel answers:
        # the kernel boots in the background while the service waits for a grading.
        self.launch_arguments = self.arguments + [f"--IPKernelApp.exec_lines={PRELOAD_CODE}"]
        self.kernel_name = "python3"
        self.km = None
        self.retired: list = []
        self.handed = 0  # kernels handed to nbgrader (each once)
        self.pids: list[int] = []  # the kernel processes handed out, in order (for the log)
        # A request with several notebooks: the next kernel is warmed as soon as one is used,
        # not only after the whole request (else only its first notebook gets a warm kernel).
        self.eager = False

    def refill(self) -> None:
        if self.km is not None:
            with contextlib.suppress(Exception):
                if self._alive(self.km):
                    return
            self.retired.append((self.km, None))
            self.km = None
        from jupyter_core.utils import run_sync

        self.km = run_sync(self._start)()

    async def _start(self):
        from jupyter_client.manager import AsyncKernelManager

        km = AsyncKernelManager(kernel_name=self.kernel_name)
        await km.start_kernel(extra_arguments=self.launch_arguments, cwd=str(self.cwd))
        return km

    @staticmethod
    def _alive(km) -> bool:
        from jupyter_core.utils import run_sync

        async def alive():
            return await km.is_alive()

        return bool(run_sync(alive)())

    def take(self, kernel_name: str | None, extra_arguments: list[str]):
        """The pre-started kernel, if it fits this grading (the same kernel and arguments) and is
        alive; else None (nbgrader starts its own, as when cold)."""
        if self.km is None or (kernel_name or "python3") != self.kernel_name or list(extra_arguments) != self.arguments:
            return None
        km, self.km = self.km, None
        if not self._alive(km):
            self.retired.append((km, None))
            return None
        self.handed += 1
        with contextlib.suppress(Exception):
            self.pids.append(int(km.provisioner.pid))
        return km

    def retire(self, km, kc=None) -> None:
        self.retired.append((km, kc))

    def kill_retired(self) -> None:
        from jupyter_core.utils import run_sync

        async def kill(km, kc):
            if kc is not None:
                with contextlib.suppress(Exception):
                    kc.stop_channels()
            with contextlib.suppress(Exception):
                await km.shutdown_kernel(now=True)
            with contextlib.suppress(Exception):
                await km.cleanup_resources()

        while self.retired:
            km, kc = self.retired.pop()
            run_sync(kill)(km, kc)

    def close(self) -> None:
        if self.km is not None:
            self.retired.append((self.km, None))
            self.km = None
        self.kill_retired()


def _warm_execute_class():
    from jupyter_core.utils import run_sync
    from nbgrader.preprocessors import Execute

    class WarmExecute(Execute):
        """nbgrader's Execute, given the pool's pre-started kernel (nbclient's `km` argument)
        when there is one; the kernel is retired after this one notebook."""

        _warm_cwd = None

        def preprocess(self, nb, resources=None, km=None):
            taken = None
            if km is None and _POOL is not None:
                name = self.kernel_name or nb.metadata.get("kernelspec", {}).get("name")
                taken = _POOL.take(name, self.extra_arguments)
            if taken is None:
                return super().preprocess(nb, resources, km)
            self._warm_cwd = ((resources or {}).get("metadata") or {}).get("path")
            try:
                return super().preprocess(nb, resources, km=taken)
            finally:
                self._warm_cwd = None
                _POOL.retire(taken, self.kc)
                self.kc = None
                self.km = None
                if _POOL.eager:  # more notebooks in this request: warm the next kernel now
                    _POOL.kill_retired()
                    with contextlib.suppress(Exception):
                        _POOL.refill()

        def start_new_kernel_client(self):
            kc = super().start_new_kernel_client()
            if self._warm_cwd:  # the kernel was started before the notebook's folder was known
                run_sync(self._chdir)(self._warm_cwd)
            return kc

        async def _chdir(self, cwd: str) -> None:
            msg_id = self.kc.execute(f"__import__('os').chdir({cwd!r})", silent=True, store_history=False,
                                     allow_stdin=False)
            await self.async_wait_for_reply(msg_id)

    return WarmExecute


def configure_api(api) -> None:
    """nbgrader's autograde runs the notebook with WarmExecute (its own configuration: nbgrader
    builds the Autograde app from the API's config)."""
    from nbgrader.converters import Autograde
    from nbgrader.preprocessors import Execute

    warm = _warm_execute_class()
    steps = list(Autograde.class_traits()["autograde_preprocessors"].default())
    api.config.Autograde.autograde_preprocessors = [warm if step is Execute else step for step in steps]


def _install(grading, nbgrader_setup, rechecks: "RecheckPool") -> None:
    """Inside the service process only: every NbGraderAPI that grading builds runs nbgrader's
    kernel from the pool, and the clean re-check it starts is the pre-started one. (Process-local
    replacements of `nbgrader_setup.api` and `grading.start_recheck`, so the cold path is
    untouched; the processes grade() spawns for several modules at once are cold.)"""
    cold_api = nbgrader_setup.api
    cold_recheck = grading.start_recheck

    def warm_api(*args, **kwargs):
        api = cold_api(*args, **kwargs)
        configure_api(api)
        return api

    def warm_recheck(submitted, module_id, timeout, log):
        return rechecks.take(Path(submitted), module_id, timeout) or cold_recheck(submitted, module_id, timeout, log)

    nbgrader_setup.api = warm_api
    grading.start_recheck = warm_recheck


# ---------------------------------------------------------------------------------------------
# The clean re-check: one pre-started process with its replay kernel up


class RecheckPool:
    def __init__(self, grading: Path):
        from autograder.paths import GradingLayout

        self.log = GradingLayout(grading).recheck_log
        self.proc: subprocess.Popen | None = None
        self.handed = 0
        self.pids: list[int] = []
        self.eager = False  # as KernelPool.eager

    def refill(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            return
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "autograder.warm", "recheck-worker"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, stderr=log, text=True, cwd=paths.ROOT, preexec_fn=lambda: os.nice(5))

    def take(self, submitted: Path, module_id: str, timeout: int) -> subprocess.Popen | None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return None
        try:
            proc.stdin.write(json.dumps({"notebook": str(submitted), "module": module_id, "timeout": timeout}) + "\n")
            proc.stdin.close()
        except OSError:
            proc.kill()
            proc.wait()
            return None
        proc.stdin = None  # communicate() must not touch it again
        self.handed += 1
        self.pids.append(proc.pid)
        if self.eager:
            with contextlib.suppress(OSError):
                self.refill()
        return proc

    def close(self) -> None:
        if self.proc is not None:
            with contextlib.suppress(OSError):
                self.proc.stdin.close()  # end of input: the worker shuts its kernel down and exits
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self.proc = None


def recheck_worker() -> int:
    """One clean re-check, its replay kernel started before the job arrives (on stdin, one JSON
    line); prints the verdict as `python -m autograder.recheck` does, then exits. End of input
    before a job: shut the kernel down and exit."""
    from autograder import recheck

    cwd = Path(tempfile.mkdtemp(prefix="kit-recheck-"))
    replay = recheck.Replay(120, cwd)
    try:
        replay.run(PRELOAD_CODE)
        line = sys.stdin.readline()
        if not line.strip():
            return 0
        job = json.loads(line)
        if os.environ.get("KIT_RECHECK_FAULT"):  # fault injection for the kit's own tests, as in recheck.main
            raise RuntimeError(f"injected fault: {os.environ['KIT_RECHECK_FAULT']}")
        replay.timeout = float(job["timeout"])
        handed = []

        def prestarted(timeout, _cwd):  # recheck() asks for a fresh Replay: this one is
            if handed:
                return _original(timeout, _cwd)
            handed.append(replay)
            replay.timeout = timeout
            return replay

        _original = recheck.Replay
        recheck.Replay = prestarted
        nb = json.loads(Path(job["notebook"]).read_text(encoding="utf-8"))
        print(recheck.recheck(nb, job["module"], float(job["timeout"])).to_json(), flush=True)
        return 0
    finally:
        replay.close()
        shutil.rmtree(cwd, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The service


class _Writer:
    """A text stream whose writes go to the client as {stream: text} messages."""

    def __init__(self, sock: socket.socket, stream: str):
        self.sock, self.stream = sock, stream

    def write(self, text: str) -> int:
        if text:
            with contextlib.suppress(OSError):
                _send(self.sock, {self.stream: text})
        return len(text)

    def flush(self) -> None:
        pass


def serve(idle_minutes: float, parent: int | None) -> int:
    global _POOL
    from autograder import cli, grading, nbgrader_setup

    folder = paths.grading_dir()
    os.environ["KIT_GRADING_DIR"] = str(folder)
    folder.mkdir(parents=True, exist_ok=True)
    files = Files(folder)
    lock = open(files.lock, "a")
    try:
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        print("a warm grader already runs for this grading folder", flush=True)
        return 0
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    env_fp = env_fingerprint()
    print(f"--- {time.strftime('%Y-%m-%d %H:%M:%S')} warm grader {os.getpid()} for {folder}", flush=True)
    nbgrader_setup.api(folder)  # nbgrader imported, its configuration built once
    from nbgrader.api import Gradebook  # noqa: F401 - the gradebook's code, imported once
    _POOL = KernelPool(folder)
    rechecks = RecheckPool(folder)
    rechecks.refill()
    _POOL.refill()
    _install(grading, nbgrader_setup, rechecks)
    with contextlib.suppress(OSError):
        files.sock.unlink()  # a killed service's socket: we hold the lock, it is ours now
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(files.sock))
    os.chmod(files.sock, 0o600)
    server.listen(8)
    server.settimeout(1.0)
    watch = CodeWatch()
    files.info.write_text(json.dumps({"pid": os.getpid(), "socket": str(files.sock), "env": env_fp,
                                      "idle_minutes": idle_minutes, "parent": parent,
                                      "started": time.strftime("%Y-%m-%dT%H:%M:%S")}))
    last = time.monotonic()
    try:
        while True:
            try:
                conn, _ = server.accept()
            except socket.timeout:
                if time.monotonic() - last > idle_minutes * 60:
                    print(f"idle for {idle_minutes:g} minutes: stopping", flush=True)
                    return 0
                if parent and not alive(parent):
                    print(f"process {parent} has exited: stopping", flush=True)
                    return 0
                continue
            last = time.monotonic()
            conn.settimeout(None)
            stop_now = False
            try:
                with conn:
                    request = json.loads(conn.makefile("rb").readline() or b"{}")
                    command = request.get("command")
                    if command == "ping":
                        _send(conn, {"pong": True})
                    elif command == "stop":
                        _send(conn, {"stopping": True})
                        stop_now = True
                    elif command == "grade":
                        if watch.stale():
                            print("the kit's code changed on disk: stopping (this grading is cold)", flush=True)
                            _send(conn, {"mismatch": "code"})
                            stop_now = True  # the kit changed since this service started
                        elif request.get("env") != env_fp:
                            _send(conn, {"mismatch": "settings"})
                        else:
                            started, before = time.monotonic(), (_POOL.handed, rechecks.handed)
                            pids_before = (len(_POOL.pids), len(rechecks.pids))
                            _POOL.eager = rechecks.eager = len(request.get("targets") or ()) != 1
                            try:
                                code = _grade(cli, request, _Writer(conn, "out"), _Writer(conn, "err"))
                            finally:
                                _POOL.eager = rechecks.eager = False
                            _send(conn, {"exit": code})
                            print(f"{time.strftime('%H:%M:%S')} graded {' '.join(request['targets']) or 'all'}: "
                                  f"exit {code}, {time.monotonic() - started:.2f} s, pre-started kernels used: "
                                  f"{_POOL.handed - before[0]} nbgrader, {rechecks.handed - before[1]} re-check",
                                  flush=True)
                            print("  processes used: nbgrader kernels "
                                  f"{' '.join(map(str, _POOL.pids[pids_before[0]:])) or '-'}; re-check workers "
                                  f"{' '.join(map(str, rechecks.pids[pids_before[1]:])) or '-'}", flush=True)
            except Exception:  # noqa: BLE001 - a broken request must not stop the service
                traceback.print_exc()
            finally:
                os.chdir(paths.ROOT)
                # Off the learner's wait: the used kernels killed, new ones warmed behind them.
                _POOL.kill_retired()
                if stop_now:
                    return 0
                try:
                    rechecks.refill()
                    _POOL.refill()
                except Exception:  # noqa: BLE001 - without a warm kernel the next grading is cold
                    traceback.print_exc()
            last = time.monotonic()
    finally:
        server.close()
        with contextlib.suppress(OSError):
            files.sock.unlink()
        with contextlib.suppress(OSError):
            files.info.unlink()
        rechecks.close()
        _POOL.close()
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()


def _grade(cli, request: dict, out: _Writer, err: _Writer) -> int:
    ns = argparse.Namespace(targets=request["targets"], module=request.get("module"), json=request.get("json"),
                            force=request.get("force"), skip_unchanged=request.get("skip_unchanged"))
    os.chdir(request.get("cwd") or paths.ROOT)  # paths in the table are shown relative to it
    os.environ["COLUMNS"] = str(request.get("columns") or 100)
    try:
        return cli._grade(ns, out=out, err=err)
    except BaseException as exc:  # noqa: BLE001 - said to the learner as the CLI says it
        if isinstance(exc, SystemExit):
            raise
        return cli.failed(exc, err)


# ---------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder warm", description="The warm grading service.")
    sub = p.add_subparsers(dest="command", required=True)
    for name in ("start", "serve"):
        s = sub.add_parser(name)
        s.add_argument("--idle-minutes", type=float,
                       default=float(os.environ.get("KIT_WARM_IDLE_MINUTES", IDLE_MINUTES)))
        s.add_argument("--parent", type=int, help="stop when this process exits (e.g. the Jupyter server)")
    sub.add_parser("stop")
    sub.add_parser("status")
    sub.add_parser("recheck-worker")
    args = p.parse_args(argv)
    grading = paths.grading_dir()
    if args.command == "serve":
        return serve(args.idle_minutes, args.parent)
    if args.command == "recheck-worker":
        return recheck_worker()
    if args.command == "start":
        ok = start(grading, args.idle_minutes, args.parent)
        info = status(grading) or {}
        print(f"the warm grader runs (process {info.get('pid')}) for {grading}" if ok else
              f"the warm grader could not start; see {Files(grading).log}")
        return 0 if ok else 1
    if args.command == "stop":
        was = running(grading)
        ok = stop(grading)
        print("the warm grader has stopped" if was and ok else "no warm grader was running" if ok else
              "the warm grader did not stop")
        return 0 if ok else 1
    info = status(grading)
    print(f"the warm grader runs (process {info.get('pid')}, started {info.get('started')}, stops after "
          f"{info.get('idle_minutes')} idle minutes)" if info else "no warm grader runs for this grading folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
