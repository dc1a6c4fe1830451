"""Dropout: what it does to a layer, and what scikit-learn's MLP, which has none, offers instead."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import sklearn
from sklearn.neural_network import MLPClassifier, MLPRegressor

sklearn_version = sklearn.__version__

# --8<-- [start:none]
assert "dropout" not in MLPClassifier().get_params()
assert "dropout" not in MLPRegressor().get_params()
try:
    MLPRegressor(dropout=0.5)
except TypeError as error:
    message = f"{type(error).__name__}: {error}"
print(message)
# --8<-- [end:none]
assert "unexpected keyword argument 'dropout'" in message

# Thirty noisy points from a sine curve; the curve itself is the truth to score against.
# --8<-- [start:fit]
rng = np.random.default_rng(0)
X = np.sort(rng.uniform(-3, 3, size=(30, 1)), axis=0)
y = np.sin(X).ravel() + rng.normal(scale=0.3, size=30)
X_truth = np.linspace(-3, 3, 200).reshape(-1, 1)
y_truth = np.sin(X_truth).ravel()

alphas = {"weak": 1e-4, "good": 0.1, "strong": 1}
seeds = range(6)


def fit(alpha, seed):
    net = MLPRegressor(hidden_layer_sizes=(50,), solver="lbfgs", alpha=alpha,
                       max_iter=5000, tol=1e-6, random_state=seed)
    return net.fit(X, y)


nets = {name: [fit(alpha, seed) for seed in seeds] for name, alpha in alphas.items()}
# R² on the points each net saw, and against the true curve
train_r2 = {name: [net.score(X, y) for net in fits] for name, fits in nets.items()}
truth_r2 = {name: [net.score(X_truth, y_truth) for net in fits] for name, fits in nets.items()}
# --8<-- [end:fit]

n_samples = len(y)
n_seeds = len(seeds)
hidden_units = nets["good"][0].hidden_layer_sizes[0]
weak_alpha, good_alpha, strong_alpha = alphas.values()
# Penalised enough, every seed ends at nearly the same fit; with almost no penalty, each seed ends
# somewhere else, and so does each CPU's floating-point kernel: the page prints no value for it.
small_spread, large_spread = 0.01, 0.05
for _name in ("good", "strong"):
    assert max(truth_r2[_name]) - min(truth_r2[_name]) < small_spread
    assert max(train_r2[_name]) - min(train_r2[_name]) < small_spread
assert max(truth_r2["weak"]) - min(truth_r2["weak"]) > large_spread
good_train_r2, good_truth_r2 = round(train_r2["good"][0], 2), round(truth_r2["good"][0], 2)
strong_train_r2, strong_truth_r2 = round(train_r2["strong"][0], 2), round(truth_r2["strong"][0], 2)
weak_fits_points_better = sum(w > g for w, g in zip(train_r2["weak"], train_r2["good"]))
weak_fits_truth_worse = sum(w < g for w, g in zip(truth_r2["weak"], truth_r2["good"]))
assert weak_fits_points_better == weak_fits_truth_worse == n_seeds  # it learned part of the noise
assert good_train_r2 > strong_train_r2 and good_truth_r2 > strong_truth_r2  # too much penalty: worse at both

# What dropout would do to this network's hidden layer, in NumPy. Inverted dropout, as deep-learning
# libraries implement it: at each update, zero each unit with probability p and scale the others by
# 1/(1 - p); at prediction, use every unit, unscaled.
# --8<-- [start:mask]
net = nets["good"][0]
hidden = np.maximum(0, X_truth @ net.coefs_[0] + net.intercepts_[0])  # relu, one row per x
output = hidden @ net.coefs_[1] + net.intercepts_[1]  # what predict computes
p = 0.5


def thinned_output(mask_rng):
    keep = mask_rng.random(hidden.shape[1]) >= p  # one mask per update: a thinned network
    return (hidden * keep / (1 - p)) @ net.coefs_[1] + net.intercepts_[1], keep


mask_rng = np.random.default_rng(0)
thinned = [thinned_output(mask_rng) for _ in range(2000)]
# --8<-- [end:mask]

assert np.allclose(output.ravel(), net.predict(X_truth))  # the re-implementation is predict's
dropout_rate = p
n_masks = len(thinned)
kept_share = round(float(np.mean([keep.mean() for _, keep in thinned])), 2)
assert abs(kept_share - (1 - p)) < 0.01
# One thinned network predicts differently from the full one; their average does not.
one_mask_gap = round(float(np.max(np.abs(thinned[0][0] - output))), 1)
mean_gap = float(np.max(np.abs(np.mean([out for out, _ in thinned], axis=0) - output)))
mean_gap_bound = 0.1
assert one_mask_gap > 5 * mean_gap_bound and mean_gap < mean_gap_bound

# A picture of dropout: the same small network at prediction, and in two training updates.
# --8<-- [start:plot]
layers = [3, 6, 6, 1]  # inputs, two hidden layers, output; dropout applies to the hidden layers
draw_rng = np.random.default_rng(2)  # a draw that keeps two to four of six units per layer: a typical one
panels = {"prediction: every unit": [np.ones(n, bool) for n in layers]}
for update in (1, 2):
    panels[f"training update {update}"] = [np.ones(n, bool) if i in (0, len(layers) - 1)
                                            else draw_rng.random(n) >= p for i, n in enumerate(layers)]

fig, axes = plt.subplots(1, 3, figsize=(8, 2.8))
for ax, (title, keep) in zip(axes, panels.items()):
    ys = [np.linspace(0, 1, n + 2)[1:-1] for n in layers]
    for i in range(len(layers) - 1):  # connections between kept units only
        for a in np.flatnonzero(keep[i]):
            for b in np.flatnonzero(keep[i + 1]):
                ax.plot([i, i + 1], [ys[i][a], ys[i + 1][b]], color="gray", linewidth=0.5)
    for i, n in enumerate(layers):
        ax.scatter(np.full(n, i)[keep[i]], ys[i][keep[i]], s=80, color="tab:blue", zorder=3)
        ax.scatter(np.full(n, i)[~keep[i]], ys[i][~keep[i]], s=80, marker="x", color="tab:red", zorder=3)
    ax.set_title(title, fontsize="medium")
    ax.axis("off")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]
_hidden_masks = [masks[1:-1] for masks in list(panels.values())[1:]]
assert all(2 <= m.sum() <= 4 for masks in _hidden_masks for m in masks)  # each drops some, keeps some
assert any(not np.array_equal(a, b) for a, b in zip(*_hidden_masks))  # a different thinned network each update
