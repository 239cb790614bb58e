"""Blind bug hunt 32 (Dropship): six bugs designed from the rulebook before reading the catalogue.

Each class is the reference connector with one planted bug, the diff against the reference being the bug.
"""
from __future__ import annotations

from ajio_client import AjioClient, AjioError
from connector import PARCEL, Connector, Warehouse, item_refused, log


class CreditNoteSeriesPinned(Connector):
    """DS-CREDIT-NOTE-FETCHED. The finance team asked that every credit note booked carry "our" return-invoice series,
    so the connector learns AJIO's series from the first credit note it keeps and, from then on, treats a credit
    note of another series as suspect: not booked, its PDF not downloaded, "raised with AJIO" in the log, and asked
    for again at the next sync. AJIO's series carries the financial year (R<series><FY>): from 1 April (IST) every
    credit note is of a new series, none is ever kept again, and the connector asks AJIO for them at every sync."""

    def credit_note_answered(self, return_id: str, mine: dict, answer: dict) -> None:
        pinned = self.state.meta.setdefault("credit_note_series", answer["credit_note_series"])
        if answer["credit_note_series"] != pinned:                          # the bug: the series is the FY's
            log(f"credit note {answer['credit_note_number']} of {return_id}: series "
                f"{answer['credit_note_series']} is not ours ({pinned}); not booked, raised with AJIO")
            return
        super().credit_note_answered(return_id, mine, answer)


class DocumentUnauthorisedDroppedClient(AjioClient):
    def document(self, url: str) -> bytes:
        self.RELOGIN_ON_401 = False  # document links are "signed": a 401 is the link, not the session
        try:
            return super().document(url)
        except AjioError as exc:
            if exc.status != 401:
                raise
            log(f"document {url}: link expired (401); skipped")
            return b""                                                     # the bug: nothing kept, nothing owed
        finally:
            del self.RELOGIN_ON_401


class DocumentUnauthorisedDropped(Connector):
    """AUTH-TOKEN-30-MIN. The PDF downloader was written against document links the team took for pre-signed URLs
    (the apiKey header "only for good measure"): a 401 on a document means the link expired, not the session, so it
    neither logs in again nor retries; the document is skipped as unavailable and counted as handled. A token that
    expires on a document download (or any 401 there) loses that document for good: the invoice, label, manifest,
    PO or credit-note PDF AJIO issued is never kept."""

    client_class = DocumentUnauthorisedDroppedClient


class ReturnItemsFromFirstSight(Connector):
    """DS-PUTAWAY-GOOD-BAD. A return seen for the first time becomes an inbound ASN in the warehouse system, with its
    items and quantities; the putaway (GRN) later reports against that ASN, and the connector builds the QC payload
    from it rather than from AJIO's current listing ("the ASN is what the dock received against"). A customer who
    withdraws some units after the connector first saw the return (allowed until the pickup) leaves the ASN with
    the old quantities: the QC reports the withdrawn units too, AJIO refuses it at every sync, and the return is
    never put away nor credited."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        asn = mine.get("asn")
        if asn is None:  # first sight at its arrival: the ASN is made now
            asn = self.asn_of(ret)
        ret = {**ret, "return_order_items": asn}                            # the bug: quantities of first sight
        super().quality_check(ret, mine)

    @staticmethod
    def asn_of(ret: dict) -> list[dict]:
        return [{"return_item_id": i["return_item_id"], "return_quantity": i["return_quantity"],
                 "cancelled_return_quantity": i["cancelled_return_quantity"]} for i in ret["return_order_items"]]

    def sync_returns(self) -> None:
        original = self.client.pages

        def pages(path, key, **params):
            for item in original(path, key, **params):
                if path == "/returns":
                    mine = self.state.returns.get(item["return_order_id"])
                    if mine is not None and "asn" not in mine and mine.get("stage") == "seen":
                        mine["asn"] = self.asn_of(item)
                    elif mine is None:
                        self.state.returns[item["return_order_id"]] = {"order_id": item["order_id"], "stage": "seen",
                                                                       "asn": self.asn_of(item)}
                yield item

        self.client.pages = pages
        try:
            super().sync_returns()
        finally:
            del self.client.pages


class RtoItemIdsByPosition(Connector):
    """DS-RTO-ITEMS-OF-ORDER. The dock scans a parcel that came back without an expectation and the connector names
    each RTO item by its SKU (item_id), taking the SKUs in the order of the invoice's lines and the lines to return
    from those with units; the two lists are paired by position. An order with a line that shipped nothing (its
    units cancelled at acknowledgement for want of stock, or by the customer) shifts the pairing: an RTO item names
    another line's SKU, AJIO refuses the RTO, and the parcel is never booked back."""

    @staticmethod
    def rto_items(lines: list[dict], qc_code: str) -> list[dict]:
        scanned = [l["sku"] for l in lines]                         # every line of the invoice, in its order
        shipped = [l for l in lines if l["quantity"] > 0]
        return [{"order_item_id": l["order_item_id"], "item_id": scanned[n], "quantity": l["quantity"],
                 "qc_code": qc_code} for n, l in enumerate(shipped)]                 # the bug: paired by position


class LabelRepostedForOwedDocuments(Connector):
    """API-CHANGE-SENT-ONCE. A label or B2C-invoice PDF whose download failed is fetched again at the next sync; the
    team believed AJIO's document links expire, so the retry first asks AJIO for the label again (same parcel: "AJIO
    answers a repeat with the same label, so it is harmless") to get fresh links, at every sync the PDF still fails.
    AJIO took the label the first time: each later sync sends that change again."""

    def fetch_owed_documents(self) -> None:
        for order_id, mine in list(self.state.orders.items()):
            owed = mine.get("documents_owed") or []
            if mine.get("stage") == "packed" and any(kind in ("label", "B2C invoice") for _, kind in owed):
                try:
                    answer = self.client.post(f"/orders/{order_id}/label", dict(PARCEL))  # the bug: fresh links
                except AjioError as exc:
                    if not item_refused(exc):
                        raise
                    log(f"{order_id}: label not asked again ({exc})")
                else:
                    fresh = {"label": answer["label_pdf_url"], "B2C invoice": answer["b2c_invoice_pdf_url"]}
                    mine["documents_owed"] = [[fresh.get(kind, url), kind] for url, kind in owed]
        super().fetch_owed_documents()


class LeadingZerosWarehouse(Warehouse):
    def __init__(self, path, assume_stock=None) -> None:
        super().__init__(path, assume_stock)
        self.by_key = {}
        for sku, quantity in self.stock.items():
            self.by_key.setdefault(self.key(sku), quantity)

    @staticmethod
    def key(sku: str) -> str:
        return sku.lstrip("0") or "0"

    def available(self, sku: str) -> int:
        if sku in self.stock:
            return self.stock[sku]
        return self.by_key.get(self.key(sku), self.default_stock)              # the bug: a look-alike's stock


class SkuLeadingZerosStripped(Connector):
    """DS-ORDER-SKU-EXACT. The warehouse's SKU master came to the WMS through a spreadsheet, which dropped the
    leading zeros of numeric SKUs ("004512" became "4512"); to make orders match, the connector looks a SKU up
    exactly and, failing that, with its leading zeros stripped. A seller whose catalogue holds both an AJIO SKU
    "004512" the warehouse does not stock and a SKU "4512" it does (or "04512") has orders of the first confirmed
    from the second's stock, and the first's count pushed to AJIO as the second's."""

    def read_warehouse(self) -> Warehouse:
        return LeadingZerosWarehouse(self.warehouse_path, self.assume_stock)
