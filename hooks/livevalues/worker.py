"""The worker side: run one snippet in a fresh process and send back its values or its error.

The forkserver preloads this module, so numpy, scikit-learn and matplotlib are imported once and
every snippet starts from a fork of that warm, clean process: a crash, hang or leaked global in one
snippet cannot touch another one or MkDocs itself.
"""

from __future__ import annotations

import importlib
import io
import os
import runpy
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

from livevalues import capture

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


def run(path: str, root: str, scratch: str, max_output: int, connection: Connection) -> None:
    """Entry point in the child: run `path` in `scratch`, send ("ok", values) or ("error", details)."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)  # C-level chatter (libsvm's verbose) must not reach MkDocs' console
    os.dup2(devnull, 2)
    os.chdir(scratch)
    sys.argv = [path]
    sys.path.insert(0, str(Path(path).parent))
    stdout = BoundedWriter(max_output)
    sys.stdout = stdout
    sys.stderr = io.StringIO()
    plt.rcParams.update(capture.FIGURE_STYLE)
    threadpoolctl.threadpool_limits(1)  # one thread per worker: no oversubscription, stable sums
    warnings.simplefilter("error")
    try:
        namespace = runpy.run_path(path, run_name="__main__")
        if "stdout" in namespace:
            raise NameError("`stdout` is reserved for the snippet's printed output; rename the variable")
        values = capture.capture(namespace, Path(path).stem)
        values["stdout"] = {"kind": "output", "text": stdout.getvalue()}
        message: tuple[str, Any] = ("ok", values)
    except BaseException as error:  # noqa: BLE001  (SystemExit and KeyboardInterrupt are snippet bugs too)
        message = ("error", describe_error(error, root))
    connection.send(message)
    connection.close()


def describe_error(error: BaseException, root: str) -> dict[str, Any]:
    """The message, the deepest project-file line involved, and the last frames, paths relative."""
    if isinstance(error, SystemExit):
        text = f"called sys.exit({error.code!r}); a snippet must run to its end"
    else:
        text = "".join(traceback.format_exception_only(error)).strip().splitlines()[-1]
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
