"""Where bare nbgrader's time goes, measured inside one process: importing nbgrader, then
`autograde` and `generate_feedback` of one module through nbgrader's API, on bare nbgrader's
throw-away course folder. Prints one JSON object of seconds.

    python bench/steps.py COURSE_FOLDER MODULE
"""

from __future__ import annotations

import json
import sys
import time


def main(root: str, module_id: str) -> int:
    t0 = time.perf_counter()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    t1 = time.perf_counter()
    config = Config()
    config.CourseDirectory.root = root
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    t2 = time.perf_counter()
    graded = api.autograde(module_id, "learner", force=True, create=True)
    t3 = time.perf_counter()
    feedback = api.generate_feedback(module_id, "learner", force=True)
    t4 = time.perf_counter()
    if not (graded.get("success") and feedback.get("success")):
        print(json.dumps({"error": ((graded.get("error") or "") + (feedback.get("error") or ""))[-300:]}))
        return 1
    print(json.dumps({"import": t1 - t0, "autograde": t3 - t2, "feedback": t4 - t3}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
