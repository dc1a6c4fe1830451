"""Regularisation: one penalty on the weights, spelled alpha, C and l1_ratio, on different scales."""

from itertools import pairwise

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, make_regression
from sklearn.linear_model import ElasticNet, Lasso, LogisticRegression, Ridge, SGDClassifier
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC, LinearSVC


def _norm(coef):
    """Length of the weight vector, rounded to what is stable across CPU kernels."""
    return round(float(np.linalg.norm(coef)), 3)


# Regression data: 30 features, of which 5 carry signal.
X, y, _true_coef = make_regression(n_samples=100, n_features=30, n_informative=5, noise=20, coef=True, random_state=0)
n_samples, n_features = X.shape
n_informative = 5
elasticnet_alpha = 10

# --8<-- [start:directions]
alphas = [0.1, 1, 10, 100, 1000]  # larger alpha: stronger penalty
ridge_norms = [_norm(Ridge(alpha=a).fit(X, y).coef_) for a in alphas]

X_cancer, y_cancer = load_breast_cancer(return_X_y=True)
X_cancer = StandardScaler().fit_transform(X_cancer)
Cs = [0.001, 0.01, 0.1, 1, 10]  # larger C: weaker penalty
logistic_norms = [_norm(LogisticRegression(C=C).fit(X_cancer, y_cancer).coef_) for C in Cs]

l1_ratios = [0, 0.25, 0.5, 0.75, 1]  # 0: pure L2, 1: pure L1
elastic_nets = [ElasticNet(alpha=elasticnet_alpha, l1_ratio=r).fit(X, y) for r in l1_ratios]
zero_weights = [int(np.sum(net.coef_ == 0)) for net in elastic_nets]
# --8<-- [end:directions]

assert all(a > b for a, b in pairwise(ridge_norms))  # alpha up, weights down
assert all(a < b for a, b in pairwise(logistic_norms))  # C up, weights up
assert all(a <= b for a, b in pairwise(zero_weights))  # more L1, more exact zeros
assert zero_weights[0] == 0 and zero_weights[-1] > 0  # pure L2 zeroes nothing; pure L1 does
lasso_kept = n_features - zero_weights[-1]
_lasso = ElasticNet(alpha=elasticnet_alpha, l1_ratio=1).fit(X, y)
assert np.array_equal(_lasso.coef_ != 0, _true_coef != 0)  # here pure L1 keeps exactly the informative features
n_cancer_samples = X_cancer.shape[0]

# The table's other rows: which estimators take which spelling, and which way each one points.
_spellings = {
    "alpha": [Ridge, Lasso, ElasticNet, SGDClassifier, MLPClassifier, MLPRegressor],
    "C": [LogisticRegression, SVC, LinearSVC],
    "l1_ratio": [ElasticNet, LogisticRegression, SGDClassifier],
}
assert all(name in est().get_params() for name, ests in _spellings.items() for est in ests)
_weak_then_strong = [
    (SGDClassifier(loss="log_loss", alpha=1e-4, random_state=0), SGDClassifier(loss="log_loss", alpha=1e-1, random_state=0)),
    (MLPClassifier(hidden_layer_sizes=(), alpha=1e-4, solver="lbfgs", max_iter=1000, random_state=0),
     MLPClassifier(hidden_layer_sizes=(), alpha=10, solver="lbfgs", max_iter=1000, random_state=0)),
    (MLPRegressor(hidden_layer_sizes=(), alpha=1e-4, solver="lbfgs", max_iter=1000, random_state=0),
     MLPRegressor(hidden_layer_sizes=(), alpha=1000, solver="lbfgs", max_iter=1000, random_state=0)),
    (SVC(kernel="linear", C=1), SVC(kernel="linear", C=0.01)),
    (LinearSVC(C=1, max_iter=10_000), LinearSVC(C=0.01)),
]


