"""MkDocs adapter for livevalues: wiring only; the engine in `livevalues/` never imports MkDocs."""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import livevalues  # a sibling: MkDocs puts hooks/ on sys.path only while importing this file
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

log = get_plugin_logger(__name__)
_command = "build"
_build: livevalues.Build | None = None
_notebooks: Path | None = None  # build-temporary folder for the executed notebooks, never in docs/
_notebook_pages: dict[str, str] = {}  # src_uri of a notebook page -> the notebook's name


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command
    if command == "serve" and os.environ.get("LIVEVALUES_EXECUTE", "1") != "0":
        livevalues.start_workers()  # in the background: the first snippet saved then runs at once


def on_config(config: Any) -> None:
    global _build  # one Build per build: nothing survives a `mkdocs serve` rebuild
    root = Path(config.config_file_path).resolve().parent
    settings = config.extra.get("livevalues") or {}
    if not isinstance(settings, dict):
        raise PluginError(f"mkdocs.yml: extra.livevalues: {settings!r} is not a mapping; e.g. {{timeout: 120}}")
    settings = dict(settings)
    cache_dir = os.environ.get("LIVEVALUES_CACHE_DIR", settings.pop("cache_dir", ".cache/livevalues"))
    base_path = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    try:
        limits = livevalues.Limits().updated(settings)
    except ValueError as error:
        raise PluginError(f"mkdocs.yml: extra.livevalues: {error}") from None
    cache = livevalues.Cache(root / cache_dir, root) if cache_dir else None
    execute = os.environ.get("LIVEVALUES_EXECUTE", "1") != "0"  # 0: a quick prose preview, nothing runs
    if execute and (cache is None or cache.is_empty()):
        livevalues.start_workers()  # everything will run: let the workers load while MkDocs starts
    _build = livevalues.Build(
        root,
        Path(config.docs_dir).resolve(),
        include_dirs=[root / folder for folder in ([base_path] if isinstance(base_path, str) else base_path)],
        limits=limits,
        cache=cache,
        show_problems_on_pages=_command == "serve",
        execute=execute,
    )


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the .ipynb files added here into pages
def on_files(files: Any, config: Any) -> None:
    """Start what the pages use and every notebook; each notebook's page gets its executed .ipynb.

    Nothing waits here: a notebook page waits for its notebook in on_pre_page, and values go into
    the other pages in on_env, so MkDocs converts pages while the workers run.
    """
    global _notebooks
    assert _build is not None
    _build.start(
        {file.src_uri: file.content_string for file in files.documentation_pages() if file.src_uri.endswith(".md")}
    )
    for file in list(files):
        if file.src_uri.startswith("notebooks/") and file.src_uri.endswith(".py"):
            files.remove(file)  # a source, not a page nor a static copy
    _notebooks = Path(tempfile.mkdtemp(prefix="livevalues-notebooks-"))
    _notebook_pages.clear()  # this build's notebooks only: one may have been renamed since the last
    for path in _build.notebook_sources():
        # Kebab-case in URLs, like every other page: docs/notebooks/a_b.py -> notebooks/a-b/ and a-b.ipynb.
        src_uri = f"notebooks/{path.stem.replace('_', '-')}.ipynb"
        file = File(src_uri, str(_notebooks), config.site_dir, config.use_directory_urls)
        file.edit_uri = f"notebooks/{path.name}"
        files.append(file)
        _notebook_pages[src_uri] = path.stem


def on_pre_page(page: Any, **kwargs: Any) -> None:
    """A notebook page: write its executed .ipynb (waiting for it) before MkDocs reads it."""
    assert _build is not None
    name = _notebook_pages.get(page.file.src_uri)
    if name is None:
        return
    executed = _build.executed_notebook(name)
    Path(page.file.abs_src_path).parent.mkdir(parents=True, exist_ok=True)
    Path(page.file.abs_src_path).write_text(executed or _failed_notebook(name), encoding="utf-8")


def _failed_notebook(name: str) -> str:
    """What a notebook page shows under `mkdocs serve` when the notebook failed (a strict build stops)."""
    assert _build is not None
    problem = _build.notebook_problem(name)
    cell = {
        "cell_type": "markdown",
        "metadata": {},
        "source": f"# {name}\n\n**This notebook failed; a strict build fails.**",
    }
    output = {"cell_type": "markdown", "metadata": {}, "source": f"```text\n{problem}\n```"}
    return json.dumps({"cells": [cell, output], "metadata": {}, "nbformat": 4, "nbformat_minor": 4})


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    assert _build is not None
    if not page.file.src_uri.endswith(".md"):
        # A notebook page: its values are in its outputs already. In search it ranks below the
        # glossary page it illustrates, which answers a search for the term.
        page.meta.setdefault("search", {"boost": 0.5})
        return markdown
    return _build.render_markdown(page.file.src_uri, markdown)


def on_env(env: Any, config: Any, files: Any) -> None:
    """Every page is converted: wait for the last snippets, put values in, report every problem.

    Here, not in on_page_content, so MkDocs converted all pages while the snippets ran; and before
    any page is written, so a build with a problem writes nothing.
    """
    assert _build is not None
    _build.finish()
    log.info("livevalues: %s", _build.summary())
    for file in files.documentation_pages():
        page = file.page
        if page is not None and page.content is not None and file.src_uri in _build.pages:
            page.content = _build.render_html(file.src_uri, page.content)
    problems = _build.problems
    if not problems:
        return
    report = "\n".join(str(problem) for problem in problems)
    if _command == "serve":
        log.warning("%d problem(s), shown on their pages:\n%s", len(problems), report)
        return
    raise PluginError(f"livevalues found {len(problems)} problem(s); nothing was written:\n{report}")


def on_post_build(config: Any) -> None:
    _remove_notebooks()


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.cancel()
    _remove_notebooks()


def _remove_notebooks() -> None:
    if _notebooks is not None:
        shutil.rmtree(_notebooks, ignore_errors=True)
