"""Benchmark: build times, where a cold build's CPU-seconds go, serve latency and peak memory, in one run.

    .venv/bin/python bench/run.py                    # the site and the realistic corpus, medians of 3 runs
    .venv/bin/python bench/run.py --runs 5 --projects realistic,quick --kernels

Projects: "site" (this repository), "realistic" (100 generated pages x 3 snippets like the site's:
SVC kernels, GaussianMixture BIC sweeps, SGD and small MLP fits) and "quick" (300 pages x 3
snippets of about 2.5 ms each: the worst case for a per-snippet cost). Every figure is a median of
--runs runs; ratios are computed from figures of this same run. "plain" is the same project built
with execution switched off (LIVEVALUES_EXECUTE=0); "compute" is every snippet and notebook run back
to back in one warm process with one BLAS/OpenMP thread. CPU-seconds are counted twice: for the
build's own process tree (MkDocs, the forkserver, its workers and every snippet's fork, collected
with `getrusage(RUSAGE_CHILDREN)`), and machine-wide from /proc/stat (busy time, steal excluded),
which also counts whatever else runs on the machine: read the load average printed with them.
On the realistic corpus, markdown-exec (installed from PyPI into a bench-only virtualenv,
bench/.venv-peers, never into the project's lock) builds the same pages for the ratio to a peer;
--no-peers skips it. --kernels adds the compute under the CPU's own BLAS kernels (what the pin costs).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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
AVX512 = {**UNPINNED, **ONE_THREAD, "OPENBLAS_CORETYPE": "SkylakeX"}  # as on an Intel server
HAS_AVX512 = {"avx512f", "avx512bw", "avx512dq", "avx512vl", "avx512cd"} <= numerics.cpu_flags()
# The pinned kernels with the libraries' own thread pools: what the thread pin saves.
DEFAULT_THREADS = {name: value for name, value in PINNED.items() if name not in numerics.THREADS}
PEERS = Path(__file__).resolve().parent / ".venv-peers"
SUMMARY = re.compile(
    r"livevalues: (\d+) snippets: (\d+) run, \d+ from the cache(?:, (\d+) still running)?(?:; (\d+) notebooks: (\d+) run)?"
)
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")

QUICK_SNIPPET = """\
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

X, y = make_classification(n_samples=200, n_features=5, random_state={seed})
model = LogisticRegression(C={c}).fit(X, y)
accuracy = model.score(X, y)
first_weight = float(model.coef_[0, 0])
"""
QUICK_PROSE = "Training accuracy %{{{name}.accuracy:.1%}}, first weight %{{{name}.first_weight:.3f}}."


@dataclass(frozen=True)
class Kind:
    """A kind of snippet in the realistic corpus: its code, and the sentence that shows two of its values."""

    code: str
    prose: str  # `{name}` is the snippet; values as `%{name.value:format}`
    sizes: tuple[int, ...]


# Like the site's: quick fits beside BLAS-heavy ones (the mix: median about 6 ms, mean
# about 16 ms, the slowest about 70 ms in one process with one thread).
REALISTIC = (
    Kind(
        """\
from sklearn.datasets import make_moons
from sklearn.svm import SVC

X, y = make_moons(n_samples={size}, noise=0.25, random_state={seed})
model = SVC(kernel="{kernel}", C={c}, gamma="scale").fit(X, y)
accuracy = model.score(X, y)
support_vectors = int(model.n_support_.sum())
""",
        "An SVC with a {kernel} kernel: accuracy %{{{name}.accuracy:.1%}} with %{{{name}.support_vectors}} support vectors.",
        (200, 400, 800),
    ),
    Kind(
        """\
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

X, _ = make_blobs(n_samples={size}, centers=3, n_features=4, random_state={seed})
bics = [GaussianMixture(n_components=k, random_state={seed}).fit(X).bic(X) for k in range(1, 6)]
best_components = bics.index(min(bics)) + 1
lowest_bic = round(min(bics), 1)
""",
        "The BIC is lowest, %{{{name}.lowest_bic:.1f}}, with %{{{name}.best_components}} components.",
        (200, 400, 800),
    ),
    Kind(
        """\
from sklearn.datasets import make_classification
from sklearn.linear_model import SGDClassifier

X, y = make_classification(n_samples={size}, n_features=10, random_state={seed})
model = SGDClassifier(alpha={c} / 100, random_state={seed}).fit(X, y)
accuracy = model.score(X, y)
first_weight = float(model.coef_[0, 0])
""",
        "SGD: training accuracy %{{{name}.accuracy:.1%}}, first weight %{{{name}.first_weight:.3f}}.",
        (200, 400, 800),
    ),
    Kind(
        """\
