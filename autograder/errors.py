"""The one exception type the kit raises for a problem the learner can fix.

Its message is a single paragraph that says what is wrong and what to do; the command line prints
it without a traceback and exits non-zero.
"""


class KitError(Exception):
    """A problem with the learner's input or set-up, explained in one paragraph."""
