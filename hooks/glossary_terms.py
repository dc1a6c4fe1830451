"""Each page's one-sentence definition, read from its own Markdown: the single source for tooltips,
meta descriptions and `glossary.json`. Never imports MkDocs; `terms_hook.py` is the adapter.

A page opens with `# Title { #anchor }` and then its definition paragraph. The title (without a
parenthetical) and the words in the page's front matter `terms:` are the words that show the
definition on hover anywhere on the site.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Any

import markdown
import yaml
from livevalues import syntax

_NOT_A_PARAGRAPH = re.compile(r"^\s*(#|!!!|\?\?\?|\||[-*+] |\d+\. |>|<|`{3}|~{3}|\$\$|--8<--|\*\[)")
_MATH = re.compile(r"(?<!\\)\$(.+?)(?<!\\)\$")
_PLACEHOLDER = "%{"
# A tooltip word must be plain text the abbr extension can match: letters, digits, spaces, hyphens.
_PLAIN_TERM = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 \-]*[A-Za-z0-9]$")

# Inline TeX as plain text, for meta descriptions and tooltips (which cannot show KaTeX). Only the
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


@dataclass(frozen=True)
class Term:
    """One page's definition, and the words that show it as a tooltip."""

    src: str  # "glossary/hyperparameter.md", relative to docs/
    title: str  # plain text of the H1
    anchor: str  # the H1's explicit anchor, or "" when it has none
    definition: str  # the first paragraph, as plain text
    line: int  # 1-based line of the definition in the file
    words: tuple[str, ...]  # tooltip words: empty for index pages

    @property
    def slug(self) -> str:
        return self.anchor or self.src.removesuffix(".md").rsplit("/", 1)[-1]


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


def split_front_matter(source: str) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, number of lines the front matter takes)."""
    text, body, lines = syntax.split_front_matter(source)
    meta = yaml.safe_load(text) or {} if text else {}
    return (meta if isinstance(meta, dict) else {}), body, lines


def title_words(title: str) -> list[str]:
    """The words a title offers as tooltips: "Neural network (MLP)" -> Neural network, neural network."""
    base = re.sub(r"\s*\([^)]*\)", "", title).strip()
    if not _PLAIN_TERM.match(base):
        return []
    words = [base]
    if base[:1].isupper() and base[1:2].islower():
        words.append(base[0].lower() + base[1:])
    return words


def extract_term(src: str, source: str, *, is_term: bool) -> Term | None:
    """The page's title and first paragraph; None when the page has no definition paragraph.

    `is_term` pages (not index pages) lend their words to tooltips.
    """
    label = f"docs/{src}"
    meta, body, offset = split_front_matter(source)
    lines = body.splitlines()
    titles = [heading for heading in syntax.headings(body) if heading.level == 1]
    if not titles:
        return None
    title_line, raw_title, anchor = titles[0].line, titles[0].text, titles[0].anchor
    start = title_line  # index of the line after the title
    while start < len(lines) and not lines[start].strip():
        start += 1
    end = start
    while end < len(lines) and lines[end].strip():
        end += 1
    paragraph = "\n".join(lines[start:end])
    if not paragraph or _NOT_A_PARAGRAPH.match(paragraph):
        return None
    line = offset + start + 1
    if _PLACEHOLDER in paragraph:
        raise TermError(
            f"{label}:{line}",
            "the definition paragraph holds a computed value (%{...}); it is also the page's tooltip, "
            "meta description and glossary.json entry, which show no computed values: move the number "
            "to the next paragraph",
        )
    extra = meta.get("terms", [])
    if not isinstance(extra, list) or not all(isinstance(word, str) for word in extra):
        raise TermError(f"{label}:1", "front matter `terms:` must be a list of words")
    bad = [word for word in extra if not _PLAIN_TERM.match(word)]
    if bad:
        raise TermError(f"{label}:1", f"front matter `terms:` {bad}: use letters, digits, spaces and hyphens only")
    title = plain_text(raw_title)
    words = tuple(dict.fromkeys([*title_words(title), *extra])) if is_term else ()
    return Term(src, title, anchor, plain_text(paragraph), line, words)


def collect_terms(sources: dict[str, str]) -> tuple[list[Term], list[TermError]]:
    """Every page's term (src -> Markdown in), and every problem; a word two pages claim is one."""
    terms: list[Term] = []
    errors: list[TermError] = []
    owner: dict[str, Term] = {}
    for src, source in sorted(sources.items()):
        try:
            term = extract_term(src, source, is_term=not src.endswith("index.md"))
        except TermError as error:
            errors.append(error)
            continue
        if term is None:
            continue
        for word in term.words:
            if word in owner:
                errors.append(
                    TermError(
                        f"docs/{src}:{term.line}",
                        f"tooltip word {word!r} is already the term of docs/{owner[word].src}; "
                        "remove it from one page's title or `terms:`",
                    )
                )
            owner.setdefault(word, term)
        terms.append(term)
    return terms, errors


def abbreviations(terms: list[Term]) -> str:
    """Markdown abbreviation definitions (`*[word]: definition`) for the `abbr` extension."""
    lines = []
    for term in terms:
        # One line each; "%{" is broken up so no tooltip can look like a value placeholder.
        definition = term.definition.replace(_PLACEHOLDER, "% {")
        lines += [f"*[{word}]: {definition}" for word in term.words]
    return "\n".join(lines) + "\n"


def glossary_entries(terms: list[Term], urls: dict[str, str]) -> list[dict[str, str]]:
    """The machine-readable export: one entry per term page, `urls` maps src -> absolute URL."""
    return [
        {
            "slug": term.slug,
            "title": term.title,
            "definition": term.definition,
            "url": urls[term.src] + (f"#{term.anchor}" if term.anchor else ""),
            "source": f"docs/{term.src}",
        }
        for term in terms
        if not term.src.endswith("index.md")
    ]