from sklearn.datasets import make_classification
from sklearn.neural_network import MLPClassifier

X, y = make_classification(n_samples={size}, n_features=8, random_state={seed})
model = MLPClassifier(hidden_layer_sizes=(16,), solver="lbfgs", max_iter=500, random_state={seed}).fit(X, y)
accuracy = model.score(X, y)
iterations = model.n_iter_
""",
        "A small MLP: training accuracy %{{{name}.accuracy:.1%}} after %{{{name}.iterations}} iterations.",
        (200, 300, 400),
    ),
)
KERNELS = ("rbf", "poly", "linear")
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

{prose}
"""
# The same section for markdown-exec: the code runs in MkDocs' process and prints its sentence.
PEER_SECTION = """\
## Model {name} {{ #{name} }}

```python exec="on" source="above"
{code}
print(f"{prose}")
```
"""
MKDOCS_YML = """\
site_name: corpus
theme:
  name: material
  font: false
{extra}
markdown_extensions:
  - attr_list
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [snippets]
      check_paths: true
"""
VALUE = re.compile(r"%\{(\w+)\.(\w+)(?::([^}]*))?\}")


def make_corpus(where: Path, pages: int, per_page: int, realistic: bool, peer: bool = False) -> Path:
    """A site of the same kind as ours: `pages` pages, each showing `per_page` snippets' values.

    `realistic`: the snippets cycle through `REALISTIC`; otherwise each fits a small logistic
    regression. `peer`: the same pages for markdown-exec, each snippet's code in an executed block.
    """
    (where / "docs").mkdir(parents=True)
    (where / "snippets").mkdir()
    for page in range(pages):
        sections = []
        for index in range(per_page):
            name = f"p{page:03d}_s{index}"
            number = page * per_page + index
            kind = REALISTIC[number % len(REALISTIC)]
            fill = {
                "seed": page,
                "c": 0.5 + index,
                "size": kind.sizes[page % len(kind.sizes)],
                "kernel": KERNELS[page % len(KERNELS)],
                "name": name,
            }
            code, prose = (kind.code, kind.prose) if realistic else (QUICK_SNIPPET, QUICK_PROSE)
            code, prose = code.format(**fill), prose.format(**fill)
            if peer:
                printed = VALUE.sub(lambda m: "{" + m[2] + (":" + m[3] if m[3] else "") + "}", prose)
                sections.append(PEER_SECTION.format(name=name, code=code.rstrip(), prose=printed))
            else:
                (where / "snippets" / f"{name}.py").write_text(code)
                sections.append(SECTION.format(name=name, prose=prose))
        (where / "docs" / f"term-{page:03d}.md").write_text(PAGE.format(page=page, sections="\n".join(sections)))
    (where / "docs" / "index.md").write_text("# Corpus\n\nA generated site for the benchmark.\n")
    extra = (
        "plugins:\n  - search\n  - markdown-exec"
        if peer
        else f"hooks:\n  - {ROOT / 'hooks' / 'values_hook.py'}\nwatch:\n  - snippets"
    )
    (where / "mkdocs.yml").write_text(MKDOCS_YML.format(extra=extra))
    return where


def copy_site(where: Path) -> Path:
    where.mkdir(parents=True)
    for source in ROOT.iterdir():
        if source.name in {"docs", "snippets", "mkdocs.yml"}:  # what the benchmark edits: copies
            (shutil.copytree if source.is_dir() else shutil.copy)(source, where / source.name)
        elif source.is_dir() and source.name not in {".git", ".venv", ".cache", "site"}:
            (where / source.name).symlink_to(source)  # hooks, overrides, includes: read only
    return where


def busy_seconds() -> float:
    """Machine-wide busy CPU time since boot, from /proc/stat: user, nice, system, irq, softirq
    (guest time is inside user). Idle, I/O wait and steal (time a hypervisor gave to others) are not."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq = (int(value) for value in fields[:7])
    return (user + nice + system + irq + softirq) / CLOCK_TICKS


def children_seconds() -> float:
    """CPU time of every process this one has waited for, and of those they waited for in turn."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Run:
    """One measured subprocess: wall seconds, its process tree's CPU-seconds, the machine's busy seconds."""

    seconds: float
    cpu: float
    busy: float
    stdout: str
    stderr: str


