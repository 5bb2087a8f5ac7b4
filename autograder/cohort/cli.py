"""`python -m autograder cohort ...`: start and stop the cohort's services, and the instructor's
steps (release, collect, grade, feedback, export). Plain functions; autograder/cli.py registers
the `cohort` subcommand and prints a KitError as one paragraph."""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys
import time
from pathlib import Path

from autograder import paths
from autograder.cohort.config import Settings
from autograder.errors import KitError


def _say(*lines: str) -> None:
    for line in lines:
        print(line, flush=True)


def up(args: argparse.Namespace) -> int:
    from autograder.cohort import exchange, ledger, services

    s = Settings.create(host=args.host, pg_port=args.pg_port, redis_port=args.redis_port,
                        hub_port=args.hub_port, hub_api_port=args.hub_api_port,
                        proxy_api_port=args.proxy_api_port, instructor=args.instructor)
    from autograder.cohort import hub
    from autograder.cohort.config import share_course

    hub.ensure_instructor(s)  # as root: the instructor's OS user in the group kit-instructors
    # The course folder and the reference solutions (nbgrader's source): the instructors' group's, no learner's.
    share_course(s)
    services.Postgres(s).start()
    _say(f"PostgreSQL ready on {s.host}:{s.pg_port} (databases: {', '.join(services.DATABASES)}; data in {s.pgdata})")
    ledger.create(s.db_url())
    services.Redis(s).start()
    _say(f"Redis ready on {s.host}:{s.redis_port} (the Celery broker)")
    n = args.workers or services.default_workers()
    services.Workers(s).start(n)
    _say(f"{n} Celery worker{'s' if n > 1 else ''} ready (logs in {s.logs})")
    released = exchange.release(s, args.modules or None)
    exchange.write_learner_config(s)
    _say(f"released to nbgrader's exchange ({s.exchange}, course {s.course_id}): {len(released)} assignments")
    if not args.no_hub:
        hub.Hub(s).start(authenticator=args.authenticator)
        _say(f"JupyterHub ready: {s.hub_url} (learners log in with their user name; "
             f"the instructor is {s.instructor!r})")
    _say("Stop everything with `make cohort-stop`.")
    return 0


def down(args: argparse.Namespace) -> int:
    from autograder.cohort import hub, services

    try:
        s = Settings.load()
    except KitError:
        _say("No cohort is running here.")
        return 0

    hub.Hub(s).stop()
    # The grading slots' users are the kit's own (no home, no login, nothing kept between jobs):
    # gone with the workers; the next worker makes its slot's again. Those a running worker
    # holds (another cohort's, on this machine) stay. People's accounts stay (docs/cohort.md).
    removed = services.Workers(s).stop()
    services.Redis(s).stop()
    services.Postgres(s).stop()
    _say(f"The cohort's services are stopped; its state is kept in {s.root}.")
    if removed:
        _say(f"Removed the grading kernels' OS users: {', '.join(removed)}. The instructor's and the "
             f"learners' accounts (and their folders in {s.homes}) are kept.")
    return 0


def status(args: argparse.Namespace) -> int:
    from autograder.cohort import hub, services

    s = Settings.load()

    _say(f"state: {s.root}",
         f"postgres {s.host}:{s.pg_port}: {'running' if services.Postgres(s).running() else 'stopped'}",
         f"redis {s.host}:{s.redis_port}: {'running' if services.Redis(s).running() else 'stopped'}",
         f"workers: {len(services.Workers(s).running())} running" + "".join(
             f"; worker {i}'s kernels run as {user}" for i, user in services.Workers(s).slot_users().items()),
         f"hub {s.hub_url}: {'running' if hub.Hub(s).running() else 'stopped'}")
    return 0


def release(args: argparse.Namespace) -> int:
    from autograder.cohort import exchange

    s = Settings.load()
    for mid in exchange.release(s, args.modules or None):
        _say(f"released {mid}")
    return 0


def collect(args: argparse.Namespace) -> int:
    from autograder.cohort import exchange

    s = Settings.load()
    found = exchange.collect(s, args.modules or None)
    _say(f"{len(found)} submission{'s' if len(found) != 1 else ''} collected in {s.course / 'submitted'}")
    for learner, mid, _nb in found:
        _say(f"  {learner}  {mid}")
    return 0


def job_id(learner: str, module: str, notebook: Path) -> str:
    """The same submission (learner, module, nbgrader's timestamp and secret) is the same job."""
    stamp = b"".join((notebook.parent / n).read_bytes() for n in ("timestamp.txt", "submission_secret.txt")
                     if (notebook.parent / n).exists()) or notebook.read_bytes()
    return hashlib.sha256(f"{learner}\0{module}\0".encode() + stamp).hexdigest()[:32]


