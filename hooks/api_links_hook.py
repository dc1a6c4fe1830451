"""MkDocs adapter for api_links: inline code naming a scikit-learn object links to its API page.
Wiring only; listed in `hooks:` after values_hook.py and terms_hook.py (see mkdocs.yml for why).
"""

from __future__ import annotations

from importlib.metadata import version
from typing import Any

import api_links  # a sibling: MkDocs puts hooks/ on sys.path only while importing this file
from mkdocs.exceptions import PluginError

_reference: api_links.Reference | None = None  # read once per build: a rebuild sees a refreshed inventory


def on_config(config: Any) -> None:
    """Read the vendored inventory for the installed scikit-learn (never imported here: its
    version comes from the package metadata), or stop the build if it describes another one."""
    global _reference
    try:
        _reference = api_links.load(version("scikit-learn"))
    except api_links.InventoryError as error:
        raise PluginError(str(error)) from error


# The pages about one model family (docs/models/<family>.md, not the overview index.md): their
# code blocks' classes are the page's subject, the owner of a bare `coef_` whose block names none.
# Glossary and edge-case pages use classes only as examples of a general point.
SUBJECT_PAGES = "models/"


def on_page_content(html: str, page: Any, **kwargs: Any) -> str:
    """Link the page's code spans. Values are still placeholders here (values_hook fills them in
    on_env), so the tables and output a snippet produces are never touched."""
    assert _reference is not None
    subject_page = page.file.src_uri.startswith(SUBJECT_PAGES)
    return api_links.link_page(html, _reference, subject_page=subject_page)[0]
