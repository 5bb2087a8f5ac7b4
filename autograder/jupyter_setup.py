"""JupyterLab for learners: nbgrader's Validate button stays; the instructor tools are disabled
and locked (formgrader, create assignment, course list, assignment list).

The settings are written into the environment's own Jupyter configuration (sys.prefix), the same
place `jupyter labextension disable --level=sys_prefix` and `lock` write, so they hold for every
JupyterLab started from this environment, locally or on Binder.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

INSTRUCTOR_LAB_PLUGINS = [
    "@jupyter/nbgrader:formgrader",
    "@jupyter/nbgrader:create-assignment",
    "@jupyter/nbgrader:course-list",
    "@jupyter/nbgrader:assignment-list",
    "@jupyter/nbgrader:menu",  # its items all belong to the plugins above: an empty menu otherwise
]
INSTRUCTOR_SERVER_EXTENSIONS = [
    "nbgrader.server_extensions.formgrader",
    "nbgrader.server_extensions.assignment_list",
    "nbgrader.server_extensions.course_list",
]


def _merge_json(path: Path, update) -> None:
    data = json.loads(path.read_text()) if path.exists() else {}
    update(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")


def configure(prefix: Path | None = None) -> None:
    etc = Path(prefix or sys.prefix) / "etc" / "jupyter"

    def lab(data: dict) -> None:
        for key in ("disabledExtensions", "lockedExtensions"):
            data.setdefault(key, {}).update({name: True for name in INSTRUCTOR_LAB_PLUGINS})

    _merge_json(etc / "labconfig" / "page_config.json", lab)

    # No "get notified about Jupyter news?" pop-up: the kit is offline-friendly and quiet.
    def no_news(data: dict) -> None:
        data.setdefault("@jupyterlab/apputils-extension:notification", {})["fetchNews"] = "false"

    _merge_json(Path(prefix or sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json", no_news)
    # Files in jupyter_server_config.d load in name order: this one comes after nbgrader's own.
    server = {"ServerApp": {"jpserver_extensions": {n: False for n in INSTRUCTOR_SERVER_EXTENSIONS}}}
    path = etc / "jupyter_server_config.d" / "zz-ml-course-kit.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(server, indent=2) + "\n")
