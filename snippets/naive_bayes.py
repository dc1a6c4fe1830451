"""Naive Bayes: GaussianNB and MultinomialNB, what you set vs what fit learns."""

import numpy as np
from sklearn.datasets import load_iris
from sklearn.feature_extraction.text import CountVectorizer
from sklearn.naive_bayes import GaussianNB, MultinomialNB

# --8<-- [start:gaussian]
X, y = load_iris(return_X_y=True)

gnb = GaussianNB(var_smoothing=1e-9)   # hyperparameters: priors, var_smoothing
gnb.fit(X, y)

gnb.theta_        # per-class feature means,     shape (n_classes, n_features)
gnb.var_          # per-class feature variances, shape (n_classes, n_features)
gnb.class_prior_  # class frequencies in y (because priors=None)
gnb.epsilon_      # var_smoothing * largest feature variance, added to every var_
# --8<-- [end:gaussian]

n_classes, n_features = gnb.theta_.shape
var_smoothing = gnb.var_smoothing
epsilon = gnb.epsilon_
max_feature_variance = float(np.var(X, axis=0).max())
class_prior = gnb.class_prior_
setosa_means = gnb.theta_[0]
n_gaussian_learned = gnb.theta_.size + gnb.var_.size + gnb.class_prior_.size

# Claims: epsilon_ is var_smoothing times the largest feature variance (variance, not std)
assert np.isclose(gnb.epsilon_, gnb.var_smoothing * max_feature_variance, rtol=1e-12, atol=0)
# theta_ and var_ are per-class means and (smoothed) variances of the training data
for _k in range(n_classes):
    assert np.allclose(gnb.theta_[_k], X[y == _k].mean(axis=0))
    assert np.allclose(gnb.var_[_k], X[y == _k].var(axis=0) + gnb.epsilon_)
# class_prior_ is learned from y unless priors is set, in which case it is copied, not learned
assert np.allclose(gnb.class_prior_, np.bincount(y) / len(y))
# --8<-- [start:priors]
fixed_priors = [0.5, 0.25, 0.25]
gnb_fixed = GaussianNB(priors=fixed_priors).fit(X, y)
# --8<-- [end:priors]
assert np.allclose(gnb_fixed.class_prior_, fixed_priors)
assert np.allclose(gnb_fixed.theta_, gnb.theta_)   # the means do not depend on the priors

# --8<-- [start:multinomial]
docs = [
    "goal match striker goal",
    "referee match penalty",
    "striker scores late goal",
    "oven bake bread flour",
    "flour sugar bake cake",
    "bread oven recipe",
]
labels = ["sport", "sport", "sport", "baking", "baking", "baking"]

vectorizer = CountVectorizer()
counts = vectorizer.fit_transform(docs)     # word counts: the FEATURES (input X)

mnb = MultinomialNB(alpha=1.0)              # hyperparameters: alpha, fit_prior, class_prior
mnb.fit(counts, labels)

mnb.class_count_        # documents per class
mnb.feature_count_      # word counts summed per class, shape (n_classes, n_words)
mnb.feature_log_prob_   # learned log P(word | class), smoothed with alpha
# --8<-- [end:multinomial]

alpha = mnb.alpha
n_docs, n_words = counts.shape
mnb_classes = [str(c) for c in mnb.classes_]
class_count = mnb.class_count_
vocabulary = list(vectorizer.get_feature_names_out())
_goal = vectorizer.vocabulary_["goal"]
_sport = mnb_classes.index("sport")
goal_count_in_sport = int(mnb.feature_count_[_sport, _goal])
goal_prob_in_sport = float(np.exp(mnb.feature_log_prob_[_sport, _goal]))
_baking = mnb_classes.index("baking")
goal_prob_in_baking = float(np.exp(mnb.feature_log_prob_[_baking, _goal]))
mnb_prediction = str(mnb.predict(vectorizer.transform(["late goal in the match"]))[0])

# Claims: feature_count_ is the class-wise sum of the input counts (a statistic of the features) ...
_dense = counts.toarray()
_y_text = np.array(labels)
for _k, _c in enumerate(mnb.classes_):
    assert np.array_equal(mnb.feature_count_[_k], _dense[_y_text == _c].sum(axis=0))
# ... and feature_log_prob_ is that count smoothed with alpha and normalised per class
_smoothed = mnb.feature_count_ + mnb.alpha
assert np.allclose(mnb.feature_log_prob_, np.log(_smoothed / _smoothed.sum(axis=1, keepdims=True)))
# A word never seen in a class still gets a non-zero probability thanks to alpha
assert goal_count_in_sport > 0 and mnb.feature_count_[_baking, _goal] == 0 and goal_prob_in_baking > 0
assert mnb_prediction == "sport"
