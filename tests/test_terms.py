"""glossary_terms: each page's first paragraph as plain text, the tooltip words, the abbreviations."""

from __future__ import annotations

import re

import markdown
import pytest
from conftest import page_sources
from glossary_terms import (
    Term,
    TermError,
    abbreviations,
    collect_terms,
    extract_term,
    glossary_entries,
    math_text,
    plain_text,
    title_words,
)


@pytest.mark.parametrize(
    ("tex", "text"),
    [
        (r"Y \approx M_{\mathcal{H}}(\Phi \mid D)", "Y ≈ M_H(Φ | D)"),
        (r"\mathcal{H} = \{N\}", "H = {N}"),
        (r"f(x; \theta)", "f(x; θ)"),
        (r"\alpha \le \Omega", "α ≤ Ω"),
        (r"\unknown x", "unknown x"),
    ],
)
def test_math_text(tex: str, text: str) -> None:
    assert math_text(tex) == text


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("**A *bold* claim.**", "A bold claim."),
        ("`fit` learns `coef_`", "fit learns coef_"),
        ("see [the notation](notation.md)\nand more", "see the notation and more"),
        ("the notation $\\Phi_{i}$ here", "the notation Φ_i here"),
        ('quotes "stay" & ampersands < too', 'quotes "stay" & ampersands < too'),
    ],
)
def test_plain_text(source: str, text: str) -> None:
    assert plain_text(source) == text


PAGE = """---
terms: [widgets, Widget set]
---

# Widget (W) { #widget }

**A widget is a thing
on two lines.**

## Example { #example }
"""


def test_extract_term_reads_title_anchor_definition_line_and_words() -> None:
    term = extract_term("glossary/widget.md", PAGE, is_term=True)
    assert term == Term(
        src="glossary/widget.md",
        title="Widget (W)",
        anchor="widget",
        definition="A widget is a thing on two lines.",
        line=7,
        words=("Widget", "widget", "widgets", "Widget set"),
    )
    assert term.slug == "widget"


def test_index_pages_lend_no_tooltip_words() -> None:
    term = extract_term("models/index.md", PAGE, is_term=False)
    assert term is not None
    assert term.words == ()


@pytest.mark.parametrize(
    "source",
    ["# Title\n\n!!! note\n    An admonition first.\n", "# Title\n\n| a | b |\n", "# Title\n", "No title.\n"],
)
def test_pages_without_a_definition_paragraph(source: str) -> None:
    assert extract_term("x.md", source, is_term=True) is None


def test_a_computed_value_in_the_definition_is_reported_at_its_line() -> None:
    with pytest.raises(TermError, match=r"^docs/models/x\.md:3: the definition paragraph holds a computed value"):
        extract_term("models/x.md", "# X { #x }\n\n**X learns %{x.n} things.**\n", is_term=True)


def test_bad_front_matter_terms_are_reported() -> None:
    with pytest.raises(TermError, match=r"^docs/x\.md:1: front matter `terms:` \['a\]b'\]"):
        extract_term("x.md", "---\nterms: ['a]b']\n---\n# X\n\nX is.\n", is_term=True)


@pytest.mark.parametrize(
    ("title", "words"),
    [
        ("Hyperparameter", ["Hyperparameter", "hyperparameter"]),
        ("Neural network (MLP)", ["Neural network", "neural network"]),
        ("k-means", ["k-means"]),
        ("SVM", ["SVM"]),
        ("GMM: the number of components", []),
        ("random_state", []),
    ],
)
def test_title_words(title: str, words: list[str]) -> None:
    assert title_words(title) == words


def test_a_word_two_pages_claim_is_an_error() -> None:
    terms, errors = collect_terms(
        {"a.md": "# Thing\n\nA thing.\n", "b.md": "---\nterms: [thing]\n---\n# Other\n\nAn other.\n"}
    )
    assert [term.src for term in terms] == ["a.md", "b.md"]
    assert [str(error) for error in errors] == [
        "docs/b.md:6: tooltip word 'thing' is already the term of docs/a.md; remove it from one page's title or `terms:`"
    ]


def test_abbreviations_become_tooltips_through_the_abbr_extension() -> None:
    terms, _ = collect_terms({"glossary/widget.md": PAGE})
    html = markdown.markdown("Two widgets and a Widget set.\n\n" + abbreviations(terms), extensions=["abbr"])
    title = "A widget is a thing on two lines."
    assert html == f'<p>Two <abbr title="{title}">widgets</abbr> and a <abbr title="{title}">Widget set</abbr>.</p>'


def test_abbreviations_never_hold_a_placeholder() -> None:
    term = Term("x.md", "X", "x", "Costs 100%{of} it.", 1, ("X",))
    assert "%{" not in abbreviations([term])


def test_glossary_entries_skip_index_pages() -> None:
    terms, _ = collect_terms({"glossary/widget.md": PAGE, "glossary/index.md": "# All\n\nEvery page.\n"})
    urls = {"glossary/widget.md": "https://x.test/g/glossary/widget/"}
    assert glossary_entries(terms, urls) == [
        {
            "slug": "widget",
            "title": "Widget (W)",
            "definition": "A widget is a thing on two lines.",
            "url": "https://x.test/g/glossary/widget/#widget",
            "source": "docs/glossary/widget.md",
        }
    ]


def test_every_page_of_the_site_opens_with_a_definition() -> None:
    terms, errors = collect_terms(page_sources())
    assert [str(error) for error in errors] == []
    assert sorted(term.src for term in terms) == sorted(page_sources())


@pytest.mark.parametrize("src", sorted(src for src in page_sources() if not src.endswith("index.md")))
def test_each_term_page_opens_with_one_sentence(src: str) -> None:
    term = extract_term(src, page_sources()[src], is_term=True)
    assert term is not None
    assert term.definition.endswith("."), term.definition
    assert not re.search(r"[.!?] [A-Z]", term.definition), f"docs/{src}:{term.line}: more than one sentence"
