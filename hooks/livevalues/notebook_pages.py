"""Notebook pages: each `docs/notebooks/<name>.py` becomes the page `notebooks/<name-with-dashes>/`.

The source (a jupytext percent-format script, no outputs) is not a page itself: the build runs it
(see `notebook.execute`, in a worker), and the page is its executed `.ipynb`, written to a
build-temporary folder (never into `docs/`) for the site generator's notebook renderer. While the
notebook runs, or when it failed, the page is a stand-in that says so.
"""

from __future__ import annotations

import importlib
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from livevalues.build import Build

FOLDER = "notebooks"  # under docs/: where the sources are, and the URLs of their pages


class NotebookPages:
    """The notebook pages of one build, by their path under docs/ (`notebooks/<name>.ipynb`)."""

    def __init__(self, build: Build) -> None:
        self.build = build
        self.folder = Path(tempfile.mkdtemp(prefix="livevalues-notebooks-"))
        # Kebab-case in URLs, like every other page: docs/notebooks/a_b.py -> notebooks/a-b/ and a-b.ipynb.
        self.names = {f"{FOLDER}/{path.stem.replace('_', '-')}.ipynb": path.stem for path in build.notebook_sources()}

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

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)
