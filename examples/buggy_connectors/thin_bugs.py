"""Bugs of a hunt on the thinly tested duty rules (rules the catalogue named in one to three scenarios): each
breaks its rule in a way the bundled bug did not (another condition, reason, quantity or order state). Each class
is the reference connector with ONE planted mistake. The second pass took the refusal rules (a connector must
not make the call AJIO refuses, and must still do the legal thing) and the next tier of duty rules. buggy.py
lists them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py,
tests/harness/test_run_vms.py)."""
from __future__ import annotations

import hashlib
import json
import time

from ajio_client import AjioError
from connector import Connector, log
from jit_connector import JitConnector
from vms_connector import VmsConnector


class DsAckRereadFallsBackToPendency(Connector):
    """DS-ACK-REREAD-FIRST: re-reads imported orders before acknowledging them, but treats the re-read as a nicety:
    when it fails (AJIO's order read down for the sync), it acknowledges from the copy pendency gave at import, so
    an order the customer cancelled meanwhile is acknowledged anyway."""

    def import_pendency(self) -> None:
        for order in self.client.pages("/orders/pendency", "orders"):
            if not self.state.holds(order["order_id"]):
                self.state.orders[order["order_id"]] = {"stage": "imported", "as_imported": order}
                log(f"imported {order['order_id']}")

    def orders_to_acknowledge(self) -> list[dict]:
        try:
            return super().orders_to_acknowledge()
        except AjioError as exc:   # the bug: "the read is down, pendency told us what they are"
            log(f"re-read failed ({exc}): acknowledging from the imported copies")
            return [self.state.orders[o]["as_imported"] for o in self.state.in_stage("imported")
                    if self.state.orders[o].get("as_imported")]


class DsSkuSlugLookup(Connector):
    """DS-ORDER-SKU-EXACT: the WMS keeps item codes "slugged" (spaces and slashes as '-'); an AJIO SKU the warehouse
    file does not list exactly is looked up by its slug, so a look-alike item's units ('TOP-22-RED-S') are confirmed
    for an order of 'TOP 22/RED/S'."""

    @staticmethod
    def slug(sku: str) -> str:
        return sku.replace(" ", "-").replace("/", "-")

    def confirmable(self, open_qty: int, sku: str) -> int:
        stock = self.warehouse.stock
        held = stock[sku] if sku in stock else stock.get(self.slug(sku), self.warehouse.default_stock)  # the bug
        return min(open_qty, max(0, held - self.reserved.get(sku, 0)))


class DsRtoOnAddressIssue(Connector):
    """DS-FAILED-ATTEMPT-NOT-FINAL: a failed attempt for ADDRESS_ISSUE is taken as the end of the road ("no courier
    can deliver to a wrong address"): the connector creates the RTO itself at once, while the courier still tries
    again (other failure reasons are left to AJIO, as they should be)."""

    def read_tracking(self, order_id: str, mine: dict) -> dict:
        answer = super().read_tracking(order_id, mine)
        if any(e.get("reason") == "ADDRESS_ISSUE" for e in answer["events"]):   # the bug
            self.coming_back = getattr(self, "coming_back", []) + [order_id]
        return answer

    def sync_tracking(self) -> None:
        self.coming_back = []
        super().sync_tracking()
        for order_id in self.coming_back:
            if order_id not in self.state.rto_created:
                log(f"{order_id}: address issue, the parcel comes back: RTO")
                self.create_rto(order_id)


class DsInvoicePdfWithManifest(Connector):
    """DS-INVOICE-PDF-FETCHED: the B2B invoice's number is kept at invoicing, its PDF downloaded later with the
    manifest's paperwork (one print run per pickup): an invoiced order that does not reach the manifest (label
    refused, AJIO cancels it past its dispatch_by) never gets its invoice PDF."""

    def owe_documents(self, mine: dict, *documents: tuple[str, str]) -> None:
        later = [d for d in documents if d[1] == "B2B invoice"]
        if later:   # the bug: put aside until the manifest
            mine.setdefault("print_with_manifest", []).extend([u, k] for u, k in later)
        super().owe_documents(mine, *[d for d in documents if d[1] != "B2B invoice"])

    def manifest_carrier(self, packed: list[str]) -> None:
        super().manifest_carrier(packed)
        for order_id in packed:
            mine = self.state.orders[order_id]
            if mine["stage"] == "manifested" and mine.get("print_with_manifest"):
                docs = [tuple(d) for d in mine.pop("print_with_manifest")]
                super().owe_documents(mine, *docs)


