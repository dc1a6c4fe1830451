"""Snippet results cached on what they depend on, so an unchanged snippet never runs twice.

An entry is found by a key over the snippet's source as it was submitted, its limits and the
environment its worker ran in (Python, the scientific packages, the engine's code as the worker
loaded it, the machine and its numeric settings); it is valid while every project file the snippet
imported or read still has the hash of the bytes it read then, and every file it looked for and
did not find is still missing. Page prose is never part of either, so a prose edit re-runs nothing.

Entries are written atomically (temporary file, then rename) and carry a checksum: a build killed
at any moment, or two builds at once, never leave an entry that a later build trusts wrongly. A
damaged entry is recomputed with a warning; a folder that cannot be written degrades to no cache.
Each build records the entries it used; entries no recent build used are deleted (`prune`).
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

from livevalues import numerics
from livevalues.limits import Limits
from livevalues.problems import Failure
from livevalues.results import ABSENT, SnippetResult

log = logging.getLogger("livevalues")  # not MkDocs' logger: a cache problem must not fail --strict

FORMAT = 2
KEEP_BUILDS = 5  # per environment: entries that none of the last five builds used are deleted
RECENT = 600  # seconds: an entry this young may belong to a build still running, so it is kept
BUILDS_LOG = "builds.jsonl"
PACKAGES = ("numpy", "scipy", "scikit-learn", "matplotlib", "threadpoolctl", "joblib", "jupytext", "nbformat")
ENGINE = Path(__file__).resolve().parent


def environment_fingerprint() -> str:
    """What every result depends on besides its own files: Python, packages, engine, machine.

    Computed by MkDocs' process to look results up, and by each worker when it starts, from the
    engine files it loaded: a result is stored under the worker's, so one computed by an engine
    since edited (under `mkdocs serve`) is never found by the edited engine's key.
    """
    parts = [f"format {FORMAT}", platform.python_implementation(), platform.python_version()]
    parts.append(f"numerics {numerics.fingerprint()}")
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
        self.used: set[str] = set()  # the keys this build read or wrote, for `prune`
        self._warned_environment = False
        if folder is not None:
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                self._disable(f"cannot create the cache folder {folder} ({error.strerror})")
            else:
                remove_stale_temporaries(folder)

    def _disable(self, reason: str) -> None:
        log.warning("livevalues: %s; running without a cache", reason)
        self.folder = None

    def is_empty(self) -> bool:
        """No entry at all (or no cache): every snippet will run."""
        return self.folder is None or not any(self.folder.glob("*.json"))

    def key(self, name: str, source: bytes, limits: Limits, *, is_notebook: bool, environment: str) -> str:
        digest = hashlib.sha256()
        kind = "notebook" if is_notebook else "snippet"  # one file, run either way, gives different values
        for part in (environment, repr(limits), kind, name):
            digest.update(part.encode())
            digest.update(b"\0")
        digest.update(source)
        return digest.hexdigest()

    def get(
        self, path: Path, limits: Limits, *, is_notebook: bool = False, source: bytes | None = None
    ) -> SnippetResult | None:
        """The stored result for `source` (the snippet's bytes as submitted) if its inputs are unchanged."""
        if self.folder is None:
            return None
        source = path.read_bytes() if source is None else source
        key = self.key(path.name, source, limits, is_notebook=is_notebook, environment=self.environment)
        entry_path = self.folder / f"{key}.json"
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
        if self.changed(entry["deps"]):
            return None
        self.used.add(key)
        return _result_from_json(path.stem, entry["result"], entry["deps"])

    def changed(self, deps: dict[str, str]) -> list[str]:
        """The files among `deps` that no longer are as the snippet found them."""
        return [dependency for dependency, digest in deps.items() if _state(self.root / dependency) != digest]

    def put(
        self, path: Path, limits: Limits, result: SnippetResult, *, source: bytes, is_notebook: bool = False
    ) -> None:
        """Store a result under the source that ran and the worker's environment, unless an input changed since.

        A file edited while the snippet ran is caught here (its hash is not the one the snippet
        read), and the result is not stored: the next build runs the snippet again.
        """
        if self.folder is None or not result.cacheable:
            return
        environment = result.environment or self.environment
        if environment != self.environment and not self._warned_environment:
            self._warned_environment = True
            log.warning(
                "livevalues: the workers run engine code or settings that differ from the files now"
                " (the engine was edited after they started): their results are kept apart;"
                " restart `mkdocs serve` to run the new code"
            )
        if self.changed(result.deps):
            return
        try:
            body = json.dumps({"deps": result.deps, "result": _result_to_json(result)}, sort_keys=True).encode()
        except (TypeError, ValueError) as error:  # the worker makes values JSON-able; never fail a build here
            log.warning("livevalues: cannot cache the result of %s (%s); it runs again next build", path.name, error)
            return
        data = hashlib.sha256(body).hexdigest().encode() + b"\n" + body
        key = self.key(path.name, source, limits, is_notebook=is_notebook, environment=environment)
        self._write(self.folder / f"{key}.json", data)
        self.used.add(key)

    def _write(self, target: Path, data: bytes) -> None:
        assert self.folder is not None
        try:
            write_atomically(target, data)
        except OSError as error:
            self._disable(f"cannot write to the cache folder {self.folder} ({error.strerror})")

    def prune(self) -> None:
        """Record this build's entries; delete those that none of the recent builds used.

        "Recent": the last KEEP_BUILDS builds of each environment (a kernel check's runs are builds
        of their own environment), so the folder holds at most that many versions of the site.
        """
        if self.folder is None:
            return
        log_path = self.folder / BUILDS_LOG
        builds = []
        with contextlib.suppress(OSError):
            for line in log_path.read_text().splitlines():
                with contextlib.suppress(ValueError):
                    build = json.loads(line)
                    if isinstance(build, dict) and {"environment", "keys"} <= build.keys():
                        builds.append(build)
        builds.append({"environment": self.environment, "keys": sorted(self.used)})
        kept: list[dict[str, Any]] = []
        for build in reversed(builds):
            if sum(other["environment"] == build["environment"] for other in kept) < KEEP_BUILDS:
                kept.insert(0, build)
        self._write(log_path, "".join(json.dumps(build) + "\n" for build in kept).encode())
        if self.folder is None:
            return
        keep = {key for build in kept for key in build["keys"]}
        now = time.time()
        for entry in self.folder.glob("*.json"):
            with contextlib.suppress(OSError):
                if entry.stem not in keep and now - entry.stat().st_mtime > RECENT:
                    entry.unlink()


def _state(file: Path) -> str:
    """A file's hash, or ABSENT when there is nothing at that path (a directory counts as present)."""
    if file.is_file():
        return file_hash(file)
    return "directory" if file.exists() else ABSENT


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` through a temporary file beside it; OSError if it cannot."""
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".tmp-", suffix=".json")
    with os.fdopen(handle, "wb") as stream:
        stream.write(data)  # no fsync: the rename is atomic for readers, and their check (the checksum,
        # or JSON that parses) catches a file torn by a power cut; an fsync per entry cost more than small snippets
    os.replace(temporary, target)  # atomic: readers see the old entry or the new one, whole


def remove_stale_temporaries(folder: Path, age: float = 600) -> None:
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
        error=None if error is None else Failure(error["message"], error["location"], tuple(error["frames"])),
        deps=dict(deps),
        from_cache=True,
    )
