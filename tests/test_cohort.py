"""Cohort mode end to end (issue 14), with real services on 127.0.0.1 started by the kit's own
commands: a private Postgres cluster, Redis, two Celery workers, JupyterHub and its proxy, and
two learners as real OS users, each with their own JupyterLab server.

release -> both fetch (through their own servers) -> A submits the solution, B the catalogued
mistake "missing 1/2" -> collect -> grade with two workers (one killed with kill -9 mid-job:
re-queued, graded once; an unreadable submission reported with its reason, the rest graded) ->
release feedback -> both fetch it. Then the scores, B's diagnosis in B's feedback, the CSV, and
what learner A cannot read as an OS user: B's submission, the gradebook and its credentials, the
instructor's solutions/. Both submissions probe, from inside their grading kernels, what they can
read: each ran as its worker's own grading user (two workers, two users), reads its own slot's
scratch marker and not the other slot's. `cohort down` stops everything and removes the grading
users only; the test then removes every OS user and group it made (learners, instructor,
kit-instructors), so the next run on this machine starts clean. The instructor (a third OS user) opens nbgrader's formgrader on their own
server, which lists the released module from the gradebook with its submissions; the learners'
servers have no formgrader and cannot read the instructor's configuration.

One module (c1w1), one flow, several assertions: it runs as root (useradd), as CI does.
"""

from __future__ import annotations

import contextlib
import csv
import grp
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import warnings
import uuid
from pathlib import Path

import pytest

from autograder import paths

# The end-to-end tests; the ones at the end of the file are quick and need no services. One
# xdist group: with `--dist loadgroup` (make test) they run in one worker, so the module's cohort
# is set up once. Split over two workers, each made a cohort of its own, and the first one's
# teardown removed the OS users of the other's grading slots under its workers (CI at 1887c1f).
E2E = [pytest.mark.slow, pytest.mark.xdist_group("cohort-e2e"),
       pytest.mark.skipif(os.geteuid() != 0, reason="cohort mode's test makes OS users (useradd): run it as root, "
                                                    "as CI does")]


def e2e(test):
    for mark in E2E:
        test = mark(test)
    return test

