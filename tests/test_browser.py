"""The built site in a real browser (Debian's Chromium, driven by playwright), served on 127.0.0.1
under /<repo>/ as on GitHub Pages, with every request to another origin blocked: the site must work
offline. A failing test leaves a screenshot in test-artifacts/ (CI keeps it as an artifact).
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from conftest import REPO_PATH, REPORTS, ROOT, ServedSite, page_sources
from livevalues import Build
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Route, expect

pytestmark = pytest.mark.slow

ARTIFACTS = ROOT / "test-artifacts"
NOTEBOOKS = sorted(path.stem for path in (ROOT / "docs" / "notebooks").glob("[!_]*.py"))


def url_of(src: str) -> str:
    stem = src.removesuffix(".md").removesuffix("index")
    return stem if stem.endswith("/") or not stem else stem + "/"


@dataclass
class Tab:
    """One browser page and what went wrong while it loaded: console errors, page errors, failed
    requests, HTTP errors and requests that needed the network."""

    page: Page
    problems: list[str] = field(default_factory=list)

    def open(self, url: str) -> None:
        self.page.goto(url, wait_until="networkidle")


def watch(tab: Tab, context: BrowserContext, origin: str) -> None:
    """Record on the tab what goes wrong as it loads: console and page errors, failed requests,
    HTTP errors, and any request to another origin (blocked: the site must work offline)."""
    page, problems = tab.page, tab.problems

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console error: {message.text} ({message.location.get('url', '')})")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on("requestfailed", lambda req: problems.append(f"failed: {req.url} {req.failure}"))
    page.on("response", lambda resp: problems.append(f"HTTP {resp.status}: {resp.url}") if resp.status >= 400 else None)

    def block_other_origins(route: Route) -> None:
        problems.append(f"needs the network: {route.request.url}")
        route.abort("internetdisconnected")

    page.route(re.compile("^(?!" + re.escape(origin) + "/)"), block_other_origins)


def new_context(browser: Browser, served_site: ServedSite, scheme: str = "light") -> BrowserContext:
    return browser.new_context(
        base_url=served_site.url,
        viewport={"width": 1280, "height": 900},
        color_scheme="dark" if scheme == "dark" else "light",
    )


def screenshot(request: pytest.FixtureRequest, tabs: list[Tab]) -> None:
    """Screenshots of a failed test's tabs, kept by CI as an artifact."""
    ARTIFACTS.mkdir(exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.name)
    for number, tab in enumerate(tabs):
        tab.page.screenshot(path=str(ARTIFACTS / f"{name}-{number}.png"), full_page=True)


@pytest.fixture
def tab_factory(
    browser: Browser, served_site: ServedSite, request: pytest.FixtureRequest
) -> Iterator[Callable[[str], Tab]]:
    """Opens a fresh tab in the light or dark scheme; screenshots every tab if the test fails."""
    tabs: list[Tab] = []
    origin = served_site.url.split("/" + REPO_PATH, 1)[0]

    def open_tab(scheme: str) -> Tab:
        context = new_context(browser, served_site, scheme)
        tab = Tab(context.new_page())
        tabs.append(tab)
        watch(tab, context, origin)
        return tab

    yield open_tab
    report = request.node.stash.get(REPORTS, {}).get("call")
    if report is None or report.failed:
        screenshot(request, tabs)
    for tab in tabs:
        tab.page.context.close()


@pytest.fixture
def tab(tab_factory: Callable[[str], Tab]) -> Tab:
    return tab_factory("light")


@pytest.fixture(scope="module")
def loaded(browser: Browser, served_site: ServedSite) -> Iterator[dict[str, Tab]]:
    """Every page opened at once, each in its own tab, until the network is idle in all of them.

    The waits overlap: loading the site's pages one after another would wait for the network to
    go quiet (half a second each) once per page.
    """
    context = new_context(browser, served_site)
    origin = served_site.url.split("/" + REPO_PATH, 1)[0]
    tabs = {}
    for src in sorted(page_sources()):
        tabs[src] = Tab(context.new_page())
        watch(tabs[src], context, origin)
        tabs[src].page.goto(url_of(src), wait_until="commit")
    for tab in tabs.values():
        tab.page.wait_for_load_state("networkidle")
    yield tabs
    context.close()


