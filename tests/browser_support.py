"""Helpers for the tests that run a real JupyterLab: a private copy of the kit, an isolated Jupyter
environment, a server on a free port, and what `jupyter labextension list` / `jupyter server
extension list` say about the nbgrader extensions.

The server and its kernels never see the learner's files, their ~/.jupyter or their grading folder:
everything lives under the test's temporary folder.
"""

from __future__ import annotations

import contextlib
import html
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

ROOT = Path(__file__).resolve().parent.parent
KIT_BIN = Path(sys.executable).parent  # the kit's virtualenv (.venv/bin) that runs the tests

CHROMIUM = Path("/usr/bin/chromium")
# From /work/shared/BROWSER_TESTING.md: closed network, small /dev/shm, running as root.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
                 "--disable-dev-shm-usage"]

# What `python -m autograder setup-jupyter` must leave behind (autograder/jupyter_setup.py).
INSTRUCTOR_LAB_PLUGINS = ["@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
                          "@jupyter/nbgrader:course-list", "@jupyter/nbgrader:assignment-list",
                          "@jupyter/nbgrader:menu"]
LEARNER_LAB_PLUGIN = "@jupyter/nbgrader:validate-assignment"
INSTRUCTOR_SERVER_EXTENSIONS = ["nbgrader.server_extensions.formgrader",
                                "nbgrader.server_extensions.assignment_list",
                                "nbgrader.server_extensions.course_list"]
LEARNER_SERVER_EXTENSION = "nbgrader.server_extensions.validate_assignment"
# The kit's Grade button: its prebuilt lab extension and its server extension (issue 16 §1).
GRADE_LAB_EXTENSION = "ml-course-kit-grade"
GRADE_SERVER_EXTENSION = "autograder.server_extension"

# Never copied: environments, git, grading state, backups and tool caches.
_IGNORE = shutil.ignore_patterns(".venv", ".git", "grading", "backups", ".pytest_cache",
                                 "test-artifacts", "build", "__pycache__", "*.egg-info",
                                 ".ipynb_checkpoints", "node_modules")


def copy_kit(dest: Path) -> Path:
    """A private copy of the repository (without .venv, .git, grading state) at `dest`."""
    shutil.copytree(ROOT, dest, ignore=_IGNORE, symlinks=True)
    return dest


def isolated_env(home: Path, bindir: Path) -> dict[str, str]:
    """Environment for Jupyter commands: `bindir` first on PATH, and HOME, Jupyter's and
    IPython's folders and the kit's grading folder all inside `home`."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("JUPYTER_", "PYTHON", "VIRTUAL_ENV", "IPYTHON", "KIT_"))}
    dirs = {"HOME": home, "JUPYTER_CONFIG_DIR": home / ".jupyter",
            "JUPYTER_DATA_DIR": home / "jupyter-data", "JUPYTER_RUNTIME_DIR": home / "jupyter-runtime",
            "IPYTHONDIR": home / ".ipython", "KIT_GRADING_DIR": home / "grading",
            "XDG_CACHE_HOME": home / ".cache", "XDG_CONFIG_HOME": home / ".config"}
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    env.update({k: str(v) for k, v in dirs.items()})
    env["JUPYTER_PLATFORM_DIRS"] = "1"
    env["VIRTUAL_ENV"] = str(bindir.parent)
    env["PATH"] = str(bindir) + os.pathsep + env.get("PATH", "")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class LabServer:
    """A running `jupyter lab`; `url` has no trailing slash."""

    proc: subprocess.Popen
    url: str
    token: str
    log: Path
    root_dir: Path
    env: dict = field(repr=False, default_factory=dict)

    def api(self, path: str, method: str = "GET", timeout: float = 10) -> tuple[int, bytes]:
        """(status, body) of a request to the server, authenticated with the token."""
        request = urllib.request.Request(self.url + path, method=method,
                                         headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read()

    def page(self, path: str) -> str:
        """Browser URL of `path` (e.g. /lab/tree/x.ipynb), with the token and a fresh workspace."""
        sep = "&" if "?" in path else "?"
        return f"{self.url}{path}{sep}token={self.token}&reset"

    def log_tail(self, lines: int = 60) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def shutdown_kernels(self) -> None:
        with contextlib.suppress(Exception):
            status, body = self.api("/api/kernels")
            for kernel in json.loads(body) if status == 200 else []:
                self.api(f"/api/kernels/{kernel['id']}", method="DELETE")

    def stop(self) -> None:
        """SIGTERM (which stops its kernels too); SIGKILL if it has not gone after 20 s."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def _start_lab(bindir: Path, root_dir: Path, env: dict, cwd: Path, log: Path,
               extra_args: tuple[str, ...], ready_timeout: float) -> LabServer:
    port, token = free_port(), os.urandom(16).hex()
    args = [str(bindir / "jupyter"), "lab", "--allow-root", "--no-browser",
            "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root_dir}",
            "--LabApp.news_url=None",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate", *extra_args]
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL)
    server = LabServer(proc, f"http://127.0.0.1:{port}", token, log, root_dir, env)
    try:
        deadline = time.monotonic() + ready_timeout
        while True:
            if proc.poll() is not None:
                raise _ServerExited(f"jupyter lab exited with {proc.returncode} before it was "
                                    f"ready; its log:\n{server.log_tail()}")
            with contextlib.suppress(OSError):
                if server.api("/api/status", timeout=2)[0] == 200:
                    return server
            if time.monotonic() > deadline:
                raise AssertionError(f"jupyter lab did not answer /api/status within "
                                     f"{ready_timeout:.0f} s; its log:\n{server.log_tail()}")
            time.sleep(0.25)
    except BaseException:
        server.stop()
        raise


