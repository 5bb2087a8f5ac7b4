"""The shared ladder every check climbs, and the one message template all checks speak.

A check builds its cases, calls only the learner's function under test, and stops at the first
rung that fails: defined -> attempted -> ran without raising -> returned something -> right type ->
right shape -> right dtype -> right values (within tolerance). A failure raises `CheckFailed`
(an `AssertionError`) whose message follows one template:

    `compute_cost`(x=[1. 2.], y=[300. 500.], w=200, b=100): got 3.5, expected 1.75.
    Likely cause: ...

The "likely cause" comes from the check's catalogue of plausible mistakes: each mistake is a small
wrong implementation, run on the same case; when the learner's result equals a mistake's result
(and not the reference's), the mistake is named. The same catalogues are the kit's tests of the
checks themselves: every catalogued mistake must be rejected with its own diagnosis.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import numbers
import warnings
from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as np

# Keep private references, so a learner's cell that re-binds numpy's functions cannot change how
# the check compares.
_allclose = np.allclose
_asarray = np.asarray
_isfinite = np.isfinite


# What numpy reports while a learner's function runs: its defaults (underflow to 0 is silent).
WARN_ON = {"over": "warn", "invalid": "warn", "divide": "warn", "under": "ignore"}


class CheckFailed(AssertionError):
    """The learner's function gave a wrong result (the message is the diagnosis)."""


class NotAttempted(CheckFailed):
    """The learner has not written the function yet (the stub still raises NotImplementedError)."""


class Raised(CheckFailed):
    """The learner's function raised an exception on a case (beside "not attempted" and a wrong
    result, "incorrect", which is a plain `CheckFailed`). `exception` is the exception's type name
    and `detail` its message; a function run in the replay kernel (recheck.py) raises there, so
    the type is known by its name only."""

    def __init__(self, message: str, exception: str = "", detail: str = ""):
        super().__init__(message)
        self.exception, self.detail = exception, detail


@dataclass(frozen=True)
class Hint:
    """Words added to the message when the learner's function raises one of `exceptions` (exact
    type names, not their base classes; empty: any), and, if `fragments` are given, the
    exception's message contains one of them. The first hint that applies is added."""

    text: str
    exceptions: tuple[str, ...] = ()
    fragments: tuple[str, ...] = ()

    def applies(self, names: Sequence[str], detail: str) -> bool:
        if self.exceptions and not any(n in self.exceptions for n in names):
            return False
        return not self.fragments or any(f in detail for f in self.fragments)


@dataclass(frozen=True)
class Invariance:
    """A comparison that ignores what does not matter (the sign of an eigenvector, a reshape):
    `align(got, expected)` returns the learner's result made comparable; when the result was
    changed and the difference found starts with `label` (any, if empty), `remark` is added."""

    align: Callable[[Any, Any], Any]
    remark: str = ""
    label: str = ""


@dataclass(frozen=True)
class Mistake:
    """A plausible wrong implementation and the words that name it for the learner."""

    cause: str
    implementation: Callable[..., Any]


def mistake(cause: str) -> Callable[[Callable[..., Any]], Mistake]:
    """Decorator that turns a wrong implementation into a catalogued `Mistake`."""

    def wrap(fn: Callable[..., Any]) -> Mistake:
        return Mistake(cause=cause, implementation=fn)

    return wrap


# ---------------------------------------------------------------------------------------------
# Showing values: short, one line, never a wall of numbers.


def show(value: Any, limit: int = 80) -> str:
    if isinstance(value, np.ndarray):
        text = np.array2string(value, precision=6, threshold=6, edgeitems=2, separator=" ")
        text = " ".join(text.split())
        if value.ndim > 0 and value.size > 6:
            text += f" (shape {value.shape})"
    elif isinstance(value, tuple):
        text = "(" + ", ".join(show(v, limit) for v in value) + ("," if len(value) == 1 else "") + ")"
    elif isinstance(value, list):
        items = [show(v, limit) for v in value[:6]]
        text = "[" + ", ".join(items) + (", ...]" if len(value) > 6 else "]")
        if len(value) > 6:
            text += f" (a list of {len(value)})"
    elif isinstance(value, (float, np.floating)):
        text = f"{float(value):.6g}"
    else:
        text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def show_args(args: dict[str, Any]) -> str:
    return ", ".join(f"{k}={show(v, 40)}" for k, v in args.items())


def type_name(value: Any) -> str:
    if isinstance(value, np.ndarray):
        return f"a numpy array of shape {value.shape} and dtype {value.dtype}"
    if isinstance(value, np.generic):
        return f"a numpy {type(value).__name__}"
    return f"a {type(value).__name__}"


# ---------------------------------------------------------------------------------------------
# Comparing a result with the expected one. Each function returns None when they agree, or the
# reason they differ, in words for the learner.


def _is_number(value: Any) -> bool:
    return isinstance(value, (numbers.Number, np.generic)) and not isinstance(value, (str, bytes))


def _is_integer(value: Any) -> bool:
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (numbers.Integral, np.integer)):
        return True
    return isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.integer)


