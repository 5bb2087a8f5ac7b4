"""Binder's set-up, reproduced as far as a machine without Docker can: a fresh environment from
environment.yml's pins, then the repository's postBuild, then JupyterLab for a learner.

Binder builds a conda environment with `python=3.11` and pip-installs the pinned list, runs
`postBuild` in the repository, and starts `jupyter lab`. Here a fresh virtualenv of Python 3.11
stands in for the conda environment; everything else is the same files Binder uses.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
import yaml

from tests.browser_support import (ROOT, assert_learner_extensions,
                                   assert_server_serves_learner_only, copy_kit, isolated_env,
                                   running_lab)

pytestmark = pytest.mark.slow

# Installed by `python -m venv` or by postBuild, not by the pinned list.
NOT_PINNED = {"pip", "setuptools", "wheel", "ml-course-kit"}


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _environment() -> tuple[str, list[str]]:
    """(the python requirement, the pip pins) of environment.yml, checked for shape."""
    data = yaml.safe_load((ROOT / "environment.yml").read_text())
    deps = data["dependencies"]
    pythons = [d for d in deps if isinstance(d, str) and re.match(r"python\b", d)]
    assert pythons == ["python=3.11"], f"environment.yml must pin python=3.11, has {pythons}"
    assert "pip" in deps, "environment.yml must list pip for its pip section"
    pip_sections = [d["pip"] for d in deps if isinstance(d, dict) and "pip" in d]
    assert len(pip_sections) == 1, "environment.yml must have one pip section"
    pins = pip_sections[0]
    assert pins, "environment.yml's pip section is empty"
    for pin in pins:
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_.\-]*==[0-9][\w.+!]*", pin), \
            f"environment.yml: {pin!r} is not pinned with =="
    names = [_norm(p.split("==")[0]) for p in pins]
    assert len(names) == len(set(names)), "environment.yml pins a package twice"
    return pythons[0], pins


def _python311() -> str:
    """The Python 3.11 interpreter the kit's own virtualenv was made from, else python3.11."""
    candidates = [getattr(sys, "_base_executable", None), shutil.which("python3.11")]
    for exe in filter(None, candidates):
        proc = subprocess.run([exe, "-c", "import sys; print(sys.version_info[:2] == (3, 11))"],
                              capture_output=True, text=True)
        if proc.returncode == 0 and proc.stdout.strip() == "True":
            return exe
    pytest.fail("environment.yml pins python=3.11, and no Python 3.11 was found to reproduce "
                "Binder's environment (looked at the kit venv's base interpreter and python3.11 on PATH)")


def _run(args, *, env, cwd=None, timeout=900) -> subprocess.CompletedProcess:
    proc = subprocess.run(args, env=env, cwd=cwd, capture_output=True, text=True, timeout=timeout)
    assert proc.returncode == 0, \
        f"{' '.join(map(str, args))} failed ({proc.returncode}):\n{proc.stdout[-4000:]}\n{proc.stderr[-4000:]}"
    return proc


def test_binder_environment_and_postbuild_give_a_learner_lab(tmp_path):
    _, pins = _environment()

    home = tmp_path / "home"
    venv = tmp_path / "binder-env"
    bindir = venv / "bin"
    env = isolated_env(home, bindir)
    # HOME is a fresh folder, as on Binder; pip keeps reading this machine's own configuration
    # (its index or wheel mirror may be set in ~/.config/pip), found through XDG_CONFIG_HOME.
    env["XDG_CONFIG_HOME"] = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")

    # 1. The environment: Python 3.11 and exactly environment.yml's pip list (with dependencies,
    #    as conda's pip step installs it).
    started = time.monotonic()
    _run([_python311(), "-m", "venv", str(venv)], env=env)
    (tmp_path / "binder-requirements.txt").write_text("\n".join(pins) + "\n")
    # --no-compile: the same packages and files, without pip byte-compiling all ~10,000 modules
    # (about 40 s of CPU, a quarter of this test); what JupyterLab imports below compiles as it loads.
    _run([str(bindir / "python"), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
          "--no-compile", "-r", str(tmp_path / "binder-requirements.txt")], env=env)
    build_seconds = time.monotonic() - started
    print(f"\nBinder environment ({len(pins)} pinned packages) built in {build_seconds:.0f} s")

    # The pinned list is complete and consistent: pip installed nothing unpinned, every pin at
    # its version, and no package's requirements are broken.
    _run([str(bindir / "python"), "-m", "pip", "check"], env=env)
    freeze = _run([str(bindir / "python"), "-m", "pip", "list", "--format=freeze",
                   "--disable-pip-version-check"], env=env).stdout
    installed = {_norm(n): v for n, v in (line.split("==") for line in freeze.split() if "==" in line)}
    wanted = {_norm(p.split("==")[0]): p.split("==")[1] for p in pins}
    unpinned = sorted(set(installed) - set(wanted) - NOT_PINNED)
    assert not unpinned, f"Binder would install packages environment.yml does not pin: {unpinned}"
    wrong = {n: (installed.get(n), v) for n, v in wanted.items() if installed.get(n) != v}
    assert not wrong, f"installed version differs from the pin (installed, pinned): {wrong}"

    # 2. postBuild, run as Binder runs it: from a checkout of the repository.
    kit = copy_kit(tmp_path / "repo")
    started = time.monotonic()
    _run([str(kit / "postBuild")], env=env, cwd=kit)
    print(f"postBuild ran in {time.monotonic() - started:.0f} s")

    # The kit's package is importable from the environment, from this checkout.
    proc = _run([str(bindir / "python"), "-c",
                 "import autograder, autograder.checks.c1w1; print(autograder.__file__)"],
                env=env, cwd=tmp_path)
    assert Path(proc.stdout.strip()).resolve().is_relative_to(kit.resolve()), proc.stdout

    # The learner's JupyterLab: instructor tools disabled and locked, Validate enabled.
    assert_learner_extensions(bindir, env)

    # 3. JupyterLab starts from the environment and serves the course.
    # No grading here; the server's start of the warm grader is tests/test_warm_grader.py's.
    with running_lab(bindir, kit, home, cwd=kit, warm_grader=False) as server:
        assert_server_serves_learner_only(server)
        status, body = server.api("/api/contents/exercises/c1w1/c1w1.ipynb?content=0")
        assert status == 200, (status, body)
        status, body = server.api("/api/kernelspecs")
        assert status == 200 and b'"python3"' in body, (status, body)
    assert server.proc.returncode is not None
