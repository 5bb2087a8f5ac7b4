"""The kit's reference implementations (`ref_*` in autograder/checks/) reach scikit-learn's quality
on the same data, trained with the data, learning rates and iterations of each module's exercise:
within 1 point of accuracy or R² (1 % of the inertia for k-means, the same explained variance and
components for PCA). `bench/reference.py` times the same fits (COMPARISONS) against scikit-learn."""

from __future__ import annotations

import importlib
import warnings
from dataclasses import dataclass
from typing import Any, Callable

import numpy as np
import pytest

from autograder import syllabus

TOLERANCE = 0.01  # 1 point of accuracy or R²; for the inertia, 1 % of scikit-learn's


@dataclass
class Comparison:
    """One numpy reference against scikit-learn: each side's fit (what is timed) and its score."""

    module: str
    what: str
    metric: str
    ours: Callable[[], Any]
    sk: Callable[[], Any]
    score_ours: Callable[[Any], float]
    score_sk: Callable[[Any], float]
    relative: bool = False  # compare within TOLERANCE of scikit-learn's value, not in points

    def scores(self) -> tuple[float, float]:
        return float(self.score_ours(self.ours())), float(self.score_sk(self.sk()))


def _checks(module_id: str):
    return importlib.import_module(syllabus.check_module_name(module_id))


def linear_regression() -> Comparison:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split

    ref = _checks("c1w2")
    d = load_diabetes(scaled=False)
    X_train, X_test, y_train, y_test = train_test_split(d.data, d.target, test_size=0.25, random_state=0)
    X_train, mu, sigma = ref.ref_zscore_normalize_features(X_train)
    X_test = (X_test - mu) / sigma

    def r2(w_b):
        y_hat = X_test @ w_b[0] + w_b[1]
        return 1 - np.sum((y_test - y_hat) ** 2) / np.sum((y_test - y_test.mean()) ** 2)

    return Comparison("c1w2", "linear regression (gradient descent, α = 0.3, 3000 iterations)", "test R²",
                      lambda: ref.ref_gradient_descent(X_train, y_train, np.zeros(X_train.shape[1]), 0.0, 0.3, 3000),
                      lambda: LinearRegression().fit(X_train, y_train),
                      r2, lambda sk: sk.score(X_test, y_test))


def _cancer():
    from sklearn.datasets import load_breast_cancer
    from sklearn.model_selection import train_test_split

    cancer = load_breast_cancer()
    names = list(cancer.feature_names)
    X_raw = cancer.data[:, [names.index("mean radius"), names.index("mean texture")]]
    y = (cancer.target == 0).astype(float)
    Xa, Xb, ya, yb = train_test_split(X_raw, y, test_size=0.25, random_state=0, stratify=y)
    mu, sigma = Xa.mean(axis=0), Xa.std(axis=0)
    return (Xa - mu) / sigma, (Xb - mu) / sigma, ya, yb


def _descend(X, y, alpha, num_iters, gradient):
    w, b = np.zeros(X.shape[1]), 0.0
    for _ in range(num_iters):
        dj_dw, dj_db = gradient(X, y, w, b)
        w, b = w - alpha * dj_dw, b - alpha * dj_db
    return w, b


def logistic_regression() -> Comparison:
    from sklearn.linear_model import LogisticRegression

    ref = _checks("c1w3")
    X_train, X_test, y_train, y_test = _cancer()
    return Comparison("c1w3", "logistic regression (gradient descent, α = 1, 1000 iterations)", "test accuracy",
                      lambda: _descend(X_train, y_train, 1.0, 1000, ref.ref_compute_gradient),
                      lambda: LogisticRegression(C=np.inf).fit(X_train, y_train),
                      lambda wb: np.mean(ref.ref_predict(X_test, *wb) == y_test),
                      lambda sk: sk.score(X_test, y_test))


def logistic_regression_reg() -> Comparison:
    from sklearn.linear_model import LogisticRegression

    ref = _checks("c1w3")
    X_train, X_test, y_train, y_test = _cancer()

    def map_feature(X, degree=6):
        return np.stack([X[:, 0] ** (i - j) * X[:, 1] ** j for i in range(1, degree + 1) for j in range(i + 1)],
                        axis=1)

    P_raw = map_feature(X_train)
    mu, sigma = P_raw.mean(axis=0), P_raw.std(axis=0)
    P_train, P_test = (P_raw - mu) / sigma, (map_feature(X_test) - mu) / sigma
    lambda_ = 1.0
    return Comparison(
        "c1w3", "regularized logistic regression (27 polynomial features, λ = 1, 2000 iterations)", "test accuracy",
        lambda: _descend(P_train, y_train, 1.0, 2000,
                         lambda X, y, w, b: ref.ref_compute_gradient_reg(X, y, w, b, lambda_)),
        lambda: LogisticRegression(C=1 / lambda_, max_iter=5000).fit(P_train, y_train),
        lambda wb: np.mean(ref.ref_predict(P_test, *wb) == y_test), lambda sk: sk.score(P_test, y_test))


