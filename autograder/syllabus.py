"""The syllabus manifest: the single source of truth for modules, lessons, graded functions, points.

`course/syllabus.toml` gives the courses and the order of their modules. Each module that exists
has `course/<id>/module.toml` with its title, its lesson notebooks in order, and its graded
functions with their points. A module listed in the order but without a `module.toml` is shown
as planned. The exercise of module `<id>` is `solutions/<id>/<id>.ipynb` (nbgrader source) and
`exercises/<id>/<id>.ipynb` (student version); each graded function `f` has the solution cell
`grade_id = "f"` and the check cell `grade_id = "test_f"`.

A function may also list rule checks (`[[functions.checks]]` with `id`, `points` and `rule`): a
rule the exercise states beyond the mathematics (stable for large inputs, a batch as well as one
example, no warnings, an empty-cluster convention) is then its own check cell, `grade_id =
"test_f__<id>"`, calling `check_f_<id>` of the check library, with its own points. The function's
`points` are those of its values check (`test_f`); `Module.checks` lists every check cell, and
`Module.max_score` sums them all (docs/adding-a-module.md, "A rule beyond the mathematics").

A module with `course/<id>/quiz.toml` also has a quiz: a `Module` of kind "quiz" with the id
`<id>-quiz` (its own nbgrader assignment, `solutions/<id>-quiz/<id>-quiz.ipynb`), whose graded
items are the quiz's questions (answer cell `grade_id = "q1"`, check cell `grade_id = "test_q1"`).
`Syllabus.modules` lists the exercise modules; `Syllabus.assignments` lists everything that is
graded, each module followed by its quiz; `Syllabus.module(id)` finds either (docs/quizzes.md).

A module whose module.toml says `kind = "project"` (the capstone) is graded as a whole folder by
its own checks (autograder/capstone/), not through nbgrader's check cells: it is in
`Syllabus.projects` and, after every module and quiz, in `assignments`, but not in `modules`.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from autograder import cells, paths
from autograder.errors import KitError


QUIZ_SUFFIX = "-quiz"  # the quiz of module `c1w1` is the assignment `c1w1-quiz`
CHECK_PREFIX = "test_"  # a check cell's grade_id is CHECK_PREFIX + the check's name
RULE_SEPARATOR = "__"  # a rule check's name: the function's name, RULE_SEPARATOR, the rule's id


def check_id(check_name: str) -> str:
    """The grade_id of a check cell: `test_f` for the values check of `f`, `test_f__stable` for
    its rule check `stable`."""
    return f"{CHECK_PREFIX}{check_name}"


def function_of_check(test_id: str) -> str | None:
    """The name of the check a check cell's grade_id belongs to (`f`, or `f__rule` for a rule
    check), or None if it is not a check id. The clean re-check's verdicts are keyed by it."""
    return test_id[len(CHECK_PREFIX):] if test_id.startswith(CHECK_PREFIX) else None


def split_check_name(check_name: str) -> tuple[str, str | None]:
    """(function, rule id or None) of a check's name: `sigmoid__stable` -> ("sigmoid", "stable")."""
    function, sep, rule = check_name.partition(RULE_SEPARATOR)
    return (function, rule) if sep and rule else (check_name, None)


@dataclass(frozen=True)
class GradedCheck:
    """One check cell of a graded function: its values check (`rule is None`) or one rule check."""

    function: str
    points: int
    rule: str | None = None  # the rule's id (`stable`), None for the values check
    text: str = ""  # the rule in words (the manifest's `rule`); empty for the values check

    @property
    def name(self) -> str:
        return self.function if self.rule is None else f"{self.function}{RULE_SEPARATOR}{self.rule}"

    @property
    def test_id(self) -> str:
        return check_id(self.name)

    @property
    def check_function(self) -> str:
        """The check library's function the check cell calls."""
        return f"check_{self.function}" if self.rule is None else f"check_{self.function}_{self.rule}"

    @property
    def label(self) -> str:
        """How the learner sees it: `sigmoid`, or `sigmoid (rule: stable)`."""
        return self.function if self.rule is None else f"{self.function} (rule: {self.rule.replace('_', ' ')})"


def python_name(module_id: str) -> str:
    """A module id as a Python identifier (`c3w1-kmeans` -> `c3w1_kmeans`): the name of its check
    library, of its tests and of its golden file."""
    return module_id.replace("-", "_")


def check_module_name(module_id: str) -> str:
    """The Python module of a course module's check library (`c3w1-kmeans` -> `autograder.checks.c3w1_kmeans`)."""
    return f"autograder.checks.{python_name(module_id)}"


@dataclass(frozen=True)
class GradedFunction:
    name: str
    points: int  # the points of its values check, `test_<name>`
    signature: str
    rules: tuple[GradedCheck, ...] = ()  # its rule checks, in the manifest's order

    @property
    def grade_id(self) -> str:
        return self.name

    @property
    def test_id(self) -> str:
        """The grade_id of its values check (its rule checks: `checks`)."""
        return check_id(self.name)

    @property
    def checks(self) -> tuple[GradedCheck, ...]:
        """Its check cells: the values check first, then the rule checks."""
        return (GradedCheck(self.name, self.points),) + self.rules

    @property
    def max_points(self) -> int:
        return sum(c.points for c in self.checks)


