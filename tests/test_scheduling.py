"""Pages are expanded as soon as their own snippets are done, while the workers run the others.

The slow snippet here waits for a file the test creates, so each test knows exactly what is
still running; none asserts a duration.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

from livevalues import Build, Cache, SnippetResult, run_snippets

WAITS = """\
# livevalues: timeout=30
import threading
import time
from pathlib import Path

while not Path({flag!r}).exists():
    time.sleep(0.01)
value = "released"
"""


def project_with(tmp_path: Path, snippets: dict[str, str]) -> Path:
    (tmp_path / "docs").mkdir()
    (tmp_path / "snippets").mkdir()
    for name, text in snippets.items():
        (tmp_path / "snippets" / f"{name}.py").write_text(text)
    return tmp_path


def test_pages_are_converted_and_filled_while_another_pages_snippet_still_runs(tmp_path: Path) -> None:
    flag = tmp_path / "release"
    project = project_with(tmp_path, {"quick": "value = 1\n", "waits": WAITS.format(flag=str(flag))})
    build = Build(project, project / "docs")
    build.start({"a.md": "Quick: %{quick.value}", "b.md": "Waits: %{waits.value}"})

    # Converting pages to HTML (render_markdown) never waits for a snippet...
    converted = {
        src: build.render_markdown(src, text)
        for src, text in [("a.md", "Quick: %{quick.value}"), ("b.md", "Waits: %{waits.value}")]
    }
    assert "waits" not in build.results
    # ...and a page's values are filled in once its own snippets are done, while others still run.
    assert build.fill_values("a.md", converted["a.md"]) == "Quick: 1"
    assert "waits" not in build.results

    flag.touch()
    assert build.fill_values("b.md", converted["b.md"]) == "Waits: released"
    build.finish()
    assert build.problems == []


def test_a_cancelled_build_starts_no_more_snippets(tmp_path: Path) -> None:
    """A build that fails (on_build_error) cancels: the jobs no worker has started are dropped."""
    flag = tmp_path / "release"
    marks = tmp_path / "marks"
    marks.mkdir()
    starts = f"from pathlib import Path\nPath({str(marks)!r}, __file__.rsplit('/', 1)[-1]).touch()\n"
    snippets = {f"s{index:02d}": starts + WAITS.format(flag=str(flag)) for index in range(12)}
    project = project_with(tmp_path, snippets)
    build = Build(project, project / "docs")
    build.start({"index.md": " ".join(f"%{{{name}.value}}" for name in snippets)})
    build.cancel()
    flag.touch()
    time.sleep(2)  # what was already handed to the workers finishes; nothing else may start
    started = len(list(marks.iterdir()))
    assert started < len(snippets)
    time.sleep(1)
    assert len(list(marks.iterdir())) == started


def test_a_value_in_a_heading_goes_in_at_conversion(tmp_path: Path) -> None:
    """A heading's text makes its anchor and its table-of-contents entry: the value must be there."""
    project = project_with(tmp_path, {"counts": "n = 3\n"})
    build = Build(project, project / "docs")
    page = "## With %{counts.n} components\n\nBody: %{counts.n}.\n\nSetext %{counts.n}\n---\n"
    build.start({"index.md": page})
    converted = build.render_markdown("index.md", page)
    assert converted.startswith("## With 3 components\n\nBody: LIVEVALUES")
    assert "Setext 3\n---" in converted
    assert build.fill_values("index.md", converted).startswith("## With 3 components\n\nBody: 3.")
    assert build.problems == []


def test_an_engine_failure_fails_every_snippet_instead_of_hanging(tmp_path: Path) -> None:
    """The thread that feeds the workers never dies silently: a build waiting on it would hang."""

    class BrokenCache(Cache):
        def put(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("disk on fire")

    project = project_with(tmp_path, {f"s{index}": "value = 1\n" for index in range(4)})
    paths = sorted((project / "snippets").glob("*.py"))
    outcome: list[dict[str, SnippetResult]] = []
    waiter = threading.Thread(
        target=lambda: outcome.append(run_snippets(paths, project, cache=BrokenCache(project / ".cache", project))),
        daemon=True,  # should it hang, the test fails instead of hanging the suite
    )
    waiter.start()
    waiter.join(60)
    assert outcome, "run_snippets hung after an engine failure"
    (results,) = outcome
    assert {name: result.error is not None for name, result in results.items()} == dict.fromkeys(results, True)
    assert any("disk on fire" in str(result.error) for result in results.values())
    # ...and the next run gets a new pool that works.
    assert all(result.error is None for result in run_snippets(paths, project).values())
