import os
from pathlib import Path

import numpy as np
import sklearn

cwd_is_scratch = Path.cwd().name.startswith("livevalues-observes-")
env_untouched = "LIVEVALUES_MEDDLED" not in os.environ
config_untouched = sklearn.get_config()["assume_finite"] is False
printoptions_untouched = np.get_printoptions()["precision"] == 8
hostile_text = "<script>alert('x')</script> & *stars*"
print("<script>document.title = 'owned'</script>")
