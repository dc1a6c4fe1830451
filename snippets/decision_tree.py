"""DecisionTreeClassifier: depth limits are set; split features and thresholds are learned."""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier, export_text

# --8<-- [start:fit]
iris = load_iris()
X, y = iris.data, iris.target

tree = DecisionTreeClassifier(max_depth=3, min_samples_leaf=5, random_state=0)
tree.fit(X, y)

structure = tree.tree_            # the learned structure
structure.feature                 # feature index tested at each node (-2 at leaves)
structure.threshold               # learned threshold at each node (-2 at leaves)
# --8<-- [end:fit]

max_depth = tree.max_depth
min_samples_leaf = tree.min_samples_leaf
node_count = int(structure.node_count)
depth = int(tree.get_depth())
n_leaves = int(tree.get_n_leaves())
n_splits = node_count - n_leaves

# Root split, read from the learned arrays (thresholds are float32 midpoints: round them)
root_feature = str(iris.feature_names[structure.feature[0]])
root_threshold = round(float(structure.threshold[0]), 2)
_internal = structure.feature >= 0
split_features = sorted({str(iris.feature_names[i]) for i in structure.feature[_internal]})
thresholds = [round(float(t), 2) for t in structure.threshold[_internal]]
train_accuracy = tree.score(X, y)

# Claims
# the actual depth is learned, bounded by the max_depth that was set
assert depth <= max_depth
# every leaf holds at least min_samples_leaf training samples
_leaves = structure.children_left == -1
assert (structure.n_node_samples[_leaves] >= min_samples_leaf).all()
# leaves carry no split: feature and threshold are the sentinel -2
assert (structure.feature[_leaves] == -2).all() and (structure.threshold[_leaves] == -2).all()
# a binary tree: splits = leaves - 1
assert n_splits == n_leaves - 1
# the root split separates setosa perfectly (left child is pure)
_left = structure.children_left[0]
assert structure.value[_left].argmax() == 0 and np.count_nonzero(structure.value[_left]) == 1
assert structure.n_node_samples[_left] == (y == 0).sum()           # ... and holds every setosa
# tree_.value holds class proportions per node, not counts
assert np.allclose(structure.value.sum(axis=2), 1.0)
# thresholds are stored as float64 but come from float32 data: not "nice" decimals
assert structure.threshold[0] != root_threshold and abs(structure.threshold[0] - root_threshold) < 1e-6

# How a threshold is computed: X is cast to float32, and the midpoint of the two neighbouring
# float32 values is computed in float64 (feature_values[p - 1] / 2.0 + feature_values[p] / 2.0 in
# sklearn/tree/_splitter.pyx, where 2.0 is a C double). A float32 midpoint would differ.
# --8<-- [start:midpoint]
node = int(np.flatnonzero(structure.feature == 2)[0])      # the first split on petal length
stored = structure.threshold[node]
values = np.unique(X[:, 2].astype(np.float32))              # the feature as the tree saw it
below, above = values[values <= stored].max(), values[values > stored].min()
midpoint_float64 = float(below) / 2.0 + float(above) / 2.0
midpoint_float32 = float(below / np.float32(2) + above / np.float32(2))
# --8<-- [end:midpoint]
midpoint_node = node
midpoint_below, midpoint_above = float(below), float(above)
stored_threshold = float(stored)
assert stored_threshold == midpoint_float64 != midpoint_float32

# some splits end in two leaves predicting the same class (they only made the leaves purer)
_cl, _cr = structure.children_left, structure.children_right
assert any(
    _cl[_n] != -1 and _cl[_cl[_n]] == -1 and _cl[_cr[_n]] == -1
    and structure.value[_cl[_n]].argmax() == structure.value[_cr[_n]].argmax()
    for _n in range(node_count)
)

# Petal length and petal width separate setosa equally well at the root: a tie. The order in
# which features are tried is random, so random_state decides which one the tree learns.
_tie_seed = 4
_other = DecisionTreeClassifier(max_depth=3, min_samples_leaf=5, random_state=_tie_seed).fit(X, y)
tie_seed = _tie_seed
tie_root_feature = str(iris.feature_names[_other.tree_.feature[0]])
tie_root_threshold = round(float(_other.tree_.threshold[0]), 2)
assert tie_root_feature != root_feature
assert _other.score(X, y) == tree.score(X, y)  # same accuracy here, different learned split

# --8<-- [start:text]
print(export_text(tree, feature_names=list(iris.feature_names), class_names=list(iris.target_names)))
# --8<-- [end:text]
