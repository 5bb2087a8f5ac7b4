"""The kit's reference implementations (autograder/checks/<module>.py, `ref_<function>`) against
scikit-learn on the same data, with the data, learning rates and iterations of the module's
exercise notebook: quality and training time.

Each fit is timed `runs` times (median); data loading and feature scaling are outside the timed
part. The numpy versions are the vectorized references the checks compare a learner's work with.
"""

from __future__ import annotations

import importlib
import time
import warnings

import numpy as np

from bench.common import Section, guarded, log, median


def _timed(fn, runs: int):
    """Median seconds of `runs` calls, after one untimed call (first-call costs: imports, caches)."""
    result = fn()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return median(times), result


def _checks(module_id: str):
    return importlib.import_module(f"autograder.checks.{module_id.replace('-', '_')}")


def linear_regression(runs: int) -> dict:
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split

    ref = _checks("c1w2")
    d = load_diabetes(scaled=False)
    X_train, X_test, y_train, y_test = train_test_split(d.data, d.target, test_size=0.25, random_state=0)
    X_train_norm, mu, sigma = ref.ref_zscore_normalize_features(X_train)
    X_test_norm = (X_test - mu) / sigma

    def r2(y, y_hat):
        return 1 - np.sum((y - y_hat) ** 2) / np.sum((y - y.mean()) ** 2)

    ours_s, (w, b, _) = _timed(lambda: ref.ref_gradient_descent(
        X_train_norm, y_train, np.zeros(X_train.shape[1]), 0.0, 0.3, 3000), runs)
    sk_s, sk = _timed(lambda: LinearRegression().fit(X_train_norm, y_train), runs)
    return {"module": "c1w2", "what": "linear regression", "data": f"diabetes, 10 features, {len(y_train)} train / {len(y_test)} test",
            "ours_method": "batch gradient descent, α = 0.3, 3000 iterations", "sk_method": "LinearRegression (least squares)",
            "metric": "test R²", "ours": float(r2(y_test, X_test_norm @ w + b)), "sk": sk.score(X_test_norm, y_test),
            "ours_s": ours_s, "sk_s": sk_s}


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


