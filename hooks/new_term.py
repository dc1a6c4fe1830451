"""Scaffold a new glossary term: page, snippet, nav entry and published URLs.

    .venv/bin/python hooks/new_term.py "Learning rate"

writes docs/glossary/learning-rate.md and snippets/learning_rate.py, adds the page to mkdocs.yml's
Glossary nav, and lists its URLs in tests/published-urls.txt. The A–Z lists the page by itself
(it is generated from the pages, see glossary_az.py). The snippet's test case comes with it:
tests/test_snippets.py runs every snippet and pins every value a page shows (accept the new values
with --snapshot-update). Then replace the stub definition.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# tests/test_terms.py fails while a page still holds this sentence: the scaffold builds, but
# cannot be merged until someone has written the definition.
STUB_DEFINITION = "Write the one-sentence definition here: what it is, and whether you set it or `fit` learns it."


def slugs(name: str) -> tuple[str, str]:
    """("learning-rate", "learning_rate"): kebab-case for the URL, snake_case for the snippet."""
    # Accents and compatibility forms folded to ASCII first: "Ünïcode término" -> unicode-termino.
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    words = re.findall(r"[a-z0-9]+", ascii_name.lower())
    if not words:
        raise ValueError(f"{name!r} has no letters or digits to make a file name from")
    return "-".join(words), "_".join(words)


def page_text(name: str, slug: str, snake: str) -> str:
    return f"""# {name} {{ #{slug} }}

**{STUB_DEFINITION}**

*Also called:* other names for it, if any.

## Example {{ #example }}

```python
--8<-- "{snake}.py:example"
```

The model learned %{{{snake}.n_coef}} coefficients from %{{{snake}.n_features}} features.

## See also {{ #see-also }}

- [Hyperparameter](hyperparameter.md) · [Parameter](parameter.md)
"""


def snippet_text(name: str) -> str:
    return f'''"""{name}: what the page shows, computed (replace this example with the term's own)."""

from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression

X, y = load_iris(return_X_y=True)

# --8<-- [start:example]
model = LogisticRegression(max_iter=1000).fit(X, y)
# --8<-- [end:example]

n_features = X.shape[1]
n_coef = model.coef_.size

# Claims the page makes
assert n_coef == len(model.classes_) * n_features
'''


def add_to_nav(config: str, name: str, page: str) -> str:
    """Append `- name: page` to the end of the Glossary section of mkdocs.yml's nav."""
    lines = config.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if re.match(r"^  - Glossary:\s*$", line)), None)
    if start is None:
        raise ValueError("mkdocs.yml has no '  - Glossary:' section in nav")
    end = start + 1
    while end < len(lines) and lines[end].startswith("      "):
        end += 1
    lines.insert(end, f"      - {_yaml_key(name)}: {page}\n")
    return "".join(lines)


def add_published(published: str, url: str, anchors: list[str]) -> str:
    return published.rstrip("\n") + "\n" + "".join(f"{url}{a}\n" for a in ["", *(f"#{a}" for a in anchors)])


def scaffold(name: str, root: Path = ROOT) -> list[Path]:
    """Create the term's files and register the page; returns the files written or changed."""
    slug, snake = slugs(name)
    page = root / "docs" / "glossary" / f"{slug}.md"
    snippet = root / "snippets" / f"{snake}.py"
    for path in (page, snippet):
        if path.exists():
            raise FileExistsError(f"{path.relative_to(root)} exists already")
    config, published = root / "mkdocs.yml", root / "tests/published-urls.txt"
    new_config = add_to_nav(config.read_text(encoding="utf-8"), name, f"glossary/{slug}.md")
    new_published = add_published(
        published.read_text(encoding="utf-8"), f"glossary/{slug}/", [slug, "example", "see-also"]
    )
    page.write_text(page_text(name, slug, snake), encoding="utf-8")
    snippet.write_text(snippet_text(name), encoding="utf-8")
    config.write_text(new_config, encoding="utf-8")
    published.write_text(new_published, encoding="utf-8")
    return [page, snippet, config, published]


def _yaml_key(name: str) -> str:
    return f'"{name}"' if re.search(r"[:#{}\[\],&*?|<>=!%@`'\"]", name) else name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("name", help='the term as its page title shows it, e.g. "Learning rate"')
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    try:
        written = scaffold(args.name, args.root)
    except (ValueError, FileExistsError) as error:
        print(f"new_term: {error}", file=sys.stderr)
        return 1
    for path in written:
        print(f"wrote {path.relative_to(args.root)}")
    slug, snake = slugs(args.name)
    print(
        f"\nNext: write the definition in docs/glossary/{slug}.md and the example in snippets/{snake}.py,\n"
        "look at it with .venv/bin/mkdocs serve, then pin its values:\n"
        "  .venv/bin/pytest tests/test_snippets.py --snapshot-update && .venv/bin/pytest"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
