"""Run snippets in parallel worker processes, each with a time limit."""

from __future__ import annotations

import multiprocessing
import os
import shutil
import signal
import sys
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any

from livevalues.problems import SnippetError

ENGINE_PARENT = str(Path(__file__).resolve().parent.parent)


@dataclass(frozen=True)
class Limits:
    """Per-snippet limits: seconds of wall time and characters of printed output."""

    timeout: float = 60.0
    max_output: int = 1_000_000


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
    process: BaseProcess
    connection: Connection
    scratch: str
    deadline: float


def _context() -> multiprocessing.context.ForkServerContext:
    # The forkserver must be able to import the engine: MkDocs puts hooks/ on sys.path only while
    # the hook module itself is being imported.
    if ENGINE_PARENT not in sys.path:
        sys.path.insert(0, ENGINE_PARENT)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["livevalues.worker"])
    return context


def run_snippets(
    paths: Iterable[Path], root: Path, limits: Limits = Limits(), jobs: int | None = None
) -> dict[str, SnippetResult]:
    """Run each snippet once, up to `jobs` at a time; results keyed by snippet name (file stem)."""
    context = _context()
    pending = sorted(set(paths))
    jobs = jobs or os.cpu_count() or 1
    running: list[_Job] = []
    results: dict[str, SnippetResult] = {}
    try:
        while pending or running:
            while pending and len(running) < jobs:
                running.append(_start(context, pending.pop(0), root, limits))
            timeout = max(0.0, min(job.deadline for job in running) - time.monotonic())
            wait([job.connection for job in running] + [job.process.sentinel for job in running], timeout)
            for job in list(running):
                result = _collect(job, limits)
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
    process.start()
    sender.close()
    label = str(path.relative_to(root)) if path.is_relative_to(root) else str(path)
    return _Job(path, label, process, receiver, scratch, time.monotonic() + limits.timeout)


def _collect(job: _Job, limits: Limits) -> SnippetResult | None:
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
        message = f"timed out after {limits.timeout:g} s (the time limit; raise it with timeout)"
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
