"""Quizzes: the question bank API, the judging of answers, and the notebook-side `check`/`draw`.

A module's quiz bank is `autograder/checks/<python_name(module)>_quiz.py`: a list `QUESTIONS` of
question objects (`Single`, `Multiple`, `Number`, `Shape`), ending with
`define_checks(globals(), QUESTIONS)`, which defines `check_q1`, ... (the graded interface, as
`check_<function>` is for exercises). The format is described in docs/quizzes.md.

A question is either fixed (`Single("q1", prompt=..., options=..., answer="b")`) or a seeded
variant (`Number.variant("q3", make)`, where `make(rng)` returns the same keyword arguments): the
quiz seed of the notebook (its `QUIZ_SEED` cell, also in `metadata.kit.quiz_seed`) picks the
variant. `question.at(seed)` is the question as the learner with that seed sees it, and
`question.judge(value, seed) -> (passed, message)` judges an answer, reading it generously where
it is unambiguous (`"B "`, `"a, c"`, `"1/8"`, `[5, 1]`) and explaining it otherwise.
"""

from __future__ import annotations

import ast
import math
import numbers
import re
import zlib
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Callable, Iterable, Mapping

import numpy as np

from autograder.checks.ladder import CheckFailed, NotAttempted

__all__ = [
    "Option", "Single", "Multiple", "Number", "Shape", "Question", "define_checks",
    "MISSING", "rng_for", "audit", "open_quiz", "Quiz", "answer_source",
]


class _Missing:
    """The value of an answer name that the notebook never defined."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Option:
    """One choice of a `Single` or `Multiple` question: its text (Markdown) and the explanation
    the learner reads when they pick it (for the right option of a Single, the one-line reason;
    for a Multiple, why it belongs or does not belong)."""

    text: str
    explanation: str


def rng_for(seed: int, name: str) -> np.random.Generator:
    """The generator a seeded question `name` is drawn from for quiz seed `seed`: the same seed
    always gives the same variant, and each question gets its own stream. `make(rng)` and
    `figure(rng, ax)` each get a fresh generator from the same seed, so both can draw the same
    data by calling the same helper first."""
    return np.random.default_rng([int(seed), zlib.crc32(name.encode("utf-8"))])


class QuizError(ValueError):
    """A question of a bank is malformed (a bank author's mistake, not the learner's)."""


# ---------------------------------------------------------------------------------------------
# Questions.


class Question:
    """A quiz question: fixed, or drawn from the quiz seed (`variant`). Subclasses define
    `_setup(**kwargs)` (validate and store the keyword arguments), `_read(value)` (the answer in
    its canonical form, or a `_Unreadable` with the explanation), `_verdict(answer)` and
    `solution` (an answer that passes)."""

    kind = "question"
    _keywords: tuple[str, ...] = ("prompt", "figure")

    def __init__(self, name: str, **kwargs: Any):
        if not isinstance(name, str) or not name.isidentifier():
            raise QuizError(f"A question's name must be a Python identifier, got {name!r}.")
        self.name = name
        self._make: Callable[[np.random.Generator], dict] | None = kwargs.pop("_make", None)
        self._extra = {k: kwargs.pop(k) for k in list(kwargs) if k == "figure"} if self._make else {}
        self._cache: dict[int, Question] = {}
        if self._make is None:
            self._init_fixed(kwargs)

    def _init_fixed(self, kwargs: dict) -> None:
        unknown = set(kwargs) - set(self._keywords)
        if unknown:
            raise QuizError(f"{self.name}: unknown keyword(s) {sorted(unknown)} for {type(self).__name__}; "
                            f"expected some of {list(self._keywords)}.")
        prompt = kwargs.pop("prompt", None)
        if not isinstance(prompt, str) or not prompt.strip():
            raise QuizError(f"{self.name}: a question needs a non-empty `prompt`.")
        self.prompt = prompt.strip()
        self.figure = kwargs.pop("figure", None)
        if self.figure is not None and not callable(self.figure):
            raise QuizError(f"{self.name}: `figure` must be a function (rng, ax) -> None.")
        self._setup(**kwargs)

    @classmethod
    def variant(cls, name: str, make: Callable[[np.random.Generator], dict], *,
                figure: Callable[[np.random.Generator, Any], None] | None = None) -> "Question":
        """A question drawn from the quiz seed: `make(rng)` returns the keyword arguments of the
        fixed question (prompt, answer, options, wrong, reason, figure, ...); `rng` is
        `rng_for(seed, name)`."""
        if not callable(make):
            raise QuizError(f"{name}: `variant` needs a function make(rng) -> dict of keyword arguments.")
        kwargs: dict[str, Any] = {"_make": make}
        if figure is not None:
            kwargs["figure"] = figure
        return cls(name, **kwargs)

    @property
    def seeded(self) -> bool:
        return self._make is not None

    def at(self, seed: int) -> "Question":
        """The question as a learner with quiz seed `seed` sees it (itself, if it is fixed)."""
        if self._make is None:
            return self
        seed = _seed_value(seed)
        if seed not in self._cache:
            made = self._make(rng_for(seed, self.name))
            if not isinstance(made, Mapping):
                raise QuizError(f"{self.name}: make(rng) must return a dict of keyword arguments.")
            made = dict(self._extra) | dict(made)
            fixed = type(self)(self.name, **made)
            self._cache[seed] = fixed
        return self._cache[seed]

    # The parts a fixed question defines.
    def _setup(self, **kwargs: Any) -> None:
        raise NotImplementedError

    def _read(self, value: Any) -> Any:
        raise NotImplementedError

    def _verdict(self, answer: Any) -> tuple[bool, str]:
        raise NotImplementedError

    @property
    def solution(self) -> Any:
        raise NotImplementedError

    def wrong_answers(self) -> list[tuple[Any, str]]:
        """Known wrong answers and the explanation each must get (for the bank's tests)."""
        return []

    def prompt_markdown(self) -> str:
        """The prompt as the notebook shows it (with the options of a choice question)."""
        return self.prompt

    def judge(self, value: Any, seed: int = 0) -> tuple[bool, str]:
        """(passed, message) for the learner's answer `value` (MISSING or None: not attempted,
        which is a failure whose message says so)."""
        q = self.at(seed)
        if value is MISSING or value is None:
            return False, q._not_attempted()
        answer = q._read(value)
        if isinstance(answer, _Unreadable):
            return False, answer.message
        return q._verdict(answer)

    def _not_attempted(self) -> str:
        return (f"not attempted yet: write your answer in the cell above as `{self.name} = ...` "
                f"({self._answer_form()}) and run it.")

    def _answer_form(self) -> str:
        return "your answer"

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r}{', seeded' if self.seeded else ''})"