MODULE = "c1w1"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _cohort(state: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "KIT_COHORT_DIR": str(state), "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1",
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run([sys.executable, "-m", "autograder", "cohort", *args], env=env, cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=timeout)


def _ok(proc: subprocess.CompletedProcess) -> str:
    assert proc.returncode == 0, f"{proc.args}\nstdout:\n{proc.stdout}\nstderr:\n{proc.stderr}"
    return proc.stdout


def _as(user: str, *cmd: str) -> subprocess.CompletedProcess:
    return subprocess.run(["runuser", "-u", user, "--", *cmd], capture_output=True, text=True, timeout=60)


class Learner:
    """A learner's own JupyterLab server, driven over HTTP with a token for that server only."""

    def __init__(self, hub, name: str):
        self.name = name
        self.log = hub.s.logs / "hub.log"  # the hub's, and the learners' servers' output
        self.url = hub.spawn(name)
        self.token = hub.token(name)

    def call(self, method: str, path: str, body: dict | None = None):
        request = urllib.request.Request(self.url + path, method=method,
                                         data=None if body is None else json.dumps(body).encode(),
                                         headers={"Authorization": f"token {self.token}",
                                                  "Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=300) as response:
                raw = response.read()
        except urllib.error.HTTPError as exc:  # say what the server said (seen once: a 500 on fetch_feedback)
            tail = self.log.read_text(errors="replace")[-6000:] if self.log.exists() else "(no hub.log)"
            raise AssertionError(f"{method} {path} as {self.name}: HTTP {exc.code} {exc.read()[:2000]!r}\n"
                                 f"hub.log ends with:\n{tail}") from None
        return json.loads(raw) if raw else None

    def assignment(self, action: str, course_id: str):
        out = self.call("POST", f"assignments/{action}", {"assignment_id": MODULE, "course_id": course_id})
        assert out["success"], out
        return out["value"]

    def page(self, path: str) -> tuple[int, str]:
        """GET a page of the server (redirects followed): its HTTP status and text."""
        request = urllib.request.Request(self.url + path, headers={"Authorization": f"token {self.token}"})
        try:
            with urllib.request.urlopen(request, timeout=120) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read().decode(errors="replace")

    def lab_config(self) -> dict:
        """The page config JupyterLab hands the browser (its disabled extensions among them)."""
        status, html = self.page("lab")
        assert status == 200, html[:500]
        found = re.search(r'<script id="jupyter-config-data" type="application/json">(.*?)</script>', html, re.S)
        return json.loads(found.group(1))

    def save(self, path: str, notebook: dict) -> None:
        self.call("PUT", f"api/contents/{path}", {"type": "notebook", "format": "json", "content": notebook})

    def read(self, path: str) -> str:
        return self.call("GET", f"api/contents/{urllib.parse.quote(path)}?type=file&format=text&content=1")["content"]


def _mistake() -> dict:
    """The solution with the catalogued mistake "the 1/2 is missing" in compute_cost."""
    nb = json.loads((paths.SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
    for cell in nb["cells"]:
        if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == "compute_cost":
            source = "".join(cell["source"])
            assert "/ (2 * m)" in source
            cell["source"] = source.replace("/ (2 * m)", "/ m")
    return nb


PROBE = """# What this learner's code can read while it is graded (tests/test_cohort.py)
import glob as _g, json as _j, os as _o
_found = {}
for _what, _path in PROBE_PATHS.items():
    try:
        with open(_path, "rb") as _h:
            _h.read(1)
        _found[_what] = "read"
    except OSError as _e:
        _found[_what] = type(_e).__name__
_env = {k: v for k, v in _o.environ.items() if k.startswith("KIT_COHORT") or "redis://" in v or "postgresql" in v
        or PROBE_SECRET in v}
_out = {"uid": _o.getuid(), "read": [k for k, v in _found.items() if v == "read"], "env": sorted(_env),
        "errors": _found}
with open(PROBE_OUT + str(_o.getpid()) + ".json", "w") as _h:
    _j.dump(_out, _h)
"""


def _probing(nb: dict, paths_: dict, secret: str, out: str) -> dict:
    """The notebook with a first cell that tries to read `paths_` and the environment and writes
    what it could into out<pid>.json (both grading kernels run it: nbgrader's and the re-check's)."""
    source = (f"PROBE_PATHS = {json.dumps({k: str(v) for k, v in paths_.items()})}\n"
              f"PROBE_SECRET = {secret!r}\nPROBE_OUT = {out!r}\n" + PROBE)
    # First: the clean re-check replays the cells up to the last check cell only.
    nb["cells"].insert(0, {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                           "source": source})
    return nb


def _kit_accounts() -> tuple[set[str], set[str]]:
    """The machine's OS users and groups whose names start with "kit-" (the kit's and the test's)."""
    return ({p.pw_name for p in pwd.getpwall() if p.pw_name.startswith("kit-")},
            {g.gr_name for g in grp.getgrall() if g.gr_name.startswith("kit-")})


def _remove_accounts(users: set[str], groups: set[str]) -> list[str]:
    """userdel each user (their processes killed first), groupdel each group left; what remains."""
    from autograder.cohort import sandbox

    for user in sorted(users):
        with contextlib.suppress(KeyError):
            uid = pwd.getpwnam(user).pw_uid
            if uid != 0:
                for pid in sandbox.processes_of(uid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
            subprocess.run(["userdel", user], check=False, capture_output=True)
    for group in sorted(groups):
        with contextlib.suppress(KeyError):
            grp.getgrnam(group)
            subprocess.run(["groupdel", group], check=False, capture_output=True)
    users_left, groups_left = _kit_accounts()
    return sorted((users_left & users) | (groups_left & groups))


@pytest.fixture(scope="module")
def cohort():
    from autograder.cohort import sandbox

    users_before, groups_before = _kit_accounts()
    run_existed = sandbox.RUN.exists()
    state = Path(tempfile.mkdtemp(prefix="kit-cohort-", dir="/tmp"))
    os.chmod(state, 0o711)
    suffix = uuid.uuid4().hex[:6]
    a, b = f"kit-a-{suffix}", f"kit-b-{suffix}"
    instructor = f"kit-i-{suffix}"  # `cohort up` makes this OS user (and the group kit-instructors)
    for user in (a, b):
        subprocess.run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", user], check=True)
    solutions_mode = paths.SOLUTIONS.stat().st_mode & 0o777
    solutions_gid = paths.SOLUTIONS.stat().st_gid
    try:
        grp.getgrnam("kit-instructors")
        had_group = True
    except KeyError:
        had_group = False
    # The learners' servers run as other OS users and import the kit from its checkout: every
    # folder above it must be traversable (a clone under `mktemp -d` sits below a 700 folder).
    # Grant search (x, not read) for the test's life and restore the modes afterwards.
    opened = []
    for folder in paths.ROOT.parents:
        mode = folder.stat().st_mode & 0o777
        if not mode & 0o001:
            opened.append((folder, mode))
            os.chmod(folder, mode | 0o001)
    out = {"state": state, "a": a, "b": b, "instructor": instructor, "times": {}, "markers": []}
    try:
        t = time.monotonic()
        _ok(_cohort(state, "up", MODULE, "--workers", "2", "--authenticator", "dummy", "--instructor", instructor,
                    "--pg-port", str(_free_port()), "--redis-port", str(_free_port()),
                    "--hub-port", str(_free_port()), "--hub-api-port", str(_free_port()),
                    "--proxy-api-port", str(_free_port())))
        out["times"]["up"] = time.monotonic() - t
        os.environ["KIT_COHORT_DIR"] = str(state)  # this process reads the same settings
        from autograder.cohort import hub as hub_mod
        from autograder.cohort.config import Settings

        settings = Settings.load()
        hub = hub_mod.Hub(settings)
        out["settings"] = settings
        # Each worker's grading user (its pool process claimed a slot as it started), and in
        # each slot's scratch folder a marker only that user may read, as a kernel's own files.
        from autograder.cohort import services

        slot_users = services.Workers(settings).slot_users()
        out["slot-users"] = {user: pwd.getpwnam(user).pw_uid for user in slot_users.values()}
        markers = {}
        for user, uid in out["slot-users"].items():
            marker = sandbox.scratch_root() / f"marker-{suffix}-{user}"
            marker.mkdir(mode=0o700)
            (marker / "scratch.txt").write_text(f"{user}'s scratch\n")
            for path in (marker, marker / "scratch.txt"):
                os.chown(path, uid, pwd.getpwnam(user).pw_gid)
            os.chmod(marker / "scratch.txt", 0o600)
            out["markers"].append(marker)
            markers[f"the scratch of {user}"] = marker / "scratch.txt"
        learners = {}
        for user in (a, b, instructor):
            hub.add_user(user)
        hub.api("POST", f"/users/{instructor}/server")  # starts while the learners' servers do
        t = time.monotonic()
        for user in (a, b):
            learners[user] = Learner(hub, user)
        out["times"]["spawn"] = time.monotonic() - t
        for user in (a, b):
            fetched = learners[user].assignment("fetch", settings.course_id)
            out[f"fetched-{user}"] = fetched
        solution = json.loads((paths.SOLUTIONS / MODULE / f"{MODULE}.ipynb").read_text())
        # Both submissions try to read the cohort's secrets and the grading slots' scratch
        # folders while they are graded; A's also B's work.
        secrets_ = {
            "cohort.json": settings.file,
            "the gradebook's files": settings.pgdata / "global" / "pg_control",
            "the Postgres run folder": settings.run / "pg" / ".s.PGSQL.lock",
            "the hub's config (tokens)": settings.hub_dir / "jupyterhub_config.py",
            "the instructor's solutions": paths.SOLUTIONS / MODULE / f"{MODULE}.ipynb",
            **markers,
        }
        # Not at the top of /tmp: a slot is cleared of its user's files there before each job.
        probes = Path(f"/tmp/kit-probe-{suffix}")
        probes.mkdir()
        os.chmod(probes, 0o1777)
        out["probe-out"] = {who: f"{probes}/{who}-" for who in ("a", "b")}
        learners[b].save(f"exercises/{MODULE}/{MODULE}.ipynb",
                         _probing(_mistake(), secrets_, settings.db_password, out["probe-out"]["b"]))
        learners[b].assignment("submit", settings.course_id)
        inbound = settings.exchange / settings.course_id / "inbound"
        solution = _probing(solution, {
            **secrets_,
            "B's submission in the exchange": next(p for p in inbound.iterdir() if p.name.startswith(f"{b}+"))
            / f"{MODULE}.ipynb",
            "B's collected submission": settings.course / "submitted" / b / MODULE / f"{MODULE}.ipynb",
            "B's autograded copy": settings.grading / "autograded" / b / MODULE / f"{MODULE}.ipynb",
        }, settings.db_password, out["probe-out"]["a"])
        learners[a].save(f"exercises/{MODULE}/{MODULE}.ipynb", solution)
        learners[a].assignment("submit", settings.course_id)

        # A submission nbgrader's collect did not make (not a notebook): reported, not fatal.
        ghost = settings.course / "submitted" / "kit-ghost" / MODULE / f"{MODULE}.ipynb"
        ghost.parent.mkdir(parents=True)
        ghost.write_text("this is not a notebook")

        # Grade with two workers; kill -9 the worker process that runs the first job.
        from autograder.cohort import ledger

        t = time.monotonic()
        env = {**os.environ, "OMP_NUM_THREADS": "1",
               "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
        grading = subprocess.Popen([sys.executable, "-m", "autograder", "cohort", "grade", MODULE, "--timeout", "900"],
                                   env=env, cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        killed = None
        deadline = time.monotonic() + 300
        while killed is None and time.monotonic() < deadline and grading.poll() is None:
            busy = [r for r in ledger.rows(settings.db_url()) if r["status"] == "grading" and r["learner"] in (a, b)]
            if busy:
                time.sleep(2)  # well inside the job: nbgrader is running the notebook
                killed = busy[0]
                os.kill(killed["pid"], signal.SIGKILL)
            time.sleep(0.2)
        stdout, stderr = grading.communicate(timeout=900)
        out["times"]["grade"] = time.monotonic() - t
        out["grade"] = (grading.returncode, stdout, stderr)
        out["killed"] = killed
        out["jobs"] = ledger.rows(settings.db_url())

        _ok(_cohort(state, "feedback", MODULE))
        for user in (a, b):
            try:
                listed = learners[user].assignment("fetch_feedback", settings.course_id)
            except AssertionError as exc:
                # Seen in 2 of 5 clean-clone runs under load: the learner's server answered HTTP 500
                # to its first fetch_feedback (cause not found yet). Kept for the next session in
                # test-artifacts/, and asked once more, as a learner would press Fetch again.
                artifacts = paths.ROOT / "test-artifacts"
                artifacts.mkdir(exist_ok=True)
                (artifacts / f"cohort-fetch-feedback-{user}.txt").write_text(str(exc))
                # In the run's warnings summary too, which CI's log keeps (test-artifacts/ it does not).
                warnings.warn(f"fetch_feedback failed once and was asked again: {str(exc)[-3000:]}",
                              stacklevel=1)
                time.sleep(2)
                listed = learners[user].assignment("fetch_feedback", settings.course_id)
            item = next(x for x in listed if x["assignment_id"] == MODULE and x["status"] == "submitted")
            feedback = [nb for sub in item["submissions"] for nb in sub["notebooks"] if nb["has_local_feedback"]]
            assert feedback, item
            local = Path(feedback[0]["local_feedback_path"])
            out[f"feedback-{user}"] = learners[user].read(
                str(local.relative_to(settings.homes / user)))
        _ok(_cohort(state, "export", "--out", str(state / "export")))
        out["csv"] = list(csv.DictReader(open(state / "export" / "scores.csv", encoding="utf-8")))
        out["json"] = json.loads((state / "export" / "scores.json").read_text())

        # What learner A can try to read as their OS user.
        inbound = settings.exchange / settings.course_id / "inbound"
        b_in_exchange = next(p for p in inbound.iterdir() if p.name.startswith(f"{b}+"))
        out["reads"] = {what: _as(a, "cat", str(path)).returncode for what, path in {
            "B's submission in the exchange": b_in_exchange / f"{MODULE}.ipynb",
            "B's submission in the exchange": next(p for p in inbound.iterdir() if p.name.startswith(f"{b}+"))
            / f"{MODULE}.ipynb",
            "B's collected submission": settings.course / "submitted" / b / MODULE / f"{MODULE}.ipynb",
            "the database credentials": settings.file,
            "the gradebook's files": settings.pgdata / "PG_VERSION",
            "the instructor's solutions": paths.SOLUTIONS / MODULE / f"{MODULE}.ipynb",
        }.items()}
        out["a-reads-own-fetched"] = _as(a, "ls", str(settings.homes / a / "exercises" / MODULE)).returncode
        out["a-lists-inbound"] = _as(a, "ls", str(inbound)).returncode

        # The instructor's server (started with the learners'): formgrader on the course folder.
        t = time.monotonic()
        teacher = Learner(hub, instructor)
        out["times"]["instructor"] = time.monotonic() - t
        out["formgrader-instructor"] = teacher.page("formgrader")
        out["formgrader-api"] = teacher.call("GET", "formgrader/api/assignments")
        out["lab-instructor"] = teacher.lab_config()
        out["formgrader-a"] = learners[a].page("formgrader")
        out["formgrader-api-a"] = learners[a].page("formgrader/api/assignments")[0]
        out["lab-a"] = learners[a].lab_config()
        secret = settings.instructor_config / "nbgrader_config.py"
        out["instructor-config"] = {who: _as(who, "cat", str(secret)) for who in (a, instructor)}
        out["course-reads"] = {who: _as(who, "ls", str(settings.course / "submitted" / b / MODULE)).returncode
                               for who in (a, instructor)}
        yield out
    finally:
        t = time.monotonic()
        _cohort(state, "down", timeout=300)
        shutil.rmtree(f"/tmp/kit-probe-{suffix}", ignore_errors=True)
        for marker in out["markers"]:
            shutil.rmtree(marker, ignore_errors=True)
        out["times"]["down"] = time.monotonic() - t
        os.environ.pop("KIT_COHORT_DIR", None)
        # Every OS user and group this run made (the learners, the instructor, kit-instructors,
        # its grading slots' users should `cohort down` have left any): the next run starts
        # clean. Not the grading users of slots another process holds now (another cohort's).
        users_now, groups_now = _kit_accounts()
        def ours(name: str) -> bool:
            slot = sandbox.slot_of(name)
            return name in out.get("slot-users", {}) or slot is None or not sandbox.slot_held(slot)

        left = _remove_accounts({u for u in users_now - users_before if ours(u)} | {a, b, instructor},
                                {g for g in groups_now - groups_before if ours(g)}
                                | ({"kit-instructors"} if not had_group else set()))
        if not run_existed and not any(sandbox.slot_held(int(f.stem.split("-")[1]))
                                       for f in sandbox.RUN.glob("slots/slot-*.lock")):
            shutil.rmtree(sandbox.RUN, ignore_errors=True)
        os.chown(paths.SOLUTIONS, -1, solutions_gid)
        os.chmod(paths.SOLUTIONS, solutions_mode)
        for folder, mode in opened:
            os.chmod(folder, mode)
        shutil.rmtree(state, ignore_errors=True)
        print("cohort test phases (s):", {k: round(v, 1) for k, v in out["times"].items()})
        assert not left, f"the test could not remove the OS users or groups it made: {left}"


@e2e
def test_learners_fetch_the_released_module_through_their_own_servers(cohort):
    for user in (cohort["a"], cohort["b"]):
        assert [x["assignment_id"] for x in cohort[f"fetched-{user}"] if x["status"] == "fetched"] == [MODULE]
    assert cohort["a-reads-own-fetched"] == 0


@e2e
def test_grading_with_two_workers_scores_both_and_reports_the_ungradable_one(cohort):
    code, stdout, stderr = cohort["grade"]
    assert code == 0, stdout + stderr
    jobs = {r["learner"]: r for r in cohort["jobs"]}
    assert len(cohort["jobs"]) == 3  # one job per submission
    a, b = jobs[cohort["a"]], jobs[cohort["b"]]
    assert a["status"] == b["status"] == "graded"
    assert (a["score"], a["max_score"]) == (9.0, 9.0)
    assert (b["score"], b["max_score"]) == (7.0, 9.0)
    cost = next(t for t in b["result"]["tests"] if t["grade_id"] == "test_compute_cost")
    assert not cost["passed"] and "1/2 is missing" in cost["message"]
    ghost = jobs["kit-ghost"]
    assert ghost["status"] == "not graded" and ghost["reason"] and "Traceback" not in ghost["reason"]
    assert f"kit-ghost        {MODULE}" in stdout and "NOT GRADED" in stdout


@e2e
def test_a_worker_killed_mid_job_loses_nothing_and_the_job_is_graded_once(cohort):
    killed = cohort["killed"]
    assert killed is not None, "no job was seen running to kill"
    job = next(r for r in cohort["jobs"] if r["job_id"] == killed["job_id"])
    assert job["status"] == "graded" and job["attempts"] == 2
    assert all(r["attempts"] == 1 for r in cohort["jobs"] if r["job_id"] != killed["job_id"])


@e2e
def test_both_learners_fetch_their_feedback_with_the_kits_diagnosis(cohort):
    a, b = cohort[f"feedback-{cohort['a']}"], cohort[f"feedback-{cohort['b']}"]
    assert "kit-summary" in a and "9 / 9 points" in a
    assert "kit-summary" in b and "7 / 9 points" in b
    assert "the 1/2 is missing" in b and "the 1/2 is missing" not in a


@e2e
def test_export_has_one_row_per_learner_and_module(cohort):
    rows = {r["learner"]: r for r in cohort["csv"]}
    assert set(rows) == {cohort["a"], cohort["b"], "kit-ghost"}
    assert (rows[cohort["a"]]["module"], float(rows[cohort["a"]]["score"]), float(rows[cohort["a"]]["max_score"])) \
        == (MODULE, 9.0, 9.0)
    assert float(rows[cohort["b"]]["score"]) == 7.0
    assert rows["kit-ghost"]["status"] == "not graded" and rows["kit-ghost"]["reason"]
    assert [r["learner"] for r in cohort["json"]] == [r["learner"] for r in cohort["csv"]]


@e2e
def test_a_learner_reads_no_other_submission_nor_the_gradebook_nor_the_solutions(cohort):
    assert cohort["a-lists-inbound"] != 0  # nbgrader's inbound: write-only for learners
    for what, code in cohort["reads"].items():
        assert code != 0, f"learner A could read {what}"


@e2e
def test_learners_code_is_graded_as_an_unprivileged_user_that_reads_no_secret(cohort):
    probes = {who: [json.loads(p.read_text()) for p in Path(prefix).parent.glob(Path(prefix).name + "*.json")]
              for who, prefix in cohort["probe-out"].items()}
    # Both grading kernels of each submission ran the probing cell (nbgrader's and the clean
    # re-check's), at least once each (a grading killed mid-job runs it again).
    assert len(probes["a"]) >= 2 and len(probes["b"]) >= 2, probes
    users = {uid: user for user, uid in cohort["slot-users"].items()}
    # Two workers, two grading users; A and B were graded at the same time, one on each.
    assert len(users) == 2 and 0 not in users, users
    for probe in probes["a"] + probes["b"]:
        assert probe["uid"] in users, probe  # a grading slot's user, never root
        own = f"the scratch of {users[probe['uid']]}"
        # Its own slot's scratch marker, as its own files: readable; nothing else.
        assert probe["read"] == [own], f"the learner's code could read {probe['read']}"
        assert probe["env"] == [], f"the learner's code saw {probe['env']} in its environment"
        assert set(probe["errors"].values()) <= {"read", "PermissionError", "FileNotFoundError"}, probe
        others = [k for k in probe["errors"] if k.startswith("the scratch of ") and k != own]
        assert others and all(probe["errors"][k] == "PermissionError" for k in others), probe
        # B's autograded copy may not exist yet when A is graded; the rest exist and are refused.
        assert {k for k, v in probe["errors"].items() if v == "FileNotFoundError"} <= {"B's autograded copy"}, probe
    assert len({p["uid"] for p in probes["a"] + probes["b"]}) == 2, "the two submissions shared one grading user"
    # ... and the probing cells did not cost a point (9/9 and 7/9 in the grading test above).
    jobs = {r["learner"]: r for r in cohort["jobs"]}
    assert (jobs[cohort["a"]]["score"], jobs[cohort["b"]]["score"]) == (9.0, 7.0)


@e2e
def test_the_instructor_opens_formgrader_on_the_cohorts_course_and_gradebook(cohort):
    status, html = cohort["formgrader-instructor"]
    assert status == 200 and "Manage Assignments" in html, html[:1000]
    assert cohort["settings"].db_password not in html  # formgrader's debug view is off
    listed = {x["name"]: x for x in cohort["formgrader-api"]}
    assert MODULE in listed, listed
    module = listed[MODULE]
    # From the Postgres gradebook (an id, 9 points), released in the exchange, and the three
    # collected submissions (A, B, the unreadable one) seen in the shared course folder.
    assert module["id"] is not None and module["max_score"] == 9.0, module
    assert module["status"] == "released" and module["num_submissions"] == 3, module
    disabled = cohort["lab-instructor"]["disabledExtensions"]  # JupyterLab hands a list of names
    assert "@jupyter/nbgrader:formgrader" not in disabled and "@jupyter/nbgrader:menu" not in disabled, disabled
    assert cohort["course-reads"][cohort["instructor"]] == 0


@e2e
def test_learners_have_no_formgrader_nor_the_instructors_configuration(cohort):
    assert cohort["formgrader-a"][0] in (403, 404), cohort["formgrader-a"]
    assert cohort["formgrader-api-a"] in (403, 404)
    disabled = cohort["lab-a"]["disabledExtensions"]
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment"} <= set(disabled), disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled, disabled
    reads = cohort["instructor-config"]
    assert reads[cohort["a"]].returncode != 0 and cohort["settings"].db_password not in reads[cohort["a"]].stdout
    # ... which the instructor reads (so the refusal above is about the learner).
    assert reads[cohort["instructor"]].returncode == 0, reads[cohort["instructor"]].stderr
    assert cohort["settings"].db_password in reads[cohort["instructor"]].stdout
    assert cohort["course-reads"][cohort["a"]] != 0  # the course folder: not the learners'


@e2e
def test_cohort_down_stops_everything_and_removes_only_the_grading_users(cohort):
    """Run last of the end-to-end tests: `cohort down` stops the services and removes the grading
    slots' users (the kit's, with nothing of their own left) and keeps people's accounts: the
    learners, the instructor, the group kit-instructors and the learners' folders."""
    from autograder.cohort import sandbox

    state, s = cohort["state"], cohort["settings"]
    proc = _cohort(state, "down", timeout=300)
    down = _ok(proc)
    assert "Removed the grading kernels' OS users" in down, f"stdout:\n{down}\nstderr:\n{proc.stderr}"
    status = _ok(_cohort(state, "status"))
    assert "workers: 0 running" in status and "running" not in status.replace("0 running", ""), status
    for user, uid in cohort["slot-users"].items():
        with pytest.raises(KeyError):
            pwd.getpwnam(user)
        assert sandbox.processes_of(uid) == [], f"a process of {user} outlived the cohort"
        assert user in down
    for user in (cohort["a"], cohort["b"], cohort["instructor"]):
        assert pwd.getpwnam(user).pw_uid != 0
    assert cohort["instructor"] in grp.getgrnam("kit-instructors").gr_mem
    assert (s.homes / cohort["a"] / "exercises" / MODULE / f"{MODULE}.ipynb").exists()
    assert not list(sandbox.scratch_root().glob("k-*")), "a kernel's scratch folder outlived the cohort"


# ---- quick: no services ---------------------------------------------------------------------
def test_a_command_without_a_cohort_is_one_paragraph(tmp_path):
    proc = _cohort(tmp_path / "none", "grade", timeout=120)
    assert proc.returncode == 2
    assert "There is no cohort here yet" in proc.stderr and "make cohort" in proc.stderr
    assert "Traceback" not in proc.stderr and "\n\n" not in proc.stderr.strip()


def _deps(tmp_path: Path, uid: int, have: set[str]) -> tuple[subprocess.CompletedProcess, Path]:
    """scripts/ensure-system-deps.sh cohort with stand-ins for id and apt-get: nothing installed."""
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    calls = tmp_path / "calls"
    for name, body in {"id": f"echo {uid}", "apt-get": f'echo "$@" >> {calls}'}.items():
        (bin_ / name).write_text(f"#!/bin/sh\n{body}\n")
        (bin_ / name).chmod(0o755)
    for tool in ("env", "mktemp", "tail", "rm", "ls"):
        os.symlink(shutil.which(tool), bin_ / tool)
    env = {"PATH": str(bin_), "TMPDIR": str(tmp_path)}
    for var, name in (("KIT_CHROMIUM", "chromium"), ("KIT_INITDB", "initdb"), ("KIT_REDIS_SERVER", "redis-server"),
                      ("KIT_NPM", "npm")):
        env[var] = str(tmp_path / name)
        if name in have:
            (tmp_path / name).write_text("")
            (tmp_path / name).chmod(0o755)
    script = paths.ROOT / "scripts" / "ensure-system-deps.sh"
    return subprocess.run(["/bin/bash", str(script), "cohort"], env=env, capture_output=True, text=True,
                          timeout=60), calls


def test_system_deps_for_the_cohort_installs_what_is_missing_as_root(tmp_path):
    proc, calls = _deps(tmp_path, 0, have={"chromium", "initdb"})
    assert proc.returncode == 0, proc.stderr
    assert calls.read_text().splitlines() == ["update -q", "install -y -q redis-server nodejs npm"]


def test_system_deps_for_the_cohort_says_what_to_install_without_root(tmp_path):
    proc, calls = _deps(tmp_path, 1000, have={"chromium", "npm"})
    assert proc.returncode != 0 and not calls.exists()
    assert "sudo apt-get install postgresql redis-server" in proc.stderr and "No test was run" in proc.stderr
    assert "\n\n" not in proc.stderr.strip()


def test_system_deps_for_the_cohort_leaves_everything_alone_when_present(tmp_path):
    proc, calls = _deps(tmp_path, 0, have={"chromium", "initdb", "redis-server", "npm"})
    assert proc.returncode == 0 and proc.stderr == "" and not calls.exists()


def test_a_failed_install_shows_npms_errors_not_its_last_warning():
    """npm prints its warnings (EBADENGINE …) after its errors: the message names the error."""
    from autograder.cohort import hub

    npm = subprocess.CompletedProcess(["npm"], 1, "", "npm error code ECONNRESET\nnpm error network aborted\n"
                                      "npm warn EBADENGINE Unsupported engine {\nnpm warn EBADENGINE }\n")
    said = hub._what_failed(npm)
    assert "ECONNRESET" in said and "network aborted" in said and "EBADENGINE" not in said
    assert hub._what_failed(subprocess.CompletedProcess(["pip"], 2, "", "")) == "exit code 2"
