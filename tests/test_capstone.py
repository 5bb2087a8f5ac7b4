"""The capstone (issue 13): its data split, each check's mistake catalogue (every wrong
implementation rejected and named, every right one accepted), and grading through the real
command line: the solution folder to full marks (its API started by the check with uvicorn on a
free 127.0.0.1 port, its own tests run by pytest) and the untouched exercise to 0.

Fast by construction: small models, fitted once per module (module-scoped fixtures); the mistake
catalogue of the API runs in process (FastAPI's TestClient), the real server runs once, inside
the solution's grading. The two tests that start processes are marked slow."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from autograder import paths
from autograder.capstone import data
from autograder.checks import capstone as checks

SOLUTION = paths.SOLUTIONS / "capstone"
EXERCISE = paths.EXERCISES / "capstone"


# ----------------------------------------------------------------------------- models

def _pre(numeric=None, categorical=None):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    return ColumnTransformer([
        ("num", numeric or make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), data.NUMERIC),
        ("cat", categorical or make_pipeline(SimpleImputer(strategy="most_frequent"),
                                             OneHotEncoder(handle_unknown="ignore")), data.CATEGORICAL),
    ])


def _fit(model, X=None, y=None):
    if X is None:
        X, y = data.load_training()
    return model.fit(X, y)


@pytest.fixture(scope="module")
def train():
    return data.load_training()


@pytest.fixture(scope="module")
def good_lr():
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    return _fit(Pipeline([("pre", _pre()), ("clf", LogisticRegression(max_iter=1000))]))


@pytest.fixture(scope="module")
def good_tree():
    """A right pipeline that scales nothing: one-hot text, numbers passed through, NaN handled by the model."""
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    pre = _pre(numeric="passthrough", categorical=OneHotEncoder(handle_unknown="ignore"))
    return _fit(Pipeline([("pre", pre), ("clf", HistGradientBoostingClassifier(max_iter=50, random_state=0))]))


# ----------------------------------------------------------------------------- the data

def test_the_learner_gets_the_training_split_only_and_the_split_is_fixed():
    X, y = data.load_training()
    Xt, yt = data._load_test()
    assert (len(X), len(Xt)) == (249, 84)
    assert list(X.columns) == data.FEATURES and set(y) == set(data.CLASSES)
    assert X.isna().any().any(), "the data keeps its missing values"
    both = pd.concat([X, Xt])
    assert not both.duplicated().any(), "no penguin is in both splits"
    X2, _ = data.load_training()
    pd.testing.assert_frame_equal(X, X2)


def test_evaluate_once_records_every_call(tmp_path, monkeypatch, good_lr):
    monkeypatch.setenv("KIT_GRADING_DIR", str(tmp_path))
    first = data.evaluate_once(good_lr)
    assert first["call"] == 1 and first["interval_95"][0] <= first["accuracy"] <= first["interval_95"][1]
    data.evaluate_once(good_lr)
    calls = data.evaluations()
    assert [c["call"] for c in calls] == [1, 2]
    assert calls[0]["predictions_sha256"] == calls[1]["predictions_sha256"]


# ----------------------------------------------------------------------------- leakage

def test_leakage_accepts_right_pipelines(good_lr, good_tree):
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OrdinalEncoder

    # Stateless preprocessing (a constant fill, category codes) refits to the same numbers on
    # every fold, and leaks nothing: it must pass too.
    stateless = _fit(Pipeline([("pre", _pre(numeric=SimpleImputer(strategy="constant", fill_value=0.0),
                                            categorical=OrdinalEncoder())),
                               ("clf", RandomForestClassifier(n_estimators=10, random_state=0))]))
    for model in (good_lr, good_tree, stateless):
        r = checks.check_leakage(model)
        assert r.passed, r.message


def test_leakage_names_a_saved_search_instead_of_its_best_model(good_lr, train):
    from sklearn.model_selection import GridSearchCV

    search = GridSearchCV(good_lr, {"clf__C": [1.0]}, cv=2).fit(*train)
    r = checks.check_leakage(search)
    assert not r.passed and "best_estimator_" in r.message


def test_leakage_catches_a_pipeline_fitted_on_some_columns_only(train):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import OneHotEncoder

    X, y = train
    few = Pipeline([("pre", ColumnTransformer([("cat", OneHotEncoder(), ["species", "island"])])),
                    ("clf", LogisticRegression())]).fit(X[["species", "island"]], y)
    r = checks.check_leakage(few)
    assert not r.passed and "fitted on 2 of the 9 raw columns" in r.message


def test_leakage_catches_a_bare_estimator(train):
    from sklearn.linear_model import LogisticRegression

    X, y = train
    Z = _pre().fit_transform(X)  # preprocessed before the split, then a bare model
    r = checks.check_leakage(LogisticRegression(max_iter=1000).fit(Z, y))
    assert not r.passed and "bare LogisticRegression" in r.message


def test_leakage_catches_an_imputer_fitted_before_the_split(train):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    X, y = train
    filled = X.fillna(X[data.NUMERIC].mean())  # the mean of all the rows, before any split
    pre = _pre(numeric=StandardScaler(), categorical=make_pipeline(OneHotEncoder(handle_unknown="ignore")))
    model = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))]).fit(filled, y)
    r = checks.check_leakage(model)
    assert not r.passed and "SimpleImputer" in r.message and "imputing was done before" in r.message


def test_leakage_catches_encoding_before_the_pipeline(train):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.impute import SimpleImputer

    X, y = train
    dummies = pd.get_dummies(X, columns=data.CATEGORICAL, dtype=float)
    model = make_pipeline(SimpleImputer(), StandardScaler(), LogisticRegression(max_iter=1000)).fit(dummies, y)
    r = checks.check_leakage(model)
    assert not r.passed and "get_dummies" in r.message


def test_leakage_catches_a_scaler_fitted_before_the_split(train):
    """Statistics of all the rows frozen into the pipeline: refitted per fold, nothing changes."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline, make_pipeline
    from sklearn.preprocessing import FunctionTransformer
    from sklearn.impute import SimpleImputer

    X, y = train
    mean, std = X[data.NUMERIC].mean(), X[data.NUMERIC].std()
    frozen = make_pipeline(FunctionTransformer(lambda Z: ((Z - mean) / std).fillna(0.0)))
    model = Pipeline([("pre", _pre(numeric=frozen)), ("clf", LogisticRegression(max_iter=1000))]).fit(X, y)
    r = checks.check_leakage(model)
    assert not r.passed and "computed once, before the split" in r.message


