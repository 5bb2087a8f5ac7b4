"""JupyterLab for learners: nbgrader's Validate button stays; the instructor tools are disabled
and locked (formgrader, create assignment, course list, assignment list); the kit's Grade button
is installed (its prebuilt lab extension, autograder/labextension/, put in place in the
environment's labextensions folder, and its server extension, autograder.server_extension, enabled).

The settings are written into the environment's own Jupyter configuration (sys.prefix), the same
place `jupyter labextension disable --level=sys_prefix` and `lock` write, so they hold for every
JupyterLab started from this environment, locally or on Binder.
"""

from __future__ import annotations

import json
import os
import shutil
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

# The Grade button (labextension/ is its source; `make labextension` rebuilds the built copy here).
GRADE_LAB_EXTENSION = "ml-course-kit-grade"
GRADE_LAB_EXTENSION_BUILT = Path(__file__).resolve().parent / "labextension"
GRADE_SERVER_EXTENSION = "autograder.server_extension"


def install_lab_extension(prefix: Path | None = None) -> Path:
    """Put the prebuilt Grade extension where JupyterLab looks for prebuilt extensions:
    <prefix>/share/jupyter/labextensions/ml-course-kit-grade. (An editable install does not.)
    A symbolic link to the package's built copy, so a `git pull` that rebuilds it needs no new
    set-up; a copy where links cannot be made."""
    if not (GRADE_LAB_EXTENSION_BUILT / "package.json").is_file():
        raise FileNotFoundError(f"the Grade button's built extension is missing from {GRADE_LAB_EXTENSION_BUILT} "
                                "(maintainers: `make labextension` builds it)")
    dest = Path(prefix or sys.prefix) / "share" / "jupyter" / "labextensions" / GRADE_LAB_EXTENSION
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.is_symlink() or dest.is_file():
        dest.unlink()
    elif dest.is_dir():
        shutil.rmtree(dest)
    try:
        os.symlink(GRADE_LAB_EXTENSION_BUILT, dest, target_is_directory=True)
    except OSError:
        shutil.copytree(GRADE_LAB_EXTENSION_BUILT, dest)
    return dest

GRADE_LAB_EXTENSION_SOURCE = Path(__file__).resolve().parent.parent / "labextension"
SOURCE_STAMP = "source-sha256"


def lab_extension_source_hash(source: Path = GRADE_LAB_EXTENSION_SOURCE) -> str:
    """The hash of what the built extension is built from (package.json, the lock file,
    tsconfig.json, src/ and style/): `make labextension` writes it beside the built output, and a
    test compares, so a source change without a rebuild does not go unnoticed."""
    import hashlib

    digest = hashlib.sha256()
    files = [source / n for n in ("package.json", "package-lock.json", "tsconfig.json")]
    files += sorted(p for d in ("src", "style") for p in (source / d).rglob("*") if p.is_file())
    for path in files:
        digest.update(path.relative_to(source).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def write_source_stamp() -> Path:
    stamp = GRADE_LAB_EXTENSION_BUILT / SOURCE_STAMP
    stamp.write_text(lab_extension_source_hash() + "\n")
    return stamp


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
    extensions = {n: False for n in INSTRUCTOR_SERVER_EXTENSIONS}
    extensions[GRADE_SERVER_EXTENSION] = True
    server = {"ServerApp": {"jpserver_extensions": extensions}}
    path = etc / "jupyter_server_config.d" / "zz-ml-course-kit.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(server, indent=2) + "\n")
    install_lab_extension(prefix)


# Cohort mode (issue 14): a learner's server on the cohort's hub fetches and submits through
# nbgrader's exchange, so the assignment and course lists stay on; formgrader and
# create-assignment stay the instructor's. Written into a configuration folder of the cohort
# (JUPYTER_CONFIG_PATH of every learner's server), never into this environment.
COHORT_LEARNER_PLUGINS = ["@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list",
                          "@jupyter/nbgrader:menu"]
COHORT_LEARNER_SERVER_EXTENSIONS = ["nbgrader.server_extensions.assignment_list",
                                    "nbgrader.server_extensions.course_list"]


def configure_cohort_learners(folder: Path) -> None:
    def lab(data: dict) -> None:
        for key in ("disabledExtensions", "lockedExtensions"):
            data.setdefault(key, {}).update({name: name not in COHORT_LEARNER_PLUGINS for name in INSTRUCTOR_LAB_PLUGINS})

    _merge_json(folder / "labconfig" / "page_config.json", lab)
    extensions = {n: n in COHORT_LEARNER_SERVER_EXTENSIONS for n in INSTRUCTOR_SERVER_EXTENSIONS}
    _merge_json(folder / "jupyter_server_config.json",
                lambda data: data.setdefault("ServerApp", {}).setdefault("jpserver_extensions", {}).update(extensions))
