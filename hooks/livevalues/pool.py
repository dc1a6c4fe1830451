"""Run snippets in parallel worker processes while the caller goes on with its own work.

`submit` returns at once with a `Batch`; `Batch.result(name)` waits for that one snippet only. So
MkDocs converts the pages while the workers run, and waits only where it needs a value.
A thread in this process hands jobs to the workers and collects their reports; the snippets
themselves run in the workers' forks (see `worker.py`), never here.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import itertools
import logging
import multiprocessing
import multiprocessing.forkserver
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from multiprocessing.connection import Connection, wait
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import TYPE_CHECKING

from livevalues import numerics
from livevalues.limits import Limits, LimitsError
from livevalues.problems import Failure, how_it_ended, label
from livevalues.results import SnippetResult

if TYPE_CHECKING:
    from livevalues.cache import Cache

ENGINE_PARENT = str(Path(__file__).resolve().parent.parent)
QUEUED_PER_WORKER = 2  # the next job waits in each worker's pipe, so no worker idles between two jobs
log = logging.getLogger("livevalues")


@dataclass
class _Job:
    id: int
    path: Path
    source: bytes  # the file as read when submitted: what runs, and what the result is stored under
    limits: Limits
    is_notebook: bool
    key: _Key  # its inputs, as `_key` gives them: the same key is the same job
    batches: list[Batch]  # every batch waiting for it: a rebuild joins a job still running
    submitted: int  # time.time_ns() when submitted: a file beside it changed after that is newer (`_changed_since`)

    @property
    def root(self) -> Path:
        return self.batches[0].root

    @property
    def wanted(self) -> bool:
        return not all(batch.cancelled for batch in self.batches)


_Key = tuple[str, str, str, bool]


def _key(path: Path, source: bytes, limits: Limits, is_notebook: bool) -> _Key:
    return (str(path), hashlib.sha256(source).hexdigest(), repr(limits), is_notebook)


@dataclass
class _Worker:
    process: BaseProcess
    connection: Connection
    jobs: deque[_Job] = field(default_factory=deque)  # sent to it, oldest (the one running) first


class Batch:
    """The results of one `submit`, each available as soon as its worker reports it."""

    def __init__(self, root: Path, cache: Cache | None) -> None:
        self.root = root
        self.cache = cache
        self.results: dict[str, SnippetResult] = {}
        self.expected: set[str] = set()
        self.cancelled = False
        self.released = False  # its build stopped waiting: results still to come are kept for the next
        self._ready = threading.Condition()

    def result(self, name: str, timeout: float | None = None) -> SnippetResult | None:
        """The named snippet's result, waiting for it (at most `timeout` s); None if not in by then."""
        with self._ready:
            self._ready.wait_for(lambda: name in self.results or name not in self.expected or self.cancelled, timeout)
            return self.results.get(name)

    def wait(self, timeout: float | None = None, names: Iterable[str] | None = None) -> dict[str, SnippetResult]:
        """Every result (or those of `names`) once all are in, or what is in after `timeout` s."""
        wanted = self.expected if names is None else set(names)
        with self._ready:
            self._ready.wait_for(lambda: wanted <= self.results.keys() or self.cancelled, timeout)
            return dict(self.results)

    def wait_for_any(self, names: set[str]) -> None:
        """Until one of `names` has a result."""
        with self._ready:
            self._ready.wait_for(lambda: bool(names & self.results.keys()) or self.cancelled)

    def cancel(self) -> None:
        """Drop the jobs no worker has started yet (a failed build); running ones finish into the cache."""
        with self._ready:
            self.cancelled = True
            self._ready.notify_all()

    def release(self) -> None:
        """The build goes on without the results still running (a dev server that stays responsive).

        They still arrive here; one that cannot be cached (a timeout) is also kept for the next
        submit of the same inputs, which takes it instead of running the snippet again.
        """
        self.released = True

    def _resolve(self, result: SnippetResult) -> None:
        with self._ready:
            self.results[result.name] = result
            self._ready.notify_all()


