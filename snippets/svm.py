"""SVM: what you set (C, kernel) versus what fit learns (the support vectors and their weights)."""

import re
import warnings

import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.svm import SVC

X, y = make_classification(n_samples=200, n_features=4, n_informative=3, n_redundant=0, random_state=0)

# --8<-- [start:fit]
clf = SVC(C=0.01, kernel="rbf", random_state=33)
params_before = clf.get_params()
clf.fit(X, y)
# --8<-- [end:fit]

C = clf.C
kernel = clf.kernel
n_samples = X.shape[0]
n_support = int(clf.n_support_.sum())
n_support_per_class = clf.n_support_
share_support = n_support / n_samples
dual_coef_shape = clf.dual_coef_.shape
intercept = float(clf.intercept_[0])
gamma_used = clf._gamma  # what gamma="scale" resolved to for this X
train_accuracy = clf.score(X, y)
almost_every = 0.9
assert share_support >= almost_every  # "almost every point is a support vector"

# The same data with a larger C: a harder margin, far fewer support vectors, a better fit.
# --8<-- [start:harder]
harder = SVC(C=1.0, kernel="rbf", random_state=33).fit(X, y)
# --8<-- [end:harder]
harder_C = harder.C
harder_n_support = int(harder.n_support_.sum())
harder_accuracy = harder.score(X, y)
assert harder_n_support < n_support and harder_accuracy > train_accuracy

# fit learns; it never rewrites what you set.
assert clf.get_params() == params_before

# random_state only seeds the probability calibration, which is off here: another seed learns
# exactly the same support vectors and weights.
# --8<-- [start:seed]
other = SVC(C=0.01, kernel="rbf", random_state=0).fit(X, y)
same_model = bool((other.support_ == clf.support_).all() and (other.dual_coef_ == clf.dual_coef_).all())
# --8<-- [end:seed]
assert same_model

# coef_ (a weight per input feature) exists only for a linear kernel: an RBF SVC has no weights of
# the features to report, only the support vectors' weights dual_coef_.
# --8<-- [start:coef]
try:
    clf.coef_
except AttributeError as error:
    rbf_coef_error = str(error)
linear = SVC(C=0.01, kernel="linear").fit(X, y)
linear.coef_  # one weight per feature: dual_coef_ @ support_vectors_
# --8<-- [end:coef]
assert "linear kernel" in rbf_coef_error
linear_coef_shape = linear.coef_.shape
linear_coef = linear.coef_.ravel()
assert np.allclose(linear.coef_, linear.dual_coef_ @ linear.support_vectors_)
n_features = X.shape[1]
assert linear_coef_shape == (1, n_features)

# probability is deprecated in 1.9: passing it at all warns, and get_params() shows the
# placeholder default "deprecated" instead of False.
# --8<-- [start:probability]
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    SVC(C=0.01, probability=True).fit(X, y)
probability_warning = str(caught[0].message)
# --8<-- [end:probability]
sklearn_version = sklearn.__version__
probability_default = SVC().get_params()["probability"]
probability_deprecated_in, probability_removed_in = re.search(
    r"deprecated in (\d+(?:\.\d+)*) and will be removed in version (\d+(?:\.\d+)*)", probability_warning
).groups()
assert probability_default == "deprecated" and clf.get_params()["probability"] == "deprecated"
assert "CalibratedClassifierCV" in probability_warning
with warnings.catch_warnings(record=True) as _caught_false:
    warnings.simplefilter("always")
    SVC(C=0.01, probability=False).fit(X, y)
assert [str(w.message) for w in _caught_false] == [probability_warning]  # False warns too
