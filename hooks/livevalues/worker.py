"""A worker: a long-lived fork of the warm forkserver that runs each job in a fresh fork of itself.

One worker per core. For each job it forks a child (see `child`), which runs the snippet from the
same warm, clean state: a crash, hang or leaked global in one snippet cannot touch another one,
the worker, or MkDocs itself. The worker enforces the time limit, finds where a timed-out snippet
was stuck, kills what the snippet left running, and reports the result.
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing.forkserver
import os
import pickle
import re
import select
import shutil
import signal
import tempfile
import time
from collections.abc import Sequence
from multiprocessing.connection import Connection
from pathlib import Path

from livevalues import child, notebook, preload, processes
from livevalues.limits import Limits
from livevalues.problems import Failure, how_it_ended, label
from livevalues.results import SnippetResult

FAULTHANDLER_FRAME = re.compile(r'File "([^"]+)", line (\d+)')


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
    child.style_figures()  # once here, inherited by every fork
    gc.freeze()  # the warm objects stay out of every fork's garbage collections: fewer pages copied
    processes.use_huge_pages()  # after the freeze, which writes to every object: fewer page tables to copy
    while True:
        try:
            job_id, path, source, root, limits, is_notebook = connection.recv()
        except EOFError:
            return
        if preload.NUMERICS_PROBLEMS:
            message = "the pinned numeric environment did not take: " + "; ".join(preload.NUMERICS_PROBLEMS)
            result = SnippetResult(Path(path).stem, error=Failure(message))
        else:
            result = run_in_fork(Path(path), source, root, limits, is_notebook, connection)
        result.environment = preload.ENVIRONMENT
        connection.send((job_id, result))


def run_in_fork(
    path: Path, source: str, root: str, limits: Limits, is_notebook: bool, connection: Connection
) -> SnippetResult:
    """Run one snippet or notebook (`source`, as submitted) in a child process, within its limits."""
    if is_notebook:
        notebook.preload()  # once per worker: later notebooks fork with jupytext and nbformat loaded
    scratch = tempfile.mkdtemp(prefix=f"livevalues-{path.stem}-")
    # the child's working folder: os.getcwd() there is the real path
    stale = child.stale_importers(root, str(path), os.path.realpath(scratch))
    report_reader, report_writer = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: it never returns, whatever the snippet does
        code = 70
        try:
            os.setpgid(0, 0)  # its own process group: a timeout kills what it started too
            processes.die_with_parent()  # a snippet that kills its worker ends too
            connection.close()
            os.close(report_reader)
            child.run(str(path), source, root, scratch, limits, report_writer, is_notebook, stale)
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
    where = label(path, root)
    if timed_out:
        message = (
            f"timed out after {limits.timeout:g} s (the time limit; raise it with a line"
            f" `# livevalues: timeout=SECONDS` in the {'notebook' if is_notebook else 'snippet'})"
        )
        if cell:
            message = f"in code cell {cell} (In [{cell}]): {message}"
        return SnippetResult(path.stem, error=Failure(message, stuck or where))
    try:
        status_word, payload, inputs = pickle.loads(report)
    except Exception:  # noqa: BLE001  (nothing, or a partial report: the process died before reporting)
        code = os.waitstatus_to_exitcode(status)  # -N: killed by signal N
        message = f"its worker process {how_it_ended(code)}" + (
            "" if code < 0 else " before reporting (os._exit or a crash)"
        )
        return SnippetResult(path.stem, error=Failure(message, where))
    if status_word == "ok":
        return SnippetResult(path.stem, values=payload, deps=inputs, cacheable=True)
    return SnippetResult(path.stem, error=payload, deps=inputs, cacheable=True)


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
    stack = Path(scratch) / child.STACK_FILE
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGUSR1)
    deadline = time.monotonic() + 3.0  # a loaded machine can take a while to schedule the dump
    while time.monotonic() < deadline:
        frames = FAULTHANDLER_FRAME.findall(stack.read_text()) if stack.exists() else []
        own = [line for file, line in frames if Path(file).name == path.name]
        if own:  # most recent call first
            return f"{label(path, root)}:{own[0]}"
        time.sleep(0.02)
    return None


def _read_cell(scratch: str) -> str | None:
    cell = Path(scratch) / notebook.CELL_FILE
    return cell.read_text() if cell.exists() else None