def after_each_burst(
    batch: Batch, names: set[str], callback: Callable[[], bool], quiet: float = 1.0
) -> threading.Thread:
    """In a thread: `callback()` each time results of `names` have arrived and `quiet` seconds passed
    without another, and once the last is in. It stops early when `callback` returns False.

    So a fast snippet's value shows without waiting for a slow one's, and ten results in a row
    cause one call, not ten (a dev server's rebuild, see the MkDocs adapter).
    """

    def follow() -> None:
        waiting = set(names)
        while waiting and not batch.cancelled:
            batch.wait_for_any(waiting)
            while True:
                arrived = len(waiting & batch.results.keys())
                batch.wait(timeout=quiet, names=waiting)
                if len(waiting & batch.results.keys()) in (arrived, len(waiting)):
                    break
            waiting -= batch.results.keys()
            if not callback():
                return

    thread = threading.Thread(target=follow, name="livevalues-arrivals", daemon=True)
    thread.start()
    return thread


_registry = threading.Lock()
_running: dict[_Key, _Job] = {}  # submitted and not yet reported: a new batch joins instead of re-running
_late: dict[_Key, tuple[SnippetResult, int]] = {}  # see Batch.release


def _forget(job: _Job) -> None:
    """The job no longer runs for its key (call with `_registry` held)."""
    if _running.get(job.key) is job:
        del _running[job.key]


def _finish(job: _Job, result: SnippetResult) -> None:
    """A job's end: store its result (failing to is a warning, nothing more) and hand it to every batch."""
    with _registry:
        _forget(job)
        if not result.cacheable and any(batch.released for batch in job.batches):
            _late[job.key] = (result, job.submitted)
    cache = next((batch.cache for batch in job.batches if batch.cache is not None), None)
    if cache is not None:
        try:
            cache.put(job.path, job.limits, result, source=job.source, is_notebook=job.is_notebook)
        except Exception:
            log.exception("livevalues: could not cache the result of %s", label(job.path, job.root))
    for batch in job.batches:
        batch._resolve(result)


def _changed_since(path: Path, moment: int) -> bool:
    """Whether a file beside `path` (a helper it imports) was written after `moment` (ns), or is unreadable."""
    try:
        return any(entry.stat().st_mtime_ns >= moment for entry in os.scandir(path.parent))
    except OSError:
        return True


