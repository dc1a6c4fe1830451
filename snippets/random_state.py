"""random_state: refit with two seeds and compare what was learned. Where the estimator draws random
numbers while fitting, the learned values move; where it draws none, nothing moves."""

import numpy as np
import sklearn
from sklearn.base import clone
from sklearn.cluster import KMeans
from sklearn.datasets import load_iris, make_blobs, make_classification
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

X, y = make_classification(n_samples=300, n_features=5, n_informative=3, random_state=0)
X_new, _ = make_classification(n_samples=1000, n_features=5, n_informative=3, random_state=1)
X_blobs, _ = make_blobs(n_samples=500, centers=8, cluster_std=1.5, random_state=3)

# --8<-- [start:refit]
seed_a, seed_b = 0, 1


def refit(estimator, X, y=None):
    """The same estimator, the same data, two seeds."""
    a = clone(estimator).set_params(random_state=seed_a).fit(X, y)
    b = clone(estimator).set_params(random_state=seed_b).fit(X, y)
    return a, b
# --8<-- [end:refit]


def _verdict(same):
    return "identical" if same else "different"


# Seeds that change what is learned.
# --8<-- [start:changes]
sgd_a, sgd_b = refit(SGDClassifier(), X, y)  # shuffle=True: the order of the updates
forest_a, forest_b = refit(RandomForestClassifier(n_estimators=20), X, y)  # bootstrap + features
kmeans_a, kmeans_b = refit(KMeans(n_clusters=8), X_blobs)  # initial centres (n_init="auto" -> 1 run)
X_scaled = StandardScaler().fit_transform(X)  # with the L2 penalty alpha, L-BFGS converges fully
mlp = MLPClassifier(hidden_layer_sizes=(3,), solver="lbfgs", alpha=1.0, tol=1e-8, max_iter=1000)
mlp_a, mlp_b = refit(mlp, X_scaled, y)  # the initial weights
# --8<-- [end:changes]
sgd_same = bool(np.array_equal(sgd_a.coef_, sgd_b.coef_))
forest_same = bool(np.array_equal(forest_a.feature_importances_, forest_b.feature_importances_))
kmeans_same = bool(np.isclose(kmeans_a.inertia_, kmeans_b.inertia_))  # a relabelling would not count
mlp_same = bool(all(np.array_equal(p, q) for p, q in zip(mlp_a.coefs_, mlp_b.coefs_)))
assert not (sgd_same or forest_same or kmeans_same or mlp_same)
sgd_verdict, forest_verdict = _verdict(sgd_same), _verdict(forest_same)
kmeans_verdict, mlp_verdict = _verdict(kmeans_same), _verdict(mlp_same)

sgd_coef_a, sgd_coef_b = sgd_a.coef_.ravel(), sgd_b.coef_.ravel()
kmeans_inertia_a, kmeans_inertia_b = float(kmeans_a.inertia_), float(kmeans_b.inertia_)
assert abs(kmeans_inertia_a - kmeans_inertia_b) > 1  # different local optima, not rounding noise
kmeans_n_init = kmeans_a._n_init  # what n_init="auto" resolved to for k-means++
assert kmeans_n_init == 1
# Two local optima of the penalised loss, not two stopping points near one: the losses differ by far
# more than they move when the inputs are perturbed (by under 1e-4 for a relative 1e-7), and so
# does the training accuracy. n_iter_ is not shown: it moves with the last bits of the arithmetic.
mlp_loss_a, mlp_loss_b = float(mlp_a.loss_), float(mlp_b.loss_)
mlp_accuracy_a, mlp_accuracy_b = mlp_a.score(X_scaled, y), mlp_b.score(X_scaled, y)
assert abs(mlp_loss_a - mlp_loss_b) > 0.01 and mlp_accuracy_a != mlp_accuracy_b
forest_importances_a = forest_a.feature_importances_
forest_importances_b = forest_b.feature_importances_

