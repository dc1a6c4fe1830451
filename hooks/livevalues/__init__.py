"""livevalues: run documentation snippets and inject the values they compute into Markdown pages.

The engine never imports MkDocs: `hooks/mkdocs_hook.py` is the only adapter, and the tests drive the
same functions directly.
"""

from livevalues.build import Build
from livevalues.cache import Cache
from livevalues.limits import Limits
from livevalues.pool import Batch, run_snippets, start_workers, submit
from livevalues.problems import Failure, Problem
from livevalues.render import format_value
from livevalues.results import SnippetResult
from livevalues.syntax import Placeholder, find_includes, find_leftovers, find_placeholders

__all__ = [
    "Batch",
    "Build",
    "Cache",
    "Failure",
    "Limits",
    "Placeholder",
    "Problem",
    "SnippetResult",
    "find_includes",
    "find_leftovers",
    "find_placeholders",
    "format_value",
    "run_snippets",
    "start_workers",
    "submit",
]
