"""The worker side: long-lived workers that run each snippet in a fresh fork of themselves.

The forkserver preloads this module, so numpy, scikit-learn and matplotlib are imported (and their
first-call costs paid) once. One worker per core is forked from it; for every job it receives, a
worker forks again and the snippet runs in that child, from the same warm, clean state: a crash,
hang or leaked global in one snippet cannot touch another one, the worker, or MkDocs itself. The
worker enforces the time limit, kills what the snippet left running, and reports the result.
"""

from __future__ import annotations

import atexit
import contextlib
import faulthandler
import gc
import hashlib
import importlib
import importlib.machinery
import io
import linecache
import multiprocessing.forkserver
import os
import pickle
import re
import resource
import select
import shutil
import signal
import sys
import tempfile
import time
import traceback
import types
import warnings
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import threadpoolctl

from livevalues import capture, notebook, numerics, processes
from livevalues.cache import environment_fingerprint
from livevalues.problems import SnippetError, how_it_ended
from livevalues.results import ABSENT, Limits, SnippetResult

STACK_FILE = "livevalues-stack.txt"  # where a snippet's process writes its stack on SIGUSR1, in its scratch folder
FAULTHANDLER_FRAME = re.compile(r'File "([^"]+)", line (\d+)')

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

MAX_FRAMES = 4


class OutputLimitExceeded(Exception):
    pass


