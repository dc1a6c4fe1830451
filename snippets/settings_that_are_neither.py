"""Settings that are neither hyperparameters nor learned parameters: refit and compare.

Each setting is changed on its own and the estimator is refitted on the same data; the
largest absolute change in what fit learned is recorded (0.0 means bitwise identical).
"""

import contextlib
import io

import numpy as np
from sklearn.datasets import make_classification, make_regression
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LinearRegression, SGDClassifier
from sklearn.svm import SVC


def _largest_change(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


# --8<-- [start:thread]
# The example from the thread: C and kernel are set, random_state too.
X_tiny = [[0, 0], [1, 1]]
y_tiny = [0, 1]
clf = SVC(C=0.01, kernel="rbf", random_state=33).fit(X_tiny, y_tiny)
other_seed = SVC(C=0.01, kernel="rbf", random_state=0).fit(X_tiny, y_tiny)
# --8<-- [end:thread]

thread_params = sorted(clf.get_params())
thread_seed_change = _largest_change(clf.dual_coef_, other_seed.dual_coef_)
assert {"C", "kernel", "random_state"} <= set(thread_params)
assert thread_seed_change == 0.0
assert np.array_equal(clf.support_vectors_, other_seed.support_vectors_)
assert np.array_equal(clf.intercept_, other_seed.intercept_)
# None of the three is learned: fit leaves them exactly as they were set.
assert clf.get_params()["random_state"] == 33 and clf.get_params()["C"] == 0.01

X, y = make_classification(n_samples=300, n_features=8, random_state=0)

# --8<-- [start:svc]
# cache_size (MB of kernel cache) and random_state on a deterministic SVC
svc = SVC(random_state=0).fit(X, y)
svc_other = SVC(random_state=1, cache_size=1).fit(X, y)
# --8<-- [end:svc]
svc_change = _largest_change(svc.dual_coef_, svc_other.dual_coef_)
assert svc_change == 0.0
assert np.array_equal(svc.support_, svc_other.support_)
n_support = int(svc.n_support_.sum())
cache_size_default = SVC().cache_size
cache_size_small = svc_other.cache_size

# --8<-- [start:n_jobs]
forest = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=1).fit(X, y)
forest_parallel = RandomForestClassifier(n_estimators=50, random_state=0, n_jobs=2).fit(X, y)
forest_reseeded = RandomForestClassifier(n_estimators=50, random_state=1, n_jobs=1).fit(X, y)
# --8<-- [end:n_jobs]
n_jobs_change = _largest_change(forest.feature_importances_, forest_parallel.feature_importances_)
forest_seed_change = _largest_change(forest.feature_importances_, forest_reseeded.feature_importances_)
assert n_jobs_change == 0.0
assert all(
    np.array_equal(a.tree_.threshold, b.tree_.threshold)
    for a, b in zip(forest.estimators_, forest_parallel.estimators_)
)
assert forest_seed_change > 0.0

# --8<-- [start:sgd]
sgd = SGDClassifier(random_state=0).fit(X, y)
sgd_reseeded = SGDClassifier(random_state=1).fit(X, y)

printed = io.StringIO()
with contextlib.redirect_stdout(printed):
    sgd_verbose = SGDClassifier(random_state=0, verbose=1).fit(X, y)
# --8<-- [end:sgd]
sgd_seed_change = _largest_change(sgd.coef_, sgd_reseeded.coef_)
sgd_n_iter = int(sgd.n_iter_)
sgd_reseeded_n_iter = int(sgd_reseeded.n_iter_)
verbose_change = _largest_change(sgd.coef_, sgd_verbose.coef_)
verbose_lines = len(printed.getvalue().splitlines())
assert sgd_seed_change > 0.0
assert verbose_change == 0.0
assert verbose_lines > 0

X_reg, y_reg = make_regression(n_samples=100, n_features=4, noise=1.0, random_state=0)

# --8<-- [start:copy_X]
X_kept = X_reg.copy()
X_overwritten = X_reg.copy()
linreg = LinearRegression(copy_X=True).fit(X_kept, y_reg)
linreg_in_place = LinearRegression(copy_X=False).fit(X_overwritten, y_reg)
# --8<-- [end:copy_X]
copy_X_change = _largest_change(linreg.coef_, linreg_in_place.coef_)
input_change_with_copy = _largest_change(X_kept, X_reg)
input_change_in_place = _largest_change(X_overwritten, X_reg)
assert copy_X_change == 0.0
assert input_change_with_copy == 0.0
assert input_change_in_place > 0.0  # fit centred the caller's array in place

n_thread_params = len(thread_params)
