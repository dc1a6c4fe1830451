"""Run snippets in parallel worker processes, each with a time limit."""

from __future__ import annotations

import contextlib
import multiprocessing
import multiprocessing.forkserver
import os
import re
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livevalues.problems import SnippetError
from livevalues.results import Limits, SnippetResult

if TYPE_CHECKING:
    from livevalues.cache import Cache

FAULTHANDLER_FRAME = re.compile(r'File "([^"]+)", line (\d+)')
STACK_FILE = "livevalues-stack.txt"  # where a worker writes its stack on SIGUSR1, in its scratch folder
CELL_FILE = "livevalues-cell.txt"  # where a notebook's worker writes the number of the cell it runs
ENGINE_PARENT = str(Path(__file__).resolve().parent.parent)


@dataclass
class _Job:
    path: Path
    label: str  # the snippet's path relative to the project, for messages
    limits: Limits
    is_notebook: bool
    process: BaseProcess
    connection: Connection
    scratch: str
    deadline: float


def _context() -> multiprocessing.context.ForkServerContext:
    """The forkserver context, its server started with the engine and scientific stack loaded.

    Python 3.12's forkserver imports its preload list before applying the parent's sys.path, so
    the engine's folder goes on PYTHONPATH while the server starts.
    """
    if ENGINE_PARENT not in sys.path:
        sys.path.insert(0, ENGINE_PARENT)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["livevalues.worker"])
    saved = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [ENGINE_PARENT, saved]))
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        if saved is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = saved
    return context


def start_workers() -> None:
    """Start the worker server now, so its imports overlap with MkDocs' own start-up.

    Worth it only when snippets will run (an empty cache); otherwise the first run starts it.
    """
    _context()


