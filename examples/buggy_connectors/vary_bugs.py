"""Bugs found by varying the inputs the catalogue had never varied on JIT and VMS (vary16): a list lagging
(stale_page) on JIT returns and VMS returns, lists of exactly one full page (50) of JIT and VMS returns, and values
AJIO adds (unknown_value) on JIT returns and JIT products. Each class is a reference connector with ONE planted
mistake. buggy.py lists them by name; each fails the scenario written for it (tests/harness/test_buggy_connectors.py
for JIT, tests/harness/test_run_vms.py for VMS)."""
from __future__ import annotations

from contextlib import contextmanager

from connector import log
from jit_connector import JitConnector
from rewriting import PagesRewritten
from vms_connector import VmsConnector

PAGE = 50
JIT_RETURN_TYPES = {"RTV": "vendor return"}              # the values seen at go-live
JIT_MODERATION = {"APPROVED": True, "PENDING": False, "REJECTED": False}


def pages_counted_from_total(client, path: str, key: str, **params):
    """Pages up to page totalElements // size, counting the pages itself: one page too far when the list is a
    multiple of 50, a page AJIO refuses (400)."""
    page = 0
    while True:
        answer = client.get(path, **params, page=page, size=PAGE)
        yield from answer[key]
        if page >= answer["page"]["totalElements"] // PAGE:   # the bug: 50 elements -> page 1 asked
            return
        page += 1


class PagedFromTotal:
    """The reference, paging the lists named in PAGED_WRONG with pages_counted_from_total."""

    PAGED_WRONG: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        pages, client = self.client.pages, self.client

        def paged(path, key, **params):
            if path in self.PAGED_WRONG:
                yield from pages_counted_from_total(client, path, key, **params)
            else:
                yield from pages(path, key, **params)
        self.client.pages = paged


class JitReturnsPageTooFar(PagedFromTotal, JitConnector):
    """API-PAGING: the returns pull pages up to page totalElements // 50: exactly 50 returns (a full page) make it ask
    for page 1, which AJIO refuses (400): the pull fails after its first page at every sync while AJIO lists a multiple
    of 50 returns, and its window never moves on."""

    PAGED_WRONG = ("/returns",)


class JitReturnsWindowFromLastPull(JitConnector):
    """JIT-RETURNS-CONFIRMED: the returns window starts where the last pull stopped, without overlap ("nothing
    before it can be new"): a return AJIO's list did not show yet at that pull (AJIO's lists lag) is older than the
    next window's start and is never pulled."""

    def returns_since(self, now: int) -> int:
        return self.state.extra.get("returns_pulled_at", now - 30 * 86400)   # the bug: no overlap


class JitReturnTypeUnknownCrashes(PagesRewritten, JitConnector):
    """JIT-RETURNS-CONFIRMED: a return's type is looked up in the table of the types seen at go-live (RTV); a type AJIO
    adds raises a KeyError out of the returns pull, which ends the run: no return after it (on its page or the next)
    is pulled while AJIO sends it."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns":
            JIT_RETURN_TYPES[item["return_type"]]   # the bug
        return item


class JitReturnsStopAtUnknownStatus(PagesRewritten, JitConnector):
    """JIT-RETURNS-CONFIRMED: JIT returns are "always CONFIRMED" (seed 001 row 3), so a return in another status is
    taken as the end of the usable list and the pull stops there: the returns listed after it, and the next pages,
    are not pulled while AJIO sends the value."""

    def seen(self, path: str, item: dict) -> dict | None:
        if path == "/returns" and item["return_status"] != "CONFIRMED":
            log(f"return {item['return_order_id']}: status {item['return_status']}, pull stopped")
            return None   # the bug
        return item


class JitModerationUnknownCrashes(PagesRewritten, JitConnector):
    """JIT-SKU-MAPPING: each pulled product's moderation status is looked up in the table of the statuses known at
    go-live; a status AJIO adds raises a KeyError out of the SKU pull, which ends the run: no stock is pushed and no
    PO is processed while AJIO sends it."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/products":
            JIT_MODERATION[item["moderation_status"]]   # the bug
        return item


class JitSkuPullStopsAtUnknownModeration(PagesRewritten, JitConnector):
    """JIT-SKU-MAPPING: the SKU pull keeps the products it knows to be APPROVED and stops at the first other status
    (the list was asked for APPROVED ones only, "so the rest is noise"): a value AJIO adds leaves every SKU listed
    after it unmapped, and their POs wait while AJIO sends it."""

    def seen(self, path: str, item: dict) -> dict | None:
        if path == "/products" and item.get("moderation_status") != "APPROVED":
            log(f"product {item.get('sku_code')}: moderation {item.get('moderation_status')}, pull stopped")
            return None   # the bug
        return item


