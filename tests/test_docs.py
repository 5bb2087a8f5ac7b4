"""The README and the docs stay honest: every learner-facing command is documented, the CI entry
point runs the README's test command, and the robustness table names tests that exist."""

from __future__ import annotations

import re

from autograder import paths
from tests import test_robustness

README = (paths.ROOT / "README.md").read_text()
MAKEFILE = (paths.ROOT / "Makefile").read_text()


def documented_targets() -> list[str]:
    return re.findall(r"^([a-zA-Z_.-]+):.*## ", MAKEFILE, flags=re.M)


def test_every_make_target_has_help_and_the_learner_ones_are_in_the_readme():
    targets = documented_targets()
    for needed in ("lab", "grade", "progress", "reset", "test", "exercises", "start-page", "bench", "help"):
        assert needed in targets
    for target in targets:
        if target != "venv":  # an internal step every other target runs
            assert f"make {target}" in README, f"`make {target}` is not in the README"


def test_ci_runs_the_readme_test_command():
    ci = (paths.ROOT / ".ci" / "run").read_text()
    assert "make test" in ci and "make test" in README


def test_robustness_table_names_real_tests():
    table = (paths.ROOT / "docs" / "grading-robustness.md").read_text()
    named = set(re.findall(r"`(test_[a-z_]+)`", table))
    assert len(named) >= 15
    for name in named:
        assert hasattr(test_robustness, name), f"docs name {name}, which does not exist"
    defined = {n for n in dir(test_robustness) if n.startswith("test_")}
    assert defined <= named, f"robustness tests missing from the docs table: {defined - named}"


def test_docs_links_exist():
    for link in re.findall(r"\]\(((?:docs|course)/[^)#]+)\)", README):
        assert (paths.ROOT / link).exists(), link
