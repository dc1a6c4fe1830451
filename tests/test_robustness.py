"""Hostile snippets: each is reported precisely, nothing else is affected, the source tree is untouched.

The snippets live in tests/fixtures/robust/: one per failure mode, plus one that meddles with process
state and one that checks nothing leaked into it.
"""

from __future__ import annotations

import contextlib
import os
import time
from pathlib import Path

import pytest
from conftest import FIXTURES, FixtureSite, build_fixture, build_site, dev_server, make_project, wait_for
from livevalues import Build

ROBUST = FIXTURES / "robust"

# (line in docs/index.md, words its message must contain)
EXPECTED = [
    (3, ["snippets/loops.py:4", "timed out after 1 s", "# livevalues: timeout=SECONDS"]),
    (4, ["snippets/exits.py:3", "called sys.exit(3)"]),
    (5, ["snippets/hard_exit.py", "exited with code 7 before reporting"]),
    (6, ["snippets/kills_itself.py", "killed by signal SIGKILL"]),
    (7, ["snippets/prints_megabytes.py:2", "printed more than 1,000,000 characters", "max_output"]),
    (8, ["snippets/allocates.py:4", "MemoryError: allocated more than 200 MB", "max_memory_mb"]),
    (9, ["snippets/imports_missing.py:1", "ModuleNotFoundError: No module named 'sklearn_does_not_exist'"]),
    (10, ["snippets/converges_badly.py:5", "ConvergenceWarning: lbfgs failed to converge"]),
    (12, ["snippets/kills_its_worker.py", "the worker process that forked it was killed by signal SIGKILL"]),
    (13, ["snippets/starts_and_hangs.py:9", "timed out after 1 s"]),
]
ORPHAN_MARKER = "livevalues-orphan-check"  # in the command line of the processes two snippets start


@pytest.fixture(scope="module")
def robust(tmp_path_factory: pytest.TempPathFactory) -> FixtureSite:
    return build_fixture(tmp_path_factory.mktemp("robust"), ROBUST)


@pytest.fixture(scope="module")
def hostile_build(robust: FixtureSite) -> Build:
    return robust.build


@pytest.mark.parametrize(("line", "words"), EXPECTED, ids=[words[0] for _, words in EXPECTED])
def test_each_failure_is_reported_with_page_and_snippet(hostile_build: Build, line: int, words: list[str]) -> None:
    (problem,) = [p for p in hostile_build.pages["index.md"].problems if p.location == f"docs/index.md:{line}"]
    for word in words:
        assert word in str(problem)


def test_no_other_snippet_is_affected(hostile_build: Build) -> None:
    """`meddles` changes cwd, environment, scikit-learn config and numpy state; `observes` sees none of it."""
    assert hostile_build.pages["fine.md"].problems == []
    shown = hostile_build.pages["fine.md"].shown
    assert [shown[f"%{{observes.{name}}}"] for name in ("cwd_is_scratch", "env_untouched", "config_untouched")] == [
        "True"
    ] * 3
    assert shown["%{observes.printoptions_untouched}"] == "True"
    assert hostile_build.results["meddles"].error is None
    assert "LIVEVALUES_MEDDLED" not in os.environ  # nor did it reach this process


def test_processes_a_snippet_starts_end_with_it(hostile_build: Build) -> None:
    """Killed with the snippet's process group: after a timeout, and when the snippet ended normally."""
    assert hostile_build.results["leaves_a_process"].error is None
    assert hostile_build.results["starts_and_hangs"].error is not None
    deadline = time.monotonic() + 10  # SIGKILL is sent before the result is reported; give the kernel a moment
    while _processes_with(ORPHAN_MARKER) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert _processes_with(ORPHAN_MARKER) == []


def _processes_with(marker: str) -> list[int]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        with contextlib.suppress(OSError):
            if marker.encode() in cmdline.read_bytes():
                found.append(int(cmdline.parent.name))
    return found


def test_a_worker_killed_by_a_snippet_is_replaced(hostile_build: Build) -> None:
    """The next snippets run in a new worker: every snippet of the fixture has a result."""
    assert set(hostile_build.results) >= {"observes", "meddles", "leaves_a_process", "kills_its_worker"}
    assert hostile_build.pages["fine.md"].problems == []


def test_strict_build_fails_with_all_of_them_and_leaves_the_source_tree_alone(robust: FixtureSite) -> None:
    built, site, untouched = robust.built, robust.site, robust.untouched
    assert built.returncode == 1
    assert f"livevalues found {len(EXPECTED)} problem(s); nothing was written" in built.log
    for line, words in EXPECTED:
        assert f"docs/index.md:{line}: " in built.log
        assert words[0] in built.log
    assert not list(site.rglob("*.html"))
    assert untouched


def test_injected_text_and_output_are_escaped(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ROBUST)
    (project / "docs" / "index.md").unlink()
    built = build_site(project, site_dir=tmp_path / "site")
    assert built.returncode == 0, built.log
    page = (tmp_path / "site" / "fine" / "index.html").read_text()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; &amp; *stars*" in page
    assert "&lt;script&gt;document.title = &#x27;owned&#x27;&lt;/script&gt;" in page
    assert "<script>alert" not in page
    assert "<script>document.title" not in page


@pytest.mark.slow
def test_dev_server_survives_every_failure(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ROBUST)
    with dev_server(project) as (url, server):
        page = wait_for(url, f"This page has {len(EXPECTED)} problems", server)
        assert "snippets/kills_itself.py" in page
        assert "Traceback (most recent call last)" not in page
        wait_for(url + "fine/", "Scratch: True", server)
        (project / "snippets" / "exits.py").write_text("value = 'fixed'\n")  # the next save recovers
        wait_for(url, "Exits: fixed", server)


def test_limits_can_be_set_for_the_whole_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project", ROBUST, extra_config="extra:\n  livevalues:\n    max_output: 10\n")
    (project / "docs" / "index.md").unlink()
    built = build_site(project, site_dir=tmp_path / "site")
    assert built.returncode == 1
    assert "docs/fine.md:8: %{observes.stdout}: snippet failed at snippets/observes.py:12" in built.log
    assert "printed more than 10 characters" in built.log


def test_a_bad_site_wide_setting_stops_the_build_at_mkdocs_yml(tmp_path: Path) -> None:
    """The wiring; what makes a setting bad is in test_settings.py."""
    project = make_project(tmp_path / "project", ROBUST, extra_config="extra:\n  livevalues:\n    timeuot: 5\n")
    built = build_site(project, site_dir=tmp_path / "site")
    assert built.returncode == 1
    assert "mkdocs.yml: extra.livevalues: unknown livevalues setting(s) ['timeuot']" in built.log
    assert not (tmp_path / "site").exists()