@dataclass(frozen=True)
class _Unreadable:
    message: str


def _seed_value(seed: Any) -> int:
    if isinstance(seed, bool) or not isinstance(seed, (numbers.Integral, np.integer)) or int(seed) < 0:
        raise QuizError(f"The quiz seed must be a whole number >= 0, got {seed!r}.")
    return int(seed)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key_text(value: Any) -> str | None:
    """An option key as the learner may have written it: `"B "`, `"(b)"`, `"b)"`, 2 -> "2"."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (numbers.Integral, np.integer)):
        return str(int(value))
    if isinstance(value, np.str_):
        value = str(value)
    if not isinstance(value, str):
        return None
    text = value.strip().strip("\"'").strip()
    text = re.sub(r"^\((.*)\)$", r"\1", text).strip()
    text = re.sub(r"^(\w+)[).:]$", r"\1", text).strip()
    text = re.sub(r"^(line|option)\s+(\w+)$", r"\2", text, flags=re.I)  # "line 5", "option b"
    return text.lower()


class _Choice(Question):
    _keywords = ("prompt", "figure", "options", "answer", "reason")

    def _setup_options(self, options: Any) -> None:
        if not isinstance(options, Mapping) or len(options) < 2:
            raise QuizError(f"{self.name}: `options` must be a dict of at least two Option(...).")
        self.options: dict[str, Option] = {}
        for key, opt in options.items():
            if not isinstance(key, str) or _key_text(key) != key or not key:
                raise QuizError(f"{self.name}: option keys must be lower-case strings like 'a', got {key!r}.")
            if not isinstance(opt, Option) or not opt.text.strip() or not opt.explanation.strip():
                raise QuizError(f"{self.name}: option {key!r} must be Option(text, explanation), both non-empty.")
            self.options[key] = opt
        explanations = [o.explanation.strip() for o in self.options.values()]
        if len(set(explanations)) != len(explanations):
            raise QuizError(f"{self.name}: every option needs its own explanation (two are the same).")

    def _keys_listed(self) -> str:
        return ", ".join(f'"{k}"' for k in self.options)

    def prompt_markdown(self) -> str:
        lines = [self.prompt, ""]
        for key, opt in self.options.items():
            lines.append(f"- **({key})** {opt.text}")
        return "\n".join(lines)

    def _split(self, value: Any) -> list[str] | _Unreadable:
        """The keys named by a string like "a, c", "a c", "ac", or a list/set/tuple of keys."""
        if isinstance(value, (set, frozenset, list, tuple)):
            keys = []
            for item in value:
                k = _key_text(item)
                if k is None:
                    return _Unreadable(f"{_show(value)} holds {_show(item)}, which is not an option; "
                                       f"the options are {self._keys_listed()}.")
                keys.append(k)
            return keys
        if isinstance(value, np.ndarray) and value.ndim == 1:
            return self._split(list(value.tolist()))
        text = _key_text(value)
        if text is None:
            return _Unreadable(f"{_show(value)} is {type(value).__name__}, not an option; write the "
                               f"option's letter in quotes, one of {self._keys_listed()}.")
        if text in self.options:
            return [text]
        parts = [p for p in re.split(r"[\s,;/&+]+|\band\b", text) if p]
        parts = [_key_text(p) or p for p in parts]
        if len(parts) == 1 and all(len(k) == 1 for k in self.options) and len(text) > 1 \
                and all(ch in self.options for ch in text):
            parts = list(text)
        return parts


def _unknown_words(value: Any, unknown: list[str]) -> str:
    names = ", ".join(repr(k) for k in unknown)
    verb = "is not an option" if len(unknown) == 1 else "are not options"
    if len(unknown) == 1 and _key_text(value) == unknown[0]:
        return f"{_show(value)} {verb} here;"
    return f"{_show(value)}: {names} {verb} here;"


class Single(_Choice):
    """One right option among `options`. `answer` is its key; the right option's explanation is
    the one-line reason the learner reads when right (or `reason`, if given)."""

    kind = "single"

    def _setup(self, *, options: Any = None, answer: Any = None, reason: str | None = None) -> None:
        self._setup_options(options)
        if answer not in self.options:
            raise QuizError(f"{self.name}: `answer` must be one of the option keys {list(self.options)}, got {answer!r}.")
        self.answer: str = answer
        self.reason = (reason or self.options[answer].explanation).strip()

    @property
    def solution(self) -> str:
        return self.answer

    def wrong_answers(self) -> list[tuple[Any, str]]:
        return [(k, o.explanation) for k, o in self.options.items() if k != self.answer]

    def _answer_form(self) -> str:
        return f"one option in quotes, e.g. `{self.name} = \"{next(iter(self.options))}\"`"

    def _read(self, value: Any) -> Any:
        keys = self._split(value)
        if isinstance(keys, _Unreadable):
            return keys
        keys = list(dict.fromkeys(keys))
        unknown = [k for k in keys if k not in self.options]
        if unknown:
            return _Unreadable(f"{_unknown_words(value, unknown)} the options are {self._keys_listed()}. Pick one.")
        if not keys:
            return _Unreadable(f"{_show(value)} picks no option: pick one of {self._keys_listed()}.")
        if len(keys) != 1:
            return _Unreadable(f"{_show(value)} names {len(keys)} options, but this question has exactly "
                               f"one right answer: pick one of {self._keys_listed()}.")
        return keys[0]

    def _verdict(self, answer: str) -> tuple[bool, str]:
        if answer == self.answer:
            return True, self.reason
        return False, f"({answer}) is not right. {self.options[answer].explanation}"


class Multiple(_Choice):
    """Every right option among `options` must be picked, and no wrong one. `answer` is the set of
    the right keys; each option's explanation says why it belongs or does not; `reason`
    (optional) is the one-line reason shown when the set is right."""

    kind = "multiple"

    def _setup(self, *, options: Any = None, answer: Any = None, reason: str | None = None) -> None:
        self._setup_options(options)
        if isinstance(answer, str) or not isinstance(answer, Iterable):
            raise QuizError(f"{self.name}: `answer` of a Multiple is a set of option keys, got {answer!r}.")
        answer = set(answer)
        if not answer or not answer <= set(self.options):
            raise QuizError(f"{self.name}: `answer` must be a non-empty set of the option keys {list(self.options)}.")
        self.answer: frozenset[str] = frozenset(answer)
        right = " and ".join(f"({k})" for k in self.options if k in self.answer)
        self.reason = (reason or f"Right: {right}.").strip()

    @property
    def solution(self) -> set[str]:
        return set(self.answer)

    def wrong_answers(self) -> list[tuple[Any, str]]:
        out = []
        for key, opt in self.options.items():
            flipped = set(self.answer) ^ {key}
            if flipped:
                out.append((flipped, opt.explanation))
        return out

    def _answer_form(self) -> str:
        keys = list(self.options)
        return f"a set of options, e.g. `{self.name} = {{\"{keys[0]}\", \"{keys[1]}\"}}`"

    def _read(self, value: Any) -> Any:
        keys = self._split(value)
        if isinstance(keys, _Unreadable):
            return keys
        unknown = [k for k in dict.fromkeys(keys) if k not in self.options]
        if unknown:
            return _Unreadable(f"{_unknown_words(value, unknown)} the options are {self._keys_listed()}.")
        if not keys:
            return _Unreadable(f"{_show(value)} picks no option; pick every option that applies "
                               f"(at least one does), e.g. {{\"{next(iter(self.options))}\"}}.")
        return frozenset(keys)

    def _verdict(self, answer: frozenset[str]) -> tuple[bool, str]:
        if answer == self.answer:
            return True, self.reason
        parts = []
        for key, opt in self.options.items():
            if key in answer and key not in self.answer:
                parts.append(f"({key}) does not belong: {opt.explanation}")
            elif key not in answer and key in self.answer:
                parts.append(f"({key}) is missing: {opt.explanation}")
        picked = "{" + ", ".join(f'"{k}"' for k in sorted(answer)) + "}"
        return False, f"{picked} is not the right set. " + " ".join(parts)


def _as_float(value: Any) -> float | _Unreadable:
    if isinstance(value, (bool, np.bool_)):
        return _Unreadable(f"{value!r} is True/False; this answer is a number.")
    if isinstance(value, np.ndarray):
        if value.size != 1:
            return _Unreadable(f"an array of shape {value.shape}; this answer is one number.")
        value = value.reshape(()).item()
    if isinstance(value, (list, tuple)) and len(value) == 1:
        value = value[0]
    if isinstance(value, (numbers.Real, np.integer, np.floating)) and not isinstance(value, (bool, np.bool_)):
        number = float(value)
    elif isinstance(value, (str, np.str_)):
        text = str(value).strip().replace("\u2212", "-").replace(" ", "").replace("_", "")
        try:
            number = float(Fraction(text)) if "/" in text else float(text)
        except (ValueError, ZeroDivisionError, OverflowError):
            return _Unreadable(f"{_show(value)} is not a number I can read; write it as a number, "
                               "e.g. 0.125, 1/8 or 1.25e-1 (without units or words).")
    else:
        return _Unreadable(f"{_show(value)} is {type(value).__name__}; this answer is a number, e.g. 0.125.")
    if not math.isfinite(number):
        return _Unreadable(f"{_show(value)} is not a finite number.")
    return number


class Number(Question):
    """A number, right within the absolute `tolerance`. `wrong` lists known wrong values with
    their explanations (matched with the same tolerance); `hint` (optional) is added to the
    message for any other wrong value."""

    kind = "number"
    _keywords = ("prompt", "figure", "answer", "tolerance", "reason", "wrong", "hint")

    def _setup(self, *, answer: Any = None, tolerance: Any = 1e-6, reason: str | None = None,
               wrong: Any = (), hint: str = "") -> None:
        if isinstance(answer, bool) or not isinstance(answer, (numbers.Real, np.integer, np.floating)) \
                or not math.isfinite(float(answer)):
            raise QuizError(f"{self.name}: `answer` of a Number must be a finite number, got {answer!r}.")
        self.answer = float(answer)
        self.tolerance = float(tolerance)
        if not self.tolerance >= 0:
            raise QuizError(f"{self.name}: `tolerance` must be >= 0.")
        if not isinstance(reason, str) or not reason.strip():
            raise QuizError(f"{self.name}: a Number needs its one-line `reason`.")
        self.reason = reason.strip()
        self.hint = hint.strip()
        self.wrong: list[tuple[float, str]] = []
        for item in wrong:
            value, why = item
            value = float(value)
            if abs(value - self.answer) <= self.tolerance:
                raise QuizError(f"{self.name}: the wrong value {value} is within the tolerance of the answer {self.answer}.")
            if not isinstance(why, str) or not why.strip():
                raise QuizError(f"{self.name}: the wrong value {value} needs its explanation.")
            self.wrong.append((value, why.strip()))

    @property
    def solution(self) -> float:
        return self.answer

    def wrong_answers(self) -> list[tuple[Any, str]]:
        return list(self.wrong)

    def _answer_form(self) -> str:
        return f"a number, e.g. `{self.name} = 0.125`"

    def _read(self, value: Any) -> Any:
        return _as_float(value)

    def _verdict(self, answer: float) -> tuple[bool, str]:
        if abs(answer - self.answer) <= self.tolerance:
            return True, self.reason
        for value, why in self.wrong:
            if abs(answer - value) <= self.tolerance:
                return False, f"{answer:g} is not right. {why}"
        within = f" (answers within ±{self.tolerance:g} of it count as right)" if self.tolerance else ""
        hint = f" {self.hint}" if self.hint else ""
        return False, f"{answer:g} is not the right value{within}.{hint} Work it through again on paper."


def _as_shape(value: Any) -> tuple[int, ...] | _Unreadable:
    original = value
    if isinstance(value, (str, np.str_)):
        text = str(value).strip().lower()
        if text in ("", "()", "scalar", "a scalar", "( )"):
            return ()
        text = re.sub(r"\s*(x|×|by|\*)\s*", ",", text)
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError):
            return _Unreadable(f"{_show(original)} is not a shape I can read; write it as a tuple, e.g. (5, 3) or (5,).")
    if isinstance(value, (bool, np.bool_)):
        return _Unreadable(f"{value!r} is True/False; a shape is a tuple of whole numbers, e.g. (5, 3).")
    if isinstance(value, (numbers.Integral, np.integer)):
        value = (value,)  # `(5)` is the number 5 in Python: read as the 1-D shape (5,)
    if not isinstance(value, (tuple, list)):
        return _Unreadable(f"{_show(original)} is {type(original).__name__}; a shape is a tuple of whole numbers, "
                           "e.g. (5, 3), (5,) for a 1-D array or () for a scalar.")
    dims = []
    for d in value:
        if isinstance(d, (bool, np.bool_)) or not isinstance(d, (numbers.Real, np.integer, np.floating)) \
                or not float(d).is_integer() or d < 0:
            return _Unreadable(f"{_show(original)}: every entry of a shape is a whole number >= 0, "
                               f"and {_show(d)} is not.")
        dims.append(int(d))
    return tuple(dims)


class Shape(Question):
    """An array's shape, as a tuple (a list, "(5, 3)", "5x3" and the number 5 for (5,) are read too)."""

    kind = "shape"
    _keywords = ("prompt", "figure", "answer", "reason", "wrong", "hint")

    def _setup(self, *, answer: Any = None, reason: str | None = None, wrong: Any = (), hint: str = "") -> None:
        shape = _as_shape(answer)
        if isinstance(shape, _Unreadable) or not isinstance(answer, tuple):
            raise QuizError(f"{self.name}: `answer` of a Shape must be a tuple of ints, got {answer!r}.")
        self.answer: tuple[int, ...] = shape
        if not isinstance(reason, str) or not reason.strip():
            raise QuizError(f"{self.name}: a Shape needs its one-line `reason`.")
        self.reason = reason.strip()
        self.hint = hint.strip()
        self.wrong: list[tuple[tuple[int, ...], str]] = []
        for value, why in wrong:
            shape = _as_shape(value)
            if isinstance(shape, _Unreadable) or shape == self.answer:
                raise QuizError(f"{self.name}: the wrong shape {value!r} is not a shape other than the answer.")
            if not isinstance(why, str) or not why.strip():
                raise QuizError(f"{self.name}: the wrong shape {value!r} needs its explanation.")
            self.wrong.append((shape, why.strip()))

    @property
    def solution(self) -> tuple[int, ...]:
        return self.answer

    def wrong_answers(self) -> list[tuple[Any, str]]:
        return list(self.wrong)

    def _answer_form(self) -> str:
        return f"a tuple, e.g. `{self.name} = (5, 3)`"

    def _read(self, value: Any) -> Any:
        return _as_shape(value)

    def _verdict(self, answer: tuple[int, ...]) -> tuple[bool, str]:
        if answer == self.answer:
            return True, self.reason
        for shape, why in self.wrong:
            if answer == shape:
                return False, f"{answer} is not right. {why}"
        hint = f" {self.hint}" if self.hint else ""
        return False, f"{answer} is not the right shape.{hint} Follow the shapes through one operation at a time."


