"""Check that every value the site shows comes out the same on every run and every machine.

    .venv/bin/python hooks/check_determinism.py             # both checks below
    .venv/bin/python hooks/check_determinism.py --seeds     # twice, with two hash seeds
    .venv/bin/python hooks/check_determinism.py --kernels   # once under each kernel this CPU runs
    .venv/bin/python hooks/check_determinism.py --seeds svm k_means   # some snippets only

Seeds: every snippet and notebook runs twice, in two processes with different hash seeds, and every
value is compared as computed, shown or not. A difference is a missing random_state, an unseeded
generator, or an iteration over a set whose order depends on the hash seed.

Kernels: every snippet and notebook runs under each numeric profile this CPU can run: the BLAS
kernels of an SSE, an AVX, an AVX2 and an AVX-512 machine, with numpy's SIMD level, libm's FMA
use and an L2 cache size (OpenBLAS blocks its work by it) to match. Builds pin one profile (see hooks/livevalues/numerics.py), so these are the numbers
another architecture, or a future library, could produce. What is compared is the text a reader
sees: a value whose shown form changes is reported at the line that shows it,

    docs/models/svm.md:12: %{svm.margin:.4f}: '0.1235' (avx2) | '0.1234' (sse)

so that the snippet can be made robust: converge fully, pick a better-conditioned example, show
fewer digits, or show a count that does not depend on the last bit.

Results are cached per profile and seed, like a build's (`LIVEVALUES_CACHE_DIR`, empty for none):
an unchanged snippet is not run again. Exit status 1 if anything differs or fails.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from livevalues import Build, Cache, find_placeholders, numerics, run_snippets
from livevalues.problems import label

CHILD = "LIVEVALUES_CHECK_CHILD"
ROOT = Path(__file__).resolve().parent.parent
NUMPY_V2 = " ".join(("X86_V3", *numerics.NUMPY_ABOVE_V3))  # numpy at its x86-64-v2 baseline
# (name, CPU flags it needs, environment): from the oldest x86-64 to AVX-512. The first is the pin.
PROFILES: list[tuple[str, set[str], dict[str, str]]] = [
    ("avx2", numerics.X86_64_V3, dict(numerics.PIN)),
    (
        "sse",
        {"sse2"},
        {
            "OPENBLAS_CORETYPE": "Prescott",
            "OPENBLAS_L2_SIZE": "256",
            "NPY_DISABLE_CPU_FEATURES": NUMPY_V2,
            "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX,-AVX2,-FMA,-AVX512F",
        },
    ),
    (
        "avx",
        {"avx"},
        {
            "OPENBLAS_CORETYPE": "Sandybridge",
            "OPENBLAS_L2_SIZE": "1024",
            "NPY_DISABLE_CPU_FEATURES": NUMPY_V2,
            "GLIBC_TUNABLES": "glibc.cpu.hwcaps=-AVX2,-FMA,-AVX512F",
        },
    ),
    (
        "avx512",
        {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"},
        {"OPENBLAS_CORETYPE": "SkylakeX", "OPENBLAS_L2_SIZE": "2048", "NPY_DISABLE_CPU_FEATURES": ""},
    ),
]


def run_once(root: Path, names: list[str], pages: bool) -> dict[str, Any]:
    """In a child process: the snippets' raw values, and every string the pages show (if `pages`)."""
    docs = root / "docs"
    folder = os.environ.get("LIVEVALUES_CACHE_DIR", str(root / ".cache" / "livevalues"))
    cache = Cache(Path(folder), root) if folder else None
    sources = {p.relative_to(docs).as_posix(): p.read_text(encoding="utf-8") for p in sorted(docs.rglob("*.md"))}
    build = Build(root, docs, cache=cache, execute=pages)
    build.run(sources)
    others = [root / "snippets" / f"{name}.py" for name in names if name not in build.results]
    results = {**build.results, **run_snippets(others, root, cache=cache)}
    shown = []
    for src, markdown in sources.items():
        build.pages.fill(src, build.pages.mark(src, markdown))
        page = build.pages[src]
        for placeholder in find_placeholders(markdown)[0]:
            text = page.shown.get(placeholder.text)
            result = results.get(placeholder.snippet)
            value = result.values.get(placeholder.name) if result and not result.error else None
            if value and value.get("kind") == "figure":
                text = value["svg"]
            shown.append([f"{page.label}:{placeholder.line}", placeholder.text, text])
    for path in build.notebook_sources() if pages else []:
        shown += notebook_outputs(root, path, build.executed_notebook(path.stem))
    values = {
        name: {"error": result.error.message} if result.error else dict(result.values)
        for name, result in results.items()
    }
    return {"values": values, "shown": shown if pages else []}


