"""Durations as people write them ("90s", "30m", "4h", "1d", "2w", "1h30m", "1d 2h", or seconds): one
parser for the CLI, the control-plane client, the dashboard, the scenario loader and the pytest plugin."""
from __future__ import annotations

import re

_UNITS = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
# Each unit at most once, largest first, spaces allowed between the parts: "1d 2h", "2h30m", "45s".
_DURATION = re.compile(r"(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
EXAMPLES = "90s, 30m, 4h, 1d, 2w, 1h30m or plain seconds"


def parse_duration(value: object) -> int:
    """Seconds in `value` (a non-negative int, or text as above); ValueError naming the examples otherwise."""
    if isinstance(value, bool):
        raise ValueError(f"not a duration: {value!r} (use e.g. {EXAMPLES})")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"not a duration: {value!r} (a duration is not negative)")
        return value
    text = str(value).strip().lower().replace(" ", "")
    if text.isdigit():
        return int(text)
    m = _DURATION.fullmatch(text)
    if not text or m is None or not any(m.groups()):
        raise ValueError(f"not a duration: {value!r} (use e.g. {EXAMPLES})")
    return sum(int(n) * seconds for n, seconds in zip(m.groups(), _UNITS.values()) if n)
