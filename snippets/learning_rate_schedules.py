"""Learning-rate schedules: the schedule is set; the rate it produces changes during training.

Every rate below is computed from the fitted models' own settings and state (`eta0`, `alpha`,
`power_t`, `t_`, `n_iter_`), with the formulas of scikit-learn 1.9.1's `_sgd_fast.pyx.tp`; a small
re-implementation of the SGD loop checks that those formulas are the ones `fit` used.
"""

import contextlib
import io
import re

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import sklearn
from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

# --8<-- [start:fit]
X, y = make_classification(n_samples=300, n_features=5, n_informative=3, random_state=0)
X = StandardScaler().fit_transform(X)  # SGD wants scaled features

schedules = ["constant", "optimal", "invscaling", "adaptive"]
models = {}
for schedule in schedules:
    sgd = SGDClassifier(learning_rate=schedule, random_state=0)
    params_before = sgd.get_params()
    sgd.fit(X, y)
    assert sgd.get_params() == params_before  # fit never rewrites the schedule or eta0
    models[schedule] = sgd
# --8<-- [end:fit]
n_samples = X.shape[0]

# Defaults in 1.9.1 (eta0 changed from 0.0 to 0.01 in 1.8).
eta0 = SGDClassifier().eta0
alpha = SGDClassifier().alpha
power_t = SGDClassifier().power_t
tol = SGDClassifier().tol
n_iter_no_change = SGDClassifier().n_iter_no_change
assert (eta0, alpha, power_t, tol, n_iter_no_change) == (0.01, 0.0001, 0.5, 0.001, 5)
assert SGDClassifier().learning_rate == "optimal" and SGDClassifier().loss == "hinge"


# --8<-- [start:rules]
cut_factor, rate_floor = 5, 1e-6  # constants in the Cython loop (and in the MLP's optimizer)


def rate_constant(model, t):
    return np.full_like(t, model.eta0, dtype=float)


def rate_optimal(model, t):
    # Bottou's heuristic: start from a "typical weight" and pick t0 so that the first rate equals it.
    typw = np.sqrt(1.0 / np.sqrt(model.alpha))
    first_rate = typw / max(1.0, model._loss_function_.py_dloss(-typw, 1.0))
    t0 = 1.0 / (first_rate * model.alpha)
    return 1.0 / (model.alpha * (t0 + t - 1))


def rate_invscaling(model, t):
    return model.eta0 / t**model.power_t


def rate_adaptive(model, t, objectives):
    # eta0 until n_iter_no_change epochs in a row fail to lower the objective by tol; then cut.
    # When the rate is already <= rate_floor, the same test stops training instead.
    rate, best, no_improvement, per_epoch = model.eta0, np.inf, 0, []
    for objective in objectives:
        per_epoch.append(rate)
        no_improvement = no_improvement + 1 if objective > best - model.tol else 0
        best = min(best, objective)
        if no_improvement >= model.n_iter_no_change:
            if rate <= rate_floor:
                break
            rate, no_improvement = rate / cut_factor, 0
    assert len(per_epoch) == model.n_iter_  # the replayed rule stops exactly where fit stopped
    epoch_of_step = (t - 1) // n_samples
    return np.array(per_epoch)[epoch_of_step]
# --8<-- [end:rules]


def _objectives(log):
    # verbose=1 prints "Objective: <loss + penalty per sample>" after each epoch (6 decimals)
    return [float(v) for v in re.findall(r"Objective: ([-+0-9.eE]+)", log)]


# The adaptive rule needs each epoch's objective, which fit does not keep: refit the same model
# with verbose=1 and read it from the log. verbose changes what is printed, not what is learned.
# --8<-- [start:log]
with contextlib.redirect_stdout(io.StringIO()) as _log:
    _verbose_twin = SGDClassifier(learning_rate="adaptive", random_state=0, verbose=1).fit(X, y)
epoch_objectives = _objectives(_log.getvalue())
# --8<-- [end:log]
assert np.array_equal(_verbose_twin.coef_, models["adaptive"].coef_)
assert len(epoch_objectives) == models["adaptive"].n_iter_

