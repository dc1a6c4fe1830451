"""A hyperparameter is set before fit and stays as set; the same data with another value learns another model."""

from sklearn.datasets import load_iris
from sklearn.tree import DecisionTreeClassifier

X, y = load_iris(return_X_y=True)

# --8<-- [start:fit]
shallow = DecisionTreeClassifier(max_depth=2, random_state=0).fit(X, y)
deep = DecisionTreeClassifier(max_depth=None, random_state=0).fit(X, y)
# --8<-- [end:fit]

shallow_max_depth = shallow.get_params()["max_depth"]
shallow_depth = shallow.get_depth()
deep_depth = deep.get_depth()
shallow_leaves = shallow.get_n_leaves()
deep_leaves = deep.get_n_leaves()
shallow_accuracy = shallow.score(X, y)
deep_accuracy = deep.score(X, y)

# fit never writes back to a hyperparameter: max_depth=None stays None, whatever depth was grown.
assert deep.get_params()["max_depth"] is None
assert shallow_depth <= shallow_max_depth < deep_depth
