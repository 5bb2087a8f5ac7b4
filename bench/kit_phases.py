"""Where the kit's grading time goes: one notebook graded in this process through the kit's public
API (`grading.grade`), with the steps that autograder/grading.py records in each result's
`timings`. Writes one JSON object of seconds to OUT.

    python bench/kit_phases.py OUT NOTEBOOK        (KIT_GRADING_DIR set, as for the kit)
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STARTED = time.perf_counter()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(out: str, notebook: str) -> int:
    from nbgrader.apps import NbGraderAPI  # noqa: F401 - imported by the kit's grading anyway

    from autograder import grading, submission

    phases = {"start-up: Python, the kit and nbgrader imported": time.perf_counter() - STARTED}
    sub = submission.resolve(notebook)
    started = time.perf_counter()
    result = grading.grade([sub]).notebooks[0]
    graded = time.perf_counter() - started
    phases.update(result.timings)
    phases["rest: health checks, nbgrader set-up, history"] = graded - sum(result.timings.values())
    phases["total"] = time.perf_counter() - STARTED
    Path(out).write_text(json.dumps({"code": 0, "phases": phases}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
