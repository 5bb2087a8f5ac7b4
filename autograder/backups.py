"""Backups of the learner's notebooks: nothing the kit does replaces one without keeping a copy.

Backups go to `backups/<module>/<name>-<YYYYmmdd-HHMMSS>.ipynb` in the kit's folder (git-ignored).
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from autograder import paths


def backup_dir() -> Path:
    return paths.ROOT / "backups"


def backup(path: Path, module_id: str, root: Path | None = None) -> Path:
    folder = (root or backup_dir()) / module_id
    folder.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    dest = folder / f"{path.stem}-{stamp}{path.suffix}"
    n = 1
    while dest.exists():  # two backups in one second
        n += 1
        dest = folder / f"{path.stem}-{stamp}-{n}{path.suffix}"
    shutil.copy2(path, dest)
    return dest
