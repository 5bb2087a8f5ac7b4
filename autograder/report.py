"""Rendering grading results: one function for the terminal, one for JSON."""

from __future__ import annotations

import json
import os
import shutil
import textwrap

from autograder.grading import GradeRun


def _num(x: float) -> str:
    return f"{x:g}"


def _shown_path(path: str) -> str:
    rel = os.path.relpath(path)
    return path if rel.startswith("..") else rel


def table(run: GradeRun) -> str:
    width = max(60, min(shutil.get_terminal_size((100, 20)).columns, 120))
    lines = [f"note: {n}" for n in run.notes]
    for nb in run.notebooks:
        lines.append(f"{nb.module}  {nb.path}")
        if nb.unchanged_since:
            lines.append(f"  unchanged since {nb.unchanged_since.replace('T', ' ')}, not re-graded: the "
                         "result recorded then (`make grade FORCE=1` grades it again)")
        name_w = max([len(t.grade_id) for t in nb.tests] + [10])
        for t in nb.tests:
            status = "pass" if t.passed else "FAIL"
            head = f"  {t.grade_id:<{name_w}}  {_num(t.points):>3} / {_num(t.max_points):<3} {status}  "
            first = (t.message.splitlines() or [""])[0]
            wrapped = textwrap.wrap(first, width=max(20, width - len(head))) or [""]
            lines.append(head + wrapped[0])
            lines.extend(" " * len(head) + w for w in wrapped[1:3])
            if len(wrapped) > 3:
                lines[-1] += " ..."
        lines.append(f"  {'total':<{name_w}}  {_num(nb.score):>3} / {_num(nb.max_score)}")
        for note in nb.notes:
            wrapped = textwrap.wrap(note, width=width - 4) or [""]
            lines.append("  ! " + wrapped[0])
            lines.extend("    " + w for w in wrapped[1:])
        if nb.feedback:
            lines.append(f"  feedback report: {_shown_path(nb.feedback)}")
        lines.append("")
    if len(run.notebooks) > 1:
        lines.append(f"Total: {_num(run.score)} / {_num(run.max_score)}")
    return "\n".join(lines).rstrip() + "\n"


def as_json(run: GradeRun) -> str:
    return json.dumps({
        "score": run.score,
        "max_score": run.max_score,
        "notes": run.notes,
        "notebooks": [
            {
                "module": nb.module, "path": nb.path, "score": nb.score, "max_score": nb.max_score,
                "feedback": nb.feedback,
                "notes": nb.notes,
                "unchanged_since": nb.unchanged_since,
                "tests": [
                    {"grade_id": t.grade_id, "points": t.points, "max_points": t.max_points,
                     "passed": t.passed, "message": t.message}
                    for t in nb.tests
                ],
            }
            for nb in run.notebooks
        ],
    }, indent=2, ensure_ascii=False)