class _ServerExited(AssertionError):
    pass


@contextlib.contextmanager
def running_lab(bindir: Path, root_dir: Path, home: Path, *, cwd: Path | None = None,
                extra_args: tuple[str, ...] = (), ready_timeout: float = 90,
                warm_grader: bool = True) -> Iterator[LabServer]:
    """Start `bindir/jupyter lab` serving `root_dir`, isolated in `home`; always stop it. The
    server starts the kit's warm grader as `make lab` does; `warm_grader=False` (KIT_WARM_GRADER=0)
    spares its kernels' CPU in tests that grade no kit notebook through the server."""
    env = isolated_env(home, bindir)
    if not warm_grader:
        env["KIT_WARM_GRADER"] = "0"
    log = home / "jupyter-lab.log"
    for attempt in range(5):
        try:
            server = _start_lab(bindir, root_dir, env, cwd or root_dir, log, extra_args,
                                ready_timeout)
            break
        except _ServerExited as exc:
            # Another process may take the free port between our check and the server's bind.
            if "is already in use" not in str(exc) or attempt == 4:
                raise
    try:
        yield server
    finally:
        server.shutdown_kernels()
        server.stop()


# ---------------------------------------------------------------------------------------------
# What the Jupyter command-line tools report about the extensions.

_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def run_jupyter(bindir: Path, env: dict, *args: str) -> str:
    proc = subprocess.run([str(bindir / "jupyter"), *args], env=env, capture_output=True,
                          text=True, timeout=120)
    text = _ANSI.sub("", proc.stdout + proc.stderr)
    assert proc.returncode == 0, f"jupyter {' '.join(args)} failed:\n{text}"
    return text


@dataclass
class LabExtensionState:
    nbgrader_line: str  # the @jupyter/nbgrader line of `jupyter labextension list`
    disabled: set[str]
    locked: set[str]
    text: str


def lab_extension_state(bindir: Path, env: dict) -> LabExtensionState:
    text = run_jupyter(bindir, env, "labextension", "list")
    lines = text.splitlines()
    nbgrader = [line.strip() for line in lines if line.strip().startswith("@jupyter/nbgrader ")]
    assert len(nbgrader) == 1, f"nbgrader's lab extension is not listed once:\n{text}"
    disabled: set[str] = set()
    if "Disabled extensions:" in lines:
        for line in lines[lines.index("Disabled extensions:") + 1:]:
            if not line.strip() or not line.startswith((" ", "\t")):
                break
            disabled.add(line.strip().split()[0])
    locked: set[str] = set()
    for line in lines:
        if m := re.search(r"🔒 \(plugins: (.*) locked\)", line):
            locked.update(p.strip() for p in m.group(1).split(","))
        elif "🔒 (all plugins locked)" in line:
            locked.add(line.strip().split()[0])
    return LabExtensionState(nbgrader[0], disabled, locked, text)


