"""One site build: which snippets pages need, their results, and every problem found on the way."""

from __future__ import annotations

import html
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from livevalues.cache import Cache
from livevalues.includes import disable_lines, include_problem
from livevalues.limits import Limits
from livevalues.pool import Batch, submit
from livevalues.problems import Failure, Problem, did_you_mean
from livevalues.render import (
    BLOCK_KINDS,
    FormatError,
    attribute_text,
    format_block,
    format_value,
    heading_text,
    html_text,
    output_block,
    summarize_block,
)
from livevalues.results import SnippetResult
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


@dataclass
class _Page:
    label: str  # "docs/models/svm.md", as a contributor opens it
    source: str  # the whole file, front matter included
    slots: list[tuple[Placeholder, int]] = field(default_factory=list)  # each token's placeholder, page line
    includes: list[tuple[str, int]] = field(default_factory=list)  # included files, page line
    shown: dict[str, str] = field(default_factory=dict)  # placeholder -> what the reader sees, as text
    running: set[str] = field(default_factory=set)  # snippets whose values it shows are still running
    malformed: set[str] = field(default_factory=set)  # reported in Markdown: the HTML check skips them
    problems: list[Problem] = field(default_factory=list)


class Build:
    """Runs what a build's pages need once while MkDocs converts them, then fills in the values; collects all problems.

    `show_problems_on_pages` (for a dev server) puts each problem on its page as a visible box,
    so the server keeps running and the next save that fixes it clears it.
    """

    def __init__(
        self,
        root: Path,
        docs_dir: Path,
        *,
        include_dirs: list[Path] | None = None,
        limits: Limits = Limits(),
        cache: Cache | None = None,
        show_problems_on_pages: bool = False,
        execute: bool = True,
        wait: float | None = None,
    ):
        self.root = root
        self.docs_dir = docs_dir
        self.include_dirs = include_dirs or [root / "snippets"]
        self.snippets_dir = root / "snippets"
        self.notebooks_dir = docs_dir / "notebooks"  # jupytext percent-format sources of notebook pages
        self.limits = limits
        self.cache = cache
        self.show_problems_on_pages = show_problems_on_pages
        self.execute = execute  # False: run nothing, show "…" for every value (LIVEVALUES_EXECUTE=0)
        # A dev server's build waits at most `wait` seconds for values: what is still running then
        # shows as running, so that the server answers, and a later build shows the result.
        self.wait = wait
        self._deadline: float | None = None
        self.pending: set[str] = set()  # still running when the build stopped waiting
        self.results: dict[str, SnippetResult] = {}  # filled in as pages need them, all of them by finish()
        self._batch: Batch | None = None
        self.pages: dict[str, _Page] = {}
        self._available: list[str] | None = None
        self._notebooks: list[Path] | None = None
        self.notebook_problems: list[Problem] = []
        self.token = secrets.token_hex(4)  # block tokens that no page can contain by accident

    @property
    def problems(self) -> list[Problem]:
        problems = [problem for page in self.pages.values() for problem in page.problems]
        return sorted(problems + self.notebook_problems, key=lambda problem: problem.sort_key)

    def notebook_sources(self) -> list[Path]:
        """The notebooks (`docs/notebooks/*.py`): each is a page, so each runs in every build."""
        if self._notebooks is None:
            self._notebooks = sorted(self.notebooks_dir.glob("[!_]*.py"))
        return self._notebooks

    def _source_label(self, name: str) -> str:
        """The file behind a name in `%{name.value}`: a notebook's or a snippet's."""
        notebook = self.notebooks_dir / f"{name}.py"
        return self._label_of(notebook) if notebook in self.notebook_sources() else f"snippets/{name}.py"

    def available(self) -> list[str]:
        """Snippet and notebook names, read once per build (a page may hold hundreds of placeholders)."""
        if self._available is None:
            names = [path.stem for path in self.snippets_dir.glob("[!_]*.py")]
            self._available = sorted(set(names) | {path.stem for path in self.notebook_sources()})
        return self._available

    def run(self, sources: dict[str, str]) -> None:
        """Register the pages (src path -> Markdown) and run every snippet they use, once; wait for all."""
        self.start(sources)
        self.finish()

    def start(self, sources: dict[str, str]) -> None:
        """Register the pages and start every snippet they use, notebooks first; return at once.

        Notebooks go first (they take longest, and their pages wait for them), then snippets in the
        order the pages use them.
        """
        needed: dict[str, None] = {}  # ordered: the order of the pages, then of their placeholders
        for src, source in sources.items():
            self.pages[src] = _Page(self._label(src), source)
            needed.update(dict.fromkeys(self._names_used(source)))
        notebooks = self.notebook_sources()
        if not self.execute:
            return  # a prose preview, and the benchmark's "plain" build: nothing runs
        snippets = {path.stem for path in self.snippets_dir.glob("[!_]*.py")}
        clashes = snippets & {path.stem for path in notebooks}  # passed along so that the runner reports them
        names = [name for name in needed if name in snippets] + sorted(clashes - needed.keys())
        paths = [self.snippets_dir / f"{name}.py" for name in names]
        self._batch = submit(paths, self.root, self.limits, self.cache, notebooks=notebooks)
        if self.wait is not None:
            self._deadline = time.monotonic() + self.wait

    def _time_left(self) -> float | None:
        return None if self._deadline is None else max(0.0, self._deadline - time.monotonic())

    @property
    def batch(self) -> Batch | None:
        """What this build submitted: results still running arrive there after `finish`."""
        return self._batch

    def finish(self) -> None:
        """Wait for every result (or until `wait` runs out); a failed notebook becomes a problem of the build."""
        if self._batch is not None:
            self.results.update(self._batch.wait(self._time_left()))
            self.pending = self._batch.expected - self.results.keys()
            if self.pending:
                self._batch.release()
            elif self.cache is not None:
                self.cache.prune()  # a complete build: what it used is what the site needs now
        problems = (self.notebook_problem(path.stem) for path in self.notebook_sources())
        self.notebook_problems = [problem for problem in problems if problem is not None]

    def notebook_problem(self, name: str) -> Problem | None:
        """Why a notebook failed, at its own file and line; None if it ran (or has not yet)."""
        result = self.results.get(name)
        if result is None or result.error is None:
            return None
        error = result.error
        return Problem(_location(error, self._source_label(name)), f"notebook {error.describe()}", error.frames)

    def cancel(self) -> None:
        """The build stopped: start no more of its snippets."""
        if self._batch is not None:
            self._batch.cancel()

    def _await(self, names: list[str]) -> None:
        for name in names:
            if name not in self.results and name not in self.pending and self._batch is not None:
                result = self._batch.result(name, self._time_left())
                if result is not None:
                    self.results[name] = result
                elif name in self._batch.expected:
                    self.pending.add(name)

    @staticmethod
    def _names_used(markdown: str) -> list[str]:
        """The snippets a page shows values of or includes, in order of first appearance."""
        placeholders, _ = find_placeholders(markdown)
        used = [(placeholder.line, placeholder.snippet) for placeholder in placeholders]
        used += [(line, Path(path).stem) for path, line in find_includes(markdown) if path.endswith(".py")]
        return list(dict.fromkeys(name for _, name in sorted(used)))

    def executed_notebooks(self) -> dict[str, str | None]:
        """Each notebook's .ipynb (JSON text) by name, as `executed_notebook` gives it."""
        return {path.stem: self.executed_notebook(path.stem) for path in self.notebook_sources()}

    def executed_notebook(self, name: str) -> str | None:
        """A notebook's executed .ipynb, once it has run; as written when nothing runs; None if it failed."""
        if not self.execute:  # shown without outputs
            import jupytext  # only here: MkDocs' process need not load it otherwise

            return str(jupytext.writes(jupytext.read(self.notebooks_dir / f"{name}.py"), fmt="ipynb"))
        self._await([name])
        result = self.results.get(name)
        return str(result.values["notebook"]["ipynb"]) if result is not None and result.error is None else None

    def summary(self) -> str:
        """How much this build ran, for the log: a warm build runs nothing."""
        names = {path.stem for path in self.notebook_sources()}
        parts = []
        for kind, results in (
            ("snippets", [r for r in self.results.values() if r.name not in names]),
            ("notebooks", [r for r in self.results.values() if r.name in names]),
        ):
            cached = sum(result.from_cache for result in results)
            if results or kind == "snippets":
                parts.append(f"{len(results)} {kind}: {len(results) - cached} run, {cached} from the cache")
        return "; ".join(parts)

    def _label(self, src: str) -> str:
        return self._label_of(self.docs_dir / src)

    def _label_of(self, path: Path) -> str:
        return str(path.relative_to(self.root)) if path.is_relative_to(self.root) else str(path)

    def render_markdown(self, src: str, markdown: str) -> str:
        """Replace every placeholder with a token that `fill_values` swaps for its value; never waits.

        So MkDocs converts every page while the snippets still run. The exception: a value in a
        heading is its text and its anchor, so it goes in now, as Markdown, once its snippet is done.
        """
        page = self.pages.setdefault(src, _Page(self._label(src), markdown))
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
            self._problem(
                page,
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
                self._problem(page, line, f"{placeholder.text}: {message}; put the link in the text below the heading")
                pieces.append(f"**⚠ {placeholder.key}**")
            elif placeholder.line in headings:
                self._await([placeholder.snippet])
                resolved = self._resolve(page, placeholder, line, in_heading=True)
                pieces.append(heading_text(resolved[0]) if resolved else f"**⚠ {placeholder.key}**")
            else:
                pieces.append(f"LIVEVALUES{self.token}S{len(page.slots)}E")
                page.slots.append((placeholder, line))
            cursor = placeholder.end
        pieces.append(markdown[cursor:])
        return disable_lines("".join(pieces), bad_includes)  # placeholders never span lines: numbers hold

    def _check_front_matter(self, page: _Page, front_matter: str) -> None:
        """Report each placeholder in front matter, which MkDocs turns into <title> and more before any value exists."""
        for opening in OPENING.finditer(front_matter):
            self._problem(
                page,
                line_of(front_matter, opening.start()),
                f"{opening.group()}: values are not expanded in front matter: it becomes the <title>, the"
                " navigation, the search entry and the link preview before any value exists; show the value"
                " in the page's text",
            )

    def _check_includes(self, page: _Page, markdown: str, offset: int) -> set[int]:
        """Report each include pymdownx.snippets would fail on; their lines in `markdown`, to disable."""
        bad = set()
        for include in find_include_targets(markdown):
            problem = include_problem(include, self.include_dirs, self.root)
            if problem is not None:
                self._problem(page, include.line + offset, f'--8<-- "{include.target}": {problem}')
                bad.add(include.line)
        return bad

    def fill_values(self, src: str, text: str) -> str:
        """Swap the tokens `render_markdown` left for values and blocks, waiting for the page's snippets.

        `text` is the page's HTML (or, in tests, the Markdown `render_markdown` returned).
        """
        page = self.pages[src]
        self._await([placeholder.snippet for placeholder, _ in page.slots] + [Path(p).stem for p, _ in page.includes])
        for path, line in page.includes:
            result = self.results.get(Path(path).stem)
            if result is not None and result.error is not None:
                message = f"includes {path}, whose snippet {result.error.describe()}"
                self._problem(page, line, message, result.error.frames)

        token = re.compile(rf"LIVEVALUES{self.token}S(\d+)E")
        resolved: dict[int, tuple[str, bool] | None] = {}

        def resolve(index: int) -> tuple[str, bool] | None:
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
                return opening + attribute_text(shown[0] if shown else f"⚠ {key}") + closing
            if shown is None:
                return f"{opening}<strong>⚠ {html.escape(key)}</strong>{closing}"
            if shown[1] and opening and closing:
                return shown[0]  # a block replaces the paragraph Markdown wrapped its token in
            return opening + (shown[0] if shown[1] else html_text(shown[0])) + closing

        text = re.sub(rf"(<p>)?{token.pattern}(</p>)?", value, text)
        if page.problems and self.show_problems_on_pages:
            text = _problems_box(page.problems) + text
        if page.running:
            text = _running_box(sorted(self._source_label(name) for name in page.running)) + text
        return text

    def _check_places(
        self,
        page: _Page,
        text: str,
        token: re.Pattern[str],
        resolve: Callable[[int], tuple[str, bool] | None],
    ) -> tuple[set[int], set[int]]:
        """Slots whose token sits in an attribute, and slots refused where they sit (reported); see `safety`."""
        in_attributes: set[int] = set()
        refused: set[int] = set()
        for place in value_places(text, token) if page.slots else []:
            reason = place.refusal(lambda written: token.sub(lambda m: _inline(resolve(int(m[1]))), written))
            if reason is None and any((shown := resolve(slot)) and shown[1] for slot in place.slots):
                reason = "a block (a table, a figure, printed output) cannot go inside a tag"
            if reason is None:
                in_attributes.update(place.slots)
                continue
            placeholders = " ".join(dict.fromkeys(page.slots[slot][0].text for slot in place.slots))
            self._problem(page, page.slots[place.slots[0]][1], f"{placeholders}: {reason}")
            refused.update(place.slots)
        return in_attributes, refused

    def _resolve(
        self, page: _Page, placeholder: Placeholder, line: int, in_heading: bool = False
    ) -> tuple[str, bool] | None:
        """What a placeholder shows: (text, False) or (block HTML, True); None after reporting a problem."""
        if not self.execute:
            return "…", False
        try:
            value = self._value(placeholder.snippet, placeholder.name)
            if value["kind"] in BLOCK_KINDS:
                if in_heading:
                    raise FormatError(f"is a block ({value['kind']}): a heading holds text only")
                if not placeholder.alone:
                    raise FormatError(f"is a block ({value['kind']}): put the placeholder on a line of its own")
                page.shown[placeholder.text] = summarize_block(value, placeholder.spec)
                return format_block(value, placeholder.spec, placeholder.key), True
            text = format_value(value, placeholder.spec)
            page.shown[placeholder.text] = text
            return text, False
        except _StillRunning:
            page.running.add(placeholder.snippet)
            return RUNNING, False
        except _SnippetFailed as failure:
            error = failure.error
            kind = "snippet" if self._source_label(placeholder.snippet).startswith("snippets/") else "notebook"
            self._problem(page, line, f"{placeholder.text}: {kind} {error.describe()}", error.frames)
        except FormatError as error:
            self._problem(page, line, f"{placeholder.text}: {placeholder.key} {error}")
        except LookupError as error:
            self._problem(page, line, f"{placeholder.text}: {error.args[0]}")
        return None

    def _value(self, snippet: str, name: str) -> dict[str, Any]:
        if snippet not in self.available():
            raise LookupError(f"no snippet snippets/{snippet}.py" + did_you_mean(snippet, self.available()))
        result = self.results.get(snippet)
        if result is None and snippet in self.pending:
            raise _StillRunning(snippet)
        if result is None:
            raise LookupError(f"snippet {snippet} was not run")
        if result.error is not None:
            raise _SnippetFailed(result.error)
        if name not in result.values:
            raise LookupError(
                f"{self._source_label(snippet)} has no value {name!r}" + did_you_mean(name, list(result.values))
            )
        return result.values[name]

    def _problem(self, page: _Page, line: int, message: str, frames: tuple[str, ...] = ()) -> None:
        page.problems.append(Problem(f"{page.label}:{line}", message, frames))

    def render_html(self, src: str, content: str) -> str:
        """`fill_values` on the page's HTML, then check that no placeholder reached it unexpanded."""
        content = self.fill_values(src, content)
        page = self.pages[src]
        for leftover in find_leftovers(content):
            if leftover not in page.malformed:
                self._problem(page, *self._origin(page, leftover))
        return content

    def _origin(self, page: _Page, text: str) -> tuple[int, str]:
        """The page line an unexpanded placeholder came from: its own, or the include that brought it."""
        message = f"{text} reached the HTML unexpanded"
        if text in page.source:
            return line_of(page.source, page.source.index(text)), message
        for included, line in find_includes(page.source):
            for folder in self.include_dirs:
                path = folder / included
                if path.is_file() and text in (content := path.read_text(encoding="utf-8", errors="replace")):
                    where = f"{path.relative_to(self.root) if path.is_relative_to(self.root) else path}"
                    where += f":{line_of(content, content.index(text))}"
                    return line, (
                        f"{message}: it is in {where}, included here; placeholders are expanded only in"
                        " a page's own Markdown, not in included files"
                    )
        return 1, message


class _StillRunning(Exception):
    pass


def _inline(resolved: tuple[str, bool] | None) -> str:
    """A resolved value's text; "" for a block or a value that failed (reported already)."""
    return resolved[0] if resolved is not None and not resolved[1] else ""


class _SnippetFailed(Exception):
    def __init__(self, error: Failure):
        self.error = error


def _location(error: Failure, label: str) -> str:
    """Where a notebook failed, as "docs/notebooks/x.py:line" (line 1 when the line is unknown)."""
    if error.location and error.location.startswith(label + ":"):
        return error.location
    return f"{label}:1"


def _front_matter(source: str, markdown: str) -> str:
    """What MkDocs removed from the top of the page (YAML or MultiMarkdown front matter) before handing over the Markdown."""
    return source[: len(source) - len(markdown)] if markdown and source.endswith(markdown) else ""


RUNNING = "…"  # what a value still being computed shows, in a page a dev server serves meanwhile


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
    return f'<div class="admonition failure"><p class="admonition-title">{html.escape(title)}</p>{output_block(body, "Problems")}</div>'
