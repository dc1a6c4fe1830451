"""One site build: what its pages need, started once while MkDocs converts them, and the results.

`Build.start` submits every snippet the pages use and every notebook (each notebook is a page);
`Build.finish` waits for the results (a dev server's build only so long: see `wait`). The pages
themselves, marked before Markdown and filled after, are `Build.pages` (see `pages.py`).
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from livevalues.cache import Cache
from livevalues.limits import Limits
from livevalues.notebook import as_written
from livevalues.pages import Pages, SnippetFailed, StillRunning, names_used
from livevalues.pool import Batch, submit
from livevalues.problems import Failure, Problem, did_you_mean, label
from livevalues.results import SnippetResult


class Build:
    """The snippets and notebooks a build's pages need, run once, and every problem found on the way.

    `execute=False` runs nothing (a prose preview: every value shows as "…"). `wait` (a dev
    server) is how long the build waits for values: what still runs then shows as running, and
    its result arrives in `batch` for a later build. `show_problems_on_pages` puts each page's
    problems on it as a box, so that the server keeps serving.
    """

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        *,
        include_dirs: list[Path] | None = None,
        limits: Limits = Limits(),
        cache: Cache | None = None,
        show_problems_on_pages: bool = False,
        execute: bool = True,
        wait: float | None = None,
    ):
        self.root = root
        self.docs_dir = docs_dir
        self.snippets_dir = root / "snippets"
        self.notebooks_dir = docs_dir / "notebooks"  # jupytext percent-format sources of notebook pages
        self.limits = limits
        self.cache = cache
        self.execute = execute
        self.wait = wait
        self.pages = Pages(
            root,
            docs_dir,
            self,
            include_dirs=include_dirs or [self.snippets_dir],
            execute=execute,
            show_problems_on_pages=show_problems_on_pages,
        )
        self.pending: set[str] = set()  # still running when the build stopped waiting
        self.notebook_problems: list[Problem] = []
        self._batch: Batch | None = None
        self._deadline: float | None = None
        self._available: list[str] | None = None
        self._notebooks: list[Path] | None = None

    @property
    def results(self) -> dict[str, SnippetResult]:
        """Every result in so far, by name (a copy: the batch holds them, and more may arrive)."""
        return dict(self._batch.results) if self._batch is not None else {}

    def _result(self, name: str) -> SnippetResult | None:
        """One result, without copying them all: pages ask for one per value."""
        return self._batch.results.get(name) if self._batch is not None else None

    @property
    def batch(self) -> Batch | None:
        """What this build submitted: results still running arrive there after `finish`."""
        return self._batch

    @property
    def problems(self) -> list[Problem]:
        return sorted(self.pages.problems + self.notebook_problems, key=lambda problem: problem.sort_key)

    def run(self, sources: dict[str, str]) -> None:
        """Register the pages (src path -> Markdown) and run every snippet they use, once; wait for all."""
        self.start(sources)
        self.finish()

    def start(self, sources: dict[str, str]) -> None:
        """Register the pages and start every snippet they use, notebooks first; return at once.

        Notebooks go first (they take longest, and their pages wait for them), then snippets in the
        order the pages use them, then any snippet that shares a notebook's name, so that the pool
        reports the clash whether or not a page uses it.
        """
        needed: dict[str, None] = {}  # ordered: the order of the pages, then of their placeholders
        for src, source in sources.items():
            self.pages.add(src, source)
            needed.update(dict.fromkeys(names_used(source)))
        if not self.execute:
            return  # a prose preview, and the benchmark's "plain" build: nothing runs
        notebooks = self.notebook_sources()
        snippets = {path.stem for path in self.snippets_dir.glob("[!_]*.py")}
        sharing = snippets & {path.stem for path in notebooks}
        names = [name for name in needed if name in snippets] + sorted(sharing - needed.keys())
        paths = [self.snippets_dir / f"{name}.py" for name in names]
        self._batch = submit(paths, self.root, self.limits, self.cache, notebooks=notebooks)
        if self.wait is not None:
            self._deadline = time.monotonic() + self.wait

    def finish(self) -> None:
        """Wait for every result (or until `wait` runs out); a failed notebook becomes a problem of the build."""
        if self._batch is not None:
            results = self._batch.wait(self._time_left())
            self.pending |= self._batch.expected - results.keys()  # and those a page already showed as running
            if self.pending:
                self._batch.release()
            elif self.cache is not None:
                self.cache.prune()  # a complete build: what it used is what the site needs now
        problems = (self.notebook_problem(path.stem) for path in self.notebook_sources())
        self.notebook_problems = [problem for problem in problems if problem is not None]

    def cancel(self) -> None:
        """The build stopped: start no more of its snippets."""
        if self._batch is not None:
            self._batch.cancel()

    def summary(self) -> str:
        """How much this build ran, for the log: a warm build runs nothing; a dev server's may leave some running."""
        notebooks = {path.stem for path in self.notebook_sources()}
        results = self.results
        parts = []
        for kind, is_notebook in (("snippets", False), ("notebooks", True)):
            done = [result for name, result in results.items() if (name in notebooks) == is_notebook]
            running = sum((name in notebooks) == is_notebook for name in self.pending)
            cached = sum(result.from_cache for result in done)
            if done or running or kind == "snippets":
                text = f"{len(done) + running} {kind}: {len(done) - cached} run, {cached} from the cache"
                parts.append(text + (f", {running} still running" if running else ""))
        return "; ".join(parts)

    # What pages ask of the build (see `pages.Values`).

    def value(self, snippet: str, name: str) -> dict[str, Any]:
        if snippet not in self.available():
            raise LookupError(f"no snippet snippets/{snippet}.py" + did_you_mean(snippet, self.available()))
        if snippet in self.pending:
            raise StillRunning(snippet)
        result = self._result(snippet)
        if result is None:
            raise LookupError(f"snippet {snippet} was not run")
        if result.error is not None:
            raise SnippetFailed(result.error)
        if name not in result.values:
            raise LookupError(
                f"{self.source_label(snippet)} has no value {name!r}" + did_you_mean(name, list(result.values))
            )
        return result.values[name]

    def wait_for(self, names: list[str]) -> None:
        """Until these snippets have reported, or the build's waiting time is up (then they are pending)."""
        if self._batch is None:
            return
        for name in names:
            if name in self.pending or name not in self._batch.expected:
                continue
            if self._batch.result(name, self._time_left()) is None:
                self.pending.add(name)

    def failure(self, name: str) -> Failure | None:
        result = self._result(name)
        return result.error if result is not None else None

    def source_label(self, name: str) -> str:
        """The file behind a name in `%{name.value}`: a notebook's or a snippet's."""
        notebook = self.notebooks_dir / f"{name}.py"
        return label(notebook, self.root) if notebook in self.notebook_sources() else f"snippets/{name}.py"

    def available(self) -> list[str]:
        """Snippet and notebook names, read once per build (a page may hold hundreds of placeholders)."""
        if self._available is None:
            names = [path.stem for path in self.snippets_dir.glob("[!_]*.py")]
            self._available = sorted(set(names) | {path.stem for path in self.notebook_sources()})
        return self._available

    # Notebooks: each `docs/notebooks/<name>.py` is a page of its own (see `notebook_pages`).

    def notebook_sources(self) -> list[Path]:
        """The notebooks (`docs/notebooks/*.py`): each is a page, so each runs in every build."""
        if self._notebooks is None:
            self._notebooks = sorted(self.notebooks_dir.glob("[!_]*.py"))
        return self._notebooks

    def notebook_problem(self, name: str) -> Problem | None:
        """Why a notebook failed, at its own file and line; None if it ran (or has not yet)."""
        failure = self.failure(name)
        if failure is None:
            return None
        own = self.source_label(name)
        where = failure.location if failure.location and failure.location.startswith(own + ":") else f"{own}:1"
        return Problem(where, f"notebook {failure.describe()}", failure.frames)

    def executed_notebooks(self) -> dict[str, str | None]:
        """Each notebook's .ipynb (JSON text) by name, as `executed_notebook` gives it."""
        return {path.stem: self.executed_notebook(path.stem) for path in self.notebook_sources()}

    def executed_notebook(self, name: str) -> str | None:
        """A notebook's executed .ipynb, once it has run; as written when nothing runs; None if it failed."""
        if not self.execute:  # shown without outputs
            return as_written(self.notebooks_dir / f"{name}.py")
        self.wait_for([name])
        result = self._result(name)
        if name in self.pending or result is None or result.error is not None:
            return None
        return str(result.values["notebook"]["ipynb"])

    def _time_left(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())
