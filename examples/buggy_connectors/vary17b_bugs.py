"""Bugs found by varying the Dropship inputs the catalogue had never varied (vary17b): a returns list of exactly one
full page and of a second page of one, a stock push refused whole (400) in its second batch, and a run killed
between two pages of pendency. Each class is the reference connector with ONE planted mistake. buggy.py lists them
by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py)."""
from __future__ import annotations

import json
from pathlib import Path

from ajio_client import PAGE_SIZE, AjioClient, AjioError, AjioUnreachable
from connector import Connector, log
from hunt_bugs import DsSkipsProcessedReturns
from kill_bugs import SavedPerPhase
from vary_bugs import PagedFromTotal


class DsReturnsPageTooFar(PagedFromTotal, Connector):
    """API-PAGING: the returns job pages GET /ds/returns up to page totalElements // 50 (the other lists are read by
    page.totalPages): exactly 50 returns make it ask for page 1, which AJIO refuses (400), so the returns phase ends
    with an error at every sync while AJIO lists a multiple of 50."""

    PAGED_WRONG = ("/returns",)


class DsReturnsFirstPageOnly(Connector):
    """API-PAGING: the returns job reads page 0 of GET /ds/returns only ("returns are few: one page of 50 is plenty"):
    a return listed on page 1 (the fifty-first) is never seen, never put away."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pages, client = self.client.pages, self.client

        def paged(path, key, **params):
            if path == "/returns":
                yield from client.get(path, **params, page=0, size=50)[key]   # the bug
            else:
                yield from pages(path, key, **params)
        self.client.pages = paged


class DsRefusedPushParked(Connector):
    """API-PER-LINE-FAILURES: a stock push AJIO answers 400 is taken as a bad request ("sending it again fails again"):
    its lines go on a parked list and are never pushed again. A push whose every line failed for now (a batch of
    one, its line failed inside AJIO's per-line answer, which AJIO then answers 400) leaves that SKU's count stale
    on AJIO for ever."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        parked = self.state.extra.setdefault("parked_skus", [])
        lines = [line for line in lines if line["sku"] not in parked]
        if not lines:
            return
        try:
            super().push_inventory_batch(lines)
        except AjioError as exc:
            if exc.status != 400:
                raise
            parked.extend(line["sku"] for line in lines)                   # the bug
            log(f"inventory: AJIO refused the push (400): {len(lines)} line(s) parked for an operator")


class DsPendencyResumesAtCheckpoint(Connector):
    """DS-ACK-WITHIN-SLA: the pendency import is a resumable job: the page it is about to read is checkpointed in a
    file of its own before each read, and a run resumes at the checkpoint ("a crash does not restart a long read").
    The orders imported from the pages before it were in memory only: killed after page 1 was answered, the next run
    reads from page 1 on, and the fifty orders of page 0 wait a whole sync longer to be acknowledged."""

    def import_pendency(self) -> None:
        checkpoint = Path(self.state_dir) / "pendency_page.json"
        page = json.loads(checkpoint.read_text()) if checkpoint.exists() else 0
        while True:
            checkpoint.write_text(json.dumps(page))                            # the bug: the cursor, not the orders
            answer = self.client.get("/orders/pendency", page=page, size=50)
            for order in answer["orders"]:
                if not self.state.holds(order["order_id"]):
                    self.state.orders[order["order_id"]] = {"stage": "imported"}
                    log(f"imported {order['order_id']}")
            if page + 1 >= answer["page"]["totalPages"]:
                break
            page += 1
        checkpoint.write_text(json.dumps(0))


class DsPushVerifiedByReadBack(Connector):
    """DS-INVENTORY-CHANGED-ONLY: each stock push is verified by reading AJIO's listing back and pushed again, up to
    three times, while the listing disagrees ("make sure AJIO has it"). With a current listing the read-back agrees
    at once; a listing that lags disagrees every time, and a count AJIO already took is pushed four times a sync."""

    def push_inventory_batch(self, lines: list[dict]) -> None:
        super().push_inventory_batch(lines)
        for _ in range(3):                                                  # the bug
            listed = {p[self.PRODUCT_SKU]: p.get("quantity") for p in self.client.pages("/products", "products")}
            again = [line for line in lines if listed.get(line["sku"]) != line["quantity"]]
            if not again:
                return
            super().push_inventory_batch(again)


class DsReturnsForgottenAcrossPages(SavedPerPhase, DsSkipsProcessedReturns):
    """DS-CREDIT-NOTE-FETCHED: two bundled mistakes that only a crash between two pages of returns brings together:
    the state is saved when a phase ends (ds_state_saved_per_phase), and a return first seen RETURN_PROCESSED is left
    "seen" (ds_skips_processed_returns). Killed as it asks for page 1, it loses the putaways of page 0 AJIO took;
    the next run finds them PROCESSED, leaves them, and never fetches their credit notes."""


class BlankPageClient(AjioClient):
    """Reads a list page whose 200 body does not parse as a page with nothing on it ("AJIO sends an empty body when
    nothing is pending"): the list ends there."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            try:
                answer = self.get(path, **params, page=page, size=PAGE_SIZE)
            except AjioUnreachable as exc:
                if isinstance(exc.__cause__, ValueError):                  # the bug
                    log(f"{path}: unreadable body taken as an empty page")
                    return
                raise
            yield from answer[key]
            if page + 1 >= answer["page"]["totalPages"]:
                return
            page += 1


class DsUnreadableListAsEmpty(Connector):
    """DS-RTO-CHECK-SYNC-FIRST: a list whose 200 body does not parse is read as an empty page (BlankPageClient): a
    returns list unreadable for a sync lists no expectation, and a parcel AJIO already expects gets an RTO of the
    seller's own."""
    client_class = BlankPageClient
