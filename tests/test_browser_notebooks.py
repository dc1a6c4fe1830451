"""Notebook pages in a real browser (Debian's Chromium, as in test_browser.py): their figures follow
the light and dark schemes like a page's figures and carry the alt text their source gives them,
and a search for the notebook's interface ("Copied!") finds nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from conftest import DOCS
from livevalues import notebook
from playwright.sync_api import expect

# A tab in either scheme, as test_browser.py opens them (pytest finds imported fixtures).
from test_browser import NOTEBOOKS, Tab, contrast, tab_factory  # noqa: F401

pytestmark = pytest.mark.slow


def url_of(name: str) -> str:
    return f"notebooks/{name.replace('_', '-')}/"


def figure_colours(tab: Tab) -> dict[str, object]:
    """The background behind the notebook's first figure, and the fill of every text in it."""
    figure = tab.page.locator(".jp-RenderedSVG svg").first
    figure.scroll_into_view_if_needed()
    return dict(
        figure.evaluate(
            """svg => {
                const main = getComputedStyle(document.querySelector(".md-main")).backgroundColor;
                return {
                    background: main !== "rgba(0, 0, 0, 0)" ? main : getComputedStyle(document.body).backgroundColor,
                    text: [...svg.querySelectorAll("text")].map(text => getComputedStyle(text).fill),
                };
            }"""
        )
    )


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_figures_follow_the_scheme_and_carry_their_alt_text(
    tab_factory: Callable[[str], Tab],  # noqa: F811  (the fixture imported above)
    name: str,
) -> None:
    colours = {}
    for scheme in ("light", "dark"):
        tab = tab_factory(scheme)
        tab.open(url_of(name))
        expect(tab.page.locator("body")).to_have_attribute(
            "data-md-color-scheme", "slate" if scheme == "dark" else "default"
        )
        colours[scheme] = figure_colours(tab)
        texts = colours[scheme]["text"]
        assert isinstance(texts, list)
        assert texts, "the figure has no text"
        ratios = {fill: contrast(fill, str(colours[scheme]["background"])) for fill in texts}
        assert min(ratios.values()) >= 4.5, f"figure text hard to read in the {scheme} scheme: {ratios}"
        figures = tab.page.locator(".jp-RenderedSVG svg")
        written = notebook.alt_texts((DOCS / "notebooks" / f"{name}.py").read_text(encoding="utf-8"))
        assert figures.count() == len(written)
        for index, alt in enumerate(written):
            expect(figures.nth(index)).to_have_attribute("role", "img")
            expect(figures.nth(index)).to_have_accessible_name(alt)
        assert tab.problems == []
    assert colours["light"]["text"] != colours["dark"]["text"]  # the same figure, drawn in each scheme's colour


def test_search_finds_no_notebook_by_its_interface(
    tab_factory: Callable[[str], Tab],  # noqa: F811  (the fixture imported above)
) -> None:
    """A notebook page is found by its words, not by its copy buttons' "Copied!" (a page whose prose
    says "copied" may be found)."""
    tab = tab_factory("light")
    tab.open("")
    search = tab.page.locator("input.md-search__input")
    results = tab.page.locator(".md-search-result__item > a.md-search-result__link")
    search.click()
    search.press_sequentially("Copied", delay=30)  # search listens to key events
    expect(tab.page.locator(".md-search-result__meta")).to_have_text(re.compile("matching document"))
    found = [str(link.get_attribute("href")) for link in results.all()]
    assert not [href for href in found if "/notebooks/" in href], found
    search.fill("")
    search.press_sequentially("BayesianGaussianMixture", delay=30)  # the notebook's own words are found
    expect(
        tab.page.locator(f".md-search-result__item > a[href*='{url_of('choosing_gmm_components')}']").first
    ).to_be_visible()
    assert tab.problems == []
