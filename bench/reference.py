"""Training time of the kit's numpy references against scikit-learn, on the fits of
tests/test_reference_quality.py (which asserts that their quality is scikit-learn's): the median of
`runs` fits after one untimed fit; data loading and scaling are not timed."""

from __future__ import annotations

import time

from bench.common import Section, guarded, log, median


def _timed(fn, runs: int) -> float:
    fn()  # first-call costs: imports, caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return median(times)


def _row(make, runs: int) -> dict:
    c = make()
    ours, sk = c.scores()
    ours_s, sk_s = _timed(c.ours, runs), _timed(c.sk, runs)
    return {"module": c.module, "what": c.what, "metric": c.metric, "ours": ours, "sk": sk,
            "ours_s": ours_s, "sk_s": sk_s, "time_ratio": ours_s / sk_s}


def run(module_ids, runs: int) -> Section:
    from tests.test_reference_quality import COMPARISONS

    section = Section("reference", "Reference implementations against scikit-learn")
    rows = []
    for make in COMPARISONS:
        log(f"reference vs scikit-learn: {make.__name__}")
        got = guarded(make.__name__, lambda make=make: _row(make, runs), section.errors)
        if got is not None and got["module"] in module_ids:
            rows.append(got)
    section.data = {"rows": rows, "runs": runs}
    return section
