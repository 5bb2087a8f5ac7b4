"""JupyterHub for the cohort: every learner a real OS user with their own JupyterLab server.

- The hub (jupyterhub 6, from the kit's environment) listens on the settings' host only; its
  database is the cohort's Postgres (`hub`); configurable-http-proxy 5.3.0 is installed by the
  kit with npm into `.cohort/node/`.
- Learners' servers (LocalProcessSpawner: the learner's own OS user) run from `.cohort/env/`, a
  virtual environment of the system's /usr/bin/python3 with the kit's pinned packages: the kit's
  own .venv may sit on a Python under /root, which other users cannot execute.
- Each learner's folder is `<state>/homes/<name>` (mode 700, theirs), with a copy of the course
  (lessons and start page); JupyterLab opens on the start page; fetched assignments land in
  `exercises/<module>/` there, where the start page links. nbgrader's assignment list, course list
  and Validate are on; formgrader and create-assignment are off (exchange.write_learner_config).
- The instructor (`Settings.instructor`, an OS user too, in the group `kit-instructors`: cohort up
  makes both as root) gets a Jupyter configuration of its own (`<state>/instructor-config`, theirs
  alone, 700/600: it holds the gradebook's password): nbgrader's formgrader, server and Lab
  extensions on, on the cohort's course folder (their server's root, as formgrader wants) and
  gradebook (the Postgres one the kit's grading writes), course id the cohort's. The course folder
  is root's and the group's (config.share_course), not the learners'.
- A service token (`Settings.hub_token`) drives the hub over REST (users, servers, tokens).
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from autograder import paths
from autograder.cohort import services
from autograder.cohort.config import INSTRUCTORS, TOOLS, Settings, share_course
from autograder.errors import KitError

PROXY_VERSION = "5.3.0"
ENV = TOOLS / "env"
NODE = TOOLS / "node"
SYSTEM_PYTHON = "/usr/bin/python3"


def proxy_command() -> Path:
    return NODE / "node_modules" / ".bin" / "configurable-http-proxy"


@contextlib.contextmanager
def _installing():
    """One install into TOOLS at a time: two `cohort up` of this checkout at once (two state
    folders) would run npm or pip into the same folder together, and one of them breaks."""
    TOOLS.mkdir(parents=True, exist_ok=True)
    with open(TOOLS / ".install.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def _what_failed(done: subprocess.CompletedProcess) -> str:
    """The error lines of a failed npm or pip (not its warnings, which come last with npm)."""
    lines = (done.stderr or done.stdout).strip().splitlines()
    errors = [line for line in lines if line.startswith(("npm error", "npm ERR!", "ERROR:"))]
    return " | ".join((errors or lines)[-8:]) or f"exit code {done.returncode}"


def ensure_proxy() -> Path:
    cmd = proxy_command()
    with _installing():
        if cmd.exists():
            return cmd
        npm = shutil.which("npm")
        if not npm:
            raise KitError("Cohort mode needs npm (Node.js 20 or newer) to install configurable-http-proxy, "
                           "JupyterHub's proxy, and npm is not installed. Install it (on Debian: sudo apt-get "
                           "install nodejs npm), then start the cohort again.")
        NODE.mkdir(parents=True, exist_ok=True)
        done = subprocess.run([npm, "install", "--no-fund", "--no-audit", "--prefix", str(NODE),
                               f"configurable-http-proxy@{PROXY_VERSION}"], capture_output=True, text=True)
        if done.returncode != 0 or not cmd.exists():
            raise KitError(f"npm could not install configurable-http-proxy {PROXY_VERSION} into {NODE} "
                           f"({_what_failed(done)}). Check that the npm registry is reachable "
                           "(`npm ping`), then start the cohort again.")
    return cmd


def _requirements_stamp() -> str:
    import hashlib

    return hashlib.sha256((paths.ROOT / "requirements.txt").read_bytes()).hexdigest()


def ensure_learner_env() -> Path:
    """The learners' environment (built once, again when requirements.txt changes)."""
    stamp = ENV / ".kit-requirements"
    with _installing():
        if not (stamp.exists() and stamp.read_text() == _requirements_stamp()):
            _build_learner_env(stamp)
    return ENV


