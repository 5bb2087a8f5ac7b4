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

# name -> the module whose exercise asks for it
PROVIDES: dict[str, str] = {}

__all__ = sorted(PROVIDES)
