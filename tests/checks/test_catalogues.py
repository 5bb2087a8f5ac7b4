"""Every module's check library against its own catalogue: each catalogued mistake is rejected and
named, the reference passes, the stub is reported as not attempted, and each graded function has
at least 6 catalogued mistakes and at least 2 correct alternatives in its module's test file."""

from __future__ import annotations

import importlib

import pytest

from autograder import syllabus
from autograder.checks.ladder import NotAttempted
from tests.checks.helpers import assert_accepts, assert_rejects, not_attempted

FUNCTIONS = [(m.id, f.name) for m in syllabus.load().modules for f in m.functions]


def check_module(module_id: str):
    return importlib.import_module(f"autograder.checks.{module_id.replace('-', '_')}")


def module_tests(module_id: str):
    return importlib.import_module(f"tests.checks.test_{module_id.replace('-', '_')}")


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
