"""The thirty-fourth blind VMS hunt, ERP side: three bugs of a seller's ERP behind the VMS layer, designed from the
rulebook and the reference alone (before reading a scenario). Each is a small subclass of the reference's Tenant;
the rule it breaks is named in buggy_erp.py's BUGS.
"""
from __future__ import annotations

import time

from erp import Tenant, log


class ConflictTakenAsDuplicate(Tenant):
    """The outbox reads HTTP the textbook way: 409 Conflict means "AJIO already has this document" (their other
    marketplaces answer a duplicate invoice 409), so a 409 is booked as accepted and the posting leaves the outbox.
    AJIO's 409s say the opposite: the invoice was *not* taken (a number or IRN held elsewhere, a transient conflict);
    the order is never e-invoiced at AJIO and waits for ever (ERP-RETRY-NON-200: a posting answered with anything
    other than 200 is retried until it is accepted)."""

    def send(self, item: dict) -> tuple[int | None, str, float]:
        status, answer, retry_after = super().send(item)
        if status == 409:
            log(f"{self.pob}: {item['kind']} {item['key']} answered 409: AJIO has it already")
            return 200, answer, 0.0
        return status, answer, retry_after


class NumbersPrefixedWithChannel(Tenant):
    """The ERP's sales series are per customer: every AJIO document number starts with the channel (customer) code the
    postings name (`channelName`, "120997" in seed 002's example and in every test they ran), then a slash and the
    counter: 120997/00001, 12 characters. A seller whose channel code is a name (NORTH_ZONE_WH, or any code with an
    underscore or longer than ten characters) gets numbers AJIO refuses, at every retry, and no invoice or credit
    note of that seller ever lands (GST-DOCUMENT-NUMBER-FORMAT: 1-16 letters, digits, '-' and '/')."""

    channel = ""

    def receive(self, event: str, posting: dict) -> None:
        if posting.get("channelName"):
            self.channel = str(posting["channelName"])
        super().receive(event, posting)

    def number(self, prefix: str) -> str:
        self.series[prefix] = self.series.get(prefix, 0) + 1
        return f"{self.channel or prefix}/{prefix}{self.series[prefix]:05d}"


class RsiIgnoresPostingThrottle(Tenant):
    """The team keeps one throttle per endpoint ("AJIO rate-limits each API"): a Retry-After on an invoice or
    credit-note posting holds the outbox, one on the RSI list holds the RSI fetch, and neither holds the other. AJIO
    throttles per seller: while a posting's Retry-After runs, the next RSI round goes out anyway (and is throttled
    again), and an RSI throttle does not stop the postings (API-THROTTLE-RETRY-AFTER: a throttled client sends
    nothing before the announced Retry-After)."""

    rsi_quiet_until = 0.0

    def pull_rsi(self) -> None:
        postings_quiet = self.quiet_until
        self.quiet_until = self.rsi_quiet_until  # the RSI fetch minds its own throttle only
        try:
            super().pull_rsi()
            self.rsi_quiet_until = max(self.rsi_quiet_until, self.quiet_until)
        finally:
            self.quiet_until = postings_quiet if time.monotonic() < postings_quiet else 0.0
