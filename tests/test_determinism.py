"""The determinism check runs snippets twice with different hash seeds and names what differs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import ROOT

FIXTURE = Path(__file__).parent / "determinism"


def test_reports_unseeded_and_hash_order_dependent_values() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "hooks" / "check_determinism.py"), "--root", str(FIXTURE)],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert [line.split(":")[1].strip() for line in lines if line.startswith("differs:")] == [
        "hash_order.order",
        "unseeded.draw",
    ]
    assert lines[-1] == "3 snippets run twice: 2 values differ, 0 snippets failed"


def test_passes_on_deterministic_snippets() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "hooks" / "check_determinism.py"), "--root", str(FIXTURE), "steady"],
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stdout.strip()) == (0, "1 snippets run twice: 0 values differ, 0 snippets failed")
