"""Loss and objective: fit minimises the objective (summed or averaged loss plus penalty), not the loss."""

import copy

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import load_breast_cancer, load_diabetes
from sklearn.linear_model import LogisticRegression, SGDClassifier
from sklearn.metrics import accuracy_score, hinge_loss, log_loss, mean_squared_error
from sklearn.neural_network import MLPClassifier, MLPRegressor
from sklearn.preprocessing import StandardScaler

X, y = load_breast_cancer(return_X_y=True)
X = StandardScaler().fit_transform(X)
n_samples = len(y)


# --8<-- [start:objective]
def log_losses(coef, intercept):
    """The loss, sample by sample: -log of the probability given to the true class."""
    margin = np.where(y == 1, 1, -1) * (X @ coef.ravel() + intercept)
    return np.logaddexp(0, -margin)  # log(1 + exp(-margin)), computed without overflow


def objective(coef, intercept, C):
    """What LogisticRegression(C=C) minimises: C × summed log-loss + ½ squared weights."""
    return C * log_losses(coef, intercept).sum() + 0.5 * np.sum(coef**2)


strong = LogisticRegression(C=0.01).fit(X, y)  # strong penalty
weak = LogisticRegression(C=100, max_iter=1000).fit(X, y)  # weak penalty

mean_loss_strong = log_losses(strong.coef_, strong.intercept_).mean()
mean_loss_weak = log_losses(weak.coef_, weak.intercept_).mean()
objective_at_strong = objective(strong.coef_, strong.intercept_, C=0.01)
objective_at_weak = objective(weak.coef_, weak.intercept_, C=0.01)
# --8<-- [end:objective]

assert np.isclose(mean_loss_strong, log_loss(y, strong.predict_proba(X)))  # the loss is scikit-learn's log_loss
strong_C = strong.C
weak_C = weak.C
mean_loss_strong = round(float(mean_loss_strong), 3)
mean_loss_weak = round(float(mean_loss_weak), 3)
objective_at_strong = round(float(objective_at_strong), 2)
objective_at_weak = round(float(objective_at_weak), 2)
assert mean_loss_weak < mean_loss_strong  # the weak-penalty weights have the lower loss...
assert objective_at_strong < objective_at_weak  # ...but C=0.01's fit minimises C=0.01's objective
# And coef_ is a minimum of that objective: any small step away from it raises it.
_steps = np.random.default_rng(0).normal(size=(100, X.shape[1]))
step_length = 1e-2
_steps = step_length * _steps / np.linalg.norm(_steps, axis=1, keepdims=True)
n_directions = len(_steps)
_at_fit = objective(strong.coef_, strong.intercept_, C=0.01)
assert all(objective(strong.coef_ + step, strong.intercept_, C=0.01) > _at_fit for step in _steps)
# What score reports is neither: accuracy, for every classifier.
strong_accuracy = strong.score(X, y)
weak_accuracy = weak.score(X, y)
assert strong_accuracy == accuracy_score(y, strong.predict(X))

# The MLP's loss_ is its objective: the loss plus alpha/(2n) × the squared weights.
# With no hidden layer the problem is convex, so its minimum is the same on every machine.
# --8<-- [start:mlp]
mlp = MLPClassifier(hidden_layer_sizes=(), alpha=10, solver="lbfgs", tol=1e-10,
                    max_iter=10_000, random_state=0).fit(X, y)
mlp_penalty = 0.5 * mlp.alpha * sum(np.sum(w**2) for w in mlp.coefs_) / n_samples
mlp_log_loss = log_loss(y, mlp.predict_proba(X))
# --8<-- [end:mlp]
assert np.isclose(mlp.loss_, mlp_log_loss + mlp_penalty, rtol=1e-9)
mlp_alpha = mlp.alpha
mlp_loss_attr = round(float(mlp.loss_), 3)
mlp_log_loss = round(float(mlp_log_loss), 3)
mlp_penalty = round(float(mlp_penalty), 3)

