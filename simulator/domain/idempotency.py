"""One rule for repeated mutating calls: the same payload answers the first result, another is refused."""
from __future__ import annotations

from simulator.errors import ConflictingRepeat

RULE = ("idempotency (API.md, issue 8): a retried call repeats its first payload and gets the first answer; "
        "a repeat with another payload is refused, never applied a second time")


def conflicting(what: str, field: str, first, got) -> ConflictingRepeat:
    """The error for a repeat whose `field` differs from the first call's."""
    return ConflictingRepeat(f"{what} was already done with {field} = {first!r}; this repeat sends {got!r}. "
                             f"A retry must send the first payload again", field=field, rule=RULE)
