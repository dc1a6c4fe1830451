"""Everything a page can carry is checked: front matter, headings, code, links, includes, figures.

`tests/fixtures/inputs/` has one page of refused inputs (`bad.md`, each reported at its line) and one of
values that carry markup and must reach the reader as text (`good.md`), built with the real MkDocs.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, FixtureSite, build_fixture, dev_server, make_project, wait_for

INPUTS = FIXTURES / "inputs"

# (line in docs/bad.md, words its message must contain)
EXPECTED = [
    (2, ["%{values.number}", "values are not expanded in front matter", "show the value in the page's text"]),
    (3, ["%{values.number}", "values are not expanded in front matter"]),
    (
        10,
        [
            "--8<-- \"values.py:exmple\": snippets/values.py has no section 'exmple'",
            "its sections: braces, number",
            "marked `# --8<-- [start:name]` and `# --8<-- [end:name]`",
        ],
    ),
    (13, ['--8<-- "missing.md": no file missing.md in snippets/ or includes/']),
    (
        15,
        [
            '--8<-- "nests_a_typo.md": includes/nests_a_typo.md:3: --8<-- "values.py:numbr"',
            "has no section 'numbr'; did you mean 'number'?",
        ],
    ),
    (17, ["%{values.script_url}", "makes the href 'javascript:alert(1)'", "only http, https and relative URLs"]),
    (19, ["%{values.hidden_script_url}", "makes the src ' Java\\tScript:alert(1)'"]),
    (21, ["%{values.number}", "cannot go into the onclick attribute"]),
    (23, ["%{values.script_figure:", "links to 'javascript:alert(1)'", "only http, https and relative URLs"]),
    (25, ["%{values.number}", "cannot go into a <script> element"]),
    (27, ["%{values.spaced}", "cannot be the name of a tag or an attribute"]),
    (29, ["%{values.script_url}", "in a heading, a value is text", "not a link target"]),
    (
        32,
        [
            "%{values.linked_figure:A figure in an attribute}",
            "a block (a table, a figure, printed output) cannot go inside a tag",
        ],
    ),
    (35, ["%{bad_limits.value}", "snippets/bad_limits.py:3", "timeout: 'inf' is not a finite number", "at most 600"]),
    (37, ["%{values.number:>30000000}", "width 30000000 is more than 100, the most a format spec may ask for"]),
]


@pytest.fixture(scope="module")
def strict_build(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    return build_fixture(tmp_path_factory.mktemp("inputs"), INPUTS)


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    good = build_fixture(tmp_path_factory.mktemp("inputs-good"), INPUTS, without=("bad.md",))
    assert good.built.returncode == 0, good.built.log
    return good.site


@pytest.mark.parametrize(("line", "words"), EXPECTED, ids=[f"bad.md:{line}" for line, _ in EXPECTED])
def test_each_refused_input_is_reported_at_its_line(strict_build: FixtureSite, line: int, words: list[str]) -> None:
    built = strict_build.built
    reported = [entry for entry in built.log.split("\ndocs/") if entry.startswith(f"bad.md:{line}: ")]
    assert len(reported) == 1, built.log[-3000:]
    for word in words:
        assert word in reported[0]


def test_strict_build_fails_cleanly_and_writes_nothing(strict_build: FixtureSite) -> None:
    built, site = strict_build.built, strict_build.site
    assert built.returncode == 1
    assert f"livevalues found {len(EXPECTED)} problem(s); nothing was written" in built.log
    assert not list(site.rglob("*.html"))


def test_good_page_builds(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert "A number: 3." in page


def test_a_value_holding_a_placeholder_is_shown_literally(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert "Braces in a value stay text: <code>'&#37;{a.b}'</code>." in page  # a string, set as code
    assert '<h2 id="braces">Braces &#37;{a.b} in a heading' in page


def test_a_value_with_a_line_break_keeps_its_heading_whole(good_site: Path) -> None:
    """Shown as in a paragraph, where HTML shows a line break as a space; the explicit anchor stays."""
    page = (good_site / "good" / "index.html").read_text()
    assert '<h2 id="lines">A value over two lines in a heading</h2>' in page


def test_an_include_of_a_section_that_exists_works(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert '<span class="n">braces</span>' in page
    assert "two_lines" not in page  # the section only


@pytest.mark.slow
def test_dev_server_shows_refused_inputs_on_their_page_and_a_fix_recovers(tmp_path: Path) -> None:
    """pymdownx.snippets raising mid-conversion left `mkdocs serve` stuck: the page never loaded.

    Refused values are left out of the page the server shows, beside the problems.
    """
    project = make_project(tmp_path / "project", INPUTS)
    for name in ("bad.md", "good.md"):
        (project / "docs" / name).unlink()
    page = project / "docs" / "index.md"
    page.write_text(
        '# Included code\n\n```python\n--8<-- "values.py:exmple"\n```\n\n'
        "[A script link](%{values.script_url})\n\n%{values.script_figure:A line that links to a script}\n"
    )
    with dev_server(project, tmp_path / "cache") as (url, server):
        shown = wait_for(url, "This page has 3 problems; a strict build fails", server)
        assert "docs/index.md:4: --8&lt;-- &quot;values.py:exmple&quot;: snippets/values.py has no section" in shown
        assert "Traceback" not in shown
        assert 'href="javascript' not in shown.lower()
        assert "<script>alert" not in shown
        page.write_text(page.read_text().replace("exmple", "number").split("\n\n[A script link]")[0] + "\n")
        shown = wait_for(url, '<span class="n">number</span>', server)
        assert "problem" not in shown


def test_values_reach_links_and_attributes_as_given_and_no_further(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert '<a href="https://example.org/page">web link</a>' in page
    assert '<a href="../good/#braces">relative one</a>' in page
    assert '<a title="x&#32;onclick=alert(1)">title</a>' in page  # the space as a character reference
    assert "<a href=x&#32;onclick=alert(1)>unquoted</a>" in page  # so it is one attribute, however quoted
    assert '<a title="">empty title</a>' in page
    assert '<a xlink:href="https://example.org/line" target="_blank">' in page  # a figure's link


def test_indented_code_keeps_placeholders_and_admonition_prose_shows_values(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert "<pre><code>%{values.number} stays as written, like in fenced code" in page
    assert "Prose in an admonition shows 3." in page
    assert "<pre><code>%{values.number} in code in an admonition stays as written" in page
