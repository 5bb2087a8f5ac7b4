"""BENCHMARKS.md: what the figures were measured on, a target / measured / met summary, and each
section's measurements as tables. Only figures: no advice, which would go stale."""

from __future__ import annotations

import math

SETUP_TARGET_S = 90.0  # the README promises "about a minute"; up to 90 s counts as that


def s(x: float | None, digits: int = 2) -> str:
    return "–" if x is None or (isinstance(x, float) and math.isnan(x)) else f"{x:.{digits}f} s"


def ms(x: float | None) -> str:
    return "–" if x is None else f"{x:.1f} ms"


def yes(ok: bool | None) -> str:
    return "–" if ok is None else ("yes" if ok else "**no**")


def table(header: list[str], rows: list[list]) -> str:
    def cell(text) -> str:
        return str(text).replace("|", "\\|").replace("\n", " ")

    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return "\n".join(out + ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]) + "\n"


def runs_of(values: list[float], digits: int = 2) -> str:
    return ", ".join(f"{x:.{digits}f}" for x in values)


# Each section: (target, measured, met) for the summary, and its tables.


def _instant(sec, _):
    from bench import instant  # the summary row and tables of the instant checks and quiz answers

    return instant.render(sec, table, ms, yes)


def _one_module(sec, _):
    d = sec.data
    rows = d.get("rows", [])
    ok = [r for r in rows if "ratio" in r]
    target = f"kit / bare `nbgrader autograde` ≤ {d.get('target', 1.1):g} (median of {d.get('runs')} runs each)"
    measured = "; ".join(f"{r['module']}: {r['kit']['wall']:.2f} s vs {r['bare']['wall']:.2f} s = {r['ratio']:.2f}"
                         for r in ok) or "nothing measured"
    met = bool(ok) and len(ok) == len(rows) and all(r["met"] for r in ok)
    text = [
        "The same submission (a copy of the solution notebook), runs alternating. *Bare*: `nbgrader autograde "
        "MODULE --student learner --force` in a throw-away course folder. *Kit*: `python -m autograder grade PATH "
        "--json` with a warmed grading folder. *CPU*: user + system time of the command and its children.\n",
        table(["module", "bare autograde", "kit grade", "ratio", "met", "CPU bare", "CPU kit", "scores (bare, kit)",
               "every run (bare; kit)"],
              [[r["module"], s(r["bare"]["wall"]), s(r["kit"]["wall"]), f"{r['ratio']:.2f}", yes(r["met"]),
                s(r["bare"]["cpu"], 1), s(r["kit"]["cpu"], 1), f"{r.get('bare_score') or '?'}, {r.get('kit_score') or '?'}",
                runs_of(r["bare"]["runs"]) + "; " + runs_of(r["kit"]["runs"])]
               if "ratio" in r else [r["module"], "–", "–", "–", f"failed: {r.get('error')}", "", "", "", ""]
               for r in rows]),
    ]
    parts = [r for r in ok if r.get("parts")]
    if any(r["parts"].get("steps") or r["parts"].get("recheck_alone") for r in parts):
        text.append("\nBare nbgrader's steps timed inside one process (`bench/steps.py`), the kit's clean re-check "
                    "run alone (`python -m autograder.recheck`); medians. *Bare, both steps*: bare autograde plus "
                    "the in-process feedback time.\n")
        body = []
        for r in parts:
            st, rc = r["parts"].get("steps"), r["parts"].get("recheck_alone")
            both = r["bare"]["wall"] + st["feedback"] if st else None
            body.append([r["module"], *([s(st[k]) for k in ("import", "autograde", "feedback")] if st else ["–"] * 3),
                         s(rc["wall"]) if rc else "–", s(rc["cpu"], 1) if rc else "–", s(both),
                         f"{r['kit']['wall'] / both:.2f}" if both else "–"])
        text.append(table(["module", "import nbgrader", "autograde (in-process)", "generate_feedback (in-process)",
                           "clean re-check alone", "its CPU", "bare, both steps", "kit / bare both steps"], body))
    phased = [r for r in parts if r["parts"].get("kit_phases")]
    if phased:
        names = list(dict.fromkeys(k for r in phased for k in r["parts"]["kit_phases"]))
        text.append("\nInside the kit: one grading in-process (`bench/kit_phases.py`), step by step; medians. The "
                    "clean re-check runs alongside nbgrader's autograde.\n")
        text.append(table(["step of the kit's grading", *[r["module"] for r in phased]],
                          [[name, *[s(r["parts"]["kit_phases"].get(name)) for r in phased]] for name in names]))
    return (target, measured, met), "\n".join(text)