def compare(got: Any, expected: Any, *, rtol: float, atol: float, strict_int: bool = False,
            label: str = "") -> str | None:
    prefix = f"{label}: " if label else ""
    if got is None and expected is not None:
        return f"{prefix}got None. Did you forget a `return` statement?"
    if isinstance(expected, tuple):
        if not isinstance(got, (tuple, list)):
            return f"{prefix}got {type_name(got)}, expected a tuple of {len(expected)} values."
        if len(got) != len(expected):
            return f"{prefix}got {len(got)} values, expected {len(expected)}."
        return None  # the elements are compared one by one by the caller, with their names
    if isinstance(expected, list) and not _is_number(expected):
        # A list result (J_history, index lists): the learner may return a list or a 1-D array.
        if isinstance(got, (str, bytes, dict)) or not hasattr(got, "__len__"):
            return f"{prefix}got {type_name(got)}, expected a list of {len(expected)} values."
        if len(got) != len(expected):
            return f"{prefix}got a sequence of {len(got)} values, expected {len(expected)}."
        return compare(_asarray(got) if len(got) else np.zeros(0), _asarray(expected) if len(expected) else np.zeros(0),
                       rtol=rtol, atol=atol, strict_int=strict_int, label=label)
    if isinstance(expected, (bool, np.bool_)):
        if not isinstance(got, (bool, np.bool_)):
            return f"{prefix}got {type_name(got)}, expected True or False."
        return None if bool(got) == bool(expected) else f"{prefix}got {got}, expected {expected}."
    if _is_number(expected):
        if isinstance(got, np.ndarray) and got.ndim == 0:
            got = got[()]
        if not _is_number(got):
            if isinstance(got, np.ndarray):
                return (f"{prefix}got {type_name(got)}, expected a single number. "
                        "Return a scalar, not an array.")
            return f"{prefix}got {type_name(got)}, expected a number."
        if strict_int and _is_integer(expected) and not _is_integer(got):
            return f"{prefix}got {show(got)} ({type_name(got)}), expected the integer {expected}."
        return _compare_values(got, expected, rtol, atol, prefix)
    if isinstance(expected, np.ndarray):
        if not isinstance(got, np.ndarray):
            return f"{prefix}got {type_name(got)}, expected a numpy array of shape {expected.shape}."
        if got.shape != expected.shape:
            hint = ""
            if got.size == expected.size:
                hint = " The values may be right but arranged differently: check reshapes and keepdims."
            return f"{prefix}got an array of shape {got.shape}, expected shape {expected.shape}.{hint}"
        if strict_int and _is_integer(expected) and not _is_integer(got):
            return (f"{prefix}got an array of dtype {got.dtype}, expected integers "
                    f"(dtype {expected.dtype}). Indices must be whole numbers: use an integer dtype.")
        if not np.issubdtype(got.dtype, np.number) and got.dtype != np.bool_:
            return f"{prefix}got an array of dtype {got.dtype}, expected numbers."
        return _compare_values(got, expected, rtol, atol, prefix)
    # Anything else (strings, None expected, ...): plain equality.
    return None if got == expected else f"{prefix}got {show(got)}, expected {show(expected)}."


def _compare_values(got: Any, expected: Any, rtol: float, atol: float, prefix: str) -> str | None:
    got_a = _asarray(got, dtype=float)
    exp_a = _asarray(expected, dtype=float)
    if not bool(np.all(_isfinite(got_a))) and bool(np.all(_isfinite(exp_a))):
        return (f"{prefix}got {show(got)}, which contains nan or inf, expected {show(expected)}. "
                "Look for an overflow, a log of 0, or a division by zero.")
    if _allclose(got_a, exp_a, rtol=rtol, atol=atol, equal_nan=True):
        return None
    return f"{prefix}got {show(got)}, expected {show(expected)}."


# ---------------------------------------------------------------------------------------------
# The check itself.