def run_measured(command: list[str], cwd: Path | None = None, env: Mapping[str, str] = ENV) -> Run:
    """Run `command`, counting its whole process tree's CPU time: it must wait for all it starts."""
    cpu, busy, start = children_seconds(), busy_seconds(), time.perf_counter()
    done = subprocess.run(command, cwd=cwd, env=dict(env), capture_output=True, text=True)
    seconds = time.perf_counter() - start
    measured = Run(seconds, children_seconds() - cpu, busy_seconds() - busy, done.stdout, done.stderr)
    if done.returncode != 0:
        raise SystemExit(f"{command[:3]} failed in {cwd}:\n{done.stderr[-3000:]}")
    return measured


# Stops the forkserver (which ends the workers and their forks, and reaps them) before this process
# exits, so that the benchmark's getrusage(RUSAGE_CHILDREN) counts their CPU time: otherwise the
# forkserver outlives MkDocs for a moment and nobody waits for it.
STOP_WORKERS = """
import multiprocessing.forkserver, sys
if "livevalues.pool" in sys.modules:
    sys.modules["livevalues.pool"].stop_workers()
if multiprocessing.forkserver._forkserver._forkserver_pid is not None:
    multiprocessing.forkserver._forkserver._stop()
"""
MKDOCS = (
    "import resource, runpy, sys; sys.argv = ['mkdocs', 'build', *sys.argv[2:], '-d', sys.argv[1]]\n"
    "code = 0\ntry: runpy.run_module('mkdocs', run_name='__main__')\nexcept SystemExit as e: code = e.code\n"
    + STOP_WORKERS
    + "print('peak_rss_kb', resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr); sys.exit(code)"
)


@dataclass
class Built:
    seconds: float
    cpu: float
    busy: float
    ran: int | None  # snippets and notebooks run, from the hook's log line
    peak_mb: float  # peak RSS of the MkDocs process


def build(
    project: Path, cache: Path, execute: bool = True, python: str = sys.executable, threads: Mapping[str, str] = {}
) -> Built:
    """`mkdocs build --strict`; `execute=False`: the plain build (a strict build refuses it).

    `python`: another environment's (markdown-exec's), with `threads` added to the environment.
    """
    site = Path(tempfile.mkdtemp(prefix="bench-site-"))
    env = {**ENV, "LIVEVALUES_CACHE_DIR": str(cache), "LIVEVALUES_EXECUTE": "1" if execute else "0", **threads}
    done = run_measured(
        [python, "-c", MKDOCS, str(site), *(["--strict"] if execute and python == sys.executable else [])],
        project,
        env,
    )
    shutil.rmtree(site, ignore_errors=True)
    ran = SUMMARY.search(done.stderr)
    peak = int(re.search(r"peak_rss_kb (\d+)", done.stderr)[1]) / 1024  # type: ignore[index]
    count = int(ran[2]) + int(ran[5] or 0) if ran else None
    return Built(done.seconds, done.cpu, done.busy, count, peak)


COMPUTE = """\
import io, json, os, runpy, sys, time, warnings
from pathlib import Path
sys.path.insert(0, sys.argv[3])
from livevalues import capture, notebook, preload  # the stack imported and warmed, as in a worker
import matplotlib.pyplot as plt
if "OMP_NUM_THREADS" not in os.environ:  # the libraries' own threads: undo the preload's limit of one
    import threadpoolctl
    threadpoolctl.threadpool_limits(os.cpu_count())
snippets, notebooks = sorted(Path(sys.argv[1]).glob("[!_]*.py")), sorted(Path(sys.argv[2]).glob("[!_]*.py"))
sys.path.insert(0, sys.argv[1])
run = captured = run_cpu = captured_cpu = 0.0
each = {}
for path in snippets + notebooks:
    with warnings.catch_warnings(), plt.rc_context(capture.FIGURE_STYLE if path in snippets else {}):
        warnings.simplefilter("ignore")
        start, start_cpu = time.perf_counter(), time.process_time()
        namespace = runpy.run_path(str(path), run_name="__main__")
        each[path.stem] = time.perf_counter() - start
        run += each[path.stem]
        run_cpu += time.process_time() - start_cpu
        if path in notebooks:  # a notebook's values: its cells' outputs, figures as PNG
            plt.close("all")
            start, start_cpu = time.perf_counter(), time.process_time()
            namespace, _ = notebook.execute(path, path.read_text(encoding="utf-8"), io.StringIO())
        capture.capture(namespace, path.stem)
        captured += time.perf_counter() - start
        captured_cpu += time.process_time() - start_cpu
        plt.close("all")
print(json.dumps({"run": run, "captured": captured, "run_cpu": run_cpu, "captured_cpu": captured_cpu, "each": each}))
"""


