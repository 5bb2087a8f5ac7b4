"""Cohort grading kernels run the learner's code as an unprivileged OS user, one per grading slot.

The Celery workers grade as root (they read the gradebook's password, the broker URL, the
collected submissions). The learner's code runs in two kernels per job: nbgrader's autograde
kernel and the kit's clean re-check kernel (autograder/recheck.py). Both start the kernel spec
`python3`; the workers' environment puts a spec of that name first on JUPYTER_PATH
(`<state>/kernel-sandbox/kernels/python3/kernel.json`), whose command is this module:

    python -P -m autograder.cohort.sandbox {connection_file} [kernel arguments]

**Slots.** Every grading process (each Celery worker's pool process) claims a slot of its
machine: the first N whose lock `/run/kit-grader/slots/slot-N.lock` no other process holds
(flock, released by the kernel when the process ends, however it ends). Its kernels run as the
system user `kit-grader-N` (made on first use), so two jobs graded at the same time, by workers
of one cohort or of two, never share a user: neither reads the other's scratch folder. A job's two
kernels (nbgrader's and the re-check's) share their slot's user. Before each job the slot is
cleared: every process still running as its user (a kernel of a job whose worker was killed, or a
process learner code left behind) is killed, and what that user left at the top of /tmp,
/var/tmp and /dev/shm is removed, so nothing of one job's learner waits for the next job of the
slot. Workers on other machines do the same with their own machine's slots and users: the scratch
folders are on the machine's own /run, never on the shared state folder (user ids differ from
machine to machine; a shared folder would let the same id on two machines meet).

**The launcher.** As root it makes a scratch folder owned by the slot's user (mode 700, under
`/run/kit-grader/kernels/`): HOME, the kernel's working folder (a copy of the notebook folder's
files, without notebooks and nbgrader's timestamp and secret) and a copy of the connection file.
Then it starts the learners' Python (hub.ENV, built from /usr/bin/python3) with `ipykernel`
through `setpriv --reuid --regid --clear-groups --no-new-privs`, with an environment built from
nothing (no KIT_COHORT_*, no database or broker URL, no tokens). The kernel talks to nbgrader and
the re-check over ZMQ on 127.0.0.1, as any kernel. This process stays as the kernel's parent, in
its process group (jupyter_client signals the group: interrupt and kill reach the kernel), kills
the kernel when the process that started it is gone (a worker killed mid-job), and removes the
scratch folder when the kernel ends; folders of launchers that were killed are removed by the
next one. Without KIT_SANDBOX_USER (which only a slot's grading process sets) it starts nothing.

The single-learner kit and the warm grader never see this spec: only the cohort's grading
processes put it on JUPYTER_PATH (`enter`, from autograder/cohort/tasks.py), and only as root.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import pwd
import re
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from autograder.errors import KitError

PREFIX = "kit-grader"  # slot N's user is kit-grader-N
SETPRIV = "/usr/bin/setpriv"
# Machine-local (never the shared state folder): the slots' locks and the kernels' scratch folders.
RUN = Path("/run/kit-grader")
SLOTS = 256
# Where learner code may leave files a later kernel of the same user would find.
SHARED_TMP = ("/tmp", "/var/tmp", "/dev/shm")
# What the kernel's environment may carry over from the grader's; everything else is dropped.
KEEP = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS", "PYTHONHASHSEED", "KIT_OUTPUT_LIMIT", "KIT_KERNEL_MEMORY_MB", "KIT_CELL_TIMEOUT",
        "JPY_PARENT_PID")
# Files of the notebook's folder the kernel does not get: the notebook (the kernel is sent its
# cells) and nbgrader's submission stamp and secret.
WITHHELD = ("timestamp.txt", "submission_secret.txt")


def available() -> bool:
    return os.geteuid() == 0 and os.access(SETPRIV, os.X_OK)


def slot_user(slot: int) -> str:
    return f"{PREFIX}-{slot}"


def slot_of(name: str) -> int | None:
    """The slot of a grading user (kit-grader-N); None for any other name (kit-grader included)."""
    found = re.fullmatch(rf"{PREFIX}-([0-9]+)", name)
    return int(found.group(1)) if found else None


def is_grader_user(name: str) -> bool:
    """A user the kit makes for its grading kernels (kit-grader-N; kit-grader of earlier kits)."""
    return re.fullmatch(rf"{PREFIX}(-[0-9]+)?", name) is not None


def scratch_root(run: Path = RUN) -> Path:
    return run / "kernels"


def _folder(path: Path, mode: int) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, mode)
    return path


@contextlib.contextmanager
def _machine_lock(name: str, run: Path = RUN):
    """One process of this machine at a time (useradd/userdel lock /etc/passwd and fail rather
    than wait; the learners' environment is built once)."""
    fd = os.open(_folder(run, 0o711) / f"{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def claim_slot(run: Path = RUN, slots: int = SLOTS) -> tuple[int, int]:
    """The first slot no other process holds: (slot, the open lock file; keep it open)."""
    _folder(run, 0o711)
    folder = _folder(run / "slots", 0o700)
    for slot in range(1, slots + 1):
        fd = os.open(folder / f"slot-{slot}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        return slot, fd
    raise KitError(f"All {slots} grading slots of this machine are taken (locks in {folder}); "
                   "stop some workers, then start this one again.")


def slot_held(slot: int, run: Path = RUN) -> bool:
    """Whether a process holds the slot (a look: the lock is taken and released at once)."""
    file = run / "slots" / f"slot-{slot}.lock"
    if not file.exists():
        return False
    fd = os.open(file, os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def ensure_user(name: str) -> pwd.struct_passwd:
    """A grader user (a system user without a home or a login shell), made if missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    with _machine_lock("users"):
        done = None
        for _ in range(10):  # another tool may hold /etc/passwd's lock for a moment
            with contextlib.suppress(KeyError):
                return pwd.getpwnam(name)
            done = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                                   "--user-group", name], capture_output=True, text=True)
            if done.returncode == 0 or "already exists" in done.stderr:
                return pwd.getpwnam(name)
            time.sleep(0.5)
    raise KitError(f"Cohort mode runs learners' code in grading kernels as the OS user {name}, and "
                   f"`useradd {name}` failed ({done.stderr.strip()}). Create that user yourself "
                   "(a system user without login), then start the worker again.")


def processes_of(uid: int) -> list[int]:
    """Live processes whose real, effective, saved or file-system user id is `uid` (no zombies)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            status = Path(f"/proc/{entry}/status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("State", "").strip().startswith("Z"):
            continue
        if str(uid) in fields.get("Uid", "").split():
            found.append(int(entry))
    return found


def clear(uid: int, shared_tmp: tuple[str, ...] = SHARED_TMP) -> None:
    """Kill every process of the user `uid` and remove what it left at the top of the shared
    temporary folders. Only for a slot's own user, with no kernel of the slot's job running."""
    if uid == 0:
        raise ValueError("never root's processes")
    for _ in range(20):  # a process that forks as it dies: kill until none is left
        pids = processes_of(uid)
        if not pids:
            break
        for pid in pids:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
        time.sleep(0.05)
    for top in shared_tmp:
        with contextlib.suppress(OSError), os.scandir(top) as entries:
            for entry in entries:
                with contextlib.suppress(OSError):
                    if entry.stat(follow_symlinks=False).st_uid != uid:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        shutil.rmtree(entry.path, ignore_errors=True)
                    else:
                        os.unlink(entry.path)


def spec_folder(state: Path) -> Path:
    return state / "kernel-sandbox"


def write_spec(state: Path) -> Path:
    """The `python3` kernel spec the grading processes find first (JUPYTER_PATH=<returned folder>).
    Written whole and then renamed (the workers of every machine write the same file)."""
    folder = spec_folder(state)
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    text = json.dumps({
        "argv": [sys.executable, "-P", "-m", "autograder.cohort.sandbox", "{connection_file}"],
        "display_name": "Python 3 (as the grading slot's user)",
        "language": "python",
        "metadata": {"debugger": False},
    }, indent=2) + "\n"
    target = spec / "kernel.json"
    if not target.exists() or target.read_text() != text:
        tmp = spec / f".kernel.json.{os.getpid()}"
        tmp.write_text(text)
        os.replace(tmp, target)
    return folder


def prepare(s) -> None:
    """As root, before the workers of this machine start: the learners' Python (built once, not
    by every worker at the same time) and the grading folder shut to everyone else."""
    if not available():
        return
    from autograder.cohort.hub import ensure_learner_env

    with _machine_lock("learner-env"):
        ensure_learner_env()
    s.grading.mkdir(parents=True, exist_ok=True)
    os.chmod(s.grading, 0o700)  # other learners' copies: not for the grader users


_claimed: tuple[int, int, int] | None = None  # (pid, slot, lock fd) of this process


def enter(s) -> str | None:
    """As root, in a grading process before each job: this process's slot (claimed once), its
    user (made if missing) cleared of anything an earlier job left, and the kernel spec first
    on JUPYTER_PATH with KIT_SANDBOX_USER set, which every kernel this process (and its
    re-check) starts inherits. Returns the slot's user; None when not root (kernels then run
    as the workers' user)."""
    global _claimed
    if not available():
        return None
    if _claimed is None or _claimed[0] != os.getpid():  # a forked pool process claims its own
        slot, fd = claim_slot()
        _claimed = (os.getpid(), slot, fd)
    user = slot_user(_claimed[1])
    pw = ensure_user(user)
    clear(pw.pw_uid)
    _sweep(_folder(scratch_root(), 0o711))
    prepare(s)
    folder = str(write_spec(s.root))
    path = [p for p in os.environ.get("JUPYTER_PATH", "").split(os.pathsep) if p and p != folder]
    os.environ["JUPYTER_PATH"] = os.pathsep.join([folder, *path])
    os.environ["KIT_SANDBOX_USER"] = user
    return user


def remove_users(run: Path = RUN) -> list[str]:
    """As root: remove the grader users of this machine whose slot no process holds (their
    leftover processes killed, their files in the shared temporary folders removed), with their
    groups. `cohort down` runs it once its workers are stopped. Returns the names removed."""
    import grp

    if os.geteuid() != 0:
        return []
    removed, failed = [], []
    with _machine_lock("users", run):
        for pw in sorted(pwd.getpwall(), key=lambda p: p.pw_name):
            if not is_grader_user(pw.pw_name):
                continue
            slot = slot_of(pw.pw_name)
            if slot is not None and slot_held(slot, run):
                continue  # a worker (of this cohort or another) grades in it
            clear(pw.pw_uid)
            done = subprocess.run(["userdel", pw.pw_name], capture_output=True, text=True)
            if done.returncode != 0 and not processes_of(pw.pw_uid):
                # userdel counts zombies as the user's processes ("currently used by process"):
                # a killed kernel not yet reaped, for ever where PID 1 reaps nothing (containers).
                done = subprocess.run(["userdel", "--force", pw.pw_name], capture_output=True, text=True)
            if done.returncode != 0:
                failed.append(f"{pw.pw_name} ({(done.stderr or done.stdout).strip() or f'userdel exit {done.returncode}'})")
                continue
            removed.append(pw.pw_name)
            with contextlib.suppress(KeyError):
                grp.getgrnam(pw.pw_name)
                subprocess.run(["groupdel", pw.pw_name], capture_output=True, text=True)
    if scratch_root(run).is_dir():
        _sweep(scratch_root(run))  # folders of launchers killed with their kernel (nbgrader kills the group)
    if failed:
        print(f"Could not remove the grading users {'; '.join(failed)}; `make cohort-stop` tries again.",
              file=sys.stderr)
    return removed


# ------------------------------------------------------------------------------ the launcher
def _own(path: Path, uid: int, gid: int) -> None:
    for folder, dirs, files in os.walk(path):
        for name in [folder] + [os.path.join(folder, n) for n in dirs + files]:
            os.lchown(name, uid, gid)


def _sweep(root: Path) -> None:
    """Scratch folders of launchers that are gone (killed with their kernel)."""
    from autograder.processes import alive

    for old in root.glob("k-*"):
        with contextlib.suppress(ValueError):
            if not alive(int(old.name.split("-")[1])):
                shutil.rmtree(old, ignore_errors=True)


def _environment(scratch: Path, python: Path, user: str) -> dict[str, str]:
    env = {k: os.environ[k] for k in KEEP if k in os.environ}
    env.update({
        "PATH": f"{python.parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch), "USER": user, "LOGNAME": user,
        "IPYTHONDIR": str(scratch / ".ipython"), "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(scratch / ".jupyter"), "JUPYTER_DATA_DIR": str(scratch / ".jupyter"),
        "JUPYTER_CONFIG_DIR": str(scratch / ".jupyter"), "TMPDIR": str(scratch / "tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.setdefault("MPLBACKEND", "Agg")
    return env


def launch(argv: list[str]) -> int:
    from autograder.cohort.hub import ENV

    connection_file, kernel_args = Path(argv[0]), argv[1:]
    user = os.environ.get("KIT_SANDBOX_USER", "")
    if not is_grader_user(user):  # started outside a slot's grading process: run nothing
        print(f"autograder.cohort.sandbox: no grading slot's user (KIT_SANDBOX_USER={user!r}); "
              "the kernel is not started", file=sys.stderr)
        return 2
    pw = pwd.getpwnam(user)
    parent = os.getppid()  # nbgrader's process, or the re-check's
    root = _folder(scratch_root(), 0o711)
    _sweep(root)
    scratch = root / f"k-{os.getpid()}"
    work = scratch / "work"
    try:
        work.mkdir(parents=True)
        (scratch / "tmp").mkdir()
        for item in Path.cwd().iterdir():  # the notebook's folder: data files beside it
            if item.name in WITHHELD or item.suffix == ".ipynb" or item.name.startswith("."):
                continue
            if item.is_dir() and not item.is_symlink():
                shutil.copytree(item, work / item.name, symlinks=True)
            elif item.is_file() and not item.is_symlink():
                shutil.copy2(item, work / item.name)
        shutil.copyfile(connection_file, scratch / "kernel.json")
        _own(scratch, pw.pw_uid, pw.pw_gid)
        os.chmod(scratch, 0o700)
        os.chmod(scratch / "kernel.json", 0o600)
        python = ENV / "bin" / "python"
        child = subprocess.Popen(
            [SETPRIV, f"--reuid={pw.pw_uid}", f"--regid={pw.pw_gid}", "--clear-groups", "--no-new-privs", "--",
             str(python), "-m", "ipykernel_launcher", "-f", str(scratch / "kernel.json"), *kernel_args],
            cwd=work, env=_environment(scratch, python, user), close_fds=True)

        # jupyter_client signals the process group (this process and the kernel): an interrupt
        # reaches the kernel by itself. A signal sent to this process alone is passed on.
        def forward(signum, _frame):
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

        signal.signal(signal.SIGINT, lambda *_: None)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(signum, forward)
        try:
            ended = os.pidfd_open(child.pid)  # readable once the kernel has ended
        except (AttributeError, OSError):
            ended = None
        while True:
            if ended is not None:
                select.select([ended], [], [], 1.0)
            else:
                time.sleep(0.1)
            code = child.poll()
            if code is not None:
                return code
            # The process that started the kernel is gone (a worker killed mid-job): the kernel
            # would otherwise live on, as the slot's user, beside the slot's next job.
            if os.getppid() != parent:
                child.kill()
                return child.wait()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
