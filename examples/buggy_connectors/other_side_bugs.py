"""Bugs on the other side of a rule: where the first bug of a rule did too little, these do too much, or late.

A rule like "retry a throttled call after Retry-After, and still get the work done" is broken by a
connector that retries early (ignores_retry_after) and by one that gives up (gives_up_on_429); a
check that bounds only one side lets the other through. Each class is the reference connector (DS
or JIT) with ONE bug planted; buggy.py lists them by name.
"""
from __future__ import annotations

from ajio_client import AjioClient
from client_bugs import NoRetryClient, RetriesForeverClient
from connector import Connector, log
from jit_connector import JitConnector

# -- the client: paging and 429 ------------------------------------------------------------------------


class ReadsUntilEmptyPageClient(AjioClient):
    """Reads pages until one comes back empty, never looking at page.totalPages: one call too many per list."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            items = self.get(path, **params, page=page, size=50)[key]
            if not items:
                return
            yield from items
            page += 1


class ReadsUntilEmptyPage(Connector):
    client_class = ReadsUntilEmptyPageClient


class JitReadsUntilEmptyPage(JitConnector):
    client_class = ReadsUntilEmptyPageClient


class GivesUpOn429Client(AjioClient):
    """A 429 ends the call, as if the throttle were a refusal: the work waits for a later sync, or is dropped."""

    def retry_wait(self, response, attempt: int) -> float | None:
        return None if response.status_code == 429 else super().retry_wait(response, attempt)


class GivesUpOn429(Connector):
    client_class = GivesUpOn429Client


class JitGivesUpOn429(JitConnector):
    client_class = GivesUpOn429Client


class JitNeverRetries(JitConnector):
    client_class = NoRetryClient


class JitRetriesForever(JitConnector):
    client_class = RetriesForeverClient


# -- Dropship -------------------------------------------------------------------------------------------


class QcAlwaysBad(Connector):
    """Reports every returned unit as BAD ('to be safe, QC later in the WMS'): good units are never sellable."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        self.warehouse.qc = {ret["order_id"]: "BAD"}
        super().quality_check(ret, mine)


class CancelsAfterInvoice(Connector):
    """Checks the stock of every order it holds before each step, invoiced ones too: cancels what AJIO already invoiced."""

    def fulfil(self) -> None:
        for order_id in self.state.in_stage("invoiced"):
            mine = self.state.orders[order_id]
            if mine.get("status") == "CONFIRMED" and self.stock_lost(mine, order_id):
                self.seller_cancel(order_id)
        super().fulfil()


class NeverPutsAway(Connector):
    """Syncs returns but never tells AJIO its QC ('the WMS has the putaway'): the return is never processed."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        mine["stage"] = "put_away"
        log(f"{ret['return_order_id']}: put away in the WMS")


class InventoryDeltas(Connector):
    """Pushes the change since its last push (+3, -7), as its WMS's stock movements, not the absolute count."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        before = dict(self.state.inventory)
        deltas = [{**line, "quantity": line["quantity"] - before.get(line["sku"], 0)} for line in lines]
        super().push_inventory_batch(deltas)
        self.state.inventory.update({line["sku"]: line["quantity"] for line in lines})


class ManifestsInvoiced(Connector):
    """Manifests every order it invoiced, labelled or not (its label call failed: the AWB is the order id)."""

    def manifest(self) -> None:
        for order_id in self.state.in_stage("invoiced"):
            self.state.orders[order_id].update(stage="packed", awb=order_id)
        super().manifest()


class RefetchesKeptDocuments(Connector):
    """Downloads every document it ever kept again at every sync ('the PDF may have changed') instead of keeping it."""

    def keep_document(self, url: str, kind: str) -> bytes:
        self.state.extra.setdefault("documents", {})[url] = kind
        return super().keep_document(url, kind)

    def refresh_held_orders(self) -> None:
        kept_before = list(self.state.extra.get("documents", {}))   # by earlier syncs
        super().refresh_held_orders()
        for url in kept_before:
            self.client.document(url)


class RefetchesCreditNote(Connector):
    """Downloads every credit note's PDF again at every sync instead of keeping it."""

    def fetch_credit_notes(self) -> None:
        for mine in self.state.returns.values():
            if mine.get("stage") == "credited" and mine.get("credit_note_url"):
                self.client.document(mine["credit_note_url"])
        super().fetch_credit_notes()

    def keep_document(self, url: str, kind: str) -> bytes:
        if kind == "credit note":
            for mine in self.state.returns.values():
                if mine.get("stage") == "put_away":
                    mine.setdefault("credit_note_url", url)
        return super().keep_document(url, kind)


# -- JIT ------------------------------------------------------------------------------------------------


class JitInventoryDeltas(InventoryDeltas, JitConnector):
    """Pushes the change since its last push (+9, -6), as its WMS's stock movements, not the absolute count."""


class JitReissuesInvoiceAfterPack(JitConnector):
    """Has AJIO re-issue the invoice after packing, 'so the numbers match the boxes': too late, the PO is packed."""

    def pack(self, po_id: str, mine: dict) -> None:
        super().pack(po_id, mine)
        try:
            self.update_invoice(po_id, mine)
        except Exception as exc:  # noqa: BLE001 (the bug: the refusal is logged and forgotten)
            log(f"PO {po_id}: invoice not re-issued: {exc}")


class JitPacksShort(JitConnector):
    """Leaves the last unit of a PO out of its boxes (the carton was full): fewer units than invoiced."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        out = super().boxes(po_id, lines)
        last = out[-1]["items"][-1]
        if last["quantity"] > 1:
            last["quantity"] -= 1
        else:
            out[-1]["items"].pop()
            if not out[-1]["items"]:
                out.pop()
        return out


class JitRereadsFinalPOs(JitConnector):
    """Keeps re-reading delivered and cancelled POs at every sync, for ever."""

    def refresh_held_orders(self) -> None:
        super().refresh_held_orders()
        final = self.state.in_stage("delivered", "cancelled")
        if final:
            self.read_orders(final)


class JitRefetchesDocuments(RefetchesKeptDocuments, JitConnector):
    """Downloads every document it kept again at every later sync instead of keeping it."""


class JitIgnoresPrepack(JitConnector):
    """Ignores the channel's prepack setting: packs at once, so no label exists at picklist time."""

    def start_po(self, po: dict) -> None:
        settings = self.warehouse.settings
        self.warehouse.settings = {k: v for k, v in settings.items() if k != "prepack"}
        try:
            super().start_po(po)
        finally:
            self.warehouse.settings = settings