# ----------------------------------------------------------------------------- cross-validation

def test_cross_validation_accepts_a_right_model_and_states_the_numbers(good_lr):
    r = checks.check_cross_validation(good_lr)
    assert r.passed and "baseline 0.506" in r.message, r.message


def test_cross_validation_catches_a_model_no_better_than_the_baseline():
    from sklearn.dummy import DummyClassifier
    from sklearn.pipeline import Pipeline

    r = checks.check_cross_validation(_fit(Pipeline([("pre", _pre()), ("clf", DummyClassifier())])))
    assert not r.passed and "does not beat the majority-class baseline" in r.message


# ----------------------------------------------------------------------------- the test set

def _record(model, X):
    return {"predictions_sha256": data.predictions_hash(np.asarray(model.predict(X)))}


def test_test_score_accepts_one_model_tested_even_twice(good_lr):
    Xt, _ = data._load_test()
    r = checks.check_test_score(good_lr, [_record(good_lr, Xt)] * 2)
    assert r.passed, r.message


def test_test_score_catches_tuning_on_the_test_set(good_lr, good_tree):
    Xt, _ = data._load_test()
    r = checks.check_test_score(good_lr, [_record(good_tree, Xt), _record(good_lr, Xt)])
    if _record(good_tree, Xt) == _record(good_lr, Xt):
        pytest.skip("the two models predict alike")
    assert not r.passed and "Tuning on the test set" in r.message