class _Pool:
    """One worker per core, forked once from the forkserver, fed by a thread of this process."""

    def __init__(self, size: int) -> None:
        self._context = _context()
        self._lock = threading.Lock()
        self._queue: deque[_Job] = deque()
        self._wake_reader, self._wake_writer = os.pipe()
        self._workers: list[_Worker] = []
        self._closed = False
        # Starting a worker waits until the forkserver has loaded the stack (about 1.5 s): the
        # thread does that, while MkDocs goes on.
        self._thread = threading.Thread(target=self._loop, args=(size,), name="livevalues-dispatch", daemon=True)
        self._thread.start()
        atexit.register(self.close)  # runs before multiprocessing's own exit handler, which stops the workers

    def close(self) -> None:
        """Stop feeding the workers; they exit when their connection closes."""
        self._closed = True
        os.write(self._wake_writer, b".")

    def _spawn(self, replacing: bool = False) -> _Worker:
        """A new worker; `replacing` one that died: it kills what the dead one's snippet left behind."""
        ours, theirs = self._context.Pipe()
        others = [worker.process.pid for worker in self._workers] if replacing else None
        process = self._context.Process(target=_in_worker, args=(theirs, others), name="livevalues-worker", daemon=True)
        with _main_script_hidden():
            process.start()
        theirs.close()
        return _Worker(process, ours)

    def submit(self, jobs: Iterable[_Job]) -> None:
        with self._lock:
            self._queue.extend(jobs)
        os.write(self._wake_writer, b".")

    def _loop(self, size: int) -> None:
        try:
            self._workers = [self._spawn() for _ in range(size)]
            self._dispatch()
        except Exception as error:  # an engine bug: fail every job loudly rather than hang the build
            self._closed = True
            log.exception("livevalues: the worker pool failed")
            with self._lock:
                jobs = [job for worker in self._workers for job in worker.jobs] + list(self._queue)
                self._queue.clear()
            for worker in self._workers:
                worker.connection.close()  # the worker exits; the next submit starts a new pool
            for job in jobs:
                message = f"not run: the worker pool failed ({error!r}); see the log"
                _finish(job, SnippetResult(job.path.stem, error=Failure(message)))

    def _dispatch(self) -> None:
        while not self._closed:
            self._feed()
            ready = wait([worker.connection for worker in self._workers] + [self._wake_reader])
            for source in ready:
                if self._closed:
                    break
                if source == self._wake_reader:
                    os.read(self._wake_reader, 4096)
                    continue
                worker = next(worker for worker in self._workers if worker.connection is source)
                try:
                    job_id, result = worker.connection.recv()
                except (EOFError, OSError):
                    self._replace(worker)
                    continue
                job = worker.jobs[0]
                assert job.id == job_id, (job.id, job_id)
                _finish(job, result)
                worker.jobs.popleft()  # only now: should delivering fail, the job is still here to fail

    def _feed(self) -> None:
        with self._lock:
            for worker in self._workers:
                while self._queue and len(worker.jobs) < QUEUED_PER_WORKER:
                    job = self._queue.popleft()
                    if not job.wanted:
                        with _registry:
                            _forget(job)
                        continue
                    try:
                        worker.connection.send(
                            (
                                job.id,
                                str(job.path),
                                job.source.decode("utf-8"),
                                str(job.root),
                                job.limits,
                                job.is_notebook,
                            )
                        )
                    except OSError:  # it died: the loop sees its connection closed and replaces it
                        self._queue.appendleft(job)
                        break
                    worker.jobs.append(job)

    def _replace(self, worker: _Worker) -> None:
        """A worker died (a snippet can kill its parent): fail its running job, requeue the others."""
        worker.connection.close()
        worker.process.join(5)
        self._workers.remove(worker)
        if worker.jobs:
            running = worker.jobs.popleft()
            ended = how_it_ended(worker.process.exitcode)
            error = Failure(
                f"the worker process that forked it {ended} while it ran", label(running.path, running.root)
            )
            _finish(running, SnippetResult(running.path.stem, error=error))
        with self._lock:
            self._queue.extendleft(reversed(worker.jobs))
        self._workers.append(self._spawn(replacing=True))
        log.warning("livevalues: a worker process stopped; started a new one")


_pool: _Pool | None = None
_ids = itertools.count()


def start_workers() -> None:
    """Start the workers now, so their imports overlap with MkDocs' own start-up.

    Worth it only when snippets will run (an empty cache); otherwise the first submit starts them.
    """
    global _pool
    if _pool is None or _pool._closed:
        _pool = _Pool(os.cpu_count() or 1)


def stop_workers() -> None:
    """Stop the workers and wait until they have exited (the next submit starts new ones).

    A build never needs this: its workers end with it. The benchmark does, to count their CPU
    time: a worker that exits on its own is reaped by the forkserver, so its time (and its
    snippets') reaches the forkserver's and then MkDocs' `getrusage(RUSAGE_CHILDREN)`.
    """
    global _pool
    pool, _pool = _pool, None
    if pool is None:
        return
    pool.close()
    pool._thread.join()
    for worker in pool._workers:
        worker.connection.close()  # its loop sees the end of its connection and returns
        worker.process.join()


