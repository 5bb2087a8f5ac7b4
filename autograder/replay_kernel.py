"""Kernel side of the clean re-check (see recheck.py): runs inside the replay kernel, next to the
learner's code, and serves calls of the learner's functions.

Results travel back as base64 pickles of plain data only (numbers, strings, numpy arrays, and
tuples, lists and dicts of them): the grader unpickles them with a whitelist, so nothing the
learner's code returns can run code in the grader.
"""

from __future__ import annotations

import base64
import importlib
import pickle
import warnings

import numpy as np

from autograder.checks.ladder import WARN_ON, dependencies_swapped_in, resolve_dependencies

SNAPSHOTS: dict = {}  # function name -> the function object as it was at its check cell

_PLAIN = (type(None), bool, int, float, complex, str, bytes)


def _plain(value, depth=0, functions=None):
    """`value` as plain data (see the module's docstring). With `functions` (`_functions_in` of
    the call's arguments before it ran), a function (any callable) is sent as a placeholder
    (FUNCTION, its position in `functions`), or (FUNCTION, None) if it was not among them; without,
    a function cannot travel (TypeError)."""
    if depth > 20:
        raise TypeError("nested too deeply")
    if isinstance(value, _PLAIN) or isinstance(value, np.generic) and not isinstance(value, np.object_):
        return value
    if isinstance(value, np.ndarray):
        if value.dtype.hasobject:
            return [_plain(v, depth + 1, functions) for v in value.tolist()]
        return np.array(value)  # a base-class copy: subclasses do not travel
    if isinstance(value, tuple):
        return tuple(_plain(v, depth + 1, functions) for v in value)
    if isinstance(value, list):
        return [_plain(v, depth + 1, functions) for v in value]
    if isinstance(value, dict):
        return {_plain(k, depth + 1, functions): _plain(v, depth + 1, functions) for k, v in value.items()}
    if isinstance(value, range):
        return list(value)
    if functions is not None and callable(value):
        position = list(functions).index(id(value)) if id(value) in functions else None
        return (FUNCTION, position)
    raise TypeError(f"a {type(value).__name__}")


# ---------------------------------------------------------------------------------------------
# Arguments that hold functions (c2w1's activation g and its layers' (W, b, g), c2w3's fit and
# error) travel to the kernel in the pickle of the arguments (a function by reference, a callable
# object such as c2w1's activations by value). They cannot travel back: after the call each
# function among the arguments is sent back as a placeholder, (FUNCTION, its position among the
# functions of the arguments as they were sent), and the grader puts its own function of that
# position back in its place (`restore_functions`), so a changed argument is seen there as in the
# notebook. Both sides number the functions in the same order (`_functions_in`: the kernel's
# arguments are an unpickled copy of the grader's, shared objects staying shared). A function the
# call put in that was not among the arguments comes back as (FUNCTION, None), which the grader
# keeps as it is: a changed argument.

FUNCTION = "__kit_function__"


def _functions_in(value, found: dict, depth: int = 0) -> dict:
    """id -> callable, for every callable among `value`'s parts (tuples, lists, dict values), in
    the order they are met, each once."""
    if depth > 20 or isinstance(value, (_PLAIN, np.ndarray, np.generic)):
        return found
    if isinstance(value, (tuple, list)):
        for v in value:
            _functions_in(v, found, depth + 1)
    elif isinstance(value, dict):
        for v in value.values():
            _functions_in(v, found, depth + 1)
    elif callable(value):
        found.setdefault(id(value), value)
    return found


def restore_functions(after, before):
    """In the grader: the arguments as the kernel sent them back after the call (`after`), each
    placeholder of a function replaced by the grader's own function of that position among its
    arguments (`before`, as they were sent); any other placeholder is left as it is (it differs
    from every argument, so the argument counts as changed)."""
    known = list(_functions_in(before, {}).values())
    if not known:
        return after

    def put_back(value, depth=0):
        if depth > 20:
            return value
        if isinstance(value, tuple):
            if (len(value) == 2 and value[0] == FUNCTION and isinstance(value[1], int)
                    and not isinstance(value[1], bool) and 0 <= value[1] < len(known)):
                return known[value[1]]
            return tuple(put_back(v, depth + 1) for v in value)
        if isinstance(value, list):
            return [put_back(v, depth + 1) for v in value]
        if isinstance(value, dict):
            return {k: put_back(v, depth + 1) for k, v in value.items()}
        return value

    return put_back(after)


def snapshot(namespace: dict, name: str) -> None:
    SNAPSHOTS[name] = namespace.get(name)