@pytest.mark.parametrize("src", sorted(page_sources()))
def test_page_loads_offline_without_errors_and_shows_its_values(
    loaded: dict[str, Tab], rendered: Build, src: str, request: pytest.FixtureRequest
) -> None:
    tab = loaded[src]  # opened with all the others, in the fixture
    try:
        assert tab.problems == []
        article = tab.page.locator("article.md-content__inner")
        text = article.inner_text()
        for placeholder, shown in rendered.pages[src].shown.items():
            if shown.startswith("figure: "):
                expect(article.locator(f'[aria-label="{shown.removeprefix("figure: ")}"]')).to_be_visible()
            elif "\n" not in shown:
                assert shown in text, f"{placeholder} -> {shown!r} is not visible on {src}"
        assert "%{" not in text
    except BaseException:
        screenshot(request, [tab])
        raise


def test_search_finds_a_term_by_its_name(tab: Tab) -> None:
    tab.open("")
    search = tab.page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("Gaussian mixture", delay=30)  # search listens to key events
    result = tab.page.locator(".md-search-result__item > a.md-search-result__link").first
    expect(result).to_have_attribute("href", re.compile(r"/models/gaussian-mixture/(\?h=[^/]*)?$"))
    result.click()
    expect(tab.page).to_have_url(re.compile(r"/executable-glossary/models/gaussian-mixture/(\?h=[^/]*)?$"))
    expect(tab.page.locator("h1")).to_have_text(re.compile("Gaussian mixture"))
    assert tab.problems == []


def test_a_deep_link_lands_on_its_anchor(tab: Tab) -> None:
    tab.open("glossary/optimisation-settings/#tol")
    heading = tab.page.locator("h2#tol")
    expect(heading).to_be_in_viewport()
    box = heading.bounding_box()
    assert box is not None
    assert box["y"] < 300  # scrolled to the top, not merely somewhere on screen
    expect(heading.locator("a.headerlink")).to_have_attribute("href", "#tol")
    assert tab.problems == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_figures_are_readable_in_both_schemes(tab_factory: Callable[[str], Tab], scheme: str) -> None:
    tab = tab_factory(scheme)
    tab.open("edge-cases/learning-rate-schedules/")
    expect(tab.page.locator("body")).to_have_attribute(
        "data-md-color-scheme", "slate" if scheme == "dark" else "default"
    )
    figure = tab.page.locator(".livevalues-figure").first
    figure.scroll_into_view_if_needed()
    colours = figure.evaluate(
        """figure => {
            const background = getComputedStyle(document.querySelector(".md-main")).backgroundColor !== "rgba(0, 0, 0, 0)"
                ? getComputedStyle(document.querySelector(".md-main")).backgroundColor
                : getComputedStyle(document.body).backgroundColor;
            return {
                background,
                text: [...figure.querySelectorAll("svg text, svg g[id^=text] path")].map(el => getComputedStyle(el).fill),
            };
        }"""
    )
    assert colours["text"], "the figure has no text"
    ratios = {fill: contrast(fill, colours["background"]) for fill in colours["text"]}
    assert min(ratios.values()) >= 4.5, f"axis text hard to read on {colours['background']}: {ratios}"
    assert tab.problems == []


def contrast(one: str, two: str) -> float:
    """WCAG contrast ratio of two CSS rgb()/rgba() colours (alpha ignored)."""

    def luminance(colour: str) -> float:
        channels = [float(c) / 255 for c in re.findall(r"[\d.]+", colour)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    high, low = sorted([luminance(one), luminance(two)], reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_page_in_a_browser_shows_plots_math_and_a_working_download(tab: Tab, name: str) -> None:
    tab.open(f"notebooks/{name.replace('_', '-')}/")
    article = tab.page.locator("article.md-content__inner")
    expect(article.locator(".jp-RenderedSVG svg").first).to_be_visible()
    assert article.locator(".katex").count() > 0  # notebook math, rendered by the vendored KaTeX
    link = tab.page.get_by_role("link", name="Download this notebook (.ipynb)")
    expect(link).to_be_visible()
    response = tab.page.request.get(str(link.get_attribute("href")))
    assert response.status == 200
    notebook = json.loads(response.text())
    assert notebook["nbformat"] == 4
    assert any(cell.get("outputs") for cell in notebook["cells"])
    assert tab.problems == []
