"""MLPClassifier: what you set (layer sizes, optimiser settings) vs what fit learns (weights, biases)."""

from sklearn.datasets import make_moons
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
