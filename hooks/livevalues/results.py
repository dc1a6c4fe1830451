"""What a snippet run produced: its values, or the failure that stopped it; plain data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from livevalues.problems import Failure

ABSENT = "absent"  # the hash of a file a snippet looked for and did not find


@dataclass
class SnippetResult:
    """What one snippet produced: its values by name, or the error that stopped it."""

    name: str
    values: dict[str, dict[str, Any]] = field(default_factory=dict)
    error: Failure | None = None
    # Project files it imported, read or looked for, relative to the root: the sha256 of the bytes
    # it read, or ABSENT for a file it looked for and did not find (it may appear later).
    deps: dict[str, str] = field(default_factory=dict)
    cacheable: bool = False  # the snippet itself reported this; not a timeout or a killed worker
    environment: str = ""  # the cache's environment key as the worker that ran it computed it
    from_cache: bool = False
