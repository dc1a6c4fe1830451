"""Benchmark: build times, snippet overhead, serve latency and peak memory, side by side in one run.

    .venv/bin/python bench/run.py            # the real site and a generated corpus, 3 runs each
    .venv/bin/python bench/run.py --runs 5 --pages 300 --per-page 3

Every figure is a median of --runs runs; ratios are computed from figures of this same run.
"plain" is the same site built with execution switched off (LIVEVALUES_EXECUTE=0: nothing runs,
values show as "…", notebooks render without outputs); "compute" is every snippet and notebook
run back to back in one warm process, timed twice: the runs alone, and with their values captured.
Compute runs in the pinned numeric environment builds use (hooks/livevalues/numerics.py), and again
with the kernels the libraries pick for this CPU (and, on an AVX-512 CPU, with OpenBLAS' AVX-512
kernels and numpy's AVX-512 code), one thread each time: the ratios are what the pin costs in speed.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
from livevalues import numerics  # noqa: E402  (the engine lives in hooks/, not in an installed package)

ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}
PINNED = {**ENV, **numerics.pinned_environment(ENV)}  # what a worker runs with
ONE_THREAD = {name: "1" for name in numerics.THREADS}
# What the libraries pick for this CPU: none of the pinned settings, whatever this shell has set.
UNPINNED = {name: value for name, value in ENV.items() if name not in numerics.PIN}
NATIVE = {**UNPINNED, **ONE_THREAD}
AVX512 = {**UNPINNED, **ONE_THREAD, "OPENBLAS_CORETYPE": "SkylakeX"}
HAS_AVX512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"} <= numerics.cpu_flags()
SUMMARY = re.compile(
    r"livevalues: (\d+) snippets: (\d+) run, \d+ from the cache(?:, \d+ still running)?(?:; (\d+) notebooks: (\d+) run)?"
)

SNIPPET = """\
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

X, y = make_classification(n_samples=200, n_features=5, random_state={seed})
model = LogisticRegression(C={c}).fit(X, y)
accuracy = model.score(X, y)
first_weight = float(model.coef_[0, 0])
"""
PAGE = """\
# Term {page}

**Term {page} is a generated page for the benchmark.** It shows values computed at build time.

{sections}
"""
SECTION = """\
## Model {name} {{ #{name} }}

```python
--8<-- "{name}.py"
```

Training accuracy %{{{name}.accuracy:.1%}}, first weight %{{{name}.first_weight:.3f}}.
"""


def make_corpus(where: Path, pages: int, per_page: int) -> Path:
    """A site of the same kind as ours: `pages` pages, each showing `per_page` snippets' values."""
    (where / "docs").mkdir(parents=True)
    (where / "snippets").mkdir()
    for page in range(pages):
        names = [f"p{page:03d}_s{index}" for index in range(per_page)]
        for index, name in enumerate(names):
            (where / "snippets" / f"{name}.py").write_text(SNIPPET.format(seed=page, c=0.5 + index))
        sections = "\n".join(SECTION.format(name=name) for name in names)
        (where / "docs" / f"term-{page:03d}.md").write_text(PAGE.format(page=page, sections=sections))
    (where / "docs" / "index.md").write_text("# Corpus\n\nA generated site for the benchmark.\n")
    (where / "mkdocs.yml").write_text(
        f"""site_name: corpus
theme:
  name: material
  font: false
hooks:
  - {ROOT / "hooks" / "values_hook.py"}
watch:
  - snippets
markdown_extensions:
  - attr_list
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [snippets]
      check_paths: true
"""
    )
    return where


def copy_site(where: Path) -> Path:
    where.mkdir(parents=True)
    for source in ROOT.iterdir():
        if source.name in {"docs", "snippets", "mkdocs.yml"}:  # what the benchmark edits: copies
            (shutil.copytree if source.is_dir() else shutil.copy)(source, where / source.name)
        elif source.is_dir() and source.name not in {".git", ".venv", ".cache", "site"}:
            (where / source.name).symlink_to(source)  # hooks, overrides, includes: read only
    return where


