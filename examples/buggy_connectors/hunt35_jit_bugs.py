"""The thirty-fifth blind JIT hunt's bugs: what an integrator's team shipping a JIT connector under time pressure gets
wrong about the rules, designed from the rulebook and the reference alone (registered in buggy.py as jit_h35_*).

Each is a small subclass of the reference (or of its client) overriding the one method or hook the bug lives in.
"""
from __future__ import annotations

import json
import os
import tempfile
import time

from ajio_client import AjioClient
from connector import log
from jit_connector import MAX_BOXES, JitConnector

LISTING_MAX_QTY = 999      # "AJIO's bulk-inventory sheet takes three digits" (the seller-portal template, not the API)
RETRY_AFTER_MS_FROM = 120  # "a per-second throttle never asks for minutes: a Retry-After of 120 and up is in ms"
PUSH_BATCHES = 2           # "a JIT POB lists at most a hundred SKUs": two calls of 50


# -- JIT-INVENTORY-PUSH: a stock above 999 pushed as 999 ---------------------------------------------------------------
class StockCappedAt999Connector(JitConnector):
    """The inventory push was first written for the seller portal's bulk sheet, whose quantity column takes three
    digits; the API port kept the clamp ("AJIO never needs more than 999 of a SKU for a JIT buyer"). A SKU of 1,500
    units is pushed as 999, and recorded as pushed at 999, so every sync finds the warehouse's 1,500 differs and pushes
    999 again (and the daily reconciliation, seeing AJIO at 999, does too): AJIO's view never shows the warehouse's
    count, and the same push goes out at every sync."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        sent = [{"sku": line["sku"], "quantity": min(line["quantity"], LISTING_MAX_QTY)} for line in lines]
        self.client.post("/inventory", {"inventory": sent})
        self.state.inventory.update({line["sku"]: line["quantity"] for line in sent})
        log(f"inventory: {len(sent)} SKU(s) pushed")


# -- JIT-PREPACK-LABEL: every prefetched label packed, even when the pick needs fewer boxes ------------------------------
class PacksEveryPrefetchedBox(JitConnector):
    """Ops asked that every LPN printed at picklist time be closed at pack ("a prefetched label left open shows up as an
    unshipped carton in AJIO's portal"). So the pack names every prefetched box: the boxes the plan fills, then the
    other prefetched ids, empty. Without a shortfall the plan and the prefetch match and nothing changes; when the pick
    finds a PO short after its prepack and the box capacity makes the kept units need fewer boxes than were prefetched,
    the pack carries an empty box, which AJIO refuses with the whole pack at every sync: the PO is never packed."""

    def pack(self, po_id: str, mine: dict) -> None:
        boxes = self.boxes(po_id, mine["lines"])
        named = {box["box_id"] for box in boxes}
        for n, box_id in enumerate(sorted(mine.get("labels", {})), start=len(boxes) + 1):
            if box_id not in named:
                boxes.append({"box_id": box_id, "seal_id": f"SL{po_id}{n:02d}", "items": []})
        packed = self.client.post(f"/orders/{po_id}/pack", {"boxes": boxes})
        labels = [(box["label_pdf_url"], "box label") for box in packed["boxes"]
                  if mine.get("labels", {}).get(box["box_id"]) != box["label_pdf_url"]]
        self.record_pack(po_id, mine, packed, labels)


# -- API-THROTTLE-RETRY-AFTER: a long Retry-After read as milliseconds -------------------------------------------------
class RetryAfterAsMsClient(AjioClient):
    """The team's HTTP layer is shared with a marketplace whose gateway sends Retry-After in milliseconds. "A per-second
    throttle never asks for minutes": a value of 120 or more is taken as milliseconds, anything less as seconds. A 429
    (or 503) announcing two minutes or more is retried a tenth of a second later, three times, inside the announced
    wait; short Retry-Afters (1-60 s) are honoured exactly, as every UAT test showed."""

    def retry_wait(self, response, attempt: int) -> float | None:
        announced = self.retry_after_seconds(response.headers.get("Retry-After"))
        if announced is not None and announced >= RETRY_AFTER_MS_FROM:
            return announced / 1000.0 + 0.05
        return super().retry_wait(response, attempt)


class RetryAfterAsMs(JitConnector):
    client_class = RetryAfterAsMsClient


# -- AUTH-POB-CREDENTIALS: a token cache keyed by AJIO's address, shared by every POB -----------------------------------
class TokenCachedPerHostClient(AjioClient):
    """A connector process starts at every sync and logged in each time; to spare logins the team caches the token in a
    file under the temp directory, reused while under 25 minutes old. The cache is keyed by AJIO's base URL ("one AJIO,
    one token"): written by the first POB's run, it is read by the next POB's run on the same machine, which then reads
    and changes the first POB's POs with the first POB's token until the token expires."""

    def _cache(self) -> str:
        key = "".join(c if c.isalnum() else "_" for c in f"{self.base_url}_{self.model}")
        return os.path.join(tempfile.gettempdir(), f"ajio_token_{key}.json")

    def login(self) -> None:
        super().login()
        try:
            with open(self._cache(), "w") as f:
                json.dump({"token": self.token, "at": time.time()}, f)
        except OSError:
            pass

    def _token(self) -> str:
        if self.token is None:
            try:
                with open(self._cache()) as f:
                    cached = json.load(f)
                if time.time() - cached["at"] < self.TOKEN_MAX_AGE_S:
                    self.token = cached["token"]
                    self.token_at = time.monotonic() - (time.time() - cached["at"])
            except (OSError, ValueError, KeyError):
                pass
        return super()._token()


class TokenCachedPerHost(JitConnector):
    client_class = TokenCachedPerHostClient


# -- INVENTORY-ABSOLUTE-MAX-50: the changed SKUs pushed in two calls, the second with the rest --------------------------
class InventoryTwoBatches(JitConnector):
    """The push was written when the seller's JIT catalogue had 80 SKUs: a first call of 50 and a second with the rest
    ("AJIO takes 50 a call; a JIT POB lists at most a hundred"). A catalogue grown past a hundred changed SKUs (a
    first push, a season's launch) sends a second call of more than 50 lines, which AJIO refuses whole at every sync:
    the SKUs after the fiftieth are never pushed."""

    def push_inventory(self) -> None:
        changed = [{"sku": sku, "quantity": self.warehouse.available(sku)} for sku in self.pulled_skus()
                   if self.state.inventory.get(sku) != self.warehouse.available(sku)]
        batches = [changed[:self.INVENTORY_BATCH], changed[self.INVENTORY_BATCH:]][:PUSH_BATCHES]
        for batch in batches:
            if batch:
                self.push_inventory_batch(batch)


# -- JIT-PO-PROCESSED: one SKU per carton, the 100-box limit checked on the units only ----------------------------------
class OneSkuPerCarton(JitConnector):
    """The warehouse packs one SKU per carton (a carton of mixed SKUs is a receiving headache at AJIO's DC), so the box
    plan starts a new carton at each line. The fuller-box fallback for AJIO's 100 boxes a pack was copied from the
    reference: it looks at the PO's units only. A many-line PO whose lines each leave a part-filled carton (60 lines of
    3 in cartons of 2: 180 units, 120 cartons) passes the check, and its pack of more than 100 boxes is refused at every
    sync: the PO is invoiced and never packed. Without a carton size set, the PO goes in one box as before.

    (After the blind commit: the first version started a box per line without a carton size too, and was caught by 9
    of the first 120 JIT scenarios only for that, their multi-line POs expected in the one box the seller set; the
    100-box defect, the bug's point, was untested. This version keeps the seller's one box.)"""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        if not self.warehouse.settings.get("box_capacity"):
            return super().boxes(po_id, lines)
        units = sum(line["open"] for line in lines)
        capacity = self.warehouse.settings["box_capacity"]
        if units > capacity * MAX_BOXES:
            capacity = -(-units // MAX_BOXES)
        boxes: list[dict] = []
        for line in lines:
            left = line["open"]
            while left:
                n = len(boxes) + 1
                take = min(left, capacity)
                boxes.append({"box_id": f"{po_id}-B{n:02d}", "seal_id": f"SL{po_id}{n:02d}",
                              "items": [{"order_item_id": line["order_item_id"], "quantity": take}]})
                left -= take
        return boxes