def logistic_regression(runs: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    ref = _checks("c1w3")
    X_train, X_test, y_train, y_test = _cancer()
    ours_s, (w, b) = _timed(lambda: _descend(X_train, y_train, 1.0, 1000, ref.ref_compute_gradient), runs)
    sk_s, sk = _timed(lambda: LogisticRegression(C=np.inf).fit(X_train, y_train), runs)
    return {"module": "c1w3", "what": "logistic regression", "data": f"breast cancer, 2 features, {len(y_train)} train / {len(y_test)} test",
            "ours_method": "batch gradient descent, α = 1.0, 1000 iterations", "sk_method": "LogisticRegression(C=inf) (lbfgs)",
            "metric": "test accuracy", "ours": float(np.mean(ref.ref_predict(X_test, w, b) == y_test)),
            "sk": sk.score(X_test, y_test), "ours_s": ours_s, "sk_s": sk_s}


def logistic_regression_reg(runs: int) -> dict:
    from sklearn.linear_model import LogisticRegression

    ref = _checks("c1w3")
    X_train, X_test, y_train, y_test = _cancer()

    def map_feature(X1, X2, degree=6):
        return np.stack([X1 ** (i - j) * X2 ** j for i in range(1, degree + 1) for j in range(i + 1)], axis=1)

    P_raw = map_feature(X_train[:, 0], X_train[:, 1])
    P_mu, P_sigma = P_raw.mean(axis=0), P_raw.std(axis=0)
    P_train = (P_raw - P_mu) / P_sigma
    P_test = (map_feature(X_test[:, 0], X_test[:, 1]) - P_mu) / P_sigma
    lambda_ = 1.0
    ours_s, (w, b) = _timed(lambda: _descend(
        P_train, y_train, 1.0, 2000, lambda X, y, w, b: ref.ref_compute_gradient_reg(X, y, w, b, lambda_)), runs)
    sk_s, sk = _timed(lambda: LogisticRegression(C=1 / lambda_, max_iter=5000).fit(P_train, y_train), runs)
    return {"module": "c1w3", "what": "regularized logistic regression",
            "data": f"breast cancer, 27 polynomial features, {len(y_train)} train / {len(y_test)} test",
            "ours_method": "batch gradient descent, λ = 1, α = 1.0, 2000 iterations",
            "sk_method": "LogisticRegression(C=1/λ) (lbfgs)",
            "metric": "test accuracy", "ours": float(np.mean(ref.ref_predict(P_test, w, b) == y_test)),
            "sk": sk.score(P_test, y_test), "ours_s": ours_s, "sk_s": sk_s}


def network(runs: int) -> dict:
    from sklearn.datasets import load_digits
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.model_selection import train_test_split
    from sklearn.neural_network import MLPClassifier

    ref = _checks("c2w2")
    digits = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(digits.data / 16.0, digits.target, test_size=0.25,
                                                        random_state=0, stratify=digits.target)
    n, h, k = X_train.shape[1], 64, 10

    def init_params(seed=0):
        rng = np.random.default_rng(seed)
        return {"W1": rng.normal(0, np.sqrt(2 / n), size=(n, h)), "b1": np.zeros(h),
                "W2": rng.normal(0, np.sqrt(2 / h), size=(h, k)), "b2": np.zeros(k)}

    def train(alpha=2e-3, epochs=40, batch_size=64, seed=0, beta1=0.9, beta2=0.999, eps=1e-8):
        rng = np.random.default_rng(seed)
        params = init_params()
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

    ours_s, params = _timed(train, runs)
    sk_s, sk = _timed(fit_sk, runs)
    logits = np.maximum(0, X_test @ params["W1"] + params["b1"]) @ params["W2"] + params["b2"]
    return {"module": "c2w2", "what": "neural network (64 ReLU units, softmax)",
            "data": f"digits, 64 pixels, {len(y_train)} train / {len(y_test)} test",
            "ours_method": "Adam, α = 0.002, 40 epochs, batches of 64", "sk_method": "MLPClassifier (same settings)",
            "metric": "test accuracy", "ours": float(np.mean(np.argmax(logits, axis=1) == y_test)),
            "sk": sk.score(X_test, y_test), "ours_s": ours_s, "sk_s": sk_s}


def _run_kmeans(ref, X, centroids, max_iters):
    centroids = np.array(centroids, dtype=float)
    K, idx = centroids.shape[0], None
    for _ in range(max_iters):
        new_idx = ref.ref_find_closest_centroids(X, centroids)
        if idx is not None and np.array_equal(new_idx, idx):
            break
        idx = new_idx
        centroids = ref.ref_compute_centroids(X, idx, K)
    return centroids, ref.ref_find_closest_centroids(X, centroids)


def _kmeans_row(runs, X, start, max_iters, data, module="c3w1-kmeans", what="k-means"):
    from sklearn.cluster import KMeans
    from threadpoolctl import threadpool_limits

    ref = _checks(module)
    ours_s, (centroids, idx) = _timed(lambda: _run_kmeans(ref, X, start, max_iters), runs)

    def fit_sk():
        # as the exercise does (OMP_NUM_THREADS=1): on small data one thread is fastest
        with threadpool_limits(limits=1, user_api="openmp"):
            return KMeans(n_clusters=len(start), init=start, n_init=1, tol=0, max_iter=max_iters).fit(X)

    sk_s, sk = _timed(fit_sk, runs)
    return {"module": module, "what": what, "data": data,
            "ours_method": f"Lloyd's algorithm, same start, at most {max_iters} iterations",
            "sk_method": "KMeans (same start, n_init=1, tol=0)",
            "metric": "inertia (lower is better)", "ours": float(np.sum((X - centroids[idx]) ** 2)),
            "sk": float(sk.inertia_), "ours_s": ours_s, "sk_s": sk_s}


def kmeans_blobs(runs: int) -> dict:
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(n_samples=300, centers=[[2.0, 4.5], [6.0, 3.0], [3.0, 1.0]], cluster_std=0.6, random_state=7)
    start = np.array([[3.0, 3.0], [6.0, 2.0], [8.0, 5.0]])
    return _kmeans_row(runs, X, start, 100, "blobs, 300 points in 2-D, K = 3")


def kmeans_image(runs: int) -> dict:
    from sklearn.datasets import load_sample_image

    ref = _checks("c3w1-kmeans")
    X_img = (load_sample_image("china.jpg")[::4, ::4] / 255.0).reshape(-1, 3)
    sample = X_img[np.random.default_rng(0).choice(len(X_img), size=2000, replace=False)]
    np.random.seed(0)
    start = ref.ref_kMeans_init_centroids(sample, 16)
    return _kmeans_row(runs, sample, start, 10, "image colours, 2000 pixels × 3, K = 16",
                       what="k-means (image compression)")


def pca(runs: int) -> dict:
    from sklearn.datasets import load_digits
    from sklearn.decomposition import PCA

    ref = _checks("c3w2-pca")
    X = load_digits().data
    ours_s, (mean, components, ratio) = _timed(lambda: ref.ref_pca_fit(X, 10), runs)
    sk_s, sk = _timed(lambda: PCA(n_components=10).fit(X), runs)
    signs = np.sign(np.sum(components * sk.components_, axis=1))
    diff = float(np.abs(components * signs[:, None] - sk.components_).max())
    return {"module": "c3w2-pca", "what": "PCA", "data": f"digits, {X.shape[0]} × {X.shape[1]}, 10 components",
            "ours_method": "SVD of the centred data", "sk_method": "PCA(n_components=10)",
            "metric": "explained variance (share)", "ours": float(np.sum(ratio)),
            "sk": float(np.sum(sk.explained_variance_ratio_)), "ours_s": ours_s, "sk_s": sk_s,
            "note": f"largest difference between the components (signs matched): {diff:.1e}"}


ITEMS = [("c1w2", linear_regression), ("c1w3", logistic_regression), ("c1w3", logistic_regression_reg),
         ("c2w2", network), ("c3w1-kmeans", kmeans_blobs), ("c3w1-kmeans", kmeans_image), ("c3w2-pca", pca)]


def run(module_ids, runs: int) -> Section:
    section = Section("reference", "Reference implementations against scikit-learn")
    rows = []
    for module_id, fn in ITEMS:
        if module_id not in module_ids:
            continue
        log(f"reference vs scikit-learn: {fn.__name__}")
        got = guarded(f"{fn.__name__} ({module_id})", lambda fn=fn: fn(runs), section.errors)
        if got is None:
            rows.append({"module": module_id, "what": fn.__name__.replace("_", " "),
                         "error": section.errors[-1].split(": ", 1)[-1]})
        else:
            got["time_ratio"] = got["ours_s"] / got["sk_s"]
            rows.append(got)
    section.data = {"rows": rows, "runs": runs}
    return section
