"""Pages are expanded as soon as their own snippets are done, while the workers run the others.

The slow snippet here waits for a file the test creates, so each test knows exactly what is
still running; none asserts a duration.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

import pytest
from livevalues import Build, Cache, SnippetResult, pool, run_snippets

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
    build.start({"a.md": "Quick: %{quick.value}", "b.md": "Waits: %{waits.value:s}"})

    # Converting pages to HTML (render_markdown) never waits for a snippet...
    converted = {
        src: build.pages.mark(src, text)
        for src, text in [("a.md", "Quick: %{quick.value}"), ("b.md", "Waits: %{waits.value:s}")]
    }
    assert "waits" not in build.results
    # ...and a page's values are filled in once its own snippets are done, while others still run.
    assert build.pages.fill("a.md", converted["a.md"]) == "Quick: 1"
    assert "waits" not in build.results

    flag.touch()
    assert build.pages.fill("b.md", converted["b.md"]) == "Waits: released"
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
    converted = build.pages.mark("index.md", page)
    assert converted.startswith("## With 3 components\n\nBody: LIVEVALUES")
    assert "Setext 3\n---" in converted
    assert build.pages.fill("index.md", converted).startswith("## With 3 components\n\nBody: 3.")
    assert build.problems == []


def test_an_engine_failure_fails_every_snippet_instead_of_hanging(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The thread that feeds the workers never dies silently: a build waiting on it would hang."""

    def broken(self: object) -> None:
        raise RuntimeError("engine bug")

    project = project_with(tmp_path, {f"s{index}": "value = 1\n" for index in range(4)})
    paths = sorted((project / "snippets").glob("*.py"))
    outcome: list[dict[str, SnippetResult]] = []
    with monkeypatch.context() as patch:
        patch.setattr(pool._Pool, "_feed", broken)
        waiter = threading.Thread(
            target=lambda: outcome.append(run_snippets(paths, project)),
            daemon=True,  # should it hang, the test fails instead of hanging the suite
        )
        waiter.start()
        waiter.join(60)
    assert outcome, "run_snippets hung after an engine failure"
    (results,) = outcome
    assert {name: result.error is not None for name, result in results.items()} == dict.fromkeys(results, True)
    assert all("engine bug" in str(result.error) for result in results.values())
    # ...and the next run gets a new pool that works.
    assert all(result.error is None for result in run_snippets(paths, project).values())


def test_a_result_that_cannot_be_stored_costs_only_its_cache_entry(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A cache that raises (a bug, a full disk) is a warning naming the snippet; every value arrives."""

    class BrokenCache(Cache):
        def put(self, *args: object, **kwargs: object) -> None:
            raise RuntimeError("disk on fire")

    project = project_with(tmp_path, {f"s{index}": f"value = {index}\n" for index in range(4)})
    paths = sorted((project / "snippets").glob("*.py"))
    with caplog.at_level(logging.ERROR, logger="livevalues"):
        results = run_snippets(paths, project, cache=BrokenCache(project / ".cache", project))
    assert {name: result.values["value"]["value"] for name, result in results.items()} == {
        f"s{index}": index for index in range(4)
    }
    assert sorted(caplog.messages) == [
        f"livevalues: could not cache the result of snippets/s{index}.py" for index in range(4)
    ]


def test_a_value_too_big_to_store_is_its_own_problem_only(tmp_path: Path) -> None:
    """An int Python will not write as text (or store as JSON), in a snippet that shows other values."""
    project = project_with(tmp_path, {"huge": "n = 2**20000\nsmall = 3\n", "other": "value = 1\n"})
    page = "Small: %{huge.small}, other: %{other.value}.\n\nHuge: %{huge.n}.\n"
    for _ in range(2):  # computed, then from the cache: the same
        build = Build(project, project / "docs", cache=Cache(project / ".cache", project))
        build.run({"index.md": page})
        html = build.pages.fill("index.md", build.pages.mark("index.md", page))
        assert html.startswith("Small: 3, other: 1.")
        assert [str(problem) for problem in build.problems] == [
            "docs/index.md:3: %{huge.n}: huge.n cannot be shown: an int of about 6,020 digits, too long to show"
        ]
    assert build.summary() == "2 snippets: 0 run, 2 from the cache"


def test_stopped_workers_have_exited_and_the_next_submit_starts_new_ones(tmp_path: Path) -> None:
    """What the benchmark relies on to count the workers' CPU time: stop_workers returns once they are gone."""
    (tmp_path / "pid.py").write_text("import os\nworker = os.getppid()\n")
    first = run_snippets([tmp_path / "pid.py"], tmp_path)["pid"].values["worker"]["value"]
    pool.stop_workers()
    assert pool._pool is None
    assert not Path(f"/proc/{first}").exists()  # exited and reaped by the forkserver
    second = run_snippets([tmp_path / "pid.py"], tmp_path)["pid"].values["worker"]["value"]
    assert second != first
