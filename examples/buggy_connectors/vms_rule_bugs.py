"""VMS connector bugs written from the rulebook's VMS rules that no bundled bug broke yet (each rule broken the
way it can be, too little or too much): the reference VMS connector with ONE planted mistake each. buggy.py
lists them by name; each fails the scenario written for it (tests/harness/test_run_vms.py)."""
from __future__ import annotations

from ajio_client import PAGE_SIZE, AjioClient, AjioError
from connector import log
from other_side_bugs import GivesUpOn429Client
from vms_connector import VmsConnector


class AcksWhateverIsNew(VmsConnector):
    """VMS-ACK-NEW-ONLY: the connector acknowledges every order still new in its own records once the hold is over,
    without looking at the status AJIO gave it on the last read: an order the customer cancelled during the hold
    is acknowledged (AJIO refuses it)."""

    def acknowledge_due(self) -> None:
        for mine in self.state.orders.values():
            if mine["stage"] == "cancelled" and mine["status"] == "CANCELLED" and "acknowledged_at" not in mine:
                mine["stage"], mine["status"] = "new", "CREATED"
        super().acknowledge_due()


class CancelsAfterHandover(VmsConnector):
    """VMS-SELLER-CANCEL-UNTIL-HANDOVER: a stock check of every order in work after packing, handed-over ones too:
    an order the warehouse no longer holds units for is cancelled after it left on a manifest."""

    def manifest(self) -> None:
        super().manifest()
        for order_id, mine in self.state.orders.items():
            if mine["stage"] != "manifested":
                continue
            if self.not_picked(order_id, mine):
                try:
                    self.cancel(order_id, mine, None, "units gone after handover")
                except AjioError as exc:
                    self.errors += 1
                    log(f"cancel {order_id}: {exc}")


class _ReturnsSeenAs(VmsConnector):
    """The reference, reading each listed return through `seen_as` (the bug of a subclass): what it does with the
    return is the reference's."""

    def seen_as(self, ret: dict) -> dict:
        return ret

    def sync_returns(self) -> None:
        original = self.client.pages

        def pages(path, key, **params):
            for item in original(path, key, **params):
                yield self.seen_as(item) if path == "/returns" else item
        self.client.pages = pages
        try:
            super().sync_returns()
        finally:
            self.client.pages = original


class QcOnSight(_ReturnsSeenAs):
    """RETURN-QC-AFTER-ARRIVAL: QC is shared for a return as soon as it is listed, in transit or delivered, from the
    warehouse's expected grade."""

    def seen_as(self, ret: dict) -> dict:
        if ret["return_status"] not in ("RETURN_PROCESSED", "RETURN_CANCELLED"):
            return {**ret, "return_status": "RETURN_DELIVERED"}
        return ret


class QcWithdrawnReturn(_ReturnsSeenAs):
    """RETURN-PICKUP-BEFORE-TRANSIT: a return the customer withdrew is still checked when the warehouse logs a
    parcel for its order (the withdrawal is not looked at)."""

    def seen_as(self, ret: dict) -> dict:
        if ret["return_status"] == "RETURN_CANCELLED" and self.warehouse.qc_code(ret["order_id"]) is not None:
            return {**ret, "return_status": "RETURN_DELIVERED"}
        return ret


class CreditNoteWithoutQr(VmsConnector):
    """VMS-CREDIT-NOTE-FIELDS: the RMS credit note is sent with its IRN but without the signed QR code (the QR is
    "printed on the PDF")."""

    def einvoice(self, number: str) -> dict:
        e = super().einvoice(number)
        if number.startswith("RCN"):
            e["qrCode"] = ""
        return e


class InvoicesInModel1(VmsConnector):
    """VMS-MODEL2-RMS-INVOICES: the layer e-invoices through RMS whatever the seller's e-invoice model: in model 1,
    where the seller's ERP e-invoices, it posts a B2B invoice of its own."""

    def invoice(self) -> None:
        model, self.einvoice_model = self.einvoice_model, "rms"
        try:
            super().invoice()
        finally:
            self.einvoice_model = model


class BigManifest(VmsConnector):
    """MANIFEST-MAX-250: every packed order on one manifest, however many."""
    MANIFEST_MAX = 10_000


# -- the other direction of rules whose bundled bugs all went one way -------------------------------------------


class Model1PacksDamaged(VmsConnector):
    """VMS-MODEL1-COMPLETE-CANCEL-ONLY: in model 1 the pick check at packing is skipped once the ERP's e-invoice
    exists ("the invoice is final"): an order with an item found damaged is packed and handed over short instead
    of being cancelled whole."""

    def not_picked(self, order_id: str, mine: dict) -> list[dict]:
        return [] if self.einvoice_model == "erp" and mine["stage"] == "invoiced" else super().not_picked(order_id, mine)


