"""The glossary from the pages: each page's first paragraph as plain text, the term words, term
links, the A–Z, glossary.json and the build's provenance."""

from __future__ import annotations

import datetime
import json
import posixpath
import re
import sys
from html import unescape
from html.parser import HTMLParser
from importlib import metadata
from typing import Any

import jsonschema
import markdown
import pytest
from conftest import DOCS, PageFacts, ServedSite, built_page, page_sources
from glossary_az import MARKER, a_to_z, fill, letter
from glossary_terms import (
    Term,
    TermError,
    collect_terms,
    extract_term,
    glossary_document,
    math_text,
    notebook_term,
    plain_text,
    source_url,
    title_words,
)
from provenance import build_date, provenance
from term_links import TermLinks


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
        aliases=("widgets", "Widget set"),
    )
    assert term.slug == "widget"
    assert term.kind == "term"


@pytest.mark.parametrize(
    ("src", "kind"),
    [
        ("glossary/widget.md", "term"),
        ("models/svm.md", "model"),
        ("edge-cases/random-state.md", "edge case"),
        ("notebooks/a-b.ipynb", "worked example"),
        ("glossary/index.md", ""),
        ("index.md", ""),
        ("about.md", ""),
    ],
)
def test_kind_comes_from_the_folder(src: str, kind: str) -> None:
    assert Term(src, "T", "", "D.", 1, ()).kind == kind


def test_index_pages_lend_no_term_words() -> None:
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


def test_a_computed_value_in_the_title_is_reported_at_its_line() -> None:
    """Not at the A–Z page, where the unexpanded title would otherwise surface."""
    source = "---\nterms: [x]\n---\n\n# X %{x.n} { #x }\n\n**X is a thing.**\n"
    with pytest.raises(TermError, match=r"^docs/glossary/x\.md:5: the title holds a computed value"):
        extract_term("glossary/x.md", source, is_term=True)


@pytest.mark.parametrize(
    ("front_matter", "error"),
    [
        ("terms: ['a]b']", r"^docs/x\.md:2: front matter `terms:` \['a\]b'\]"),
        ("title: X\nterms: thing", r"^docs/x\.md:3: front matter `terms:` must be a list of words$"),
        (
            "title: X\nterms: [epochs",
            r"^docs/x\.md:3: front matter is not valid YAML: while parsing a flow sequence, "
            r"expected ',' or '\]', but got '<stream end>'$",
        ),
        (
            "title: X\n  bad: indent",
            r"^docs/x\.md:3: front matter is not valid YAML: mapping values are not allowed here$",
        ),
    ],
)
def test_bad_front_matter_is_reported_at_its_line(front_matter: str, error: str) -> None:
    with pytest.raises(TermError, match=error):
        extract_term("x.md", f"---\n{front_matter}\n---\n# X\n\nX is.\n", is_term=True)


def test_malformed_front_matter_is_a_term_error_of_its_page_not_a_crash() -> None:
    terms, errors = collect_terms({"a.md": "---\nterms: [epochs\n---\n# A\n\nA is.\n", "b.md": "# B\n\nB is.\n"})
    assert [term.src for term in terms] == ["b.md"]
    assert [error.location for error in errors] == ["docs/a.md:2"]


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
        "docs/b.md:6: term word 'thing' is already the term of docs/a.md; remove it from one page's title or `terms:`"
    ]


