"""KNeighborsClassifier: k, weights and metric are set; fit stores the training data."""

import numpy as np
import sklearn
from sklearn.datasets import load_iris
from sklearn.model_selection import train_test_split
from sklearn.neighbors import KNeighborsClassifier

# --8<-- [start:fit]
X, y = load_iris(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

knn = KNeighborsClassifier(n_neighbors=7, weights="distance", metric="manhattan")
knn.fit(X_train, y_train)

knn.classes_            # the labels seen
knn.effective_metric_   # the metric actually used
knn.n_samples_fit_      # how many training points were stored
knn._fit_X              # private: the training data itself
# --8<-- [end:fit]

n_neighbors = knn.n_neighbors
weights = knn.weights
metric = knn.metric
effective_metric = knn.effective_metric_
n_samples_fit = knn.n_samples_fit_
n_train = len(X_train)
n_features_in = knn.n_features_in_
classes = knn.classes_
sklearn_version = sklearn.__version__
fit_method = knn._fit_method            # private: which index was built ("kd_tree" here)
stored_values = int(knn._fit_X.size)
test_accuracy = knn.score(X_test, y_test)
public_learned = sorted(a for a in vars(knn) if a.endswith("_") and not a.startswith("_"))
private_learned = sorted(a for a in vars(knn) if a.startswith("_"))

# Claims
# what fit keeps is the training set itself (in 1.9.1 not even a copy, for float64 input)
assert np.array_equal(knn._fit_X, X_train) and np.shares_memory(knn._fit_X, X_train)
assert n_samples_fit == n_train and stored_values == X_train.size
assert public_learned == ["classes_", "effective_metric_", "effective_metric_params_",
                          "n_features_in_", "n_samples_fit_", "outputs_2d_"]
assert private_learned == ["_fit_X", "_fit_method", "_tree", "_y"]
# the default metric="minkowski" with p=2 is reported as effective_metric_="euclidean"
_default = KNeighborsClassifier().fit(X_train, y_train)
default_metric = _default.metric
default_effective_metric = _default.effective_metric_
assert (default_metric, default_effective_metric) == ("minkowski", "euclidean")

# --8<-- [start:by_hand]
# Prediction needs nothing but the stored data and the hyperparameters:
dist = np.abs(X_test[:, None, :] - X_train[None, :, :]).sum(axis=2)   # manhattan
nearest = np.argsort(dist, axis=1, kind="stable")[:, :n_neighbors]
votes = np.zeros((len(X_test), len(classes)))
for i, row in enumerate(nearest):
    for j in row:
        votes[i, y_train[j]] += 1 / dist[i, j]                          # weights="distance"
by_hand = classes[votes.argmax(axis=1)]
# --8<-- [end:by_hand]
assert (dist > 0).all()   # no test point sits on a training point (1/0 would need special care)
assert np.array_equal(by_hand, knn.predict(X_test))
# algorithm only chooses the search structure: same predictions here (ties in distance aside)
for _algorithm in ["brute", "ball_tree", "kd_tree"]:
    _alt = KNeighborsClassifier(n_neighbors=7, weights="distance", metric="manhattan", algorithm=_algorithm)
    assert np.array_equal(_alt.fit(X_train, y_train).predict(X_test), knn.predict(X_test))
