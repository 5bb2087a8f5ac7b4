"""The capstone's checks (its check library, like every module's). They run in the grader, against the learner's files (a copy of the
folder): the grader loads the saved model itself (skops, with an explicit list of trusted types,
never pickle), starts the learner's API as its own process, and runs the learner's tests in a
subprocess. A fitted pipeline or a web application cannot travel back from a notebook's kernel,
so nothing here trusts what a notebook printed.

Every check returns a `Result(passed, message)`; a failed check names the likely mistake.
"""

from __future__ import annotations

import contextlib
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from autograder.capstone import data

MODEL_FILE = "model.skops"
APP_FILE = "app.py"
TESTS_DIR = "tests"

# The types a capstone model may ask skops to load beyond those skops trusts by default
# (scikit-learn's estimators, numpy arrays): the trees of the ensembles and numpy's dtype.
TRUSTED_TYPES = [
    "numpy.dtype",
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
    "sklearn.ensemble._hist_gradient_boosting.binning._BinMapper",
    "sklearn._loss.loss.HalfBinomialLoss",
    "sklearn._loss.link.LogitLink",
    "sklearn._loss.link.Interval",
]

CV_MARGIN = 0.25  # the cross-validated accuracy must beat the majority-class baseline by this much
TEST_BAND = (0.80, 1.00)  # the test accuracy a sound model reaches on this split (84 penguins)
MIN_LEARNER_TESTS = 3


@dataclass
class Result:
    passed: bool
    message: str


class ModelError(Exception):
    """model.skops is missing or cannot be loaded safely (the message says why)."""


# ----------------------------------------------------------------------------- the saved model

def load_model(folder: Path):
    """The learner's saved model, loaded with skops and the kit's trusted types only."""
    import skops.io as sio

    path = Path(folder) / MODEL_FILE
    if not path.exists():
        others = sorted(p.name for p in Path(folder).glob("*") if p.suffix in (".pkl", ".pickle", ".joblib"))
        extra = (f" There is {', '.join(others)}: a pickle or joblib file runs any code it holds when "
                 "loaded, so the kit never opens it; save with skops.io.dump instead." if others else "")
        raise ModelError(f"There is no {MODEL_FILE} in the folder: the notebook's saving step "
                         f"(skops.io.dump(model, '{MODEL_FILE}')) has not run.{extra}")
    head = path.read_bytes()[:4]
    if head[:1] == b"\x80":
        raise ModelError(f"{MODEL_FILE} is a pickle (it starts with pickle's protocol byte 0x80), "
                         "not a skops file. Loading a pickle runs whatever code it holds, so the kit "
                         "never opens one: save with skops.io.dump(model, 'model.skops').")
    if head != b"PK\x03\x04":
        raise ModelError(f"{MODEL_FILE} is not a skops file (a skops file is a zip archive). Save "
                         "with skops.io.dump(model, 'model.skops').")
    try:
        untrusted = sio.get_untrusted_types(file=path)
    except Exception as exc:  # noqa: BLE001 - a damaged archive raises many kinds
        raise ModelError(f"{MODEL_FILE} cannot be read by skops ({type(exc).__name__}: {exc}). "
                         "Save it again with skops.io.dump.") from None
    unknown = [t for t in untrusted if t not in TRUSTED_TYPES]
    if unknown:
        raise ModelError(f"{MODEL_FILE} asks to load types the kit does not trust: {', '.join(unknown)}. "
                         "Functions or classes defined in your notebook cannot be loaded safely "
                         "elsewhere; build the pipeline from scikit-learn's own classes.")
    try:
        return sio.load(path, trusted=[t for t in untrusted if t in TRUSTED_TYPES])
    except Exception as exc:  # noqa: BLE001
        raise ModelError(f"{MODEL_FILE} could not be loaded ({type(exc).__name__}: {exc}).") from None


def _predict(model, X) -> np.ndarray:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return np.asarray(model.predict(X)).astype(object)


def _fit_clone(model, X, y):
    from sklearn.base import clone

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return clone(model).fit(X, y)


# ----------------------------------------------------------------------------- leakage

