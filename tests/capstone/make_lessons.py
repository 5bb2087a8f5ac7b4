"""Maintainers: the capstone's ten lessons are written by this script (course/capstone/*.ipynb,
without outputs). Edit here, run `python tests/capstone/make_lessons.py`, review the diff.
Every number a lesson states is printed by its own code cells."""
import nbformat as nbf, sys
from pathlib import Path
OUT = Path(__file__).resolve().parents[2] / "course" / "capstone"
M = lambda s: nbf.v4.new_markdown_cell(s.strip("\n"))
C = lambda s: nbf.v4.new_code_cell(s.strip("\n"))
def nav(n):
    names = ["01-framing-metric-baseline", "02-exploring-with-pandas", "03-pipelines-without-leakage",
             "04-model-selection-by-cv", "05-error-analysis", "06-one-honest-test-result", "07-saving-with-skops",
             "08-serving-with-fastapi", "09-testing-ml-code", "10-model-card"]
    nxt = f"[the next lesson]({names[n]}.ipynb)" if n < 10 else "the project"
    return M(f"**Next:** {nxt}; the capstone's exercise is [`exercises/capstone/capstone.ipynb`](../../exercises/capstone/capstone.ipynb).")
L = {}
L["01-framing-metric-baseline"] = [
M("""
# Capstone 01: framing the problem, choosing the metric, and a baseline

After this lesson you can state an ML problem as an engineer would (what is predicted, from
what, for whom, and what a mistake costs), pick a metric that matches the cost, and compute the
baseline every model must beat before anyone looks at it.

The example is scikit-learn's breast cancer data: predict whether a tumour is malignant from 30
measurements of a cell nucleus image.
"""),
C("""
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.dummy import DummyClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score

data = load_breast_cancer(as_frame=True)
X, y = data.data, (data.target == 0).astype(int)  # 1 = malignant, the class we must not miss
print(X.shape, "share malignant:", round(y.mean(), 3))
"""),
M("""
## The metric follows the cost of a mistake

Accuracy $\\frac{1}{m}\\sum_i [\\hat y_i = y_i]$ counts every mistake alike. Here a missed
malignant tumour (a false negative) costs far more than a false alarm, so we also watch
**recall** $= \\frac{TP}{TP + FN}$, the share of malignant tumours found. When the classes are
skewed, accuracy flatters a model that always answers the majority class:
"""),
C("""
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
for strategy in ("most_frequent", "stratified"):
    dummy = DummyClassifier(strategy=strategy, random_state=0)
    acc = cross_val_score(dummy, X, y, cv=cv, scoring="accuracy").mean()
    rec = cross_val_score(dummy, X, y, cv=cv, scoring="recall").mean()
    print(f"{strategy:>14}: accuracy {acc:.3f}, recall {rec:.3f}")
"""),
M("""
The majority-class baseline reaches the accuracy printed above while finding **no** malignant
tumour at all (recall 0). Any model is judged against these numbers, computed the same way (same
folds, same metric) as the model's own.

## A simple first model

A baseline can also be the simplest honest model; here one feature and a threshold learned by a
logistic regression:
"""),
C("""
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

one = make_pipeline(StandardScaler(), LogisticRegression())
for cols in (["mean radius"], list(X.columns)):
    acc = cross_val_score(one, X[cols], y, cv=cv).mean()
    rec = cross_val_score(one, X[cols], y, cv=cv, scoring="recall").mean()
    print(f"{len(cols):>2} feature(s): accuracy {acc:.3f}, recall {rec:.3f}")
"""),
M("""
**Framing checklist** (write it before the first model): the target and its classes; the rows
(one tumour); the features available *at prediction time*; the metric and the margin over the
baseline that makes the model worth shipping; who uses the prediction and what they do with it.
"""),
nav(1),
]
L["02-exploring-with-pandas"] = [
M("""
# Capstone 02: exploring the data with pandas and plots

After this lesson you can take a first look at a table the way every project starts: its size
and types, what is missing, how the target is distributed, and how features differ between the
classes, with a few lines of pandas and one or two plots.

The example is scikit-learn's wine data (three cultivars, 13 chemical measurements), with some
values removed at random (seeded) so that the missing-value steps have something to find.
"""),
C("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.datasets import load_wine

wine = load_wine(as_frame=True)
df = wine.frame.copy()
df["cultivar"] = df.pop("target").map(dict(enumerate(wine.target_names)))
rng = np.random.default_rng(0)
for col in ["magnesium", "color_intensity"]:
    df.loc[rng.random(len(df)) < 0.06, col] = np.nan
df.shape
"""),
M("""
## Types, missing values, the target
"""),
C("""
print(df.dtypes.value_counts())
print(df.isna().sum()[lambda s: s > 0])
print(df["cultivar"].value_counts(normalize=True).round(3))
"""),
M("""
## Summaries by class

`describe` gives the scale of each column (they differ by orders of magnitude: a reason to scale
for linear models); `groupby` shows which features separate the classes.
"""),
C("""
print(df[["alcohol", "proline", "magnesium"]].describe().round(2))
print(df.groupby("cultivar")[["alcohol", "flavanoids", "proline"]].mean().round(2))
"""),
M("""
## Plots: distributions and pairs
"""),
C("""
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5))
for name, part in df.groupby("cultivar"):
    axes[0].hist(part["proline"], bins=15, alpha=0.5, label=name)
    axes[1].scatter(part["flavanoids"], part["color_intensity"], s=12, label=name)
