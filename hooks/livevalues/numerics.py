"""One numeric environment for every published value: the same BLAS kernel and SIMD level on every x86-64 CPU.

numpy and scipy each bundle an OpenBLAS that picks a compute kernel for the CPU it loads on, and
numpy picks SIMD versions of `exp`, `log`, `tanh`... the same way. Their results differ in the last
bits, and a long fit (an L-BFGS neural network) turns that into a different model. So the workers,
which compute every value a page shows, start with these variables set, before either library loads:

- `OPENBLAS_CORETYPE=Haswell`: AVX2 and FMA kernels, in numpy's OpenBLAS and in scipy's;
- `OPENBLAS_L2_SIZE=512`: the blocking those kernels use, whatever L2 cache the CPU has;
- `NPY_DISABLE_CPU_FEATURES`: numpy's dispatch capped at x86-64-v3 (AVX2), below AVX-512;
- `OMP_NUM_THREADS=1`, `OPENBLAS_NUM_THREADS=1`: one thread, so no sum is split by the core count.

Haswell's level (x86-64-v3) is what every x86-64 CPU sold since about 2015 runs, GitHub's runners
included. A CPU below it runs its own kernels (and says so in the build log); other architectures
(ARM, Apple silicon's Accelerate) have other libraries and are not pinned. Either way the cache key
carries `fingerprint()`, so a result is never reused on a machine whose numbers could differ.

A variable the user has set is left as it is: that is how `hooks/check_determinism.py --kernels`
runs every snippet under other kernels, and how anyone can reproduce another machine's numbers.
"""

from __future__ import annotations

import functools
import hashlib
import os
import platform
from collections.abc import Mapping
from pathlib import Path

KERNEL = "Haswell"
# numpy's SIMD targets above x86-64-v3, in the locked numpy; `problems()` notices when they change.
NUMPY_ABOVE_V3 = ("X86_V4", "AVX512_ICL", "AVX512_SPR")
PIN = {
    "OPENBLAS_CORETYPE": KERNEL,
    # OpenBLAS sizes its blocks (LAPACK's too) by the L2 cache it detects: another CPU, another
    # order of sums. Fixed here. (Some virtual machines report no L2 at all, and OpenBLAS crashes
    # in a 600 x 600 inverse.)
    "OPENBLAS_L2_SIZE": "512",
    "NPY_DISABLE_CPU_FEATURES": " ".join(NUMPY_ABOVE_V3),
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
}
THREADS = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")  # pinned on every machine, whatever its CPU
# Everything else in the environment that can change a computed value: part of the cache key.
# GLIBC_TUNABLES can hide CPU features from libm (the kernel check uses it to act as an older CPU).
AFFECTS_RESULTS = (*PIN, "OPENBLAS_BLOCK_FACTOR", "GLIBC_TUNABLES", "PYTHONHASHSEED")
PINNED_MARK = "LIVEVALUES_PINNED"  # which variables the engine set, for `problems()` to verify
X86_64_V3 = {"avx", "avx2", "fma", "bmi1", "bmi2", "f16c", "movbe", "abm"}  # abm: LZCNT


@functools.cache
def cpu_flags() -> frozenset[str]:
    """The CPU's feature flags from /proc/cpuinfo (Linux), read once; empty elsewhere."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return frozenset()
    for line in text.splitlines():
        if line.startswith("flags"):
            return frozenset(line.partition(":")[2].split())
    return frozenset()


def can_pin() -> bool:
    """Whether this machine runs the pinned kernel: Linux on an x86-64-v3 CPU."""
    return platform.system() == "Linux" and platform.machine() == "x86_64" and cpu_flags() >= X86_64_V3


def pinned_environment(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The variables to add to `environ` for a worker: the pin, minus what the user set themselves."""
    wanted = PIN if can_pin() else {name: PIN[name] for name in THREADS}
    added = {name: value for name, value in wanted.items() if name not in environ}
    if added:
        added[PINNED_MARK] = " ".join(sorted(added))
    return added


def effective(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """What a worker started from `environ` runs with: the user's settings, then the pin."""
    merged = {**environ, **pinned_environment(environ)}
    return {name: merged.get(name, "") for name in AFFECTS_RESULTS}


def describe(environ: Mapping[str, str] = os.environ) -> dict[str, str]:
    """The numeric environment in words: what the snapshots record, and what the cache key covers."""
    settings = effective(environ)
    libc, libc_version = platform.libc_ver()
    described = {
        "machine": f"{platform.system()} {platform.machine()}, {libc or 'libc'} {libc_version}".strip(),
        **{name: value for name, value in settings.items() if name != "PYTHONHASHSEED"},
    }
    if not settings["OPENBLAS_CORETYPE"]:  # the library picks: the CPU itself decides
        described["cpu"] = _cpu_identity()
    return described


def fingerprint(environ: Mapping[str, str] = os.environ) -> str:
    """A short key part: results computed under one fingerprint are valid under it only."""
    text = "\n".join(f"{name}={value}" for name, value in sorted(describe(environ).items()))
    text += f"\nPYTHONHASHSEED={effective(environ)['PYTHONHASHSEED']}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cpu_identity() -> str:
    """The CPU model and flags, for a machine whose kernel is chosen by the CPU (not pinned)."""
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown CPU"
    model = next((line.partition(":")[2].strip() for line in text.splitlines() if line.startswith("model name")), "")
    flags = hashlib.sha256(" ".join(sorted(cpu_flags())).encode()).hexdigest()[:8]
    return f"{model or platform.processor() or 'unknown CPU'} (flags {flags})"


def problems() -> list[str]:
    """In a worker, after numpy and scipy loaded: how the pin failed to take, if it did.

    Checks what the libraries report, not what the environment says: both OpenBLAS builds run the
    same kernel (the pinned one when the engine pinned it), and numpy's capped targets are off.
    """
    import threadpoolctl
    from numpy._core._multiarray_umath import __cpu_dispatch__, __cpu_features__

    found = []
    pinned = set(os.environ.get(PINNED_MARK, "").split())
    kernels = {
        info["filepath"]: info.get("architecture")
        for info in threadpoolctl.threadpool_info()
        if info["internal_api"] == "openblas"
    }
    if len(set(kernels.values())) > 1:
        found.append(f"numpy's and scipy's OpenBLAS run different kernels: {kernels}")
    if "OPENBLAS_CORETYPE" in pinned and any(kernel != KERNEL for kernel in kernels.values()):
        found.append(f"OPENBLAS_CORETYPE={KERNEL} did not reach OpenBLAS: {kernels}")
    if "NPY_DISABLE_CPU_FEATURES" in pinned:
        unknown = set(__cpu_dispatch__) - {"X86_V3", *NUMPY_ABOVE_V3}
        if unknown:
            found.append(
                f"numpy dispatches to {sorted(unknown)}, which livevalues/numerics.py does not know:"
                " update NUMPY_ABOVE_V3 for this numpy"
            )
        still_on = [name for name in NUMPY_ABOVE_V3 if __cpu_features__.get(name)]
        if still_on:
            found.append(f"NPY_DISABLE_CPU_FEATURES did not reach numpy: {still_on} still on")
    return found
