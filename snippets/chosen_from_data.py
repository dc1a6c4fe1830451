"""Hyperparameters whose value comes from the data: chosen by an internal search (LassoCV),
by early stopping (n_iter_), or by a data-dependent default (gamma="scale", var_smoothing)."""

import numpy as np
import sklearn
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import Lasso, LassoCV
from sklearn.naive_bayes import GaussianNB
from sklearn.svm import SVC

X_reg, y_reg = make_regression(n_samples=200, n_features=10, n_informative=4, noise=10.0, random_state=0)
X, y = make_classification(n_samples=600, n_features=6, n_informative=4, random_state=0)

# 1. A search inside fit: LassoCV picks alpha_ by cross-validation.
# --8<-- [start:lassocv]
search = LassoCV(alphas=100, cv=5)  # 1.9.1: `alphas` is a count or a list; `n_alphas` is gone
search_params_before = search.get_params()
search.fit(X_reg, y_reg)
chosen_alpha = float(search.alpha_)  # learned from the data, trailing underscore
refit = Lasso(alpha=chosen_alpha).fit(X_reg, y_reg)  # the same number, now set by you
# --8<-- [end:lassocv]
assert search.get_params() == search_params_before
n_alphas_tried = len(search.alphas_)
n_folds = search.mse_path_.shape[1]
alpha_grid_max = float(search.alphas_.max())
alpha_grid_min = float(search.alphas_.min())
assert n_alphas_tried == search_params_before["alphas"] and n_folds == search_params_before["cv"]
same_coef_as_refit = bool(np.allclose(search.coef_, refit.coef_))
assert same_coef_as_refit
lasso_cv = search
try:  # the older spelling
    LassoCV(n_alphas=100)
    n_alphas_removed = False
except TypeError:
    n_alphas_removed = True
assert n_alphas_removed
n_nonzero = int((search.coef_ != 0).sum())

# 2. Early stopping: max_iter is a ceiling you set; n_iter_ is how far training actually went.
# --8<-- [start:early]
boost = HistGradientBoostingClassifier(max_iter=500, early_stopping=True, random_state=0)
boost_params_before = boost.get_params()
boost.fit(X, y)
# --8<-- [end:early]
assert boost.get_params() == boost_params_before
max_iter = boost.max_iter
n_iter = boost.n_iter_
n_iter_no_change = boost.n_iter_no_change
validation_fraction = boost.validation_fraction
assert n_iter < max_iter

# 3. A data-dependent default: gamma="scale" resolves to 1 / (n_features * X.var()) at fit time.
# --8<-- [start:gamma]
svc = SVC(gamma="scale").fit(X, y)
gamma_by_hand = 1.0 / (X.shape[1] * X.var())  # variance of all entries of X together
gamma_used = svc._gamma  # private attribute; gamma itself stays "scale"
# --8<-- [end:gamma]
assert svc.get_params() == SVC(gamma="scale").get_params()
assert gamma_used == gamma_by_hand and not hasattr(svc, "gamma_")  # no public attribute holds it
n_features = X.shape[1]
X_var = float(X.var())

# 4. GaussianNB adds epsilon_ = var_smoothing * (largest feature variance) to every variance.
# --8<-- [start:nb]
nb = GaussianNB().fit(X, y)
epsilon_by_hand = nb.var_smoothing * X.var(axis=0).max()
# --8<-- [end:nb]
assert nb.epsilon_ == epsilon_by_hand and nb.get_params() == GaussianNB().get_params()
var_smoothing = nb.var_smoothing
epsilon = float(nb.epsilon_)
max_feature_var = float(X.var(axis=0).max())

sklearn_version = sklearn.__version__