def server_extension_state(bindir: Path, env: dict) -> tuple[dict[str, bool], str]:
    """{extension: enabled} as `jupyter server extension list` reports it, and the raw text.
    It lists each configuration folder, the one that takes precedence (the user's) first."""
    text = run_jupyter(bindir, env, "server", "extension", "list")
    state: dict[str, bool] = {}
    for line in text.splitlines():
        if m := re.fullmatch(r"\s+(\S+) (enabled|disabled)\s*", line):
            state.setdefault(m.group(1), m.group(2) == "enabled")
    return state, text


def assert_learner_extensions(bindir: Path, env: dict) -> None:
    """The instructor tools are disabled and locked, the Validate button and its server
    extension enabled — as `python -m autograder setup-jupyter` configures them."""
    lab = lab_extension_state(bindir, env)
    assert " enabled " in f" {lab.nbgrader_line} " and "OK" in lab.nbgrader_line, \
        f"nbgrader's lab extension must stay enabled (it carries Validate):\n{lab.text}"
    for plugin in INSTRUCTOR_LAB_PLUGINS:
        assert plugin in lab.disabled, f"{plugin} is not disabled:\n{lab.text}"
        assert plugin in lab.locked, f"{plugin} is not locked:\n{lab.text}"
    assert LEARNER_LAB_PLUGIN not in lab.disabled, f"{LEARNER_LAB_PLUGIN} is disabled:\n{lab.text}"
    grade = [line.strip() for line in lab.text.splitlines()
             if line.strip().startswith(GRADE_LAB_EXTENSION + " ")]
    assert len(grade) == 1 and " enabled " in f" {grade[0]} " and "OK" in grade[0], \
        f"the Grade button's lab extension ({GRADE_LAB_EXTENSION}) is not installed and enabled:\n{lab.text}"

    server, text = server_extension_state(bindir, env)
    for name in INSTRUCTOR_SERVER_EXTENSIONS:
        assert server.get(name) is False, f"{name} is not disabled:\n{text}"
    assert server.get(LEARNER_SERVER_EXTENSION) is True, \
        f"{LEARNER_SERVER_EXTENSION} is not enabled:\n{text}"
    assert server.get(GRADE_SERVER_EXTENSION) is True, f"{GRADE_SERVER_EXTENSION} is not enabled:\n{text}"
    assert server.get("jupyterlab") is True, text


def assert_server_serves_learner_only(server: LabServer) -> None:
    """The running server: lab plugins disabled in its page config and locked by its plugin API;
    nbgrader's instructor endpoints absent (404) while Validate's answers."""

    status, body = server.api("/lab")
    assert status == 200, status
    m = re.search(rb'<script id="jupyter-config-data" type="application/json">(.*?)</script>',
                  body, re.S)
    assert m, "the /lab page has no jupyter-config-data"
    page_config = json.loads(html.unescape(m.group(1).decode()))
    disabled = set(page_config.get("disabledExtensions", []))
    status, body = server.api("/lab/api/plugins")
    assert status == 200, (status, body)
    locks = json.loads(body)
    for plugin in INSTRUCTOR_LAB_PLUGINS:
        assert plugin in disabled, f"{plugin} is not in the server's disabledExtensions: {disabled}"
        assert plugin in locks.get("lockRules", []), f"{plugin} is not locked: {locks}"
    assert LEARNER_LAB_PLUGIN not in disabled, disabled
    for path in ("/formgrader", "/assignments", "/formgraders"):
        assert server.api(path)[0] == 404, f"instructor endpoint {path} answers: not disabled"
    status, body = server.api("/nbgrader_version?version=" + _nbgrader_version(server))
    assert status == 200 and json.loads(body) == {"success": True}, (status, body)
    # The Grade button: its extension is in the page's federated extensions, its endpoint answers.
    federated = {e.get("name") for e in page_config.get("federated_extensions", [])}
    assert GRADE_LAB_EXTENSION in federated, f"the page does not load {GRADE_LAB_EXTENSION}: {federated}"
    status, body = server.api("/ml-course-kit/grade")
    assert status == 200 and json.loads(body) == {"grading": []}, (status, body)


def _nbgrader_version(server: LabServer) -> str:
    proc = subprocess.run([str(Path(server.env["VIRTUAL_ENV"]) / "bin" / "python"), "-c",
                           "import importlib.metadata as m; print(m.version('nbgrader'))"],
                          env=server.env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout.strip()
