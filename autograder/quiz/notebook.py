"""The quiz notebook: written from the bank and the manifest (`build`), and re-seeded (`set_seed`).

    python -m autograder.quiz build c1w1      # writes solutions/c1w1-quiz/c1w1-quiz.ipynb (seed 0)

The learner's notebook is generated from it by nbgrader (autograder/exercises.py), with
`# YOUR ANSWER HERE` as the stub, so the answer names stay undefined; `set_seed` then renders a
seed into the metadata, the `QUIZ_SEED` cell and the prompts of the seeded questions.
"""

from __future__ import annotations

import json
import secrets

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from autograder import syllabus
from autograder.errors import KitError
from autograder.quiz import Question, answer_source, load_bank

SOLUTION_SEED = 0
CODE_STUB = "# YOUR ANSWER HERE"

_KIND_WORDS = {
    "single": "one option",
    "multiple": "all the options that apply",
    "number": "a number",
    "shape": "a shape (a tuple)",
}


def _quiz_module(module_id: str) -> syllabus.Module:
    syl = syllabus.load()
    quiz_id = module_id if module_id.endswith(syllabus.QUIZ_SUFFIX) else module_id + syllabus.QUIZ_SUFFIX
    base = quiz_id[: -len(syllabus.QUIZ_SUFFIX)]
    quiz = syl.quiz_of(base)
    if quiz is None:
        raise KitError(f"Module '{base}' has no quiz: course/{base}/quiz.toml is missing.")
    return quiz


def _check_bank(quiz: syllabus.Module, bank: list[Question]) -> None:
    names = [q.name for q in bank]
    listed = [f.name for f in quiz.functions]
    if names != listed:
        raise KitError(f"The bank of {quiz.id} has the questions {names}, but course/{quiz.of}/quiz.toml "
                       f"lists {listed}: make them agree (same names, same order).")


def prompt_source(q: Question, number: int, points: int, topic: str, seed: int) -> str:
    v = q.at(seed)
    plural = "s" if points != 1 else ""
    head = f"### Question {number} ({points} point{plural})"
    form = {"single": f'`{q.name} = "a"`', "multiple": f'`{q.name} = {{"a", "c"}}`',
            "number": f"`{q.name} = 0.125`", "shape": f"`{q.name} = (5, 3)`"}.get(v.kind, f"`{q.name} = ...`")
    tail = f"*Answer in the cell below with {_KIND_WORDS.get(v.kind, 'your answer')}, e.g. {form}.*"
    return f"{head}\n\n{v.prompt_markdown()}\n\n{tail}"


def _intro(quiz: syllabus.Module, module: syllabus.Module, total: int) -> str:
    return (
        f"# {quiz.title}\n\n"
        f"{len(quiz.functions)} questions ({total} points) on the ideas of module `{module.id}`, "
        f"*{module.title}*. Read the lessons first; the quiz is about ideas, not syntax.\n\n"
        "**How to answer.** Each question has an answer cell: write the answer as a plain Python value "
        "and run it, then run the check cell below it, which answers at once with a one-line reason "
        "or an explanation of why the answer is not right. Try again as often as you like.\n\n"
        "- one option: `q1 = \"b\"`\n"
        "- several options: `q2 = {\"a\", \"c\"}`\n"
        "- a number: `q3 = 0.125` (a fraction `\"1/8\"` is fine; numbers are right within a small tolerance)\n"
        "- a shape: `q4 = (5,)`\n\n"
        "Run the two cells below first. `QUIZ_SEED` is your variant of the quiz: the numbers of some "
        "questions are drawn from it. Do not change it; "
        f"`make reset MODULE={quiz.id}` gives you a fresh quiz with new numbers (your notebook is backed up "
        f"first). `make grade MODULE={quiz.id}` grades the saved notebook."
    )


