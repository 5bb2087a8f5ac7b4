"""Assertions shared by the check-catalogue tests of every module."""

from __future__ import annotations

import contextlib
import io
import warnings

import pytest

from autograder.checks.ladder import CheckFailed, NotAttempted


def assert_accepts(check_fn, impl) -> str:
    """The check passes `impl`, prints one line on stdout and nothing on stderr."""
    out, err = io.StringIO(), io.StringIO()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a check must not let a warning escape to stderr
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            check_fn(impl)
    assert err.getvalue() == ""
    assert len(out.getvalue().strip().splitlines()) <= 1
    return out.getvalue()


def assert_rejects(check_fn, impl, *fragments: str) -> str:
    """The check rejects `impl` with a message that contains every fragment."""
    with pytest.raises(CheckFailed) as info:
        check_fn(impl)
    assert not isinstance(info.value, NotAttempted), f"wrong implementation reported as not attempted: {info.value}"
    message = str(info.value)
    for fragment in fragments:
        assert fragment in message, f"expected {fragment!r} in the diagnosis:\n{message}"
    return message


def not_attempted(*args, **kwargs):
    """What nbgrader leaves in a solution cell: the stub."""
    raise NotImplementedError()
