"""The worker side: run one snippet in a fresh process and send back its values or its error.

The forkserver preloads this module, so numpy, scikit-learn and matplotlib are imported once and
every snippet starts from a fork of that warm, clean process: a crash, hang or leaked global in one
snippet cannot touch another one or MkDocs itself.
"""

from __future__ import annotations

import faulthandler
import importlib
import io
import os
import resource
import runpy
import signal
import sys
import traceback
import warnings
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import threadpoolctl

from livevalues import capture, notebook
from livevalues.results import Limits
from livevalues.runner import STACK_FILE

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

    A fresh fork fitting a small model took about 24 ms against 14 ms after this; it touches no
    global random state (explicit seeds) and leaves no figure open.
    """
    from sklearn.datasets import make_classification
    from sklearn.linear_model import LogisticRegression
    from sklearn.tree import DecisionTreeClassifier

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        X, y = make_classification(n_samples=60, n_features=4, random_state=0)
        LogisticRegression().fit(X, y).score(X, y)
        DecisionTreeClassifier(random_state=0).fit(X, y).predict(X)
        figure, axes = plt.subplots()
        axes.plot([0, 1], [0, 1], label="warm-up")
        axes.legend()
        figure.savefig(io.StringIO(), format="svg")
        plt.close(figure)


_warm_up()

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


def run(path: str, root: str, scratch: str, limits: Limits, connection: Connection, is_notebook: bool = False) -> None:
    """Entry point in the child: run `path` in `scratch`, send (status, values or error, files used).

    A notebook (`is_notebook`) runs cell by cell; its values include `notebook`, the executed .ipynb.
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
    used = _record_files_used(Path(root), Path(path))
    warnings.simplefilter("error")
    try:
        if is_notebook:
            namespace, executed = notebook.execute(Path(path), stdout)
        else:
            namespace = runpy.run_path(path, run_name="__main__")
        for reserved in ("stdout", "notebook") if is_notebook else ("stdout",):
            if reserved in namespace:
                raise NameError(f"`{reserved}` is a name the engine reserves; rename the variable")
        values = capture.capture(namespace, Path(path).stem)
        values["stdout"] = {"kind": "output", "text": stdout.getvalue()}
        if is_notebook:
            values["notebook"] = {"kind": "notebook", "ipynb": executed}
        message: tuple[str, Any, list[str]] = ("ok", values, sorted(used))
    except notebook.CellError as failure:
        described = describe_error(failure.error, root, limits)
        described["message"] = f"in code cell {failure.number} (In [{failure.number}]): {described['message']}"
        message = ("error", described, sorted(used))
    except BaseException as error:  # noqa: BLE001  (SystemExit and KeyboardInterrupt are snippet bugs too)
        message = ("error", describe_error(error, root, limits), sorted(used))
    connection.send(message)
    connection.close()


def _limit_memory(megabytes: int) -> None:
    """Cap the address space at what the warm worker already maps plus `megabytes`."""
    with open("/proc/self/statm") as statm:
        mapped = int(statm.read().split()[0]) * resource.getpagesize()
    limit = mapped + megabytes * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, resource.getrlimit(resource.RLIMIT_AS)[1]))


def _record_files_used(root: Path, snippet: Path) -> set[str]:
    """Project files the snippet opens or imports, relative to the root: what its result depends on.

    An audit hook sees every open, including the import system's; the engine itself and compiled
    bytecode are left out (the engine's code and the package versions are part of the cache's
    environment key).
    """
    used: set[str] = set()
    engine = Path(__file__).resolve().parent
    # Installed packages (a .venv may sit inside the project) are keyed by their versions instead.
    installed = [(Path(sys.prefix), Path(sys.base_prefix))]

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event != "open" or not isinstance(args[0], (str, bytes)) or "w" in str(args[1] or ""):
            return
        file = Path(os.fsdecode(args[0]))
        file = file if file.is_absolute() else Path.cwd() / file
        inside = (
            file.is_relative_to(root)
            and not file.is_relative_to(engine)
            and not any(file.is_relative_to(prefix) for prefixes in installed for prefix in prefixes)
            and "__pycache__" not in file.parts
        )
        if inside and file != snippet and file.is_file():
            used.add(file.relative_to(root).as_posix())

    sys.addaudithook(hook)
    return used


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