def _weights(model):
    return model.coefs_[0] if isinstance(model, (MLPClassifier, MLPRegressor)) else model.coef_


for _weak, _strong in _weak_then_strong:
    _weak.fit(X_cancer, y_cancer)
    _strong.fit(X_cancer, y_cancer)
    assert np.linalg.norm(_weights(_strong)) < np.linalg.norm(_weights(_weak)) / 2, _weak
# SGDClassifier reads l1_ratio only with penalty="elasticnet"; under its default penalty="l2" it is ignored.
_sgd = [SGDClassifier(l1_ratio=r, random_state=0).fit(X_cancer, y_cancer) for r in (0.0, 1.0)]
assert SGDClassifier().penalty == "l2" and np.array_equal(_sgd[0].coef_, _sgd[1].coef_)
for _model in (Lasso, ElasticNet):
    assert np.linalg.norm(_model(alpha=10).fit(X, y).coef_) < np.linalg.norm(_model(alpha=1).fit(X, y).coef_)

# --8<-- [start:scales]
# Ridge:       ||y - Xw||²        + alpha·||w||²                          (sum over samples)
# ElasticNet:  ||y - Xw||² / (2n) + alpha·(l1_ratio·|w|₁ + (1 - l1_ratio)·||w||²/2)   (mean)
ridge = Ridge(alpha=1).fit(X, y)
same_as_ridge = ElasticNet(alpha=1 / n_samples, l1_ratio=0, tol=1e-10, max_iter=10_000)
same_as_ridge.fit(X, y)
same_number = ElasticNet(alpha=1, l1_ratio=0).fit(X, y)

# LogisticRegression:  C·Σ log-loss        + ||w||²/2
# MLPClassifier:       mean log-loss       + alpha·||w||²/(2n)
logistic = LogisticRegression(C=0.1, tol=1e-10, max_iter=10_000).fit(X_cancer, y_cancer)
mlp = MLPClassifier(hidden_layer_sizes=(), alpha=1 / 0.1,  # no hidden layer: logistic regression
                    solver="lbfgs", tol=1e-10, max_iter=10_000, random_state=0)
mlp.fit(X_cancer, y_cancer)
# --8<-- [end:scales]

ridge_tolerance, mlp_tolerance = 1e-6, 1e-3  # largest difference between the weights each pair learns
assert np.allclose(ridge.coef_, same_as_ridge.coef_, rtol=0, atol=ridge_tolerance)
ridge_norm = _norm(ridge.coef_)
same_number_norm = _norm(same_number.coef_)
# ElasticNet's alpha=1 is Ridge's alpha=n_samples: a much stronger penalty under the same number.
_ridge_n = Ridge(alpha=n_samples).fit(X, y)
assert np.allclose(same_number.coef_, _ridge_n.coef_, rtol=0, atol=1e-3)
assert same_number_norm < ridge_norm / 2
assert np.allclose(logistic.coef_.ravel(), mlp.coefs_[0].ravel(), rtol=0, atol=mlp_tolerance)
assert abs(logistic.intercept_[0] - mlp.intercepts_[0][0]) < mlp_tolerance
logistic_C = logistic.C
mlp_alpha = mlp.alpha
assert mlp_alpha == 1 / logistic_C

# --8<-- [start:plot]
fig, axes = plt.subplots(1, 3, figsize=(8, 2.8))
axes[0].plot(alphas, ridge_norms, marker="o")
axes[0].set(xscale="log", xlabel="alpha (Ridge)", ylabel="weight norm ‖w‖", title="stronger →")
axes[1].plot(Cs, logistic_norms, marker="o")
axes[1].set(xscale="log", xlabel="C (LogisticRegression)", ylabel="weight norm ‖w‖", title="← stronger")
axes[2].plot(l1_ratios, zero_weights, marker="o")
axes[2].set(xlabel="l1_ratio (ElasticNet)", ylabel="weights exactly 0", title="more L1 →")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]
