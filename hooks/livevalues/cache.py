"""Snippet results cached on what they depend on, so an unchanged snippet never runs twice.

An entry is found by a key over the snippet's source, its limits and the environment (Python,
the scientific packages, the engine itself); it is valid while every project file the snippet
imported or read still has the hash it had when the snippet ran. Page prose is never part of
either, so a prose edit re-runs nothing.

Entries are written atomically (temporary file, then rename) and carry a checksum: a build killed
at any moment, or two builds at once, never leave an entry that a later build trusts wrongly. A
damaged entry is recomputed with a warning; a folder that cannot be written degrades to no cache.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import platform
import tempfile
import time
from importlib import metadata
from pathlib import Path
from typing import Any

from livevalues.problems import SnippetError
from livevalues.results import Limits, SnippetResult

log = logging.getLogger("livevalues")  # not MkDocs' logger: a cache problem must not fail --strict

FORMAT = 1
PACKAGES = ("numpy", "scipy", "scikit-learn", "matplotlib", "threadpoolctl", "joblib", "jupytext", "nbformat")
ENGINE = Path(__file__).resolve().parent


def environment_fingerprint() -> str:
    """What every result depends on besides its own files: Python, packages, the engine's code."""
    parts = [f"format {FORMAT}", platform.python_implementation(), platform.python_version()]
    for package in PACKAGES:
        try:
            parts.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            parts.append(f"{package} missing")
    for path in sorted(ENGINE.glob("*.py")):
        parts.append(f"{path.name} {file_hash(path)}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


class Cache:
    """Results by snippet; `folder=None` (or a folder that cannot be used) means no cache."""

    def __init__(self, folder: Path | None, root: Path) -> None:
        self.root = root
        self.folder = folder
        self.environment = environment_fingerprint() if folder else ""
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self._disable(f"cannot create the cache folder {folder} ({error.strerror})")
            else:
                _remove_stale_temporaries(folder)

    def _disable(self, reason: str) -> None:
        log.warning("livevalues: %s; running without a cache", reason)
        self.folder = None

    def is_empty(self) -> bool:
        """No entry at all (or no cache): every snippet will run."""
        return self.folder is None or not any(self.folder.glob("*.json"))

    def key(self, path: Path, limits: Limits, *, is_notebook: bool = False) -> str:
        digest = hashlib.sha256()
        kind = "notebook" if is_notebook else "snippet"  # one file, run either way, gives different values
        for part in (self.environment, repr(limits), kind, path.name, path.read_bytes().hex()):
            digest.update(part.encode())
            digest.update(b"\0")
        return digest.hexdigest()

    def get(self, path: Path, limits: Limits, *, is_notebook: bool = False) -> SnippetResult | None:
        """The stored result if its inputs are unchanged; None to run the snippet."""
        if self.folder is None:
            return None
        entry_path = self.folder / f"{self.key(path, limits, is_notebook=is_notebook)}.json"
        try:
            raw = entry_path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as error:
            log.warning("livevalues: cannot read cache entry %s (%s); running the snippet", entry_path, error.strerror)
            return None
        entry = _parse(raw)
        if entry is None:
            log.warning("livevalues: cache entry %s is damaged; running %s again", entry_path.name, path.name)
            return None
        for dependency, digest in entry["deps"].items():
            file = self.root / dependency
            if not file.is_file() or file_hash(file) != digest:
                return None
        return _result_from_json(path.stem, entry["result"], entry["deps"])

    def put(self, path: Path, limits: Limits, result: SnippetResult, *, is_notebook: bool = False) -> None:
        if self.folder is None or not result.cacheable:
            return
        deps = {}
        for dependency in result.deps:
            file = self.root / dependency
            if not file.is_file():
                return  # read a file that is gone again: nothing to check a later build against
            deps[dependency] = file_hash(file)
        body = json.dumps({"deps": deps, "result": _result_to_json(result)}, sort_keys=True).encode()
        data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        target = self.folder / f"{self.key(path, limits, is_notebook=is_notebook)}.json"
        try:
            handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=".tmp-", suffix=".json")
            with os.fdopen(handle, "wb") as stream:
                stream.write(data)  # no fsync: the rename is atomic for readers, and the checksum
                # catches a file torn by a power cut; an fsync per entry cost more than small snippets
            os.replace(temporary, target)  # atomic: readers see the old entry or the new one, whole
        except OSError as error:
            self._disable(f"cannot write to the cache folder {self.folder} ({error.strerror})")


def _remove_stale_temporaries(folder: Path, age: float = 600) -> None:
    """Half-written files of builds that were killed; a live writer holds one for milliseconds."""
    now = time.time()
    for temporary in folder.glob(".tmp-*"):
        with contextlib.suppress(OSError):
            if now - temporary.stat().st_mtime > age:
                temporary.unlink()


def _parse(raw: bytes) -> dict[str, Any] | None:
    checksum, _, body = raw.partition(b"\n")
    if hashlib.sha256(body).hexdigest().encode() != checksum:
        return None
    try:
        entry = json.loads(body)
    except ValueError:
        return None
    return entry if isinstance(entry, dict) and {"deps", "result"} <= entry.keys() else None


def _result_to_json(result: SnippetResult) -> dict[str, Any]:
    error = result.error
    return {
        "values": result.values,
        "error": None
        if error is None
        else {"message": error.message, "location": error.location, "frames": error.frames},
    }


def _result_from_json(name: str, data: dict[str, Any], deps: dict[str, str]) -> SnippetResult:
    error = data["error"]
    return SnippetResult(
        name,
        values=data["values"],
        error=None if error is None else SnippetError(error["message"], error["location"], tuple(error["frames"])),
        deps=sorted(deps),
        from_cache=True,
    )