def compute(project: Path, environment: Mapping[str, str] = PINNED) -> dict[str, float | dict[str, float]]:
    """Every snippet and notebook back to back in one process that has imported and warmed the stack.

    Wall and CPU seconds of the runs only, and of the runs with their values captured as pages
    show them (figures drawn to SVG, notebook figures to PNG, estimators to tables), the same code
    workers run; "each": every snippet's own run time. `environment`: the pinned one by default.
    """
    project = project.resolve()
    scratch = Path(tempfile.mkdtemp(prefix="bench-compute-"))
    arguments = [str(project / "snippets"), str(project / "docs" / "notebooks"), str(ROOT / "hooks")]
    done = run_measured([sys.executable, "-c", COMPUTE, *arguments], scratch, environment)
    shutil.rmtree(scratch, ignore_errors=True)
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


# A snippet that reports how many OS threads its fork has after BLAS- and OpenMP-heavy work.
THREAD_PROBE = """\
import os
import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.mixture import GaussianMixture

X, _ = make_blobs(n_samples=2000, n_features=20, random_state=0)
GaussianMixture(n_components=4, random_state=0).fit(X)
KMeans(n_clusters=4, n_init=1, random_state=0).fit(X)
product = float((np.ones((600, 600)) @ np.ones((600, 600)))[0, 0])
threads = len(os.listdir("/proc/self/task"))
"""
# Through the real warm workers, without MkDocs: `count` snippets that do nothing (the price of a
# process per snippet), or the project's own snippets and notebooks (argv[4], argv[5]); then the
# thread probe (argv[3]).
THROUGH_WORKERS = (
    """\
import sys, tempfile, time
from pathlib import Path
sys.path.insert(0, sys.argv[1])
from livevalues import run_snippets
folder = Path(tempfile.mkdtemp())
paths = []
for index in range(4 + int(sys.argv[2])):
    paths.append(folder / f"nothing_{index}.py")
    paths[-1].write_text("value = 1\\n")
run_snippets(paths[:4], folder)  # the workers started and warm
start = time.perf_counter()
if len(sys.argv) > 4:
    snippets, notebooks = sorted(Path(sys.argv[4]).glob("[!_]*.py")), sorted(Path(sys.argv[5]).glob("[!_]*.py"))
    results = run_snippets(snippets, Path(sys.argv[4]).parent, notebooks=notebooks)
else:
    results = run_snippets(paths[4:], folder)
seconds = time.perf_counter() - start
assert all(result.error is None for result in results.values()), [r.error for r in results.values() if r.error]
probe = run_snippets([Path(sys.argv[3])], Path(sys.argv[3]).parent)["probe"]
assert probe.error is None, probe.error
print(seconds, probe.values["threads"]["value"])
"""
    + STOP_WORKERS
)


def through_workers(scratch: Path, count: int = 0, project: Path | None = None) -> tuple[Run, float, int]:
    """The THROUGH_WORKERS script: its measured run, the timed part's wall seconds, the probe's threads."""
    probe = scratch / "probe" / "probe.py"
    probe.parent.mkdir(exist_ok=True)
    probe.write_text(THREAD_PROBE)
    arguments = [str(ROOT / "hooks"), str(count), str(probe)]
    if project is not None:
        arguments += [str(project.resolve() / "snippets"), str(project.resolve() / "docs" / "notebooks")]
    done = run_measured([sys.executable, "-c", THROUGH_WORKERS, *arguments])
    seconds, threads = done.stdout.strip().splitlines()[-1].split()
    return done, float(seconds), int(threads)


# The bare price of a process: a warm worker (the stack imported and warmed, set up as
# `worker.serve` does it) forks a child that exits at once. CPU of the worker (the fork: page
# tables) and of the child (its exit), per fork.
BARE_FORK = """\
import gc, os, resource, sys
sys.path.insert(0, sys.argv[1])
from livevalues import processes, worker
gc.freeze()
processes.use_huge_pages()
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
before = cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN)
for _ in range(100):
    pid = os.fork()
    if pid == 0:
        os._exit(0)
    os.waitpid(pid, 0)
print((cpu(resource.RUSAGE_SELF) + cpu(resource.RUSAGE_CHILDREN) - before) / 100)
"""


