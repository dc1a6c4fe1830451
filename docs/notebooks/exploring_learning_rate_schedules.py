# %% [markdown]
# # Exploring learning-rate schedules
#
# **A learning-rate schedule is the rule an optimiser follows to change its step size during
# training; this notebook fits the four schedules of `SGDClassifier`, plots the rate each one
# produces, and sweeps the schedule's constants so you can see what they do.**
#
# It is the worked example of the glossary page
# [Learning-rate schedules](../../edge-cases/learning-rate-schedules/), which explains why the
# schedule is a hyperparameter while the rate it produces is optimiser state. Download the notebook
# (button at the top of the page), change the numbers, and run it again: every cell runs in a few
# seconds on a laptop.

# %%
import contextlib
import io
import re

import matplotlib.pyplot as plt
import numpy as np
from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.neural_network import MLPClassifier
from sklearn.preprocessing import StandardScaler

X, y = make_classification(n_samples=400, n_features=5, n_informative=3, random_state=0)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, random_state=0)
scaler = StandardScaler().fit(X_train)  # SGD wants scaled features
X_train, X_test = scaler.transform(X_train), scaler.transform(X_test)
n_samples = X_train.shape[0]
X_train.shape, X_test.shape

# %% [markdown]
# ## Four schedules, one classifier
#
# `SGDClassifier` updates its weights once per training sample, so step $t$ counts samples seen.
# Its `learning_rate` picks the rule for the step size $\eta_t$:
#
# | `learning_rate` | $\eta_t$ |
# |---|---|
# | `"constant"` | $\eta_0$ |
# | `"optimal"` (the default) | $1 / (\alpha\,(t_0 + t - 1))$, $t_0$ from Bottou's heuristic |
# | `"invscaling"` | $\eta_0 / t^{p}$, with $p$ = `power_t` |
# | `"adaptive"` | $\eta_0$, divided by 5 after `n_iter_no_change` epochs without improvement |
#
# `learning_rate` also accepts `"pa1"` and `"pa2"`, the passive-aggressive
# rules, which compute each step from the current sample's loss rather than from a schedule in
# $t$, so they are left out of the plot. Fit the four schedules with everything else at its
# default:

# %%
schedules = ["constant", "optimal", "invscaling", "adaptive"]
for passive_aggressive in ["pa1", "pa2"]:  # they exist, and fit; not schedules in t
    SGDClassifier(learning_rate=passive_aggressive, random_state=0).fit(X_train, y_train)
models = {}
for schedule in schedules:
    models[schedule] = SGDClassifier(learning_rate=schedule, random_state=0).fit(X_train, y_train)
    model = models[schedule]
    print(f"{schedule:>10}: {model.n_iter_:3d} epochs, test accuracy {model.score(X_test, y_test):.3f}")

# %% [markdown]
# No fitted model stores its learning rate, so we recompute it from each model's own settings and
# step counter `t_` (it starts at 1 and grows by one per sample). The `adaptive` rule needs the
# training objective after each epoch, which `fit` only prints with `verbose=1`: we refit a twin
# model with the log captured. `verbose` changes what is printed, not what is learned.

