# %% [markdown]
# # Choosing the number of components of a Gaussian mixture
#
# **The number of components $N$ of a Gaussian mixture can be set by hand, chosen from the data by
# an information criterion such as BIC or AIC, or left to a Bayesian mixture that switches unneeded
# components off; this notebook does all three on data whose answer is known, then lets you change
# the data.**
#
# It is the worked example of the glossary page
# [GMM: the number of components](../../edge-cases/gmm-number-of-components/). Download the
# notebook (button at the top of the page), change `true_n` or `cluster_std` below, and run it again.

# %%
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_blobs
from sklearn.mixture import BayesianGaussianMixture, GaussianMixture

true_n = 4  # try 2, 3, 6 ...
cluster_std = 1.0  # try 2.0: overlapping blobs are harder to count
X, labels = make_blobs(n_samples=400, centers=true_n, cluster_std=cluster_std, random_state=1)

# alt: Scatter plot of the generated points, coloured by the blob each came from: compact, well-separated clusters.
fig, ax = plt.subplots(figsize=(4.5, 4))
ax.scatter(X[:, 0], X[:, 1], c=labels, s=8, cmap="tab10")
ax.set_title(f"{len(X)} points from {true_n} blobs")
ax.set_aspect("equal")

# %% [markdown]
# ## BIC and AIC over N
#
# Fit one `GaussianMixture` per candidate $N$ and score each fit. Both criteria are
# $-2 \log L$ plus a penalty per free parameter: 2 for AIC, $\ln n$ for BIC. Lower is better.

# %%
candidates = range(1, 9)
fits = {n: GaussianMixture(n_components=n, random_state=0).fit(X) for n in candidates}
bic = {n: fit.bic(X) for n, fit in fits.items()}
aic = {n: fit.aic(X) for n, fit in fits.items()}
best_n_bic = min(bic, key=bic.get)
best_n_aic = min(aic, key=aic.get)

# alt: BIC and AIC against the number of components N: both fall steeply at first; BIC is lowest at the true
#      number of blobs (the dotted line) and rises after it, while AIC flattens out and reaches its lowest just past it.
fig, ax = plt.subplots(figsize=(7, 3.5))
# Plotted to a tenth: a fit's last digits differ from one CPU to another, and the figure must not.
ax.plot(list(candidates), [round(value, 1) for value in bic.values()], marker="o", label="BIC")
ax.plot(list(candidates), [round(value, 1) for value in aic.values()], marker="s", label="AIC")
ax.axvline(true_n, color="grey", linestyle=":", label="true number of blobs")
ax.set_xlabel("n_components N")
ax.set_ylabel("criterion (lower is better)")
ax.legend()
print(f"BIC picks N = {best_n_bic}, AIC picks N = {best_n_aic}")

# %%
assert best_n_bic == true_n  # for the data as given; change the data and this may no longer hold
assert best_n_aic >= best_n_bic  # AIC's penalty is smaller than BIC's here (2 < ln 400)

# %% [markdown]
# ## A Bayesian mixture switches components off
#
# `BayesianGaussianMixture` takes `n_components` as an upper bound. Its Dirichlet-process prior on
# the weights lets training push the weights of components the data do not need towards zero.

# %%
bgmm = BayesianGaussianMixture(n_components=8, max_iter=1000, random_state=0).fit(X)
threshold = 0.01
n_active = int((bgmm.weights_ > threshold).sum())

# alt: Bar chart of the Bayesian mixture's component weights on a log scale: a few components sit well above the
#      dashed threshold line, the others fall orders of magnitude below it.
fig, ax = plt.subplots(figsize=(7, 3.2))
ax.bar(range(1, 9), bgmm.weights_)
ax.axhline(threshold, color="C1", linestyle="--", label=f"threshold {threshold}")
ax.set_yscale("log")
ax.set_xlabel("component")
ax.set_ylabel("weight (log scale)")
ax.legend()
print(f"{n_active} of {bgmm.n_components} components have a weight above {threshold}")

# %%
assert n_active == true_n
assert bgmm.get_params()["n_components"] == 8  # what you set has not changed

# %% [markdown]
# ## Go further: blobs that overlap
#
# The criteria count what the data can support, not how the data were made. Spread the same four
# blobs wider, so that they overlap, and ask each method again. Try other spreads, another
# `true_n`, or another `threshold`.

# %%
spreads = [0.5, 1.0, 1.5, 2.0, 2.5, 3.0]
choices = {"BIC": [], "AIC": [], "Bayesian": []}
for spread in spreads:
    X_spread, _ = make_blobs(n_samples=400, centers=true_n, cluster_std=spread, random_state=1)
    spread_fits = [GaussianMixture(n_components=n, random_state=0).fit(X_spread) for n in candidates]
    choices["BIC"].append(candidates[int(np.argmin([fit.bic(X_spread) for fit in spread_fits]))])
    choices["AIC"].append(candidates[int(np.argmin([fit.aic(X_spread) for fit in spread_fits]))])
    model = BayesianGaussianMixture(n_components=8, max_iter=1000, random_state=0).fit(X_spread)
    choices["Bayesian"].append(int((model.weights_ > threshold).sum()))

# alt: The number of components BIC, AIC and the Bayesian mixture choose as the blobs spread wider: well separated,
#      BIC and the Bayesian mixture find the true number (the dotted line) and AIC picks more; as the blobs overlap,
#      all three choose fewer.
fig, ax = plt.subplots(figsize=(7, 3.5))
for (method, chosen), marker in zip(choices.items(), "osD"):
    ax.plot(spreads, chosen, marker=marker, label=method)
ax.axhline(true_n, color="grey", linestyle=":", label="true number of blobs")
ax.set_xlabel("cluster_std (how much the blobs spread)")
ax.set_ylabel("number of components chosen")
ax.legend()
fig.tight_layout()
choices

# %%
bic_choices = choices["BIC"]
assert bic_choices[:2] == [true_n, true_n]  # well-separated blobs: BIC finds them all
assert bic_choices == sorted(bic_choices, reverse=True)  # the more they overlap, the fewer it sees
assert bic_choices[-1] < true_n
n_spreads = len(spreads)
widest_spread = spreads[-1]
bic_choice_widest = bic_choices[-1]
