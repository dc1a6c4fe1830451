"""Every published value is computed with one BLAS kernel and one SIMD level, whatever the CPU picks."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from livevalues import numerics, run_snippets

PROBE = """\
import os
import threadpoolctl
import numpy as np
import scipy.linalg
from numpy._core._multiarray_umath import __cpu_features__
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.mixture import GaussianMixture

# What starts thread pools when they are allowed more than one thread: large products in numpy's
# and scipy's OpenBLAS, and scikit-learn's OpenMP loops (KMeans, gradient boosting).
X, y = make_blobs(n_samples=2000, n_features=20, random_state=0)
GaussianMixture(n_components=3, random_state=0).fit(X)
KMeans(n_clusters=3, n_init=1, random_state=0).fit(X)
HistGradientBoostingClassifier(max_iter=5, random_state=0).fit(X, y)
square = np.ones((600, 600))
product = float((square @ square)[0, 0] + scipy.linalg.blas.dgemm(1.0, square, square)[0, 0])

blas = sorted(
    f"{info['filepath'].rsplit('/', 1)[-1].split('-')[0]} {info.get('architecture')} {info['num_threads']}"
    for info in threadpoolctl.threadpool_info()
    if info["internal_api"] == "openblas"
)
openmp = sorted(info["num_threads"] for info in threadpoolctl.threadpool_info() if info["user_api"] == "openmp")
numpy_avx512 = bool(__cpu_features__["X86_V4"])
threads = len(os.listdir("/proc/self/task"))
"""


@pytest.mark.skipif(not numerics.can_pin(), reason="the pin applies to Linux on x86-64-v3 CPUs")
@pytest.mark.skipif(
    any(os.environ.get(name, numerics.PIN[name]) != numerics.PIN[name] for name in numerics.PIN),
    reason="a numeric setting made by hand replaces the pin (as the README says, to reproduce another machine)",
)
def test_the_pin_reaches_both_openblas_builds_and_numpy(tmp_path: Path) -> None:
    """What the libraries report inside a snippet, not what the environment says; and the
    snippet's process has one OS thread after BLAS and OpenMP work (`/proc/self/task`)."""
    (tmp_path / "probe.py").write_text(PROBE)
    result = run_snippets([tmp_path / "probe.py"], tmp_path)["probe"]
    assert result.error is None, result.error
    shown = {name: value.get("value", value.get("items")) for name, value in result.values.items()}
    assert shown["blas"] == [
        f"libscipy_openblas {numerics.KERNEL} 1",  # scipy's
        f"libscipy_openblas64_ {numerics.KERNEL} 1",  # numpy's
    ]
    assert shown["numpy_avx512"] is False
    assert shown["openmp"] == [1]  # scikit-learn's libgomp
    assert shown["threads"] == 1  # after BLAS and OpenMP work, no thread pool was started


def test_a_setting_the_user_made_is_kept() -> None:
    environment = {"OPENBLAS_CORETYPE": "Sandybridge"}
    pinned = numerics.pinned_environment(environment)
    assert "OPENBLAS_CORETYPE" not in pinned
    assert pinned["OMP_NUM_THREADS"] == "1"
    assert numerics.effective(environment)["OPENBLAS_CORETYPE"] == "Sandybridge"


def test_the_cache_key_part_follows_every_setting_that_changes_results() -> None:
    base = numerics.fingerprint({})
    for name, value in [
        ("OPENBLAS_CORETYPE", "SkylakeX"),
        ("OPENBLAS_L2_SIZE", "2048"),
        ("OPENBLAS_BLOCK_FACTOR", "2"),
        ("NPY_DISABLE_CPU_FEATURES", ""),
        ("GLIBC_TUNABLES", "glibc.cpu.hwcaps=-AVX2"),
        ("OMP_NUM_THREADS", "2"),
        ("PYTHONHASHSEED", "1"),
    ]:
        assert numerics.fingerprint({name: value}) != base, name
    assert numerics.fingerprint({"UNRELATED": "x"}) == base
    if numerics.can_pin():  # setting the pinned value yourself changes nothing
        assert numerics.fingerprint({"OPENBLAS_CORETYPE": numerics.KERNEL}) == base
