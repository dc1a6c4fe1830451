"""The real site, built by the real MkDocs with --strict (once per run, `served_site`): it shows the computed values."""

from __future__ import annotations

import html
import posixpath
from pathlib import Path

import pytest
from conftest import ServedSite, page_sources
from livevalues import Build


@pytest.fixture(scope="module")
def site(served_site: ServedSite) -> Path:
    return served_site.site_dir


def page_html(site: Path, src: str) -> str:
    stem = src.removesuffix(".md")
    path = site / ("index.html" if stem == "index" else stem.removesuffix("/index") + "/index.html")
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("src", sorted(page_sources()))
def test_page_shows_the_computed_values(site: Path, rendered: Build, src: str) -> None:
    content = page_html(site, src)
    page = rendered.pages[src]
    for placeholder, shown in page.shown.items():
        assert placeholder not in content
        if shown.startswith("figure: "):
            assert f'aria-label="{html.escape(shown.removeprefix("figure: "))}"' in content
        elif "\n" not in shown:  # inline values; tables and output are checked below
            assert html.escape(shown, quote=False) in content, f"{placeholder} -> {shown!r} missing"
    assert "LIVEVALUES" not in content  # no block token left behind


def test_set_vs_learned_table_is_on_the_svm_page(site: Path, rendered: Build) -> None:
    content = page_html(site, "models/svm.md")
    assert content.count('class="livevalues-set-learned"') == 1
    assert "<td><code>n_support_</code></td>" in content
    assert rendered.pages["models/svm.md"].shown["%{svm.n_support}"] in content


def test_a_to_z_index_links_every_page(site: Path) -> None:
    index = page_html(site, "glossary/index.md")
    for src in page_sources():
        if not src.endswith("index.md"):
            target = posixpath.relpath(src.removesuffix(".md"), "glossary") + "/"
            assert f'href="{target}"' in index, f"{src} is missing from the A–Z index"