axes[0].set_xlabel("proline"); axes[0].legend()
axes[1].set_xlabel("flavanoids"); axes[1].set_ylabel("color intensity")
plt.tight_layout(); plt.show()
"""),
M("""
Two lessons for the project: look only at the **training** data (what you learn from a plot is
a decision, and the test set must not make decisions), and write down what you found (missing
values, scales, categories) because each finding becomes a step of the pipeline in lesson 03.
Are the missing values missing at random? Compare the rows with and without them:
"""),
C("""
missing = df["magnesium"].isna()
print(df.groupby(missing)[["alcohol", "proline"]].mean().round(2).rename(index={False: "present", True: "missing"}))
"""),
nav(2),
]
L["03-pipelines-without-leakage"] = [
M("""
# Capstone 03: cleaning and features inside a Pipeline, so nothing leaks

After this lesson you can put every data-dependent step (imputing, scaling, encoding, selecting
features) inside one scikit-learn `Pipeline` with a `ColumnTransformer`, and you can show with
numbers why a step fitted *before* the split makes a cross-validated score lie.

## Leakage, shown on pure noise

The data below has no signal at all: 2,000 random features, labels drawn at random. An honest
score is about 0.5. Selecting the "best" features on **all** the rows, then cross-validating,
reports far more:
"""),
C("""
import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.pipeline import Pipeline, make_pipeline

rng = np.random.default_rng(0)
X_noise = rng.normal(size=(100, 2000))
y_noise = rng.integers(0, 2, size=100)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)

selected = SelectKBest(f_classif, k=20).fit_transform(X_noise, y_noise)  # fitted on every row
leaky = cross_val_score(LogisticRegression(), selected, y_noise, cv=cv).mean()
honest = cross_val_score(make_pipeline(SelectKBest(f_classif, k=20), LogisticRegression()),
                         X_noise, y_noise, cv=cv).mean()
print(f"selected before the split: {leaky:.3f}    inside the pipeline: {honest:.3f}")
"""),
M("""
The validation rows of every fold helped to choose the features, so they are no longer unseen.
Scaling and imputing leak the same way, only less visibly: the mean used to fill a gap was
computed with the validation rows. Inside a `Pipeline`, `cross_val_score` refits every step on
each fold's training rows only.

## A ColumnTransformer for a mixed table

Real tables mix numbers and text. A `ColumnTransformer` sends each group of columns through its
own steps and joins the results. A small made-up table of flats (seeded):
"""),
C("""
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.preprocessing import OneHotEncoder, StandardScaler
from sklearn.linear_model import Ridge

