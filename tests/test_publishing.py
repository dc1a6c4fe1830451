"""What the published site gives wikis, chats and contributors: glossary.json, link previews,
term links with the pages' own first sentences, "edit this page" links, and no asset from another origin.
"""

from __future__ import annotations

import pytest
from conftest import PageFacts, ServedSite, built_page, page_sources
from glossary_terms import collect_terms

REPO_URL = "https://github.com/executable-glossary/executable-glossary"
TERMS = {term.src: term for term in collect_terms(page_sources())[0]}


def url_of(src: str) -> str:
    stem = src.removesuffix(".md").removesuffix("index")
    return stem if stem.endswith("/") or not stem else stem + "/"


@pytest.fixture(scope="module")
def facts(served_site: ServedSite) -> dict[str, PageFacts]:
    return {
        src: PageFacts(built_page(served_site.site_dir, url_of(src)).read_text(encoding="utf-8"))
        for src in page_sources()
    }


@pytest.mark.parametrize("src", sorted(page_sources()))
def test_link_preview_is_the_pages_definition(facts: dict[str, PageFacts], src: str) -> None:
    definition = TERMS[src].definition
    assert facts[src].meta["description"] == definition
    assert facts[src].meta["og:description"] == definition
    assert facts[src].meta["og:url"].endswith(url_of(src))


def test_a_definition_with_quotes_stays_inside_its_attribute(facts: dict[str, PageFacts]) -> None:
    assert '"hyperparameter: set before training"' in facts["edge-cases/index.md"].meta["description"]


@pytest.mark.parametrize("src", sorted(page_sources()))
def test_edit_this_page_links_to_main(facts: dict[str, PageFacts], src: str) -> None:
    assert f"{REPO_URL}/edit/main/docs/{src}" in facts[src].hrefs


def test_no_page_loads_anything_from_another_origin(facts: dict[str, PageFacts]) -> None:
    """Offline: fonts are the system's (theme.font: false), math is vendored KaTeX, no CDN script."""
    assert {src: page.external for src, page in facts.items() if page.external} == {}


def test_site_url_comes_from_the_environment(served_site: ServedSite, facts: dict[str, PageFacts]) -> None:
    """The build was given SITE_URL (the served address), not mkdocs.yml's GitHub Pages address."""
    assert facts["glossary/parameter.md"].meta["og:url"] == f"{served_site.url}glossary/parameter/"