# %%
def rates_per_step(model):
    t = np.arange(1, int(model.t_))  # the steps fit took
    if model.learning_rate == "constant":
        return t, np.full(t.shape, model.eta0)
    if model.learning_rate == "invscaling":
        return t, model.eta0 / t**model.power_t
    if model.learning_rate == "optimal":
        typical_weight = np.sqrt(1.0 / np.sqrt(model.alpha))
        first_rate = typical_weight / max(1.0, model._loss_function_.py_dloss(-typical_weight, 1.0))
        t0 = 1.0 / (first_rate * model.alpha)
        return t, 1.0 / (model.alpha * (t0 + t - 1))
    # adaptive: replay the rule on the objectives the verbose twin printed
    with contextlib.redirect_stdout(io.StringIO()) as log:
        SGDClassifier(**{**model.get_params(), "verbose": 1}).fit(X_train, y_train)
    objectives = [float(v) for v in re.findall(r"Objective: ([-+0-9.eE]+)", log.getvalue())]
    rate, best, bad_epochs, per_epoch = model.eta0, np.inf, 0, []
    for objective in objectives:
        per_epoch.append(rate)
        bad_epochs = bad_epochs + 1 if objective > best - model.tol else 0
        best = min(best, objective)
        if bad_epochs >= model.n_iter_no_change:
            if rate <= 1e-6:
                break
            rate, bad_epochs = rate / 5, 0
    assert len(per_epoch) == model.n_iter_  # the replayed rule stops where fit stopped
    return t, np.array(per_epoch)[(t - 1) // n_samples]


rates = {schedule: rates_per_step(model) for schedule, model in models.items()}

# alt: The learning rate each schedule used at every step, on a log scale: constant stays flat at eta0; optimal
#      starts far higher and falls slowly; invscaling drops fast, then levels off; adaptive keeps eta0, then falls
#      in a staircase, a fifth at each step, until training stops.
fig, ax = plt.subplots(figsize=(7, 3.5))
for schedule, (t, eta) in rates.items():
    style = {"linestyle": ":", "linewidth": 3, "zorder": 3} if schedule == "constant" else {"linewidth": 2}
    ax.plot(t, eta, label=schedule, **style)  # constant is dotted, on top: adaptive starts at the same eta0
ax.set_yscale("log")
ax.set_xlabel("step t (one training sample = one update)")
ax.set_ylabel("learning rate η")
ax.set_title("The rate each schedule used, until fit stopped")
ax.legend()
fig.tight_layout()

# %%
final_rates = {schedule: float(eta[-1]) for schedule, (t, eta) in rates.items()}
for schedule, rate in final_rates.items():
    print(f"{schedule:>10}: final rate {rate:.3g}")

# %% [markdown]
# `constant` never moves; `optimal` starts far above `eta0` (it ignores it) and falls like $1/t$;
# `invscaling` falls like $1/\sqrt{t}$; `adaptive` keeps `eta0` until progress stalls, then
# drops in a staircase until the rate reaches $10^{-6}$, where it stops training.

# %%
assert final_rates["constant"] == models["constant"].eta0
assert final_rates["optimal"] < rates["optimal"][1][0]
assert final_rates["adaptive"] <= 1e-6 < final_rates["adaptive"] * 5

# %% [markdown]
# ## A neural network with an adaptive rate
#
# `MLPClassifier(solver="sgd", learning_rate="adaptive")` applies the same idea per epoch: it keeps
# `learning_rate_init` while the training loss improves by at least `tol`, and divides the rate by
# 5 after more than `n_iter_no_change` epochs without improvement.

# %%
mlp = MLPClassifier(hidden_layer_sizes=(10,), solver="sgd", learning_rate="adaptive",
                    learning_rate_init=0.1, tol=1e-3, max_iter=1000, random_state=0)
mlp.fit(X_train, y_train)

mlp_rate, best, bad_epochs, mlp_rates = mlp.learning_rate_init, np.inf, 0, []
for loss in mlp.loss_curve_:  # the same rule, replayed on the public loss curve
    mlp_rates.append(mlp_rate)
    bad_epochs = bad_epochs + 1 if loss > best - mlp.tol else 0
    best = min(best, loss)
    if bad_epochs > mlp.n_iter_no_change and mlp_rate > 1e-6:
        mlp_rate, bad_epochs = mlp_rate / 5, 0

# alt: Two panels for the neural network: its training loss falls fast, then flattens over the epochs; its learning
#      rate stays at learning_rate_init, then drops a fifth at a time once the loss stops improving.
fig, (loss_ax, rate_ax) = plt.subplots(1, 2, figsize=(9, 3.2))
loss_ax.plot(mlp.loss_curve_)
loss_ax.set_xlabel("epoch")
loss_ax.set_ylabel("training loss")
rate_ax.step(range(len(mlp_rates)), mlp_rates, where="post")
rate_ax.set_yscale("log")
rate_ax.set_xlabel("epoch")
rate_ax.set_ylabel("learning rate")
fig.suptitle("MLPClassifier(solver='sgd', learning_rate='adaptive')")
fig.tight_layout()

mlp_epochs = mlp.n_iter_
mlp_final_rate = mlp_rates[-1]
assert mlp.get_params()["learning_rate_init"] == 0.1  # the setting never changes
assert mlp_final_rate == mlp._optimizer.learning_rate  # the replay agrees with the optimizer's (private) rate
print(f"{mlp_epochs} epochs; rate {mlp.learning_rate_init} -> {mlp_final_rate:.2g}; "
      f"test accuracy {mlp.score(X_test, y_test):.3f}")

# %% [markdown]
# ## Go further: sweep the schedule's constants
#
# `invscaling` divides `eta0` by $t^{p}$. A larger `power_t` makes the rate fall faster: fewer
# big steps, a slower approach. Try other values, or another `eta0`, and watch the epochs and the
# test accuracy.

# %%
power_ts = [0.1, 0.25, 0.5, 0.75, 1.0]
sweep = {}
for power_t in power_ts:
    model = SGDClassifier(learning_rate="invscaling", eta0=0.05, power_t=power_t, random_state=0)
    model.fit(X_train, y_train)
    t_last = int(model.t_) - 1
    sweep[power_t] = {
        "epochs": model.n_iter_,
        "final_rate": model.eta0 / t_last**power_t,
        "test_accuracy": model.score(X_test, y_test),
    }
    print(f"power_t={power_t:<5} {model.n_iter_:3d} epochs, final rate {sweep[power_t]['final_rate']:.2e}, "
          f"test accuracy {sweep[power_t]['test_accuracy']:.3f}")

# %%
# alt: invscaling's rate eta0 / t^power_t against the step on log-log axes, one straight line per power_t: the
#      larger power_t, the steeper its line falls.
fig, ax = plt.subplots(figsize=(7, 3.5))
for power_t in power_ts:
    t = np.arange(1, 30 * n_samples)
    ax.plot(t, 0.05 / t**power_t, label=f"power_t = {power_t}")
ax.set_xscale("log")
ax.set_yscale("log")
ax.set_xlabel("step t")
ax.set_ylabel("η = eta0 / t^power_t")
ax.set_title("invscaling with eta0 = 0.05")
ax.legend(fontsize="small")
fig.tight_layout()

# %%
final_rates_by_power_t = [sweep[p]["final_rate"] for p in power_ts]
assert final_rates_by_power_t == sorted(final_rates_by_power_t, reverse=True)  # larger power_t, smaller rate
n_power_t = len(power_ts)
fastest_final_rate = final_rates_by_power_t[-1]
