"""Files pages include with pymdownx.snippets, checked before pymdownx reads them.

pymdownx.snippets raises on a missing file or section in the middle of Markdown conversion: a
traceback with no page line under `mkdocs build`, and under `mkdocs serve` a page that never
loads. The engine checks each include first, reports it at the page's line, and hands Markdown
the line escaped (`;--8<--`), which pymdownx shows as text instead of reading.
"""

from __future__ import annotations

import re
from pathlib import Path

from livevalues.problems import did_you_mean, label
from livevalues.syntax import Include, find_include_targets

# A section's opening marker, as pymdownx.snippets reads it: `# --8<-- [start:fit]`, not `;`-escaped.
SECTION_START = re.compile(r"(?i)(?<![;-])-{1,}8<-{1,}[ \t]+\[[ \t]*start[ \t]*:[ \t]*([a-z][-_0-9a-z]*)[ \t]*\]")
SECTIONS_HOWTO = "sections are marked `# --8<-- [start:name]` and `# --8<-- [end:name]`"


def include_problem(
    include: Include, folders: list[Path], root: Path, seen: frozenset[Path] = frozenset()
) -> str | None:
    """Why pymdownx.snippets would fail on `include`, or on an include in the file it includes; None if neither."""
    if include.path.lower().startswith(("http://", "https://")):
        return None  # pymdownx's url_download: nothing on disk to check
    path = find_file(include.path, folders)
    if path is None:
        where = " or ".join(f"{label(folder, root)}/" for folder in folders)
        names = sorted({file.name for folder in folders if folder.is_dir() for file in folder.iterdir()})
        return f"no file {include.path} in {where}" + did_you_mean(include.path, names)
    text = path.read_text(encoding="utf-8", errors="replace")
    if include.section is not None:
        sections = list(dict.fromkeys(SECTION_START.findall(text)))
        if include.section not in sections:
            return (
                f"{label(path, root)} has no section {include.section!r}"
                + did_you_mean(include.section, sections)
                + f"; its sections: {', '.join(sections) or 'none'} ({SECTIONS_HOWTO})"
            )
    if path in seen:
        return None  # pymdownx skips an include of a file it is already including
    for nested in find_include_targets(text):
        problem = include_problem(nested, folders, root, seen | {path})
        if problem is not None:
            return f'{label(path, root)}:{nested.line}: --8<-- "{nested.target}": {problem}'
    return None


def find_file(path: str, folders: list[Path]) -> Path | None:
    """The file pymdownx.snippets would read: the first folder that has it, never outside the folder."""
    for folder in folders:
        candidate = (folder / path).resolve()
        if path and candidate.is_relative_to(folder.resolve()) and candidate.is_file():
            return candidate
    return None


def disable_lines(markdown: str, lines: set[int]) -> str:
    """The Markdown with these include lines escaped with `;`, so pymdownx.snippets shows them instead of reading them.

    An include line escaped shows as written (`--8<-- "svm.py:fit"`); a path in a `--8<--` block is commented out.
    """
    if not lines:
        return markdown
    text = markdown.split("\n")
    for number in lines:
        line = text[number - 1]
        indent = len(line) - len(line.lstrip(" \t"))
        text[number - 1] = line[:indent] + ";" + line[indent:]
    return "\n".join(text)
