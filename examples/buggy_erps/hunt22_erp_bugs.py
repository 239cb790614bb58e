"""ERP bugs of the twenty-second blind VMS hunt: each a small subclass of the reference ERP's Tenant, the diff
against the reference being the bug. Registered in buggy_erp.py as erp_h22_*."""
from __future__ import annotations

import time

from erp import Refused, Tenant, log

IRN_CANCEL_WINDOW_S = 24 * 3600  # the e-invoice portal cancels an IRN within 24 hours of its generation
RSI_TRIES = 3


class NoAnswerTakenAsSent(Tenant):
    """Rule ERP-RETRY-NON-200: an outgoing posting (e-invoice, credit note) whose call got no HTTP answer at all (a
    reset connection, a timeout) is taken as delivered and leaves the outbox: "no error status came back". Only a
    non-200 status is retried, so a posting lost on the wire never reaches AJIO."""

    def send(self, item: dict) -> tuple[int | None, str, float]:
        status, answer, retry_after = super().send(item)
        if status is None:
            log(f"{self.pob}: {item['kind']} {item['key']}: {answer}; taken as delivered")
            return 200, answer, retry_after
        return status, answer, retry_after


class RsiRetriedAtOnce(Tenant):
    """Rule API-RETRY-TRANSIENT (VMS-ERP-RSI-FETCH): an RSI fetch that failed (a 5xx, no answer) is tried again at
    once, up to three times in a row with no pause, before the round gives up; a Retry-After is still honoured."""

    def fetch_rsi(self, start: int, end: int) -> list[dict] | None:
        for _ in range(RSI_TRIES):
            found = super().fetch_rsi(start, end)
            if found is not None or time.monotonic() < self.quiet_until:
                return found
        return None


class CancelRefusedAfterADay(Tenant):
    """Rule ERP-ORDER-CANCEL-POSTING: the ERP cancels an e-invoice only within the portal's 24 hours after it was
    issued; an OUTWARD_ORDER_CANCEL for an e-invoice AJIO took more than a day earlier is refused (400: "raise a
    credit note instead"), so the integration layer retries it until it is a dead letter. A complete cancellation
    after the e-invoice can come days later (the seller's cancellation until handover, a late customer one)."""

    def order_create(self, p: dict) -> None:
        super().order_create(p)
        inv = self.invoices.get(p["orderCode"])
        if inv is not None and "issuedAt" not in inv:
            inv["issuedAt"] = self.now()

    def order_cancel(self, p: dict) -> None:
        inv = self.invoices.get(p["orderCode"])
        if (inv is not None and inv.get("accepted") and inv["status"] != "CANCELLED"
                and self.now() - inv.get("issuedAt", self.now()) > IRN_CANCEL_WINDOW_S):
            raise Refused(f"e-invoice {inv['invoiceNumber']} of {p['orderCode']} was issued more than 24 h ago: its "
                          "IRN can no longer be cancelled")
        super().order_cancel(p)
