"""Blind hunt 25, JIT: six bugs a JIT connector's team plausibly ships, each a small subclass of the reference (the
diff is the bug). Registered in buggy.py as jit_h25_*; the rule each breaks is written on its class."""
from __future__ import annotations

from ajio_client import AjioClient
from jit_connector import JitConnector

WEEK_S = 7 * 86400


class ReturnsKeyedByPO(JitConnector):
    """JIT-RETURNS-CONFIRMED. The WMS files a return against its PO ("return against PO number"), so the connector
    keeps one return per PO: a second (partial) return of a PO already returned is taken for the first one and
    never recorded for inbound. The bug: returns of a PO already holding a return are skipped."""

    def pull_returns(self) -> None:
        seen = {mine["order_id"] for mine in self.state.returns.values()}
        pages = self.client.pages

        def returns_once_per_po(path, key, **params):
            for item in pages(path, key, **params):
                if path == "/returns":
                    if item["order_id"] in seen:
                        continue
                    seen.add(item["order_id"])
                yield item

        self.client.pages = returns_once_per_po
        try:
            super().pull_returns()
        finally:
            del self.client.pages


class HeldRereadFirst50(JitConnector):
    """API-NO-UPDATED-SINCE. The status sync sends one orderIds read of at most 50 ids ("AJIO takes 50 ids a call")
    and never the next chunk: a connector holding more than 50 manifested or shipped POs never re-reads the rest,
    so it never learns they were dispatched or delivered."""

    def read_orders(self, order_ids: list[str]) -> dict[str, dict]:
        return super().read_orders(order_ids[:self.IDS_PER_READ])


class ReloginWhenThrottledClient(AjioClient):
    def may_retry(self, method, failure, attempt, limit):
        if getattr(failure, "status_code", None) == 429:
            self.token = None  # "the session is being throttled": drop it, the retry logs in afresh
        return super().may_retry(method, failure, attempt, limit)


class ReloginWhenThrottled(JitConnector):
    """AUTH-LOGIN-SPARINGLY. A 429 is taken for a session problem: the token is dropped and the retry (after the
    Retry-After, as it should) logs in again first: one login per throttled call, the token still valid."""

    client_class = ReloginWhenThrottledClient


class ManifestAllOrNothing(JitConnector):
    """API-PER-LINE-FAILURES. A manifest whose 200 carries failedDispatchItems is taken as failed whole: every PO of
    it stays packed and the whole chunk is sent again at the next sync, the POs AJIO did manifest with the failed
    one (re-sending what succeeded; AJIO refuses the mix, 409 CONFLICTING_REPEAT, so the failed PO is never
    manifested)."""

    def manifest_answered(self, chunk: list[str], answer: dict) -> None:
        if answer.get("failedDispatchItems"):
            self.owe_manifest(answer, chunk)
            return
        super().manifest_answered(chunk, answer)


class PrefetchedBoxEmptiedStillSent(JitConnector):
    """JIT-PACK-MATCHES-INVOICE. With prepack and a box capacity, the pack reports every box a label was prefetched
    for: a pick found short at pack time that empties a box still sends it, with no items (AJIO refuses the pack,
    the PO is never packed). The reference packs the boxes the open quantities fill; a prefetched box left over
    is voided by AJIO."""

    def boxes(self, po_id: str, lines: list[dict]) -> list[dict]:
        plan = super().boxes(po_id, lines)
        planned = {box["box_id"] for box in plan}
        for box_id in (self.state.orders.get(po_id, {}).get("labels") or {}):
            if box_id not in planned:
                n = box_id.rsplit("-B", 1)[-1]
                plan.append({"box_id": box_id, "seal_id": f"SL{po_id}{n}", "items": []})
        return plan


class ReturnsWindowCappedToAWeek(JitConnector):
    """JIT-RETURNS-CONFIRMED. An incremental returns pull looks back at most a week ("AJIO's returns API takes a
    short range"): after the connector was stopped more than a week (a holiday, a broken server), returns raised
    early in the outage are never pulled. The first pull's month look-back is kept."""

    def returns_since(self, now: int) -> int:
        since = super().returns_since(now)
        if "returns_pulled_at" in self.state.extra:
            since = max(since, now - WEEK_S)
        return since
