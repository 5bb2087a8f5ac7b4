"""The command line: it only parses arguments and calls plain functions.

    python -m autograder grade [MODULE_OR_NOTEBOOK ...] [--module ID] [--json]
    python -m autograder feedback-report MODULE
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import traceback

from autograder import paths
from autograder.errors import KitError


def _grade(args: argparse.Namespace, out=None, err=None) -> int:
    """Grade and print the table (or JSON) on `out`, progress on `err`; then write the HTML
    feedback reports, off the learner's wait (issue 16 §3). Called as the command (no streams),
    it asks the warm grader first (autograder/warm.py), which calls it back with streams that go
    to this command's terminal (the table reaches it as it is printed, before the reports)."""
    if out is None:
        from autograder import warm

        code = warm.try_grade(args)
        if code is not None:
            return code
    out, err = out or sys.stdout, err or sys.stderr
    from autograder import grading, report, space, submission, syllabus

    targets = args.targets or _every_assignment()
    subs = [submission.resolve(t, args.module) for t in targets]
    folder = paths.grading_dir()
    space.require_room(folder)
    started = time.monotonic()
    done_count = 0

    def start(sub: submission.Submission) -> None:
        if not args.json and len(subs) > 1:
            print(f"      grading {sub.module.id} ...", file=err, flush=True)

    def done(result: grading.NotebookResult, seconds: float) -> None:
        nonlocal done_count
        done_count += 1
        if not args.json and len(subs) > 1 and result.unchanged_since:
            print(f"[{done_count}/{len(subs)}] {result.module}: {result.score:g} / {result.max_score:g} points, "
                  f"unchanged since {result.unchanged_since.replace('T', ' ')}, not re-graded",
                  file=err, flush=True)
        elif not args.json and len(subs) > 1:
            passed = sum(t.passed for t in result.tests)
            print(f"[{done_count}/{len(subs)}] {result.module}: {result.score:g} / {result.max_score:g} points, "
                  f"{passed} of {len(result.tests)} checks passed ({seconds:.1f}s; "
                  f"{time.monotonic() - started:.0f}s elapsed)", file=err, flush=True)

    if not args.json:
        print(f"Grading {len(subs)} notebook{'s' if len(subs) > 1 else ''} (nbgrader re-runs each from "
              "the top; a few seconds each) ...", file=err, flush=True)
    # Every module at once (`make grade`): only what changed since its last grading is graded.
    reuse = (not args.targets or args.skip_unchanged) and not args.force
    run = grading.grade(subs, on_start=start, on_done=done, reuse=reuse, report_now=False)
    print(report.as_json(run) if args.json else report.table(run), end="" if not args.json else "\n", file=out)
    out.flush()
    # Then the reports: this run's, and any a grader stopped after its table left to write.
    modules = [nb.module for nb in run.notebooks if nb.feedback]
    modules += [m for m in grading.pending_reports() if m not in modules]
    if out is sys.stdout:
        _close_stdout()
    return write_reports(modules, err)


def _close_stdout() -> None:
    """The table is all that `grade` prints on standard output: close it, so whoever reads it
    (the Grade button's server, a pipe) has all of it now, while the reports are written."""
    sys.stdout.flush()
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.close(devnull)


def write_reports(modules: list[str], err=None) -> int:
    """Write the modules' pending feedback reports (grading.write_report); 0, or the exit code
    of a report that could not be written (said on `err` in one paragraph)."""
    from autograder import grading

    err = err or sys.stderr
    code = 0
    for module_id in modules:
        try:
            grading.write_report(module_id)
        except KitError as exc:
            print(f"error: {exc} Your score is recorded; the report of {module_id} is written the next time "
                  "you grade, or when you open it from the Grade button.", file=err, flush=True)
            code = 2
        except Exception as exc:  # noqa: BLE001 - never a traceback wall
            code = failed(exc, err)
    return code


def _feedback_report(args: argparse.Namespace) -> int:
    from autograder import grading, syllabus

    module = syllabus.load().module(args.module_id)  # an unknown id: the syllabus's message
    if not grading.write_report(module.id):
        raise KitError(f"There is no feedback report for {module.id} yet: grade the notebook first "
                       f"(`make grade MODULE={module.id}`, or its Grade button in JupyterLab).")
    print(paths.GradingLayout(paths.grading_dir()).feedback(grading.STUDENT, module.id))
    return 0


def _every_assignment() -> list[str]:
    """What `grade` with no target grades: every module, each followed by its quiz (a quiz whose
    notebook is not written yet is left out). KIT_GRADE_QUIZZES, a comma-separated list of quiz
    ids, narrows the quizzes (the kit's own tests use it to stay within their time budget)."""
    from autograder import syllabus

    only = os.environ.get("KIT_GRADE_QUIZZES")
    wanted = None if only is None else {q.strip() for q in only.split(",") if q.strip()}
    # The capstone (a project, graded as a folder: a server and the learner's tests) is graded
    # on its own: `make grade MODULE=capstone`.
    return [m.id for m in syllabus.load().assignments if m.kind != "project"
            and (not m.is_quiz or (m.exercise_path.exists() and (wanted is None or m.id in wanted)))]


