"""nbgrader's submit for the cohort's learners: the submission folder stays private.

nbgrader's default exchange makes each submission folder world-writable (mode 777) "so the
instructor can delete later"; any learner who learns its name can then read or change another
learner's work. Here the folder is left to its owner (700): the instructor collects as root.
Learners' servers load it through `c.ExchangeFactory.submit` (autograder/cohort/exchange.py).
"""

from __future__ import annotations

import os

from nbgrader.exchange.default.submit import ExchangeSubmit


class PrivateSubmit(ExchangeSubmit):
    def copy_files(self):
        super().copy_files()
        os.chmod(os.path.join(self.inbound_path, self.assignment_filename), 0o700)
