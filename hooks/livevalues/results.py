"""What a snippet run is allowed (limits) and what it produced (result): plain data."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from livevalues.problems import SnippetError

LIMITS_COMMENT = re.compile(r"^#\s*livevalues:\s*(?P<settings>.*)$", re.M)


@dataclass(frozen=True)
class Limits:
    """Per-snippet limits: wall time, printed output, and memory allocated beyond the warm worker's.

    Set for the whole site in mkdocs.yml (`extra: livevalues: {timeout: 120}`), and by a snippet
    for itself with a comment line: `# livevalues: timeout=120, max_output=5000000, max_memory_mb=4096`.
    """

    timeout: float = 60.0
    max_output: int = 1_000_000
    max_memory_mb: int = 2048

    def updated(self, settings: dict[str, Any]) -> Limits:
        """These limits with some replaced; an unknown name or a bad value raises ValueError."""
        unknown = set(settings) - set(SETTINGS)
        if unknown:
            raise ValueError(f"unknown livevalues setting(s) {sorted(unknown)}; known: {', '.join(SETTINGS)}")
        return replace(self, **{name: SETTINGS[name](value) for name, value in settings.items()})

    def for_snippet(self, source: str) -> Limits:
        """The limits a snippet asks for in its `# livevalues: ...` comment line, if it has one."""
        match = LIMITS_COMMENT.search(source)
        if match is None:
            return self
        return self.updated(
            dict(item.strip().partition("=")[::2] for item in match["settings"].split(",") if item.strip())
        )


@dataclass
class SnippetResult:
    """What one snippet produced: its values by name, or the error that stopped it."""

    name: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: SnippetError | None = None
    # Project files it imported, read or looked for, relative to the root: the sha256 of the bytes
    # it read, or ABSENT for a file it looked for and did not find (it may appear later).
    deps: dict[str, str] = field(default_factory=dict)
    cacheable: bool = False  # the snippet itself reported this; not a timeout or a killed worker
    environment: str = ""  # the cache's environment key as the worker that ran it computed it
    from_cache: bool = False


SETTINGS = {"timeout": float, "max_output": int, "max_memory_mb": int}
ABSENT = "absent"