def _course(sec, _):
    d = sec.data
    target = (f"one `python -m autograder grade` of every module / `nbgrader autograde` once per module in "
              f"sequence ≤ {d.get('target', 0.5):g} on 2 cores (median of {d.get('runs')} runs each)")
    if "ratio" not in d:
        return (target, "not measured", False), ""
    measured = f"{d['kit']['wall']:.1f} s vs {d['bare']['wall']:.1f} s = {d['ratio']:.2f} ({len(d['modules'])} modules)"
    rows = [["bare nbgrader, sequential", s(d["bare"]["wall"], 1), runs_of(d["bare"]["runs"], 1), s(d["bare"]["cpu"], 1)],
            ["kit, one command", s(d["kit"]["wall"], 1), runs_of(d["kit"]["runs"], 1), s(d["kit"]["cpu"], 1)],
            ["ratio kit / bare", f"**{d['ratio']:.2f}**", "",
             f"{d['kit']['cpu'] / d['bare']['cpu']:.2f}" if d["bare"]["cpu"] else "–"]]
    probe = d.get("workers_probe")
    if probe:
        rows.append([f"kit with `KIT_GRADING_WORKERS={probe['workers']}` (one run; ratio "
                     f"{probe['wall'] / d['bare']['wall']:.2f})", s(probe["wall"], 1), "", s(probe["cpu"], 1)])
    text = [f"Modules: {', '.join(d['modules'])}. *Kit*: one command with copies of every solution notebook "
            "(2 workers on 2 cores), warmed grading folder. *Bare*: `nbgrader autograde` once per module in turn.\n",
            table(["", "median wall", "every run", "median CPU"], rows)]
    if d.get("per_module_bare"):
        scores = d.get("kit_scores", {})
        text.append("\n" + table(["module", "bare autograde (median)", "kit score"],
                                 [[m, s(v), scores.get(m, "?")] for m, v in d["per_module_bare"].items()]))
    for key, label in (("left_out", "Left out (could not be set up)"), ("failed_bare", "Bare nbgrader failed on")):
        if d.get(key):
            text.append(f"\n{label}: " + "; ".join(f"{m}: {why}" for m, why in d[key].items()) + "\n")
    return (target, measured, d.get("met")), "\n".join(text)


def _reference(sec, _):
    d = sec.data
    rows = d.get("rows", [])
    target = "time ratio measured (the quality is asserted by `tests/test_reference_quality.py`)"
    if not rows:
        return (target, "nothing measured", None), ""
    ratios = [r["time_ratio"] for r in rows]
    measured = f"numpy time / scikit-learn time from {min(ratios):.2f}× to {max(ratios):.2f}×"
    body = (f"The fits of `tests/test_reference_quality.py`: median of {d.get('runs')} fits after an untimed one.\n\n" +
            table(["module", "model", "metric", "numpy", "scikit-learn", "numpy time", "scikit-learn time", "time ratio"],
                  [[r["module"], r["what"], r["metric"], f"{r['ours']:.4f}", f"{r['sk']:.4f}", s(r["ours_s"], 4),
                    s(r["sk_s"], 4), f"{r['time_ratio']:.2f}×"] for r in rows]))
    return (target, measured, None), body


