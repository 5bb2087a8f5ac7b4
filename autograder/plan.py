"""The study plan: an estimate of the hours each module takes, a schedule of one module a week, prerequisites,
and where the learner stands against it.

The hours are an estimate counted from the notebooks themselves, not a measurement of anybody's
pace: reading the Markdown at READING_WPM words a minute, CODE_CELL_MINUTES for each lesson code
cell (run it, read what it prints, try a change), and EXERCISE_MINUTES_PER_POINT for each point of
the graded exercise (points follow the difficulty of the functions), and QUIZ_MINUTES_PER_POINT
for each point of the module's quiz. The schedule gives each
module one week, in syllabus order. The plan starts on the date the learner sets
(`python -m autograder plan --start YYYY-MM-DD`) or else on the day of their first graded attempt.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from autograder import cells, history, paths, syllabus
from autograder.errors import KitError

READING_WPM = 100
CODE_CELL_MINUTES = 1.5
EXERCISE_MINUTES_PER_POINT = 15
QUIZ_MINUTES_PER_POINT = 4  # a quiz question: read it, work it out on paper, answer, read why


def _words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9]+", text))


def notebook_minutes(path: Path, per_code_cell: float = CODE_CELL_MINUTES) -> float:
    nb = json.loads(path.read_text(encoding="utf-8"))
    words = sum(_words(cells.source(c)) for c in nb["cells"] if c["cell_type"] == "markdown")
    code = sum(1 for c in nb["cells"] if c["cell_type"] == "code")
    return words / READING_WPM + code * per_code_cell


def module_hours(module: syllabus.Module) -> float:
    """The estimated hours of a module's lessons and exercise, rounded up to a half hour."""
    minutes = sum(notebook_minutes(lesson.path) for lesson in module.lessons)
    minutes += notebook_minutes(module.exercise_path, per_code_cell=0)  # its reading
    minutes += module.max_score * EXERCISE_MINUTES_PER_POINT
    quiz = syllabus.load().quiz_of(module.id)
    if quiz is not None:  # the module's quiz is part of its week
        minutes += quiz.max_score * QUIZ_MINUTES_PER_POINT
    return math.ceil(minutes / 30) / 2


@dataclass(frozen=True)
class Week:
    number: int
    module: str
    title: str
    hours: float
    prerequisites: tuple[str, ...]


def schedule() -> list[Week]:
    """One module a week, in syllabus order (the course's twelve weeks, and a week for each module added since)."""
    return [Week(i, m.id, m.title, module_hours(m), m.prerequisites)
            for i, m in enumerate(syllabus.load().modules, 1)]


# ---------------------------------------------------------------------------------------------
# Where the learner stands.


def _start_file(grading: Path) -> Path:
    return paths.GradingLayout(grading).root / "plan.json"


def set_start(date_text: str, grading: Path | None = None) -> dt.date:
    try:
        start = dt.date.fromisoformat(date_text)
    except ValueError:
        raise KitError(f"'{date_text}' is not a date: give the day your plan starts as YYYY-MM-DD, "
                       "for example `python -m autograder plan --start 2026-12-07`.") from None
    path = _start_file(grading or paths.grading_dir())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"start": start.isoformat()}) + "\n", encoding="utf-8")
    return start


def start_date(grading: Path) -> tuple[dt.date | None, str]:
    """The plan's first day and where it comes from ("set" or "first graded attempt")."""
    path = _start_file(grading)
    if path.exists():
        try:
            return dt.date.fromisoformat(json.loads(path.read_text(encoding="utf-8"))["start"]), "set"
        except (ValueError, KeyError, TypeError):
            pass  # a damaged file: fall back on the history
    tries = history.attempts(grading)
    if tries:
        return dt.date.fromisoformat(min(a.graded_at for a in tries)[:10]), "first graded attempt"
    return None, ""


@dataclass(frozen=True)
class Standing:
    start: str | None  # ISO date
    started_by: str  # "set" | "first graded attempt" | ""
    week: int | None  # the plan's week today (1-based), None before the plan starts
    planned_module: str | None  # the module the plan has for this week
    current_module: str | None  # the first module not passed yet (None: all passed)
    weeks_ahead: int | None  # > 0 ahead of the plan, < 0 behind

    def sentence(self) -> str:
        if self.start is None:
            return ("Study plan: it starts with your first graded attempt (or set a start date: "
                    "`python -m autograder plan --start YYYY-MM-DD`).")
        if self.current_module is None:
            return f"Study plan (from {self.start}): every module passed. Well done."
        if self.week is None:
            return f"Study plan: starts on {self.start}; week 1 is {self.planned_module}."
        total = len(syllabus.load().modules)
        week = (f"week {self.week} of {total}, planned: {self.planned_module}" if self.week <= total
                else f"week {self.week}, past the plan's {total} weeks")
        if self.weeks_ahead is None or self.weeks_ahead == 0:
            pace = "on track"
        elif self.weeks_ahead > 0:
            pace = f"{self.weeks_ahead} week{'s' * (self.weeks_ahead != 1)} ahead"
        else:
            pace = f"{-self.weeks_ahead} week{'s' * (self.weeks_ahead != -1)} behind"
        return (f"Study plan (from {self.start}, {self.started_by}): {week}; you are on "
                f"{self.current_module}, {pace}.")


def standing(passed: dict[str, bool], grading: Path | None = None,
             today: dt.date | None = None) -> Standing:
    """`passed` maps module id -> whether the learner has passed it (progress.compute)."""
    grading = grading or paths.grading_dir()
    today = today or dt.date.today()
    order = [m.id for m in syllabus.load().modules]
    current = next((mid for mid in order if not passed.get(mid)), None)
    start, how = start_date(grading)
    if start is None:
        return Standing(None, "", None, order[0], current, None)
    if today < start:
        return Standing(start.isoformat(), how, None, order[0], current, None)
    week = (today - start).days // 7 + 1
    planned = order[week - 1] if week <= len(order) else None
    # Weeks ahead: how many modules past this week's the learner's current module is.
    ahead = None if current is None else order.index(current) - (week - 1)
    return Standing(start.isoformat(), how, week, planned, current, ahead)
