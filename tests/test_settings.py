"""What a site configures (`extra.livevalues` in mkdocs.yml, two environment variables), without a build."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from livevalues import Limits, read_settings

ROOT = Path("/project")


def settings_from(yaml_text: str, environ: dict[str, str] | None = None, *, strict: bool = True) -> object:
    return read_settings(ROOT, yaml.safe_load(yaml_text), environ or {}, strict=strict)


def test_defaults() -> None:
    assert settings_from("") == read_settings(ROOT, None, {}, strict=True)
    settings = read_settings(ROOT, None, {}, strict=True)
    assert (settings.limits, settings.cache_dir, settings.execute) == (Limits(), ROOT / ".cache/livevalues", True)


def test_limits_and_cache_folder_from_the_config_and_the_environment() -> None:
    settings = read_settings(ROOT, {"timeout": 120, "cache_dir": "cache"}, {}, strict=True)
    assert (settings.limits.timeout, settings.cache_dir) == (120.0, ROOT / "cache")
    assert read_settings(
        ROOT, {"cache_dir": "cache"}, {"LIVEVALUES_CACHE_DIR": "elsewhere"}, strict=True
    ).cache_dir == (ROOT / "elsewhere")
    assert read_settings(ROOT, None, {"LIVEVALUES_CACHE_DIR": ""}, strict=True).cache_dir is None


@pytest.mark.parametrize(
    ("setting", "words"),
    [
        ("timeuot: 5", "unknown livevalues setting(s) ['timeuot']"),
        ("timeout: .inf", "timeout: inf is not a finite number"),
        ("timeout: .nan", "timeout: nan is not a finite number"),
        ("timeout: -5", "timeout: -5 is not more than 0"),
        ("timeout: 3600", "timeout: 3600 is more than 600"),
        ("max_memory_mb: 1000000", "max_memory_mb: 1000000 is more than 8,192"),
    ],
)
def test_a_bad_setting_says_which_and_where(setting: str, words: str) -> None:
    with pytest.raises(ValueError, match=r"^mkdocs\.yml: extra\.livevalues: ") as raised:
        settings_from(setting)
    assert words in str(raised.value)


def test_settings_that_are_not_a_mapping_are_refused() -> None:
    with pytest.raises(ValueError, match=r"mkdocs\.yml: extra\.livevalues: 120 is not a mapping"):
        read_settings(ROOT, 120, {}, strict=True)


def test_a_preview_runs_nothing_and_is_refused_by_a_strict_build() -> None:
    assert read_settings(ROOT, None, {"LIVEVALUES_EXECUTE": "0"}, strict=False).execute is False
    with pytest.raises(ValueError, match="LIVEVALUES_EXECUTE=0 shows every value as '…': a strict build"):
        read_settings(ROOT, None, {"LIVEVALUES_EXECUTE": "0"}, strict=True)
