"""livevalues: run documentation snippets and inject the values they compute into Markdown pages.

The engine never imports MkDocs: `hooks/mkdocs_hook.py` is the only adapter, and the tests drive the
same functions directly.
"""

from livevalues.build import Build
from livevalues.cache import Cache
from livevalues.problems import Problem, SnippetError
from livevalues.render import format_value
from livevalues.results import Limits, SnippetResult
from livevalues.runner import Batch, run_snippets, start_workers, submit
from livevalues.syntax import Placeholder, find_includes, find_leftovers, find_placeholders

__all__ = [
    "Batch",
    "Build",
    "Cache",
    "Limits",
    "Placeholder",
    "Problem",
    "SnippetError",
    "SnippetResult",
    "find_includes",
    "find_leftovers",
    "find_placeholders",
    "format_value",
    "run_snippets",
    "start_workers",
    "submit",
]