def run_snippets(
    paths: Iterable[Path],
    root: Path,
    limits: Limits = Limits(),
    cache: Cache | None = None,
    jobs: int | None = None,
    notebooks: Iterable[Path] = (),
) -> dict[str, SnippetResult]:
    """Each snippet's and notebook's result, keyed by name (file stem): from the cache, or run once in a worker.

    Notebooks (jupytext percent-format `.py` files) run cell by cell in the same workers, with the
    same limits and cache; a snippet and a notebook with the same name are an error for both.
    """
    root = root.resolve()
    results: dict[str, SnippetResult] = {}
    todo: list[tuple[Path, Limits, bool]] = []
    kinds = {Path(path).resolve(): False for path in paths} | {Path(path).resolve(): True for path in notebooks}
    stems: dict[str, list[Path]] = {}
    for path in kinds:
        stems.setdefault(path.stem, []).append(path)
    for path, is_notebook in sorted(kinds.items()):
        if len(stems[path.stem]) > 1:
            others = " and ".join(_label(other, root) for other in sorted(stems[path.stem]))
            message = f"{others} share the name {path.stem!r}, so %{{{path.stem}.…}} would be ambiguous: rename one"
            results[path.stem] = SnippetResult(path.stem, error=SnippetError(message))
            continue
        try:
            own_limits = limits.for_snippet(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            results[path.stem] = SnippetResult(path.stem, error=SnippetError(str(error), _label(path, root)))
            continue
        cached = cache.get(path, own_limits, is_notebook=is_notebook) if cache else None
        if cached is not None:
            results[path.stem] = cached
        else:
            todo.append((path, own_limits, is_notebook))
    for path, own_limits, is_notebook, result in _run(todo, root, jobs or os.cpu_count() or 1):
        results[path.stem] = result
        if cache:
            cache.put(path, own_limits, result, is_notebook=is_notebook)
    return results


def _run(
    todo: list[tuple[Path, Limits, bool]], root: Path, jobs: int
) -> Iterator[tuple[Path, Limits, bool, SnippetResult]]:
    """Run snippets in worker processes, up to `jobs` at a time, as each one finishes."""
    if not todo:
        return  # nothing to run: the forkserver need not even start
    context = _context()
    pending = list(todo)
    running: list[_Job] = []
    try:
        while pending or running:
            while pending and len(running) < jobs:
                running.append(_start(context, *pending.pop(0), root))
            timeout = max(0.0, min(job.deadline for job in running) - time.monotonic())
            wait([job.connection for job in running] + [job.process.sentinel for job in running], timeout)
            for job in list(running):
                result = _collect(job)
                if result is not None:
                    running.remove(job)
                    _finish(job)
                    yield job.path, job.limits, job.is_notebook, result
    finally:
        for job in running:
            _finish(job)


def _start(context: Any, path: Path, limits: Limits, is_notebook: bool, root: Path) -> _Job:
    receiver, sender = context.Pipe(duplex=False)
    scratch = tempfile.mkdtemp(prefix=f"livevalues-{path.stem}-")
    process = context.Process(
        target=_in_worker,
        args=(str(path), str(root), scratch, limits, sender, is_notebook),
        name=f"livevalues:{path.stem}",
        daemon=True,
    )
    with _main_script_hidden():
        process.start()
    sender.close()
    deadline = time.monotonic() + limits.timeout
    return _Job(path, _label(path, root), limits, is_notebook, process, receiver, scratch, deadline)


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Stop multiprocessing from re-running the parent's main script in every worker.

    It does so to find functions defined there; ours live in `livevalues.worker`, and re-running
    the `mkdocs` or `pytest` script costs about a second per snippet.
    """
    main = sys.modules["__main__"]
    saved = main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        if saved is not None:
            main.__file__ = saved


def _label(path: Path, root: Path) -> str:
    return str(path.relative_to(root)) if path.is_relative_to(root) else str(path)


def _collect(job: _Job) -> SnippetResult | None:
    """The job's result if it has one: values, an error it reported, a crash, or a timeout."""
    name = job.path.stem
    if job.connection.poll():
        try:
            status, payload, deps = job.connection.recv()
        except EOFError:
            return SnippetResult(name, error=_crash(job))
        if status == "ok":
            return SnippetResult(name, values=payload, deps=deps, cacheable=True)
        error = SnippetError(payload["message"], payload["location"], tuple(payload["frames"]))
        return SnippetResult(name, error=error, deps=deps, cacheable=True)
    if not job.process.is_alive():
        return SnippetResult(name, error=_crash(job))
    if time.monotonic() >= job.deadline:
        location = _where_stuck(job) or job.label
        job.process.kill()
        message = (
            f"timed out after {job.limits.timeout:g} s (the time limit; raise it with a line"
            f" `# livevalues: timeout=SECONDS` in the {'notebook' if job.is_notebook else 'snippet'})"
        )
        cell = Path(job.scratch) / CELL_FILE
        if job.is_notebook and cell.exists():
            message = f"in code cell {cell.read_text()} (In [{cell.read_text()}]): {message}"
        return SnippetResult(name, error=SnippetError(message, location))
    return None


def _in_worker(*args: Any) -> None:
    """The worker's entry point, named here so that MkDocs' process never imports the scientific stack.

    The forkserver preloaded `livevalues.worker`, so in a worker this import costs nothing.
    """
    from livevalues import worker

    worker.run(*args)


def _where_stuck(job: _Job) -> str | None:
    """The snippet line a timed-out worker is running: it writes its stack on SIGUSR1."""
    stack = Path(job.scratch) / STACK_FILE
    with contextlib.suppress(ProcessLookupError):
        os.kill(job.process.pid or 0, signal.SIGUSR1)
    deadline = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        frames = FAULTHANDLER_FRAME.findall(stack.read_text()) if stack.exists() else []
        own = [(file, line) for file, line in frames if Path(file).name == job.path.name]
        if own:  # most recent call first
            return f"{job.label}:{own[0][1]}"
        time.sleep(0.02)
    return None


def _crash(job: _Job) -> SnippetError:
    job.process.join(5)
    code = job.process.exitcode
    if code is not None and code < 0:
        reason = f"its worker process was killed by signal {signal.Signals(-code).name}"
    else:
        reason = f"its worker process exited with code {code} before reporting (os._exit or a crash)"
    return SnippetError(reason, job.label)


def _finish(job: _Job) -> None:
    if job.process.is_alive():
        job.process.kill()
    job.process.join(5)
    job.connection.close()
    shutil.rmtree(job.scratch, ignore_errors=True)
