"""The penguin-sex model behind an HTTP API (lesson 08 shows how, on another model).

    uvicorn app:app --port 8000        (or `make serve` from the kit's folder)

What the grader expects (it starts this file with uvicorn on a free local port):
- GET /health answers 200 (for example {"status": "ok"}).
- POST /predict takes one penguin as JSON, with the fields of autograder.capstone.data.FEATURES
  (delta_15n and delta_13c may be null), and answers {"prediction": "female"} or {"prediction": "male"}:
  what model.skops predicts for that penguin.
- A missing field, a wrong type or an unknown category (island "Atlantis") gets a 422, never a 500.
- model.skops is loaded with skops.io.load and an explicit list of trusted types, never pickle.
"""

from __future__ import annotations

from fastapi import FastAPI

app = FastAPI(title="Penguin sex classifier")

# YOUR CODE HERE: load model.skops (from this file's folder), a pydantic model of one penguin,
# GET /health and POST /predict.
raise NotImplementedError("app.py is not written yet")
