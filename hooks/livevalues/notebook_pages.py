"""Notebook pages: each `docs/notebooks/<name>.py` becomes the page `notebooks/<name-with-dashes>/`.

The source (a jupytext percent-format script, no outputs) is not a page itself: the build runs it
(see `notebook.execute`, in a worker), and the page is its executed `.ipynb`, written to a
build-temporary folder (never into `docs/`) for the site generator's notebook renderer. While the
notebook runs, or when it failed, the page is a stand-in that says so.

Rendering an executed notebook to HTML takes the renderer about half a second, on every build,
even when the notebook came from the results cache. So the rendered page is cached too, in the
results cache's folder: keyed on the .ipynb and on everything else that renders it (`renderer`:
its versions and settings), a warm build or a `mkdocs serve` rebuild renders only the notebooks
that changed.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from livevalues.cache import remove_stale_temporaries, write_atomically

if TYPE_CHECKING:
    from livevalues.build import Build

FOLDER = "notebooks"  # under docs/: where the sources are, and the URLs of their pages
RENDERED = "notebook-pages"  # in the results cache's folder: rendered pages
FORMAT = 1  # of a rendered page's entry
KEEP = 5  # rendered versions of each notebook page kept: as many as the results cache keeps builds


class NotebookPages:
    """The notebook pages of one build, by their path under docs/ (`notebooks/<name>.ipynb`).

    `renderer`: what, besides the .ipynb, decides a rendered page (the renderer's versions and
    settings, as text); None renders every page, as does a build without a results cache.
    """

    def __init__(self, build: Build, renderer: str | None = None) -> None:
        self.build = build
        self.folder = Path(tempfile.mkdtemp(prefix="livevalues-notebooks-"))
        # Kebab-case in URLs, like every other page: docs/notebooks/a_b.py -> notebooks/a-b/ and a-b.ipynb.
        self.names = {f"{FOLDER}/{path.stem.replace('_', '-')}.ipynb": path.stem for path in build.notebook_sources()}
        cache = build.cache.folder if build.cache is not None else None
        self.cache = cache / RENDERED if cache is not None and renderer is not None else None
        self.renderer = renderer or ""
        self.written: dict[str, str] = {}  # src_uri -> the .ipynb written, for a page whose render can be cached
        self.rendered: list[str] = []  # pages rendered in this build
        self.from_cache: list[str] = []  # pages this build took from the cache

    @staticmethod
    def is_source(src_uri: str) -> bool:
        """A notebook's source under docs/: neither a page nor a file to publish."""
        return src_uri.startswith(f"{FOLDER}/") and src_uri.endswith(".py")

    def source_of(self, src_uri: str) -> str:
        """The path under docs/ of the source behind a notebook page, for its "edit" link."""
        return f"{FOLDER}/{self.names[src_uri]}.py"

    def write(self, src_uri: str) -> None:
        """Write a notebook page's .ipynb where the renderer reads it, waiting for the notebook to run."""
        name = self.names[src_uri]
        executed = self.build.executed_notebook(name)
        target = self.folder / src_uri
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(executed or self.stand_in(name), encoding="utf-8")
        if executed:  # a stand-in is shown while a notebook runs or is broken: not worth keeping
            self.written[src_uri] = executed

    def stand_in(self, name: str) -> str:
        """The page of a notebook still running, or that failed (a strict build stops; a dev server shows it)."""
        nbformat: Any = importlib.import_module("nbformat")  # only here: MkDocs' process need not load it otherwise

        if name in self.build.pending:
            cells = [f"# {name}\n\n**This notebook is still running.** The page reloads by itself when it is done."]
        else:
            cells = [
                f"# {name}\n\n**This notebook failed; a strict build fails.**",
                f"```text\n{self.build.notebook_problem(name)}\n```",
            ]
        notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text) for text in cells])
        return str(nbformat.writes(notebook))

    # Rendered pages: what the renderer made of a written .ipynb, as plain data (its HTML, its
    # table of contents, its title), stored by the adapter that knows the renderer.

    def _entry(self, src_uri: str, title: str | None) -> Path | None:
        """Where the rendered page of the .ipynb written for `src_uri` is kept; None: not kept."""
        if self.cache is None or src_uri not in self.written:
            return None
        digest = hashlib.sha256()
        # The title the page has before rendering (from the nav) is the one it keeps if the notebook has none.
        for part in (f"format {FORMAT}", self.renderer, src_uri, title or "", self.written[src_uri]):
            digest.update(part.encode())
            digest.update(b"\0")
        return self.cache / f"{self.names[src_uri]}.{digest.hexdigest()}.json"

    def cached(self, src_uri: str, title: str | None) -> dict[str, Any] | None:
        """The page as rendered from this same .ipynb by this same renderer before, if kept; else None."""
        entry = self._entry(src_uri, title)
        if entry is None:
            return None
        try:
            page = json.loads(entry.read_bytes())
            os.utime(entry)  # used: the last to be pruned
        except (OSError, ValueError):  # missing, pruned meanwhile, or torn by a crash: render it again
            return None
        if not isinstance(page, dict):
            return None
        self.from_cache.append(src_uri)
        return page

    def keep(self, src_uri: str, title: str | None, page: dict[str, Any]) -> None:
        """Count a page as rendered, and keep what the renderer made of it for the next build."""
        self.rendered.append(src_uri)
        entry = self._entry(src_uri, title)
        if entry is None:
            return
        try:
            entry.parent.mkdir(parents=True, exist_ok=True)
            write_atomically(entry, json.dumps(page).encode())  # another build reading it sees all of it or nothing
        except OSError:
            return  # a cache that cannot be written costs a render next build, nothing else

    def summary(self) -> str:
        return f"{len(self.names)} notebook pages: {len(self.rendered)} rendered, {len(self.from_cache)} from the cache"

    def prune(self) -> None:
        """Keep the KEEP most recently used rendered versions of each notebook page; delete older ones."""
        if self.cache is None:
            return
        remove_stale_temporaries(self.cache)
        for name in self.names.values():
            entries = []
            for entry in self.cache.glob(f"{name}.*.json"):
                with contextlib.suppress(OSError):  # pruned by another build meanwhile
                    entries.append((entry.stat().st_mtime, entry))
            for _, entry in sorted(entries, reverse=True)[KEEP:]:
                with contextlib.suppress(OSError):
                    entry.unlink()

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