class Check:
    """One learner function under test: its cases, its reference and its catalogue of mistakes.

    `dependencies` maps names the learner's function may call (other graded functions) to the
    reference versions, swapped in while it runs, so a bug in an earlier function never fails a
    later check.

    The hooks, all optional:

    - `compare(got, expected)`: the difference in words or None, instead of the ladder's own
      comparison (`differs`);
    - `same(got, wrong)`: whether the learner's result is a catalogued mistake's (default: they do
      not differ by the comparison); used by the likely-cause rule, `likely_causes`;
    - `invariance`: an `Invariance`, the comparison ignoring e.g. a component's sign;
    - `hints`: `Hint`s added when the learner's function raises;
    - `describe(args, got, expected, reason, causes)`: the difference worded for the case (the
      seed that gave a wrong action, the entries of a table that differ);
    - `explain(args, got, expected)`: the likely causes when no catalogued mistake explains the
      result (a threshold off the candidates' grid, say);
    - `mutation`: whether to look at the arguments after the call: None (do not look), "report"
      (record the names of the changed arguments in `mutated`, verdict unchanged) or "fail" (a
      changed argument fails the case, naming it); `mutable` names arguments that may change;
    - a case's `seed` seeds numpy's global generator before each call (learner, reference and
      mistakes alike), in this process or in the replay kernel (see recheck.py);
    - `pair_dependencies` maps a dependency that returns a pair to the names of its two values
      (`{"compute_gradient": ("dj_dw", "dj_db")}`): when the learner's function raises or is wrong,
      it is run again with that dependency's pair swapped, and if that makes it right, the message
      says it unpacks the pair in the other order (a remote function, see recheck.py, gets the
      swapped reference as a `{"name": ..., "swap": True}` entry, see `dependency_entries`);
    - `detail_raised`: when the learner's function raises, show every input's shape and dtype, and
      small inputs whole (not abridged), so the values that made it raise can be seen;
    - `examples` maps argument names to "batch" (rows, or entries of a 1-D array, are examples) or
      "one" (a single example, a 1-D vector): a shape error (numpy's "not aligned", "could not be
      broadcast", ...) is then explained in those words;
    - `rule`: the words of the rule a rule check holds the function to, beyond the mathematics
      (`rule_words`, from the manifest): every failure of this check ends with them, so the
      learner reads which rule cost the points and what it asks (see `check_rule`);
    - `probe` names the arguments to vary when no catalogued mistake explains a wrong result (a
      dict maps a name to its own `perturb(value)`): a result that does not change when `b`
      changes, while the expected one does, is pointed out; `ratios` says so when the result is a
      simple multiple of the expected one (-1, 2, 1/2, m, 1/m, with m from an `examples` batch).
    """

    def __init__(self, name: str, func: Any, reference: Callable[..., Any],
                 mistakes: Sequence[Mistake] = (), *, returns: Sequence[str] | None = None,
                 rtol: float = 1e-6, atol: float = 1e-9, strict_int: bool = False,
                 dependencies: dict[str, Callable[..., Any]] | None = None,
                 compare: Callable[[Any, Any], str | None] | None = None,
                 same: Callable[[Any, Any], bool] | None = None,
                 invariance: Invariance | None = None,
                 hints: Sequence[Hint] = (),
                 describe: Callable[..., str] | None = None,
                 explain: Callable[..., list[str]] | None = None,
                 mutation: str | None = None, mutable: Sequence[str] = (),
                 pair_dependencies: dict[str, tuple[str, str]] | None = None,
                 detail_raised: bool = False, examples: dict[str, str] | None = None,
                 probe: Sequence[str] | dict[str, Callable[[Any], Any]] = (), ratios: bool = False,
                 rule: str = ""):
        self.name = name
        self.rule = rule
        self.func = func
        self.reference = reference
        self.mistakes = tuple(mistakes)
        self.returns = tuple(returns) if returns else None
        self.rtol, self.atol, self.strict_int = rtol, atol, strict_int
        self.dependencies = dependencies or {}
        self.compare_hook, self.same_hook, self.invariance = compare, same, invariance
        self.hints = tuple(hints)
        self.describe = describe
        self.explain = explain
        self.args: dict[str, Any] = {}  # the case being judged (for hooks that need its inputs)
        if mutation not in (None, "report", "fail"):
            raise ValueError(f"mutation must be None, 'report' or 'fail', not {mutation!r}")
        self.mutation, self.mutable = mutation, tuple(mutable)
        self.pair_dependencies = dict(pair_dependencies or {})
        self.detail_raised = detail_raised
        self.examples = dict(examples or {})
        if any(kind not in ("batch", "one") for kind in self.examples.values()):
            raise ValueError("examples maps argument names to 'batch' or 'one'")
        self.probe = dict(probe) if isinstance(probe, dict) else {name: None for name in probe}
        self.ratios = ratios
        self.mutated: list[str] = []  # the arguments the last call changed (when looked at)
        self._wrong_mutated: list[str] = []  # the same, for the last mistake run
        self.seed: int | None = None  # the seed of the case being run
        self.cases = 0
        self.note = ""
        self.passed_cases: list[dict[str, Any]] = []  # args of the cases passed so far
        self.passed_seeds: list[int | None] = []
        self.caught_warnings: list[warnings.WarningMessage] = []
        if func is None or not callable(func):
            raise CheckFailed(
                f"`{name}` should be a function, but got {type_name(func)}. Run the cell that "
                f"defines `{name}` (its `def {name}(...)` line must stay as it is), then this check."
            )

    # -- calling --------------------------------------------------------------------------------

    def call(self, args: dict[str, Any]) -> Any:
        """Run the learner's function on a copy of `args` (so it cannot spoil the case)."""
        values = copy.deepcopy(list(args.values()))
        self.mutated = []
        try:
            got = self._invoke(values, self.dependencies)
        except NotImplementedError:
            raise NotAttempted(
                f"`{self.name}` is not attempted yet: replace `raise NotImplementedError()` in its "
                "cell with your code, run that cell, then run this check again."
            ) from None
        except CheckFailed:
            raise
        except RecursionError:
            message = (f"`{self.name}`({show_args(args)}){_note(self.note)} recursed without end "
                       "(RecursionError). Does it call itself?")
            raise CheckFailed(message + self._rule_suffix(message)) from None
        except Exception as exc:  # the learner's code raised: say which input made it raise
            raise Raised(self._raised_message(args, exc), type(exc).__name__, str(exc)) from None
        if self.mutation is not None:
            self.mutated = _changed(args, values)
        return got

    def _invoke(self, values: list[Any], dependencies: dict[str, Callable[..., Any]]) -> Any:
        """Call the learner's function on `values` (changed in place as the call leaves them),
        with `dependencies` swapped in, numpy's warnings recorded in `caught_warnings`."""
        with warnings.catch_warnings(record=True) as caught, np.errstate(**WARN_ON), \
                dependencies_swapped_in(self.func, dependencies), _seeded(self.seed):
            warnings.simplefilter("always")
            try:
                # A learner's function replayed in a clean kernel (recheck.py) takes the
                # dependencies (and the seed) along, and sends its arguments back as they
                # are after the call; an ordinary one gets them swapped into its globals.
                remote = getattr(self.func, "remote_call", None)
                if remote is not None:
                    entries = dependency_entries(dependencies)
                    if self.seed is not None:
                        return remote(values, entries, seed=self.seed)
                    return remote(values, entries)
                return self.func(*values)
            finally:
                self.caught_warnings = list(caught)

    def _raised_message(self, args: dict[str, Any], exc: Exception) -> str:
        """The message when the learner's function raised `exc` on `args`: the case (its note and
        its inputs), the exception, and what explains it (a pair unpacked in the other order, an
        example taken for a batch or the reverse, a hint)."""
        shown = show_inputs(args) if self.detail_raised else show_args(args)
        message = f"`{self.name}`({shown}){_note(self.note)} raised {type(exc).__name__}: {exc}"
        stop = "" if message.rstrip().endswith((".", "!", "?", ":")) else "."
        swapped = self.swapped_dependency(args)
        if swapped:
            return f"{message.rstrip()}{stop} Likely cause: {swapped}"
        batch = self._batch_words(args, str(exc))
        if batch:
            message = f"{message.rstrip()}{stop} {batch}"
        # By the exact type name: the replay kernel's stand-in (recheck._stand_in) keeps a
        # builtin's hierarchy but not another's (numpy's LinAlgError), and a check must say the
        # same in the notebook and in the clean re-check.
        names = [type(exc).__name__]
        for hint in self.hints:
            if hint.applies(names, str(exc)):
                message += f" {hint.text}"
                break
        return message + self._rule_suffix(message)

    def _rule_suffix(self, message: str) -> str:
        if not self.rule:
            return ""
        stop = "" if message.rstrip().endswith((".", "!", "?")) else "."
        return f"{stop} {self.rule}"

    # -- what explains a failure when no catalogued mistake does ---------------------------------

    def swapped_dependency(self, args: dict[str, Any]) -> str:
        """If the learner's function is right on `args` once a pair-returning dependency
        (`pair_dependencies`) gives its pair the other way round, the words that say so; else ''.
        A remote function gets the swapped reference too (`dependency_entries`)."""
        for dep_name, (first, second) in self.pair_dependencies.items():
            dep = self.dependencies.get(dep_name)
            if dep is None:
                continue
            swapped = dict(self.dependencies)
            swapped[dep_name] = _swapping_pair(dep)
            saved = self.mutated, self.caught_warnings
            try:
                with warnings.catch_warnings(), np.errstate(all="ignore"):
                    warnings.simplefilter("ignore")
                    got = self._invoke(copy.deepcopy(list(args.values())), swapped)
                expected = self.expected(args)
                right = self.values_differ(got, expected) is None
                # ... and returns its own pair in the course's order too (the same two names)
                returned_swapped = (not right and self.returns == (first, second)
                                    and isinstance(got, (tuple, list)) and len(got) == 2
                                    and self.values_differ((got[1], got[0]), expected) is None)
            except Exception:
                right = returned_swapped = False
            finally:
                self.mutated, self.caught_warnings = saved
            if right:
                return unpacked_in_other_order(dep_name, first, second)
            if returned_swapped:
                return (unpacked_in_other_order(dep_name, first, second)[:-1]
                        + f", and return ({first}, {second}), in that order, too.")
        return ""

    def _batch_words(self, args: dict[str, Any], detail: str) -> str:
        """For a shape error (numpy's own words), what the inputs declared in `examples` are and
        what that means for the code; '' when it is not a shape error or nothing is declared."""
        if not self.examples or not any(f in detail for f in SHAPE_ERRORS):
            return ""
        parts = []
        for key, kind in self.examples.items():
            value = args.get(key)
            if not isinstance(value, np.ndarray):
                continue
            if kind == "batch" and value.ndim == 2:
                m, n = value.shape
                parts.append(
                    f"{key} is a batch of {m} example{'s' if m != 1 else ''}, shape {value.shape} (one row "
                    f"per example); your code seems to treat it as one example. Work on all the rows "
                    f"at once (a matrix product handles every row), or loop over the rows {key}[i], "
                    f"each of shape ({n},).")
            elif kind == "one" and value.ndim == 1:
                parts.append(
                    f"{key} is one example, shape {value.shape} (a 1-D vector, not a batch: it has no "
                    f"rows and no axis 1); your code seems to treat it as a batch. Index it as "
                    f"{key}[j], or use it whole in a dot product.")
            elif kind == "one" and value.ndim == 2:
                parts.append(
                    f"{key} is one example here, shape {value.shape}, not a batch of examples.")
        return " ".join(parts[:1])

    def point_at_difference(self, args: dict[str, Any], got: Any, expected: Any) -> str:
        """When no catalogued mistake explains a wrong result: the part of the computation that
        differs, as far as the probes (`probe`, `ratios`) can tell; '' when they cannot."""
        words = []
        if self.ratios:
            words.extend(self._ratio_words(args, got, expected))
        still = [key for key, perturb in self.probe.items()
                 if key in args and self._unchanged_when_varied(args, key, perturb, got, expected)]
        if still:
            names = " or ".join(f"`{key}`" for key in still)
            words.append(f"Your result does not change when {names} change{'s' if len(still) == 1 else ''}, "
                         f"but the expected one does: does your code use the argument{'s' if len(still) > 1 else ''} "
                         f"{' and '.join(f'`{key}`' for key in still)}, rather than a global variable or a value "
                         "fixed in the code?")
        return " ".join(words)

    def _unchanged_when_varied(self, args, key, perturb, got, expected) -> bool:
        """Whether the learner's result stays `got` when `args[key]` is changed (by `perturb`, or
        the default change) while the expected result does not stay `expected`."""
        changed = dict(args)
        try:
            changed[key] = (perturb or _perturb)(args[key])
        except Exception:
            return False
        if changed[key] is _MISSING:
            return False
        saved = self.mutated, self.caught_warnings, self.args
        self.args = changed
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"):
                warnings.simplefilter("ignore")
                got2 = self._invoke(copy.deepcopy(list(changed.values())), self.dependencies)
                expected2 = self.expected(changed)
        except Exception:
            return False
        finally:
            self.mutated, self.caught_warnings, self.args = saved
        return self.values_differ(expected2, expected) is not None and self.values_differ(got2, got) is None

    def _ratio_words(self, args, got, expected) -> str | list[str]:
        m = None
        for key, kind in self.examples.items():
            value = args.get(key)
            if kind == "batch" and isinstance(value, np.ndarray) and value.ndim >= 1:
                m = value.shape[0]
                break
        if isinstance(expected, tuple) and isinstance(got, (tuple, list)) and len(got) == len(expected):
            names = self.returns or tuple(f"value {i + 1}" for i in range(len(expected)))
            pairs = list(zip(names, got, expected))
        else:
            pairs = [("", got, expected)]
        words = []
        for label, g, e in pairs:
            if self.standard_differs((g,), (e,)) is None:
                continue
            factor, hint = _simple_ratio(g, e, m, self.rtol, self.atol)
            if factor:
                what = f"your {label}" if label else "your result"
                words.append(f"{what[0].upper()}{what[1:]} is {factor} the expected one{hint}.")
        return words

    def expected(self, args: dict[str, Any]) -> Any:
        with _seeded(self.seed):
            return self.reference(*copy.deepcopy(list(args.values())))

    # -- comparing ------------------------------------------------------------------------------

    def differs(self, got: Any, expected: Any) -> str | None:
        """The first difference between a result and the expected one, or None. With
        mutation="fail", a changed argument (`mutated`, of the call that gave `got`) is one."""
        if self.mutation == "fail":
            changed = [key for key in self.mutated if key not in self.mutable]
            if changed:
                return (f"your function changed its argument {changed[0]} (the caller's {changed[0]} "
                        f"is now different); it must leave {changed[0]} as it is.")
        return self.values_differ(got, expected)

    def values_differ(self, got: Any, expected: Any) -> str | None:
        """The first difference between the results themselves (the arguments aside), or None."""
        if self.invariance is not None:
            aligned = self.invariance.align(got, expected)
            reason = self._differs(aligned, expected)
            inv = self.invariance
            if (reason is not None and inv.remark and not _identical(aligned, got)
                    and (not inv.label or reason.startswith(f"{inv.label}:"))):
                reason += f" {inv.remark}"
            return reason
        return self._differs(got, expected)

    def _differs(self, got: Any, expected: Any) -> str | None:
        if self.compare_hook is not None:
            return self.compare_hook(got, expected)
        return self.standard_differs(got, expected)

    def standard_differs(self, got: Any, expected: Any) -> str | None:
        """The ladder's own comparison (type, shape, dtype, values; a tuple element by element)."""
        top = compare(got, expected, rtol=self.rtol, atol=self.atol, strict_int=self.strict_int)
        if top is not None or not isinstance(expected, tuple):
            return top
        names = self.returns or tuple(f"value {i + 1}" for i in range(len(expected)))
        for label, g, e in zip(names, got, expected):
            reason = compare(g, e, rtol=self.rtol, atol=self.atol, strict_int=self.strict_int,
                             label=label)
            if reason is not None:
                return reason
        return None

    def matches(self, got: Any, wrong: Any) -> bool:
        """Whether the learner's result is a (wrong) catalogued result."""
        if self.mutation is not None and self.mutated != self._wrong_mutated:
            return False  # the arguments they changed are part of what they did
        # A result that cannot even be compared with the catalogued one (a ragged list against an
        # array, say) is not that mistake: the learner is told what differs from the expected
        # result instead, never numpy's own error.
        try:
            if self.same_hook is not None:
                return bool(self.same_hook(got, wrong))
            return self.values_differ(got, wrong) is None
        except (ValueError, TypeError, IndexError, KeyError):
            return False

    def likely_causes(self, args: dict[str, Any], got: Any, expected: Any) -> list[str]:
        """The likely-cause rule: the catalogued mistakes that are wrong on this case, whose
        result is the learner's, and that would also have passed every case the learner passed
        before it."""
        causes = []
        for m in self.mistakes:
            wrong = self._run_mistake(m, args, self.seed)
            if wrong is _MISSING or self._as_mistake(self.differs, wrong, expected) is None \
                    or not self.matches(got, wrong):
                continue
            seeds = self.passed_seeds + [None] * (len(self.passed_cases) - len(self.passed_seeds))
            if all(self._mistake_passes(m, earlier, seed)
                   for earlier, seed in zip(self.passed_cases, seeds)):
                causes.append(m.cause)
        return causes

    def named_by(self, args: dict[str, Any], got: Any, among: Sequence[Mistake]) -> list[str]:
        """The causes of the mistakes of `among` whose result on `args` (under the current seed)
        is the learner's `got`: for a rule across cases, which the per-case rule cannot see."""
        causes = []
        for m in among:
            wrong = self._run_mistake(m, args, self.seed)
            if wrong is not _MISSING and self.matches(got, wrong):
                causes.append(m.cause)
        return causes

    def _run_mistake(self, m: Mistake, args: dict[str, Any], seed: int | None = None) -> Any:
        """A mistake's result on `args` (_MISSING if it raises); the arguments it changed are
        kept in `_wrong_mutated` (when mutation is looked at)."""
        values = copy.deepcopy(list(args.values()))
        self._wrong_mutated = []
        try:
            with warnings.catch_warnings(), np.errstate(all="ignore"), _seeded(seed):
                warnings.simplefilter("ignore")
                wrong = m.implementation(*values)
        except Exception:
            return _MISSING
        if self.mutation is not None:
            self._wrong_mutated = _changed(args, values)
        return wrong

    def _as_mistake(self, fn: Callable[..., Any], *a: Any) -> Any:
        """`fn(*a)` judging the mistake's call: its changed arguments stand for the learner's."""
        saved, self.mutated = self.mutated, self._wrong_mutated
        try:
            return fn(*a)
        finally:
            self.mutated = saved

    def _mistake_passes(self, m: Mistake, args: dict[str, Any], seed: int | None = None) -> bool:
        wrong = self._run_mistake(m, args, seed)
        if wrong is _MISSING:
            return False
        saved = self.seed, self.args
        self.seed, self.args = seed, args
        try:
            return self._as_mistake(self.differs, wrong, self.expected(args)) is None
        finally:
            self.seed, self.args = saved

    def fail(self, args: dict[str, Any] | None, reason: str, causes: Sequence[str] = (),
             note: str = "") -> None:
        where = f"`{self.name}`({show_args(args)})" if args is not None else f"`{self.name}`"
        if note:
            where += f" [{note}]"
        message = f"{where}: {reason}"
        if causes:
            message += " Likely cause: " + " Or: ".join(causes)
        raise CheckFailed(message + self._rule_suffix(message))

    def case(self, note: str = "", *, seed: int | None = None, **args: Any) -> Any:
        """Run one case against the reference; fail with the diagnosis if they differ.
        `seed`, if given, seeds numpy's global generator before every call on this case."""
        return self.run_case(args, note, seed)

    def run_case(self, args: dict[str, Any], note: str = "", seed: int | None = None) -> Any:
        self.cases += 1
        self.note = note  # named in the message if the learner's function raises on this case
        self.seed, self.args = seed, args
        got = self.call(args)
        expected = self.expected(args)
        reason = self.differs(got, expected)
        if reason is not None:
            causes = self.likely_causes(args, got, expected)
            if not causes and self.pair_dependencies and self.values_differ(got, expected) is not None:
                swapped = self.swapped_dependency(args)
                causes = [swapped] if swapped else []
            if not causes and self.explain is not None:
                causes = self.explain(args, got, expected)
            if self.describe is not None:
                reason = self.describe(args, got, expected, reason, causes)
            if not causes and (self.probe or self.ratios) and self.values_differ(got, expected) is not None:
                pointer = self.point_at_difference(args, got, expected)
                if pointer:
                    reason = f"{reason} {pointer}"
            self.fail(args, reason, causes, note)
        self.passed_cases.append(args)
        self.passed_seeds.append(seed)
        return got

    def passed(self) -> None:
        print(f"\u2713 {self.name}: all {self.cases} cases passed." if self.cases != 1 else
              f"\u2713 {self.name}: its case passed.")