def call(name: str, payload: str, dependencies: list, check_module: str, seed: int | None = None) -> str:
    """Call the learner's function, the graded functions it calls being the references that
    `dependencies` names (see ladder.dependency_entries); with `seed`, numpy's global generator
    is seeded before the call (and put back after it), as the check does in the learner's kernel.
    An "ok" result also carries the arguments as they are after the call (None if they cannot
    travel; the functions among them as placeholders, see `restore_functions`), so the check sees
    whether the function changed them."""
    args = pickle.loads(base64.b64decode(payload))
    func = SNAPSHOTS.get(name)
    if func is None or not callable(func):
        result = ("undefined",)
        return base64.b64encode(pickle.dumps(result)).decode()
    refs = importlib.import_module(check_module) if dependencies else None
    # Each entry a name (that reference) or {"name": ..., "swap": True} (that reference with its
    # pair swapped: ladder.dependency_entries), so a pair unpacked the other way round is named here too.
    swapped = resolve_dependencies(dependencies, refs)
    functions = _functions_in(args, {})  # the functions among the arguments, kept alive: their ids
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(**WARN_ON), \
                dependencies_swapped_in(func, swapped):
            warnings.simplefilter("always")
            state = np.random.get_state() if seed is not None else None
            if seed is not None:
                np.random.seed(seed)
            try:
                value = func(*args)
            finally:
                if state is not None:
                    np.random.set_state(state)
        raised = [(w.category.__name__, str(w.message)) for w in caught]
        try:
            after = _plain(args, functions=functions)
        except TypeError:
            after = None
        try:
            result = ("ok", _plain(value), raised, after)
        except TypeError as exc:
            result = ("unsupported", str(exc))
    except NotImplementedError:
        result = ("notimpl",)
    except BaseException as exc:  # the learner's code: anything, even SystemExit
        result = ("raised", type(exc).__name__, str(exc)[:500])
    try:
        data = pickle.dumps(result)
    except Exception as exc:
        data = pickle.dumps(("raised", "TypeError", f"its result cannot be inspected ({exc})"))
    return base64.b64encode(data).decode()


# ---------------------------------------------------------------------------------------------
# Quizzes: the answers are values, not functions. At each check cell the answer and QUIZ_SEED are
# captured as plain data (exact str, int, float, bool, None and tuples, lists, sets, dicts of
# them); the grader judges them with its own copy of the bank.

ANSWERS: dict = {}  # question name -> ("ok", value) | ("undefined",) | ("unsupported", type name)
_ANSWER_LIMIT = 10_000  # entries: a quiz answer is small


def _answer_plain(value, budget: list, depth: int = 0):
    budget[0] -= 1
    if depth > 10 or budget[0] < 0:
        raise TypeError("too large")
    if value is None or type(value) in (bool, int, float, complex, str):
        return value
    if isinstance(value, bool):
        return bool(value)
    if isinstance(value, str):
        return str.__str__(value)
    if isinstance(value, int):
        return int.__int__(value)
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, np.generic) and not isinstance(value, np.object_):
        return _answer_plain(value.item(), budget, depth + 1)
    if isinstance(value, np.ndarray):
        if value.size > _ANSWER_LIMIT:
            raise TypeError("too large")
        return _answer_plain(value.tolist(), budget, depth + 1)
    if isinstance(value, tuple):
        return tuple(_answer_plain(v, budget, depth + 1) for v in tuple.__iter__(value))
    if isinstance(value, list):
        return [_answer_plain(v, budget, depth + 1) for v in list.__iter__(value)]
    if isinstance(value, (set, frozenset)):
        return {_answer_plain(v, budget, depth + 1) for v in set(value)}
    if isinstance(value, dict):
        return {_answer_plain(k, budget, depth + 1): _answer_plain(v, budget, depth + 1)
                for k, v in dict.items(value)}
    raise TypeError(type(value).__name__)


def _capture(namespace: dict, name: str):
    if name not in namespace:
        return ("undefined",)
    try:
        return ("ok", _answer_plain(namespace[name], [_ANSWER_LIMIT]))
    except Exception as exc:  # the learner's object: anything
        return ("unsupported", str(exc)[:80] or type(namespace[name]).__name__)


def quiz_snapshot(namespace: dict, name: str) -> None:
    """At question `name`'s check cell: its answer and the quiz seed, as plain data."""
    ANSWERS[name] = (_capture(namespace, name), _capture(namespace, "QUIZ_SEED"))


def quiz_answer(name: str) -> str:
    """The captured answer and seed of question `name`, as a base64 pickle of plain data."""
    captured = ANSWERS.get(name, (("undefined",), ("undefined",)))
    try:
        data = pickle.dumps(captured)
    except Exception:
        data = pickle.dumps((("unsupported", "an object"), captured[1] if len(captured) > 1 else ("undefined",)))
    return base64.b64encode(data).decode()