def _why_raw_fails(exc: Exception) -> str:
    text = str(exc)
    if "NaN" in text or "nan" in text:
        return ("the data has missing values (delta_15n, delta_13c) and nothing in the pipeline "
                "fills them: the imputing was done before the pipeline, on all the rows at once, so "
                "every cross-validation fold's fill values saw its validation rows. Put a "
                "SimpleImputer inside the ColumnTransformer")
    if "convert" in text or "string" in text.lower():
        return ("the text columns (species, island, clutch_completion) reach the model unencoded: "
                "the encoding was done before the pipeline. Put a OneHotEncoder inside the "
                "ColumnTransformer")
    if "feature names" in text.lower() or "columns" in text.lower():
        return ("the pipeline expects other columns than the raw features: the data was transformed "
                "(get_dummies, scaling, imputing) before the pipeline saw it")
    return f"it raised {type(exc).__name__}: {text[:200]}"


def _fitted_on_all_rows(column: np.ndarray) -> bool:
    """A column standardized (mean 0, standard deviation 1) or min-max scaled (0 to 1) exactly
    over the whole training split: what a scaler fitted on all its rows produces. A stateless
    transform (a logarithm, products of columns, codes, indicators) does not land there."""
    values = column[~np.isnan(column)]
    if values.size < 2 or np.allclose(values, np.round(values)):
        return False
    standardized = abs(values.mean()) < 1e-6 and abs(values.std() - 1) < 0.03
    min_max = abs(values.min()) < 1e-9 and abs(values.max() - 1) < 1e-9
    return bool(standardized or min_max)


def _dense(Z) -> np.ndarray:
    if hasattr(Z, "toarray"):
        Z = Z.toarray()
    return np.asarray(Z, dtype=float)


def check_leakage(model) -> Result:
    """Preprocessing inside the pipeline, fitted on each fold's training rows only.

    The kit refits the learner's pipeline within each cross-validation fold and compares its
    preprocessing with the saved one: scaling and imputing learn from the rows they are fitted
    on, so refitted on a fold they give different numbers. Identical numbers on every fold mean
    statistics fixed in advance, from all the rows, which leak into every fold."""
    from sklearn.pipeline import Pipeline

    X, y = data.load_training()
    if hasattr(model, "best_estimator_") and isinstance(model.best_estimator_, Pipeline):
        return Result(False, f"{MODEL_FILE} holds the whole {type(model).__name__} search, not the model "
                             "it chose: save search.best_estimator_ (the chosen Pipeline, refitted on "
                             "the whole training split).")
    if not isinstance(model, Pipeline):
        return Result(False, f"{MODEL_FILE} holds a bare {type(model).__name__}, not a Pipeline: the "
                             "preprocessing (imputing, scaling, encoding) must be a step of the saved "
                             "pipeline, so it is refitted inside each fold and runs in the API too.")
    names = list(getattr(model, "feature_names_in_", []))
    if names and set(names) < set(data.FEATURES):
        return Result(False, f"The saved pipeline was fitted on {len(names)} of the {len(data.FEATURES)} raw "
                             f"columns (without {sorted(set(data.FEATURES) - set(names))}): it must take the "
                             "whole DataFrame from load_training(), as the API gives it every field. Leave a "
                             "column out inside the pipeline (the ColumnTransformer drops the columns it "
                             "is not given).")
    if names and sorted(names) != sorted(data.FEATURES):
        return Result(False, "The saved pipeline was fitted on the columns "
                             f"{names[:6]}{' ...' if len(names) > 6 else ''}, not on the raw features "
                             f"{data.FEATURES}: the data was transformed before the pipeline (get_dummies, "
                             "a scaler or an imputer fitted on all the rows), which leaks across the "
                             "folds. Give the pipeline the raw DataFrame from load_training().")
    if len(model.steps) < 2:
        return Result(False, "The saved pipeline has a single step: the preprocessing "
                             "(a ColumnTransformer that imputes, scales and encodes) must come before the model.")
    try:
        _fit_clone(model, X, y)
    except Exception as exc:  # noqa: BLE001 - whatever the learner's pipeline raises
        return Result(False, f"The pipeline cannot be fitted on the raw training data: {_why_raw_fails(exc)}.")
    from sklearn.base import clone

    pre_full = model[:-1]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        same_everywhere = True
        for train_idx, _ in data.cv_splitter().split(X, y):
            Xf, yf = X.iloc[train_idx], y.iloc[train_idx]
            pre_fold = clone(model)[:-1].fit(Xf, yf)
            Z_fold, Z_full = _dense(pre_fold.transform(Xf)), _dense(pre_full.transform(Xf))
            if Z_fold.shape != Z_full.shape or not np.allclose(Z_fold, Z_full, rtol=0, atol=1e-12, equal_nan=True):
                same_everywhere = False
                break
        # The same numbers whatever the rows it is fitted on: a stateless preprocessing (fine), or
        # statistics frozen in before the split (a leak), which shows as columns scaled exactly
        # over all the training rows.
        if same_everywhere:
            Z_all = _dense(pre_full.transform(X))
            frozen = [j for j in range(Z_all.shape[1]) if _fitted_on_all_rows(Z_all[:, j])]
            if frozen:
                return Result(False, "Refitted on each fold's training rows, your preprocessing gives exactly "
                                     "the numbers it gives fitted on all of them, and its output is scaled "
                                     "over all the training rows: its statistics (means, scales) were "
                                     "computed once, before the split, and leak the validation rows into "
                                     "every fold. Use scikit-learn's StandardScaler (and SimpleImputer) "
                                     "inside the ColumnTransformer instead of fixed values.")
    return Result(True, "Leakage: the preprocessing is inside the pipeline and refits on every fold.")


