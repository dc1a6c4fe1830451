"""Term links: a term's first mention in each section of a page becomes a link to the term's page,
with the page's one-sentence definition as its `title` (Material's `content.tooltips` shows it on
hover and on keyboard focus). A Python-Markdown treeprocessor; never imports MkDocs.

It runs on the element tree, after inline Markdown and before MkDocs turns `.md` links into URLs
(and checks them), so the links it makes are relative `.md` links MkDocs validates like any other.
It leaves alone headings (and table header cells), existing links, code, math, admonition titles and the term's own page.
Links authors wrote to a term's page get the definition as their `title` too.

Why the first mention per section, not every mention or only the first on the page: one link per
term per section keeps prose readable (a paragraph of underlined words is hard to read), and a
reader who lands on a section from a deep link (the site promises stable heading anchors) still
finds the term linked there.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

from glossary_terms import Term, case_sensitive
from markdown import Extension, Markdown
from markdown.treeprocessors import Treeprocessor
from markdown.util import HTML_PLACEHOLDER_RE, AtomicString

HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
# Text that is not prose, or that is a link or a label already.
SKIP_TAGS = HEADINGS | {"a", "code", "pre", "kbd", "samp", "var", "script", "style", "abbr", "dfn", "button", "summary"}
SKIP_TAGS |= {"svg", "math", "img", "label", "textarea", "select"}
SKIP_TAGS |= {"th"}  # a table's header cells are headings too
SKIP_CLASSES = {"arithmatex", "admonition-title", "headerlink"}
LINK_CLASS = "term-link"
# Raw HTML written in the Markdown (`<a href=...>name</a>`) reaches the tree as placeholders around
# ordinary text: the tags that open and close a place where no link may go.
RAW_SKIP = "|".join(sorted(SKIP_TAGS - {"img"}))  # img is void: it never closes
RAW_OPEN = re.compile(rf"<(?:{RAW_SKIP})\b(?![^>]*/>)", re.I)
RAW_CLOSE = re.compile(rf"</(?:{RAW_SKIP})\s*>", re.I)


class TermIndex:
    """The site's terms by page and by word, and one pattern that finds any word in a text."""

    def __init__(self, terms: list[Term]) -> None:
        self.by_src = {term.src: term for term in terms}
        # Casefolded (no two pages share a word in any case): a word matches in any case ("Epochs"),
        # an acronym only as written ("SVM"), see glossary_terms.case_sensitive.
        self.by_word = {word.casefold(): term for term in terms for word in term.words}
        words = sorted({word for term in terms for word in term.words}, key=len, reverse=True)
        # The longest name wins ("Hyperparameter search"); a word is whole: not part of a longer word
        # or hyphenated compound ("parameter" in "hyperparameter").
        names = "|".join(re.escape(word) if case_sensitive(word) else f"(?i:{re.escape(word)})" for word in words)
        self.pattern = re.compile(rf"(?<![\w-])(?:{names})(?![\w-])") if words else None

    def term(self, text: str) -> Term:
        """The term a matched text names."""
        return self.by_word[text.casefold()]


class TermLinker(Treeprocessor):  # type: ignore[misc]  # Markdown ships no type hints
    """Links term mentions on one page: `page` is its src, relative to docs/."""

    def __init__(self, md: Markdown, index: TermIndex, page: str) -> None:
        super().__init__(md)
        self.page = page
        self.index = index
        self.by_src, self.pattern = index.by_src, index.pattern
        self.linked: set[str] = set()  # terms linked in the current section
        self.raw_depth = 0  # how many raw HTML tags of SKIP_TAGS are open at this point of the text

    def run(self, root: etree.Element) -> None:
        self.linked = set()
        self.raw_depth = 0
        self._visit(root)

    def _visit(self, element: etree.Element) -> None:
        if element.tag in HEADINGS:
            self.linked = set()  # a new section: each term may be linked once more
        if element.tag == "a":
            self._describe(element)
        if element.tag in SKIP_TAGS or SKIP_CLASSES & set(element.get("class", "").split()):
            return
        links = self._links(element.text)
        if links is not None:
            element.text, made = links
            for index, link in enumerate(made):
                element.insert(index, link)
        for child in list(element):
            self._visit(child)
            links = self._links(child.tail)
            if links is not None:
                child.tail, made = links
                at = list(element).index(child) + 1
                for offset, link in enumerate(made):
                    element.insert(at + offset, link)

    def _links(self, text: str | None) -> tuple[str, list[etree.Element]] | None:
        """The text up to the first link, and the links (each followed by its text); None: no link."""
        if not text or isinstance(text, AtomicString) or self.pattern is None:
            return None
        head: str | None = None
        made: list[etree.Element] = []
        cursor = 0
        for match in self._matches(text):
            term = self.index.term(match.group(0))
            if term.src == self.page or term.src in self.linked:
                continue
            self.linked.add(term.src)
            piece = text[cursor : match.start()]
            if made:
                made[-1].tail = piece
            else:
                head = piece
            link = etree.Element("a", {"href": self._href(term), "title": term.definition, "class": LINK_CLASS})
            link.text = AtomicString(match.group(0))
            made.append(link)
            cursor = match.end()
        if not made:
            return None
        made[-1].tail = text[cursor:]
        return head or "", made

    def _matches(self, text: str) -> list[re.Match[str]]:
        """The term words in `text` outside raw HTML links, code and the like (tracked across texts)."""
        assert self.pattern is not None
        found: list[re.Match[str]] = []
        cursor = 0
        for placeholder in [*HTML_PLACEHOLDER_RE.finditer(text), None]:
            end = placeholder.start() if placeholder else len(text)
            if self.raw_depth == 0:
                found += self.pattern.finditer(text, cursor, end)
            if placeholder is None:
                break
            raw = self.md.htmlStash.rawHtmlBlocks[int(placeholder.group(1))]
            if isinstance(raw, str):
                self.raw_depth = max(0, self.raw_depth + len(RAW_OPEN.findall(raw)) - len(RAW_CLOSE.findall(raw)))
            cursor = placeholder.end()
        return found

    def _href(self, term: Term) -> str:
        return posixpath.relpath(term.src, posixpath.dirname(self.page) or ".")

    def _describe(self, link: etree.Element) -> None:
        """A link an author wrote to the top of a term's page shows the definition as its preview too,
        and counts as the section's link to it."""
        href = link.get("href", "")
        parts = urlsplit(href)
        if link.get("title") is not None or not parts.path or parts.scheme or parts.netloc:
            return
        target = posixpath.normpath(posixpath.join(posixpath.dirname(self.page), parts.path))
        term = self.by_src.get(target)
        if term is not None and parts.fragment in ("", term.anchor):
            link.set("title", term.definition)
            self.linked.add(term.src)  # linked in this section already: a later mention stays text


class TermLinks(Extension):  # type: ignore[misc]  # Markdown ships no type hints
    """The Markdown extension. Python-Markdown has no notion of the page it converts, and MkDocs
    makes a Markdown instance per page from its extensions: set `page` before each page."""

    def __init__(self, terms: list[Term], page: str = "") -> None:
        super().__init__()
        self.index = TermIndex(terms)
        self.page = page

    def extendMarkdown(self, md: Markdown) -> None:
        # After inline Markdown (20), attr_list (8) and toc (5); before MkDocs' relpath (0), which
        # resolves and validates the .md links made here.
        md.treeprocessors.register(TermLinker(md, self.index, self.page), "term_links", 1)
