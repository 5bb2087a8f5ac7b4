"""Tests for the capstone's model: data validation, an invariance test, a regression test on the
saved model's predictions, and the API. Run them with `python -m pytest tests` in this folder."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import skops.io as sio

from autograder.capstone.data import CATEGORIES, FEATURES, NUMERIC, load_training

HERE = Path(__file__).resolve().parent.parent
TRUSTED = {"numpy.dtype", "sklearn.tree._tree.Tree",
           "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor"}


@pytest.fixture(scope="module")
def model():
    path = HERE / "model.skops"
    untrusted = sio.get_untrusted_types(file=path)
    assert set(untrusted) <= TRUSTED
    return sio.load(path, trusted=untrusted)


@pytest.fixture(scope="module")
def training():
    return load_training()


# --- data validation: the data is what the model was built for

def test_training_data_has_the_expected_columns_and_values(training):
    X, y = training
    assert list(X.columns) == FEATURES
    assert set(y) == {"female", "male"}
    for col, allowed in CATEGORIES.items():
        assert set(X[col].dropna()) <= set(allowed), col
    assert (X[NUMERIC].dropna() > -40).all().all()  # delta_13c is negative, the rest positive
    assert X["body_mass_g"].between(2000, 7000).all()


def test_only_the_isotopes_are_ever_missing(training):
    X, _ = training
    missing = X.isna().sum()
    assert set(missing[missing > 0].index) <= {"delta_15n", "delta_13c"}


# --- invariance: what must not change the prediction

def test_row_order_does_not_change_predictions(model, training):
    X, _ = training
    sample = X.iloc[:40]
    forward = model.predict(sample)
    backward = model.predict(sample.iloc[::-1])[::-1]
    assert (forward == backward).all()


def test_column_order_does_not_change_predictions(model, training):
    X, _ = training
    sample = X.iloc[:40]
    assert (model.predict(sample) == model.predict(sample[FEATURES[::-1]])).all()


def test_a_missing_isotope_still_gets_a_prediction(model, training):
    X, _ = training
    row = X.iloc[[0]].copy()
    row["delta_15n"] = np.nan
    assert model.predict(row)[0] in {"female", "male"}


# --- regression test: the saved model's predictions on fixed penguins

def test_saved_model_predictions_did_not_change(model, training):
    X, y = training
    accuracy = (model.predict(X) == y).mean()
    assert accuracy > 0.85
    heavy_gentoo = pd.DataFrame([{"species": "Gentoo", "island": "Biscoe", "clutch_completion": "Yes",
                                  "bill_length_mm": 50.0, "bill_depth_mm": 16.0, "flipper_length_mm": 225.0,
                                  "body_mass_g": 5700.0, "delta_15n": 8.3, "delta_13c": -26.2}])
    light_adelie = pd.DataFrame([{"species": "Adelie", "island": "Dream", "clutch_completion": "Yes",
                                  "bill_length_mm": 36.0, "bill_depth_mm": 17.0, "flipper_length_mm": 185.0,
                                  "body_mass_g": 3200.0, "delta_15n": 8.9, "delta_13c": -25.8}])
    assert model.predict(heavy_gentoo)[0] == "male"
    assert model.predict(light_adelie)[0] == "female"


# --- the API, in process (the grader also starts it as a real server)

@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # starlette's note about its test client
def test_api_predicts_and_rejects_bad_input():
    from fastapi.testclient import TestClient

    import sys

    sys.path.insert(0, str(HERE))
    from app import app

    client = TestClient(app)
    assert client.get("/health").status_code == 200
    good = {"species": "Gentoo", "island": "Biscoe", "clutch_completion": "Yes", "bill_length_mm": 50.0,
            "bill_depth_mm": 16.0, "flipper_length_mm": 225.0, "body_mass_g": 5700.0,
            "delta_15n": None, "delta_13c": -26.2}
    r = client.post("/predict", json=good)
    assert r.status_code == 200 and r.json()["prediction"] in {"female", "male"}
    assert client.post("/predict", json={k: v for k, v in good.items() if k != "species"}).status_code == 422
    assert client.post("/predict", json=dict(good, island="Atlantis")).status_code == 422
    assert client.post("/predict", json=dict(good, body_mass_g="heavy")).status_code == 422
