"""Bugs of the sixteenth blind Dropship/JIT hunt (designed from the seeds, the rules and the references before any
scenario was read): a crash at a JIT invoice re-issue, at a JIT returns read, at a Dropship tracking read and at a
Dropship PDF download; an exactly full page of held POs; the JIT status sync's calls bounded from above. Each is
the reference with ONE planted mistake; buggy.py runs them.
"""
from __future__ import annotations

import time

from ajio_client import PAGE_SIZE, AjioError
from connector import Connector, log
from jit_connector import JitConnector


class JitReissueFromLinesDiff(JitConnector):
    """JIT-INVOICE-UPDATE-UNTIL-PACKED: whether the invoice must be re-issued is not noted: it is decided by comparing
    the open quantities the pack-time cancellation left with the lines held ("the lines changed, so re-issue"). The
    new lines are kept before the PUT (the reference's order) and put back if AJIO refuses or fails the PUT, so a
    re-issue that failed is sent at the next sync. But a crash at the PUT leaves the new lines on disk (saved before
    the PUT, after the cancellation): the next run sees no change, never re-issues, and packs against the stale
    invoice (kill before: AJIO refuses the pack at every sync) or manifests under the superseded number (kill after:
    AJIO issued the new number, the connector never learns it)."""

    def pack_picked(self) -> None:
        for po_id in self.state.in_stage("picking", "invoiced"):
            mine = self.state.orders[po_id]
            if mine.get("started") == self.sync_id or mine.get("documents_owed"):
                continue
            try:
                before = mine["lines"]
                lines = self.cancel_shortfall(po_id, before, "pack")
                if not any(line["open"] for line in lines):
                    mine["stage"] = "cancelled"
                    continue
                if lines != before:                     # the bug: no "re-issue owed" mark survives a crash
                    mine["lines"] = lines
                    try:
                        self.update_invoice(po_id, mine)
                    except AjioError:
                        mine["lines"] = before
                        raise
                self.pack(po_id, mine)
            except AjioError as exc:
                self.errors += 1
                log(f"{po_id}: {exc}")


class JitReturnsWatermarkBeforeRead(JitConnector):
    """JIT-RETURNS-CONFIRMED: the returns watermark is moved to now, and the state saved, before the returns are
    read ("the job's run is booked first, as a cron table does"); an error from AJIO puts the old watermark back, so
    a pull that fails (AJIO down for days) still covers the outage when AJIO is back. But a crash at the read keeps
    the booked watermark: the next pull starts a day before the crashed run, and a return AJIO raised more than a
    day before it is never pulled, never inbounded."""

    def pull_returns(self) -> None:
        now = int(self.warehouse.now if self.warehouse.now is not None else time.time())
        before = self.state.extra.get("returns_pulled_at")
        since = max(0, self.returns_since(now))
        self.state.extra["returns_pulled_at"] = now                          # the bug: booked before the read
        self.state.save()
        try:
            found = list(self.client.pages("/returns", "returns", fromDate=since))
        except AjioError:
            if before is None:
                self.state.extra.pop("returns_pulled_at", None)
            else:
                self.state.extra["returns_pulled_at"] = before
            self.state.save()
            raise
        for ret in found:
            if ret["return_order_id"] not in self.state.returns:
                self.state.returns[ret["return_order_id"]] = {"order_id": ret["order_id"], "stage": "to_inbound",
                                                              "status": ret["return_status"]}
                log(f"return {ret['return_order_id']} of PO {ret['order_id']}: {ret['return_status']}, to inbound")


class JitHeldPosPageTooFar(JitConnector):
    """API-PAGING (designed as API-NO-UPDATED-SINCE; relabelled after the run: from outside the only sign of it is
    the refused page past the end, which names API-PAGING): the status sync of held POs reads each chunk of 50 ids
    with the PO pull job's loop
    (pages up to totalElements // size): exactly 50 POs held (or a chunk of exactly 50) make it ask for a page past
    the last; AJIO refuses it and the status sync fails at every sync while 50 are held: no PO learns it was
    dispatched or delivered."""

    def read_orders(self, order_ids):
        out = {}
        for start in range(0, len(order_ids), self.IDS_PER_READ):
            chunk = order_ids[start:start + self.IDS_PER_READ]
            page = 0
            while True:
                answer = self.client.get("/orders", orderIds=",".join(chunk), page=page, size=PAGE_SIZE)
                for order in answer["orders"]:
                    out[order["order_id"]] = order
                if page >= answer["page"]["totalElements"] // PAGE_SIZE:   # the bug
                    break
                page += 1
        return out


class JitRereadsEachPoAlone(JitConnector):
    """API-NO-UPDATED-SINCE (overdone): the status sync re-reads each held PO by itself (GET /jit/orders?orderIds=ONE,
    as the PO screen does), not 50 ids a call: N calls a sync for N POs on their way to AJIO's warehouse, every
    sync, for days (a busy seller's status sync is throttled and the rest of the sync waits behind it)."""

    IDS_PER_READ = 1                                                          # the bug


class DsTrackingMarkedBeforeRead(Connector):
    """DS-TRACKING-SYNC: a shipment's new milestone is marked read (and the state saved) before its tracking is
    read ("a customer is never notified twice after a crash"); an error from AJIO puts the mark back, so a read that
    fails is made at the next sync. A crash at the read itself keeps the mark: the milestone (a failed delivery
    attempt, say) is never read, and the customer never hears of it."""

    def read_tracking(self, order_id, mine):
        before = mine.get("tracking")
        seen = mine.get("courier_seen") or {}
        mine["tracking"] = {**(before or {}), "shipment_status": seen.get("shipment_status"),
                            "delivery_attempts": seen.get("delivery_attempts", 0)}   # the bug: marked first
        self.state.save()
        try:
            return self.client.get(f"/orders/{order_id}/tracking")
        except AjioError:
            if before is None:
                mine.pop("tracking", None)
            else:
                mine["tracking"] = before
            self.state.save()
            raise


class DsManifestPdfOwedOnFailureOnly(Connector):
    """DS-MANIFEST-FETCHED: the manifest's PDF is printed at the dock right after AJIO's manifest answer and written
    to the order's "owed" list only when the download fails ("the retry queue holds failures"), that list saved with
    the order. A failed download is fetched at the next sync, but a crash at the download itself leaves nothing
    owed: the orders were recorded manifested (saved before the download's call) and the manifest PDF, which the
    courier's pickup needs, is never fetched."""

    def owe_manifest(self, answer, orders):
        mine = self.state.orders[orders[0]]
        try:
            self.keep_document(answer["manifestUrl"], "manifest")
        except AjioError:
            mine.setdefault("documents_owed", []).append([answer["manifestUrl"], "manifest"])   # the bug
            raise