def _progress(args: argparse.Namespace) -> int:
    from autograder import progress

    p = progress.compute()
    print(progress.as_json(p) if args.json else progress.table(p), end="\n" if args.json else "")
    if args.chart:
        path = progress.chart()
        print(f"chart of your scores over time: {path}" if path else "no grading attempts yet: no chart",
              file=sys.stderr)
    return 0


def _plan(args: argparse.Namespace) -> int:
    from autograder import plan, progress

    if args.start:
        print(f"Your study plan now starts on {plan.set_start(args.start).isoformat()}.")
    print(f"{'week':<6}{'module':<14}{'hours':>6}  prerequisites")
    for w in plan.schedule():
        print(f"{w.number:<6}{w.module:<14}{w.hours:>6g}  {', '.join(w.prerequisites) or '-'}")
    print(progress.compute().plan.sentence())
    return 0


def _generate_exercises(args: argparse.Namespace) -> int:
    from autograder import exercises

    for line in exercises.generate(args.modules or None):
        print(line)
    return 0


def _reset(args: argparse.Namespace) -> int:
    from autograder import reset

    for line in reset.reset(args.module_id):
        print(line)
    return 0


def _start_page(args: argparse.Namespace) -> int:
    from autograder import startpage

    print(startpage.write())
    return 0


def _environment_yml(args: argparse.Namespace) -> int:
    from autograder import envfile

    print(envfile.write())
    return 0


def _setup_jupyter(args: argparse.Namespace) -> int:
    from autograder import jupyter_setup

    jupyter_setup.configure()
    return 0


def _warm(args: argparse.Namespace) -> int:
    from autograder import warm

    return warm.main([args.action, *(["--idle-minutes", str(args.idle_minutes)] if args.idle_minutes else []),
                      *(["--parent", str(args.parent)] if args.parent else [])])


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m autograder", description="The course kit's grader.")
    sub = p.add_subparsers(dest="command", required=True)

    g = sub.add_parser("grade", help="grade exercise notebooks with nbgrader")
    g.add_argument("targets", nargs="*", metavar="MODULE_OR_NOTEBOOK",
                   help="module ids (grades exercises/<id>/<id>.ipynb) or notebook paths; default: every module")
    g.add_argument("--module", help="the module a notebook belongs to, when it cannot be told from the notebook")
    g.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    g.add_argument("--force", action="store_true",
                   help="grade every notebook again, also those unchanged since their last grading")
    g.add_argument("--skip-unchanged", action="store_true",
                   help="keep the recorded result of named notebooks unchanged since their last grading "
                        "(always done when no module is named)")
    g.set_defaults(func=_grade)

    fr = sub.add_parser("feedback-report",
                        help="write a module's feedback report now, if its last grading has not yet "
                             "(grade writes it just after the table); prints where it is")
    fr.add_argument("module_id", metavar="MODULE")
    fr.set_defaults(func=_feedback_report)

    pr = sub.add_parser("progress", help="your status per module, from every grading attempt")
    pr.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    pr.add_argument("--chart", action="store_true", help="also save a chart of your scores over time")
    pr.set_defaults(func=_progress)

    pl = sub.add_parser("plan", help="the study plan: hours per module, a module a week, where you stand")
    pl.add_argument("--start", metavar="YYYY-MM-DD", help="the day your plan starts (default: your first graded attempt)")
    pl.set_defaults(func=_plan)

    r = sub.add_parser("reset", help="a fresh exercise notebook; yours is backed up first")
    r.add_argument("module_id", metavar="MODULE")
    r.set_defaults(func=_reset)

    e = sub.add_parser("generate-exercises", help="maintainers: regenerate exercises/ from solutions/")
    e.add_argument("modules", nargs="*")
    e.set_defaults(func=_generate_exercises)

    w = sub.add_parser("warm", help="the warm grader: a background service that makes each grading faster")
    w.add_argument("action", choices=["start", "stop", "status"])
    w.add_argument("--idle-minutes", type=float, help="stop after this many idle minutes (default 20)")
    w.add_argument("--parent", type=int, help="stop when this process exits (e.g. the Jupyter server)")
    w.set_defaults(func=_warm)

    sub.add_parser("start-page", help="maintainers: regenerate course/start.ipynb").set_defaults(func=_start_page)
    sub.add_parser("environment-yml", help="maintainers: regenerate environment.yml").set_defaults(func=_environment_yml)
    sub.add_parser("setup-jupyter", help="configure JupyterLab's extensions for learners").set_defaults(func=_setup_jupyter)

    from autograder.cohort.cli import add_parser as add_cohort  # cohort mode (issue 14)

    add_cohort(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("Interrupted; your notebooks are unchanged.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - never a traceback wall
        return failed(exc, sys.stderr)


def failed(exc: Exception, err) -> int:
    """Say on `err` why a command stopped, in one paragraph; its exit code. An unexpected error's
    details go to a log file (the warm grader says it the same way, autograder/warm.py)."""
    if isinstance(exc, KitError):
        print(f"error: {exc}", file=err)
        return 2
    log = paths.grading_dir() / "last-error.log"
    details = "".join(traceback.format_exception(exc))
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(details)
        where = f"The details are in {log}."
    except OSError:
        where = "The details:\n" + "".join(traceback.format_exception(exc, limit=3))
    print(f"error: the kit hit an unexpected problem and stopped; your notebooks are unchanged. "
          f"{where} Please report it with that file.", file=err)
    return 1
