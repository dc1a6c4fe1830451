"""Y ≈ M_H(Φ | D) in scikit-learn: H = the hyperparameters in get_params(), Φ = the fitted attributes
prediction reads, D = what fit saw."""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

X, y = load_iris(return_X_y=True)
X_train, X_new, y_train, y_new = train_test_split(X, y, stratify=y, random_state=0)  # D = (X_train, y_train)

# --8<-- [start:fit]
model = LogisticRegression(C=0.5, max_iter=1000)
H_before = model.get_params()
model.fit(X_train, y_train)
H = model.get_params()  # what we set: the hyperparameters, and settings that are neither
Phi = {name: value for name, value in vars(model).items() if name.endswith("_") and not name.startswith("_")}
# --8<-- [end:fit]

assert H == H_before  # fit does not touch H
H_names = sorted(H)
n_H = len(H)
neither = ["n_jobs", "random_state", "verbose", "warm_start"]  # a seed, computational and workflow settings
assert set(neither) <= set(H)
n_hyperparameters = n_H - len(neither)
n_train = len(X_train)
Phi_names = sorted(Phi)
n_Phi_numbers = model.coef_.size + model.intercept_.size
C = model.C
assert {"coef_", "intercept_", "classes_", "n_iter_", "n_features_in_"} <= set(Phi_names)

# --8<-- [start:by_hand]
scores_by_hand = X_new @ model.coef_.T + model.intercept_
labels_by_hand = model.classes_[np.argmax(scores_by_hand, axis=1)]
# --8<-- [end:by_hand]
largest_gap = float(np.max(np.abs(scores_by_hand - model.decision_function(X_new))))
assert np.allclose(scores_by_hand, model.decision_function(X_new), rtol=0, atol=1e-12)
assert np.array_equal(labels_by_hand, model.predict(X_new))

# --8<-- [start:transplant]
other_C = 0.01
transplant = LogisticRegression(C=other_C, max_iter=1000)  # a different H, never fitted
vars(transplant).update(Phi)  # copy Φ in, keep the other H
refitted = LogisticRegression(C=other_C, max_iter=1000).fit(X_train, y_train)
# --8<-- [end:transplant]

assert np.array_equal(transplant.decision_function(X_new), model.decision_function(X_new))
assert np.array_equal(transplant.predict(X_new), model.predict(X_new))
refit_coef_change = float(np.max(np.abs(refitted.coef_ - model.coef_)))
refit_changed_predictions = int(np.sum(refitted.predict(X_new) != model.predict(X_new)))
n_new = len(X_new)
assert refit_coef_change > 0.1  # through fit, H does shape Φ
assert refit_changed_predictions > 0

# --8<-- [start:knn]
k_at_fit, k_later = 1, 15
knn = KNeighborsClassifier(n_neighbors=k_at_fit).fit(X_train, y_train)
before = knn.predict(X_new)
knn.set_params(n_neighbors=k_later)  # no refit: the stored training data (Φ) is unchanged
after = knn.predict(X_new)
# --8<-- [end:knn]
knn_changed_predictions = int(np.sum(before != after))
assert knn_changed_predictions > 0
assert knn.n_samples_fit_ == len(X_train)

# SVC resolves gamma during fit (gamma="scale" from the data) and predicts with that stored value:
# changing gamma after fit changes nothing until the next fit.
from sklearn.svm import SVC  # noqa: E402

_svc = SVC().fit(X_train, y_train)
_scores = _svc.decision_function(X_new)
_svc.set_params(gamma=10.0)
assert np.array_equal(_svc.decision_function(X_new), _scores)
assert not np.array_equal(SVC(gamma=10.0).fit(X_train, y_train).decision_function(X_new), _scores)