n = 300
flats = pd.DataFrame({
    "area_m2": rng.uniform(20, 120, n).round(1),
    "floor": rng.integers(0, 10, n).astype(float),
    "district": rng.choice(["north", "centre", "south"], n),
})
price = 3000 * flats["area_m2"] + 5000 * flats["floor"] + flats["district"].map(
    {"north": 0, "centre": 80000, "south": 20000}) + rng.normal(0, 20000, n)
flats.loc[rng.random(n) < 0.1, "floor"] = np.nan  # missing values
flats.loc[rng.random(n) < 0.05, "district"] = np.nan

prep = ColumnTransformer([
    ("numbers", make_pipeline(SimpleImputer(strategy="median"), StandardScaler()), ["area_m2", "floor"]),
    ("text", make_pipeline(SimpleImputer(strategy="most_frequent"), OneHotEncoder(handle_unknown="ignore")),
     ["district"]),
])
model = Pipeline([("prep", prep), ("reg", Ridge(alpha=1.0))])
scores = cross_val_score(model, flats, price, cv=5, scoring="r2")
print("R^2 per fold:", scores.round(3))
"""),
M("""
The pipeline takes the **raw** table, gaps and text included, which is also what a served model
receives. Fitted, it remembers what it learned from the training rows only:
"""),
C("""
model.fit(flats, price)
num = model.named_steps["prep"].named_transformers_["numbers"]
print("medians used to fill gaps:", num.named_steps["simpleimputer"].statistics_)
print("categories seen:", model.named_steps["prep"].named_transformers_["text"][-1].categories_)
print(model.predict(pd.DataFrame([{"area_m2": 55.0, "floor": np.nan, "district": "harbour"}])).round(0))
"""),
M("""
`handle_unknown="ignore"` lets the encoder accept a district it never saw (all its indicator
columns are 0); whether a *served* model should accept it is the API's decision (lesson 08).
"""),
nav(3),
]
L["04-model-selection-by-cv"] = [
M("""
# Capstone 04: model selection by cross-validation with a hyperparameter search

After this lesson you can compare model families and their hyperparameters in one search, scored
by cross-validation on the training data only, read the search's results, and keep the winner
refitted on all the training rows.

The example: the breast cancer data, a linear model against a tree ensemble.

With $K$ folds, the cross-validated score of a setting is the mean of its $K$ validation scores,
$\\bar s = \\frac{1}{K}\\sum_{k=1}^{K} s_k$; the spread of the $s_k$ says how much to trust a
difference between two settings.
"""),
C("""
import numpy as np
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold, train_test_split
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=1, stratify=y)
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
"""),
M("""
## One search over two families

A list of grids lets the search swap the final step: each dictionary is one family with its own
hyperparameters. A scaler in front does not hurt the forest and is needed by the linear model.
"""),
C("""
pipe = Pipeline([("scale", StandardScaler()), ("model", LogisticRegression(max_iter=2000))])
grids = [
    {"model": [LogisticRegression(max_iter=2000)], "model__C": [0.01, 0.1, 1, 10]},
    {"model": [RandomForestClassifier(n_estimators=60, random_state=0)], "model__max_depth": [3, None]},
]
search = GridSearchCV(pipe, grids, cv=cv, scoring="accuracy", n_jobs=1).fit(X_train, y_train)
table = pd.DataFrame(search.cv_results_)[["param_model", "param_model__C", "param_model__max_depth",
                                          "mean_test_score", "std_test_score", "rank_test_score"]]
table["param_model"] = table["param_model"].map(lambda m: type(m).__name__)
table.sort_values("rank_test_score")
"""),
C("""
print("best:", search.best_params_, f"cross-validated accuracy {search.best_score_:.3f}")
best = search.best_estimator_  # refitted on all of X_train (refit=True)
"""),
M("""
Read the table before trusting the winner: if the first two settings differ by less than their
standard deviations across folds, prefer the simpler or faster one. The test set has not been
touched; it is used once, in lesson 06.
"""),
nav(4),
]
L["05-error-analysis"] = [
M("""
# Capstone 05: error analysis of the chosen model

