"""Stable deep links: every published URL and anchor still resolves, directly or through a redirect.

`tests/published-urls.txt` is the committed list of what wikis may link to. A change that removes
a page or a heading anchor fails here unless mkdocs-redirects (mkdocs.yml) maps the old page to
one that still has the anchor.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

import pytest
from conftest import ROOT, PageFacts, ServedSite, build_site, built_page, page_sources
from livevalues.syntax import headings, split_front_matter

PUBLISHED = ROOT / "tests" / "published-urls.txt"
# mkdocs-redirects writes a page whose script sends the reader on, keeping the #anchor.
_REDIRECT = re.compile(r'location\.href="([^"]+)"\+\(anchor')


def published() -> list[str]:
    lines = PUBLISHED.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def resolve(site_dir: Path, url: str) -> str | None:
    """Why `url` (relative to site_url) no longer lands on its page and anchor; None if it does."""
    path, _, anchor = url.removeprefix("./").partition("#")
    for _ in range(5):  # a redirect may point at a page that moved again
        file = built_page(site_dir, path)
        if not file.is_file():
            return f"{url}: no page at {path or './'} and no redirect from it"
        text = file.read_text(encoding="utf-8")
        redirect = _REDIRECT.search(text)
        if not redirect:
            break
        href = redirect.group(1)
        base = path if path.endswith("/") or not path else posixpath.dirname(path) + "/"
        target = posixpath.normpath(posixpath.join("/", base, href)).lstrip("/")
        path = target + "/" if href.endswith("/") and target else target
    if anchor and anchor not in PageFacts(text).ids:
        return f"{url}: the page has no #{anchor} any more"
    return None


def current_urls(site_dir: Path) -> list[str]:
    """Every page and heading anchor the build serves, in the list's notation."""
    urls = []
    for src in page_sources():
        stem = src.removesuffix(".md").removesuffix("index")
        url = stem if stem.endswith("/") or not stem else stem + "/"
        facts = PageFacts(built_page(site_dir, url).read_text(encoding="utf-8"))
        url = url or "./"
        urls += [url, *(f"{url}#{anchor}" for anchor in facts.heading_ids)]
    return urls


def test_every_published_url_still_resolves(served_site: ServedSite) -> None:
    broken = [reason for url in published() if (reason := resolve(served_site.site_dir, url))]
    assert broken == [], "Published links that no longer work (add a redirect in mkdocs.yml):\n" + "\n".join(broken)


def test_every_page_and_anchor_is_in_the_published_list(served_site: ServedSite) -> None:
    missing = sorted(set(current_urls(served_site.site_dir)) - set(published()))
    assert missing == [], f"Add these lines to {PUBLISHED.relative_to(ROOT)}:\n" + "\n".join(missing)


def test_every_heading_has_an_explicit_anchor() -> None:
    """An anchor generated from the heading text changes when the text is edited; wikis break."""
    missing = []
    for src, source in page_sources().items():
        _, body, offset = split_front_matter(source)
        missing += [
            f"docs/{src}:{heading.line + offset}: {'#' * heading.level} {heading.text}"
            for heading in headings(body)
            if not heading.anchor
        ]
    assert missing == [], "Give these headings an explicit anchor, { #like-this }:\n" + "\n".join(missing)


def test_every_heading_has_a_permalink(served_site: ServedSite) -> None:
    without = []
    for url in current_urls(served_site.site_dir):
        if "#" not in url:
            facts = PageFacts(built_page(served_site.site_dir, url.removeprefix("./")).read_text(encoding="utf-8"))
            without += [f"{url}#{i}" for i in facts.heading_ids[1:] if f"#{i}" not in facts.permalinks]
    assert without == []


@pytest.fixture(scope="module")
def moved_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real MkDocs build in which a page moved, with mkdocs-redirects mapping its old path."""
    project = tmp_path_factory.mktemp("moved")
    (project / "docs" / "glossary").mkdir(parents=True)
    (project / "docs" / "index.md").write_text("# Home\n", encoding="utf-8")
    (project / "docs" / "glossary" / "new-name.md").write_text(
        "# New name { #new-name }\n\nText.\n\n## Example { #example }\n", encoding="utf-8"
    )
    (project / "mkdocs.yml").write_text(
        """site_name: moved
theme:
  name: material
  font: false
markdown_extensions:
  - attr_list
  - toc:
      permalink: true
plugins:
  - redirects:
      redirect_maps:
        glossary/old-name.md: glossary/new-name.md
""",
        encoding="utf-8",
    )
    built = build_site(project)
    assert built.returncode == 0, built.log
    return project / "site"


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("glossary/new-name/#example", None),
        ("glossary/old-name/", None),
        ("glossary/old-name/#example", None),  # the redirect keeps the anchor, and the new page has it
        ("glossary/old-name/#gone", "glossary/old-name/#gone: the page has no #gone any more"),
        ("glossary/removed/#x", "glossary/removed/#x: no page at glossary/removed/ and no redirect from it"),
        ("./#home", None),
    ],
)
def test_resolve_follows_redirects_and_reports_what_broke(moved_site: Path, url: str, problem: str | None) -> None:
    assert resolve(moved_site, url) == problem