def test_test_score_catches_no_test_and_a_model_changed_after_its_test(good_lr, good_tree):
    Xt, _ = data._load_test()
    assert "never used" in checks.check_test_score(good_lr, []).message
    r = checks.check_test_score(good_lr, [_record(good_tree, Xt)])
    assert not r.passed and "not the one evaluate_once tested" in r.message


def test_test_score_catches_a_score_outside_the_band(train):
    from sklearn.compose import ColumnTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    weak = Pipeline([("pre", ColumnTransformer([("m", "passthrough", ["flipper_length_mm"])])),
                     ("clf", LogisticRegression())])
    _fit(weak, *train)
    Xt, _ = data._load_test()
    r = checks.check_test_score(weak, [_record(weak, Xt)])
    assert not r.passed and "outside the band" in r.message


# ----------------------------------------------------------------------------- the saved model

def test_saved_model_accepts_a_right_model(good_lr):
    assert checks.check_saved_model(good_lr).passed


def test_saved_model_catches_a_model_fitted_on_part_of_the_training_split(train):
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    X, y = train
    part = _fit(Pipeline([("pre", _pre()), ("clf", LogisticRegression(C=0.01, max_iter=1000))]), X[:60], y[:60])
    r = checks.check_saved_model(part)
    assert not r.passed and "fitted on a fold" in r.message


def test_saved_model_catches_unseeded_randomness():
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.pipeline import Pipeline

    model = _fit(Pipeline([("pre", _pre()), ("clf", RandomForestClassifier(n_estimators=3, max_features=1))]))
    r = checks.check_saved_model(model)
    assert not r.passed and "random_state" in r.message


def test_load_model_accepts_skops_and_refuses_pickle_and_untrusted_types(tmp_path, good_lr):
    import pickle

    import skops.io as sio

    sio.dump(good_lr, tmp_path / "model.skops")
    assert (checks.load_model(tmp_path).predict(data._load_test()[0]) == good_lr.predict(data._load_test()[0])).all()
    (tmp_path / "model.skops").write_bytes(pickle.dumps(good_lr))
    with pytest.raises(checks.ModelError, match="is a pickle"):
        checks.load_model(tmp_path)
    (tmp_path / "model.skops").unlink()
    (tmp_path / "model.pkl").write_bytes(pickle.dumps(good_lr))
    with pytest.raises(checks.ModelError, match="There is model.pkl"):
        checks.load_model(tmp_path)
    from sklearn.pipeline import Pipeline
    from sklearn.preprocessing import FunctionTransformer

    custom = Pipeline([("f", FunctionTransformer(_my_own_function)), ("m", good_lr)])
    sio.dump(custom, tmp_path / "model.skops")
    with pytest.raises(checks.ModelError, match="does not trust"):
        checks.load_model(tmp_path)


def _my_own_function(Z):
    return Z


# ----------------------------------------------------------------------------- the API, in process

def _solution_app(model):
    sys.path.insert(0, str(SOLUTION))
    try:
        import app as solution_app
    finally:
        sys.path.remove(str(SOLUTION))
    solution_app.model = model
    return solution_app.app


# (No `from __future__ import annotations` in this file: FastAPI reads these apps' annotations.)
def _crashing_app(model):
    """No validation: a missing field is a KeyError, a 500."""
    from fastapi import FastAPI, Request

    app = FastAPI()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.post("/predict")
    async def predict(request: Request):
        body = await request.json()
        row = pd.DataFrame([body])[data.FEATURES].astype({c: float for c in data.NUMERIC})
        return {"prediction": str(model.predict(row)[0])}

    return app


