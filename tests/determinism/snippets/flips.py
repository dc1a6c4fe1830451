"""A value whose last digits depend on the BLAS kernel: the sum of a matrix inverse, in full."""

import numpy as np

matrix = np.random.default_rng(0).standard_normal((200, 200))
total = float(np.linalg.inv(matrix).sum())
rounded = round(total, 3)  # shown to three decimals: the same under every kernel
