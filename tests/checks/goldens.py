"""Golden files of the check library's messages: every catalogued mistake's full message, the
not-attempted, not-a-function and pass messages, and the message when the learner's function
raises (each exception type the checks give a hint on, on every call a check makes).

    python -m tests.checks.goldens --update      # rewrite tests/goldens/<module>.json (make goldens)
    python -m tests.checks.goldens               # say which modules differ

The goldens are reviewed in the diff: a change of message shows there. Numbers with a fraction or
an exponent are rounded to 4 significant digits (in the files and in the comparison), so another
processor's BLAS gives the same text. `tests/checks/test_goldens.py` compares them.
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import importlib
import io
import json
import re
import sys
import warnings
from pathlib import Path

import numpy as np

from autograder import syllabus
from autograder.checks.ladder import CheckFailed

GOLDENS = Path(__file__).resolve().parents[1] / "goldens"

# Raised on every call a check makes (the message names the case, its note and any hint).
RAISED_EVERY_CALL = (ValueError, ZeroDivisionError)
# Raised on the first call only (the hint each exception type calls for).
RAISED_FIRST_CALL = (IndexError, TypeError, KeyError, RecursionError)
MAX_CALLS = 400  # an upper bound on the calls one check makes

_NUMBER = re.compile(r"(?<![\w.])-?(?:\d+\.\d*(?:[eE][+-]?\d+)?|\d+[eE][+-]?\d+)(?![\w.])")


ROUND_OFF = 1e-20  # smaller than any value a check's case is built on: floating-point noise


def rounded(text: str) -> str:
    """`text` with every number that has a fraction or an exponent at 4 significant digits, and
    every one below ROUND_OFF in size as 0 (a training error of 1.972e-30 or 1.824e-30 is zero
    computed in a different order, not a different message; -0. is 0 too)."""

    def fix(match: re.Match) -> str:
        value = float(match.group(0))
        return "0" if abs(value) < ROUND_OFF else f"{value:.4g}"

    return _NUMBER.sub(fix, text)


def module_ids() -> list[str]:
    return [m.id for m in syllabus.load().modules]


def _check_module(module_id: str):
    return importlib.import_module(syllabus.load().module(module_id).check_module)


def _outcome(check_fn, impl) -> str:
    """What the learner sees: the check's message, prefixed by its kind."""
    out = io.StringIO()
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(out), np.errstate(all="ignore"):
            warnings.simplefilter("ignore")
            check_fn(impl)
    except CheckFailed as exc:
        return f"{type(exc).__name__}: {exc}"
    return f"passed: {out.getvalue().strip()}"


def _raising(ref, exc_type: type[BaseException], on_call: int):
    """The reference, except that call number `on_call` raises `exc_type`."""
    calls = [0]

    def impl(*args):
        calls[0] += 1
        if calls[0] == on_call:
            raise exc_type("raised on purpose by the goldens")
        return ref(*args)

    return impl, calls


def messages(module_id: str) -> dict[str, dict[str, str]]:
    """Check name (the function's, or `function__rule` for a rule check) -> case -> the message
    (rounded)."""
    mod = _check_module(module_id)
    module = syllabus.load().module(module_id)
    result: dict[str, dict[str, str]] = {}
    for spec in module.checks:
        check_fn = getattr(mod, spec.check_function)
        ref = getattr(mod, f"ref_{spec.function}")
        entries: dict[str, str] = {}

        def stub(*args):
            raise NotImplementedError()

        entries["not a function"] = _outcome(check_fn, None)
        entries["not attempted"] = _outcome(check_fn, stub)
        entries["reference"] = _outcome(check_fn, ref)
        seen: dict[str, int] = {}
        for m in mod.MISTAKES[spec.name]:
            name = getattr(m.implementation, "__name__", "mistake")
            seen[name] = seen.get(name, 0) + 1
            key = f"mistake {name}" + (f" #{seen[name]}" if seen[name] > 1 else "")
            entries[key] = _outcome(check_fn, m.implementation)
        for exc_type in RAISED_EVERY_CALL + RAISED_FIRST_CALL:
            last = MAX_CALLS if exc_type in RAISED_EVERY_CALL else 1
            texts = set()
            for k in range(1, last + 1):
                impl, calls = _raising(ref, exc_type, k)
                text = _outcome(check_fn, impl)
                if calls[0] < k:  # the check made fewer than k calls: done
                    break
                if text not in texts:  # calls of one case (seeds, say) give one message
                    texts.add(text)
                    entries[f"raises {exc_type.__name__} on call {k}"] = text
        result[spec.name] = {key: rounded(text) for key, text in entries.items()}
    return result


def path(module_id: str) -> Path:
    return GOLDENS / f"{syllabus.python_name(module_id)}.json"


def dump(data: dict) -> str:
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def diff(module_id: str, current: dict | None = None) -> str:
    """A unified diff from the golden file to the current messages ('' when they agree)."""
    current = messages(module_id) if current is None else current
    p = path(module_id)
    old = p.read_text(encoding="utf-8") if p.exists() else ""
    new = dump(current)
    if old == new:
        return ""
    return "".join(difflib.unified_diff(old.splitlines(True), new.splitlines(True),
                                        f"{p.name} (golden)", f"{p.name} (current)", n=1))


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m tests.checks.goldens")
    p.add_argument("--update", action="store_true", help="rewrite the golden files")
    p.add_argument("modules", nargs="*", help="module ids (default: all)")
    args = p.parse_args(argv)
    status = 0
    for module_id in args.modules or module_ids():
        current = messages(module_id)
        if args.update:
            GOLDENS.mkdir(parents=True, exist_ok=True)
            path(module_id).write_text(dump(current), encoding="utf-8")
            print(f"wrote {path(module_id)}")
        else:
            d = diff(module_id, current)
            if d:
                status = 1
                sys.stdout.write(d)
    return status


if __name__ == "__main__":
    sys.exit(main())
