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
| `coef_`, `fit`, `alpha=0.1` | as `Owner.coef_`, when exactly one class the page names has that member |

The classes a page names are those its inline code resolves to (`SVC`, `SVC(C=1)`, `SVC.fit`) and
those its code blocks use (`km = KMeans(n_clusters=3)`). A bare name is tried as their member
before it is tried as a short name.

Anything else, a short name two objects share, or a member two of the page's classes have, stays
plain text: a wrong link is worse than none.
"""

from __future__ import annotations

import html
import json
import re
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
    return Reference(docs_base(installed_version), uris, short, members)


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


def resolve(text: str, reference: Reference, context: frozenset[str] = frozenset()) -> Link | None:
    """Where a code span's text links, or None. `context`: the classes the page names (`owner`)."""
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
    # A bare name is first a member of the page's classes (`shuffle` is SGDClassifier's parameter
    # there, not sklearn.utils.shuffle); a member two of them have stays plain.
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


class _CodeSpans(HTMLParser):
    """Finds inline code outside code blocks, links and headings, keeping each one's offsets."""

    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.spans: list[CodeSpan] = []
        self.block_text: list[str] = []  # the text of code blocks: which classes the page uses
        self._line_starts = [0] + [match.end() for match in re.finditer("\n", page)]
        self._page = page
        self._skipped = 0  # open elements inside which code is left alone
        self._in_block = 0  # open <pre> elements
        self._open: tuple[int, list[str]] | None = None  # the code element being read: start, text
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
        if tag == "pre":
            self._in_block += 1
        if self._open is not None:
            self._open = None  # markup inside the code (highlighted inline code): not a plain name
        elif tag == "code" and not self._skipped:
            self._open = (self._offset(), [])

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_INSIDE:
            self._skipped = max(0, self._skipped - 1)
            if tag == "pre":
                self._in_block = max(0, self._in_block - 1)
        elif tag == "code" and self._open is not None:
            start, text = self._open
            self._open = None
            end = self._page.index(">", self._offset()) + 1
            self.spans.append(CodeSpan(start, end, "".join(text)))

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open[1].append(data)
        elif self._in_block:
            self.block_text.append(data)


def code_spans(page: str) -> list[CodeSpan]:
    """The inline code spans of an HTML page that may be linked, in order."""
    return _CodeSpans(page).spans


def page_classes(spans: list[CodeSpan], block_text: str, reference: Reference) -> frozenset[str]:
    """The classes a page names: in its inline code (`SVC`, `SVC(C=1)`, `SVC.fit`) or in its code
    blocks (`km = KMeans(n_clusters=3)`), the owners a bare `coef_` or `fit` may belong to."""
    named_inline = {owner(span.text, reference) for span in spans}
    in_blocks = {reference.short.get(word) for word in set(_IDENTIFIER.findall(block_text))}
    return frozenset(name for name in named_inline | in_blocks if name in reference.members)


def link_page(page: str, reference: Reference) -> tuple[str, list[Link]]:
    """The page's HTML with each code span that names an object wrapped in a link, and the links."""
    parsed = _CodeSpans(page)
    spans = parsed.spans
    context = page_classes(spans, "".join(parsed.block_text), reference)
    pieces: list[str] = []
    links: list[Link] = []
    done = 0
    for span in spans:
        link = resolve(span.text, reference, context)
        if link is None:
            continue
        anchor = f'<a class="api-link" href="{html.escape(link.url)}" title="{html.escape(link.name)}">'
        pieces += [page[done : span.start], anchor, page[span.start : span.end], "</a>"]
        links.append(link)
        done = span.end
    pieces.append(page[done:])
    return "".join(pieces), links