rates, steps = {}, {}
for schedule, sgd in models.items():
    # t_ starts at 1 and grows by n_samples per epoch; the last update used t = t_ - 1.
    assert sgd.t_ == 1 + sgd.n_iter_ * n_samples
    t = np.arange(1, int(sgd.t_))
    steps[schedule] = t
    if schedule == "adaptive":
        rates[schedule] = rate_adaptive(sgd, t, epoch_objectives)
    else:
        rates[schedule] = {"constant": rate_constant, "optimal": rate_optimal, "invscaling": rate_invscaling}[
            schedule
        ](sgd, t)

constant_epochs = models["constant"].n_iter_
optimal_epochs = models["optimal"].n_iter_
invscaling_epochs = models["invscaling"].n_iter_
adaptive_epochs = models["adaptive"].n_iter_
constant_final_step = int(models["constant"].t_) - 1
optimal_final_step = int(models["optimal"].t_) - 1
invscaling_final_step = int(models["invscaling"].t_) - 1
adaptive_final_step = int(models["adaptive"].t_) - 1
constant_final_rate = float(rates["constant"][-1])
optimal_first_rate = float(rates["optimal"][0])
optimal_final_rate = float(rates["optimal"][-1])
invscaling_final_rate = float(rates["invscaling"][-1])
adaptive_final_rate = float(rates["adaptive"][-1])
adaptive_rates_visited = sorted(set(rates["adaptive"].tolist()), reverse=True)
adaptive_n_rates = len(adaptive_rates_visited)
adaptive_drop_epochs = [int(step // n_samples) + 1 for step in np.flatnonzero(np.diff(rates["adaptive"]) < 0) + 1]
adaptive_model = models["adaptive"]
assert constant_final_rate == eta0
assert optimal_final_rate < optimal_first_rate and invscaling_final_rate < eta0 and adaptive_final_rate < eta0
assert adaptive_final_rate <= rate_floor < adaptive_final_rate * cut_factor  # stopped at the floor


# Check the formulas against the real update loop: replay SGD (hinge loss, L2 penalty, no shuffling)
# in NumPy with each schedule and compare with partial_fit's weights after two epochs.
def _replay(schedule, n_epochs=2):
    ref = SGDClassifier(learning_rate=schedule, shuffle=False, random_state=0)
    for _ in range(n_epochs):
        ref.partial_fit(X, y, classes=np.unique(y))
    t = np.arange(1, n_epochs * n_samples + 1)
    eta = {"constant": rate_constant, "optimal": rate_optimal, "invscaling": rate_invscaling}[schedule](ref, t)
    w, b, sign = np.zeros(X.shape[1]), 0.0, np.where(y == ref.classes_[1], 1.0, -1.0)
    for step in range(len(t)):
        i = step % n_samples
        margin = sign[i] * (X[i] @ w + b)
        update = eta[step] * sign[i] if margin <= 1.0 else 0.0  # -eta * d(hinge)/dp
        w *= max(0.0, 1.0 - eta[step] * ref.alpha)
        w += update * X[i]
        b += update
    return np.allclose(ref.coef_.ravel(), w) and np.isclose(ref.intercept_[0], b)


formulas_match_fit = all(_replay(s) for s in ["constant", "optimal", "invscaling"])
assert formulas_match_fit

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(6, 3.2))
styles = {"constant": dict(linestyle=":", linewidth=3)}  # constant and adaptive share eta0 at first
for schedule in schedules:
    ax.plot(steps[schedule], rates[schedule], label=schedule, marker="o", markevery=[-1],
            **styles.get(schedule, {}))  # the dot marks the last step before fit stopped
ax.set_yscale("log")
ax.set_xlabel("step t (one sample = one update)")
ax.set_ylabel("learning rate η")
ax.legend(fontsize="small", ncol=2)
fig.tight_layout()
figure = fig
# --8<-- [end:plot]

# MLPClassifier: the adaptive rate lives in the private optimizer; get_params() stays put.
# --8<-- [start:mlp]
mlp = MLPClassifier(hidden_layer_sizes=(10,), solver="sgd", learning_rate="adaptive",
                    learning_rate_init=0.1, tol=1e-3, max_iter=1000, random_state=0)
mlp_params_before = mlp.get_params()
mlp.fit(X, y)
assert mlp.get_params() == mlp_params_before
mlp_rate_at_end = mlp._optimizer.learning_rate  # private: the rate the optimizer used last
# --8<-- [end:mlp]
mlp_learning_rate_init = mlp.get_params()["learning_rate_init"]
mlp_epochs = mlp.n_iter_
mlp_tol = mlp.tol
mlp_n_iter_no_change = mlp.n_iter_no_change


# Replay the MLP rule on its own loss curve: a loss counts as "no improvement" when it is not below
# the best loss so far by tol; more than n_iter_no_change of them in a row divide the rate by 5,
# or stop training once the rate is <= rate_floor.
def _mlp_rates(model):
    rate, best, no_improvement, per_epoch = model.learning_rate_init, np.inf, 0, []
    for loss in model.loss_curve_:
        per_epoch.append(rate)
        no_improvement = no_improvement + 1 if loss > best - model.tol else 0
        best = min(best, loss)
        if no_improvement > model.n_iter_no_change:
            if rate <= rate_floor:
                return per_epoch, rate
            rate, no_improvement = rate / cut_factor, 0
    return per_epoch, rate


_mlp_per_epoch, _mlp_replayed_end = _mlp_rates(mlp)
assert len(_mlp_per_epoch) == mlp.n_iter_ and _mlp_replayed_end == mlp_rate_at_end
mlp_rates_visited = sorted(set(_mlp_per_epoch), reverse=True)
mlp_drop_epochs = [e + 1 for e in range(1, len(_mlp_per_epoch)) if _mlp_per_epoch[e] < _mlp_per_epoch[e - 1]]
assert mlp_rates_visited[0] == mlp_learning_rate_init and mlp_rate_at_end == mlp_rates_visited[-1] <= rate_floor

# scikit-learn's docstring and its code disagree: the docstring says the rate is divided by 5
# "each time two consecutive epochs fail to decrease training loss by at least tol"; the code
# (`_no_improvement_count > n_iter_no_change`) waits n_iter_no_change + 1 epochs.
mlp_docstring_claim = "two consecutive epochs"
assert mlp_docstring_claim in " ".join(MLPClassifier.__doc__.split())
mlp_epochs_between_cuts = sorted({int(g) for g in np.diff(mlp_drop_epochs)})
assert mlp_epochs_between_cuts == [mlp_n_iter_no_change + 1] != [2]
mlp_epochs_per_cut = mlp_epochs_between_cuts[0]

# What the figure's alt text and the page say: optimal starts highest, far above eta0 (which it
# ignores), constant stops earliest.
assert optimal_first_rate >= 100 * eta0
assert optimal_first_rate == max(float(r[0]) for r in rates.values())
assert constant_epochs == min(m.n_iter_ for m in models.values()) < min(
    m.n_iter_ for s, m in models.items() if s != "constant"
)
# invscaling falls fastest at first: its rate has halved within the first epoch, the others' not.
assert rates["invscaling"][n_samples - 1] < rates["invscaling"][0] / 2
assert all(rates[s][n_samples - 1] > rates[s][0] / 2 for s in ["constant", "optimal", "adaptive"])

# SGDClassifier's learning_rate also accepts the passive-aggressive step sizes "pa1" and "pa2"
# (added in 1.8, per the docstring): a step computed from each sample's loss, not a schedule in t.
# The options are read from the estimator's own parameter validation (private, but the only list).
all_learning_rates = sorted(SGDClassifier._parameter_constraints["learning_rate"][0].options)
assert all_learning_rates == sorted([*schedules, "pa1", "pa2"])
pa_added_in = re.search(r"versionadded:: ([\d.]+)\s+Added options 'pa1' and 'pa2'", SGDClassifier.__doc__).group(1)
for _pa in ["pa1", "pa2"]:
    SGDClassifier(learning_rate=_pa, random_state=0).fit(X, y)  # both fit, warning-free
sklearn_version = sklearn.__version__
assert adaptive_n_rates > 2  # "adaptive drops in a staircase"