# ----------------------------------------------------------------------------- scores

def cv_scores(model) -> tuple[float, float]:
    """(the pipeline's cross-validated accuracy, the majority-class baseline's), same folds."""
    from sklearn.dummy import DummyClassifier
    from sklearn.model_selection import cross_val_score

    X, y = data.load_training()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from sklearn.base import clone

        score = cross_val_score(clone(model), X, y, cv=data.cv_splitter(), error_score="raise").mean()
        base = cross_val_score(DummyClassifier(strategy="most_frequent"), X, y, cv=data.cv_splitter()).mean()
    return float(score), float(base)


def check_cross_validation(model) -> Result:
    try:
        score, base = cv_scores(model)
    except Exception as exc:  # noqa: BLE001
        return Result(False, f"Cross-validating your pipeline failed ({type(exc).__name__}: {str(exc)[:200]}).")
    need = base + CV_MARGIN
    if score < need:
        return Result(False, f"Cross-validated accuracy {score:.3f} (5 stratified folds of the training "
                             f"split) does not beat the majority-class baseline {base:.3f} by {CV_MARGIN:g} "
                             f"(it needs {need:.3f}). Is the model using the features (all of them, "
                             "encoded), and was the search's best model the one saved?")
    return Result(True, f"Cross-validation: accuracy {score:.3f}, baseline {base:.3f} (margin {score - base:.3f} "
                        f">= {CV_MARGIN:g}).")


def check_test_score(model, evaluations: list[dict]) -> Result:
    """The saved model's test accuracy in the expected band, and the test set used for one model."""
    X, y = data._load_test()
    pred = _predict(model, X)
    acc = float((pred == y.to_numpy().astype(object)).mean())
    models = list(dict.fromkeys(e.get("predictions_sha256") for e in evaluations))
    where = data.evaluations_path().name
    if not evaluations:
        return Result(False, "The test set was never used: call evaluate_once(model) once, with the "
                             "model chosen by cross-validation (the notebook's test cell), then grade again.")
    if len(models) > 1:
        return Result(False, f"Tuning on the test set: evaluate_once was called with {len(models)} different "
                             f"models ({len(evaluations)} calls, recorded in the grading folder's {where}). "
                             "A test score is an honest estimate only for the one model you looked at; "
                             "choose by cross-validation, then test once.")
    if models[0] != data.predictions_hash(pred):
        return Result(False, f"The model in {MODEL_FILE} is not the one evaluate_once tested: their test "
                             "predictions differ. The saved model changed after its test; the result you "
                             "report is not the model you ship.")
    low, high = TEST_BAND
    if not low <= acc <= high:
        return Result(False, f"Test accuracy {acc:.3f} is outside the band a sound model reaches on this "
                             f"split ({low:.2f} to {high:.2f}).")
    return Result(True, f"Test set: accuracy {acc:.3f} on {len(pred)} penguins, in the expected band, "
                        "one model evaluated.")