def _build_learner_env(stamp: Path) -> None:
    if not os.access(SYSTEM_PYTHON, os.X_OK):
        raise KitError(f"Cohort mode builds the learners' environment from {SYSTEM_PYTHON} (a Python every "
                       "user can run) and there is none. Install Python 3.11 for the system (on Debian: "
                       "sudo apt-get install python3 python3-venv), then start the cohort again.")
    print(f"Building the learners' environment in {ENV} (first run only; a few minutes) ...", flush=True)
    steps = [[SYSTEM_PYTHON, "-m", "venv", str(ENV)],
             # Debian's Python 3.11.2 is a few patch releases older than what some pins declare
             # (soupsieve asks for 3.11.5); the packages are pure Python and work on it.
             [str(ENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "--ignore-requires-python", "-r", str(paths.ROOT / "requirements.txt")],
             [str(ENV / "bin" / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
              "--no-deps", "-e", str(paths.ROOT)]]
    for step in steps:
        done = subprocess.run(step, capture_output=True, text=True)
        if done.returncode != 0:
            raise KitError(f"The learners' environment could not be built ({' '.join(step[:4])} ...): "
                           f"{_what_failed(done)}")
    subprocess.run(["chmod", "-R", "a+rX", str(ENV)], check=False)
    stamp.write_text(_requirements_stamp())


def ensure_instructor(s: Settings) -> None:
    """As root: the group kit-instructors and the instructor's OS user in it (made if missing,
    without a password: set one with `passwd` to log in with PAM). Not root: nothing to do."""
    if os.geteuid() != 0:
        return
    import grp
    import pwd

    try:
        grp.getgrnam(INSTRUCTORS)
    except KeyError:
        done = subprocess.run(["groupadd", "--system", INSTRUCTORS], capture_output=True, text=True)
        if done.returncode not in (0, 9):  # 9: made meanwhile
            raise KitError(f"Cohort mode could not create the group {INSTRUCTORS} (groupadd: {done.stderr.strip()}).")
    try:
        pwd.getpwnam(s.instructor)
    except KeyError:
        done = subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", "--groups",
                               INSTRUCTORS, s.instructor], capture_output=True, text=True)
        if done.returncode != 0:
            raise KitError(f"Cohort mode could not create the instructor's OS user {s.instructor!r} (useradd: "
                           f"{done.stderr.strip()}). Create it yourself, or choose another name with "
                           "`cohort up --instructor NAME`, then start the cohort again.")
        return
    if s.instructor not in grp.getgrnam(INSTRUCTORS).gr_mem:
        subprocess.run(["usermod", "--append", "--groups", INSTRUCTORS, s.instructor], check=False,
                       capture_output=True)


def instructor_nbgrader_config(s: Settings) -> str:
    """The instructor's nbgrader_config.py: exchange.instructor_config (the course folder, the
    Postgres gradebook, the exchange, the course id), as Python."""
    from autograder.cohort import exchange

    lines = ["# Written by the kit's cohort mode (autograder/cohort/hub.py) on every `cohort up`.",
             "# The instructor's alone: it holds the gradebook's password.",
             "c = get_config()  # noqa: F821"]
    for section, values in exchange.instructor_config(s).items():
        for key, value in values.items():
            lines.append(f"c.{section}.{key} = {value!r}")
    # formgrader's "debug" prints this whole configuration (the password too) on its pages.
    lines.append("c.FormgradeExtension.debug = False")
    return "\n".join(lines) + "\n"


def write_instructor_config(s: Settings) -> Path:
    """The instructor's Jupyter configuration folder (JUPYTER_CONFIG_PATH of their server only):
    nbgrader's formgrader, create-assignment, assignment and course lists on, in JupyterLab and as
    server extensions. Owned by the instructor (when root), 700, files 600."""
    from autograder import jupyter_setup

    folder = s.instructor_config
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    (folder / "nbgrader_config.py").write_text(instructor_nbgrader_config(s))

    def lab(data: dict) -> None:
        for key in ("disabledExtensions", "lockedExtensions"):
            data.setdefault(key, {}).update({name: False for name in jupyter_setup.INSTRUCTOR_LAB_PLUGINS})

    jupyter_setup._merge_json(folder / "labconfig" / "page_config.json", lab)
    extensions = {name: True for name in jupyter_setup.INSTRUCTOR_SERVER_EXTENSIONS}
    jupyter_setup._merge_json(folder / "jupyter_server_config.json",
                              lambda data: data.setdefault("ServerApp", {}).setdefault("jpserver_extensions", {})
                              .update(extensions))
    owner = None
    if os.geteuid() == 0:
        import pwd

        try:
            pw = pwd.getpwnam(s.instructor)
            owner = (pw.pw_uid, pw.pw_gid)
        except KeyError:
            owner = None
    for path in [folder, *folder.rglob("*")]:
        os.chmod(path, 0o700 if path.is_dir() else 0o600)
        if owner:
            os.chown(path, *owner)
    return folder


