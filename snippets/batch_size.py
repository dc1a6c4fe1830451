"""Batch size: how many samples each gradient step averages; more steps per epoch when it is smaller.

Plain mini-batch SGD (no momentum) on an MLP, the same learning rate and number of epochs for three
batch sizes, trained with `partial_fit` (one epoch per call, no stopping rule). Then what
`batch_size="auto"` means, and that L-BFGS ignores it.
"""

import math
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.cluster import MiniBatchKMeans
from sklearn.datasets import make_classification
from sklearn.decomposition import LatentDirichletAllocation
from sklearn.linear_model import SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=400, n_features=10, n_informative=5, random_state=0)
X = StandardScaler().fit_transform(X)
n_samples = X.shape[0]

# --8<-- [start:fit]
batch_sizes = [10, 50, 400]  # 400 = the whole training set: full-batch gradient descent
n_epochs = 30
curves, samples_seen = {}, {}
for batch_size in batch_sizes:
    mlp = MLPClassifier(hidden_layer_sizes=(20,), solver="sgd", momentum=0.0,
                        learning_rate_init=0.1, batch_size=batch_size, random_state=0)
    for _ in range(n_epochs):
        mlp.partial_fit(X, y, classes=[0, 1])
    curves[batch_size] = np.array(mlp.loss_curve_)  # training loss after each epoch
    samples_seen[batch_size] = mlp.t_
# --8<-- [end:fit]

small, medium, full = batch_sizes
assert full == n_samples
updates_per_epoch = {b: math.ceil(n_samples / b) for b in batch_sizes}
small_updates_per_epoch = updates_per_epoch[small]
medium_updates_per_epoch = updates_per_epoch[medium]
full_updates_per_epoch = updates_per_epoch[full]
small_total_updates = n_epochs * small_updates_per_epoch
full_total_updates = n_epochs * full_updates_per_epoch
medium_total_updates = n_epochs * medium_updates_per_epoch
small_final_loss = float(curves[small][-1])
medium_final_loss = float(curves[medium][-1])
full_final_loss = float(curves[full][-1])
samples_per_fit = samples_seen[full]
# Per epoch, smaller batches get further: more steps for the same samples.
assert len(set(samples_seen.values())) == 1 and samples_per_fit == n_epochs * n_samples
assert small_final_loss < medium_final_loss < full_final_loss
assert np.all(curves[small] < curves[medium]) and np.all(curves[medium] < curves[full])  # every epoch
# Per update, larger batches get further: each step follows a better gradient estimate.
medium_epochs_for_full_budget = math.ceil(full_total_updates / medium_updates_per_epoch)
medium_updates_for_full_budget = medium_epochs_for_full_budget * medium_updates_per_epoch
medium_loss_at_full_budget = float(curves[medium][medium_epochs_for_full_budget - 1])
small_first_epoch_loss = float(curves[small][0])
assert medium_updates_for_full_budget >= full_total_updates and full_final_loss < medium_loss_at_full_budget
assert small_updates_per_epoch >= full_total_updates and full_final_loss < small_first_epoch_loss

# --8<-- [start:plot]
fig, (by_epoch, by_update) = plt.subplots(1, 2, figsize=(7, 3.2), sharey=True)
for batch_size in batch_sizes:
    epochs = np.arange(1, n_epochs + 1)
    label = f"batch_size = {batch_size}"
    by_epoch.plot(epochs, curves[batch_size], label=label)
    by_update.plot(epochs * updates_per_epoch[batch_size], curves[batch_size], label=label)
by_epoch.set_xlabel("epoch")
by_update.set_xlabel("weight updates (log scale)")
by_update.set_xscale("log")
by_epoch.set_ylabel("training log loss")
by_epoch.legend(fontsize="small")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]

# "auto" = min(200, n_samples): two updates per epoch here (Adam counts its steps, privately).
# --8<-- [start:auto]
auto = MLPClassifier(hidden_layer_sizes=(20,), random_state=0)  # batch_size="auto", solver="adam"
auto.partial_fit(X, y, classes=[0, 1])
auto_updates_in_one_epoch = auto._optimizer.t
# --8<-- [end:auto]
auto_batch_size = min(200, n_samples)
assert auto.batch_size == "auto" and auto_updates_in_one_epoch == math.ceil(n_samples / auto_batch_size)

# Larger than the training set: a warning, then clipped to the whole set.
with warnings.catch_warnings(record=True) as _caught:
    warnings.simplefilter("always")  # recorded, neither raised nor hidden
    oversized = MLPClassifier(hidden_layer_sizes=(20,), batch_size=1000, random_state=0)
    oversized.partial_fit(X, y, classes=[0, 1])
oversized_batch_size = oversized.batch_size
oversized_warning = str(_caught[0].message)
assert len(_caught) == 1 and "clipped" in oversized_warning and oversized._optimizer.t == 1

# L-BFGS always uses every sample: batch_size changes nothing.
# --8<-- [start:lbfgs]
lbfgs_10 = MLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs", batch_size=10, max_iter=2000, random_state=0).fit(X, y)
lbfgs_400 = MLPClassifier(hidden_layer_sizes=(5,), solver="lbfgs", batch_size=400, max_iter=2000, random_state=0).fit(X, y)
lbfgs_ignores_batch_size = all(np.array_equal(a, b) for a, b in zip(lbfgs_10.coefs_, lbfgs_400.coefs_))
# --8<-- [end:lbfgs]
assert lbfgs_ignores_batch_size

# Other estimators that take a batch_size, and their defaults.
minibatch_kmeans_batch_size = MiniBatchKMeans().batch_size
lda_batch_size = LatentDirichletAllocation().batch_size
assert "batch_size" not in SGDClassifier().get_params()  # one sample per update, always
