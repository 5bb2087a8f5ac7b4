"""The capstone: one machine-learning project end to end (data, checks of a whole folder, grading).

`data` holds the penguins split and `evaluate_once`; its checks on the learner's files are the
check library `autograder.checks.capstone`; `grading` grades a folder into the same result, history and progress as every module.
"""
