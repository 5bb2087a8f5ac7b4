"""The start page, course/start.ipynb, generated from the syllabus (`make start-page`).

Its links are static Markdown so they work before anything runs; its one code cell shows the
learner's progress per module.
"""

from __future__ import annotations

from autograder import authoring, paths, plan, syllabus

INTRO = """
# {title}

A self-study course in machine learning for software engineers, following the syllabus of the
Machine Learning Specialization. In every module you read the lessons, then implement the
algorithms yourself in numpy in the module's exercise, where each function has a check that
answers at once — a pass, or what went wrong and why.

**How to work through a module**

1. Read its lessons (they run top to bottom: *Run ▸ Run All Cells*).
2. Open its exercise and replace each `raise NotImplementedError()` with your code; run the check
   cell under each function. Then answer its quiz: one question per cell, checked at once.
3. Save, then grade it in a terminal (*File ▸ New ▸ Terminal*): `make grade MODULE=c1w1` prints your
   score per check and writes an HTML feedback report. Grading never changes your notebook.
4. `make progress` shows where you stand across the course.
"""


def render():
    syl = syllabus.load()
    cells = [authoring.md(INTRO.format(title=syl.title)),
             authoring.md("## Your progress\n\nRun the cell below to see your status per module "
                          "(it reads the history that `make grade` keeps)."),
             authoring.code("from autograder.progress import show\nshow()")]
    cells.append(authoring.md(study_plan()))
    for course in syl.courses:
        parts = [f"## {course.title}"]
        for module_id in course.module_ids:
            if module_id in syl.planned:
                parts.append(f"### {module_id} — coming soon")
                continue
            m = syl.module(module_id)
            lessons = "\n".join(f"{i}. [{lesson.title}]({m.id}/{lesson.path.name})"
                                for i, lesson in enumerate(m.lessons, 1))
            funcs = ", ".join(f"`{f.name}`" for f in m.functions)
            parts.append(
                f"### {m.id} — {m.title}\n\n{m.summary}\n\n"
                f"*About {plan.module_hours(m):g} hours; finish first: {', '.join(m.prerequisites) or 'nothing'}.*"
                f"\n\n**Lessons**\n\n{lessons}\n\n"
                + (_project_line(m, funcs) if m.kind == "project" else
                   f"**Exercise:** [{m.id}](../exercises/{m.id}/{m.id}.ipynb) — {funcs} "
                   f"({m.max_score} points). Grade it with `make grade MODULE={m.id}`.")
                + _quiz_line(syl.quiz_of(m.id))
            )
        cells.append(authoring.md("\n\n".join(parts)))
    return authoring.notebook(cells)


def _project_line(m: syllabus.Module, checks: str) -> str:
    return (f"**Your project:** the folder `exercises/{m.id}/`, starting with its notebook "
            f"[{m.id}](../exercises/{m.id}/{m.id}.ipynb). The kit checks the whole folder — {checks} "
            f"({m.max_score} points). Grade it with `make grade MODULE={m.id}`; `make serve` runs your "
            "saved model behind your API.")


def _quiz_line(quiz: syllabus.Module | None) -> str:
    """The module's quiz, once its notebook exists (`make exercises` writes it)."""
    if quiz is None or not quiz.exercise_path.exists():
        return ""
    return (f"\n\n**Quiz:** [{quiz.id}](../exercises/{quiz.id}/{quiz.id}.ipynb) — "
            f"{len(quiz.functions)} questions on the module's ideas ({quiz.max_score} points). Grade it "
            f"with `make grade MODULE={quiz.id}`; `make reset MODULE={quiz.id}` gives you new numbers "
            "to practise again.")


def study_plan() -> str:
    rows = ["| week | module | estimated hours | finish first |", "|---|---|---|---|"]
    weeks = plan.schedule()
    syl = syllabus.load()
    for w in weeks:
        first = syl.module(w.module).lessons[0].path.name
        rows.append(f"| {w.number} | [{w.module}]({w.module}/{first}) {w.title} | {w.hours:g} | "
                    f"{', '.join(w.prerequisites) or '—'} |")
    total = sum(w.hours for w in weeks)
    return (
        "## Study plan\n\n"
        f"One module a week: {len(weeks)} weeks, about {total:g} hours in all, so roughly "
        f"{total / len(weeks):.1f} hours a week. The hours are an estimate counted from the "
        f"notebooks' length (reading at {plan.READING_WPM} words a minute, "
        f"{plan.CODE_CELL_MINUTES:g} minutes per lesson code cell, {plan.EXERCISE_MINUTES_PER_POINT} "
        f"minutes per point of the exercise and {plan.QUIZ_MINUTES_PER_POINT} per point of its quiz); "
        "your own pace will differ. *Finish first* names the "
        "modules whose ideas a module builds on.\n\n"
        "New to derivatives, vectors and matrices, or probability, or rusty? Work through the "
        "[maths refresher](maths-refresher.ipynb) before week 1; the first modules link to it.\n\n"
        + "\n".join(rows)
        + "\n\n`make plan` shows where you stand against this plan, counted from your first "
        "graded attempt; `make plan START=2026-12-07` sets the day your plan starts."
    )


def write() -> str:
    path = paths.COURSE / "start.ipynb"
    authoring.write(render(), path)
    return f"wrote {path.relative_to(paths.ROOT)}"