class DsRtoShortAsBad(Connector):
    """DS-CREDIT-NOTE-RECEIVED-UNITS: an RTO parcel that comes back short is booked as courier damage: its units QC
    found MISSING are put away BAD ("the courier lost or broke it, it is bad stock"), so AJIO's credit note credits
    units that never came back. Customer returns keep MISSING, as the catalogue checks."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if ret.get("return_type") == "RTO" and self.warehouse.qc_code(ret["order_id"]) == "MISSING":
            qc = self.warehouse.qc
            self.warehouse.qc = {**qc, ret["order_id"]: "BAD"}   # the bug
            try:
                return super().quality_check(ret, mine)
            finally:
                self.warehouse.qc = qc
        super().quality_check(ret, mine)


class JitRelistedPrepackStartedAgain(JitConnector):
    """API-ORDER-LISTED-AGAIN: a PO pendency lists is skipped only once it is packed (or later): a PO it already
    holds between its prepack and its pack (stage picking, invoiced) that pendency lists again is started again."""

    def process_pendency(self) -> None:
        for po in list(self.client.pages("/orders/pendency", "orders")):
            stage = self.state.orders.get(po["order_id"], {}).get("stage", "new")
            if stage in ("packed", "manifested", "shipped", "delivered", "cancelled"):   # the bug: not != "new"
                continue
            try:
                self.start_po(po)
            except AjioError as exc:
                self.errors += 1
                log(f"{po['order_id']}: {exc}")


class VmsAcksBatchWhenOldestDue(VmsConnector):
    """VMS-ACK-HOLD: acknowledgements go out in batches: once the oldest new order's hold is over, every new order
    is acknowledged with it, so an order placed after it is acknowledged before its own hold ends."""

    def acknowledge_due(self) -> None:
        new = [m for m in self.state.orders.values() if m["stage"] == "new" and m.get("status") == "CREATED"]
        if new and any(self.clock - m["order_date"] >= self.ack_hold_s for m in new):
            saved = {id(m): m["order_date"] for m in new}
            oldest = min(saved.values())
            for m in new:
                m["order_date"] = oldest   # the bug: the batch is due with its oldest order
            try:
                super().acknowledge_due()
            finally:
                for m in new:
                    m["order_date"] = saved[id(m)]
        else:
            super().acknowledge_due()


class VmsOrdersWindowFromLastFetch(VmsConnector):
    """VMS-ORDERS-BY-DATE: the date window starts where the last fetch ended (less the hour's overlap), never at the
    oldest order still in work: an order created more than an hour before the last fetch is no longer read, so a
    customer's cancellation during its hold is not learnt and its acknowledgement goes out."""

    def fetch_orders(self) -> None:
        for mine in self.state.orders.values():
            mine["_date"] = mine["order_date"]
            mine["order_date"] = 10 ** 12   # the bug: open orders no longer pull the window back
        try:
            super().fetch_orders()
        finally:
            for mine in self.state.orders.values():
                if "_date" in mine:
                    mine["order_date"] = mine.pop("_date")


# the second pass: refusal rules and the next tier
PO_PATIENCE_S = 3 * 3600   # how long the first bug below waits for AJIO's PO


class DsInvoiceWhenPoLate(Connector):
    """DS-PO-ON-HOLD: an order keeps its hold for its PO for 3 hours at most ("the PO comes within half an hour;
    after three, AJIO's PO feed is stuck and the dispatch SLA is running"): then it is invoiced without the PO,
    which AJIO refuses (the hold must last however late the PO is)."""

    def fulfil(self) -> None:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        for order_id in self.state.in_stage("acknowledged"):
            mine = self.state.orders[order_id]
            if mine.get("status") == "CONFIRMED" and not mine.get("po_number"):
                since = mine.setdefault("on_hold_since", now)
                if now - since >= PO_PATIENCE_S:   # the bug: the hold has a deadline
                    log(f"{order_id}: no PO after {(now - since) / 3600:.1f} h, invoicing without it")
                    mine["po_number"] = "PENDING-FROM-AJIO"
        super().fulfil()


class DsLoneRetryManifestWaits(Connector):
    """DS-DISPATCH-WITHIN-SLA: a shipment AJIO failed on a manifest (failedDispatchItems) is put aside to go "with
    the next pickup": it is manifested again only together with a shipment packed since, never on a manifest of
    its own. With no new order packed, it is never handed over and AJIO cancels it at its dispatch SLA."""

    def manifest(self) -> None:
        packed = [o for o in self.state.in_stage("packed") if not self.state.orders[o].get("documents_owed")]
        fresh = [o for o in packed if not self.state.orders[o].get("manifest_failed")]
        if not fresh:   # the bug: a retry alone is "not worth a pickup"
            if packed:
                log(f"{len(packed)} shipment(s) failed on a manifest wait for the next pickup")
            return
        super().manifest()
        for order_id in packed:
            if self.state.orders[order_id]["stage"] == "packed":
                self.state.orders[order_id]["manifest_failed"] = True


class JitPendencyUnchangedSkipped(JitConnector):
    """JIT-PO-PROCESSED: pendency is only worked when it changed since the last sync (a digest of the PO list is
    kept: "same list, nothing new"): a PO that could not be started (a SKU not pulled yet, an invoice call down)
    waits until some other PO comes or goes; a stale page of pendency leaves it waiting too."""

    def process_pendency(self) -> None:
        pos = list(self.client.pages("/orders/pendency", "orders"))
        digest = hashlib.sha256(json.dumps(sorted(p["order_id"] for p in pos)).encode()).hexdigest()
        if self.state.extra.get("pendency_digest") == digest:   # the bug
            log("pendency unchanged: nothing new")
            return
        self.state.extra["pendency_digest"] = digest
        pages = self.client.pages
        self.client.pages = lambda *a, **k: iter(pos)
        try:
            super().process_pendency()
        finally:
            self.client.pages = pages


class JitReissueBeforeEveryPrepackedPack(JitConnector):
    """JIT-INVOICE-UPDATE-UNTIL-PACKED: a prepacked PO's invoice is re-issued (PUT) before its pack whenever the
    pack has to be sent again ("the pick may have changed it"): a pack AJIO applied but whose answer was lost is
    followed, at the next sync, by a re-issue of the invoice of a PO already packed."""

    def pack(self, po_id, mine):
        if mine.get("pack_tried"):
            self.update_invoice(po_id, mine)   # the bug: re-issued before a repeated pack
        mine["pack_tried"] = True
        super().pack(po_id, mine)


class VmsModel2PartialCancelAtHandover(VmsConnector):
    """VMS-MODEL2-PARTIAL-CANCEL: model 2. Before handover the warehouse's count is checked once more for packed
    orders waiting for the manifest (their documents or the manifest failed before): units found damaged since
    are cancelled line by line, as at packing, though AJIO allows a partial cancellation only until packing."""

    def manifest(self) -> None:
        if self.einvoice_model == "rms":
            for order_id, mine in self.state.orders.items():
                if mine["stage"] != "packed" or mine.get("packed_at") == self.clock:
                    continue
                short = self.not_picked(order_id, mine)
                if short and self.remaining(mine, short) > 0:
                    try:   # the bug: a partial cancellation after packing
                        self.cancel(order_id, mine, short, "items damaged since packing")
                    except AjioError as exc:
                        self.errors += 1
                        log(f"cancel {order_id}: {exc}")
        super().manifest()

    def pack(self) -> None:
        before = {o for o, m in self.state.orders.items() if m["stage"] == "packed"}
        super().pack()
        for o, m in self.state.orders.items():
            if m["stage"] == "packed" and o not in before:
                m["packed_at"] = self.clock
