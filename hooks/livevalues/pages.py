"""The page side of a build: placeholders out before Markdown runs, values into the HTML after.

`mark` swaps each placeholder for a token before MkDocs converts the page, so pages convert while
snippets still run; `fill` swaps the tokens for values once they are in, checks where each value
sits, and reports any placeholder that reached the HTML unexpanded. Every problem is kept on its
page, at its line.
"""

from __future__ import annotations

import html
import re
import secrets
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from livevalues.includes import disable_lines, include_problem
from livevalues.problems import Failure, Problem, label
from livevalues.render import (
    BLOCK_KINDS,
    FormatError,
    attribute_text,
    format_block,
    format_value,
    heading_text,
    html_text,
    is_code,
    literal_braces,
    output_block,
    summarize_block,
)
from livevalues.safety import value_places
from livevalues.syntax import (
    OPENING,
    Placeholder,
    find_include_targets,
    find_includes,
    find_leftovers,
    find_placeholders,
    heading_lines,
    in_markup,
    line_of,
)

RUNNING = "…"  # what a value still being computed shows, in a page a dev server serves meanwhile


class Shown(NamedTuple):
    """What a placeholder resolved to: a value's text (a block's HTML), and how prose sets it."""

    text: str  # the text itself: what an attribute or a heading gets; a block's HTML
    block: bool = False
    code: str | None = None  # prose shows this as inline code instead: a string as Python writes it


class StillRunning(Exception):
    """The value's snippet has not reported yet (a dev server's build stopped waiting)."""


class SnippetFailed(Exception):
    def __init__(self, failure: Failure):
        self.failure = failure


class Values(Protocol):
    """What pages need from a build: values by name, and the waiting that comes with them."""

    def value(self, snippet: str, name: str) -> dict[str, Any]:
        """The captured value; raises StillRunning, SnippetFailed, or LookupError saying what is wrong."""
        ...

    def wait_for(self, names: list[str]) -> None: ...

    def failure(self, name: str) -> Failure | None: ...

    def source_label(self, name: str) -> str: ...


@dataclass
class Page:
    label: str  # "docs/models/svm.md", as a contributor opens it
    source: str  # the whole file, front matter included
    slots: list[tuple[Placeholder, int]] = field(default_factory=list)  # each token's placeholder, page line
    includes: list[tuple[str, int]] = field(default_factory=list)  # included snippets, page line
    shown: dict[str, str] = field(default_factory=dict)  # placeholder -> what the reader sees, as text
    running: set[str] = field(default_factory=set)  # snippets whose values it shows are still running
    malformed: set[str] = field(default_factory=set)  # reported in Markdown: the HTML check skips them
    problems: list[Problem] = field(default_factory=list)

    def problem(self, line: int, message: str, frames: tuple[str, ...] = ()) -> None:
        self.problems.append(Problem(f"{self.label}:{line}", message, frames))


