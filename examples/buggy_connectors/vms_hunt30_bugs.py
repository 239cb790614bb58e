"""The thirtieth blind VMS hunt, layer side: three bugs of a VMS integration layer, designed from the rulebook and
the reference alone (before reading a scenario). Each is a small subclass of the reference's VmsConnector; the
rule it breaks is named in buggy.py's BUGS.
"""
from __future__ import annotations

from ajio_client import AjioError, AjioUnreachable
from connector import log
from vms_connector import VmsConnector


class B2cInvoicePdfSkipped(VmsConnector):
    """At packing the label's PDF is kept (it goes on the parcel) but the B2C invoice's is never downloaded: the
    team took the B2C invoice for AJIO's business with its customer, not the warehouse's, though the parcel carries
    it (VMS-PACK-DOCUMENTS: "B2C Invoice and Shipping labels will be fetched for each B2C order while packing")."""

    def owe_documents(self, mine: dict, *documents: tuple[str, str]) -> None:
        super().owe_documents(mine, *[(url, kind) for url, kind in documents if kind != "B2C invoice"])


class HandoverWaitsForEveryLabel(VmsConnector):
    """The handover is one batch: while any packed order still owes a document (its label or B2C invoice failed to
    download), no packed order is manifested, those whose documents are all printed included. One order's PDF
    failing for a day keeps every parcel of the day in the warehouse (VMS-MANIFEST-AT-HANDOVER)."""

    def ready_for_handover(self, order_id: str) -> bool:
        return not any(self.state.orders[o].get("documents_owed") for o in self.state.in_stage("packed"))


class AckRetriedOverClient(VmsConnector):
    """The acknowledgement is the call that stops customer cancellations, so the team wrapped it in three tries of
    its own, over the client's bounded retries: an AJIO answering 503 gets twelve acknowledgements of one order in a
    sync instead of four, one after the other (API-RETRY-TRANSIENT: bounded, never hammered)."""

    ACK_TRIES = 3

    def acknowledge(self, order_id: str, mine: dict) -> None:
        for attempt in range(1, self.ACK_TRIES + 1):
            try:
                return super().acknowledge(order_id, mine)
            except AjioError as exc:
                if attempt == self.ACK_TRIES or not (exc.status >= 500 or isinstance(exc, AjioUnreachable)):
                    raise
                log(f"acknowledge {order_id}: {exc}; trying again ({attempt + 1}/{self.ACK_TRIES})")
