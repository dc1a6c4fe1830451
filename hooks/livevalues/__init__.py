"""livevalues: run documentation snippets and inject the values they compute into Markdown pages.

The engine never imports MkDocs: `hooks/values_hook.py` is the only adapter, and the tests drive
the same functions directly. `README.md` in this folder walks from a placeholder to the HTML.
"""

from livevalues import numerics
from livevalues.build import Build
from livevalues.cache import Cache
from livevalues.limits import Limits
from livevalues.notebook_pages import NotebookPages
from livevalues.pool import Batch, after_each_burst, run_snippets, start_workers, submit
from livevalues.problems import Failure, Problem
from livevalues.render import format_value
from livevalues.results import SnippetResult
from livevalues.settings import Settings, read_settings
from livevalues.syntax import Placeholder, find_includes, find_leftovers, find_placeholders

__all__ = [
    "Batch",
    "Build",
    "Cache",
    "Failure",
    "Limits",
    "NotebookPages",
    "Placeholder",
    "Problem",
    "Settings",
    "SnippetResult",
    "after_each_burst",
    "find_includes",
    "find_leftovers",
    "find_placeholders",
    "format_value",
    "numerics",
    "read_settings",
    "run_snippets",
    "start_workers",
    "submit",
]