class Pages(Mapping[str, Page]):
    """Every page of a build by its path under docs/ ("models/svm.md"), marked, then filled.

    `execute=False` shows "…" for every value (a prose preview); `show_problems_on_pages` (a dev
    server) puts each page's problems on it as a box, so the next save that fixes them clears them.
    """

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        values: Values,
        *,
        include_dirs: list[Path],
        execute: bool = True,
        show_problems_on_pages: bool = False,
    ) -> None:
        self.root = root
        self.docs_dir = docs_dir
        self._values = values
        self.include_dirs = include_dirs
        self.execute = execute
        self.show_problems_on_pages = show_problems_on_pages
        self.token = secrets.token_hex(4)  # in tokens no page can contain by accident
        self._pages: dict[str, Page] = {}

    def __getitem__(self, src: str) -> Page:
        return self._pages[src]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pages)

    def __len__(self) -> int:
        return len(self._pages)

    @property
    def problems(self) -> list[Problem]:
        return [problem for page in self._pages.values() for problem in page.problems]

    def add(self, src: str, source: str) -> None:
        """Register a page (its whole file, front matter included) before it is marked."""
        self._pages[src] = Page(label(self.docs_dir / src, self.root), source)

    def mark(self, src: str, markdown: str) -> str:
        """Replace every placeholder with a token that `fill` swaps for its value; never waits.

        So MkDocs converts every page while the snippets still run. The exception: a value in a
        heading is its text and its anchor, so it goes in now, as Markdown, once its snippet is done.
        """
        page = self._pages.setdefault(src, Page(label(self.docs_dir / src, self.root), markdown))
        page.problems.clear()
        page.slots.clear()
        page.shown.clear()
        page.running.clear()
        front_matter = _front_matter(page.source, markdown)
        offset = front_matter.count("\n")
        self._check_front_matter(page, front_matter)
        bad_includes = self._check_includes(page, markdown, offset)
        page.includes = [(path, line + offset) for path, line in find_includes(markdown) if path.endswith(".py")]
        placeholders, malformed = find_placeholders(markdown)
        page.malformed = {bad.text for bad in malformed}
        for bad in malformed:
            page.problem(
                bad.line + offset,
                f"malformed placeholder {bad.text!r}: {bad.reason}; the syntax is %{{snippet.name}} or %{{snippet.name:spec}}",
            )
        headings = heading_lines(markdown)
        pieces, cursor = [], 0
        for placeholder in placeholders:
            pieces.append(markdown[cursor : placeholder.start])
            line = placeholder.line + offset
            if placeholder.line in headings and in_markup(markdown, placeholder):
                # A heading's values go in as Markdown, before the checks on the HTML: text only.
                message = "in a heading, a value is text: not a link target, an HTML tag or an attribute list"
                page.problem(line, f"{placeholder.text}: {message}; put the link in the text below the heading")
                pieces.append(f"**⚠ {placeholder.key}**")
            elif placeholder.line in headings:
                self._values.wait_for([placeholder.snippet])
                resolved = self._resolve(page, placeholder, line, in_heading=True)
                pieces.append(heading_text(resolved.text) if resolved else f"**⚠ {placeholder.key}**")
            else:
                pieces.append(f"LIVEVALUES{self.token}S{len(page.slots)}E")
                page.slots.append((placeholder, line))
            cursor = placeholder.end
        pieces.append(markdown[cursor:])
        return disable_lines("".join(pieces), bad_includes)  # placeholders never span lines: numbers hold

    def fill(self, src: str, text: str) -> str:
        """Swap `mark`'s tokens in the page's HTML for values, waiting for its snippets; check the result.

        A value refused where it sits (a link target with an unsafe scheme, a block inside a tag)
        is left out and reported; so is any placeholder that reached the HTML unexpanded.
        """
        page = self._pages[src]
        self._values.wait_for(
            [placeholder.snippet for placeholder, _ in page.slots] + [Path(p).stem for p, _ in page.includes]
        )
        for path, line in page.includes:
            failure = self._values.failure(Path(path).stem)
            if failure is not None:
                page.problem(line, f"includes {path}, whose snippet {failure.describe()}", failure.frames)

        token = re.compile(rf"LIVEVALUES{self.token}S(\d+)E")
        resolved: dict[int, Shown | None] = {}

        def resolve(index: int) -> Shown | None:
            if index not in resolved:
                placeholder, line = page.slots[index]
                resolved[index] = self._resolve(page, placeholder, line)
            return resolved[index]

        in_attributes, refused = self._check_places(page, text, token, resolve)

        def value(match: re.Match[str]) -> str:
            opening, index, closing = match.group(1) or "", int(match.group(2)), match.group(3) or ""
            if index in refused:
                return opening + closing
            key, shown = page.slots[index][0].key, resolve(index)
            if index in in_attributes:  # never a block: `_check_places` refused those
                return opening + attribute_text(shown.text if shown else f"⚠ {key}") + closing
            if shown is None:
                return f"{opening}<strong>⚠ {html.escape(key)}</strong>{closing}"
            if shown.block and opening and closing:
                return shown.text  # a block replaces the paragraph Markdown wrapped its token in
            if shown.code is not None:  # text inside an element: its quotes need no escaping
                return f"{opening}<code>{literal_braces(html.escape(shown.code, quote=False))}</code>{closing}"
            return opening + (shown.text if shown.block else html_text(shown.text)) + closing

        text = re.sub(rf"(<p>)?{token.pattern}(</p>)?", value, text)
        for leftover in find_leftovers(text):
            if leftover not in page.malformed:
                page.problem(*self._origin(page, leftover))
        if page.problems and self.show_problems_on_pages:
            text = _problems_box(page.problems) + text
        if page.running:
            text = _running_box(sorted(self._values.source_label(name) for name in page.running)) + text
        return text

    def _check_front_matter(self, page: Page, front_matter: str) -> None:
        """Report each placeholder in front matter, which MkDocs turns into <title> and more before any value exists."""
        for opening in OPENING.finditer(front_matter):
            page.problem(
                line_of(front_matter, opening.start()),
                f"{opening.group()}: values are not expanded in front matter: it becomes the <title>, the"
                " navigation, the search entry and the link preview before any value exists; show the value"
                " in the page's text",
            )

    def _check_includes(self, page: Page, markdown: str, offset: int) -> set[int]:
        """Report each include pymdownx.snippets would fail on; their lines in `markdown`, to disable."""
        bad = set()
        for include in find_include_targets(markdown):
            problem = include_problem(include, self.include_dirs, self.root)
            if problem is not None:
                page.problem(include.line + offset, f'--8<-- "{include.target}": {problem}')
                bad.add(include.line)
        return bad

    def _check_places(
        self,
        page: Page,
        text: str,
        token: re.Pattern[str],
        resolve: Callable[[int], Shown | None],
    ) -> tuple[set[int], set[int]]:
        """Slots whose token sits in an attribute, and slots refused where they sit (reported); see `safety`."""
        in_attributes: set[int] = set()
        refused: set[int] = set()
        for place in value_places(text, token) if page.slots else []:
            reason = place.refusal(lambda written: token.sub(lambda m: _inline(resolve(int(m[1]))), written))
            if reason is None and any((shown := resolve(slot)) and shown.block for slot in place.slots):
                reason = "a block (a table, a figure, printed output) cannot go inside a tag"
            if reason is None:
                in_attributes.update(place.slots)
                continue
            placeholders = " ".join(dict.fromkeys(page.slots[slot][0].text for slot in place.slots))
            page.problem(page.slots[place.slots[0]][1], f"{placeholders}: {reason}")
            refused.update(place.slots)
        return in_attributes, refused

    def _resolve(self, page: Page, placeholder: Placeholder, line: int, in_heading: bool = False) -> Shown | None:
        """What a placeholder shows: (text, False) or (block HTML, True); None after reporting a problem."""
        if not self.execute:
            return Shown("…")
        try:
            value = self._values.value(placeholder.snippet, placeholder.name)
            if value["kind"] in BLOCK_KINDS:
                if in_heading:
                    raise FormatError(f"is a block ({value['kind']}): a heading holds text only")
                if not placeholder.alone:
                    raise FormatError(f"is a block ({value['kind']}): put the placeholder on a line of its own")
                page.shown[placeholder.text] = summarize_block(value, placeholder.spec)
                return Shown(format_block(value, placeholder.spec, placeholder.key), block=True)
            text = format_value(value, placeholder.spec, as_code=False)
            # A heading is text and an anchor: a string goes in as itself, not as code.
            code = (
                format_value(value, placeholder.spec) if is_code(value, placeholder.spec) and not in_heading else None
            )
            page.shown[placeholder.text] = code or text
            return Shown(text, code=code)
        except StillRunning:
            page.running.add(placeholder.snippet)
            return Shown(RUNNING)
        except SnippetFailed as failed:
            failure = failed.failure
            kind = "snippet" if self._values.source_label(placeholder.snippet).startswith("snippets/") else "notebook"
            page.problem(line, f"{placeholder.text}: {kind} {failure.describe()}", failure.frames)
        except FormatError as error:
            page.problem(line, f"{placeholder.text}: {placeholder.key} {error}")
        except LookupError as error:
            page.problem(line, f"{placeholder.text}: {error.args[0]}")
        return None

    def _origin(self, page: Page, text: str) -> tuple[int, str]:
        """The page line an unexpanded placeholder came from: its own, or the include that brought it."""
        message = f"{text} reached the HTML unexpanded"
        if text in page.source:
            return line_of(page.source, page.source.index(text)), message
        for included, line in find_includes(page.source):
            for folder in self.include_dirs:
                path = folder / included
                if path.is_file() and text in (content := path.read_text(encoding="utf-8", errors="replace")):
                    where = f"{label(path, self.root)}:{line_of(content, content.index(text))}"
                    return line, (
                        f"{message}: it is in {where}, included here; placeholders are expanded only in"
                        " a page's own Markdown, not in included files"
                    )
        return 1, message


