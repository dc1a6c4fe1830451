"""The forkserver's preload: the scientific stack imported and warmed once, for every fork to inherit.

The forkserver imports this module (through `worker`) before it forks anything, so numpy, scipy,
scikit-learn and matplotlib are imported, and their first-call costs paid, once per build. The
forkserver is also the root of every process a snippet starts: it adopts their orphans and kills
its whole tree when MkDocs ends (see `processes`).
"""

from __future__ import annotations

import atexit
import importlib
import io
import os
import warnings

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import threadpoolctl

from livevalues import capture, numerics, processes
from livevalues.cache import environment_fingerprint

# Imported once in the forkserver, so every snippet forked from it starts with them loaded.
PRELOADED = (
    "numpy",
    "scipy.stats",
    "sklearn.cluster",
    "sklearn.datasets",
    "sklearn.ensemble",
    "sklearn.feature_extraction.text",
    "sklearn.linear_model",
    "sklearn.mixture",
    "sklearn.model_selection",
    "sklearn.naive_bayes",
    "sklearn.neighbors",
    "sklearn.neural_network",
    "sklearn.pipeline",
    "sklearn.preprocessing",
    "sklearn.svm",
    "sklearn.tree",
)
for _module in PRELOADED:
    importlib.import_module(_module)
# One BLAS/OpenMP thread per worker: workers already fill the cores, and sums come out the same on
# every machine. Set once here in the forkserver (about 75 ms a call) and inherited by every fork.
threadpoolctl.threadpool_limits(1)


def _warm_up() -> None:
    """Pay scikit-learn's and matplotlib's first-call costs once, here, instead of in every fork.

    Lazy set-ups a fork would otherwise repeat: the thread-pool controller scikit-learn consults
    around each KMeans or HistGradientBoosting fit, joblib's configuration, matplotlib's mathtext
    parser (a pyparsing grammar, about 100 ms), its font lookups, and the SVG and PNG writers.
    Everything here uses explicit seeds, restores rcParams and closes its figures, so no snippet
    can see that it ran (the determinism check would tell).
    """
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_classification
    from sklearn.ensemble import HistGradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.mixture import GaussianMixture
    from sklearn.model_selection import GridSearchCV
    from sklearn.neural_network import MLPClassifier
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X, y = make_classification(n_samples=60, n_features=4, random_state=0)
        for model in (
            LogisticRegression(),
            DecisionTreeClassifier(random_state=0),
            RandomForestClassifier(n_estimators=2, random_state=0),
            HistGradientBoostingClassifier(max_iter=2, random_state=0),
            MLPClassifier(hidden_layer_sizes=(3,), max_iter=2, random_state=0),
        ):
            model.fit(X, y).score(X, y)
        GridSearchCV(SVC(), {"C": [1.0]}, cv=2).fit(X, y)
        KMeans(n_clusters=2, n_init=1, random_state=0).fit(X)
        GaussianMixture(n_components=2, random_state=0).fit(X).bic(X)
        for style, form in ((capture.FIGURE_STYLE, "svg"), ({}, "png")):
            with matplotlib.rc_context(style):
                figure, axes = plt.subplots()
                axes.plot([1, 10], [1, 100], label=r"$\alpha_t = \eta_0 / t^{0.5}$")
                axes.scatter([1, 2], [3, 4], c=[0, 1])
                axes.set(xscale="log", yscale="log", xlabel="step $t$", title="warm-up")
                axes.legend()
                figure.savefig(io.BytesIO() if form == "png" else io.StringIO(), format=form, bbox_inches="tight")
                plt.close(figure)


_warm_up()

if os.environ.pop("LIVEVALUES_FORKSERVER", None):  # this import is the forkserver's preload
    processes.adopt_orphans()  # children of a worker a snippet killed come here, not to init
    # ...and are reaped by its loop, which would warn about each of them on MkDocs' console.
    warnings.filterwarnings("ignore", message="forkserver: waitpid returned unexpected pid")
    # It exits when MkDocs does (even killed); its workers, their snippets and all they started go too.
    atexit.register(processes.kill_descendants, os.getpid())  # forks end with os._exit: never theirs

# What every result of this worker is stored under: the engine files as they were when it loaded them.
ENVIRONMENT = environment_fingerprint()
# Checked once the libraries are loaded: a pin that did not take fails every snippet, loudly.
NUMERICS_PROBLEMS = numerics.problems()
