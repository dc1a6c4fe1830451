"""MkDocs adapter for livevalues: wiring only; the engine in `livevalues/` never imports MkDocs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import livevalues  # a sibling: MkDocs puts hooks/ on sys.path only while importing this file
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)
_command = "build"
_build: livevalues.Build | None = None


def on_startup(command: str, dirty: bool) -> None:
    global _command
    _command = command


def on_config(config: Any) -> None:
    global _build  # one Build per build: nothing survives a `mkdocs serve` rebuild
    root = Path(config.config_file_path).resolve().parent
    settings = dict(config.extra.get("livevalues") or {})
    cache_dir = os.environ.get("LIVEVALUES_CACHE_DIR", settings.pop("cache_dir", ".cache/livevalues"))
    base_path = config.mdx_configs.get("pymdownx.snippets", {}).get("base_path", ["."])
    try:
        limits = livevalues.Limits().updated(settings)
    except ValueError as error:
        raise PluginError(f"mkdocs.yml: extra.livevalues: {error}") from None
    _build = livevalues.Build(
        root,
        Path(config.docs_dir).resolve(),
        include_dirs=[root / folder for folder in ([base_path] if isinstance(base_path, str) else base_path)],
        limits=limits,
        cache=livevalues.Cache(root / cache_dir, root) if cache_dir else None,
        show_problems_on_pages=_command == "serve",
    )


def on_files(files: Any, config: Any) -> None:
    assert _build is not None
    _build.run(
        {file.src_uri: file.content_string for file in files.documentation_pages() if file.src_uri.endswith(".md")}
    )
    log.info("livevalues: %s", _build.summary())


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    assert _build is not None
    return _build.render_markdown(page.file.src_uri, markdown)


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    assert _build is not None
    return _build.render_html(page.file.src_uri, html) if page.file.src_uri in _build.pages else html


def on_env(env: Any, config: Any, files: Any) -> None:
    assert _build is not None
    problems = _build.problems
    if not problems:
        return
    report = "\n".join(str(problem) for problem in problems)
    if _command == "serve":
        log.warning("%d problem(s), shown on their pages:\n%s", len(problems), report)
        return
    raise PluginError(f"livevalues found {len(problems)} problem(s); nothing was written:\n{report}")
