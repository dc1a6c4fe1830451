"""The determinism check: twice with two hash seeds (raw values), and under several kernels (shown text)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from conftest import FIXTURES, ROOT
from livevalues import numerics

pytestmark = pytest.mark.slow

FIXTURE = FIXTURES / "determinism"
CHECK = str(ROOT / "hooks" / "check_determinism.py")


def check(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, CHECK, "--root", str(FIXTURE), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "LIVEVALUES_CACHE_DIR": ""},
    )


def test_reports_unseeded_and_hash_order_dependent_values_and_only_those() -> None:
    done = check("--seeds", "hash_order", "steady", "unseeded")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines if line.startswith("differs:")] == [
        "hash_order.order",
        "unseeded.draw",
    ]  # not `steady`: its value is the same in both runs
    assert lines[-1] == "3 snippets and notebooks run twice: 2 values differ, 0 failed"


@pytest.mark.skipif(not numerics.can_pin(), reason="the kernel check runs x86-64 kernels: Linux on an AVX2 CPU")
def test_reports_a_shown_value_that_flips_between_kernels() -> None:
    """`flips.total` shows 17 digits of a matrix inverse's sum: the last ones differ between kernels.

    Two profiles (the pinned AVX2 one and SSE) are enough to show it; CI runs all four on the site.
    """
    done = check("--kernels", "--profiles", "avx2,sse")
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    differing = [line for line in lines if line.startswith("docs/")]
    assert [line.split(": ")[:2] for line in differing] == [["docs/index.md:5", "%{flips.total:.17g}"]]
    assert "(avx2) | " in differing[0]
    assert "(sse)" in differing[0]
    assert lines[-1] == "kernels: 3 shown values under 2 profiles (avx2, sse): 1 differ"
