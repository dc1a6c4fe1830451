from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

X, y = make_classification(n_samples=200, random_state=0)
model = LogisticRegression(max_iter=1).fit(X, y)
value = 1