def _notebooks(sec, _):
    d = sec.data
    rows = d.get("rows", [])
    target = f"each < {d.get('target_s', 30):g} s and < {d.get('target_mb', 1024) / 1024:g} GB"
    ok = [r for r in rows if "wall_s" in r]
    if not ok:
        return (target, "nothing measured", False), ""
    slow, big = max(ok, key=lambda r: r["wall_s"]), max(ok, key=lambda r: r["peak_mb"])
    n_met = sum(r["met"] for r in ok)
    measured = (f"{n_met} of {len(rows)} within; slowest {slow['wall_s']:.1f} s (`{slow['notebook']}`), "
                f"largest {big['peak_mb']:.0f} MB (`{big['notebook']}`)")
    body = ("Every notebook of the syllabus (`bench/notebooks.py`): each module's lessons, solution and quiz, the "
            "capstone's lessons (in a temporary folder) and solution (in a copy of its folder), the start page and the "
            "maths refresher; executed with nbclient, one run each, in the notebook's folder unless said. *Wall* "
            "includes the kernel's start and stop; *cells* sums the cells' own times; *peak memory* is the kernel's `VmHWM`.\n\n" +
            table(["notebook", "kind", "wall", "cells", "slowest cell", "peak memory", "met"],
                  [[f"`{r['notebook']}`", r["kind"], s(r["wall_s"], 1), s(r["cells_s"], 1), s(r["slowest_cell_s"], 1),
                    f"{r['peak_mb']:.0f} MB", yes(r["met"])] if "wall_s" in r else
                   [f"`{r['notebook']}`", r["kind"], "–", "–", "–", "–", f"failed: {r['error']}"] for r in rows]))
    return (target, measured, n_met == len(rows)), body


def _setup(sec, _):
    d = sec.data
    target = f"“about a minute” (README; ≤ {SETUP_TARGET_S:g} s counted as met); disk size reported"
    if d.get("skipped"):
        return (target, f"skipped ({d['skipped']})", None), ""
    if "total_s" not in d:
        return (target, "not measured", False), ""
    body = (f"A fresh environment as the first `make lab` builds it, in a temporary folder, with {d['python']}; one "
            f"run, with this machine's pip configuration.\n\n" +
            table(["step", "time"], [[f"`{k}`", s(v, 1)] for k, v in d["steps"].items()] + [
                ["**total**", f"**{d['total_s']:.1f} s**"],
                ["disk size of the environment (`du -s`)", f"**{d['venv_mb']:.0f} MB**"],
                ["packages installed: downloaded / from pip's cache / from a local file index",
                 f"{d['packages']}: {d['downloaded']} / {d['cached']} / {d['local_files']}"]]))
    if d.get("largest"):
        body += "\nLargest packages: " + ", ".join(f"{name} {mb:.0f} MB" for name, mb in d["largest"]) + ".\n"
    return (target, f"{d['total_s']:.0f} s, {d['venv_mb']:.0f} MB", d["total_s"] <= SETUP_TARGET_S), body


def _warm(sec, _):
    d = sec.data
    t = d.get("targets", {})
    target = (f"warm grading with feedback ≤ {t.get('execute', 1.0):g}× a cold `jupyter execute` and ≤ "
              f"{t.get('bare', 0.5):g}× bare `nbgrader autograde` + `generate_feedback` (medians of {d.get('runs')})")
    rows = [r for r in d.get("rows", []) if "vs_execute" in r]
    if not rows:
        return (target, "not measured", False), ""
    r = rows[0]
    measured = (f"{r['module']}: warm {r['warm']['wall']:.2f} s = {r['vs_execute']:.2f}× `jupyter execute` "
                f"({r['execute']['wall']:.2f} s), {r['vs_bare']:.2f}× bare ({r['bare']['wall']:.2f} s); cold kit "
                f"{r['cold']['wall']:.2f} s")
    names = {"warm": "kit, warm grader running", "cold": "kit, cold (`KIT_WARM_GRADER=0`)",
             "execute": "`jupyter execute` (cold)", "bare": "bare `nbgrader autograde` + `generate_feedback`"}
    body = [f"Module {r['module']}, the same copy of its solution notebook, runs alternating; the warm grader gets "
            f"{d.get('pause_s', 0):g} s between gradings (a learner's edit) to kill the used kernels and boot new ones. "
            f"Warm gradings counted (each used both pre-started kernels): {r.get('warm_used')} of {d.get('runs')}; "
            f"gradings the service handed back to the cold path (the kit's code changed on disk: other work on the "
            f"machine), not counted: {r.get('cold_fallbacks', 0)}; service restarts: {r.get('service_restarts', 0)}. "
            "*CPU*: user + system of the command and its children; for the warm grader, the client's plus the "
            "service's own and its reaped children's (its kernels and re-check processes) per grading.\n",
            table(["", "median wall", "every run", "median CPU", "warm / this"],
                  [[names[k], s(r[k]["wall"]), runs_of(r[k]["runs"]),
                    s(r[k]["cpu"] + (r[k].get("service_cpu") or 0), 1),
                    f"{r['warm']['wall'] / r[k]['wall']:.2f}"] for k in ("warm", "cold", "execute", "bare")]),
            f"\nScore: {r.get('kit_score')}.\n"]
    return (target, measured, r.get("met")), "\n".join(body)