@dataclass(frozen=True)
class Lesson:
    path: Path

    @property
    def title(self) -> str:
        """The lesson's first Markdown heading (its title), read from the notebook."""
        nb = json.loads(self.path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                for line in cells.source(cell).splitlines():
                    if line.startswith("# "):
                        return line[2:].strip()
        return self.path.stem


@dataclass(frozen=True)
class Module:
    id: str
    course_id: str
    title: str
    summary: str
    lessons: tuple[Lesson, ...]
    functions: tuple[GradedFunction, ...]
    prerequisites: tuple[str, ...] = ()  # module ids to finish first
    kind: str = "exercise"  # or "quiz", or "project" (graded as a folder: the capstone)
    of: str | None = None  # a quiz: the id of its module

    @property
    def is_quiz(self) -> bool:
        return self.kind == "quiz"

    @property
    def folder(self) -> Path:
        return paths.COURSE / (self.of or self.id)

    @property
    def solution_path(self) -> Path:
        return paths.SOLUTIONS / self.id / f"{self.id}.ipynb"

    @property
    def exercise_path(self) -> Path:
        return paths.EXERCISES / self.id / f"{self.id}.ipynb"

    @property
    def check_module(self) -> str:
        return check_module_name(self.id)

    @property
    def checks(self) -> tuple[GradedCheck, ...]:
        """Every check cell of the module, in order: each function's values check, then its rules."""
        return tuple(c for f in self.functions for c in f.checks)

    def check(self, check_name: str) -> GradedCheck | None:
        return next((c for c in self.checks if c.name == check_name), None)

    @property
    def max_score(self) -> int:
        return sum(c.points for c in self.checks)


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    module_ids: tuple[str, ...]


@dataclass(frozen=True)
class Syllabus:
    title: str
    courses: tuple[Course, ...]
    modules: tuple[Module, ...]  # the modules that exist, in syllabus order
    planned: tuple[str, ...]  # module ids listed in the order but not written yet
    quizzes: tuple[Module, ...] = ()  # the modules' quizzes, in syllabus order
    projects: tuple[Module, ...] = ()  # graded as whole folders (the capstone), in syllabus order

    @property
    def module_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.modules)

    @property
    def assignments(self) -> tuple[Module, ...]:
        """Everything graded, in order: each module, then its quiz; the projects last."""
        quiz_of = {q.of: q for q in self.quizzes}
        return tuple(x for m in self.modules for x in ((m, quiz_of[m.id]) if m.id in quiz_of else (m,))) \
            + self.projects

    @property
    def assignment_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.assignments)

    def quiz_of(self, module_id: str) -> Module | None:
        return next((q for q in self.quizzes if q.of == module_id), None)

    def module(self, module_id: str) -> Module:
        for m in self.assignments:
            if m.id == module_id:
                return m
        if module_id in self.planned:
            raise KitError(
                f"Module '{module_id}' is in the syllabus but not written yet. The modules you can "
                f"work on and grade now are: {', '.join(self.module_ids)}."
            )
        raise KitError(
            f"There is no module '{module_id}'. The modules are: {', '.join(self.module_ids)} "
            "(see course/start.ipynb for what each covers)."
        )


def _read_toml(path: Path) -> dict:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise KitError(f"The syllabus file {path} could not be read ({exc}). Restore it with git.")


def _load_module(module_id: str, course_id: str) -> Module:
    folder = paths.COURSE / module_id
    data = _read_toml(folder / "module.toml")
    return Module(
        id=module_id,
        course_id=course_id,
        title=data["title"],
        summary=data.get("summary", ""),
        lessons=tuple(Lesson(folder / name) for name in data.get("lessons", [])),
        prerequisites=tuple(data.get("prerequisites", [])),
        kind=data.get("kind", "exercise"),
        functions=tuple(_load_function(f, folder) for f in data["functions"]),
    )


def _load_function(f: dict, folder: Path) -> GradedFunction:
    rules = []
    for r in f.get("checks", []):
        rule_id = str(r.get("id", ""))
        if not rule_id.isidentifier() or RULE_SEPARATOR in rule_id or not r.get("rule"):
            raise KitError(f"{folder / 'module.toml'}: each [[functions.checks]] of `{f['name']}` needs an "
                           f"`id` (a Python identifier without '{RULE_SEPARATOR}'), `points` and `rule` "
                           f"(got {r!r}).")
        rules.append(GradedCheck(function=f["name"], points=int(r["points"]), rule=rule_id, text=r["rule"]))
    return GradedFunction(name=f["name"], points=int(f["points"]), signature=f["signature"], rules=tuple(rules))


def _load_quiz(module: Module) -> Module | None:
    manifest = module.folder / "quiz.toml"
    if not manifest.exists():
        return None
    data = _read_toml(manifest)
    return Module(
        id=f"{module.id}{QUIZ_SUFFIX}",
        course_id=module.course_id,
        title=data.get("title", f"Quiz: {module.title}"),
        summary=data.get("summary", f"Questions on the ideas of {module.id}."),
        lessons=(),
        prerequisites=(module.id,),
        functions=tuple(
            GradedFunction(name=q["name"], points=int(q.get("points", 1)), signature=q.get("topic", ""))
            for q in data["questions"]
        ),
        kind="quiz",
        of=module.id,
    )


@lru_cache(maxsize=1)
def load() -> Syllabus:
    data = _read_toml(paths.COURSE / "syllabus.toml")
    courses, modules, planned = [], [], []
    for c in data["courses"]:
        courses.append(Course(id=c["id"], title=c["title"], module_ids=tuple(c["modules"])))
        for module_id in c["modules"]:
            if (paths.COURSE / module_id / "module.toml").exists():
                modules.append(_load_module(module_id, c["id"]))
            else:
                planned.append(module_id)
    projects = tuple(m for m in modules if m.kind == "project")
    modules = [m for m in modules if m.kind != "project"]
    quizzes = tuple(q for m in modules if (q := _load_quiz(m)) is not None)
    return Syllabus(
        title=data["title"], courses=tuple(courses), modules=tuple(modules), planned=tuple(planned),
        quizzes=quizzes, projects=projects,
    )
