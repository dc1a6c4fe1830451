"""Epoch: one pass over the training samples; what `n_iter_`, `max_iter` and `t_` count, per estimator.

The counters are read from fitted models and checked against each other: an epoch of an MLP is
ceil(n_train / batch_size) weight updates (counted by Adam's private step counter), `t_` counts
samples, and L-BFGS iterations are not epochs.
"""

import math

from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=300, n_features=8, n_informative=4, random_state=0)
X = StandardScaler().fit_transform(X)
n_samples = X.shape[0]

# --8<-- [start:fit]
sgd = SGDClassifier(random_state=0).fit(X, y)  # one update per sample
mlp = MLPClassifier(hidden_layer_sizes=(10,), batch_size=32, learning_rate_init=0.01,
                    max_iter=500, random_state=0).fit(X, y)  # solver="adam": one update per batch
lbfgs = MLPClassifier(hidden_layer_sizes=(10,), solver="lbfgs", max_iter=500, random_state=0).fit(X, y)
logreg = LogisticRegression().fit(X, y)  # solver="lbfgs"
# --8<-- [end:fit]

sgd_epochs = sgd.n_iter_
sgd_t = int(sgd.t_)
sgd_max_iter = sgd.max_iter
assert sgd_t == 1 + sgd_epochs * n_samples  # t_ starts at 1 and counts every sample of every epoch
assert sgd_epochs < sgd_max_iter and mlp.n_iter_ < mlp.max_iter  # both stopped on tol, before the cap

mlp_epochs = mlp.n_iter_
mlp_t = mlp.t_
mlp_batch_size = mlp.batch_size
mlp_updates_per_epoch = math.ceil(n_samples / mlp_batch_size)
mlp_updates = mlp._optimizer.t  # private: Adam's step counter, one per mini-batch
assert mlp_t == mlp_epochs * n_samples  # MLP's t_ counts samples seen, from 0
assert mlp_updates == mlp_epochs * mlp_updates_per_epoch
assert len(mlp.loss_curve_) == mlp_epochs  # one training loss per epoch

lbfgs_iterations = lbfgs.n_iter_
lbfgs_t = lbfgs.t_
lbfgs_has_loss_curve = hasattr(lbfgs, "loss_curve_")
assert lbfgs_t == 0 and not lbfgs_has_loss_curve  # no epochs: every L-BFGS iteration sees all samples

logreg_iterations = int(logreg.n_iter_[0])  # an array: one count per fitted problem
assert logreg.n_iter_.shape == (1,)

# With early stopping, the validation samples are held out of every epoch.
# --8<-- [start:early]
mlp_es = MLPClassifier(hidden_layer_sizes=(10,), batch_size=32, learning_rate_init=0.01,
                       early_stopping=True, max_iter=500, random_state=0).fit(X, y)
sgd_es = SGDClassifier(early_stopping=True, random_state=0).fit(X, y)
# --8<-- [end:early]
n_validation = math.ceil(mlp_es.validation_fraction * n_samples)
n_train = n_samples - n_validation
mlp_es_epochs = mlp_es.n_iter_
mlp_es_t = mlp_es.t_
mlp_es_updates = mlp_es._optimizer.t
assert mlp_es_t == mlp_es_epochs * n_train  # only the training part counts
assert mlp_es_updates == mlp_es_epochs * math.ceil(n_train / mlp_batch_size)
sgd_es_epochs = sgd_es.n_iter_
sgd_es_t = int(sgd_es.t_)
assert sgd_es_t == 1 + sgd_es_epochs * n_samples  # counts the held-out samples too

# partial_fit: exactly one epoch per call; n_iter_ says 1 every time, t_ keeps counting.
# --8<-- [start:partial_fit]
online = MLPClassifier(hidden_layer_sizes=(10,), batch_size=32, learning_rate_init=0.01, random_state=0)
n_iter_after_call, t_after_call = [], []
for _ in range(3):
    online.partial_fit(X, y, classes=[0, 1])
    n_iter_after_call.append(online.n_iter_)
    t_after_call.append(online.t_)
# --8<-- [end:partial_fit]
assert n_iter_after_call == [1, 1, 1]
assert t_after_call == [n_samples, 2 * n_samples, 3 * n_samples]
assert len(online.loss_curve_) == 3
