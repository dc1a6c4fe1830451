import sklearn_does_not_exist  # noqa: F401

value = 1
