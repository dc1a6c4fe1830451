"""Word counts are features (columns of X); per-class word probabilities are learned parameters."""

import numpy as np
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.naive_bayes import MultinomialNB
from sklearn.pipeline import make_pipeline

# --8<-- [start:data]
sentences = [
    "the team won the match in the last minute",
    "the striker scored a late goal",
    "fans cheered as the team scored again",
    "simmer the sauce and add the garlic",
    "bake the bread until the crust is golden",
    "add salt to the sauce before serving",
]
labels = ["sport", "sport", "sport", "cooking", "cooking", "cooking"]
# --8<-- [end:data]

# --8<-- [start:features]
vectorizer = CountVectorizer()
X = vectorizer.fit_transform(sentences)  # sparse matrix: one row per sentence, one column per word
# --8<-- [end:features]

n_sentences, vocabulary_size = X.shape
first_sentence = sentences[0]
_words = vectorizer.get_feature_names_out()
_first_row = X[0].toarray().ravel()
first_row = ", ".join(f"{word}: {count}" for word, count in zip(_words, _first_row) if count)
first_row_nonzero = int(np.count_nonzero(_first_row))
first_row_length = int(_first_row.sum())  # "sentence length" is one more feature you could add
assert first_row_length == len(first_sentence.split())
assert vocabulary_size == len(vectorizer.vocabulary_)
the_column = int(vectorizer.vocabulary_["the"])
the_counts = X[:, the_column].toarray().ravel()  # the "word frequency" feature, one value per sentence

# --8<-- [start:fit]
nb = MultinomialNB(alpha=1.0).fit(X, labels)
word_probabilities = np.exp(nb.feature_log_prob_)  # P(word | class), one row per class
# --8<-- [end:fit]

classes = [str(c) for c in nb.classes_]
class_count = nb.class_count_
_sport = classes.index("sport")
_cooking = classes.index("cooking")
_sauce = int(vectorizer.vocabulary_["sauce"])
_team = int(vectorizer.vocabulary_["team"])
alpha = nb.alpha
p_sauce_given_cooking = float(word_probabilities[_cooking, _sauce])
p_sauce_given_sport = float(word_probabilities[_sport, _sauce])
p_team_given_sport = float(word_probabilities[_sport, _team])
p_team_given_cooking = float(word_probabilities[_cooking, _team])
learned_shape = list(nb.feature_log_prob_.shape)
assert learned_shape == [len(classes), vocabulary_size]
assert np.allclose(word_probabilities.sum(axis=1), 1.0)
# "sauce" never appears in a sport sentence, yet its probability there is not zero: smoothing.
assert nb.feature_count_[_sport, _sauce] == 0 and p_sauce_given_sport > 0
# Learned values are not columns of X: they are computed from all rows of one class at once.
assert np.array_equal(nb.feature_count_[_sport], X[np.array(labels) == "sport"].sum(axis=0).A1)

# --8<-- [start:alpha]
small_alpha = 0.1
nb_small_alpha = MultinomialNB(alpha=small_alpha).fit(X, labels)
p_small_alpha = np.exp(nb_small_alpha.feature_log_prob_)
# --8<-- [end:alpha]
p_sauce_given_sport_small_alpha = float(p_small_alpha[_sport, _sauce])
p_sauce_given_cooking_small_alpha = float(p_small_alpha[_cooking, _sauce])
assert p_sauce_given_sport_small_alpha < p_sauce_given_sport
assert p_sauce_given_cooking_small_alpha > p_sauce_given_cooking
# alpha changes the learned probabilities but is not one of them, and fit does not touch it
assert np.array_equal(nb.class_count_, nb_small_alpha.class_count_)
assert nb_small_alpha.get_params()["alpha"] == small_alpha

# --8<-- [start:new_sentence]
new_sentence = "the team scored"
predicted = str(nb.predict(vectorizer.transform([new_sentence]))[0])
# --8<-- [end:new_sentence]
assert predicted == "sport"

# The vocabulary is learned too, by the vectorizer's fit, and fixes which columns X has.
# --8<-- [start:pipeline]
pipeline = make_pipeline(CountVectorizer(ngram_range=(1, 2)), MultinomialNB()).fit(sentences, labels)
# --8<-- [end:pipeline]
bigram_vocabulary_size = len(pipeline[0].vocabulary_)
unseen_word_columns = int(vectorizer.transform(["the chef scored"]).sum())
assert bigram_vocabulary_size > vocabulary_size
assert unseen_word_columns == 2  # "chef" was not in the fitted vocabulary_: it has no column
assert "countvectorizer__ngram_range" in pipeline.get_params()
assert "multinomialnb__alpha" in pipeline.get_params()

# Corpus statistics are learned: TfidfVectorizer's fit counts in how many training sentences each
# word occurs and keeps idf_, which transform then reads for every new document.
# --8<-- [start:idf]
tfidf = TfidfVectorizer().fit(sentences)
idf = dict(zip(tfidf.get_feature_names_out(), tfidf.idf_))
# --8<-- [end:idf]
idf_the = float(idf["the"])
idf_sauce = float(idf["sauce"])
_n = len(sentences)
_df = (X > 0).sum(axis=0).A1  # in how many sentences each word occurs
# smooth_idf=True (the default): idf = ln((1 + n) / (1 + df)) + 1
assert np.allclose(tfidf.idf_, np.log((1 + _n) / (1 + _df)) + 1)
sentences_with_the = int(_df[the_column])
sentences_with_sauce = int(_df[_sauce])
assert sentences_with_the == _n and idf_the == 1.0 and idf_sauce > idf_the
# Fitted on other documents, the same sentence gets other feature values: idf_ was learned.
_other_fit = TfidfVectorizer().fit(sentences[:3] + ["sauce sauce sauce"])
_row = tfidf.transform([new_sentence]).toarray()
_other_row = _other_fit.transform([new_sentence]).toarray()
idf_depends_on_corpus = not np.allclose(
    _row[0, [tfidf.vocabulary_[w] for w in new_sentence.split()]],
    _other_row[0, [_other_fit.vocabulary_[w] for w in new_sentence.split()]],
)
assert idf_depends_on_corpus