def build(project: Path, cache: Path, execute: bool = True) -> tuple[float, int | None, float]:
    """Seconds, snippets run, peak RSS in MB of the MkDocs process; `execute=False`: the plain build."""
    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import resource, runpy, sys; sys.argv = ['mkdocs', 'build', *sys.argv[2:], '-d', sys.argv[1]];"
            " code = 0\ntry: runpy.run_module('mkdocs', run_name='__main__')\nexcept SystemExit as e: code = e.code\n"
            "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)",
            str(site),
            *(["--strict"] if execute else []),  # a strict build refuses LIVEVALUES_EXECUTE=0
        ],
        cwd=project,
        env={**ENV, "LIVEVALUES_CACHE_DIR": str(cache), "LIVEVALUES_EXECUTE": "1" if execute else "0"},
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - start
    shutil.rmtree(site, ignore_errors=True)
    if done.returncode != 0:
        raise SystemExit(f"build failed in {project}:\n{done.stderr[-3000:]}")
    ran = SUMMARY.search(done.stderr)
    peak = int(re.search(r"peak_rss_kb (\d+)", done.stderr)[1]) / 1024  # type: ignore[index]
    return seconds, int(ran[2]) + int(ran[4] or 0) if ran else None, peak


COMPUTE = """\
import io, runpy, sys, time, warnings
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from livevalues import capture, notebook, preload  # the stack imported and warmed, as in a worker
import matplotlib.pyplot as plt
snippets, notebooks = sorted(Path(sys.argv[1]).glob("[!_]*.py")), sorted(Path(sys.argv[2]).glob("[!_]*.py"))
sys.path.insert(0, sys.argv[1])
run = captured = 0.0
for path in snippets + notebooks:
    with warnings.catch_warnings(), plt.rc_context(capture.FIGURE_STYLE if path in snippets else {}):
        warnings.simplefilter("ignore")
        start = time.perf_counter()
        namespace = runpy.run_path(str(path), run_name="__main__")
        run += time.perf_counter() - start
        if path in notebooks:  # a notebook's values: its cells' outputs, figures as PNG
            plt.close("all")
            start = time.perf_counter()
            namespace, _ = notebook.execute(path, path.read_text(encoding="utf-8"), io.StringIO())
        capture.capture(namespace, path.stem)
        captured += time.perf_counter() - start
        plt.close("all")
print(run, captured)
"""


def compute_seconds(project: Path, environment: dict[str, str] = PINNED) -> tuple[float, float]:
    """Every snippet and notebook back to back in one process that has imported and warmed the stack.

    Two figures: the runs only; and the runs with their values captured as pages show them
    (figures drawn to SVG, notebook figures to PNG, estimators to tables), the same code workers run.
    `environment`: the pinned one by default (NATIVE, AVX512: what the pin is measured against).
    """
    project = project.resolve()
    scratch = tempfile.mkdtemp(prefix="bench-compute-")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            COMPUTE,
            str(project / "snippets"),
            str(project / "docs" / "notebooks"),
            str(ROOT / "hooks"),
        ],
        cwd=scratch,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    shutil.rmtree(scratch, ignore_errors=True)
    run, captured = done.stdout.strip().splitlines()[-1].split()
    return float(run), float(captured)


ISOLATION = """\
import os, sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from livevalues import run_snippets
folder = Path(tempfile.mkdtemp())
paths = []
for index in range(200):
    paths.append(folder / f"nothing_{index}.py")
    paths[-1].write_text("value = 1\\n")
run_snippets(paths[:4], folder)  # the workers started and warm
start = time.perf_counter()
results = run_snippets(paths, folder)
seconds = time.perf_counter() - start
assert all(result.error is None for result in results.values())
print(seconds * (os.cpu_count() or 1) / len(paths))
"""


def isolation_seconds() -> float:
    """The price of running a snippet in its own process: a snippet that does nothing, through the
    real warm workers, in seconds of a core each (fork, set-up, report, exit)."""
    done = subprocess.run(
        [sys.executable, "-c", ISOLATION, str(ROOT / "hooks")], env=ENV, capture_output=True, text=True, check=True
    )
    return float(done.stdout.strip().splitlines()[-1])


