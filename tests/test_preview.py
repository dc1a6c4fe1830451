"""LIVEVALUES_EXECUTE=0: a prose preview (and the benchmark's plain build) runs nothing at all."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DOCS, ROOT, mkdocs, page_sources
from livevalues import Build


def test_engine_runs_nothing_and_shows_an_ellipsis() -> None:
    build = Build(ROOT, DOCS, execute=False)
    build.run(page_sources())
    assert build.results == {}
    assert (
        build.pages.fill("models/svm.md", build.pages.mark("models/svm.md", "kept %{svm.n_support} vectors"))
        == "kept … vectors"
    )
    notebooks = build.executed_notebooks()
    assert notebooks  # shown as written: cells present, no outputs
    for text in notebooks.values():
        assert text is not None
        cells = json.loads(text)["cells"]
        assert [cell.get("outputs", []) for cell in cells if cell["cell_type"] == "code"] == [
            [] for cell in cells if cell["cell_type"] == "code"
        ]


def test_preview_build_runs_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIVEVALUES_EXECUTE", "0")
    result = mkdocs("build", "--site-dir", str(tmp_path / "site"), cwd=ROOT)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "0 snippets: 0 run" in result.stderr
    assert "keeps … support vectors" in (tmp_path / "site" / "models" / "svm" / "index.html").read_text()


def test_a_strict_preview_build_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A strict build is the one that publishes (the Pages workflow): "…" must never be published."""
    monkeypatch.setenv("LIVEVALUES_EXECUTE", "0")
    result = mkdocs("build", "--strict", "--site-dir", str(tmp_path / "site"), cwd=ROOT)
    assert result.returncode == 1
    assert "LIVEVALUES_EXECUTE=0 shows every value as '…': a strict build" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()
