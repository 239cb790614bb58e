"""Bugs of Dropship's RTO creation answered `200 {status: FAILED}` (rto17: a line_failure fault on POST /ds/return/rto).
Each class is a reference connector with ONE planted mistake. buggy.py lists them by name; each fails the scenario
written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

from connector import Connector, log


class DsRtoFailedTakenAsCreated(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED: the reference until rto17: never reads the answer's `status`, so a 200
    `status: FAILED` (nothing created, no return order id) is recorded as a created RTO: never sent again, the
    parcel never put away, no credit note."""

    @staticmethod
    def rto_created_by(answer: dict) -> bool:
        return True   # the bug: a 200 is a created RTO


class DsRtoFailedIsFinal(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED: reads `status`, but takes FAILED for AJIO's final no ("it refused that RTO"):
    the parcel is noted for a person and never sent again, though AJIO's FAILED created nothing and asks for a
    retry."""

    def create_rto(self, order_id: str) -> None:
        super().create_rto(order_id)
        if order_id not in self.state.rto_created:   # the bug: FAILED once, given up for good
            self.state.rto_created.append(order_id)
            log(f"RTO for {order_id} refused by AJIO: left for a person")


class DsRtoRetriedUntilSuccess(Connector):
    """API-PER-LINE-FAILURES: sends a creation AJIO answered FAILED again at once, up to 5 times in the same sync
    ("as the public utility retries a manifest until SUCCESS"): an RTO service failing for a whole sync is hammered."""

    def create_rto(self, order_id: str) -> None:
        for _ in range(5):   # the bug: retried within the sync, no pause
            super().create_rto(order_id)
            if order_id in self.state.rto_created:
                return


class DsRtoOwedRetriedFirst(Connector):
    """DS-RTO-CREATE-ONLY-UNEXPECTED: keeps the RTO creations AJIO answered FAILED in a queue drained at the start of
    each returns sync, before reading what AJIO now expects ("owed writes go first"): once AJIO raised its own RTO
    for the order, the creation is sent anyway and refused, and the queue's refusal stops the returns sync."""

    def sync_returns(self) -> None:
        for order_id in list(self.state.meta.get("rto_failed", {})):   # the bug: AJIO's expectations not read yet
            if order_id not in self.state.rto_created:
                self.create_rto(order_id)
        super().sync_returns()