def network() -> Comparison:
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    ref = _checks("c2w2")
    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(digits.data / 16.0, digits.target, test_size=0.25,
                                                        random_state=0, stratify=digits.target)
    n, h, k = X_train.shape[1], 64, 10

    def train(alpha=2e-3, epochs=40, batch_size=64, beta1=0.9, beta2=0.999, eps=1e-8):
        rng = np.random.default_rng(0)
        init = np.random.default_rng(0)
        params = {"W1": init.normal(0, np.sqrt(2 / n), size=(n, h)), "b1": np.zeros(h),
                  "W2": init.normal(0, np.sqrt(2 / h), size=(h, k)), "b2": np.zeros(k)}
        m_avg = {key: np.zeros_like(v) for key, v in params.items()}
        v_avg = {key: np.zeros_like(v) for key, v in params.items()}
        t = 0
        for _ in range(epochs):
            order = rng.permutation(X_train.shape[0])
            for start in range(0, X_train.shape[0], batch_size):
                batch = order[start:start + batch_size]
                grads = ref.ref_mlp_gradients(X_train[batch], y_train[batch], params)
                t += 1
                for key in params:
                    m_avg[key] = beta1 * m_avg[key] + (1 - beta1) * grads[key]
                    v_avg[key] = beta2 * v_avg[key] + (1 - beta2) * grads[key] ** 2
                    m_hat, v_hat = m_avg[key] / (1 - beta1 ** t), v_avg[key] / (1 - beta2 ** t)
                    params[key] -= alpha * m_hat / (np.sqrt(v_hat) + eps)
        return params

    def fit_sk():
        mlp = MLPClassifier(hidden_layer_sizes=(h,), activation="relu", solver="adam", alpha=0.0,
                            learning_rate_init=2e-3, batch_size=64, max_iter=40, random_state=0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            return mlp.fit(X_train, y_train)

    def accuracy(p):
        logits = np.maximum(0, X_test @ p["W1"] + p["b1"]) @ p["W2"] + p["b2"]
        return np.mean(np.argmax(logits, axis=1) == y_test)

    return Comparison("c2w2", "neural network (64 ReLU units, softmax; Adam, 40 epochs, batches of 64)",
                      "test accuracy", train, fit_sk, accuracy, lambda sk: sk.score(X_test, y_test))


def _kmeans(module: str, what: str, X, start, max_iters) -> Comparison:
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    ref = _checks(module)

    def lloyd():
        centroids, idx = np.array(start, dtype=float), None
        for _ in range(max_iters):
            new_idx = ref.ref_find_closest_centroids(X, centroids)
            if idx is not None and np.array_equal(new_idx, idx):
                break
            idx = new_idx
            centroids = ref.ref_compute_centroids(X, idx, len(start))
        return centroids, ref.ref_find_closest_centroids(X, centroids)

    def fit_sk():
        with threadpool_limits(limits=1, user_api="openmp"):  # as the exercise runs (OMP_NUM_THREADS=1)
            return KMeans(n_clusters=len(start), init=start, n_init=1, tol=0, max_iter=max_iters).fit(X)

    return Comparison(module, what, "inertia (lower is better)", lloyd, fit_sk,
                      lambda c_idx: np.sum((X - c_idx[0][c_idx[1]]) ** 2), lambda sk: sk.inertia_, relative=True)


def kmeans_blobs() -> Comparison:
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=300, centers=[[2.0, 4.5], [6.0, 3.0], [3.0, 1.0]], cluster_std=0.6, random_state=7)
    return _kmeans("c3w1-kmeans", "k-means (blobs, 300 points, K = 3, same start)", X,
                   np.array([[3.0, 3.0], [6.0, 2.0], [8.0, 5.0]]), 100)


def kmeans_image() -> Comparison:
    from sklearn.datasets import load_sample_image

    X_img = (load_sample_image("china.jpg")[::4, ::4] / 255.0).reshape(-1, 3)
    sample = X_img[np.random.default_rng(0).choice(len(X_img), size=2000, replace=False)]
    np.random.seed(0)
    start = _checks("c3w1-kmeans").ref_kMeans_init_centroids(sample, 16)
    return _kmeans("c3w1-kmeans", "k-means image compression (2000 pixels, K = 16, same start)", sample, start, 10)


def pca() -> Comparison:
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA

    ref = _checks("c3w2-pca")
    X = load_digits().data
    return Comparison("c3w2-pca", "PCA (digits, 10 components)", "explained variance (share)",
                      lambda: ref.ref_pca_fit(X, 10), lambda: PCA(n_components=10).fit(X),
                      lambda fit: np.sum(fit[2]), lambda sk: np.sum(sk.explained_variance_ratio_))


COMPARISONS = [linear_regression, logistic_regression, logistic_regression_reg, network, kmeans_blobs,
               kmeans_image, pca]


@pytest.mark.parametrize("make", COMPARISONS, ids=lambda f: f.__name__)
def test_reference_reaches_scikit_learns_quality(make):
    c = make()
    ours, sk = c.scores()
    margin = TOLERANCE * abs(sk) if c.relative else TOLERANCE
    assert abs(ours - sk) <= margin, f"{c.what}: {c.metric} {ours:.4f} against scikit-learn's {sk:.4f}"


def test_pca_components_are_scikit_learns():
    c = pca()
    _, components, _ = c.ours()
    sk = c.sk().components_
    signs = np.sign(np.sum(components * sk, axis=1))
    assert np.abs(components * signs[:, None] - sk).max() < 1e-8
