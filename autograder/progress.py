"""Where the learner stands: one row per module in syllabus order (and one per quiz, after its
module's), from the grading history, and
the reference solutions the learner asked to see (`show_solution`).

A viewed function gets one of three labels, from its first view and its first passing check:

- "solved after viewing the solution": the function's check passed for the first time in an
  attempt graded at or after its first view (the same second counts as after);
- "solved before viewing the solution": its check had passed in an earlier attempt;
- "solution viewed, not solved yet": no attempt has passed its check.

So a function solved by the learner stays theirs even if they look at the reference later, and
breaking a solved function and fixing it again after a view does not change its label.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import history, paths, plan, syllabus


SOLVED_AFTER_VIEWING = "solved after viewing the solution"
SOLVED_BEFORE_VIEWING = "solved before viewing the solution"
VIEWED_NOT_SOLVED = "solution viewed, not solved yet"


@dataclass(frozen=True)
class ViewedSolution:
    function: str
    status: str  # one of the three labels above
    first_viewed: str  # ISO 8601, local time
    views: int
    first_passed: str | None  # when its check first passed, if it has


def viewed_solutions(module: syllabus.Module, tries: list[history.Attempt],
                     views: list[history.SolutionView]) -> list[ViewedSolution]:
    """The label of every function of `module` whose solution was viewed (in syllabus order)."""
    out = []
    for f in module.functions:
        mine = sorted(v.viewed_at for v in views if v.module == module.id and v.function == f.name)
        if not mine:
            continue
        passed = [a.graded_at for a in tries
                  if any(t.get("grade_id") == f.test_id and t.get("passed") for t in a.tests)]
        first_passed = min(passed) if passed else None
        if first_passed is None:
            status = VIEWED_NOT_SOLVED
        elif first_passed >= mine[0]:
            status = SOLVED_AFTER_VIEWING
        else:
            status = SOLVED_BEFORE_VIEWING
        out.append(ViewedSolution(function=f.name, status=status, first_viewed=mine[0], views=len(mine),
                                  first_passed=first_passed))
    return out


@dataclass(frozen=True)
class ModuleProgress:
    module: str
    title: str
    status: str  # "not started" | "in progress" | "passed"
    best: float | None
    latest: float | None
    max_score: float
    attempts: int
    last_graded: str | None
    solutions_viewed: list[ViewedSolution] = field(default_factory=list)
    kind: str = "exercise"  # or "quiz": a module's quiz has its own row, after the module's


@dataclass(frozen=True)
class Progress:
    modules: list[ModuleProgress]
    plan: "plan.Standing | None" = None  # where the learner stands against the study plan

    @property
    def score(self) -> float:
        return sum(m.best or 0 for m in self.modules)

    @property
    def max_score(self) -> float:
        return sum(m.max_score for m in self.modules)

    @property
    def passed(self) -> int:
        """Modules passed (their exercise at full marks); quizzes are counted apart."""
        return sum(m.status == "passed" for m in self.modules if m.kind != "quiz")

    @property
    def module_count(self) -> int:
        return sum(m.kind != "quiz" for m in self.modules)

    @property
    def quizzes_passed(self) -> int:
        return sum(m.status == "passed" for m in self.modules if m.kind == "quiz")

    @property
    def quiz_count(self) -> int:
        return sum(m.kind == "quiz" for m in self.modules)

    def passed_sentence(self) -> str:
        text = f"{self.passed} of {self.module_count} modules passed"
        if self.quiz_count:
            text += f", {self.quizzes_passed} of {self.quiz_count} quizzes"
        return text


def compute(grading: Path | None = None, learner: str | None = None) -> Progress:
    """`learner`: one learner's progress in a cohort's grading folder (default: every row, which
    on a self-learner's machine are all the one learner's)."""
    grading = grading or paths.grading_dir()
    by_module: dict[str, list[history.Attempt]] = {}
    for a in history.attempts(grading, learner=learner):
        by_module.setdefault(a.module, []).append(a)
    views = history.solution_views(grading, learner=learner)
    rows = []
    for m in syllabus.load().assignments:  # each module, then its quiz
        tries = by_module.get(m.id, [])
        best = max((a.score for a in tries), default=None)
        if not tries:
            status = "not started"
        elif best is not None and best >= m.max_score:
            status = "passed"
        else:
            status = "in progress"
        rows.append(ModuleProgress(
            module=m.id, title=m.title, status=status, best=best,
            latest=tries[-1].score if tries else None, max_score=float(m.max_score),
            attempts=len(tries), last_graded=tries[-1].graded_at if tries else None,
            solutions_viewed=viewed_solutions(m, tries, views), kind=m.kind,
        ))
    standing = plan.standing({r.module: r.status == "passed" for r in rows if r.kind != "quiz"}, grading)
    return Progress(rows, standing)


def _num(x: float | None) -> str:
    return "-" if x is None else f"{x:g}"


def table(p: Progress) -> str:
    head = f"{'module':<19}{'status':<13}{'best':>6}{'latest':>8}{'max':>5}{'attempts':>10}  last graded"
    lines = [head, "-" * len(head)]
    for m in p.modules:
        lines.append(f"{m.module:<19}{m.status:<13}{_num(m.best):>6}{_num(m.latest):>8}"
                     f"{_num(m.max_score):>5}{m.attempts:>10}  {(m.last_graded or '-').replace('T', ' ')}")
    lines.append("-" * len(head))
    lines.append(f"course total: {_num(p.score)} / {_num(p.max_score)} points (best attempts); "
                 f"{p.passed_sentence()}")
    if p.plan is not None:
        lines.append(p.plan.sentence())
    viewed = [(m.module, v) for m in p.modules for v in m.solutions_viewed]
    if viewed:
        lines.append("")
        lines.append("reference solutions you viewed (show_solution):")
        for module_id, v in viewed:
            lines.append(f"  {module_id:<14}{v.function:<28}{v.status} "
                         f"(first viewed {v.first_viewed.replace('T', ' ')})")
    return "\n".join(lines) + "\n"


def as_json(p: Progress) -> str:
    return json.dumps({"score": p.score, "max_score": p.max_score, "passed": p.passed,
                       "modules": [asdict(m) for m in p.modules],
                       "plan": asdict(p.plan) if p.plan is not None else None}, indent=2)


def chart(grading: Path | None = None) -> Path | None:
    """Scores over time per module, saved as a PNG beside the HTML feedback. None if no history."""
    grading = grading or paths.grading_dir()
    tries = history.attempts(grading)
    if not tries:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.5))
    for m in syllabus.load().assignments:
        mine = [a for a in tries if a.module == m.id]
        if mine:
            ax.plot(range(1, len(mine) + 1), [100 * a.score / a.max_score for a in mine],
                    marker="o", label=m.id)
    ax.set(xlabel="grading attempt", ylabel="score (% of the module's points)", ylim=(-5, 105),
           title="Your scores over time")
    ax.legend(loc="lower right", fontsize="small")
    out = paths.GradingLayout(grading).progress_chart
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(out, dpi=100, bbox_inches="tight")
    plt.close(fig)
    return out


def show() -> None:
    """For the start page: the same table as `make progress`, as Markdown in the notebook."""
    from IPython.display import Markdown, display

    p = compute()
    rows = ["| module | status | best | latest | attempts | last graded |", "|---|---|---|---|---|---|"]
    for m in p.modules:
        rows.append(f"| {m.module} | {m.status} | {_num(m.best)} / {_num(m.max_score)} | "
                    f"{_num(m.latest)} | {m.attempts} | {(m.last_graded or '-').replace('T', ' ')} |")
    rows.append(f"\n**Course total: {_num(p.score)} / {_num(p.max_score)}** points; "
                f"{p.passed_sentence()}. Grade with `make grade` in a terminal.")
    if p.plan is not None:
        rows.append(f"\n{p.plan.sentence()}")
    viewed = [f"- {m.module} `{v.function}`: {v.status}" for m in p.modules for v in m.solutions_viewed]
    if viewed:
        rows.append("\nReference solutions you viewed:\n\n" + "\n".join(viewed))
    display(Markdown("\n".join(rows)))
