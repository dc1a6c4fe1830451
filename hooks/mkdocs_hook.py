"""MkDocs adapter for livevalues: wiring only; the engine in `livevalues/` never imports MkDocs."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import livevalues  # a sibling: MkDocs puts hooks/ on sys.path only while importing this file
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File

log = get_plugin_logger(__name__)
SERVE_WAIT = 2.0  # seconds a dev server's build waits for values; then it serves, and rebuilds when they are in
_command = "build"
_build: livevalues.Build | None = None
_notebooks: Path | None = None  # build-temporary folder for the executed notebooks, never in docs/
_notebook_pages: dict[str, str] = {}  # src_uri of a notebook page -> the notebook's name
# `mkdocs serve` only: a folder the server watches; writing in it asks for a rebuild (values arrived).
_arrivals: Path | None = None
_generation = 0  # counts builds: a rebuild request from a superseded build is dropped


def on_startup(command: str, dirty: bool) -> None:
    global _command, _arrivals
    _command = command
    if command == "serve":
        _arrivals = Path(tempfile.mkdtemp(prefix="livevalues-arrivals-"))
        atexit.register(shutil.rmtree, _arrivals, ignore_errors=True)
        if os.environ.get("LIVEVALUES_EXECUTE", "1") != "0":
            livevalues.start_workers()  # in the background: the first snippet saved then runs at once


def on_serve(server: Any, config: Any, builder: Any) -> Any:
    if _arrivals is not None:
        server.watch(str(_arrivals))
    return server


def on_config(config: Any) -> None:
    global _build, _generation  # one Build per build: nothing survives a `mkdocs serve` rebuild
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
    execute = os.environ.get("LIVEVALUES_EXECUTE", "1") != "0"  # 0: a quick prose preview, nothing runs
    if not execute and config.strict:
        raise PluginError(
            "LIVEVALUES_EXECUTE=0 shows every value as '…': a strict build, the one that publishes,"
            " refuses it. Unset LIVEVALUES_EXECUTE, or preview without --strict."
        )
    cache = livevalues.Cache(root / cache_dir, root) if cache_dir else None
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
        wait=SERVE_WAIT if _command == "serve" else None,
    )
    _generation += 1


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
    Path(page.file.abs_src_path).write_text(executed or _stand_in_notebook(name), encoding="utf-8")


def _stand_in_notebook(name: str) -> str:
    """What a notebook page shows under `mkdocs serve` while it runs, or when it failed (a strict build stops)."""
    assert _build is not None
    if name in _build.pending:
        text = f"# {name}\n\n**This notebook is still running.** The page reloads by itself when it is done."
        cells = [{"cell_type": "markdown", "metadata": {}, "source": text}]
    else:
        text = f"# {name}\n\n**This notebook failed; a strict build fails.**"
        problem = f"```text\n{_build.notebook_problem(name)}\n```"
        cells = [{"cell_type": "markdown", "metadata": {}, "source": source} for source in (text, problem)]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 4})


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    assert _build is not None
    if not page.file.src_uri.endswith(".md"):
        # A notebook page: its values are in its outputs already. In search it ranks below the
        # glossary page it illustrates, which answers a search for the term.
        page.meta.setdefault("search", {"boost": 0.5})
        return markdown
    return _build.pages.mark(page.file.src_uri, markdown)


def on_env(env: Any, config: Any, files: Any) -> None:
    """Every page is converted: wait for the last snippets, put values in, report every problem.

    Here, not in on_page_content, so MkDocs converted all pages while the snippets ran; and before
    any page is written, so a build with a problem writes nothing.
    """
    assert _build is not None
    _build.finish()
    log.info("livevalues: %s", _build.summary())
    if _build.pending and _build.batch is not None and _arrivals is not None:
        log.info("livevalues: still running, shown as such: %s", ", ".join(sorted(_build.pending)))
        waiting = threading.Thread(
            target=_rebuild_on_arrival, args=(_build.batch, set(_build.pending), _generation), daemon=True
        )
        waiting.start()
    for file in files.documentation_pages():
        page = file.page
        if page is not None and page.content is not None and file.src_uri in _build.pages:
            page.content = _build.pages.fill(file.src_uri, page.content)
    problems = _build.problems
    if not problems:
        return
    report = "\n".join(str(problem) for problem in problems)
    if _command == "serve":
        log.warning("%d problem(s), shown on their pages:\n%s", len(problems), report)
        return
    raise PluginError(f"livevalues found {len(problems)} problem(s); nothing was written:\n{report}")


def _rebuild_on_arrival(batch: livevalues.Batch, names: set[str], generation: int) -> None:
    """Ask the dev server for a rebuild once results arrive: after each burst, and when the last is in.

    A burst ends when no other result arrives for a second, so that a fast snippet's value shows
    without waiting for a slow one, and ten results in a row cause one rebuild, not ten.
    """
    waiting = set(names)
    while waiting and not batch.cancelled:
        batch.wait_for_any(waiting)
        while True:
            arrived = len(waiting & batch.results.keys())
            batch.wait(timeout=1.0, names=waiting)
            if len(waiting & batch.results.keys()) in (arrived, len(waiting)):
                break
        waiting -= batch.results.keys()
        _request_rebuild(generation)
        if generation != _generation:
            return  # a newer build has started: it asks for its own rebuilds


def _request_rebuild(generation: int) -> None:
    """Write in the watched folder until a rebuild starts (the first build's may land before the watch)."""
    for _ in range(20):
        if generation != _generation or _arrivals is None:
            return
        (_arrivals / "arrived").write_text(str(time.time_ns()))
        deadline = time.monotonic() + 3  # the server polls every 0.5 s, then waits 0.25 s for quiet
        while generation == _generation and time.monotonic() < deadline:
            time.sleep(0.05)


def on_post_build(config: Any) -> None:
    _remove_notebooks()


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.cancel()
    _remove_notebooks()


def _remove_notebooks() -> None:
    if _notebooks is not None:
        shutil.rmtree(_notebooks, ignore_errors=True)
