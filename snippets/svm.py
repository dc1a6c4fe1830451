"""SVM: what you set (C, kernel) versus what fit learns (the support vectors and their weights)."""

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
