"""Set up bare nbgrader's throw-away course folder: `generate_assignment MODULE --force` for each
module, done with nbgrader's own API in one process (one nbgrader import instead of one per
module; the result is the same as the command's). Prints one JSON object: module -> "ok" or error.

    python bench/bare_setup.py COURSE_FOLDER MODULE [MODULE ...]
"""

from __future__ import annotations

import json
import sys


def main(root: str, module_ids: list[str]) -> int:
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory
    from traitlets.config import Config

    config = Config()
    config.CourseDirectory.root = root
    api = NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)
    out = {}
    for module_id in module_ids:
        try:
            result = api.generate_assignment(module_id, force=True, create=True)
            if result.get("success"):
                out[module_id] = "ok"
            else:
                log = (result.get("log") or "") + (result.get("error") or "")
                out[module_id] = "generate_assignment failed: " + " ".join(log.strip().splitlines()[-2:])[:300]
        except Exception as exc:  # noqa: BLE001 - reported per module
            out[module_id] = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
