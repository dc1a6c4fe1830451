"""Under `mkdocs serve`, a broken snippet shows on its page, the server keeps running, a fix recovers."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import QUIET, free_port, make_project, wait_for

BROKEN = Path(__file__).parent / "broken"


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    project = make_project(tmp_path / "project", BROKEN)
    (project / "docs" / "index.md").unlink()  # only the fine page: its snippet is the one we break
    # A second page on a second snippet, to see what a save re-runs.
    (project / "snippets" / "other.py").write_text("word = 'unchanged'\n")
    (project / "docs" / "other.md").write_text("# Other\n\nThe word is %{other.word}.\n")
    port = free_port()
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=log,
        stderr=log,
        text=True,
        env={**os.environ, **QUIET, "LIVEVALUES_CACHE_DIR": str(tmp_path / "cache")},
    )
    try:
        yield project, f"http://127.0.0.1:{port}/fine/", server
    finally:
        server.terminate()
        server.wait(10)
        log.close()


def test_broken_snippet_shows_on_page_and_fix_recovers(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    project, url, server = served
    page = wait_for(url, "a half: 50%", server)
    snippet = project / "snippets" / "ok.py"
    original = snippet.read_text()

    snippet.write_text(original + "raise RuntimeError('broken on purpose')\n")
    page = wait_for(url, "This page has 2 problems; a strict build fails", server)
    assert "snippets/ok.py:3: RuntimeError: broken on purpose" in page
    assert "⚠ ok.ratio" in page

    snippet.write_text(original.replace("0.5", "0.25"))
    page = wait_for(url, "a half: 25%", server)
    assert "problem" not in page


def test_a_save_reruns_only_what_changed(served: tuple[Path, str, subprocess.Popen[str]]) -> None:
    project, url, server = served
    wait_for(url, "a half: 50%", server)
    log = project.parent / "serve.log"
    assert "2 snippets: 2 run, 0 from the cache" in log.read_text()

    (project / "docs" / "other.md").write_text("# Other\n\nReworded: the word is %{other.word}.\n")
    wait_for(url.replace("/fine/", "/other/"), "Reworded", server)
    assert log.read_text().count("2 snippets: 0 run, 2 from the cache") == 1  # prose: nothing ran

    (project / "snippets" / "ok.py").write_text("n = 3\nratio = 0.75\n")
    wait_for(url, "a half: 75%", server)
    assert "2 snippets: 1 run, 1 from the cache" in log.read_text()  # only the edited snippet
