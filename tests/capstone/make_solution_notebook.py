"""Maintainers: writes solutions/capstone/capstone.ipynb (without outputs); then
`python -m tests.capstone.make_exercise` writes the exercise's notebook from it, and running the
solution notebook (in solutions/capstone/, with KIT_GRADING_DIR set to a scratch folder) writes
its model.skops. Usage: python tests/capstone/make_solution_notebook.py solutions/capstone/capstone.ipynb"""
import nbformat as nbf, re, sys
M = lambda s: nbf.v4.new_markdown_cell(s.strip("\n"))
C = lambda s: nbf.v4.new_code_cell(s.strip("\n"))
cells = [
M("""
# Capstone: predict a penguin's sex, from raw data to a served and tested model

This is one project taken end to end, the way an ML engineer ships one. The lessons in
[`course/capstone/`](../../course/capstone/) teach each step with their own examples; here you
carry them over to the Palmer penguins (Gorman, Williams and Fraser, 2014; the `palmerpenguins`
package ships the table).

**The task.** Predict `sex` (`"female"` or `"male"`) from a penguin's species, island, clutch
completion and six measurements, two of which (the blood isotope ratios `delta_15n`,
`delta_13c`) are sometimes missing. The metric is accuracy (the classes are balanced).

**Your work is this whole folder**, and `make grade MODULE=capstone` grades all of it:

| file | what it must do | checked by the grader |
|---|---|---|
| `capstone.ipynb` (this notebook) | explore, build the pipeline, choose a model by cross-validation, test once, save | — |
| `model.skops` | the chosen `Pipeline` (preprocessing inside), refitted on the whole training split, saved with `skops` | leakage, cross-validation vs the baseline, test band, loads and predicts like its pipeline |
| `app.py` | a FastAPI app: `GET /health`, `POST /predict` -> `{"prediction": "female" or "male"}`; a 422 for bad input | started with uvicorn on a free port and called |
| `tests/test_model.py` | your tests: data validation, an invariance test, a regression test on the saved model | run with pytest; at least 3 must pass |
| `MODEL_CARD.md` | the model card | read by people |

**The rules the checks hold you to.** The pipeline takes the raw `DataFrame` from
`load_training()` (missing values, text categories) and does all imputing, scaling and encoding
itself. The cross-validation is `data.cv_splitter()` (5 stratified folds, seeded). Randomness is
seeded (`random_state=0`). The test set is used once, through `evaluate_once(model)`: every call
is recorded, and evaluating two different models is tuning on the test set.
"""),
C("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt

from autograder.capstone import data
from autograder.capstone.data import load_training, evaluate_once

X, y = load_training()
print(X.shape, y.value_counts().to_dict())
X.head()
"""),
M("""
## 1. The baseline

Before any model: what does always answering the most frequent class score, cross-validated on
the same folds as everything after it? Your model must beat it by 0.25 of accuracy.
Lesson: [01 framing, metric, baseline](../../course/capstone/01-framing-metric-baseline.ipynb).

<details><summary>Hint 1</summary>

scikit-learn has an estimator that ignores the features on purpose.

</details>

<details><summary>Hint 2</summary>

`cross_val_score(estimator, X, y, cv=cv)` returns one score per fold; the baseline is their mean.

</details>
"""),
C("""
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import cross_val_score

cv = data.cv_splitter()
### BEGIN SOLUTION
baseline = cross_val_score(DummyClassifier(strategy="most_frequent"), X, y, cv=cv).mean()
### END SOLUTION
print(f"baseline accuracy: {baseline:.3f}")
"""),
M("""
## 2. Explore

How many values are missing, per column? How do male and female penguins differ, within a species?
Lesson: [02 exploring with pandas](../../course/capstone/02-exploring-with-pandas.ipynb).

<details><summary>Hint 1</summary>

`isna().sum()` counts per column; put `X` and `y` side by side with `pd.concat(..., axis=1)` to group by both species and sex.

</details>
"""),
C("""
### BEGIN SOLUTION
print(X.isna().sum())
print(pd.concat([X, y], axis=1).groupby(["species", "sex"])[["body_mass_g", "bill_depth_mm"]].mean().round(1))
fig, ax = plt.subplots(figsize=(5, 3.5))
for sex, marker in (("female", "o"), ("male", "^")):
    rows = y == sex
    ax.scatter(X.loc[rows, "bill_depth_mm"], X.loc[rows, "body_mass_g"], marker=marker, alpha=0.6, label=sex)
ax.set_xlabel("bill depth (mm)"); ax.set_ylabel("body mass (g)"); ax.legend()
plt.show()
### END SOLUTION
"""),
M("""
## 3. The pipeline

A `ColumnTransformer` that imputes and scales the numeric columns (`data.NUMERIC`) and imputes
and one-hot encodes the categorical ones (`data.CATEGORICAL`), then a model, in one `Pipeline`
with the steps named `"pre"` and `"clf"`. Nothing is fitted here.
Lesson: [03 pipelines without leakage](../../course/capstone/03-pipelines-without-leakage.ipynb).

<details><summary>Hint 1</summary>

Two groups of columns, each with its own small pipeline of steps: `make_pipeline` builds each, the `ColumnTransformer` joins them.

</details>

<details><summary>Hint 2</summary>

The numeric group needs a filler for the missing isotope values and a scaler; the text group a filler and an encoder that tolerates a category it has not seen.

</details>
"""),
C("""
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

### BEGIN SOLUTION
pre = ColumnTransformer([
    ("num", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), data.NUMERIC),
    ("cat", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
     data.CATEGORICAL),
])
pipeline = Pipeline([("pre", pre), ("clf", LogisticRegression(max_iter=1000))])
### END SOLUTION
pipeline
"""),
M("""
## 4. Model selection by cross-validation

One search over a linear model and a tree ensemble, on `cv`, scored by accuracy. Keep the best.
Lesson: [04 model selection by CV](../../course/capstone/04-model-selection-by-cv.ipynb).

<details><summary>Hint 1</summary>

A search's grid can be a list of dictionaries, one per model family; the key `"clf"` swaps the final step itself.

</details>

<details><summary>Hint 2</summary>

Seed every model that uses randomness (`random_state=0`): the grader refits your saved pipeline and expects the same predictions.

</details>

<details><summary>Hint 3</summary>

After fitting, the search holds the winner refitted on all of `X` (`refit=True` is the default).

</details>
"""),
C("""
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV

### BEGIN SOLUTION
grid = [
    {"clf": [LogisticRegression(max_iter=1000)], "clf__C": [0.1, 1.0, 10.0]},
    {"clf": [RandomForestClassifier(n_estimators=50, min_samples_leaf=2, random_state=0)],
     "clf__max_depth": [4, 8]},
]
search = GridSearchCV(pipeline, grid, cv=cv, scoring="accuracy").fit(X, y)
model = search.best_estimator_
### END SOLUTION
print(search.best_params_, f"cross-validated accuracy {search.best_score_:.3f}")
"""),
M("""
## 5. Error analysis

Where does the chosen model go wrong? Use out-of-fold predictions (`cross_val_predict` on `cv`),
not the training predictions.
"""),
C("""
from sklearn.base import clone
from sklearn.model_selection import cross_val_predict

### BEGIN SOLUTION
oof = cross_val_predict(clone(model), X, y, cv=cv)
wrong = oof != y
print(pd.crosstab(y, oof, rownames=["true"], colnames=["predicted"]))
print(pd.Series(wrong).groupby(X["species"]).mean().round(3).rename("error rate by species"))
### END SOLUTION
"""),
M("""
## 6. One honest test result

`model` was refitted on the whole training split by the search. Evaluate it once.
Lesson: [06 one honest test result](../../course/capstone/06-one-honest-test-result.ipynb).

<details><summary>Hint 1</summary>

`evaluate_once` takes the fitted model and returns the accuracy with its bootstrap interval. Re-running the same seeded notebook evaluates the same model again, which is fine; evaluating a second, different model is not.

</details>
"""),
C("""
### BEGIN SOLUTION
result = evaluate_once(model)
### END SOLUTION
print(f"test accuracy {result['accuracy']:.3f}, 95% bootstrap interval "
      f"[{result['interval_95'][0]:.3f}, {result['interval_95'][1]:.3f}] on {result['n_test']} penguins")
"""),
M("""
## 7. Save with skops, and load it back

Save `model` as `model.skops` in this folder; load it back with an explicit list of trusted
types and check that it predicts exactly what `model` does.
Lesson: [07 saving with skops](../../course/capstone/07-saving-with-skops.ipynb).

<details><summary>Hint 1</summary>

`skops.io.dump`, `skops.io.get_untrusted_types(file=...)` and `skops.io.load(..., trusted=...)`: read the list before you trust it.

</details>
"""),
C("""
import skops.io as sio

### BEGIN SOLUTION
sio.dump(model, "model.skops")
untrusted = sio.get_untrusted_types(file="model.skops")
print("types to trust:", untrusted)
loaded = sio.load("model.skops", trusted=untrusted)
assert (loaded.predict(X) == model.predict(X)).all()
### END SOLUTION
"""),
M("""
## 8-10. Serve, test, describe

Write `app.py`, `tests/test_model.py` and `MODEL_CARD.md` in this folder (lessons 08, 09 and 10).
Then run the kit's checks on the folder here (the same as `make grade MODULE=capstone`, without
recording a grade):
"""),
C("""
from autograder.capstone.grading import preview

preview(".")
"""),
]
nb = nbf.v4.new_notebook(cells=cells)
nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
               "language_info": {"name": "python"}, "kit": {"module": "capstone"}}
for i, cell in enumerate(nb.cells):  # stable ids: a rebuild changes only what changed
    cell["id"] = f"cell-{i:02d}"
nbf.write(nb, sys.argv[1])
