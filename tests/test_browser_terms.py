"""Term links and the A–Z in a real browser (Debian's Chromium, as in test_browser.py), at desktop
and phone sizes, in the light and dark schemes, with every request to another origin blocked.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from conftest import REPO_PATH, REPORTS, ServedSite, page_sources
from glossary_terms import collect_terms
from playwright.sync_api import Browser, expect
from test_browser import Tab, screenshot, watch

pytestmark = pytest.mark.slow

TERMS = {term.src: term for term in collect_terms(page_sources())[0]}
DEVICES = {
    "desktop": {"viewport": {"width": 1280, "height": 900}},
    "phone": {
        "viewport": {"width": 390, "height": 844},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 3,
    },
}
VIEWS = [(device, scheme) for device in DEVICES for scheme in ("light", "dark")]
TERM_LINK = "article a.term-link"


@pytest.fixture(params=VIEWS, ids=["-".join(view) for view in VIEWS])
def view(browser: Browser, served_site: ServedSite, request: pytest.FixtureRequest) -> Iterator[Tab]:
    """A tab at one size and scheme; screenshots it if the test fails."""
    device, scheme = request.param
    context = browser.new_context(base_url=served_site.url, color_scheme=scheme, **DEVICES[device])  # type: ignore[arg-type]
    tab = Tab(context.new_page())
    watch(tab, context, served_site.url.split("/" + REPO_PATH, 1)[0])
    yield tab
    report = request.node.stash.get(REPORTS, {}).get("call")
    if report is None or report.failed:
        screenshot(request, [tab])
    context.close()


def is_phone(tab: Tab) -> bool:
    size = tab.page.viewport_size
    return size is not None and size["width"] < 500


def tab_to(tab: Tab, selector: str, presses: int = 300) -> None:
    """Press Tab until the focused element matches `selector`, as a keyboard user would."""
    for _ in range(presses):
        tab.page.keyboard.press("Tab")
        if tab.page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
    raise AssertionError(f"{selector} never got the focus in {presses} presses of Tab")


def described_by(tab: Tab, selector: str) -> str:
    """The definition a link exposes: the text of what it is aria-described by, else its title."""
    return str(
        tab.page.evaluate(
            """s => {
                const link = document.querySelector(s);
                const ids = (link.getAttribute("aria-describedby") || "").split(" ").filter(Boolean);
                const text = ids.map(id => document.getElementById(id)?.textContent.trim() || "").join(" ");
                return text || link.getAttribute("title") || "";
            }""",
            selector,
        )
    )


def test_a_term_link_is_reached_by_tab_shows_its_definition_and_opens_its_page(view: Tab) -> None:
    tab = view
    tab.open("models/svm/")
    tab_to(tab, TERM_LINK)
    focused = tab.page.evaluate("document.activeElement.getAttribute('href')")
    target = next(src for src in TERMS if focused.rstrip("/").endswith(src.removesuffix(".md")))
    expect(tab.page.locator(f"{TERM_LINK}:focus")).to_be_in_viewport()
    tooltip = tab.page.locator(".md-tooltip2--active .md-tooltip2__inner")
    expect(tooltip).to_have_text(TERMS[target].definition)  # Material's tooltip, shown on focus
    assert described_by(tab, f"{TERM_LINK}:focus") == TERMS[target].definition
    tab.page.keyboard.press("Enter")
    expect(tab.page).to_have_url(re.compile(re.escape(focused.removeprefix("../..")) + "$"))
    expect(tab.page.locator("h1")).to_have_text(re.compile(re.escape(TERMS[target].title)))
    assert tab.problems == []


def test_a_term_link_opens_its_page_by_tap_or_click(view: Tab) -> None:
    tab = view
    tab.open("glossary/hyperparameter/")
    link = tab.page.locator(TERM_LINK).first
    link.scroll_into_view_if_needed()
    title = TERMS[next(src for src, term in TERMS.items() if term.definition == link.get_attribute("title"))].title
    if is_phone(tab):
        link.tap()
    else:
        link.hover()
        expect(tab.page.locator(".md-tooltip2--active .md-tooltip2__inner")).to_have_text(
            str(link.get_attribute("title") or described_by(tab, TERM_LINK))
        )
        link.click()
    expect(tab.page.locator("h1")).to_have_text(re.compile(re.escape(title)))
    assert tab.problems == []


@pytest.mark.parametrize(
    "src", ["glossary/hyperparameter.md", "models/svm.md", "edge-cases/learning-rate-schedules.md"]
)
def test_no_term_link_on_its_own_page_in_headings_or_inside_links(view: Tab, src: str) -> None:
    tab = view
    tab.open(src.removesuffix(".md") + "/")
    links = tab.page.locator(TERM_LINK)
    assert links.count() > 0
    misplaced = tab.page.evaluate(
        """() => [...document.querySelectorAll("article a.term-link")]
            .filter(a => a.parentElement.closest("h1, h2, h3, h4, h5, h6, a, code, pre")
                || new URL(a.href).pathname === location.pathname)
            .map(a => a.outerHTML)"""
    )
    assert misplaced == []
    assert tab.problems == []


def test_the_letter_bar_jumps_to_its_letter(view: Tab) -> None:
    tab = view
    tab.open("glossary/")
    letters = tab.page.locator(".glossary-az__letters a")
    assert letters.count() >= 10
    last = letters.last
    key = last.inner_text()
    if is_phone(tab):
        last.tap()
    else:
        last.click()
    section = tab.page.locator(f"#letter-{key.lower()}")
    expect(tab.page).to_have_url(re.compile(f"#letter-{key.lower()}$"))
    expect(section.locator("h2")).to_be_in_viewport()
    assert tab.problems == []


def test_the_filter_shows_one_kind_and_the_keyboard_works_it(view: Tab) -> None:
    tab = view
    tab.open("glossary/")
    entries = tab.page.locator(".glossary-az__entry")
    total = entries.count()
    models = tab.page.locator('.glossary-az__entry[data-kind="model"]').count()
    assert 0 < models < total
    tab.page.get_by_role("radio", name="Models").check()
    expect(tab.page.locator(".glossary-az__entry:visible")).to_have_count(models)
    assert tab.page.locator('.glossary-az__entry:visible:not([data-kind="model"])').count() == 0
    # A letter with no model is hidden, in the list and in the bar.
    for section in tab.page.locator(".glossary-az__letter").all():
        has_model = section.locator('[data-kind="model"]').count() > 0
        assert section.is_visible() == has_model, section.get_attribute("id")
    # Keyboard: the radio buttons are native; an arrow key moves the choice.
    tab.page.get_by_role("radio", name="Models").focus()
    tab.page.keyboard.press("ArrowLeft")
    expect(tab.page.get_by_role("radio", name="Terms")).to_be_checked()
    terms = tab.page.locator('.glossary-az__entry[data-kind="term"]').count()
    expect(tab.page.locator(".glossary-az__entry:visible")).to_have_count(terms)
    tab.page.get_by_role("radio", name="All").check()
    expect(tab.page.locator(".glossary-az__entry:visible")).to_have_count(total)
    assert tab.problems == []
