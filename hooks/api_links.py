"""Inline code that names a scikit-learn object becomes a link to its page in scikit-learn's API
reference. Never imports MkDocs (`api_links_hook.py` is the adapter) nor scikit-learn: the names
come from the vendored inventory in `inventories/`, read with sphobjinv.

What a code span may name, and where it links:

| Code span | Links to |
|---|---|
| `sklearn.svm.SVC`, `sklearn.svm.SVC.fit`, `sklearn.svm` | that inventory entry |
| `SVC`, `make_classification` | the one class or function of that name (outside `sklearn.utils`) |
| `SVC(C=0.01)`, `get_params()` | what the name before the call resolves to |
| `SVC.fit` | the method's entry on the class page |
| `SVC.coef_`, `SVC.C` | the class page: fitted attributes and parameters have no entry of their own |
| `coef_`, `fit`, `alpha=0.1` | as `Owner.coef_`, when its owner is plain from the close context (below) |

A bare member's owner must be plain from the close context, not from anywhere on the page: a
general sentence (`classes_` is a fitted attribute) must not link to whichever class the page
happens to use three sections later. The owners are tried in this order:

1. **The sentence**: the classes the inline code of the span's own sentence, in its own block,
   names (`SVC`, `SVC(C=1)`, `SVC.fit`, `sklearn.svm.SVC`). A block is the innermost paragraph
   (`<p>`, an admonition's paragraphs included), list item (`<li>`, its text outside any paragraph
   or nested list), table cell (`<td>`, `<th>`: a row's cells are separate facts), definition term
   or description, or caption around the span; a sentence ends at `.`, `!`, `?` or `;` followed by
   a space or the end of a text (`0.01` and `np.inf` end none). Nothing else counts: not the
   previous sentence, not the item a nested list hangs from, not a heading. A sentence with a bare
   member none of its classes has is a general list (`n_iter_`, `loss_curve_`, `labels_` of
   `KMeans`) and names no owner at all.
2. **The model page's code blocks**, only on a page about one model family (`subject_page=True`: the
   adapter passes it for `docs/models/*.md`): the classes its code blocks use
   (`km = KMeans(n_clusters=3)`). Glossary and edge-case pages use classes as examples of a general
   point, so their code blocks say nothing about a general sentence's `classes_`.

The first of these in which some class has the member decides: one such class, and the span links
to it; two or more, and it stays plain. When neither has it, a bare name is tried as a short name
(`make_classification`), unless it can only be a member (`alpha=0.1`).

Anything else, a short name two objects share, or a member two candidate owners have, stays plain
text: a wrong link is worse than none.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import sphobjinv

INVENTORIES = Path(__file__).parent / "inventories"
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*")
_CALL = re.compile(r"(?P<name>[A-Za-z_][\w.]*)\(.*\)", re.DOTALL)
_ASSIGNMENT = re.compile(r"(?P<name>[A-Za-z_]\w*)=\S.*", re.DOTALL)
# Code inside these is not prose: code blocks, links already, headings (their text is the anchor).
_SKIPPED_INSIDE = frozenset({"pre", "a", "h1", "h2", "h3", "h4", "h5", "h6", "script", "style", "textarea"})
# The blocks whose inline code names the owner of a bare member in the same sentence: the close
# context a reader takes it from. A table's cells, not its rows: a row's cells are separate facts.
_BLOCKS = frozenset({"p", "li", "td", "th", "dt", "dd", "caption", "figcaption"})
# Where a sentence or clause of a block's text ends: `0.01` and `np.inf` do not.
_SENTENCE_END = re.compile(r"[.!?;](?:\s|$)")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
)


class InventoryError(ValueError):
    """The vendored inventory cannot serve the installed scikit-learn."""


@dataclass(frozen=True)
class Link:
    """Where a code span points: `name` is the inventory entry, `url` its absolute address."""

    name: str
    url: str


@dataclass(frozen=True)
class Reference:
    """One version of scikit-learn's API reference: every entry's URL, and each class's members."""

    base_url: str  # "https://scikit-learn.org/1.9/"
    uris: dict[str, str]  # "sklearn.svm.SVC" -> "modules/generated/sklearn.svm.SVC.html#sklearn.svm.SVC"
    short: dict[str, str | None]  # "SVC" -> "sklearn.svm.SVC"; None when two objects share the name
    members: dict[str, frozenset[str]]  # "sklearn.svm.SVC" -> its parameters and fitted attributes
    member_names: frozenset[str]  # every class's parameters, attributes and methods

    def link(self, name: str) -> Link:
        return Link(name, self.base_url + self.uris[name])

    def full_name(self, name: str) -> str | None:
        """`sklearn.svm.SVC` or `SVC` -> "sklearn.svm.SVC"; None for unknown or shared names."""
        return name if name in self.uris else self.short.get(name)

    def classes(self) -> frozenset[str]:
        return frozenset(self.members)


