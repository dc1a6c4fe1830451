"""Search in a real browser (Debian's Chromium, as in test_browser.py): the words readers type for
a term land on that term's page first, not on a page that mentions it in passing.

Material's search runs in the page (lunr, in a web worker) and reacts to key events, so the query
is typed key by key, as a reader types it; the built site is the real one, served under its
sub-path.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
from conftest import REPO_PATH, ServedSite
from playwright.sync_api import Browser, expect
from test_browser import Tab, new_context, screenshot, watch

pytestmark = pytest.mark.slow

# What a reader types, and the page that must come first. US spellings and the words of
# deep-learning courses ("loss function") included: readers do not know the site's titles.
QUERIES = {
    "epoch": "glossary/epoch/",
    "dropout": "glossary/dropout/",
    "batch size": "glossary/batch-size/",
    "learning rate": "glossary/learning-rate/",
    "regularisation": "glossary/regularisation/",
    "regularization": "glossary/regularisation/",
    "early stopping": "glossary/early-stopping/",
    "warm start": "glossary/warm-start/",
    "cross validation": "glossary/cross-validation/",
    "cross-validation": "glossary/cross-validation/",
    "loss function": "glossary/loss-and-objective/",
    "validation set": "glossary/cross-validation/",
    "mini-batch": "glossary/batch-size/",
    "objective function": "glossary/loss-and-objective/",
}
FIRST_RESULT = ".md-search-result__item > a.md-search-result__link"


@pytest.fixture(scope="module")
def separator(served_site: ServedSite) -> str:
    """What the built search index splits words on: "cross-validation" is searched as two words."""
    index = json.loads((served_site.site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    return str(index["config"]["separator"])


@pytest.fixture(scope="module")
def home(browser: Browser, served_site: ServedSite) -> Iterator[Tab]:
    """One tab on the home page, reused by every query: each test clears the search box first."""
    context = new_context(browser, served_site)
    tab = Tab(context.new_page())
    watch(tab, context, served_site.url.split("/" + REPO_PATH, 1)[0])
    tab.open("")
    yield tab
    context.close()


@pytest.mark.parametrize("query", QUERIES)
def test_a_query_lands_on_its_term_first(home: Tab, separator: str, query: str, request: pytest.FixtureRequest) -> None:
    search = home.page.locator("input.md-search__input")
    try:
        search.click()
        search.fill("")  # clears the previous query; the new one is typed, since search listens to keys
        search.press_sequentially(query, delay=30)
        first = home.page.locator(FIRST_RESULT).first
        # Results are shown while the query is typed: wait for those of the whole query (a result
        # that matches every word carries them all in its highlight parameter), or a partial
        # query's first result could pass.
        words = " ".join(re.split(separator, query))
        expect(first).to_have_attribute("href", re.compile(re.escape("?" + urlencode({"h": words}))))
        # The term's page itself, or one of its sections.
        expect(first).to_have_attribute("href", re.compile(rf"/{re.escape(QUERIES[query])}\?h=[^#/]*(#[\w-]+)?$"))
        assert home.problems == []
    except BaseException:
        screenshot(request, [home])  # what the reader saw, kept by CI as an artifact
        raise