def write_config(s: Settings, authenticator: str) -> Path:
    s.hub_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(s.hub_dir, 0o700)
    cookie = s.hub_dir / "cookie_secret"
    if not cookie.exists():
        cookie.write_bytes(os.urandom(32).hex().encode())
        os.chmod(cookie, 0o600)
    settings = {
        "host": s.host, "hub_port": s.hub_port, "hub_api_port": s.hub_api_port,
        "proxy_api_port": s.proxy_api_port, "db_url": s.db_url("hub"), "instructor": s.instructor,
        "hub_token": s.hub_token, "proxy": str(proxy_command()), "singleuser": str(ENV / "bin" / "jupyterhub-singleuser"),
        "homes": str(s.homes), "course": str(paths.COURSE), "learner_config": str(s.learner_config),
        "instructor_config": str(s.instructor_config), "course_folder": str(s.course),
        "authenticator": authenticator, "cookie": str(cookie), "pid_file": str(s.run / "hub.pid"),
    }
    config = s.hub_dir / "jupyterhub_config.py"
    config.write_text(HUB_CONFIG.replace("@SETTINGS@", json.dumps(settings, indent=4)))
    os.chmod(config, 0o600)
    return config


HUB_CONFIG = '''# Written by the kit's cohort mode (autograder/cohort/hub.py) on every `cohort up`.
import os
import pwd
import shutil

kit = @SETTINGS@
c = get_config()  # noqa: F821

c.JupyterHub.bind_url = f"http://{kit['host']}:{kit['hub_port']}"
c.JupyterHub.hub_ip = kit["host"]
c.JupyterHub.hub_port = kit["hub_api_port"]
c.ConfigurableHTTPProxy.api_url = f"http://{kit['host']}:{kit['proxy_api_port']}"
c.ConfigurableHTTPProxy.command = [kit["proxy"]]
c.ConfigurableHTTPProxy.pid_file = kit["pid_file"] + ".proxy"
c.JupyterHub.db_url = kit["db_url"]
c.JupyterHub.cookie_secret_file = kit["cookie"]
c.JupyterHub.pid_file = kit["pid_file"]
c.JupyterHub.cleanup_servers = True
c.JupyterHub.cleanup_proxy = True

# Who logs in: the OS users' passwords (PAM) by default; "dummy" only for the kit's tests.
c.JupyterHub.authenticator_class = kit["authenticator"]
c.Authenticator.admin_users = {kit["instructor"]}
c.Authenticator.allow_all = True

# Every learner's server runs as that learner's OS user, from the learners' environment.
c.JupyterHub.spawner_class = "localprocess"
c.Spawner.cmd = [kit["singleuser"]]
c.Spawner.default_url = "/lab/tree/course/start.ipynb"
c.Spawner.http_timeout = 180
c.Spawner.start_timeout = 300
c.Spawner.notebook_dir = kit["homes"] + "/{username}"


def _home(spawner):
    return os.path.join(kit["homes"], spawner.user.name)


def _instructor(spawner):
    return spawner.user.name == kit["instructor"]


def _prepare(spawner):
    """The learner's folder (theirs alone) with a copy of the course, made on first start. The
    instructor's server starts in the course folder (formgrader wants it under the server's root)."""
    if _instructor(spawner):
        from autograder.cohort.config import Settings, share_course

        share_course(Settings.load())  # what nbgrader copied in since: readable by the group
        spawner.notebook_dir = kit["course_folder"]
        spawner.default_url = "/lab"
    else:
        spawner.notebook_dir = kit["homes"] + "/{username}"
        spawner.default_url = "/lab/tree/course/start.ipynb"
    home = _home(spawner)
    pw = pwd.getpwnam(spawner.user.name)
    os.makedirs(kit["homes"], exist_ok=True)
    os.chmod(kit["homes"], 0o711)
    if not os.path.isdir(home):
        os.makedirs(os.path.join(home, "exercises"))
        shutil.copytree(kit["course"], os.path.join(home, "course"))
        for folder, dirs, files in os.walk(home):
            for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
                os.chown(name, pw.pw_uid, pw.pw_gid)
    os.chmod(home, 0o700)


c.Spawner.pre_spawn_hook = _prepare
c.Spawner.environment = {
    # The instructor's server alone reads the instructor's configuration (formgrader, the gradebook).
    "JUPYTER_CONFIG_PATH": lambda sp: kit["instructor_config"] if _instructor(sp) else kit["learner_config"],
    "KIT_ASSIGNMENT_DIR": lambda sp: os.path.join(_home(sp), "exercises"),
    # Jupyter's per-user folders in the user's folder: the OS users have no home of their own (and
    # nbgrader's formgrader makes the config one when it loads).
    "JUPYTER_CONFIG_DIR": lambda sp: os.path.join(_home(sp), ".jupyter"),
    "JUPYTER_DATA_DIR": lambda sp: os.path.join(_home(sp), ".local", "share", "jupyter"),
    "JUPYTER_RUNTIME_DIR": lambda sp: os.path.join(_home(sp), ".local", "share", "jupyter", "runtime"),
    "IPYTHONDIR": lambda sp: os.path.join(_home(sp), ".ipython"),
    "MPLCONFIGDIR": lambda sp: os.path.join(_home(sp), ".config", "matplotlib"),
    "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
}

# The kit's own service token: it creates users, starts servers and makes tokens over REST.
c.JupyterHub.services = [{"name": "kit", "api_token": kit["hub_token"]}]
c.JupyterHub.load_roles = [{
    "name": "kit-service",
    "scopes": ["admin:users", "admin:servers", "tokens", "access:servers"],
    "services": ["kit"],
}]
'''


