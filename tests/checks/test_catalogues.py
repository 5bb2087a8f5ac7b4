"""Every module's check library against its own catalogue: each catalogued mistake is rejected and
named, the reference passes, the stub is reported as not attempted, and each graded function has
at least 6 catalogued mistakes and at least 2 correct alternatives in its module's test file."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from autograder import syllabus
from autograder.checks.ladder import NotAttempted
from tests.checks.helpers import assert_accepts, assert_rejects, not_attempted

FUNCTIONS = [(m.id, f.name) for m in syllabus.load().modules for f in m.functions]


def check_module(module_id: str):
    return importlib.import_module(syllabus.check_module_name(module_id))


def module_tests(module_id: str):
    return importlib.import_module(f"tests.checks.test_{syllabus.python_name(module_id)}")


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_catalogue_has_at_least_six_mistakes(module_id, name):
    assert len(check_module(module_id).MISTAKES[name]) >= 6


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_at_least_two_correct_alternatives_are_tested(module_id, name):
    assert len(module_tests(module_id).CORRECT[name]) >= 2


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_every_catalogued_mistake_is_rejected_and_named(module_id, name):
    mod = check_module(module_id)
    check_fn = getattr(mod, f"check_{name}")
    for m in mod.MISTAKES[name]:
        assert_rejects(check_fn, m.implementation, "Likely cause:", m.cause)


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_reference_passes(module_id, name):
    mod = check_module(module_id)
    assert_accepts(getattr(mod, f"check_{name}"), getattr(mod, f"ref_{name}"))


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_correct_alternatives_pass(module_id, name):
    check_fn = getattr(check_module(module_id), f"check_{name}")
    for impl in module_tests(module_id).CORRECT[name]:
        assert_accepts(check_fn, impl)


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_stub_is_not_attempted(module_id, name):
    check_fn = getattr(check_module(module_id), f"check_{name}")
    with pytest.raises(NotAttempted, match=f"`{name}` is not attempted yet"):
        check_fn(not_attempted)


@pytest.mark.parametrize("module_id,name", FUNCTIONS)
def test_not_a_function_is_explained(module_id, name):
    check_fn = getattr(check_module(module_id), f"check_{name}")
    with pytest.raises(AssertionError, match="should be a function"):
        check_fn(None)


# The checks that judge a change of the arguments themselves: kMeans_init_centroids (its own rule),
# and every function a module lists in ARGUMENTS_KEPT (its arguments must not change: the caller's
# data stays as it was; the exercise says so). Every other check passes copies, so a function that
# spoils its inputs passes.
JUDGES_MUTATION = {"kMeans_init_centroids"}


def _keeps_arguments(module_id: str, name: str) -> bool:
    return name in getattr(check_module(module_id), "ARGUMENTS_KEPT", ())


def _spoil(value, result_ids):
    """Overwrite, in place, every array and list inside `value` (not the result's own)."""
    if id(value) in result_ids:
        return
    if isinstance(value, np.ndarray):
        if value.flags.writeable:
            value[...] = 0
    elif isinstance(value, list):
        for v in value:
            _spoil(v, result_ids)
        if all(not isinstance(v, (np.ndarray, list, tuple, dict)) for v in value):
            value.clear()
    elif isinstance(value, tuple):
        for v in value:
            _spoil(v, result_ids)
    elif isinstance(value, dict):
        for v in value.values():
            _spoil(v, result_ids)


def _spoiling(ref):
    def mutates(*args):
        result = ref(*args)
        ids = {id(result)} | ({id(r) for r in result} if isinstance(result, (tuple, list)) else set())
        for arg in args:
            _spoil(arg, ids)
        return result

    return mutates


@pytest.mark.parametrize("module_id,name", [f for f in FUNCTIONS if f[1] not in JUDGES_MUTATION
                                            and not _keeps_arguments(*f)])
def test_mutating_the_inputs_does_not_spoil_later_cases(module_id, name):
    mod = check_module(module_id)
    assert_accepts(getattr(mod, f"check_{name}"), _spoiling(getattr(mod, f"ref_{name}")))


@pytest.mark.parametrize("module_id,name", [f for f in FUNCTIONS if _keeps_arguments(*f)])
def test_changing_an_argument_that_must_stay_is_rejected_naming_it(module_id, name):
    mod = check_module(module_id)
    message = assert_rejects(getattr(mod, f"check_{name}"), _spoiling(getattr(mod, f"ref_{name}")),
                             "your function changed its argument")
    assert "it must leave" in message
