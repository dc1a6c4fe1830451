"""A learned parameter is what fit computes from the data: same settings, different data, different values."""

import numpy as np
from sklearn.linear_model import LinearRegression
from sklearn.svm import SVC

rng = np.random.default_rng(0)
X = rng.normal(size=(100, 2))
y = 3.0 * X[:, 0] - 2.0 * X[:, 1] + 0.5 + rng.normal(scale=0.1, size=100)

# --8<-- [start:fit]
model = LinearRegression().fit(X, y)
coef = model.coef_            # learned: one weight per feature
intercept = model.intercept_  # learned: the bias
# --8<-- [end:fit]

# Half the data, same settings: other learned values.
half = LinearRegression().fit(X[:50], y[:50])
half_coef = half.coef_
assert model.get_params() == half.get_params()
assert not np.allclose(model.coef_, half.coef_)

# The prediction is computed from the learned parameters alone.
# --8<-- [start:predict]
by_hand = X @ model.coef_ + model.intercept_
assert np.allclose(by_hand, model.predict(X))
# --8<-- [end:predict]
n_learned = model.coef_.size + 1

# Not everything fit sets ends in "_": SVC keeps what gamma="scale" resolved to in the private
# _gamma, and prediction reads it.
labels = (y > np.median(y)).astype(int)
# --8<-- [start:private]
svc = SVC(gamma="scale").fit(X, labels)
set_by_fit = sorted(set(vars(svc)) - set(vars(SVC(gamma="scale"))))
before = svc.decision_function(X)
svc._gamma = 2 * svc._gamma  # change only the private value fit computed
after = svc.decision_function(X)
# --8<-- [end:private]
private_set_by_fit = [name for name in set_by_fit if name.startswith("_")]
private_gamma_change = float(np.max(np.abs(after - before)))
assert "_gamma" in private_set_by_fit and "_gamma" not in svc.get_params()
assert private_gamma_change > 0.01  # prediction read the private value
n_private_set_by_fit = len(private_set_by_fit)
private_names = ", ".join(private_set_by_fit)
