"""Every snippet runs (its own asserts hold), is used by a page, and the values pages show are pinned.

A scikit-learn upgrade that moves a number fails `test_page_values` with a readable diff; accept
it with `pytest --snapshot-update` (see CONTRIBUTING.md).
"""

from __future__ import annotations

import pytest
from conftest import ROOT, machine_note, page_sources
from livevalues import Build, SnippetResult, find_includes, find_placeholders, run_snippets
from syrupy.assertion import SnapshotAssertion

SNIPPETS = sorted(path.stem for path in (ROOT / "snippets").glob("[!_]*.py"))
PAGES = sorted(page_sources())


@pytest.fixture(scope="session")
def results(rendered: Build) -> dict[str, SnippetResult]:
    """The build's results, plus any snippet no page uses (that one fails the test below)."""
    unused = [ROOT / "snippets" / f"{name}.py" for name in SNIPPETS if name not in rendered.results]
    return {**rendered.results, **run_snippets(unused, ROOT)}


@pytest.mark.parametrize("name", SNIPPETS)
def test_snippet_runs(results: dict[str, SnippetResult], name: str) -> None:
    result = results[name]
    assert result.error is None, f"snippets/{name}.py {result.error.describe()}\n" + "\n".join(result.error.frames)


def test_every_snippet_is_used_by_a_page() -> None:
    used = set()
    for source in page_sources().values():
        used |= {placeholder.snippet for placeholder in find_placeholders(source)[0]}
        used |= {path.removesuffix(".py") for path, _ in find_includes(source)}
    assert sorted(set(SNIPPETS) - used) == []


@pytest.mark.parametrize("src", PAGES)
def test_page_values(rendered: Build, src: str, snapshot: SnapshotAssertion) -> None:
    page = rendered.pages[src]
    assert [str(problem) for problem in page.problems] == []
    assert page.shown == snapshot, machine_note()


def test_no_placeholder_in_docs_is_left_unresolved(rendered: Build) -> None:
    total = sum(len({p.text for p in find_placeholders(source)[0]}) for source in page_sources().values())
    assert total == sum(len(page.shown) for page in rendered.pages.values()) > 0
