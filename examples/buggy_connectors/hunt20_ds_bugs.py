"""Bugs of the twentieth blind hunt, Dropship: the reference connector with ONE planted bug each.

Each class overrides the one method (or client) the bug lives in; the docstring says what a real integrator's
team gets wrong and the rule it breaks. Registered in buggy.py's BUGS under names starting with `ds_h20_`, but two
left unregistered (no scenario proves them; see each class): QcCountsWithdrawnUnits and GoodReturnsPushedTwice.
"""
from __future__ import annotations

from ajio_client import TRANSIENT, AjioClient, AjioError, AjioUnreachable
from connector import Connector, log


# -- 1. documents: one attempt only (API-RETRY-TRANSIENT) ------------------------------------------------------
class SingleAttemptDocumentClient(AjioClient):
    """PDFs are downloaded by a plain GET of their URL with the apiKey (the team wrote it apart from the API
    calls, "it is only a file"): no retry on a 5xx, a reset or a cut body. The document stays owed and the next
    sync fetches it, but AJIO's transient failure was abandoned at the first try."""

    def document(self, url: str) -> bytes:
        if self.before_call is not None:
            self.before_call()
        relogged = False
        while True:
            try:
                r = self.http.request("GET", url, timeout=60, headers={"apiKey": self._token()})
            except TRANSIENT as exc:
                raise AjioUnreachable("GET", url, exc) from exc
            if r.status_code == 401 and not relogged:
                relogged = True
                self.login()
                continue
            if not r.ok:
                raise AjioError(r)
            return r.content


class DocumentsSingleAttempt(Connector):
    client_class = SingleAttemptDocumentClient


# -- 2. a 5xx's Retry-After not honoured (API-RETRY-TRANSIENT) ---------------------------------------------------
class RetryAfterOn429OnlyClient(AjioClient):
    """Retry-After is read on a 429 only (the team's retry helper came from a throttling example); a 503 that
    announces when to come back is retried on the client's own short backoff, before the announced time."""

    def retry_wait(self, response, attempt: int):
        if response.status_code == 429:
            return super().retry_wait(response, attempt)
        return min(self.MAX_BACKOFF_S, 0.2 * 2 ** attempt)


class RetryAfterIgnoredOn5xx(Connector):
    client_class = RetryAfterOn429OnlyClient


# -- 3. a long Retry-After holds only the throttled call (API-THROTTLE-RETRY-AFTER) ------------------------------
class ForgetsThrottleHoldClient(AjioClient):
    """A 429 whose Retry-After is too long to wait in this sync ends that call, but the client does not hold the
    others: the next phase's calls go at once, inside the announced wait (throttling is per user)."""

    blocked_until = property(lambda self: 0.0, lambda self, value: None)


class ThrottleHoldForgotten(Connector):
    client_class = ForgetsThrottleHoldClient


# -- 4. QC of units the customer withdrew (DS-PUTAWAY-GOOD-BAD) --------------------------------------------------
class QcCountsWithdrawnUnits(Connector):
    """The putaway reports each line's return_quantity: the team never met cancelled_return_quantity (units the
    customer withdrew before pickup) and QCs units that never came back: AJIO refuses the putaway, the return
    is never processed. (Registered once the simulator modelled a partial withdrawal, after round 20.)"""

    def quality_check(self, ret: dict, mine: dict) -> None:
        code = self.warehouse.qc_code(ret["order_id"])
        items = [{"return_item_id": i["return_item_id"], "quantity": i["return_quantity"], "qc_code": code}
                 for i in ret["return_order_items"] if i["return_quantity"] > 0]
        self.client.post(f"/returns/{ret['return_order_id']}/qc", {"items": items})
        mine.update(stage="put_away", qc_code=code, units=sum(i["quantity"] for i in items))
        log(f"put away {ret['return_order_id']}: {code}")


class PartlyWithdrawnTakenAsWithdrawn(Connector):
    """The other side of the same field: a return showing withdrawn units (cancelled_return_quantity > 0) is taken
    for a withdrawn return and closed when its parcel arrives; the units the customer did send back are never put
    away and their credit note never fetched. (Written with the partial withdrawal, after round 20.)"""

    def quality_check(self, ret: dict, mine: dict) -> None:
        if any(i["cancelled_return_quantity"] for i in ret["return_order_items"]):
            mine["stage"] = "closed"
            log(f"return {ret['return_order_id']} withdrawn by the customer: nothing to put away")
            return
        super().quality_check(ret, mine)


# -- 5. a later page's failure ends the list quietly (API-PAGING) ------------------------------------------------
class PartialListClient(AjioClient):
    """"Best effort" paging: a page after the first that fails (past the retries) ends the list with what was
    read so far, as if it were the whole list. Returns on the lost page look absent: their parcels are taken
    for unexpected ones and an RTO is created against AJIO's expectation."""

    def pages(self, path: str, key: str, **params):
        page = 0
        while True:
            try:
                answer = self.get(path, **params, page=page, size=50)
            except AjioError as exc:
                if page == 0:
                    raise
                print(f"{path}: page {page} failed ({exc}); using what was read", flush=True)
                return
            yield from answer[key]
            if page + 1 >= answer["page"]["totalPages"]:
                return
            page += 1


class PartialListOnPageError(Connector):
    client_class = PartialListClient


# -- 6. good returned units pushed on top of the warehouse's count (DS-INVENTORY-REFLECTS-WAREHOUSE) -------------
class GoodReturnsPushedTwice(Connector):
    """After a GOOD putaway the connector restocks AJIO at once: the warehouse's count of the SKU plus the units
    just put away. The warehouse's count already holds them (and AJIO adds good returns by itself), so AJIO
    shows more than the warehouse can sell until the next push.

    Not registered: AJIO adds the good units itself at putaway, before this push, so the push lands on the count
    AJIO already shows whenever the sync's own stock push went through; the two differ only by one extra call."""

    def quality_check(self, ret: dict, mine: dict) -> None:
        super().quality_check(ret, mine)
        if mine.get("qc_code") != "GOOD":
            return
        back: dict[str, int] = {}
        for item in ret["return_order_items"]:
            units = item["return_quantity"] - item["cancelled_return_quantity"]
            if units > 0:
                sku = item["item_details"]["item_code"]
                back[sku] = back.get(sku, 0) + units
        if back:
            self.push_inventory_batch([{"sku": sku, "quantity": self.warehouse.available(sku) + units}
                                       for sku, units in back.items()])