def notebook_outputs(root: Path, path: Path, executed: str | None) -> list[list[Any]]:
    """What a notebook page shows, cell by cell, at the line where each cell starts."""
    from livevalues import notebook  # here, in the child that ran them: it loads matplotlib

    where = label(path, root)
    if executed is None:
        return [[f"{where}:1", "the notebook", "failed"]]
    text = path.read_text(encoding="utf-8")
    found, cursor = [], 0
    for cell in json.loads(executed)["cells"]:
        if cell["cell_type"] != "code":
            continue
        line, cursor = notebook.locate(text, "".join(cell["source"]), cursor)
        shown = []
        for output in cell["outputs"]:
            if "text" in output:
                shown.append("".join(output["text"]))
            for kind, data in output.get("data", {}).items():
                data = "".join(data) if isinstance(data, list) else data
                shown.append(
                    data if kind == "text/plain" else f"{kind} {hashlib.sha256(data.encode()).hexdigest()[:12]}"
                )
        found.append(
            [f"{where}:{line}", f"code cell {cell['execution_count']} (In [{cell['execution_count']}])", shown]
        )
    return found


def in_child(root: Path, names: list[str], pages: bool, environment: dict[str, str]) -> dict[str, Any]:
    """`run_once` in a fresh process (so its forkserver, and every worker, starts with `environment`)."""
    done = subprocess.run(
        [sys.executable, __file__, "--root", str(root), *names],
        env={**os.environ, **environment, CHILD: "pages" if pages else "snippets"},
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        sys.exit(f"a check run failed:\n{done.stderr[-3000:]}")
    return dict(json.loads(done.stdout))


def check_seeds(root: Path, names: list[str], pages: bool) -> list[str]:
    """Raw values that differ between two hash seeds, and snippets that failed."""
    first, second = (in_child(root, names, pages, {"PYTHONHASHSEED": seed})["values"] for seed in ("1", "2"))
    found = []
    for snippet in sorted(first):
        for name in sorted(set(first[snippet]) | set(second.get(snippet, {}))):
            a, b = first[snippet].get(name), second.get(snippet, {}).get(name)
            if a != b:
                found.append(f"differs: {snippet}.{name}: {_short(a)}  vs  {_short(b)}")
    failed = [f"failed: {name}: {values['error']}" for name, values in sorted(first.items()) if "error" in values]
    for line in found + failed:
        print(line)
    print(f"{len(first)} snippets and notebooks run twice: {len(found)} values differ, {len(failed)} failed")
    return found + failed


def check_kernels(root: Path, names: list[str], only: list[str] | None = None) -> list[str]:
    """Shown strings that differ between the numeric profiles this CPU can run (or those of `only`)."""
    flags = numerics.cpu_flags()
    profiles = [
        (name, environment)
        for name, needs, environment in PROFILES
        if needs <= flags and (only is None or name in only)
    ]
    if not numerics.can_pin() or len(profiles) < 2:
        print("kernels: needs Linux on an x86-64-v3 CPU (AVX2), to run several kernels; skipped")
        return []
    runs = {name: in_child(root, names, True, environment)["shown"] for name, environment in profiles}
    found = []
    reference = runs[profiles[0][0]]
    for index, (location, what, text) in enumerate(reference):
        seen = {name: shown[index][2] for name, shown in runs.items()}
        if len({json.dumps(text) for text in seen.values()}) > 1:
            found.append(
                f"{location}: {what}: " + " | ".join(f"{_short(text)} ({name})" for name, text in seen.items())
            )
    for line in found:
        print(line)
    print(
        f"kernels: {len(reference)} shown values under {len(profiles)} profiles"
        f" ({', '.join(name for name, _ in profiles)}): {len(found)} differ"
    )
    return found


def _short(value: object) -> str:
    if isinstance(value, dict):
        value = value.get("value", value.get("items", value))
    text = value if isinstance(value, str) and not value.startswith("<svg") else json.dumps(value)
    text = repr(text) if isinstance(value, str) and not value.startswith("<svg") else text
    return text if len(text) <= 80 else text[:79] + "…"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("snippets", nargs="*", help="snippet names (default: all)")
    parser.add_argument("--root", type=Path, default=ROOT)
    parser.add_argument("--seeds", action="store_true", help="only the hash-seed check")
    parser.add_argument("--kernels", action="store_true", help="only the kernel check")
    parser.add_argument(
        "--profiles",
        type=lambda text: text.split(","),
        help=f"the kernel check's profiles, comma-separated (default: all this CPU runs: {', '.join(p[0] for p in PROFILES)})",
    )
    args = parser.parse_args()
    root = args.root.resolve()
    names = args.snippets or sorted(path.stem for path in (root / "snippets").glob("[!_]*.py"))
    if os.environ.get(CHILD):
        json.dump(run_once(root, names, pages=os.environ[CHILD] == "pages"), sys.stdout)
        return 0
    both = not (args.seeds or args.kernels)
    problems: list[str] = []
    if args.seeds or both:  # named snippets only, when names are given; else the whole site too
        problems += check_seeds(root, names, pages=not args.snippets)
    if args.kernels or both:
        problems += check_kernels(root, names, args.profiles)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
