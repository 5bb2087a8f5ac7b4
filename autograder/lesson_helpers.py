"""Plain reference versions of graded functions, for the lessons of *later* modules.

A lesson that needs a function a learner wrote in an earlier module (a course-2 lesson that uses
`sigmoid` from c1w3) imports it from here instead of defining it again:

    from autograder.lesson_helpers import sigmoid

Each function is tagged in `PROVIDES` with the module whose exercise asks for it, and
tests/test_lessons.py proves that a lesson imports only functions of modules before its own, so
nothing here helps with the exercise a lesson prepares for.
"""

from __future__ import annotations

import numpy as np



def sigmoid(z):
    """The logistic function g(z) = 1 / (1 + e^(-z)), elementwise, without overflow (c1w3)."""
    z = np.clip(np.asarray(z, dtype=float), -500, 500)
    return 1.0 / (1.0 + np.exp(-z))


def precision_recall_f1(y_true, y_pred):
    """Precision, recall and F1 of 0/1 predictions for the class 1; 0 where a denominator is 0 (c2w3)."""
    y_true, y_pred = np.asarray(y_true), np.asarray(y_pred)
    tp = int(np.sum((y_true == 1) & (y_pred == 1)))
    flagged, actual = int(np.sum(y_pred == 1)), int(np.sum(y_true == 1))
    precision = tp / flagged if flagged else 0.0
    recall = tp / actual if actual else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


# name -> the module whose exercise asks for it
PROVIDES: dict[str, str] = {
    "sigmoid": "c1w3",
    "precision_recall_f1": "c2w3",
}

__all__ = sorted(PROVIDES)
