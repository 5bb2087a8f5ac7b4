"""The cohort's services: a private PostgreSQL cluster, Redis and the Celery workers.

Each one is started by the kit on 127.0.0.1 (the settings' host), waited for until it answers,
and stopped by the kit; its pid file and log live in the state folder. Nothing here listens
beyond the settings' host.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

from autograder import paths
from autograder.cohort.config import Settings
from autograder.errors import KitError
from autograder.processes import alive

DATABASES = ("gradebook", "hub")


def _wait(what: str, ready, timeout: float, log: Path | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if ready():
            return
        time.sleep(0.2)
    tail = ""
    if log and log.exists():
        tail = " Its last log lines: " + " | ".join(log.read_text(errors="replace").strip().splitlines()[-5:])
    raise KitError(f"{what} did not become ready within {timeout:g} s.{tail}")


def port_open(host: str, port: int) -> bool:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.settimeout(0.5)
        return s.connect_ex((host, port)) == 0


def _read_pid(file: Path) -> int | None:
    try:
        pid = int(file.read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return pid if alive(pid) else None


def _stop_pid(pid: int, timeout: float = 20) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and alive(pid):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.2)
    if alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


def _need(program: str, package: str) -> str:
    found = shutil.which(program)
    if not found:
        raise KitError(f"Cohort mode needs {program} (Debian's {package} package), which is not installed. "
                       f"Install it with `sudo apt-get install {package}` (or run `make system-deps` as "
                       "root, which installs it), then start the cohort again.")
    return found


# ------------------------------------------------------------------------------ Postgres
def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    if found:
        return found[-1]
    return _need(name, "postgresql")


def _as_postgres(cmd: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Postgres refuses to run as root: as root, run it as the `postgres` user (Debian's)."""
    if os.geteuid() == 0:
        cmd = ["runuser", "-u", "postgres", "--", *cmd]
    return subprocess.run(cmd, capture_output=True, text=True, **kwargs)