@pytest.mark.parametrize(
    ("a", "b", "error"),
    [
        ("# Epoch\n\nAn epoch.\n", "---\nterms: [Epochs, epoch]\n---\n# LR\n\nA rate.\n", "'epoch'"),
        (
            "---\nterms: [epochs]\n---\n# Epoch\n\nAn epoch.\n",
            "---\nterms: [Epochs]\n---\n# LR\n\nA rate.\n",
            "'Epochs'",
        ),
        ("---\nterms: [SVM]\n---\n# Machine\n\nA machine.\n", "---\nterms: [svm]\n---\n# LR\n\nA rate.\n", "'svm'"),
    ],
)
def test_a_word_two_pages_claim_in_any_case_is_an_error(a: str, b: str, error: str) -> None:
    _, errors = collect_terms({"a.md": a, "b.md": b})
    assert [str(found) for found in errors] == [
        f"docs/b.md:6: term word {error} is already the term of docs/a.md; remove it from one page's title or `terms:`"
    ]


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("models/svm.md", "edge-cases/svm.md"),
        ("glossary/epoch.md", "models/epoch.md"),
    ],
)
def test_two_glossary_pages_with_one_slug_are_an_error(a: str, b: str) -> None:
    _, errors = collect_terms({a: "# One { #svm }\n\nOne.\n", b: "# Two { #svm }\n\nTwo.\n"})
    first, second = sorted([a, b])
    assert [str(error) for error in errors] == [
        f"docs/{second}:3: slug 'svm' (glossary.json's id of a page) is also the slug of docs/{first}: "
        "give one page another title anchor or file name"
    ]


def test_pages_that_are_no_glossary_entry_may_share_a_slug() -> None:
    _, errors = collect_terms({"glossary/index.md": "# A\n\nA.\n", "models/index.md": "# B\n\nB.\n"})
    assert errors == []


@pytest.mark.parametrize(
    ("terms", "error"),
    [("[epochs, Epochs]", "'Epochs' is 'epochs' again"), ("[epoch]", "'epoch' is 'Epoch' again")],
)
def test_a_case_variant_in_terms_is_redundant(terms: str, error: str) -> None:
    with pytest.raises(TermError, match=rf"^docs/x\.md:2: front matter `terms:` {error}: term words match in any case"):
        extract_term("x.md", f"---\nterms: {terms}\n---\n# Epoch\n\nAn epoch.\n", is_term=True)


def test_acronyms_may_list_their_lowercase_form_and_plural() -> None:
    term = extract_term("x.md", "---\nterms: [SVMs, svm]\n---\n# SVM\n\nAn SVM.\n", is_term=True)
    assert term is not None
    assert term.words == ("SVM", "SVMs", "svm")


NOTEBOOK = """# %% [markdown]
# # Exploring widgets
#
# **A widget notebook fits $\\alpha$ widgets.**
#
# More text.

# %%
x = 1
"""


def test_a_notebook_page_takes_its_definition_from_its_first_markdown_cell() -> None:
    term = notebook_term("notebooks/widgets.ipynb", "notebooks/widgets.py", NOTEBOOK)
    assert term == Term(
        src="notebooks/widgets.ipynb",
        title="Exploring widgets",
        anchor="",
        definition="A widget notebook fits α widgets.",
        line=4,
        words=("Exploring widgets", "exploring widgets"),
        source="notebooks/widgets.py",
    )
    assert (term.kind, term.slug) == ("worked example", "widgets")


def test_a_notebooks_problem_names_its_source_file_and_line() -> None:
    source = NOTEBOOK.replace("fits $\\alpha$", "fits %{widgets.n}")
    terms, errors = collect_terms({}, {"notebooks/widgets.ipynb": ("notebooks/widgets.py", source)})
    assert terms == []
    assert [error.location for error in errors] == ["docs/notebooks/widgets.py:4"]


def test_every_notebook_page_opens_with_a_definition() -> None:
    for path in sorted((DOCS / "notebooks").glob("[!_]*.py")):
        src = f"notebooks/{path.stem.replace('_', '-')}.ipynb"
        term = notebook_term(src, f"notebooks/{path.name}", path.read_text(encoding="utf-8"))
        assert term is not None, path
        assert term.definition.endswith("."), term.definition


# Term links: the first mention of a term in each section links to its page, the definition as title.

WIDGET = Term("glossary/widget.md", "Widget", "widget", "A widget is a thing.", 3, ("Widget", "widget", "widgets"))
GADGET = Term("models/gadget.md", "Gadget", "gadget", 'A "gadget" holds widgets.', 3, ("gadget", "gadget set"))
TERMS_ = [WIDGET, GADGET]


