"""Every module's check library against its own catalogue: each catalogued mistake is rejected and
named, the reference passes, the stub is reported as not attempted, and each graded function has
at least 6 catalogued mistakes and at least 2 correct alternatives in its module's test file.

A function with rule checks (module.toml `[[functions.checks]]`: a rule beyond the mathematics,
with its own points) has a catalogue per check: `MISTAKES["f"]` for its values check and
`MISTAKES["f__rule"]` for each rule. Every mistake of a rule's catalogue is right mathematics that
breaks the rule: the values check passes it (its points are kept) and only that rule's check
rejects it, naming the mistake and stating the rule."""

from __future__ import annotations

import importlib

import numpy as np
import pytest

from autograder import syllabus
from autograder.checks.ladder import NotAttempted
from tests.checks.helpers import assert_accepts, assert_rejects, not_attempted

FUNCTIONS = [(m.id, f.name) for m in syllabus.load().modules for f in m.functions]
# Every check cell: (module id, check name, the check library's function), the rule checks too.
CHECKS = [(m.id, c.name, c.check_function) for m in syllabus.load().modules for c in m.checks]
RULES = [(m.id, c) for m in syllabus.load().modules for c in m.checks if c.rule is not None]


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


@pytest.mark.parametrize("module_id,name,check_name", CHECKS)
def test_every_catalogued_mistake_is_rejected_and_named(module_id, name, check_name):
    mod = check_module(module_id)
    check_fn = getattr(mod, check_name)
    for m in mod.MISTAKES[name]:
        assert_rejects(check_fn, m.implementation, "Likely cause:", m.cause)


@pytest.mark.parametrize("module_id,name,check_name", CHECKS)
def test_reference_passes(module_id, name, check_name):
    mod = check_module(module_id)
    assert_accepts(getattr(mod, check_name), getattr(mod, f"ref_{syllabus.split_check_name(name)[0]}"))


@pytest.mark.parametrize("module_id,name,check_name", CHECKS)
def test_correct_alternatives_pass(module_id, name, check_name):
    """Every correct alternative of a function passes each of its checks, the rule checks too."""
    check_fn = getattr(check_module(module_id), check_name)
    for impl in module_tests(module_id).CORRECT[syllabus.split_check_name(name)[0]]:
        assert_accepts(check_fn, impl)


@pytest.mark.parametrize("module_id,name,check_name", CHECKS)
def test_stub_is_not_attempted(module_id, name, check_name):
    check_fn = getattr(check_module(module_id), check_name)
    function = syllabus.split_check_name(name)[0]
    with pytest.raises(NotAttempted, match=f"`{function}` is not attempted yet"):
        check_fn(not_attempted)


@pytest.mark.parametrize("module_id,name,check_name", CHECKS)
def test_not_a_function_is_explained(module_id, name, check_name):
    check_fn = getattr(check_module(module_id), check_name)
    with pytest.raises(AssertionError, match="should be a function"):
        check_fn(None)


# --- partial credit: a rule beyond the mathematics is its own check, with its own points --------


@pytest.mark.parametrize("module_id,rule", RULES, ids=[c.name for _, c in RULES])
def test_breaking_a_rule_keeps_the_values_points_and_loses_only_the_rule(module_id, rule):
    """Each mistake of a rule's catalogue (right mathematics, the rule broken) passes the values
    check and every other rule of its function, and is rejected by its own rule's check with its
    cause and the rule's words (what the rule asks, and that it is worth points of its own)."""
    mod = check_module(module_id)
    module = syllabus.load().module(module_id)
    function = next(f for f in module.functions if f.name == rule.function)
    assert len(mod.MISTAKES[rule.name]) >= 2, f"{rule.name}: at least two ways to break the rule"
    for m in mod.MISTAKES[rule.name]:
        for other in function.checks:
            if other.name != rule.name:
                assert_accepts(getattr(mod, other.check_function), m.implementation)
        message = assert_rejects(getattr(mod, rule.check_function), m.implementation, m.cause,
                                 rule.text, "a rule beyond the mathematics")


@pytest.mark.parametrize("module_id,rule", RULES, ids=[c.name for _, c in RULES])
def test_a_rule_check_waits_for_right_values(module_id, rule):
    """A function whose mathematics is wrong does not earn a rule's points: the rule check says
    the values come first (and states the rule); the values check names the mistake."""
    mod = check_module(module_id)
    for m in mod.MISTAKES[rule.function]:
        assert_rejects(getattr(mod, rule.check_function), m.implementation,
                       "its values are not right yet", rule.text)


def test_the_manifest_lists_the_rules_of_the_four_named_cases():
    """Issue 11 §3's cases, each a rule check with its own points beside the values check."""
    syl = syllabus.load()
    named = {("c1w3", "sigmoid", "stable"), ("c2w2", "my_softmax", "batch"), ("c2w2", "my_softmax", "stable"),
             ("c3w1-anomaly", "select_threshold", "no_warnings"),
             ("c3w1-kmeans", "compute_centroids", "empty_cluster")}
    found = {(m.id, c.function, c.rule) for m in syl.modules for c in m.checks if c.rule}
    assert named <= found
    for module_id, function, _ in named:
        f = next(f for f in syl.module(module_id).functions if f.name == function)
        assert f.points > sum(r.points for r in f.rules) / len(f.rules), "the mathematics earns the most points"


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
