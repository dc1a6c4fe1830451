"""What runs in a snippet's own process: output and memory limits, the inputs it reads, its values.

The worker forks this process for one snippet (or notebook) and reads its report from a pipe:
("ok", values, inputs) or ("error", Failure, inputs), where inputs are the project files it read,
imported or looked for, with the hash of what it read (see `_record_inputs`).
"""

from __future__ import annotations

import faulthandler
import hashlib
import importlib.machinery
import io
import linecache
import os
import pickle
import resource
import signal
import sys
import types
import warnings
from dataclasses import replace
from pathlib import Path
from typing import Any

from livevalues import capture, notebook
from livevalues.limits import Limits
from livevalues.problems import Failure, describe_error, label
from livevalues.results import ABSENT

STACK_FILE = "livevalues-stack.txt"  # where it writes its stack on SIGUSR1, in its scratch folder


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


def run(
    path: str,
    source: str,
    root: str,
    scratch: str,
    limits: Limits,
    report: int,
    is_notebook: bool = False,
    stale: list[str] | None = None,
) -> None:
    """In the child: run `source` (the file at `path` as submitted) in `scratch`; report to fd `report`.

    The report is (status, values or error, inputs): the project files it read, with the hash of
    what it read. A notebook (`is_notebook`) runs cell by cell; its values include `notebook`, the
    executed .ipynb. `stale`: `stale_importers(root, path, scratch)`, if the parent found them
    before the fork.
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
    style_figures()  # a notebook's figures too: inline in a page, they follow its scheme
    _limit_memory(limits.max_memory_mb)
    # On a timeout the parent sends SIGUSR1 first: the stack written here says where the snippet was stuck.
    faulthandler.register(signal.SIGUSR1, file=open(STACK_FILE, "w"), all_threads=False)  # noqa: SIM115
    # Tracebacks quote the lines that ran, even if the file has been edited since.
    linecache.cache[path] = (len(source), None, source.splitlines(keepends=True), path)
    inputs = _record_inputs(Path(root), Path(path), stale)
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
        described: Failure = describe_error(failure.error, root, limits)
        prefix = f"in code cell {failure.number} (In [{failure.number}]): "
        location = f"{label(path, root)}:{failure.line}" if failure.line else described.location
        message = ("error", replace(described, message=prefix + described.message, location=location), dict(inputs))
    except BaseException as error:  # noqa: BLE001  (SystemExit and KeyboardInterrupt are snippet bugs too)
        message = ("error", describe_error(error, root, limits), dict(inputs))
    with os.fdopen(report, "wb") as out:
        out.write(pickle.dumps(message))


_styled = False  # this process (or the worker it was forked from) has set the figure style


def style_figures() -> None:
    """matplotlib's settings to the site's figure style (`capture.FIGURE_STYLE`), once per process.

    The worker calls it before its first fork, so a snippet's process inherits the style instead
    of validating ten settings again (about 0.2 ms per snippet).
    """
    global _styled
    if not _styled:
        import matplotlib.pyplot as plt  # loaded already in a fork of the forkserver

        plt.rcParams.update(capture.FIGURE_STYLE)
        _styled = True


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


def stale_importers(root: str, snippet: str, cwd: str) -> list[str]:
    """The import system's cached finders for project folders (seen by the forkserver, before the
    hook of `_record_inputs` existed): `_record_inputs` drops them, so that imports from there are
    recorded. Run in `cwd` (the snippet's scratch folder, where relative entries point).

    The worker finds them before it forks: the same answer (the fork has the same cache), and the
    snippet's process does not touch the ~160 cached path strings, each a page it would copy.
    """
    top, own = str(Path(root)), str(Path(snippet))
    return [
        entry
        for entry in list(sys.path_importer_cache)
        if not _outside(entry, top) and _project_file(os.path.join(cwd, entry or "."), top, own) is not None
    ]


def _project_file(path: str, top: str, own: str) -> str | None:
    """`path` relative to `top` if a result may depend on it; None otherwise (string tests only:
    this runs for every file a snippet opens)."""
    path = os.path.abspath(path)
    if (
        not _under(path, top)
        or any(_under(path, folder) for folder in NOT_INPUTS)
        or f"{os.sep}__pycache__{os.sep}" in path
        or path == own
    ):
        return None
    return Path(os.path.relpath(path, top)).as_posix()


def _record_inputs(root: Path, snippet: Path, stale: list[str] | None = None) -> dict[str, str]:
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
        return _project_file(path, top, own)

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
    for entry in stale_importers(top, own, os.getcwd()) if stale is None else stale:
        del sys.path_importer_cache[entry]  # folders the forkserver saw before this hook existed
    sys.addaudithook(hook)
    return inputs


def _outside(entry: str, top: str) -> bool:
    """True if `entry` is certainly not under `top` (absolute, normalised), by string tests alone: an
    absolute path with no `.` or `..` part and no doubled separator normalises to itself."""
    padded = entry + os.sep
    return (
        entry.startswith(os.sep)
        and not entry.startswith(top)
        and f"{os.sep}.{os.sep}" not in padded
        and f"{os.sep}..{os.sep}" not in padded
        and os.sep * 2 not in entry
    )


def _under(path: str, folder: str) -> bool:
    return path == folder or path.startswith(folder + os.sep)
