"""GaussianMixture: N = n_components is set; weights, means and covariances (the thread's Phi) are learned."""

import numpy as np
from sklearn.mixture import GaussianMixture

# --8<-- [start:data]
rng = np.random.default_rng(0)
true_means = [-4.0, 0.0, 5.0]
true_sigmas = [1.0, 0.5, 1.5]
sizes = [150, 100, 250]
x = np.concatenate([rng.normal(m, s, n) for m, s, n in zip(true_means, true_sigmas, sizes)])
X = x.reshape(-1, 1)            # one feature, so each sigma is a plain standard deviation
# --8<-- [end:data]

# --8<-- [start:fit]
gmm = GaussianMixture(n_components=3, covariance_type="full", random_state=0)
gmm.fit(X)

gmm.weights_       # mixing proportions, shape (N,)
gmm.means_         # mu: one mean per component, shape (N, n_features)
gmm.covariances_   # sigma^2: one covariance per component, shape (N, n_features, n_features)
# --8<-- [end:fit]

n_components = gmm.n_components
_order = np.argsort(gmm.means_.ravel())       # components come in no particular order: sort by mean
means = gmm.means_.ravel()[_order]
sigmas = np.sqrt(gmm.covariances_.ravel())[_order]
weights = gmm.weights_[_order]
true_weights = [n / sum(sizes) for n in sizes]
n_samples = len(x)
covariances_shape = str(gmm.covariances_.shape)
n_learned = gmm.weights_.size + gmm.means_.size + gmm.covariances_.size
n_iter = int(gmm.n_iter_)
converged = bool(gmm.converged_)

# Claims
assert converged
# the learned Phi recovers the generating one (well separated components, enough data)
assert np.allclose(means, true_means, atol=0.3)
assert np.allclose(sigmas, true_sigmas, atol=0.2)
assert np.allclose(weights, true_weights, atol=0.03)
assert np.isclose(gmm.weights_.sum(), 1.0)

# --8<-- [start:by_hand]
# A prediction uses only the learned weights, means and variances:
def normal_pdf(x, mu, var):
    return np.exp(-((x - mu) ** 2) / (2 * var)) / np.sqrt(2 * np.pi * var)

dens = gmm.weights_ * normal_pdf(X, gmm.means_.ravel(), gmm.covariances_.ravel())
responsibilities = dens / dens.sum(axis=1, keepdims=True)
# --8<-- [end:by_hand]
assert np.allclose(responsibilities, gmm.predict_proba(X), atol=1e-8)
# n_components fixes the shapes of what is learned, and is not changed by fit
assert gmm.means_.shape[0] == gmm.weights_.shape[0] == gmm.covariances_.shape[0] == n_components
assert gmm.get_params() == GaussianMixture(n_components=3, covariance_type="full", random_state=0).get_params()
