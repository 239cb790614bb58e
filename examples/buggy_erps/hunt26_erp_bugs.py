"""The twenty-sixth blind VMS hunt: three bugs of a seller's ERP behind the Increff layer (/ajio-vms), each a small
subclass of the reference ERP's Tenant (examples/reference_erp/erp.py), registered in buggy_erp.py."""
from __future__ import annotations

import time

from erp import Tenant


class OutboxKickedOnStart(Tenant):
    """At start the ERP sends its whole outbox at once ("flush everything left over from before the restart"): a
    posting AJIO throttled with a Retry-After, or backed off after a 5xx, goes out again as soon as the ERP is
    restarted, before the announced time (API-THROTTLE-RETRY-AFTER, API-RETRY-TRANSIENT)."""

    def __init__(self, env: dict[str, str], state_dir) -> None:
        super().__init__(env, state_dir)
        for item in self.outbox:
            item["due"] = 0.0


class SeenBeforeProcessed(Tenant):
    """The messageId goes into the dedup table whatever came of the posting (the failure is logged with its key): a
    posting the ERP answered 503 because it could not date its documents (AJIO's clock did not answer) is, when the
    layer retries it, answered 200 as "already processed", and its e-invoice or credit note is never made
    (ERP-ORDER-CREATE-POSTING, ERP-CREDIT-NOTE-POSTING; ERP-POSTING-ONCE's other side)."""

    def receive(self, event: str, posting: dict) -> None:
        try:
            super().receive(event, posting)
        except Exception:
            key = posting.get("messageId")
            with self.lock:
                if key is not None and key not in self.seen:
                    self.seen.append(key)
                    self.save()
            raise


class ClockReadOnce(Tenant):
    """Reads AJIO's clock once, at its first need, and then keeps time with its own timer (clock at first read +
    seconds elapsed since): a clock that jumps (days pass in minutes) leaves the ERP's dates behind, an e-invoice
    dated before the PO it is for (VMS-DOCUMENT-DATE)."""

    def read_clock(self) -> float:
        if getattr(self, "clock_base", None) is None:
            self.clock_base = (super().read_clock(), time.monotonic())
        at, since = self.clock_base
        return at + (time.monotonic() - since)
