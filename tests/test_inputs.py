"""Everything a page can carry is checked: front matter, headings, code, links, includes, figures.

`tests/inputs/` has one page of refused inputs (`bad.md`, each reported at its line) and one of
values that carry markup and must reach the reader as text (`good.md`), built with the real MkDocs.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from conftest import make_project, mkdocs

INPUTS = Path(__file__).parent / "inputs"

# (line in docs/bad.md, words its message must contain)
EXPECTED = [
    (2, ["%{values.number}", "values are not expanded in front matter", "show the value in the page's text"]),
    (3, ["%{values.number}", "values are not expanded in front matter"]),
]


@pytest.fixture(scope="module")
def strict_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[subprocess.CompletedProcess[str], Path]:
    where = tmp_path_factory.mktemp("inputs")
    project = make_project(where / "project", INPUTS)
    return mkdocs("build", "--strict", "--site-dir", str(where / "site"), cwd=project), where / "site"


@pytest.fixture(scope="module")
def good_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    where = tmp_path_factory.mktemp("inputs-good")
    project = make_project(where / "project", INPUTS)
    (project / "docs" / "bad.md").unlink()
    result = mkdocs("build", "--strict", "--site-dir", str(where / "site"), cwd=project)
    assert result.returncode == 0, result.stderr
    return where / "site"


@pytest.mark.parametrize(("line", "words"), EXPECTED, ids=[f"bad.md:{line}" for line, _ in EXPECTED])
def test_each_refused_input_is_reported_at_its_line(
    strict_build: tuple[subprocess.CompletedProcess[str], Path], line: int, words: list[str]
) -> None:
    result, _ = strict_build
    reported = [entry for entry in result.stderr.split("\ndocs/") if entry.startswith(f"bad.md:{line}: ")]
    assert len(reported) == 1, result.stderr[-3000:]
    for word in words:
        assert word in reported[0]


def test_strict_build_fails_cleanly_and_writes_nothing(
    strict_build: tuple[subprocess.CompletedProcess[str], Path],
) -> None:
    result, site = strict_build
    assert result.returncode == 1
    assert f"livevalues found {len(EXPECTED)} problem(s); nothing was written" in result.stderr
    assert "Traceback" not in result.stderr
    assert not list(site.rglob("*.html"))


def test_good_page_builds(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert "A number: 3." in page


def test_a_value_holding_a_placeholder_is_shown_literally(good_site: Path) -> None:
    page = (good_site / "good" / "index.html").read_text()
    assert "Braces in a value stay text: &#37;{a.b}." in page
    assert '<h2 id="braces">Braces &#37;{a.b} in a heading' in page


def test_a_value_with_a_line_break_keeps_its_heading_whole(good_site: Path) -> None:
    """Shown as in a paragraph, where HTML shows a line break as a space; the explicit anchor stays."""
    page = (good_site / "good" / "index.html").read_text()
    assert '<h2 id="lines">A value over two lines in a heading</h2>' in page