def enqueue(s: Settings, found: list[tuple[str, str, Path]], force: bool = False) -> tuple[list[str], list[str]]:
    """Queue one job per submission; returns (queued job ids, ids already graded and kept)."""
    from autograder.cohort import ledger, tasks

    url = s.db_url()
    ledger.create(url)
    known = {r["job_id"]: r for r in ledger.rows(url)}
    queued, kept = [], []
    for learner, mid, nb in found:
        jid = job_id(learner, mid, nb)
        if jid in known and known[jid]["status"] in ("graded", "not graded") and not force:
            kept.append(jid)
            continue
        if force and jid in known:
            jid = f"{jid[:24]}{time.time_ns() % 10**8:08d}"
        if jid not in known or force:
            stamp = nb.parent / "timestamp.txt"
            ledger.queue(url, jid, learner, mid, str(nb), stamp.read_text().strip() if stamp.exists() else None)
            tasks.grade_submission.apply_async(args=(jid, learner, mid, str(nb)), task_id=jid)
        queued.append(jid)
    return queued, kept


def wait(s: Settings, job_ids: list[str], timeout: float, on_done=None) -> list[dict]:
    from autograder.cohort import ledger

    url = s.db_url()
    deadline = time.monotonic() + timeout
    seen: set[str] = set()
    while True:
        rows = ledger.rows(url, job_ids)
        for r in rows:
            if r["status"] in ("graded", "not graded") and r["job_id"] not in seen:
                seen.add(r["job_id"])
                if on_done:
                    on_done(r)
        if len(seen) == len(job_ids):
            return rows
        if time.monotonic() > deadline:
            left = [f"{r['learner']}/{r['module']} ({r['status']})" for r in rows if r["job_id"] not in seen]
            raise KitError(f"{len(left)} grading job{'s' if len(left) > 1 else ''} did not finish within "
                           f"{timeout:g} s: {', '.join(left)}. They stay queued; are the workers running "
                           f"(`python -m autograder cohort status`)? Their logs are in {s.logs}.")
        time.sleep(0.5)


def grade(args: argparse.Namespace) -> int:
    from autograder.cohort import exchange, services

    s = Settings.load()
    workers = services.Workers(s)
    wanted = args.workers or (0 if workers.running() else services.default_workers())
    if wanted:
        workers.start(wanted)
    found = exchange.submitted(s, [m.id for m in exchange.modules(args.modules or None)]) if args.no_collect \
        else exchange.collect(s, args.modules or None)
    queued, kept = enqueue(s, found, force=args.force)
    _say(f"grading {len(queued)} submission{'s' if len(queued) != 1 else ''} on "
         f"{len(workers.running())} local worker(s) (and any other worker on the broker); "
         f"{len(kept)} already graded and kept (--force grades them again)")

    def done(r: dict) -> None:
        if r["status"] == "graded":
            _say(f"  {r['learner']:<16} {r['module']:<14} {r['score']:g} / {r['max_score']:g}")
        else:
            _say(f"  {r['learner']:<16} {r['module']:<14} NOT GRADED: {r['reason']}")

    rows = wait(s, queued, args.timeout, done)
    failed = [r for r in rows if r["status"] != "graded"]
    _say(f"{len(rows) - len(failed)} graded, {len(failed)} could not be graded. "
         "Release the feedback with `python -m autograder cohort feedback`.")
    return 0


def feedback(args: argparse.Namespace) -> int:
    from autograder.cohort import exchange

    s = Settings.load()
    done = exchange.release_feedback(s, args.modules or None)
    _say(f"feedback released for {', '.join(done) if done else 'no module (nothing graded yet)'}; "
         "learners fetch it in JupyterLab (Assignments) or with `nbgrader fetch_feedback`")
    return 0


FIELDS = ["learner", "module", "status", "score", "max_score", "reason", "attempts", "submitted_at", "graded_at"]


def is_learner(s: Settings, student_id: str) -> bool:
    """A real learner's id, as the export lists them: not the kit's staging id of a grading in
    progress (`ada+grading`, paths.is_staging) nor any other id with a "+" (OS user names, and so
    the exchange's ids, have none: only the kit makes such ids), not a hidden folder's name
    (".ipynb_checkpoints"), not the instructor's account."""
    return bool(student_id) and "+" not in student_id and not student_id.startswith(".") \
        and student_id != s.instructor and not paths.is_staging(student_id)