def linked(text: str, page: str = "models/other.md") -> str:
    return str(
        markdown.markdown(text, extensions=[TermLinks(TERMS_, page), "toc", "admonition", "pymdownx.arithmatex"])
    )


def link(text: str, href: str, title: str) -> str:
    return f'<a class="term-link" href="{href}" title="{title}">{text}</a>'


def test_the_first_mention_in_each_section_links_to_the_term() -> None:
    html = linked("A widget, two widgets and a gadget set.\n\nAnother widget.\n\n## Next\n\nA widget again.")
    widget = link("widget", "../glossary/widget.md", "A widget is a thing.")
    gadget = link("gadget set", "gadget.md", "A &quot;gadget&quot; holds widgets.")
    assert html == (
        f"<p>A {widget}, two widgets and a {gadget}.</p>\n<p>Another widget.</p>\n"
        f'<h2 id="next">Next</h2>\n<p>A {widget} again.</p>'
    )


ACRONYM = Term("models/svm.md", "SVM", "svm", "An SVM.", 3, ("SVM", "SVMs"))
WIDGET_SET = Term("glossary/widget-set.md", "Widget set", "widget-set", "A set.", 3, ("Widget set", "widget set"))


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "Widgets are fine.",
            '<p><a class="term-link" href="../glossary/widget.md" title="A widget is a thing.">Widgets</a> are fine.</p>',
        ),
        (
            "WIDGET, widget.",
            '<p><a class="term-link" href="../glossary/widget.md" title="A widget is a thing.">WIDGET</a>, widget.</p>',
        ),
        (
            "Gadget Set here.",
            '<p><a class="term-link" href="gadget.md" title="A &quot;gadget&quot; holds widgets.">Gadget Set</a> here.</p>',
        ),
        (
            "A WIDGET SET.",
            '<p>A <a class="term-link" href="../glossary/widget-set.md" title="A set.">WIDGET SET</a>.</p>',
        ),
        (
            "svm and Svm, then SVMs.",
            '<p>svm and Svm, then <a class="term-link" href="svm.md" title="An SVM.">SVMs</a>.</p>',
        ),
    ],
)
def test_term_words_match_in_any_case_but_acronyms_only_as_written(text: str, html: str) -> None:
    extensions = [TermLinks([*TERMS_, ACRONYM, WIDGET_SET], "models/other.md")]
    assert markdown.markdown(text, extensions=extensions) == html


@pytest.mark.parametrize(
    "text",
    [
        "# A widget",
        "## The widget { #w }",
        "`widget`",
        "```\nwidget\n```",
        "[a widget](https://example.org)",
        "<a href='x'>widget</a>",
        "$widget$",
        "a widgetry and a pre-widget and widget-like",
        '!!! note "A widget"\n    Text.',
    ],
)
def test_no_link_in_headings_links_code_math_admonition_titles_or_inside_words(text: str) -> None:
    assert "term-link" not in linked(text)


@pytest.mark.parametrize(
    "table",
    ["| widget | gadget |\n|---|---|\n| a widget | a gadget |", "<table><tr><th>widget</th></tr></table>\n\na widget"],
)
def test_table_header_cells_hold_no_link_but_the_cells_below_do(table: str) -> None:
    html = markdown.markdown(table, extensions=[TermLinks(TERMS_, "models/other.md"), "tables", "md_in_html"])
    assert html.count('class="term-link"') == (2 if "gadget" in table else 1)
    assert not re.search(r"<th[^>]*>[^<]*<a ", html)


def test_raw_html_links_and_code_hold_no_link_but_the_text_after_them_does() -> None:
    html = linked("<a href='x'>one **widget**</a> <code>gadget</code> <img src='i.png'> a widget, a gadget.")
    widget = link("widget", "../glossary/widget.md", "A widget is a thing.")
    gadget = link("gadget", "gadget.md", "A &quot;gadget&quot; holds widgets.")
    assert html == (
        f"<p><a href='x'>one <strong>widget</strong></a> <code>gadget</code> <img src='i.png'> a {widget}, a {gadget}.</p>"
    )


