"""LIVEVALUES_EXECUTE=0: a prose preview (and the benchmark's plain build) runs nothing at all."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import DOCS, ROOT, build_site, page_sources
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


def test_preview_build_runs_nothing(tmp_path: Path) -> None:
    built = build_site(ROOT, strict=False, site_dir=tmp_path / "site", env={"LIVEVALUES_EXECUTE": "0"})
    assert built.returncode == 0, built.log[-3000:]
    assert "0 snippets: 0 run" in built.log
    assert "keeps … support vectors" in (tmp_path / "site" / "models" / "svm" / "index.html").read_text()


def test_a_strict_preview_build_is_refused(tmp_path: Path) -> None:
    """A strict build is the one that publishes (the Pages workflow): "…" must never be published."""
    built = build_site(ROOT, site_dir=tmp_path / "site", env={"LIVEVALUES_EXECUTE": "0"})
    assert built.returncode == 1
    assert "LIVEVALUES_EXECUTE=0 shows every value as '…': a strict build" in built.log
    assert not (tmp_path / "site").exists()