def _lax_app(model):
    """Validates types but takes any text for a category: 'Atlantis' gets a prediction."""
    from fastapi import FastAPI
    from pydantic import BaseModel

    class Penguin(BaseModel):
        species: str
        island: str
        clutch_completion: str
        bill_length_mm: float
        bill_depth_mm: float
        flipper_length_mm: float
        body_mass_g: float
        delta_15n: float | None
        delta_13c: float | None

    app = FastAPI()

    @app.get("/health")
    def health():
        return {"status": "ok"}

    @app.post("/predict")
    def predict(p: Penguin):
        row = pd.DataFrame([p.model_dump()]).astype({"delta_15n": float, "delta_13c": float})
        return {"prediction": str(model.predict(row)[0])}

    return app


def _numeric_label_app(model):
    app = _lax_app(model)
    for route in app.routes:
        if getattr(route, "path", "") == "/predict":
            app.routes.remove(route)
            break
    from pydantic import BaseModel

    @app.post("/predict")
    def predict(p: dict):
        return {"prediction": 1}

    return app


def _probe(app, model) -> list[str]:
    import warnings

    with warnings.catch_warnings():  # starlette 1.x announces a change of its test client's backend
        warnings.simplefilter("ignore", DeprecationWarning)
        from fastapi.testclient import TestClient

    with TestClient(app, raise_server_exceptions=False) as client:
        return checks.probe_api(client, model)


@pytest.fixture(scope="module")
def solution_model():
    return checks.load_model(SOLUTION)


def test_api_catalogue_right_app_accepted(solution_model):
    assert _probe(_solution_app(solution_model), solution_model) == []


@pytest.mark.parametrize("make_app, expected", [
    (_crashing_app, "a missing field (island) crashed the API (status 500)"),
    (_lax_app, "an unknown category (island = \"Atlantis\") got status 200, not 422"),
    (_numeric_label_app, "answered prediction=1"),
])
def test_api_catalogue_mistakes_named(solution_model, make_app, expected):
    problems = _probe(make_app(solution_model), solution_model)
    assert any(expected in p for p in problems), problems


# ----------------------------------------------------------------------------- the learner's tests

def _tests_folder(tmp_path: Path, body: str) -> Path:
    (tmp_path / "tests").mkdir(parents=True)
    (tmp_path / "tests" / "test_model.py").write_text(body)
    return tmp_path


@pytest.mark.slow
def test_learner_tests_catalogue(tmp_path):
    """(Passing tests are accepted: the solution's, when it grades to full marks.)"""
    passing = "def test_a():\n    pass\n\ndef test_b():\n    pass\n\ndef test_c():\n    pass\n"
    r = checks.check_learner_tests(_tests_folder(tmp_path / "few", "def test_a():\n    pass\n"))
    assert not r.passed and "Only 1 test(s) passed" in r.message
    r = checks.check_learner_tests(_tests_folder(tmp_path / "bad", passing + "def test_d():\n    assert 1 == 2\n"))
    assert not r.passed and "do not pass" in r.message and "test_d" in r.message
    empty = tmp_path / "none"
    empty.mkdir()
    assert "no tests" in checks.check_learner_tests(empty).message


# ----------------------------------------------------------------------------- the real thing