_MISSING = object()

# What numpy says when an array has another shape than the code expects (one example given a
# batch, or the reverse).
SHAPE_ERRORS = ("not aligned", "could not be broadcast", "matmul: Input operand", "mismatch in its core dimension",
                "too many indices for array", "setting an array element with a sequence",
                "only length-1 arrays", "only size-1 arrays", "truth value of an array with more than one element",
                "tuple index out of range", "can only convert an array of size 1")


def unpacked_in_other_order(dep_name: str, first: str, second: str) -> str:
    """The words for a function that unpacks `dep_name`'s pair (first, second) the other way round."""
    return (f"your function unpacks `{dep_name}`'s result as ({second}, {first}) (the original course's "
            f"order); this kit's `{dep_name}` returns ({first}, {second}), see the exercise's signature: "
            f"write `{first}, {second} = {dep_name}(...)`.")


def _swapping_pair(dep: Callable[..., Any]) -> Callable[..., Any]:
    """`dep` with the two values of its result the other way round."""

    def swapped(*a: Any, **k: Any) -> Any:
        first, second = dep(*a, **k)
        return second, first

    swapped.swaps_pair_of = dep  # type: ignore[attr-defined]  # how it travels: dependency_entries
    return swapped


def dependency_entries(dependencies: dict[str, Callable[..., Any]]) -> list[Any]:
    """How `dependencies` travel to the replay kernel (see recheck.py), as plain data: a name
    for a reference, `{"name": name, "swap": True}` for a reference with its pair swapped."""
    return [{"name": name, "swap": True} if getattr(dep, "swaps_pair_of", None) is not None else name
            for name, dep in dependencies.items()]


