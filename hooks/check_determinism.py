"""Run every snippet twice, in two processes with different hash seeds, and report values that differ.

    .venv/bin/python hooks/check_determinism.py              # every snippet in snippets/
    .venv/bin/python hooks/check_determinism.py svm k_means  # some of them

A value that differs between the runs is a missing random_state, an unseeded generator, or an
iteration over a set or dict whose order depends on the hash seed. Exit status 1 if any differ.
No cache is used: both runs execute every snippet.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

from livevalues import run_snippets

CHILD = "LIVEVALUES_DETERMINISM_CHILD"


def run_once(root: Path, names: list[str]) -> dict[str, dict[str, object]]:
    """In a child process: every snippet's values, or its error, as JSON-able data."""
    paths = [root / "snippets" / f"{name}.py" for name in names]
    results = run_snippets(paths, root)
    outcome: dict[str, dict[str, object]] = {}
    for name, result in results.items():
        outcome[name] = {"error": result.error.message} if result.error else dict(result.values)
    return outcome


def differences(first: dict[str, dict[str, object]], second: dict[str, dict[str, object]]) -> list[str]:
    found = []
    for snippet in sorted(first):
        for name in sorted(set(first[snippet]) | set(second[snippet])):
            a, b = first[snippet].get(name), second[snippet].get(name)
            if a != b:
                found.append(f"{snippet}.{name}: {_short(a)}  vs  {_short(b)}")
    return found


def _short(value: object) -> str:
    text = json.dumps(value.get("value", value.get("items", value)) if isinstance(value, dict) else value)
    return text if len(text) <= 80 else text[:79] + "…"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snippets", nargs="*", help="snippet names (default: all)")
    parser.add_argument("--root", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args()
    root = args.root.resolve()
    names = args.snippets or sorted(path.stem for path in (root / "snippets").glob("[!_]*.py"))
    if os.environ.get(CHILD):
        json.dump(run_once(root, names), sys.stdout)
        return 0
    runs = []
    for seed in ("1", "2"):  # a fresh process each: its forkserver, and so every worker, gets this seed
        done = subprocess.run(
            [sys.executable, __file__, "--root", str(root), *names],
            env={**os.environ, CHILD: "1", "PYTHONHASHSEED": seed},
            capture_output=True,
            text=True,
            check=True,
        )
        runs.append(json.loads(done.stdout))
    found = differences(*runs)
    failed = sorted(name for name, values in runs[0].items() if "error" in values)
    for line in found:
        print(f"differs: {line}")
    for name in failed:
        print(f"failed: snippets/{name}.py: {runs[0][name]['error']}")
    print(f"{len(names)} snippets run twice: {len(found)} values differ, {len(failed)} snippets failed")
    return 1 if found or failed else 0


if __name__ == "__main__":
    sys.exit(main())
