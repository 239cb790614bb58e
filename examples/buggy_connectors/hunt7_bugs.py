"""Bugs of the seventh blind Dropship/JIT bug hunt that the catalogue let through (or caught under another rule):
each class is the reference connector with ONE planted mistake, as real integrators make them. buggy.py lists
them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import time
from datetime import datetime, timedelta, timezone

from ajio_client import AjioClient
from connector import Connector, log
from jit_connector import JitConnector

IST = timezone(timedelta(hours=5, minutes=30))


class ReloginOnceClient(AjioClient):
    """"One re-login is enough, never loop on 401": the switch goes off after the first re-login, for good."""

    def login(self) -> None:
        super().login()
        if self.logins >= 2:
            self.RELOGIN_ON_401 = False


class DsReloginOncePerProcess(Connector):
    """AUTH-TOKEN-30-MIN: the "log in again on 401" guard works once per process: a daemon recovers from its
    first token expiry and fails every call with 401 after the second."""
    client_class = ReloginOnceClient


class DsNotYetBlocksClient(Connector):
    """DS-CREDIT-NOTE-FETCHED: a credit note's 409 NOT_YET (Retry-After 2.5 h) is honoured like a 429: the whole
    client is held for it, so a daemon stalls for hours of wall time, the credit note included."""

    def credit_note_not_yet(self, return_id, mine, exc) -> None:
        super().credit_note_not_yet(return_id, mine, exc)
        wait = self.client.retry_after_seconds(exc.retry_after) or 0.0
        self.client.blocked_until = max(self.client.blocked_until, time.monotonic() + wait)

    # The hold is the client's own, in memory, by the machine's clock (as the reference kept it when this bug was
    # written): not the saved hold the reference keeps by both clocks, which the simulated clock's jump would end.
    def keep_throttle_hold(self) -> None:
        pass

    def resume_throttle_hold(self) -> None:
        pass


class DsManifestPickupSlot(Connector):
    """DS-DISPATCH-WITHIN-SLA: manifests are closed only in the courier's daytime pickup slot (10:00-18:00 IST):
    an order packed in the evening waits past its dispatch_by."""

    def manifest(self) -> None:
        now = self.warehouse.now if self.warehouse.now is not None else time.time()
        hour = datetime.fromtimestamp(now, IST).hour
        if not 10 <= hour < 18:
            log(f"outside the pickup slot ({hour}:00 IST): manifest waits")
            return
        super().manifest()


class DsInventoryZeroThenSet(Connector):
    """DS-INVENTORY-CHANGED-ONLY: a "full refresh" of a SKU first clears it (0), then sets its new quantity: every
    change pushed twice, and AJIO shows the SKU sold out in between."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        self.client.post("/updateInventory", {"inventory": [{"sku": line["sku"], "quantity": 0} for line in lines]})
        super().push_inventory_batch(lines)


class DsRetiresAtDispatch(Connector):
    """DS-STATUS-SYNC: an order the courier picked up (DISPATCHED) is taken as finished and leaves the state: its
    delivery or RTO is never learnt."""
    FINISHED_STAGES = ("delivered", "cancelled", "shipped")


class JitBackordersRepushStock(JitConnector):
    """JIT-INVENTORY-PUSH: a back order is taken as AJIO having lost the seller's stock: each back-ordered SKU's
    count is pushed again at once, changed or not."""

    def pull_backorders(self) -> None:
        super().pull_backorders()
        skus = set(self.pulled_skus())
        lines = [{"sku": b["sku"], "quantity": self.warehouse.available(b["sku"])}
                 for b in self.state.extra.get("backorders", []) if b["sku"] in skus]
        for start in range(0, len(lines), self.INVENTORY_BATCH):
            self.push_inventory_batch(lines[start:start + self.INVENTORY_BATCH])


class JitManifestPdfSkippedOnPartialFailure(JitConnector):
    """JIT-MANIFEST-DOCUMENT: a manifest answer with a failed line is taken as a failed manifest: its document is
    not fetched, though the other POs on it were manifested."""

    def owe_manifest(self, answer: dict, orders: list[str]) -> None:
        if answer.get("failedDispatchItems"):
            log("manifest had failures: document not fetched")
            return
        super().owe_manifest(answer, orders)


class DsStateSavedAtEndOnly(Connector):
    """DS-MANIFEST-FETCHED: the state file is written once, at the end of a sync ("fewer disk writes"): a run killed
    mid-sync forgets every change AJIO took in it, and an order it labelled, PACKED on AJIO, is never manifested."""

    def sync(self) -> None:
        save, self.state.save = self.state.save, lambda: None
        try:
            super().sync()
        finally:
            self.state.save = save
        self.state.save()
