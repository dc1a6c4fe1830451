import numpy as np

draw = float(np.random.default_rng().random())
