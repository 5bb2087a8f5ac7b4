"""The grading folder's disk: writable, with room, and nothing half-written left when it fills up.

Grading writes a few copies of the notebook, the feedback report and the gradebook (well under a
megabyte per module). Before grading, the folder must be writable and its disk must have
`KIT_MIN_FREE_MB` (20 by default) free. If the disk still fills up while grading, every file this
grading created or changed is removed again (the databases excepted: SQLite rolls back its own
unfinished transactions), and the learner reads one paragraph that names the folder and says how
much space to free. The learner's notebook is only ever read.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path
from typing import Iterable, Iterator

from autograder import paths
from autograder.errors import KitError

DEFAULT_MIN_FREE_MB = 20
_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))
_READ_ONLY = (errno.EROFS, errno.EACCES, errno.EPERM)
_FULL_WORDS = ("No space left on device", "database or disk is full", "Disk quota exceeded", "[Errno 28]")
# Files a failed grading may have touched but must keep: the databases (and SQLite's own
# journals, which it needs to roll back), the logs, the lock.
_KEEP_SUFFIXES = (".db", ".sqlite", "-journal", "-wal", "-shm", ".log")


def min_free_bytes() -> int:
    return int(float(os.environ.get("KIT_MIN_FREE_MB", DEFAULT_MIN_FREE_MB)) * 2**20)


def _existing_ancestor(path: Path) -> Path:
    while not path.exists() and path != path.parent:
        path = path.parent
    return path


def free_bytes(path: Path) -> int:
    st = os.statvfs(_existing_ancestor(path))
    return st.f_bavail * st.f_frsize


def _mb(n: int) -> str:
    return f"{n / 2**20:.1f} MB" if n < 10 * 2**20 else f"{n / 2**20:.0f} MB"


def full_disk_error(grading: Path) -> KitError:
    free, need = free_bytes(grading), max(min_free_bytes(), 2**20)
    return KitError(
        f"The disk that holds the grading folder ({grading}) is full: {_mb(free)} free, and grading "
        f"needs about {_mb(need)} (copies of your notebook, the feedback report, the gradebook). "
        f"Free at least {_mb(max(need - free, 2**20))} on that disk (empty the trash, delete large "
        "files you no longer need, `df -h` shows the disks), or set KIT_GRADING_DIR to a folder on "
        "another disk, then grade again. Your notebook was not changed, and nothing half-written "
        "was left in the grading folder.")


def read_only_error(grading: Path, exc: OSError) -> KitError:
    return KitError(
        f"The grading folder ({grading}) cannot be written ({exc.strerror or exc}): grading keeps "
        "its copies of your notebook, the feedback report and the gradebook there. Make it writable "
        "(for a folder of your own: `chmod u+w`), or set KIT_GRADING_DIR to a folder you can write, "
        "e.g. `KIT_GRADING_DIR=~/kit-grading make grade`, then grade again. Your notebook was not "
        "changed.")


def require_room(grading: Path) -> None:
    """Refuse, in one paragraph, a grading folder that cannot be written or whose disk is full."""
    try:
        grading.mkdir(parents=True, exist_ok=True)
        probe = grading / ".write-test"
        probe.write_bytes(b"ok")
        probe.unlink()
    except OSError as exc:
        if exc.errno in _FULL:
            raise full_disk_error(grading) from None
        if exc.errno in _READ_ONLY:
            raise read_only_error(grading, exc) from None
        raise
    if free_bytes(grading) < min_free_bytes():
        raise full_disk_error(grading)


def _chain(exc: BaseException | None) -> Iterator[BaseException]:
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        yield exc
        exc = exc.__cause__ or exc.__context__


def is_full_disk(exc: BaseException, grading: Path) -> bool:
    """An error caused by a full disk: ENOSPC itself, SQLite's or nbgrader's words for it, or any
    failure while the grading folder's disk has (almost) nothing left."""
    for e in _chain(exc):
        if isinstance(e, OSError) and e.errno in _FULL:
            return True
        if any(words in str(e) for words in _FULL_WORDS):
            return True
    try:
        return free_bytes(grading) < 2**20
    except OSError:
        return False


def _files(roots: Iterable[Path]) -> dict[Path, tuple[int, int]]:
    out = {}
    for root in roots:
        for dirpath, _dirs, names in os.walk(root):
            for name in names:
                p = Path(dirpath) / name
                with contextlib.suppress(OSError):
                    st = p.stat()
                    out[p] = (st.st_mtime_ns, st.st_size)
    return out


def _dirs(roots: Iterable[Path], grading: Path) -> set[Path]:
    out = set()
    for root in roots:
        out |= {Path(d) for d, _, _ in os.walk(root)}
        out |= {p for p in root.parents if p.is_relative_to(grading) and p.is_dir()}
    return out


@contextlib.contextmanager
def no_half_files(grading: Path, module_ids: Iterable[str], roots: Iterable[Path] | None = None) -> Iterator[None]:
    """Grade inside this: when the disk fills up, what this grading wrote is removed and the
    learner gets `full_disk_error`. `roots`: the folders this grading may write (its learner's
    folders of its modules); only they are looked at, so a cohort's other learners' files, which
    other gradings write at the same time, are neither walked nor touched. Default: the whole
    grading folder."""
    roots = [grading] if roots is None else list(roots)
    before, dirs_before = _files(roots), _dirs(roots, grading)
    try:
        yield
    except BaseException as exc:
        if isinstance(exc, (KeyboardInterrupt, SystemExit)) or not is_full_disk(exc, grading):
            raise
        for path, stamp in _files(roots).items():
            if before.get(path) != stamp and not path.name.endswith(_KEEP_SUFFIXES) and path.name != ".lock":
                with contextlib.suppress(OSError):
                    path.unlink()
        for module_id in module_ids:  # the assignment is loaded again next time
            with contextlib.suppress(OSError):
                paths.GradingLayout(grading).source_stamp(module_id).unlink()
        for d in sorted(_dirs(roots, grading) - dirs_before, key=lambda p: -len(p.parts)):
            with contextlib.suppress(OSError):
                d.rmdir()  # only empty ones
        raise full_disk_error(grading) from None


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all (a full disk or a killed grader leaves no half file)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.part")
    try:
        with open(part, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(part, path)
    finally:
        part.unlink(missing_ok=True)