def test_no_link_on_the_terms_own_page() -> None:
    html = linked("A widget is a gadget.", page="glossary/widget.md")
    assert (
        html == f"<p>A widget is a {link('gadget', '../models/gadget.md', 'A &quot;gadget&quot; holds widgets.')}.</p>"
    )


def test_a_link_an_author_wrote_to_a_term_page_gets_the_definition_and_counts_as_the_link() -> None:
    html = linked("See [it](../glossary/widget.md) and [there](../glossary/widget.md#usage): a widget.")
    assert html == (
        '<p>See <a href="../glossary/widget.md" title="A widget is a thing.">it</a> and '
        '<a href="../glossary/widget.md#usage">there</a>: a widget.</p>'
    )


def test_links_keep_the_text_around_them_in_nested_inline_markup() -> None:
    html = linked("*One widget* then **a gadget, a widget** end.")
    widget = link("widget", "../glossary/widget.md", "A widget is a thing.")
    gadget = link("gadget", "gadget.md", "A &quot;gadget&quot; holds widgets.")
    assert html == f"<p><em>One {widget}</em> then <strong>a {gadget}, a widget</strong> end.</p>"


# The A–Z


class Facts(HTMLParser):
    """The A–Z's letters, sections and entries, as a reader's browser would see them."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.bar: list[tuple[str, str]] = []  # (letter, href or "")
        self.sections: list[str] = []
        self.entries: list[tuple[str, str, str]] = []  # (kind, href, title)
        self.radios: list[str] = []
        self._in: str | None = None
        self._href = ""
        self._kind = ""
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attr = {name: value or "" for name, value in attrs}
        if tag == "nav":
            self._in = "bar"
        elif tag == "section":
            self.sections.append(attr["id"])
        elif tag == "div" and "data-kind" in attr:
            self._kind = attr["data-kind"]
        elif tag == "input":
            self.radios.append(attr["value"])
        elif tag == "a" and self._in == "bar":
            self._href = attr["href"]
        elif tag == "a" and self._kind:
            self._in, self._href = "entry", attr["href"]

    def handle_endtag(self, tag: str) -> None:
        if tag == "nav" or (tag == "a" and self._in == "entry"):
            self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "bar" and data.strip():
            self.bar.append((data, self._href))
            self._href = ""
        elif self._in == "entry":
            self.entries.append((self._kind, self._href, data))


AZ_TERMS = [
    Term("models/zebra.md", "Zebra model", "", "Z.", 3, ()),
    Term("edge-cases/random-state.md", "random_state", "", "R.", 3, ()),
    Term("glossary/alpha.md", "alpha", "", "A <b>.", 3, ()),
    Term("notebooks/2d.ipynb", "2-D plots", "", "N.", 3, ()),
    Term("glossary/index.md", "Glossary", "", "All.", 3, ()),
]
HREFS = {term.src: term.src.replace(".md", "/") for term in AZ_TERMS}


def test_the_a_to_z_files_each_entry_under_its_letter_with_its_kind_and_definition() -> None:
    html = a_to_z(AZ_TERMS, HREFS)
    facts = Facts(html)
    assert facts.entries == [
        ("worked-example", "notebooks/2d.ipynb", "2-D plots"),
        ("term", "glossary/alpha/", "alpha"),
        ("edge-case", "edge-cases/random-state/", "random_state"),
        ("model", "models/zebra/", "Zebra model"),
    ]
    assert facts.sections == ["letter-digits", "letter-a", "letter-r", "letter-z"]
    assert facts.bar[:3] == [("A", "#letter-a"), ("B", ""), ("C", "")]
    assert facts.bar[-1] == ("#", "#letter-digits")
    assert [href for _, href in facts.bar if href] == [f"#{section}" for section in facts.sections[1:]] + [
        "#letter-digits"
    ]
    assert facts.radios == ["all", "term", "model", "edge-case", "worked-example"]
    assert "<dd>A &lt;b&gt;.</dd>" in html


@pytest.mark.parametrize(("title", "key"), [("alpha", "A"), ("`random_state`", "R"), ("2-D", "#"), ("Éclair", "E")])
def test_letter(title: str, key: str) -> None:
    assert letter(Term("glossary/x.md", title.strip("`"), "", ".", 1, ())) == key


def test_the_a_to_z_replaces_its_marker_line_only() -> None:
    page = f"# All\n\nIntro.\n\n{MARKER}\n\nAfter.\n"
    filled = fill(page, AZ_TERMS, HREFS)
    assert filled.startswith('# All\n\nIntro.\n\n\n<div class="glossary-az">')
    assert filled.endswith("</div>\n\n\nAfter.\n")
    assert fill("# No marker\n", AZ_TERMS, HREFS) == "# No marker\n"
    # Markdown leaves the block as it is: no paragraph around it, no term link inside it.
    html = str(markdown.markdown(filled, extensions=[TermLinks([WIDGET], "glossary/index.md")]))
    assert a_to_z(AZ_TERMS, HREFS) in html


def test_the_a_to_z_page_holds_the_marker() -> None:
    assert MARKER in page_sources()["glossary/index.md"]


# glossary.json and provenance

SCHEMA = json.loads((DOCS / "glossary.schema.json").read_text(encoding="utf-8"))
REPO_URL = "https://github.com/executable-glossary/executable-glossary"


@pytest.mark.parametrize(
    ("repo", "edit_uri", "url"),
    [
        ("https://github.com/o/r", "edit/main/docs/", "https://github.com/o/r/blob/main/docs/glossary/x.md"),
        ("https://github.com/o/r/", "/edit/main/docs", "https://github.com/o/r/blob/main/docs/glossary/x.md"),
        ("https://gitlab.com/o/r", "-/edit/dev/docs/", "https://gitlab.com/o/r/-/blob/dev/docs/glossary/x.md"),
    ],
)
def test_source_url(repo: str, edit_uri: str, url: str) -> None:
    assert source_url(repo, edit_uri, "glossary/x.md") == url


def test_glossary_document_lists_glossary_pages_in_a_to_z_order_and_matches_its_schema() -> None:
    terms, _ = collect_terms({"glossary/widget.md": PAGE, "glossary/index.md": "# All\n\nEvery page.\n"})
    terms.append(notebook_term("notebooks/widgets.ipynb", "notebooks/widgets.py", NOTEBOOK))  # type: ignore[arg-type]
    urls = {"glossary/widget.md": "https://x.test/g/glossary/widget/", "notebooks/widgets.ipynb": "https://x.test/n/"}
    found = {"scikit_learn_version": "1.9.1", "python_version": "3.12", "build_date": "2026-01-02"}
    document = glossary_document(
        terms, urls, repo_url="https://github.com/o/r", edit_uri="edit/main/docs/", provenance=found
    )
    assert document == {
        "schema_version": "1.0",
        **found,
        "terms": [
            {
                "slug": "widgets",
                "title": "Exploring widgets",
                "kind": "worked example",
                "alternative_names": [],
                "definition": "A widget notebook fits α widgets.",
                "url": "https://x.test/n/",
                "source": "docs/notebooks/widgets.py",
                "source_url": "https://github.com/o/r/blob/main/docs/notebooks/widgets.py",
            },
            {
                "slug": "widget",
                "title": "Widget (W)",
                "kind": "term",
                "alternative_names": ["widgets", "Widget set"],
                "definition": "A widget is a thing on two lines.",
                "url": "https://x.test/g/glossary/widget/#widget",
                "source": "docs/glossary/widget.md",
                "source_url": "https://github.com/o/r/blob/main/docs/glossary/widget.md",
            },
        ],
    }
    jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())
    document["terms"][0]["kind"] = "recipe"
    with pytest.raises(jsonschema.ValidationError, match="'recipe' is not one of"):
        jsonschema.validate(document, SCHEMA, format_checker=jsonschema.FormatChecker())


def test_the_schema_is_a_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(SCHEMA)


def test_provenance_reads_the_installed_versions_without_importing_scikit_learn() -> None:
    loaded = "sklearn" in sys.modules
    found = provenance({"SOURCE_DATE_EPOCH": "1767312000"})
    assert found == {
        "scikit_learn_version": metadata.version("scikit-learn"),
        "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        "build_date": "2026-01-02",
    }
    assert ("sklearn" in sys.modules) == loaded


def test_build_date_is_today_in_utc_without_source_date_epoch() -> None:
    before = datetime.datetime.now(datetime.UTC).date()
    assert before <= build_date({}) <= datetime.datetime.now(datetime.UTC).date()


@pytest.mark.parametrize("epoch", ["yesterday", "-5", "1.5"])
def test_a_malformed_source_date_epoch_is_an_error(epoch: str) -> None:
    with pytest.raises(ValueError, match=rf"^SOURCE_DATE_EPOCH='{re.escape(epoch)}': expected a whole number"):
        build_date({"SOURCE_DATE_EPOCH": epoch})


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


# The built site (the real one, built once per test run)


def url_of(src: str) -> str:
    stem = posixpath.splitext(src)[0].removesuffix("index")
    return stem if stem.endswith("/") or not stem else stem + "/"


NOTEBOOK_PAGES = {
    f"notebooks/{path.stem.replace('_', '-')}.ipynb": (f"notebooks/{path.name}", path.read_text(encoding="utf-8"))
    for path in sorted((DOCS / "notebooks").glob("[!_]*.py"))
}
SITE_TERMS = {term.src: term for term in collect_terms(page_sources(), NOTEBOOK_PAGES)[0]}


@pytest.fixture(scope="module")
def pages(served_site: ServedSite) -> dict[str, str]:
    """Every built page's HTML, by its source (notebook pages by their .ipynb name)."""
    return {src: built_page(served_site.site_dir, url_of(src)).read_text(encoding="utf-8") for src in SITE_TERMS}


