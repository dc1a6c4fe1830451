"""Early stopping: what stops (the epochs), when (the rule, replayed), and which weights are kept.

The stopping rule of each estimator is replayed on its own per-epoch scores and must stop where
`fit` stopped. Which weights a model keeps is checked by refitting with the same seed for a fixed
number of epochs: the same seed gives the same split and the same shuffles, so the weights after
epoch k of both runs are identical.
"""

import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import StratifiedShuffleSplit, train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=600, n_features=20, n_informative=5, flip_y=0.15, random_state=1)
X = StandardScaler().fit_transform(X)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=200, random_state=0, stratify=y)
n_train = X_train.shape[0]
n_test = X_test.shape[0]

# --8<-- [start:fit]
settings = dict(hidden_layer_sizes=(50,), learning_rate_init=0.01, max_iter=500, random_state=0)
stopped = MLPClassifier(early_stopping=True, **settings).fit(X_train, y_train)
unstopped = MLPClassifier(early_stopping=False, **settings).fit(X_train, y_train)  # the default
# --8<-- [end:fit]

tol = stopped.tol
n_iter_no_change = stopped.n_iter_no_change
validation_fraction = stopped.validation_fraction
max_iter = stopped.max_iter
stopped_epochs = stopped.n_iter_
unstopped_epochs = unstopped.n_iter_
validation_scores = np.array(stopped.validation_scores_)
best_epoch = int(np.argmax(validation_scores)) + 1  # the first epoch with the highest score
best_validation_score = stopped.best_validation_score_
last_validation_score = float(validation_scores[-1])
assert best_validation_score == validation_scores.max() > last_validation_score
assert stopped_epochs < unstopped_epochs < max_iter  # early_stopping=False stops too, on the training loss


def mlp_stop_epoch(scores, tol, n_iter_no_change):
    """MLP's rule: count epochs whose score is not above the best so far + tol; stop when count > n."""
    best, count = -np.inf, 0
    for epoch, score in enumerate(scores, start=1):
        count = count + 1 if score < best + tol else 0
        best = max(best, score)
        if count > n_iter_no_change:
            return epoch
    return None


assert mlp_stop_epoch(validation_scores, tol, n_iter_no_change) == stopped_epochs
# Without a validation split, the same rule runs on the (negated) training loss.
assert mlp_stop_epoch(-np.array(unstopped.loss_curve_), tol, n_iter_no_change) == unstopped_epochs
# The last epoch that raised the best score by tol or more; then n_iter_no_change + 1 epochs without.
_running_best = np.maximum.accumulate(np.r_[-np.inf, validation_scores])
last_improving_epoch = int(np.flatnonzero(validation_scores >= _running_best[:-1] + tol)[-1]) + 1
epochs_without_improvement = stopped_epochs - last_improving_epoch
assert epochs_without_improvement == n_iter_no_change + 1  # the docstring says n_iter_no_change

# Which weights does the stopped MLP keep? Train the same model for exactly best_epoch epochs
# (patience never runs out, so it hits max_iter and warns: recorded, not raised).
# --8<-- [start:kept]
with warnings.catch_warnings(record=True) as _caught:
    warnings.simplefilter("always", ConvergenceWarning)
    at_best_epoch = MLPClassifier(early_stopping=True, **{**settings, "max_iter": best_epoch},
                                  n_iter_no_change=max_iter).fit(X_train, y_train)
keeps_best_epoch = all(np.array_equal(a, b) for a, b in zip(stopped.coefs_, at_best_epoch.coefs_))
# --8<-- [end:kept]
assert keeps_best_epoch and len(_caught) == 1
stopped_validation_n = round(validation_fraction * n_train)
assert stopped.t_ == stopped_epochs * (n_train - stopped_validation_n)  # the validation part is never trained on

stopped_test_accuracy = stopped.score(X_test, y_test)
unstopped_test_accuracy = unstopped.score(X_test, y_test)
stopped_train_accuracy = stopped.score(X_train, y_train)
unstopped_train_accuracy = unstopped.score(X_train, y_train)
unstopped_final_loss = float(unstopped.loss_curve_[-1])
stopped_final_loss = float(stopped.loss_curve_[-1])
assert unstopped_train_accuracy > stopped_train_accuracy and unstopped_test_accuracy < stopped_test_accuracy

# SGDClassifier: its own rule, and it keeps the weights of the last epoch.
# --8<-- [start:sgd]
sgd = SGDClassifier(early_stopping=True, random_state=0).fit(X_train, y_train)
# --8<-- [end:sgd]
sgd_epochs = sgd.n_iter_
sgd_validation_fraction = sgd.validation_fraction
sgd_tol = sgd.tol
sgd_n_iter_no_change = sgd.n_iter_no_change
# SGD keeps no per-epoch scores: rebuild them with fits of 1, 2, ... epochs on the same split.
# tol=None switches the stopping rule off (and, with it, the ConvergenceWarning).
_val = next(StratifiedShuffleSplit(test_size=sgd.validation_fraction, random_state=0).split(X_train, y_train))[1]
_by_epoch = [
    SGDClassifier(early_stopping=True, tol=None, max_iter=k, random_state=0).fit(X_train, y_train)
    for k in range(1, sgd_epochs + 1)
]
sgd_validation_scores = [model.score(X_train[_val], y_train[_val]) for model in _by_epoch]


def sgd_stop_epoch(scores, tol, n_iter_no_change):
    """SGD's rule (_sgd_fast.pyx.tp): the same count, but stop when count >= n."""
    best, count = -np.inf, 0
    for epoch, score in enumerate(scores, start=1):
        count = count + 1 if score < best + tol else 0
        best = max(best, score)
        if count >= n_iter_no_change:
            return epoch
    return None


assert sgd_stop_epoch(sgd_validation_scores, sgd.tol, sgd_n_iter_no_change) == sgd_epochs
sgd_best_epoch = int(np.argmax(sgd_validation_scores)) + 1
sgd_best_score = max(sgd_validation_scores)
sgd_last_score = sgd_validation_scores[-1]
sgd_keeps_last_epoch = np.array_equal(sgd.coef_, _by_epoch[-1].coef_)
assert sgd_keeps_last_epoch and sgd_best_epoch < sgd_epochs and sgd_last_score < sgd_best_score
assert sgd.score(X_train[_val], y_train[_val]) == sgd_last_score  # not the best one

# --8<-- [start:plot]
fig, (loss_ax, score_ax) = plt.subplots(1, 2, figsize=(7, 3.2))
loss_ax.plot(np.arange(1, unstopped_epochs + 1), unstopped.loss_curve_, label="early_stopping=False")
loss_ax.plot(np.arange(1, stopped_epochs + 1), stopped.loss_curve_, label="early_stopping=True")
loss_ax.set_yscale("log")
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("training log loss")
loss_ax.legend(fontsize="small")
epochs = np.arange(1, stopped_epochs + 1)
score_ax.plot(epochs, validation_scores, color="C1", marker=".")
score_ax.axvline(best_epoch, color="C2", linestyle="--", label="best epoch: weights kept")
score_ax.axvline(stopped_epochs, color="C3", linestyle=":", label="stopped")
score_ax.set_xlabel("epoch")
score_ax.set_ylabel("validation accuracy")
score_ax.legend(fontsize="small", loc="lower right")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]
