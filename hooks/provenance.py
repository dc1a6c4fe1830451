"""What computed the site's values, for the footer of every page and for glossary.json.

Read without importing the scientific stack (MkDocs' process never loads it, to keep its memory
small): the installed distribution's metadata names the version the engine's workers import, as they
run on this interpreter, from this environment. Never imports MkDocs.
"""

from __future__ import annotations

import datetime
import sys
from collections.abc import Mapping
from importlib import metadata


def build_date(environ: Mapping[str, str]) -> datetime.date:
    """Today in UTC, or the day of `SOURCE_DATE_EPOCH` when it is set (reproducible builds)."""
    epoch = environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return datetime.datetime.now(datetime.UTC).date()
    if not epoch.isdigit():
        raise ValueError(f"SOURCE_DATE_EPOCH={epoch!r}: expected a whole number of seconds since 1970-01-01 UTC")
    return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC).date()


def provenance(environ: Mapping[str, str]) -> dict[str, str]:
    """{"scikit_learn_version": "1.9.1", "python_version": "3.12", "build_date": "2026-11-29"}."""
    return {
        "scikit_learn_version": metadata.version("scikit-learn"),
        "python_version": f"{sys.version_info.major}.{sys.version_info.minor}",
        "build_date": build_date(environ).isoformat(),
    }
