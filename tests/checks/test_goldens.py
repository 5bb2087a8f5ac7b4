"""Every message of the check library against its golden file (tests/goldens/<module>.json).

A failure shows the diff. If the change is meant, run `make goldens` and review the diff of
tests/goldens/ before committing it."""

from __future__ import annotations

import pytest

from tests.checks import goldens


@pytest.mark.parametrize("module_id", goldens.module_ids())
def test_messages_match_the_goldens(module_id):
    d = goldens.diff(module_id)
    assert not d, f"messages of {module_id} differ from the goldens (make goldens to refresh):\n{d}"


def test_rounding_makes_the_last_digits_of_a_float_irrelevant():
    assert goldens.rounded("got 3.4999999, expected 1.75e-12.") == goldens.rounded("got 3.5000001, expected 1.75e-12.")
    assert goldens.rounded("seed 0..19, shape (3, 2), [1. 2.]") == "seed 0..19, shape (3, 2), [1 2]"
    assert goldens.rounded("got [1.972e-30 0.2812], expected [5.239e-32 0.1875]") == \
        goldens.rounded("got [1.824e-30 0.2812], expected [-3.1e-31 0.1875]") == "got [0 0.2812], expected [0 0.1875]"
    assert goldens.rounded("lambda_=1e-08") == "lambda_=1e-08"  # small, but a setting, not noise
