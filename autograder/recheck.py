"""The clean re-check: the learner's functions are checked again by a process their code never ran in.

A check cell runs inside the learner's kernel, where a solution cell could have replaced or
patched the check library (or numpy, or Python itself) in memory. So grading also replays the
notebook in a fresh kernel: the learner's cells run in order as nbgrader runs them, each graded
function is captured as it is at its check cell, and the checks run here, in this process,
calling the learner's functions in the replay kernel. A check that passed in the notebook but
fails here, on a genuine wrong value, earns nothing.

The replay also tells which cell killed the kernel (os._exit, a crash), which nbgrader cannot.

    python -m autograder.recheck SUBMITTED.ipynb MODULE --timeout N   ->  one JSON object
"""

from __future__ import annotations

import argparse
import ast
import base64
import builtins
import contextlib
import importlib
import io
import json
import os
import pickle
import sys
import tempfile
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path

from autograder import cells
from autograder.nbgrader_setup import KERNEL_ARGUMENTS

_ALLOWED_GLOBALS = {
    ("numpy", "ndarray"), ("numpy", "dtype"),
    ("numpy._core.multiarray", "_reconstruct"), ("numpy._core.multiarray", "scalar"),
    ("numpy.core.multiarray", "_reconstruct"), ("numpy.core.multiarray", "scalar"),
    ("builtins", "complex"),
}


class _PlainUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) in _ALLOWED_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not plain data")


def _loads(data: bytes):
    return _PlainUnpickler(io.BytesIO(data)).load()


class KernelDied(Exception):
    pass


@dataclass
class FunctionVerdict:
    """The clean re-check's verdict on one graded function."""

    passed: bool
    message: str
    # False when a failure may not be the function's own fault (a timeout, the transport, a
    # dying kernel): such a verdict overrules nothing.
    conclusive: bool = True


@dataclass
class Verdict:
    """What the clean re-check found; it crosses from its process to the grader as JSON."""

    # check name (`f`, or `f__rule` for a rule check, see syllabus.GradedCheck) -> its verdict
    functions: dict[str, FunctionVerdict] = field(default_factory=dict)
    died_in_cell: int | None = None  # 1-based index of the cell that killed the replay kernel
    died_cell_source: str | None = None
    error: str | None = None  # why the re-check itself could not run (then it overrules nothing)

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> "Verdict":
        data = json.loads(text)
        functions = {name: FunctionVerdict(**v) for name, v in data.pop("functions").items()}
        return cls(functions=functions, **data)

    def overruling(self) -> dict[str, str]:
        """Check name -> message, for every check that failed on a genuine wrong value."""
        return {name: v.message for name, v in self.functions.items() if not v.passed and v.conclusive}


class Replay:
    """A fresh kernel that runs the learner's cells, then serves calls of their functions."""

    def __init__(self, timeout: float, cwd: Path):
        from jupyter_client.manager import start_new_kernel

        env = dict(os.environ, MPLBACKEND="Agg")
        self.timeout = timeout
        # The client picks free TCP ports and the kernel binds them a moment later: another
        # process may take one between the two (seen in CI: ZMQError "Address already in use",
        # then no answer). Once more, on new ports, before the re-check gives up.
        for again, startup_timeout in enumerate((30, 60)):
            try:
                self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd), env=env,
                                                    extra_arguments=KERNEL_ARGUMENTS,
                                                    startup_timeout=startup_timeout)
                break
            except RuntimeError:  # "Kernel didn't respond in N seconds", "Kernel died before replying"
                if again:
                    raise
        self.run("from autograder import replay_kernel as __kit__")

    def run(self, code: str, user_expressions: dict | None = None) -> dict:
        """Execute code; interrupt it after `timeout` seconds; raise KernelDied if the kernel dies."""
        # No one types into a grading kernel: input() raises at once (as in nbgrader's kernel)
        # instead of waiting for the timeout.
        msg_id = self.kc.execute(code, store_history=False, user_expressions=user_expressions or {},
                                 allow_stdin=False)
        deadline = time.monotonic() + self.timeout
        interrupted = False
        while True:
            self._drain_iopub()
            try:
                reply = self.kc.get_shell_msg(timeout=0.2)
            except Exception:  # queue.Empty
                reply = None
            if reply is not None and reply["parent_header"].get("msg_id") == msg_id:
                content = reply["content"]
                if interrupted:
                    content = dict(content, status="timeout")
                return content
            if not self.km.is_alive():
                raise KernelDied()
            if not interrupted and time.monotonic() > deadline:
                self.km.interrupt_kernel()
                interrupted = True
                deadline = time.monotonic() + 10
            elif interrupted and time.monotonic() > deadline:
                raise KernelDied()

    def _drain_iopub(self) -> None:
        while True:
            try:
                self.kc.get_iopub_msg(timeout=0)
            except Exception:
                return

    def close(self) -> None:
        with contextlib.suppress(Exception):
            self.kc.stop_channels()
        with contextlib.suppress(Exception):
            self.km.shutdown_kernel(now=True)


