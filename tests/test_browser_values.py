"""Computed values in a real browser, at desktop and phone sizes, light and dark: no page scrolls
sideways, no name in a table breaks mid-word, the settings folded behind "left at their default"
open by mouse and by keyboard, and the problems box of `mkdocs serve` wraps its text.

Reuses the session's Chromium and the served site from tests/conftest.py.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator

import pytest
from conftest import ROOT, ServedSite, dev_server, project_from, wait_for
from playwright.sync_api import Browser, BrowserContext, Page, expect
from test_browser import ARTIFACTS

pytestmark = pytest.mark.slow

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
SCHEMES = ["light", "dark"]

# Run in each page once it has loaded: every details block opened (folded content counts), then
# how far the page scrolls sideways, and each name in a table (code without spaces) that the
# browser laid out on more than one line, i.e. broke mid-word.
MEASURE = """() => {
    document.querySelectorAll("article details").forEach(details => { details.open = true; });
    const root = document.documentElement;
    const broken = [...document.querySelectorAll("article table code")]
        .filter(code => !/\\s/.test(code.textContent.trim()) && code.getClientRects().length > 1)
        .map(code => code.textContent);
    return {overflow: root.scrollWidth - root.clientWidth, broken};
}"""


def built_pages(site: ServedSite) -> list[str]:
    """Every page of the built site, as a URL relative to its root ("", "models/svm/", ...)."""
    pages = [path.parent.relative_to(site.site_dir).as_posix() + "/" for path in site.site_dir.rglob("index.html")]
    return sorted("" if page == "./" else page for page in pages)


def open_context(browser: Browser, site: ServedSite, viewport: str, scheme: str) -> BrowserContext:
    return browser.new_context(
        base_url=site.url,
        viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]  # playwright's ViewportSize is a TypedDict
        color_scheme="dark" if scheme == "dark" else "light",
        is_mobile=viewport == "phone",
        has_touch=viewport == "phone",
    )


def keep_screenshot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_no_page_scrolls_sideways_and_no_table_name_breaks_mid_word(
    browser: Browser, served_site: ServedSite, viewport: str, scheme: str
) -> None:
    pages = built_pages(served_site)
    assert "models/svm/" in pages
    assert len(pages) > 20
    context = open_context(browser, served_site, viewport, scheme)
    try:
        tabs = {}
        for url in pages:  # all at once: the waits for a quiet network overlap
            tabs[url] = context.new_page()
            tabs[url].goto(url, wait_until="commit")
        problems = []
        for url, page in tabs.items():
            page.wait_for_load_state("networkidle")
            expect(page.locator("body")).to_have_attribute(
                "data-md-color-scheme", "slate" if scheme == "dark" else "default"
            )
            measured = page.evaluate(MEASURE)
            if measured["overflow"] > 0 or measured["broken"]:
                problems.append(f"/{url}: scrolls {measured['overflow']}px sideways; broken names {measured['broken']}")
                keep_screenshot(page, f"sideways-{viewport}-{scheme}-{url.strip('/').replace('/', '-') or 'home'}")
        assert problems == [], "\n".join(problems)
    finally:
        context.close()


@pytest.fixture(params=[(viewport, scheme) for viewport in sorted(VIEWPORTS) for scheme in SCHEMES])
def svm_page(browser: Browser, served_site: ServedSite, request: pytest.FixtureRequest) -> Iterator[Page]:
    viewport, scheme = request.param
    context = open_context(browser, served_site, viewport, scheme)
    page = context.new_page()
    page.goto("models/svm/", wait_until="networkidle")
    yield page
    context.close()


def test_folded_defaults_open_on_click_and_on_keyboard(svm_page: Page) -> None:
    table = svm_page.locator(".livevalues-set-learned").first
    details = table.locator("details.livevalues-defaults")
    summary = details.locator("summary")
    folded = details.locator("table")
    expect(summary).to_have_text(re.compile(r"^\d+ settings left at their default$"))
    count = int(summary.inner_text().split()[0])
    assert count == folded.locator("tbody tr").count() > 0  # the count the toggle shows is the rows it hides
    expect(folded).to_be_hidden()
    expect(table.locator("caption").first).to_contain_text("changed from the default")
    expect(table.locator("tr", has_text="random_state").first).to_be_visible()  # changed: never folded

    summary.click()
    expect(folded).to_be_visible()
    expect(folded.locator("tr", has=svm_page.locator("code", has_text="cache_size"))).to_contain_text(
        "computational setting"
    )
    summary.click()
    expect(folded).to_be_hidden()

    summary.focus()
    svm_page.keyboard.press("Enter")
    expect(folded).to_be_visible()
    svm_page.keyboard.press("Space")
    expect(folded).to_be_hidden()


def test_a_marker_default_is_explained_in_the_table(svm_page: Page) -> None:
    details = svm_page.locator(".livevalues-set-learned details.livevalues-defaults").first
    details.locator("summary").click()
    row = details.locator("tr", has=svm_page.locator("code", has_text="probability"))
    expect(row).to_contain_text("'deprecated'")
    expect(row.locator(".livevalues-note")).to_be_visible()
    expect(row.locator(".livevalues-note")).to_contain_text("deprecated")


@pytest.fixture(scope="module")
def broken_page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`mkdocs serve` on a page with a typo in a long value name: its problems box says "did you mean"."""
    where = tmp_path_factory.mktemp("problems")
    project = project_from(
        where,
        {"index.md": "# Typo\n\nThe initial rate is %{rates.learning_rate_initial_value_for_the_adam_solver}.\n"},
        {"rates.py": "learning_rate_init_value_for_the_adam_solver = 0.001\n"},
        extra_config="extra_css: [stylesheets/values.css]\n",
    )
    (project / "docs" / "stylesheets").mkdir()
    shutil.copy(ROOT / "docs" / "stylesheets" / "values.css", project / "docs" / "stylesheets")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("  font: false\n", "  font: false\n  features: [content.code.copy]\n"))
    with dev_server(project, where / "cache", where / "serve.log") as (url, server):
        wait_for(url, "did you mean", server)
        yield url