def resolve_dependencies(entries: Sequence[Any], references: Any) -> dict[str, Callable[..., Any]]:
    """In the replay kernel: `dependency_entries`' entries back to functions, the references
    `ref_<name>` of the check module `references` (swapped where an entry says so)."""
    out = {}
    for entry in entries:
        name = entry["name"] if isinstance(entry, dict) else entry
        ref = getattr(references, f"ref_{name}")
        out[name] = _swapping_pair(ref) if isinstance(entry, dict) and entry.get("swap") else ref
    return out


def _perturb(value: Any) -> Any:
    """The default change of a probed argument: a number + 1 (x 2 + 1 if it is 0 or 1), a float
    array shifted and scaled; anything else is not probed (_MISSING)."""
    if isinstance(value, (bool, np.bool_)):
        return _MISSING
    if _is_number(value):
        return type(value)(value * 2 + 1) if value in (0, 1) else type(value)(value + 1)
    if isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating) and value.size:
        return value * 1.25 + (0.5 + 0.375 * np.arange(value.size)).reshape(value.shape)
    return _MISSING


def _simple_ratio(got: Any, expected: Any, m: int | None, rtol: float, atol: float) -> tuple[str, str]:
    """('twice', ' (a factor 2 ...)'), ('m = 6 times', ...), ... when got is that multiple of
    expected (entry by entry, with a nonzero expected): the factor and what it suggests;
    ('', '') otherwise."""
    try:
        g = _asarray(got, dtype=float)
        e = _asarray(expected, dtype=float)
    except (TypeError, ValueError):
        return "", ""
    if g.shape != e.shape or not e.size or not bool(np.all(_isfinite(g))) or not bool(np.any(np.abs(e) > atol)):
        return "", ""
    candidates = [(-1.0, "the negative of"), (2.0, "twice"), (0.5, "half")]
    if m and m > 2:
        candidates += [(float(m), f"m = {m} times"), (1.0 / m, f"1/m = 1/{m} times"),
                       (2.0 * m, f"2m = {2 * m} times"), (1.0 / (2 * m), f"1/(2m) = 1/{2 * m} times"),
                       (m / (m - 1), f"m/(m-1) = {m}/{m - 1} times"),
                       ((m - 1) / m, f"(m-1)/m = {m - 1}/{m} times")]
    for k, words in candidates:
        if _allclose(g, k * e, rtol=max(rtol, 1e-9), atol=atol):
            hint = {"the negative of": " (a sign is flipped)",
                    "twice": " (a factor 2, or a 1/2, is missing or extra)",
                    "half": " (a factor 2, or a 1/2, is missing or extra)"}.get(words, "")
            if words.startswith("m ="):
                hint = " (is a division by m missing?)"
            elif words.startswith("1/m"):
                hint = " (is there an extra division by m?)"
            elif words.startswith("2m"):
                hint = " (is the division by 2m missing?)"
            elif words.startswith("1/(2m)"):
                hint = " (is there an extra division by 2m?)"
            elif "m-1" in words:
                hint = " (m - 1 and m mixed up: a loop that skips an example, or a division by m - 1?)"
            return words, hint
    return "", ""


