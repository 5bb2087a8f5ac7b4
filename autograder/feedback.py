"""The HTML feedback report: nbgrader's rendering of the graded notebook, with the kit's summary
on top — per check its points, the diagnosis and, for a failed check, the exercise's hints and
the lesson that explains it. Only the check's one-line call is in the report, never test code."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from autograder import space, syllabus
from autograder.cells import grade_id, source

_DETAILS = re.compile(r"<details>\s*<summary>(.*?)</summary>(.*?)</details>", re.S)
_LESSON = re.compile(r"Lessons?:\s*\[([^\]]+)\]\(([^)]+)\)")


def hints(module: syllabus.Module) -> dict[str, dict]:
    """Per graded function: its hints (from the Markdown cell above its solution cell) and lesson."""
    nb = json.loads(module.solution_path.read_text(encoding="utf-8"))
    found: dict[str, dict] = {}
    previous_markdown = ""
    for cell in nb["cells"]:
        text = source(cell)
        if cell["cell_type"] == "markdown":
            previous_markdown = text
            continue
        if grade_id(cell) in {f.name for f in module.functions}:
            lesson = _LESSON.search(previous_markdown)
            found[grade_id(cell)] = {
                "hints": [(title.strip(), body.strip()) for title, body in _DETAILS.findall(previous_markdown)],
                "lesson": (lesson.group(1), lesson.group(2)) if lesson else None,
            }
    return found


def summary_html(module: syllabus.Module, result) -> str:
    info = hints(module)
    rows = []
    for t in result.tests:
        check_name = syllabus.function_of_check(t.grade_id) or t.grade_id
        spec = module.check(check_name)
        label = spec.label if spec is not None else check_name  # a rule check: `f (rule: stable)`
        name = spec.function if spec is not None else check_name
        status = "passed" if t.passed else "failed"
        extra = ""
        if not t.passed and name in info:
            for title, body in info[name]["hints"]:
                extra += (f"<details><summary>{html.escape(title)}</summary>"
                          f"<p>{html.escape(body)}</p></details>")
            if info[name]["lesson"]:
                title, link = info[name]["lesson"]
                extra += f"<p>Lesson: {html.escape(title)} (<code>{html.escape(link.split('/')[-1])}</code>)</p>"
        rows.append(
            f"<tr class='kit-{status}'><td><code>{html.escape(label)}</code></td>"
            f"<td>{t.points:g} / {t.max_points:g}</td><td>{status}</td>"
            f"<td>{html.escape(t.message)}{extra}</td></tr>"
        )
    notes = "".join(f"<li>{html.escape(n)}</li>" for n in result.notes)
    return (
        "<div class='kit-summary' style='margin:1em;padding:1em;border:1px solid #bbb;"
        "font-family:sans-serif'>"
        f"<h2>{html.escape(module.id)}: {result.score:g} / {result.max_score:g} points</h2>"
        "<table style='border-collapse:collapse' cellpadding='6' border='1'>"
        f"<tr><th>{'question' if module.is_quiz else 'function'}</th><th>points</th><th>result</th><th>diagnosis</th></tr>"
        + "".join(rows) + "</table>"
        + (f"<h3>Notes</h3><ul>{notes}</ul>" if notes else "")
        + "<p>Below: your notebook as the grader ran it.</p></div>"
    )


def with_summary(text: str, module: syllabus.Module, result) -> str | None:
    """nbgrader's report `text` with the kit's summary at the top of its body (None when the text
    has no body; unchanged when the summary is there already)."""
    match = re.search(r"<body[^>]*>", text)
    if match is None:
        return None
    if "class='kit-summary'" in text:
        return text
    return text[: match.end()] + summary_html(module, result) + text[match.end():]


def add_summary(path: Path, module: syllabus.Module, result) -> None:
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    if "class='kit-summary'" in text:
        return
    full = with_summary(text, module, result)
    if full is None:
        return
    # Whole or not at all: a full disk or a killed grader never leaves half a report.
    space.write_atomically(path, full.encode("utf-8"))


def write_report(path: Path, rendered: str, module: syllabus.Module, result) -> None:
    """Put the report at `path`: nbgrader's `rendered` HTML with the kit's summary, written to a
    temporary file in the same folder and renamed into place (a reader never sees half of it)."""
    full = with_summary(rendered, module, result)
    space.write_atomically(path, (rendered if full is None else full).encode("utf-8"))
