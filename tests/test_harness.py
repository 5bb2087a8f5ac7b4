"""The test harness itself: `make test`'s xdist groups keep a group's tests in one worker."""

import subprocess
import sys
import textwrap

from tests.conftest import ROOT


def test_an_xdist_group_runs_in_one_worker_and_sets_its_fixture_up_once(tmp_path):
    """The groups (every module graded once, one cohort, the robustness batch) rely on it; with
    pytest 9 and pytest-xdist 3.8 it silently did not hold until conftest._group_ids."""
    log = tmp_path / "setups.txt"
    (tmp_path / "test_grouped.py").write_text(textwrap.dedent(f'''
        import os, time
        import pytest

        @pytest.fixture(scope="module")
        def shared():
            with open({str(log)!r}, "a") as fh:
                fh.write(os.environ["PYTEST_XDIST_WORKER"] + "\\n")
            time.sleep(0.5)

        group = pytest.mark.xdist_group("one")

        @group
        @pytest.mark.parametrize("n", range(4))
        def test_in_the_group(shared, n):
            time.sleep(0.2)

        @pytest.mark.parametrize("n", range(4))
        def test_alone(n):
            time.sleep(0.2)
        '''))
    done = subprocess.run([sys.executable, "-m", "pytest", "-p", "tests.conftest", "-p", "no:cacheprovider",
                           "-n", "2", "--dist", "loadgroup", "--no-loadscope-reorder", "-q", "-o", "addopts=",
                           "--rootdir", str(tmp_path), str(tmp_path / "test_grouped.py")],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "8 passed" in done.stdout, done.stdout
    assert len(log.read_text().split()) == 1, log.read_text()