def startup_seconds() -> float:
    """What every cold build pays once: a worker server importing and warming the stack."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import time; t = time.perf_counter(); import livevalues.worker; print(time.perf_counter() - t)",
        ],
        env={**PINNED, "PYTHONPATH": str(ROOT / "hooks")},
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip().splitlines()[-1])


def serve_edit_seconds(project: Path, cache: Path) -> tuple[float, int]:
    """From saving one snippet to its new value in the served page, and how many snippets ran."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    log_path = Path(tempfile.mkstemp(prefix="bench-serve-", suffix=".log")[1])
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
            cwd=project,
            env={**ENV, "LIVEVALUES_CACHE_DIR": str(cache), "SITE_URL": f"http://127.0.0.1:{port}/"},
            stdout=log,
            stderr=log,
        )
    snippet = sorted((project / "snippets").glob("[!_]*.py"))[0]
    original = snippet.read_text()
    try:
        url = f"http://127.0.0.1:{port}/"
        wait_until(lambda: fetch(url) is not None, 300)
        page = next(p for p in (project / "docs").rglob("*.md") if f"%{{{snippet.stem}." in p.read_text())
        page_url = url + page.relative_to(project / "docs").with_suffix("").as_posix() + "/"
        marker = "benchmark_marker = 987654321"
        snippet.write_text(original + f"\n{marker}\n# edited\n")
        # The page shows no new number for a new name, so watch the log for the rebuild and then the page.
        mark = log_path.stat().st_size
        start = time.perf_counter()
        wait_until(lambda: "from the cache" in log_path.read_text()[mark:] and fetch(page_url) is not None, 300)
        seconds = time.perf_counter() - start
        ran = SUMMARY.findall(log_path.read_text()[mark:])[-1]
        return seconds, int(ran[1])
    finally:
        snippet.write_text(original)
        server.terminate()
        server.wait(30)


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except OSError:
        return None


def wait_until(condition, seconds: float) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the dev server")
        time.sleep(0.05)


