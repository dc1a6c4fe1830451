"""Linear models: coef_ and intercept_ are learned; alpha, C and fit_intercept are set."""

import re
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import LinearRegression, LogisticRegression, Ridge
from sklearn.preprocessing import StandardScaler

# --8<-- [start:linear]
X, y = load_diabetes(return_X_y=True)

ols = LinearRegression().fit(X, y)
ols.coef_        # one weight per feature, learned
ols.intercept_   # the bias, learned
# --8<-- [end:linear]

n_features = X.shape[1]
ols_intercept = float(ols.intercept_)
ols_coef_norm = float(np.linalg.norm(ols.coef_))

# tol is an optimisation hyperparameter, not a computational setting: on dense data scikit-learn
# 1.9 passes it to scipy.linalg.lstsq as `cond`, which treats singular values below
# tol * (the largest) as zero, so a loose tol drops a direction of X and changes coef_.
# --8<-- [start:tol]
loose_tol = LinearRegression(tol=0.1).fit(X, y)
loose_tol.rank_  # the rank lstsq used: singular values below tol x the largest count as zero
# --8<-- [end:tol]
tol_value = loose_tol.tol
default_tol = LinearRegression().tol
ols_rank = int(ols.rank_)
tol_rank = int(loose_tol.rank_)
tol_coef_change = float(np.max(np.abs(loose_tol.coef_ - ols.coef_)))
tol_r2 = loose_tol.score(X, y)
_n_small = int((ols.singular_ < tol_value * ols.singular_.max()).sum())
assert ols_rank == n_features and tol_rank == n_features - _n_small == 9
assert tol_coef_change > 1.0 and tol_r2 < ols.score(X, y)

# --8<-- [start:ridge]
ridge_alphas = [0.01, 0.1, 1.0, 10.0, 100.0]
ridge_norms = [float(np.linalg.norm(Ridge(alpha=a).fit(X, y).coef_)) for a in ridge_alphas]
# --8<-- [end:ridge]

ridge = Ridge(alpha=1.0).fit(X, y)
# Claim: a larger alpha shrinks the learned weights (strictly, on this data)
assert all(a > b for a, b in zip(ridge_norms, ridge_norms[1:]))
# Claim: alpha close to 0 gives (nearly) the least-squares weights
assert np.allclose(Ridge(alpha=1e-10).fit(X, y).coef_, ols.coef_, rtol=1e-4)
ridge_alpha_low = ridge_alphas[0]
ridge_alpha_high = ridge_alphas[-1]
ridge_norm_low = ridge_norms[0]
ridge_norm_high = ridge_norms[-1]

_fig, _ax = plt.subplots(figsize=(6, 3.2))
_alpha_grid = np.logspace(-3, 3, 25)
_ax.plot(_alpha_grid, [np.linalg.norm(Ridge(alpha=a).fit(X, y).coef_) for a in _alpha_grid], marker="o", ms=3)
_ax.set_xscale("log")
_ax.set_xlabel("alpha (set)")
_ax.set_ylabel("norm of coef_ (learned)")
_ax.set_title("Ridge: the hyperparameter shrinks the parameters")
_fig.tight_layout()
ridge_figure = _fig

# --8<-- [start:fit_intercept]
no_bias = LinearRegression(fit_intercept=False).fit(X, y)
no_bias.intercept_   # 0.0: not learned, the model has no bias term
# --8<-- [end:fit_intercept]
no_bias_intercept = float(no_bias.intercept_)
assert no_bias.intercept_ == 0.0 and ols.intercept_ != 0.0
# The diabetes features are mean-centred, so here the weights stay the same and the
# learned intercept is exactly the mean of y; dropping it costs fit quality.
assert np.allclose(X.mean(axis=0), 0)
assert np.allclose(no_bias.coef_, ols.coef_)
assert np.isclose(ols.intercept_, y.mean())
ols_r2 = ols.score(X, y)
no_bias_r2 = no_bias.score(X, y)
assert no_bias_r2 < ols_r2

# --8<-- [start:logistic]
Xc, yc = load_breast_cancer(return_X_y=True)
Xc = StandardScaler().fit_transform(Xc)

log_regs = {C: LogisticRegression(C=C, max_iter=1000).fit(Xc, yc) for C in [0.01, 0.1, 1.0]}
# --8<-- [end:logistic]
logistic_Cs = list(log_regs)
logistic_norms = [float(np.linalg.norm(m.coef_)) for m in log_regs.values()]
# Claim: C is the INVERSE regularisation strength: a larger C lets the weights grow
assert all(a < b for a, b in zip(logistic_norms, logistic_norms[1:]))
logreg = log_regs[1.0]
logistic_coef_shape = str(logreg.coef_.shape)
n_cancer_features = Xc.shape[1]

# --8<-- [start:penalty]
# Deprecated since 1.8 (removed in 1.10): LogisticRegression(penalty="l1"/"l2"/...)
# Use l1_ratio (0 = L2, 1 = L1, in between = elastic net) and C=np.inf for no penalty.
l2 = LogisticRegression(l1_ratio=0.0, C=0.1).fit(Xc, yc)                     # was penalty="l2"
l1 = LogisticRegression(l1_ratio=1.0, C=0.1, solver="liblinear", random_state=0).fit(Xc, yc)  # was penalty="l1"
# --8<-- [end:penalty]

# Claim: passing penalty= warns (at fit, not at construction) and is the same model as l1_ratio=0
with warnings.catch_warnings(record=True) as _caught:
    warnings.simplefilter("always")
    _old = LogisticRegression(penalty="l2", C=0.1)
    assert not _caught                   # constructing does not warn
    _old.fit(Xc, yc)
penalty_warning = str(_caught[0].message)
sklearn_version = sklearn.__version__
deprecated_in, removed_in = re.search(
    r"deprecated in version (\d+(?:\.\d+)*) and will be removed in (\d+(?:\.\d+)*)", penalty_warning
).groups()
assert (deprecated_in, removed_in) == ("1.8", "1.10")   # as the comment in the code shown says
assert any(issubclass(w.category, FutureWarning) and "'penalty' was deprecated" in str(w.message) for w in _caught)
assert np.allclose(_old.coef_, l2.coef_)
# L1 sets some weights exactly to zero; L2 does not
l1_zero_weights = int((l1.coef_ == 0).sum())
l2_zero_weights = int((l2.coef_ == 0).sum())
assert l1_zero_weights > 0 and l2_zero_weights == 0
# default l1_ratio is 0.0 (pure L2) and penalty's default is the sentinel "deprecated"
_defaults = LogisticRegression().get_params()
assert _defaults["l1_ratio"] == 0.0 and _defaults["penalty"] == "deprecated"
# fit never changes what was set
assert logreg.get_params() == LogisticRegression(C=1.0, max_iter=1000).get_params()
# the default lbfgs solver refuses a pure L1 penalty
try:
    LogisticRegression(l1_ratio=1.0).fit(Xc, yc)
    raise AssertionError("lbfgs accepted l1_ratio=1")
except ValueError as _error:
    assert "lbfgs" in str(_error)
# LinearRegression has no regularisation strength: fit_intercept and positive shape the model,
# tol is an optimisation hyperparameter (above), copy_X and n_jobs are computational settings.
assert sorted(LinearRegression().get_params()) == ["copy_X", "fit_intercept", "n_jobs", "positive", "tol"]
