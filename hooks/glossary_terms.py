"""Each page's one-sentence definition, read from its own Markdown: the single source for term
links' previews, meta descriptions, the A–Z and `glossary.json`. Never imports MkDocs;
`terms_hook.py` is the adapter.

A page opens with `# Title { #anchor }` and then its definition paragraph; a notebook's first
Markdown cell does the same. The title (without a parenthetical) and the words in the page's front
matter `terms:` are the words that link to the page from anywhere on the site.
"""

from __future__ import annotations

import html
import posixpath
import re
import unicodedata
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown
import yaml
from livevalues import syntax

_NOT_A_PARAGRAPH = re.compile(r"^\s*(#|!!!|\?\?\?|\||[-*+] |\d+\. |>|<|`{3}|~{3}|\$\$|--8<--|\*\[)")
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")
_PLACEHOLDER = "%{"
# A term word is plain text a link can be made of: letters, digits, spaces, hyphens.
_PLAIN_TERM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]*[A-Za-z0-9]$")

# Inline TeX as plain text, for meta descriptions and link titles (which cannot show KaTeX). Only the
# commands the pages use need an entry; any other `\name` is shown as `name`.
_TEX_SYMBOLS = {
    "approx": "≈",
    "mid": "|",
    "in": "∈",
    "times": "×",
    "le": "≤",
    "leq": "≤",
    "ge": "≥",
    "geq": "≥",
    "neq": "≠",
    "to": "→",
    "cdot": "·",
    "ldots": "…",
    "dots": "…",
    "infty": "∞",
    "sum": "∑",
    ",": " ",
}
_GREEK = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi rho sigma tau upsilon phi chi psi omega"
_TEX_SYMBOLS |= dict(zip(_GREEK.split(), "αβγδεζηθικλμνξπρστυφχψω", strict=True))
_TEX_SYMBOLS |= dict(zip(_GREEK.title().split(), "ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΠΡΣΤΥΦΧΨΩ", strict=True))
_TEX_FONT = re.compile(r"\\(?:mathcal|mathbf|mathrm|mathit|mathbb|text|operatorname)\{([^{}]*)\}")
_TEX_COMMAND = re.compile(r"\\([A-Za-z]+|,)")


class TermError(ValueError):
    """A page whose definition cannot be used; `location` is "docs/page.md:line"."""

    def __init__(self, location: str, message: str):
        super().__init__(f"{location}: {message}")
        self.location = location


# What a page is, by its folder under docs/: the A–Z's kinds. A page elsewhere (the home page, an
# index) has a definition but is no glossary entry.
KINDS = {"glossary": "term", "models": "model", "edge-cases": "edge case", "notebooks": "worked example"}


@dataclass(frozen=True)
class Term:
    """One page's definition, and the words that link to it."""

    src: str  # "glossary/hyperparameter.md" (a notebook page: "notebooks/name.ipynb"), relative to docs/
    title: str  # plain text of the H1
    anchor: str  # the H1's explicit anchor, or "" when it has none
    definition: str  # the first paragraph, as plain text
    line: int  # 1-based line of the definition in the file
    words: tuple[str, ...]  # words that link to the page: empty for index pages
    aliases: tuple[str, ...] = ()  # the front matter's `terms:`, its other names
    source: str = ""  # the file it was read from, relative to docs/, when it is not `src` (a notebook's .py)

    @property
    def slug(self) -> str:
        return self.anchor or posixpath.splitext(self.src)[0].rsplit("/", 1)[-1]

    @property
    def path(self) -> str:
        """The file the term was read from, relative to docs/: `source`, or else `src`."""
        return self.source or self.src

    @property
    def kind(self) -> str:
        """The A–Z kind: term, model, edge case or worked example; empty for a page that is no entry."""
        folder, _, name = self.src.rpartition("/")
        return "" if name == "index.md" else KINDS.get(folder, "")


def math_text(tex: str) -> str:
    """Inline TeX as readable Unicode: `M_{\\mathcal{H}}(\\Phi \\mid D)` -> `M_H(Φ | D)`."""
    text = _TEX_FONT.sub(r"\1", tex.replace(r"\{", "\x00").replace(r"\}", "\x01"))  # literal braces
    text = _TEX_COMMAND.sub(lambda m: _TEX_SYMBOLS.get(m.group(1), m.group(1)), text)
    text = re.sub(r"([_^])\{([^{}]*)\}", r"\1\2", text).replace("{", "").replace("}", "")
    return re.sub(r"\s+", " ", text.replace("\x00", "{").replace("\x01", "}")).strip()


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def plain_text(markdown_text: str) -> str:
    """A Markdown paragraph as one line of plain text: emphasis, code marks and links dropped."""
    with_math = _MATH.sub(lambda m: html.escape(math_text(m.group(1))), markdown_text)
    parser = _Text()
    parser.feed(markdown.markdown(with_math))
    parser.close()
    return re.sub(r"\s+", " ", "".join(parser.parts)).strip()


