"""The capstone's data: the Palmer penguins (raw table, shipped inside the `palmerpenguins` wheel,
nothing downloaded), cleaned of its column names only, and split once, seeded.

The learner gets the training split (`load_training()`); the test split stays with the kit and is
used once, through `evaluate_once(model)`, which records every call in the grading folder's
history (`grading/capstone-test-evaluations.jsonl`), so a test score looked at twice is seen.

The target is `sex` ("female" / "male"): not separable by any one measure, roughly balanced.
The features keep the data's mess: missing isotope values, text categories.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

TARGET = "sex"
CATEGORICAL = ["species", "island", "clutch_completion"]
NUMERIC = ["bill_length_mm", "bill_depth_mm", "flipper_length_mm", "body_mass_g",
           "delta_15n", "delta_13c"]
FEATURES = CATEGORICAL + NUMERIC
# The categories a served model accepts (an API rejects any other value with a 422).
CATEGORIES = {
    "species": ["Adelie", "Chinstrap", "Gentoo"],
    "island": ["Biscoe", "Dream", "Torgersen"],
    "clutch_completion": ["No", "Yes"],
}
CLASSES = ["female", "male"]
# Numeric features that may be missing (null in a request); the others are always measured here.
OPTIONAL = ["delta_15n", "delta_13c"]

TEST_FRACTION = 0.25
SPLIT_SEED = 13
# The cross-validation every capstone score uses: stratified, five folds, shuffled with this seed.
CV_FOLDS = 5
CV_SEED = 0

_RAW_COLUMNS = {
    "Species": "species", "Island": "island", "Clutch Completion": "clutch_completion",
    "Culmen Length (mm)": "bill_length_mm", "Culmen Depth (mm)": "bill_depth_mm",
    "Flipper Length (mm)": "flipper_length_mm", "Body Mass (g)": "body_mass_g",
    "Delta 15 N (o/oo)": "delta_15n", "Delta 13 C (o/oo)": "delta_13c", "Sex": "sex",
}


def load_all() -> pd.DataFrame:
    """Every penguin whose sex was recorded (333 of 344), features and target. The kit's own use."""
    from palmerpenguins import load_penguins_raw

    raw = load_penguins_raw()
    df = raw[list(_RAW_COLUMNS)].rename(columns=_RAW_COLUMNS)
    df = df[df["sex"].isin(["MALE", "FEMALE"])].copy()
    df["sex"] = df["sex"].str.lower()
    df["species"] = df["species"].str.split().str[0]  # "Adelie Penguin (Pygoscelis adeliae)" -> "Adelie"
    for col in NUMERIC:
        df[col] = df[col].astype(float)
    for col in CATEGORICAL + [TARGET]:
        df[col] = df[col].astype(object)
    return df.reset_index(drop=True)


def _split() -> tuple[pd.DataFrame, pd.DataFrame]:
    from sklearn.model_selection import train_test_split

    df = load_all()
    train, test = train_test_split(df, test_size=TEST_FRACTION, random_state=SPLIT_SEED,
                                   stratify=df[TARGET])
    return train.reset_index(drop=True), test.reset_index(drop=True)


def load_training() -> tuple[pd.DataFrame, pd.Series]:
    """The training split: X (a DataFrame with the FEATURES columns, raw: NaN and text) and y."""
    train, _ = _split()
    return train[FEATURES].copy(), train[TARGET].copy()


def _load_test() -> tuple[pd.DataFrame, pd.Series]:
    """The held-out test split. The grader's; a learner uses `evaluate_once` instead."""
    _, test = _split()
    return test[FEATURES].copy(), test[TARGET].copy()


def cv_splitter():
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(n_splits=CV_FOLDS, shuffle=True, random_state=CV_SEED)


def evaluations_path() -> Path:
    from autograder import paths

    return paths.grading_dir() / "capstone-test-evaluations.jsonl"


def evaluations() -> list[dict]:
    """Every recorded call of evaluate_once, oldest first."""
    path = evaluations_path()
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            out.append(json.loads(line))
        except json.JSONDecodeError:
            continue
    return out


def predictions_hash(pred) -> str:
    """A fingerprint of a model's test predictions: which model was evaluated, without keeping it."""
    return hashlib.sha256(json.dumps([str(p) for p in pred]).encode()).hexdigest()


def evaluate_once(model) -> dict:
    """The test-set accuracy of a fitted model, with a 95% bootstrap interval, recorded.

    Call it once, with the model you chose by cross-validation and will ship. Every call is kept
    in the grading folder's history, and the grader reads it: more than one call means the test
    set helped to choose, and its score is no longer an honest estimate."""
    X, y = _load_test()
    pred = np.asarray(model.predict(X))
    correct = (pred == y.to_numpy()).astype(float)
    rng = np.random.default_rng(0)
    boot = rng.choice(correct, size=(2000, len(correct)), replace=True).mean(axis=1)
    low, high = np.percentile(boot, [2.5, 97.5])
    previous = evaluations()
    result = {"accuracy": float(correct.mean()), "interval_95": [float(low), float(high)],
              "n_test": int(len(correct)), "call": len(previous) + 1,
              "predictions_sha256": predictions_hash(pred),
              "at": time.strftime("%Y-%m-%dT%H:%M:%S"), "pid": os.getpid()}
    path = evaluations_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(result) + "\n")
    if result["call"] > 1:
        print(f"Note: this is test evaluation number {result['call']} (recorded). The test score is "
              "honest only the first time: choose by cross-validation, then test once.")
    return {k: result[k] for k in ("accuracy", "interval_95", "n_test", "call")}
