"""The scaffold command: a new term's page, snippet and registrations build strictly, as they are."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, Built, build_site, built_page, page_sources
from new_term import STUB_DEFINITION, add_to_nav, slugs


@pytest.mark.parametrize(
    ("name", "kebab", "snake"),
    [
        ("Learning rate", "learning-rate", "learning_rate"),
        ("k-fold CV", "k-fold-cv", "k_fold_cv"),
        ("Ünïcode término ☃", "unicode-termino", "unicode_termino"),
        ("Régularisation L²", "regularisation-l2", "regularisation_l2"),
        ("ﬁne-tuning", "fine-tuning", "fine_tuning"),
    ],
)
def test_slugs(name: str, kebab: str, snake: str) -> None:
    assert slugs(name) == (kebab, snake)


@pytest.mark.parametrize("name", ["☃", "  -- ", "日本語"])
def test_a_name_with_nothing_left_for_a_file_name_is_an_error(name: str) -> None:
    with pytest.raises(ValueError, match="has no letters or digits to make a file name from"):
        slugs(name)


def test_nav_entry_goes_at_the_end_of_the_glossary_section() -> None:
    config = (
        "nav:\n  - Home: index.md\n  - Glossary:\n      - glossary/index.md\n      - A: glossary/a.md\n  - Models:\n"
    )
    assert add_to_nav(config, "B: two", "glossary/b.md") == (
        'nav:\n  - Home: index.md\n  - Glossary:\n      - glossary/index.md\n      - A: glossary/a.md\n      - "B: two": glossary/b.md\n  - Models:\n'
    )


# The term the scaffold tests create in a copy of the repository: one no real page will take
# ("Learning rate", the example in CONTRIBUTING.md, has its own page now).
NAME, SLUG, SNAKE = "Example term", "example-term", "example_term"


def test_no_page_keeps_the_stub_definition() -> None:
    stub = [src for src, text in page_sources().items() if STUB_DEFINITION in text]
    assert stub == [], "write the one-sentence definition of these pages"


@pytest.fixture(scope="module")
def scaffolded(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Built]:
    """A copy of the repository with a term scaffolded by the real command, then built strictly.

    The build shares the repository's results cache (its keys hold for a copy): only the new
    term's snippet runs.
    """
    root = tmp_path_factory.mktemp("repo")
    for name in ("docs", "snippets", "hooks", "overrides", "tests"):
        shutil.copytree(ROOT / name, root / name, ignore=shutil.ignore_patterns("__pycache__", "__snapshots__"))
    shutil.copy(ROOT / "mkdocs.yml", root)
    assert not (root / "docs" / "glossary" / f"{SLUG}.md").exists(), f"pick another NAME: {SLUG}.md exists"
    command = [sys.executable, str(root / "hooks" / "new_term.py"), NAME]
    result = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    again = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 1
    assert again.stderr == f"new_term: docs/glossary/{SLUG}.md exists already\n"
    cache = os.environ.get("LIVEVALUES_CACHE_DIR", str(ROOT / ".cache" / "livevalues"))
    return root, build_site(root, env={"LIVEVALUES_CACHE_DIR": cache})


def test_scaffolded_term_builds_strictly_with_its_values(
    scaffolded: tuple[Path, Built],
) -> None:
    root, built = scaffolded
    assert built.returncode == 0, built.log[-3000:]
    html = built_page(root / "site", f"glossary/{SLUG}/").read_text(encoding="utf-8")
    assert "The model learned 12 coefficients from 4 features." in html
    assert f'<h1 id="{SLUG}">' in html
    terms = json.loads((root / "site/glossary.json").read_text(encoding="utf-8"))["terms"]
    entry = next(e for e in terms if e["slug"] == SLUG)
    assert (entry["title"], entry["kind"]) == (NAME, "term")
    # The A–Z lists it, though the scaffold never touched the A–Z page.
    assert (root / "docs/glossary/index.md").read_bytes() == (ROOT / "docs/glossary/index.md").read_bytes()
    assert f'<a href="{SLUG}/">{NAME}</a>' in built_page(root / "site", "glossary/").read_text(encoding="utf-8")


def test_scaffolded_snippet_runs_warning_free(scaffolded: tuple[Path, Built]) -> None:
    root, _ = scaffolded
    run = subprocess.run(
        [sys.executable, "-W", "error", str(root / "snippets" / f"{SNAKE}.py")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 0, run.stderr


def test_scaffolded_urls_are_published(scaffolded: tuple[Path, Built]) -> None:
    root, _ = scaffolded
    published = (root / "tests" / "published-urls.txt").read_text(encoding="utf-8").splitlines()
    assert published[-4:] == [
        f"glossary/{SLUG}/",
        f"glossary/{SLUG}/#{SLUG}",
        f"glossary/{SLUG}/#example",
        f"glossary/{SLUG}/#see-also",
    ]