# ---------------------------------------------------------------------------------------------
# The graded interface of a bank.


def _check_function(q: Question) -> Callable[..., None]:
    def check(value: Any = MISSING, seed: int = 0) -> None:
        passed, message = q.judge(value, seed)
        if passed:
            print(f"✓ {q.name}: {message}")
            return
        if value is MISSING or value is None:
            raise NotAttempted(f"{q.name}: {message}")
        raise CheckFailed(f"{q.name} = {_show(value)}: {message}")

    check.__name__ = check.__qualname__ = f"check_{q.name}"
    check.__doc__ = f"Judge the answer to quiz question {q.name} for quiz seed `seed`."
    return check


def define_checks(namespace: dict, questions: list[Question]) -> None:
    """Define `check_<name>(value, seed)` in the bank's module for every question (raising the
    ladder's CheckFailed/NotAttempted with the explanation when wrong, printing the one-line
    reason when right), after checking the bank: unique names, every question buildable."""
    names = [q.name for q in questions]
    if len(set(names)) != len(names):
        raise QuizError(f"Duplicate question names in the bank: {sorted(n for n in set(names) if names.count(n) > 1)}.")
    for q in questions:
        if not isinstance(q, Question):
            raise QuizError(f"QUESTIONS holds {q!r}, which is not a question.")
        namespace[f"check_{q.name}"] = _check_function(q)
    namespace.setdefault("QUESTION_BY_NAME", {q.name: q for q in questions})