def _cli(*args, grading: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, KIT_GRADING_DIR=str(grading), OMP_NUM_THREADS="1", OPENBLAS_NUM_THREADS="1")
    return subprocess.run([sys.executable, "-m", "autograder", *args], cwd=paths.ROOT, env=env,
                          capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_solution_grades_to_full_marks_and_exercise_to_zero(tmp_path, monkeypatch, solution_model):
    grading = tmp_path / "grading"
    monkeypatch.setenv("KIT_GRADING_DIR", str(grading))
    data.evaluate_once(solution_model)  # the notebook's one test evaluation
    before = {p: p.stat().st_mtime_ns for p in SOLUTION.rglob("*") if p.is_file()}
    # One run grades the untouched exercise (by its module id), then the solution (one module's
    # notebooks are graded in the order given, each on its own): the solution's copy is the one
    # left in the grading folder.
    proc = _cli("grade", "capstone", str(SOLUTION), "--json", grading=grading)
    assert proc.returncode == 0, proc.stderr
    untouched, result = json.loads(proc.stdout)["notebooks"]
    assert result["module"] == "capstone"
    assert result["score"] == result["max_score"] == 14, [t for t in result["tests"] if not t["passed"]]
    # The API check started the solution's app.py with uvicorn on a free 127.0.0.1 port and called it.
    assert [t["message"] for t in result["tests"] if t["grade_id"] == "test_api"][0].startswith("The API: /health answers")
    assert {p: p.stat().st_mtime_ns for p in SOLUTION.rglob("*") if p.is_file()} == before, "grading changed the folder"
    assert (grading / "submitted" / "learner" / "capstone" / "model.skops").exists()

    assert untouched["path"] == str(EXERCISE) and untouched["score"] == 0, untouched
    assert "There is no model.skops" in untouched["tests"][0]["message"]
    from autograder import history

    assert [a.score for a in history.attempts(grading) if a.module == "capstone"] == [0.0, 14.0]


# ----------------------------------------------------------------------------- the lessons

LESSONS = sorted((paths.COURSE / "capstone").glob("[0-9][0-9]-*.ipynb"))


def test_the_ten_lessons_are_listed_and_committed_without_outputs():
    import tomllib

    listed = tomllib.loads((paths.COURSE / "capstone" / "module.toml").read_text())["lessons"]
    assert [p.name for p in LESSONS] == listed and len(listed) == 10
    for path in LESSONS + [SOLUTION / "capstone.ipynb", EXERCISE / "capstone.ipynb"]:
        nb = json.loads(path.read_text())
        assert all(not c.get("outputs") and not c.get("execution_count") for c in nb["cells"]
                   if c["cell_type"] == "code"), path.name


@pytest.mark.slow
@pytest.mark.parametrize("lesson", LESSONS, ids=lambda p: p.stem)
def test_lesson_runs_top_to_bottom(lesson, tmp_path):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(lesson, as_version=4)
    os.environ.setdefault("MPLBACKEND", "Agg")
    NotebookClient(nb, timeout=120, kernel_name="python3",
                   resources={"metadata": {"path": str(tmp_path)}}).execute()
    errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
    assert not errors


def test_exercise_notebook_is_generated_from_the_solution():
    from tests.capstone import make_exercise

    assert (EXERCISE / "capstone.ipynb").read_text(encoding="utf-8") == make_exercise.render(), \
        "run `python -m tests.capstone.make_exercise`"
    text = (EXERCISE / "capstone.ipynb").read_text(encoding="utf-8")
    assert "BEGIN SOLUTION" not in text and "GridSearchCV(pipeline" not in text
    assert not (EXERCISE / "model.skops").exists()


@pytest.mark.slow
def test_solution_notebook_runs_and_rebuilds_the_committed_model(tmp_path, monkeypatch):
    """The committed model.skops is what the solution notebook makes (its last cell, the checks'
    preview, is left out: the grading test runs those checks)."""
    import nbformat
    from nbclient import NotebookClient

    folder = tmp_path / "capstone"
    shutil.copytree(SOLUTION, folder, ignore=shutil.ignore_patterns("model.skops", "__pycache__"))
    monkeypatch.setenv("KIT_GRADING_DIR", str(tmp_path / "grading"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    nb = nbformat.read(folder / "capstone.ipynb", as_version=4)
    assert "preview(" in nb.cells[-1].source
    nb.cells = nb.cells[:-1]
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(folder)}}).execute()
    rebuilt, committed = checks.load_model(folder), checks.load_model(SOLUTION)
    Xt, _ = data._load_test()
    assert (rebuilt.predict(Xt) == committed.predict(Xt)).all()
    assert len(data.evaluations()) == 1, "the notebook tests once"


def test_make_serve_without_a_saved_model_says_how_to_make_one(tmp_path):
    proc = subprocess.run(["make", "--no-print-directory", "serve", f"CAPSTONE={tmp_path}"], cwd=paths.ROOT,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0
    assert "There is no saved model to serve" in proc.stdout and "skops.io.dump" in proc.stdout
    assert "Traceback" not in proc.stdout + proc.stderr