def show_inputs(args: dict[str, Any], whole: int = 40) -> str:
    """The inputs of a case with every array's shape and dtype, and arrays of up to `whole`
    entries shown whole (larger ones abridged), numbers with their type."""
    parts = []
    for key, value in args.items():
        if isinstance(value, np.ndarray):
            if 0 < value.size <= whole:
                text = np.array2string(value, precision=6, threshold=whole + 1, separator=" ")
                text = " ".join(text.split())
            else:
                text = np.array2string(value, precision=6, threshold=6, edgeitems=2, separator=" ")
                text = " ".join(text.split())
                text = text if len(text) <= 100 else text[:97] + "..."
            parts.append(f"{key}={text} (shape {value.shape}, {value.dtype})")
        elif _is_number(value) and not isinstance(value, (bool, np.bool_)):
            parts.append(f"{key}={show(value)} ({type(value).__name__})")
        else:
            parts.append(f"{key}={show(value, 60)}")
    return ", ".join(parts)


_KEPT: list = []  # while a check runs: [numpy's global state before its first seeded call, or None]


@contextlib.contextmanager
def _seeded(seed: int | None):
    """While the block runs, numpy's global generator is seeded with `seed` (if not None); its
    state is put back afterwards (inside a `check`, once, at its end), so a check never changes the
    learner's random stream."""
    if seed is None:
        yield
        return
    if _KEPT:  # inside a check (`check`): the state was saved once, and is put back at its end
        if _KEPT[0] is None:
            _KEPT[0] = np.random.get_state()
        np.random.seed(seed)
        yield
        return
    state = np.random.get_state()
    np.random.seed(seed)
    try:
        yield
    finally:
        np.random.set_state(state)


