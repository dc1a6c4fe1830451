"""Cross-validation and the validation set: why a hyperparameter chosen on the test set leaks."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import GridSearchCV, KFold, cross_val_score
from sklearn.neural_network import MLPClassifier
from sklearn.tree import DecisionTreeClassifier

# Labels that are coin flips: no model can beat 50% accuracy on new data, so any score above
# that is luck, or a leak.
chance = 0.5  # the accuracy of any model on new coin flips
# --8<-- [start:data]
rng = np.random.default_rng(0)


def coin_flip_data(n_samples):
    X = rng.normal(size=(n_samples, 5))
    y = rng.integers(0, 2, size=n_samples)
    return X, y
# --8<-- [end:data]


# --8<-- [start:folds]
X_train, y_train = coin_flip_data(100)
folds = KFold(n_splits=5, shuffle=True, random_state=0)
tree = DecisionTreeClassifier(max_depth=3, random_state=0)
scores = cross_val_score(tree, X_train, y_train, cv=folds)
# --8<-- [end:folds]
n_train = len(y_train)
n_splits = folds.get_n_splits()
fold_scores = [round(float(s), 2) for s in scores]
_validated = np.concatenate([validation for _, validation in folds.split(X_train)])
assert sorted(_validated.tolist()) == list(range(n_train))  # every sample is validated exactly once
fold_size = n_train // n_splits
fit_size = n_train - fold_size
assert all(len(t) == fit_size and len(v) == fold_size for t, v in folds.split(X_train))

# GridSearchCV runs the same folds for every candidate, and calls the validation folds "test".
search = GridSearchCV(DecisionTreeClassifier(random_state=0), {"max_depth": [1, 2, 3]}, cv=folds).fit(X_train, y_train)
_per_fold = np.array([search.cv_results_[f"split{i}_test_score"] for i in range(n_splits)])
assert np.allclose(search.cv_results_["mean_test_score"], _per_fold.mean(axis=0))
assert np.allclose(search.cv_results_["mean_test_score"][search.best_index_], search.best_score_)
assert search.cv_results_["params"][2] == {"max_depth": 3}
assert search.cv_results_["split0_test_score"][2] == scores[0]
assert search.best_score_ == search.cv_results_["mean_test_score"].max()

# A validation set inside fit: early stopping holds out validation_fraction of the training data.
# --8<-- [start:inside_fit]
mlp = MLPClassifier(early_stopping=True, random_state=0).fit(X_train, y_train)
# --8<-- [end:inside_fit]
validation_fraction = mlp.validation_fraction
assert all(est().validation_fraction == validation_fraction == 0.1
           for est in (MLPClassifier, SGDClassifier, HistGradientBoostingClassifier))
mlp_epochs = mlp.n_iter_
assert len(mlp.validation_scores_) == mlp_epochs  # one validation score per epoch
assert mlp.best_validation_score_ == max(mlp.validation_scores_)

# The experiment: 40 times over, fit one tree per max_depth on n_per_set samples, then pick the depth
# either by its score on the test set or by its score on a separate validation set, and report
# the winner's test score.
# --8<-- [start:leak]
depths, n_per_set, n_few = range(1, 11), 100, 3
chosen_on_test, chosen_on_validation, few_candidates = [], [], []
for _repeat in range(40):
    X_fit, y_fit = coin_flip_data(n_per_set)
    X_val, y_val = coin_flip_data(n_per_set)
    X_test, y_test = coin_flip_data(n_per_set)
    trees = [DecisionTreeClassifier(max_depth=d, random_state=0).fit(X_fit, y_fit)
             for d in depths]
    test_scores = [tree.score(X_test, y_test) for tree in trees]
    validation_scores = [tree.score(X_val, y_val) for tree in trees]
    chosen_on_test.append(max(test_scores))  # the leak: the test set picks the winner
    chosen_on_validation.append(test_scores[np.argmax(validation_scores)])
    few_candidates.append(max(test_scores[:n_few]))  # the leak among fewer candidates
# --8<-- [end:leak]

n_repeats = len(chosen_on_test)
n_candidates = len(depths)
leaky_mean = float(np.mean(chosen_on_test))
honest_mean = float(np.mean(chosen_on_validation))
leaky_above_chance = sum(s > chance for s in chosen_on_test)
honest_above_chance = sum(s > chance for s in chosen_on_validation)
assert leaky_mean > 0.53  # several points above what any model can really do
assert abs(honest_mean - chance) < 0.01  # the honest protocol's reports average out at chance
assert leaky_above_chance > 0.75 * n_repeats and honest_above_chance < 0.5 * n_repeats
assert all(t >= v for t, v in zip(chosen_on_test, chosen_on_validation))  # the max is never below
few_candidates_mean = float(np.mean(few_candidates))
assert chance < few_candidates_mean < leaky_mean  # fewer candidates, smaller leak
# Every tree is truly at chance: on fresh coin flips, the last repeat's trees all score about 50%.
_X_new, _y_new = coin_flip_data(5000)
fresh_low, fresh_high = chance - 0.03, chance + 0.03
assert all(fresh_low < tree.score(_X_new, _y_new) < fresh_high for tree in trees)

# --8<-- [start:plot]
fig, ax = plt.subplots(figsize=(6, 3))
bins = np.arange(0.335, 0.675, 0.02)  # accuracies are multiples of 0.01: no score sits on an edge
assert bins[0] < min(chosen_on_validation) and max(chosen_on_test) < bins[-1]
ax.hist([chosen_on_validation, chosen_on_test], bins=bins, label=["depth chosen on a validation set",
        "depth chosen on the test set"], color=["tab:blue", "tab:red"])
ax.axvline(chance, color="black", linestyle="--", linewidth=1)
ax.set_xlabel(f"reported test accuracy (true accuracy: {chance})")
ax.set_ylabel("repeats")
ax.legend(fontsize="small", loc="upper left")
fig.tight_layout()
figure = fig
# --8<-- [end:plot]
