"""What a snippet may use: wall time, printed output, memory; set for the site or by a snippet itself."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, replace
from typing import Any

LIMITS_COMMENT = re.compile(r"^#\s*livevalues:\s*(?P<settings>.*)$", re.M)


@dataclass(frozen=True)
class Limits:
    """Per-snippet limits: wall time, printed output, and memory allocated beyond the warm worker's.

    Set for the whole site in mkdocs.yml (`extra: livevalues: {timeout: 120}`), and by a snippet
    for itself with a comment line: `# livevalues: timeout=120, max_output=5000000, max_memory_mb=4096`.
    Each is more than 0 and at most its entry in MAXIMA.
    """

    timeout: float = 60.0
    max_output: int = 1_000_000
    max_memory_mb: int = 2048

    def updated(self, settings: dict[str, Any]) -> Limits:
        """These limits with some replaced; an unknown name or a bad value raises ValueError."""
        unknown = set(settings) - set(SETTINGS)
        if unknown:
            raise ValueError(f"unknown livevalues setting(s) {sorted(unknown)}; known: {', '.join(SETTINGS)}")
        checked: dict[str, Any] = {name: _limit(name, value) for name, value in settings.items()}  # int or float
        return replace(self, **checked)

    def for_snippet(self, source: str) -> Limits:
        """The limits a snippet asks for in its `# livevalues: ...` comment line, if it has one.

        A bad one raises LimitsError with the comment's line: the snippet's author fixes it there.
        """
        match = LIMITS_COMMENT.search(source)
        if match is None:
            return self
        settings = dict(item.strip().partition("=")[::2] for item in match["settings"].split(",") if item.strip())
        try:
            return self.updated({name.strip(): value.strip() for name, value in settings.items()})
        except ValueError as error:
            raise LimitsError(f"# livevalues: {error}", source.count("\n", 0, match.start()) + 1) from None


class LimitsError(ValueError):
    """A snippet's own `# livevalues:` line asks for a bad limit; `line` is that line's number."""

    def __init__(self, message: str, line: int):
        super().__init__(message)
        self.line = line


def _limit(name: str, value: Any) -> float | int:
    """A limit's value from mkdocs.yml (a number) or a comment line (text), checked against its range."""
    kind, unit = SETTINGS[name]
    written = repr(value)  # as given: 'inf' from a comment line, inf from YAML's .inf
    rule = f"{name} is {unit}, more than 0 and at most {MAXIMA[name]:,}"
    if isinstance(value, str):
        try:
            value = kind(value)
        except ValueError:
            reason = "a whole number" if kind is int and _is_float(value) else "a number"
            raise ValueError(f"{name}: {written} is not {reason}; {rule}") from None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name}: {written} is not a number; {rule}")
    if not math.isfinite(value):
        raise ValueError(f"{name}: {written} is not a finite number; {rule}")
    if kind is int and value != int(value):
        raise ValueError(f"{name}: {written} is not a whole number; {rule}")
    if value <= 0:
        raise ValueError(f"{name}: {written} is not more than 0; {rule}")
    if value > MAXIMA[name]:
        raise ValueError(f"{name}: {written} is more than {MAXIMA[name]:,}, the most one snippet may have; {rule}")
    return kind(value)


def _is_float(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


SETTINGS: dict[str, tuple[type[float] | type[int], str]] = {
    "timeout": (float, "seconds"),
    "max_output": (int, "printed characters"),
    "max_memory_mb": (int, "megabytes"),
}
# The most any snippet may have, whatever mkdocs.yml or the snippet asks: 10 minutes, so one
# snippet cannot take CI's whole job; 10 million characters, ten times the default and far more
# than a page shows; 8 GB, half of a GitHub-hosted runner's 16 GB, on which two workers run.
MAXIMA: dict[str, float | int] = {"timeout": 600, "max_output": 10_000_000, "max_memory_mb": 8192}