def build_notebook(module_id: str) -> nbformat.NotebookNode:
    quiz = _quiz_module(module_id)
    module = syllabus.load().module(quiz.of)
    bank = load_bank(quiz.of)
    _check_bank(quiz, bank)
    topics = {f.name: (f.points, f.signature) for f in quiz.functions}
    seed = SOLUTION_SEED
    cells = [
        new_markdown_cell(_intro(quiz, module, quiz.max_score), id="quiz-intro"),
        new_code_cell(f'from autograder.quiz import open_quiz\n\nquiz = open_quiz("{quiz.of}")', id="quiz-setup"),
        new_code_cell(f"QUIZ_SEED = {seed}", id="quiz-seed", metadata={"kit": {"quiz_seed_cell": True}}),
    ]
    for number, q in enumerate(bank, 1):
        points, topic = topics[q.name]
        cells.append(new_markdown_cell(prompt_source(q, number, points, topic, seed), id=f"{q.name}-prompt",
                                       metadata={"kit": {"quiz_prompt": q.name}}))
        if q.at(seed).figure is not None:
            cells.append(new_code_cell(f'quiz.draw("{q.name}", QUIZ_SEED)', id=f"{q.name}-figure",
                                       metadata={"kit": {"quiz_figure": q.name}}))
        cells.append(new_code_cell(
            f"### BEGIN SOLUTION\n{q.name} = {answer_source(q, seed)}\n### END SOLUTION",
            id=f"{q.name}-answer",
            metadata={"nbgrader": {"grade": False, "grade_id": q.name, "locked": False,
                                   "schema_version": 3, "solution": True, "task": False}}))
        cells.append(new_code_cell(
            f"# Check {q.name} ({points} point{'s' if points != 1 else ''})\nquiz.check(\"{q.name}\", globals())",
            id=f"test-{q.name}",
            metadata={"nbgrader": {"grade": True, "grade_id": syllabus.check_id(q.name), "locked": True,
                                   "points": points, "schema_version": 3, "solution": False, "task": False}}))
    nb = new_notebook(cells=cells, metadata={
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "kit": {"module": quiz.id, "quiz_seed": seed},
        "language_info": {"name": "python"},
    })
    nb.nbformat_minor = 5
    return nb


def dumps(nb) -> str:
    text = nbformat.writes(nbformat.from_dict(nb) if isinstance(nb, dict) else nb)
    return text if text.endswith("\n") else text + "\n"


def build(module_id: str) -> str:
    """Write the solutions notebook of the quiz of `module_id`; returns what was done."""
    quiz = _quiz_module(module_id)
    nb = build_notebook(module_id)
    path = quiz.solution_path
    text = dumps(nb)
    if path.exists() and path.read_text(encoding="utf-8") == text:
        return f"{quiz.id}: unchanged"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return f"{quiz.id}: wrote {path.relative_to(syllabus.paths.ROOT)}"


def seed_of(nb: dict) -> int | None:
    """The quiz seed recorded in a notebook's metadata (None if there is none)."""
    seed = nb.get("metadata", {}).get("kit", {}).get("quiz_seed")
    return seed if isinstance(seed, int) and not isinstance(seed, bool) and seed >= 0 else None


def new_seed(avoid: int | None = None) -> int:
    while True:
        seed = 1 + secrets.randbelow(99_999)
        if seed != avoid:
            return seed


def set_seed(nb: dict, quiz: syllabus.Module, seed: int) -> dict:
    """The notebook with `seed` rendered into its metadata, its QUIZ_SEED cell and the prompts
    of its questions (in place; also returned)."""
    bank = {q.name: q for q in load_bank(quiz.of)}
    numbers = {f.name: (i, f.points, f.signature) for i, f in enumerate(quiz.functions, 1)}
    nb.setdefault("metadata", {}).setdefault("kit", {})["quiz_seed"] = seed
    for cell in nb.get("cells", []):
        kit = cell.get("metadata", {}).get("kit", {})
        if kit.get("quiz_seed_cell"):
            cell["source"] = f"QUIZ_SEED = {seed}"
        name = kit.get("quiz_prompt")
        if name in bank and name in numbers:
            number, points, topic = numbers[name]
            cell["source"] = prompt_source(bank[name], number, points, topic, seed)
    return nb


def seeded_bytes(data: bytes, quiz: syllabus.Module, seed: int) -> bytes:
    """A generated exercise (nbgrader's bytes) with `seed` rendered in."""
    nb = json.loads(data.decode("utf-8"))
    return dumps(set_seed(nb, quiz, seed)).encode("utf-8")