class Postgres:
    def __init__(self, s: Settings):
        self.s = s

    def _owner(self) -> tuple[int, int]:
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            return pw.pw_uid, pw.pw_gid
        return os.getuid(), os.getgid()

    def init(self) -> None:
        s = self.s
        if (s.pgdata / "PG_VERSION").exists():
            return
        uid, gid = self._owner()
        for folder in (s.pgdata, s.run / "pg"):
            folder.mkdir(parents=True, exist_ok=True)
            os.chown(folder, uid, gid)
            os.chmod(folder, 0o700)
        pwfile = s.run / "pg" / "pwfile"
        pwfile.write_text(s.db_password + "\n")
        os.chown(pwfile, uid, gid)
        os.chmod(pwfile, 0o600)
        done = _as_postgres([_pg_bin("initdb"), "-D", str(s.pgdata), "-U", s.db_user, "--pwfile", str(pwfile),
                             "--auth=scram-sha-256", "--encoding=UTF8", "--locale=C.UTF-8"])
        pwfile.unlink()
        if done.returncode != 0:
            raise KitError(f"PostgreSQL's initdb could not create the cohort's cluster in {s.pgdata}: "
                           f"{(done.stderr or done.stdout).strip().splitlines()[-1:]}")

    def running(self) -> bool:
        return _read_pid(self.s.pgdata / "postmaster.pid") is not None and port_open(self.s.host, self.s.pg_port)

    def start(self) -> None:
        s = self.s
        _pg_bin("pg_ctl")
        self.init()
        if not self.running():
            log = s.logs / "postgres.log"
            s.logs.mkdir(parents=True, exist_ok=True)
            uid, gid = self._owner()
            log.touch()
            os.chown(log, uid, gid)
            options = (f"-c listen_addresses={s.host} -c port={s.pg_port} "
                       f"-c unix_socket_directories={s.run / 'pg'} -c max_connections=200")
            done = _as_postgres([_pg_bin("pg_ctl"), "-D", str(s.pgdata), "-l", str(log), "-o", options,
                                 "-w", "-t", "60", "start"])
            if done.returncode != 0:
                tail = " | ".join(log.read_text(errors="replace").strip().splitlines()[-4:])
                raise KitError(f"PostgreSQL did not start on {s.host}:{s.pg_port} ({tail}). Is the port "
                               "taken? Choose another with `cohort up --pg-port N`.")
        _wait(f"PostgreSQL on {s.host}:{s.pg_port}", self.running, 60, s.logs / "postgres.log")
        self.create_databases()

    def create_databases(self) -> None:
        from sqlalchemy import create_engine, text

        engine = create_engine(self.s.db_url("postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as con:
            have = {r[0] for r in con.execute(text("SELECT datname FROM pg_database"))}
            for name in DATABASES:
                if name not in have:
                    con.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()

    def stop(self) -> None:
        if (self.s.pgdata / "postmaster.pid").exists():
            _as_postgres([_pg_bin("pg_ctl"), "-D", str(self.s.pgdata), "-m", "fast", "-w", "stop"])


# ------------------------------------------------------------------------------ Redis
class Redis:
    def __init__(self, s: Settings):
        self.s = s
        self.pidfile = s.run / "redis.pid"

    def running(self) -> bool:
        return _read_pid(self.pidfile) is not None and port_open(self.s.host, self.s.redis_port)

    def start(self) -> None:
        s = self.s
        server = _need("redis-server", "redis-server")
        if self.running():
            return
        data = s.root / "redis"
        for folder in (data, s.run, s.logs):
            folder.mkdir(parents=True, exist_ok=True)
            os.chmod(folder, 0o700)
        subprocess.run([server, "--bind", s.host, "--port", str(s.redis_port), "--daemonize", "yes",
                        "--pidfile", str(self.pidfile), "--logfile", str(s.logs / "redis.log"),
                        "--dir", str(data), "--protected-mode", "yes", "--save", "", "--appendonly", "yes"],
                       check=False, capture_output=True)
        _wait(f"Redis on {s.host}:{s.redis_port}", self.running, 30, s.logs / "redis.log")

    def stop(self) -> None:
        pid = _read_pid(self.pidfile)
        if pid:
            _stop_pid(pid)


# ------------------------------------------------------------------------------ Celery
def worker_environment(s: Settings) -> dict[str, str]:
    env = dict(os.environ)
    bindir = str(Path(sys.executable).parent)
    env.update({
        "KIT_COHORT_DIR": str(s.root),
        # nbgrader runs `alembic` from PATH; one BLAS thread per grading job.
        "PATH": bindir + os.pathsep + env.get("PATH", ""),
        "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
        "PYTHONPATH": str(paths.ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
    })
    return env


class Workers:
    """N Celery workers on this machine, each running one grading job at a time."""

    def __init__(self, s: Settings):
        self.s = s

    def pidfile(self, i: int) -> Path:
        return self.s.run / f"worker-{i}.pid"

    def readyfile(self, i: int) -> Path:
        return self.s.run / f"worker-{i}.ready"

    def slotfile(self, i: int) -> Path:
        """The user worker i's grading kernels run as (its pool process writes it: sandbox.py)."""
        return self.s.run / f"worker-{i}.slot"

    def running(self) -> list[int]:
        return sorted(int(p.stem.split("-")[1]) for p in self.s.run.glob("worker-*.pid") if _read_pid(p))

    def slot_users(self) -> dict[int, str]:
        """Running worker -> the user its grading kernels run as (as root; {} otherwise)."""
        users = {}
        for i in self.running():
            with contextlib.suppress(OSError, IndexError):
                users[i] = self.slotfile(i).read_text().split()[0]
        return users

    def start(self, n: int) -> None:
        s = self.s
        for folder in (s.run, s.logs):
            folder.mkdir(parents=True, exist_ok=True)
        from autograder.cohort import sandbox

        # The learners' Python, once for all the workers; each worker's pool process then claims
        # its own grading slot and user (sandbox.enter, autograder/cohort/tasks.py).
        sandbox.prepare(s)
        started = []
        for i in range(1, n + 1):
            if _read_pid(self.pidfile(i)):
                continue
            self.readyfile(i).unlink(missing_ok=True)
            self.slotfile(i).unlink(missing_ok=True)
            log = open(s.logs / f"worker-{i}.log", "ab")
            proc = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "autograder.cohort.tasks", "worker",
                 "--hostname", f"kit-worker-{i}@%h", "--concurrency", "1", "--prefetch-multiplier", "1",
                 "--pool", "prefork", "--loglevel", "INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat"],
                cwd=paths.ROOT, env={**worker_environment(s), "KIT_COHORT_WORKER_READY": str(self.readyfile(i)),
                                     "KIT_COHORT_WORKER_SLOT": str(self.slotfile(i))},
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
            self.pidfile(i).write_text(str(proc.pid))
            started.append(i)
        for i in started:
            _wait(f"Celery worker {i}", self.readyfile(i).exists, 120, s.logs / f"worker-{i}.log")
            if sandbox.available():  # its grading slot claimed and its user made
                _wait(f"Celery worker {i}'s grading slot", self.slotfile(i).exists, 60, s.logs / f"worker-{i}.log")

    def stop(self) -> list[str]:
        """Stop this machine's workers; then remove the grading slots' users no running worker
        holds (sandbox.remove_users). Returns the users removed."""
        from autograder.cohort import sandbox

        groups = []
        for p in self.s.run.glob("worker-*.pid"):
            pid = _read_pid(p)
            if pid:
                _stop_pid(pid, timeout=30)
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(pid, signal.SIGKILL)  # its pool children too
                groups.append(pid)
            p.unlink(missing_ok=True)
            p.with_suffix(".ready").unlink(missing_ok=True)
            p.with_suffix(".slot").unlink(missing_ok=True)
        # A killed pool process lets its slot go as it exits, a moment after the signal.
        deadline = time.monotonic() + 10
        while groups and any(_group_alive(g) for g in groups) and time.monotonic() < deadline:
            time.sleep(0.1)
        return sandbox.remove_users()


def _group_alive(pgid: int) -> bool:
    """Whether a process of the process group runs (zombies, waiting to be reaped, do not)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError, IndexError, ValueError):
                fields = Path(f"/proc/{entry}/stat").read_text().rsplit(") ", 1)[1].split()
                if int(fields[2]) == pgid and fields[0] != "Z":
                    return True
    return False


def default_workers() -> int:
    return len(os.sched_getaffinity(0))