def _changed(args: dict[str, Any], values: list[Any]) -> list[str]:
    """The names of the arguments whose copies (`values`, after a call) differ from `args`."""
    return [key for key, before, after in zip(args, args.values(), values) if not _unchanged(before, after)]


def _identical(a: Any, b: Any) -> bool:
    """Exactly the same data (an aligned result against the learner's own)."""
    return a is b or _unchanged(a, b)


def _unchanged(before: Any, after: Any) -> bool:
    """Whether an argument is as it was: same type, shape, dtype and values (nan equal to nan)."""
    if isinstance(before, dict) and isinstance(after, dict):  # a dict subclass travels as a dict
        return before.keys() == after.keys() and all(_unchanged(before[k], after[k]) for k in before)
    if type(before) is not type(after):
        return False
    if isinstance(before, np.ndarray):
        if before.shape != after.shape or before.dtype != after.dtype:
            return False
        try:
            return bool(np.array_equal(before, after, equal_nan=True))
        except TypeError:
            return bool(np.array_equal(before, after))
    if isinstance(before, (list, tuple)):
        return len(before) == len(after) and all(_unchanged(a, b) for a, b in zip(before, after))
    if type(before).__eq__ is object.__eq__ and hasattr(before, "__dict__"):
        return _unchanged(vars(before), vars(after))  # a plain object, deep-copied: its fields
    try:
        return bool(before == after) or (before != before and after != after)
    except Exception:
        return True


@contextlib.contextmanager
def dependencies_swapped_in(func: Any, dependencies: dict[str, Callable[..., Any]]):
    """While the block runs, the names in `dependencies` (other graded functions) in `func`'s
    globals are the given reference versions; the learner's own are put back afterwards.
    A function without globals (a remote one, see recheck.py) is left alone."""
    namespace = getattr(func, "__globals__", None)
    saved = {}
    if namespace is not None:
        for dep_name, dep in dependencies.items():
            saved[dep_name] = namespace.get(dep_name, _MISSING)
            namespace[dep_name] = dep
    try:
        yield
    finally:
        for dep_name, old in saved.items():
            if old is _MISSING:
                namespace.pop(dep_name, None)
            else:
                namespace[dep_name] = old


