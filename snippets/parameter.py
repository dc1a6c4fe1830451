"""A learned parameter is what fit computes from the data: same settings, different data, different values."""

import numpy as np
from sklearn.linear_model import LinearRegression

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
