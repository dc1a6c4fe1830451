"""Shared fixtures: the real docs rendered once through the engine, and a helper to build sites."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from livevalues import Build

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
HOOK = ROOT / "hooks" / "mkdocs_hook.py"
QUIET = {"NO_MKDOCS_2_WARNING": "1", "DISABLE_MKDOCS_2_WARNING": "true"}


def page_sources(docs: Path = DOCS) -> dict[str, str]:
    return {path.relative_to(docs).as_posix(): path.read_text(encoding="utf-8") for path in sorted(docs.rglob("*.md"))}


@pytest.fixture(scope="session")
def rendered() -> Build:
    """Every page of the site through the same engine calls the MkDocs hook makes."""
    build = Build(ROOT, DOCS)
    sources = page_sources()
    build.run(sources)
    for src, markdown in sources.items():
        build.render_markdown(src, markdown)
    return build


def mkdocs(*args: str, cwd: Path, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run the real MkDocs CLI (never with -q: quiet mode hides the warnings --strict counts)."""
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, **QUIET},
    )


def make_project(where: Path, fixture: Path, extra_config: str = "") -> Path:
    """A small MkDocs project in `where`: the fixture's docs, snippets and includes, our hook."""
    for folder in ("docs", "snippets", "includes"):
        if (fixture / folder).is_dir():
            shutil.copytree(fixture / folder, where / folder)
    (where / "mkdocs.yml").write_text(
        f"""site_name: fixture
theme:
  name: material
  font: false
hooks:
  - {HOOK}
watch:
  - snippets
markdown_extensions:
  - admonition
  - attr_list
  - pymdownx.superfences
  - pymdownx.snippets:
      base_path: [snippets, includes]
      check_paths: true
{extra_config}""",
        encoding="utf-8",
    )
    return where
