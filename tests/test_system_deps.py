"""`make test` sets up what its tests need from the system (scripts/ensure-system-deps.sh):
Debian's Chromium, installed with apt-get where no password is needed, or else one paragraph that
says what to install and a non-zero exit before any test runs. apt-get, id and sudo are stand-ins
on PATH here, so nothing is installed."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

from autograder import paths

SCRIPT = paths.ROOT / "scripts" / "ensure-system-deps.sh"


def fake(folder: Path, name: str, body: str) -> None:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)


def run(tmp_path: Path, uid: int, sudo: str | None, apt: str | None) -> subprocess.CompletedProcess:
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    fake(bin_, "id", f"echo {uid}")
    if sudo is not None:
        fake(bin_, "sudo", sudo)
    if apt is not None:
        fake(bin_, "apt-get", apt)
    for tool in ("env", "mktemp", "tail", "rm", "true", "touch", "chmod"):  # what the script uses, and nothing else
        os.symlink(shutil.which(tool), bin_ / tool)
    env = {"PATH": str(bin_), "KIT_CHROMIUM": str(tmp_path / "chromium"), "TMPDIR": str(tmp_path),
           "CALLS": str(tmp_path / "calls")}
    return subprocess.run(["/bin/bash", str(SCRIPT)], env=env, capture_output=True, text=True, timeout=60)


APT_OK = 'echo "$@" >> "$CALLS"; case "$*" in *install*) touch "$KIT_CHROMIUM"; chmod +x "$KIT_CHROMIUM";; esac'


def test_present_chromium_is_left_alone(tmp_path):
    (tmp_path / "chromium").write_text("")
    (tmp_path / "chromium").chmod(0o755)
    proc = run(tmp_path, uid=1000, sudo=None, apt="exit 1")
    assert proc.returncode == 0 and proc.stderr == ""


def test_root_installs_it_with_apt_get(tmp_path):
    proc = run(tmp_path, uid=0, sudo=None, apt=APT_OK)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "calls").read_text().splitlines() == ["update -q", "install -y -q chromium"]


def test_passwordless_sudo_installs_it(tmp_path):
    proc = run(tmp_path, uid=1000, sudo='[ "$1" = -n ] && shift && exec "$@"', apt=APT_OK)
    assert proc.returncode == 0, proc.stderr
    assert "install -y -q chromium" in (tmp_path / "calls").read_text()


def test_without_root_or_sudo_it_says_what_to_install_and_stops(tmp_path):
    for sudo in (None, "exit 1"):  # no sudo at all, or one that wants a password
        proc = run(tmp_path, uid=1000, sudo=sudo, apt=APT_OK)
        assert proc.returncode != 0
        assert "sudo apt-get install chromium" in proc.stderr and "No test was run" in proc.stderr
        assert "\n\n" not in proc.stderr.strip()  # one paragraph
        assert not (tmp_path / "calls").exists()
        for p in (tmp_path / "bin").iterdir():
            p.unlink()
        (tmp_path / "bin").rmdir()


def test_a_failing_apt_get_is_explained(tmp_path):
    proc = run(tmp_path, uid=0, sudo=None, apt='echo "E: Unable to locate package chromium" >&2; exit 100')
    assert proc.returncode != 0
    assert "Unable to locate package chromium" in proc.stderr and "sudo apt-get install chromium" in proc.stderr
