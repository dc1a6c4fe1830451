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
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        text=True,
        env={**os.environ, **QUIET},
    )
    try:
        yield project, f"http://127.0.0.1:{port}/fine/", server
    finally:
        server.terminate()
        server.wait(10)


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
