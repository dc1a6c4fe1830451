"""warm_start: where a repeated fit starts. Same optimum for a converged convex fit; a new result otherwise.

Three cases: a single fit (warm_start changes nothing), a Lasso path whose fits are convex and run to
convergence (same coefficients to within the tolerance, fewer iterations), and an MLP refitted
after it stopped on tol (non-convex, not at an optimum: the refit moves the weights).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.base import clone
from sklearn.datasets import load_diabetes, make_moons
from sklearn.linear_model import Lasso
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

X, y = load_diabetes(return_X_y=True)
X = StandardScaler().fit_transform(X)
n_samples = X.shape[0]


def lasso_objective(model):
    """What Lasso minimises: (1 / 2n) ||y - Xw - b||² + alpha ||w||₁."""
    residual = y - model.predict(X)
    return residual @ residual / (2 * n_samples) + model.alpha * np.abs(model.coef_).sum()


# A single fit: warm_start has nothing to start from, so it changes nothing.
single_fit_identical = np.array_equal(Lasso(alpha=1.0, warm_start=True).fit(X, y).coef_, Lasso(alpha=1.0).fit(X, y).coef_)
assert single_fit_identical

# --8<-- [start:path]
alphas = np.logspace(1, -2, 12)  # from strong to weak regularisation
warm = Lasso(warm_start=True)
warm_iterations, cold_iterations, coef_gaps, objective_gaps = [], [], [], []
for alpha in alphas:
    warm.set_params(alpha=alpha).fit(X, y)  # starts from the previous alpha's coef_
    cold = Lasso(alpha=alpha).fit(X, y)  # starts from zeros
    warm_iterations.append(warm.n_iter_)
    cold_iterations.append(cold.n_iter_)
    coef_gaps.append(np.max(np.abs(warm.coef_ - cold.coef_)))
    objective_gaps.append(abs(lasso_objective(warm) - lasso_objective(cold)))
# --8<-- [end:path]

n_alphas = len(alphas)
warm_total_iterations = int(sum(warm_iterations))
cold_total_iterations = int(sum(cold_iterations))
largest_coef_gap = float(max(coef_gaps))
largest_coef = float(np.abs(cold.coef_).max())
# Both fits stop when the duality gap is below tol * ||y - mean(y)||² (on the objective times n), so
# both objectives are within tol * ||y - mean(y)||² / n of the optimum, and so of each other.
_y_centred = y - y.mean()
objective_tolerance = warm.tol * (_y_centred @ _y_centred) / n_samples
largest_objective_gap = float(max(objective_gaps))
assert largest_objective_gap <= objective_tolerance
assert largest_coef_gap < 0.01 < largest_coef  # the same coefficients, to a few thousandths
assert max(cold_iterations) < warm.max_iter  # every fit met tol (a ConvergenceWarning would fail too)
assert warm_total_iterations < cold_total_iterations
assert all(w <= c for w, c in zip(warm_iterations, cold_iterations))

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(alphas, cold_iterations, marker="o", label="cold: each fit starts from zeros")
ax.plot(alphas, warm_iterations, marker="s", label="warm_start=True: from the previous alpha")
ax.set_xscale("log")
ax.invert_xaxis()  # the path runs from large alpha to small
ax.set_xlabel("alpha (fitted in this order, left to right)")
ax.set_ylabel("iterations (n_iter_)")
ax.legend(fontsize="small")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]

# A search clones the estimator for every candidate: the clone has nothing to start from.
clone_has_coef = hasattr(clone(warm), "coef_")
assert not clone_has_coef

# Non-convex, stopped on tol rather than at an optimum: a second fit continues from the first.
Xm, ym = make_moons(n_samples=300, noise=0.3, random_state=0)
X_new, _ = make_moons(n_samples=1000, noise=0.3, random_state=1)  # points to compare predictions on
# --8<-- [start:mlp]
settings = dict(hidden_layer_sizes=(20,), learning_rate_init=0.01, max_iter=1000, random_state=0)
mlp = MLPClassifier(warm_start=True, **settings).fit(Xm, ym)
first_weights, first_predictions = [w.copy() for w in mlp.coefs_], mlp.predict(X_new)
first_epochs = mlp.n_iter_
mlp.fit(Xm, ym)  # the same data again: starts from first_weights
second_epochs = mlp.n_iter_
cold_refit = MLPClassifier(**settings).fit(Xm, ym)  # warm_start=False: from a fresh, seeded start
# --8<-- [end:mlp]
cold_refit_identical = all(np.array_equal(a, b) for a, b in zip(cold_refit.coefs_, first_weights))
warm_weight_change = float(max(np.abs(a - b).max() for a, b in zip(mlp.coefs_, first_weights)))
n_new = X_new.shape[0]
changed_predictions = int((mlp.predict(X_new) != first_predictions).sum())
loss_curve_length = len(mlp.loss_curve_)
assert cold_refit_identical  # a cold refit with the same seed repeats the first fit exactly
assert warm_weight_change > 0.01 and changed_predictions > 0
# The stopping count is not reset by a warm fit: it was already past n_iter_no_change, so the
# first epoch that does not improve by tol stops the second fit.
assert second_epochs == 1 and mlp._no_improvement_count > mlp.n_iter_no_change  # private: the count
assert loss_curve_length == first_epochs + second_epochs  # the history carries on too
assert mlp.t_ == (first_epochs + second_epochs) * Xm.shape[0]