class BoundedWriter(io.StringIO):
    """Standard output that refuses to grow past a limit, so a runaway print fails fast."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, text: str) -> int:
        if self.tell() + len(text) > self.limit:
            raise OutputLimitExceeded(
                f"printed more than {self.limit:,} characters (the output limit; raise it with a line `# livevalues: max_output=CHARACTERS` in the snippet)"
            )
        return super().write(text)


def serve(connection: Connection, replacing: Sequence[int] | None = None) -> None:
    """A worker's loop: run each job it receives in a fork of itself, one at a time, and report.

    `replacing`: this worker replaces one a snippet killed, and these are the live workers: any
    other process under the forkserver is an orphan of the dead one's snippet, and is killed.

    A job is (id, snippet path, its source as submitted, project root, limits, is notebook); the
    report is (id, SnippetResult). It ends when MkDocs' side closes the connection.
    """
    processes.die_with_parent()  # the forkserver ends with MkDocs, and so does every worker
    processes.adopt_orphans()  # what a snippet starts stays under this worker until it is killed
    # multiprocessing hands each worker the write end of the pipe by which the forkserver learns
    # that MkDocs has gone; while a worker holds it, a killed MkDocs leaves the server (and a
    # snippet running) alive until the snippet's time limit. Only MkDocs should hold it.
    alive = multiprocessing.forkserver._forkserver._forkserver_alive_fd  # type: ignore[attr-defined]
    if alive is not None:
        os.close(alive)
        multiprocessing.forkserver._forkserver._forkserver_alive_fd = None  # type: ignore[attr-defined]
    if replacing is not None:
        processes.kill_descendants(os.getppid(), keep={os.getpid(), *replacing})
    gc.freeze()  # the warm objects stay out of every fork's garbage collections: fewer pages copied
    while True:
        try:
            job_id, path, source, root, limits, is_notebook = connection.recv()
        except EOFError:
            return
        if NUMERICS_PROBLEMS:
            message = "the pinned numeric environment did not take: " + "; ".join(NUMERICS_PROBLEMS)
            result = SnippetResult(Path(path).stem, error=SnippetError(message))
        else:
            result = run_in_fork(Path(path), source, root, limits, is_notebook, connection)
        result.environment = ENVIRONMENT
        connection.send((job_id, result))


def run_in_fork(
    path: Path, source: str, root: str, limits: Limits, is_notebook: bool, connection: Connection
) -> SnippetResult:
    """Run one snippet or notebook (`source`, as submitted) in a child process, within its limits."""
    if is_notebook:
        notebook.preload()  # once per worker: later notebooks fork with jupytext and nbformat loaded
    scratch = tempfile.mkdtemp(prefix=f"livevalues-{path.stem}-")
    report_reader, report_writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: it never returns, whatever the snippet does
        code = 70
        try:
            os.setpgid(0, 0)  # its own process group: a timeout kills what it started too
            processes.die_with_parent()  # a snippet that kills its worker ends too
            connection.close()
            os.close(report_reader)
            run(str(path), source, root, scratch, limits, report_writer, is_notebook)
            code = 0
        finally:
            os._exit(code)
    os.close(report_writer)
    with contextlib.suppress(OSError):
        os.setpgid(pid, pid)  # here too, so that the group exists whichever process gets there first
    try:
        report, timed_out = _read_report(report_reader, limits.timeout)
        stuck = _where_stuck(pid, scratch, path, root) if timed_out else None
    finally:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)  # a timeout, or processes the snippet left behind
        os.close(report_reader)
        _, status = os.waitpid(pid, 0)
        processes.end_group(pid)  # and whatever it started outside its group
        cell = _read_cell(scratch) if is_notebook else None
        shutil.rmtree(scratch, ignore_errors=True)
    label = _relative(str(path), root)
    if timed_out:
        message = (
            f"timed out after {limits.timeout:g} s (the time limit; raise it with a line"
            f" `# livevalues: timeout=SECONDS` in the {'notebook' if is_notebook else 'snippet'})"
        )
        if cell:
            message = f"in code cell {cell} (In [{cell}]): {message}"
        return SnippetResult(path.stem, error=SnippetError(message, stuck or label))
    try:
        status_word, payload, inputs = pickle.loads(report)
    except Exception:  # noqa: BLE001  (nothing, or a partial report: the process died before reporting)
        code = os.waitstatus_to_exitcode(status)  # -N: killed by signal N
        message = f"its worker process {how_it_ended(code)}" + (
            "" if code < 0 else " before reporting (os._exit or a crash)"
        )
        return SnippetResult(path.stem, error=SnippetError(message, label))
    if status_word == "ok":
        return SnippetResult(path.stem, values=payload, deps=inputs, cacheable=True)
    error = SnippetError(payload["message"], payload["location"], tuple(payload["frames"]))
    return SnippetResult(path.stem, error=error, deps=inputs, cacheable=True)


def _read_report(reader: int, timeout: float) -> tuple[bytes, bool]:
    """Everything the child writes to `reader` until it exits; True if it ran past `timeout` seconds."""
    chunks: list[bytes] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([reader], [], [], remaining)[0]:
            return b"".join(chunks), True
        chunk = os.read(reader, 1 << 16)
        if not chunk:  # end of file: the child, and anything it forked, has exited
            return b"".join(chunks), False
        chunks.append(chunk)


def _where_stuck(pid: int, scratch: str, path: Path, root: str) -> str | None:
    """The snippet line a timed-out child is running: on SIGUSR1 it writes its stack to a file."""
    stack = Path(scratch) / STACK_FILE
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + 3.0  # a loaded machine can take a while to schedule the dump
    while time.monotonic() < deadline:
        frames = FAULTHANDLER_FRAME.findall(stack.read_text()) if stack.exists() else []
        own = [line for file, line in frames if Path(file).name == path.name]
        if own:  # most recent call first
            return f"{_relative(str(path), root)}:{own[0]}"
        time.sleep(0.02)
    return None


def _read_cell(scratch: str) -> str | None:
    cell = Path(scratch) / notebook.CELL_FILE
    return cell.read_text() if cell.exists() else None


def run(
    path: str, source: str, root: str, scratch: str, limits: Limits, report: int, is_notebook: bool = False
) -> None:
    """In the child: run `source` (the file at `path` as submitted) in `scratch`; report to fd `report`.

    The report is (status, values or error, inputs): the project files it read, with the hash of
    what it read. A notebook (`is_notebook`) runs cell by cell; its values include `notebook`, the
    executed .ipynb.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # C-level chatter (libsvm's verbose) must not reach MkDocs' console
    os.dup2(devnull, 2)
    os.chdir(scratch)
    sys.argv = [path]
    sys.path.insert(0, str(Path(path).parent))
    stdout = BoundedWriter(limits.max_output)
    sys.stdout = stdout
    sys.stderr = io.StringIO()
    if not is_notebook:  # a notebook's figures look as they will when the reader runs it
        plt.rcParams.update(capture.FIGURE_STYLE)
    _limit_memory(limits.max_memory_mb)
    # On a timeout the parent sends SIGUSR1 first: the stack written here says where the snippet was stuck.
    faulthandler.register(signal.SIGUSR1, file=open(STACK_FILE, "w"), all_threads=False)  # noqa: SIM115
    # Tracebacks quote the lines that ran, even if the file has been edited since.
    linecache.cache[path] = (len(source), None, source.splitlines(keepends=True), path)
    inputs = _record_inputs(Path(root), Path(path))
    warnings.simplefilter("error")
    try:
        if is_notebook:
            namespace, executed = notebook.execute(Path(path), source, stdout)
        else:
            namespace = _run_script(path, source)
        for reserved in ("stdout", "notebook") if is_notebook else ("stdout",):
            if reserved in namespace:
                raise NameError(f"`{reserved}` is a name the engine reserves; rename the variable")
        values = capture.capture(namespace, Path(path).stem)
        values["stdout"] = {"kind": "output", "text": stdout.getvalue()}
        if is_notebook:
            values["notebook"] = {"kind": "notebook", "ipynb": executed}
        message: tuple[str, Any, dict[str, str]] = ("ok", values, dict(inputs))
    except notebook.CellError as failure:
        described = describe_error(failure.error, root, limits)
        described["message"] = f"in code cell {failure.number} (In [{failure.number}]): {described['message']}"
        message = ("error", described, dict(inputs))
    except BaseException as error:  # noqa: BLE001  (SystemExit and KeyboardInterrupt are snippet bugs too)
        message = ("error", describe_error(error, root, limits), dict(inputs))
    with os.fdopen(report, "wb") as out:
        out.write(pickle.dumps(message))