class VmsReturnsPageTooFar(PagedFromTotal, VmsConnector):
    """API-PAGING: the returns read pages up to page totalElements // 50: exactly 50 returns in the window (a full
    page) make it ask for page 1, which AJIO refuses (400): the read fails after its first page at every sync, its
    window never moves on and the RTO requests that follow the read are never sent while AJIO lists a multiple of
    50."""

    PAGED_WRONG = ("/returns",)


class VmsQcOwedFromListing(PagesRewritten, VmsConnector):
    """API-CHANGE-SENT-ONCE: whether a return's QC is owed is taken from AJIO's listing alone ("AJIO is the source of
    truth"): a return listed RETURN_DELIVERED is QC'd, whatever the layer already shared. Right while AJIO's list is
    current; a listing that lags (stale page) shows a checked return RETURN_DELIVERED again and its QC is sent
    twice."""

    def seen(self, path: str, item: dict) -> dict:
        if path == "/returns" and item["return_status"] == "RETURN_DELIVERED":
            mine = self.state.returns.get(item["return_order_id"])
            if mine is not None:
                mine["stage"] = "expected"   # the bug
        return item


class JitPendencyTakenAtItsWord(JitConnector):
    """JIT-PO-PROCESSED: pendency is taken to list only POs not invoiced yet (API.md), so every PO it lists is
    started, whatever the connector already did with it: right while AJIO's list is current; a pendency page that
    lags (stale page) lists a PO invoiced and packed since, and it is invoiced and packed again."""

    def process_pendency(self) -> None:
        for po in list(self.client.pages("/orders/pendency", "orders")):
            self.state.orders.get(po["order_id"], {})["stage"] = "new"   # the bug: no memory consulted
        super().process_pendency()


VMS_CARRIERS = {"Delhivery": "DEL", "Ecom Express": "ECX", "XpressBees": "XPB", "Blue Dart": "BDT", "Shadowfax": "SFX"}
VMS_QC_OUTCOMES = {"RETURN_PROCESSED": "checked", "RETURN_DELIVERED": "expected"}


class VmsCarrierTableCrashes(VmsConnector):
    """API-UNKNOWN-VALUE: the carrier of an order's packing documents is looked up in the table of the couriers known
    at go-live (the warehouse's handover sheet is per courier); a courier AJIO adds raises a KeyError out of the
    packing phase, which ends the run: no order after it is packed and none is handed over (no manifest) while AJIO
    sends it."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        get = self.client.get

        def documents_read(path, **params):
            answer = get(path, **params)
            if path.endswith("/documents"):
                log(f"{path}: courier code {VMS_CARRIERS[answer['carrier']]}")   # the bug
            return answer
        self.client.get = documents_read


@contextmanager
def posts_looked_up(client, table: dict, field: str, what: str):
    """The bug of the two classes below: while it lasts, each POST's answer `field` is looked up in `table` (the
    values known at go-live) after AJIO took the call: a value AJIO adds raises KeyError before the change is noted."""
    post = client.post

    def looked_up(path, body, headers=None):
        answer = post(path, body, headers)
        log(f"{path}: {what} {table[answer[field]]}")   # the bug
        return answer
    client.post = looked_up
    try:
        yield
    finally:
        client.post = post


class VmsQcOutcomeTableCrashes(VmsConnector):
    """API-UNKNOWN-VALUE: the return status AJIO answers a QC update with is looked up in the table of the outcomes
    known at go-live; a status AJIO adds raises a KeyError after AJIO took the QC, before the return is noted checked:
    the run ends (no other return is QC'd) and the next run shares that QC again."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        with posts_looked_up(self.client, VMS_QC_OUTCOMES, "return_status", "QC outcome"):
            super().quality_check(ret, mine)


JIT_PACK_OUTCOMES = {"PACKED": "packed", "READY_TO_DISPATCH": "packed"}


class JitPackStatusTableCrashes(JitConnector):
    """API-CHANGE-SENT-ONCE: the status AJIO answers a pack with is looked up in the table of the statuses known at
    go-live; a status AJIO adds raises a KeyError after AJIO took the pack, before the PO is noted packed: the run
    ends (no other PO is started) and the next run packs the PO again."""

    def pack(self, po_id: str, mine: dict) -> None:
        with posts_looked_up(self.client, JIT_PACK_OUTCOMES, "status", "pack"):
            super().pack(po_id, mine)