After this lesson you can find where a model goes wrong: with **out-of-fold** predictions (each
row predicted by a model that did not train on it), a confusion matrix, error rates by group,
and a look at the individual mistakes, so the next step is chosen by evidence.

The example: handwritten digits with a logistic regression.
"""),
C("""
import numpy as np
import pandas as pd
import matplotlib.pyplot as plt
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import confusion_matrix
from sklearn.model_selection import StratifiedKFold, cross_val_predict
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_digits(return_X_y=True)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=300, C=0.1))
cv = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
oof = cross_val_predict(model, X, y, cv=cv)
print(f"out-of-fold accuracy {np.mean(oof == y):.3f}; training-set predictions would flatter it")
"""),
M("""
## Which classes are confused with which
"""),
C("""
cm = confusion_matrix(y, oof)
off = cm.copy(); np.fill_diagonal(off, 0)
pairs = sorted(((off[i, j], i, j) for i in range(10) for j in range(10) if off[i, j]), reverse=True)[:4]
print("most frequent mistakes (count, true, predicted):", pairs)
print("error rate by digit:", pd.Series(1 - np.diag(cm) / cm.sum(axis=1)).round(3).to_dict())
"""),
M("""
## Look at the mistakes themselves
"""),
C("""
wrong = np.flatnonzero(oof != y)[:8]
fig, axes = plt.subplots(1, len(wrong), figsize=(1.3 * len(wrong), 1.8))
for ax, i in zip(axes, wrong):
    ax.imshow(X[i].reshape(8, 8), cmap="gray_r"); ax.set_title(f"{y[i]}->{oof[i]}", fontsize=9); ax.axis("off")
plt.show()
"""),
M("""
Questions to ask of every error analysis: are the mistakes concentrated in one group (a class, a
source, a range of a feature)? Are some labels wrong? Would more data of one kind help, or a
feature the model does not have? Write the answer in the model card's limitations (lesson 10).
"""),
nav(5),
]
L["06-one-honest-test-result"] = [
M("""
# Capstone 06: one honest test result, stated with its uncertainty

After this lesson you can report a test score the way it deserves: computed once, on data that
made no decision, with a bootstrap interval that says how much it could move on another test set
of the same size. You will also see, in numbers, what looking at the test set many times does.

## The bootstrap interval

Resample the $n$ test predictions with replacement $B$ times, compute the accuracy of each
resample, and take the 2.5th and 97.5th percentiles: an approximate 95% interval.
"""),
C("""
import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=2, stratify=y)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X_train, y_train)
correct = (model.predict(X_test) == y_test).astype(float)

rng = np.random.default_rng(0)
boot = rng.choice(correct, size=(5000, correct.size)).mean(axis=1)
low, high = np.percentile(boot, [2.5, 97.5])
print(f"test accuracy {correct.mean():.3f}, 95% bootstrap interval [{low:.3f}, {high:.3f}], n = {correct.size}")
"""),
M("""
The interval's width comes from the size of the test set, not from the model: with $n$ test rows
the standard error of an accuracy $p$ is about $\\sqrt{p(1-p)/n}$.
"""),
C("""
p = correct.mean()
print(f"sqrt(p(1-p)/n) = {np.sqrt(p * (1 - p) / correct.size):.4f}; bootstrap standard deviation = {boot.std():.4f}")
"""),
M("""
## What tuning on the test set does

Pure noise again: labels that no feature predicts. Try 50 random "models" and keep the one that
scores best **on the test set**: its test score looks good, and on fresh data it is a coin.
"""),
C("""
rng = np.random.default_rng(1)
n_test = 60
y_test_noise, y_fresh = rng.integers(0, 2, n_test), rng.integers(0, 2, n_test)
guesses = rng.integers(0, 2, size=(50, n_test))  # 50 models that know nothing
scores = (guesses == y_test_noise).mean(axis=1)
best = scores.argmax()
fresh = (rng.integers(0, 2, n_test) == y_fresh).mean()
print(f"best of 50 on the test set: {scores[best]:.3f}; the same kind of model on fresh data: {fresh:.3f}")
"""),
M("""
The kit's capstone gives you the test set only through `evaluate_once(model)`, which records
every call: choose by cross-validation, then test once, and report the result with its interval.
"""),
nav(6),
]
L["07-saving-with-skops"] = [
M("""
# Capstone 07: saving a model with skops, and loading it back safely

