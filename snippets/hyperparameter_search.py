"""Hyperparameter search with cross-validation: GridSearchCV over an SVC on the wine data."""

import contextlib
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_wine
from sklearn.model_selection import GridSearchCV, train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC

X, y = load_wine(return_X_y=True)

# --8<-- [start:search]
X_train, X_test, y_train, y_test = train_test_split(X, y, stratify=y, random_state=0)

pipeline = make_pipeline(StandardScaler(), SVC())
param_grid = {"svc__C": [0.1, 1, 10], "svc__gamma": [0.01, 0.1, 1]}
search = GridSearchCV(pipeline, param_grid, cv=5).fit(X_train, y_train)
# --8<-- [end:search]

n_samples, n_features = X.shape
n_train = len(y_train)
n_test = len(y_test)
n_candidates = len(search.cv_results_["params"])
n_splits = search.n_splits_
n_fits = n_candidates * n_splits + 1  # one fit per candidate and fold, plus the final refit
# scikit-learn's own count, from the search's verbose log: "... totalling 45 fits" (the refit
# comes on top, and leaves refit_time_ behind).
with contextlib.redirect_stdout(io.StringIO()) as _log:
    GridSearchCV(pipeline, param_grid, cv=5, verbose=1).fit(X_train, y_train)
_cv_fits = int(re.search(r"totalling (\d+) fits", _log.getvalue()).group(1))
assert _cv_fits == n_candidates * n_splits and hasattr(search, "refit_time_")
C_values = param_grid["svc__C"]
gamma_values = param_grid["svc__gamma"]

# --8<-- [start:results]
best_params = search.best_params_  # hyperparameters, chosen by the search
best_C = best_params["svc__C"]
best_gamma = best_params["svc__gamma"]
best_score = search.best_score_  # mean accuracy over the 5 validation folds
best_svc = search.best_estimator_[-1]  # refitted on all of X_train with the best hyperparameters
test_score = search.score(X_test, y_test)  # data the search never saw
# --8<-- [end:results]

assert best_params == {"svc__C": 10, "svc__gamma": 0.1}
assert list(search.cv_results_["rank_test_score"]).count(1) == 1  # no tie for first place
assert best_score == search.cv_results_["mean_test_score"][search.best_index_]
best_fold_scores = np.array([search.cv_results_[f"split{i}_test_score"][search.best_index_] for i in range(n_splits)])
assert np.isclose(best_score, best_fold_scores.mean())
worst_score = float(search.cv_results_["mean_test_score"].min())
_worst = search.cv_results_["params"][int(np.argmin(search.cv_results_["mean_test_score"]))]
worst_C = _worst["svc__C"]
worst_gamma = _worst["svc__gamma"]

# best_params_ holds set values: they are in the refitted estimator's get_params(), untouched by fit.
assert best_svc.get_params()["C"] == best_C and best_svc.get_params()["gamma"] == best_gamma
# best_estimator_ holds learned values: the same as fitting those hyperparameters by hand.
_by_hand = make_pipeline(StandardScaler(), SVC(C=best_C, gamma=best_gamma)).fit(X_train, y_train)
assert np.array_equal(_by_hand[-1].dual_coef_, best_svc.dual_coef_)
assert np.array_equal(_by_hand[-1].support_, best_svc.support_)
n_support = int(best_svc.n_support_.sum())
one_test_sample = 1 / n_test
assert test_score > best_score  # the page says so; optimism is a tendency, not a rule

# What the figure's alt text says: gamma=0.1 is the best line and gamma=1 the worst, at every C.
_mean = {(p["svc__C"], p["svc__gamma"]): s for p, s in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"])}
assert all(_mean[C, 0.1] == max(_mean[C, g] for g in gamma_values) for C in C_values)
assert all(_mean[C, 1] == min(_mean[C, g] for g in gamma_values) for C in C_values)
# The search's own settings are not learned either: the grid is still what we passed.
assert search.get_params()["param_grid"] is param_grid and search.get_params()["cv"] == 5



def _figure():
    """Mean validation accuracy per candidate, one line per gamma."""
    scores = search.cv_results_["mean_test_score"]
    params = search.cv_results_["params"]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    for gamma in gamma_values:
        by_C = {p["svc__C"]: s for p, s in zip(params, scores) if p["svc__gamma"] == gamma}
        ax.plot(C_values, [by_C[C] for C in C_values], marker="o", label=f"gamma = {gamma}")
    ax.set_xscale("log")
    ax.set_xlabel("C")
    ax.set_ylabel("mean validation accuracy")
    ax.legend()
    fig.tight_layout()
    return fig


figure = _figure()
