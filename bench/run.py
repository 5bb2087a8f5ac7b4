"""The kit's benchmark: `make bench` runs `python bench/run.py` and rewrites BENCHMARKS.md.

    python bench/run.py                 # every section, several runs each (about 45 minutes on 2 quiet cores, 23 of them the cohort's)
    python bench/run.py --quick         # one run each, fewer notebooks, no fresh environment (development)
    python bench/run.py --only instant,reference --output /tmp/b.md

Sections: instant (check cells in a warm kernel), one_module and course (the kit's grading against
bare nbgrader), warm, incremental and memory (issue 16: the warm grader against `jupyter execute`
and bare nbgrader, `make grade` after one change, a learner's session's memory), grade_button (issue
16: a click on Grade in JupyterLab, headless Chromium, beside the command line), reference (numpy
references against scikit-learn), dqn (issue 12: c3w3-dqn's reference agent trained on one core),
notebooks (every notebook in the syllabus, headless: time and memory), setup (a fresh `make lab`
environment), cohort (issue 14: synthetic submissions graded through the cohort's Celery workers with
1 and 2 workers; as root, with Postgres and Redis installed; --cohort-submissions). A failing item is reported as failed in its table; the run goes on.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common, dqn, grade_button, machine, report  # noqa: E402
from bench.common import ROOT, Section, guarded, log  # noqa: E402

SECTIONS = ["instant", "one_module", "course", "warm", "incremental", "memory", "grade_button", "reference", "dqn",
            "notebooks", "setup", "cohort"]
ONE_MODULE_DEFAULT = ["c1w1", "c2w2"]  # the lightest exercise and one with heavier notebooks


def parse(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python bench/run.py", description=__doc__.split("\n\n")[0])
    p.add_argument("--quick", action="store_true",
                   help="one run of everything, fewer notebooks, no fresh environment (for development)")
    p.add_argument("--only", help=f"comma-separated sections to run, of: {', '.join(SECTIONS)}")
    p.add_argument("--modules", help="comma-separated module ids (default: every module in the syllabus)")
    p.add_argument("--runs", type=int, help="timed runs per item (default 5, course grading 3; --quick 1)")
    p.add_argument("--cohort-submissions", type=int, metavar="N",
                   help="synthetic submissions per run of the cohort section (default 200, about 23 minutes on 2 "
                        "cores; --quick 20)")
    p.add_argument("--output", default=str(ROOT / "BENCHMARKS.md"), help="where to write the report")
    p.add_argument("--save-json", metavar="PATH",
                   help="where to save the raw measurements as JSON (default: ml-course-kit-bench.json in the temp folder)")
    p.add_argument("--from-json", metavar="PATH", help="measure nothing: render the report from saved measurements")
    p.add_argument("--update", action="store_true",
                   help="keep the report's other sections: write the measured ones as a dated block of their "
                        "own in it (replacing that block from an earlier --update run)")
    return p.parse_args(argv)


def _save(path: str, meta: dict, sections: dict[str, Section]) -> None:
    data = {"meta": meta, "sections": {k: dataclasses.asdict(v) for k, v in sections.items()}}
    Path(path).write_text(json.dumps(data, indent=1, default=str), encoding="utf-8")


def _load(path: str) -> tuple[dict, dict[str, Section]]:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data["meta"], {k: Section(**v) for k, v in data["sections"].items()}


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    if args.from_json:
        meta, sections = _load(args.from_json)
        Path(args.output).write_text(report.render(meta, sections), encoding="utf-8")
        log(f"wrote {args.output} from {args.from_json}")
        return 0
    started = time.perf_counter()
    load_start = machine.load_average()
    common.apply_base_env()
    from autograder import syllabus

    modules = list(syllabus.load().modules)
    if args.modules:
        wanted = args.modules.split(",")
        modules = [m for m in modules if m.id in wanted]
    ids = [m.id for m in modules]
    chosen = args.only.split(",") if args.only else list(SECTIONS)
    unknown = set(chosen) - set(SECTIONS)
    if unknown:
        print(f"unknown sections: {', '.join(sorted(unknown))}; the sections are {', '.join(SECTIONS)}", file=sys.stderr)
        return 2
    runs = args.runs or (1 if args.quick else 5)  # instant checks, reference fits: cheap
    grading_runs = args.runs or (1 if args.quick else 3)  # a grading takes seconds: fewer runs
    one_module_ids = [m for m in ONE_MODULE_DEFAULT if m in ids] or ids[:1]
    if args.quick:
        one_module_ids = one_module_ids[:1]

    sections: dict[str, Section] = {}

    def timed(key: str, fn) -> None:
        t0 = time.perf_counter()
        errors: list[str] = []
        section = guarded(f"section {key}", fn, errors)
        if section is None:
            section = Section(key, key, errors=errors or ["the section failed to run"])
        section.seconds = time.perf_counter() - t0
        sections[key] = section

    with tempfile.TemporaryDirectory(prefix="bench-") as tmp:
        if "instant" in chosen:
            from bench import instant

            timed("instant", lambda: instant.run(modules, runs))
        if "one_module" in chosen or "course" in chosen or "warm" in chosen:
            from bench import grading

            ws = grading.Workspace(Path(tmp), modules if {"one_module", "course"} & set(chosen)
                                   else [m for m in modules if m.id in one_module_ids])
            log(f"setting up bare nbgrader's course folder and the kit's grading folder ({len(modules)} modules)")
            ws.prepare()
            if "one_module" in chosen:
                timed("one_module", lambda: grading.one_module(ws, one_module_ids, grading_runs))
            if "course" in chosen:
                timed("course", lambda: grading.course(ws, grading_runs, workers_probe=None if args.quick else 3))
            if "warm" in chosen:
                from bench import warm

                timed("warm", lambda: warm.warm(ws, one_module_ids[0], max(grading_runs, 3 if args.quick else 5)))
        if "incremental" in chosen:
            from bench import warm

            timed("incremental", lambda: warm.incremental(Path(tmp), modules, one_module_ids[0], grading_runs))
        if "memory" in chosen:
            from bench import warm

            timed("memory", lambda: warm.memory(Path(tmp), next(m for m in modules if m.id == one_module_ids[0])))
        if "grade_button" in chosen:
            timed("grade_button", lambda: grade_button.run(args.quick))
        if "reference" in chosen:
            from bench import reference

            timed("reference", lambda: reference.run(ids, runs))
        if "dqn" in chosen:
            timed("dqn", lambda: dqn.run(args.quick))
        if "notebooks" in chosen:
            from bench import notebooks

            projects = [p for p in syllabus.load().projects if not args.modules or p.id in args.modules.split(",")]
            timed("notebooks", lambda: notebooks.run(modules, args.quick, projects, pages=not args.modules))
        if "cohort" in chosen:
            from bench import cohort

            n = args.cohort_submissions or (20 if args.quick else 200)
            exercise_modules = [m for m in modules if m.kind == "exercise" and m.solution_path.exists()]
            timed("cohort", lambda: cohort.run(n, modules=exercise_modules if args.modules else None))
        if "setup" in chosen:
            from bench import setup_env

            if args.quick and not args.only:
                sections["setup"] = Section("setup", "setup", data={"skipped": "--quick; run without it, or "
                                                                                "`--only setup`"})
            else:
                timed("setup", setup_env.run)

    load_end = machine.load_average()
    mode = "quick (`--quick`: one run each, fewer notebooks, no fresh environment)" if args.quick else "full"
    if args.only:
        mode += f"; sections: {', '.join(chosen)}"
    if args.modules:
        mode += f"; modules: {', '.join(ids)}"
    load_note = ("**Note:** the machine was busy with other work during this run (load average above 2.5)."
                 if max(load_start[0], load_end[0]) > 2.5 else "")
    argv_shown = [os.path.relpath(sys.executable, ROOT) if sys.executable.startswith(str(ROOT)) else sys.executable,
                  "bench/run.py", *(argv if argv is not None else sys.argv[1:])]
    meta = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "command": shlex.join(argv_shown),
        "via_make": bool(os.environ.get("MAKELEVEL")),
        "mode": mode,
        "runs": (f"instant checks: median of {runs} runs after a first run; grading one module: median of "
                 f"{grading_runs} runs each after a warm-up; whole course: median of {grading_runs} runs each; "
                 f"reference vs scikit-learn: median of {runs} fits after a warm-up; Grade button: "
                 f"{grade_button.QUICK_PAIRS if args.quick else grade_button.PAIRS} click(s), each beside a "
                 f"command-line grading; DQN agent: one training per seed "
                 f"({len(dqn.QUICK_SEEDS if args.quick else dqn.SEEDS)} seeds); notebooks and setup: one run each"),
        "duration_s": time.perf_counter() - started,
        "load_start": load_start,
        "load_end": load_end,
        "load_note": load_note,
        "machine": machine.info(),
    }
    order = {k: sections[k] for k in SECTIONS if k in sections}
    saved = args.save_json or os.path.join(tempfile.gettempdir(), "ml-course-kit-bench.json")
    guarded("saving the raw measurements", lambda: _save(saved, meta, order), [])
    log(f"raw measurements saved in {saved} (re-render with --from-json)")
    if args.update and Path(args.output).exists():
        text = report.update(Path(args.output).read_text(encoding="utf-8"), meta, order)
    else:
        text = report.render(meta, order)
    Path(args.output).write_text(text, encoding="utf-8")
    log(f"wrote {args.output} ({meta['duration_s'] / 60:.1f} min)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
