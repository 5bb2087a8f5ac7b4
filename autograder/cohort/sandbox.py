"""Cohort grading kernels run the learner's code as an unprivileged OS user (`kit-grader`).

The Celery workers grade as root (they read the gradebook's password, the broker URL, the
collected submissions). The learner's code runs in two kernels per job: nbgrader's autograde
kernel and the kit's clean re-check kernel (autograder/recheck.py). Both start the kernel spec
`python3`; the workers' environment puts a spec of that name first on JUPYTER_PATH
(`<state>/kernel-sandbox/kernels/python3/kernel.json`), whose command is this module:

    python -P -m autograder.cohort.sandbox {connection_file} [kernel arguments]

As root it makes a scratch folder owned by the grader user (mode 700, under
`<state>/kernels/`): HOME, the kernel's working folder (a copy of the notebook folder's files,
without notebooks and nbgrader's timestamp and secret) and a copy of the connection file. Then
it starts the learners' Python (hub.ENV, built from /usr/bin/python3) with `ipykernel` through
`setpriv --reuid --regid --clear-groups --no-new-privs`, with an environment built from nothing
(no KIT_COHORT_*, no database or broker URL, no tokens). The kernel talks to nbgrader and the
re-check over ZMQ on 127.0.0.1, as any kernel. This process stays as the kernel's parent, in its
process group (jupyter_client signals the group: interrupt and kill reach the kernel), and
removes the scratch folder when the kernel ends; folders of launchers that were killed are
removed by the next one.

The single-learner kit and the warm grader never see this spec: only the cohort's workers have
it on JUPYTER_PATH (services.Workers.start), and only when they run as root.
"""

from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from autograder.errors import KitError

USER = "kit-grader"
SETPRIV = "/usr/bin/setpriv"
# What the kernel's environment may carry over from the grader's; everything else is dropped.
KEEP = ("LANG", "LC_ALL", "LC_CTYPE", "TZ", "MPLBACKEND", "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
        "MKL_NUM_THREADS", "PYTHONHASHSEED", "KIT_OUTPUT_LIMIT", "KIT_KERNEL_MEMORY_MB", "KIT_CELL_TIMEOUT",
        "JPY_PARENT_PID")
# Files of the notebook's folder the kernel does not get: the notebook (the kernel is sent its
# cells) and nbgrader's submission stamp and secret.
WITHHELD = ("timestamp.txt", "submission_secret.txt")


def available() -> bool:
    return os.geteuid() == 0 and os.access(SETPRIV, os.X_OK)


def ensure_user(name: str = USER) -> pwd.struct_passwd:
    """The grader user (a system user without a home or a login shell), made if missing."""
    try:
        return pwd.getpwnam(name)
    except KeyError:
        pass
    done = subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                           "--user-group", name], capture_output=True, text=True)
    if done.returncode != 0 and "already exists" not in done.stderr:
        raise KitError(f"Cohort mode runs learners' code in grading kernels as the OS user {name}, and "
                       f"`useradd {name}` failed ({done.stderr.strip()}). Create that user yourself "
                       "(a system user without login), then start the cohort again.")
    return pwd.getpwnam(name)


def spec_folder(state: Path) -> Path:
    return state / "kernel-sandbox"


def write_spec(state: Path, user: str = USER) -> Path:
    """The `python3` kernel spec the workers find first (JUPYTER_PATH=<returned folder>)."""
    folder = spec_folder(state)
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-P", "-m", "autograder.cohort.sandbox", "{connection_file}"],
        "display_name": f"Python 3 (as {user})",
        "language": "python",
        "env": {"KIT_SANDBOX_USER": user, "KIT_SANDBOX_STATE": str(state)},
        "metadata": {"debugger": False},
    }, indent=2) + "\n")
    return folder


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


def _environment(scratch: Path, python: Path) -> dict[str, str]:
    env = {k: os.environ[k] for k in KEEP if k in os.environ}
    env.update({
        "PATH": f"{python.parent}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(scratch), "USER": USER, "LOGNAME": USER,
        "IPYTHONDIR": str(scratch / ".ipython"), "MPLCONFIGDIR": str(scratch / ".matplotlib"),
        "JUPYTER_RUNTIME_DIR": str(scratch / ".jupyter"), "JUPYTER_DATA_DIR": str(scratch / ".jupyter"),
        "JUPYTER_CONFIG_DIR": str(scratch / ".jupyter"), "TMPDIR": str(scratch / "tmp"),
        "PYTHONDONTWRITEBYTECODE": "1",
    })
    env.setdefault("MPLBACKEND", "Agg")
    return env


def prepare(s) -> dict[str, str]:
    """As root: the grader user, the learners' Python, the kernel spec; returns what the workers'
    environment adds (nothing when not root: then kernels run as the workers' user)."""
    if not available():
        return {}
    from autograder.cohort.hub import ensure_learner_env

    ensure_user()
    ensure_learner_env()
    s.grading.mkdir(parents=True, exist_ok=True)
    os.chmod(s.grading, 0o700)  # other learners' copies: not for the grader user
    folder = write_spec(s.root)
    return {"JUPYTER_PATH": os.pathsep.join([str(folder), *filter(None, [os.environ.get("JUPYTER_PATH")])])}


def launch(argv: list[str]) -> int:
    from autograder.cohort.hub import ENV

    connection_file, kernel_args = Path(argv[0]), argv[1:]
    user = os.environ.get("KIT_SANDBOX_USER", USER)
    state = Path(os.environ["KIT_SANDBOX_STATE"])
    pw = pwd.getpwnam(user)
    root = state / "kernels"
    root.mkdir(exist_ok=True)
    os.chmod(root, 0o711)
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
            cwd=work, env=_environment(scratch, python), close_fds=True)

        # jupyter_client signals the process group (this process and the kernel): an interrupt
        # reaches the kernel by itself. A signal sent to this process alone is passed on.
        def forward(signum, _frame):
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signum)

        signal.signal(signal.SIGINT, lambda *_: None)
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGQUIT):
            signal.signal(signum, forward)
        while True:
            try:
                return child.wait()
            except InterruptedError:
                continue
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(launch(sys.argv[1:]))
