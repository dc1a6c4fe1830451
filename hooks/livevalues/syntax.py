"""The value syntax `%{snippet.name:spec}`: finding placeholders in Markdown, outside code.

Code is found by hand rather than with markdown-it-py: the pages are Python-Markdown with
pymdownx extensions, where text indented under `!!! note` or `=== "Tab"` is prose and fences may
be indented at any depth. A CommonMark parser would call that text an indented code block and
miss those fences, so placeholders in admonitions would silently stay unexpanded. Indented code
blocks are found with Python-Markdown's own rule instead: indented 4 more than the content of the
container they are in (admonition, details, tab, list item, footnote), after a blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PLACEHOLDER = re.compile(
    r"%\{(?P<snippet>[A-Za-z_][A-Za-z0-9_]*)\.(?P<name>[A-Za-z_][A-Za-z0-9_]*)"
    r"(?::(?P<spec>[^{}\n]*))?\}"
)
# Anything that opens like a placeholder: what PLACEHOLDER rejects here is a typo to report.
OPENING = re.compile(r"%\{[^}\n]*\}?")
FENCE_OPEN = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
# pymdownx.snippets' own patterns (13.1): an include line `--8<-- "file.py:section"` or a bare
# `--8<--` opening or closing a block of paths (a leading `;` escapes either), and a target's parts:
# path, then line ranges (`:1:5,8:9`) or a section (`:name`).
INCLUDE = re.compile(
    r"""^[ \t]*(?P<escape>;*)(?:-{1,}8<-{1,}[ \t]+(?P<quoted>"(?:\\"|[^"\n\r])+?"|'(?:\\'|[^'\n\r])+?')(?![ \t])"""
    r"""|(?P<block>-{1,}8<-{1,})(?![ \t]))\r?$"""
)
INCLUDE_TARGET = re.compile(
    r"(?i)(?P<path>.*?)(?:(?::-?[0-9]*){1,2}(?:(?:,(?=[-0-9:])-?[0-9]*)(?::-?[0-9]*)?)*|:(?P<section>[a-z][-_0-9a-z]*))?$"
)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
TAB = 4  # Python-Markdown's tab_length: content under a container, and code, are indented this much
# Containers whose content is indented 4: admonitions, details (pymdownx.details), tabs (pymdownx.tabbed).
CONTAINER = re.compile(r"(?:!!!|\?\?\?\+?)[ \t]*[\w-]|===[+!]{0,2}[ \t]+\"")
# Containers whose content is indented 4 too, and which lazy lines continue: list items, footnotes.
LIST_ITEM = re.compile(r"(?:[*+-]|\d+\.)[ \t]+\S|\[\^[^\]\s]+\]:")
# A rule (`- - -`, `***`) or a setext underline (`===`, `---`): a block boundary, like a heading.
RULE_OR_UNDERLINE = re.compile(r"(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,}|=+[ \t]*|-+[ \t]*)$")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
ATX_TEXT = re.compile(r"^ {0,3}(?P<marks>#{1,6})(?:[ \t]+(?P<text>.*?))?[ \t]*#*[ \t]*$")
ATTR_LIST = re.compile(r"\s*\{\s*#(?P<anchor>[\w-]+)[^}]*\}\s*$")
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)(?:---|\.\.\.)[ \t]*\n", re.DOTALL)
# Markup a placeholder can sit inside of: a link target `](`, an HTML tag `<a `, an attribute list `{ `.
IN_MARKUP = re.compile(r"\]\([^)]*\Z|<[A-Za-z/!?][^>]*\Z|\{[^}]*\Z")
PRE_OR_CODE = re.compile(r"<(pre|code|script|style)\b.*?</\1>", re.S | re.I)


@dataclass(frozen=True)
class Placeholder:
    """One `%{snippet.name:spec}` in a page; `line` is 1-based in the text it was found in."""

    text: str
    snippet: str
    name: str
    spec: str | None
    line: int
    start: int
    end: int
    alone: bool  # the only thing on its line: may hold a block (table, figure, output)

    @property
    def key(self) -> str:
        return f"{self.snippet}.{self.name}"


@dataclass(frozen=True)
class Malformed:
    """Text that opens like a placeholder but does not parse, and why, in the contributor's terms."""

    text: str
    line: int
    reason: str


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Offsets of code blocks (fenced and indented) and inline code spans, where placeholders are left alone."""
    blocks = code_blocks(markdown)
    ranges = list(blocks)
    prose_start = 0
    for start, end in [*blocks, (len(markdown), len(markdown))]:
        ranges += _code_spans(markdown, prose_start, start)
        prose_start = end
    return sorted(ranges)


def code_blocks(markdown: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and of the lines of indented code blocks, as Python-Markdown reads them.

    Indented text is prose under a container (its content is indented 4) and code when indented
    4 more than its container's content after a blank line, a heading or the container's first
    line; a line indented less, with no blank line before it, ends an admonition but continues a
    list item (a "lazy" line).
    """
    ranges: list[tuple[int, int]] = []
    containers: list[tuple[int, bool]] = []  # (content indent, is a list item) of each open container
    fence: tuple[str, int] | None = None  # (fence character, length) while inside a fence
    fence_start = 0
    fresh = True  # the next line may start an indented code block
    code_indent: int | None = None  # while inside an indented code block: the indent its lines have
    offset = 0
    for line in markdown.splitlines(keepends=True):
        start, offset = offset, offset + len(line)
        text = line.rstrip("\r\n")
        stripped = text.strip()
        if fence is not None:
            if stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1]:
                ranges.append((fence_start, offset))
                fence = None
                fresh = False
            continue
        if not stripped:
            fresh = True
            continue
        indent = len(text.expandtabs(TAB)) - len(text.expandtabs(TAB).lstrip())
        if code_indent is not None and indent >= code_indent:
            ranges.append((start, offset))
            continue
        code_indent = None
        opens = _opens_block(stripped)
        if fresh or opens or not (containers and containers[-1][1]):  # else a lazy line of a list item
            while containers and indent < containers[-1][0]:
                containers.pop()
        base = containers[-1][0] if containers else 0
        if fresh and indent >= base + TAB:
            code_indent = base + TAB
            ranges.append((start, offset))
            continue
        fence_match = FENCE_OPEN.match(text)
        if fence_match and not (fence_match["fence"][0] == "`" and "`" in fence_match["info"]):
            fence = (fence_match["fence"][0], len(fence_match["fence"]))
            fence_start = start
            continue
        fresh = bool(CONTAINER.match(stripped) or ATX_HEADING.match(text) or RULE_OR_UNDERLINE.match(stripped))
        if CONTAINER.match(stripped) or (LIST_ITEM.match(stripped) and not RULE_OR_UNDERLINE.match(stripped)):
            containers.append((indent + TAB, bool(LIST_ITEM.match(stripped))))
    if fence is not None:  # an unclosed fence runs to the end, as in CommonMark
        ranges.append((fence_start, len(markdown)))
    return ranges


def _opens_block(stripped: str) -> bool:
    """A line that starts a block of its own, so it is not a lazy continuation of a list item."""
    return bool(CONTAINER.match(stripped) or LIST_ITEM.match(stripped) or FENCE_OPEN.match(stripped))


def _code_spans(markdown: str, start: int, end: int) -> list[tuple[int, int]]:
    """Inline code spans in prose, paragraph by paragraph (a span never crosses a blank line)."""
    spans = []
    for paragraph in re.finditer(r"(?:[^\n]*\S[^\n]*(?:\n|$))+", markdown[start:end]):
        base = start + paragraph.start()
        spans += [(base + m.start(), base + m.end()) for m in CODE_SPAN.finditer(paragraph.group())]
    return spans


def _inside(position: int, ranges: list[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in ranges)


def find_placeholders(markdown: str) -> tuple[list[Placeholder], list[Malformed]]:
    """Every placeholder outside code, and every malformed one, in order of appearance."""
    code = code_ranges(markdown)
    found: list[Placeholder] = []
    malformed: list[Malformed] = []
    for opening in OPENING.finditer(markdown):
        if _inside(opening.start(), code):
            continue
        line = line_of(markdown, opening.start())
        match = PLACEHOLDER.match(markdown, opening.start())
        if match is None:
            malformed.append(Malformed(opening.group(), line, why_malformed(opening.group())))
            continue
        line_start = markdown.rfind("\n", 0, match.start()) + 1
        line_end = markdown.find("\n", match.end())
        line_end = len(markdown) if line_end == -1 else line_end
        alone = not markdown[line_start : match.start()].strip() and not markdown[match.end() : line_end].strip()
        found.append(
            Placeholder(
                match.group(), match["snippet"], match["name"], match["spec"], line, match.start(), match.end(), alone
            )
        )
    return found, malformed


IDENTIFIER_RULE = "names are ASCII Python identifiers: letters, digits and underscores, not starting with a digit"


def why_malformed(text: str) -> str:
    """Why `text`, which opens like a placeholder, is not one: the first rule it breaks."""
    if not text.endswith("}"):
        return "unclosed: no } before the end of the line"
    key, colon, spec = text[2:-1].partition(":")
    if colon and ("{" in spec or "}" in spec):
        return "the format spec after ':' cannot hold { or }"
    if not key.strip():
        return "empty: write %{snippet.name}"
    if key != key.strip():
        return "spaces are not allowed around the names"
    parts = key.split(".")
    if len(parts) == 1:
        return f"missing .name: write %{{{key}.name}}, a value of snippets/{key}.py"
    if len(parts) > 2:
        return "one dot only, between the snippet and the value name: %{snippet.name}"
    for part, what in zip(parts, ("snippet name before", "value name after"), strict=True):
        if not part:
            return f"the {what} the dot is empty"
    problem = next(filter(None, map(_not_an_identifier, parts)), "it does not parse")
    return f"{problem}; {IDENTIFIER_RULE}"


def _not_an_identifier(name: str) -> str:
    """What keeps `name` from being an ASCII identifier, or "" when it is one."""
    for character in name:
        if not character.isascii():
            return f"{name!r} has the non-ASCII character {character!r}"
        if not (character.isalnum() or character == "_"):
            return f"{name!r} has the character {character!r}"
    return f"{name!r} starts with a digit" if name[0].isdigit() else ""


@dataclass(frozen=True)
class Include:
    """One file included with pymdownx.snippets: `--8<-- "svm.py:fit"`, or a path in a `--8<--` block."""

    target: str  # as written: "svm.py:fit"
    path: str  # "svm.py"
    section: str | None  # "fit"
    line: int


def find_include_targets(markdown: str) -> list[Include]:
    """Every file the text includes, as pymdownx.snippets reads the lines (in code blocks too: it does)."""
    includes = []
    in_block = False
    for number, line in enumerate(markdown.split("\n"), 1):
        match = INCLUDE.match(line)
        if match and match["escape"]:
            continue
        if match and match["block"]:
            in_block = not in_block
            continue
        if match and not in_block:
            target = match["quoted"][1:-1].strip()
        elif in_block and not match:  # pymdownx ignores an include line inside a block
            target = line.strip()
        else:
            continue
        if target and not target.startswith(";"):  # `;` comments a path out
            parts = INCLUDE_TARGET.match(target)
            assert parts is not None  # every part of the pattern is optional
            includes.append(Include(target, parts["path"].strip(), parts["section"], number))
    return includes


def find_includes(markdown: str) -> list[tuple[str, int]]:
    """Files a page includes with pymdownx.snippets (`--8<-- "svm.py:fit"`), with their lines."""
    return [(include.path, include.line) for include in find_include_targets(markdown)]


def in_markup(markdown: str, placeholder: Placeholder) -> bool:
    """Whether the placeholder is inside a link target, an HTML tag or an attribute list on its line."""
    line_start = markdown.rfind("\n", 0, placeholder.start) + 1
    return IN_MARKUP.search(markdown, line_start, placeholder.start) is not None


@dataclass(frozen=True)
class Heading:
    """A heading outside code: `## Text { #anchor }`, or a line underlined with === or ---."""

    line: int  # 1-based
    level: int
    text: str  # without the attribute list
    anchor: str  # the explicit `{ #anchor }`, or ""


def headings(markdown: str) -> list[Heading]:
    """Every heading outside code blocks (front matter, if any, must be split off first)."""
    lines = markdown.split("\n")
    code = {
        number
        for start, end in code_blocks(markdown)
        for number in range(line_of(markdown, start), line_of(markdown, max(start, end - 1)) + 1)
    }
    found: list[Heading] = []
    for number, line in enumerate(lines, 1):
        if number in code:
            continue
        atx = ATX_TEXT.match(line)
        if atx:
            found.append(_heading(number, len(atx["marks"]), atx["text"] or ""))
        elif (
            SETEXT_UNDERLINE.match(line)
            and number > 1
            and lines[number - 2].strip()
            and number - 1 not in code
            and not (found and found[-1].line == number - 1)
        ):
            level = 1 if line.strip().startswith("=") else 2
            found.append(_heading(number - 1, level, lines[number - 2].strip()))
    return found


def _heading(line: int, level: int, text: str) -> Heading:
    anchor = ATTR_LIST.search(text)
    return Heading(line, level, ATTR_LIST.sub("", text), anchor["anchor"] if anchor else "")


def heading_lines(markdown: str) -> set[int]:
    """The 1-based numbers of heading lines (`# Title`, or a line underlined with === or ---)."""
    return {heading.line for heading in headings(markdown)}


def split_front_matter(source: str) -> tuple[str, str, int]:
    """(YAML front matter text, the rest, the number of lines the front matter takes)."""
    match = FRONT_MATTER.match(source)
    if not match:
        return "", source, 0
    return match[1], source[match.end() :], match[0].count("\n")


def find_leftovers(html: str) -> list[str]:
    """Placeholder-like text that reached the HTML outside code: it was never expanded."""
    prose = PRE_OR_CODE.sub("", html)
    return [match.group() for match in OPENING.finditer(prose)]