def measure(name: str, project: Path, runs: int, scratch: Path) -> dict[str, float]:
    cores = os.cpu_count() or 1
    n_snippets = sum(
        len(list(folder.glob("[!_]*.py"))) for folder in (project / "snippets", project / "docs" / "notebooks")
    )
    plain, cold, warm, warm_ran, peaks = [], [], [], [], {"plain": 0.0, "cold": 0.0, "warm": 0.0}
    for run in range(runs):
        cache = scratch / f"{name}-cache-{run}"
        seconds, _, peak = build(project, cache, execute=False)
        plain.append(seconds)
        peaks["plain"] = max(peaks["plain"], peak)
        seconds, ran, peak = build(project, cache)
        assert ran == n_snippets, (ran, n_snippets)
        cold.append(seconds)
        peaks["cold"] = max(peaks["cold"], peak)
        seconds, ran, peak = build(project, cache)
        warm.append(seconds)
        warm_ran.append(ran or 0)
        peaks["warm"] = max(peaks["warm"], peak)
    computed, native, avx512 = [], [], []
    for _ in range(runs):  # alternated, so that a noisy neighbour hits each alike
        computed.append(compute_seconds(project))
        native.append(compute_seconds(project, NATIVE))
        avx512.append(compute_seconds(project, AVX512) if HAS_AVX512 else (float("nan"), 0.0))
    compute = statistics.median(run for run, _ in computed)
    compute_captured = statistics.median(captured for _, captured in computed)
    serve = [serve_edit_seconds(project, scratch / f"{name}-cache-0") for _ in range(runs)]
    figures = {
        "pages": len(list((project / "docs").rglob("*.md"))),
        "snippets": n_snippets,
        "plain_s": statistics.median(plain),
        "cold_s": statistics.median(cold),
        "warm_s": statistics.median(warm),
        "compute_s": compute,
        "compute_captured_s": compute_captured,
        "compute_native_s": statistics.median(run for run, _ in native),
        "compute_avx512_s": statistics.median(run for run, _ in avx512),
        "startup_s": statistics.median(startup_seconds() for _ in range(runs)),
        "isolation_ms": 1000 * statistics.median(isolation_seconds() for _ in range(runs)),
        "warm_snippets_run": max(warm_ran),
        "serve_edit_s": statistics.median(s for s, _ in serve),
        "serve_edit_snippets_run": max(r for _, r in serve),
        "peak_plain_mb": peaks["plain"],
        "peak_cold_mb": peaks["cold"],
        "peak_warm_mb": peaks["warm"],
    }
    for suffix, seconds in (("", compute), ("_captured", compute_captured)):
        figures[f"cold_ratio{suffix}"] = figures["cold_s"] / (figures["plain_s"] + seconds / cores)
        overhead = (figures["cold_s"] - figures["plain_s"] - seconds / cores) * cores / n_snippets
        figures[f"overhead_ms{suffix}"] = overhead * 1000
    # No build can beat all of its work spread perfectly over the cores: MkDocs' own (plain), the
    # snippets' with their values captured, the workers' start-up, and one process per snippet.
    work = figures["plain_s"] + compute_captured + figures["startup_s"] + n_snippets * figures["isolation_ms"] / 1000
    figures["bound_s"] = work / cores
    figures["bound_ratio"] = figures["bound_s"] / (figures["plain_s"] + compute / cores)
    figures["bound_ratio_captured"] = figures["bound_s"] / (figures["plain_s"] + compute_captured / cores)
    figures["warm_ratio"] = figures["warm_s"] / figures["plain_s"]
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--per-page", type=int, default=3)
    parser.add_argument("--only", choices=["site", "corpus"])
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        projects = {}
        if args.only != "corpus":
            projects["site"] = copy_site(scratch / "site")
        if args.only != "site":
            projects["corpus"] = make_corpus(scratch / "corpus", args.pages, args.per_page)
        results = {name: measure(name, project, args.runs, scratch) for name, project in projects.items()}
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians of {args.runs} runs\n")
    rows = [
        ("pages / snippets", lambda f: f"{f['pages']:.0f} / {f['snippets']:.0f}"),
        ("plain MkDocs build", lambda f: f"{f['plain_s']:.2f} s"),
        ("compute, one process: runs only", lambda f: f"{f['compute_s']:.2f} s"),
        ("compute, one process: runs + values captured", lambda f: f"{f['compute_captured_s']:.2f} s"),
        ("compute, runs only, the CPU's own kernels", lambda f: f"{f['compute_native_s']:.2f} s"),
        ("compute, runs only, AVX-512 kernels", lambda f: f"{f['compute_avx512_s']:.2f} s"),
        ("pinned / CPU's own kernels", lambda f: f"{f['compute_s'] / f['compute_native_s']:.2f}"),
        ("pinned / AVX-512 kernels", lambda f: f"{f['compute_s'] / f['compute_avx512_s']:.2f}"),
        ("worker start-up (stack import + warm-up)", lambda f: f"{f['startup_s']:.2f} s"),
        ("one process per snippet, a core's time each", lambda f: f"{f['isolation_ms']:.1f} ms"),
        ("cold build", lambda f: f"{f['cold_s']:.2f} s"),
        ("cold / (plain + runs/cores)", lambda f: f"{f['cold_ratio']:.2f}  (target <= 1.30)"),
        ("cold / (plain + runs captured/cores)", lambda f: f"{f['cold_ratio_captured']:.2f}  (target <= 1.30)"),
        ("cold, lower bound: all work / cores", lambda f: f"{f['bound_s']:.2f} s"),
        ("... / (plain + runs/cores)", lambda f: f"{f['bound_ratio']:.2f}"),
        ("... / (plain + runs captured/cores)", lambda f: f"{f['bound_ratio_captured']:.2f}"),
        ("warm build", lambda f: f"{f['warm_s']:.2f} s"),
        ("warm / plain", lambda f: f"{f['warm_ratio']:.2f}  (target <= 1.15)"),
        ("snippets run in a warm build", lambda f: f"{f['warm_snippets_run']:.0f}  (target 0)"),
        ("per-snippet overhead beyond runs", lambda f: f"{f['overhead_ms']:.1f} ms  (target <= 20)"),
        ("... beyond runs captured", lambda f: f"{f['overhead_ms_captured']:.1f} ms  (target <= 20)"),
        ("serve: save one snippet -> page rebuilt", lambda f: f"{f['serve_edit_s']:.2f} s"),
        ("serve: snippets run after that save", lambda f: f"{f['serve_edit_snippets_run']:.0f}  (target 1)"),
        (
            "peak RSS plain / cold / warm",
            lambda f: f"{f['peak_plain_mb']:.0f} / {f['peak_cold_mb']:.0f} / {f['peak_warm_mb']:.0f} MB",
        ),
    ]
    names = list(results)
    print(f"{'':42}" + "".join(f"{name:>30}" for name in names))
    for label, show in rows:
        print(f"{label:42}" + "".join(f"{show(results[name]):>30}" for name in names))


if __name__ == "__main__":
    main()
