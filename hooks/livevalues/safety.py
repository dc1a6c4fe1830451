"""What a value may become in a page: text, a link to an http, https or relative URL, a figure that runs nothing.

A value is untrusted input: a snippet computes it, a cache file holds it. Escaping keeps it text
in the page's text; this module covers the rest, where escaping is not enough: a value that is a
link target (`[text](%{s.url})`), sits in an attribute or a <script>, or is a figure's SVG.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from xml.etree import ElementTree

SAFE_URLS = "only http, https and relative URLs"
# Browsers drop ASCII tabs and newlines anywhere in a URL, and control characters and spaces around it.
URL_IGNORED = re.compile(r"[\x00-\x20\x7f]")
SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
RASTER = re.compile(r"data:image/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*\Z")  # matplotlib's imshow

# Attributes whose value a browser follows or loads as a URL.
URL_ATTRIBUTES = {"href", "xlink:href", "src", "action", "formaction", "poster", "cite", "data", "background"}
URL_ATTRIBUTES |= {"longdesc", "manifest", "ping", "codebase", "usemap", "icon"}
CODE_ELEMENTS = {"script", "style"}  # their text is code, not text: a value there would be code
ANIMATIONS = {"animate", "animatemotion", "animatetransform", "set"}  # they can set any attribute: an href

# The SVG elements that draw or describe and never run anything (SVG 1.1's static ones); not
# script, foreignObject (HTML inside), animations, nor any element HTML would take out of the SVG.
SVG_ELEMENTS = {
    "a", "circle", "clipPath", "defs", "desc", "ellipse", "filter", "g", "image", "line", "linearGradient",
    "marker", "mask", "metadata", "path", "pattern", "polygon", "polyline", "radialGradient", "rect", "stop",
    "style", "svg", "switch", "symbol", "text", "textPath", "title", "tspan", "use", "view",
}  # fmt: skip
FILTER_PRIMITIVE = re.compile(r"fe[A-Z][A-Za-z]*\Z")  # feColorMatrix, feComposite, ...
METADATA_PREFIXES = {"rdf", "cc", "dc"}  # matplotlib's <metadata>: inert elements in the browser
# A comment as matplotlib writes one: nothing in it that could end it early or read otherwise in HTML.
SAFE_COMMENT = re.compile(r"<!--(?!-?>)(?:(?!--)[^<>])*-->")
TAG_NAME = re.compile(r"</?([^\s/>]+)")


def safe_url(url: str) -> bool:
    """http, https or relative: where a link from a value, or a figure, may point."""
    scheme = SCHEME.match(URL_IGNORED.sub("", url))
    return scheme is None or scheme[1].lower() in {"http", "https"}


def svg_problem(svg: str) -> str | None:
    """What in a figure's SVG could run script or point to an unsafe URL, as "has ..." words; None if nothing.

    Checked as the browser will read it, inline in HTML: every element is one SVG draws with (a
    <p> or <img> would leave the SVG), no attribute is an event handler, every link is safe.
    Comments must be plain, as HTML and XML read anything else differently.
    """
    for declaration in re.finditer(r"<[!?]", svg):
        if not SAFE_COMMENT.match(svg, declaration.start()):
            what = "a processing instruction" if declaration[0] == "<?" else "a declaration"
            if svg.startswith("<!--", declaration.start()):
                what = "a comment that HTML would read differently"
            return f"has {what}: {svg[declaration.start() : declaration.start() + 30]!r}"
    markup = SAFE_COMMENT.sub("", svg)
    for name in dict.fromkeys(TAG_NAME.findall(markup)):
        prefix, _, local = name.rpartition(":")
        if not (prefix in METADATA_PREFIXES or (not prefix and (name in SVG_ELEMENTS or FILTER_PRIMITIVE.match(name)))):
            return f"has a <{name}> element, which is not one SVG draws with"
    try:
        root = ElementTree.fromstring(svg)
    except ElementTree.ParseError as error:
        return f"is not well-formed SVG ({error})"
    for element in root.iter():
        for attribute, value in element.attrib.items():
            local = attribute.rpartition("}")[2].lower()
            if local.startswith("on"):
                return f"has an {local} attribute, which runs script"
            raster = element.tag.endswith("}image") and RASTER.match(value)
            if local in {"href", "src"} and not (safe_url(value) or raster):
                return f"links to {value!r}: a figure may link to {SAFE_URLS}"
    return None


@dataclass(frozen=True)
class Place:
    """Values (by slot) somewhere in a page's HTML other than its text: an attribute, a tag, a <script>."""

    slots: tuple[int, ...]
    tag: str
    attribute: str | None  # None: the element's own text (a <script> or <style>); NAME: a tag or attribute name
    written: str  # the attribute's value or the element's text, slot tokens and all

    def refusal(self, filled: Callable[[str], str]) -> str | None:
        """Why values may not go here, given `written` with the values in; None if they may."""
        if self.attribute is None:
            return f"a value cannot go into a <{self.tag}> element, where it would be code"
        if self.attribute == NAME:
            return "a value cannot be the name of a tag or an attribute"
        if self.attribute.startswith("on") or self.attribute == "srcdoc" or self.tag in ANIMATIONS:
            return f"a value cannot go into the {self.attribute} attribute, which runs as code"
        if self.attribute in URL_ATTRIBUTES | {"srcset"}:
            value = filled(self.written)
            urls = (
                [part.split()[0] for part in value.split(",") if part.split()]
                if self.attribute == "srcset"
                else [value]
            )
            if not all(safe_url(url) for url in urls):
                return f"a value makes the {self.attribute} {value!r}: links and images may use {SAFE_URLS}"
        return None


NAME = "name"


def value_places(html: str, token: re.Pattern[str]) -> list[Place]:
    """Where tokens (`token` captures the slot number) sit in attributes, tag or attribute names, or code."""
    finder = _PlaceFinder(re.compile(token.pattern, re.I))  # HTMLParser lowercases tag and attribute names
    finder.feed(html)
    finder.close()
    return finder.places


class _PlaceFinder(HTMLParser):
    def __init__(self, token: re.Pattern[str]) -> None:
        super().__init__(convert_charrefs=False)
        self.token = token
        self.places: list[Place] = []
        self._code: str | None = None  # the <script> or <style> whose text is being read

    def _slots(self, text: str) -> tuple[int, ...]:
        return tuple(int(match[1]) for match in self.token.finditer(text))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = " ".join([tag, *(name for name, _ in attrs)])
        if slots := self._slots(names):
            self.places.append(Place(slots, tag, NAME, names))
        for name, value in attrs:
            if value and (slots := self._slots(value)):
                self.places.append(Place(slots, tag, name, value))
        if tag in CODE_ELEMENTS:
            self._code = tag

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        self._code = None

    def handle_endtag(self, tag: str) -> None:
        if tag == self._code:
            self._code = None

    def handle_data(self, data: str) -> None:
        if self._code and (slots := self._slots(data)):
            self.places.append(Place(slots, self._code, None, data))
