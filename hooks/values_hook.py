"""MkDocs adapter for livevalues, the computed values: wiring only (the engine never imports MkDocs).

Each event hands the engine what it needs and MkDocs what the engine made; see
`livevalues/README.md` for the flow from a placeholder to the HTML.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

import livevalues  # a sibling: MkDocs puts hooks/ on sys.path only while importing this file
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority, get_plugin_logger
from mkdocs.structure.files import File
from mkdocs.structure.toc import AnchorLink, get_toc

if TYPE_CHECKING:
    from jinja2 import Environment
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.livereload import LiveReloadServer
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
SERVE_WAIT = 2.0  # seconds a dev server's build waits for values; then it serves, and rebuilds when they are in
_command = "build"
_build: livevalues.Build | None = None  # one per build: nothing survives a `mkdocs serve` rebuild
_notebooks: livevalues.NotebookPages | None = None
_arrivals: Path | None = None  # `mkdocs serve`: a folder it watches; a write there asks for a rebuild
_generation = 0  # counts builds: a rebuild asked for by a superseded build is dropped
# What renders a notebook page besides its .ipynb, whose versions key the rendered pages' cache:
# the renderer, the notebook formats it reads, its Markdown, HTML parser, highlighting and styles, the theme.
RENDERING = (
    "mkdocs",
    "mkdocs-material",
    "mkdocs-jupyter",
    "nbconvert",
    "beautifulsoup4",
    "nbformat",
    "jupytext",
    "mistune",
    "markdown",
    "pygments",
    "jupyterlab-pygments",
)


def current_build() -> livevalues.Build | None:
    """The engine's build of the last (or current) MkDocs build: what the tests read values from."""
    return _build


def on_startup(command: str, dirty: bool) -> None:
    global _command, _arrivals
    _command = command
    if command == "serve":
        _arrivals = Path(tempfile.mkdtemp(prefix="livevalues-arrivals-"))
        atexit.register(shutil.rmtree, _arrivals, ignore_errors=True)
        if os.environ.get("LIVEVALUES_EXECUTE", "1") != "0":
            livevalues.start_workers()  # in the background: the first snippet saved then runs at once


def on_serve(server: LiveReloadServer, config: MkDocsConfig, builder: Any) -> LiveReloadServer:
    if _arrivals is not None:
        server.watch(str(_arrivals))
    return server


def on_config(config: MkDocsConfig) -> None:
    global _build, _generation
    root = Path(config.config_file_path).resolve().parent
    try:
        settings = livevalues.read_settings(root, config.extra.get("livevalues"), os.environ, strict=config.strict)
    except ValueError as error:
        raise PluginError(str(error)) from None
    cache = livevalues.Cache(settings.cache_dir, root) if settings.cache_dir else None
    if settings.execute and (cache is None or cache.is_empty()):
        livevalues.start_workers()  # everything will run: let the workers load while MkDocs starts
    base_path = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    _build = livevalues.Build(
        root,
        Path(config.docs_dir).resolve(),
        include_dirs=[root / folder for folder in ([base_path] if isinstance(base_path, str) else base_path)],
        limits=settings.limits,
        cache=cache,
        show_problems_on_pages=_command == "serve",
        execute=settings.execute,
        wait=SERVE_WAIT if _command == "serve" else None,
    )
    _generation += 1


@event_priority(50)  # before mkdocs-jupyter's on_files, which turns the .ipynb files added here into pages
def on_files(files: Files, config: MkDocsConfig) -> None:
    """Start what the pages use and every notebook; nothing waits here, so pages convert meanwhile."""
    global _notebooks
    assert _build is not None
    _build.start(
        {file.src_uri: file.content_string for file in files.documentation_pages() if file.src_uri.endswith(".md")}
    )
    _notebooks = livevalues.NotebookPages(_build, _renderer(config))
    for file in [file for file in files if _notebooks.is_source(file.src_uri)]:
        files.remove(file)  # a notebook's source: neither a page nor a file to publish
    for src_uri in _notebooks.names:
        page = File(src_uri, str(_notebooks.folder), config.site_dir, config.use_directory_urls)
        page.edit_uri = _notebooks.source_of(src_uri)
        files.append(page)


