"""The thirty-second blind JIT hunt's bugs: what an integrator's team shipping a JIT connector under time pressure gets
wrong about the rules, designed from the rulebook and the reference alone (registered in buggy.py as jit_h32_*).

Each is a small subclass of the reference (or of its client) overriding the one method or hook the bug lives in.
"""
from __future__ import annotations

import time
from datetime import datetime, timezone

from ajio_client import AjioClient
from connector import log
from jit_connector import JitConnector

TRACKING_WINDOW_S = 7 * 86400   # "a JIT shipment reaches AJIO's warehouse within a week" (the team's reading)
LOGIN_PAUSE_S = 2.0             # the auth retry's pause, copied from the team's other marketplace connectors


# -- JIT-PACK-MATCHES-INVOICE: one box too many when the units fill the boxes exactly -------------------------------
class ExtraEmptyBox(JitConnector):
    """With a box capacity set, the pack plan first counts the boxes (`units // capacity + 1`: "the remainder goes in
    one more box") and then fills them in turn. Tested with 5 units in boxes of 2 (three boxes), it packs a PO whose
    units are an exact multiple of the capacity (4 units in boxes of 2, 10 in boxes of 5) with one more box than it
    fills: an empty box, which AJIO refuses with the whole pack, at every sync. The PO is invoiced and never packed
    (with prepack, the empty box's label is prefetched too)."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        capacity = self.warehouse.settings.get("box_capacity")
        if not capacity:
            return super().boxes(po_id, lines)
        units = sum(line["open"] for line in lines)
        boxes = [{"box_id": f"{po_id}-B{n:02d}", "seal_id": f"SL{po_id}{n:02d}", "items": []}
                 for n in range(1, units // capacity + 2)]
        at, room = 0, capacity
        for line in lines:
            left = line["open"]
            while left:
                if room == 0:
                    at, room = at + 1, capacity
                take = min(left, room)
                boxes[at]["items"].append({"order_item_id": line["order_item_id"], "quantity": take})
                left -= take
                room -= take
        return boxes


# -- API-NO-UPDATED-SINCE: shipments tracked for a week after their manifest ----------------------------------------
class StatusSyncOneWeek(JitConnector):
    """To keep the status sync's `orderIds` reads short over a month of POs, a PO is re-read for seven days after its
    manifest ("the courier takes it the next day and AJIO's warehouse receives it within the week"), then dropped from
    the status sync. A PO whose pickup or delivery runs late (a courier backlog, a warehouse closed for a festival, the
    connector itself stopped for a long weekend) is never seen DISPATCHED or DELIVERED: it stays manifested here."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        super().manifest_answered(chunk, answer)
        for po_id in chunk:
            mine = self.state.orders[po_id]
            if mine["stage"] == "manifested":
                mine.setdefault("manifested_on", self.seller_now())

    def held_orders(self) -> list[str]:
        now = self.seller_now()
        return [o for o in super().held_orders()
                if now - self.state.orders[o].get("manifested_on", now) <= TRACKING_WINDOW_S]


# -- API-THROTTLE-RETRY-AFTER: a throttled login retried after a fixed pause -------------------------------------------
class LoginFixedPauseClient(AjioClient):
    """The login's retry was written like the team's other marketplace connectors' auth: a refused token request is
    asked again after a fixed 2 s, up to the client's retries ("auth is its own bucket, 12 a minute: 2 s is plenty").
    Every other call honours Retry-After; a login AJIO throttles with a longer Retry-After is sent again inside it."""

    def retry_wait(self, response, attempt):
        if response.request.path_url.endswith("/authToken"):
            return LOGIN_PAUSE_S
        return super().retry_wait(response, attempt)


class LoginThrottleFixedPause(JitConnector):
    client_class = LoginFixedPauseClient


# -- JIT-PO-PROCESSED: a PO line's open quantity read from `quantity` -----------------------------------------------
class OpenFromOrderedQuantity(JitConnector):
    """The PO mapping was ported from the team's Dropship code, where an acknowledged line's `quantity` is what is left
    to ship: here too `quantity` is taken as the line's open quantity and `cancelled_quantity` as history. On a JIT PO,
    `quantity` is what AJIO raised. A PO started again after a seller cancellation (its invoice failed after the pick
    cancelled a shortfall, or a run died in between) is planned from the raised quantity: if the stock fell since, the
    shortfall is cancelled again on top of the first (units the warehouse has are cancelled); if it rose, the boxes
    carry more than the invoice and AJIO refuses the pack at every sync."""

    def map_lines(self, po: dict) -> list[dict] | None:
        lines = []
        for line in po["order_lines"]:
            sku = self.sku_of(line)
            if sku is None:
                return None
            lines.append({"order_item_id": line["order_item_id"], "sku": sku, "open": line["quantity"]})
        return lines


# -- JIT-INVENTORY-RECONCILE: the day checked in UTC, stamped in IST ----------------------------------------------------
class ReconUtcCheckIstStamp(JitConnector):
    """The reconciliation's "done today?" check was written by one developer with the server's date (UTC), the stamp
    by the shared helper, in IST. They agree from 05:30 IST to midnight. Between IST midnight and 05:30 the check's day
    is the IST day before: a stamp of yesterday (IST) reads as done, so the new day's reconciliation waits for 05:30
    (a nightly job that only runs then reconciles every other night), and a stamp of today reads as not done, so the
    reconciliation is run again at every sync until 05:30."""

    def reconcile_inventory(self) -> None:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        if self.state.extra.get("reconciled") == datetime.fromtimestamp(now, timezone.utc).date().isoformat():
            return
        self.state.extra.pop("reconciled", None)
        super().reconcile_inventory()


# -- JIT-MANIFEST-DOCUMENT: the manifest PDF kept with each PO on it --------------------------------------------------
class ManifestPdfPerPo(JitConnector):
    """The WMS keeps each PO's dispatch papers with the PO: the manifest PDF is owed (and downloaded) once per PO on the
    manifest, so a download that fails is retried for that PO alone. A manifest of forty POs is downloaded forty
    times."""

    def owe_manifest(self, answer: dict, orders: list[str]) -> None:
        for po_id in orders:
            log(f"PO {po_id}: manifest {answer['manifest_id']} PDF kept with the PO")
            self.owe_documents(self.state.orders[po_id], (answer["manifestUrl"], "manifest"))
