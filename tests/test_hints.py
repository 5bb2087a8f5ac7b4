"""Hints are a ladder that stops short of the code.

Every graded function has 2 to 4 hints (the count and the lesson link are in test_syllabus.py),
and no hint, nor all of them together, is the function's solution. Two tests say so:

1. **No hint's code passes the check.** A hint's code is its fenced blocks (```python or ```),
   its indented blocks (4 spaces, after a blank line) and its inline `code` spans. Each piece is
   pasted into the function as a learner would paste it, and the module's check
   (`autograder.checks.<module>.check_<name>`, which raises AssertionError on a wrong function)
   must reject the result:
   - a block that defines the function (`def <name>(`) is run as the definition;
   - any other block replaces the solution part of the solution cell (the lines between
     `### BEGIN SOLUTION` and `### END SOLUTION`, so the given lines around it stay), and so does
     each inline span on its own;
   - an inline span that is an expression also replaces the solution part as `return <span>`;
   - each hint's blocks and statement-like spans (those with `=` or a call, not bare names such
     as `err`, which could only stop the run early) joined in order replace the solution part,
     and so do those of the whole ladder;
   - code that does not compile or raises while being defined cannot pass: it counts as rejected.
   Pieces that are not Python (a shape such as `(m, n)` is a tuple, so it is tried too) are
   tried all the same: they can only fail.
2. **No hint contains the solution's normalised code.** The solution part is parsed and each of
   its statements reduced to the expression it computes (the right-hand side of an assignment,
   the value of a return, the condition of an if, the range of a for), written canonically
   without spaces, leaving out bookkeeping (a bare name or constant, `X.shape[0]`, `W[:, j]`,
   `len(y)`, `range(n)`) unless that is all there is; a hint (and the ladder) contains the
   solution when every one of those expressions occurs in its canonical code.
"""

from __future__ import annotations

import ast
import importlib
import io
import json
import re
import textwrap
import warnings
from contextlib import redirect_stdout

import numpy as np
import pytest

from autograder import feedback, syllabus
from autograder.cells import grade_id, source

SYL = syllabus.load()
CASES = [(m.id, f.name) for m in SYL.modules for f in m.functions]

_FENCED = re.compile(r"```[a-zA-Z]*\n(.*?)```", re.S)
_INLINE = re.compile(r"`([^`\n]+)`")


def _indented_blocks(text: str) -> list[str]:
    blocks, current, previous_blank = [], [], True
    for line in text.splitlines():
        if line.startswith("    ") and (current or previous_blank):
            current.append(line)
        else:
            if current:
                blocks.append(textwrap.dedent("\n".join(current)))
                current = []
        previous_blank = not line.strip()
    if current:
        blocks.append(textwrap.dedent("\n".join(current)))
    return blocks


def code_of(hint: str) -> tuple[list[str], list[str]]:
    """(blocks, inline spans) of one hint's Markdown, in order."""
    blocks = [b for b in _FENCED.findall(hint)]
    rest = _FENCED.sub("", hint)
    blocks += _indented_blocks(rest)
    return blocks, _INLINE.findall(rest)


def _solution_cell(module: syllabus.Module, name: str) -> str:
    nb = json.loads(module.solution_path.read_text(encoding="utf-8"))
    return next(source(c) for c in nb["cells"] if grade_id(c) == name)


def _split(cell: str) -> tuple[list[str], str, list[str], str]:
    """(lines before, solution part, lines after, the indentation of the markers)."""
    lines = cell.splitlines()
    begin = next(i for i, line in enumerate(lines) if line.strip() == "### BEGIN SOLUTION")
    end = next(i for i, line in enumerate(lines) if line.strip() == "### END SOLUTION")
    indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
    return lines[:begin], textwrap.dedent("\n".join(lines[begin + 1:end])), lines[end + 1:], indent


def _pasted(cell: str, body: str) -> str:
    before, _, after, indent = _split(cell)
    return "\n".join(before + [textwrap.indent(body, indent) or indent + "pass"] + after) + "\n"


def _namespace(module: syllabus.Module, lib) -> dict:
    ns = {"np": np, "numpy": np}
    ns.update({g.name: getattr(lib, f"ref_{g.name}") for g in module.functions})
    return ns


def _passes(module, lib, name, code: str, defines: bool) -> bool:
    cell = _solution_cell(module, name)
    ns = _namespace(module, lib)
    ns.pop(name)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            exec(compile(code if defines else _pasted(cell, code), "<hint>", "exec"), ns)
    except Exception:
        return False  # cannot even be defined: it cannot pass
    if not callable(ns.get(name)):
        return False
    try:
        with redirect_stdout(io.StringIO()):
            getattr(lib, f"check_{name}")(ns[name])
    except AssertionError:
        return False
    return True


def _is_expression(span: str) -> bool:
    try:
        ast.parse(span, mode="eval")
        return True
    except SyntaxError:
        return False


