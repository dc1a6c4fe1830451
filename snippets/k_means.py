"""KMeans: n_clusters, init and n_init are set; the centres are learned; labels_ and inertia_
are fitted attributes that predict never reads."""

import copy

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs

# --8<-- [start:fit]
X, _true_labels = make_blobs(n_samples=300, centers=3, cluster_std=1.0, random_state=0)

km = KMeans(n_clusters=3, init="k-means++", n_init=10, random_state=0)
km.fit(X)

km.cluster_centers_   # learned parameter: one centre per cluster, shape (n_clusters, n_features)
km.labels_            # fitted: the cluster of each training point (predict does not read it)
km.inertia_           # fitted: sum of squared distances to the nearest centre
km.n_iter_            # iterations of the best run (training history)
# --8<-- [end:fit]

n_clusters = km.n_clusters
n_init = km.n_init
n_samples, n_features = X.shape
centers_shape = str(km.cluster_centers_.shape)
cluster_sizes = sorted(np.bincount(km.labels_).tolist())
inertia = float(f"{km.inertia_:.3g}")   # last digits depend on the thread count: keep 3 significant
n_iter = int(km.n_iter_)
first_center = km.cluster_centers_[0]

# Claims
# inertia_ is what the name says: the summed squared distance to the assigned centre
_sq = ((X - km.cluster_centers_[km.labels_]) ** 2).sum()
assert np.isclose(_sq, km.inertia_, rtol=1e-6)
# each centre is the mean of its points (the fitted fixed point)
for _k in range(n_clusters):
    assert np.allclose(km.cluster_centers_[_k], X[km.labels_ == _k].mean(axis=0), atol=1e-3)
# labels_ are the training points' predictions, and predict does not need them: with labels_ and
# inertia_ deleted, a copy predicts the same clusters from cluster_centers_ alone.
assert np.array_equal(km.labels_, km.predict(X))
_centres_only = copy.deepcopy(km)
del _centres_only.labels_, _centres_only.inertia_
predict_without_labels = bool(np.array_equal(_centres_only.predict(X), km.labels_))
assert predict_without_labels
# fit leaves what was set alone
assert km.get_params() == KMeans(n_clusters=3, init="k-means++", n_init=10, random_state=0).get_params()

# --8<-- [start:sweep]
ks = [1, 2, 3, 4, 5, 6]
inertias = [KMeans(n_clusters=k, n_init=10, random_state=0).fit(X).inertia_ for k in ks]
# --8<-- [end:sweep]
# inertia can only go down as n_clusters grows: minimising it cannot choose n_clusters
assert all(a > b for a, b in zip(inertias, inertias[1:]))
inertias_rounded = [float(f"{v:.3g}") for v in inertias]