class RemoteFunction:
    """Stands for a learner's function inside the replay kernel; `Check` calls it like the real one."""

    def __init__(self, replay: Replay, name: str, check_module: str):
        self.replay, self.name, self.check_module = replay, name, check_module
        self.trouble: list[str] = []  # why a failure might not be the function's own fault

    def __call__(self, *args):
        return self.remote_call(list(args), [])

    def remote_call(self, values: list, dependencies: list, seed: int | None = None):
        """Call the function in the kernel (numpy's global generator seeded with `seed`, if
        given); `values` is updated to the arguments as they are after the call."""
        payload = base64.b64encode(pickle.dumps(values)).decode()
        seeded = f", seed={int(seed)!r}" if seed is not None else ""
        expr = f"__kit__.call({self.name!r}, {payload!r}, {dependencies!r}, {self.check_module!r}{seeded})"
        content = self.replay.run("", user_expressions={"r": expr})
        if content.get("status") == "timeout":
            self.trouble.append("timeout")
            raise TimeoutError(f"it did not return within {self.replay.timeout:g} s")
        answer = content.get("user_expressions", {}).get("r", {})
        if answer.get("status") != "ok":
            self.trouble.append("transport")
            raise RuntimeError("the replay kernel could not call it")
        result = _loads(base64.b64decode(ast.literal_eval(answer["data"]["text/plain"])))
        kind = result[0]
        if kind == "ok":
            for category, message in result[2]:
                cls = getattr(builtins, category, None)
                cls = cls if isinstance(cls, type) and issubclass(cls, Warning) else UserWarning
                warnings.warn(message, cls)
            if len(result) > 3 and isinstance(result[3], list) and len(result[3]) == len(values):
                from autograder.replay_kernel import restore_functions

                # Functions among the arguments come back as placeholders: ours are put back.
                values[:] = restore_functions(result[3], values)
            return result[1]
        if kind == "notimpl":
            raise NotImplementedError()
        if kind != "raised" or result[1] not in OWN_FAULT:
            self.trouble.append(kind)
        if kind == "undefined":
            raise NameError(f"name '{self.name}' is not defined")
        if kind == "unsupported":
            raise TypeError(f"it returned {result[1]}, which the grader cannot inspect")
        raise _stand_in(result[1], result[2])


# Exceptions a function raises by itself on the inputs the check builds, in whichever kernel it
# runs: such a raise in the clean re-check is the function's own fault and overrules a check that
# passed in the notebook (a notebook that disables its check cells earns nothing for a function
# that raises). Any other (NameError: a global its notebook's cells did not define here; OSError:
# a file; MemoryError, RecursionError: the kernel's limits; an exception class of the notebook's
# own) may come from the replay kernel being another process in another folder, so it overrules
# nothing.
OWN_FAULT = frozenset({
    "ValueError", "TypeError", "IndexError", "KeyError", "AttributeError", "UnboundLocalError",
    "ZeroDivisionError", "OverflowError", "FloatingPointError", "ArithmeticError", "AssertionError",
    "LinAlgError", "AxisError", "StopIteration",
})


def _stand_in(name: str, text: str) -> Exception:
    """An exception named `name` saying `text`, for one the learner's function raised in the
    replay kernel: a subclass of the builtin of that name when there is one (so a check that does
    `except RecursionError` says the same here as in the notebook), else of Exception. Its str is
    `text` as it was in the kernel (a KeyError's quotes are not added twice)."""
    base = getattr(builtins, name, None)
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = Exception
    members = {"__str__": lambda self: text}
    try:
        return type(name, (base,), members)(text)
    except Exception:  # a builtin whose constructor wants more (UnicodeDecodeError, ExceptionGroup)
        return type(name, (Exception,), members)(text)


def _cells(nb: dict):
    for index, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") == "code":
            yield index, cells.grade_id(cell), cells.source(cell)


def _fetch_answer(replay: Replay, name: str):
    """(answer, seed) of question `name` as captured in the replay kernel; MISSING where the name
    was undefined; raises TypeError for a value that is not plain data."""
    from autograder.quiz import MISSING

    content = replay.run("", user_expressions={"r": f"__kit__.quiz_answer({name!r})"})
    answer = content.get("user_expressions", {}).get("r", {})
    if answer.get("status") != "ok":
        raise RuntimeError("the replay kernel could not report the answer")
    captured = _loads(base64.b64decode(ast.literal_eval(answer["data"]["text/plain"])))
    out = []
    for item in captured:
        if item[0] == "ok":
            out.append(item[1])
        elif item[0] == "undefined":
            out.append(MISSING)
        else:
            raise TypeError(f"it is not a plain value ({item[1]})")
    return tuple(out)