def check_saved_model(model) -> Result:
    """The file predicts exactly what its pipeline, refitted on the whole training split, predicts."""
    X, y = data.load_training()
    Xt, _ = data._load_test()
    try:
        refit = _fit_clone(model, X, y)
    except Exception as exc:  # noqa: BLE001
        return Result(False, f"The saved pipeline cannot be refitted on the training split ({type(exc).__name__}).")
    saved, again = _predict(model, Xt), _predict(refit, Xt)
    differ = int((saved != again).sum())
    if differ:
        return Result(False, f"{MODEL_FILE} predicts differently from its own pipeline refitted on the "
                             f"whole training split ({differ} of {len(saved)} test penguins): was it "
                             "fitted on a fold or on other rows, or does it use randomness without a "
                             "random_state?")
    return Result(True, f"Saved model: {MODEL_FILE} loads with skops (trusted types only) and predicts "
                        "exactly what its pipeline does.")


# ----------------------------------------------------------------------------- the API

def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def running_api(folder: Path, port: int | None = None, timeout: float = 120.0):
    """The learner's app.py, served by uvicorn as its own process on a free local port.
    Yields (base_url, None) when /health answers, or (None, why) when it never does."""
    import httpx

    port = port or free_port()
    log = tempfile.TemporaryFile()
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    proc = subprocess.Popen([sys.executable, "-m", "uvicorn", "app:app", "--app-dir", str(folder),
                             "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                            cwd=folder, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env=env)
    url = f"http://127.0.0.1:{port}"
    why = None
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                log.seek(0)
                tail = log.read().decode(errors="replace").strip().splitlines()[-3:]
                why = f"it exited at start-up: {' | '.join(tail)[:400]}"
                break
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                why = f"/health did not answer 200 within {timeout:g} s"
                break
            time.sleep(0.25)
        yield (None, why) if why else (url, None)
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()


def _payload(row) -> dict:
    out = {}
    for col in data.FEATURES:
        value = row[col]
        out[col] = None if (isinstance(value, float) and np.isnan(value)) else (
            float(value) if col in data.NUMERIC else str(value))
    return out


def api_cases(model) -> tuple[list[tuple[dict, str]], dict[str, dict]]:
    """Good requests with the prediction each must get, and the bad requests that must get a 422."""
    X, _ = data._load_test()
    rows = list(range(6)) + [i for i in range(len(X)) if X.iloc[i][data.OPTIONAL].isna().any()][:1]
    pred = _predict(model, X.iloc[rows])
    good = [(_payload(X.iloc[i]), str(p)) for i, p in zip(rows, pred)]
    base = good[0][0]
    missing = {k: v for k, v in base.items() if k != "island"}
    wrong_type = dict(base, bill_length_mm="long")
    unknown = dict(base, island="Atlantis")
    return good, {"a missing field (island)": missing, "a wrong type (bill_length_mm = \"long\")": wrong_type,
                  "an unknown category (island = \"Atlantis\")": unknown}


def probe_api(client, model) -> list[str]:
    """What is wrong with the API behind `client` (an httpx-style client: .get, .post): empty if nothing."""
    good, bad = api_cases(model)
    problems = []
    r = client.get("/health")
    if r.status_code != 200:
        return [f"GET /health answered {r.status_code}, not 200"]
    for body, expected in good:
        r = client.post("/predict", json=body)
        if r.status_code != 200:
            problems.append(f"a valid penguin got status {r.status_code}"
                            + (" (a crash)" if r.status_code >= 500 else "")
                            + (" (a null isotope value must be accepted)" if None in body.values() else ""))
            break
        try:
            got = r.json().get("prediction")
        except (ValueError, AttributeError):
            got = None
        if got != expected:
            problems.append(f"/predict answered prediction={got!r} where the saved model predicts "
                            f"{expected!r} (the response is {{\"prediction\": \"female\" or \"male\"}})")
            break
    for what, body in bad.items():
        r = client.post("/predict", json=body)
        if r.status_code >= 500:
            problems.append(f"{what} crashed the API (status {r.status_code}); validate the "
                            "input with a pydantic model so it gets a 422")
        elif r.status_code != 422:
            problems.append(f"{what} got status {r.status_code}, not 422")
    return problems


def api_result(problems: list[str], model) -> Result:
    if problems:
        return Result(False, "The API: " + "; ".join(problems) + ".")
    return Result(True, f"The API: /health answers, /predict is right on {len(api_cases(model)[0])} penguins "
                        "and gives 422 for a missing field, a wrong type and an unknown category.")


def check_api(folder: Path, model) -> Result:
    """The learner's app.py, started by uvicorn as its own process on a free 127.0.0.1 port, called."""
    import httpx

    if not (Path(folder) / APP_FILE).exists():
        return Result(False, f"There is no {APP_FILE} in the folder (the FastAPI application, `app = FastAPI()`).")
    with running_api(Path(folder)) as (url, why):
        if url is None:
            return Result(False, f"The API did not start (`uvicorn app:app`): {why}.")
        with httpx.Client(base_url=url, timeout=30) as client:
            return api_result(probe_api(client, model), model)


# ----------------------------------------------------------------------------- the learner's tests

def check_learner_tests(folder: Path, timeout: float = 240.0) -> Result:
    tests = Path(folder) / TESTS_DIR
    if not tests.is_dir() or not list(tests.glob("test_*.py")):
        return Result(False, f"There are no tests: write them in {TESTS_DIR}/test_model.py.")
    with tempfile.TemporaryDirectory() as scratch:
        # The learner's tests get their own grading folder: an evaluate_once there is not counted.
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", KIT_GRADING_DIR=scratch,
                   OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
        ini = Path(scratch) / "pytest.ini"
        ini.write_text("[pytest]\n")
        try:
            proc = subprocess.run([sys.executable, "-m", "pytest", "-q", "-c", str(ini), "-p", "no:cacheprovider",
                                   "-o", "addopts=", "--color=no", "-p", "no:xdist", "--rootdir", str(folder), TESTS_DIR],
                                  cwd=folder, capture_output=True, text=True, timeout=timeout, env=env,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            return Result(False, f"Your tests did not finish within {timeout:g} s.")
    out = (proc.stdout + proc.stderr).strip().splitlines()
    summary = next((line for line in reversed(out) if " passed" in line or " failed" in line
                    or " error" in line or "no tests ran" in line), out[-1] if out else "")
    summary = summary.strip("= ")
    if proc.returncode == 5:
        return Result(False, "pytest found no tests in tests/: name them test_... .")
    if proc.returncode != 0:
        failed = [line.split(" - ")[0] for line in out if line.startswith(("FAILED", "ERROR"))][:3]
        return Result(False, f"Your tests do not pass ({summary})" + (f": {', '.join(failed)}" if failed else "") + ".")
    import re

    passed = int(m.group(1)) if (m := re.search(r"(\d+) passed", summary)) else 0
    if passed < MIN_LEARNER_TESTS:
        return Result(False, f"Only {passed} test(s) passed; write at least {MIN_LEARNER_TESTS} (data "
                             "validation, an invariance test, a regression test on the saved model).")
    return Result(True, f"Your tests: {summary}.")


# ----------------------------------------------------------------------------- all of them

CHECKS = ("leakage", "cross_validation", "test_score", "saved_model", "api", "learner_tests")


def _guarded(run) -> Result:
    try:
        return run()
    except Exception as exc:  # noqa: BLE001 - a check never crashes the grading
        return Result(False, f"The check could not run ({type(exc).__name__}: {str(exc)[:200]}).")


def run_all(folder: Path, evaluations: list[dict] | None = None) -> dict[str, Result]:
    """Every check on a folder, by name (CHECKS' order). A model that cannot be loaded fails the
    checks that need it with the reason. The two checks that mostly wait on their own process
    (the API's server, the learner's pytest) run beside the others, in threads."""
    from concurrent.futures import ThreadPoolExecutor

    folder = Path(folder)
    evaluations = data.evaluations() if evaluations is None else evaluations
    with ThreadPoolExecutor(max_workers=2) as pool:
        learner_tests = pool.submit(_guarded, lambda: check_learner_tests(folder))
        try:
            model = load_model(folder)
        except ModelError as exc:
            out = {name: Result(False, str(exc)) for name in CHECKS[:-1]}
            out["learner_tests"] = learner_tests.result()
            return out
        api = pool.submit(_guarded, lambda: check_api(folder, model))
        out = {
            "leakage": _guarded(lambda: check_leakage(model)),
            "cross_validation": _guarded(lambda: check_cross_validation(model)),
            "test_score": _guarded(lambda: check_test_score(model, evaluations)),
            "saved_model": _guarded(lambda: check_saved_model(model)),
        }
        out["api"] = api.result()
        out["learner_tests"] = learner_tests.result()
    return {name: out[name] for name in CHECKS}
