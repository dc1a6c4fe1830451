"""MkDocs adapter for the glossary: term links, meta descriptions, the A–Z, the provenance footer and
glossary.json, all from each page's first paragraph (a notebook's first Markdown cell). Wiring only;
listed in `hooks:` after values_hook.py.
"""

from __future__ import annotations

import html
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import glossary_az  # siblings: MkDocs puts hooks/ on sys.path only while importing this file
import glossary_terms
import provenance
import term_links
from mkdocs.exceptions import PluginError
from mkdocs.plugins import get_plugin_logger

if TYPE_CHECKING:
    from mkdocs.config.defaults import MkDocsConfig
    from mkdocs.structure.files import Files
    from mkdocs.structure.pages import Page

log = get_plugin_logger(__name__)
EXPORT = "glossary.json"
SCHEMA = "glossary.schema.json"  # under docs/: published beside the export it describes


@dataclass
class _Build:
    provenance: dict[str, str]
    links: term_links.TermLinks
    terms: dict[str, glossary_terms.Term] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)


_build: _Build | None = None  # one per build, like values_hook's: a `mkdocs serve` rebuild starts anew


def on_config(config: MkDocsConfig) -> None:
    """Read what computes the values (for the footer: `config.extra.provenance`); add the term links."""
    global _build
    try:
        found = provenance.provenance(os.environ)
    except ValueError as error:
        raise PluginError(str(error)) from None
    links = term_links.TermLinks([])
    config.markdown_extensions.append(links)  # MkDocs hands the list to Markdown, which takes instances
    config.extra["provenance"] = found
    _build = _Build(found, links)


def on_files(files: Files, config: MkDocsConfig) -> None:
    """Every page's term, read once per build; notebook pages from their sources' first cells."""
    assert _build is not None
    pages = [file for file in files.documentation_pages()]
    notebooks = {
        file.src_uri: (file.edit_uri, Path(config.docs_dir, file.edit_uri).read_text(encoding="utf-8"))
        for file in pages
        if file.src_uri.endswith(".ipynb") and file.edit_uri and file.edit_uri.endswith(".py")
    }  # values_hook gives each notebook page its source, docs/notebooks/<name>.py, as its edit path
    terms, errors = glossary_terms.collect_terms(
        {file.src_uri: file.content_string for file in pages if file.src_uri.endswith(".md")}, notebooks
    )
    for error in errors:
        log.warning("%s", error)  # counted by --strict; `mkdocs serve` goes on without that term
    _build.terms = {term.src: term for term in terms}
    _build.urls = {file.src_uri: (config.site_url or "/") + file.url.removeprefix("./") for file in pages}
    _build.links.index = term_links.TermIndex(terms)


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _build is not None
    _build.links.page = page.file.src_uri  # the page Markdown is about to convert
    term = _build.terms.get(page.file.src_uri)
    if term is not None and not page.meta.get("description"):
        # Material prints page.meta.description into an attribute unescaped (MkDocs' Jinja has no
        # autoescape), so a definition with a quote in it is stored escaped.
        page.meta["description"] = html.escape(term.definition)
    if glossary_az.MARKER not in markdown:
        return markdown
    hrefs = {}
    for src in _build.terms:
        target = files.get_file_from_path(src)
        assert target is not None
        hrefs[src] = target.url_relative_to(page.file)
    return glossary_az.fill(markdown, list(_build.terms.values()), hrefs)


def on_post_build(config: MkDocsConfig) -> None:
    assert _build is not None
    document = glossary_terms.glossary_document(
        list(_build.terms.values()),
        _build.urls,
        repo_url=config.repo_url or "",
        edit_uri=config.edit_uri or "",
        provenance=_build.provenance,
    )
    if not config.site_url:
        # glossary.json promises absolute URLs (its schema checks them): wikis and bots read it
        # from elsewhere, where a path like /glossary/x/ leads nowhere. Counted by --strict.
        log.warning("glossary.json needs an absolute site_url (mkdocs.yml, or SITE_URL): its URLs are paths")
    schema = (config.site_url or "/") + SCHEMA
    text = json.dumps({"$schema": schema, **document}, ensure_ascii=False, indent=2) + "\n"
    Path(config.site_dir, EXPORT).write_text(text, encoding="utf-8")
