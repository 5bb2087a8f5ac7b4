"""Warm a kit grading folder (KIT_GRADING_DIR) as an earlier grading would have: load each
module's assignment into the gradebook. Prints one JSON object: module id -> "ok" or the error.

    python bench/warm_kit.py MODULE [MODULE ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from autograder import grading, nbgrader_setup, paths, syllabus  # noqa: E402


def main(module_ids: list[str]) -> int:
    folder = paths.grading_dir()
    syl = syllabus.load()
    out = {}
    with grading.locked(folder):
        api = nbgrader_setup.api(folder)
        for module_id in module_ids:
            try:
                grading.ensure_assignment(api, syl.module(module_id), folder)
                out[module_id] = "ok"
            except Exception as exc:  # noqa: BLE001 - reported per module
                out[module_id] = " ".join(f"{type(exc).__name__}: {exc}".split())[:300]
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
