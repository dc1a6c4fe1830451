import warnings

warnings.warn("a ConvergenceWarning-like problem", UserWarning)
value = 1
