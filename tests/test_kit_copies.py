"""A learner who hands in the kit's own copy of a graded function (imported from the lessons'
helpers or a data module) gets no points for it, with a message that says why; a function of
their own that calls the same helper is judged on its values as usual."""

from __future__ import annotations

import numpy as np
import pytest

from autograder import lesson_helpers
from autograder.checks import c1w3, c2w2, c2w3, c3w3_dqn
from autograder.checks.ladder import CheckFailed
from autograder.datasets import c3w3_dqn as dqn_data
from tests.checks.helpers import assert_accepts


@pytest.mark.parametrize("check, copy, name", [
    (c1w3.check_sigmoid, lesson_helpers.sigmoid, "sigmoid"),
    (c2w3.check_precision_recall_f1, lesson_helpers.precision_recall_f1, "precision_recall_f1"),
    (c2w2.check_mlp_gradients, lesson_helpers.mlp_gradients, "mlp_gradients"),
    (c2w2.check_train_minibatch, lesson_helpers.train_minibatch, "train_minibatch"),
    (c3w3_dqn.check_soft_update, dqn_data._ref_soft, "_ref_soft"),
])
def test_the_kits_own_copy_is_not_the_learners_work(check, copy, name):
    with pytest.raises(CheckFailed) as info:
        check(copy)
    message = str(info.value)
    assert "the kit's own" in message and copy.__module__ in message and f"define `{name}`" in message


def test_a_function_of_ones_own_that_calls_numpy_is_judged_as_usual():
    def sigmoid(z):  # the learner's own code (the module is this test's, not the kit's)
        z = np.clip(z, -500, 500)
        return 1 / (1 + np.exp(-z))

    assert_accepts(c1w3.check_sigmoid, sigmoid)