def bare_fork_cpu() -> float:
    """CPU-seconds of one fork and exit of a warm worker, the child running nothing (BARE_FORK)."""
    done = run_measured([sys.executable, "-c", BARE_FORK, str(ROOT / "hooks")], env=PINNED)
    return float(done.stdout.strip().splitlines()[-1])


def startup() -> Run:
    """What every cold build pays once: a worker server importing and warming the stack."""
    return run_measured(
        [sys.executable, "-c", "import livevalues.worker"], env={**PINNED, "PYTHONPATH": str(ROOT / "hooks")}
    )


def serve_edit_seconds(project: Path, cache: Path) -> tuple[float, int, str]:
    """From saving one snippet to its new value in the served page, how many snippets ran, and which."""
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
        # A rebuild that waited longer than the dev server does for values serves the page at once and
        # rebuilds when the snippet is in: the time counted ends with the rebuild that has it.
        wait_until(lambda: _snippets_run(log_path.read_text()[mark:]) is not None and fetch(page_url) is not None, 300)
        seconds = time.perf_counter() - start
        ran = _snippets_run(log_path.read_text()[mark:])
        assert ran is not None
        return seconds, ran, snippet.stem
    finally:
        snippet.write_text(original)
        server.terminate()
        server.wait(30)
        log_path.unlink()


def _snippets_run(log: str) -> int | None:
    """How many snippets the dev server ran after an edit, once its pages have every value; None before.

    A rebuild that waits longer than the server does for values serves the page with them still
    running, then rebuilds when they are in (from the cache by then): that second rebuild ends it.
    """
    summaries = SUMMARY.findall(log)
    if not summaries or summaries[-1][2]:
        return None
    first = summaries[0]
    return int(first[1]) + int(first[2] or 0)


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return str(response.read().decode())
    except OSError:
        return None


def wait_until(condition: Callable[[], object], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise SystemExit("timed out waiting for the dev server")
        time.sleep(0.05)


def changed_one(project: Path, cache: Path) -> Built:
    """A pull request in CI: the results cache restored, one snippet changed (a comment appended)."""
    snippet = sorted((project / "snippets").glob("[!_]*.py"))[0]
    original = snippet.read_text()
    snippet.write_text(original + "\n# changed by a pull request\n")
    try:
        return build(project, cache)
    finally:
        snippet.write_text(original)


def peer_python() -> str | None:
    """The bench-only virtualenv with markdown-exec from PyPI, made on first use; None if it cannot be.

    It sees the project's packages through a .pth file (the same MkDocs, Material, scikit-learn)
    and adds markdown-exec alone (`--no-deps`: its only dependency, pymdown-extensions, is there).
    """
    python = PEERS / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(PEERS)], check=True)
        site = subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        (Path(site) / "project.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        installed = subprocess.run(
            [str(python), "-m", "pip", "install", "-q", "--no-deps", "markdown-exec"], capture_output=True, text=True
        )
        if installed.returncode != 0:
            print(f"markdown-exec not installed, no ratio to it: {installed.stderr[-500:]}", file=sys.stderr)
            shutil.rmtree(PEERS)
            return None
    return str(python)


def median(values: list[float]) -> float:
    return statistics.median(values) if values else float("nan")


