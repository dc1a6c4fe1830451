"""What can go wrong, as values that name the file and line a contributor must open."""

from __future__ import annotations

import difflib
import signal
from dataclasses import dataclass, field


@dataclass(frozen=True)
class SnippetError:
    """Why a snippet produced no values: where it failed, and the last frames of its traceback."""

    message: str
    location: str | None = None  # "snippets/svm.py:12", when known
    frames: tuple[str, ...] = field(default_factory=tuple)

    def describe(self) -> str:
        where = f" at {self.location}" if self.location else ""
        return f"failed{where}: {self.message}"


@dataclass(frozen=True)
class Problem:
    """One error a build reports: `location` is "docs/page.md:line"."""

    location: str
    message: str
    frames: tuple[str, ...] = ()

    @property
    def sort_key(self) -> tuple[str, int]:
        path, _, line = self.location.rpartition(":")
        return (path, int(line) if line.isdigit() else 0)

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}"
        if self.frames:
            text += "\n    Traceback (last frames):\n" + "\n".join(
                "      " + line for frame in self.frames for line in frame.splitlines()
            )
        return text


def how_it_ended(exit_code: int | None) -> str:
    """A process's end in words, from an exit code in multiprocessing's convention (-N: signal N)."""
    if exit_code is not None and exit_code < 0:
        return f"was killed by signal {signal.Signals(-exit_code).name}"
    return f"exited with code {exit_code}"


def did_you_mean(word: str, choices: list[str]) -> str:
    """ "; did you mean 'x'?" for the choices closest to a typo, or "" when none is close."""
    close = difflib.get_close_matches(word, choices, n=3)
    return f"; did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