def docs_base(version: str) -> str:
    """The versioned API reference for an installed version: "1.9.1" -> "https://scikit-learn.org/1.9/"."""
    major, minor = version.split(".")[:2]
    return f"https://scikit-learn.org/{major}.{minor}/"


def load(installed_version: str, folder: Path = INVENTORIES) -> Reference:
    """Read `sklearn.inv` and `sklearn-members.json`; they must describe the installed minor version."""
    inventory = sphobjinv.Inventory(folder / "sklearn.inv")
    if inventory.version.split(".")[:2] != installed_version.split(".")[:2]:
        raise InventoryError(
            f"{folder / 'sklearn.inv'} describes scikit-learn {inventory.version}, but {installed_version} is installed: "
            f"refresh it as {folder / 'README.md'} says"
        )
    uris: dict[str, str] = {}
    short: dict[str, str | None] = {}
    for entry in inventory.objects:
        if entry.domain != "py":
            continue
        uris[entry.name] = entry.uri_expanded
        # Short names for the public API, not for developer utilities (`sklearn.utils.deprecated`
        # would turn every `deprecated` into a link).
        if entry.role in {"class", "function"} and not entry.name.startswith("sklearn.utils."):
            last = entry.name.rsplit(".", 1)[-1]
            short[last] = None if last in short else entry.name
    data = json.loads((folder / "sklearn-members.json").read_text(encoding="utf-8"))
    if data["version"] != inventory.version:
        raise InventoryError(
            f"{folder / 'sklearn-members.json'} describes scikit-learn {data['version']}, {folder / 'sklearn.inv'} "
            f"{inventory.version}: regenerate both as {folder / 'README.md'} says"
        )
    members = {name: frozenset(d["parameters"]) | frozenset(d["attributes"]) for name, d in data["classes"].items()}
    methods = {name.rsplit(".", 1)[1] for name in uris if name.rsplit(".", 1)[0] in members}
    member_names = frozenset(methods).union(*members.values())
    return Reference(docs_base(installed_version), uris, short, members, member_names)


def named(text: str) -> tuple[str, bool] | None:
    """The dotted name a code span names, and whether it may only be a member (`alpha=0.1`)."""
    text = text.strip()
    if call := _CALL.fullmatch(text):
        text = call["name"]
    elif assignment := _ASSIGNMENT.fullmatch(text):
        return assignment["name"], True
    return (text, False) if _DOTTED.fullmatch(text) else None


def owner(text: str, reference: Reference) -> str | None:
    """The class a code span names itself (`SVC`, `SVC(C=1)`, `SVC.fit`), for a page's context."""
    name = named(text)
    if name is None or name[1]:
        return None
    parts = name[0].split(".")
    for cut in range(len(parts), 0, -1):
        full = reference.full_name(".".join(parts[:cut]))
        if full in reference.members:
            return full
    return None


def resolve(text: str, reference: Reference, contexts: Sequence[frozenset[str]] = ()) -> Link | None:
    """Where a code span's text links, or None. `contexts`: the candidate owners of a bare member,
    closest first (the classes its sentence names, then a model page's code blocks): the first in which some
    class has the member decides."""
    name = named(text)
    if name is None:
        return None
    dotted, member_only = name
    if "." in dotted:
        full = reference.full_name(dotted)
        if full is not None:
            return reference.link(full)
        head, member = dotted.rsplit(".", 1)
        return _member_link(reference.full_name(head), member, reference)
    # A bare name is first a member of the classes in context (`shuffle` is SGDClassifier's
    # parameter there, not sklearn.utils.shuffle); a member two of them have stays plain.
    for context in contexts:
        owners = [link for cls in sorted(context) if (link := _member_link(cls, dotted, reference)) is not None]
        if owners:
            return owners[0] if len(owners) == 1 else None
    full = None if member_only else reference.full_name(dotted)
    return reference.link(full) if full is not None else None


def _member_link(cls: str | None, member: str, reference: Reference) -> Link | None:
    """A method's own entry, or for a parameter or fitted attribute, its class page."""
    if cls not in reference.members:
        return None
    if f"{cls}.{member}" in reference.uris:
        return reference.link(f"{cls}.{member}")
    return reference.link(cls) if member in reference.members.get(cls, frozenset()) else None


@dataclass(frozen=True)
class CodeSpan:
    """An inline `<code>` element of plain text, at `start:end` in the page's HTML."""

    start: int
    end: int
    text: str  # unescaped
    block: int | None = None  # its sentence in the innermost block (`_BLOCKS`), numbered in page order