After this lesson you can save a fitted pipeline to a file with `skops`, see which types the file
asks to load, load it with an explicit list of the types you trust, and check that the loaded
model predicts exactly what the original does. And you can say why a pickle file is not a safe
way to ship a model.

## Why not pickle

Unpickling runs code: a pickle can name any function and its arguments, and `pickle.loads` calls
it. Here the "model" file just prints, but it could do anything:
"""),
C("""
import pickle

class NotAModel:
    def __reduce__(self):
        return (print, ("this ran while the file was being loaded",))

payload = pickle.dumps(NotAModel())
pickle.loads(payload)  # loading runs the call
"""),
M("""
skops stores the model as data (a zip of JSON and arrays) and, when loading, builds only the
types you allow. A pipeline on the iris data:
"""),
C("""
import tempfile
from pathlib import Path

import numpy as np
import skops.io as sio
from sklearn.datasets import load_iris
from sklearn.ensemble import RandomForestClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_iris(return_X_y=True)
model = make_pipeline(StandardScaler(), RandomForestClassifier(n_estimators=20, random_state=0)).fit(X, y)
folder = Path(tempfile.mkdtemp())
path = folder / "iris.skops"
sio.dump(model, path)
print(path.name, path.stat().st_size, "bytes")
"""),
C("""
untrusted = sio.get_untrusted_types(file=path)
print("types skops will not load without your say-so:", untrusted)
"""),
M("""
Read that list before trusting it: these are scikit-learn's own tree structures and numpy's
dtype. A function or class from your notebook in that list would mean the file needs your code
to load, and it could be anything. Load with exactly the list you accept:
"""),
C("""
allowed = {"numpy.dtype", "sklearn.tree._tree.Tree"}
assert set(untrusted) <= allowed, set(untrusted) - allowed
loaded = sio.load(path, trusted=sorted(set(untrusted) & allowed))
print("same predictions:", bool((loaded.predict(X) == model.predict(X)).all()))
print("same probabilities:", bool(np.allclose(loaded.predict_proba(X), model.predict_proba(X))))
"""),
M("""
Save the versions with the model (the model card does): a file saved by one scikit-learn version
is not promised to load in another.
"""),
C("""
import sklearn, skops
print("scikit-learn", sklearn.__version__, "| skops", skops.__version__)
"""),
nav(7),
]
L["08-serving-with-fastapi"] = [
M("""
# Capstone 08: serving a model with FastAPI, pydantic and uvicorn

After this lesson you can put a saved model behind a small HTTP API: `GET /health` for whoever
runs it, `POST /predict` for clients, the input described by a pydantic model so that bad input
gets a clear **422** (which field, what is wrong) and never reaches the model, and never a 500.

The example serves an iris classifier. In a notebook we call the app in process with FastAPI's
`TestClient`; in production the same `app` object is run by uvicorn:
`uvicorn app:app --host 127.0.0.1 --port 8000`.
"""),
C("""
import warnings
from typing import Literal

import numpy as np
from fastapi import FastAPI
with warnings.catch_warnings():  # starlette 1.x announces a change of its test client's backend
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient
from pydantic import BaseModel, ConfigDict, Field
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

iris = load_iris()
model = LogisticRegression(max_iter=500).fit(iris.data, iris.target)

class Flower(BaseModel):
    model_config = ConfigDict(extra="forbid")  # an unknown field is an error, not ignored
    sepal_length: float = Field(gt=0, lt=20)
    sepal_width: float = Field(gt=0, lt=20)
    petal_length: float = Field(gt=0, lt=20)
    petal_width: float = Field(gt=0, lt=20)
    garden: Literal["north", "south"]  # a category: only these values

app = FastAPI(title="iris")