def measure(
    name: str, project: Path, runs: int, scratch: Path, shared: dict[str, float], options: argparse.Namespace
) -> dict[str, float | str]:
    """Every figure of one project, medians of `runs`; `shared`: the project-independent ones."""
    cores = os.cpu_count() or 1
    n_snippets = sum(
        len(list(folder.glob("[!_]*.py"))) for folder in (project / "snippets", project / "docs" / "notebooks")
    )
    plain: list[Built] = []
    cold: list[Built] = []
    warm: list[Built] = []
    changed: list[Built] = []
    for run in range(runs):
        cache = scratch / f"{name}-cache-{run}"
        plain.append(build(project, cache, execute=False))
        cold.append(build(project, cache))
        assert cold[-1].ran == n_snippets, (cold[-1].ran, n_snippets)
        warm.append(build(project, cache))
        changed.append(changed_one(project, cache))
    computed, threaded, native, avx512, forks = [], [], [], [], []
    for run in range(runs):  # alternated, so that a noisy neighbour hits each alike
        computed.append(compute(project))
        if run == 0:  # once: oversubscribed threads on a busy machine took minutes
            threaded.append(compute(project, DEFAULT_THREADS))
        if options.kernels:
            native.append(compute(project, NATIVE))
            if HAS_AVX512:
                avx512.append(compute(project, AVX512))
        forks.append(through_workers(scratch, project=project))
    peer: list[Built] = []
    peer_one: list[Built] = []
    if name == "realistic" and (python := shared.get("peer_python")):
        twin = scratch / "realistic-peer"
        if not twin.exists():
            make_corpus(twin, options.pages, options.per_page, realistic=True, peer=True)
        for _ in range(runs):  # as users run it (the libraries' own threads), and its best case
            peer.append(build(twin, scratch / "unused", python=str(python)))
            peer_one.append(build(twin, scratch / "unused", python=str(python), threads=ONE_THREAD))
    serve = [serve_edit_seconds(project, scratch / f"{name}-cache-0") for _ in range(runs)]
    edited = serve[0][2]

    def mid(builds: list[Built], field: str) -> float:
        return median([getattr(built, field) for built in builds])

    f: dict[str, float | str] = {
        "pages": len(list((project / "docs").rglob("*.md"))),
        "snippets": n_snippets,
        "plain_s": mid(plain, "seconds"),
        "plain_cpu": mid(plain, "cpu"),
        "cold_s": mid(cold, "seconds"),
        "cold_cpu": mid(cold, "cpu"),
        "cold_busy": mid(cold, "busy"),
        "warm_s": mid(warm, "seconds"),
        "warm_ran": max(built.ran or 0 for built in warm),
        "changed_s": mid(changed, "seconds"),
        "changed_ran": max(built.ran or 0 for built in changed),
        "compute_s": median([c["run"] for c in computed]),  # type: ignore[misc]
        "compute_cpu": median([c["run_cpu"] for c in computed]),  # type: ignore[misc]
        "captured_s": median([c["captured"] for c in computed]),  # type: ignore[misc]
        "captured_cpu": median([c["captured_cpu"] for c in computed]),  # type: ignore[misc]
        "threaded_s": median([c["run"] for c in threaded]),  # type: ignore[misc]
        "threaded_cpu": median([c["run_cpu"] for c in threaded]),  # type: ignore[misc]
        "native_s": median([c["run"] for c in native]),  # type: ignore[misc]
        "avx512_s": median([c["run"] for c in avx512]),  # type: ignore[misc]
        "forks_s": median([seconds for _, seconds, _ in forks]),
        "forks_cpu": median([run.cpu for run, _, _ in forks]) - shared["baseline_cpu"],
        "probe_threads": max(threads for _, _, threads in forks),
        "peer_s": mid(peer, "seconds"),
        "peer_cpu": mid(peer, "cpu"),
        "peer_one_s": mid(peer_one, "seconds"),
        "serve_s": median([seconds for seconds, _, _ in serve]),
        "serve_ran": max(ran for _, ran, _ in serve),
        "edited_run_s": median([c["each"][edited] for c in computed]),  # type: ignore[index]
        "peak_plain_mb": max(built.peak_mb for built in plain),
        "peak_cold_mb": max(built.peak_mb for built in cold),
        "peak_warm_mb": max(built.peak_mb for built in warm),
    }
    n = float(n_snippets)
    g = {key: float(value) for key, value in {**shared, **f}.items() if not isinstance(value, str)}
    # The limit on this machine: MkDocs' own work, the single-threaded compute and the start-up,
    # spread perfectly over the cores (never below the plain build itself).
    f["limit_s"] = max(g["plain_s"], (g["plain_s"] + g["compute_s"] + g["startup_s"]) / cores)
    f["cold_limit"] = g["cold_s"] / float(f["limit_s"])
    f["cold_peer"] = g["cold_s"] / g["peer_s"]
    f["cold_peer_one"] = g["cold_s"] / g["peer_one_s"]
    f["warm_plain"] = g["warm_s"] / g["plain_s"]
    f["serve_target_s"] = g["plain_s"] + g["edited_run_s"] + 0.3
    # Where a cold build's CPU-seconds go (its own process tree). Measured parts; the last is the rest.
    essential = g["plain_cpu"] + g["compute_cpu"] + g["startup_cpu"]
    f["essential_cpu"] = essential
    f["busy_essential"] = g["cold_busy"] / essential
    f["tree_essential"] = g["cold_cpu"] / essential
    f["capture_cpu"] = g["captured_cpu"] - g["compute_cpu"]
    f["trivial_forks_cpu"] = n * g["isolation_cpu"]
    f["fork_extra_cpu"] = g["forks_cpu"] - g["captured_cpu"] - n * g["isolation_cpu"]
    f["fork_cost_ms"] = 1000 * (g["forks_cpu"] - g["captured_cpu"]) / n
    f["hook_cpu"] = g["cold_cpu"] - g["plain_cpu"] - g["startup_cpu"] - g["forks_cpu"]
    f["others_cpu"] = g["cold_busy"] - g["cold_cpu"]
    return f


