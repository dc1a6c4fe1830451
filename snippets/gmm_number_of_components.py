"""GMM's number of components N: set before training, chosen from data by BIC/AIC, or learned by a
Bayesian mixture that switches unneeded components off."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from scipy.stats import multivariate_normal
from sklearn.datasets import make_blobs
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

# --8<-- [start:data]
true_n = 4
X, _ = make_blobs(n_samples=400, centers=true_n, cluster_std=1.0, random_state=1)
# --8<-- [end:data]
n_samples = X.shape[0]

# --8<-- [start:criteria]
candidates = range(1, 9)
fits = {n: GaussianMixture(n_components=n, random_state=0).fit(X) for n in candidates}
bic = {n: gmm.bic(X) for n, gmm in fits.items()}
aic = {n: gmm.aic(X) for n, gmm in fits.items()}
best_n_bic = min(bic, key=bic.get)
best_n_aic = min(aic, key=aic.get)
# --8<-- [end:criteria]
assert all(gmm.converged_ for gmm in fits.values())
candidates_min, candidates_max = min(candidates), max(candidates)
assert best_n_bic == true_n
# AIC's penalty per parameter (2) is below BIC's (log n_samples), so AIC never picks fewer components;
# on these data it picks more than the truth.
aic_penalty = 2  # per free parameter; BIC charges log(n_samples)
bic_penalty = float(np.log(n_samples))
for _gmm in fits.values():  # the criteria as scikit-learn computes them
    _fit_term, _k = -2 * _gmm.score(X) * n_samples, _gmm._n_parameters()
    assert np.isclose(_gmm.aic(X), _fit_term + aic_penalty * _k)
    assert np.isclose(_gmm.bic(X), _fit_term + bic_penalty * _k)
assert bic_penalty > aic_penalty and best_n_aic > best_n_bic
# What the criteria figure's alt text says: both fall steeply at first; BIC rises after its
# minimum at the true number; AIC stays nearly flat beyond it (within 1%) and has its minimum
# slightly later (one component more).
assert bic[1] - bic[2] > 10 * abs(bic[true_n] - bic[true_n + 1]) and aic[1] - aic[2] > 10 * abs(aic[true_n] - aic[true_n + 1])
assert all(bic[n] < bic[n + 1] for n in range(true_n, candidates[-1]))
_aic_beyond = [aic[n] for n in candidates if n >= true_n]
assert max(_aic_beyond) - min(_aic_beyond) < 0.01 * aic[true_n] and best_n_aic == true_n + 1
best_model = fits[best_n_bic]

# --8<-- [start:bic_plot]
fig, ax = plt.subplots(figsize=(6, 3.2))
ns = list(candidates)
ax.plot(ns, [bic[n] for n in ns], marker="o", label="BIC")
ax.plot(ns, [aic[n] for n in ns], marker="s", label="AIC")
ax.axvline(true_n, color="C2", linestyle=":", linewidth=1.5, label="true number of blobs")
ax.set_xlabel("n_components N")
ax.set_ylabel("criterion (lower is better)")
ax.legend(fontsize="small")
fig.tight_layout()
criteria_figure = fig
# --8<-- [end:bic_plot]

# Predictions are computed from weights_, means_ and covariances_ alone: N is only their length.
# --8<-- [start:predict]
densities = np.column_stack([
    w * multivariate_normal(mean=m, cov=c).pdf(X)
    for w, m, c in zip(best_model.weights_, best_model.means_, best_model.covariances_)
])
by_hand = densities / densities.sum(axis=1, keepdims=True)
# --8<-- [end:predict]
predictions_from_phi = bool(np.allclose(by_hand, best_model.predict_proba(X)))
assert predictions_from_phi

# --8<-- [start:bayesian]
threshold = 0.01
bgmm = BayesianGaussianMixture(n_components=8, max_iter=1000, random_state=0)
params_before = bgmm.get_params()
bgmm.fit(X)
n_active = int((bgmm.weights_ > threshold).sum())
# --8<-- [end:bayesian]
assert bgmm.converged_ and bgmm.get_params() == params_before
bgmm_n_components = bgmm.n_components
assert bgmm.get_params()["n_components"] == bgmm_n_components  # the upper bound stays what you set
assert n_active == true_n
largest_inactive_weight = float(np.sort(bgmm.weights_)[::-1][n_active])
weight_prior = bgmm.weight_concentration_prior_type
# No training point is assigned to a switched-off component.
_active = set(np.flatnonzero(bgmm.weights_ > threshold).tolist())
assert set(bgmm.predict(X).tolist()) <= _active
# What the weights figure's alt text says: the active weights sit far above the threshold (over
# 10x), the others orders of magnitude below it (over 10x too).
assert bgmm.weights_[list(_active)].min() > 10 * threshold > 100 * largest_inactive_weight
bgmm_iterations = bgmm.n_iter_

# --8<-- [start:weights_plot]
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.bar(range(1, bgmm.n_components + 1), bgmm.weights_, label="weights_")
ax.axhline(threshold, color="C1", linestyle="--", linewidth=1.5, label=f"threshold {threshold}")
ax.set_yscale("log")
ax.set_xlabel("component")
ax.set_ylabel("mixture weight (log scale)")
ax.legend(fontsize="small")
fig.tight_layout()
weights_figure = fig
# --8<-- [end:weights_plot]

# The effective number of components is not simply learned: it depends on the prior's type, on
# its strength, and on the threshold chosen after training. Both prior types, default strength
# (1 / n_components) and 1000, counted at two thresholds.
# --8<-- [start:priors]
thresholds = [0.01, 0.001]
prior_runs = {}
for prior_type in ["dirichlet_process", "dirichlet_distribution"]:
    for prior in [None, 1000]:  # None: 1 / n_components
        model = BayesianGaussianMixture(
            n_components=8, weight_concentration_prior_type=prior_type,
            weight_concentration_prior=prior, max_iter=1000, random_state=0,
        ).fit(X)
        assert model.converged_
        prior_runs[prior_type, prior] = [int((model.weights_ > t).sum()) for t in thresholds]
# --8<-- [end:priors]
default_prior = 1 / bgmm_n_components
strong_prior = 1000
active_process_default = prior_runs["dirichlet_process", None]
active_process_strong = prior_runs["dirichlet_process", strong_prior]
active_distribution_default = prior_runs["dirichlet_distribution", None]
active_distribution_strong = prior_runs["dirichlet_distribution", strong_prior]
assert active_process_default[0] == n_active == true_n
assert active_process_strong == [true_n, bgmm_n_components]  # the count depends on the threshold
assert active_distribution_strong == [bgmm_n_components, bgmm_n_components]  # all 8 kept
assert active_distribution_default[0] == true_n