def _incremental(sec, _):
    d = sec.data
    target = (f"`make grade` of every module after changing {d.get('changed') or 'one (c1w1)'} ≤ "
              f"{d.get('target', 0.2):g}× a full grading of every module")
    if "ratio" not in d:
        return (target, "not measured", False), ""
    measured = (f"{d['incremental']['wall']:.2f} s vs {d['full']['wall']:.1f} s = {d['ratio']:.2f} "
                f"({len(d['modules'])} modules)")
    body = (f"Modules: {', '.join(d['modules'])} (copies of the solution notebooks, graded by path). *Full*: one "
            "`python -m autograder grade ... --force`. *After one change*: a markdown cell appended to "
            f"{d['changed']}'s notebook, then `python -m autograder grade ... --skip-unchanged` (what `make grade` "
            "with no module does), a warm grader running; regraded per run: "
            + "; ".join(", ".join(r) or "none" for r in d.get("regraded", [])) + ".\n\n" +
            table(["", "median wall", "every run", "CPU (with the warm grader's)"],
                  [["full grading", s(d["full"]["wall"], 1), "", s(d["full"]["cpu"], 1)],
                   [f"after changing {d['changed']}", s(d["incremental"]["wall"]), runs_of(d["incremental"]["runs"]),
                    s(d["incremental"]["cpu"], 1)],
                   ["ratio", f"**{d['ratio']:.2f}**", "", ""]]))
    return (target, measured, d.get("met")), body


def _memory(sec, _):
    d = sec.data
    target = f"JupyterLab + the learner's kernel + the warm grader < {d.get('target_mb', 2048) / 1024:g} GB (Binder)"
    if "rss_mb" not in d:
        return (target, "not measured", False), ""
    measured = f"{d['rss_mb']:.0f} MB resident ({d['pss_mb']:.0f} MB proportional)"
    body = (f"A JupyterLab server on 127.0.0.1 with a kernel started through its REST API that has run "
            f"{d['module']}'s solution notebook, and the warm grader that the server started (as `make lab` does), "
            "after one grading; each process counted once. *Resident* sums each "
            "process's RSS (shared pages counted in each); *proportional* sums PSS.\n\n" +
            table(["", "processes", "resident", "proportional"],
                  [[r["part"], r["processes"], f"{r['rss_mb']:.0f} MB", f"{r['pss_mb']:.0f} MB"] for r in d["rows"]]
                  + [["**total**", sum(r["processes"] for r in d["rows"]), f"**{d['rss_mb']:.0f} MB**",
                      f"{d['pss_mb']:.0f} MB"]]))
    return (target, measured, d.get("met")), body