@app.get("/health")
def health():
    return {"status": "ok"}

@app.post("/predict")
def predict(flower: Flower):
    row = np.array([[flower.sepal_length, flower.sepal_width, flower.petal_length, flower.petal_width]])
    return {"species": str(iris.target_names[model.predict(row)[0]])}

client = TestClient(app)
print(client.get("/health").json())
good = {"sepal_length": 5.1, "sepal_width": 3.5, "petal_length": 1.4, "petal_width": 0.2, "garden": "north"}
print(client.post("/predict", json=good).json())
"""),
M("""
## Bad input gets a 422 that says why
"""),
C("""
bad = {
    "a missing field": {k: v for k, v in good.items() if k != "petal_width"},
    "a wrong type": dict(good, sepal_length="long"),
    "an unknown category": dict(good, garden="east"),
    "an impossible value": dict(good, petal_length=-1),
}
for what, body in bad.items():
    r = client.post("/predict", json=body)
    detail = r.json()["detail"][0]
    print(f"{what:>20}: {r.status_code}  {detail['loc']}  {detail['msg']}")
"""),
M("""
Without the pydantic model, the same requests reach the code that builds the row, which raises a
`KeyError` or `ValueError`, and the client gets a 500 that says nothing:
"""),
C("""
from fastapi import Request

naive = FastAPI()

@naive.post("/predict")
async def naive_predict(request: Request):
    body = await request.json()
    row = np.array([[float(body[k]) for k in ("sepal_length", "sepal_width", "petal_length", "petal_width")]])
    return {"species": str(iris.target_names[model.predict(row)[0]])}

naive_client = TestClient(naive, raise_server_exceptions=False)
print(naive_client.post("/predict", json=bad["a missing field"]).status_code)
"""),
M("""
In a file `app.py` the model is loaded once, when the module is imported (from a path beside the
file, not the current directory), and uvicorn imports it: `uvicorn app:app --port 8000`; the
documentation of every endpoint is then at `http://127.0.0.1:8000/docs`.
"""),
nav(8),
]
L["09-testing-ml-code"] = [
M("""
# Capstone 09: tests for ML code

After this lesson you can write the three kinds of tests an ML project needs beside ordinary
unit tests, and run them with pytest:

- **data validation**: the data is what the model was built for (columns, types, ranges, categories, missing values);
- **invariance**: a change that must not change the prediction does not (row order, column order, an irrelevant field);
- **regression**: the saved model still predicts what it predicted when it was accepted, on fixed inputs.

The example writes a small test file for a wine classifier into a temporary folder and runs
pytest on it, as you will run `python -m pytest tests` in your project folder.
"""),
C("""
import subprocess, sys, tempfile, textwrap
from pathlib import Path

import skops.io as sio
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_wine(return_X_y=True, as_frame=True)
model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000)).fit(X, y)
project = Path(tempfile.mkdtemp())
sio.dump(model, project / "wine.skops")
reference = X.iloc[[0, 60, 140]]
print("accepted predictions on three fixed wines:", model.predict(reference).tolist())
"""),
C("""
tests = textwrap.dedent('''
    from pathlib import Path

    import pytest
    import skops.io as sio
    from sklearn.datasets import load_wine

    HERE = Path(__file__).parent

    @pytest.fixture(scope="module")
    def model():
        return sio.load(HERE / "wine.skops", trusted=sio.get_untrusted_types(file=HERE / "wine.skops"))

    @pytest.fixture(scope="module")
    def X():
        return load_wine(as_frame=True).data

    def test_data_has_the_columns_and_ranges_the_model_expects(X, model):
        assert list(X.columns) == list(model.feature_names_in_)
        assert not X.isna().any().any()
        assert X["alcohol"].between(10, 16).all()

    def test_row_order_does_not_change_predictions(X, model):
        sample = X.iloc[:30]
        assert (model.predict(sample) == model.predict(sample.iloc[::-1])[::-1]).all()

    def test_saved_model_still_predicts_the_accepted_answers(X, model):
        assert model.predict(X.iloc[[0, 60, 140]]).tolist() == ACCEPTED
''').replace("ACCEPTED", str(model.predict(reference).tolist()))
(project / "test_wine.py").write_text(tests)
run = subprocess.run([sys.executable, "-m", "pytest", "-q", "--color=no", "-p", "no:cacheprovider", str(project)],
                     capture_output=True, text=True, cwd=project)
