"""The Grade button's time from click to table shown, beside `python -m autograder grade` of the
same notebook, in pairs (issue 16: "the Grade button: time from click to table shown, reported").

    python bench/grade_button.py              # 3 pairs on the filled c1w1
    python bench/grade_button.py --pairs 5

A private copy of the kit with the filled c1w1 exercise (its solution notebook) is served by the
kit's JupyterLab and driven in headless Chromium (tests/test_grade_button.py's set-up). Each pair:
press Grade and wait for the result table (wall time, as the learner waits), close the dialog;
then the command line grades the same notebook into the same grading folder. Before each grading
the bench waits PAUSE seconds, as bench/warm.py does (a learner reads the result and edits between
two gradings): the warm grader the server started (warm.start_with_server) boots new kernels after
each grading, and back-to-back gradings would find them not yet ready. How many gradings the warm
grader served with its pre-started kernels is read from its warm.log and reported. A first click before
the pairs (the first grading of the fresh grading folder) is reported on its own. The ratio of the
medians is what the button adds to (or saves on) the grading itself. The `grade_button` section
of `make bench` (bench/run.py): reported, no target.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.warm import PAUSE  # noqa: E402 - seconds before each grading, as in the warm section

PAIRS, QUICK_PAIRS = 3, 1


def measure(pairs: int, say=print) -> dict:
    """`pairs` alternations of a click on Grade (to the result table) and a command-line grading."""
    from playwright.sync_api import expect, sync_playwright

    from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, KIT_BIN, running_lab
    from tests.test_grade_button import EXERCISE, MODULE, _kit_with_filled_exercise

    expect.set_options(timeout=600_000)
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-grade-button-") as tmp:
        kit, home = _kit_with_filled_exercise(Path(tmp))
        with running_lab(KIT_BIN, kit, home, cwd=kit) as server, sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.set_default_timeout(600_000)
                page.goto(server.page(f"/lab/tree/{EXERCISE}"))
                panel = page.get_by_role("tabpanel", name=f"{MODULE}.ipynb")
                button = panel.locator("button.ml-kit-grade-button")
                expect(button).to_be_visible()

                def click() -> tuple[float, str | None]:
                    started = time.monotonic()
                    button.click()
                    result = page.locator(".jp-Dialog .ml-kit-grade-result")
                    expect(result).to_be_visible()
                    took = time.monotonic() - started
                    score = result.get_attribute("data-score")
                    page.locator(".jp-Dialog").get_by_role("button", name="Close").click()
                    expect(page.locator(".jp-Dialog")).to_have_count(0)
                    return took, score

                first_s, first_score = click()  # the first grading of a fresh grading folder: not in the pairs
                say(f"first click (fresh grading folder): {first_s:.1f} s (score {first_score})")
                for i in range(pairs):
                    time.sleep(PAUSE)
                    button_s, score = click()

                    time.sleep(PAUSE)
                    started = time.monotonic()
                    proc = subprocess.run([str(KIT_BIN / "python"), "-m", "autograder", "grade",
                                           str(kit / EXERCISE), "--json"], env=server.env, cwd=kit,
                                          capture_output=True, text=True)
                    cli_s = time.monotonic() - started
                    if proc.returncode != 0:
                        tail = " | ".join((proc.stderr or proc.stdout).strip().splitlines()[-3:])
                        raise RuntimeError(f"python -m autograder grade exited {proc.returncode}: {tail[:300]}")
                    cli_score = ", ".join(f"{n['score']:g} / {n['max_score']:g}"
                                          for n in json.loads(proc.stdout)["notebooks"])
                    rows.append({"button_s": button_s, "cli_s": cli_s, "button_score": score, "cli_score": cli_score})
                    say(f"pair {i + 1}: Grade button {button_s:.1f} s (score {score}), "
                        f"python -m autograder grade {cli_s:.1f} s (score {cli_score})")
                warm_log = Path(server.env["KIT_GRADING_DIR"]) / "warm.log"
                served = re.findall(r"pre-started kernels used: (\d+) nbgrader, (\d+) re-check",
                                    warm_log.read_text() if warm_log.exists() else "")
            finally:
                browser.close()
    b, c = statistics.median(r["button_s"] for r in rows), statistics.median(r["cli_s"] for r in rows)
    return {"module": MODULE, "pairs": pairs, "rows": rows, "first_click_s": first_s, "first_score": first_score,
            "pause_s": PAUSE, "gradings": 2 * pairs + 1,
            "warm_served": sum(1 for n, r in served if int(n) and int(r)),
            "button_s": b, "cli_s": c, "ratio": b / c,
            "load_end": os.getloadavg()[0], "cores": len(os.sched_getaffinity(0))}


def run(quick: bool):
    """The bench section."""
    from bench.common import Section, log

    section = Section("grade_button", "The Grade button (issue 16)")
    pairs = QUICK_PAIRS if quick else PAIRS
    log(f"grade_button: {pairs} pair(s) of a click on Grade in headless Chromium and a command-line grading")
    section.data = measure(pairs, say=lambda m: log(f"grade_button: {m}"))
    return section


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=PAIRS)
    args = ap.parse_args(argv)
    d = measure(args.pairs, say=lambda m: print(m, flush=True))
    print(f"median over {args.pairs} pairs: click to table {d['button_s']:.1f} s; command line {d['cli_s']:.1f} s; "
          f"ratio {d['ratio']:.2f} (load average at the end {d['load_end']:.1f} on {d['cores']} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