class Hub:
    def __init__(self, s: Settings):
        self.s = s
        self.pidfile = s.run / "hub.proc.pid"

    def running(self) -> bool:
        return services._read_pid(self.pidfile) is not None and services.port_open(self.s.host, self.s.hub_port)

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None) -> dict:
        request = urllib.request.Request(
            f"{self.s.hub_url}/hub/api{path}", method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"token {token or self.s.hub_token}", "Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=30) as response:
            raw = response.read()
        return json.loads(raw) if raw else {}

    def _answers(self) -> bool:
        try:
            self.api("GET", "/")
            return True
        except (urllib.error.URLError, OSError, ValueError):
            return False

    def start(self, authenticator: str = "pam") -> None:
        s = self.s
        if self.running() and self._answers():
            return
        ensure_proxy()
        ensure_learner_env()
        config = write_config(s, authenticator)
        ensure_instructor(s)
        write_instructor_config(s)
        share_course(s)
        for folder in (s.run, s.logs, s.homes):
            folder.mkdir(parents=True, exist_ok=True)
        os.chmod(s.homes, 0o711)
        env = services.worker_environment(s)
        env["CONFIGPROXY_AUTH_TOKEN"] = s.proxy_token
        log = open(s.logs / "hub.log", "ab")
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)], cwd=s.hub_dir, env=env,
                                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
        self.pidfile.write_text(str(proc.pid))
        services._wait(f"JupyterHub on {s.hub_url}", self._answers, 180, s.logs / "hub.log")

    def stop(self) -> None:
        pid = services._read_pid(self.pidfile)
        if pid:
            services._stop_pid(pid, timeout=60)  # it stops the learners' servers and its proxy
        proxy = services._read_pid(self.s.run / "hub.pid.proxy")
        if proxy:
            services._stop_pid(proxy)
        self.pidfile.unlink(missing_ok=True)

    # ---- driving it over REST ----------------------------------------------------------
    def add_user(self, name: str) -> None:
        try:
            self.api("POST", f"/users/{name}")
        except urllib.error.HTTPError as exc:
            if exc.code != 409:  # 409: already there
                raise

    def spawn(self, name: str, timeout: float = 300) -> str:
        """Start the learner's server and wait until it is ready; returns its URL."""
        try:
            self.api("POST", f"/users/{name}/server")
        except urllib.error.HTTPError as exc:
            if exc.code != 400:  # 400: already running
                raise
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{name}").get("servers", {}).get("", {})
            if server.get("ready"):
                return f"{self.s.hub_url}{server['url']}"
            time.sleep(1)
        raise KitError(f"The server of {name} was not ready within {timeout:g} s; see {self.s.logs / 'hub.log'}.")

    def token(self, name: str) -> str:
        """A token for the learner's own server (only theirs)."""
        return self.api("POST", f"/users/{name}/tokens",
                        {"note": "kit", "expires_in": 3600, "scopes": [f"access:servers!user={name}"]})["token"]