def _canonical(code: str) -> str:
    try:
        code = ast.unparse(ast.parse(textwrap.dedent(code)))
    except SyntaxError:
        try:
            code = ast.unparse(ast.parse(code.strip(), mode="eval"))
        except SyntaxError:
            pass
    return re.sub(r"\s+", "", code)


def solution_expressions(solution_part: str) -> list[str]:
    """What each statement of the solution computes, canonical and without spaces."""
    found = []
    for node in ast.walk(ast.parse(solution_part)):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Return, ast.Expr)) and node.value is not None:
            found.append(node.value)
        elif isinstance(node, ast.For):
            found.append(node.iter)
        elif isinstance(node, (ast.If, ast.While)):
            found.append(node.test)
    wanted = [e for e in found if not _trivial(e)] or found
    return [re.sub(r"\s+", "", ast.unparse(e)) for e in wanted]


def _trivial(node: ast.AST) -> bool:
    """A name, a constant, an attribute or an index of those (`X.shape[0]`, `W[:, j]`), or
    `len`/`range` of those: bookkeeping that any hint may mention, not the computation."""
    if isinstance(node, (ast.Name, ast.Constant)):
        return True
    if isinstance(node, ast.Attribute):
        return _trivial(node.value)
    if isinstance(node, ast.Subscript):
        return _trivial(node.value) and _trivial(node.slice)
    if isinstance(node, ast.Slice):
        return all(part is None or _trivial(part) for part in (node.lower, node.upper, node.step))
    if isinstance(node, ast.Tuple):
        return all(_trivial(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in {"len", "range"}:
        return all(_trivial(a) for a in node.args) and not node.keywords
    return False


def _ladder(module_id: str, name: str):
    m = SYL.module(module_id)
    return m, importlib.import_module(m.check_module), [body for _, body in feedback.hints(m)[name]["hints"]]


@pytest.mark.parametrize("module_id,name", CASES)
def test_no_hint_passes_the_check(module_id, name):
    m, lib, hints = _ladder(module_id, name)
    ladder = []
    for number, hint in enumerate(hints, 1):
        blocks, spans = code_of(hint)
        for block in blocks:
            defines = re.search(rf"^\s*def\s+{re.escape(name)}\s*\(", block, re.M) is not None
            assert not _passes(m, lib, name, block, defines), f"{name}, hint {number}: this block passes the check:\n{block}"
        for span in spans:
            if _is_expression(span):
                assert not _passes(m, lib, name, f"return ({span})", False), \
                    f"{name}, hint {number}: `return {span}` passes the check"
            assert not _passes(m, lib, name, span, False), f"{name}, hint {number}: `{span}` passes the check"
        pieces = blocks + [s for s in spans if not _is_expression(s) or "=" in s or "(" in s]
        ladder += pieces
        assert not _passes(m, lib, name, "\n".join(pieces), False), \
            f"{name}, hint {number}: its code, pasted in order, passes the check"
    assert not _passes(m, lib, name, "\n".join(ladder), False), \
        f"{name}: the code of all its hints, pasted in order, passes the check"


@pytest.mark.parametrize("module_id,name", CASES)
def test_no_hint_contains_the_solution(module_id, name):
    m, lib, hints = _ladder(module_id, name)
    _, part, _, _ = _split(_solution_cell(m, name))
    wanted = solution_expressions(part)
    assert wanted, name

    def contains(texts: list[str]) -> bool:
        code = "|".join(_canonical(piece) for text in texts for piece in sum(code_of(text), []))
        return all(w in code for w in wanted)

    for number, hint in enumerate(hints, 1):
        assert not contains([hint]), f"{name}, hint {number} holds the whole solution: {wanted}"
    assert not contains(hints), f"{name}: its hints together hold the whole solution: {wanted}"


def test_the_rules_catch_a_hint_that_is_the_solution():
    """The tests above would fail the kit's old last hints, which were the code itself."""
    m, lib, _ = _ladder("c1w1", "compute_cost")
    assert _passes(m, lib, "compute_cost", "m = x.shape[0]\ntotal_cost = np.sum((w * x + b - y) ** 2) / (2 * m)", False)
    assert _passes(m, lib, "compute_cost", "return (np.sum((w * x + b - y) ** 2) / (2 * x.shape[0]))", False)
    blocks, spans = code_of("Vectorized:\n\n    f = w * x + b\n\nthen `np.sum((f - y) ** 2)`.\n```python\nx = 1\n```")
    assert blocks == ["x = 1\n", "f = w * x + b"] and spans == ["np.sum((f - y) ** 2)"]
    m, lib, _ = _ladder("c2w2", "relu")
    assert solution_expressions("a = np.maximum(0, z)") == ["np.maximum(0,z)"]
    assert solution_expressions("m = x.shape[0]\nc = np.sum((w * x + b - y) ** 2) / (2 * m)") == \
        ["np.sum((w*x+b-y)**2)/(2*m)"]
    assert _canonical("np.maximum(0,   z)") == "np.maximum(0,z)"
    assert _passes(m, lib, "relu", "def relu(z):\n    return np.maximum(z, 0)\n", True)
