"""One source of truth for versions: requirements.txt; environment.yml (Binder) mirrors it."""

from __future__ import annotations

import re

from autograder import envfile, paths


def test_environment_yml_is_generated_from_requirements():
    assert (paths.ROOT / "environment.yml").read_text() == envfile.render(), \
        "run `make environment.yml` after changing requirements.txt"


def test_every_runtime_package_is_pinned_and_python_is_3_11():
    for pin in envfile.pins():
        assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[\w.+!]+", pin), pin
    names = {p.split("==")[0].lower() for p in envfile.pins()}
    for needed in ("nbgrader", "jupyterlab", "numpy", "pandas", "scikit-learn", "matplotlib"):
        assert needed in names
    assert "  - python=3.11\n" in envfile.render()
    assert [p for p in envfile.pins() if p.startswith("nbgrader==")] == ["nbgrader==0.9.6"]


def test_dev_requirements_add_to_the_runtime_pins():
    lines = (paths.ROOT / "requirements-dev.txt").read_text().splitlines()
    assert "-r requirements.txt" in lines
    assert any(line.startswith("pytest==") for line in lines)