@pytest.fixture(scope="module")
def exported(served_site: ServedSite) -> dict[str, Any]:
    return dict(json.loads((served_site.site_dir / "glossary.json").read_text(encoding="utf-8")))


def test_the_built_glossary_json_matches_its_schema_and_lists_every_glossary_page(
    served_site: ServedSite, exported: dict[str, Any], pages: dict[str, str]
) -> None:
    jsonschema.validate(exported, SCHEMA, format_checker=jsonschema.FormatChecker())
    assert exported["$schema"] == f"{served_site.url}glossary.schema.json"
    assert json.loads((served_site.site_dir / "glossary.schema.json").read_text(encoding="utf-8")) == SCHEMA
    glossary_pages = sorted(src for src, term in SITE_TERMS.items() if term.kind)
    assert sorted(url_of(src) for src in glossary_pages) == sorted(
        entry["url"].removeprefix(served_site.url).split("#")[0] for entry in exported["terms"]
    )
    for entry in exported["terms"]:
        src = next(src for src in glossary_pages if entry["url"].startswith(served_site.url + url_of(src)))
        term = SITE_TERMS[src]
        assert (entry["title"], entry["definition"], entry["kind"]) == (term.title, term.definition, term.kind)
        assert entry["alternative_names"] == list(term.aliases)
        assert (DOCS / entry["source"].removeprefix("docs/")).is_file()
        assert entry["source_url"] == f"{REPO_URL}/blob/main/{entry['source']}"
        if term.anchor:
            assert f'id="{term.anchor}"' in pages[src]  # the URL lands on the term's heading