def answer_source(q: Question, seed: int) -> str:
    """The Python literal of a right answer for seed `seed` (the solution cell's content)."""
    value = q.at(seed).solution
    if isinstance(value, set):
        return "{" + ", ".join(f'"{k}"' for k in sorted(value)) + "}"
    if isinstance(value, str):
        return f'"{value}"'
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        short = f"{value:.6g}"
        return short if abs(float(short) - value) <= q.at(seed).tolerance / 10 else repr(value)
    return repr(value)


def audit(questions: list[Question], seeds: Iterable[int] = range(5)) -> list[str]:
    """Every problem of a bank, for its tests: for each seed, the solution must pass, every known
    wrong answer must fail with its own explanation, malformed answers must be explained (never
    raise), an undefined answer is not attempted. Returns the problems found (empty: all good)."""
    problems: list[str] = []
    malformed = [object(), [1, [2]], {"x": 1}, "", "???", 3.5j, b"a", float("nan")]
    for seed in seeds:
        for q in questions:
            where = f"{q.name} (seed {seed})"
            try:
                v = q.at(seed)
            except Exception as exc:  # a bank author's mistake: report it, do not stop
                problems.append(f"{where}: building the question raised {type(exc).__name__}: {exc}")
                continue
            ok, msg = q.judge(v.solution, seed)
            if not ok:
                problems.append(f"{where}: the solution {v.solution!r} fails: {msg}")
            source = answer_source(q, seed)
            ok, msg = q.judge(ast.literal_eval(source), seed)
            if not ok:
                problems.append(f"{where}: the solution cell's literal {source} fails: {msg}")
            explanations = []
            for value, why in v.wrong_answers():
                ok, msg = q.judge(value, seed)
                if ok:
                    problems.append(f"{where}: the wrong answer {value!r} passes.")
                elif why not in msg:
                    problems.append(f"{where}: the wrong answer {value!r} is not told its explanation: {msg}")
                explanations.append(why)
            if len(set(explanations)) != len(explanations):
                problems.append(f"{where}: two wrong answers share one explanation.")
            if isinstance(v, Single) and len(v.wrong_answers()) != len(v.options) - 1:
                problems.append(f"{where}: a wrong option has no explanation.")
            for value in malformed:
                try:
                    ok, msg = q.judge(value, seed)
                except Exception as exc:
                    problems.append(f"{where}: the malformed answer {value!r} raised {type(exc).__name__}: {exc}")
                    continue
                if ok or not msg.strip():
                    problems.append(f"{where}: the malformed answer {value!r} was not explained.")
            ok, msg = q.judge(MISSING, seed)
            if ok or "not attempted" not in msg:
                problems.append(f"{where}: an undefined answer is not 'not attempted': {msg}")
    return problems


