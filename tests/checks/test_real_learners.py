"""Real learners' implementations, paraphrased, through the kit's checks: each gets the right verdict
and, when wrong, a message that names its actual mistake (issue 15).

Each fixture is modelled on a public repository's solution of the original course's exercise (the
comment names it, owner/name); the code is paraphrased, not copied, and the names a notebook would
provide (np, sigmoid, compute_cost, compute_gradient) are the kit's: the checks swap the reference
versions of the earlier graded functions in while they run.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from autograder.checks import c1w1, c1w2, c1w3, c3w1_anomaly, c3w2_cofi
from tests.checks.helpers import assert_accepts, assert_rejects

RIGHT: list[tuple] = []   # (check, implementation)
WRONG: list[tuple] = []   # (check, implementation, fragments the message must contain)


def right(check):
    def wrap(fn):
        RIGHT.append(pytest.param(check, fn, id=f"{check.__name__}-{fn.__name__}"))
        return fn
    return wrap


def wrong(check, *fragments):
    def wrap(fn):
        WRONG.append(pytest.param(check, fn, fragments, id=f"{check.__name__}-{fn.__name__}"))
        return fn
    return wrap


# --- c1w1 ----------------------------------------------------------------------------------------


@right(c1w1.check_compute_cost)
def cost_accumulated_before(x, y, w, b):  # modelled on Rasolojaona/Exercice_python
    m = x.shape[0]
    total = 0
    for i in range(m):
        total = (w * x[i] + b - y[i]) ** 2 + total
    return (1 / (2 * m)) * total


@right(c1w1.check_compute_cost)
def cost_sum_then_scale(x, y, w, b):  # modelled on hasnatahmed331/Machine_learning
    m = x.shape[0]
    total = 0
    for i in range(m):
        err = w * x[i] + b - y[i]
        total = total + err**2
    return total * (1 / (2 * m))


@wrong(c1w1.check_compute_cost, "Likely cause: operator precedence: `cost_sum/2*m`")
def cost_divided_by_2_times_m(x, y, w, b):  # modelled on damian-r-s/ArtificialIntelligence
    m = x.shape[0]
    acc = 0
    for i in range(m):
        acc += (w * x[i] + b - y[i]) ** 2
    return acc / 2 * m


@right(c1w1.check_compute_gradient)
def gradient_vectorized_means(x, y, w, b):  # modelled on Rasolojaona/Exercice_python
    m = x.shape[0]
    pred = w * x + b
    return (1 / m) * np.sum((pred - y) * x), (1 / m) * np.sum(pred - y)


@right(c1w1.check_compute_gradient)
def gradient_loop_divided(x, y, w, b):  # modelled on paudelsamir/365DaysOfData
    m = x.shape[0]
    dw = db = 0
    for i in range(m):
        f = w * x[i] + b
        dw += (f - y[i]) * x[i]
        db += f - y[i]
    return dw / m, db / m


@right(c1w1.check_compute_gradient)
def gradient_loop_times_reciprocal(x, y, w, b):  # modelled on BMCARDONA/solutions_supervised_machine_learning
    m = x.shape[0]
    dw = db = 0
    for i in range(m):
        pred = w * x[i] + b
        dw += (pred - y[i]) * x[i]
        db += pred - y[i]
    dw *= 1 / m
    db *= 1 / m
    return dw, db


@wrong(c1w1.check_compute_gradient, "dj_dw: got -75, expected -125.",
       "Your first value is the expected dj_db", "a parenthesis is missing in dj_dw")
def gradient_precedence_and_course_order(x, y, w, b):  # modelled on codinglab42/regression
    m = x.shape[0]
    dw = db = 0
    for i in range(m):
        f = w * x[i] + b
        dw += f - y[i] * x[i]
        db += f - y[i]
    return db / m, dw / m


@wrong(c1w1.check_gradient_descent, "got 2 values, expected 3", "Likely cause: J_history is not returned")
def descent_without_history(x, y, w_in, b_in, alpha, num_iters):  # modelled on Pranavsenthil25/ML_Project
    w, b = w_in, b_in
    m = x.shape[0]
    for _ in range(num_iters):
        err = w * x + b - y
        w, b = w - alpha * np.sum(err * x) / m, b - alpha * np.sum(err) / m
    return w, b


@wrong(c1w1.check_gradient_descent, "got 4 values, expected 3", "Likely cause: a fourth value")
def descent_with_parameter_history(x, y, w_in, b_in, alpha, num_iters):  # modelled on mbdx6cw3/linear_regression
    costs, params = [], []
    w, b = w_in, b_in
    m = x.shape[0]
    for _ in range(num_iters):
        err = w * x + b - y
        dw, db = np.sum(err * x) / m, np.sum(err) / m
        b, w = b - alpha * db, w - alpha * dw
        costs.append(np.sum((w * x + b - y) ** 2) / (2 * m))
        params.append([w, b])
    return w, b, costs, params


@right(c1w1.check_compute_cost)
def cost_divided_at_return(x, y, w, b):  # modelled on Pranavsenthil25/ML_Project
    m = x.shape[0]
    cost = 0.0
    for i in range(m):
        cost += (w * x[i] + b - y[i]) ** 2
    return cost / (2 * m)


@right(c1w1.check_compute_cost)
def cost_named_terms(x, y, w, b):  # modelled on anilnellutla/jupyter-notebooks
    m = x.shape[0]
    cost_sum = 0
    for i in range(m):
        f_wb = w * x[i] + b
        cost_sum += (f_wb - y[i]) ** 2
    return (1 / (2 * m)) * cost_sum


@right(c1w1.check_compute_gradient)
def gradient_prediction_named_h(x, y, w, b):  # modelled on MiguelTorresPerez/MachineLearningSpecialization
    m = x.shape[0]
    dj_dw = dj_db = 0
    for i in range(m):
        h = w * x[i] + b
        dj_db += h - y[i]
        dj_dw += (h - y[i]) * x[i]
    return dj_dw / m, dj_db / m


@right(c1w1.check_compute_gradient)
def gradient_divided_at_return(x, y, w, b):  # modelled on Pranavsenthil25/ML_Project
    m = x.shape[0]
    dj_dw = dj_db = 0
    for i in range(m):
        err = w * x[i] + b - y[i]
        dj_dw += err * x[i]
        dj_db += err
    return dj_dw / m, dj_db / m


@right(c1w1.check_compute_gradient)
def gradient_final_scaled(x, y, w, b):  # modelled on Igordro1d/linear_regression
    m = x.shape[0]
    sw = sb = 0
    for i in range(m):
        f = w * x[i] + b
        sw += (f - y[i]) * x[i]
        sb += f - y[i]
    return 1 / m * sw, 1 / m * sb


@wrong(c1w1.check_gradient_descent, "raised TypeError",
       "missing 2 required positional arguments: 'cost_function' and 'gradient_function'")
def descent_with_function_arguments(x, y, w_in, b_in, alpha, num_iters, cost_function,
                                    gradient_function):  # modelled on Igordro1d/linear_regression
    w, b, costs = w_in, b_in, []
    for _ in range(num_iters):
        dw, db = gradient_function(x, y, w, b)
        w, b = w - alpha * dw, b - alpha * db
        costs.append(cost_function(x, y, w, b))
    return w, b, costs


# --- c1w2 ----------------------------------------------------------------------------------------


@right(c1w2.check_zscore_normalize_features)
def zscore_columns(X):  # modelled on prooheckcp/PyCharmMiscProject
    mean = np.mean(X, axis=0)
    std = np.std(X, axis=0)
    return (X - mean) / std, mean, std


@right(c1w2.check_compute_cost)
def cost_target_minus_prediction(X, y, w, b):  # modelled on umartokyo/ML-Algorithms
    m = X.shape[0]
    cost = 0.0
    for i in range(m):
        cost += (y[i] - (np.dot(X[i], w) + b)) ** 2
    return cost / (2 * m)


@right(c1w2.check_compute_cost)
def cost_dot_w_first(X, y, w, b):  # modelled on sidhantkumar1315/HousePricePredictionModel
    m = X.shape[0]
    total = 0
    for i in range(m):
        total += (np.dot(w, X[i]) + b - y[i]) ** 2
    total /= 2 * m
    return total


@wrong(c1w2.check_compute_gradient, "Likely cause: the return order is swapped")
def gradient_matrix_course_order(X, y, w, b):  # modelled on codinglab42/regression
    m = X.shape[0]
    e = X @ w + b - y
    return (1 / m) * np.sum(e), (1 / m) * (X.T @ e)


# --- c1w3 ----------------------------------------------------------------------------------------


@right(c1w3.check_sigmoid)  # right mathematics: the values points (issue 11 §3) ...
@wrong(c1w3.check_sigmoid_stable, "overflow encountered in exp", "Likely cause: np.exp(-z) overflows",
       "stable for large inputs")  # ... and only the rule's point lost
def sigmoid_naive(z):  # modelled on MelDubi/depot-ensta-python
    return 1 / (1 + np.exp(-z))


@right(c1w3.check_compute_cost)
def logistic_cost_loop(X, y, w, b, *argv):  # modelled on Silva-6/stanford-machine_learning
    m = X.shape[0]
    loss = 0
    for i in range(m):
        f = sigmoid(np.dot(X[i], w) + b)  # noqa: F821 - swapped in by the check
        loss += -y[i] * np.log(f) - (1 - y[i]) * np.log(1 - f)
    return loss / m


@right(c1w3.check_compute_cost)
def logistic_cost_in_place_division(X, y, w, b, *argv):  # modelled on AndrzejRyl/ml_coursera
    m, _ = X.shape
    total = 0.0
    for i in range(m):
        f = sigmoid(np.dot(X[i], w) + b)  # noqa: F821 - swapped in by the check
        total += -y[i] * np.log(f) - (1 - y[i]) * np.log(1 - f)
    total /= m
    return total


@right(c1w3.check_compute_cost)
def logistic_cost_math_log(X, y, w, b, *argv):  # modelled on ArkitaBarua/Coursera-SupervisedML
    m, n = X.shape
    total = 0
    for i in range(m):
        z = 0
        for j in range(n):
            z += w[j] * X[i][j]
        f = sigmoid(z + b)  # noqa: F821 - swapped in by the check
        total = total - y[i] * math.log(f) - (1 - y[i]) * math.log(1 - f)
    return (1 / m) * total


@right(c1w3.check_compute_cost)
def logistic_cost_own_sigmoid(X, y, w, b):  # modelled on nz0001na/handson-ml
    m = X.shape[0]
    cost = 0
    for i in range(m):
        f = 1 / (1 + np.exp(-(np.dot(X[i], w) + b)))
        cost += -y[i] * np.log(f) - (1 - y[i]) * np.log(1 - f)
    return cost / m


@wrong(c1w3.check_compute_gradient, "Likely cause: the return order is swapped")
def logistic_gradient_course_order(X, y, w, b, *argv):  # modelled on Silva-6/stanford-machine_learning
    m, n = X.shape
    dw = np.zeros(w.shape)
    db = 0.0
    for i in range(m):
        f = sigmoid(np.dot(X[i], w) + b)  # noqa: F821 - swapped in by the check
        db += f - y[i]
        for j in range(n):
            dw[j] = dw[j] + (f - y[i]) * X[i][j]
    return db / m, dw / m


@right(c1w3.check_predict)
def predict_nested_loops(X, w, b):  # modelled on MiguelTorresPerez/MachineLearningSpecialization
    m, n = X.shape
    p = np.zeros(m)
    for i in range(m):
        z = 0
        for j in range(n):
            z += w[j] * X[i][j]
        p[i] = 1 if sigmoid(z + b) >= 0.5 else 0  # noqa: F821 - swapped in by the check
    return p


@right(c1w3.check_predict)
def predict_boolean_into_floats(X, w, b):  # modelled on Silva-6/stanford-machine_learning
    m = X.shape[0]
    p = np.zeros(m)
    for i in range(m):
        p[i] = sigmoid(np.dot(X[i], w) + b) >= 0.5  # noqa: F821 - swapped in by the check
    return p


@right(c1w3.check_predict)
def predict_index_pairs(X, w, b):  # modelled on dskoric/product-quality-classifier
    m, n = X.shape
    p = np.zeros(m)
    for i in range(m):
        z = sum(X[i, j] * w[j] for j in range(n)) + b
        p[i] = 1 if sigmoid(z) >= 0.5 else 0  # noqa: F821 - swapped in by the check
    return p


@right(c1w3.check_compute_cost_reg)
def cost_reg_calls_cost(X, y, w, b, lambda_=1):  # modelled on Silva-6/stanford-machine_learning
    m, n = X.shape
    base = compute_cost(X, y, w, b)  # noqa: F821 - swapped in by the check
    penalty = 0.0
    for j in range(n):
        penalty += w[j] ** 2
    return base + lambda_ / (2 * m) * penalty


@right(c1w3.check_compute_cost_reg)
def cost_reg_self_contained(X, y, w, b, lambda_=1):  # modelled on hiunshim/ml
    m, n = X.shape
    cost = 0.0
    for i in range(m):
        f = sigmoid(np.dot(X[i], w) + b)  # noqa: F821 - swapped in by the check
        cost += -y[i] * np.log(f) - (1 - y[i]) * np.log(1 - f)
    return cost / m + lambda_ / (2 * m) * sum(w[j] ** 2 for j in range(n))


# The case and its inputs (whole, with shapes), the exception, and the cause found by running it
# again with compute_gradient's pair the other way round.
@wrong(c1w3.check_compute_gradient_reg, "raised TypeError: 'float' object is not subscriptable",
       "X=[[0.5 1.5] [1. 1. ] [1.5 0.5] [3. 0.5] [2. 2. ] [1. 2.5]] (shape (6, 2), float64)",
       "Likely cause: your function unpacks `compute_gradient`'s result as (dj_db, dj_dw)",
       "and return (dj_dw, dj_db), in that order, too")
def gradient_reg_course_order(X, y, w, b, lambda_=1):  # modelled on MiguelTorresPerez/MachineLearningSpecialization
    m, n = X.shape
    dj_db, dj_dw = compute_gradient(X, y, w, b)  # noqa: F821 - swapped in by the check
    for j in range(n):
        dj_dw[j] = dj_dw[j] + lambda_ / m * w[j]
    return dj_db, dj_dw


@right(c1w3.check_compute_cost_reg)
def cost_reg_loops_named(X, y, w, b, lambda_=1):  # modelled on FILIPPOGALLUZZI98/Machine_Learning.py
    m, n = X.shape
    cost = 0.0
    for i in range(m):
        f_i = sigmoid(np.dot(X[i], w) + b)  # noqa: F821 - swapped in by the check
        cost += -y[i] * np.log(f_i) - (1 - y[i]) * np.log(1 - f_i)
    cost = cost / m
    reg = 0
    for j in range(n):
        reg += w[j] ** 2
    return cost + (lambda_ / (2 * m)) * reg


@wrong(c1w3.check_compute_gradient_reg, "raised TypeError",
       "Likely cause: your function unpacks `compute_gradient`'s result as (dj_db, dj_dw)")
def gradient_reg_course_order_parenthesised(X, y, w, b, lambda_=1):  # modelled on Silva-6/stanford-machine_learning
    m, n = X.shape
    dj_db, dj_dw = compute_gradient(X, y, w, b)  # noqa: F821 - swapped in by the check
    for j in range(n):
        dj_dw[j] = dj_dw[j] + (lambda_ / m) * w[j]
    return dj_db, dj_dw


# --- c3w1-anomaly --------------------------------------------------------------------------------


@right(c3w1_anomaly.check_estimate_gaussian)
def gaussian_sums(X):  # modelled on SaiKrishnaMohan7/CourseraML-MatlabToPython
    m, _ = X.shape
    mu = np.sum(X, 0) / m
    return mu, np.sum(np.power(X - mu, 2), 0) / m


@wrong(c3w1_anomaly.check_estimate_gaussian, "expected shape (2,)", "Likely cause: `keepdims=True` (or a reshape)")
def gaussian_row_vectors(X):  # modelled on ravi-dalal/ml-repo
    mu = np.mean(X, axis=0).reshape(-1, 1)
    var = np.var(X, axis=0).reshape(-1, 1)
    return mu.T, var.T


@right(c3w1_anomaly.check_select_threshold)  # right values: the values points (issue 11 §3) ...
@wrong(c3w1_anomaly.check_select_threshold_no_warnings, "raised a warning (RuntimeWarning",
       "Likely cause: a division by zero", "no warnings")  # ... and only the rule's point lost
def threshold_course_precision_recall(y_val, p_val):  # modelled on Silva-6/stanford-machine_learning
    best_epsilon, best_F1 = 0, 0
    step = (max(p_val) - min(p_val)) / 1000
    for epsilon in np.arange(min(p_val), max(p_val), step):
        pred = p_val < epsilon
        tp = np.sum((pred == 1) & (y_val == 1))
        fp = sum((pred == 1) & (y_val == 0))
        fn = np.sum((pred == 0) & (y_val == 1))
        prec, rec = tp / (tp + fp), tp / (tp + fn)
        F1 = 2 * prec * rec / (prec + rec)
        if F1 > best_F1:
            best_F1, best_epsilon = F1, epsilon
    return best_epsilon, best_F1


@wrong(c3w1_anomaly.check_select_threshold, "best_epsilon: got 0.0176652, expected 0.399414.",
       "Likely cause: your best_epsilon (0.0176652) is none of the candidate thresholds")
def threshold_grid_from_above_min(y_val, p_val):  # modelled on atulrc/ML-ex8
    best_epsilon, best_F1 = 0, 0
    for epsilon in np.linspace(1.01 * min(p_val), max(p_val), 1000):
        pred = p_val < epsilon
        tp = np.sum((pred == y_val) & (y_val == 1))
        fp = np.sum((pred == 1) & (y_val == 0))
        fn = np.sum((pred == 0) & (y_val == 1))
        F1 = 2 * tp / (2 * tp + fp + fn) if tp else 0
        if F1 > best_F1:
            best_F1, best_epsilon = F1, epsilon
    return best_epsilon, best_F1


@right(c3w1_anomaly.check_select_threshold)
def threshold_linspace_1001(y_val, p_val):  # modelled on sdab/py-coursera (its loop, with F1 filled in)
    best_epsilon, best_F1 = 0, 0
    for epsilon in np.linspace(min(p_val), max(p_val), 1001):
        pred = (p_val < epsilon).astype(float)
        tp = np.sum((pred == 1) & (y_val == 1))
        fp = np.sum((pred == 1) & (y_val == 0))
        fn = np.sum((pred == 0) & (y_val == 1))
        F1 = 2 * tp / (2 * tp + fp + fn) if tp else 0
        if F1 > best_F1:
            best_F1, best_epsilon = F1, epsilon
    return best_epsilon, best_F1


# --- c3w2-cofi -----------------------------------------------------------------------------------


@right(c3w2_cofi.check_cofi_cost_func)
def cofi_cost_double_loop(X, W, b, Y, R, lambda_):  # modelled on Silva-6/stanford-machine_learning
    nm, nu = Y.shape
    J = 0
    for j in range(nu):
        for i in range(nm):
            J += np.square(R[i, j] * (np.dot(W[j, :], X[i, :]) + b[0, j] - Y[i, j]))
    return J / 2 + lambda_ / 2 * (np.sum(np.square(W)) + np.sum(np.square(X)))


@right(c3w2_cofi.check_cofi_cost_func)
def cofi_cost_mask_after_square(X, W, b, Y, R, lambda_):  # modelled on ggnne/coursera-machine-learning-specialization
    errors = 0.5 * np.sum(R * np.square(X @ W.T + b - Y))
    return errors + 0.5 * lambda_ * (np.sum(np.square(W)) + np.sum(np.square(X)))


# --- one level down, batches, raised cases, probes, changed arguments ---------------------------
# Patterns of learners of the original course that the catalogues alone did not explain.

UNPACKS = "your function unpacks `compute_gradient`'s result as (dj_db, dj_dw)"


@wrong(c1w1.check_gradient_descent, "Likely cause: " + UNPACKS)
def descent_course_order(x, y, w_in, b_in, alpha, num_iters):  # the original course's week-1 lab order
    w, b, J_history = w_in, b_in, []
    for i in range(num_iters):
        dj_db, dj_dw = compute_gradient(x, y, w, b)  # noqa: F821 - swapped in by the check
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(compute_cost(x, y, w, b))  # noqa: F821
    return w, b, J_history


@wrong(c1w2.check_gradient_descent, "raised ValueError", "[", "(shape (5, 2), float64)",
       "Likely cause: " + UNPACKS)
def descent_multi_course_order(X, y, w_in, b_in, alpha, num_iters):  # week 2's lab, unpacked as in week 3
    w, b, J_history = w_in.copy(), b_in, []
    for i in range(num_iters):
        dj_db, dj_dw = compute_gradient(X, y, w, b)  # noqa: F821
        w = w - alpha * dj_dw
        b = b - alpha * dj_db
        J_history.append(compute_cost(X, y, w, b))  # noqa: F821
    return w, b, J_history


@wrong(c1w2.check_gradient_descent, "changed its argument w_in", "it must leave w_in as it is")
def descent_updates_w_in(X, y, w_in, b_in, alpha, num_iters):  # `w = w_in` without copy.deepcopy
    w, b, J_history = w_in, b_in, []
    for i in range(num_iters):
        dj_dw, dj_db = compute_gradient(X, y, w, b)  # noqa: F821
        w -= alpha * dj_dw
        b -= alpha * dj_db
        J_history.append(compute_cost(X, y, w, b))  # noqa: F821
    return w, b, J_history


@right(c1w2.check_gradient_descent)
def descent_deepcopy(X, y, w_in, b_in, alpha, num_iters):  # the original course: copy.deepcopy(w_in)
    import copy
    w, b, J_history = copy.deepcopy(w_in), b_in, []
    for i in range(num_iters):
        dj_dw, dj_db = compute_gradient(X, y, w, b)  # noqa: F821
        w -= alpha * dj_dw
        b -= alpha * dj_db
        J_history.append(compute_cost(X, y, w, b))  # noqa: F821
    return w, b, J_history


@wrong(c1w2.check_zscore_normalize_features, "changed its argument X")
def zscore_in_place(X):
    mu = np.mean(X, axis=0)
    sigma = np.std(X, axis=0)
    X -= mu
    X /= sigma
    return X.copy(), mu, sigma


@wrong(c1w3.check_compute_gradient_reg, "Likely cause: " + UNPACKS)
def gradient_reg_course_unpack_kit_return(X, y, w, b, lambda_=1):
    dj_db, dj_dw = compute_gradient(X, y, w, b)  # noqa: F821
    return dj_dw + lambda_ / X.shape[0] * w, dj_db


@wrong(c1w3.check_predict, "raised ValueError", "X is a batch of 6 examples, shape (6, 2)",
       "your code seems to treat it as one example")
def predict_one_example(X, w, b):  # written for one x, given the batch
    return (sigmoid(np.dot(w, X) + b) >= 0.5).astype(float)  # noqa: F821


@wrong(c1w3.check_compute_cost_reg, "does not change when `lambda_` changes")
def cost_reg_lambda_fixed(X, y, w, b, lambda_=1):  # lambda_ written as 1 in the formula
    m = X.shape[0]
    return compute_cost(X, y, w, b) + 1 / (2 * m) * np.sum(w**2)  # noqa: F821


x_train_global = np.array([1.0, 2.0])
y_train_global = np.array([300.0, 500.0])


@wrong(c1w1.check_compute_cost, "does not change when `x` or `y` change", "rather than a global variable")
def cost_uses_the_globals(x, y, w, b):  # the lab's x_train, y_train instead of the arguments
    m = x_train_global.shape[0]
    return np.sum((w * x_train_global + b - y_train_global) ** 2) / (2 * m)


@wrong(c1w2.check_compute_gradient, "Your dj_dw is 1/m = 1/5 times the expected one (is there an extra "
       "division by m?)")
def gradient_divides_twice(X, y, w, b):  # dj_dw averaged in the loop and again at the end
    m, n = X.shape
    dj_dw, dj_db = np.zeros(n), 0.0
    for i in range(m):
        err = X[i] @ w + b - y[i]
        dj_dw += err * X[i] / m
        dj_db += err
    return dj_dw / m, dj_db / m


# --- the verdicts and the messages ---------------------------------------------------------------


@pytest.mark.parametrize("check_fn,impl", RIGHT)
def test_a_right_implementation_is_accepted(check_fn, impl):
    assert_accepts(check_fn, impl)


@pytest.mark.parametrize("check_fn,impl,fragments", WRONG)
def test_a_wrong_implementation_is_rejected_with_its_own_cause(check_fn, impl, fragments):
    assert_rejects(check_fn, impl, *fragments)


def test_there_are_forty_implementations_across_the_five_modules():
    assert len(RIGHT) + len(WRONG) >= 40
