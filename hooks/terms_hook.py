"""MkDocs adapter for glossary_terms: tooltips, meta descriptions and glossary.json from each page's
first paragraph. Wiring only; listed in `hooks:` after values_hook.py.
"""

from __future__ import annotations

import html
import json
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import glossary_terms  # a sibling: MkDocs puts hooks/ on sys.path only while importing this file
from mkdocs.plugins import get_plugin_logger

log = get_plugin_logger(__name__)
ABBREVIATIONS = "glossary-abbreviations.md"
EXPORT = "glossary.json"


@dataclass
class _Build:
    folder: Path  # build-temporary: holds the generated abbreviations, removed after the build
    terms: dict[str, glossary_terms.Term] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


_build: _Build | None = None  # one per build, like values_hook's: a `mkdocs serve` rebuild starts anew


def on_config(config: Any) -> None:
    """Point pymdownx.snippets' auto_append at a build-temporary file, filled in on_files.

    The file is generated from the pages, never written into the source tree: one source of truth.
    """
    global _build
    _build = _Build(Path(tempfile.mkdtemp(prefix="glossary-terms-")))
    (_build.folder / ABBREVIATIONS).write_text("", encoding="utf-8")
    snippets = config.mdx_configs.setdefault("pymdownx.snippets", {})
    base_path = snippets.get("base_path", ["."])
    snippets["base_path"] = [*([base_path] if isinstance(base_path, str) else base_path), str(_build.folder)]
    snippets["auto_append"] = [*snippets.get("auto_append", []), ABBREVIATIONS]


def on_files(files: Any, config: Any) -> None:
    assert _build is not None
    pages = [file for file in files.documentation_pages() if file.src_uri.endswith(".md")]
    terms, errors = glossary_terms.collect_terms({file.src_uri: file.content_string for file in pages})
    for error in errors:
        log.warning("%s", error)  # counted by --strict; `mkdocs serve` goes on without that tooltip
    _build.terms = {term.src: term for term in terms}
    _build.urls = {file.src_uri: (config.site_url or "/") + file.url.removeprefix("./") for file in pages}
    (_build.folder / ABBREVIATIONS).write_text(glossary_terms.abbreviations(terms), encoding="utf-8")


def on_page_markdown(markdown: str, page: Any, **kwargs: Any) -> str:
    assert _build is not None
    term = _build.terms.get(page.file.src_uri)
    if term is not None and not page.meta.get("description"):
        # Material prints page.meta.description into an attribute unescaped (MkDocs' Jinja has no
        # autoescape), so a definition with a quote in it is stored escaped.
        page.meta["description"] = html.escape(term.definition)
    return markdown


def on_post_build(config: Any) -> None:
    assert _build is not None
    entries = glossary_terms.glossary_entries(list(_build.terms.values()), _build.urls)
    text = json.dumps(entries, ensure_ascii=False, indent=2) + "\n"
    Path(config.site_dir, EXPORT).write_text(text, encoding="utf-8")
    shutil.rmtree(_build.folder, ignore_errors=True)


def on_build_error(error: Exception) -> None:
    if _build is not None:
        shutil.rmtree(_build.folder, ignore_errors=True)