class Model2InvoicesWhatWasAcked(VmsConnector):
    """VMS-MODEL2-PARTIAL-CANCEL: the RMS invoice covers what was acknowledged, without a pick check: lines found
    missing or damaged after the acknowledgement are invoiced (and packed) instead of cancelled."""

    def not_picked(self, order_id: str, mine: dict) -> list[dict]:
        return [] if self.einvoice_model == "rms" else super().not_picked(order_id, mine)


class PartialFlagNeverSet(VmsConnector):
    """VMS-INVOICE-PARTIAL-FLAG: isPartialInvoice is always false, even when the invoice leaves out units the
    warehouse could not pick."""

    def is_partial(self, mine: dict, lines: list[dict], short: dict) -> bool:
        return False


class NoRmsCreditNote(VmsConnector):
    """VMS-CREDIT-NOTE-MODEL: in model 2 the credit note is "the ERP's job": the layer closes a processed return
    without posting the RMS credit note."""

    def credit_note(self, ret: dict, mine: dict) -> None:
        mine["stage"] = "done"


class VmsReadsUntilEmptyPageClient(AjioClient):
    """Reads pages until one comes back empty, never looking at page.totalPages: one call too many per list."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            items = self.get(path, **params, page=page, size=PAGE_SIZE)[key]
            if not items:
                return
            yield from items
            page += 1


class VmsReadsUntilEmptyPage(VmsConnector):
    """API-PAGING: every list (orders, returns) is read until a page comes back empty."""
    client_class = VmsReadsUntilEmptyPageClient


class NeverManifests(VmsConnector):
    """VMS-MANIFEST-AT-HANDOVER: the layer packs (documents fetched) but leaves the manifest to the warehouse's own
    courier portal: no Create Manifest call at handover."""

    def manifest(self) -> None:
        return


class ManifestsUnpacked(VmsConnector):
    """VMS-PACK-DOCUMENTS: the manifest takes every order invoiced or packed ("ready in the ERP"), so an
    order whose B2C invoice and label were never fetched goes on it."""

    def manifest(self) -> None:
        for mine in self.state.orders.values():
            if mine["stage"] == "invoiced":
                mine["stage"] = "packed"
        super().manifest()


class RmsInvoicesOrderedQuantity(VmsConnector):
    """VMS-INVOICE-FINAL-QUANTITY: the RMS invoice lines are the quantities the customer ordered (the order line's
    ordered_quantity), not what is still open after cancellations."""

    def fetch_orders(self) -> None:
        original = self.client.pages

        def pages(path, key, **params):
            for order in original(path, key, **params):
                if path == "/orders":
                    order = {**order, "order_lines": [{**l, "quantity": l.get("ordered_quantity", l["quantity"])}
                                                      for l in order["order_lines"]]}
                yield order
        self.client.pages = pages
        try:
            super().fetch_orders()
        finally:
            self.client.pages = original


class NoReinvoiceAfterPartialCancel(VmsConnector):
    """VMS-INVOICE-IMMUTABLE: model 2, after a partial cancellation at packing the layer goes on with the invoice it
    had ("the invoice is only adjusted"): AJIO cancelled it, and no new RMS invoice is made for what is left."""

    def cancel(self, order_id: str, mine: dict, lines: list[dict] | None, why: str) -> None:
        stage = mine["stage"]
        super().cancel(order_id, mine, lines, why)
        if lines and stage == "invoiced" and mine["stage"] == "po":
            mine["stage"] = "invoiced"


class AsksPoOnce(VmsConnector):
    """VMS-PO-AFTER-ACK: the B2B PO is asked for once; an order whose PO was not there yet (404 NOT_YET) is left
    aside for good, never invoiced nor shipped."""

    def fetch_pos(self) -> None:
        asked = self.meta.setdefault("po_asked", [])
        for order_id, mine in self.state.orders.items():
            if mine["stage"] == "acknowledged" and mine.get("acknowledged_at") != self.clock and "po" not in mine:
                if order_id in asked:
                    mine["stage"] = "po_missing"
                else:
                    asked.append(order_id)
        super().fetch_pos()


class VmsGivesUpOn429(VmsConnector):
    """API-THROTTLE-RETRY-AFTER: a 429 ends the call as if it were a refusal: the work waits for a later sync."""
    client_class = GivesUpOn429Client