def _grade_button(sec, _):
    d = sec.data
    target = "time from a click on Grade to the result table, reported (no target); beside the command line"
    rows = d.get("rows", [])
    if not rows:
        return (target, "not measured", None), ""
    measured = (f"{d['module']}: click to table {d['button_s']:.1f} s, `python -m autograder grade` of the same "
                f"notebook {d['cli_s']:.1f} s (ratio {d['ratio']:.2f}; medians of {len(rows)})")
    body = (f"A private copy of the kit with the filled {d['module']} exercise, served by the kit's JupyterLab on "
            "127.0.0.1 and driven in headless Chromium (`bench/grade_button.py`, the set-up of "
            "`tests/test_grade_button.py`). Each pair: a click on the notebook's Grade button, timed until the "
            "result table is shown (as the learner waits), the dialog closed; then `python -m autograder grade PATH "
            "--json` of the same notebook in the same grading folder, in the server's environment (so it uses the "
            f"warm grader where one runs). Before the pairs, a first click on the fresh grading folder (not in the "
            f"medians): {s(d.get('first_click_s'), 1)}." +
            (f" Each grading waits {d['pause_s']:g} s first (a learner reads and edits between two; the warm grader "
             "that the server started boots new kernels meanwhile); gradings served with the warm grader's "
             f"pre-started kernels: {d['warm_served']} of {d['gradings']}." if "pause_s" in d else "") + "\n\n" +
            table(["pair", "Grade button: click to table", "command line", "score (button; command line)"],
                  [[i + 1, s(r["button_s"], 1), s(r["cli_s"], 1), f"{r.get('button_score')}; {r.get('cli_score')}"]
                   for i, r in enumerate(rows)]
                  + [["**median**", f"**{d['button_s']:.1f} s**", f"**{d['cli_s']:.1f} s**",
                      f"ratio {d['ratio']:.2f}"]]))
    return (target, measured, None), body


def _dqn(sec, _):
    d = sec.data
    target = (f"the reference agent reaches a greedy test return of {d.get('target_return', 195):g} (of 200) averaged "
              f"over the seeds, each training within {d.get('target_s', 60):g} s on one core")
    rows = d.get("rows", [])
    if not rows:
        return (target, "not measured", False), ""
    measured = (f"mean greedy test return {d['mean_test_return']:.1f} over seeds "
                f"{', '.join(str(r['seed']) for r in rows)} (random policy {d['random_return']:.1f}); slowest "
                f"training {d['slowest_s']:.1f} s")
    body = (f"`bench/dqn.py`: c3w3-dqn's reference agent (`autograder.datasets.c3w3_dqn.train_dqn` with its "
            "default hyper-parameters and the kit's reference loss, soft update, replay sampling and epsilon schedule) "
            f"trained for {d['steps']} environment steps per seed, in a child process pinned to one core with one BLAS "
            "thread. "
            f"*Test return*: the mean return of the trained network's greedy policy over {d['test_episodes']} "
            f"episodes (seeds {d['test_seed']}–{d['test_seed'] + d['test_episodes'] - 1}, at most 200 each); the "
            f"random policy gets {d['random_return']:.1f} on the same episodes. The stated return, "
            f"{d['target_return']:g}, is gym's threshold for “solved” on CartPole-v0. DQN's result varies with the "
            "seed: each seed's row is shown.\n\n" +
            table(["seed", "training time", "its CPU", "episodes", "last 10 training episodes", "greedy test return"],
                  [[r["seed"], s(r["train_s"], 1), s(r["cpu_s"], 1), r["episodes"], f"{r['last10']:.1f}",
                    f"{r['test_return']:.1f}"] for r in rows]
                  + [["**mean**", "", "", "", "", f"**{d['mean_test_return']:.1f}**"]]))
    return (target, measured, d.get("met")), body


def _cohort(sec, _):
    from bench import cohort

    return cohort.render(sec, table, s, yes)


RENDER = {"instant": _instant, "one_module": _one_module, "course": _course, "notebooks": _notebooks,
          "reference": _reference, "setup": _setup, "warm": _warm, "incremental": _incremental, "memory": _memory,
          "grade_button": _grade_button, "dqn": _dqn, "cohort": _cohort}
NAMES = {"instant": "Instant checks", "one_module": "Grading one module", "course": "Grading the whole course",
         "notebooks": "Every notebook", "reference": "Reference implementations vs scikit-learn",
         "setup": "Setup (`make lab` from scratch)", "warm": "The warm grader (issue 16)",
         "incremental": "`make grade` after one change (issue 16)",
         "memory": "Memory of a learner's session (issue 16)",
         "grade_button": "The Grade button in JupyterLab (issue 16)",
         "dqn": "The reference DQN agent of c3w3-dqn (issue 12)",
         "cohort": "Cohort mode: grading through Celery workers (issue 14)"}