# Seeds that change nothing: no random numbers are drawn during fit.
# --8<-- [start:nothing]
svc_a, svc_b = refit(SVC(), X, y)  # seeds only the probability calibration, which is off
fixed_order_a, fixed_order_b = refit(SGDClassifier(shuffle=False), X, y)  # nothing left to draw
has_random_state = "random_state" in LinearRegression().get_params()  # closed-form least squares
# --8<-- [end:nothing]
svc_same = bool(np.array_equal(svc_a.dual_coef_, svc_b.dual_coef_) and np.array_equal(svc_a.support_, svc_b.support_))
fixed_order_same = bool(
    np.array_equal(fixed_order_a.coef_, fixed_order_b.coef_)
    and np.array_equal(fixed_order_a.intercept_, fixed_order_b.intercept_)
)
assert svc_same and fixed_order_same and not has_random_state
svc_verdict, fixed_order_verdict = _verdict(svc_same), _verdict(fixed_order_same)

# In between: a decision tree with max_features=None examines every feature at every node, in an
# order drawn from random_state, and keeps a split only if it is strictly better than the best so
# far. The seed therefore decides between splits that tie exactly -- and ties are common.
# --8<-- [start:tree]
X_iris, y_iris = load_iris(return_X_y=True)
iris_feature_names = load_iris().feature_names
root_feature, iris_trees = {}, {}
for seed in range(10):
    tree = DecisionTreeClassifier(random_state=seed).fit(X_iris, y_iris)
    root_feature[seed] = iris_feature_names[tree.tree_.feature[0]]
    iris_trees[seed] = tree
# --8<-- [end:tree]
iris_root_choices = sorted(set(root_feature.values()))
assert iris_root_choices == ["petal length (cm)", "petal width (cm)"]
iris_tie_a, iris_tie_b = iris_root_choices
_seed_length = min(s for s, f in root_feature.items() if f == "petal length (cm)")
_seed_width = min(s for s, f in root_feature.items() if f == "petal width (cm)")


def _root_split(seed):
    t = iris_trees[seed].tree_
    left, right = t.children_left[0], t.children_right[0]
    n = t.weighted_n_node_samples
    # the impurity decrease the splitter compares, and which flowers go left
    decrease = t.impurity[0] - (n[left] * t.impurity[left] + n[right] * t.impurity[right]) / n[0]
    goes_left = X_iris[:, t.feature[0]] <= t.threshold[0]
    return decrease, goes_left


(_decrease_l, _left_l), (_decrease_w, _left_w) = _root_split(_seed_length), _root_split(_seed_width)
iris_root_tie = bool(_decrease_l == _decrease_w and np.array_equal(_left_l, _left_w))
assert iris_root_tie and np.array_equal(_left_l, y_iris == 0)  # both send exactly the setosa flowers left
iris_root_by_seed = [root_feature[s] for s in range(10)]
n_seeds_tried = len(root_feature)
n_seeds_petal_width = sum(f == "petal width (cm)" for f in root_feature.values())

# Ties also happen deep in a fully grown tree (a small node can be split perfectly by several
# features): trees grown with ten seeds agree on every training point but not on new points.
_grown = [DecisionTreeClassifier(random_state=seed).fit(X, y) for seed in range(10)]
n_trees = len(_grown)
n_same_on_training = sum(np.array_equal(t.predict(X), _grown[0].predict(X)) for t in _grown)
n_same_on_new = sum(np.array_equal(t.predict(X_new), _grown[0].predict(X_new)) for t in _grown)
n_distinct_node_counts = len({t.tree_.node_count for t in _grown})
n_new_points = X_new.shape[0]
n_features = X.shape[1]
assert n_same_on_training == n_trees and n_same_on_new == 1  # "only the reference tree itself"

# random_state is what you set, not what is learned: fit leaves it alone.
_before = sgd_a.get_params()
assert sgd_a.fit(X, y).get_params() == _before and sgd_a.random_state == seed_a

sklearn_version = sklearn.__version__
