"""Every check behaves the same in the notebook and in the clean re-check.

For each module, one replay kernel (recheck.Replay) holds each catalogued mistake, each correct
alternative of the module's tests, the stub and a function that raises; the check runs on each
through recheck.RemoteFunction, as the clean re-check does, and must give the same outcome (passed,
not attempted, raised or incorrect) with the same message as when it runs in this process."""

from __future__ import annotations

import importlib
from pathlib import Path

import numpy as np
import pytest

from autograder import syllabus
from autograder.recheck import RemoteFunction, Replay
from tests.checks.goldens import _outcome

REPO = Path(__file__).resolve().parents[2]
# (c3w1-kmeans differed until its check used the ladder's seeds and mutation hooks: seeds were set
# in this process only, and X's mutation was looked for in the local copy.)
MODULES = [m.id for m in syllabus.load().modules]


def _impls(module_id: str):
    """(label, module path, attribute) of every implementation to compare, per check: each
    function's values check and each of its rule checks (module.toml), with its own catalogue."""
    module = syllabus.load().module(module_id)
    checks = importlib.import_module(module.check_module)
    tests_path = f"tests.checks.test_{syllabus.python_name(module_id)}"
    tests = importlib.import_module(tests_path)
    for spec in module.checks:
        impls = [("reference", module.check_module, f"ref_{spec.function}")]
        for i, m in enumerate(checks.MISTAKES[spec.name]):
            impls.append((f"mistake {m.implementation.__name__}", module.check_module, ("MISTAKES", spec.name, i)))
        for i, impl in enumerate(tests.CORRECT[spec.function]):
            impls.append((f"correct {impl.__name__}", tests_path, ("CORRECT", spec.function, i)))
        impls.append(("stub", None, "stub"))
        impls.append(("raises", None, "raises"))
        yield spec, impls


def _local(path, attr):
    if path is None:
        return {"stub": _stub, "raises": _raises}[attr]
    mod = importlib.import_module(path)
    if isinstance(attr, str):
        return getattr(mod, attr)
    table, name, i = attr
    value = getattr(mod, table)[name][i]
    return getattr(value, "implementation", value)


def _stub(*args):
    raise NotImplementedError()


def _raises(*args):
    raise ValueError("raised on purpose")


KERNEL_HELPERS = '''
import importlib, sys
sys.path.insert(0, {repo!r})
def _stub(*args):
    raise NotImplementedError()
def _raises(*args):
    raise ValueError("raised on purpose")
def _define(name, path, attr):
    if path is None:
        func = {{"stub": _stub, "raises": _raises}}[attr]
    else:
        mod = importlib.import_module(path)
        if isinstance(attr, str):
            func = getattr(mod, attr)
        else:
            value = getattr(mod, attr[0])[attr[1]][attr[2]]
            func = getattr(value, "implementation", value)
    __kit__.SNAPSHOTS[name] = func
'''


@pytest.mark.slow
@pytest.mark.parametrize("module_id", MODULES)
def test_every_check_says_the_same_through_the_recheck_transport(module_id, tmp_path):
    module = syllabus.load().module(module_id)
    checks = importlib.import_module(module.check_module)
    replay = Replay(timeout=60, cwd=tmp_path)
    differences = []
    try:
        content = replay.run(KERNEL_HELPERS.format(repo=str(REPO)))
        assert content["status"] == "ok", content
        for spec, impls in _impls(module_id):
            check_fn = getattr(checks, spec.check_function)
            for label, path, attr in impls:
                here = _outcome(check_fn, _local(path, attr))
                # captured under the check's name, as recheck.recheck captures it at its check cell
                content = replay.run(f"_define({spec.name!r}, {path!r}, {attr!r})")
                assert content["status"] == "ok", content
                remote = RemoteFunction(replay, spec.name, module.check_module)
                there = _outcome(check_fn, remote)
                if here != there:
                    differences.append(f"{spec.name} / {label}:\n  here:  {here}\n  there: {there}"
                                       + (f"\n  trouble: {remote.trouble}" if remote.trouble else ""))
    finally:
        replay.close()
    assert not differences, "in-process and re-check outcomes differ:\n" + "\n".join(differences)


def _here_and_there(tmp_path, module_id: str, name: str, source: str):
    """The outcome of `name`'s check on the function `source` defines, in this process and
    through the clean re-check's transport."""
    module = syllabus.load().module(module_id)
    check_fn = getattr(importlib.import_module(module.check_module), f"check_{name}")
    namespace = {"np": np}
    exec(source, namespace)
    here = _outcome(check_fn, namespace[name])
    replay = Replay(timeout=60, cwd=tmp_path)
    try:
        assert replay.run("import numpy as np\n" + source)["status"] == "ok"
        assert replay.run(f"__kit__.snapshot(globals(), {name!r})")["status"] == "ok"
        there = _outcome(check_fn, RemoteFunction(replay, name, module.check_module))
    finally:
        replay.close()
    return here, there


COURSE_ORDER_GRADIENT_REG = """
def compute_gradient_reg(X, y, w, b, lambda_=1.0):
    m, n = X.shape
    dj_db, dj_dw = compute_gradient(X, y, w, b)
    dj_dw = dj_dw + (lambda_ / m) * w
    return dj_dw, dj_db
"""


@pytest.mark.slow
def test_a_dependency_unpacked_in_the_course_order_is_named_in_the_recheck_too(tmp_path):
    # The swapped reference travels as {"name": ..., "swap": True} (ladder.dependency_entries).
    here, there = _here_and_there(tmp_path, "c1w3", "compute_gradient_reg", COURSE_ORDER_GRADIENT_REG)
    assert "Likely cause: your function unpacks `compute_gradient`'s result as (dj_db, dj_dw)" in there
    assert here == there


RECURSING_TREE = """
def build_tree(X, y, node_indices, max_depth, current_depth=0):
    return build_tree(X, y, node_indices, max_depth, current_depth)  # never stops
"""


@pytest.mark.slow
def test_a_recursion_without_end_is_named_in_the_recheck_too(tmp_path):
    # The replay kernel's exception comes back as a subclass of the builtin of its name, so
    # the ladder's `except RecursionError` catches it here as in the notebook.
    here, there = _here_and_there(tmp_path, "c2w4", "build_tree", RECURSING_TREE)
    assert "recursed without end (RecursionError)" in there
    assert here == there


def test_the_stand_in_of_a_builtin_exception_is_one_and_says_the_same():
    from autograder.recheck import _stand_in

    assert isinstance(_stand_in("RecursionError", "deep"), RecursionError)
    assert str(_stand_in("KeyError", "'bad'")) == "'bad'"  # not quoted twice
    for name in ("LinAlgError", "SystemExit", "UnicodeDecodeError"):  # no builtin, not an Exception, odd arguments
        exc = _stand_in(name, "text")
        assert type(exc).__name__ == name and isinstance(exc, Exception) and str(exc) == "text"