def _run_script(path: str, source: str) -> dict[str, Any]:
    """Run `source` as the script `path`, as `python path` would: its module is `__main__`."""
    code = compile(source, path, "exec", dont_inherit=True)
    module = types.ModuleType("__main__")
    module.__dict__.update(__file__=path, __cached__=None, __loader__=None, __package__=None, __spec__=None)
    sys.modules["__main__"] = module  # for pickling, dataclasses and the like, as runpy does
    exec(code, module.__dict__)
    return module.__dict__


def _limit_memory(megabytes: int) -> None:
    """Cap the address space at what the warm worker already maps plus `megabytes`."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    limit = mapped + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


# Where a file is never an input: the engine (its code is part of the cache key) and the installed
# packages (a .venv may sit inside the project; their versions are part of the key).
NOT_INPUTS = tuple(
    {str(Path(__file__).resolve().parent), str(Path(sys.prefix).resolve()), str(Path(sys.base_prefix).resolve())}
)


def _record_inputs(root: Path, snippet: Path) -> dict[str, str]:
    """Project files the snippet reads, imports or looks for: what its result depends on.

    Each maps to the sha256 of the bytes read, taken when the snippet read them, so a file edited
    while the snippet runs is caught (the cache compares before storing). Project modules are
    always compiled from their source, never from a `__pycache__` file, so what is hashed is what
    ran; a module or file looked for and not found is recorded as ABSENT: when it appears, the
    snippet runs again. Compiled bytecode, the engine and installed packages are left out.
    """
    inputs: dict[str, str] = {}
    top, own = str(root), str(snippet)
    reading = False  # the hook reads files itself: those reads must not be recorded again

    def project_file(path: str) -> str | None:
        """`path` relative to the root if the result may depend on it; None otherwise (string tests only:
        this runs for every file opened)."""
        path = os.path.abspath(path)
        if (
            not _under(path, top)
            or any(_under(path, folder) for folder in NOT_INPUTS)
            or f"{os.sep}__pycache__{os.sep}" in path
            or path == own
        ):
            return None
        return Path(os.path.relpath(path, top)).as_posix()

    def record(path: str, data: bytes | None = None) -> None:
        nonlocal reading
        relative = project_file(path)
        if relative is None or (data is None and relative in inputs):
            return
        if data is not None:
            inputs[relative] = hashlib.sha256(data).hexdigest()
            return
        reading = True
        try:
            with open(path, "rb") as file:
                inputs[relative] = hashlib.sha256(file.read()).hexdigest()
        except FileNotFoundError:
            inputs[relative] = ABSENT
        except OSError:  # a directory, or unreadable: the snippet's own open fails or reads no bytes
            pass
        finally:
            reading = False

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or reading or not isinstance(args[0], (str, bytes)):
            return
        if isinstance(args[2], int) and args[2] & (os.O_WRONLY | os.O_RDWR):
            return  # written, not read (an output file)
        record(os.fsdecode(args[0]))

    class SourceLoader(importlib.machinery.SourceFileLoader):
        """Compiles a project module from its source, and records the hash of exactly those bytes."""

        def path_stats(self, path: str) -> Any:
            raise OSError("never bytecode for a project module")  # so get_code reads the source

        def get_data(self, path: str) -> bytes:
            data = super().get_data(path)
            record(path, data)
            return data

    class Finder(importlib.machinery.FileFinder):
        """A folder of the project on the import path: a module looked for and missing is recorded."""

        def find_spec(self, fullname: str, target: types.ModuleType | None = None) -> Any:
            spec = super().find_spec(fullname, target)
            if spec is None:
                tail = fullname.rpartition(".")[2]
                for candidate in (f"{tail}.py", tail):
                    record(os.path.join(self.path, candidate))
            return spec

    def path_hook(entry: str) -> Finder:
        folder = os.path.abspath(entry or ".")
        if project_file(folder) is None or not os.path.isdir(folder):
            raise ImportError("not a project folder")
        return Finder(folder, (SourceLoader, importlib.machinery.SOURCE_SUFFIXES))

    sys.path_hooks.insert(0, path_hook)
    for entry in list(sys.path_importer_cache):  # folders the forkserver saw before this hook existed
        if project_file(entry or ".") is not None:
            del sys.path_importer_cache[entry]
    sys.addaudithook(hook)
    return inputs


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + os.sep)


def describe_error(error: BaseException, root: str, limits: Limits) -> dict[str, Any]:
    """The message, the deepest project-file line involved, and the last frames, paths relative."""
    if isinstance(error, SystemExit):
        text = f"called sys.exit({error.code!r}); a snippet must run to its end"
    elif isinstance(error, MemoryError):
        text = (
            f"MemoryError: allocated more than {limits.max_memory_mb:,} MB (the memory limit; raise it with a"
            " line `# livevalues: max_memory_mb=MEGABYTES` in the snippet)"
        )
    elif isinstance(error, SyntaxError):
        text = "".join(traceback.format_exception_only(error)).strip().splitlines()[-1]
    else:  # the first line: a ConvergenceWarning goes on with advice and a link
        text = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}".rstrip(
            ": "
        )
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(str(Path(__file__).parent)) and "runpy" not in frame.filename
    ]
    location = None
    if isinstance(error, SyntaxError) and error.filename:
        location = f"{_relative(error.filename, root)}:{error.lineno}"
    else:
        own = [frame for frame in frames if frame.filename.startswith(root)]
        if own:
            location = f"{_relative(own[-1].filename, root)}:{own[-1].lineno}"
    formatted = tuple(
        f"{_relative(frame.filename, root)}:{frame.lineno} in {frame.name}"
        + (f"\n  {frame.line}" if frame.line else "")
        for frame in frames[-MAX_FRAMES:]
    )
    return {"message": text, "location": location, "frames": formatted}


def _relative(filename: str, root: str) -> str:
    try:
        return str(Path(filename).relative_to(root))
    except ValueError:
        return filename
