"""contracts/durations.py: the one duration parser of the CLI, client, dashboard, loader and plugin."""
from __future__ import annotations

import pytest

from contracts.durations import parse_duration


@pytest.mark.parametrize("text,seconds", [
    ("90s", 90), ("30m", 1800), ("4h", 14400), ("1d", 86400), ("2w", 1209600), ("1h30m", 5400),
    ("2h30m", 9000), ("1d 2h", 93600), ("1h 1s", 3601), (" 4H ", 14400), ("45", 45), (0, 0), (3600, 3600),
])
def test_parse_duration_reads_units_and_seconds(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "4x", "h", "4h-", "-4h", "4.5h", "four hours", "4h later", "30ms", "30m1h",
                                  "1h1h", -5, True, None])
def test_parse_duration_refuses_what_is_no_duration(text):
    with pytest.raises(ValueError, match="not a duration"):
        parse_duration(text)