def recheck_quiz(nb: dict, module, timeout: float) -> Verdict:
    """The clean re-check of a quiz: the notebook is replayed in a fresh kernel, each answer and
    QUIZ_SEED are captured at the question's check cell as plain data, and judged here, by the
    kit's own bank, so a notebook that patches the quiz library inside its kernel earns nothing."""
    from autograder import syllabus
    from autograder.checks.ladder import CheckFailed
    from autograder.quiz import MISSING, Quiz, load_bank

    quiz = Quiz(module.of, load_bank(module.of))
    tests = {f.test_id: f.name for f in module.functions}
    out = Verdict()
    with tempfile.TemporaryDirectory() as cwd:
        replay = Replay(timeout, Path(cwd))
        try:
            cells = list(_cells(nb))
            last = max([i for i, (_, gid, _) in enumerate(cells) if gid] or [len(cells) - 1])
            for index, grade_id, source in cells[: last + 1]:
                try:
                    if grade_id in tests:
                        replay.run(f"__kit__.quiz_snapshot(globals(), {tests[grade_id]!r})")
                    elif syllabus.function_of_check(grade_id or "") is None:
                        replay.run(source)
                except KernelDied:
                    out.died_in_cell = index + 1
                    out.died_cell_source = source.strip().splitlines()[0][:80] if source.strip() else ""
                    return out
            for f in module.functions:
                try:
                    answer, seed = _fetch_answer(replay, f.name)
                except TypeError as exc:
                    out.functions[f.name] = FunctionVerdict(
                        False, f"{f.name}: the grader cannot read your answer: {exc}. Write it as a "
                        "plain value: a string, a number, a tuple or a set.")
                    continue
                except (RuntimeError, pickle.UnpicklingError, ValueError, SyntaxError) as exc:
                    out.functions[f.name] = FunctionVerdict(False, f"{f.name}: {exc}", conclusive=False)
                    continue
                namespace = {} if seed is MISSING else {"QUIZ_SEED": seed}
                if answer is not MISSING:
                    namespace[f.name] = answer
                printed = io.StringIO()
                try:
                    with contextlib.redirect_stdout(printed):
                        quiz.check(f.name, namespace)
                    out.functions[f.name] = FunctionVerdict(True, printed.getvalue().strip())
                except CheckFailed as exc:
                    out.functions[f.name] = FunctionVerdict(False, str(exc))
        except KernelDied:
            out.error = "the replay kernel died"
        finally:
            replay.close()
    return out


def recheck(nb: dict, module_id: str, timeout: float) -> Verdict:
    from autograder import syllabus
    from autograder.checks.ladder import CheckFailed

    module = syllabus.load().module(module_id)
    if module.is_quiz:
        return recheck_quiz(nb, module, timeout)
    check_module = module.check_module
    checks = importlib.import_module(check_module)
    # Every check cell, the values check and each rule check of a function (module.toml): at its
    # cell, the function as it is then is captured under the check's name (`f`, `f__rule`).
    tests = {spec.test_id: spec for spec in module.checks}
    out = Verdict()

    def capture(spec) -> str:
        return f"__kit__.snapshot({{{spec.name!r}: globals().get({spec.function!r})}}, {spec.name!r})"

    with tempfile.TemporaryDirectory() as cwd:
        replay = Replay(timeout, Path(cwd))
        try:
            captured = set()
            cells = list(_cells(nb))
            last = max([i for i, (_, gid, _) in enumerate(cells) if gid] or [len(cells) - 1])
            for index, grade_id, source in cells[: last + 1]:
                try:
                    if grade_id in tests:
                        replay.run(capture(tests[grade_id]))
                        captured.add(grade_id)
                    elif syllabus.function_of_check(grade_id or "") is None:
                        replay.run(source)
                except KernelDied:
                    out.died_in_cell = index + 1
                    out.died_cell_source = source.strip().splitlines()[0][:80] if source.strip() else ""
                    return out
            for test_id in set(tests) - captured:  # check cells the learner deleted: nbgrader runs them last
                replay.run(capture(tests[test_id]))
            for spec in module.checks:  # verdicts keyed by the check's name (syllabus.function_of_check)
                remote = RemoteFunction(replay, spec.name, check_module)
                printed = io.StringIO()
                try:
                    with contextlib.redirect_stdout(printed), warnings.catch_warnings():
                        warnings.simplefilter("ignore")
                        getattr(checks, spec.check_function)(remote)
                    out.functions[spec.name] = FunctionVerdict(True, printed.getvalue().strip())
                except CheckFailed as exc:
                    out.functions[spec.name] = FunctionVerdict(False, str(exc), conclusive=not remote.trouble)
                except KernelDied:
                    out.functions[spec.name] = FunctionVerdict(
                        False, "the replay kernel died while running it", conclusive=False)
                    break
        finally:
            replay.close()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m autograder.recheck")
    p.add_argument("notebook")
    p.add_argument("module")
    p.add_argument("--timeout", type=float, default=60)
    args = p.parse_args(argv)
    if os.environ.get("KIT_RECHECK_FAULT"):  # fault injection for the kit's own tests
        raise RuntimeError(f"injected fault: {os.environ['KIT_RECHECK_FAULT']}")
    nb = json.loads(Path(args.notebook).read_text(encoding="utf-8"))
    print(recheck(nb, args.module, args.timeout).to_json())
    return 0


if __name__ == "__main__":
    sys.exit(main())
