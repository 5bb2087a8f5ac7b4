"""Where the kit's grading time goes: `python -m autograder grade NOTEBOOK --json` run in this
process, with timers wrapped around the steps of autograder/grading.py (the kit's code is not
changed: its functions are wrapped from here). One notebook is graded in-process by the kit, so
every step is seen. Writes one JSON object of seconds to OUT.

    python bench/kit_phases.py OUT NOTEBOOK        (KIT_GRADING_DIR set, as for the kit)
"""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(out: str, notebook: str) -> int:
    phases: dict[str, float] = defaultdict(float)
    from autograder import cli, grading, history
    from nbgrader.apps import NbGraderAPI

    phases["start-up: Python, the kit and nbgrader imported"] = time.perf_counter() - STARTED

    def wrap(owner, name: str, label: str) -> None:
        original = getattr(owner, name)

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                phases[label] += time.perf_counter() - started

        setattr(owner, name, timed)

    wrap(grading, "check_databases", "gradebook and history health checks")
    wrap(grading, "ensure_assignment", "assignment already loaded? (sha of the source)")
    wrap(NbGraderAPI, "autograde", "nbgrader autograde (the re-check runs alongside)")
    wrap(grading, "_finish", "waiting for the clean re-check to finish")
    wrap(grading, "_apply_recheck", "applying the re-check's verdicts to the gradebook")
    wrap(NbGraderAPI, "generate_feedback", "nbgrader generate_feedback (HTML report)")
    wrap(grading, "read_result", "reading the results and diagnoses")
    wrap(history, "record", "recording the attempt in the history")
    with contextlib.redirect_stdout(io.StringIO()):
        code = cli.main(["grade", notebook, "--json"])
    total = time.perf_counter() - STARTED
    phases["total"] = total
    phases["other (the CLI, submission checks, report, nbgrader set-up)"] = total - sum(
        v for k, v in phases.items() if k != "total")
    Path(out).write_text(json.dumps({"code": code, "phases": phases}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