def split_front_matter(source: str, label: str = "", first_line: int = 1) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, number of lines the front matter takes).

    Front matter that is not YAML is a TermError at `label`:line, the line the YAML error points at
    (`first_line` is the line `source` starts at; the front matter's text starts after its `---`).
    """
    text, body, lines = syntax.split_front_matter(source)
    try:
        meta = yaml.safe_load(text) or {} if text else {}
    except yaml.YAMLError as error:
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = first_line + 1 + (mark.line if mark is not None else 0)
        what = ", ".join(
            str(part) for part in (getattr(error, "context", None), getattr(error, "problem", None)) if part
        )
        raise TermError(f"{label}:{line}", f"front matter is not valid YAML: {what or error}") from None
    return (meta if isinstance(meta, dict) else {}), body, lines


def _front_matter_line(source: str, key: str, first_line: int) -> int:
    """The line of `key:` in the front matter (the file's first line when it is not found)."""
    for number, text in enumerate(source.splitlines()[1:], 1):
        if text.strip() == "---":
            break
        if re.match(rf"{re.escape(key)}\s*:", text):
            return first_line + number
    return first_line


def case_sensitive(word: str) -> bool:
    """Whether `word` links only as written: an acronym, with a capital after its first letter
    ("SVM", "MLP", "SVMs"), where another case is often an ordinary word. Every other term word
    matches in any case ("Epochs" at a sentence start is "epochs")."""
    return any(char.isupper() for char in word[1:])


def word_key(word: str) -> str:
    """The key two term words are the same by: as written for an acronym, else casefolded."""
    return word if case_sensitive(word) else word.casefold()


def title_words(title: str) -> list[str]:
    """The words a title offers as term links: "Neural network (MLP)" -> Neural network, neural network."""
    base = re.sub(r"\s*\([^)]*\)", "", title).strip()
    if not _PLAIN_TERM.match(base):
        return []
    words = [base]
    if base[:1].isupper() and base[1:2].islower():
        words.append(base[0].lower() + base[1:])
    return words


def extract_term(src: str, source: str, *, is_term: bool, source_path: str = "", first_line: int = 1) -> Term | None:
    """The page's title and first paragraph; None when the page has no definition paragraph.

    `is_term` pages (not index pages) lend their words to term links. `source_path`: the file
    under docs/ the text comes from, when it is not `src` (a notebook page's first cell), and
    `first_line` the line of that file the text starts at.
    """
    label = f"docs/{source_path or src}"
    meta, body, offset = split_front_matter(source, label, first_line)
    lines = body.splitlines()
    titles = [heading for heading in syntax.headings(body) if heading.level == 1]
    if not titles:
        return None
    title_line, raw_title, anchor = titles[0].line, titles[0].text, titles[0].anchor
    if _PLACEHOLDER in raw_title:
        raise TermError(
            f"{label}:{offset + title_line + first_line - 1}",
            "the title holds a computed value (%{...}); it is also the page's name in the nav, the A–Z "
            "and glossary.json, which show no computed values: move the number into the text",
        )
    start = title_line  # index of the line after the title
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    paragraph = "\n".join(lines[start:end])
    if not paragraph or _NOT_A_PARAGRAPH.match(paragraph):
        return None
    line = offset + start + first_line
    if _PLACEHOLDER in paragraph:
        raise TermError(
            f"{label}:{line}",
            "the definition paragraph holds a computed value (%{...}); it is also the page's link preview, "
            "meta description and glossary.json entry, which show no computed values: move the number "
            "to the next paragraph",
        )
    extra = meta.get("terms", [])
    terms_line = f"{label}:{_front_matter_line(source, 'terms', first_line)}"
    if not isinstance(extra, list) or not all(isinstance(word, str) for word in extra):
        raise TermError(terms_line, "front matter `terms:` must be a list of words")
    bad = [word for word in extra if not _PLAIN_TERM.match(word)]
    if bad:
        raise TermError(terms_line, f"front matter `terms:` {bad}: use letters, digits, spaces and hyphens only")
    title = plain_text(raw_title)
    seen: dict[str, str] = {}
    for word in title_words(title):
        seen.setdefault(word_key(word), word)
    for word in extra:
        if word_key(word) in seen:
            raise TermError(
                terms_line,
                f"front matter `terms:` {word!r} is {seen[word_key(word)]!r} again: term words match in any case "
                "(acronyms as written), so list each name once",
            )
        seen[word_key(word)] = word
    words = tuple(dict.fromkeys([*title_words(title), *extra])) if is_term else ()
    return Term(src, title, anchor, plain_text(paragraph), line, words, tuple(extra), source_path)


def notebook_term(src: str, source_path: str, source: str) -> Term | None:
    """A notebook page's term, from the first Markdown cell of its jupytext percent-format source.

    `src` is the page ("notebooks/a-b.ipynb"), `source_path` the file ("notebooks/a_b.py").
    """
    import jupytext  # here: the A–Z needs it once per build, MkDocs' process need not load it otherwise

    cells = [cell for cell in jupytext.reads(source, fmt="py:percent").cells if cell.cell_type == "markdown"]
    if not cells:
        return None
    # The cell's text starts on the line after its "# %% [markdown]" marker.
    markers = [number for number, line in enumerate(source.splitlines(), 1) if line.startswith("# %% [markdown]")]
    return extract_term(
        src, str(cells[0].source), is_term=True, source_path=source_path, first_line=markers[0] + 1 if markers else 1
    )


def collect_terms(
    sources: dict[str, str], notebooks: dict[str, tuple[str, str]] | None = None
) -> tuple[list[Term], list[TermError]]:
    """Every page's term, and every problem; a word two pages claim is one.

    `sources`: Markdown page (src) -> its text; `notebooks`: notebook page (src) -> (its source
    file under docs/, that file's text).
    """
    found: list[Term | TermError | None] = []
    for src, source in sorted(sources.items()):
        try:
            found.append(extract_term(src, source, is_term=not src.endswith("index.md")))
        except TermError as error:
            found.append(error)
    for src, (path, text) in sorted((notebooks or {}).items()):
        try:
            found.append(notebook_term(src, path, text))
        except TermError as error:
            found.append(error)
    terms: list[Term] = []
    errors = [error for error in found if isinstance(error, TermError)]
    owner: dict[str, Term] = {}  # casefolded: "Epochs" is "epochs", "svm" is "SVM"
    for term in found:
        if not isinstance(term, Term):
            continue
        for word in term.words:
            key = word.casefold()
            if key in owner and owner[key] is not term:
                errors.append(
                    TermError(
                        f"docs/{term.path}:{term.line}",
                        f"term word {word!r} is already the term of docs/{owner[key].path}; "
                        "remove it from one page's title or `terms:`",
                    )
                )
            owner.setdefault(key, term)
        terms.append(term)
    by_slug: dict[str, Term] = {}  # glossary.json's stable id: one page each
    for term in terms:
        if not term.kind:
            continue
        first = by_slug.setdefault(term.slug, term)
        if first is not term:
            errors.append(
                TermError(
                    f"docs/{term.path}:{term.line}",
                    f"slug {term.slug!r} (glossary.json's id of a page) is also the slug of "
                    f"docs/{first.path}: give one page another title anchor or file name",
                )
            )
    return terms, errors


SCHEMA_VERSION = "1.0"  # glossary.json's format: the major changes when a field changes or goes


def source_url(repo_url: str, edit_uri: str, path: str) -> str:
    """The web page of a file under docs/ on the repository, from MkDocs' `repo_url` and `edit_uri`.

    `edit_uri` points at the editor (GitHub's `edit/main/docs/`); the same path under `blob/`
    shows the file, as Material's "view source" action derives its link from the edit link.
    """
    base = repo_url.rstrip("/") + "/" + edit_uri.strip("/") + "/"
    return re.sub(r"/edit/", "/blob/", base, count=1) + path


def glossary_document(
    terms: list[Term], urls: dict[str, str], *, repo_url: str, edit_uri: str, provenance: dict[str, str]
) -> dict[str, Any]:
    """glossary.json: the versioned export for wikis and bots, one entry per glossary page.

    `urls` maps src -> the page's absolute URL; `provenance` is what computed the site's values.
    Its format is docs/glossary.schema.json, published beside it.
    """
    return {
        "schema_version": SCHEMA_VERSION,
        **provenance,
        "terms": [
            {
                "slug": term.slug,
                "title": term.title,
                "kind": term.kind,
                "alternative_names": list(term.aliases),
                "definition": term.definition,
                "url": urls[term.src] + (f"#{term.anchor}" if term.anchor else ""),
                "source": f"docs/{term.path}",
                "source_url": source_url(repo_url, edit_uri, term.path),
            }
            for term in sorted(terms, key=sort_key)
            if term.kind
        ],
    }


def sort_key(term: Term) -> tuple[str, str]:
    """A–Z order: by the title's letters, ignoring case, accents and leading marks (`_x` under X, É under E)."""
    letters = unicodedata.normalize("NFKD", re.sub(r"^[\W_]+", "", term.title))
    return "".join(char for char in letters if not unicodedata.combining(char)).casefold(), term.src
