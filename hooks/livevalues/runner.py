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
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from livevalues.problems import SnippetError

ENGINE_PARENT = str(Path(__file__).resolve().parent.parent)


LIMITS_COMMENT = re.compile(r"^#\s*livevalues:\s*(?P<settings>.*)$", re.M)


@dataclass(frozen=True)
class Limits:
    """Per-snippet limits: seconds of wall time and characters of printed output.

    A snippet may change its own with a comment line: `# livevalues: timeout=120, max_output=5000000`.
    """

    timeout: float = 60.0
    max_output: int = 1_000_000

    def for_snippet(self, source: str) -> Limits:
        match = LIMITS_COMMENT.search(source)
        if match is None:
            return self
        settings = dict(item.strip().partition("=")[::2] for item in match["settings"].split(",") if item.strip())
        unknown = set(settings) - {"timeout", "max_output"}
        if unknown:
            raise ValueError(f"unknown livevalues setting(s) {sorted(unknown)}; known: timeout, max_output")
        return replace(
            self,
            timeout=float(settings.get("timeout", self.timeout)),
            max_output=int(settings.get("max_output", self.max_output)),
        )


@dataclass
class SnippetResult:
    """What one snippet produced: its values by name, or the error that stopped it."""

    name: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: SnippetError | None = None


@dataclass
class _Job:
    path: Path
    label: str  # the snippet's path relative to the project, for messages
    limits: Limits
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


def run_snippets(
    paths: Iterable[Path], root: Path, limits: Limits = Limits(), jobs: int | None = None
) -> dict[str, SnippetResult]:
    """Run each snippet once, up to `jobs` at a time; results keyed by snippet name (file stem)."""
    context = _context()
    root = root.resolve()
    pending = sorted({Path(path).resolve() for path in paths})
    jobs = jobs or os.cpu_count() or 1
    running: list[_Job] = []
    results: dict[str, SnippetResult] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                path = pending.pop(0)
                try:
                    own_limits = limits.for_snippet(path.read_text(encoding="utf-8"))
                except (OSError, ValueError) as error:
                    results[path.stem] = SnippetResult(path.stem, error=SnippetError(str(error), _label(path, root)))
                    continue
                running.append(_start(context, path, root, own_limits))
            if not running:
                break
            timeout = max(0.0, min(job.deadline for job in running) - time.monotonic())
            wait([job.connection for job in running] + [job.process.sentinel for job in running], timeout)
            for job in list(running):
                result = _collect(job)
                if result is not None:
                    results[result.name] = result
                    running.remove(job)
                    _finish(job)
    finally:
        for job in running:
            _finish(job)
    return results


def _start(context: Any, path: Path, root: Path, limits: Limits) -> _Job:
    from livevalues import worker  # imported lazily: only the forkserver needs the scientific stack

    receiver, sender = context.Pipe(duplex=False)
    scratch = tempfile.mkdtemp(prefix=f"livevalues-{path.stem}-")
    process = context.Process(
        target=worker.run,
        args=(str(path), str(root), scratch, limits.max_output, sender),
        name=f"livevalues:{path.stem}",
        daemon=True,
    )
    with _main_script_hidden():
        process.start()
    sender.close()
    return _Job(path, _label(path, root), limits, process, receiver, scratch, time.monotonic() + limits.timeout)


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
            status, payload = job.connection.recv()
        except EOFError:
            return SnippetResult(name, error=_crash(job))
        if status == "ok":
            return SnippetResult(name, values=payload)
        return SnippetResult(name, error=SnippetError(payload["message"], payload["location"], payload["frames"]))
    if not job.process.is_alive():
        return SnippetResult(name, error=_crash(job))
    if time.monotonic() >= job.deadline:
        job.process.kill()
        message = (
            f"timed out after {job.limits.timeout:g} s (the time limit; raise it with a line"
            f" `# livevalues: timeout=SECONDS` in the snippet)"
        )
        return SnippetResult(name, error=SnippetError(message, job.label))
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
