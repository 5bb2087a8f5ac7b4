"""The penguin-sex model behind an HTTP API.

    uvicorn app:app --port 8000        (or `make serve` from the kit's folder)

GET /health answers {"status": "ok"}; POST /predict takes one penguin's measurements as JSON and
answers {"prediction": "female" | "male", "probability_male": p}. Input is validated by pydantic:
a missing field, a wrong type or an unknown category gets a 422 that says which field, never a 500.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

import pandas as pd
import skops.io as sio
from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field

MODEL_PATH = Path(os.environ.get("CAPSTONE_MODEL", Path(__file__).with_name("model.skops")))
# Beyond what skops trusts by default, only these types may be loaded (never pickle).
TRUSTED = {
    "numpy.dtype",
    "sklearn.tree._tree.Tree",
    "sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",
}


def load_model(path: Path):
    untrusted = sio.get_untrusted_types(file=path)
    unknown = set(untrusted) - TRUSTED
    if unknown:
        raise RuntimeError(f"{path} asks to load untrusted types {sorted(unknown)}")
    return sio.load(path, trusted=untrusted)


model = load_model(MODEL_PATH)
app = FastAPI(title="Penguin sex classifier")


class Penguin(BaseModel):
    """One penguin, as measured in the field. The isotope ratios may be missing (null)."""

    model_config = ConfigDict(extra="forbid")

    species: Literal["Adelie", "Chinstrap", "Gentoo"]
    island: Literal["Biscoe", "Dream", "Torgersen"]
    clutch_completion: Literal["No", "Yes"]
    bill_length_mm: float = Field(gt=0, lt=100)
    bill_depth_mm: float = Field(gt=0, lt=50)
    flipper_length_mm: float = Field(gt=0, lt=300)
    body_mass_g: float = Field(gt=0, lt=10000)
    delta_15n: float | None
    delta_13c: float | None


class Prediction(BaseModel):
    prediction: Literal["female", "male"]
    probability_male: float


@app.get("/health")
def health() -> dict:
    return {"status": "ok"}


@app.post("/predict")
def predict(penguin: Penguin) -> Prediction:
    row = pd.DataFrame([penguin.model_dump()]).astype({"delta_15n": float, "delta_13c": float})
    label = str(model.predict(row)[0])
    proba = float(model.predict_proba(row)[0][list(model.classes_).index("male")])
    return Prediction(prediction=label, probability_male=proba)