# MLPRegressor's loss is half the mean squared error, not the mean squared error.
X_reg, y_reg = load_diabetes(return_X_y=True)
X_reg = StandardScaler().fit_transform(X_reg)
y_reg = (y_reg - y_reg.mean()) / y_reg.std()
# --8<-- [start:regressor]
reg = MLPRegressor(hidden_layer_sizes=(), alpha=10, solver="lbfgs", tol=1e-10,
                   max_iter=10_000, random_state=0).fit(X_reg, y_reg)
reg_penalty = 0.5 * reg.alpha * np.sum(reg.coefs_[0] ** 2) / len(y_reg)
reg_mse = mean_squared_error(y_reg, reg.predict(X_reg))
# --8<-- [end:regressor]
assert np.isclose(reg.loss_, reg_mse / 2 + reg_penalty, rtol=1e-9)
assert not np.isclose(reg.loss_, reg_mse + reg_penalty, rtol=1e-3)
reg_loss_attr = round(float(reg.loss_), 3)
reg_mse = round(float(reg_mse), 3)
reg_penalty = round(float(reg_penalty), 3)

# The loss is a hyperparameter: SGDClassifier alone offers these.
sgd_losses = sorted(SGDClassifier.loss_functions)
n_sgd_losses = len(sgd_losses)
sgd_loss_names = ", ".join(sgd_losses)
assert SGDClassifier().loss == "hinge" and {"hinge", "log_loss", "modified_huber"} <= set(sgd_losses)

# --8<-- [start:losses]
margins = np.linspace(-2, 3, 501)  # y·f(x), y in {-1, +1}: positive means classified right
zero_one = (margins <= 0).astype(float)  # what accuracy counts (a margin of 0 is wrong)
hinge = np.maximum(0, 1 - margins)  # SGDClassifier's default, the linear SVM's loss
logistic = np.logaddexp(0, -margins)  # log-loss, LogisticRegression's
# --8<-- [end:losses]
# The formulas are scikit-learn's own metrics, point by point.
for _m, _h, _l in zip(margins[::50], hinge[::50], logistic[::50]):
    assert np.isclose(hinge_loss([-1, 1], [-_m, _m]), _h)
    assert np.isclose(log_loss([0, 1], [1 / (1 + np.exp(_m)), 1 / (1 + np.exp(-_m))]), _l)
assert all(h >= z for h, z in zip(hinge, zero_one))  # the hinge lies above the 0-1 loss everywhere
assert all(h == 0 for m, h in zip(margins, hinge) if m >= 1) and all(h > 0 for m, h in zip(margins, hinge) if m < 1)
assert all(np.diff(logistic) < 0) and all(logistic > 0)  # smooth, falling, never 0
# The MLP keeps a loss curve only when it trains by epochs (sgd, adam), not with lbfgs; each
# entry includes the penalty too. With one batch per epoch, an epoch's entry is the objective at
# the weights the epoch started from.
assert not hasattr(mlp, "loss_curve_") and not hasattr(reg, "loss_curve_")
_adam = MLPClassifier(hidden_layer_sizes=(), alpha=10, batch_size=n_samples, random_state=0)
_adam.partial_fit(X, y, classes=[0, 1])
_before = copy.deepcopy(_adam)
_adam.partial_fit(X, y)
_penalty_before = 0.5 * _adam.alpha * np.sum(_before.coefs_[0] ** 2) / n_samples
assert np.isclose(_adam.loss_curve_[-1], log_loss(y, _before.predict_proba(X)) + _penalty_before, rtol=1e-9)

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(6, 3.2))
ax.plot(margins, zero_one, label="0-1 (what accuracy counts)", color="black")
ax.plot(margins, hinge, label="hinge (SVM)")
ax.plot(margins, np.round(logistic, 3), label="log-loss (logistic regression)")
ax.axvline(0, color="gray", linewidth=0.5)
ax.set_xlabel("margin y·f(x)  (wrong ← 0 → right)")
ax.set_ylabel("loss for one sample")
ax.legend(fontsize="small")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]
