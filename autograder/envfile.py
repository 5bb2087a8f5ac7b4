"""environment.yml (Binder / conda) generated from requirements.txt, the one list of pins."""

from __future__ import annotations

from autograder import paths

PYTHON = "3.11"


def pins() -> list[str]:
    lines = (paths.ROOT / "requirements.txt").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def render() -> str:
    body = "\n".join(f"      - {pin}" for pin in pins())
    return (
        "# Generated from requirements.txt by `make environment.yml`: edit that file, not this one.\n"
        "# Binder builds the kit's environment from this file, then runs postBuild.\n"
        "name: ml-course-kit\n"
        "channels:\n"
        "  - conda-forge\n"
        "dependencies:\n"
        f"  - python={PYTHON}\n"
        "  - pip\n"
        "  - pip:\n"
        f"{body}\n"
    )


def write() -> str:
    path = paths.ROOT / "environment.yml"
    path.write_text(render())
    return f"wrote {path.relative_to(paths.ROOT)} ({len(pins())} pinned packages)"
