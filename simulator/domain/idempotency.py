"""One rule for repeated mutating calls: the same payload answers the first result, another is refused."""
from __future__ import annotations

from simulator.errors import ConflictingRepeat

RULE = "API-IDEMPOTENT-REPEAT"


def conflicting(what: str, field: str, first, got) -> ConflictingRepeat:
    """The error for a repeat whose `field` differs from the first call's."""
    return ConflictingRepeat(f"{what} was already done with {field} = {first!r}; this repeat sends {got!r}. "
                             f"A retry must send the first payload again", field=field, rule=RULE)
