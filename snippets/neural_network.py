"""MLPClassifier: what you set (layer sizes, optimiser settings) vs what fit learns (weights, biases)."""

from unittest.mock import patch

import numpy as np
import sklearn.neural_network._multilayer_perceptron as _mlp_module
from sklearn.datasets import make_moons
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier

# --8<-- [start:fit]
X, y = make_moons(n_samples=200, noise=0.2, random_state=0)

mlp = MLPClassifier(
    hidden_layer_sizes=(8,),   # one hidden layer of 8 units
    activation="relu",
    solver="adam",
    alpha=1e-4,                # L2 penalty
    learning_rate_init=0.01,
    batch_size=32,
    max_iter=2000,
    random_state=0,
)
params_before = mlp.get_params()
mlp.fit(X, y)
# --8<-- [end:fit]

# --8<-- [start:weights]
coef_shapes = [w.shape for w in mlp.coefs_]          # one matrix per layer transition
intercept_shapes = [b.shape for b in mlp.intercepts_]
n_weights = sum(w.size for w in mlp.coefs_)
n_biases = sum(b.size for b in mlp.intercepts_)
n_learned = n_weights + n_biases
# --8<-- [end:weights]

# Values the page shows
hidden_units = mlp.hidden_layer_sizes[0]
n_features = X.shape[1]
n_samples = X.shape[0]
learning_rate_init = mlp.learning_rate_init
batch_size = mlp.batch_size
n_layers = mlp.n_layers_
n_outputs = mlp.n_outputs_
coef_shapes_text = ", ".join(f"({a}, {b})" for a, b in coef_shapes)
intercept_shapes_text = ", ".join(f"({a},)" for (a,) in intercept_shapes)
n_iter = mlp.n_iter_
final_loss = mlp.loss_curve_[-1]
loss_curve_length = len(mlp.loss_curve_)
train_accuracy = mlp.score(X, y)

# Claims the page makes
# 1. fit does not touch the hyperparameters.
assert mlp.get_params() == params_before
# 2. Weight matrices are (inputs, outputs) of each layer; binary output has a single logistic unit.
assert coef_shapes == [(n_features, hidden_units), (hidden_units, 1)]
assert n_outputs == 1 and n_layers == 3
assert n_learned == n_features * hidden_units + hidden_units + hidden_units * 1 + 1
# 3. Deep-learning knobs the thread lists that MLPClassifier does not expose as arguments.
# --8<-- [start:not_exposed]
params = mlp.get_params()
assert "dropout" not in params
assert not any("clip" in name for name in params)              # no gradient clipping
assert not any("init" in name for name in params if name != "learning_rate_init")  # no init scheme
# --8<-- [end:not_exposed]
not_exposed = ["dropout", "gradient clipping", "weight-initialisation scheme"]
# 4. Training history: one loss per epoch, as many epochs as n_iter_; it converged before max_iter.
assert loss_curve_length == n_iter < mlp.max_iter
# 5. A different seed gives different learned weights from the same hyperparameters.
_other = MLPClassifier(**{**params_before, "random_state": 1}).fit(X, y)
seed_changes_weights = not all(
    w.shape == v.shape and (abs(w - v) < 1e-12).all() for w, v in zip(mlp.coefs_, _other.coefs_)
)
assert seed_changes_weights
# 6. With no hidden layer the network is one weight per feature, a bias and a logistic output:
#    the structure of a logistic regression.
_flat = MLPClassifier(hidden_layer_sizes=(), max_iter=2000, random_state=0).fit(X, y)
assert [w.shape for w in _flat.coefs_] == [(n_features, 1)] and _flat.out_activation_ == "logistic"

# 7. Prediction reads more than the weights: the output activation and the class labels.
# --8<-- [start:by_hand]
hidden = np.maximum(0, X @ mlp.coefs_[0] + mlp.intercepts_[0])        # activation="relu"
output = 1 / (1 + np.exp(-(hidden @ mlp.coefs_[1] + mlp.intercepts_[1])))  # out_activation_
by_hand = mlp.classes_[(output.ravel() > 0.5).astype(int)]           # back to the labels in classes_
# --8<-- [end:by_hand]
out_activation = mlp.out_activation_
classes = mlp.classes_.tolist()
assert out_activation == "logistic"
predict_by_hand = bool(np.array_equal(by_hand, mlp.predict(X)))
assert predict_by_hand

# 8. With early_stopping=True, random_state also draws the validation split: one generator,
#    seeded once, first draws the initial weights (coefs_ then intercepts_, layer by layer), then
#    splits off validation_fraction of the data. Replaying those draws gives the split fit used,
#    which we record by wrapping the train_test_split that scikit-learn's MLP module calls.
_splits = []


def _recording_split(*arrays, **options):
    parts = train_test_split(*arrays, **options)
    _splits.append(parts[1])  # the validation X
    return parts


with patch.object(_mlp_module, "train_test_split", _recording_split):
    _early = MLPClassifier(**{**params_before, "early_stopping": True}).fit(X, y)
_rng = np.random.RandomState(params_before["random_state"])
for _fan_in, _fan_out in [(n_features, hidden_units), (hidden_units, 1)]:
    _rng.uniform(size=(_fan_in, _fan_out))
    _rng.uniform(size=_fan_out)
_, _X_val, _, _y_val = train_test_split(
    X, y, random_state=_rng, test_size=_early.validation_fraction, stratify=y
)
seed_draws_validation_split = len(_splits) == 1 and bool(np.array_equal(_splits[0], _X_val))
assert seed_draws_validation_split
validation_fraction = _early.validation_fraction
