"""The glossary's A–Z, generated from the pages: a letter bar, a filter by kind, and each entry's
title, kind and one-sentence definition, like Google's ML glossary. Never imports MkDocs.

A page that holds the line `<!-- glossary-a-z -->` gets the A–Z in its place, as one block of HTML
(Markdown leaves it as it is, and term links stay out of the definitions). A page added anywhere
under a kind's folder is listed without anyone editing the A–Z.

The filter is radio buttons and CSS (`docs/stylesheets/terms.css`, with `:has()`): no script, so
it works with or without JavaScript and with Material's instant navigation, and the buttons are
reachable and operable by keyboard as native form controls.
"""

from __future__ import annotations

import html
import re
import string
from itertools import groupby

from glossary_terms import KINDS, Term, sort_key

MARKER = "<!-- glossary-a-z -->"
PLURALS = {"term": "Terms", "model": "Models", "edge case": "Edge cases", "worked example": "Worked examples"}


def letter(term: Term) -> str:
    """The letter a term is filed under: its title's first letter, or "#" for a digit."""
    first = sort_key(term)[0][:1].upper()
    return first if first in string.ascii_uppercase else "#"


def kind_id(kind: str) -> str:
    return kind.replace(" ", "-")


def anchor(key: str) -> str:
    """A letter's section id: "letter-a" ... "letter-z", "letter-digits"."""
    return "letter-" + ("digits" if key == "#" else key.lower())


def a_to_z(terms: list[Term], hrefs: dict[str, str]) -> str:
    """The A–Z block: `terms` are the glossary's entries, `hrefs` maps each one's src to its link."""
    entries = sorted((term for term in terms if term.kind), key=sort_key)
    groups = {key: list(group) for key, group in groupby(entries, key=letter)}
    kinds = {key: " ".join(sorted({kind_id(term.kind) for term in group})) for key, group in groups.items()}
    radios = [("all", "All", True)] + [(kind_id(kind), PLURALS[kind], False) for kind in KINDS.values()]
    lines = [
        '<div class="glossary-az">',
        '<fieldset class="glossary-az__filter">',
        "<legend>Show</legend>",
        *(
            f'<label><input type="radio" name="glossary-kind" value="{value}"{" checked" if checked else ""}> '
            f"{label}</label>"
            for value, label, checked in radios
        ),
        "</fieldset>",
        '<nav class="glossary-az__letters" aria-label="Glossary letters">',
        *(
            f'<a href="#{anchor(key)}" data-kinds="{kinds[key]}">{key}</a>'
            if key in groups
            else f'<span aria-hidden="true">{key}</span>'
            for key in [*string.ascii_uppercase, *(["#"] if "#" in groups else [])]
        ),
        "</nav>",
    ]
    for key, group in groups.items():
        lines += [
            f'<section class="glossary-az__letter" id="{anchor(key)}" data-kinds="{kinds[key]}">',
            f"<h2>{key}</h2>",
            "<dl>",
        ]
        for term in group:
            lines += [
                f'<div class="glossary-az__entry" data-kind="{kind_id(term.kind)}">',
                f'<dt><a href="{html.escape(hrefs[term.src])}">{html.escape(term.title)}</a> '
                f'<span class="glossary-az__kind">{term.kind}</span></dt>',
                f"<dd>{html.escape(term.definition)}</dd>",
                "</div>",
            ]
        lines += ["</dl>", "</section>"]
    lines.append("</div>")
    return "\n".join(lines)


def fill(markdown: str, terms: list[Term], hrefs: dict[str, str]) -> str:
    """The page's Markdown with the A–Z in place of its marker line (a page without one: unchanged)."""
    if MARKER not in markdown:
        return markdown
    block = a_to_z(terms, hrefs)
    return re.sub(rf"^{re.escape(MARKER)}[ \t]*$", lambda _: f"\n{block}\n", markdown, flags=re.M)