@pytest.mark.parametrize("scheme", SCHEMES)
@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_the_problems_box_wraps_and_did_you_mean_stays_in_view(
    browser: Browser, broken_page: str, viewport: str, scheme: str
) -> None:
    context = browser.new_context(
        viewport=VIEWPORTS[viewport],  # type: ignore[arg-type]
        color_scheme="dark" if scheme == "dark" else "light",
    )
    try:
        page = context.new_page()
        page.goto(broken_page, wait_until="load")  # the dev server's live reload keeps a request open
        code = page.locator(".livevalues-problems pre > code")
        expect(code).to_contain_text("did you mean")
        button = page.locator(".livevalues-problems .md-code__nav")
        expect(button).to_be_visible()  # Material's copy button is there, so overlapping it is possible
        facts = code.evaluate(
            """code => {
                const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
                const range = document.createRange();
                for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                    const at = node.textContent.indexOf("did you mean");
                    if (at >= 0) { range.setStart(node, at); range.setEnd(node, node.textContent.length); break; }
                }
                const button = code.closest(".livevalues-problems").querySelector(".md-code__nav").getBoundingClientRect();
                const box = code.getBoundingClientRect();
                const words = [...range.getClientRects()].filter(rect => rect.width > 0);
                return {
                    hidden: code.scrollWidth - code.clientWidth,
                    outside: words.filter(r => r.right > box.right + 1 || r.left < box.left - 1).length,
                    covered: words.filter(r => r.left < button.right && r.right > button.left
                        && r.top < button.bottom && r.bottom > button.top).length,
                    page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    lines: words.length,
                };
            }"""
        )
        assert facts["lines"] > 0, "no 'did you mean' text laid out"
        assert (facts["hidden"], facts["outside"], facts["covered"], facts["page"]) == (0, 0, 0, 0), facts
    except BaseException:
        keep_screenshot(context.pages[0], f"problems-box-{viewport}-{scheme}")
        raise
    finally:
        context.close()
