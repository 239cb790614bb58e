"""Bugs of the nineteenth blind hunt, Dropship: the reference connector with ONE planted bug each.

Each class overrides the one method (or client) the bug lives in; the docstring says what a real integrator's
team gets wrong and the rule it breaks. Registered in buggy.py's BUGS under names starting with `ds_h19_`.
"""
from __future__ import annotations

import time

from ajio_client import AjioClient, AjioError
from connector import ACKNOWLEDGED_STATUSES, Connector, log


class AcksEachListedOrder(Connector):
    """API-ORDER-LISTED-AGAIN (too much): the acknowledgement walks AJIO's re-read answer as it is listed, not the
    orders the connector holds, and acknowledges every CREATED entry it meets. An order the re-read lists twice (a
    repeat inside `GET /ds/orders?orderIds=`, the same order AJIO shows again) is acknowledged twice: the second
    POST repeats a change AJIO already answered with success (or, its units reserved twice, conflicts).

    Not registered in buggy.py: the catalogue caught it (ds/platform/stale_orders_page_hides_new_order, a lagging
    read listing an acknowledged order) naming API-CHANGE-SENT-ONCE, not the rule it was designed for."""

    def orders_to_acknowledge(self) -> list[dict]:
        ids = self.state.in_stage("imported")
        todo = []
        for start in range(0, len(ids), self.IDS_PER_READ):
            chunk = ids[start:start + self.IDS_PER_READ]
            for order in self.client.pages("/orders", "orders", orderIds=",".join(chunk)):
                order_id = order["order_id"]
                if order_id not in self.state.orders:
                    continue
                if order["status"] == "CANCELLED":
                    self.state.orders[order_id]["stage"] = "cancelled"
                    log(f"{order_id} cancelled by the customer before acknowledgement: dropped")
                elif order["status"] == "CREATED":
                    todo.append(order)   # the bug: no check that this order is not already on the list
                elif order["status"] in ACKNOWLEDGED_STATUSES:
                    self.state.orders[order_id]["stage"] = "acknowledged"
        return todo


class NewSessionEachSync(Connector):
    """AUTH-LOGIN-SPARINGLY (too much): the daemon builds a fresh AJIO session (client) at the start of every sync,
    as a cron job would, so it logs in at every poll although its token has most of its 30 minutes to run (and
    forgets a Retry-After still running)."""

    def sync(self) -> None:
        old = self.client
        self.client = self.client_class(old.base_url, old.username, old.password, old.model)
        self.client.before_call = old.before_call
        self.saved_writes = self.client.writes
        old.http.close()
        super().sync()


class LoginOutsideRetriesClient(AjioClient):
    """The login sent straight over HTTP, outside the retry policy of every other call."""

    def login(self) -> None:
        r = self.http.request("POST", f"{self.base_url}/{self.model}/authToken",
                              json={"username": self.username, "password": self.password}, timeout=60)
        if not r.ok:
            raise AjioError(r)
        self.token = r.json()["result"]["accessToken"]
        self.token_at = time.monotonic()
        self.logins += 1


class LoginNotRetried(Connector):
    """API-RETRY-TRANSIENT (too little; and API-THROTTLE-RETRY-AFTER, too early): the login is written as a plain
    HTTP call, outside the client's retry policy. A 5xx or a 429 on `POST /ds/authToken` ends the phase that needed
    the token at once (no retry, no Retry-After honoured), and the next phase logs in again at once."""

    client_class = LoginOutsideRetriesClient


class FailedAckKeepsUnits(Connector):
    """DS-ACK-WHAT-IS-IN-STOCK (too little): an acknowledgement AJIO did not take (5xx past the retries, refused) keeps
    the units it reserved for the rest of the sync; a later order of the same SKU sees them gone and is
    seller-cancelled for stock the warehouse holds."""

    def units_released(self, before: dict[str, int]) -> None:
        """The bug: the reservation of the lines AJIO did not take is kept."""


class ReturnsFromDateMillis(Connector):
    """DS-RETURN-SYNC (too little): the connector keeps return dates as epoch milliseconds (its store is Java-style)
    and sends them back so: from the second returns read on, `fromDate` lies ~50,000 years ahead and AJIO lists
    nothing, so every later return (an RTO expectation, a customer return) is never seen nor put away."""

    def returns_window(self) -> dict:
        window = super().returns_window()
        if "fromDate" in window:
            window["fromDate"] = window["fromDate"] * 1000
        return window


class ProcessedElsewhereClosed(Connector):
    """DS-CREDIT-NOTE-FETCHED (too little, after a crash): a return first seen already RETURN_PROCESSED is taken for
    one processed "elsewhere" and closed, with no credit note. After a crash right after the QC (or the seller's
    own RTO) whose record never reached the disk, the next run finds the return processed and never fetches its
    credit note."""

    def sync_returns(self) -> None:
        listed = set()
        for ret in self.client.pages("/returns", "returns", **self.returns_window()):
            listed.add(ret["order_id"])
            mine = self.state.returns.setdefault(ret["return_order_id"], {"order_id": ret["order_id"], "stage": "seen"})
            mine.update(return_date=ret["return_date"], return_type=ret["return_type"])
            if ret["return_status"] == "RETURN_DELIVERED" and mine["stage"] == "seen":
                self.quality_check(ret, mine)
            elif ret["return_status"] == "RETURN_PROCESSED" and mine["stage"] == "seen":
                mine["stage"] = "closed"   # the bug: processed before this connector saw it, so nothing owed
            elif ret["return_status"] == "RETURN_CANCELLED":
                mine["stage"] = "closed"
        expected_orders = self.orders_with_expectation(listed)
        for order_id in self.warehouse.unexpected_rto:
            if order_id not in expected_orders and order_id not in self.state.rto_created and self.rto_may_try(order_id):
                self.book_back_parcel(order_id)