print(run.stdout.strip().splitlines()[-1])
"""),
M("""
## A test that fails is information

Retrain the model with other settings: the regression test notices the change. Whether the new answers are better is a decision for a person (and a new accepted
list), not something to discover in production.
"""),
C("""
other = make_pipeline(StandardScaler(), LogisticRegression(C=0.001, max_iter=1000)).fit(X, y)
new_answers = other.predict(reference).tolist()
print("the new model on the fixed wines:", new_answers)
print("the regression test would", "pass" if new_answers == model.predict(reference).tolist() else "fail")
"""),
M("""
(Save `other` over `wine.skops` and run pytest again to see the failure in pytest's own words.)
"""),
nav(9),
]
L["10-model-card"] = [
M("""
# Capstone 10: a model card

After this lesson you can write a model card (Mitchell et al., 2019): the page that travels with a
model and tells its users what it is, what it is for and not for, how it was evaluated, and where
it fails. Every number in it is computed, not remembered; here the card for a breast cancer
classifier is filled in by code from the evaluation itself.
"""),
C("""
import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.dummy import DummyClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import recall_score
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
y = 1 - y  # 1 = malignant
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, random_state=0, stratify=y)
cv = StratifiedKFold(5, shuffle=True, random_state=0)
model = make_pipeline(StandardScaler(), LogisticRegression(C=0.1, max_iter=2000))
cv_acc = cross_val_score(model, X_tr, y_tr, cv=cv).mean()
base = cross_val_score(DummyClassifier(), X_tr, y_tr, cv=cv).mean()
model.fit(X_tr, y_tr)
pred = model.predict(X_te)
correct = (pred == y_te).astype(float)
boot = np.random.default_rng(0).choice(correct, size=(2000, correct.size)).mean(axis=1)
low, high = np.percentile(boot, [2.5, 97.5])
missed = int(((pred == 0) & (y_te == 1)).sum())
"""),
C("""
from IPython.display import Markdown

card = f'''
## Model card: breast tumour classifier (example)

**Model details.** Logistic regression (C = 0.1) on standardized features; scikit-learn {sklearn.__version__}.

**Intended use.** A second reader that flags fine-needle-aspirate images for a pathologist's review.
Not a diagnosis; not for other imaging methods.

**Data.** Wisconsin diagnostic breast cancer data, {len(y)} tumours, {X.shape[1]} features;
{len(y_tr)} for training, {len(y_te)} held out once.

**Metrics.** Accuracy and recall of malignant tumours. Majority baseline {base:.3f}; cross-validated
accuracy {cv_acc:.3f}; test accuracy {correct.mean():.3f} (95% bootstrap interval [{low:.3f}, {high:.3f}],
n = {len(y_te)}); test recall {recall_score(y_te, pred):.3f}.

**Limitations.** {missed} malignant test tumour(s) were missed. One hospital's data, from the
1990s; performance on other populations and equipment is unknown.

**Ethical considerations.** A missed tumour harms a patient: the threshold favours recall, and
every prediction is reviewed by a person.
'''
Markdown(card)
"""),
M("""
The sections above are the ones your capstone's `MODEL_CARD.md` has. The hard ones are not the
numbers but *intended use* (say what it is **not** for) and *limitations* (what the error analysis
of lesson 05 found, and what the model has never seen).
"""),
nav(10),
]
for name, cells in L.items():
    nb = nbf.v4.new_notebook(cells=cells)
    nb.metadata = {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
                   "language_info": {"name": "python"}}
    for i, cell in enumerate(nb.cells):  # stable ids: a rebuild changes only what changed
        cell["id"] = f"cell-{i:02d}"
    nbf.write(nb, OUT / f"{name}.ipynb")
print("wrote", len(L))