class _CodeSpans(HTMLParser):
    """Finds inline code outside code blocks, links and headings, keeping each one's offsets and
    block."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.spans: list[CodeSpan] = []
        self.block_text: list[str] = []  # the text of code blocks: which classes the page uses
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", page)]
        self._page = page
        self._skipped = 0  # open elements inside which code is left alone
        self._in_block = 0  # open <pre> elements
        self._open: tuple[int, list[str]] | None = None  # the code element being read: start, text
        self._blocks: list[tuple[str, int]] = []  # the open blocks, innermost last: tag, number
        self._block_count = 0
        self.feed(page)
        self.close()

    def _offset(self) -> int:
        line, column = self.getpos()
        return self._line_starts[line - 1] + column

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            return
        if tag in _SKIPPED_INSIDE:
            self._skipped += 1
        if tag in _BLOCKS:
            self._block_count += 1
            self._blocks.append((tag, self._block_count))
        if tag == "pre":
            self._in_block += 1
        if self._open is not None:
            self._open = None  # markup inside the code (highlighted inline code): not a plain name
        elif tag == "code" and not self._skipped:
            self._open = (self._offset(), [])

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            # Close up to the innermost block of that tag: a stray end tag leaves the others open.
            for index in range(len(self._blocks) - 1, -1, -1):
                if self._blocks[index][0] == tag:
                    del self._blocks[index:]
                    break
        if tag in _SKIPPED_INSIDE:
            self._skipped = max(0, self._skipped - 1)
            if tag == "pre":
                self._in_block = max(0, self._in_block - 1)
        elif tag == "code" and self._open is not None:
            start, text = self._open
            self._open = None
            end = self._page.index(">", self._offset()) + 1
            block = self._blocks[-1][1] if self._blocks else None
            self.spans.append(CodeSpan(start, end, "".join(text), block))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)
        elif self._in_block:
            self.block_text.append(data)
        elif self._blocks and _SENTENCE_END.search(data):
            # Prose ends a sentence: the rest of the block is a new one (numbered like a block).
            self._block_count += 1
            self._blocks[-1] = (self._blocks[-1][0], self._block_count)


def block_classes(spans: list[CodeSpan], reference: Reference) -> dict[int, frozenset[str]]:
    """Each sentence's classes (`CodeSpan.block`), named by its inline code (`SVC`, `SVC(C=1)`,
    `SVC.fit`): the owners a bare `coef_` or `fit` in that sentence may belong to. A sentence that
    also has a bare member none of its classes has is a general list (`n_iter_`, `loss_curve_`,
    `labels_` of `KMeans`): it names no owner."""
    classes_of: dict[int, set[str]] = {}
    bare: dict[int, list[str]] = {}
    for span in spans:
        if span.block is None:
            continue
        if (cls := owner(span.text, reference)) is not None:
            classes_of.setdefault(span.block, set()).add(cls)
        elif (name := named_member(span.text)) in reference.member_names:
            bare.setdefault(span.block, []).append(name)
    return {
        block: frozenset(classes)
        for block, classes in classes_of.items()
        if all(any(_member_link(cls, name, reference) for cls in classes) for name in bare.get(block, []))
    }


def named_member(text: str) -> str | None:
    """The bare name a code span names (`coef_`, `fit`, `alpha=0.1`), or None."""
    name = named(text)
    return name[0] if name is not None and "." not in name[0] else None


def code_block_classes(block_text: str, reference: Reference) -> frozenset[str]:
    """The classes code blocks use (`km = KMeans(n_clusters=3)`): what a model page is about."""
    in_blocks = {reference.short.get(word) for word in set(_IDENTIFIER.findall(block_text))}
    return frozenset(name for name in in_blocks if name in reference.members)


def link_page(page: str, reference: Reference, subject_page: bool = False) -> tuple[str, list[Link]]:
    """The page's HTML with each code span that names an object wrapped in a link, and the links.
    `subject_page`: the page is about one model family, whose code blocks name a bare member's
    owner when its sentence does not (see the module's docstring)."""
    parsed = _CodeSpans(page)
    spans = parsed.spans
    by_block = block_classes(spans, reference)
    subject = code_block_classes("".join(parsed.block_text), reference) if subject_page else frozenset()
    pieces: list[str] = []
    links: list[Link] = []
    done = 0
    for span in spans:
        in_block = by_block.get(span.block, frozenset()) if span.block is not None else frozenset()
        link = resolve(span.text, reference, (in_block, subject))
        if link is None:
            continue
        anchor = f'<a class="api-link" href="{html.escape(link.url)}" title="{html.escape(link.name)}">'
        pieces += [page[done : span.start], anchor, page[span.start : span.end], "</a>"]
        links.append(link)
        done = span.end
    pieces.append(page[done:])
    return "".join(pieces), links
