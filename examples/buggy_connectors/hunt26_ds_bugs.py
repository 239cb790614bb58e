"""The twenty-sixth blind Dropship hunt: six bugs of a real Dropship connector, each a small subclass of the
reference overriding the one method (or limit) the bug lives in (registered in buggy.py's BUGS as ds_h26_*)."""
from __future__ import annotations

from ajio_client import AjioClient
from connector import Connector


class OutOfStockLeftPending(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK: an order of which the warehouse holds no unit at all is not acknowledged (no
    seller cancellation): the ERP keeps it as a back-order, waiting for a restock, until AJIO cancels it at its
    acknowledge_by. The reference confirms what it holds and cancels the rest at once."""

    def orders_to_acknowledge(self) -> list[dict]:
        todo = super().orders_to_acknowledge()
        return [o for o in todo if any(self.warehouse.available(l["item_details"]["item_code"]) > 0
                                       for l in o["order_lines"] if l["quantity"] > 0)]


class InvoiceMarkedBeforeCall(Connector):
    """DS-INVOICE-PDF-FETCHED: the order is marked invoiced (and saved) before the invoice call leaves, as an
    outbox would; a crash before the answer leaves an order invoiced here with no invoice number and no PDF owed:
    the next run labels it, never fetches the B2B invoice PDF, and manifests it without its invoice number."""

    def invoice(self, order_id: str, mine: dict) -> None:
        mine["stage"] = "invoiced"
        self.noted += 1
        super().invoice(order_id, mine)


class PutawayAwaitsListing(Connector):
    """API-CHANGE-SENT-ONCE: a putaway is taken as done only when AJIO lists the return RETURN_PROCESSED; until
    then the return stays `seen`, so a list that still shows it RETURN_DELIVERED (a lagging read) makes the
    connector send the QC again."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        super().quality_check(ret, mine)
        mine["stage"] = "seen"


class ReloginClient(AjioClient):
    def may_retry(self, method, failure, attempt, limit) -> bool:
        if getattr(failure, "status_code", None) == 429:
            self.token = None   # "a throttled session": the retry logs in afresh
        return super().may_retry(method, failure, attempt, limit)


class ReloginOn429(Connector):
    """AUTH-LOGIN-SPARINGLY: a 429 is taken for a throttled session, so the call's retry logs in again first."""

    client_class = ReloginClient


class ManifestPdfPerShipment(Connector):
    """DS-MANIFEST-FETCHED (documents fetched once): the manifest's PDF is owed by every shipment on it, as a WMS
    attaching it to each parcel does; one manifest's PDF is downloaded once per shipment."""

    def owe_manifest(self, answer: dict, orders: list[str]) -> None:
        for order_id in orders:
            self.owe_documents(self.state.orders[order_id], (answer["manifestUrl"], "manifest"))


class TenRetriesClient(AjioClient):
    RETRIES = 10
    TRANSPORT_RETRIES = 10


class RetriesTenTimes(Connector):
    """API-RETRY-TRANSIENT: every failed call is retried ten times (backoff capped at 5 s): a down endpoint is
    hammered for most of a minute per call, in every phase, instead of a few bounded tries."""

    client_class = TenRetriesClient
