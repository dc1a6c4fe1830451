"""Every kind of error names the page and line (and the snippet and line), all in one report."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import FIXTURES, FixtureSite, build_fixture, make_project, mkdocs
from livevalues import Build

BROKEN = FIXTURES / "broken"

# (page line, words the message must contain)
EXPECTED = [
    (3, ["%{raises.value}", "snippets/raises.py:2", "ZeroDivisionError: division by zero"]),
    (4, ["%{syntax_error.value}", "snippets/syntax_error.py:2", "SyntaxError"]),
    (5, ["%{sleeps.value}", "timed out after 1 s", "# livevalues: timeout=SECONDS"]),
    (6, ["%{ok.nn}", "has no value 'nn'", "did you mean 'n'?"]),
    (7, ["%{ok.n:.3q}", "format spec '.3q' does not apply to int 3"]),
    (8, ["%{okk.n}", "no snippet snippets/okk.py", "did you mean 'ok'?"]),
    (9, ["malformed placeholder '%{ok}': missing .name: write %{ok.name}"]),
    (10, ["%{warns.value}", "snippets/warns.py:3", "UserWarning"]),
]


@pytest.fixture(scope="module")
def broken(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    return build_fixture(tmp_path_factory.mktemp("broken"), BROKEN)


@pytest.fixture(scope="module")
def broken_build(broken: FixtureSite) -> Build:
    return broken.build


@pytest.mark.parametrize(("line", "words"), EXPECTED, ids=[words[0] for _, words in EXPECTED])
def test_each_error_names_page_and_line(broken_build: Build, line: int, words: list[str]) -> None:
    problems = [p for p in broken_build.pages["index.md"].problems if p.location == f"docs/index.md:{line}"]
    assert len(problems) == 1, [str(p) for p in broken_build.pages["index.md"].problems]
    text = str(problems[0])
    for word in words:
        assert word in text


def test_snippet_failures_carry_the_last_frames(broken_build: Build) -> None:
    (problem,) = [p for p in broken_build.pages["index.md"].problems if p.location == "docs/index.md:3"]
    assert problem.frames == (
        "snippets/raises.py:5 in <module>\n  value = divide(1, 0)",
        "snippets/raises.py:2 in divide\n  return a / b",
    )


def test_fine_page_has_no_problem(broken_build: Build) -> None:
    assert broken_build.pages["fine.md"].problems == []
    assert broken_build.pages["fine.md"].shown == {"%{ok.n}": "3", "%{ok.ratio:.0%}": "50%"}


def test_strict_build_reports_everything_together_and_writes_nothing(broken: FixtureSite) -> None:
    built, site = broken.built, broken.site
    assert built.returncode == 1
    assert "livevalues found 9 problem(s); nothing was written" in built.log
    for line, words in EXPECTED:
        assert f"docs/index.md:{line}: " in built.log
        for word in words:
            assert word in built.log
    # The placeholder in the included file reached the HTML: named with the file it came from.
    assert (
        "docs/index.md:12: %{ok.n} reached the HTML unexpanded: it is in includes/fragment.md:3, included here"
        in built.log
    )
    assert not list(site.rglob("*.html"))  # no page, so no traceback, was published


@pytest.mark.slow
def test_the_command_line_fails_cleanly(tmp_path: Path) -> None:
    """The one build by the command line: exit status 1, the report, no traceback, no page written."""
    project = make_project(tmp_path / "project", BROKEN)
    result = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=project)
    assert result.returncode == 1
    assert "livevalues found 9 problem(s); nothing was written" in result.stderr
    assert "docs/index.md:3: %{raises.value}: snippet failed at snippets/raises.py:2" in result.stderr
    assert "Traceback (most recent call last)" not in result.stderr  # a clean error, not a crash
    assert not list((tmp_path / "site").rglob("*.html"))