def latest(s: Settings) -> list[dict]:
    """One row per learner and module: their newest submission's grading."""
    from autograder.cohort import ledger

    best: dict[tuple[str, str], dict] = {}
    for r in ledger.rows(s.db_url()):
        if r["status"] not in ("graded", "not graded") or not is_learner(s, r["learner"]):
            continue
        key = (r["learner"], r["module"])
        if key not in best or (r["submitted_at"] or "", r["finished_at"]) >= (best[key]["submitted_at"] or "", best[key]["finished_at"]):
            best[key] = r
    return [{"learner": r["learner"], "module": r["module"], "status": r["status"], "score": r["score"],
             "max_score": r["max_score"], "reason": r["reason"] or "", "attempts": r["attempts"],
             "submitted_at": r["submitted_at"] or "",
             "graded_at": r["finished_at"].isoformat(timespec="seconds") if r["finished_at"] else ""}
            for _, r in sorted(best.items())]


def export(args: argparse.Namespace) -> int:
    s = Settings.load()
    out = Path(args.out or s.root / "export")
    out.mkdir(parents=True, exist_ok=True)
    rows = latest(s)
    with open(out / "scores.csv", "w", newline="", encoding="utf-8") as handle:
        w = csv.DictWriter(handle, fieldnames=FIELDS)
        w.writeheader()
        w.writerows(rows)
    (out / "scores.json").write_text(json.dumps(rows, indent=2) + "\n", encoding="utf-8")
    _say(f"{len(rows)} rows (one per learner and module): {out / 'scores.csv'} and {out / 'scores.json'}")
    return 0


def add_parser(sub) -> None:
    c = sub.add_parser("cohort", help="cohort mode: JupyterHub, nbgrader's exchange, Postgres and Celery workers")
    cs = c.add_subparsers(dest="cohort_command", required=True)

    def modules(p):
        p.add_argument("modules", nargs="*", metavar="MODULE", help="module ids (default: every exercise and quiz)")

    u = cs.add_parser("up", help="start Postgres, Redis, the workers and the hub; release the modules")
    modules(u)
    u.add_argument("--workers", type=int, help="Celery workers on this machine (default: one per core)")
    u.add_argument("--host", help="the address every service listens on (default 127.0.0.1)")
    u.add_argument("--pg-port", type=int)
    u.add_argument("--redis-port", type=int)
    u.add_argument("--hub-port", type=int, help="the port learners open (default 8810)")
    u.add_argument("--hub-api-port", type=int, help="the hub's own port, behind the proxy (default 8811)")
    u.add_argument("--proxy-api-port", type=int, help="the proxy's API port (default 8812)")
    u.add_argument("--instructor", help="the instructor's user name on the hub (an OS user; made as root if "
                                        "missing; default: instructor); the only one with formgrader")
    u.add_argument("--authenticator", default="pam",
                   help="how learners log in to the hub: pam (their OS password, the default) or dummy (tests only)")
    u.add_argument("--no-hub", action="store_true", help="only the grading queue (Postgres, Redis, workers)")
    u.set_defaults(func=up)
    cs.add_parser("down", help="stop every service and remove the grading kernels' users (state, learners' "
                                 "and instructor's accounts are kept)").set_defaults(func=down)
    cs.add_parser("status", help="which services are running").set_defaults(func=status)
    r = cs.add_parser("release", help="release modules to the exchange")
    modules(r)
    r.set_defaults(func=release)
    co = cs.add_parser("collect", help="collect the newest submissions")
    modules(co)
    co.set_defaults(func=collect)
    g = cs.add_parser("grade", help="collect, then grade every submission through the Celery workers")
    modules(g)
    g.add_argument("--workers", type=int, help="make sure this many local workers run (default: one per core "
                                                "when none runs)")
    g.add_argument("--force", action="store_true", help="grade submissions already graded again")
    g.add_argument("--no-collect", action="store_true", help="grade what was collected before")
    g.add_argument("--timeout", type=float, default=3600, help="seconds to wait for the queue (default 3600)")
    g.set_defaults(func=grade)
    f = cs.add_parser("feedback", help="release the feedback reports to the learners")
    modules(f)
    f.set_defaults(func=feedback)
    e = cs.add_parser("export", help="scores per learner and module as CSV and JSON")
    e.add_argument("--out", help="folder for scores.csv and scores.json (default: <state>/export)")
    e.set_defaults(func=export)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.cohort.cli")
    add_parser(p.add_subparsers(dest="command", required=True))
    args = p.parse_args(["cohort", *(argv if argv is not None else sys.argv[1:])])
    return args.func(args)
