"""VMS-DOCUMENT-DATE: the date an e-invoice document carries (a B2B invoice's invoiceDate, a credit note's
ackDate) is the moment it was issued, with its zone (seed 002: "Invoice date and time with zone
information"). It cannot precede what it documents (the order's B2B PO, the return's processing) nor lie
ahead of the posting. A wall time in UTC labelled +05:30 (or an IST time labelled Z) moves it 5 h 30.

Not grounded: how AJIO answers a wrong date is unknown (its example payloads carry dates of 2020). The
simulator accepts the posting and marks the violation in the journal, which the harness fails naming the
rule; the tolerances below are the simulator's own (a connector reads the clock once per run)."""
from __future__ import annotations

from simulator.config import HOUR, MINUTE
from simulator.domain.vms.common import zoned

RULE = "VMS-DOCUMENT-DATE"
EARLY_SLACK = HOUR        # before the event it documents (a clock read at the start of a long run)
AHEAD_SLACK = 15 * MINUTE  # after the simulated now of the posting


def check(ctx, field: str, when: int | None, earliest: int | None, what: str) -> None:
    """Flag (never refuse) a document date outside [earliest - EARLY_SLACK, now + AHEAD_SLACK]."""
    if when is None:
        return
    if when > ctx.now + AHEAD_SLACK:
        ctx.flag(field, f"{field} {zoned(when)} lies {_span(when - ctx.now)} after the simulated now "
                        f"{zoned(ctx.now)}: {what} is dated when it is issued, with its zone (a UTC time "
                        f"labelled +05:30, or the reverse, moves it 5 h 30)", RULE)
    elif earliest is not None and when < earliest - EARLY_SLACK:
        ctx.flag(field, f"{field} {zoned(when)} lies {_span(earliest - when)} before {zoned(earliest)}, when "
                        f"{what} became possible: it is dated when it is issued, with its zone (a UTC time "
                        f"labelled +05:30, or the reverse, moves it 5 h 30)", RULE)


def _span(seconds: int) -> str:
    h, m = divmod(int(seconds) // 60, 60)
    return f"{h} h {m:02d}" if h else f"{m} min"