# ---------------------------------------------------------------------------------------------
# The notebook side: `quiz = open_quiz("c1w1")`, then `quiz.check("q1", globals())` in each check
# cell and `quiz.draw("q1", QUIZ_SEED)` in a figure cell.


class Quiz:
    """A module's quiz bank as the notebook uses it."""

    def __init__(self, module_id: str, questions: list[Question]):
        self.module_id = module_id
        self.questions = list(questions)
        self.by_name = {q.name: q for q in self.questions}

    def question(self, name: str) -> Question:
        try:
            return self.by_name[name]
        except KeyError:
            raise CheckFailed(f"The quiz of {self.module_id} has no question {name!r}; restore this "
                              "cell (make reset keeps a copy of your notebook).") from None

    def check(self, name: str, namespace: Mapping[str, Any]) -> None:
        """The check cell of question `name`: reads the answer `name` and `QUIZ_SEED` from the
        notebook's namespace (an undefined answer is not attempted, never a NameError)."""
        q = self.question(name)
        seed = namespace.get("QUIZ_SEED", MISSING)
        if seed is MISSING:
            raise CheckFailed(f"{name}: QUIZ_SEED is not defined: run the cell `QUIZ_SEED = ...` at the "
                              "top of the quiz first (Run ▸ Run All Above Selected Cell).")
        try:
            seed = _seed_value(seed)
        except QuizError as exc:
            raise CheckFailed(f"{name}: {exc} Restore the cell at the top of the quiz.") from None
        _check_function(q)(namespace.get(name, MISSING), seed)

    def draw(self, name: str, seed: int) -> None:
        """Draw the figure of question `name` for quiz seed `seed` (the notebook shows it)."""
        import matplotlib.pyplot as plt

        q = self.question(name).at(_seed_value(seed))
        if q.figure is None:
            return
        fig, ax = plt.subplots(figsize=(6, 3.6))
        q.figure(rng_for(seed, name), ax)
        fig.tight_layout()


def bank_module_name(module_id: str) -> str:
    from autograder import syllabus

    return f"{syllabus.check_module_name(module_id)}_quiz"


def load_bank(module_id: str) -> list[Question]:
    """The questions of the quiz bank of course module `module_id` (`c1w1`, not `c1w1-quiz`)."""
    import importlib

    module = importlib.import_module(bank_module_name(module_id))
    return list(module.QUESTIONS)


def open_quiz(module_id: str) -> Quiz:
    """The quiz of course module `module_id` (`c1w1` or `c1w1-quiz`), for its notebook."""
    if module_id.endswith("-quiz"):
        module_id = module_id[: -len("-quiz")]
    return Quiz(module_id, load_bank(module_id))
