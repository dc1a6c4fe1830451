"""What can go wrong, as values that name the file and line a contributor must open."""

from __future__ import annotations

import difflib
import signal
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from livevalues.limits import Limits


@dataclass(frozen=True)
class Failure:
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


def label(path: Path | str, root: Path | str) -> str:
    """A path as a contributor opens it: relative to the project root when it is inside it."""
    path, root = Path(path), Path(root)
    return path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)


MAX_FRAMES = 4  # of a snippet's traceback, shown with its error


def describe_error(error: BaseException, root: str, limits: Limits) -> Failure:
    """The message, the deepest project-file line involved, and the last frames, paths relative."""
    if isinstance(error, SystemExit):
        text = f"called sys.exit({error.code!r}); a snippet must run to its end"
    elif isinstance(error, MemoryError):
        text = (
            f"MemoryError: allocated more than {limits.max_memory_mb:,} MB (the memory limit; raise it with a"
            " line `# livevalues: max_memory_mb=MEGABYTES` in the snippet)"
        )
    elif isinstance(error, SyntaxError):
        text = "".join(traceback.format_exception_only(error)).strip().splitlines()[-1]
    else:  # the first line: a ConvergenceWarning goes on with advice and a link
        text = f"{type(error).__name__}: {str(error).strip().splitlines()[0] if str(error).strip() else ''}".rstrip(
            ": "
        )
    frames = [
        frame
        for frame in traceback.extract_tb(error.__traceback__)
        if not frame.filename.startswith(str(Path(__file__).parent)) and "runpy" not in frame.filename
    ]
    location = None
    if isinstance(error, SyntaxError) and error.filename:
        location = f"{label(error.filename, root)}:{error.lineno}"
    else:
        own = [frame for frame in frames if frame.filename.startswith(root)]
        if own:
            location = f"{label(own[-1].filename, root)}:{own[-1].lineno}"
    formatted = tuple(
        f"{label(frame.filename, root)}:{frame.lineno} in {frame.name}" + (f"\n  {frame.line}" if frame.line else "")
        for frame in frames[-MAX_FRAMES:]
    )
    return Failure(text, location, formatted)
