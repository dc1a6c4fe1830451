"""Learning rate: one step size per update; too small crawls, too large diverges; fit never changes it.

Plain mini-batch SGD (no momentum) on an MLP, so that `learning_rate_init` is literally the step,
trained for a fixed number of epochs with `partial_fit` (one epoch per call: no stopping rule, so
every rate gets the same budget). Then the three meanings of the name `learning_rate` in
scikit-learn, and gradient boosting's, which is a shrinkage factor, not a step size.
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import sklearn
from sklearn.datasets import load_diabetes, make_classification
from sklearn.ensemble import GradientBoostingRegressor, HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

sklearn_version = sklearn.__version__

# --8<-- [start:fit]
X, y = make_classification(n_samples=400, n_features=10, n_informative=5, random_state=0)
X = StandardScaler().fit_transform(X)

rates = [0.001, 0.03, 1.0, 10.0]
n_epochs = 40
curves, params_unchanged = {}, True
for rate in rates:
    mlp = MLPClassifier(hidden_layer_sizes=(20,), solver="sgd", momentum=0.0,  # plain SGD: step = rate × gradient
                        learning_rate_init=rate, batch_size=40, random_state=0)
    before = mlp.get_params()
    for _ in range(n_epochs):
        mlp.partial_fit(X, y, classes=[0, 1])  # one pass over the data per call
    params_unchanged &= mlp.get_params() == before
    curves[rate] = np.array(mlp.loss_curve_)  # training loss after each epoch
# --8<-- [end:fit]

assert params_unchanged  # fit never rewrites learning_rate_init
assert all(len(curve) == n_epochs for curve in curves.values())
tiny, good, large, too_large = rates
first_loss = {rate: float(curve[0]) for rate, curve in curves.items()}
final_loss = {rate: float(curve[-1]) for rate, curve in curves.items()}
tiny_final_loss = final_loss[tiny]
tiny_first_loss = first_loss[tiny]
good_first_loss = first_loss[good]
good_final_loss = final_loss[good]
large_first_loss = first_loss[large]
large_final_loss = final_loss[large]
too_large_first_loss = first_loss[too_large]
too_large_final_loss = final_loss[too_large]
too_large_peak_loss = float(curves[too_large].max())
# Claims the page makes: too small barely moves, larger is faster, much too large diverges.
assert tiny_first_loss - tiny_final_loss < 0.1
assert large_final_loss < good_final_loss < tiny_final_loss
assert too_large_peak_loss > 10 * too_large_first_loss > 10 * large_first_loss  # overshoots, then
assert too_large_final_loss > too_large_first_loss  # never gets back to where it started
assert all(np.all(np.isfinite(curve)) for curve in curves.values())  # log loss is clipped: no overflow
assert np.all(np.diff(curves[good]) < 0)  # falls at every epoch
assert too_large_final_loss > max(final_loss[r] for r in (tiny, good, large))  # ends above all others

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(6, 3.2))
for rate in rates:
    ax.plot(np.arange(1, n_epochs + 1), curves[rate], label=f"learning_rate_init = {rate:g}")
ax.set_yscale("log")
ax.set_xlabel("epoch")
ax.set_ylabel("training log loss")
ax.legend(fontsize="small")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]

# The same word, three meanings: a schedule name (SGD, MLP), a float step (MLP's _init, SGD's eta0),
# and gradient boosting's shrinkage.
# --8<-- [start:names]
sgd_schedule = SGDClassifier().learning_rate  # a schedule's name
sgd_eta0 = SGDClassifier().eta0  # its step size
mlp_schedule = MLPClassifier().learning_rate  # a schedule's name (solver="sgd" only)
mlp_learning_rate_init = MLPClassifier().learning_rate_init  # its step size (sgd and adam)
boosting_learning_rate = HistGradientBoostingClassifier().learning_rate  # a shrinkage factor
# --8<-- [end:names]
assert isinstance(sgd_schedule, str) and isinstance(mlp_schedule, str)
assert isinstance(boosting_learning_rate, float)

# SGD's default schedule ignores eta0; the MLP's schedule is ignored by its default solver, Adam.
eta0_small, eta0_large = 0.01, 1.0
_sgd_eta0_small = SGDClassifier(eta0=eta0_small, random_state=0).fit(X, y)
_sgd_eta0_large = SGDClassifier(eta0=eta0_large, random_state=0).fit(X, y)
optimal_ignores_eta0 = np.array_equal(_sgd_eta0_small.coef_, _sgd_eta0_large.coef_)
assert optimal_ignores_eta0
_adam = {
    schedule: MLPClassifier(hidden_layer_sizes=(5,), learning_rate=schedule, random_state=0).partial_fit(X, y, classes=[0, 1])
    for schedule in ["constant", "invscaling"]
}
adam_ignores_schedule = all(np.array_equal(a, b) for a, b in zip(_adam["constant"].coefs_, _adam["invscaling"].coefs_))
assert adam_ignores_schedule

# Gradient boosting: learning_rate multiplies each tree's contribution to the prediction.
# --8<-- [start:boosting]
Xd, yd = load_diabetes(return_X_y=True)
gbr = GradientBoostingRegressor(n_estimators=50, max_depth=2, learning_rate=0.1, random_state=0).fit(Xd, yd)
by_hand = gbr.init_.predict(Xd) + gbr.learning_rate * sum(tree[0].predict(Xd) for tree in gbr.estimators_)
shrinkage_matches = bool(np.allclose(by_hand, gbr.predict(Xd)))
# --8<-- [end:boosting]
assert shrinkage_matches
gbr_learning_rate = gbr.learning_rate
gbr_n_trees = len(gbr.estimators_)
assert GradientBoostingRegressor().learning_rate == boosting_learning_rate  # same default in both families

# Half the learning rate: the same number of trees fits less; how many trees does it take to catch up?
# --8<-- [start:halved]
halved = GradientBoostingRegressor(n_estimators=200, max_depth=2, learning_rate=0.05, random_state=0).fit(Xd, yd)
# --8<-- [end:halved]
halved_learning_rate = halved.learning_rate
gbr_train_loss = float(gbr.train_score_[-1])  # training loss (squared error) after the last tree
halved_train_loss_same_trees = float(halved.train_score_[gbr_n_trees - 1])
halved_trees_to_catch_up = int(np.argmax(halved.train_score_ <= gbr_train_loss)) + 1
assert halved_train_loss_same_trees > gbr_train_loss
assert gbr_n_trees < halved_trees_to_catch_up < halved.n_estimators_  # it does catch up, with more trees

# The fitted boosting models are not values the page shows (their captured tables hold per-run
# details that change with the hash seed); only the numbers above are.
del gbr, halved
