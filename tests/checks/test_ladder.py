"""The ladder itself (autograder/checks/ladder.py): every rung, every message of the template, the
likely-cause rule and each hook of `Check`."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.checks.ladder import (Check, CheckFailed, Hint, Invariance, NotAttempted, Raised,
                                      check, mistake)


def ref_double(x):
    return 2 * x


@mistake("the input was returned as it is.")
def _identity(x):
    return x


@mistake("the square was taken.")
def _square(x):
    return x * x


@mistake("one was added.")
def _plus_one(x):
    return x + 1


def run(func, *cases, **options):
    """Run a check of `double` on `cases` (dicts of args, or (note, args)); return the message or None."""

    @check
    def check_double(f):
        c = Check("double", f, ref_double, options.pop("mistakes", (_identity, _square, _plus_one)), **options)
        for case in cases:
            note, args = case if isinstance(case, tuple) else ("", case)
            c.case(note=note, **args)
        c.passed()

    try:
        check_double(func)
    except CheckFailed as exc:
        return exc
    return None


# --- the rungs, in order ------------------------------------------------------------------------


def test_not_a_function():
    exc = run(None, {"x": 1.0})
    assert str(exc) == ("`double` should be a function, but got a NoneType. Run the cell that defines "
                        "`double` (its `def double(...)` line must stay as it is), then this check.")
    assert type(exc) is CheckFailed


def test_not_attempted():
    def stub(x):
        raise NotImplementedError()

    exc = run(stub, {"x": 1.0})
    assert isinstance(exc, NotAttempted)
    assert str(exc) == ("`double` is not attempted yet: replace `raise NotImplementedError()` in its cell "
                        "with your code, run that cell, then run this check again.")


def test_raised_is_its_own_outcome_naming_the_case_and_its_note():
    def raises(x):
        raise ValueError("no")

    exc = run(raises, {"x": 1.0}, ("the second", {"x": np.array([1.0, 2.0])}))
    assert isinstance(exc, Raised) and not isinstance(exc, NotAttempted)
    assert str(exc) == "`double`(x=1) raised ValueError: no"
    assert (exc.exception, exc.detail) == ("ValueError", "no")

    calls = []

    def raises_second(x):
        calls.append(x)
        if len(calls) == 2:
            raise IndexError("out")
        return 2 * x

    exc = run(raises_second, {"x": 1.0}, ("the second", {"x": np.array([1.0, 2.0])}))
    assert str(exc) == "`double`(x=[1. 2.]) [the second] raised IndexError: out"


def test_recursion_is_explained():
    def recurse(x):
        return recurse(x)

    exc = run(recurse, {"x": 1.0})
    assert str(exc) == "`double`(x=1) recursed without end (RecursionError). Does it call itself?"


def test_missing_return():
    def no_return(x):
        2 * x

    assert str(run(no_return, {"x": 1.0})) == "`double`(x=1): got None. Did you forget a `return` statement?"


def test_wrong_type():
    assert str(run(lambda x: "2", {"x": 1.0})) == "`double`(x=1): got a str, expected a number."
    assert str(run(lambda x: np.array([2.0]), {"x": 1.0})) == (
        "`double`(x=1): got a numpy array of shape (1,) and dtype float64, expected a single number. "
        "Return a scalar, not an array.")


def test_wrong_shape_and_the_reshape_hint():
    exc = run(lambda x: (2 * x).reshape(-1, 1), {"x": np.array([1.0, 2.0])})
    assert str(exc) == ("`double`(x=[1. 2.]): got an array of shape (2, 1), expected shape (2,). The "
                        "values may be right but arranged differently: check reshapes and keepdims.")


def test_wrong_dtype_when_integers_are_required():
    exc = run(lambda x: (2 * x).astype(float), {"x": np.array([1, 2])}, strict_int=True, mistakes=())
    assert str(exc) == ("`double`(x=[1 2]): got an array of dtype float64, expected integers (dtype int64). "
                        "Indices must be whole numbers: use an integer dtype.")


def test_wrong_values_and_nan():
    assert str(run(lambda x: 3 * x, {"x": 1.0})) == "`double`(x=1): got 3, expected 2."
    exc = run(lambda x: x * np.nan, {"x": 1.0})
    assert str(exc) == ("`double`(x=1): got nan, which contains nan or inf, expected 2. "
                        "Look for an overflow, a log of 0, or a division by zero.")


def test_values_within_tolerance_pass_with_the_one_line(capsys):
    assert run(lambda x: 2 * x + 1e-12, {"x": 1.0}, {"x": 3.0}) is None
    assert capsys.readouterr().out == "\u2713 double: all 2 cases passed.\n"


def test_note_and_returns_labels():
    def ref_pair(x):
        return x, 2 * x

    c = Check("pair", lambda x: (x, 3 * x), ref_pair, returns=("a", "b"))
    with pytest.raises(CheckFailed) as info:
        c.case(note="a note", x=1.0)
    assert str(info.value) == "`pair`(x=1) [a note]: b: got 3, expected 2."


# --- the likely-cause rule -----------------------------------------------------------------------


def test_a_matching_mistake_is_named():
    assert str(run(_identity.implementation, {"x": 3.0})) == (
        "`double`(x=3): got 3, expected 6. Likely cause: the input was returned as it is.")


def test_several_matching_mistakes_are_joined_by_or():
    # at x = 1, x + 1 = 2 * 1 and x * x = x: identity and square both give 1 on x = 1...
    exc = run(lambda x: x, {"x": 1.0})
    assert str(exc) == ("`double`(x=1): got 1, expected 2. Likely cause: the input was returned as it is. "
                        "Or: the square was taken.")


def test_a_mistake_that_would_have_failed_an_earlier_case_is_not_named():
    # x * x at x = 2 is right (4); at x = 3 it gives 9. A learner giving 9 on x = 3 after passing
    # x = 1 cannot be squaring (square gives 1 on x = 1, not 2): not named.
    calls = []

    def learner(x):
        calls.append(x)
        return 2 * x if len(calls) == 1 else x * x

    exc = run(learner, {"x": 1.0}, {"x": 3.0})
    assert str(exc) == "`double`(x=3): got 9, expected 6."
    # Without the earlier case, the same result is named.
    assert str(run(_square.implementation, {"x": 3.0})).endswith("Likely cause: the square was taken.")


def test_a_mistake_that_is_right_on_the_case_is_not_named():
    # plus_one is right at x = 1 (2): a learner's 5 is not explained by it.
    assert str(run(lambda x: 5.0, {"x": 1.0})) == "`double`(x=1): got 5, expected 2."


def test_a_raising_mistake_is_never_named():
    @mistake("raises.")
    def _raises(x):
        raise ValueError

    assert str(run(lambda x: 5.0, {"x": 1.0}, mistakes=[_raises])) == "`double`(x=1): got 5, expected 2."


# --- hooks ---------------------------------------------------------------------------------------


def test_hint_on_an_exception_type_and_fragment():
    hints = [Hint("Hint: broadcast.", ("ValueError",), ("could not be broadcast",)),
             Hint("Hint: shapes.", ("ValueError", "IndexError"))]

    def raises(message, kind=ValueError):
        def f(x):
            raise kind(message)
        return f

    assert str(run(raises("operands could not be broadcast"), {"x": 1.0}, hints=hints)).endswith(
        "raised ValueError: operands could not be broadcast Hint: broadcast.")
    assert str(run(raises("bad"), {"x": 1.0}, hints=hints)).endswith("raised ValueError: bad Hint: shapes.")
    assert str(run(raises("bad", KeyError), {"x": 1.0}, hints=hints)) == "`double`(x=1) raised KeyError: 'bad'"
    # The exact type name only: the replay kernel's stand-in exception has no hierarchy.
    hint = [Hint("Hint: arithmetic.", ("ArithmeticError",))]
    assert str(run(raises("x", ZeroDivisionError), {"x": 1.0}, hints=hint)) == (
        "`double`(x=1) raised ZeroDivisionError: x")


def test_hint_matches_an_exception_known_by_its_name_only():
    # A function in the replay kernel raises a stand-in class named like the original.
    remote_error = type("ValueError", (Exception,), {})

    def raises(x):
        raise remote_error("far away")

    exc = run(raises, {"x": 1.0}, hints=[Hint("Hint: shapes.", ("ValueError",))])
    assert str(exc) == "`double`(x=1) raised ValueError: far away Hint: shapes."


def test_custom_comparison_and_custom_same():
    def compare(got, expected):
        return None if abs(got - expected) < 0.5 else f"off by {got - expected:g}."

    assert run(lambda x: 2 * x + 0.25, {"x": 1.0}, compare=compare) is None
    assert str(run(lambda x: 2 * x + 1, {"x": 1.0}, compare=compare, mistakes=())) == "`double`(x=1): off by 1."
    # same: a learner's result is a mistake's only if also of the same type.
    same = lambda got, wrong: type(got) is type(wrong) and got == wrong  # noqa: E731
    assert str(run(lambda x: 3, {"x": 3.0}, same=same)) == "`double`(x=3): got 3, expected 6."
    assert str(run(lambda x: 3.0, {"x": 3.0}, same=same)).endswith("Likely cause: the input was returned as it is.")


def test_invariance_aligns_before_comparing_and_remarks_on_what_it_did():
    inv = Invariance(align=lambda got, expected: np.abs(got) if isinstance(got, np.ndarray) else got,
                     remark="(Signs were ignored.)")
    x = np.array([1.0, 2.0])
    assert run(lambda x: -2 * x, {"x": x}, invariance=inv) is None
    exc = run(lambda x: -3 * x, {"x": x}, invariance=inv, mistakes=())
    assert str(exc) == "`double`(x=[1. 2.]): got [3. 6.], expected [2. 4.]. (Signs were ignored.)"
    exc = run(lambda x: 3 * x, {"x": x}, invariance=inv, mistakes=())
    assert str(exc) == "`double`(x=[1. 2.]): got [3. 6.], expected [2. 4.]."  # nothing was aligned


def test_describe_words_the_difference_for_the_case():
    def describe(args, got, expected, reason, causes):
        return f"for x = {args['x']:g} the result is {got:g} ({len(causes)} causes)."

    exc = run(_identity.implementation, {"x": 3.0}, describe=describe)
    assert str(exc) == "`double`(x=3): for x = 3 the result is 3 (1 causes). Likely cause: the input was returned as it is."


def test_seed_makes_randomness_deterministic_and_leaves_the_callers_stream_alone():
    def ref_draw(n):
        return np.random.permutation(n)

    np.random.seed(123)
    before = np.random.get_state()[1].copy()
    c = Check("draw", ref_draw, ref_draw)
    c.case(seed=7, n=10)
    assert np.array_equal(np.random.get_state()[1], before)
    with pytest.raises(CheckFailed, match="Likely cause: seeded itself"):
        Check("draw", lambda n: np.random.default_rng(0).permutation(n), ref_draw,
              [mistake("seeded itself")(lambda n: np.random.default_rng(0).permutation(n))]).case(seed=7, n=10)


def test_seed_travels_to_a_remote_function():
    received = {}

    class Remote:
        def __call__(self, *args):
            return self.remote_call(list(args), [])

        def remote_call(self, values, dependencies, seed=None):
            received["seed"] = seed
            return 2 * values[0]

    Check("double", Remote(), ref_double).case(seed=5, x=1.0)
    assert received["seed"] == 5
    Check("double", Remote(), ref_double).case(x=1.0)  # no seed: the old call, without the keyword
    assert received["seed"] is None


def _mutating(x):
    result = 2 * x
    x[0] = 99.0
    return result


def test_mutation_off_by_default_and_report_only_keeps_the_verdict():
    x = np.array([1.0, 2.0])
    c = Check("double", _mutating, lambda x: 2 * np.array([1.0, 2.0]))
    c.case(x=x)
    assert c.mutated == [] and x[0] == 1.0  # the case's own data is never spoiled
    c = Check("double", _mutating, lambda x: 2 * np.array([1.0, 2.0]), mutation="report")
    c.case(x=x)
    assert c.mutated == ["x"]
    c.case(x=np.array([1.0, 2.0]))
    assert c.mutated == ["x"]
    c = Check("double", ref_double, ref_double, mutation="report")
    c.case(x=x)
    assert c.mutated == []


def test_mutation_fail_names_the_argument_unless_it_may_change():
    def ref_pair(x, y):
        return 2 * np.array([1.0, 2.0])

    def mutates_x(x, y):
        return _mutating(x)

    with pytest.raises(CheckFailed) as info:
        Check("double", mutates_x, ref_pair, mutation="fail").case(note="n", x=np.array([1.0, 2.0]), y=1)
    assert str(info.value) == ("`double`(x=[1. 2.], y=1) [n]: your function changed its argument x (the "
                               "caller's x is now different); it must leave x as it is.")
    Check("double", mutates_x, ref_pair, mutation="fail", mutable=("x",)).case(x=np.array([1.0, 2.0]), y=1)


def test_mutation_sees_what_a_remote_function_sends_back():
    class Remote:
        def __call__(self, *args):
            return self.remote_call(list(args), [])

        def remote_call(self, values, dependencies):
            values[:] = [np.array([99.0, 2.0])]  # recheck.RemoteFunction: the args after the call
            return np.array([2.0, 4.0])

    c = Check("double", Remote(), ref_double, mutation="report")
    c.case(x=np.array([1.0, 2.0]))
    assert c.mutated == ["x"]


def test_dependencies_are_swapped_in_and_put_back():
    def helper(x):
        return -1

    namespace = {"helper": helper}
    exec("def learner(x):\n    return helper(x)", namespace)
    Check("double", namespace["learner"], ref_double, dependencies={"helper": ref_double}).case(x=1.0)
    assert namespace["helper"] is helper


def test_check_decorator_keeps_the_outcome_type_and_drops_inner_frames():
    def raises(x):
        raise ValueError("no")

    exc = run(raises, {"x": 1.0})
    assert type(exc) is Raised and exc.__cause__ is None and exc.__suppress_context__
    assert (exc.exception, exc.detail) == ("ValueError", "no")


def test_a_mistake_that_changes_its_argument_is_named_only_for_a_learner_who_does_too():
    @mistake("x was changed in place.")
    def _in_place(x):
        return _mutating(x)

    def ref(x):
        return 2 * np.array([1.0, 2.0])

    with pytest.raises(CheckFailed) as info:
        Check("double", _in_place.implementation, ref, [_in_place], mutation="fail").case(x=np.array([1.0, 2.0]))
    assert str(info.value).endswith("it must leave x as it is. Likely cause: x was changed in place.")
    # The same values without the change in place are right, and the mistake is not a match for
    # a learner whose values are wrong without changing x.
    with pytest.raises(CheckFailed) as info:
        Check("double", lambda x: 3 * x, ref, [_in_place], mutation="fail").case(x=np.array([1.0, 2.0]))
    assert "Likely cause" not in str(info.value)


def test_named_by_names_the_given_mistakes_that_give_the_learners_result():
    c = Check("double", _identity.implementation, ref_double, [_identity, _square, _plus_one])
    assert c.named_by({"x": 1.0}, 1.0, [_identity, _square, _plus_one]) == [
        "the input was returned as it is.", "the square was taken."]
    assert c.named_by({"x": 1.0}, 1.0, [_plus_one]) == []


def test_explain_gives_causes_when_no_mistake_does_and_hooks_see_the_case():
    seen = []

    def compare(got, expected):
        seen.append(dict(c.args))
        return None if got == expected else f"got {got}, expected {expected}."

    c = Check("double", lambda x: 7.0, ref_double, [_identity], compare=compare,
              explain=lambda args, got, expected: [f"{got:g} is not twice {args['x']:g}."])
    with pytest.raises(CheckFailed) as info:
        c.case(x=1.0)
    assert str(info.value) == "`double`(x=1): got 7.0, expected 2.0. Likely cause: 7 is not twice 1."
    assert seen[0] == {"x": 1.0}


@pytest.mark.parametrize("got,expected,message", [
    (1.0, (1.0, 2.0), "got a float, expected a tuple of 2 values."),
    ((1.0,), (1.0, 2.0), "got 1 values, expected 2."),
    (5, [1.0, 2.0], "got a int, expected a list of 2 values."),
    ([1.0], [1.0, 2.0], "got a sequence of 1 values, expected 2."),
    (np.array([1.0, 3.0]), [1.0, 2.0], "got [1. 3.], expected [1. 2.]."),
    (1, True, "got a int, expected True or False."),
    (False, True, "got False, expected True."),
    (2.5, 2, "got 2.5 (a float), expected the integer 2."),
    (np.array(["a"]), np.array([1.0]), "got an array of dtype <U1, expected numbers."),
    ([1.0], np.array([1.0]), "got a list, expected a numpy array of shape (1,)."),
    ("a", "b", "got 'a', expected 'b'."),
])
def test_every_message_of_the_comparison(got, expected, message):
    from autograder.checks.ladder import compare
    assert compare(got, expected, rtol=1e-6, atol=1e-9, strict_int=True) == message


# --- issue 15 §2: what explains a failure when no catalogued mistake does (all opt-in) ---------


def ref_grad(x):
    return 2.0 * x, 3.0  # a pair, as compute_gradient's (dj_dw, dj_db)


def ref_step(x):
    dj_dw, dj_db = ref_grad(x)
    return x - dj_dw, dj_db


def _learner(source):
    namespace = {"np": np}
    exec(source, namespace)
    return namespace["learner"]


COURSE_ORDER = ("def learner(x):\n"
                "    dj_db, dj_dw = grad(x)\n"
                "    return x - dj_dw, dj_db\n")


def test_a_pair_dependency_unpacked_the_other_way_round_is_named():
    options = dict(dependencies={"grad": ref_grad}, pair_dependencies={"grad": ("dj_dw", "dj_db")},
                   returns=("x", "dj_db"))
    with pytest.raises(CheckFailed) as info:
        Check("step", _learner(COURSE_ORDER), ref_step, **options).case(x=np.array([1.0, 2.0]))
    assert "Likely cause: your function unpacks `grad`'s result as (dj_db, dj_dw) (the original course's " \
           "order); this kit's `grad` returns (dj_dw, dj_db)" in str(info.value)
    # Raising: the cause replaces the bare exception.
    raising = _learner("def learner(x):\n    dj_db, dj_dw = grad(x)\n    return x - dj_dw[0], dj_db\n")
    with pytest.raises(Raised) as info:
        Check("step", raising, lambda x: (x - 2.0 * x[0], 3.0), **options).case(x=np.array([1.0, 2.0]))
    assert "raised TypeError" in str(info.value) and "Likely cause: your function unpacks `grad`'s" in str(info.value)
    # Without pair_dependencies (the default), nothing is tried.
    with pytest.raises(CheckFailed) as info:
        Check("step", _learner(COURSE_ORDER), ref_step, dependencies={"grad": ref_grad}).case(x=np.array([1.0, 2.0]))
    assert "unpacks" not in str(info.value)


def test_a_pair_returned_in_the_course_order_too_is_named_with_both():
    def ref_pair(x):  # the pair, regularized
        dj_dw, dj_db = ref_grad(x)
        return dj_dw + x, dj_db

    learner = _learner("def learner(x):\n    dj_db, dj_dw = grad(x)\n    dj_dw = dj_dw + x\n"
                       "    return dj_db, dj_dw\n")
    with pytest.raises(CheckFailed) as info:
        Check("pair", learner, ref_pair, dependencies={"grad": ref_grad}, returns=("dj_dw", "dj_db"),
              pair_dependencies={"grad": ("dj_dw", "dj_db")}).case(x=np.array([1.0, 2.0]))
    assert str(info.value).endswith("write `dj_dw, dj_db = grad(...)`, and return (dj_dw, dj_db), in that order, too.")


def test_a_remote_function_gets_the_swapped_dependency_as_plain_data():
    # In the clean re-check the dependencies travel as plain data (a name, or a name marked
    # "swap"), and the replay kernel resolves them to the references: the same cause is named.
    import sys

    from autograder.checks.ladder import resolve_dependencies

    class Remote:
        sent = []

        def __call__(self, *args):
            return self.remote_call(list(args), [])

        def remote_call(self, values, dependencies):
            Remote.sent.append(dependencies)
            grad = resolve_dependencies(dependencies, sys.modules[__name__])["grad"]
            dj_db, dj_dw = grad(values[0])  # the course's order
            return values[0] - dj_dw, dj_db

    with pytest.raises(CheckFailed) as info:
        Check("step", Remote(), ref_step, dependencies={"grad": ref_grad},
              pair_dependencies={"grad": ("dj_dw", "dj_db")}).case(x=np.array([1.0, 2.0]))
    assert "Likely cause: your function unpacks `grad`'s result as (dj_db, dj_dw)" in str(info.value)
    assert Remote.sent[0] == ["grad"] and {"name": "grad", "swap": True} in Remote.sent[1]


def test_detail_raised_shows_shapes_dtypes_and_small_inputs_whole():
    def raises(X, w, b):
        raise ValueError("no")

    with pytest.raises(Raised) as info:
        Check("f", raises, lambda X, w, b: 0.0, detail_raised=True).case(
            note="n", X=np.arange(12.0).reshape(6, 2), w=np.array([1, 2]), b=0.5)
    assert str(info.value) == ("`f`(X=[[ 0. 1.] [ 2. 3.] [ 4. 5.] [ 6. 7.] [ 8. 9.] [10. 11.]] (shape (6, 2), "
                               "float64), w=[1 2] (shape (2,), int64), b=0.5 (float)) [n] raised ValueError: no")
    with pytest.raises(Raised) as info:  # a large input: abridged, with its shape and dtype
        Check("f", raises, lambda X, w, b: 0.0, detail_raised=True).case(X=np.zeros((30, 4)), w=np.ones(4), b=1)
    assert "X=[[0. 0. 0. 0.] [0. 0. 0. 0.] ... [0. 0. 0. 0.] [0. 0. 0. 0.]] (shape (30, 4), float64)" in str(info.value)
    with pytest.raises(Raised) as info:  # the default: as before
        Check("f", raises, lambda X, w, b: 0.0).case(X=np.arange(12.0).reshape(6, 2), w=np.array([1, 2]), b=0.5)
    assert str(info.value) == "`f`(X=[[ 0. 1.] [ 2. 3.] ... [ 8. 9.] [10. ..., w=[1 2], b=0.5) raised ValueError: no"


def test_one_example_versus_a_batch_is_said_in_words_on_a_shape_error():
    def one_example(X, w):
        return np.dot(w, X)  # written for one x of shape (n,)

    with pytest.raises(Raised) as info:
        Check("f", one_example, lambda X, w: X @ w, examples={"X": "batch"}).case(
            X=np.ones((4, 2)), w=np.ones(2))
    assert "not aligned" in str(info.value)
    assert ("X is a batch of 4 examples, shape (4, 2) (one row per example); your code seems to treat it as "
            "one example.") in str(info.value)

    def batch_code(a_in, W):
        return a_in[:, 0] @ W  # written for a batch

    with pytest.raises(Raised) as info:
        Check("f", batch_code, lambda a_in, W: a_in @ W, examples={"a_in": "one"}).case(
            a_in=np.ones(3), W=np.ones((3, 2)))
    assert "a_in is one example, shape (3,) (a 1-D vector, not a batch" in str(info.value)

    def other_error(X, w):
        raise KeyError("w")

    with pytest.raises(Raised) as info:
        Check("f", other_error, lambda X, w: X @ w, examples={"X": "batch"}).case(X=np.ones((4, 2)), w=np.ones(2))
    assert "batch" not in str(info.value)


def test_a_probe_points_at_an_argument_the_result_does_not_depend_on():
    def ref_affine(x, b):
        return 2 * x + b

    def ignores_b(x, b):
        return 2 * x + 1.0

    with pytest.raises(CheckFailed) as info:
        Check("f", ignores_b, ref_affine, probe=("x", "b")).case(x=np.array([1.0, 2.0]), b=3.0)
    assert str(info.value) == ("`f`(x=[1. 2.], b=3): got [3. 5.], expected [5. 7.]. Your result does not change when "
                               "`b` changes, but the expected one does: does your code use the argument `b`, rather "
                               "than a global variable or a value fixed in the code?")
    with pytest.raises(CheckFailed) as info:  # without probe (the default): the bare numbers
        Check("f", ignores_b, ref_affine).case(x=np.array([1.0, 2.0]), b=3.0)
    assert str(info.value) == "`f`(x=[1. 2.], b=3): got [3. 5.], expected [5. 7.]."
    with pytest.raises(CheckFailed) as info:  # a catalogued mistake is named instead
        Check("f", ignores_b, ref_affine, [mistake("b is 1.")(ignores_b)], probe=("b",)).case(
            x=np.array([1.0, 2.0]), b=3.0)
    assert "does not change" not in str(info.value) and "Likely cause: b is 1." in str(info.value)


@pytest.mark.parametrize("factor,words", [
    (-1.0, "Your result is the negative of the expected one (a sign is flipped)."),
    (2.0, "Your result is twice the expected one (a factor 2, or a 1/2, is missing or extra)."),
    (4.0, "Your result is m = 4 times the expected one (is a division by m missing?)."),
    (0.125, "Your result is 1/(2m) = 1/8 times the expected one (is there an extra division by 2m?)."),
    (3.0, None),
])
def test_ratios_say_when_the_result_is_a_simple_multiple(factor, words):
    def ref_total(X):
        return float(np.sum(X))

    with pytest.raises(CheckFailed) as info:
        Check("f", lambda X: factor * float(np.sum(X)), ref_total, ratios=True,
              examples={"X": "batch"}).case(X=np.arange(1.0, 9.0).reshape(4, 2))
    if words is None:
        assert str(info.value).endswith("expected 36.")
    else:
        assert str(info.value).endswith(words)


def test_a_check_puts_the_callers_random_stream_back_once_even_when_it_fails_or_nests():
    """Inside a `check`, numpy's global state is saved at the first seeded call and put back at
    the check's end (not around every call): after a passing, a failing and a nested check, the
    caller's stream goes on as if no check had run."""
    from autograder.checks.ladder import check

    def ref_draw(n):
        return np.random.permutation(n)

    @check
    def check_draw(draw):
        c = Check("draw", draw, ref_draw)
        for seed in (1, 2, 3):
            c.case(seed=seed, n=10)

    @check
    def check_draw_twice(draw):
        check_draw(draw)
        Check("draw", draw, ref_draw).case(seed=4, n=10)

    np.random.seed(123)
    expected = np.random.rand(3)
    for impl, raises in ((ref_draw, False), (lambda n: np.arange(n), True)):
        for check_fn in (check_draw, check_draw_twice):
            np.random.seed(123)
            if raises:
                with pytest.raises(CheckFailed):
                    check_fn(impl)
            else:
                check_fn(impl)
            assert np.array_equal(np.random.rand(3), expected)