def submit(
    paths: Iterable[Path],
    root: Path,
    limits: Limits = Limits(),
    cache: Cache | None = None,
    notebooks: Iterable[Path] = (),
) -> Batch:
    """Start every snippet and notebook that has no cached result, in the order given; return at once.

    Notebooks (jupytext percent-format `.py` files) run cell by cell in the same workers, with the
    same limits and cache; a snippet and a notebook with the same name are an error for both.
    Results are keyed by name (the file stem).
    """
    root = root.resolve()
    batch = Batch(root, cache)
    todo = []
    kinds = {Path(path).resolve(): True for path in notebooks} | {Path(path).resolve(): False for path in paths}
    stems: dict[str, list[Path]] = {}
    for path in kinds:
        stems.setdefault(path.stem, []).append(path)
    for path, is_notebook in kinds.items():
        batch.expected.add(path.stem)
        if len(stems[path.stem]) > 1:
            others = " and ".join(label(other, root) for other in sorted(stems[path.stem]))
            message = f"{others} share the name {path.stem!r}, so %{{{path.stem}.…}} would be ambiguous: rename one"
            batch._resolve(SnippetResult(path.stem, error=Failure(message)))
            continue
        try:
            source = path.read_bytes()  # read once: this is what runs and what the result is keyed on
            own_limits = limits.for_snippet(source.decode("utf-8"))
        except (OSError, ValueError) as error:
            line = f":{error.line}" if isinstance(error, LimitsError) else ""  # its `# livevalues:` line
            batch._resolve(SnippetResult(path.stem, error=Failure(str(error), label(path, root) + line)))
            continue
        cached = cache.get(path, own_limits, is_notebook=is_notebook, source=source) if cache else None
        if cached is not None:
            batch._resolve(cached)
            continue
        key = _key(path, source, own_limits, is_notebook)
        with _registry:
            late = _late.pop(key, None)
            running = _running.get(key)
            if late is not None and not _changed_since(path, late[1]):  # nothing beside it edited since
                result, _ = late
                batch._resolve(replace(result, from_cache=True))
            elif running is not None and running.wanted:
                running.batches.append(batch)  # the same inputs, already running: wait for that run
            else:
                job = _Job(next(_ids), path, source, own_limits, is_notebook, key, [batch], time.time_ns())
                _running[key] = job
                todo.append(job)
    if todo:
        start_workers()
        assert _pool is not None
        _pool.submit(todo)
    return batch


def run_snippets(
    paths: Iterable[Path],
    root: Path,
    limits: Limits = Limits(),
    cache: Cache | None = None,
    notebooks: Iterable[Path] = (),
) -> dict[str, SnippetResult]:
    """`submit`, then wait for every result."""
    return submit(paths, root, limits, cache, notebooks).wait()


def _context() -> multiprocessing.context.ForkServerContext:
    """The forkserver context, its server started with the engine and scientific stack loaded.

    Its environment carries the pinned numeric settings (see `numerics`): they must be there
    before numpy and scipy load, and every worker and snippet inherits them. Python 3.12's
    forkserver imports its preload list before applying the parent's sys.path, so the engine's
    folder goes on PYTHONPATH while the server starts.
    """
    if ENGINE_PARENT not in sys.path:
        sys.path.insert(0, ENGINE_PARENT)
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["livevalues.worker"])
    added = {
        "PYTHONPATH": os.pathsep.join(filter(None, [ENGINE_PARENT, os.environ.get("PYTHONPATH")])),
        **numerics.pinned_environment(os.environ),
        "LIVEVALUES_FORKSERVER": "1",  # the preload sets the server up as the root of all it starts
    }
    saved = {name: os.environ.get(name) for name in added}
    os.environ.update(added)
    try:
        multiprocessing.forkserver.ensure_running()
    finally:
        for name, value in saved.items():
            if value is None:
                del os.environ[name]
            else:
                os.environ[name] = value
    return context


@contextlib.contextmanager
def _main_script_hidden() -> Iterator[None]:
    """Stop multiprocessing from re-running the parent's main script in every worker.

    It does so to find functions defined there; ours live in `livevalues.worker`, and re-running
    the `mkdocs` or `pytest` script costs about a second per worker.
    """
    main = sys.modules["__main__"]
    saved = main.__dict__.pop("__file__", None)
    try:
        yield
    finally:
        if saved is not None:
            main.__file__ = saved


def _in_worker(connection: Connection, replacing: list[int] | None) -> None:
    """A worker's entry point, named here so that MkDocs' process never imports the scientific stack.

    The forkserver preloaded `livevalues.worker`, so in a worker this import costs nothing.
    """
    from livevalues import worker

    worker.serve(connection, replacing)