def render(meta: dict, sections: dict) -> str:
    m, load0, load1 = meta["machine"], meta["load_start"], meta["load_end"]
    out = [
        "# Benchmarks\n",
        "Written by `bench/run.py` (`make bench`), which measures and rewrites this file; do not edit it by hand. "
        "The test suite makes no timed assertions.\n",
        table(["", ""], [
            ["date", meta["date"]],
            ["command", f"`{meta['command']}`" + (" (run by `make bench`)" if meta.get("via_make") else "")],
            ["mode", meta["mode"]],
            ["runs", meta["runs"]],
            ["duration of the whole run", f"{meta['duration_s'] / 60:.1f} min"],
            ["load average (1, 5, 15 min) at start / at end",
             f"{load0[0]:.2f}, {load0[1]:.2f}, {load0[2]:.2f} / {load1[0]:.2f}, {load1[1]:.2f}, {load1[2]:.2f}"],
            ["CPU", f"{m['cpu']}: {m['cores']} cores ({m['usable_cores']} usable)"],
            ["memory", f"{m['memory_gib']:.1f} GiB" if m.get("memory_gib") else "unknown"],
            ["OS", m["os"]],
            ["Python", m["python"]],
            ["packages", ", ".join(f"{k} {v}" for k, v in m["packages"].items())],
            ["BLAS", m["blas"]],
            ["kit", f"commit {m.get('commit') or '?'}" + (f", with {m['changed_files']} files changed or added "
                                                         f"in the working tree" if m.get("changed_files") else "")],
        ]),
    ]
    if meta.get("load_note"):
        out.append(f"\n{meta['load_note']}\n")
    summaries, bodies = [], []
    for key, section in sections.items():
        try:
            (target, measured, met), body = RENDER[key](section, sections)
        except Exception as exc:  # noqa: BLE001 - a section that cannot be rendered is reported, not fatal
            (target, measured, met), body = ("–", f"failed to report: {exc}", False), ""
        summaries.append([NAMES[key], target, measured, yes(met)])
        failed = "\nItems that failed: " + "; ".join(section.errors) + "\n" if section.errors else ""
        bodies.append(f"## {NAMES[key]}\n\n{body}{failed}\n_Section time: {section.seconds:.0f} s._\n")
    out.append("\n## Summary\n\n" + table(["section", "target", "measured", "met"], summaries))
    out.append("\n" + "\n".join(bodies))
    return "\n".join(out)


BLOCK_START, BLOCK_END = "<!-- bench --update: start -->", "<!-- bench --update: end -->"


def update(existing: str, meta: dict, sections: dict) -> str:
    """`--update`: the report as it was, with the measured sections as one dated block of their own
    (its own summary, conditions and tables), replacing the block of an earlier --update run."""
    m, load0, load1 = meta["machine"], meta["load_start"], meta["load_end"]
    summaries, bodies = [], []
    for key, section in sections.items():
        try:
            (target, measured, met), body = RENDER[key](section, sections)
        except Exception as exc:  # noqa: BLE001
            (target, measured, met), body = ("–", f"failed to report: {exc}", False), ""
        summaries.append([NAMES[key], target, measured, yes(met)])
        failed = "\nItems that failed: " + "; ".join(section.errors) + "\n" if section.errors else ""
        bodies.append(f"### {NAMES[key]}\n\n{body}{failed}\n_Section time: {section.seconds:.0f} s._\n")
    block = "\n".join([
        BLOCK_START,
        f"## Measured later: {', '.join(NAMES[k] for k in sections)}\n",
        f"Measured on {meta['date']} with `{meta['command']}` ({meta['mode']}; {meta['runs']}), kit commit "
        f"{m.get('commit') or '?'}; load average at start / end {load0[0]:.2f}, {load0[1]:.2f}, {load0[2]:.2f} / "
        f"{load1[0]:.2f}, {load1[1]:.2f}, {load1[2]:.2f} on {m['cores']} cores; took "
        f"{meta['duration_s'] / 60:.1f} min.\n",
        (f"{meta['load_note']}\n" if meta.get("load_note") else ""),
        table(["section", "target", "measured", "met"], summaries),
        *bodies,
        BLOCK_END,
    ])
    if BLOCK_START in existing and BLOCK_END in existing:
        before, rest = existing.split(BLOCK_START, 1)
        after = rest.split(BLOCK_END, 1)[1]
        return before + block + after
    return existing.rstrip("\n") + "\n\n" + block + "\n"
