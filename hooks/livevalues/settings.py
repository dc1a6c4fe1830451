"""What a site configures: limits and a cache folder in its config's `extra.livevalues`, and two
environment variables (`LIVEVALUES_CACHE_DIR`, `LIVEVALUES_EXECUTE`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from livevalues.limits import Limits

DEFAULT_CACHE = ".cache/livevalues"


@dataclass(frozen=True)
class Settings:
    limits: Limits
    cache_dir: Path | None  # None: no cache
    execute: bool  # False: a prose preview, nothing runs and every value shows as "…"


def read_settings(root: Path, extra: object, environ: Mapping[str, str], *, strict: bool) -> Settings:
    """The settings, or ValueError saying which one is wrong and where it is set."""
    if extra is None:
        extra = {}
    if not isinstance(extra, Mapping):
        raise ValueError(f"mkdocs.yml: extra.livevalues: {extra!r} is not a mapping; e.g. {{timeout: 120}}")
    settings = dict(extra)
    cache_dir = environ.get("LIVEVALUES_CACHE_DIR", settings.pop("cache_dir", DEFAULT_CACHE))
    try:
        limits = Limits().updated(settings)
    except ValueError as error:
        raise ValueError(f"mkdocs.yml: extra.livevalues: {error}") from None
    execute = environ.get("LIVEVALUES_EXECUTE", "1") != "0"
    if not execute and strict:
        raise ValueError(
            "LIVEVALUES_EXECUTE=0 shows every value as '…': a strict build, the one that publishes,"
            " refuses it. Unset LIVEVALUES_EXECUTE, or preview without --strict."
        )
    return Settings(limits, root / cache_dir if cache_dir else None, execute)