def swapped_pair_describe(c: Check, first: str = "dj_dw", second: str = "dj_db"):
    """A `describe` hook for a check whose result is the pair (first, second): when the learner's
    first value is the expected second one (the original course's order), say so, and name the
    catalogued mistake (if one, and only one kind, fits) that explains the other value."""

    def describe(args, got, expected, reason, causes):
        if causes or not isinstance(got, (tuple, list)) or len(got) != 2 or not isinstance(expected, tuple):
            return reason
        if c.standard_differs((got[0],), (expected[1],)) is not None or \
                c.standard_differs((got[0],), (expected[0],)) is None:
            return reason
        reason += (f" Your first value is the expected {second}: this kit returns ({first}, {second}), "
                   f"in that order (the original course's labs return ({second}, {first})).")
        if c.standard_differs((got[1],), (expected[0],)) is None:
            return reason
        fits = []
        for m in c.mistakes:
            wrong = c._run_mistake(m, args, c.seed)
            if not isinstance(wrong, tuple) or len(wrong) != 2:
                continue
            if c.standard_differs((got[1],), (wrong[0],)) is None and \
                    c.standard_differs((wrong[0],), (expected[0],)) is not None and m.cause not in fits:
                fits.append(m.cause)
        if len(fits) == 1:
            reason += f" And your {first} (returned second) is wrong too; likely cause: {fits[0]}"
        return reason

    return describe


def rule_words(module_id: str, function: str, rule: str) -> str:
    """The sentence a rule check's failures end with: the rule as the manifest states it
    (course/<module>/module.toml, `[[functions.checks]]`) and what its points are for."""
    from autograder import syllabus

    module = syllabus.load().module(module_id)
    spec = module.check(f"{function}{syllabus.RULE_SEPARATOR}{rule}")
    if spec is None:
        raise KeyError(f"{module_id}: no rule check `{rule}` of `{function}` in module.toml")
    values = next(f.points for f in module.functions if f.name == function)
    def points(n: int) -> str:
        return f"{n} point{'s' if n != 1 else ''}"

    return (f"(This check is a rule beyond the mathematics, worth {points(spec.points)} of its own; the "
            f"values check of `{function}` ({points(values)}) judges the mathematics alone. The rule: "
            f"{spec.text}.)")


def values_first(c: "Check", values_check: Callable[[Any], None]) -> None:
    """What a rule check does first: the function's values check, run quietly. A rule's points are
    for right values that also meet the rule, so while the values are wrong (or the function is not
    attempted) the rule check fails too, pointing at the values check rather than judging the rule."""
    import io

    try:
        with contextlib.redirect_stdout(io.StringIO()):
            values_check(c.func)
    except NotAttempted:
        raise
    except CheckFailed:
        message = (f"`{c.name}`: its values are not right yet (the check of `{c.name}` above says what "
                   "differs), and this rule's points are for right values that also keep the rule. Get "
                   f"the values check of `{c.name}` to pass first; this check then judges the rule.")
        raise CheckFailed(message + c._rule_suffix(message)) from None


def warned(c: "Check", keep: Callable[[warnings.WarningMessage], bool] | None = None) -> list[warnings.WarningMessage]:
    """The warnings the learner's function raised on the last call (`Check.caught_warnings`),
    those `keep` accepts (default: all but numpy's harmless underflow)."""
    keep = keep or (lambda w: "underflow" not in str(w.message))
    return [w for w in c.caught_warnings if keep(w)]


def _note(note: str) -> str:
    return f" [{note}]" if note else ""


# Modules a learner's notebook can import that hold working versions of graded functions: the
# lessons' helpers (later modules' lessons import earlier graded functions from it) and the data
# modules (c3w3-dqn's trains a reference agent). Handing one of these in is not the learner's work.
_KIT_COPIES = ("autograder.lesson_helpers", "autograder.datasets")


def kit_copy(func: Any) -> str | None:
    """The kit module `func` was imported from, if it is one of the kit's own working copies."""
    module = getattr(func, "__module__", None)
    if isinstance(module, str) and any(module == m or module.startswith(m + ".") for m in _KIT_COPIES):
        return module
    return None


def check(fn: Callable[..., None]) -> Callable[..., None]:
    """Decorator for the public `check_<function>`: a failure surfaces as one short
    AssertionError raised here, without the ladder's inner frames. A graded function that is the
    kit's own copy (imported from the lessons' helpers) fails at once: the exercise asks for yours."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> None:
        source = kit_copy(args[0]) if args else None
        if source is not None:
            name = getattr(args[0], "__name__", "this function")
            raise CheckFailed(f"The `{name}` checked here is the kit's own, imported from {source}, not yours: "
                              f"the lessons use that copy, but this exercise asks you to write `{name}`. Remove the "
                              f"import, define `{name}` in its solution cell, and run this check again.")
        outer = not _KEPT  # a check run inside another (a rule's values check) leaves it to the outer
        if outer:
            _KEPT.append(None)  # numpy's global state is saved once, at the first seeded call (get_state
        try:                    # and set_state cost 0.1 ms: dozens of seeded calls cost milliseconds)
            fn(*args, **kwargs)
        except NotAttempted as exc:
            raise NotAttempted(str(exc)) from None
        except Raised as exc:
            raise Raised(str(exc), exc.exception, exc.detail) from None
        except CheckFailed as exc:
            raise CheckFailed(str(exc)) from None
        finally:
            if outer:
                state = _KEPT.pop()
                if state is not None:
                    np.random.set_state(state)

    return wrapper
