import os

import numpy as np
import sklearn

os.chdir("/")
os.environ["LIVEVALUES_MEDDLED"] = "yes"
sklearn.set_config(assume_finite=True)
np.random.seed(123)
np.set_printoptions(precision=1)
value = 1