def _renderer(config: MkDocsConfig) -> str | None:
    """Everything besides the .ipynb that decides a rendered notebook page; None: do not cache pages.

    Only for mkdocs-jupyter's own Markdown ("jupyter"): with "mkdocs", a page also depends on the
    site's Markdown extensions and on other plugins.
    """
    plugin = config.plugins.get("mkdocs-jupyter")
    if plugin is None or plugin.config["markdown_cell_processor"] != "jupyter":
        return None
    parts = [f"{name} {metadata.version(name)}" for name in RENDERING]
    parts += [f"theme {config.theme.name}", json.dumps(dict(plugin.config), sort_keys=True, default=str)]
    if template := plugin.config["custom_template"]:
        parts.append(hashlib.sha256(Path(template).read_bytes()).hexdigest())
    return "\n".join(parts)


@event_priority(-50)  # after mkdocs-jupyter's, which makes page.render its notebook converter
def on_pre_page(page: Page, config: MkDocsConfig, files: Files) -> None:
    if _notebooks is not None and page.file.src_uri in _notebooks.names:
        _notebooks.write(page.file.src_uri)  # its executed .ipynb, waiting for it, before MkDocs reads it
        page.render = _render_from_cache(page, _notebooks, page.render)  # type: ignore[method-assign]


def _render_from_cache(page: Page, notebooks: livevalues.NotebookPages, render: Any) -> Any:
    """`render`, but a page whose .ipynb this renderer rendered before is taken from the cache."""
    src_uri = page.file.src_uri

    def cached_render(config: MkDocsConfig, files: Files) -> None:
        title = page.title
        kept = notebooks.cached(src_uri, title)
        if kept is not None:
            page.content, page.toc, page.title = kept["content"], get_toc(kept["toc"]), kept["title"]
            return
        render(config, files)
        toc = [_toc_token(link) for link in page.toc]
        notebooks.keep(src_uri, title, {"content": page.content, "toc": toc, "title": page.title})

    return cached_render


def _toc_token(link: AnchorLink) -> dict[str, Any]:
    """A table of contents entry as the plain data `get_toc` reads: what a rendered page's cache holds."""
    return {"level": link.level, "id": link.id, "name": link.title, "children": [_toc_token(c) for c in link.children]}


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    if not page.file.src_uri.endswith(".md"):
        # A notebook page: its values are in its outputs already. In search it ranks below the
        # glossary page it illustrates, which answers a search for the term.
        page.meta.setdefault("search", {"boost": 0.5})
        return markdown
    return _build.pages.mark(page.file.src_uri, markdown)


def on_env(env: Environment, config: MkDocsConfig, files: Files) -> None:
    """Every page is converted: wait for the last snippets, put values in, report every problem.

    Here, not in on_page_content, so MkDocs converted all pages while the snippets ran; and before
    any page is written, so a build with a problem writes nothing.
    """
    assert _build is not None
    _build.finish()
    log.info("livevalues: %s", _build.summary())
    if _notebooks is not None and _notebooks.names:
        log.info("livevalues: %s", _notebooks.summary())
    if _build.pending and _build.batch is not None and _arrivals is not None:
        log.info("livevalues: still running, shown as such: %s", ", ".join(sorted(_build.pending)))
        generation = _generation
        livevalues.after_each_burst(_build.batch, set(_build.pending), lambda: _ask_for_rebuild(generation))
    for file in files.documentation_pages():
        if file.page is not None and file.page.content is not None and file.src_uri in _build.pages:
            file.page.content = _build.pages.fill(file.src_uri, file.page.content)
    problems = _build.problems
    if not problems:
        return
    report = "\n".join(str(problem) for problem in problems)
    if _command == "serve":
        log.warning("%d problem(s), shown on their pages:\n%s", len(problems), report)
        return
    raise PluginError(f"livevalues found {len(problems)} problem(s); nothing was written:\n{report}")


def _ask_for_rebuild(generation: int) -> bool:
    """Write in the watched folder until a rebuild starts (the first build's may land before the
    watch does); False once a newer build has started: it asks for its own rebuilds."""
    for _ in range(20):
        if generation != _generation or _arrivals is None:
            break
        (_arrivals / "arrived").write_text(str(time.time_ns()))
        deadline = time.monotonic() + 3  # the server polls every 0.5 s, then waits 0.25 s for quiet
        while generation == _generation and time.monotonic() < deadline:
            time.sleep(0.05)
    return generation == _generation


def on_post_build(config: MkDocsConfig) -> None:
    if _notebooks is not None:
        _notebooks.prune()
        _notebooks.remove()


def on_build_error(error: Exception) -> None:
    if _build is not None:
        _build.cancel()
    if _notebooks is not None:
        _notebooks.remove()
