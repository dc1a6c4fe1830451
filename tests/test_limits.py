"""Limits a site or a snippet sets: numbers in range, each capped at a documented maximum."""

from __future__ import annotations

import math
import re

import pytest
from livevalues.limits import MAXIMA, Limits, LimitsError


@pytest.mark.parametrize(
    ("settings", "limits"),
    [
        ({"timeout": 120}, Limits(timeout=120.0)),
        ({"timeout": "0.5"}, Limits(timeout=0.5)),
        ({"timeout": 600}, Limits(timeout=600.0)),
        ({"max_output": 5_000_000.0}, Limits(max_output=5_000_000)),
        ({"max_output": "5000000"}, Limits(max_output=5_000_000)),
        ({"max_memory_mb": 8192}, Limits(max_memory_mb=8192)),
    ],
)
def test_limits_in_range_are_taken(settings: dict[str, object], limits: Limits) -> None:
    assert Limits().updated(settings) == limits


@pytest.mark.parametrize(
    ("settings", "words"),
    [
        ({"timeout": math.inf}, "timeout: inf is not a finite number"),
        ({"timeout": "inf"}, "timeout: 'inf' is not a finite number"),
        ({"timeout": math.nan}, "timeout: nan is not a finite number"),
        ({"timeout": 0}, "timeout: 0 is not more than 0"),
        ({"timeout": -5}, "timeout: -5 is not more than 0"),
        ({"timeout": 601}, "timeout: 601 is more than 600, the most one snippet may have"),
        ({"timeout": True}, "timeout: True is not a number"),
        ({"timeout": "soon"}, "timeout: 'soon' is not a number"),
        ({"timeout": ""}, "timeout: '' is not a number"),
        ({"max_output": 5.5}, "max_output: 5.5 is not a whole number"),
        ({"max_output": "1e6"}, "max_output: '1e6' is not a whole number"),
        ({"max_output": 10**9}, "max_output: 1000000000 is more than 10,000,000"),
        ({"max_memory_mb": 10**6}, "max_memory_mb: 1000000 is more than 8,192"),
        ({"max_memory_mb": None}, "max_memory_mb: None is not a number"),
    ],
)
def test_bad_limits_are_refused_with_the_range(settings: dict[str, object], words: str) -> None:
    with pytest.raises(ValueError, match=re.escape(words)) as raised:
        Limits().updated(settings)
    name = next(iter(settings))
    assert f"at most {MAXIMA[name]:,}" in str(raised.value)


def test_a_snippets_bad_limit_names_its_comment_line() -> None:
    source = '"""A snippet."""\n\nimport math\n# livevalues: max_output=100, timeout=-1\nvalue = 1\n'
    with pytest.raises(LimitsError) as raised:
        Limits().for_snippet(source)
    assert raised.value.line == 4
    assert "# livevalues: timeout: '-1' is not more than 0" in str(raised.value)
