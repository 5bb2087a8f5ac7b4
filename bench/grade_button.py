"""The Grade button's time from click to table shown, beside `python -m autograder grade` of the
same notebook, in pairs (issue 16: "the Grade button: time from click to table shown, reported").

    python bench/grade_button.py              # 3 pairs on the filled c1w1
    python bench/grade_button.py --pairs 5

A private copy of the kit with the filled c1w1 exercise (its solution notebook) is served by the
kit's JupyterLab and driven in headless Chromium (tests/test_grade_button.py's set-up). Each pair:
press Grade and wait for the result table (wall time, as the learner waits), close the dialog;
then the command line grades the same notebook into the same grading folder. The ratio of the
medians is what the button adds to (or saves on) the grading itself. Not part of `make bench`
(bench/run.py) yet.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser_support import CHROMIUM, CHROMIUM_ARGS, KIT_BIN, running_lab  # noqa: E402
from tests.test_grade_button import EXERCISE, MODULE, _kit_with_filled_exercise  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pairs", type=int, default=3)
    args = ap.parse_args(argv)
    expect.set_options(timeout=600_000)
    button_s, cli_s = [], []
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
                for i in range(args.pairs):
                    started = time.monotonic()
                    button.click()
                    result = page.locator(".jp-Dialog .ml-kit-grade-result")
                    expect(result).to_be_visible()
                    button_s.append(time.monotonic() - started)
                    score = result.get_attribute("data-score")
                    page.locator(".jp-Dialog").get_by_role("button", name="Close").click()
                    expect(page.locator(".jp-Dialog")).to_have_count(0)

                    started = time.monotonic()
                    proc = subprocess.run([str(KIT_BIN / "python"), "-m", "autograder", "grade",
                                           str(kit / EXERCISE), "--json"], env=server.env, cwd=kit,
                                          capture_output=True, text=True)
                    cli_s.append(time.monotonic() - started)
                    assert proc.returncode == 0, proc.stderr
                    print(f"pair {i + 1}: Grade button {button_s[-1]:.1f} s (score {score}), "
                          f"python -m autograder grade {cli_s[-1]:.1f} s", flush=True)
            finally:
                browser.close()
    b, c = statistics.median(button_s), statistics.median(cli_s)
    print(f"median over {args.pairs} pairs: click to table {b:.1f} s; command line {c:.1f} s; "
          f"ratio {b / c:.2f} (load average at the end {os.getloadavg()[0]:.1f} on "
          f"{len(os.sched_getaffinity(0))} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