def test_the_readme_example_entry_is_what_the_build_writes_for_its_page() -> None:
    readme = (DOCS.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("## `glossary.json`", 1)[1]
    example = json.loads(section.split("```json\n", 1)[1].split("```", 1)[0])
    jsonschema.validate(example, SCHEMA, format_checker=jsonschema.FormatChecker())
    (entry,) = example["terms"]
    src = entry["source"].removeprefix("docs/")
    built = glossary_document(
        [SITE_TERMS[src]],
        {src: f"https://executable-glossary.github.io/executable-glossary/{url_of(src)}"},
        repo_url=REPO_URL,
        edit_uri="edit/main/docs/",
        provenance={},
    )
    assert built["terms"] == [entry]


@pytest.mark.parametrize(
    ("src", "slug", "fragment"),
    [
        ("notebooks/choosing-gmm-components.ipynb", "choosing-gmm-components", ""),
        ("glossary/epoch.md", "epoch", "#epoch"),
    ],
)
def test_slug_and_url_fragment_are_as_the_readme_says(src: str, slug: str, fragment: str) -> None:
    term = SITE_TERMS[src]
    (entry,) = glossary_document([term], {src: "u/"}, repo_url=REPO_URL, edit_uri="edit/main/docs/", provenance={})[
        "terms"
    ]
    assert (entry["slug"], entry["url"]) == (slug, "u/" + fragment)


def test_every_page_footer_names_what_computed_it_as_glossary_json_does(
    exported: dict[str, Any], pages: dict[str, str]
) -> None:
    assert exported["scikit_learn_version"] == metadata.version("scikit-learn")
    assert exported["python_version"] == f"{sys.version_info.major}.{sys.version_info.minor}"
    footer = (
        f"Computed with scikit-learn {exported['scikit_learn_version']}, Python {exported['python_version']},\n"
        f'      on <time datetime="{exported["build_date"]}">{exported["build_date"]}</time>.'
    )
    assert [src for src, html in pages.items() if footer not in html] == []


@pytest.mark.parametrize("src", sorted(NOTEBOOK_PAGES))
def test_a_notebook_pages_link_preview_is_its_definition(pages: dict[str, str], src: str) -> None:
    facts = PageFacts(pages[src])
    assert facts.meta["description"] == facts.meta["og:description"] == SITE_TERMS[src].definition


@pytest.mark.parametrize(
    ("src", "word", "term_src"),
    [
        ("models/svm.md", "hyperparameters", "glossary/hyperparameter.md"),
        ("glossary/hyperparameter.md", "parameter", "glossary/parameter.md"),
        ("models/k-means.md", "Gaussian mixtures", "models/gaussian-mixture.md"),
        ("index.md", "SVM", "models/svm.md"),
    ],
)
def test_terms_link_to_their_page_with_the_definition_as_title(
    pages: dict[str, str], src: str, word: str, term_src: str
) -> None:
    href, title = PageFacts(pages[src]).term_links[word]
    assert posixpath.normpath(posixpath.join(url_of(src), href)) + "/" == url_of(term_src)
    assert title == SITE_TERMS[term_src].definition


def test_term_links_only_in_prose_never_on_their_own_page(pages: dict[str, str]) -> None:
    """Every term link is a term's definition, outside headings, links and code, and not to its page."""
    definitions = {term.definition: src for src, term in SITE_TERMS.items()}
    found = 0
    for src, html in pages.items():
        for href, title in re.findall(r'<a class="term-link" href="([^"]*)" title="([^"]*)"', html):
            found += 1
            target = definitions[unescape(title)]
            assert target != src, f"{src} links to itself"
            assert posixpath.normpath(posixpath.join(url_of(src), href)) + "/" == url_of(target)
        for outer in ("h1", "h2", "h3", "h4", "a", "code", "pre"):
            inside = rf"<{outer}\b(?![^>]*term-link)[^>]*>(?:(?!</{outer}>).)*term-link"
            assert not re.search(inside, html, re.S), f"{src}: in <{outer}>"
    assert found > 20
