"""Parametric vs non-parametric: how much a fitted model keeps, at two training-set sizes."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

X_all, y_all = make_classification(
    n_samples=3200, n_features=5, n_informative=3, flip_y=0.05, random_state=0
)
n_features = X_all.shape[1]

# --8<-- [start:count]
def learned_size(n):
    """Fit each model on the first n rows; count what it keeps for predicting."""
    X, y = X_all[:n], y_all[:n]
    logreg = LogisticRegression().fit(X, y)
    knn = KNeighborsClassifier().fit(X, y)
    tree = DecisionTreeClassifier(random_state=0).fit(X, y)
    return {
        "logreg": logreg.coef_.size + logreg.intercept_.size,  # weights + bias
        "knn": knn.n_samples_fit_ * knn.n_features_in_,  # a copy of the training X
        "tree": tree.tree_.node_count,  # nodes, each with a split or a leaf value
    }


small_n, large_n = 200, 2000
small = learned_size(small_n)
large = learned_size(large_n)
# --8<-- [end:count]

logreg_small, logreg_large = small["logreg"], large["logreg"]
knn_small, knn_large = small["knn"], large["knn"]
tree_small, tree_large = small["tree"], large["tree"]
size_ratio = large_n / small_n

assert logreg_small == logreg_large == n_features + 1  # parametric: fixed by the number of features
assert knn_small == small_n * n_features and knn_large == large_n * n_features  # grows with n
assert tree_large > 2 * tree_small  # grows with n (no depth limit)

# KNeighborsClassifier really holds the training set (private attribute, checked, not relied on).
_knn = KNeighborsClassifier().fit(X_all[:small_n], y_all[:small_n])
assert (_knn._fit_X == X_all[:small_n]).all()

# --8<-- [start:capped]
capped_depth = 3
capped_small = DecisionTreeClassifier(max_depth=capped_depth, random_state=0).fit(X_all[:small_n], y_all[:small_n])
capped_large = DecisionTreeClassifier(max_depth=capped_depth, random_state=0).fit(X_all[:large_n], y_all[:large_n])
# --8<-- [end:capped]
capped_small_nodes = capped_small.tree_.node_count
capped_large_nodes = capped_large.tree_.node_count
capped_bound = 2 ** (capped_depth + 1) - 1
assert capped_small_nodes <= capped_bound and capped_large_nodes <= capped_bound

# A kernel SVM keeps support vectors, which grow with noisy data too.
svc_small = int(SVC().fit(X_all[:small_n], y_all[:small_n]).n_support_.sum())
svc_large = int(SVC().fit(X_all[:large_n], y_all[:large_n]).n_support_.sum())
assert svc_large > 2 * svc_small


def _figure():
    sizes = [100, 200, 400, 800, 1600, 3200]
    counts = [learned_size(n) for n in sizes]
    fig, ax = plt.subplots(figsize=(6, 3.2))
    labels = {
        "logreg": "LogisticRegression: coef_ + intercept_",
        "knn": "KNeighborsClassifier: stored X values",
        "tree": "DecisionTreeClassifier: tree nodes",
    }
    for key, label in labels.items():
        ax.plot(sizes, [c[key] for c in counts], marker="o", label=label)
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("training samples")
    ax.set_ylabel("numbers kept after fit")
    ax.legend(fontsize="small")
    fig.tight_layout()
    return fig


figure = _figure()