def names_used(markdown: str) -> list[str]:
    """The snippets a page shows values of or includes, in order of first appearance."""
    placeholders, _ = find_placeholders(markdown)
    used = [(placeholder.line, placeholder.snippet) for placeholder in placeholders]
    used += [(line, Path(path).stem) for path, line in find_includes(markdown) if path.endswith(".py")]
    return list(dict.fromkeys(name for _, name in sorted(used)))


def _inline(resolved: Shown | None) -> str:
    """A resolved value's text; "" for a block or a value that failed (reported already)."""
    return resolved.text if resolved is not None and not resolved.block else ""


def _front_matter(source: str, markdown: str) -> str:
    """What MkDocs removed from the top of the page (YAML or MultiMarkdown front matter) before handing over the Markdown."""
    return source[: len(source) - len(markdown)] if markdown and source.endswith(markdown) else ""


def _running_box(files: list[str]) -> str:
    names = ", ".join(f"<code>{html.escape(file)}</code>" for file in files)
    return (
        '<div class="admonition info livevalues-running"><p class="admonition-title">Still running</p>'
        f"<p>{names} {'is' if len(files) == 1 else 'are'} still running: the values it computes show as"
        f" {RUNNING}. This page reloads by itself when {'it is' if len(files) == 1 else 'they are'} done.</p></div>"
    )


def _problems_box(problems: list[Problem]) -> str:
    body = "\n\n".join(str(problem) for problem in problems)
    title = f"This page has {len(problems)} problem{'s' if len(problems) > 1 else ''}; a strict build fails"
    return f'<div class="admonition failure livevalues-problems"><p class="admonition-title">{html.escape(title)}</p>{output_block(body, "Problems")}</div>'
