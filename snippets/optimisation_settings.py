"""tol and max_iter: optimisation hyperparameters, which change what is learned; warm_start, a
workflow setting that only decides where a repeated fit starts."""

import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import RandomForestClassifier
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler


def _distance(model, reference):
    """Largest absolute difference between two fitted coef_ arrays."""
    return float(np.max(np.abs(model.coef_ - reference.coef_)))


X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
n_samples, n_features = X.shape

# --8<-- [start:tol]
reference = LogisticRegression(tol=1e-10, max_iter=10_000).fit(X, y)  # as close to the optimum as we get
default = LogisticRegression().fit(X, y)  # tol=1e-4, max_iter=100
loose = LogisticRegression(tol=0.1).fit(X, y)
# --8<-- [end:tol]

reference_tol = reference.tol
default_tol = default.tol
loose_tol = loose.tol
default_max_iter = default.max_iter
reference_n_iter = int(reference.n_iter_[0])
default_n_iter = int(default.n_iter_[0])
loose_n_iter = int(loose.n_iter_[0])
default_distance = _distance(default, reference)
loose_distance = _distance(loose, reference)
reference_accuracy = reference.score(X, y)
default_accuracy = default.score(X, y)
loose_accuracy = loose.score(X, y)
assert loose_n_iter < default_n_iter < reference_n_iter
assert 0 < default_distance < loose_distance
assert loose_accuracy < default_accuracy
near_optimum = 0.05  # the page's "near the optimum": largest change in coef_ from the reference
assert default_distance < near_optimum and default_accuracy == reference_accuracy
almost_at_once = 2
assert loose_n_iter <= almost_at_once  # "stops almost at once"

# --8<-- [start:max_iter]
early_max_iter = 5
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", ConvergenceWarning)  # record it instead of raising or hiding it
    early = LogisticRegression(max_iter=early_max_iter).fit(X, y)
early_warned = any(issubclass(w.category, ConvergenceWarning) for w in caught)
# --8<-- [end:max_iter]

early_n_iter = int(early.n_iter_[0])
early_distance = _distance(early, reference)
early_accuracy = early.score(X, y)
assert early_warned
assert early_n_iter == early_max_iter
assert early_distance > default_distance

# --8<-- [start:warm_start]
model = LogisticRegression(warm_start=True, max_iter=early_max_iter)
iterations_per_call = []
distance_per_call = []
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always", ConvergenceWarning)  # the first calls stop early on purpose
    for call in range(6):
        model.fit(X, y)  # starts from the coef_ the previous call left
        iterations_per_call.append(int(model.n_iter_[0]))
        distance_per_call.append(_distance(model, reference))
warm_warnings = sum(issubclass(w.category, ConvergenceWarning) for w in caught)
# --8<-- [end:warm_start]

calls = len(iterations_per_call)
warm_total_iterations = sum(iterations_per_call)
assert iterations_per_call[0] == early_max_iter
assert iterations_per_call[-1] == 0  # already converged: the last call had nothing left to do
assert all(a >= b for a, b in zip(distance_per_call, distance_per_call[1:]))
assert warm_warnings == sum(n == early_max_iter for n in iterations_per_call)
assert distance_per_call[-1] < early_distance
warm_final_distance = distance_per_call[-1]
assert warm_final_distance < near_optimum  # the same optimum as the default fit, to within tol

# Refit a converged model with warm_start=True: it starts at the answer.
# --8<-- [start:refit]
converged = LogisticRegression(warm_start=True).fit(X, y)
first_fit_n_iter = int(converged.n_iter_[0])
converged.fit(X, y)
second_fit_n_iter = int(converged.n_iter_[0])
# --8<-- [end:refit]
assert first_fit_n_iter == default_n_iter
assert second_fit_n_iter < first_fit_n_iter

# For ensembles, warm_start keeps the fitted members and adds new ones.
# --8<-- [start:forest]
forest = RandomForestClassifier(n_estimators=10, warm_start=True, random_state=0).fit(X, y)
first_tree = forest.estimators_[0]
forest_first_size = len(forest.estimators_)
forest.set_params(n_estimators=30).fit(X, y)
# --8<-- [end:forest]
forest_trees = len(forest.estimators_)
forest_kept_first_tree = forest.estimators_[0] is first_tree
assert forest_first_size == 10 and forest_trees == 30 and forest_kept_first_tree
