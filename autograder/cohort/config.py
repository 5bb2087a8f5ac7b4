"""Where a cohort's state lives, its ports and URLs: one JSON file, readable by root only.

`Settings.create` writes `<state>/cohort.json` the first time (`cohort up`); every later command,
and every worker, reads it back. Workers on other machines get the same values from the
environment instead (KIT_COHORT_BROKER_URL, KIT_COHORT_DB_URL, ...; see docs/cohort.md).
"""

from __future__ import annotations

import grp
import json
import os
import secrets
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import paths
from autograder.errors import KitError

TOOLS = paths.ROOT / ".cohort"  # the learners' environment and the proxy, shared by every state folder
COURSE_ID = "ml-course-kit"
INSTRUCTORS = "kit-instructors"  # the OS group that shares the course folder with root (cohort up makes it)


def state_dir() -> Path:
    return Path(os.environ.get("KIT_COHORT_DIR") or TOOLS / "state").resolve()


@dataclass
class Settings:
    state: str
    host: str = "127.0.0.1"
    pg_port: int = 54330
    redis_port: int = 63790
    hub_port: int = 8810          # the proxy's public port: learners open http://host:hub_port
    hub_api_port: int = 8811      # the hub itself, behind the proxy
    proxy_api_port: int = 8812
    course_id: str = COURSE_ID
    instructor: str = "instructor"
    db_user: str = "kit"
    db_password: str = field(default_factory=lambda: secrets.token_urlsafe(24))
    hub_token: str = field(default_factory=lambda: secrets.token_hex(32))
    proxy_token: str = field(default_factory=lambda: secrets.token_hex(32))

    # ---- folders -----------------------------------------------------------------------
    @property
    def root(self) -> Path:
        return Path(self.state)

    @property
    def pgdata(self) -> Path:
        return self.root / "postgres"

    @property
    def run(self) -> Path:
        """Sockets and pid files (the Postgres socket folder too)."""
        return self.root / "run"

    @property
    def logs(self) -> Path:
        return self.root / "logs"

    @property
    def exchange(self) -> Path:
        return self.root / "exchange"

    @property
    def course(self) -> Path:
        """The instructor's nbgrader course folder: release copy, collected submissions, feedback."""
        return self.root / "course"

    @property
    def grading(self) -> Path:
        """The kit's grading folder for the cohort (autograded copies, HTML reports)."""
        return self.root / "grading"

    @property
    def homes(self) -> Path:
        return self.root / "homes"

    @property
    def learner_config(self) -> Path:
        """Jupyter configuration every learner's server reads (JUPYTER_CONFIG_PATH)."""
        return self.root / "learner-config"

    @property
    def instructor_config(self) -> Path:
        """The instructor's own Jupyter configuration (JUPYTER_CONFIG_PATH of the instructor's server
        only): formgrader on, the gradebook's URL with its password; the instructor's alone (700/600)."""
        return self.root / "instructor-config"

    @property
    def hub_dir(self) -> Path:
        return self.root / "hub"

    # ---- URLs --------------------------------------------------------------------------
    def db_url(self, database: str = "gradebook") -> str:
        env = os.environ.get("KIT_COHORT_DB_URL") if database == "gradebook" else None
        return env or (f"postgresql+psycopg2://{self.db_user}:{self.db_password}@{self.host}:"
                       f"{self.pg_port}/{database}")

    @property
    def broker_url(self) -> str:
        return os.environ.get("KIT_COHORT_BROKER_URL") or f"redis://{self.host}:{self.redis_port}/0"

    @property
    def hub_url(self) -> str:
        return f"http://{self.host}:{self.hub_port}"

    # ---- the file ----------------------------------------------------------------------
    @property
    def file(self) -> Path:
        return self.root / "cohort.json"

    def save(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        os.chmod(self.root, 0o711)  # learners pass through to the exchange and their homes, list nothing
        fd = os.open(self.file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as handle:
            json.dump(asdict(self), handle, indent=2)

    @classmethod
    def create(cls, **overrides) -> "Settings":
        """The saved settings, with `overrides` (ports, host) applied and saved; new ones if none."""
        root = state_dir()
        file = root / "cohort.json"
        data = json.loads(file.read_text()) if file.exists() else {}
        data.update({k: v for k, v in overrides.items() if v is not None})
        data["state"] = str(root)
        settings = cls(**data)
        settings.save()
        return settings

    @classmethod
    def load(cls) -> "Settings":
        file = state_dir() / "cohort.json"
        if not file.exists():
            raise KitError(f"There is no cohort here yet ({file} does not exist). Start one with "
                           "`make cohort` (or `python -m autograder cohort up`), then run this command again.")
        return cls(**json.loads(file.read_text()))


def instructors_gid() -> int | None:
    """The group id of INSTRUCTORS when it exists and we are root (who can hand files to it)."""
    if os.geteuid() != 0:
        return None
    try:
        return grp.getgrnam(INSTRUCTORS).gr_gid
    except KeyError:
        return None


def share_course(s: Settings) -> None:
    """The course folder (collected submissions, feedback) for root and the instructors' group
    only: group rwx on folders (setgid, so new ones keep the group), rw on files, the folder
    shut to others; the reference solutions (nbgrader's source, which formgrader lists) r-x for the group.
    Without that group (not root): root's, or the user's, alone (700). Run again after nbgrader
    copies files in (its collect keeps the learners' 700 modes)."""
    s.course.mkdir(parents=True, exist_ok=True)
    gid = instructors_gid()
    if gid is None:
        os.chmod(s.course, 0o700)
        os.chmod(paths.SOLUTIONS, 0o700)
        return
    # Only the top folder shuts others out: nbgrader copies files out with their modes (the
    # feedback it releases must stay readable by its learner).
    for folder, _dirs, files in os.walk(s.course):
        os.chown(folder, -1, gid)
        mode = (os.stat(folder).st_mode & 0o777) | 0o2770
        os.chmod(folder, mode & ~0o007 if folder == str(s.course) else mode)
        for name in files:
            path = os.path.join(folder, name)
            if os.path.islink(path):
                continue
            os.chown(path, -1, gid)
            os.chmod(path, (os.stat(path).st_mode & 0o777) | 0o060)
    os.chown(paths.SOLUTIONS, -1, gid)
    os.chmod(paths.SOLUTIONS, 0o750)
