"""The check library the exercise notebooks' check cells call: one module per course module.

    from autograder.checks.c1w1 import check_compute_cost
    check_compute_cost(compute_cost)

Importing it inside IPython makes a failed check show as one line (the diagnosis), not a
traceback through the check library's internals.
"""

from autograder.checks.ladder import CheckFailed, NotAttempted


def _show_check_failures_compactly() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: ordinary tracebacks
        return
    shell = get_ipython()
    if shell is None or CheckFailed in getattr(shell, "custom_exceptions", ()):
        return

    def handler(shell, etype, value, tb, tb_offset=None):
        stb = [f"\x1b[0;31m{etype.__name__}\x1b[0m: {value}"]
        shell._showtraceback(etype, value, stb)
        return stb

    shell.set_custom_exc((CheckFailed,), handler)


_show_check_failures_compactly()
