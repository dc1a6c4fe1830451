"""The value syntax `%{snippet.name:spec}`: finding placeholders in Markdown, outside code.

Code is found by hand rather than with markdown-it-py: the pages are Python-Markdown with
pymdownx extensions, where text indented under `!!! note` or `=== "Tab"` is prose and fences may
be indented at any depth. A CommonMark parser would call that text an indented code block and
miss those fences, so placeholders in admonitions would silently stay unexpanded.
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
INCLUDE = re.compile(r"""^[ \t]*-{1,}8<-{1,}[ \t]+(?P<quote>["'])(?P<target>[^"'\n]+?)(?P=quote)[ \t]*$""", re.M)
CODE_SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.S)
ATX_HEADING = re.compile(r"^ {0,3}#{1,6}(?:[ \t]|$)")
SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)[ \t]*$")
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
    reason: str = ""


def line_of(text: str, offset: int) -> int:
    """The 1-based line number of a character offset."""
    return text.count("\n", 0, offset) + 1


def code_ranges(markdown: str) -> list[tuple[int, int]]:
    """Offsets of fenced code blocks and inline code spans, where placeholders are left alone."""
    ranges: list[tuple[int, int]] = []
    offset = 0
    fence: tuple[str, int] | None = None  # (fence character, length) while inside a fence
    fence_start = 0
    prose_start = 0
    for line in markdown.splitlines(keepends=True):
        stripped = line.strip()
        if fence is None:
            match = FENCE_OPEN.match(line.rstrip("\r\n"))
            if match and not (match["fence"][0] == "`" and "`" in match["info"]):
                ranges += _code_spans(markdown, prose_start, offset)
                fence = (match["fence"][0], len(match["fence"]))
                fence_start = offset
        elif stripped and set(stripped) == {fence[0]} and len(stripped) >= fence[1]:
            ranges.append((fence_start, offset + len(line)))
            fence = None
            prose_start = offset + len(line)
        offset += len(line)
    if fence is not None:  # an unclosed fence runs to the end, as in CommonMark
        ranges.append((fence_start, len(markdown)))
    else:
        ranges += _code_spans(markdown, prose_start, len(markdown))
    return sorted(ranges)


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


def find_includes(markdown: str) -> list[tuple[str, int]]:
    """Files a page includes with pymdownx.snippets (`--8<-- "svm.py:fit"`), with their lines."""
    includes = []
    for match in INCLUDE.finditer(markdown):
        target = match["target"]
        path = re.sub(r":[A-Za-z0-9_-]+$|:\d+(?::\d+)?$", "", target)
        includes.append((path, line_of(markdown, match.start())))
    return includes


def heading_lines(markdown: str) -> set[int]:
    """The 1-based numbers of heading lines (`# Title`, or a line underlined with === or ---)."""
    lines = markdown.split("\n")
    found = set()
    for number, line in enumerate(lines, 1):
        if ATX_HEADING.match(line):
            found.add(number)
        elif SETEXT_UNDERLINE.match(line) and number > 1 and lines[number - 2].strip():
            found.add(number - 1)
    return found


def find_leftovers(html: str) -> list[str]:
    """Placeholder-like text that reached the HTML outside code: it was never expanded."""
    prose = PRE_OR_CODE.sub("", html)
    return [match.group() for match in OPENING.finditer(prose)]