ROWS: list[tuple[str, Callable[[dict[str, float | str]], str]]] = [
    ("pages / snippets", lambda f: f"{f['pages']:.0f} / {f['snippets']:.0f}"),
    ("wall seconds", lambda f: ""),
    ("  plain MkDocs build", lambda f: f"{f['plain_s']:.2f} s"),
    ("  compute, one process, 1 thread: runs", lambda f: f"{f['compute_s']:.2f} s"),
    ("  ... runs + values captured", lambda f: f"{f['captured_s']:.2f} s"),
    ("  ... runs, the libraries' own threads", lambda f: f"{f['threaded_s']:.2f} s"),
    ("  ... runs, the CPU's own kernels", lambda f: f"{f['native_s']:.2f} s"),
    ("  ... runs, AVX-512 kernels", lambda f: f"{f['avx512_s']:.2f} s"),
    ("  pinned / CPU's own kernels", lambda f: f"{f['compute_s'] / f['native_s']:.2f}"),
    ("  pinned / AVX-512 kernels", lambda f: f"{f['compute_s'] / f['avx512_s']:.2f}"),
    ("  worker start-up (stack import + warm-up)", lambda f: f"{f['startup_s']:.2f} s"),
    ("  all snippets through the workers, no MkDocs", lambda f: f"{f['forks_s']:.2f} s"),
    ("  limit: max(plain, (plain+runs+start-up)/cores)", lambda f: f"{f['limit_s']:.2f} s"),
    ("  cold build", lambda f: f"{f['cold_s']:.2f} s"),
    ("  cold / limit", lambda f: f"{f['cold_limit']:.2f}  (target <= 2)"),
    ("  markdown-exec (no cache), libraries' threads", lambda f: f"{f['peer_s']:.2f} s"),
    ("  cold / markdown-exec", lambda f: f"{f['cold_peer']:.2f}  (target <= 0.6)"),
    ("  markdown-exec, 1 thread (its best case)", lambda f: f"{f['peer_one_s']:.2f} s"),
    ("  cold / markdown-exec, 1 thread", lambda f: f"{f['cold_peer_one']:.2f}"),
    ("  warm build", lambda f: f"{f['warm_s']:.2f} s"),
    ("  warm / plain", lambda f: f"{f['warm_plain']:.2f}  (target <= 1.05)"),
    ("  snippets run in a warm build", lambda f: f"{f['warm_ran']:.0f}  (target 0)"),
    ("  CI pull request: cache restored, 1 snippet changed", lambda f: f"{f['changed_s']:.2f} s"),
    ("  ... snippets run", lambda f: f"{f['changed_ran']:.0f}  (target 1)"),
    ("  serve: save one snippet -> page served", lambda f: f"{f['serve_s']:.2f} s"),
    ("  ... target: plain + its run time + 0.3 s", lambda f: f"<= {f['serve_target_s']:.2f} s"),
    ("  ... snippets run after that save", lambda f: f"{f['serve_ran']:.0f}  (target 1)"),
    ("CPU-seconds of a cold build", lambda f: ""),
    ("  machine-wide busy (/proc/stat, no steal)", lambda f: f"{f['cold_busy']:.2f}"),
    ("  the build's process tree", lambda f: f"{f['cold_cpu']:.2f}"),
    ("  essential: MkDocs + runs 1 thread + start-up", lambda f: f"{f['essential_cpu']:.2f}"),
    ("  machine-wide busy / essential", lambda f: f"{f['busy_essential']:.2f}  (target <= 1.3)"),
    ("  process tree / essential", lambda f: f"{f['tree_essential']:.2f}  (target <= 1.3)"),
    ("  = MkDocs' own work (the plain build)", lambda f: f"{f['plain_cpu']:.2f}"),
    ("  + worker start-up", lambda f: f"{f['startup_cpu']:.2f}"),
    ("  + runs, one process, 1 thread", lambda f: f"{f['compute_cpu']:.2f}"),
    ("  + values captured (SVG, tables)", lambda f: f"{f['capture_cpu']:.2f}"),
    ("  + one process per snippet, empty snippets", lambda f: f"{f['trivial_forks_cpu']:.2f}"),
    ("  + these snippets in a fresh fork, beyond that", lambda f: f"{f['fork_extra_cpu']:.2f}"),
    ("  + rest: hook in MkDocs (dispatch, cache, values)", lambda f: f"{f['hook_cpu']:.2f}"),
    ("  machine-wide busy beyond the tree (others)", lambda f: f"{f['others_cpu']:.2f}"),
    ("  runs, the libraries' own threads", lambda f: f"{f['threaded_cpu']:.2f}"),
    ("per snippet", lambda f: ""),
    ("  a fork's cost on these snippets, CPU", lambda f: f"{f['fork_cost_ms']:.1f} ms"),
    ("  ... of which an empty snippet's", lambda f: f"{f['isolation_cpu'] * 1000:.1f} ms"),
    ("  ... of which fork + exit, nothing run", lambda f: f"{f['bare_fork_cpu'] * 1000:.1f} ms"),
    ("  OS threads in a fork after BLAS/OpenMP fits", lambda f: f"{f['probe_threads']:.0f}  (target 1)"),
    (
        "peak RSS plain / cold / warm",
        lambda f: f"{f['peak_plain_mb']:.0f} / {f['peak_cold_mb']:.0f} / {f['peak_warm_mb']:.0f} MB",
    ),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--projects", default="site,realistic", help="comma-separated: site, realistic, quick")
    parser.add_argument("--pages", type=int, default=100, help="pages of the realistic corpus")
    parser.add_argument("--quick-pages", type=int, default=300, help="pages of the quick corpus")
    parser.add_argument("--per-page", type=int, default=3)
    parser.add_argument("--kernels", action="store_true", help="also compute under the CPU's own BLAS kernels")
    parser.add_argument("--no-peers", action="store_true", help="skip markdown-exec")
    options = parser.parse_args()
    wanted = options.projects.split(",")
    began, load_before = time.perf_counter(), os.getloadavg()
    scratch = Path(tempfile.mkdtemp(prefix="bench-"))
    try:
        projects = {}
        if "site" in wanted:
            projects["site"] = copy_site(scratch / "site")
        if "realistic" in wanted:
            projects["realistic"] = make_corpus(scratch / "realistic", options.pages, options.per_page, realistic=True)
        if "quick" in wanted:
            projects["quick"] = make_corpus(scratch / "quick", options.quick_pages, options.per_page, realistic=False)
        shared: dict[str, float] = {}
        if "realistic" in wanted and not options.no_peers and (python := peer_python()):
            shared["peer_python"] = python  # type: ignore[assignment]
        starts = [startup() for _ in range(options.runs)]
        shared["startup_s"] = median([run.seconds for run in starts])
        shared["startup_cpu"] = median([run.cpu for run in starts])
        # An empty snippet's cost in its own process: 200 of them against none, through the same workers.
        baseline = [through_workers(scratch)[0].cpu for _ in range(options.runs)]
        empties = [through_workers(scratch, 200)[0].cpu for _ in range(options.runs)]
        shared["baseline_cpu"] = median(baseline)
        shared["isolation_cpu"] = (median(empties) - median(baseline)) / 200
        shared["bare_fork_cpu"] = median([bare_fork_cpu() for _ in range(options.runs)])
        results = {
            name: measure(name, project, options.runs, scratch, shared, options) for name, project in projects.items()
        }
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    load_after = os.getloadavg()
    print(
        f"machine: {os.cpu_count()} cores, Python {sys.version.split()[0]}; medians of {options.runs} runs;"
        f" {time.perf_counter() - began:.0f} s in all; load average {load_before[0]:.2f} before, {load_after[0]:.2f} after\n"
    )
    names = list(results)
    print(f"{'':52}" + "".join(f"{name:>26}" for name in names))
    for label, show in ROWS:
        cells = []
        for name in names:
            try:
                cell = show({**shared, **results[name]})  # type: ignore[dict-item]
            except (KeyError, ZeroDivisionError):
                cell = "-"
            cells.append("-" if cell.startswith("nan") else cell)  # not measured for this project
        print(f"{label:52}" + "".join(f"{cell:>26}" for cell in cells))


if __name__ == "__main__":
    main()
